import assert from 'node:assert/strict';
import { ruleCases, assertFix, check } from '../../helpers';

ruleCases('SD103', {
  fires: [
    { name: 'plain pip install', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.0\n', lines: [2] },
    { name: 'python -m pip with a requirements file', dockerfile: 'FROM python:3.12-slim\nCOPY requirements.txt .\nRUN python3 -m pip install --no-cache-dir -r requirements.txt\n', lines: [3] },
    { name: 'heredoc', dockerfile: 'FROM python:3.12-slim\nRUN <<EOF\nset -e\npip install --no-cache-dir flask==3.0.0\nEOF\n', lines: [4] },
    { name: 'exec form', dockerfile: 'FROM python:3.12-slim\nRUN ["pip", "install", "--no-cache-dir", "flask==3.0.0"]\n', lines: [2] },
    { name: 'sh -c', dockerfile: 'FROM python:3.12-slim\nRUN sh -c "pip install --no-cache-dir flask==3.0.0"\n', lines: [2] },
    { name: 'builder stage whose prefix is copied', dockerfile: 'FROM python:3.12 AS build\nRUN pip install --no-cache-dir --prefix=/install flask==3.0.0\nFROM python:3.12-slim\nCOPY --from=build /install /usr/local\n', lines: [2] },
  ],
  clean: [
    { name: 'uv already used in the file', dockerfile: 'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/\nRUN uv pip install --system flask==3.0.0\nRUN pip install --no-cache-dir gunicorn==22.0.0\n' },
    { name: 'uv installed and used with pip', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir uv==0.5.0 && uv pip install --system flask==3.0.0\n' },
    { name: '--user installs (uv has none)', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir --user flask==3.0.0\n' },
    { name: 'only upgrading pip itself', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir -U pip\n' },
    { name: 'Python 2 image', dockerfile: 'FROM python:2.7-slim\nRUN pip install --no-cache-dir flask==1.0\n' },
    { name: 'builder stage not shipped', dockerfile: 'FROM python:3.12 AS build\nRUN pip install --no-cache-dir build==1.2.1 && python -m build -o /dist\nFROM python:3.12-slim\nCOPY --from=build /dist /dist\n' },
    { name: 'pip download is not an install', dockerfile: 'FROM python:3.12-slim\nRUN pip download -d /wheels flask==3.0.0\n' },
  ],
});

const UV = 'COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/\n';

describe('SD103 fixes', () => {
  it('converts to uv pip install --system and copies uv from the pinned image', () => {
    const fixed = assertFix('SD103', { dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.0\n' });
    assert.equal(fixed, `FROM python:3.12-slim\n${UV}RUN uv pip install --system --no-cache flask==3.0.0\n`);
  });
  it('adds --no-cache when pip kept a cache, and keeps continuations', () => {
    const fixed = assertFix('SD103', { dockerfile: 'FROM python:3.12-slim\nRUN python -m pip install \\\n    flask==3.0.0\n' });
    assert.equal(fixed, `FROM python:3.12-slim\n${UV}RUN uv pip install --system --no-cache \\\n    flask==3.0.0\n`);
  });
  it('bind-mount variant leaves uv out of the image', () => {
    const fixed = assertFix('SD103', { dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.0\n' }, (f) => f.find((x) => /bind-mounted/.test(x.title)));
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN --mount=from=ghcr.io/astral-sh/uv:0.12.5,source=/uv,target=/bin/uv uv pip install --system --no-cache flask==3.0.0\n');
  });
  it('exec form', () => {
    const fixed = assertFix('SD103', { dockerfile: 'FROM python:3.12-slim\nRUN ["pip", "install", "--no-cache-dir", "flask==3.0.0"]\n' });
    assert.equal(fixed, `FROM python:3.12-slim\n${UV}RUN ["uv", "pip", "install", "--system", "--no-cache", "flask==3.0.0"]\n`);
  });
  it('translates PIP_* settings from ENV, drops pip-only flags', () => {
    const fixed = assertFix('SD103', { dockerfile: 'FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1 PIP_INDEX_URL=https://pypi.example/simple\nRUN pip install --disable-pip-version-check flask==3.0.0\n' });
    assert.equal(fixed, `FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1 PIP_INDEX_URL=https://pypi.example/simple\n${UV}ENV UV_INDEX_URL=\${PIP_INDEX_URL} UV_NO_CACHE=1\nRUN uv pip install --system flask==3.0.0\n`);
  });
  it('inline PIP_* settings become inline UV_* settings', () => {
    const fixed = assertFix('SD103', { dockerfile: 'FROM python:3.12-slim\nRUN PIP_NO_CACHE_DIR=1 pip install flask==3.0.0\n' });
    assert.equal(fixed, `FROM python:3.12-slim\n${UV}RUN PIP_NO_CACHE_DIR=1 UV_NO_CACHE="1" uv pip install --system flask==3.0.0\n`);
  });
  it('a venv interpreter by path is kept with --python', () => {
    const fixed = assertFix('SD103', { dockerfile: 'FROM python:3.12-slim\nRUN python -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir flask==3.0.0\n' });
    assert.equal(fixed, `FROM python:3.12-slim\n${UV}RUN python -m venv /opt/venv && uv pip install --python /opt/venv/bin/python --no-cache flask==3.0.0\n`);
  });
  it('offers no fix for options uv does not take', () => {
    const f = check('FROM python:3.12-slim\nRUN pip install --no-cache-dir --src /src flask==3.0.0\n').find((x) => x.rule === 'SD103');
    assert.ok(f);
    assert.equal(f.fixes.length, 0);
  });
});
