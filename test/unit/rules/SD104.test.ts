import { ruleCases } from '../../helpers';

ruleCases('SD104', {
  fires: [
    { name: 'bare package name', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n', lines: [2] },
    { name: 'lower bound only', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir "flask>=3.0"\n', lines: [2] },
    { name: 'one pinned, one not, via sh -c', dockerfile: 'FROM python:3.12-slim\nRUN sh -c "pip install --no-cache-dir flask==3.0.0 gunicorn"\n', lines: [2] },
    { name: 'exec form', dockerfile: 'FROM python:3.12-slim\nRUN ["python3", "-m", "pip", "install", "requests"]\n', lines: [2] },
    { name: 'heredoc', dockerfile: 'FROM python:3.12-slim\nRUN <<EOF\npip install --no-cache-dir requests\nEOF\n', lines: [3] },
    { name: 'uv pip install', dockerfile: 'FROM python:3.12-slim\nRUN uv pip install --system requests\n', lines: [2] },
    { name: 'unpinned next to a requirements file that is not a lock', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt gunicorn\n', files: { 'requirements.txt': 'flask\n' }, lines: [2] },
  ],
  clean: [
    { name: '== pin', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.0\n' },
    { name: '~= pin', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir "flask~=3.0"\n' },
    { name: 'URL requirement', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir "mylib @ https://example.com/mylib-1.0.tar.gz"\n' },
    { name: 'wheel file', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir /wheels/app-1.0-py3-none-any.whl\n' },
    { name: 'the project itself', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir . && pip install --no-cache-dir -e .\n' },
    { name: 'a path with extras', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir "libs/core[adv]"\n' },
    { name: 'constraints file', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir -c constraints.txt flask\n' },
    { name: 'PIP_CONSTRAINT inherited from a parent stage', dockerfile: 'FROM python:3.12-slim AS base\nENV PIP_CONSTRAINT=/c.txt\nFROM base\nRUN pip install --no-cache-dir flask\n' },
    { name: '--require-hashes', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir --require-hashes -r requirements.txt flask\n' },
    { name: 'fully pinned requirements file governs', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt gunicorn\n', files: { 'requirements.txt': 'flask==3.0.0\ngunicorn==22.0.0\n' } },
    { name: 'lock file by name', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.lock gunicorn\n' },
    { name: 'pip self-upgrade (SD102)', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir -U pip setuptools wheel\n' },
    { name: 'pip lower bound is a self-upgrade (corpus: bookwyrm)', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir "pip>=25.1.0"\n' },
    { name: 'variable package', dockerfile: 'FROM python:3.12-slim\nARG PKG\nRUN pip install --no-cache-dir $PKG\n' },
    { name: 'builder stage not shipped', dockerfile: 'FROM python:3.12 AS build\nRUN pip install build && python -m build -o /dist\nFROM python:3.12-slim\nCOPY --from=build /dist /dist\n' },
    { name: 'hadolint suppression', dockerfile: 'FROM python:3.12-slim\n# hadolint ignore=DL3013\nRUN pip install --no-cache-dir flask\n' },
  ],
});
