import assert from 'node:assert/strict';
import { ruleCases, check, applyFileEdits } from '../../helpers';

const app = { 'app.py': 'print(1)\n', 'requirements.txt': 'flask\n' };

ruleCases('SD401', {
  fires: [
    { name: 'COPY . . then pip install -r', dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\n', lines: [3] },
    { name: 'COPY . /app then uv sync in a heredoc', dockerfile: 'FROM python:3.12-slim\nCOPY . /app\nRUN <<EOF\nuv sync --locked --no-cache\nEOF\n', lines: [2] },
    { name: 'ADD . then poetry install', dockerfile: 'FROM python:3.12-slim\nADD . /src\nRUN poetry install --only main --no-cache\n', lines: [2] },
    { name: 'builder stage that ships by COPY --from', dockerfile: 'FROM python:3.12 AS build\nCOPY . .\nRUN pip install --no-cache-dir --prefix=/install .\nFROM python:3.12-slim\nCOPY --from=build /install /usr/local\n', lines: [2] },
    { name: 'deps from another stage, but this install is a requirements file of its own', dockerfile: 'FROM python:3.12-slim AS deps\nCOPY requirements.txt .\nRUN pip install --no-cache-dir --user -r requirements.txt\nFROM python:3.12-slim\nCOPY --from=deps /root/.local /root/.local\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements-extra.txt\n', lines: [7] },
    { name: 'COPY --from a stage that installs nothing from manifests', dockerfile: 'FROM node:20 AS ui\nRUN npm ci\nFROM python:3.12-slim\nCOPY --from=ui /dist /app/static\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\n', lines: [6] },
    { name: 'pip install -e . without --no-deps', dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -e .\n', lines: [3] },
  ],
  clean: [
    { name: 'manifests first', dockerfile: 'FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n' },
    // A heredoc COPY into `.` writes its inline text: nothing of the context (its body words and
    // destination were read as sources).
    { name: 'COPY <<EOF . (a heredoc, not the context) before the install', dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY <<EOF .\nprint("hi")\nEOF\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n' },
    { name: 'COPY <<EOF ./ with a body line of one dot', dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY <<EOF ./notes.txt\n.\nEOF\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n' },
    { name: 'install by name only', dockerfile: 'FROM python:3.12-slim\nCOPY . .\nRUN pip install --no-cache-dir gunicorn\n' },
    { name: 'uv pattern with bind mounts', dockerfile: 'FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/uv --mount=type=bind,source=uv.lock,target=uv.lock uv sync --locked --no-install-project\nCOPY . /app\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --locked\n' },
    // uv's guide for a workspace: --no-install-workspace leaves out the project and every member.
    { name: 'uv workspace pattern (--no-install-workspace first)', dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nRUN --mount=type=cache,target=/root/.cache/uv --mount=type=bind,source=uv.lock,target=uv.lock --mount=type=bind,source=pyproject.toml,target=pyproject.toml uv sync --frozen --no-install-workspace --package app\nCOPY . /app\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen --package app\n' },
    { name: 'install in another stage', dockerfile: 'FROM python:3.12-slim AS deps\nRUN pip install --no-cache-dir -r /r.txt\nFROM python:3.12-slim\nCOPY . .\n' },
    { name: 'COPY --from is not the context', dockerfile: 'FROM python:3.12-slim\nCOPY --from=other . .\nRUN pip install --no-cache-dir -r requirements.txt\n' },
    { name: 'unshipped stage', dockerfile: 'FROM python:3.12 AS test\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nFROM python:3.12-slim\nCMD ["x"]\n' },
    // The project on top of dependencies installed from the manifests by another stage.
    { name: 'project installed over a COPY --from of the deps stage', dockerfile: 'FROM python:3.12-slim AS deps\nCOPY requirements.txt /tmp/\nRUN pip install --no-cache-dir --user -r /tmp/requirements.txt\nFROM python:3.12-slim\nCOPY --from=deps /root/.local /root/.local\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir --user -e .\n' },
    { name: 'uv sync after the venv comes from the builder (COPY --from after the whole COPY)', dockerfile: 'FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim AS builder\nWORKDIR /app\nRUN --mount=type=cache,target=/root/.cache/uv --mount=type=bind,source=uv.lock,target=uv.lock --mount=type=bind,source=pyproject.toml,target=pyproject.toml uv sync --locked --no-install-project --no-dev\nFROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nWORKDIR /app\nCOPY . .\nCOPY --from=builder /app/.venv /app/.venv\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-dev\n' },
    { name: 'the parent stage installed the dependencies', dockerfile: 'FROM python:3.12-slim AS build\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nFROM build AS final\nCOPY . .\nRUN pip install --no-cache-dir .\n' },
    // Installs of the project alone install no dependencies.
    { name: 'pip install --no-deps .', dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir --no-deps .\n' },
    { name: 'poetry install --only-root', dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN poetry install --only-root --no-cache\n' },
  ],
});

ruleCases('SD402', {
  fires: [
    { name: '.git and no .dockerignore', dockerfile: 'FROM python:3.12-slim\nCOPY . .\n', files: { ...app, '.git/HEAD': 'ref: x\n', '.git/objects/pack/p.pack': 'x'.repeat(1000) }, lines: [2] },
    { name: '.venv not ignored', dockerfile: 'FROM python:3.12-slim\nCOPY . /app\n', files: { ...app, '.dockerignore': '.git\n', '.venv/pyvenv.cfg': 'home = /usr\n', '.venv/lib/x.py': 'x' }, lines: [2] },
    { name: '__pycache__ deep inside', dockerfile: 'FROM python:3.12-slim\nCOPY ./ /app/\n', files: { ...app, 'pkg/__pycache__/a.cpython-312.pyc': 'x' }, lines: [2] },
    { name: 'negation re-includes a cache', dockerfile: 'FROM python:3.12-slim\nCOPY . .\n', files: { ...app, '.dockerignore': '.*\n!.pytest_cache\n', '.pytest_cache/v/x': 'x' }, lines: [2] },
    { name: 'pre-commit installed, never run; git on a clone of its own before the COPY', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir pre-commit && git clone https://e.x/dep /tmp/dep && git -C /tmp/dep submodule update --init\nCOPY . .\n', files: { ...app, '.git/HEAD': 'x' }, lines: [3] },
    { name: 'builder copies . and final copies /app', dockerfile: 'FROM python:3.12 AS b\nWORKDIR /app\nCOPY . .\nFROM python:3.12-slim\nCOPY --from=b /app /app\n', files: { ...app, 'node_modules/x/index.js': 'x' }, lines: [3] },
  ],
  clean: [
    { name: 'ignored by .dockerignore', dockerfile: 'FROM python:3.12-slim\nCOPY . .\n', files: { ...app, '.dockerignore': '.git\n.venv\n**/__pycache__\n', '.git/HEAD': 'x', '.venv/pyvenv.cfg': 'x', 'a/__pycache__/b.pyc': 'x' } },
    { name: 'nothing bloated present (a missing pattern is no warning)', dockerfile: 'FROM python:3.12-slim\nCOPY . .\n', files: app },
    { name: 'only specific files copied', dockerfile: 'FROM python:3.12-slim\nCOPY app.py requirements.txt ./\n', files: { ...app, '.git/HEAD': 'x' } },
    { name: 'builder whose /src is not copied to the final image', dockerfile: 'FROM python:3.12 AS b\nWORKDIR /src\nCOPY . .\nRUN pip wheel --no-cache-dir -w /wheels .\nFROM python:3.12-slim\nCOPY --from=b /wheels /wheels\n', files: { ...app, '.git/HEAD': 'x' } },
    { name: 'COPY --exclude', dockerfile: '# syntax=docker/dockerfile:1.7-labs\nFROM python:3.12-slim\nCOPY --exclude=.git . .\n', files: { ...app, '.git/HEAD': 'x' } },
    // The build reads .git: excluding it would break it.
    { name: '.git named by a COPY', dockerfile: 'FROM python:3.12-slim\nCOPY .git .git\nCOPY . .\n', files: { ...app, '.git/HEAD': 'x' } },
    { name: '.git read by a RUN (git describe)', dockerfile: 'FROM python:3.12-slim\nCOPY . .\nRUN git describe --tags > VERSION\n', files: { ...app, '.git/HEAD': 'x' } },
    { name: 'version from git (setuptools-scm)', dockerfile: 'FROM python:3.12-slim\nCOPY . .\nRUN pip install --no-cache-dir .\n', files: { ...app, '.git/HEAD': 'x', 'pyproject.toml': '[build-system]\nrequires = ["setuptools", "setuptools-scm"]\n' } },
    { name: 'version from git in a uv workspace member (hatch-vcs)', dockerfile: 'FROM python:3.12-slim\nCOPY . .\nRUN uv sync --locked --no-cache\n', files: { ...app, '.git/HEAD': 'x', 'pyproject.toml': '[tool.uv.workspace]\nmembers = ["packages/*"]\n', 'packages/app/pyproject.toml': '[build-system]\nrequires = ["hatchling", "hatch-vcs"]\n' } },
    { name: '.git named by a COPY in the JSON form', dockerfile: 'FROM python:3.12-slim\nCOPY [".git", "/app/.git"]\nCOPY . /app\n', files: { ...app, '.git/HEAD': 'x' } },
    { name: 'git with its global options after the COPY (git -C /app describe)', dockerfile: 'FROM python:3.12-slim\nCOPY . /app\nRUN git -C /app describe --tags > /VERSION\n', files: { ...app, '.git/HEAD': 'x' } },
    { name: 'version from git in pdm (source = "scm")', dockerfile: 'FROM python:3.12-slim\nCOPY . .\nRUN pip install --no-cache-dir .\n', files: { ...app, '.git/HEAD': 'x', 'pyproject.toml': '[build-system]\nrequires = ["pdm-backend"]\n[tool.pdm.version]\nsource = "scm"\n' } },
    // Found by review: excluding a folder a COPY names would break that COPY.
    { name: 'dist and node_modules named by COPYs', dockerfile: 'FROM python:3.12-slim\nCOPY dist/ /wheels/\nCOPY node_modules ./node_modules\nRUN pip install --no-cache-dir /wheels/*.whl\nCOPY . .\n', files: { ...app, 'dist/app-1.0-py3-none-any.whl': 'x', 'node_modules/x/i.js': 'x' } },
    { name: 'a built wheel named by a glob, a bind mount of node_modules', dockerfile: 'FROM python:3.12-slim\nCOPY dist/*.whl /tmp/\nRUN --mount=type=bind,source=node_modules,target=/nm ls /nm\nCOPY . .\n', files: { ...app, 'dist/app-1.0-py3-none-any.whl': 'x', 'node_modules/x/i.js': 'x' } },
    { name: 'Dockerfile-specific ignore file', path: 'Dockerfile.prod', dockerfile: 'FROM python:3.12-slim\nCOPY . .\n', files: { ...app, 'Dockerfile.prod.dockerignore': '.git\n', '.git/HEAD': 'x' } },
  ],
});

ruleCases('SD403', {
  fires: [
    { name: '.env', dockerfile: 'FROM python:3.12-slim\nCOPY . .\n', files: { ...app, '.env': 'TOKEN=x\n' }, lines: [2] },
    { name: 'key in a subfolder', dockerfile: 'FROM python:3.12-slim\nCOPY . /app\n', files: { ...app, '.dockerignore': '.git\n', 'certs/server.pem': 'x', 'deploy/id_rsa': 'x' }, lines: [2] },
    { name: '.env.production re-included', dockerfile: 'FROM python:3.12-slim\nCOPY . .\n', files: { ...app, '.dockerignore': '.env*\n!.env.production\n', '.env.production': 'x' }, lines: [2] },
  ],
  clean: [
    { name: '.env ignored', dockerfile: 'FROM python:3.12-slim\nCOPY . .\n', files: { ...app, '.dockerignore': '.env\n', '.env': 'x' } },
    { name: '.env.example is documentation', dockerfile: 'FROM python:3.12-slim\nCOPY . .\n', files: { ...app, '.env.example': 'TOKEN=\n' } },
    { name: 'public key', dockerfile: 'FROM python:3.12-slim\nCOPY . .\n', files: { ...app, 'id_rsa.pub': 'x' } },
    { name: 'secret not copied', dockerfile: 'FROM python:3.12-slim\nCOPY app.py .\n', files: { ...app, '.env': 'x' } },
  ],
});

describe('SD402/SD403 fixes', () => {
  it('creates a .dockerignore with what was found and .venv', () => {
    const files = { ...app, '.git/HEAD': 'x', 'pkg/__pycache__/a.pyc': 'x' };
    const f = check('FROM python:3.12-slim\nCOPY . .\n', files).find((x) => x.rule === 'SD402')!;
    const after = applyFileEdits(files, f.fixes[0]);
    assert.equal(after['.dockerignore'], '.git\n**/__pycache__\n.venv\n');
    assert.equal(check('FROM python:3.12-slim\nCOPY . .\n', after).filter((x) => x.rule === 'SD402').length, 0);
  });
  it('extends an existing .dockerignore without touching its lines', () => {
    const files = { ...app, '.dockerignore': '# mine\n.git', '.env': 'x' };
    const f = check('FROM python:3.12-slim\nCOPY . .\n', files).find((x) => x.rule === 'SD403')!;
    const after = applyFileEdits(files, f.fixes[0]);
    assert.equal(after['.dockerignore'], '# mine\n.git\n.env\n');
    assert.equal(check('FROM python:3.12-slim\nCOPY . .\n', after).filter((x) => x.rule === 'SD403').length, 0);
  });
  it('reports the size of what it found', () => {
    const f = check('FROM python:3.12-slim\nCOPY . .\n', { ...app, '.git/pack': 'x'.repeat(5000) }).find((x) => x.rule === 'SD402')!;
    assert.equal(f.estimate?.bytes, 5000);
  });
});
