import assert from 'node:assert/strict';
import { ruleCases, assertFix } from '../../helpers';

const UV_PROJECT = '[project]\nname = "app"\nversion = "1"\ndependencies = ["flask"]\n\n[dependency-groups]\ndev = ["pytest", "ruff"]\n';
const POETRY_PROJECT = '[tool.poetry]\nname = "app"\n\n[tool.poetry.dependencies]\npython = "^3.12"\nflask = "*"\n\n[tool.poetry.group.dev.dependencies]\npytest = "*"\n';
const NO_DEV = '[project]\nname = "app"\nversion = "1"\ndependencies = ["flask"]\n';

ruleCases('SD105', {
  fires: [
    { name: 'pytest installed by pip', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.0 pytest==8.0.0\n', lines: [2] },
    { name: 'dev requirements file', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements-dev.txt\n', lines: [2] },
    { name: 'requirements/test.txt in a heredoc', dockerfile: 'FROM python:3.12-slim\nRUN <<EOF\npip install --no-cache-dir -r requirements/test.txt\nEOF\n', lines: [3] },
    { name: 'dev extra of the project', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir -e ".[dev]"\n', lines: [2] },
    { name: 'uv sync with a dev group', dockerfile: 'FROM python:3.12-slim\nRUN uv sync --locked\n', files: { 'pyproject.toml': UV_PROJECT }, lines: [2] },
    { name: 'UV_NO_DEV=0 does not turn dev off', dockerfile: 'FROM python:3.12-slim\nENV UV_NO_DEV=0\nRUN uv sync --locked\n', files: { 'pyproject.toml': UV_PROJECT }, lines: [3] },
    { name: 'poetry install with a dev group', dockerfile: 'FROM python:3.12-slim\nRUN poetry install --no-root\n', files: { 'pyproject.toml': POETRY_PROJECT }, lines: [2] },
    { name: 'pipenv install --dev via sh -c', dockerfile: 'FROM python:3.12-slim\nRUN sh -c "pipenv install --system --dev"\n', lines: [2] },
    { name: 'builder venv with pytest copied out', dockerfile: 'FROM python:3.12 AS build\nRUN python -m venv /venv && /venv/bin/pip install --no-cache-dir pytest==8.0.0\nFROM python:3.12-slim\nCOPY --from=build /venv /venv\n', lines: [2] },
    { name: 'exec form', dockerfile: 'FROM python:3.12-slim\nRUN ["pip", "install", "--no-cache-dir", "black==24.1.0"]\n', lines: [2] },
  ],
  clean: [
    { name: 'runtime packages only', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.0 gunicorn==22.0.0\n' },
    { name: 'production requirements', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\n' },
    { name: 'requirements-devices.txt is not dev', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements-devices.txt\n' },
    { name: 'uv sync --no-dev', dockerfile: 'FROM python:3.12-slim\nRUN uv sync --locked --no-dev\n', files: { 'pyproject.toml': UV_PROJECT } },
    { name: 'UV_NO_DEV inherited from a parent stage', dockerfile: 'FROM python:3.12-slim AS base\nENV UV_NO_DEV=1\nFROM base\nRUN uv sync --locked\n', files: { 'pyproject.toml': UV_PROJECT } },
    { name: 'uv sync --only-group', dockerfile: 'FROM python:3.12-slim\nRUN uv sync --locked --only-group prod\n', files: { 'pyproject.toml': UV_PROJECT } },
    { name: 'uv sync on a project without dev group', dockerfile: 'FROM python:3.12-slim\nRUN uv sync --locked\n', files: { 'pyproject.toml': NO_DEV } },
    { name: 'uv sync when the project file cannot be read', dockerfile: 'FROM python:3.12-slim\nRUN uv sync --locked\n' },
    { name: 'poetry install --only main', dockerfile: 'FROM python:3.12-slim\nRUN poetry install --only main\n', files: { 'pyproject.toml': POETRY_PROJECT } },
    { name: 'poetry install --without dev', dockerfile: 'FROM python:3.12-slim\nRUN poetry install --without dev\n', files: { 'pyproject.toml': POETRY_PROJECT } },
    { name: 'old poetry --no-dev', dockerfile: 'FROM python:3.12-slim\nRUN poetry install --no-dev\n', files: { 'pyproject.toml': POETRY_PROJECT } },
    { name: 'pipenv install without --dev', dockerfile: 'FROM python:3.12-slim\nRUN pipenv install --system --deploy\n' },
    { name: 'pdm install --prod', dockerfile: 'FROM python:3.12-slim\nRUN pdm install --prod\n', files: { 'pyproject.toml': '[tool.pdm.dev-dependencies]\ntest = ["pytest"]\n' } },
    { name: 'test stage not shipped', dockerfile: 'FROM python:3.12-slim AS test\nRUN pip install --no-cache-dir pytest==8.0.0\nFROM python:3.12-slim\nCMD ["python"]\n' },
    { name: 'a .devcontainer Dockerfile', path: '.devcontainer/Dockerfile', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir pytest==8.0.0 ruff==0.4.0\n' },
    { name: 'Dockerfile.test', path: 'Dockerfile.test', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir pytest==8.0.0\n' },
    { name: 'final stage named dev', dockerfile: 'FROM python:3.12-slim AS dev\nRUN pip install --no-cache-dir pytest==8.0.0\n' },
    { name: 'a local/ compose folder (corpus: cookiecutter-django)', path: 'compose/local/django/Dockerfile', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir pytest==8.0.0\n' },
    { name: 'the entrypoint wraps the tool (corpus: patroni)', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir tox==4.0.0\nENTRYPOINT ["/tox-wrapper.sh"]\n' },
    { name: 'the image runs the tool', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir jupyterlab==4.2.0\nCMD ["jupyter", "lab", "--ip=0.0.0.0"]\n' },
    { name: 'pytest-like names that are not dev tools', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir blackjack==1.0 coveragepy-lcov==0.1\n' },
  ],
});

describe('SD105 fixes', () => {
  it('uv sync gets --no-dev', () => {
    const fixed = assertFix('SD105', { dockerfile: 'FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --locked\n', files: { 'pyproject.toml': UV_PROJECT } });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --no-dev --locked\n');
  });
  it('poetry install gets --only main', () => {
    const fixed = assertFix('SD105', { dockerfile: 'FROM python:3.12-slim\nENV POETRY_VIRTUALENVS_CREATE=false\nRUN poetry install --no-root --no-cache\n', files: { 'pyproject.toml': POETRY_PROJECT } });
    assert.equal(fixed, 'FROM python:3.12-slim\nENV POETRY_VIRTUALENVS_CREATE=false\nRUN poetry install --only main --no-root --no-cache\n');
  });
});

describe('SD105 fixes (exec form)', () => {
  it('poetry install in exec form gets two JSON strings', () => {
    const fixed = assertFix('SD105', { dockerfile: 'FROM python:3.12-slim\nRUN ["poetry", "install", "--no-cache"]\n', files: { 'pyproject.toml': POETRY_PROJECT } });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN ["poetry", "install", "--only", "main", "--no-cache"]\n');
  });
});
