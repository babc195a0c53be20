// Optimize: what review round 18 found in round 17's changes (regressions and cases they missed).
// Each case failed before its fix.
import assert from 'node:assert/strict';
import { optimize, type OptimizeInput, type OptimizeResult } from '../../../server/src/engine/optimize';
import { memoryFs, CTX } from './golden';

function run(dockerfile: string, files: Record<string, string> = {}, options: Partial<OptimizeInput> = {}): OptimizeResult {
  return optimize({ file: `${CTX}/Dockerfile`, text: dockerfile, fs: memoryFs({ ...files, Dockerfile: dockerfile }), root: CTX, uvVersion: '0.12.5', ...options });
}

const LOCK = 'version = 1\nrevision = 2\nrequires-python = ">=3.12"\n\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "." }\ndependencies = [{ name = "flask" }]\n\n[package.metadata]\nrequires-dist = [{ name = "flask", specifier = "==3.1.0" }]\n\n[[package]]\nname = "flask"\nversion = "3.1.0"\nsource = { registry = "https://pypi.org/simple" }\n';
const PROJECT = (more = '') => `[project]\nname = "app"\nversion = "0.1.0"\nrequires-python = ">=3.12"\ndependencies = ["flask==3.1.0"]\n\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n${more}`;
const UV = 'COPY --from=ghcr.io/astral-sh/uv:0.6.16 /uv /uvx /bin/\n';

describe('optimize: found by review, round 18 (a review of round 17)', () => {
  it('leaves another install\'s inline UV_FROZEN / UV_LOCKED out of the builder\'s environment (uv refuses it beside --locked)', () => {
    const df = `FROM python:3.12-slim\n${UV}WORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN UV_FROZEN=1 uv sync --no-dev --no-install-project\nCOPY . .\nRUN uv sync --locked --no-dev\nCMD ["app"]\n`;
    const r = run(df, { 'pyproject.toml': PROJECT(), 'uv.lock': LOCK });
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.doesNotMatch(r.text, /UV_FROZEN/);
    assert.equal((r.text.match(/uv sync --locked/g) ?? []).length, 2);
  });

  it('without uv.lock in the build, drops a lock mode the old environment set for pip (uv sync --frozen would find no lock)', () => {
    const r = run('FROM python:3.12-slim\nENV UV_FROZEN=true\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\nCMD ["app"]\n', { 'pyproject.toml': PROJECT() });
    assert.equal(r.restructured, true, r.notes.join('\n'));
    const builder = r.text.slice(0, r.text.lastIndexOf('\nFROM '));
    assert.doesNotMatch(builder, /UV_FROZEN/, r.text);
    assert.match(r.text.slice(r.text.lastIndexOf('\nFROM ')), /^ENV UV_FROZEN=true$/m);
  });

  it('tool.uv.package = false wins over a [build-system]: pip install . stays uv pip install .', () => {
    const r = run('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\nENTRYPOINT ["svc"]\n', { 'pyproject.toml': PROJECT('\n[project.scripts]\nsvc = "app:main"\n\n[tool.uv]\npackage = false\n'), 'uv.lock': LOCK });
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.doesNotMatch(r.text, /uv sync/);
    assert.match(r.text, /^ {4}uv pip install \.$/m);
  });

  it('sees a PEP 723 script behind uv\'s short or global options, and an option\'s value', () => {
    const files = { 'pyproject.toml': PROJECT(), 'uv.lock': LOCK, 'report.py': '# /// script\n# dependencies = ["polars==1.17.1"]\n# ///\n' };
    for (const cmd of ['CMD ["uv", "run", "-q", "report.py"]', 'CMD ["uv", "--quiet", "run", "report.py"]', 'CMD uv run --python 3.12 report.py --since yesterday']) {
      const r = run(`FROM python:3.12-slim\n${UV}WORKDIR /app\nCOPY . .\nRUN uv sync --locked\n${cmd}\n`, files);
      assert.equal(r.restructured, false, `${cmd}\n${r.text}`);
      assert.match(r.notes[0], /a script with inline metadata/, cmd);
    }
  });

  it('a floating python:3 tag with an upper bound at 4 or above (`<4`, `~=3.10`) keeps the base\'s Python', () => {
    for (const spec of ['>=3.10,<4', '~=3.10']) {
      const r = run(`FROM python:3-slim\n${UV}WORKDIR /app\nCOPY . .\nRUN uv sync --locked --no-dev\nCMD ["app"]\n`, { 'pyproject.toml': PROJECT().replace('>=3.12', spec), 'uv.lock': LOCK.replace('>=3.12', spec) });
      assert.equal(r.restructured, true, r.notes.join('\n'));
      assert.match(r.text, /UV_PYTHON_DOWNLOADS=0/, spec);
      assert.doesNotMatch(r.text, /only-managed/, spec);
    }
  });

  it('leaves pip\'s variables alone where only uv installed (uv never read them)', () => {
    const req = { 'requirements.txt': 'flask==3.1.0\n', 'app.py': '' };
    const r = run(`FROM python:3.12-slim\nENV PIP_NO_INDEX=1 PIP_FIND_LINKS=/wheels\n${UV}WORKDIR /app\nCOPY requirements.txt .\nRUN uv pip install --system --no-cache -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n`, req);
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.doesNotMatch(r.text.slice(0, r.text.lastIndexOf('\nFROM ')), /UV_FIND_LINKS|PIP_/);
  });

  it('an index the file and the command (or PIP_INDEX_URL) both name is no reason to refuse; one they name differently is, in system mode too', () => {
    const url = 'https://nexus.example.com/repository/pypi/simple';
    const req = { 'requirements.txt': `--index-url ${url}\nflask==3.1.0\n`, 'app.py': '' };
    const df = (pre: string, opt: string) => `FROM python:3.12-slim\n${pre}WORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir ${opt}-r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n`;
    assert.equal(run(df('', `-i ${url}/ `), req).restructured, true);
    assert.equal(run(df(`ENV PIP_INDEX_URL=${url}\n`, ''), req).restructured, true);
    for (const mode of ['venv', 'system'] as const) {
      const r = run(df('', '--index-url https://pypi.org/simple '), req, { mode });
      assert.equal(r.restructured, false, `${mode}\n${r.text}`);
      assert.match(r.notes[0], /requirements\.txt sets --index-url, which for pip replaces the index the install is given/, mode);
    }
  });

  it('with an older uv a required-version keeps, passes --no-dev itself (uv reads UV_NO_DEV from 0.8 on); finds that uv through a stage alias too', () => {
    const files = { 'pyproject.toml': PROJECT('\n[tool.uv]\nrequired-version = "~=0.6.0"\n\n[dependency-groups]\ndev = ["pytest==8.3.4"]\n'), 'uv.lock': LOCK };
    const r = run(`FROM python:3.12-slim\n${UV}WORKDIR /app\nCOPY . .\nRUN uv sync --locked --no-dev\nCMD ["app"]\n`, files);
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.match(r.text, /uv:0\.6\.16 /);
    assert.equal((r.text.match(/uv sync --locked .*--no-dev$/gm) ?? []).length, 2, r.text);
    const alias = run(`FROM ghcr.io/astral-sh/uv:0.6.16 AS uvbin\nFROM python:3.12-slim\nCOPY --from=uvbin /uv /bin/uv\nWORKDIR /app\nCOPY . .\nRUN uv sync --locked --no-dev\nCMD ["app"]\n`, files);
    assert.equal(alias.restructured, true, alias.notes.join('\n'));
    assert.ok(alias.notes.includes('the project\'s required-version excludes uv 0.12.5: the builder copies uv 0.6.16, the version the old file used.'), alias.notes.join('\n'));
    // With a uv from 0.8 on, UV_NO_DEV does it.
    assert.doesNotMatch(run(`FROM python:3.12-slim\n${UV}WORKDIR /app\nCOPY . .\nRUN uv sync --locked --no-dev\nCMD ["app"]\n`, { ...files, 'pyproject.toml': files['pyproject.toml'].replace('~=0.6.0', '>=0.6') }).text, /--no-dev/);
  });

  it('pip install . beside a dev tool the image runs (pytest for CMD pytest) keeps the tool: uv pip install, not a sync that drops it', () => {
    const r = run('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir . pytest==8.3.4\nCMD ["pytest", "-q", "tests"]\n', { 'pyproject.toml': PROJECT(), 'uv.lock': LOCK });
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.match(r.text, /^ {4}uv pip install \. pytest==8\.3\.4$/m);
  });

  it('refuses a lock whose dependency groups are out of date (uv sync --locked checks them too)', () => {
    const lock = LOCK.replace('requires-dist = [{ name = "flask", specifier = "==3.1.0" }]\n', 'requires-dist = [{ name = "flask", specifier = "==3.1.0" }]\n\n[package.metadata.requires-dev]\ndev = [{ name = "pytest", specifier = ">=8.3" }]\n');
    const stale = run('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\nCMD ["app"]\n', { 'pyproject.toml': PROJECT('\n[dependency-groups]\ndev = ["pytest>=8.3", "ruff>=0.8"]\n'), 'uv.lock': lock });
    assert.equal(stale.restructured, false, stale.text);
    assert.match(stale.notes[0], /uv\.lock is out of date with pyproject\.toml \(ruff>=0\.8 \(group dev\) is not in the lock\)/);
    assert.equal(run('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\nCMD ["app"]\n', { 'pyproject.toml': PROJECT('\n[dependency-groups]\ndev = ["pytest>=8.3"]\n'), 'uv.lock': lock }).restructured, true);
  });

  it('does not take uv in a dev group for a dev tool the image runs', () => {
    const r = run(`FROM python:3.12-slim\n${UV}WORKDIR /app\nCOPY . .\nRUN uv sync --locked --no-dev\nCMD ["gunicorn", "app:app"]\n`, { 'pyproject.toml': PROJECT('\n[dependency-groups]\ndev = ["uv>=0.6", "pytest"]\n'), 'uv.lock': LOCK });
    assert.ok(!r.notes.some((n) => /the image runs uv/.test(n)), r.notes.join('\n'));
  });
});

describe('optimize: found by review, round 18 (more)', () => {
  it('refuses `uv --quiet run` at start-up, as `uv run` (the tool leaves the final image)', () => {
    for (const cmd of ['CMD ["uv", "--quiet", "run", "flask", "run"]', 'CMD uv -q run flask run']) {
      const r = run(`FROM python:3.12-slim\n${UV}WORKDIR /app\nCOPY . .\nRUN uv sync --locked\n${cmd}\n`, { 'pyproject.toml': PROJECT(), 'uv.lock': LOCK });
      assert.equal(r.restructured, false, `${cmd}\n${r.text}`);
      assert.match(r.notes[0], /runs `uv run`: that tool does not stay in the final image/, cmd);
    }
  });

  it('installs the run-time libraries of an apk --virtual build group outside the group (a later apk del of it would take them away)', () => {
    const df = 'FROM python:3.12-alpine\nWORKDIR /app\nCOPY requirements.txt .\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev postgresql-dev libffi-dev \\\n    && pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["gunicorn", "app:app"]\n';
    for (const mode of ['venv', 'system'] as const) {
      const r = run(df, { 'requirements.txt': 'psycopg2==2.9.9\ncffi==1.17.1\n' }, { mode });
      assert.equal(r.restructured, true, r.notes.join('\n'));
      const final = r.text.slice(r.text.lastIndexOf('\nFROM '));
      assert.match(final, /^(RUN|    ) ?apk add --no-cache (libgcc libgomp )?libpq libffi( \\)?$/m, `${mode}\n${final}`);
      assert.doesNotMatch(final, /--virtual/, mode);
    }
    // A package of the group that stays as itself keeps the group (and a later apk del of it).
    const kept = run(df.replace('libffi-dev \\', 'libffi-dev curl \\').replace('CMD', 'RUN apk del .build-deps\nCMD'), { 'requirements.txt': 'psycopg2==2.9.9\ncffi==1.17.1\n' });
    assert.match(kept.text.slice(kept.text.lastIndexOf('\nFROM ')), /apk add --no-cache --virtual \.build-deps /);
  });
});

describe('optimize: found by review, round 18 (pip.conf)', () => {
  it('refuses pip\'s configuration in either mode, without naming a builder uv that system mode does not have', () => {
    for (const mode of ['venv', 'system'] as const) {
      const r = run('FROM python:3.12-slim\nCOPY pip.conf /etc/pip.conf\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n', { 'pip.conf': '[global]\nindex-url = https://nexus.example.com/simple\n', 'requirements.txt': 'flask==3.1.0\n', 'app.py': '' }, { mode });
      assert.equal(r.restructured, false, r.text);
      assert.match(r.notes[0], /line 2: the file sets up pip's configuration \(pip\.conf, pip config\), which slimdock does not carry over to the rewritten installs \(uv does not read it\)/, mode);
    }
  });
});

describe('optimize: found by review, round 19 (poetry, pipenv, conda, multi-stage inputs)', () => {
  const POETRY2 = (more = '') => `[project]\nname = "billing"\nversion = "1.0"\nrequires-python = ">=3.12"\ndependencies = ["httpx>=0.27"]\n\n[build-system]\nrequires = ["poetry-core>=2.0.0,<3.0.0"]\nbuild-backend = "poetry.core.masonry.api"\n${more}`;
  const poetryDf = 'FROM python:3.12-slim\nRUN pip install --no-cache-dir poetry==2.1.3\nWORKDIR /app\nCOPY pyproject.toml poetry.lock* ./\nRUN poetry install --only main --no-root\nCOPY . .\nRUN poetry install --only main\nCMD ["python", "-m", "billing"]\n';
  it('keeps poetry for a [project] poetry 2 project whose lock, sources, groups or package mode uv would not read', () => {
    for (const [name, files] of [
      ['poetry.lock', { 'pyproject.toml': POETRY2(), 'poetry.lock': '# poetry lock\n' }],
      ['a source', { 'pyproject.toml': POETRY2('\n[[tool.poetry.source]]\nname = "acme"\nurl = "https://pypi.acme.internal/simple/"\npriority = "primary"\n') }],
      ['a group', { 'pyproject.toml': POETRY2('\n[tool.poetry.group.web]\noptional = true\n\n[tool.poetry.group.web.dependencies]\ngunicorn = "^23"\n') }],
      ['package-mode = false', { 'pyproject.toml': POETRY2('\n[tool.poetry]\npackage-mode = false\n') }],
    ] as const) {
      const r = run(poetryDf, files);
      assert.equal(r.restructured, true, `${name}: ${r.notes.join('\n')}`);
      assert.doesNotMatch(r.text, /uv sync/, name);
      assert.match(r.text, /poetry install --only main --no-root/, name);
    }
    // Nothing of poetry's own: uv builds it, as before.
    assert.match(run(poetryDf, { 'pyproject.toml': POETRY2() }).text, /uv sync/);
  });

  it('refuses the project installed with pip beside poetry or pipenv (it was dropped), and poetry\'s editable root at /', () => {
    const poetry = run('FROM python:3.12-slim\nENV POETRY_VIRTUALENVS_CREATE=false\nRUN pip install --no-cache-dir poetry==1.8.3\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install --no-root --only main\nCOPY . .\nRUN pip install --no-cache-dir --no-deps .\nCMD ["shop-api"]\n', { 'pyproject.toml': '[tool.poetry]\nname = "shop-api"\nversion = "1.0"\n\n[tool.poetry.dependencies]\npython = "^3.12"\nfastapi = "^0.115"\n\n[tool.poetry.scripts]\nshop-api = "shop_api.main:run"\n', 'poetry.lock': '# lock\n' });
    assert.equal(poetry.restructured, false, poetry.text);
    assert.match(poetry.notes[0], /line 8: the project is installed with pip besides poetry: Optimize does not combine the two yet/);
    const root = run('FROM python:3.12-slim\nRUN pip install --no-cache-dir poetry==1.8.3 && poetry config virtualenvs.create false\nCOPY . .\nRUN poetry install --only main\nCMD ["shop-api"]\n', { 'pyproject.toml': '[tool.poetry]\nname = "shop-api"\nversion = "1.0"\n\n[tool.poetry.dependencies]\npython = "^3.12"\n', 'poetry.lock': '# lock\n' });
    assert.equal(root.restructured, false, root.text);
    assert.match(root.notes[0], /poetry installs the project from \/ \(no WORKDIR\), editable/);
  });

  it('pipenv: sync stays sync, --deploy only where the old install had it, and a Pipfile for another Python is refused', () => {
    const files = { Pipfile: '[packages]\ndjango = "==5.0"\n\n[requires]\npython_version = "3.11"\n', 'Pipfile.lock': '{}\n', 'manage.py': '' };
    const df = (install: string, from = 'python:3.11-slim-bookworm') => `FROM ${from}\nRUN pip install --no-cache-dir pipenv==2024.0.1\nWORKDIR /code\nCOPY Pipfile Pipfile.lock /code/\nRUN ${install}\nCOPY . /code/\nCMD ["gunicorn", "mysite.wsgi"]\n`;
    const sync = run(df('pipenv sync --system'), files);
    assert.equal(sync.restructured, true, sync.notes.join('\n'));
    assert.match(sync.text, /^ {4}pipenv sync$/m);
    assert.match(run(df('pipenv install --system'), files).text, /^ {4}pipenv install$/m);
    assert.match(run(df('pipenv install --system --deploy'), files).text, /^ {4}pipenv install --deploy$/m);
    const other = run(df('pipenv install --system', 'python:3.12-slim'), files);
    assert.equal(other.restructured, false, other.text);
    assert.match(other.notes[0], /the Pipfile asks for Python 3\.11, and python:3\.12-slim has 3\.12/);
  });

  it('refuses Miniforge images (Ubuntu, tini); gives a continuumio image\'s final stage the locale and libraries the image set up', () => {
    const env = { 'environment.yml': 'name: etl\ndependencies:\n  - python=3.11\n  - numpy\n', 'job.py': '' };
    const forge = run('FROM condaforge/miniforge3:24.7.1-0\nWORKDIR /opt/etl\nCOPY environment.yml .\nRUN mamba env create -f environment.yml && mamba clean -afy\nENV PATH=/opt/conda/envs/etl/bin:$PATH\nCMD ["python", "job.py"]\n', env);
    assert.equal(forge.restructured, false, forge.text);
    assert.match(forge.notes[0], /condaforge\/miniforge3:24\.7\.1-0 builds on Ubuntu, a release its tag does not name, with tini as its entry point/);
    const conda = run('FROM continuumio/miniconda3:24.4.0-0\nWORKDIR /opt/etl\nCOPY environment.yml .\nRUN conda env create -f environment.yml && conda clean -afy\nENV PATH=/opt/conda/envs/etl/bin:$PATH\nCMD ["python", "job.py"]\n', env);
    assert.equal(conda.restructured, true, conda.notes.join('\n'));
    assert.match(conda.text, /^FROM debian:bookworm-slim\nENV LANG=C\.UTF-8 LC_ALL=C\.UTF-8\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends ca-certificates libglib2\.0-0 libsm6 libxext6 libxrender1 \\\n && rm -rf \/var\/lib\/apt\/lists\/\*$/m);
  });

  it('a refused file keeps its full python base where the final stage takes files another stage built (no SD301 fix under them)', () => {
    const r = run('FROM python:3.12 AS builder\nCOPY requirements.txt .\nRUN pip install --prefix=/install --no-cache-dir -r requirements.txt\nFROM python:3.12\nCOPY --from=builder /install /usr/local\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["./docker-entrypoint.sh"]\n', { 'requirements.txt': 'psycopg2==2.9.9\n', 'docker-entrypoint.sh': '#!/bin/sh\nexec /usr/local/bin/gunicorn app:app\n' });
    assert.equal(r.restructured, false, r.text);
    assert.match(r.text, /^FROM python:3\.12$/m);
    assert.doesNotMatch(r.text, /python:3\.12-slim/);
  });

  it('a final stage named dev keeps its dev requirements (a development image)', () => {
    const df = 'FROM python:3.12-slim AS base\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY src/ .\n\nFROM base AS prod\nCMD ["gunicorn", "config.wsgi"]\n\nFROM base AS dev\nCOPY requirements-dev.txt .\nRUN pip install -r requirements-dev.txt\nCMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]\n';
    const files = { 'requirements.txt': 'django==5.0\ngunicorn==23.0.0\n', 'requirements-dev.txt': 'pytest==8.3.4\ndjango-debug-toolbar==4.4.6\n', 'src/manage.py': '' };
    for (const mode of ['venv', 'system'] as const) {
      const r = run(df, files, { mode });
      assert.equal(r.restructured, true, r.notes.join('\n'));
      assert.match(r.text, /uv pip install (--system )?-r requirements-dev\.txt/, mode);
      assert.ok(r.notes.some((n) => n.startsWith('the final stage is named dev (a development image)')), r.notes.join('\n'));
    }
  });
});

describe('optimize: found by review, round 19 (notes)', () => {
  it('says what is true of a distro Python and of a conda base environment', () => {
    const pipenv = run('FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip && rm -rf /var/lib/apt/lists/*\nRUN pip3 install pipenv\nWORKDIR /app\nCOPY Pipfile Pipfile.lock ./\nRUN pipenv install --system --deploy\nCOPY . .\nCMD ["python3", "app.py"]\n', { Pipfile: '[packages]\nflask = "*"\n', 'Pipfile.lock': '{}\n', 'app.py': '' });
    assert.equal(pipenv.restructured, false, pipenv.text);
    assert.match(pipenv.notes[0], /pipenv on a distro Python \(ubuntu:22\.04\) is not rewritten yet: the builder would install pipenv into the distro's python3[.;]/);
    assert.doesNotMatch(pipenv.notes[0], /externally managed/);
    const base = run('FROM continuumio/miniconda3:24.4.0-0\nWORKDIR /app\nCOPY environment.yml .\nRUN conda env update -n base -f environment.yml && conda clean -afy\nCOPY . .\nCMD ["python", "app.py"]\n', { 'environment.yml': 'name: base\ndependencies:\n  - numpy\n', 'app.py': '' });
    assert.equal(base.restructured, true, base.notes.join('\n'));
    assert.ok(base.notes.some((n) => /gets the conda environment \(\/opt\/conda\), conda with it/.test(n)), base.notes.join('\n'));
  });
});

describe('optimize: found by review, round 20 (a review of rounds 18 and 19)', () => {
  it('refuses `uv --directory X run` and `uv --project X run` at start-up (the option\'s value is not the subcommand)', () => {
    for (const cmd of ['CMD ["uv", "--directory", "/app", "run", "python", "app.py"]', 'CMD ["uv", "--project", "/app", "run", "flask", "run"]']) {
      const r = run(`FROM python:3.12-slim\n${UV}WORKDIR /app\nCOPY . .\nRUN uv sync --locked\n${cmd}\n`, { 'pyproject.toml': PROJECT(), 'uv.lock': LOCK });
      assert.equal(r.restructured, false, `${cmd}\n${r.text}`);
      assert.match(r.notes[0], /runs `uv run`: that tool does not stay in the final image/, cmd);
    }
  });

  it('a later apk del of a gone --virtual group and other packages keeps deleting the others only', () => {
    const df = 'FROM python:3.12-alpine\nWORKDIR /app\nRUN apk add --no-cache --virtual=.build-deps gcc musl-dev postgresql-dev && apk add --no-cache git\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nRUN apk del .build-deps git\nCOPY . .\nCMD ["python", "app.py"]\n';
    for (const mode of ['venv', 'system'] as const) {
      const r = run(df, { 'requirements.txt': 'psycopg2==2.9.9\n' }, { mode });
      assert.equal(r.restructured, true, r.notes.join('\n'));
      assert.match(r.text, /^RUN apk del git$/m, mode);
      assert.doesNotMatch(r.text, /apk del \.build-deps/, mode);
    }
  });

  it('libhdf5-dev on jammy gives libhdf5-103-1 and libhdf5-hl-100 (HDF5 1.10.7)', () => {
    const r = run('FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y python3 python3-pip build-essential libhdf5-dev pkg-config && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip3 install --no-binary=h5py -r requirements.txt\nCOPY . .\nCMD ["python3", "main.py"]\n', { 'requirements.txt': 'h5py==3.11.0\n' });
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.match(r.text.slice(r.text.lastIndexOf('\nFROM ')), /\blibhdf5-103-1 libhdf5-hl-100\b/);
  });

  it('poetry with package-mode = false at / is rewritten (no project to install editable)', () => {
    const r = run('FROM python:3.12-slim\nRUN pip install poetry==2.1.1\nCOPY pyproject.toml poetry.lock ./\nRUN poetry config virtualenvs.create false && poetry install --only main\nCOPY . .\nCMD ["python", "app.py"]\n', { 'pyproject.toml': '[tool.poetry]\npackage-mode = false\n\n[tool.poetry.dependencies]\npython = "^3.12"\nflask = "3.0.3"\n', 'poetry.lock': '# lock\n', 'app.py': '' });
    assert.equal(r.restructured, true, r.notes.join('\n'));
  });

  it('`uv run --frozen python report.py` runs python, not the script as uv\'s: no inline-metadata refusal', () => {
    const r = run(`FROM python:3.12-slim\n${UV}WORKDIR /app\nCOPY . .\nRUN uv sync --locked\nCMD ["uv", "run", "--frozen", "python", "report.py"]\n`, { 'pyproject.toml': PROJECT(), 'uv.lock': LOCK, 'report.py': '# /// script\n# dependencies = ["polars"]\n# ///\n' });
    assert.ok(!r.notes.some((n) => /inline metadata/.test(n)), r.notes.join('\n'));
    assert.match(r.text, /^CMD \["python", "report\.py"\]$/m);
  });
});

describe('optimize: found by review, round 20 (release pinning)', () => {
  it('pins the release a build argument gives only for run-time packages whose name depends on it', () => {
    const df = (dev: string) => `ARG PYTHON_VERSION=3.10\nARG DEBIAN=bullseye\nFROM python:\${PYTHON_VERSION}-slim-\${DEBIAN}\nRUN apt-get update && apt-get install -y --no-install-recommends gcc ${dev} && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n`;
    const libpq = run(df('libpq-dev'), { 'requirements.txt': 'psycopg2==2.9.9\n' });
    assert.equal(libpq.restructured, true, libpq.notes.join('\n'));
    assert.match(libpq.text, /^FROM python:\$\{PYTHON_VERSION\}-slim-\$\{DEBIAN\}$/m);
    assert.match(run(df('libffi-dev'), { 'requirements.txt': 'cffi==1.17.1\n' }).text, /^FROM python:3\.10-slim-bullseye$/m);
  });
});

describe('optimize: found by review, round 17 (OpenMP)', () => {
  it('gives the final stage gcc\'s OpenMP library (and gfortran\'s) where the old final stage had the compiler', () => {
    const df = (pkgs: string, purge = '') => `FROM python:3.12-slim-bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends ${pkgs} && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir --no-binary scikit-learn -r requirements.txt${purge}\nCOPY . .\nCMD ["python", "app.py"]\n`;
    const req = { 'requirements.txt': 'scikit-learn==1.5.2\n', 'app.py': '' };
    const final = (r: OptimizeResult) => r.text.slice(r.text.lastIndexOf('\nFROM '));
    assert.match(final(run(df('build-essential'), req)), /apt-get install -y --no-install-recommends libgomp1 /);
    assert.match(final(run(df('gcc g++ gfortran'), req)), /apt-get install -y --no-install-recommends libgomp1 libgfortran5 /);
    // A compiler the old file purged after the build: its image ran without it.
    assert.doesNotMatch(final(run(df('gcc g++', ' && apt-get purge -y --auto-remove gcc g++'), req)), /libgomp/);
    const alpine = run('FROM python:3.12-alpine\nRUN apk add --no-cache gcc g++ musl-dev\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n', req);
    assert.match(final(alpine), /apk add --no-cache .*\blibgomp\b/);
  });
});

describe('optimize: found by review, round 17 (pip binary settings)', () => {
  it('translates PIP_NO_BINARY / PIP_ONLY_BINARY to uv\'s variables, and refuses a mix of :all: and names', () => {
    const req = { 'requirements.txt': 'psycopg2==2.9.9\nlxml==5.3.0\n', 'app.py': '' };
    const df = (env: string) => `FROM python:3.12-slim\nENV ${env}\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n`;
    for (const [env, uv] of [['PIP_ONLY_BINARY=:all:', 'UV_NO_BUILD=1'], ['PIP_NO_BINARY=:all:', 'UV_NO_BINARY=1'], ['PIP_NO_BINARY=psycopg2,lxml', 'UV_NO_BINARY_PACKAGE="psycopg2 lxml"'], ['PIP_ONLY_BINARY=lxml', 'UV_NO_BUILD_PACKAGE="lxml"']]) {
      const r = run(df(env), req);
      assert.equal(r.restructured, true, `${env}: ${r.notes.join('\n')}`);
      assert.ok(r.text.split('\n').some((l) => l.startsWith('ENV UV_') && l.includes(uv)), `${env}\n${r.text}`);
    }
    const mixed = run(df('PIP_NO_BINARY=:all:,lxml'), req);
    assert.equal(mixed.restructured, false, mixed.text);
    assert.match(mixed.notes[0], /PIP_NO_BINARY changes what pip installs/);
    // PIP_NO_DEPS=0 gives no note.
    assert.ok(!run(df('PIP_NO_DEPS=0'), req).notes.some((n) => /PIP_NO_DEPS/.test(n)));
  });
});

describe('optimize: found by review, rounds 17 and 21 (find-links in a file; system mode)', () => {
  it('mounts a requirements file\'s relative --find-links folder where pip and uv read it (a file in the working directory); refuses one in another folder or outside the context', () => {
    const files = { 'requirements.txt': '--find-links vendor/wheels\nacme-geo==3.2.0\n', 'vendor/wheels/acme_geo-3.2.0-cp311-cp311-linux_x86_64.whl': '', 'app/__main__.py': '' };
    const df = (file: string) => `FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r ${file}\nCMD ["python", "-m", "app"]\n`;
    const r = run(df('requirements.txt'), files);
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.match(r.text, /--mount=type=bind,source=requirements\.txt,target=\/app\/requirements\.txt \\\n {4}--mount=type=bind,source=vendor\/wheels,target=\/app\/vendor\/wheels \\\n {4}uv pip install -r requirements\.txt$/m);
    // A file in a subfolder (uv versions differ on what its relative path is relative to), a file: URL, a folder outside the context: refused.
    for (const [file, text] of [['requirements/prod.txt', '--find-links ../vendor/wheels\nacme-geo==3.2.0\n'], ['requirements.txt', '--find-links file:vendor/wheels\nacme-geo==3.2.0\n'], ['requirements.txt', '--find-links ../wheels\nacme-geo==3.2.0\n']]) {
      const out = run(df(file), { ...files, [file]: text });
      assert.equal(out.restructured, false, `${file}: ${text}\n${out.text}`);
      assert.match(out.notes[0], /names the --find-links folder/);
    }
  });

  it('system mode installs a pip-installed PEP 621 project in place (uv pip install --system .), as a setup.py one', () => {
    const files = { 'pyproject.toml': '[project]\nname = "svc"\nversion = "1.0"\ndependencies = ["fastapi==0.110.0"]\n\n[project.scripts]\nsvc = "svc.main:run"\n\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n', 'svc/main.py': '' };
    for (const install of ['pip install --no-cache-dir .', 'pip install --no-cache-dir -e .']) {
      const r = run(`FROM python:3.11-slim\nWORKDIR /src\nCOPY . .\nRUN ${install}\nCMD ["svc"]\n`, files, { mode: 'system' });
      assert.equal(r.restructured, true, r.notes.join('\n'));
      assert.ok(!r.notes.some((n) => /virtual-environment layout is used/.test(n)), r.notes.join('\n'));
      assert.match(r.text, new RegExp(`uv pip install --system ${install.endsWith('-e .') ? '-e ' : ''}\\.$`, 'm'));
    }
    // An old `uv sync` stays a uv project: the venv layout, as before.
    assert.ok(run('FROM python:3.11-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.6.16 /uv /bin/\nWORKDIR /src\nCOPY . .\nRUN uv sync\nCMD ["svc"]\n', files, { mode: 'system' }).notes.some((n) => /this is a uv project/.test(n)));
  });
});

describe('optimize: found by review, round 22 (a review of the latest changes)', () => {
  const project = { 'pyproject.toml': '[project]\nname = "svc"\nversion = "1.0"\ndependencies = ["httpx>=0.27", "common"]\n\n[project.optional-dependencies]\nserver = ["uvicorn"]\n\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n', 'svc/__init__.py': '' };
  it('refuses PIP_ONLY_BINARY=:all: beside a local project or path (pip still builds those, uv\'s UV_NO_BUILD would not), and a PIP_NO_BINARY part that is no package name', () => {
    for (const mode of ['venv', 'system'] as const) {
      const r = run('FROM python:3.12-slim\nENV PIP_ONLY_BINARY=:all:\nWORKDIR /app\nCOPY . .\nRUN pip install .\nCMD ["svc"]\n', project, { mode });
      assert.equal(r.restructured, false, `${mode}\n${r.text}`);
      assert.match(r.notes.join('\n'), /PIP_ONLY_BINARY/, mode);
    }
    const spaces = run('FROM python:3.12-slim\nENV PIP_NO_BINARY="pillow lxml"\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n', { 'requirements.txt': 'pillow==10.4.0\n', 'app.py': '' });
    assert.equal(spaces.restructured, false, spaces.text);
    assert.match(spaces.notes[0], /PIP_NO_BINARY changes what pip installs, and uv's variables cannot say this value/);
  });

  it('installs a pip-installed project with [tool.uv.sources] with --no-sources, in both modes (pip never read them)', () => {
    const files = { ...project, 'pyproject.toml': `${project['pyproject.toml']}\n[tool.uv.sources]\ncommon = { git = "https://github.com/acme/common", tag = "v1.0" }\n` };
    for (const mode of ['venv', 'system'] as const) {
      const r = run('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir ".[server]"\nCMD ["svc"]\n', files, { mode });
      assert.equal(r.restructured, true, r.notes.join('\n'));
      assert.match(r.text, /uv pip install (--system )?--no-sources "\.\[server\]"$/m, `${mode}\n${r.text}`);
      assert.doesNotMatch(r.text, /uv sync/, mode);
    }
    // Without sources: uv sync (venv) and uv pip install --system . (system), as before.
    assert.match(run('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\nCMD ["svc"]\n', project).text, /uv sync/);
  });
});

describe('optimize: found by review, round 21 (system mode in place)', () => {
  const req = { 'requirements.txt': 'flask==3.0.2\ngunicorn==21.2.0\n', 'app.py': '' };
  it('keeps an uninstall in place where no builder is needed (pip of the final stage\'s Python runs it), and a secret mount', () => {
    const df = 'FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt && pip uninstall -y setuptools wheel pip\nCOPY . .\nUSER nobody\nCMD ["gunicorn", "app:app"]\n';
    const r = run(df, req, { mode: 'system' });
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.ok(!r.notes.some((n) => /virtual-environment layout is used/.test(n)), r.notes.join('\n'));
    assert.match(r.text, /uv pip install --system -r requirements\.txt && pip uninstall -y setuptools wheel pip$/m);
    assert.equal(run(r.text, req, { mode: 'system' }).changed, false);
    const secret = run('FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN --mount=type=secret,id=idx,env=PIP_INDEX_URL pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["gunicorn", "app:app"]\n', req, { mode: 'system' });
    assert.equal(secret.restructured, true, secret.notes.join('\n'));
    assert.ok(!secret.notes.some((n) => /virtual-environment layout is used/.test(n)), secret.notes.join('\n'));
    assert.match(secret.text, /--mount=type=secret,id=idx,env=UV_INDEX_URL/);
    // Where a builder makes wheels, both still take the venv layout, as before.
    const built = run(df.replace('FROM python:3.11-slim\n', 'FROM python:3.11-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*\n'), req, { mode: 'system' });
    assert.ok(built.notes.some((n) => /uninstalls packages, which the wheels the builder makes cannot express: the virtual-environment layout is used/.test(n)), built.notes.join('\n'));
  });
});

describe('optimize: found by review, round 19 (where a file comes from)', () => {
  it('names the stage a requirements file or wheels came from, not "made in the image"', () => {
    const r = run('FROM python:3.12 AS reqs\nRUN pip install poetry && echo flask > /tmp/requirements.txt\nFROM python:3.12-slim\nWORKDIR /code\nCOPY --from=reqs /tmp/requirements.txt /code/requirements.txt\nRUN pip install --no-cache-dir -r /code/requirements.txt\nCMD ["python", "-m", "app"]\n');
    assert.equal(r.restructured, false, r.text);
    assert.match(r.notes.join('\n'), /\/code\/requirements\.txt is not copied from the build context \(it comes from reqs, which the COPY --from at line 5 names\)/);
    const made = run('FROM python:3.12\nRUN echo flask > /tmp/r.txt && pip install -r /tmp/r.txt\n');
    assert.match(made.notes[0], /not copied from the build context \(it is made in the image\)/);
  });
});
