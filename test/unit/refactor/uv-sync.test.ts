// pyproject.toml + uv.lock installed with pip/poetry/pipenv → uv's two-step pattern.
import assert from 'node:assert/strict';
import { apply, kinds } from './util';

const project = { 'pyproject.toml': '[project]\nname = "app"\nversion = "1.0"\ndependencies = ["flask"]\n', 'uv.lock': 'version = 1\n', 'app.py': 'print(1)\n' };
const UV = 'COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/\n';
const ENV = 'ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1 UV_NO_DEV=1 UV_PYTHON_DOWNLOADS=0 PATH="/app/.venv/bin:$PATH"\n';
const DEPS = 'RUN --mount=type=cache,target=/root/.cache/uv \\\n    --mount=type=bind,source=uv.lock,target=uv.lock \\\n    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\\n    uv sync --locked --no-install-project\n';

describe('refactoring: project install → uv sync (two steps)', () => {
  it('pip install .: dependencies before the COPY, the project after; .dockerignore created with .venv', () => {
    const df = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\nCMD ["python", "app.py"]\n';
    const r = apply('uv-sync', df, 4, project);
    assert.equal(r.text, `FROM python:3.12-slim\nWORKDIR /app\n${UV}${ENV}${DEPS}COPY . .\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --locked\nCMD ["python", "app.py"]\n`);
    assert.equal(r.files['.dockerignore'], '.venv\n');
  });
  it('poetry with continuation lines: the installer setup goes with it; an existing .dockerignore is extended', () => {
    const files = { ...project, '.dockerignore': '.git' };
    const df = 'FROM python:3.12-slim\nWORKDIR /app\n# sources\nCOPY . .\nRUN pip install --no-cache-dir poetry==1.8.3 && \\\n    poetry config virtualenvs.create false && \\\n    poetry install --no-interaction --no-ansi --only main --extras "s3"\nEXPOSE 8000\n';
    const r = apply('uv-sync', df, 7, files);
    assert.equal(r.text, `FROM python:3.12-slim\nWORKDIR /app\n${UV}${ENV}${DEPS.replace('--no-install-project', '--no-install-project --extra s3')}# sources\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --extra s3\nEXPOSE 8000\n`);
    assert.equal(r.files['.dockerignore'], '.git\n.venv\n');
  });
  it('pipenv; later commands in the RUN stay and see the venv on PATH', () => {
    const files = { ...project, '.dockerignore': '.venv\n' };
    const df = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pipenv install --system --deploy && python -m compileall -q .\n';
    const r = apply('uv-sync', df, 4, files);
    assert.equal(r.text, `FROM python:3.12-slim\nWORKDIR /app\n${UV}${ENV}${DEPS}COPY . .\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --locked && python -m compileall -q .\n`);
    assert.equal(r.files['.dockerignore'], '.venv\n');
  });
  it('exec form; pip --no-compile keeps bytecode off; settings already set are not repeated; uv already there', () => {
    const df = `FROM python:3.12-slim\n${UV}ENV UV_LINK_MODE=copy\nWORKDIR /app\nCOPY . .\nRUN ["pip", "install", "--no-compile", "."]\n`;
    const r = apply('uv-sync', df, 6, { ...project, '.dockerignore': '.venv\n' });
    assert.equal(r.text, `FROM python:3.12-slim\n${UV}ENV UV_LINK_MODE=copy\nWORKDIR /app\nENV UV_COMPILE_BYTECODE=0 UV_NO_DEV=1 UV_PYTHON_DOWNLOADS=0 PATH="/app/.venv/bin:$PATH"\n${DEPS}COPY . .\nRUN --mount=type=cache,target=/root/.cache/uv ["uv", "sync", "--locked"]\n`);
  });
  it('ENV PIP_* stays as it is (uv sync --locked takes its indexes from uv.lock)', () => {
    const df = 'FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1\nWORKDIR /app\nCOPY . .\nRUN pip install .\n';
    const r = apply('uv-sync', df, 5, project);
    assert.equal(r.text, `FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1\nWORKDIR /app\n${UV}${ENV}${DEPS}COPY . .\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --locked\n`);
  });
  it('the escape character of the file is used for the new continuation lines', () => {
    const df = '# escape=`\nFROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install .\n';
    const r = apply('uv-sync', df, 5, project);
    assert.equal(r.text, `# escape=\`\nFROM python:3.12-slim\nWORKDIR /app\n${UV}${ENV}${DEPS.replace(/\\\n/g, '`\n')}COPY . .\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --locked\n`);
  });

  const no: [string, string, Record<string, string>][] = [
    ['no uv.lock', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install .\n', { 'pyproject.toml': project['pyproject.toml'] }],
    ['uv.lock excluded by .dockerignore', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install .\n', { ...project, '.dockerignore': 'uv.lock\n' }],
    ['non-root USER', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nUSER app\nRUN pip install .\n', project],
    ['a RUN between the COPY and the install', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*\nRUN pip install .\n', project],
    ['another system install in the image', 'FROM python:3.12-slim\nRUN pip install --no-cache-dir gunicorn==22.0.0\nWORKDIR /app\nCOPY . .\nRUN pip install .\n', project],
    ['the image starts through poetry', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN poetry install --only main\nCMD ["poetry", "run", "app"]\n', project],
    ['something else runs before the install in the RUN', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN apt-get update && pip install .\n', project],
    ['a builder stage', 'FROM python:3.12-slim AS build\nWORKDIR /app\nCOPY . .\nRUN pip install .\nFROM python:3.12-slim\nCOPY --from=build /usr/local /usr/local\n', project],
    ['pip install of another path', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install ./libs/core\n', project],
    ['a uv workspace', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install .\n', { ...project, 'pyproject.toml': `${project['pyproject.toml']}[tool.uv.workspace]\nmembers = ["libs/*"]\n` }],
    ['COPY into another folder than the WORKDIR', 'FROM python:3.12-slim\nCOPY . /app\nWORKDIR /app\nRUN pip install .\n', project],
  ];
  for (const [name, df, files] of no) {
    it(`not offered: ${name}`, () => {
      const line = df.split('\n').findIndex((l) => /pip install \.|poetry install/.test(l)) + 1;
      assert.ok(!kinds(df, line, files).includes('uv-sync'), df);
    });
  }
});
