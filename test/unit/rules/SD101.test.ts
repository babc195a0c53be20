import assert from 'node:assert/strict';
import { ruleCases, assertFix } from '../../helpers';

ruleCases('SD101', {
  fires: [
    { name: 'plain pip install', dockerfile: 'FROM python:3.12-slim\nRUN pip install flask\n', lines: [2] },
    { name: 'python -m pip in a continuation', dockerfile: 'FROM python:3.12-slim\nRUN apt-get update && \\\n    python3 -m pip install -r requirements.txt\n', lines: [3] },
    { name: 'pip3.12 in a heredoc', dockerfile: 'FROM python:3.12-slim\nRUN <<EOF\nset -e\npip3.12 install numpy\nEOF\n', lines: [4] },
    { name: 'exec form', dockerfile: 'FROM python:3.12-slim\nRUN ["pip", "install", "flask"]\n', lines: [2] },
    { name: 'through sh -c', dockerfile: 'FROM python:3.12-slim\nRUN sh -c "pip install flask"\n', lines: [2] },
    { name: 'cache mount on root cache but user is app', dockerfile: 'FROM python:3.12-slim\nUSER app\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n', lines: [3] },
    { name: 'final stage built from a stage', dockerfile: 'FROM python:3.12-slim AS base\nRUN pip install flask\nFROM base\nCMD ["flask"]\n', lines: [2] },
    { name: 'removal in a later RUN does not count', dockerfile: 'FROM python:3.12-slim\nRUN pip install flask\nRUN rm -rf /root/.cache/pip\n', lines: [2] },
  ],
  clean: [
    { name: '--no-cache-dir', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n' },
    { name: 'PIP_NO_CACHE_DIR=1 via ENV', dockerfile: 'FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n' },
    { name: 'PIP_NO_CACHE_DIR=0 (pip disables the cache for any boolean)', dockerfile: 'FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=0\nRUN pip install flask\n' },
    { name: 'PIP_NO_CACHE_DIR inherited from a parent stage', dockerfile: 'FROM python:3.12-slim AS base\nENV PIP_NO_CACHE_DIR=off\nFROM base\nRUN pip install flask\n' },
    { name: 'inline env', dockerfile: 'FROM python:3.12-slim\nRUN PIP_NO_CACHE_DIR=1 pip install flask\n' },
    { name: 'exported', dockerfile: 'FROM python:3.12-slim\nRUN export PIP_NO_CACHE_DIR=1 && pip install flask\n' },
    { name: 'cache mount', dockerfile: 'FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n' },
    { name: 'cache mount covering ~/.cache for a non-root user', dockerfile: 'FROM python:3.12-slim\nUSER app\nRUN --mount=type=cache,target=/home/app/.cache,uid=1000 pip install flask\n' },
    { name: '--cache-dir into a tmpfs', dockerfile: 'FROM python:3.12-slim\nRUN --mount=type=tmpfs,target=/tmp/pc pip install --cache-dir /tmp/pc flask\n' },
    { name: 'rm in the same RUN', dockerfile: 'FROM python:3.12-slim\nRUN pip install flask && rm -rf ~/.cache/pip\n' },
    { name: 'pip cache purge in a heredoc', dockerfile: 'FROM python:3.12-slim\nRUN <<EOF\npip install flask\npip cache purge\nEOF\n' },
    { name: 'builder stage copied by path only', dockerfile: 'FROM python:3.12 AS build\nRUN pip install --prefix=/install flask\nFROM python:3.12-slim\nCOPY --from=build /install /usr/local\n' },
    { name: 'pip inside a heredoc written to a file', dockerfile: 'FROM python:3.12-slim\nRUN cat <<EOF > /setup.sh\npip install flask\nEOF\n' },
    { name: 'suppressed by hadolint comment', dockerfile: 'FROM python:3.12-slim\n# hadolint ignore=DL3042\nRUN pip install flask\n' },
    { name: 'suppressed by slimdock comment', dockerfile: 'FROM python:3.12-slim\n# slimdock: ignore=SD101\nRUN pip install flask\n' },
    { name: 'uv pip install is not pip', dockerfile: 'FROM python:3.12-slim\nRUN uv pip install --system flask\n' },
  ],
});

describe('SD101 fixes', () => {
  it('adds --no-cache-dir', () => {
    const fixed = assertFix('SD101', { dockerfile: 'FROM python:3.12-slim\nRUN pip install flask \\\n    requests\n' });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask \\\n    requests\n');
  });
  it('adds --no-cache-dir in exec form', () => {
    const fixed = assertFix('SD101', { dockerfile: 'FROM python:3.12-slim\nRUN ["pip", "install", "flask"]\n' });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN ["pip", "install", "--no-cache-dir", "flask"]\n');
  });
  it('adds a cache mount', () => {
    const fixed = assertFix('SD101', { dockerfile: 'FROM python:3.12-slim\nUSER app\nRUN pip install flask\n' }, (f) => f.find((x) => /cache mount/.test(x.title)));
    assert.equal(fixed, 'FROM python:3.12-slim\nUSER app\nRUN --mount=type=cache,target=/home/app/.cache/pip pip install flask\n');
  });
});
