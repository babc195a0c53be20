// Optimize and the rules it relies on: the known gaps of session 13 and what review round 27
// found. Each case failed before its fix.
import assert from 'node:assert/strict';
import { check } from '../../helpers';
import { run, split } from './review-helpers';

const OPENCV_APP = 'FROM python:3.8\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n';

describe('optimize: found by review, round 27', () => {
  it('installs libsm6, libxext6 and libxrender1 for an OpenCV GUI wheel before 4.3 on the slim final stage (pinned, bounded or locked), not for 4.3 on nor the headless wheel', () => {
    const libs = (pin: string) => {
      const r = run(OPENCV_APP, { 'requirements.txt': `${pin}\nnumpy==1.21.0\n`, 'app.py': '' });
      assert.equal(r.restructured, true, r.notes.join('\n'));
      return /apt-get install -y --no-install-recommends ([^\\\n]*)/.exec(split(r.text).final)?.[1].trim() ?? '';
    };
    assert.equal(libs('opencv-python==4.1.2.30'), 'libglib2.0-0 libsm6 libxext6 libxrender1');
    assert.equal(libs('opencv-contrib-python==3.4.2.17'), 'libglib2.0-0 libsm6 libxext6 libxrender1');
    assert.equal(libs('opencv-python<4.3'), 'libglib2.0-0 libsm6 libxext6 libxrender1');
    assert.equal(libs('opencv-python~=4.2.0'), 'libglib2.0-0 libsm6 libxext6 libxrender1');
    assert.equal(libs('opencv-python==4.5.5.64'), 'libglib2.0-0');
    assert.equal(libs('opencv-python<4.4'), 'libglib2.0-0');
    assert.equal(libs('opencv-python'), 'libglib2.0-0');
    assert.equal(libs('opencv-python-headless==4.1.2.30'), '');
    // The headless 4.13.0.90 wheels load the system's libxcb (opencv-python#1183); 4.13.0.92 does not.
    assert.equal(libs('opencv-python-headless==4.13.0.90'), 'libxcb1');
    assert.equal(libs('opencv-python-headless==4.13.0.92'), '');
  });

  it('SD203 maps libhdf5-serial-dev (libhdf5-dev\'s transitional name) to the hdf5 run-time libraries', () => {
    const f = check('FROM python:3.12-slim-bookworm AS base\nRUN apt-get update && apt-get install -y --no-install-recommends libgomp1 libhdf5-serial-dev && rm -rf /var/lib/apt/lists/*\n\nFROM base AS deps\nRUN pip install --user h5py==3.11.0\n\nFROM base\nCOPY --from=deps /root/.local /root/.local\nCMD ["python", "-m", "app"]\n').filter((x) => x.rule === 'SD203');
    assert.equal(f.length, 1);
    assert.equal(f[0].fixes[0].title, 'Install libhdf5-103-1 libhdf5-hl-100 here and move libhdf5-serial-dev to the stage built on it (deps): the toolchain only where it builds');
  });

  it('rules read an entrypoint script copied into /usr/local/bin and run by its bare name or full path, never a base image program of the same name', () => {
    const files = { 'docker/docker-entrypoint': '#!/bin/sh\nexport RELEASE=$(git rev-parse --short HEAD)\nexec "$@"\n', '.git/HEAD': 'ref: refs/heads/main\n', 'app.py': '' };
    const rules = (df: string) => check(df, files).filter((f) => f.rule === 'SD402').map((f) => f.message);
    const head = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n';
    assert.deepEqual(rules(`${head}COPY docker/docker-entrypoint /usr/local/bin/\nENTRYPOINT ["docker-entrypoint"]\nCMD ["python", "app.py"]\n`), []);
    assert.deepEqual(rules(`${head}COPY docker/docker-entrypoint /usr/local/bin/docker-entrypoint\nENTRYPOINT ["/usr/local/bin/docker-entrypoint"]\n`), []);
    assert.deepEqual(rules(`${head}COPY docker/docker-entrypoint /usr/local/bin/docker-entrypoint.sh\nENTRYPOINT ["docker-entrypoint.sh"]\n`), []);
    // Not copied there: the base image's program of that name, which slimdock cannot read (.git is still flagged).
    assert.equal(rules(`${head}ENTRYPOINT ["docker-entrypoint"]\n`).length, 1);
    assert.equal(rules(`${head}ENTRYPOINT ["/usr/local/bin/docker-entrypoint"]\n`).length, 1);
  });

  it('writes an environment path the old file built from a build argument with that argument, in the builder and the final stage, so --build-arg still moves it', () => {
    const df = 'FROM python:3.12\nARG APP_USER=app\nRUN useradd -m ${APP_USER}\nWORKDIR /home/${APP_USER}/app\nRUN python -m venv /home/${APP_USER}/venv\nENV PATH="/home/${APP_USER}/venv/bin:$PATH"\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nRUN chown -R ${APP_USER} /home/${APP_USER}\nUSER ${APP_USER}\nCMD ["gunicorn", "app:app"]\n';
    const r = run(df, { 'requirements.txt': 'flask==3.1.0\ngunicorn==23.0.0\n', 'app.py': '' });
    assert.equal(r.restructured, true, r.notes.join('\n'));
    const { builder, final } = split(r.text);
    assert.match(builder, /^ARG APP_USER=app\n(.*\n)*RUN uv venv \/home\/\$\{APP_USER\}\/venv\nENV VIRTUAL_ENV=\/home\/\$\{APP_USER\}\/venv$/m, builder);
    assert.match(final, /^ARG APP_USER=app\n(.*\n)*COPY --from=builder \/home\/\$\{APP_USER\}\/venv \/home\/\$\{APP_USER\}\/venv$/m, final);
    // SD405's kept chown of the folders the COPY does not set names the WORKDIR through the argument too.
    assert.match(final, /^RUN chown \$\{APP_USER\} \/home\/\$\{APP_USER\} \/home\/\$\{APP_USER\}\/app$/m, final);
    assert.doesNotMatch(r.text, /\/home\/app\/venv/);
    // A project pip-installed into it: UV_PROJECT_ENVIRONMENT through the argument.
    const project = { 'pyproject.toml': '[project]\nname = "svc"\nversion = "1"\ndependencies = ["gunicorn"]\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n', 'svc/__init__.py': '' };
    const p = run('FROM python:3.12-slim\nARG VENV_ROOT=/opt\nRUN python -m venv ${VENV_ROOT}/venv\nENV PATH="${VENV_ROOT}/venv/bin:$PATH"\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\nCMD ["sh", "-c", "${VENV_ROOT}/venv/bin/gunicorn svc.wsgi:app"]\n', project);
    assert.equal(p.restructured, true, p.notes.join('\n'));
    assert.match(split(p.text).builder, /^ENV UV_PROJECT_ENVIRONMENT=\$\{VENV_ROOT\}\/venv$/m, p.text);
    assert.match(split(p.text).final, /^COPY --from=\S+ \$\{VENV_ROOT\}\/venv \$\{VENV_ROOT\}\/venv$/m, p.text);
    // A venv made by a relative path under a WORKDIR written with the argument (review round 28).
    const relative = run('FROM python:3.12\nARG APP_HOME=/srv/app\nWORKDIR ${APP_HOME}\nRUN python -m venv .venv\nENV PATH="${APP_HOME}/.venv/bin:${PATH}"\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["gunicorn", "app:app"]\n', { 'requirements.txt': 'gunicorn==23.0.0\n', 'app.py': '' });
    assert.match(split(relative.text).builder, /^RUN uv venv \$\{APP_HOME\}\/\.venv$/m, relative.text);
    assert.match(split(relative.text).final, /^COPY --from=builder \$\{APP_HOME\}\/\.venv \$\{APP_HOME\}\/\.venv$/m, relative.text);
    // An ENV that hands the build argument on under its name (`ENV VENV_PATH=${VENV_PATH}`) still follows it.
    const handed = run('FROM python:3.12-slim\nARG VENV_PATH=/opt/venv\nENV VENV_PATH=${VENV_PATH}\nRUN python -m venv ${VENV_PATH}\nENV PATH="${VENV_PATH}/bin:${PATH}"\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["sh", "-c", "exec ${VENV_PATH}/bin/gunicorn app:app"]\n', { 'requirements.txt': 'gunicorn==23.0.0\n', 'app.py': '' });
    assert.match(split(handed.text).builder, /^RUN uv venv \$\{VENV_PATH\}$/m, handed.text);
    assert.match(split(handed.text).final, /^COPY --from=builder \$\{VENV_PATH\} \$\{VENV_PATH\}$/m, handed.text);
    // An ENV's own value stays as it is resolved: it does not follow --build-arg.
    const env = run('FROM python:3.12\nENV APP_HOME=/srv\nRUN python -m venv ${APP_HOME}/venv\nENV PATH="${APP_HOME}/venv/bin:$PATH"\nWORKDIR /srv/app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["gunicorn", "app:app"]\n', { 'requirements.txt': 'gunicorn==23.0.0\n', 'app.py': '' });
    assert.match(env.text, /^COPY --from=builder \/srv\/venv \/srv\/venv$/m, env.text);
  });

  it('start-up scripts: uv run by the entrypoint where uv goes is refused; site-packages paths, sudo and pip as a non-root user keep the system layout', () => {
    const base = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCOPY docker-entrypoint.sh /usr/local/bin/\n';
    const files = (script: string) => ({ 'requirements.txt': 'gunicorn==23.0.0\nalembic==1.13.2\n', 'app.py': '', 'docker-entrypoint.sh': `#!/bin/sh\nset -e\n${script}\nexec "$@"\n` });
    const uv = run(`FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5.0 /uv /uvx /bin/\nWORKDIR /app\nCOPY requirements.txt .\nRUN uv pip install --system -r requirements.txt\nCOPY . .\nCOPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["gunicorn", "app:app"]\n`, files('if [ -n "$EXTRA_PACKAGES" ]; then uv pip install --system $EXTRA_PACKAGES; fi'));
    assert.equal(uv.restructured, false);
    assert.match(uv.notes.join('\n'), /runs `uv pip`: uv does not stay in the final image/);
    const layout = (tail: string, script: string) => {
      const r = run(`${base}${tail}ENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["gunicorn", "app:app"]\n`, files(script));
      assert.equal(r.restructured, true, r.notes.join('\n'));
      assert.doesNotMatch(r.text, /\/opt\/venv/, r.text);
      return r.notes.join('\n');
    };
    assert.match(layout('', 'alembic -c /usr/local/lib/python3.12/site-packages/billing/alembic.ini upgrade head'), /uses \/usr\/local\/lib\/python3\.12\/site-packages\/billing\/alembic\.ini: a virtual environment would move/);
    assert.match(layout('', 'exec sudo -E -u app gunicorn app:app'), /runs `sudo -E -u app gunicorn`: a virtual environment would move/);
    // Combined options, and the CMD through "$@" (review round 28).
    assert.match(layout('', 'exec sudo -Eu app gunicorn app:app'), /runs `sudo -Eu app gunicorn`: a virtual environment would move/);
    assert.match(layout('', 'exec sudo -E -u app "$@"'), /runs `sudo -E -u app "\$@"`: a virtual environment would move/);
    assert.match(layout('RUN useradd -m app\nUSER app\n', 'pip install --no-cache-dir $EXTRA_PIP_PACKAGES'), /as USER app: a virtual environment would move/);
    // Run as the user the installs ran as: the environment is copied with that owner, and its pip installs there.
    const own = run(`FROM python:3.12-slim\nRUN useradd -m app\nUSER app\nWORKDIR /home/app\nRUN python -m venv /home/app/venv\nENV PATH="/home/app/venv/bin:$PATH"\nCOPY --chown=app requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY --chown=app . .\nCOPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["gunicorn", "app:app"]\n`, files('pip install $EXTRA_PIP_PACKAGES'));
    assert.equal(own.restructured, true, own.notes.join('\n'));
    assert.match(own.text, /COPY --from=builder --chown=app \/home\/app\/venv \/home\/app\/venv/, own.text);
  });

  it('keeps a uv project\'s environment in the project folder a recursive chown covers where the CMD names it there', () => {
    const files = { 'pyproject.toml': '[project]\nname = "svc"\nversion = "1"\nrequires-python = ">=3.12"\ndependencies = []\n[project.scripts]\nsvc-api = "svc:main"\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n', 'uv.lock': 'version = 1\nrequires-python = ">=3.12"\n\n[[package]]\nname = "svc"\nversion = "1"\nsource = { editable = "." }\n', 'src/svc/__init__.py': 'def main(): pass\n' };
    const df = (cmd: string) => `FROM python:3.12-slim-bookworm\nCOPY --from=ghcr.io/astral-sh/uv:0.6.14 /uv /uvx /bin/\nRUN useradd -m app\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-install-project --no-dev\nCOPY . .\nRUN uv sync --frozen --no-dev\nRUN chown -R app:app /app\nUSER app\nCMD ${cmd}\n`;
    const named = run(df('["/app/.venv/bin/svc-api"]'), files);
    assert.equal(named.restructured, true, named.notes.join('\n'));
    assert.match(split(named.text).final, /^COPY --from=builder --chown=app:app \/app\/.venv \/app\/.venv$/m, named.text);
    assert.doesNotMatch(named.text, /\/opt\/venv/);
    // Not named: it goes to /opt/venv, out of the chown's reach, as before.
    const bare = run(df('["svc-api"]'), files);
    assert.match(split(bare.text).final, /^COPY --from=builder --chown=app:app \/opt\/venv \/opt\/venv$/m, bare.text);
  });

  it('passes extras from a build argument empty by default only when it is set (`--extra` with no value stops uv)', () => {
    const project = { 'pyproject.toml': '[project]\nname = "hub"\nversion = "1"\ndependencies = []\n[project.optional-dependencies]\npostgres = ["psycopg[binary]"]\n[project.scripts]\nhub = "hub:main"\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n', 'hub/__init__.py': 'def main(): pass\n' };
    const df = (arg: string) => `FROM python:3.12-slim\n${arg}\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir ".[\${EXTRAS}]"\nCMD ["hub"]\n`;
    for (const arg of ['ARG EXTRAS=""', 'ARG EXTRAS']) {
      const r = run(df(arg), project);
      assert.equal(r.restructured, true, r.notes.join('\n'));
      assert.match(split(r.text).builder, /uv sync --no-editable \$\{EXTRAS:\+--extra "\$EXTRAS"\}$/m, r.text);
    }
    // A default: the extra as before.
    assert.match(split(run(df('ARG EXTRAS=postgres'), project).text).builder, /uv sync --no-editable --extra \$\{EXTRAS\}$/m);
  });

  it('maps libwebp-dev to the WebP library and its mux and demux libraries, which Pillow built from source links', () => {
    const r = run('FROM python:3.12-slim-bookworm\nENV PIP_NO_BINARY=Pillow\nRUN apt-get update && apt-get install -y --no-install-recommends gcc libjpeg62-turbo-dev zlib1g-dev libwebp-dev && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n', { 'requirements.txt': 'Pillow==10.4.0\n', 'app.py': '' });
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.match(split(r.text).final, /apt-get install -y --no-install-recommends [^\n]*\blibwebp7 libwebpmux3 libwebpdemux2\b/, r.text);
  });

  it('drops a COPY --from whose files only the moved install read, where an rm of the folder\'s contents deleted them (the rm stays)', () => {
    const df = 'FROM python:3.12-slim AS builder\nCOPY . /tmp/app\nRUN cd /tmp/app && pip install build && python -m build --sdist\n\nFROM python:3.12-slim\nCOPY --from=builder /tmp/app/dist/*.tar.gz /tmp/\nRUN apt-get update && apt-get install -y --no-install-recommends jq && rm -rf /var/lib/apt/lists/* && pip install --no-cache-dir /tmp/*.tar.gz && rm -rf /tmp/*\nCMD ["app"]\n';
    const r = run(df, { 'pyproject.toml': '[project]\nname = "app"\nversion = "1"\n', 'app/__init__.py': '' });
    assert.equal(r.restructured, true, r.notes.join('\n'));
    const { builder, final } = split(r.text);
    assert.match(builder, /--mount=type=bind,from=builder,source=\/tmp\/app\/dist,target=\/tmp,rw \\\n    uv pip install \/tmp\/\*\.tar\.gz$/m, r.text);
    assert.doesNotMatch(final, /COPY --from=builder \/tmp\/app/, r.text);
    assert.match(final, /rm -rf \/tmp\/\*/);
    assert.ok(r.notes.some((n) => /^line 6: COPY removed: only the install that runs in the builder stage now read what it copied/.test(n)), r.notes.join('\n'));
    // Read by a kept command too: the COPY stays.
    const kept = run(df.replace('&& rm -rf /tmp/*', '&& ls /tmp/*.tar.gz && rm -rf /tmp/*'), { 'pyproject.toml': '[project]\nname = "app"\nversion = "1"\n', 'app/__init__.py': '' });
    assert.ok(!kept.restructured || /COPY --from=builder \/tmp\/app/.test(split(kept.text).final), kept.text);
  });

  it('takes a locked package with no Linux wheel for the image\'s Python as built from its sdist: its run-time libraries go to the slim final stage', () => {
    const lock = (wheel: string) => `version = 1\nrequires-python = ">=3.12"\n\n[[package]]\nname = "lxml"\nversion = "5.2.2"\nsource = { registry = "https://pypi.org/simple" }\nsdist = { url = "https://files.pythonhosted.org/packages/lxml-5.2.2.tar.gz", hash = "sha256:00", size = 3678631 }\nwheels = [\n    { url = "https://files.pythonhosted.org/packages/${wheel}", hash = "sha256:11", size = 5000000 },\n]\n\n[[package]]\nname = "scraper"\nversion = "0.1.0"\nsource = { editable = "." }\ndependencies = [{ name = "lxml" }]\n\n[package.metadata]\nrequires-dist = [{ name = "lxml", specifier = "==5.2.2" }]\n`;
    const df = 'FROM python:3.13\nCOPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /bin/uv\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-install-project --no-dev\nCOPY . .\nRUN uv sync --frozen --no-dev\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["python", "-m", "scraper"]\n';
    const files = (wheel: string) => ({ 'pyproject.toml': '[project]\nname = "scraper"\nversion = "0.1.0"\nrequires-python = ">=3.12"\ndependencies = ["lxml==5.2.2"]\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n', 'uv.lock': lock(wheel), 'scraper/__init__.py': '' });
    const cp312 = run(df, files('lxml-5.2.2-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl'));
    assert.equal(cp312.restructured, true, cp312.notes.join('\n'));
    assert.match(split(cp312.text).final, /apt-get install -y --no-install-recommends libxml2 libxslt1\.1/, cp312.text);
    assert.ok(cp312.notes.some((n) => /^lxml is built from its sources \(uv\.lock has no wheel of lxml for Python 3\.13\)/.test(n)), cp312.notes.join('\n'));
    // A cp313 wheel: nothing to build, nothing added.
    const cp313 = run(df, files('lxml-5.2.2-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl'));
    assert.doesNotMatch(split(cp313.text).final, /libxml2/, cp313.text);
  });

  it('names a uv project\'s folder, from a WORKDIR written with a build argument, through that argument in the builder (WORKDIR, COPY) and the environment\'s COPY', () => {
    const files = { 'pyproject.toml': '[project]\nname = "svc"\nversion = "1"\nrequires-python = ">=3.12"\ndependencies = []\n[project.scripts]\nsvc-api = "svc:main"\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n', 'uv.lock': 'version = 1\nrequires-python = ">=3.12"\n\n[[package]]\nname = "svc"\nversion = "1"\nsource = { editable = "." }\n', 'src/svc/__init__.py': 'def main(): pass\n' };
    const r = run('FROM python:3.12-bookworm\nCOPY --from=ghcr.io/astral-sh/uv:0.6.14 /uv /uvx /bin/\nARG APP_HOME=/srv/app\nWORKDIR ${APP_HOME}\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-install-project --no-dev\nCOPY . .\nRUN uv sync --locked --no-dev\nENV PATH="${APP_HOME}/.venv/bin:${PATH}"\nCMD ["svc-api"]\n', files);
    assert.equal(r.restructured, true, r.notes.join('\n'));
    const { builder, final } = split(r.text);
    assert.match(builder, /^WORKDIR \$\{APP_HOME\}$/m, builder);
    assert.match(builder, /^COPY \. \$\{APP_HOME\}$/m, builder);
    assert.match(final, /^COPY --from=builder \$\{APP_HOME\}\/\.venv \$\{APP_HOME\}\/\.venv$/m, final);
    assert.doesNotMatch(r.text, /\/srv\/app\/\.venv/);
  });

  it('keeps the final chain\'s stages as stages, so --target of the one it is built on builds what it built', () => {
    const r = run('FROM python:3.11 AS web\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nEXPOSE 8000\nCMD ["gunicorn", "-b", "0.0.0.0:8000", "app.wsgi"]\n\nFROM web AS worker\nCMD ["celery", "-A", "app", "worker", "-l", "info"]\n', { 'requirements.txt': 'gunicorn==23.0.0\ncelery==5.4.0\n', 'app/__init__.py': '' });
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.ok(r.text.endsWith('\nFROM python:3.11-slim AS web\nWORKDIR /app\nCOPY --from=builder /opt/venv /opt/venv\nENV PATH="/opt/venv/bin:$PATH"\nCOPY . .\nEXPOSE 8000\nCMD ["gunicorn", "-b", "0.0.0.0:8000", "app.wsgi"]\n\nFROM web AS worker\nCMD ["celery", "-A", "app", "worker", "-l", "info"]\n'), r.text);
    assert.ok(!r.notes.some((n) => /folded/.test(n)), r.notes.join('\n'));
    // The worker installs too: the one environment holds both, so the chain is folded, as before
    // (kept as stages, --target web would ship the worker's packages; review round 28).
    const both = run('FROM python:3.11 AS web\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["gunicorn", "app.wsgi"]\n\n# ---- worker ----\nFROM web AS worker\nRUN pip install --no-cache-dir torch==2.4.1\nCMD ["celery", "-A", "app", "worker"]\n', { 'requirements.txt': 'gunicorn==23.0.0\n', 'app/__init__.py': '' });
    assert.equal(both.restructured, true, both.notes.join('\n'));
    assert.equal((both.text.match(/^FROM /gm) ?? []).length, 2, both.text);
    assert.ok(both.notes.some((n) => /^stage web \(line 1\) is folded into the final stage worker/.test(n)), both.notes.join('\n'));
    // The final stage's comment stays above its own FROM, not above the first stage's.
    const commented = run('FROM python:3.11 AS web\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n\n# ---- worker ----\nFROM web AS worker\nCMD ["celery", "-A", "app", "worker"]\n', { 'requirements.txt': 'celery==5.4.0\n', 'app/__init__.py': '' });
    assert.match(commented.text, /\nFROM python:3\.11-slim AS web\nWORKDIR \/app\n/, commented.text);
    assert.match(commented.text, /\n# ---- worker ----\nFROM web AS worker\n/, commented.text);
    assert.equal((commented.text.match(/# ---- worker ----/g) ?? []).length, 1, commented.text);
    // By number: folded, as before (the builder shifts the numbers).
    const byNumber = run('FROM python:3.11 AS web\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n\nFROM 0\nCMD ["celery", "-A", "app", "worker"]\n', { 'requirements.txt': 'celery==5.4.0\n', 'app/__init__.py': '' });
    assert.equal((byNumber.text.match(/^FROM /gm) ?? []).length, 2, byNumber.text);
  });

  it('keeps a uv project\'s environment where a recursive chgrp/chmod gives the project folder its group and mode (OpenShift), which a COPY cannot carry', () => {
    const files = { 'pyproject.toml': '[project]\nname = "svc"\nversion = "1"\nrequires-python = ">=3.12"\ndependencies = []\n[project.scripts]\napi = "svc:main"\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n', 'uv.lock': 'version = 1\nrequires-python = ">=3.12"\n\n[[package]]\nname = "svc"\nversion = "1"\nsource = { editable = "." }\n', 'src/svc/__init__.py': 'def main(): pass\n' };
    const df = (call: string) => `FROM python:3.12-slim-bookworm\nCOPY --from=ghcr.io/astral-sh/uv:0.6.14 /uv /uvx /bin/\nWORKDIR /opt/app-root/src\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-install-project --no-dev\nCOPY . .\nRUN uv sync --frozen --no-dev\nRUN ${call}\nUSER 1001\nCMD ["api"]\n`;
    const group = run(df('chgrp -R 0 /opt/app-root/src && chmod -R g=u /opt/app-root/src'), files);
    assert.equal(group.restructured, true, group.notes.join('\n'));
    assert.match(split(group.text).final, /^COPY --from=builder \/opt\/app-root\/src\/\.venv \/opt\/app-root\/src\/\.venv$/m, group.text);
    assert.ok(group.notes.some((n) => /a recursive chgrp\/chmod gives \/opt\/app-root\/src, where the environment is, its group and mode/.test(n)), group.notes.join('\n'));
    // A chown alone: the environment moves out of its reach, copied with the owner, as before.
    const owner = run(df('chown -R 1001:0 /opt/app-root/src'), files);
    assert.match(split(owner.text).final, /^COPY --from=builder --chown=1001:0 \/opt\/venv \/opt\/venv$/m, owner.text);
  });

  it('reads a start-up script\'s and a recursive chown\'s paths through the image\'s variables (${APP_HOME}/.venv, chown -R app $APP_HOME)', () => {
    const files = { 'pyproject.toml': '[project]\nname = "svc"\nversion = "1"\nrequires-python = ">=3.12"\ndependencies = []\n[project.scripts]\nsvc-api = "svc:main"\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n', 'uv.lock': 'version = 1\nrequires-python = ">=3.12"\n\n[[package]]\nname = "svc"\nversion = "1"\nsource = { editable = "." }\n', 'src/svc/__init__.py': 'def main(): pass\n', 'docker-entrypoint.sh': '#!/bin/sh\nset -e\n"${APP_HOME}/.venv/bin/python" -m svc.migrate\nexec "$@"\n' };
    const df = (chown: string, entry: string) => `FROM python:3.12-slim-bookworm\nCOPY --from=ghcr.io/astral-sh/uv:0.6.14 /uv /uvx /bin/\nENV APP_HOME=/srv/app\nRUN useradd -m app\nWORKDIR /srv/app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-install-project --no-dev\nCOPY . .\nRUN uv sync --frozen --no-dev\nRUN ${chown}\nUSER app\n${entry}CMD ["svc-api"]\n`;
    const script = run(df('chown -R app:app /srv/app', 'ENTRYPOINT ["./docker-entrypoint.sh"]\n'), files);
    assert.equal(script.restructured, true, script.notes.join('\n'));
    assert.match(split(script.text).final, /^COPY --from=builder --chown=app:app \/srv\/app\/\.venv \/srv\/app\/\.venv$/m, script.text);
    // The chown through the variable: the environment, moved out of its reach, keeps its owner.
    const chown = run(df('chown -R app:app $APP_HOME', ''), files);
    assert.match(split(chown.text).final, /^COPY --from=builder --chown=app:app \/opt\/venv \/opt\/venv$/m, chown.text);
  });

  it('treats a distro\'s /usr/bin/python3 like the python image\'s interpreter: the ENTRYPOINT names the environment\'s, a RUN or start-up script that runs it is refused', () => {
    const head = 'FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip ca-certificates && rm -rf /var/lib/apt/lists/*\nWORKDIR /opt/app\nCOPY requirements.txt .\nRUN python3 -m pip install --no-cache-dir --break-system-packages -r requirements.txt\nCOPY . .\n';
    const files = { 'requirements.txt': 'uvicorn==0.30.0\ndjango==5.1\n', 'api.py': '', 'manage.py': '', 'start.sh': '#!/bin/sh\nexec /usr/bin/python3 -m uvicorn api:app\n' };
    const entry = run(`${head}ENTRYPOINT ["/usr/bin/python3", "-m", "uvicorn"]\nCMD ["api:app"]\n`, files);
    assert.equal(entry.restructured, true, entry.notes.join('\n'));
    assert.match(split(entry.text).final, /^ENTRYPOINT \["\/opt\/venv\/bin\/python3", "-m", "uvicorn"\]$/m, entry.text);
    const runIt = run(`${head}RUN /usr/bin/python3 manage.py collectstatic --noinput\nCMD ["python3", "-m", "uvicorn", "api:app"]\n`, files);
    assert.equal(runIt.restructured, false);
    assert.match(runIt.notes.join('\n'), /the RUN at line 7 runs \/usr\/bin\/python3: the system Python/);
    // Said once, not again as a configuration that names it.
    assert.equal(runIt.notes.filter((n) => /line 7/.test(n)).length, 1, runIt.notes.join('\n'));
    const script = run(`${head}CMD ["./start.sh"]\n`, files);
    assert.equal(script.restructured, false);
    assert.match(script.notes.join('\n'), /runs \.\/start\.sh, which runs \/usr\/bin\/python3/);
  });

  it('keeps ca-certificates, a dependency of python3-pip, on a distro final stage when pip moves to the builder', () => {
    const r = run('FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip3 install --no-cache-dir --break-system-packages -r requirements.txt\nCOPY . .\nCMD ["python3", "poller.py"]\n', { 'requirements.txt': 'aiohttp==3.10.5\n', 'poller.py': '' });
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.match(split(r.text).final, /apt-get install -y --no-install-recommends python3 python3-distutils ca-certificates /, r.text);
  });

  it('keeps the system layout where a copied configuration names site-packages (nginx serving Django\'s admin static files from there)', () => {
    const r = run('FROM python:3.11-slim\nRUN apt-get update && apt-get install -y --no-install-recommends nginx && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY nginx.conf /etc/nginx/conf.d/app.conf\nCOPY . .\nCMD ["gunicorn", "app.wsgi"]\n', { 'requirements.txt': 'django==5.1\ngunicorn==23.0.0\n', 'nginx.conf': 'server {\n  location /static/admin/ { alias /usr/local/lib/python3.11/site-packages/django/contrib/admin/static/admin/; }\n}\n', 'app/__init__.py': '' });
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.doesNotMatch(r.text, /\/opt\/venv/, r.text);
    assert.match(r.notes.join('\n'), /the COPY at line 6 copies a configuration that names \/usr\/local\/lib\/python3\.11\/site-packages\/django\/contrib\/admin\/static\/admin\//);
  });

  it('keeps the system layout where a RUN writes a cron job that runs python by name (cron\'s PATH is its own)', () => {
    const r = run('FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends cron && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nRUN echo "*/30 * * * * root cd /app && python report.py > /proc/1/fd/1 2>&1" >> /etc/crontab\nCMD ["cron", "-f"]\n', { 'requirements.txt': 'requests==2.32.3\n', 'report.py': '' });
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.doesNotMatch(r.text, /\/opt\/venv/, r.text);
    assert.match(r.notes.join('\n'), /the RUN at line 7 writes a cron job that runs a Python program by name/);
  });

  it('says the fixes it applied to the new text without that text\'s line numbers (they were of a text no one sees)', () => {
    const r = run('FROM python:3.12\n\nCOPY requirements.txt /tmp/requirements.txt\nRUN pip install --no-cache-dir -r /tmp/requirements.txt && rm /tmp/requirements.txt\n\nWORKDIR /app\nCOPY . .\nCMD ["python", "-m", "http.server"]\n', { 'requirements.txt': 'flask==3.1.0\n' }, { mode: 'system' });
    const note = r.notes.find((n) => n.startsWith('applied the SD404 fix'));
    assert.equal(note, 'applied the SD404 fix: Bind-mount requirements.txt into this RUN instead of the COPY.', r.notes.join('\n'));
  });

  it('compiles the environment\'s bytecode where the old file ran compileall over a folder that holds site-packages', () => {
    const df = (dir: string) => `FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt && python -m compileall -q -j 0 ${dir}\nCOPY . .\nCMD ["python", "app.py"]\n`;
    const files = { 'requirements.txt': 'flask==3.1.0\n', 'app.py': '' };
    assert.match(split(run(df('/usr/local/lib/python3.12/'), files).text).builder, /UV_COMPILE_BYTECODE=1/);
    assert.match(split(run(df('/app'), files).text).builder, /UV_COMPILE_BYTECODE=0/);
  });

  it('installs poetry in the builder at the version a build argument gives, not its default', () => {
    const files = { 'pyproject.toml': '[tool.poetry]\nname = "app"\nversion = "1"\n[tool.poetry.dependencies]\npython = "^3.11"\nflask = "3.1.0"\n', 'poetry.lock': '[[package]]\nname = "flask"\nversion = "3.1.0"\n', 'app/__init__.py': '' };
    const df = (install: string) => `FROM python:3.11-slim\nARG POETRY_VERSION=1.8.3\nENV POETRY_NO_INTERACTION=1 POETRY_VIRTUALENVS_CREATE=false PIP_NO_CACHE_DIR=1\nRUN ${install}\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install --no-root --only main\nCOPY . .\nCMD ["python", "-m", "app"]\n`;
    const r = run(df('pip install "poetry==$POETRY_VERSION"'), files);
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.match(split(r.text).builder, /^ARG POETRY_VERSION=1\.8\.3$[\s\S]*uv pip install --system "poetry==\$\{POETRY_VERSION\}"$/m, r.text);
    // A literal pin stays literal.
    assert.match(split(run(df('pip install poetry==1.8.3'), files).text).builder, /uv pip install --system poetry==1\.8\.3$/m);
  });
});
