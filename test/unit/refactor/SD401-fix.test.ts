// SD401's fix, "copy the dependency manifests first", applied and re-checked with assertFix
// (the finding is gone, no new warning or error), with the exact text expected.
import assert from 'node:assert/strict';
import { assertFix, check } from '../../helpers';

const reqs = { 'requirements.txt': 'flask==3.0.3\n', 'app.py': 'print(1)\n' };
const sd401 = (dockerfile: string, files: Record<string, string>) => check(dockerfile, files).find((f) => f.rule === 'SD401');

describe('SD401 fix: copy the dependency manifests first', () => {
  it('requirements: copies the file and moves the install before the whole-context COPY', () => {
    const dockerfile = 'FROM python:3.12-slim\nWORKDIR /app\n# the sources\nCOPY . .\n# dependencies\nRUN pip install --no-cache-dir -r requirements.txt\nCMD ["python", "app.py"]\n';
    const fixed = assertFix('SD401', { dockerfile, files: reqs });
    assert.equal(fixed, 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n# dependencies\nRUN pip install --no-cache-dir -r requirements.txt\n# the sources\nCOPY . .\nCMD ["python", "app.py"]\n');
  });

  it('requirements with includes and a WORKDIR after an absolute COPY; continuation lines travel verbatim', () => {
    const files = { 'requirements/base.txt': 'flask==3.0.3\n', 'requirements/prod.txt': '-r base.txt\ngunicorn==22.0.0\n', 'app.py': 'x\n' };
    const dockerfile = 'FROM python:3.12-slim\nCOPY . /srv/app\nWORKDIR /srv/app\nRUN pip install --no-cache-dir \\\n    -r requirements/prod.txt\nEXPOSE 8000\n';
    const fixed = assertFix('SD401', { dockerfile, files });
    assert.equal(fixed, 'FROM python:3.12-slim\nWORKDIR /srv/app\nCOPY requirements/prod.txt requirements/base.txt requirements/\nRUN pip install --no-cache-dir \\\n    -r requirements/prod.txt\nCOPY . /srv/app\nEXPOSE 8000\n');
  });

  it('exec form, a non-root USER and a LABEL between: the COPY moves down past them, they keep their order', () => {
    const dockerfile = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY --chown=app . .\nLABEL org.opencontainers.image.title=app\nUSER app\nRUN ["pip", "install", "--no-cache-dir", "-r", "requirements.txt"]\nCMD ["python", "app.py"]\n';
    const fixed = assertFix('SD401', { dockerfile, files: reqs });
    // The manifest gets the owner the whole COPY gives it: the same file, overwritten by the same file.
    assert.equal(fixed, 'FROM python:3.12-slim\nWORKDIR /app\nLABEL org.opencontainers.image.title=app\nUSER app\nCOPY --chown=app requirements.txt .\nRUN ["pip", "install", "--no-cache-dir", "-r", "requirements.txt"]\nCOPY --chown=app . .\nCMD ["python", "app.py"]\n');
  });

  it('uv sync: split like uv\'s pattern, dependencies from bind-mounted manifests before the COPY', () => {
    const files = { 'pyproject.toml': '[project]\nname = "a"\nversion = "1"\ndependencies = ["flask"]\n', 'uv.lock': 'version = 1\n', 'app.py': 'x\n' };
    const dockerfile = 'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/\nENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-dev\n';
    const fixed = assertFix('SD401', { dockerfile, files });
    assert.equal(
      fixed,
      'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/\nENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1\nWORKDIR /app\n' +
        'RUN --mount=type=cache,target=/root/.cache/uv \\\n    --mount=type=bind,source=uv.lock,target=uv.lock \\\n    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\\n    uv sync --locked --no-dev --no-install-project\n' +
        'COPY . .\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-dev\n',
    );
  });

  it('poetry install --no-root moves with pyproject.toml and poetry.lock; the escape character is kept', () => {
    const files = { 'pyproject.toml': '[tool.poetry]\nname = "a"\n', 'poetry.lock': '# lock\n', 'app.py': 'x\n' };
    const dockerfile = '# escape=`\nFROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/pypoetry pip install --no-cache-dir poetry==1.8.3 && `\n    poetry install --no-root --only main\n';
    const fixed = assertFix('SD401', { dockerfile, files });
    assert.equal(fixed, '# escape=`\nFROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nRUN --mount=type=cache,target=/root/.cache/pypoetry pip install --no-cache-dir poetry==1.8.3 && `\n    poetry install --no-root --only main\nCOPY . .\n');
  });

  it('uv sync without --no-dev and without a cache mount: the dependencies step gets both (the sync after the COPY adds dev)', () => {
    const files = { 'pyproject.toml': '[project]\nname = "a"\nversion = "1"\n', 'uv.lock': 'version = 1\n', 'app.py': 'x\n' };
    const dockerfile = 'FROM python:3.12-alpine\nRUN pip install --no-cache-dir uv==0.5.0\nWORKDIR /app\n# sources\nCOPY . .\nRUN uv sync\n';
    const fixed = assertFix('SD401', { dockerfile, files });
    assert.equal(fixed, 'FROM python:3.12-alpine\nRUN pip install --no-cache-dir uv==0.5.0\nWORKDIR /app\nRUN --mount=type=cache,target=/root/.cache/uv \\\n    --mount=type=bind,source=uv.lock,target=uv.lock \\\n    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\\n    uv sync --no-dev --no-install-project\n# sources\nCOPY . .\nRUN uv sync\n');
  });

  it('poetry install with the project: --no-root first, the install stays after the COPY', () => {
    const files = { 'pyproject.toml': '[tool.poetry]\nname = "a"\n', 'poetry.lock': '# lock\n', 'app.py': 'x\n' };
    const dockerfile = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/pypoetry poetry install --only main\n';
    const fixed = assertFix('SD401', { dockerfile, files });
    assert.equal(fixed, 'FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nRUN --mount=type=cache,target=/root/.cache/pypoetry poetry install --no-root --only main\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/pypoetry poetry install --only main\n');
  });

  it('pipenv install --system --deploy moves with Pipfile and Pipfile.lock', () => {
    const files = { Pipfile: '[packages]\nflask = "*"\n', 'Pipfile.lock': '{}\n', 'app.py': 'x\n' };
    const dockerfile = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pipenv install --system --deploy && rm -rf /root/.cache/pipenv\n';
    const fixed = assertFix('SD401', { dockerfile, files });
    assert.equal(fixed, 'FROM python:3.12-slim\nWORKDIR /app\nCOPY Pipfile Pipfile.lock ./\nRUN pipenv install --system --deploy && rm -rf /root/.cache/pipenv\nCOPY . .\n');
  });

  it('the RUN also runs app code: its install units go before the COPY, the RUN keeps the rest', () => {
    const dockerfile = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt && python manage.py collectstatic --noinput\n';
    const fixed = assertFix('SD401', { dockerfile, files: reqs });
    assert.equal(fixed, 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nRUN python manage.py collectstatic --noinput\n');
  });

  it('a cd into the copied folder and setup.py after: the cd and the install are copied, the cd stays, continuations kept', () => {
    const dockerfile = 'FROM python:3.12-slim\nCOPY . /root/app\nRUN cd /root/app && \\\n    pip3 install --no-cache-dir -r requirements.txt && \\\n    python3 setup.py install\nCMD ["python3", "-m", "app"]\n';
    const fixed = assertFix('SD401', { dockerfile, files: reqs });
    assert.equal(fixed, 'FROM python:3.12-slim\nCOPY requirements.txt /root/app/\nRUN cd /root/app && \\\n    pip3 install --no-cache-dir -r requirements.txt\nCOPY . /root/app\nRUN cd /root/app && \\\n    python3 setup.py install\nCMD ["python3", "-m", "app"]\n');
  });

  it('a mkdir before the install is left to the RUN; the COPY moves down past a WORKDIR', () => {
    const dockerfile = 'FROM python:3.12-slim\n# sources\nCOPY . /app/svc\nWORKDIR /app/svc\nRUN mkdir workspace &&\\\n    pip install --no-cache-dir -r requirements.txt &&\\\n    pip install --no-cache-dir -e .\n';
    const fixed = assertFix('SD401', { dockerfile, files: reqs });
    assert.equal(fixed, 'FROM python:3.12-slim\nWORKDIR /app/svc\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n# sources\nCOPY . /app/svc\nRUN mkdir workspace &&\\\n    pip install --no-cache-dir -e .\n');
  });

  it('shell logic after the install (a for loop over plugins): the leading install and tool upgrade are copied', () => {
    const files = { 'requirements.txt': 'flask\n', 'requirements/db.txt': 'psycopg[binary]\n' };
    const dockerfile = 'FROM python:3.12-slim\nWORKDIR /opt/app\nCOPY . /opt/app\nRUN python -m pip install --no-cache-dir -U pip \\\n    && python -m pip install --no-cache-dir -r requirements.txt -r requirements/db.txt \\\n    && for d in plugins/*; do \\\n        if [ -f "$d/requirements.txt" ]; then pip install --no-cache-dir -r "$d/requirements.txt"; fi; \\\n    done;\n';
    const fixed = assertFix('SD401', { dockerfile, files });
    assert.equal(
      fixed,
      'FROM python:3.12-slim\nWORKDIR /opt/app\nCOPY requirements.txt .\nCOPY requirements/db.txt requirements/\nRUN python -m pip install --no-cache-dir -U pip \\\n    && python -m pip install --no-cache-dir -r requirements.txt -r requirements/db.txt\n' +
        'COPY . /opt/app\nRUN for d in plugins/*; do \\\n        if [ -f "$d/requirements.txt" ]; then pip install --no-cache-dir -r "$d/requirements.txt"; fi; \\\n    done;\n',
    );
  });

  it('OS packages before the install (found by review): the new RUN removes the package lists as the RUN does, and the RUN after the COPY does not install them again', () => {
    const files = { ...reqs, 'setup.py': 'from setuptools import setup; setup()\n' };
    const dockerfile = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN apt-get update && apt-get install -y --no-install-recommends gcc && pip install --no-cache-dir -r requirements.txt && python setup.py install && rm -rf /var/lib/apt/lists/*\n';
    // Before: a second apt-get update left its lists in the new layer (SD201) and gcc was installed twice.
    const fixed = assertFix('SD401', { dockerfile, files });
    assert.equal(fixed, 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN apt-get update && apt-get install -y --no-install-recommends gcc && pip install --no-cache-dir -r requirements.txt && rm -rf /var/lib/apt/lists/*\nCOPY . .\nRUN python setup.py install && rm -rf /var/lib/apt/lists/*\n');
    assert.equal(check(fixed, files).filter((f) => f.rule === 'SD203').length, 1);
    // A later install needs the lists: the update stays in the RUN (the copied one removed its lists).
    const later = dockerfile.replace('python setup.py install', 'python setup.py install && apt-get install -y --no-install-recommends curl');
    assert.equal(assertFix('SD401', { dockerfile: later, files }), 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN apt-get update && apt-get install -y --no-install-recommends gcc && pip install --no-cache-dir -r requirements.txt && rm -rf /var/lib/apt/lists/*\nCOPY . .\nRUN apt-get update && python setup.py install && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n');
    // The compiler purged at the end: the copied install would keep it in its own layer. No fix.
    const purged = dockerfile.replace(' && rm -rf', ' && apt-get purge -y --auto-remove gcc && rm -rf');
    assert.deepEqual(sd401(purged, files)?.fixes, []);
  });

  it('an rm inside the copied folder after the install: copied out, not moved (the rm must follow the COPY)', () => {
    const dockerfile = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt && rm -rf /app/tests\n';
    const fixed = assertFix('SD401', { dockerfile, files: { ...reqs, 'tests/t.py': 'x\n' } });
    assert.equal(fixed, 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nRUN rm -rf /app/tests\n');
  });

  const uvProject = { 'pyproject.toml': '[project]\nname = "a"\nversion = "1"\n', 'uv.lock': 'version = 1\n', 'app.py': 'x\n' };

  it('uv sync with uv from the base image and an ENV between: the ENV goes first, the dependencies after it', () => {
    const dockerfile = 'FROM example.com/team/python-uv:3.12\nWORKDIR /app\nCOPY . /app\n\n# install\nENV UV_LINK_MODE=copy\nRUN --mount=type=cache,target=/root/.cache/uv,sharing=locked \\\n    uv sync --all-extras --locked --no-dev --compile-bytecode\n';
    const fixed = assertFix('SD401', { dockerfile, files: uvProject });
    assert.equal(
      fixed,
      'FROM example.com/team/python-uv:3.12\nWORKDIR /app\n# install\nENV UV_LINK_MODE=copy\n\n' +
        'RUN --mount=type=cache,target=/root/.cache/uv,sharing=locked \\\n    --mount=type=bind,source=uv.lock,target=uv.lock \\\n    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\\n    uv sync --all-extras --locked --no-dev --compile-bytecode --no-install-project\n' +
        'COPY . /app\nRUN --mount=type=cache,target=/root/.cache/uv,sharing=locked \\\n    uv sync --all-extras --locked --no-dev --compile-bytecode\n',
    );
  });

  it('uv sync after a WORKDIR into the copied folder; .python-version is bind-mounted too', () => {
    const files = { ...uvProject, '.python-version': '3.12\n' };
    const dockerfile = 'FROM ghcr.io/astral-sh/uv:python3.12-alpine\nCOPY . /srv\nWORKDIR /srv\nRUN uv sync --frozen --no-cache\nCMD ["/srv/.venv/bin/python", "app.py"]\n';
    const fixed = assertFix('SD401', { dockerfile, files });
    assert.equal(
      fixed,
      'FROM ghcr.io/astral-sh/uv:python3.12-alpine\nWORKDIR /srv\n' +
        'RUN --mount=type=bind,source=uv.lock,target=uv.lock \\\n    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\\n    --mount=type=bind,source=.python-version,target=.python-version \\\n    uv sync --frozen --no-cache --no-dev --no-install-project\n' +
        'COPY . /srv\nRUN uv sync --frozen --no-cache\nCMD ["/srv/.venv/bin/python", "app.py"]\n',
    );
  });

  it('uv sync --no-install-project after uv\'s installer script and a PATH ENV: moved past both', () => {
    const dockerfile = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN curl -LsSf https://astral.sh/uv/install.sh | sh\nENV PATH="${PATH}:/root/.local/bin"\nRUN uv sync --no-cache --locked --no-install-project\n';
    const fixed = assertFix('SD401', { dockerfile, files: uvProject });
    assert.equal(fixed, 'FROM python:3.12-slim\nWORKDIR /app\nRUN curl -LsSf https://astral.sh/uv/install.sh | sh\nENV PATH="${PATH}:/root/.local/bin"\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --no-cache --locked --no-install-project\nCOPY . .\n');
  });

  it('poetry with COPY --from of other files and poetry config between: the COPY passes them', () => {
    const files = { 'pyproject.toml': '[tool.poetry]\nname = "a"\n', 'poetry.lock': '# lock\n', 'app.py': 'x\n' };
    const dockerfile = 'FROM python:3.12-slim AS assets\nRUN mkdir -p /dist && echo x > /dist/ui.css\nFROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCOPY --from=assets /dist/ui.css static/ui.css\nRUN pip install --no-cache-dir poetry==1.8.3\nRUN poetry config virtualenvs.in-project true\nRUN --mount=type=cache,target=/root/.cache/pypoetry poetry install --only main\n';
    const fixed = assertFix('SD401', { dockerfile, files });
    assert.equal(
      fixed,
      'FROM python:3.12-slim AS assets\nRUN mkdir -p /dist && echo x > /dist/ui.css\nFROM python:3.12-slim\nWORKDIR /app\nCOPY --from=assets /dist/ui.css static/ui.css\nRUN pip install --no-cache-dir poetry==1.8.3\nRUN poetry config virtualenvs.in-project true\n' +
        'COPY pyproject.toml poetry.lock ./\nRUN --mount=type=cache,target=/root/.cache/pypoetry poetry install --no-root --only main\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/pypoetry poetry install --only main\n',
    );
  });

  it('a COPY between of the same context file to the same place passes; a download into the copied folder stays after the COPY', () => {
    const dockerfile = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app\nCOPY launch.sh /app/launch.sh\nRUN wget -q -P /app/data/ https://example.com/model.bin\nRUN pip install --no-cache-dir -r requirements.txt\n';
    const fixed = assertFix('SD401', { dockerfile, files: { ...reqs, 'launch.sh': '#!/bin/sh\n' } });
    assert.equal(fixed, 'FROM python:3.12-slim\nWORKDIR /app\nCOPY launch.sh /app/launch.sh\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . /app\nRUN wget -q -P /app/data/ https://example.com/model.bin\n');
  });

  it('uv pip install -r in a folder with uv.toml: uv.toml goes first too (uv reads its settings from there)', () => {
    const files = { ...reqs, 'uv.toml': 'index-url = "https://mirror.example/simple"\n' };
    const dockerfile = 'FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nWORKDIR /app\nCOPY . .\nRUN uv pip install --system --no-cache -r requirements.txt\n';
    const fixed = assertFix('SD401', { dockerfile, files });
    assert.equal(fixed, 'FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nWORKDIR /app\nCOPY requirements.txt uv.toml ./\nRUN uv pip install --system --no-cache -r requirements.txt\nCOPY . .\n');
  });

  it('uv pip install --system after a cd into a copied folder: no .venv there to clash with (it installs elsewhere)', () => {
    const files = { ...reqs, 'sub/requirements.txt': 'django==5.0\n' };
    const dockerfile = 'FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nWORKDIR /app\nCOPY . .\nRUN cd sub && uv pip install --system --no-cache -r requirements.txt\n';
    assert.equal(assertFix('SD401', { dockerfile, files }), 'FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nWORKDIR /app\nCOPY sub/requirements.txt sub/\nRUN cd sub && uv pip install --system --no-cache -r requirements.txt\nCOPY . .\n');
    // --python naming that folder's .venv interpreter: the COPY brings the environment, no fix.
    assert.deepEqual(sd401('FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nWORKDIR /app\nCOPY . .\nRUN cd sub && uv pip install --python .venv/bin/python --no-cache -r requirements.txt\n', { ...files, 'sub/.venv/bin/python': '' })?.fixes, []);
    // Into the folder's .venv, which a folder the COPY sends may hold: no fix.
    assert.deepEqual(sd401('FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nWORKDIR /app\nCOPY . .\nRUN cd sub && uv pip install --no-cache -r requirements.txt\n', files)?.fixes, []);
  });

  it('requirements in a subfolder of the context, reached by a WORKDIR (the compose file builds from the repository root)', () => {
    const files = { 'cmd/collector/requirements.txt': 'grpcio==1.64.0\n', 'compose.yaml': 'services:\n  collector:\n    build:\n      context: .\n      dockerfile: cmd/collector/Dockerfile\n' };
    const dockerfile = 'FROM python:3.12-slim\nADD . /usr/src/app/repo\nWORKDIR /usr/src/app/repo/cmd/collector/\nRUN pip install --prefer-binary --no-cache-dir -r requirements.txt\nENTRYPOINT ["python", "main.py"]\n';
    const fixed = assertFix('SD401', { dockerfile, files, path: 'cmd/collector/Dockerfile' });
    assert.equal(fixed, 'FROM python:3.12-slim\nWORKDIR /usr/src/app/repo/cmd/collector/\nCOPY cmd/collector/requirements.txt .\nRUN pip install --prefer-binary --no-cache-dir -r requirements.txt\nADD . /usr/src/app/repo\nENTRYPOINT ["python", "main.py"]\n');
  });

  // From the bundled example in system mode: the offline install reads the builder's wheels, mounted at /wheels.
  it('a --find-links folder the COPY writes nothing of (the builder\'s wheels, mounted): the install moves', () => {
    const dockerfile = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN --mount=from=builder,source=/wheels,target=/wheels pip install --no-cache-dir --no-index --find-links /wheels -r requirements.txt\n';
    const fixed = assertFix('SD401', { dockerfile, files: reqs });
    assert.equal(fixed, 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN --mount=from=builder,source=/wheels,target=/wheels pip install --no-cache-dir --no-index --find-links /wheels -r requirements.txt\nCOPY . .\n');
  });

  // Not offered where moving could change the build.
  const noFix: [string, string, Record<string, string>][] = [
    ['pip install . needs the sources', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\n', reqs],
    ['a RUN between may need the copied files', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN chmod +x entrypoint.sh\nRUN pip install --no-cache-dir -r requirements.txt\n', reqs],
    ['a requirements file installs a local path', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\n', { 'requirements.txt': '-e .\nflask\n' }],
    ['the requirements file is not in the context', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\n', { 'app.py': 'x\n' }],
    ['WORKDIR between and a relative COPY destination', 'FROM python:3.12-slim\nCOPY . .\nWORKDIR /app\nRUN pip install --no-cache-dir -r /requirements.txt\n', reqs],
    ['poetry install whose cache stays in the layer (the copy would repeat it)', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN poetry install --only main\n', { 'pyproject.toml': '[tool.poetry]\nname = "a"\n', 'poetry.lock': '# lock\n' }],
    ['the copied units would keep pip\'s cache in the new layer too', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install uv==0.5.0 && uv sync --locked --no-cache\n', { 'pyproject.toml': '[project]\nname="a"\n', 'uv.lock': 'version = 1\n' }],
    // The copied units must fail exactly when the RUN fails in them.
    ['a failed install is tolerated (|| true)', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt || true && python setup.py install\n', reqs],
    ['the RUN goes on after a failed install (;)', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt && python setup.py build; python setup.py install\n', reqs],
    ['an if after the install with an || at its top level', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt && if [ -f x ]; then python x; fi || echo none\n', reqs],
    // Installs that need more than the manifests.
    ['uv workspace members come from the sources', 'FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nWORKDIR /app\nCOPY . .\nRUN uv sync --locked --no-cache\n', { 'pyproject.toml': '[project]\nname="a"\n[tool.uv.sources]\nlib = { workspace = true }\n', 'uv.lock': 'version = 1\n' }],
    ['a uv path dependency comes from the sources', 'FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nWORKDIR /app\nCOPY . .\nRUN uv sync --locked --no-cache --no-install-project\n', { 'pyproject.toml': '[project]\nname="a"\n[tool.uv.sources]\nlib = { path = "libs/lib" }\n', 'uv.lock': 'version = 1\n' }],
    ['a poetry path dependency comes from the sources', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN poetry install --no-root --no-cache\n', { 'pyproject.toml': '[tool.poetry]\nname = "a"\n[tool.poetry.dependencies]\nlib = { path = "libs/lib" }\n', 'poetry.lock': '# lock\n' }],
    ['uv sync and no uv.lock in the context (a bind mount of it would fail)', 'FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nWORKDIR /app\nCOPY . .\nRUN uv sync --frozen --no-cache\n', { 'pyproject.toml': '[project]\nname="a"\n' }],
    ['the context has a .venv the COPY would put over the new environment', 'FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nWORKDIR /app\nCOPY . .\nRUN uv sync --locked --no-cache\n', { 'pyproject.toml': '[project]\nname="a"\n', 'uv.lock': 'version = 1\n', '.venv/pyvenv.cfg': 'home = /usr\n' }],
    ['the requirements file names a local --find-links folder the COPY brings', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\n', { 'requirements.txt': '--find-links vendor\nacme==1.2\n', 'vendor/acme-1.2-py3-none-any.whl': '' }],
    ['a --find-links folder the COPY brings', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir --find-links ./vendor -r requirements.txt\n', { ...reqs, 'vendor/acme-1.2-py3-none-any.whl': '' }],
    ['pip installs into a folder the COPY fills', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir --target ./deps -r requirements.txt\n', { ...reqs, 'deps/x.py': 'x\n' }],
    ['a cd into a folder only the COPY makes', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN cd src && pip install --no-cache-dir -r ../requirements.txt && python setup.py install\n', { ...reqs, 'src/setup.py': 'x\n' }],
    // Instructions between that the COPY cannot pass, nor the install.
    ['a RUN between writes into the copied folder', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN echo prod > /app/env.txt\nRUN pip install --no-cache-dir -r requirements.txt\n', reqs],
    ['a COPY between puts another file where the context has one', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCOPY config.prod.py /app/config.py\nRUN pip install --no-cache-dir -r requirements.txt\n', { ...reqs, 'config.py': 'x\n', 'config.prod.py': 'y\n' }],
    ['apt-get between, the COPY lands in a system folder', 'FROM python:3.12-slim\nCOPY . /usr/src/app\nRUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*\nWORKDIR /usr/src/app\nRUN pip install --no-cache-dir -r requirements.txt\n', reqs],
    ['an ENV between that the install reads, after a RUN the COPY cannot pass', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN python scripts/prepare.py\nENV PIP_INDEX_URL=https://mirror.example/simple\nRUN pip install --no-cache-dir -r requirements.txt\n', reqs],
  ];
  for (const [name, dockerfile, files] of noFix) {
    it(`no fix: ${name}`, () => {
      const f = sd401(dockerfile, files);
      assert.ok(f, `SD401 does not fire on:\n${dockerfile}`);
      assert.deepEqual(f.fixes, []);
    });
  }
});
