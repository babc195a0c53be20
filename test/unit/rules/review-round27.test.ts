// Rules and their fixes: what review round 27 found (a review of every fix, applied and re-checked).
// Each case failed before its fix.
import assert from 'node:assert/strict';
import { check, assertFix } from '../../helpers';
import { run as optimizeRun } from '../optimize/review-helpers';

describe('rules: found by review, round 27', () => {
  it('SD404 offers no earlier apt-lists removal past a RUN that runs a script (it may install from them)', () => {
    const df = 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nCOPY docker/install-extras.sh /usr/local/bin/install-extras.sh\nRUN /usr/local/bin/install-extras.sh\nRUN rm -rf /var/lib/apt/lists/*\n';
    const files = { 'docker/install-extras.sh': '#!/bin/sh\nset -e\napt-get install -y --no-install-recommends libgomp1\n' };
    const f = check(df, files).filter((x) => x.rule === 'SD404');
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].fixes, []);
    const sh = check(df.replace('RUN /usr/local/bin/install-extras.sh', 'RUN sh /usr/local/bin/install-extras.sh'), files).filter((x) => x.rule === 'SD404');
    assert.deepEqual(sh[0].fixes, []);
    // With nothing in between but an echo, the removal still moves.
    const plain = check(df.replace('RUN /usr/local/bin/install-extras.sh', 'RUN echo ok'), files).filter((x) => x.rule === 'SD404');
    assert.equal(plain[0].fixes.length, 1);
  });
});

describe('rules: found by review, round 27 (SD403)', () => {
  it('SD403 excludes an SSH key by its own name, not id_*, which took the app\'s id_generator.py too', () => {
    const files = { 'deploy/id_ed25519': '-----BEGIN OPENSSH PRIVATE KEY-----\n', 'shortener/id_generator.py': '', 'shortener/__main__.py': 'from .id_generator import new_id\n', id_rsa: 'x' };
    const f = check('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "-m", "shortener"]\n', files).filter((x) => x.rule === 'SD403');
    assert.equal(f.length, 1);
    const text = f[0].fixes[0].otherFiles![0].edits[0].newText;
    assert.deepEqual(text.trim().split('\n').sort(), ['**/id_ed25519', 'id_rsa']);
  });
});

describe('rules: found by review, round 27 (SD103)', () => {
  it('SD103 installs into the versioned interpreter pip ran under (python3.11 -m pip, pip3.11), not --system\'s first python3', () => {
    const head = 'FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y --no-install-recommends python3.11 python3-pip && rm -rf /var/lib/apt/lists/*\n';
    const uv = 'COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/\n';
    assert.equal(assertFix('SD103', { dockerfile: `${head}RUN python3.11 -m pip install --no-cache-dir flask==3.0.0\n` }), `${head}${uv}RUN uv pip install --python python3.11 --no-cache flask==3.0.0\n`);
    assert.equal(assertFix('SD103', { dockerfile: `${head}RUN pip3.11 install --no-cache-dir flask==3.0.0\n` }), `${head}${uv}RUN uv pip install --python python3.11 --no-cache flask==3.0.0\n`);
    // The unversioned names: the system's python3, as before.
    assert.equal(assertFix('SD103', { dockerfile: `${head}RUN python3 -m pip install --no-cache-dir flask==3.0.0\n` }), `${head}${uv}RUN uv pip install --system --no-cache flask==3.0.0\n`);
  });
});

describe('rules: found by review, round 27 (preferred fixes that take the toolchain or the full base away)', () => {
  it('SD203\'s run-time-libraries fix is not preferred where a later step may build (a pip install, make), and says so', () => {
    const head = 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*\n';
    const fix = (tail: string) => check(`${head}${tail}`).find((f) => f.rule === 'SD203')!.fixes[0];
    const later = fix('RUN pip install --no-cache-dir psycopg2==2.9.9\n');
    assert.equal(later.title, 'Install libpq5 instead of gcc libpq-dev: the run-time libraries without the toolchain (line 3 may build with them)');
    assert.equal(later.preferred, false);
    assert.equal(fix('WORKDIR /src\nRUN make\n').preferred, false);
    // Built wheels only, or nothing after: preferred as before.
    assert.equal(fix('RUN pip install --no-cache-dir --no-deps /wheels/app-1.0-py3-none-any.whl\n').preferred, true);
    assert.equal(fix('CMD ["python", "-m", "app"]\n').preferred, true);
    const drop = check('FROM nvidia/cuda:12.1.1-cudnn8-devel-ubuntu22.04\nRUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip python3-dev git && rm -rf /var/lib/apt/lists/*\nRUN pip3 install --no-cache-dir torch==2.3.1 --index-url https://download.pytorch.org/whl/cu121\nRUN pip3 install --no-cache-dir packaging ninja && MAX_JOBS=4 pip3 install --no-cache-dir flash-attn==2.5.9.post1 --no-build-isolation\nCMD ["python3", "train.py"]\n').find((f) => f.rule === 'SD203')!.fixes[0];
    assert.match(drop.title, /^Drop python3-dev: the run-time libraries without the toolchain \(line 3 may build with them\)$/);
    assert.doesNotMatch(drop.title, /nothing here is built/);
    assert.equal(drop.preferred, false);
  });

  it('SD301\'s slim base is not the preferred fix where the stages on the full base install Python packages that may compile', () => {
    const fix = (body: string) => check(`FROM python:3.12\n${body}CMD ["python", "app.py"]\n`).find((f) => f.rule === 'SD301')!.fixes[0];
    assert.equal(fix('COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n').preferred, false);
    assert.equal(fix('COPY app.py .\n').preferred, true);
    assert.equal(fix('COPY dist/ /dist/\nRUN pip install --no-cache-dir --no-deps /dist/app-1.0-py3-none-any.whl\n').preferred, true);
  });
});

describe('rules: found by review, round 27 (SD103 and pip\'s indexes)', () => {
  const uv = 'COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/\n';
  it('SD103 keeps pip\'s best match over every index where there is an extra index (uv takes the first index that has a package)', () => {
    const head = 'FROM python:3.12-slim\n';
    assert.equal(assertFix('SD103', { dockerfile: `${head}RUN pip install --no-cache-dir --extra-index-url https://download.pytorch.org/whl/cpu torch==2.4.1 numpy==1.26.4\n` }), `${head}${uv}RUN uv pip install --system --index-strategy unsafe-best-match --no-cache --extra-index-url https://download.pytorch.org/whl/cpu torch==2.4.1 numpy==1.26.4\n`);
    const files = { 'requirements.txt': '--extra-index-url https://download.pytorch.org/whl/cpu\ntorch==2.4.1\nrequests==2.32.3\n' };
    assert.match(assertFix('SD103', { dockerfile: `${head}COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n`, files }), /^RUN uv pip install --system --index-strategy unsafe-best-match --no-cache -r requirements.txt$/m);
    // In a file the requirements file includes (review round 28).
    const nested = { 'requirements/prod.txt': '-r base.txt\ngunicorn==23.0.0\n', 'requirements/base.txt': '--extra-index-url https://download.pytorch.org/whl/cpu\ntorch==2.4.1\nnumpy==1.26.4\n' };
    assert.match(assertFix('SD103', { dockerfile: `${head}COPY requirements/ requirements/\nRUN pip install --no-cache-dir -r requirements/prod.txt\n`, files: nested }), /^RUN uv pip install --system --index-strategy unsafe-best-match --no-cache -r requirements\/prod\.txt$/m);
    // One index: uv's default, as before.
    assert.equal(assertFix('SD103', { dockerfile: `${head}RUN pip install --no-cache-dir --index-url https://pypi.example/simple flask==3.0.3\n` }), `${head}${uv}RUN uv pip install --system --no-cache --index-url https://pypi.example/simple flask==3.0.3\n`);
  });

  it('SD103 offers no conversion where PIP_FIND_LINKS lists several places (space-separated; UV_FIND_LINKS takes commas)', () => {
    const f = check('FROM python:3.12-slim\nENV PIP_FIND_LINKS="/wheels https://wheels.example/links/"\nRUN pip install --no-cache-dir internal-sdk==1.0\n').find((x) => x.rule === 'SD103')!;
    assert.deepEqual(f.fixes.filter((x) => /Convert/.test(x.title)), []);
  });
});

describe('rules: found by review, round 27 (SD404 and another stage\'s files)', () => {
  it('SD404 sees files a COPY --from brought and a later RUN deletes, and bind-mounts them from that stage instead', () => {
    const df = 'FROM python:3.11-slim AS build\nCOPY requirements.txt .\nRUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt\n\nFROM python:3.11-slim\nCOPY --from=build /wheels /wheels\nRUN pip install --no-cache-dir /wheels/* && rm -rf /wheels\nCMD ["python"]\n';
    const fixed = assertFix('SD404', { dockerfile: df, files: { 'requirements.txt': 'flask==3.1.0\n' } });
    assert.match(fixed, /^RUN --mount=type=bind,from=build,source=\/wheels,target=\/wheels,rw \\\n    pip install --no-cache-dir \/wheels\/\*\nCMD/m, fixed);
    assert.doesNotMatch(fixed, /^COPY --from=build/m);
    // Deleted in a RUN of its own: the finding, with no fix (the install between reads them).
    const apart = check('FROM python:3.11-slim AS build\nRUN pip wheel --wheel-dir /wheels flask==3.1.0\n\nFROM python:3.11-slim\nCOPY --from=build /wheels /wheels\nRUN pip install --no-cache-dir /wheels/*.whl\nRUN rm -rf /wheels\n').filter((f) => f.rule === 'SD404');
    assert.equal(apart.length, 1);
    assert.match(apart[0].message, /^\/wheels is created in line 5 \(COPY --from=build \/wheels\) and deleted in line 7/);
    // Not deleted: nothing to say.
    assert.ok(!check('FROM python:3.11-slim AS build\nRUN pip wheel --wheel-dir /wheels flask==3.1.0\n\nFROM python:3.11-slim\nCOPY --from=build /wheels /wheels\nRUN pip install --no-cache-dir /wheels/*.whl\n').some((f) => f.rule === 'SD404'));
  });
});

describe('rules: found by review, round 27 (SD204 and apk update)', () => {
  const A = 'FROM python:3.12-alpine\n';
  it('SD204 flags an apk update whose index stays beside apk add --no-cache, and drops it', () => {
    assert.equal(assertFix('SD204', { dockerfile: `${A}RUN apk update && apk add --no-cache curl git\n` }), `${A}RUN apk add --no-cache curl git\n`);
    assert.equal(assertFix('SD204', { dockerfile: `${A}RUN apk update \\\n && apk upgrade --no-cache \\\n && apk add --no-cache curl\n` }), `${A}RUN apk upgrade --no-cache \\\n && apk add --no-cache curl\n`);
    // An add without --no-cache: its fix adds it and drops the update, in one go.
    assert.equal(assertFix('SD204', { dockerfile: `${A}RUN apk update && apk add curl\n` }), `${A}RUN apk add --no-cache curl\n`);
    // A heredoc, where the update cannot go: the index is removed at the end of the RUN.
    assert.equal(assertFix('SD204', { dockerfile: `${A}RUN <<EOF\napk update\napk add git bash\nEOF\n` }), `${A}RUN <<EOF\napk update\napk add --no-cache git bash && rm -rf /var/cache/apk/*\nEOF\n`);
    // Removed in the RUN, or a cache mount: nothing to say.
    assert.ok(!check(`${A}RUN apk update && apk add --no-cache curl && rm -rf /var/cache/apk/*\n`).some((f) => f.rule === 'SD204'));
    assert.ok(!check(`${A}RUN --mount=type=cache,target=/var/cache/apk apk update && apk add curl\n`).some((f) => f.rule === 'SD204'));
  });
});

describe('rules: found by review, round 27 (a version from a variable)', () => {
  it('SD106 reads the name of poetry==$POETRY_VERSION (a variable only in the version); SD105 leaves alone what a start-up script it cannot read may run', () => {
    const f = check('FROM python:3.11-slim\nENV POETRY_VERSION=1.8.3\nRUN pip install --no-cache-dir "poetry==${POETRY_VERSION}"\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install --only main --no-root\nCMD ["gunicorn", "app:app"]\n', { 'pyproject.toml': '[tool.poetry]\nname = "app"\n', 'poetry.lock': '' });
    assert.ok(f.some((x) => x.rule === 'SD106' && /^poetry stays in the final image/.test(x.message)), f.map((x) => x.rule).join());
    assert.ok(!check('FROM python:3.11-slim\nRUN pip install --no-cache-dir "${TOOL}==1.0"\n').some((x) => x.rule === 'SD106'));
    const tool = (files: Record<string, string>) => check('FROM python:3.12-slim\nARG SAFETY_VERSION\nCOPY entrypoint.sh /app/entrypoint.sh\nRUN python3 -m pip install --no-cache-dir safety==$SAFETY_VERSION\nENTRYPOINT ["/app/entrypoint.sh"]\n', files).filter((x) => x.rule === 'SD105');
    assert.deepEqual(tool({}), []);
    assert.equal(tool({ 'entrypoint.sh': '#!/bin/sh\nexec gunicorn app:app\n' }).length, 1);
  });
});

describe('rules: found by review, round 27 (uv sync without a lock)', () => {
  it('SD503 and SD505 do not tell a project without uv.lock to add --locked, which would fail the build', () => {
    const df = 'FROM python:3.13-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /bin/uv\nWORKDIR /app\nCOPY . .\nRUN uv sync --no-cache\nCMD [".venv/bin/python", "app.py"]\n';
    const msgs = (files: Record<string, string>) => check(df, files).filter((f) => f.rule === 'SD503' || f.rule === 'SD505').map((f) => `${f.rule} ${f.message}`);
    const none = msgs({ 'pyproject.toml': '[project]\nname = "a"\nversion = "1"\n' });
    assert.equal(none.length, 2);
    assert.ok(none.every((m) => !/: add --locked\.$|run `uv sync --locked/.test(m)), none.join("\n"));
    assert.match(none[0], /^SD503 .*run `uv lock`, commit uv\.lock, then add --locked\.$/);
    const locked = msgs({ 'pyproject.toml': '[project]\nname = "a"\nversion = "1"\n', 'uv.lock': 'version = 1\n' });
    assert.match(locked.join('\n'), /SD503 uv sync without --locked may install versions uv\.lock does not name: add --locked\./);
  });
});

describe('rules: found by review, round 27 (SD403 and public certificates)', () => {
  it('SD403 does not count a .pem holding certificates only as a secret; a private key (or an unreadable .pem) still counts', () => {
    const df = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "app.py"]\n';
    const secrets = (pem: string) => check(df, { 'app.py': '', 'certs/internal-ca.pem': pem }).filter((f) => f.rule === 'SD403');
    assert.deepEqual(secrets('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'), []);
    assert.equal(secrets('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n').length, 1);
    assert.equal(secrets('-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n').length, 1);
    // A key beside a public bundle: the fix names the key, not **/*.pem, which would take the bundle too (review round 28).
    const both = check(df, { 'app.py': '', 'certs/rds-global-bundle.pem': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', 'tests/fixtures/jwt-test-key.pem': '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n' }).filter((f) => f.rule === 'SD403');
    assert.equal(both[0].fixes[0].otherFiles![0].edits[0].newText.trim(), 'tests/fixtures/jwt-test-key.pem');
  });
});

describe('rules: found by review, round 28 (SD103 and the system interpreter by path)', () => {
  it('SD103 converts pip run by the system interpreter\'s path to uv pip install --python <that interpreter>, not a /usr "venv"', () => {
    const head = 'FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip && rm -rf /var/lib/apt/lists/*\n';
    const uv = 'COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/\n';
    assert.equal(assertFix('SD103', { dockerfile: `${head}RUN /usr/bin/python3 -m pip install --no-cache-dir flask==3.0.3\n` }), `${head}${uv}RUN uv pip install --python /usr/bin/python3 --no-cache flask==3.0.3\n`);
    assert.equal(assertFix('SD103', { dockerfile: `${head}RUN /usr/bin/pip3 install --no-cache-dir flask==3.0.3\n` }), `${head}${uv}RUN uv pip install --python /usr/bin/python3 --no-cache flask==3.0.3\n`);
    assert.equal(assertFix('SD103', { dockerfile: `${head}RUN /usr/bin/python3.11 -m pip install --no-cache-dir flask==3.0.3\n` }), `${head}${uv}RUN uv pip install --python /usr/bin/python3.11 --no-cache flask==3.0.3\n`);
  });
});

describe('rules: found by review, round 28 (SD404 by stage number, SD204 and a later RUN)', () => {
  it('SD404 offers no mount from a stage named by its number (a mount\'s from= would read it as an image)', () => {
    const f = check('FROM python:3.11-slim\nRUN pip wheel --wheel-dir /wheels flask==3.1.0\n\nFROM python:3.11-slim\nCOPY --from=0 /wheels /wheels\nRUN pip install --no-cache-dir /wheels/* && rm -rf /wheels\n').filter((x) => x.rule === 'SD404');
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].fixes, []);
  });
  it('SD204 leaves an apk update alone where a later RUN installs from its index without --no-cache', () => {
    const A = 'FROM python:3.12-alpine\n';
    const f = check(`${A}RUN apk update\nRUN apk add postgresql-dev gcc musl-dev\n`).filter((x) => x.rule === 'SD204');
    assert.deepEqual(f.map((x) => x.range.start.line + 1), [3]);
  });
});

describe('rules: found by review, round 28 (index logins uv does not make)', () => {
  // SD103 offers no conversion of the install on line 5, and Optimize refuses, with the reason given.
  const refused = (df: string, files: Record<string, string>, reason: RegExp) => {
    const f = check(df, files).filter((x) => x.rule === 'SD103' && x.range.start.line === 4);
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].fixes.filter((x) => /Convert/.test(x.title)), []);
    const r = optimizeRun(df, files);
    assert.equal(r.restructured, false);
    assert.match(r.notes.join('\n'), reason);
  };
  const files = { 'requirements.txt': 'acme-internal==1.0\n', 'app.py': '' };
  it('aws codeartifact login --tool pip configures pip (uv does not read pip.conf)', () => {
    refused('FROM python:3.11-slim\nRUN pip install --no-cache-dir awscli==1.33.0\nWORKDIR /app\nCOPY requirements.txt .\nRUN --mount=type=secret,id=aws,target=/root/.aws/credentials aws codeartifact login --tool pip --domain acme --repository py && pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n', files, /line 5: the file sets up pip's configuration/);
  });
  it('a keyring backend the file installs, which pip logs in to an index with', () => {
    refused('FROM python:3.12-slim\nRUN pip install --no-cache-dir keyring==25.3.0 keyrings.google-artifactregistry-auth==1.1.2\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir --extra-index-url https://us-python.pkg.dev/acme/py/simple/ -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n', files, /installs a keyring backend, which pip logs in to a package index with/);
  });
});
