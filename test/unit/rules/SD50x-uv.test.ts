import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ruleCases, assertFix, check } from '../../helpers';

const lock = { 'pyproject.toml': '[project]\nname = "app"\nversion = "0.1.0"\n', 'uv.lock': 'version = 1\n' };
const UV = 'COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/\n';

ruleCases('SD501', {
  fires: [
    { name: 'pip install uv', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir uv\n', lines: [2] },
    { name: 'installer script', dockerfile: 'FROM python:3.12-slim\nRUN curl -LsSf https://astral.sh/uv/install.sh | sh\n', lines: [2] },
    { name: 'pipx in a heredoc', dockerfile: 'FROM python:3.12-slim\nRUN <<EOF\npipx install uv\nEOF\n', lines: [3] },
  ],
  clean: [
    { name: 'copied from the image', dockerfile: `FROM python:3.12-slim\n${UV}` },
    { name: 'bind-mounted', dockerfile: 'FROM python:3.12-slim\nRUN --mount=from=ghcr.io/astral-sh/uv:0.12.5,source=/uv,target=/bin/uv uv pip install --system --no-cache flask\n' },
    { name: 'uvicorn is not uv', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir uvicorn\n' },
    { name: 'unshipped builder', dockerfile: 'FROM python:3.12 AS b\nRUN pip install uv && uv --version\nFROM python:3.12-slim\n' },
  ],
});

ruleCases('SD502', {
  fires: [
    { name: 'uv sync without cache handling', dockerfile: `FROM python:3.12-slim\n${UV}RUN uv sync --locked\n`, files: lock, lines: [3] },
    { name: 'uv pip install in exec form', dockerfile: `FROM python:3.12-slim\n${UV}RUN ["uv", "pip", "install", "--system", "flask"]\n`, lines: [3] },
    { name: 'cache mount for root, user is app', dockerfile: `FROM python:3.12-slim\n${UV}USER app\nRUN --mount=type=cache,target=/root/.cache/uv uv pip install --system flask\n`, lines: [4] },
    { name: 'UV_NO_CACHE=0 does not disable', dockerfile: `FROM python:3.12-slim\n${UV}ENV UV_NO_CACHE=0\nRUN uv pip install --system flask\n`, lines: [4] },
  ],
  clean: [
    { name: 'cache mount', dockerfile: `FROM python:3.12-slim\n${UV}ENV UV_LINK_MODE=copy\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --locked\n`, files: lock },
    { name: '--no-cache', dockerfile: `FROM python:3.12-slim\n${UV}RUN uv pip install --system --no-cache flask\n` },
    { name: 'UV_NO_CACHE inherited', dockerfile: `FROM python:3.12-slim AS base\nENV UV_NO_CACHE=1\nFROM base\n${UV}RUN uv pip install --system flask\n` },
    { name: 'UV_CACHE_DIR into a mount', dockerfile: `FROM python:3.12-slim\n${UV}ENV UV_CACHE_DIR=/cache UV_LINK_MODE=copy\nRUN --mount=type=cache,target=/cache uv pip install --system flask\n` },
    { name: 'builder copied by path', dockerfile: `FROM python:3.12-slim AS b\n${UV}RUN uv venv /opt/venv && uv pip install --python /opt/venv/bin/python flask\nFROM python:3.12-slim\nCOPY --from=b /opt/venv /opt/venv\n` },
    { name: 'uv cache clean in the same RUN', dockerfile: `FROM python:3.12-slim\n${UV}RUN uv pip install --system flask && uv cache clean\n` },
  ],
});

ruleCases('SD503', {
  fires: [
    { name: 'plain uv sync', dockerfile: `FROM python:3.12-slim\n${UV}RUN --mount=type=cache,target=/root/.cache/uv uv sync\n`, files: lock, lines: [3] },
    { name: 'in sh -c', dockerfile: `FROM python:3.12-slim\n${UV}RUN sh -c "uv sync --no-cache"\n`, files: lock, lines: [3] },
    { name: 'UV_LOCKED=0', dockerfile: `FROM python:3.12-slim\n${UV}ENV UV_LOCKED=0\nRUN uv sync --no-cache\n`, files: lock, lines: [4] },
  ],
  clean: [
    { name: '--locked', dockerfile: `FROM python:3.12-slim\n${UV}RUN uv sync --locked --no-cache\n`, files: lock },
    { name: '--frozen', dockerfile: `FROM python:3.12-slim\n${UV}RUN uv sync --frozen --no-cache\n`, files: lock },
    { name: 'UV_LOCKED=1 inherited', dockerfile: `FROM python:3.12-slim AS base\nENV UV_LOCKED=1\nFROM base\n${UV}RUN uv sync --no-cache\n`, files: lock },
    { name: 'uv pip install is not sync', dockerfile: `FROM python:3.12-slim\n${UV}RUN uv pip install --system --no-cache flask\n` },
    { name: 'flags in an ARG expanded on the command line (redash)', dockerfile: `FROM python:3.12-slim\n${UV}ARG UV_OPTIONS="--frozen --no-cache"\nRUN uv sync $UV_OPTIONS\n`, files: lock },
  ],
});

ruleCases('SD504', {
  fires: [
    { name: 'cache mount, no link mode', dockerfile: `FROM python:3.12-slim\n${UV}RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked\n`, files: lock, lines: [3] },
    { name: 'cache mount for app user', dockerfile: `FROM python:3.12-slim\n${UV}USER app\nRUN --mount=type=cache,target=/home/app/.cache/uv,uid=1000 uv pip install --system flask\n`, lines: [4] },
    { name: 'heredoc', dockerfile: `FROM python:3.12-slim\n${UV}RUN --mount=type=cache,target=/root/.cache/uv <<EOF\nuv pip install --system flask\nEOF\n`, lines: [4] },
  ],
  clean: [
    { name: 'ENV UV_LINK_MODE=copy', dockerfile: `FROM python:3.12-slim\n${UV}ENV UV_LINK_MODE=copy\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --locked\n`, files: lock },
    { name: 'inline', dockerfile: `FROM python:3.12-slim\n${UV}RUN --mount=type=cache,target=/root/.cache/uv UV_LINK_MODE=copy uv sync --locked\n`, files: lock },
    { name: '--link-mode flag', dockerfile: `FROM python:3.12-slim\n${UV}RUN --mount=type=cache,target=/root/.cache/uv uv pip install --system --link-mode=copy flask\n` },
    { name: 'no cache mount', dockerfile: `FROM python:3.12-slim\n${UV}RUN uv pip install --system --no-cache flask\n` },
  ],
});

ruleCases('SD505', {
  fires: [
    { name: 'one sync after COPY', dockerfile: `FROM python:3.12-slim\n${UV}COPY . /app\nWORKDIR /app\nRUN uv sync --locked --no-cache\n`, files: lock, lines: [5] },
    { name: 'one sync in a builder that ships the venv', dockerfile: `FROM python:3.12-slim AS b\n${UV}WORKDIR /app\nCOPY . .\nRUN uv sync --locked --no-cache\nFROM python:3.12-slim\nCOPY --from=b /app/.venv /app/.venv\n`, files: lock, lines: [5] },
    { name: 'heredoc', dockerfile: `FROM python:3.12-slim\n${UV}COPY . /app\nRUN <<EOF\nuv sync --locked --no-cache\nEOF\n`, files: lock, lines: [5] },
  ],
  clean: [
    { name: 'two-step pattern', dockerfile: `FROM python:3.12-slim\n${UV}RUN --mount=type=bind,source=uv.lock,target=uv.lock uv sync --locked --no-install-project --no-cache\nCOPY . /app\nRUN uv sync --locked --no-cache\n`, files: lock },
    { name: 'two-step across parent stage', dockerfile: `FROM python:3.12-slim AS deps\n${UV}RUN uv sync --locked --no-install-project --no-cache\nFROM deps\nCOPY . /app\nRUN uv sync --locked --no-cache\n`, files: lock },
    { name: 'unshipped stage', dockerfile: `FROM python:3.12-slim AS test\n${UV}RUN uv sync --locked --no-cache\nFROM python:3.12-slim\n`, files: lock },
    { name: 'uv pip install', dockerfile: `FROM python:3.12-slim\n${UV}RUN uv pip install --system --no-cache -r requirements.txt\n`, files: { 'requirements.txt': 'flask\n' } },
  ],
});

ruleCases('SD506', {
  fires: [
    { name: 'copied into the final stage', dockerfile: `FROM python:3.12-slim AS b\n${UV}RUN uv venv /v\nFROM python:3.12-slim\n${UV}COPY --from=b /v /v\n`, lines: [5] },
    { name: 'pip-installed in the final stage', dockerfile: `FROM python:3.12 AS b\nRUN echo\nFROM python:3.12-slim\nRUN pip install --no-cache-dir uv\n`, lines: [4] },
    { name: 'final built from a stage that has uv', dockerfile: `FROM python:3.12-slim AS base\n${UV}FROM python:3.12 AS other\nRUN echo\nFROM base\nCMD ["x"]\n`, lines: [2] },
  ],
  clean: [
    { name: 'single stage (uv is how it installs)', dockerfile: `FROM python:3.12-slim\n${UV}` },
    { name: 'only in the builder', dockerfile: `FROM python:3.12-slim AS b\n${UV}RUN uv venv /v\nFROM python:3.12-slim\nCOPY --from=b /v /v\n` },
    { name: 'bind-mounted in the final stage', dockerfile: 'FROM python:3.12-slim AS b\nRUN echo\nFROM python:3.12-slim\nRUN --mount=from=ghcr.io/astral-sh/uv:0.12.5,source=/uv,target=/bin/uv uv pip install --system --no-cache flask\n' },
  ],
});

ruleCases('SD507', {
  fires: [
    { name: 'uv python install on python base', dockerfile: `FROM python:3.12-slim\n${UV}RUN uv python install 3.12\n`, lines: [3] },
    { name: 'requested version differs', dockerfile: `FROM python:3.11-slim\n${UV}RUN uv venv --python 3.12 /v\n`, lines: [3] },
    { name: 'UV_PYTHON env differs', dockerfile: `FROM python:3.11-slim AS base\nENV UV_PYTHON=3.13\nFROM base\n${UV}RUN uv sync --locked --no-cache\n`, files: lock, lines: [5] },
  ],
  clean: [
    { name: 'downloads off', dockerfile: `FROM python:3.12-slim\n${UV}ENV UV_PYTHON_DOWNLOADS=0\nRUN uv python install 3.12\n` },
    { name: 'matching version', dockerfile: `FROM python:3.12-slim\n${UV}RUN uv venv --python 3.12 /v\n` },
    { name: 'base without Python', dockerfile: `FROM debian:bookworm-slim\n${UV}RUN uv python install 3.12\n` },
    { name: 'unshipped stage', dockerfile: `FROM python:3.12-slim AS b\n${UV}RUN uv python install 3.13\nFROM python:3.12-slim\n` },
  ],
});

ruleCases('SD508', {
  fires: [
    { name: 'uv sync --locked without uv.lock', dockerfile: `FROM python:3.12-slim\n${UV}COPY . /app\nRUN uv sync --locked --no-cache\n`, files: { 'pyproject.toml': '[project]\nname="a"\n' }, lines: [4] },
    { name: 'uv.lock ignored', dockerfile: `FROM python:3.12-slim\n${UV}COPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-cache\n`, files: { ...lock, '.dockerignore': '*.lock\n' }, lines: [3, 4] },
    { name: 'bind mount of missing requirements', dockerfile: 'FROM python:3.12-slim\nRUN --mount=type=bind,source=requirements.txt,target=/r.txt pip install --no-cache-dir -r /r.txt\n', files: { 'pyproject.toml': 'x' }, lines: [2] },
    { name: 'pip on Debian 12 python3', dockerfile: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends python3-pip && rm -rf /var/lib/apt/lists/*\nRUN pip install --no-cache-dir flask\n', lines: [3] },
    { name: 'uv pip --system on Ubuntu 24.04', dockerfile: `FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*\n${UV}RUN uv pip install --system --no-cache flask\n`, lines: [4] },
    { name: 'an earlier locked sync writes no lock', dockerfile: `FROM python:3.12-slim\n${UV}WORKDIR /app\nCOPY . .\nRUN uv sync --frozen --no-cache --no-install-project\nRUN uv sync --locked --no-cache\n`, files: { 'pyproject.toml': '[project]\nname="a"\n' }, lines: [5, 6] },
    { name: 'uv lock run in another project folder', dockerfile: `FROM python:3.12-slim\n${UV}COPY . /app\nRUN uv lock --project /tools\nWORKDIR /app\nRUN uv sync --locked --no-cache\n`, files: { 'pyproject.toml': '[project]\nname="a"\n' }, lines: [6] },
    { name: 'a copy from an image that does not name the lock', dockerfile: `FROM python:3.12-slim\n${UV}WORKDIR /app\nCOPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /app/\nCOPY . .\nRUN uv sync --locked --no-cache\n`, files: { 'pyproject.toml': '[project]\nname="a"\n' }, lines: [6] },
  ],
  clean: [
    { name: 'lock present', dockerfile: `FROM python:3.12-slim\n${UV}COPY . /app\nRUN uv sync --locked --no-cache\n`, files: lock },
    { name: 'lock in a subfolder', dockerfile: `FROM python:3.12-slim\n${UV}COPY backend/ /app\nWORKDIR /app\nRUN uv sync --locked --no-cache\n`, files: { 'backend/uv.lock': 'x', 'backend/pyproject.toml': 'x' } },
    { name: 'context unknown (only the Dockerfile)', dockerfile: `FROM python:3.12-slim\n${UV}COPY uv.lock .\nRUN uv sync --locked --no-cache\n` },
    { name: 'pip on python image', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n' },
    { name: 'Debian 11 is not externally managed', dockerfile: 'FROM debian:bullseye-slim\nRUN apt-get update && apt-get install -y --no-install-recommends python3-pip && rm -rf /var/lib/apt/lists/*\nRUN pip install --no-cache-dir flask\n' },
    { name: 'venv on PATH', dockerfile: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends python3-venv && rm -rf /var/lib/apt/lists/*\nRUN python3 -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\nRUN pip install --no-cache-dir flask\n' },
    { name: '--break-system-packages', dockerfile: 'FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends python3-pip && rm -rf /var/lib/apt/lists/*\nRUN pip install --no-cache-dir --break-system-packages flask\n' },
    { name: 'lock made by uv lock in the same RUN', dockerfile: `FROM python:3.12-slim\n${UV}WORKDIR /app\nCOPY . .\nRUN uv lock && uv sync --locked --no-cache\n`, files: { 'pyproject.toml': '[project]\nname="a"\n' } },
    { name: 'lock made by an earlier unlocked sync', dockerfile: `FROM python:3.12-slim\n${UV}WORKDIR /app\nCOPY . .\nRUN uv sync --no-cache --no-install-project\nRUN uv sync --frozen --no-cache\n`, files: { 'pyproject.toml': '[project]\nname="a"\n' } },
    { name: 'lock made in the stage built FROM', dockerfile: `FROM python:3.12-slim AS base\n${UV}WORKDIR /app\nCOPY . .\nRUN uv lock\nFROM base\nRUN uv sync --locked --no-cache\n`, files: { 'pyproject.toml': '[project]\nname="a"\n' } },
    { name: 'lock copied from a stage that makes it', dockerfile: `FROM python:3.12-slim AS lock\n${UV}WORKDIR /src\nCOPY pyproject.toml .\nRUN uv lock\nFROM python:3.12-slim\n${UV}WORKDIR /app\nCOPY . .\nCOPY --from=lock /src/uv.lock ./\nRUN uv sync --locked --no-cache\n`, files: { 'pyproject.toml': '[project]\nname="a"\n' } },
    { name: 'project folder copied from a stage that locks it', dockerfile: `FROM python:3.12-slim AS lock\n${UV}WORKDIR /src\nCOPY . .\nRUN uv lock\nFROM python:3.12-slim\n${UV}COPY --from=lock /src /app\nWORKDIR /app\nRUN uv sync --locked --no-cache\n`, files: { 'pyproject.toml': '[project]\nname="a"\n' } },
  ],
});

ruleCases('SD509', {
  fires: [
    { name: 'uv sync', dockerfile: `FROM python:3.12-slim\n${UV}ENV UV_LINK_MODE=copy\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --locked\n`, files: lock, lines: [4] },
    { name: 'once per stage', dockerfile: `FROM python:3.12-slim\n${UV}RUN uv pip install --system --no-cache flask\nRUN uv pip install --system --no-cache gunicorn\n`, lines: [3] },
    { name: 'exec form', dockerfile: `FROM python:3.12-slim\n${UV}RUN ["uv", "pip", "install", "--system", "--no-cache", "flask"]\n`, lines: [3] },
  ],
  clean: [
    { name: 'set to 1', dockerfile: `FROM python:3.12-slim\n${UV}ENV UV_COMPILE_BYTECODE=1\nRUN uv pip install --system --no-cache flask\n` },
    { name: 'set to 0 in parent', dockerfile: `FROM python:3.12-slim AS base\nENV UV_COMPILE_BYTECODE=0\nFROM base\n${UV}RUN uv pip install --system --no-cache flask\n` },
    { name: 'flag', dockerfile: `FROM python:3.12-slim\n${UV}RUN uv pip install --system --no-cache --compile-bytecode flask\n` },
    { name: 'no uv', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n' },
  ],
});

describe('uv rule fixes', () => {
  it('SD501 replaces the installer with the pinned image', () => {
    assert.equal(assertFix('SD501', { dockerfile: 'FROM python:3.12-slim\nRUN curl -LsSf https://astral.sh/uv/install.sh | sh\nCMD ["x"]\n' }), `FROM python:3.12-slim\n${UV}CMD ["x"]\n`.replace('/bin/\n', '/bin/\n'));
  });
  it('SD502 adds --no-cache', () => {
    assert.equal(assertFix('SD502', { dockerfile: `FROM python:3.12-slim\n${UV}RUN uv pip install --system flask\n` }), `FROM python:3.12-slim\n${UV}RUN uv pip install --no-cache --system flask\n`);
  });
  it('SD502 adds a cache mount with UV_LINK_MODE=copy', () => {
    const fixed = assertFix('SD502', { dockerfile: `FROM python:3.12-slim\n${UV}RUN uv sync --locked\n`, files: lock }, (f) => f.find((x) => /cache mount/.test(x.title)));
    assert.equal(fixed, `FROM python:3.12-slim\n${UV}RUN --mount=type=cache,target=/root/.cache/uv UV_LINK_MODE=copy uv sync --locked\n`);
  });
  it('SD503 adds --locked', () => {
    assert.equal(assertFix('SD503', { dockerfile: `FROM python:3.12-slim\n${UV}RUN uv sync --no-cache\n`, files: lock }), `FROM python:3.12-slim\n${UV}RUN uv sync --locked --no-cache\n`);
  });
  it('SD504 adds ENV UV_LINK_MODE=copy', () => {
    assert.equal(assertFix('SD504', { dockerfile: `FROM python:3.12-slim\n${UV}RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked\n`, files: lock }), `FROM python:3.12-slim\n${UV}ENV UV_LINK_MODE=copy\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --locked\n`);
  });
  it('SD508 adds --break-system-packages', () => {
    const d = 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends python3-pip && rm -rf /var/lib/apt/lists/*\nRUN pip install --no-cache-dir flask\n';
    assert.equal(assertFix('SD508', { dockerfile: d }), d.replace('pip install', 'pip install --break-system-packages'));
  });
  it('SD509 adds ENV UV_COMPILE_BYTECODE=1', () => {
    assert.equal(assertFix('SD509', { dockerfile: `FROM python:3.12-slim\n${UV}RUN uv pip install --system --no-cache flask\n` }), `FROM python:3.12-slim\n${UV}ENV UV_COMPILE_BYTECODE=1\nRUN uv pip install --system --no-cache flask\n`);
  });
});

describe("uv's own recommended Dockerfiles", () => {
  const dir = path.join(__dirname, '../../fixtures/uv-guide');
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(dir)) files[name] = fs.readFileSync(path.join(dir, name), 'utf8');
  for (const name of ['Dockerfile', 'single.Dockerfile']) {
    it(`${name}: no warning or error`, () => {
      const found = check(files[name], files, name).filter((f) => f.severity === 'warning' || f.severity === 'error');
      assert.deepEqual(found.map((f) => `${f.rule} ${f.range.start.line + 1}: ${f.message}`), []);
    });
  }
});
