// Optimize: session 15's known gaps and review. Each case failed before its fix.
import assert from 'node:assert/strict';
import { check } from '../../helpers';
import { run, split } from './review-helpers';

const PROJECT = { 'pyproject.toml': '[project]\nname = "myapp"\nversion = "1"\n[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n', 'myapp/__init__.py': '' };
/** An sdist another stage makes, copied into /tmp, installed and deleted with the folder's contents (jertel/elastalert2's shape). */
const SDIST = (apt: string) =>
  `FROM python:3.12-slim AS build\nCOPY . /src\nRUN cd /src && pip install build && python -m build --sdist --outdir /src/dist\n\nFROM python:3.12-slim\nCOPY --from=build /src/dist/*.tar.gz /tmp/\nRUN ${apt}pip install /tmp/*.tar.gz && rm -rf /tmp/*\nCMD ["myapp"]\n`;

describe('optimize: found by review, round 29', () => {
  it('system mode in place: the sdist another stage made is mounted from it, not copied into a layer, and the rm that emptied its folder stays', () => {
    const r = run(SDIST(''), PROJECT, { mode: 'system' });
    const { final } = split(r.text);
    assert.doesNotMatch(final, /^COPY --from=build /m, final);
    assert.match(final, /--mount=type=bind,from=build,source=\/src\/dist,target=\/tmp,rw \\\n +UV_COMPILE_BYTECODE=0 UV_LINK_MODE=copy uv pip install --system \/tmp\/\*\.tar\.gz && rm -rf \/tmp\/\*$/m, final);
    assert.ok(r.notes.some((n) => /line 6: COPY removed: the install at line 7 mounts what it copied from stage build instead/.test(n)), r.notes.join('\n'));
    assert.deepEqual(check(r.text, PROJECT).filter((f) => f.severity === 'warning' || f.severity === 'error').map((f) => f.rule), []);
    // Optimize again: nothing to do, and it says how the final image installs.
    const again = run(r.text, PROJECT, { mode: 'system' });
    assert.equal(again.text, r.text);
    assert.match(again.notes[0], /installs its Python packages with uv mounted for the RUN only/);
    // Something else written there first: a mount would hide it, so the COPY stays (not dropped without its mount), and so does the rm.
    const touched = run(SDIST('touch /tmp/marker && '), PROJECT, { mode: 'system' });
    assert.equal(touched.restructured, true, touched.notes.join('\n'));
    assert.match(touched.text, /^COPY --from=build \/src\/dist\/\*\.tar\.gz \/tmp\/$/m);
    assert.match(touched.text, /touch \/tmp\/marker && UV_COMPILE_BYTECODE=0 UV_LINK_MODE=copy uv pip install --system \/tmp\/\*\.tar\.gz && rm -rf \/tmp\/\*$/m, touched.text);
    assert.ok(!touched.notes.some((n) => /COPY removed/.test(n)), touched.notes.join('\n'));
  });

  it('system mode with build packages: an sdist another stage made is not installed offline from the builder\'s wheels (its build backend is not there): the virtual-environment layout is used', () => {
    const r = run(SDIST('apt-get update && apt-get install -y gcc libffi-dev && rm -rf /var/lib/apt/lists/* && '), PROJECT, { mode: 'system' });
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.ok(r.notes.some((n) => /system mode: line 7 installs \/tmp\/\*\.tar\.gz, sources another stage made, which the final stage cannot build offline from the builder's wheels: the virtual-environment layout is used/.test(n)), r.notes.join('\n'));
    assert.doesNotMatch(r.text, /--no-index --find-links \/wheels/);
    const { builder, final } = split(r.text);
    assert.match(builder, /--mount=type=bind,from=build,source=\/src\/dist,target=\/tmp,rw \\\n +uv pip install \/tmp\/\*\.tar\.gz$/m, builder);
    assert.doesNotMatch(final, /^COPY --from=build /m, final);
    assert.deepEqual(check(r.text, PROJECT).filter((f) => f.severity === 'warning' || f.severity === 'error').map((f) => f.rule), []);
  });

  it('system mode: a wheel another stage made is still installed offline from the builder\'s wheels', () => {
    const df = 'FROM python:3.12-slim AS build\nCOPY . /src\nRUN pip wheel --no-deps --wheel-dir /src/dist /src\n\nFROM python:3.12-slim\nCOPY --from=build /src/dist/*.whl /tmp/\nRUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/* && pip install /tmp/*.whl && rm -rf /tmp/*\nCMD ["myapp"]\n';
    const r = run(df, PROJECT, { mode: 'system' });
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.ok(!r.notes.some((n) => /virtual-environment layout is used/.test(n)), r.notes.join('\n'));
    // The COPY went (the rm emptied its folder): the offline install mounts the wheel from that stage.
    const { final } = split(r.text);
    assert.doesNotMatch(final, /^COPY --from=build /m, final);
    assert.match(final, /--mount=type=bind,from=build,source=\/src\/dist,target=\/tmp,rw \\\n +apt-get update .* uv pip install --system --no-index --find-links \/wheels \/tmp\/\*\.whl && rm -rf \/tmp\/\*$/m, final);
    assert.deepEqual(check(r.text, PROJECT).filter((f) => f.severity === 'warning' || f.severity === 'error').map((f) => f.rule), []);
  });
});

describe('optimize: found by review, round 29a (system mode)', () => {
  const SVC = { 'pyproject.toml': '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n[project]\nname = "svc"\nversion = "1.0"\ndependencies = ["httpx"]\n', 'src/svc/__init__.py': '', 'requirements.txt': 'httpx==0.27.0\n' };

  it('keeps in place the rm of the folder a kept COPY put the requirements file in (it was dropped as housekeeping and the file stayed in /tmp); an rm that also names uv\'s cache keeps its other words', () => {
    const r = run('FROM python:3.12-slim\nCOPY requirements.txt /tmp/\nRUN pip install --no-cache-dir -r /tmp/requirements.txt && rm -rf /tmp/*\nWORKDIR /app\nCOPY . .\nCMD ["python", "-m", "svc"]\n', SVC, { mode: 'system' });
    assert.match(r.text, /^COPY requirements\.txt \/tmp\/$/m);
    assert.match(r.text, /uv pip install --system -r \/tmp\/requirements\.txt && rm -rf \/tmp\/\*$/m, r.text);
    const cache = run('FROM python:3.12-slim\nCOPY requirements.txt /srv/\nRUN pip install -r /srv/requirements.txt && rm -rf /root/.cache /srv/requirements.txt\nCMD ["python", "-m", "svc"]\n', SVC, { mode: 'system' });
    assert.match(cache.text, /uv pip install --system -r \/srv\/requirements\.txt && rm -rf \/srv\/requirements\.txt$/m, cache.text);
    assert.doesNotMatch(cache.text, /rm -rf \/root\/\.cache/);
    // Venv mode: the COPY goes (the builder mounts the file; it was left in the final stage's /tmp), the rm of the folder stays.
    const venv = run('FROM python:3.12-slim\nCOPY requirements.txt /tmp/\nRUN pip install --no-cache-dir -r /tmp/requirements.txt && rm -rf /tmp/*\nWORKDIR /app\nCOPY . .\nCMD ["python", "-m", "svc"]\n', SVC);
    assert.doesNotMatch(split(venv.text).final, /requirements\.txt/);
    assert.match(split(venv.text).final, /^RUN rm -rf \/tmp\/\*$/m);
    assert.ok(venv.notes.includes('line 2: COPY removed: only the install that runs in the builder stage now read what it copied (the `rm` at line 3 that deleted it stays).'), venv.notes.join('\n'));
  });

  it('a COPY --from of *.whl into /tmp/ does not bring /tmp/requirements.txt: the note no longer says it came from that stage, and system mode keeps both COPYs and the rm in place', () => {
    const df = 'FROM python:3.12-slim AS build\nWORKDIR /src\nCOPY pyproject.toml ./\nCOPY src/ src/\nRUN pip wheel --no-deps -w dist .\n\nFROM python:3.12-slim\nCOPY requirements.txt /tmp/\nCOPY --from=build /src/dist/*.whl /tmp/\nRUN pip install --no-cache-dir -r /tmp/requirements.txt /tmp/*.whl && rm -rf /tmp/*\nWORKDIR /app\nCMD ["svc"]\n';
    const venv = run(df, SVC);
    assert.ok(!venv.notes.some((n) => /\/tmp\/requirements\.txt is not copied from the build context/.test(n)), venv.notes.join('\n'));
    const sys = run(df, SVC, { mode: 'system' });
    assert.equal(sys.restructured, true, sys.notes.join('\n'));
    const { final } = split(sys.text);
    assert.match(final, /^COPY requirements\.txt \/tmp\/\nCOPY --from=build \/src\/dist\/\*\.whl \/tmp\/\nRUN /m, final);
    assert.match(final, /uv pip install --system -r \/tmp\/requirements\.txt \/tmp\/\*\.whl && rm -rf \/tmp\/\*$/m, final);
  });
});

describe('optimize: notes of a file left alone, round 29', () => {
  it('says a final image that installs only a packaging tool (pypa/pipenv\'s image) installs that tool, not "no Python packages"', () => {
    const r = run('ARG PYVERSION=3.12\nFROM python:${PYVERSION}\nARG VERSION=2024.4.0\nRUN pip install --no-cache-dir pipenv=="${VERSION}"\n');
    assert.equal(r.restructured, false);
    assert.match(r.notes[0], /the final image installs only packaging tools \(pipenv\), no application packages: there is nothing for a builder stage to do/);
    const none = run('FROM python:3.12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nCMD ["python"]\n');
    assert.match(none.notes[0], /the final image installs no Python packages: there is nothing for a builder stage to do/);
  });
});

describe('optimize: found by review, round 29c (project layouts)', () => {
  const SHOP = {
    'pyproject.toml': '[build-system]\nrequires = ["setuptools>=69"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "shop"\nversion = "2.1.0"\nrequires-python = ">=3.12"\ndependencies = ["django>=5.0", "gunicorn>=22"]\n',
    'shop/__init__.py': '', 'migrations/0001_initial.py': '', 'deploy/k8s/svc.yaml': '', 'frontend/package.json': '{}', 'manage.py': '',
  };
  const LOCK = 'version = 1\nrequires-python = ">=3.12"\n\n[[package]]\nname = "shop"\nversion = "2.1.0"\nsource = { editable = "." }\n';

  it('replays the COPYs that filled the project folder file by file instead of copying the whole folder (setuptools\' flat-layout discovery would see migrations/, deploy/, frontend/), mounting a lock they do not bring', () => {
    const df = 'FROM python:3.12\nWORKDIR /code\nCOPY pyproject.toml ./\nCOPY shop/ shop/\nRUN pip install --no-cache-dir .\nCOPY manage.py ./\nCMD ["gunicorn", "shop.wsgi:application"]\n';
    const r = run(df, SHOP);
    assert.equal(r.restructured, true, r.notes.join('\n'));
    const { builder } = split(r.text);
    assert.doesNotMatch(builder, /^COPY \. /m, builder);
    assert.match(builder, /^COPY pyproject\.toml \/code\/\nCOPY shop\/ \/code\/shop\/\nRUN --mount=type=cache,target=\/root\/\.cache\/uv \\\n +uv sync --no-editable$/m, builder);
    const locked = run(df, { ...SHOP, 'uv.lock': LOCK });
    assert.match(split(locked.text).builder, /^COPY pyproject\.toml \/code\/\nCOPY shop\/ \/code\/shop\/\nRUN --mount=type=cache,target=\/root\/\.cache\/uv \\\n +--mount=type=bind,source=uv\.lock,target=uv\.lock \\\n +uv sync --locked --no-editable$/m, locked.text);
    // The whole folder copied: copied whole, as before.
    const whole = run('FROM python:3.12\nWORKDIR /code\nCOPY . .\nRUN pip install --no-cache-dir .\nCMD ["gunicorn", "shop.wsgi:application"]\n', SHOP);
    assert.match(split(whole.text).builder, /^COPY \. \/code$/m, whole.text);
    // A RUN that writes into the folder between the COPYs and the install: the whole folder, as before (the replay would miss what it made).
    const made = run('FROM python:3.12\nWORKDIR /code\nCOPY pyproject.toml ./\nCOPY shop/ shop/\nRUN echo "VERSION = 1" > shop/_version.py\nRUN pip install --no-cache-dir .\nCMD ["gunicorn", "shop.wsgi:application"]\n', SHOP);
    assert.doesNotMatch(split(made.text).builder, /^COPY shop\/ \/code\/shop\/$/m, made.text);
  });
});

describe('optimize: run-time libraries of a project another stage built, round 29', () => {
  const WEB = { 'pyproject.toml': '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n[project]\nname = "myapp"\nversion = "1.0"\ndependencies = ["flask>=3", "gunicorn", "psycopg2>=2.9"]\n', 'src/myapp/__init__.py': '' };

  it('reads the dependencies of the project a wheel stage built from the context (psycopg2, built on the full image, needs libpq5 on slim), in both modes; a wheel copied by name, deleted by name, is mounted in place', () => {
    const df = 'FROM python:3.12 AS build\nWORKDIR /src\nCOPY . .\nRUN pip install build && python -m build --wheel\n\nFROM python:3.12\nWORKDIR /app\nCOPY --from=build /src/dist/*.whl /tmp/\nRUN pip install --no-cache-dir /tmp/*.whl && rm -f /tmp/*.whl\nCMD ["gunicorn", "myapp.wsgi:app"]\n';
    for (const mode of ['venv', 'system'] as const) {
      const r = run(df, WEB, { mode });
      assert.equal(r.restructured, true, r.notes.join('\n'));
      assert.match(split(r.text).final, /apt-get install -y --no-install-recommends libpq5/, `${mode}:\n${r.text}`);
      assert.ok(r.notes.some((n) => /psycopg2 is built against libpq5/.test(n)), r.notes.join('\n'));
      assert.doesNotMatch(split(r.text).final, /^COPY --from=build /m, r.text);
    }
    assert.match(run(df, WEB, { mode: 'system' }).text, /--mount=type=bind,from=build,source=\/src\/dist,target=\/tmp,rw \\\n +UV_COMPILE_BYTECODE=0 UV_LINK_MODE=copy uv pip install --system --no-index --find-links \/wheels \/tmp\/\*\.whl && rm -f \/tmp\/\*\.whl$/m);
    // Built by `cd` into a folder, from setup.py: that folder's setup.cfg is read.
    const cfg = { 'pkg/setup.py': 'from setuptools import setup\nsetup()\n', 'pkg/setup.cfg': '[metadata]\nname = myapp\n[options]\ninstall_requires =\n    psycopg2==2.9.9\n', 'pkg/myapp/__init__.py': '' };
    const r = run('FROM python:3.12 AS build\nCOPY pkg /src/pkg\nRUN cd /src/pkg && python setup.py bdist_wheel\n\nFROM python:3.12\nCOPY --from=build /src/pkg/dist/*.whl /tmp/\nRUN pip install /tmp/*.whl && rm -f /tmp/*.whl\nCMD ["python", "-m", "myapp"]\n', cfg);
    assert.match(split(r.text).final, /libpq5/, r.notes.join('\n'));
  });
});

describe('optimize: packages that compile C/C++ when they run, round 29', () => {
  it('leaves the compiler where PyStan, CmdStanPy or PyMC (PyTensor) compile models at run time, and still moves it for a package that does not', () => {
    const df = 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python", "fit.py"]\n';
    for (const [pin, why] of [['pystan==3.9.1', 'pystan builds each Stan model with the C\\+\\+ compiler when it runs'], ['cmdstanpy==1.2.4', 'cmdstanpy compiles Stan models'], ['pymc==5.16.2', 'pymc runs on PyTensor, which compiles its C implementations with g\\+\\+'], ['pytensor==2.25.0', 'pytensor compiles its C implementations with g\\+\\+']]) {
      const r = run(df, { 'requirements.txt': `${pin}\n`, 'fit.py': '' });
      assert.equal(r.restructured, false, pin);
      assert.match(r.notes[0], new RegExp(`^not rewritten: ${why}.*: the final stage needs its build packages\\.$`), r.notes[0]);
    }
    assert.equal(run(df, { 'requirements.txt': 'scipy==1.14.1\n', 'fit.py': '' }).restructured, true);
  });
});

describe('optimize: dev packages, round 29', () => {
  const PIPFILE = { Pipfile: '[[source]]\nurl = "https://pypi.org/simple"\nverify_ssl = true\nname = "pypi"\n\n[packages]\npyyaml = "*"\n\n[dev-packages]\npytest = "*"\n\n[requires]\npython_version = "3.11"\n', 'Pipfile.lock': '{"_meta": {"requires": {"python_version": "3.11"}}, "default": {}, "develop": {}}\n', 'tests/test_x.py': '' };
  const head = 'FROM python:3.11\nRUN pip install pipenv==2024.0.1\nWORKDIR /code\nCOPY Pipfile Pipfile.lock /code/\nRUN pipenv install --system --deploy --dev\nCOPY . /code/\n';

  it('keeps pipenv\'s --dev where the image runs a dev tool (CMD pytest), and says so where it leaves it out', () => {
    const test = run(`${head}CMD ["pytest", "-q", "tests"]\n`, PIPFILE);
    assert.equal(test.restructured, true, test.notes.join('\n'));
    assert.match(test.text, /^ +pipenv install --deploy --dev$/m, test.text);
    const app = run(`${head}CMD ["python", "-m", "app"]\n`, PIPFILE);
    assert.match(app.text, /^ +pipenv install --deploy$/m, app.text);
    assert.ok(app.notes.some((n) => /pipenv's --dev is left out|SD105/.test(n)), app.notes.join('\n'));
    // SD105 offers no fix that drops --dev from the test image.
    assert.deepEqual(check(`${head}CMD ["pytest", "-q", "tests"]\n`, PIPFILE).filter((f) => f.rule === 'SD105'), []);
    assert.equal(check(`${head}CMD ["python", "-m", "app"]\n`, PIPFILE).filter((f) => f.rule === 'SD105').length, 1);
  });

  it('says when it leaves a project\'s dev extra out (pip install -e ".[dev]")', () => {
    const files = { 'pyproject.toml': '[project]\nname = "app"\nversion = "1"\ndependencies = ["flask"]\n[project.optional-dependencies]\ndev = ["pytest"]\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n', 'app/__init__.py': '' };
    const r = run('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -e ".[dev]"\nCMD ["flask", "run"]\n', files);
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.doesNotMatch(r.text, /--extra dev/);
    assert.ok(r.notes.includes('line 4: the extra dev of .[dev] holds development tools: not installed in the image, which runs none of them.'), r.notes.join('\n'));
  });
});

describe('optimize: pip at start-up in the command itself, round 29', () => {
  it('uses the system layout where the CMD\'s own shell code runs pip as a non-root user or with --user (a virtual environment\'s pip does neither)', () => {
    const files = { 'requirements.txt': 'streamlit==1.38.0\n', 'ui.py': '' };
    const base = 'FROM python:3.12-slim\nWORKDIR /srv\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n';
    const nonRoot = run(`${base}RUN useradd -m app\nUSER app\nCMD ["sh", "-c", "pip install --no-cache-dir -r /srv/plugins.txt && exec python -m streamlit run ui.py"]\n`, files);
    assert.match(nonRoot.notes[0], /^the CMD at line 8 runs `pip install --no-cache-dir -r \/srv\/plugins\.txt` as USER app: .*the system layout is used/, nonRoot.notes.join('\n'));
    assert.match(nonRoot.text, /uv pip install --system -r requirements\.txt/);
    const user = run(`${base}CMD pip install --user -r /config/extra.txt; python -m streamlit run ui.py\n`, files);
    assert.match(user.notes[0], /^the CMD at line 6 runs `pip install --user -r \/config\/extra\.txt` as a user install/, user.notes.join('\n'));
    // As root, without --user: the environment's pip installs into it, as the system pip did into the system.
    const root = run(`${base}CMD ["sh", "-c", "pip install -r /srv/plugins.txt && exec python -m streamlit run ui.py"]\n`, files);
    assert.match(root.text, /^COPY --from=builder \/opt\/venv \/opt\/venv$/m, root.notes.join('\n'));
  });
});

describe('optimize: a HEALTHCHECK with options, round 29', () => {
  it('drops `uv run` from a shell-form HEALTHCHECK whose options come before its CMD, as without them', () => {
    const files = { 'pyproject.toml': '[project]\nname = "svc"\nversion = "1"\ndependencies = ["httpx"]\n', 'uv.lock': 'version = 1\nrequires-python = ">=3.12"\n\n[[package]]\nname = "svc"\nversion = "1"\nsource = { virtual = "." }\n', 'healthcheck.py': '' };
    const df = 'FROM python:3.12-slim-bookworm\nCOPY --from=ghcr.io/astral-sh/uv:0.12.3 /uv /uvx /bin/\nWORKDIR /app\nCOPY . /app\nRUN uv sync --locked --no-dev\nHEALTHCHECK --interval=30s --timeout=3s \\\n  CMD uv run --no-sync python healthcheck.py\nCMD ["python", "-m", "svc"]\n';
    const r = run(df, files);
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.match(r.text, /^HEALTHCHECK --interval=30s --timeout=3s \\\n  CMD python healthcheck\.py$/m, r.text);
  });
});

describe('optimize: an old pin without a wheel for the image\'s Python, round 29', () => {
  it('adds the libraries a source build of psycopg2-binary, lxml or PyYAML links on the full image when the pin is older than their first wheel for that Python', () => {
    const libs = (pin: string, py = '3.11') => {
      const r = run(`FROM python:${py}-bookworm\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n`, { 'requirements.txt': `${pin}\n`, 'app.py': '' });
      assert.equal(r.restructured, true, r.notes.join('\n'));
      return /apt-get install -y --no-install-recommends ([^\\\n]*)/.exec(split(r.text).final)?.[1].trim() ?? '';
    };
    assert.equal(libs('psycopg2-binary==2.9.3'), 'libpq5');
    assert.equal(libs('psycopg2-binary==2.9.5'), '');
    assert.equal(libs('psycopg2-binary==2.9.5', '3.12'), 'libpq5');
    assert.equal(libs('psycopg2-binary>=2.9'), '');
    assert.equal(libs('lxml==4.9.1'), 'libxml2 libxslt1.1');
    assert.equal(libs('lxml==5.2.1'), '');
    assert.equal(libs('PyYAML==5.4.1'), 'libyaml-0-2');
    assert.equal(libs('PyYAML==5.4.1', '3.9'), '');
    assert.match(libs('Pillow==10.4.0', '3.13'), /^libjpeg62-turbo /);
  });
});

describe('optimize: a PPA before the build packages, round 29', () => {
  it('leaves a file alone whose build packages come after a PPA (ubuntugis\' libgdal-dev is not jammy\'s), and still rewrites one after a vendor repository of a package Debian ships', () => {
    const tail = 'RUN pip3 install --no-cache-dir GDAL==3.6.4\nCMD ["python3", "-c", "import osgeo"]\n';
    const ppa = run(`FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y --no-install-recommends software-properties-common && add-apt-repository -y ppa:ubuntugis/ppa && apt-get update && apt-get install -y --no-install-recommends python3 python3-pip python3-dev g++ libgdal-dev && rm -rf /var/lib/apt/lists/*\n${tail}`);
    assert.equal(ppa.restructured, false);
    assert.match(ppa.notes[0], /^not rewritten: line 2: \S+ is installed after line 2 adds a PPA, whose packages replace the release's: the builder stage, which does not add it, would build against the release's version\.$/, ppa.notes.join('\n'));
    assert.equal(ppa.notes.filter((n) => /adds a PPA/.test(n)).length, 1, ppa.notes.join('\n'));
    const pgdg = run('FROM python:3.12-slim-bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl gnupg && curl -fsSL https://www.postgresql.org/media/keys/ACCC4CF8.asc | gpg --dearmor -o /etc/apt/keyrings/pgdg.gpg && echo "deb [signed-by=/etc/apt/keyrings/pgdg.gpg] http://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" > /etc/apt/sources.list.d/pgdg.list && apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*\nRUN pip install --no-cache-dir psycopg2==2.9.9\nCMD ["python", "-c", "import psycopg2"]\n');
    assert.equal(pgdg.restructured, true, pgdg.notes.join('\n'));
  });
});

describe('optimize: ctypes.util.find_library on Alpine, round 29', () => {
  it('leaves an Alpine file alone where psycopg (pure) or pyzbar finds its library with find_library, which needs gcc or binutils on musl; psycopg[binary] and Debian are rewritten', () => {
    const df = (reqs: string, base = 'python:3.12-alpine3.20', add = 'apk add --no-cache gcc musl-dev libpq-dev') => run(`FROM ${base}\nRUN ${add}\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n`, { 'requirements.txt': reqs, 'app.py': '' });
    const pure = df('psycopg==3.1.19\n');
    assert.equal(pure.restructured, false);
    assert.match(pure.notes[0], /^not rewritten: psycopg finds libpq with ctypes\.util\.find_library, which on Alpine \(musl\) runs gcc/, pure.notes.join('\n'));
    assert.match(df('pyzbar==0.1.9\n', undefined, 'apk add --no-cache gcc musl-dev zbar-dev').notes[0], /^not rewritten: pyzbar finds libzbar/);
    assert.equal(df('psycopg[binary]==3.1.19\n').restructured, true);
    assert.equal(df('psycopg==3.1.19\n', 'python:3.12-slim-bookworm', 'apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*').restructured, true);
  });
});

describe('optimize: a wheel stage used as a wheelhouse, round 29', () => {
  const files = { 'requirements.txt': 'fastapi==0.115.0\n', 'requirements-optional.txt': 'orjson==3.10.7\nuvloop==0.20.0\n', 'entrypoint.sh': '#!/bin/sh\nset -e\nif [ -n "$OPTIONAL_FEATURES" ]; then\n  pip install --no-index --find-links /wheels $OPTIONAL_FEATURES\nfi\nexec python -m server\n', 'server.py': '' };
  const df = (entry: string) => `FROM python:3.11 AS wheels\nWORKDIR /src\nCOPY requirements.txt requirements-optional.txt ./\nRUN pip wheel --wheel-dir /wheels -r requirements.txt -r requirements-optional.txt\n\nFROM python:3.11-slim\nCOPY --from=wheels /wheels /wheels\nCOPY requirements.txt /tmp/requirements.txt\nRUN pip install --no-cache-dir --no-index --find-links /wheels -r /tmp/requirements.txt\nWORKDIR /app\nCOPY . .\n${entry}\n`;

  it('installs only what the final stage installed from the wheelhouse beside the index, not every wheel the stage built (the optional packages); with --no-index, whose versions the stage chose, the stage\'s install stays', () => {
    const r = run(df('CMD ["python", "-m", "server"]').replace('--no-index ', ''), files);
    assert.equal(r.restructured, true, r.notes.join('\n'));
    const { builder } = split(r.text);
    assert.doesNotMatch(builder, /requirements-optional/, builder);
    assert.match(builder, /uv pip install -r \/tmp\/requirements\.txt$/m, builder);
    const offline = run(df('CMD ["python", "-m", "server"]'), files);
    assert.match(split(offline.text).builder, /uv pip install -r requirements\.txt -r requirements-optional\.txt$/m, offline.text);
  });

  it('leaves the file alone where a start-up script reads the wheelhouse the replaced stage\'s COPY brought', () => {
    const r = run(df('ENTRYPOINT ["./entrypoint.sh"]'), files);
    assert.equal(r.restructured, false);
    assert.equal(r.notes[0], 'not rewritten: the ENTRYPOINT at line 12 runs ./entrypoint.sh, which reads /wheels: the COPY at line 7 brought it from stage wheels, which the builder stage replaces.');
  });
});

describe('optimize: notes in system mode, round 29', () => {
  it('does not say a removed RUN moved to a builder stage where the installs run in place', () => {
    const r = run('FROM python:3.11-slim-bookworm\nWORKDIR /app\nRUN pip install --no-cache-dir -U pip setuptools wheel\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python", "serve.py"]\n', { 'requirements.txt': 'flask==3.1.0\n', 'serve.py': '' }, { mode: 'system' });
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.ok(!r.notes.some((n) => /builder stage/.test(n)), r.notes.join('\n'));
    assert.ok(r.notes.includes('line 3: RUN removed (packaging tooling or cleanup: the final stage\'s installs in place replace it).'), r.notes.join('\n'));
  });
});

describe('optimize: a requirements file another stage exports, round 29', () => {
  it('says slimdock cannot read it (not that a builder could not: a mount could bring it)', () => {
    const df = 'FROM python:3.12 AS requirements\nWORKDIR /tmp\nRUN pip install poetry==1.8.3 poetry-plugin-export\nCOPY pyproject.toml poetry.lock ./\nRUN poetry export -f requirements.txt --output requirements.txt --without-hashes\n\nFROM python:3.12\nWORKDIR /code\nCOPY --from=requirements /tmp/requirements.txt /code/requirements.txt\nRUN pip install --no-cache-dir -r /code/requirements.txt\nCOPY . /code\nCMD ["python", "-m", "app"]\n';
    const r = run(df, { 'pyproject.toml': '[tool.poetry]\nname = "app"\nversion = "1"\n', 'poetry.lock': '', 'app/__init__.py': '' });
    assert.equal(r.restructured, false);
    assert.match(r.notes.join('\n'), /\/code\/requirements\.txt is not copied from the build context \(it comes from requirements, which the COPY --from at line 9 names\), so slimdock cannot read it to know what the install installs\./);
  });
});

describe('optimize: round 30 (this session\'s changes, attacked)', () => {
  const WHEEL = { 'pyproject.toml': '[project]\nname = "shop"\nversion = "1"\n[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n', 'shop/__init__.py': '' };

  it('system mode: an rm of the folder now mounted from the other stage goes (rm fails on a mount point), its contents may still go', () => {
    const r = run('FROM python:3.12-slim AS build\nCOPY . /src\nRUN pip wheel --no-deps -w /src/dist /src\n\nFROM python:3.12-slim\nWORKDIR /app\nCOPY --from=build /src/dist/ ./dist/\nRUN pip install --no-cache-dir dist/*.whl && rm -rf dist\nCMD ["python", "-m", "shop"]\n', WHEEL, { mode: 'system' });
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.match(r.text, /--mount=type=bind,from=build,source=\/src\/dist,target=\/app\/dist,rw \\\n +UV_COMPILE_BYTECODE=0 UV_LINK_MODE=copy uv pip install --system dist\/\*\.whl$/m, r.text);
    assert.ok(r.notes.some((n) => /the `rm` at line 8 that deleted it goes: the mount leaves nothing in the image/.test(n)), r.notes.join('\n'));
  });

  it('system mode with a wheel builder: files the old file keeps in /wheels take the virtual-environment layout (the builder writes its own wheels there)', () => {
    const r = run('FROM python:3.12 AS wheelhouse\nCOPY . /build/pkg\nRUN cd /build/pkg && pip wheel --wheel-dir /build/wheels .\n\nFROM python:3.12-slim\nCOPY --from=wheelhouse /build/wheels/ /wheels/\nRUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/* && pip install /wheels/*.whl\nCMD ["python", "-m", "shop"]\n', WHEEL, { mode: 'system' });
    assert.ok(r.notes.some((n) => /^system mode: line 7 reads \/wheels, where the wheel builder puts its own wheels: the virtual-environment layout is used\.$/.test(n)), r.notes.join('\n'));
    assert.doesNotMatch(r.text, /--wheel-dir \/wheels/);
  });

  it('Alpine: no find_library refusal where the old file deleted its build packages itself; a PPA that ships git only does not stop the rewrite', () => {
    const alpine = run('FROM python:3.12-alpine3.20\nWORKDIR /app\nCOPY requirements.txt .\nRUN apk add --no-cache libpq && apk add --no-cache --virtual .build-deps gcc musl-dev libpq-dev && pip install --no-cache-dir -r requirements.txt && apk del .build-deps\nCOPY . .\nCMD ["python", "app.py"]\n', { 'requirements.txt': 'psycopg==3.1.19\n', 'app.py': '' });
    assert.equal(alpine.restructured, true, alpine.notes.join('\n'));
    const git = run('FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y --no-install-recommends software-properties-common && add-apt-repository -y ppa:git-core/ppa && apt-get update && apt-get install -y --no-install-recommends git python3 python3-pip python3-dev libpq-dev gcc && rm -rf /var/lib/apt/lists/*\nRUN pip3 install --no-cache-dir psycopg2==2.9.9\nCMD ["python3", "-c", "import psycopg2"]\n');
    assert.ok(!git.notes.some((n) => /adds a PPA/.test(n)), git.notes.join('\n'));
  });

  it('does not tell a user whose installs run as a non-root user to try --mode system, which cannot take them', () => {
    const r = run('FROM python:3.12-slim\nRUN useradd -m worker\nUSER worker\nWORKDIR /home/worker\nCOPY requirements.txt .\nRUN pip install --user -r requirements.txt\nCOPY . .\nCMD pip install --user -r plugins.txt; python app.py\n', { 'requirements.txt': 'flask==3.1.0\n', 'app.py': '' }, { mode: 'system' });
    assert.ok(r.notes.some((n) => /falls back to the user's site as the system pip did[.;]/.test(n)), r.notes.join('\n'));
    assert.ok(!r.notes.some((n) => /try --mode system/.test(n)), r.notes.join('\n'));
  });
});

describe('optimize: a packaging tool the image runs, round 30', () => {
  it('installs poetry or pipenv where the CMD/ENTRYPOINT runs it (the image is for it), with its pin; not where it only runs a command through it', () => {
    const df = (install: string, entry: string) => `FROM python:3.11\nRUN pip install --no-cache-dir ${install}\nWORKDIR /builds\n${entry}\n`;
    const poetry = run(df('poetry==1.8.3 httpie', 'CMD ["poetry", "--version"]'));
    assert.equal(poetry.restructured, true, poetry.notes.join('\n'));
    assert.match(split(poetry.text).builder, /uv pip install poetry==1\.8\.3 httpie$/m, poetry.text);
    const pipenv = run(df('pipenv==2024.0.1', 'ENTRYPOINT ["pipenv"]'));
    assert.match(split(pipenv.text).builder, /uv pip install pipenv==2024\.0\.1$/m, pipenv.notes.join('\n'));
    // Not run by the image: a tool, left out (the image has nothing else to install here).
    assert.match(run(df('pipenv==2024.0.1', 'CMD ["python"]')).notes[0], /installs only packaging tools \(pipenv\)/);
  });
});

describe('optimize: a folder copied from another stage without a trailing slash, round 30', () => {
  it('mounts it like one with the slash (Docker copies the folder\'s contents either way)', () => {
    const df = 'FROM python:3.12-slim AS build\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir build && python -m build --wheel --outdir /app/wheels\n\nFROM python:3.12-slim\nWORKDIR /app\nCOPY --from=build /app/wheels /tmp/wheels\nRUN pip install --no-cache-dir /tmp/wheels/*.whl && rm -rf /tmp/wheels\nCMD ["python", "-m", "shop"]\n';
    const files = { 'pyproject.toml': '[project]\nname = "shop"\nversion = "1"\n[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n', 'shop/__init__.py': '' };
    for (const mode of ['venv', 'system'] as const) {
      const r = run(df, files, { mode });
      assert.equal(r.restructured, true, `${mode}: ${r.notes.join('\n')}`);
      assert.match(r.text, /--mount=type=bind,from=build,source=\/app\/wheels,target=\/tmp\/wheels,rw/, r.text);
      assert.doesNotMatch(split(r.text).final, /^COPY --from=build /m, r.text);
    }
  });
});
