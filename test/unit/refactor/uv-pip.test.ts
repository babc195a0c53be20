// pip install → uv pip install, offered on any pip install: uv copied from the pinned image (once
// per stage) or bind-mounted; requirements installs also with a cache mount and UV_LINK_MODE=copy.
import assert from 'node:assert/strict';
import { apply, kinds } from './util';

const UV = 'COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/\n';
const MOUNT = '--mount=from=ghcr.io/astral-sh/uv:0.12.5,source=/uv,target=/bin/uv';
const reqs = { 'requirements.txt': 'flask==3.0.3\n' };

describe('refactoring: pip install → uv pip install (uv copied)', () => {
  it('is offered where no rule fires (uv already used elsewhere in the file), and copies uv once per stage', () => {
    const df = 'FROM python:3.12-slim AS a\nRUN --mount=from=ghcr.io/astral-sh/uv:0.12.5,source=/uv,target=/bin/uv uv pip install --system --no-cache six==1.16.0\nFROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n';
    assert.equal(apply('uv-pip', df, 4).text, `FROM python:3.12-slim AS a\nRUN ${MOUNT} uv pip install --system --no-cache six==1.16.0\nFROM python:3.12-slim\n${UV}RUN uv pip install --system --no-cache flask==3.0.3\n`);
  });
  it('no second COPY when the stage already has uv', () => {
    const df = `FROM python:3.12-slim\n${UV}RUN uv pip install --system --no-cache six==1.16.0\nRUN pip install --no-cache-dir flask==3.0.3\n`;
    assert.deepEqual(kinds(df, 4), ['uv-pip']);
    assert.equal(apply('uv-pip', df, 4).text, `FROM python:3.12-slim\n${UV}RUN uv pip install --system --no-cache six==1.16.0\nRUN uv pip install --system --no-cache flask==3.0.3\n`);
  });
  it('continuation lines, comments and indentation are kept; the COPY goes above the RUN\'s comments', () => {
    const df = 'FROM python:3.12-slim\n  # web server\n  RUN pip install --no-cache-dir \\\n      # pinned\n      gunicorn==22.0.0 \\\n      flask==3.0.3\n';
    assert.equal(apply('uv-pip', df, 5).text, `FROM python:3.12-slim\n  ${UV}  # web server\n  RUN uv pip install --system --no-cache \\\n      # pinned\n      gunicorn==22.0.0 \\\n      flask==3.0.3\n`);
  });
  it('exec form', () => {
    const df = 'FROM python:3.12-slim\nRUN ["python", "-m", "pip", "install", "--no-cache-dir", "flask==3.0.3"]\n';
    assert.equal(apply('uv-pip', df, 2).text, `FROM python:3.12-slim\n${UV}RUN ["uv", "pip", "install", "--system", "--no-cache", "flask==3.0.3"]\n`);
  });
  it('heredoc', () => {
    const df = 'FROM python:3.12-slim\nRUN <<EOF\nset -e\npip install --no-cache-dir flask==3.0.3\nEOF\n';
    assert.equal(apply('uv-pip', df, 4).text, `FROM python:3.12-slim\n${UV}RUN <<EOF\nset -e\nuv pip install --system --no-cache flask==3.0.3\nEOF\n`);
  });
  // (With an extra index, pip's best match over every index: uv's unsafe-best-match; found by review, round 27.)
  it('ENV PIP_* become the UV_* equivalents', () => {
    const df = 'FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1 PIP_INDEX_URL=https://pypi.example/simple PIP_EXTRA_INDEX_URL=https://extra.example/simple PIP_FIND_LINKS=/wheels PIP_CONSTRAINT=/c.txt\nRUN pip install flask==3.0.3\n';
    assert.equal(
      apply('uv-pip', df, 3).text,
      `FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1 PIP_INDEX_URL=https://pypi.example/simple PIP_EXTRA_INDEX_URL=https://extra.example/simple PIP_FIND_LINKS=/wheels PIP_CONSTRAINT=/c.txt\n${UV}ENV UV_INDEX_URL=\${PIP_INDEX_URL} UV_EXTRA_INDEX_URL=\${PIP_EXTRA_INDEX_URL} UV_FIND_LINKS=\${PIP_FIND_LINKS} UV_CONSTRAINT=\${PIP_CONSTRAINT} UV_NO_CACHE=1\nRUN uv pip install --system --index-strategy unsafe-best-match flask==3.0.3\n`,
    );
  });
  it('--break-system-packages only on an externally managed distro Python (SD508)', () => {
    const apt = 'RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip && rm -rf /var/lib/apt/lists/*\n';
    assert.equal(apply('uv-pip', `FROM debian:bookworm\n${apt}RUN pip install --no-cache-dir flask==3.0.3\n`, 3).text, `FROM debian:bookworm\n${apt}${UV}RUN uv pip install --system --break-system-packages --no-cache flask==3.0.3\n`);
    assert.equal(apply('uv-pip', `FROM debian:bullseye\n${apt}RUN pip install --no-cache-dir flask==3.0.3\n`, 3).text, `FROM debian:bullseye\n${apt}${UV}RUN uv pip install --system --no-cache flask==3.0.3\n`);
  });
  it('non-root USER: a venv of that user is converted, a system install is not offered', () => {
    const venv = 'FROM python:3.12-slim\nRUN useradd -m app\nUSER app\nENV VIRTUAL_ENV=/home/app/venv PATH=/home/app/venv/bin:$PATH\nRUN python -m venv /home/app/venv && pip install --no-cache-dir flask==3.0.3\n';
    assert.equal(apply('uv-pip', venv, 5).text, `FROM python:3.12-slim\nRUN useradd -m app\nUSER app\nENV VIRTUAL_ENV=/home/app/venv PATH=/home/app/venv/bin:$PATH\n${UV}RUN python -m venv /home/app/venv && uv pip install --no-cache flask==3.0.3\n`);
    assert.deepEqual(kinds('FROM python:3.12-slim\nUSER app\nRUN pip install --no-cache-dir flask==3.0.3\n', 3), []);
  });
  it('is not offered where the result would not be the same install', () => {
    assert.deepEqual(kinds('FROM python:3.12-slim\nRUN pip install --user flask==3.0.3\n', 2), [], '--user');
    assert.deepEqual(kinds('FROM python:2.7-slim\nRUN pip2 install flask==1.0\n', 2), [], 'Python 2');
    assert.deepEqual(kinds('FROM python:3.12-slim\nRUN pip install --src /src flask==3.0.3\n', 2), [], 'an option uv lacks');
    assert.deepEqual(kinds('FROM python:3.12-slim\nRUN pip download flask==3.0.3\n', 2), [], 'not an install');
    assert.deepEqual(kinds('FROM python:3.12-slim\nRUN sh -c "PIP_NO_CACHE_DIR=1 pip install flask==3.0.3"\n', 2), [], 'quotes inside sh -c');
    assert.deepEqual(kinds('FROM python:3.12-slim\nRUN pip install flask==3.0.3\nRUN echo done\n', 3), [], 'not on an install line');
  });
});

describe('refactoring: pip install → uv pip install (uv bind-mounted)', () => {
  it('mounts uv for the one RUN', () => {
    const df = 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n';
    assert.equal(apply('uv-pip-mount', df, 2).text, `FROM python:3.12-slim\nRUN ${MOUNT} uv pip install --system --no-cache flask==3.0.3\n`);
  });
  it('after the RUN\'s other mounts, with continuations', () => {
    const df = 'FROM python:3.12-slim\nRUN --mount=type=secret,id=netrc,target=/root/.netrc \\\n    pip install --no-cache-dir \\\n      flask==3.0.3\n';
    assert.equal(apply('uv-pip-mount', df, 3).text, `FROM python:3.12-slim\nRUN --mount=type=secret,id=netrc,target=/root/.netrc ${MOUNT} \\\n    uv pip install --system --no-cache \\\n      flask==3.0.3\n`);
  });
  it('exec form', () => {
    const df = 'FROM python:3.12-slim\nRUN ["pip", "install", "--no-cache-dir", "flask==3.0.3"]\n';
    assert.equal(apply('uv-pip-mount', df, 2).text, `FROM python:3.12-slim\nRUN ${MOUNT} ["uv", "pip", "install", "--system", "--no-cache", "flask==3.0.3"]\n`);
  });
  it('ENV PIP_* translated on an ENV line before the RUN; inline ones inline', () => {
    const df = 'FROM python:3.12-slim\nENV PIP_INDEX_URL=https://pypi.example/simple\nRUN PIP_NO_CACHE_DIR=1 pip install flask==3.0.3\n';
    assert.equal(apply('uv-pip-mount', df, 3).text, `FROM python:3.12-slim\nENV PIP_INDEX_URL=https://pypi.example/simple\nENV UV_INDEX_URL=\${PIP_INDEX_URL}\nRUN ${MOUNT} PIP_NO_CACHE_DIR=1 UV_NO_CACHE="1" uv pip install --system flask==3.0.3\n`);
  });
});

describe('refactoring: requirements install → uv pip install with a cache mount', () => {
  it('cache mount on uv\'s cache dir, UV_LINK_MODE=copy, --no-cache-dir dropped', () => {
    const df = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n';
    assert.deepEqual(kinds(df, 4, reqs), ['uv-pip', 'uv-pip-mount', 'uv-pip-cache']);
    assert.equal(apply('uv-pip-cache', df, 4, reqs).text, `FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n${UV}ENV UV_LINK_MODE=copy\nRUN --mount=type=cache,target=/root/.cache/uv uv pip install --system -r requirements.txt\n`);
  });
  it('continuation lines', () => {
    const df = 'FROM python:3.12-slim\nCOPY requirements.txt /tmp/\nRUN pip install \\\n      --no-cache-dir \\\n      -r /tmp/requirements.txt\n';
    assert.equal(apply('uv-pip-cache', df, 3, reqs).text, `FROM python:3.12-slim\nCOPY requirements.txt /tmp/\n${UV}ENV UV_LINK_MODE=copy\nRUN --mount=type=cache,target=/root/.cache/uv uv pip install --system \\\n      -r /tmp/requirements.txt\n`);
  });
  it('exec form; ENV PIP_NO_CACHE_DIR is not carried over (the cache mount replaces it), PIP_INDEX_URL is', () => {
    const df = 'FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1 PIP_INDEX_URL=https://pypi.example/simple\nCOPY requirements.txt .\nRUN ["pip", "install", "-r", "requirements.txt"]\n';
    assert.equal(apply('uv-pip-cache', df, 4, reqs).text, `FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1 PIP_INDEX_URL=https://pypi.example/simple\nCOPY requirements.txt .\n${UV}ENV UV_INDEX_URL=\${PIP_INDEX_URL} UV_LINK_MODE=copy\nRUN --mount=type=cache,target=/root/.cache/uv ["uv", "pip", "install", "--system", "-r", "requirements.txt"]\n`);
  });
  it('non-root numeric USER in a venv: the cache mount is theirs (uid), in their home', () => {
    const df = 'FROM python:3.12-slim\nRUN python -m venv /opt/venv && chown -R 1000 /opt/venv\nUSER 1000\nENV HOME=/home/app\nCOPY requirements.txt .\nRUN /opt/venv/bin/pip install --no-cache-dir -r requirements.txt\n';
    assert.equal(apply('uv-pip-cache', df, 6, reqs).text, `FROM python:3.12-slim\nRUN python -m venv /opt/venv && chown -R 1000 /opt/venv\nUSER 1000\nENV HOME=/home/app\nCOPY requirements.txt .\n${UV}ENV UV_LINK_MODE=copy\nRUN --mount=type=cache,target=/home/app/.cache/uv,uid=1000 uv pip install --python /opt/venv/bin/python -r requirements.txt\n`);
    assert.ok(!kinds(df.replace(/1000/g, 'app'), 6, reqs).includes('uv-pip-cache'), 'a named user: uid unknown, no cache mount variant');
  });
  it('not offered without a requirements file', () => {
    assert.ok(!kinds('FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n', 2).includes('uv-pip-cache'));
  });
});
