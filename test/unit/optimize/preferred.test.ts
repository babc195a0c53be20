// A file Optimize cannot restructure gets, after the safe fixes, the preferred fix of a warning
// left (optimize/preferred.ts), unless that fix could break the build where validation cannot see
// it: a slim base under a pip install or curl, COPY --chown to a user made later, a chown of the
// WORKDIR. Each case: the input, and the output expected (the input itself when nothing applies).
import assert from 'node:assert/strict';
import { optimize } from '../../../server/src/engine/optimize';
import { memoryFs, CTX } from './golden';

const FILES = { 'app.py': 'print(1)\n', 'requirements.txt': 'flask==3.0.3\n' };

function run(dockerfile: string) {
  return optimize({ file: `${CTX}/Dockerfile`, text: dockerfile, fs: memoryFs({ ...FILES, Dockerfile: dockerfile, '.dockerignore': '.git\n' }), root: CTX, uvVersion: '0.12.5' });
}

describe('optimize: preferred fixes on files it cannot restructure', () => {
  const cases: { name: string; dockerfile: string; expected: string; note?: string }[] = [
    {
      name: 'SD301: slim base when nothing needs the full image',
      dockerfile: 'FROM python:3.12\nWORKDIR /app\nCOPY app.py .\nRUN mkdir -p /data && chmod 700 /data\nCMD ["python", "app.py"]\n',
      expected: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY app.py .\nRUN mkdir -p /data && chmod 700 /data\nCMD ["python", "app.py"]\n',
      note: 'applied the SD301 fix: Use python:3.12-slim.',
    },
    {
      name: 'SD301: a tool the full image has (curl) keeps the full base',
      dockerfile: 'FROM python:3.12\nCOPY app.py .\nRUN curl -fsSL https://example.com/model.bin -o /model.bin\nCMD ["python", "app.py"]\n',
      expected: 'FROM python:3.12\nCOPY app.py .\nRUN curl -fsSL https://example.com/model.bin -o /model.bin\nCMD ["python", "app.py"]\n',
    },
    {
      name: 'SD301: a tool installed first is fine',
      dockerfile: 'FROM python:3.12\nCOPY app.py .\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nCMD ["python", "app.py"]\n',
      expected: 'FROM python:3.12\nCOPY app.py .\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nCMD ["python", "app.py"]\n',
    },
    {
      name: 'SD301: a pip install (an sdist may need the full image\'s compiler) keeps the full base',
      dockerfile: 'FROM python:3.12\nCOPY requirements.txt .\nRUN if [ -f requirements.txt ]; then pip install --no-cache-dir -r requirements.txt; fi\n',
      expected: 'FROM python:3.12\nCOPY requirements.txt .\nRUN if [ -f requirements.txt ]; then pip install --no-cache-dir -r requirements.txt; fi\n',
    },
    {
      name: 'SD301: CUDA -devel to -runtime is never applied unrestructured (nvcc may be used)',
      dockerfile: 'FROM nvidia/cuda:12.1.1-cudnn8-devel-ubuntu22.04\nCOPY app.py .\nCMD ["./serve"]\n',
      expected: 'FROM nvidia/cuda:12.1.1-cudnn8-devel-ubuntu22.04\nCOPY app.py .\nCMD ["./serve"]\n',
    },
    {
      name: 'SD405: COPY --chown to a user made before it',
      dockerfile: 'FROM myorg/python-base:1.0\nRUN useradd -m app\nCOPY app.py /srv/app/\nRUN chown -R app:app /srv/app\nUSER app\nCMD ["python", "/srv/app/app.py"]\n',
      expected: 'FROM myorg/python-base:1.0\nRUN useradd -m app\nCOPY --chown=app:app app.py /srv/app/\nUSER app\nCMD ["python", "/srv/app/app.py"]\n',
      note: 'applied the SD405 fix: Use COPY --chown=app:app and drop the chown -R.',
    },
    {
      name: 'SD405: the user is made after the COPY (COPY --chown alone would fail): its RUN moves above the COPY',
      dockerfile: 'FROM myorg/python-base:1.0\nCOPY app.py /srv/app/\nRUN useradd -m app\nRUN chown -R app:app /srv/app\nUSER app\n',
      expected: 'FROM myorg/python-base:1.0\nRUN useradd -m app\nCOPY --chown=app:app app.py /srv/app/\nUSER app\n',
      note: 'applied the SD405 fix: Use COPY --chown=app:app and drop the chown -R; make app before it (line 2).',
    },
    {
      name: 'SD405: the chown covers the WORKDIR: COPY --chown, and the WORKDIR itself chowned without -R',
      dockerfile: 'FROM myorg/python-base:1.0\nRUN useradd -m app\nWORKDIR /srv/app\nCOPY app.py .\nRUN chown -R app:app /srv/app\nUSER app\n',
      expected: 'FROM myorg/python-base:1.0\nRUN useradd -m app\nWORKDIR /srv/app\nCOPY --chown=app:app app.py .\nRUN chown app:app /srv/app\nUSER app\n',
      note: 'applied the SD405 fix: Use COPY --chown=app:app; keep a non-recursive chown of /srv/app.',
    },
    {
      name: 'SD405: the user comes from a build argument declared later',
      dockerfile: 'FROM myorg/python-base:1.0\nCOPY app.py /srv/app/\nARG U=app\nRUN useradd -m ${U}\nRUN chown -R ${U}:${U} /srv/app\n',
      expected: 'FROM myorg/python-base:1.0\nCOPY app.py /srv/app/\nARG U=app\nRUN useradd -m ${U}\nRUN chown -R ${U}:${U} /srv/app\n',
    },
    {
      name: 'SD203: the run-time library instead of the -dev package when nothing after it builds',
      dockerfile: 'FROM python:3.12-slim-bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl libpq-dev && rm -rf /var/lib/apt/lists/*\nCOPY app.py .\nRUN python -c "import app" && useradd -m app\nUSER app\nCMD ["python", "app.py"]\n',
      expected: 'FROM python:3.12-slim-bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl libpq5 && rm -rf /var/lib/apt/lists/*\nCOPY app.py .\nRUN python -c "import app" && useradd -m app\nUSER app\nCMD ["python", "app.py"]\n',
      note: 'applied the SD203 fix: Install libpq5 instead of libpq-dev: the run-time libraries without the toolchain.',
    },
    {
      name: 'SD203: a later pip install (it may compile against the headers) keeps the toolchain',
      dockerfile: 'FROM myorg/python-base:1.0\nRUN apt-get update && apt-get install -y --no-install-recommends curl libpq-dev && rm -rf /var/lib/apt/lists/*\nCOPY requirements.txt .\nRUN if [ -f requirements.txt ]; then pip install --no-cache-dir -r requirements.txt; fi\n',
      expected: 'FROM myorg/python-base:1.0\nRUN apt-get update && apt-get install -y --no-install-recommends curl libpq-dev && rm -rf /var/lib/apt/lists/*\nCOPY requirements.txt .\nRUN if [ -f requirements.txt ]; then pip install --no-cache-dir -r requirements.txt; fi\n',
    },
    {
      // From the corpus (khoj: swig in the base both the builder and the final stage start from).
      name: 'SD203: a stage built on this one compiles (not shipped itself): the toolchain moves there',
      dockerfile: 'FROM myorg/python-base:1.0 AS base\nRUN apt-get update && apt-get install -y --no-install-recommends curl swig libpq-dev && rm -rf /var/lib/apt/lists/*\nFROM base AS deps\nRUN if true; then pip install --no-cache-dir --prefix=/deps psycopg2; fi\nFROM base\nCOPY --from=deps /deps /usr/local\n',
      expected: 'FROM myorg/python-base:1.0 AS base\nRUN apt-get update && apt-get install -y --no-install-recommends curl libpq5 && rm -rf /var/lib/apt/lists/*\nFROM base AS deps\nRUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends swig libpq-dev && rm -rf /var/lib/apt/lists/*\nRUN if true; then pip install --no-cache-dir --prefix=/deps psycopg2; fi\nFROM base\nCOPY --from=deps /deps /usr/local\n',
      note: 'applied the SD203 fix: Install libpq5 here and move swig libpq-dev to the stage built on it (deps): the toolchain only where it builds.',
    },
    {
      name: 'SD203: the toolchain would move to the builder, but the shipped stage compiles too: it stays',
      dockerfile: 'FROM myorg/python-base:1.0 AS base\nRUN apt-get update && apt-get install -y --no-install-recommends curl libpq-dev && rm -rf /var/lib/apt/lists/*\nFROM base AS deps\nRUN if true; then pip install --no-cache-dir --prefix=/deps psycopg2; fi\nFROM base\nCOPY --from=deps /deps /usr/local\nRUN if true; then pip install --no-cache-dir psycopg2-pool; fi\n',
      expected: 'FROM myorg/python-base:1.0 AS base\nRUN apt-get update && apt-get install -y --no-install-recommends curl libpq-dev && rm -rf /var/lib/apt/lists/*\nFROM base AS deps\nRUN if true; then pip install --no-cache-dir --prefix=/deps psycopg2; fi\nFROM base\nCOPY --from=deps /deps /usr/local\nRUN if true; then pip install --no-cache-dir psycopg2-pool; fi\n',
    },
    {
      // From the corpus (kserve's CPU server): update-alternatives would fail without gcc-12.
      name: 'SD203: a later instruction names a package the fix takes out: the toolchain stays',
      dockerfile: 'FROM myorg/python-base:1.0 AS base\nRUN apt-get update && apt-get install -y --no-install-recommends curl gcc-12 && rm -rf /var/lib/apt/lists/*\nRUN update-alternatives --install /usr/bin/gcc gcc /usr/bin/gcc-12 10\nFROM base AS deps\nRUN if true; then pip install --no-cache-dir --prefix=/deps psycopg2; fi\nFROM base\nCOPY --from=deps /deps /usr/local\n',
      expected: 'FROM myorg/python-base:1.0 AS base\nRUN apt-get update && apt-get install -y --no-install-recommends curl gcc-12 && rm -rf /var/lib/apt/lists/*\nRUN update-alternatives --install /usr/bin/gcc gcc /usr/bin/gcc-12 10\nFROM base AS deps\nRUN if true; then pip install --no-cache-dir --prefix=/deps psycopg2; fi\nFROM base\nCOPY --from=deps /deps /usr/local\n',
    },
    {
      name: 'SD203: ENV CC naming the compiler the run-time fix drops: the toolchain stays',
      dockerfile: 'FROM python:3.12-slim-bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl gcc libpq-dev && rm -rf /var/lib/apt/lists/*\nENV CC=gcc\nCOPY app.py .\nCMD ["python", "app.py"]\n',
      expected: 'FROM python:3.12-slim-bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl gcc libpq-dev && rm -rf /var/lib/apt/lists/*\nENV CC=gcc\nCOPY app.py .\nCMD ["python", "app.py"]\n',
    },
    {
      // From the corpus (nickjj/docker-flask-example, changedetection.io): app CLIs run like `python manage.py`.
      name: 'SD203: a later pybabel or flask command compiles nothing: the run-time library instead',
      dockerfile: 'FROM python:3.12-slim-bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl libpq-dev && rm -rf /var/lib/apt/lists/*\nCOPY . .\nRUN pybabel compile -d app/translations && SECRET_KEY=dummy flask digest compile\nCMD ["gunicorn", "app:app"]\n',
      expected: 'FROM python:3.12-slim-bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl libpq5 && rm -rf /var/lib/apt/lists/*\nCOPY . .\nRUN pybabel compile -d app/translations && SECRET_KEY=dummy flask digest compile\nCMD ["gunicorn", "app:app"]\n',
      note: 'applied the SD203 fix: Install libpq5 instead of libpq-dev: the run-time libraries without the toolchain.',
    },
    {
      // From the corpus (nautobot: `pip install --no-deps /source/dist/*.whl` in the final stage).
      name: 'SD203: a later install of built wheels without their dependencies compiles nothing: the run-time library instead',
      dockerfile: 'FROM python:3.12-slim-bookworm AS base\nRUN apt-get update && apt-get install -y --no-install-recommends curl libpq-dev && rm -rf /var/lib/apt/lists/*\nFROM base\nCOPY dist/ /dist/\nRUN if true; then pip install --no-cache-dir --no-deps /dist/*.whl; fi\nCMD ["gunicorn", "app:app"]\n',
      expected: 'FROM python:3.12-slim-bookworm AS base\nRUN apt-get update && apt-get install -y --no-install-recommends curl libpq5 && rm -rf /var/lib/apt/lists/*\nFROM base\nCOPY dist/ /dist/\nRUN if true; then pip install --no-cache-dir --no-deps /dist/*.whl; fi\nCMD ["gunicorn", "app:app"]\n',
      note: 'applied the SD203 fix: Install libpq5 instead of libpq-dev: the run-time libraries without the toolchain.',
    },
    {
      name: 'SD203: a later `--only-binary :all:` install (uv pip too) builds no sdist: the run-time library instead',
      dockerfile: 'FROM python:3.12-slim-bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl libpq-dev && rm -rf /var/lib/apt/lists/*\nCOPY requirements.txt .\nRUN if true; then uv pip install --system --only-binary :all: -r requirements.txt; fi\n',
      expected: 'FROM python:3.12-slim-bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl libpq5 && rm -rf /var/lib/apt/lists/*\nCOPY requirements.txt .\nRUN if true; then uv pip install --no-cache --system --only-binary :all: -r requirements.txt; fi\n',
      note: 'applied the SD203 fix: Install libpq5 instead of libpq-dev: the run-time libraries without the toolchain.',
    },
    {
      name: 'SD203: wheels installed with their dependencies (an sdist may come with them): the toolchain stays',
      dockerfile: 'FROM python:3.12-slim-bookworm AS base\nRUN apt-get update && apt-get install -y --no-install-recommends curl libpq-dev && rm -rf /var/lib/apt/lists/*\nFROM base\nCOPY dist/ /dist/\nRUN if true; then pip install --no-cache-dir /dist/*.whl; fi\n',
      expected: 'FROM python:3.12-slim-bookworm AS base\nRUN apt-get update && apt-get install -y --no-install-recommends curl libpq-dev && rm -rf /var/lib/apt/lists/*\nFROM base\nCOPY dist/ /dist/\nRUN if true; then pip install --no-cache-dir /dist/*.whl; fi\n',
    },
    {
      name: 'SD203: a start-up command that runs pip (it may compile what it installs): the toolchain stays',
      dockerfile: 'FROM python:3.12-slim-bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl libpq-dev && rm -rf /var/lib/apt/lists/*\nCOPY app.py .\nCMD ["sh", "-c", "python -m pip install psycopg2 && python app.py"]\n',
      expected: 'FROM python:3.12-slim-bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl libpq-dev && rm -rf /var/lib/apt/lists/*\nCOPY app.py .\nCMD ["sh", "-c", "python -m pip install psycopg2 && python app.py"]\n',
    },
    {
      name: 'SD203: a script slimdock cannot read runs later: the toolchain stays',
      dockerfile: 'FROM python:3.12-slim-bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl libpq-dev && rm -rf /var/lib/apt/lists/*\nCOPY app.py build.sh ./\nRUN bash ./build.sh\nCMD ["python", "app.py"]\n',
      expected: 'FROM python:3.12-slim-bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl libpq-dev && rm -rf /var/lib/apt/lists/*\nCOPY app.py build.sh ./\nRUN bash ./build.sh\nCMD ["python", "app.py"]\n',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = run(c.dockerfile);
      assert.equal(r.restructured, false, r.notes.join('\n'));
      assert.equal(r.text, c.expected, r.notes.join('\n'));
      if (c.note) {
        assert.ok(r.notes.includes(c.note), r.notes.join('\n'));
        assert.match(r.notes[0], /^could not restructure: .+; applied (.+ and )?1 preferred fix \(SD\d+\)\.$/);
      } else assert.ok(!r.notes.some((n) => /preferred fix|applied the SD/.test(n)), r.notes.join('\n'));
      // Idempotent: a second Optimize changes nothing.
      const again = run(r.text);
      assert.equal(again.text, r.text);
    });
  }
});
