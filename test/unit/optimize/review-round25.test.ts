// Optimize and the rules it relies on: what review round 25 found (a review of round 24, and
// uv/Alpine/multi-stage applications). Each case failed before its fix.
import assert from 'node:assert/strict';
import { buildModel, argDeclarations } from '../../../server/src/engine/parse/dockerfile';
import { check } from '../../helpers';
import { run, split, REQS, TAIL } from './review-helpers';

const UV_PROJECT = {
  'pyproject.toml': '[project]\nname = "scraper"\nversion = "0.1.0"\nrequires-python = ">=3.12"\ndependencies = ["httpx"]\n[project.scripts]\nscraper = "scraper:main"\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
  'uv.lock': 'version = 1\nrequires-python = ">=3.12"\n\n[[package]]\nname = "scraper"\nversion = "0.1.0"\nsource = { editable = "." }\ndependencies = [{ name = "httpx" }]\n\n[package.metadata]\nrequires-dist = [{ name = "httpx" }]\n\n[[package]]\nname = "httpx"\nversion = "0.27.2"\nsource = { registry = "https://pypi.org/simple" }\n',
  'src/scraper/__init__.py': 'def main(): pass\n',
};

describe('optimize: found by review, round 25', () => {
  it('drops a chown of the venv made before its installs even where another stage ran pip wheel first', () => {
    const r = run('FROM python:3.11 AS builder\nWORKDIR /build\nCOPY requirements.txt .\nRUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt\n\nFROM python:3.11-slim\nRUN useradd --create-home app\nRUN python -m venv /opt/venv && chown -R app:app /opt/venv\nENV PATH=/opt/venv/bin:$PATH\nCOPY --from=builder /wheels /wheels\nRUN pip install --no-cache-dir /wheels/* && rm -rf /wheels\nWORKDIR /app\nCOPY . .\nUSER app\nCMD ["python", "app.py"]\n', REQS);
    assert.equal(r.restructured, true, r.notes.join('\n'));
    const { final } = split(r.text);
    assert.doesNotMatch(final, /chown -R app:app \/opt\/venv/);
    assert.match(final, /^COPY --from=uv-builder --chown=app(:app)? \/opt\/venv \/opt\/venv$/m, r.text);
  });

  it('keeps a venv at its path where a kept chown -R names it, or a start-up script or a relative CMD does', () => {
    const project = { 'pyproject.toml': '[project]\nname = "svc"\nversion = "1"\ndependencies = ["gunicorn"]\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n', 'svc/__init__.py': '' };
    const own = run('FROM python:3.12-slim\nRUN python -m venv /venv\nENV PATH="/venv/bin:$PATH"\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\nRUN groupadd -r web && useradd -r -g web web && chown -R web:web /venv\nUSER web\nCMD ["gunicorn", "svc.wsgi:app"]\n', project);
    assert.equal(own.restructured, true, own.notes.join('\n'));
    assert.match(split(own.text).builder, /^ENV UV_PROJECT_ENVIRONMENT=\/venv$/m);
    assert.ok(!own.notes.some((n) => /stays root's/.test(n)), own.notes.join('\n'));
    const base = 'FROM python:3.11-bookworm\nRUN useradd -m app\nWORKDIR /app\nRUN python -m venv /app/venv\nENV PATH="/app/venv/bin:$PATH"\nCOPY . /app\nRUN pip install --no-cache-dir /app\nRUN chown -R app:app /app\nUSER app\n';
    const script = run(`${base}ENTRYPOINT ["/app/docker/entrypoint.sh"]\n`, { ...project, 'docker/entrypoint.sh': '#!/bin/sh\nset -e\n/app/venv/bin/python -m svc.migrate\nexec /app/venv/bin/gunicorn svc.wsgi:app\n' });
    assert.match(split(script.text).builder, /^ENV UV_PROJECT_ENVIRONMENT=\/app\/venv$/m, script.notes.join('\n'));
    const relative = run(`${base}CMD ["venv/bin/gunicorn", "svc.wsgi:app"]\n`, project);
    assert.match(split(relative.text).builder, /^ENV UV_PROJECT_ENVIRONMENT=\/app\/venv$/m, relative.notes.join('\n'));
  });

  it('rules read a start-up script copied to a name or into a folder, and a requirements file through the COPY that brought it', () => {
    const git = check('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCOPY docker/docker-entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n', { 'docker/docker-entrypoint.sh': '#!/bin/sh\nexport RELEASE=$(git rev-parse --short HEAD)\nexec "$@"\n', '.git/HEAD': 'ref: refs/heads/main\n' });
    assert.ok(!git.some((f) => f.rule === 'SD402'), git.map((f) => f.rule).join());
    const torch = check('FROM python:3.12-slim\nWORKDIR /srv\nCOPY backend/ .\nRUN pip install --no-cache-dir -r requirements.txt\n', { 'backend/requirements.txt': 'torch==2.3.1\n', 'requirements.txt': 'mkdocs\n' });
    assert.ok(torch.some((f) => f.rule === 'SD107'), torch.map((f) => f.rule).join());
    const swapped = check('FROM python:3.12-slim\nWORKDIR /srv\nCOPY backend/ .\nRUN pip install --no-cache-dir -r requirements.txt\n', { 'backend/requirements.txt': 'mkdocs\n', 'requirements.txt': 'torch==2.3.1\n' });
    assert.ok(!swapped.some((f) => f.rule === 'SD107'), swapped.map((f) => f.rule).join());
  });

  it('SD107 is silent where the CUDA libraries are named themselves, and offers no index fix under hashes', () => {
    const named = check('FROM python:3.12-slim\nCOPY requirements.txt /tmp/\nRUN pip install --no-cache-dir -r /tmp/requirements.txt\n', { 'requirements.txt': 'torch==2.5.1\nnvidia-cudnn-cu12==9.1.0.70\n' });
    assert.ok(!named.some((f) => f.rule === 'SD107'));
    const hashed = check('FROM python:3.12-slim\nCOPY requirements.txt /tmp/\nRUN pip install --no-cache-dir --require-hashes -r /tmp/requirements.txt\n', { 'requirements.txt': 'torch==2.5.1 --hash=sha256:abc\n' }).filter((f) => f.rule === 'SD107');
    assert.equal(hashed.length, 1);
    assert.equal(hashed[0].fixes.length, 0);
  });

  it('says a venv made with python3 -m venv below Python 3.12 had setuptools', () => {
    const r = run('FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv && rm -rf /var/lib/apt/lists/*\nRUN python3 -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\n' + TAIL, REQS);
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.ok(r.notes.some((n) => /made with python3 -m venv on Python 3\.10, had setuptools/.test(n)), r.notes.join('\n'));
  });

  it('rewrites bash -c of an install and its cache cleanup', () => {
    const r = run('FROM python:3.11\nWORKDIR /app\nCOPY requirements.txt .\nRUN bash -c "pip install --no-cache-dir -r requirements.txt && rm -rf /root/.cache/pip"\nCOPY . .\nCMD ["python", "app.py"]\n', REQS);
    assert.equal(r.restructured, true, r.notes.join('\n'));
  });

  it('refuses pip options held in a variable (ARG PIP_OPTS="--prefer-binary"), and reads a quoted default with blanks on an ARG of several names', () => {
    const model = buildModel('FROM python\nARG BUILD_ENV PIP_OPTS="--no-cache-dir --prefer-binary" EXTRAS=server\n');
    assert.deepEqual(argDeclarations(model.instructions[1]).map((d) => [d.name, d.value]), [['BUILD_ENV', null], ['PIP_OPTS', '--no-cache-dir --prefer-binary'], ['EXTRAS', 'server']]);
    const r = run('FROM python:3.12\nARG PIP_OPTS="--no-cache-dir --prefer-binary"\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install $PIP_OPTS -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n', REQS);
    assert.equal(r.restructured, false);
    assert.match(r.notes[0], /\$PIP_OPTS holds pip options/);
  });

  it('refuses to drop `uv run` where it installed the project at start-up (every sync had --no-install-project)', () => {
    const r = run('FROM python:3.12-slim-bookworm\nCOPY --from=ghcr.io/astral-sh/uv:0.7.2 /uv /uvx /bin/\nWORKDIR /app\nRUN --mount=type=cache,target=/root/.cache/uv --mount=type=bind,source=uv.lock,target=uv.lock --mount=type=bind,source=pyproject.toml,target=pyproject.toml uv sync --locked --no-install-project --no-dev\nCOPY . /app\nCMD ["uv", "run", "--no-dev", "scraper"]\n', UV_PROJECT);
    assert.equal(r.restructured, false, r.text);
    assert.match(r.notes[0], /installed the project at start-up/);
  });

  it('keeps uv\'s own options of a uv pip install, and mounts the files --override and --build-constraint name', () => {
    const files = { ...REQS, 'overrides.txt': 'httpx==0.27.2\n', 'build-constraints.txt': 'setuptools<70\n' };
    const r = run('FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.7.2 /uv /uvx /bin/\nWORKDIR /app\nCOPY requirements.txt overrides.txt build-constraints.txt ./\nRUN uv pip install --system --no-cache --resolution lowest-direct --prerelease=allow --exclude-newer 2024-12-01 --override overrides.txt --build-constraint build-constraints.txt -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n', files);
    assert.equal(r.restructured, true, r.notes.join('\n'));
    const { builder } = split(r.text);
    assert.match(builder, /--resolution lowest-direct --prerelease allow --exclude-newer 2024-12-01/);
    assert.match(builder, /--mount=type=bind,source=overrides\.txt,target=\/app\/overrides\.txt/);
    assert.match(builder, /--mount=type=bind,source=build-constraints\.txt,target=\/app\/build-constraints\.txt/);
    assert.ok(!r.notes.some((n) => /no uv equivalent/.test(n)), r.notes.join('\n'));
  });
  it('system mode falls back to the venv layout where pip wheel cannot follow uv (-r pyproject.toml, UV_RESOLUTION/UV_EXCLUDE_NEWER, --resolution)', () => {
    const project = { 'pyproject.toml': '[project]\nname = "a"\nversion = "1"\ndependencies = ["psycopg2==2.9.10"]\n', 'app.py': '' };
    const uv = 'COPY --from=ghcr.io/astral-sh/uv:0.7.2 /uv /uvx /bin/\n';
    const cases: [string, Record<string, string>][] = [
      [`FROM python:3.12\n${uv}WORKDIR /app\nCOPY pyproject.toml .\nRUN uv pip install --system --no-cache -r pyproject.toml\nCOPY . .\nCMD ["python", "app.py"]\n`, project],
      [`FROM python:3.12\n${uv}ENV UV_RESOLUTION=lowest-direct\n${TAIL.replace('pip install --no-cache-dir', 'uv pip install --system --no-cache')}`, REQS],
      [`FROM python:3.12\n${uv}${TAIL.replace('pip install --no-cache-dir', 'uv pip install --system --no-cache --exclude-newer 2024-12-01')}`, REQS],
    ];
    for (const [df, files] of cases) {
      const r = run(df, files, { mode: 'system' });
      assert.equal(r.restructured, true, r.notes.join('\n'));
      assert.doesNotMatch(r.text, /pip wheel/, df);
      assert.ok(r.notes.some((n) => /system mode: line \d+ (uses|installs under)/.test(n)), r.notes.join('\n'));
    }
  });

  it('refuses ENV UV_CONSTRAINT naming a file of the image, which the builder would not have', () => {
    const r = run('FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.7.2 /uv /uvx /bin/\nENV UV_SYSTEM_PYTHON=1 UV_CONSTRAINT=/app/constraints.txt\nWORKDIR /app\nCOPY requirements.txt constraints.txt ./\nRUN uv pip install --no-cache -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n', { ...REQS, 'constraints.txt': 'flask<4\n' });
    assert.equal(r.restructured, false, r.text);
    assert.match(r.notes[0], /UV_CONSTRAINT=\/app\/constraints\.txt names a file of the image/);
  });
  it('where the SD405 fix makes the app user before the environment\'s COPY, the COPY takes the owner the chown -R gave', () => {
    const r = run('FROM python:3.12-bookworm\nCOPY --from=ghcr.io/astral-sh/uv:0.6.10 /uv /uvx /bin/\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen --no-dev\nENV PATH="/app/.venv/bin:$PATH"\nRUN useradd -r -u 999 app && chown -R app /app\nUSER app\nCMD ["scraper"]\n', UV_PROJECT);
    assert.equal(r.restructured, true, r.notes.join('\n'));
    const { final } = split(r.text);
    assert.match(final, /^COPY --from=builder --chown=app \/opt\/venv \/opt\/venv$/m, r.text);
    assert.ok(final.indexOf('useradd') < final.indexOf('COPY --from=builder'), final);
    assert.ok(!r.notes.some((n) => /stays root's/.test(n)), r.notes.join('\n'));
  });
  describe('round 26 (a review of round 25)', () => {
    const uv = 'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.7.2 /uv /uvx /bin/\nWORKDIR /app\n';
    it('keeps uv\'s long option names with their files (--requirements, --constraints) and mounts them', () => {
      const r = run(`${uv}COPY requirements.txt constraints.txt ./\nRUN uv pip install --system --no-cache --requirements requirements.txt --constraints constraints.txt\nCOPY . .\nCMD ["python", "app.py"]\n`, { ...REQS, 'constraints.txt': 'flask<4\n' });
      assert.equal(r.restructured, true, r.notes.join('\n'));
      assert.match(r.text, /^ {4}uv pip install -r requirements\.txt -c constraints\.txt$/m);
      assert.match(r.text, /--mount=type=bind,source=constraints\.txt,target=\/app\/constraints\.txt/);
    });

    it('a uv settings or exclusions file (--config-file, --excludes) stays in place in system mode and is refused for the venv builder', () => {
      const df = `${uv}COPY requirements.txt uv.toml ./\nRUN uv pip install --no-cache --system --config-file uv.toml -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n`;
      const files = { ...REQS, 'uv.toml': 'index-url = "https://pypi.org/simple"\n' };
      const system = run(df, files, { mode: 'system' });
      assert.equal(system.restructured, true, system.notes.join('\n'));
      assert.match(system.text, /uv pip install --system --config-file uv\.toml -r requirements\.txt$/m);
      const venv = run(df, files);
      assert.equal(venv.restructured, false);
      assert.match(venv.notes[0], /--config-file names a file \(uv\.toml\)/);
    });

    it('drops `uv run` after --no-install-project syncs where the project is virtual (no [build-system]): it is never installed', () => {
      const project = { ...UV_PROJECT, 'pyproject.toml': UV_PROJECT['pyproject.toml'].replace(/\[build-system\][^]*$/, ''), 'uv.lock': UV_PROJECT['uv.lock'].replace('source = { editable = "." }', 'source = { virtual = "." }') };
      const r = run('FROM python:3.12-slim-bookworm\nCOPY --from=ghcr.io/astral-sh/uv:0.7.2 /uv /uvx /bin/\nWORKDIR /app\nRUN --mount=type=cache,target=/root/.cache/uv --mount=type=bind,source=uv.lock,target=uv.lock --mount=type=bind,source=pyproject.toml,target=pyproject.toml uv sync --frozen --no-install-project --no-dev\nCOPY . /app\nCMD ["uv", "run", "python", "-m", "scraper"]\n', project);
      assert.equal(r.restructured, true, r.notes.join('\n'));
      assert.match(split(r.text).final, /^CMD \["python", "-m", "scraper"\]$/m);
    });
  });
});
