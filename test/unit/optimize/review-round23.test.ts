// Optimize: what review round 23 found (build arguments and Dockerfile syntax around the installs;
// what the final image needs at run time). Each case failed before its fix.
import assert from 'node:assert/strict';
import { buildModel } from '../../../server/src/engine/parse/dockerfile';
import type { OptimizeResult } from '../../../server/src/engine/optimize';
import { check } from '../../helpers';
import { run, split, REQS, TAIL } from './review-helpers';

describe('optimize: found by review, round 23', () => {
  describe('build arguments', () => {
    it('reads every name of an ARG line that declares several (the model, then the slim tag)', () => {
      const model = buildModel('ARG PY=3.12 DEBIAN=bookworm\nFROM python:${PY}-${DEBIAN}\nARG A=1 B=${A} C\nRUN true\n');
      assert.equal(model.stages[0].image, 'python:3.12-bookworm');
      const run_ = model.instructions.find((i) => i.keyword === 'RUN')!;
      assert.equal(run_.env.get('A'), '1');
      // BuildKit expands the instruction before it declares: B reads the A before this line.
      assert.notEqual(run_.env.get('B'), '1');
      const r = run('ARG PYTHON_VERSION=3.12 DEBIAN_VERSION=bookworm\nFROM python:${PYTHON_VERSION}-${DEBIAN_VERSION}\n' + TAIL, REQS);
      assert.equal(r.restructured, true, r.notes.join('\n'));
      assert.match(split(r.text).final, /^FROM python:\$\{PYTHON_VERSION\}-slim-\$\{DEBIAN_VERSION\}$/m);
    });

    it('hands on pip settings from an ARG line that declares several', () => {
      const r = run('FROM python:3.11-slim-bookworm\nARG PIP_INDEX_URL=https://nexus.acme.local/simple PIP_TRUSTED_HOST=nexus.acme.local\n' + TAIL, REQS);
      assert.equal(r.restructured, true, r.notes.join('\n'));
      assert.match(split(r.text).builder, /UV_INDEX_URL=\$\{PIP_INDEX_URL\}/);
      assert.match(split(r.text).builder, /UV_INSECURE_HOST=\$\{PIP_TRUSTED_HOST\}/);
    });

    it('a whole image in a build argument (FROM ${BASE_IMAGE}) gets no `:slim` appended: both stages name the default\'s images', () => {
      for (const from of ['ARG BASE_IMAGE=python:3.11-bookworm\nFROM ${BASE_IMAGE}\n', 'ARG PYTHON_IMAGE=python:3.11\nFROM $PYTHON_IMAGE AS base\n']) {
        const r = run(from + TAIL, REQS);
        assert.equal(r.restructured, true, r.notes.join('\n'));
        assert.doesNotMatch(r.text, /:slim\b/, r.text);
        assert.match(split(r.text).final, /^FROM python:3\.11-slim(-bookworm)?( AS base)?$/m, r.text);
        assert.ok(r.notes.some((n) => /no longer applies/.test(n)), r.notes.join('\n'));
      }
    });

    it('ARG PIP_EXTRA_INDEX_URL re-exported by an ENV of the same name stays a build argument (not its default)', () => {
      const df = 'FROM python:3.12-slim\nARG PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu\nENV PIP_EXTRA_INDEX_URL=${PIP_EXTRA_INDEX_URL} PIP_NO_CACHE_DIR=1\n' + TAIL;
      const venv = run(df, REQS);
      assert.equal(venv.restructured, true, venv.notes.join('\n'));
      assert.match(split(venv.text).builder, /UV_EXTRA_INDEX_URL="\$\{PIP_EXTRA_INDEX_URL\}"/);
      assert.doesNotMatch(split(venv.text).builder, /UV_EXTRA_INDEX_URL=https/);
      const system = run(df.replace(/EXTRA_INDEX_URL/g, 'INDEX_URL').replace('download.pytorch.org/whl/cpu', 'pypi.org/simple'), REQS, { mode: 'system' });
      assert.equal(system.restructured, true, system.notes.join('\n'));
      assert.match(system.text, /UV_INDEX_URL="\$\{PIP_INDEX_URL\}"/, system.text);
    });

    it('an extra from a build argument (".[${DB_EXTRA}]") is its default; one it cannot read counts every extra', () => {
      const project = '[project]\nname = "app"\nversion = "1"\ndependencies = ["flask"]\n[project.optional-dependencies]\npostgres = ["psycopg2>=2.9"]\n[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n';
      const df = (arg: string) => `FROM python:3.12-bookworm\n${arg}\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir ".[\${DB_EXTRA}]"\nCMD ["app"]\n`;
      for (const arg of ['ARG DB_EXTRA=postgres', 'ARG DB_EXTRA']) {
        const r = run(df(arg), { 'pyproject.toml': project });
        assert.equal(r.restructured, true, r.notes.join('\n'));
        assert.match(split(r.text).final, /libpq5/, arg);
      }
      const none = run(df('ARG DB_EXTRA=mysql'), { 'pyproject.toml': project });
      assert.doesNotMatch(split(none.text).final, /libpq5/);
    });

    it('reads setup.py extras_require and setup.cfg [options.extras_require] for the chosen extras', () => {
      const setupPy = 'from setuptools import setup\nsetup(\n    name="app",\n    install_requires=["flask"],\n    extras_require={\n        "dev": ["pytest"],\n        "postgres": ["psycopg2>=2.9", "sqlalchemy"],\n    },\n)\n';
      const setupCfg = '[metadata]\nname = app\n\n[options]\ninstall_requires =\n    flask\n\n[options.extras_require]\npostgres =\n    psycopg2>=2.9\ndev = pytest\n';
      for (const files of [{ 'setup.py': setupPy }, { 'setup.py': 'from setuptools import setup\nsetup()\n', 'setup.cfg': setupCfg }] as Record<string, string>[]) {
        const df = (extra: string) => `FROM python:3.11-bookworm\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -e ".[${extra}]"\nCMD ["python", "-m", "app"]\n`;
        const r = run(df('postgres'), files);
        assert.equal(r.restructured, true, r.notes.join('\n'));
        assert.match(split(r.text).final, /libpq5/, Object.keys(files).join());
        assert.doesNotMatch(split(run(df('dev'), files).text).final, /libpq5/, Object.keys(files).join());
      }
    });
  });

  describe('Dockerfile syntax', () => {
    it('an exec-form RUN that runs spacy download (or python -m pip) gets pip into the environment', () => {
      const r = run('FROM python:3.10\nWORKDIR /usr/src/app\nCOPY requirements.txt ./\nRUN ["pip", "install", "--no-cache-dir", "-r", "requirements.txt"]\nRUN ["python", "-m", "spacy", "download", "en_core_web_sm"]\nCOPY . .\nCMD ["python", "serve.py"]\n', { 'requirements.txt': 'spacy==3.7.5\n', 'serve.py': '' });
      assert.equal(r.restructured, true, r.notes.join('\n'));
      assert.match(split(r.text).builder, /uv pip install --python \/opt\/venv\/bin\/python pip$/m);
    });

    it('leaves a file pinned to docker/dockerfile 1.0 or 1.1 (no RUN --mount there), but not 1.0-experimental or 1', () => {
      for (const pin of ['docker/dockerfile:1.0', 'docker/dockerfile:1.1.7', 'docker.io/docker/dockerfile:1.1']) {
        const r = run(`# syntax = ${pin}\nFROM python:3.12\n${TAIL}`, REQS);
        assert.equal(r.changed, false, pin);
        assert.match(r.notes[0], /no RUN --mount/, pin);
      }
      for (const pin of ['docker/dockerfile:1.0-experimental', 'docker/dockerfile:1', 'docker/dockerfile:1.2']) {
        const r = run(`# syntax=${pin}\nFROM python:3.12\n${TAIL}`, REQS);
        assert.equal(r.restructured, true, `${pin}: ${r.notes.join('\n')}`);
        assert.match(r.text, new RegExp(`^# syntax=${pin.replace(/[.]/g, '\\.')}\\n`), pin);
      }
    });
  });
  describe('what the final image needs at run time', () => {
    it('drops a chown of the environment the builder makes now, and copies it with that owner (and group)', () => {
      const tail = 'ENV PATH=/opt/venv/bin:$PATH\nUSER app\nWORKDIR /home/app\nCOPY --chown=app requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY --chown=app . .\nCMD ["python", "main.py"]\n';
      for (const head of ['RUN useradd -m app && python -m venv /opt/venv && chown -R app:app /opt/venv\n', 'RUN python -m venv /opt/venv\nRUN useradd -m app && chown -R app:app /opt/venv\n']) {
        const r = run(`FROM python:3.12\n${head}${tail}`, { 'requirements.txt': 'flask\n', 'main.py': '' });
        assert.equal(r.restructured, true, r.notes.join('\n'));
        const { final } = split(r.text);
        assert.doesNotMatch(final, /chown -R app:app \/opt\/venv/, r.text);
        assert.match(final, /^RUN useradd -m app$/m);
        assert.match(final, /^COPY --from=builder --chown=app:app \/opt\/venv \/opt\/venv$/m);
      }
      const numeric = run('FROM python:3.12-bookworm\nENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH\nRUN python -m venv $VIRTUAL_ENV && chown -R 1001:0 $VIRTUAL_ENV && mkdir /app && chown 1001:0 /app\nUSER 1001\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python", "main.py"]\n', { 'requirements.txt': 'flask\n', 'main.py': '' });
      assert.equal(numeric.restructured, true, numeric.notes.join('\n'));
      assert.match(split(numeric.text).final, /^RUN mkdir \/app && chown 1001:0 \/app$/m);
      assert.match(split(numeric.text).final, /^COPY --from=builder --chown=1001:0 \/opt\/venv \/opt\/venv$/m);
    });

    it('adds no .dockerignore entry that would leave out what a COPY names (a .venv from CI, a folder of .pyc files)', () => {
      const venv = run('FROM python:3.11\nWORKDIR /app\nCOPY .venv /app/.venv\nRUN pip install --no-cache-dir gunicorn==21.2.0\nCOPY app/ app/\nCMD ["gunicorn", "app.wsgi"]\n', { '.venv/pyvenv.cfg': 'home = /usr/local/bin\n', 'app/wsgi.py': '' });
      assert.equal(venv.restructured, true, venv.notes.join('\n'));
      const ignoreOf = (r: OptimizeResult) => r.otherFiles.map((f) => f.edits.map((e) => e.newText).join('')).join('');
      assert.doesNotMatch(ignoreOf(venv), /\.venv/);
      assert.match(ignoreOf(venv), /__pycache__/);
      const pyc = run('FROM python:3.11\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY dist/ /app/\nCMD ["python", "/app/main.pyc"]\n', { 'requirements.txt': 'flask\n', 'dist/main.pyc': 'x', 'dist/util.pyc': 'x' });
      assert.equal(pyc.restructured, true, pyc.notes.join('\n'));
      assert.doesNotMatch(ignoreOf(pyc), /\*\.pyc/);
      assert.match(ignoreOf(pyc), /\.venv/);
    });

    it('keeps a COPY of a secret-like file (.env) that COPY . . repeats: SD403\'s fix would otherwise leave it out of the image', () => {
      const r = run('FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY .env .env\nCOPY . .\nCMD ["python", "-m", "bot"]\n', { 'requirements.txt': 'flask\n', '.env': 'TOKEN=x\n', 'bot/__main__.py': '' });
      assert.equal(r.restructured, true, r.notes.join('\n'));
      assert.match(split(r.text).final, /^COPY \.env \.env$/m);
      assert.doesNotMatch(r.otherFiles.map((f) => f.edits.map((e) => e.newText).join('')).join(''), /^\.env$/m);
    });
    it('SD403 leaves out no secret-like file that the ENTRYPOINT\'s script reads at start-up', () => {
      const df = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["/app/docker-entrypoint.sh"]\nCMD ["python", "main.py"]\n';
      const files = { '.env.production': 'A=1\n', '.env.local': 'B=2\n', 'main.py': '', 'docker-entrypoint.sh': '#!/bin/sh\nif [ -f /app/.env.production ]; then\n  . /app/.env.production\nfi\nexec "$@"\n' };
      const [f] = check(df, files).filter((x) => x.rule === 'SD403');
      assert.ok(f, 'SD403 fires');
      const text = (f.fixes[0].otherFiles ?? []).flatMap((o) => o.edits.map((e) => e.newText)).join('');
      assert.match(text, /\.env\.local/);
      assert.doesNotMatch(text, /\.env\.production|\.env\.\*/);
    });
    it('a project pip-installed into an environment the old file made stays there (start-up scripts and HEALTHCHECKs name it)', () => {
      const project = '[project]\nname = "mycli"\nversion = "1"\ndependencies = ["click"]\n[project.scripts]\nmycli = "mycli:main"\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n';
      const r = run('FROM python:3.11-bookworm\nENV VIRTUAL_ENV=/opt/venv\nRUN python -m venv $VIRTUAL_ENV\nENV PATH="$VIRTUAL_ENV/bin:$PATH"\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\nHEALTHCHECK CMD ["/opt/venv/bin/python", "-c", "import mycli"]\nCMD ["mycli", "serve"]\n', { 'pyproject.toml': project, 'mycli/__init__.py': '' });
      assert.equal(r.restructured, true, r.notes.join('\n'));
      const { builder, final } = split(r.text);
      assert.match(builder, /^ENV UV_PROJECT_ENVIRONMENT=\/opt\/venv$/m);
      assert.match(final, /^COPY --from=builder \/opt\/venv \/opt\/venv$/m);
      assert.doesNotMatch(final, /\/app\/\.venv/);
    });

    it('SD301 offers no fix that appends :slim to a whole image in a build argument', () => {
      const [f] = check('ARG BASE_IMAGE=python:3.11-bookworm\nFROM ${BASE_IMAGE}\nCMD ["python"]\n').filter((x) => x.rule === 'SD301');
      assert.ok(f, 'SD301 fires');
      assert.equal(f.fixes.length, 0);
    });
    it('ansible (its ssh connection) gets openssh-client on the slim final stage', () => {
      const r = run('FROM python:3.12\nRUN pip install --no-cache-dir ansible-core==2.16.5 jmespath\nWORKDIR /ansible\nCOPY playbooks/ playbooks/\nENTRYPOINT ["ansible-playbook"]\n', { 'playbooks/site.yml': '' });
      assert.equal(r.restructured, true, r.notes.join('\n'));
      assert.match(split(r.text).final, /apt-get install -y --no-install-recommends openssh-client/);
    });

    it('keeps the version poetry\'s installer was pinned to (--version on its command line)', () => {
      const files = { 'pyproject.toml': '[tool.poetry]\nname = "a"\nversion = "1"\n[tool.poetry.dependencies]\npython = "^3.11"\nflask = "*"\n', 'poetry.lock': '# lock\n', 'a/__init__.py': '' };
      const r = run('FROM python:3.11\nRUN curl -sSL https://install.python-poetry.org | python3 - --version 1.8.3\nENV PATH="/root/.local/bin:$PATH"\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nRUN poetry config virtualenvs.create false && poetry install --no-root --only main --no-interaction\nCOPY . .\nCMD ["python", "-m", "a"]\n', files);
      assert.equal(r.restructured, true, r.notes.join('\n'));
      assert.match(split(r.text).builder, /uv pip install --system poetry==1\.8\.3$/m);
    });
    it('an environment moved out of a folder a chown -R gave to the app user is copied with that owner (where the user exists by then)', () => {
      const project = '[project]\nname = "api"\nversion = "1"\nrequires-python = ">=3.12"\ndependencies = ["flask"]\n';
      const lock = 'version = 1\nrequires-python = ">=3.12"\n\n[[package]]\nname = "api"\nversion = "1"\nsource = { virtual = "." }\ndependencies = [{ name = "flask" }]\n\n[package.metadata]\nrequires-dist = [{ name = "flask" }]\n\n[[package]]\nname = "flask"\nversion = "3.1.0"\nsource = { registry = "https://pypi.org/simple" }\n';
      const files = { 'pyproject.toml': project, 'uv.lock': lock, 'api/__init__.py': '' };
      const head = 'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5.11 /uv /uvx /bin/\n';
      const before = run(`${head}RUN useradd -m app\nWORKDIR /app\nCOPY . .\nRUN uv sync --frozen --no-dev\nRUN chown -R app:app /app\nUSER app\nCMD ["python", "-m", "api"]\n`, files);
      assert.equal(before.restructured, true, before.notes.join('\n'));
      assert.match(split(before.text).final, /^COPY --from=builder --chown=app:app \/opt\/venv \/opt\/venv$/m);
      const after = run(`${head}WORKDIR /app\nCOPY . .\nRUN uv sync --frozen --no-dev\nRUN useradd -m app && chown -R app:app /app\nUSER app\nCMD ["python", "-m", "api"]\n`, files);
      assert.equal(after.restructured, true, after.notes.join('\n'));
      // The SD405 fix makes app before the environment's COPY, which then takes the owner (review round 25).
      assert.match(split(after.text).final, /^COPY --from=builder --chown=app:app \/opt\/venv \/opt\/venv$/m);
      assert.ok(after.notes.some((n) => /the SD405 fix makes app before the environment's COPY/.test(n)), after.notes.join('\n'));
    });
  });
  describe('needless refusals', () => {
    it('rewrites an install a shell runs alone (bash -c "pip install …", ["sh", "-c", …]), and still refuses one among other commands', () => {
      for (const line of ['RUN bash -c "pip install --no-cache-dir -r requirements.txt"', 'RUN ["sh", "-c", "pip install --no-cache-dir -r requirements.txt"]']) {
        for (const mode of ['venv', 'system'] as const) {
          const r = run(`FROM python:3.11\nWORKDIR /app\nCOPY requirements.txt .\n${line}\nCOPY . .\nCMD ["python", "app.py"]\n`, REQS, { mode });
          assert.equal(r.restructured, true, `${line} (${mode}): ${r.notes.join('\n')}`);
          assert.match(r.text, /uv pip install (--system )?(--no-index --find-links \/wheels )?-r "?requirements\.txt"?$/m, r.text);
          assert.doesNotMatch(r.text, /-c "?pip install/);
        }
      }
      const mixed = run('FROM python:3.11\nWORKDIR /app\nCOPY requirements.txt .\nRUN bash -c "source env.sh && pip install -r requirements.txt"\nCOPY . .\nCMD ["python", "app.py"]\n', REQS);
      assert.equal(mixed.restructured, false);
    });

    it('a program downloaded into /usr/local/bin (curl -o …/tini) is no configuration naming it: the venv layout stays', () => {
      const r = run('FROM python:3.12\nRUN curl -fsSL -o /usr/local/bin/tini "https://github.com/krallin/tini/releases/download/v0.19.0/tini-amd64" && chmod +x /usr/local/bin/tini\n' + TAIL.replace('CMD', 'ENTRYPOINT ["/usr/local/bin/tini", "--"]\nCMD'), REQS);
      assert.equal(r.restructured, true, r.notes.join('\n'));
      assert.match(split(r.text).final, /^COPY --from=builder \/opt\/venv \/opt\/venv$/m, r.notes.join('\n'));
      assert.ok(!r.notes.some((n) => /configuration that names/.test(n)), r.notes.join('\n'));
    });

    it('replaces a stage that builds wheels into a folder of its own (--wheel-dir /build/wheels), as it does /wheels', () => {
      const r = run('FROM python:3.12 AS Builder\nWORKDIR /build\nCOPY requirements.txt .\nRUN pip wheel --no-cache-dir --wheel-dir /build/wheels -r requirements.txt\n\nFROM python:3.12 AS Runtime\nWORKDIR /app\nCOPY --from=Builder /build/wheels /wheels\nRUN pip install --no-cache-dir /wheels/* && rm -rf /wheels\nCOPY . .\nCMD ["python", "app.py"]\n', REQS);
      assert.equal(r.restructured, true, r.notes.join('\n'));
      assert.match(split(r.text).final, /^FROM python:3\.12-slim AS Runtime$/m);
      assert.doesNotMatch(r.text, /\/wheels/);
    });
    it('a replaced stage\'s `pip wheel --no-deps` keeps no --no-deps where the final stage installed the wheels with their dependencies', () => {
      const df = (install: string) => `FROM python:3.12-slim AS builder\nWORKDIR /usr/src/app\nCOPY requirements.txt .\nRUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels -r requirements.txt\n\nFROM python:3.12-slim\nWORKDIR /app\nCOPY --from=builder /wheels /wheels\nRUN ${install}\nCOPY . .\nCMD ["python", "app.py"]\n`;
      const withDeps = run(df('pip install --no-cache /wheels/*'), REQS);
      assert.equal(withDeps.restructured, true, withDeps.notes.join('\n'));
      assert.match(withDeps.text, /^ {4}uv pip install -r requirements\.txt$/m, withDeps.text);
      const noDeps = run(df('pip install --no-cache --no-deps /wheels/*'), REQS);
      assert.match(noDeps.text, /^ {4}uv pip install --no-deps -r requirements\.txt$/m, noDeps.text);
    });
  });
  describe('notes', () => {
    it('says setuptools is gone where a distro\'s python3-pip brought it, and not for poetry\'s environments (virtualenv seeds it)', () => {
      const distro = run('FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y --no-install-recommends python3-pip && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip3 install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python3", "app.py"]\n', REQS);
      assert.equal(distro.restructured, true, distro.notes.join('\n'));
      assert.ok(distro.notes.some((n) => /python3-pip, which brings python3-setuptools/.test(n)), distro.notes.join('\n'));
      const files = { 'pyproject.toml': '[tool.poetry]\nname = "a"\nversion = "1"\n[tool.poetry.dependencies]\npython = "^3.11"\nflask = "*"\n', 'poetry.lock': '# lock\n', 'a/__init__.py': '' };
      const poetry = run('FROM python:3.11\nRUN pip install poetry==1.8.2\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nRUN poetry config virtualenvs.create false && poetry install --no-root --only main\nCOPY . .\nCMD ["python", "-m", "a"]\n', files);
      assert.equal(poetry.restructured, true, poetry.notes.join('\n'));
      assert.ok(!poetry.notes.some((n) => /setuptools/.test(n)), poetry.notes.join('\n'));
    });
  });
});
