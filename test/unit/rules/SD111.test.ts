import assert from 'node:assert/strict';
import { ruleCases, assertFix } from '../../helpers';

ruleCases('SD111', {
  fires: [
    { name: 'poetry install', dockerfile: 'FROM python:3.12-slim\nRUN poetry install --only main\n', lines: [2] },
    { name: 'POETRY_VIRTUALENVS_CREATE=false still uses poetry\'s cache', dockerfile: 'FROM python:3.12-slim\nENV POETRY_VIRTUALENVS_CREATE=false\nRUN poetry install --only main\n', lines: [3] },
    { name: 'pipenv install in a heredoc', dockerfile: 'FROM python:3.12-slim\nRUN <<EOF\npipenv install --system --deploy\nEOF\n', lines: [3] },
    { name: 'pdm install via sh -c', dockerfile: 'FROM python:3.12-slim\nRUN sh -c "pdm install --prod"\n', lines: [2] },
    { name: 'non-root user: mount on root\'s cache does not help', dockerfile: 'FROM python:3.12-slim\nUSER app\nRUN --mount=type=cache,target=/root/.cache/pypoetry poetry install --only main\n', lines: [3] },
    { name: 'POETRY_CACHE_DIR inherited, removed in a later RUN', dockerfile: 'FROM python:3.12-slim AS base\nENV POETRY_CACHE_DIR=/tmp/poetry_cache\nFROM base\nRUN poetry install --only main\nRUN rm -rf /tmp/poetry_cache\n', lines: [4] },
    { name: 'exec form', dockerfile: 'FROM python:3.12-slim\nRUN ["poetry", "install", "--only", "main"]\n', lines: [2] },
  ],
  clean: [
    { name: '--no-cache', dockerfile: 'FROM python:3.12-slim\nRUN poetry install --no-cache --only main\n' },
    { name: 'cache mount on POETRY_CACHE_DIR', dockerfile: 'FROM python:3.12-slim\nENV POETRY_CACHE_DIR=/tmp/poetry_cache\nRUN --mount=type=cache,target=$POETRY_CACHE_DIR poetry install --only main\n' },
    { name: 'rm -rf $POETRY_CACHE_DIR in the same RUN', dockerfile: 'FROM python:3.12-slim\nENV POETRY_CACHE_DIR=/tmp/poetry_cache\nRUN poetry install --only main && rm -rf $POETRY_CACHE_DIR\n' },
    { name: 'rm -rf ~/.cache/pypoetry', dockerfile: 'FROM python:3.12-slim\nRUN poetry install --only main && rm -rf ~/.cache/pypoetry\n' },
    { name: 'rm -rf $(poetry config cache-dir)', dockerfile: 'FROM python:3.12-slim\nRUN poetry install --only main && rm -rf $(poetry config cache-dir)\n' },
    { name: 'poetry cache clear', dockerfile: 'FROM python:3.12-slim\nRUN poetry install --only main && poetry cache clear --all -n pypi\n' },
    { name: 'cache mount for a non-root user', dockerfile: 'FROM python:3.12-slim\nUSER app\nRUN --mount=type=cache,target=/home/app/.cache,uid=1000 pipenv install --deploy\n' },
    { name: 'pdm cache on a tmpfs', dockerfile: 'FROM python:3.12-slim\nRUN --mount=type=tmpfs,target=/root/.cache/pdm pdm install --prod\n' },
    { name: 'builder stage with only the venv copied', dockerfile: 'FROM python:3.12 AS build\nENV POETRY_VIRTUALENVS_IN_PROJECT=1\nWORKDIR /app\nRUN poetry install --only main\nFROM python:3.12-slim\nCOPY --from=build /app/.venv /app/.venv\n' },
    { name: 'poetry export does not download', dockerfile: 'FROM python:3.12-slim\nRUN poetry export -o requirements.txt\n' },
    { name: 'pipenv --clear', dockerfile: 'FROM python:3.12-slim\nRUN pipenv install --system && pipenv --clear\n' },
  ],
});

describe('SD111 fixes', () => {
  it('mounts the whole cache when the venvs live elsewhere', () => {
    const fixed = assertFix('SD111', { dockerfile: 'FROM python:3.12-slim\nENV POETRY_VIRTUALENVS_CREATE=false\nRUN poetry install --only main\n' });
    assert.equal(fixed, 'FROM python:3.12-slim\nENV POETRY_VIRTUALENVS_CREATE=false\nRUN --mount=type=cache,target=/root/.cache/pypoetry poetry install --only main\n');
  });
  it('mounts only cache/ and artifacts/ when poetry keeps its venvs in the cache dir', () => {
    const fixed = assertFix('SD111', { dockerfile: 'FROM python:3.12-slim\nRUN poetry install --only main\n' });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pypoetry/cache --mount=type=cache,target=/root/.cache/pypoetry/artifacts poetry install --only main\n');
  });
  it('pipenv as a non-root user', () => {
    const fixed = assertFix('SD111', { dockerfile: 'FROM python:3.12-slim\nUSER app\nRUN pipenv install --deploy\n' });
    assert.equal(fixed, 'FROM python:3.12-slim\nUSER app\nRUN --mount=type=cache,target=/home/app/.cache/pipenv pipenv install --deploy\n');
  });
});
