// Optimize: what review round 17 found (uv projects, build contexts, credentials). Each case failed
// before its fix.
import assert from 'node:assert/strict';
import { optimize, type OptimizeInput, type OptimizeResult } from '../../../server/src/engine/optimize';
import { memoryFs, CTX } from './golden';

function run(dockerfile: string, files: Record<string, string> = {}, options: Partial<OptimizeInput> = {}): OptimizeResult {
  return optimize({ file: `${CTX}/Dockerfile`, text: dockerfile, fs: memoryFs({ ...files, Dockerfile: dockerfile }), root: CTX, uvVersion: '0.12.5', ...options });
}

/** A uv.lock for project `app` whose root recorded `requiresDist` (name, specifier) and the dev group `dev`. */
function lockOf(requiresDist: [string, string][], dev: [string, string][] = [], extraPackages = ''): string {
  const pkgs = [...requiresDist, ...dev].map(([n]) => `[[package]]\nname = "${n}"\nversion = "1.0"\nsource = { registry = "https://pypi.org/simple" }\n`).join('\n');
  return `version = 1\nrevision = 2\nrequires-python = ">=3.12"\n\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "." }\ndependencies = [${requiresDist.map(([n]) => `{ name = "${n}" }`).join(', ')}]\n${dev.length ? `\n[package.dev-dependencies]\ndev = [${dev.map(([n]) => `{ name = "${n}" }`).join(', ')}]\n` : ''}\n[package.metadata]\nrequires-dist = [${requiresDist.map(([n, s]) => `{ name = "${n}", specifier = "${s}" }`).join(', ')}]\n${dev.length ? `\n[package.metadata.requires-dev]\ndev = [${dev.map(([n, s]) => `{ name = "${n}", specifier = "${s}" }`).join(', ')}]\n` : ''}\n${pkgs}${extraPackages}`;
}
const PYPROJECT = (deps: string[], more = '') => `[project]\nname = "app"\nversion = "0.1.0"\nrequires-python = ">=3.12"\ndependencies = [${deps.map((d) => JSON.stringify(d)).join(', ')}]\n${more}`;
const BUILD_SYSTEM = '\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n';

describe('optimize: found by review, round 17 (uv projects)', () => {
  it('a uv.lock out of date with pyproject.toml is refused: the builder\'s uv sync --locked would fail', () => {
    const files = { 'pyproject.toml': PYPROJECT(['fastapi>=0.115', 'httpx>=0.27'], BUILD_SYSTEM), 'uv.lock': lockOf([['fastapi', '>=0.115']]), 'app.py': '' };
    for (const df of ['FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\nCMD ["app"]\n', 'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.6.16 /uv /bin/\nWORKDIR /app\nCOPY . .\nRUN uv sync --no-dev\nCMD ["app"]\n']) {
      const r = run(df, files);
      assert.equal(r.restructured, false, r.text);
      assert.match(r.notes[0], /line (4|5): uv\.lock is out of date with pyproject\.toml \(httpx>=0\.27 is not in the lock\): the builder's `uv sync --locked` would fail\. Run `uv lock`/);
    }
    // The same lock, up to date: rewritten with --locked.
    const fresh = run('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\nCMD ["app"]\n', { ...files, 'pyproject.toml': PYPROJECT(['fastapi>=0.115'], BUILD_SYSTEM) });
    assert.equal(fresh.restructured, true, fresh.notes.join('\n'));
    assert.match(fresh.text, /uv sync --locked --no-install-project/);
  });
});

describe('optimize: found by review, round 17 (uv sync options)', () => {
  const project = (more = '') => ({ 'pyproject.toml': PYPROJECT(['flask==3.1.0'], BUILD_SYSTEM + more), 'uv.lock': lockOf([['flask', '==3.1.0']]), 'app.py': '' });
  const UV = 'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.6.16 /uv /uvx /bin/\n';

  it('ENV UV_FROZEN=1 gets --frozen on the builder\'s syncs (uv refuses --locked beside it)', () => {
    const r = run(`${UV}ENV UV_FROZEN=1\nWORKDIR /app\nCOPY . .\nRUN uv sync --no-dev\nCMD ["app"]\n`, project());
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.doesNotMatch(r.text, /--locked/);
    assert.equal((r.text.match(/uv sync --frozen/g) ?? []).length, 2, r.text);
    // Without it, --locked as before; UV_FROZEN=0 is no setting.
    for (const env of ['', 'ENV UV_FROZEN=0\n']) assert.equal((run(`${UV}${env}WORKDIR /app\nCOPY . .\nRUN uv sync --no-dev\nCMD ["app"]\n`, project()).text.match(/uv sync --locked/g) ?? []).length, 2);
  });

  it('pip install . of a project without [build-system] stays a uv pip install: uv sync would install neither it nor its console scripts', () => {
    const files = { 'pyproject.toml': '[project]\nname = "inventory"\nversion = "1.0"\ndependencies = ["click==8.1.8"]\n\n[project.scripts]\ninventory = "inventory.cli:main"\n', 'inventory/cli.py': '' };
    const df = 'FROM python:3.12-slim\nWORKDIR /src\nCOPY . .\nRUN pip install --no-cache-dir .\nWORKDIR /data\nENTRYPOINT ["inventory"]\n';
    const r = run(df, files);
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.doesNotMatch(r.text, /uv sync/);
    assert.match(r.text, /^    uv pip install \.$/m);
    // With a build system (or tool.uv.package = true) uv sync installs it.
    for (const more of ['\n[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n', '\n[tool.uv]\npackage = true\n']) {
      assert.match(run(df, { ...files, 'pyproject.toml': files['pyproject.toml'] + more }).text, /uv sync --no-editable/);
    }
  });

  it('uv run of a script with inline metadata (PEP 723) is refused: uv runs it in an environment of its own', () => {
    const files = { ...project(), 'report.py': '# /// script\n# dependencies = ["polars==1.17.1"]\n# ///\nimport polars\n' };
    for (const cmd of ['CMD ["uv", "run", "report.py"]', 'CMD uv run --no-sync report.py', 'ENTRYPOINT ["uv", "run", "--frozen", "./report.py"]']) {
      const r = run(`${UV}WORKDIR /app\nCOPY . .\nRUN uv sync --locked\n${cmd}\n`, files);
      assert.equal(r.restructured, false, r.text);
      assert.match(r.notes[0], /runs `uv run (\.\/)?report\.py`, a script with inline metadata \(`# \/\/\/ script`\): uv runs it in an environment of the packages it declares/);
    }
    // A script without the block runs with the environment's python.
    const plain = run(`${UV}WORKDIR /app\nCOPY . .\nRUN uv sync --locked\nCMD ["uv", "run", "report.py"]\n`, { ...files, 'report.py': '# a plain script\nimport flask\n' });
    assert.equal(plain.restructured, true, plain.notes.join('\n'));
    assert.match(plain.text, /^CMD \["python", "report\.py"\]$/m);
  });

  it('pip install . gets --no-default-groups where [tool.uv] default-groups would install more than pip did', () => {
    const files = project('\n[dependency-groups]\ndev = ["pytest==8.3.4"]\nlint = ["ruff==0.8.4"]\n\n[tool.uv]\ndefault-groups = ["dev", "lint"]\n');
    const r = run('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\nCMD ["app"]\n', files);
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.equal((r.text.match(/uv sync --locked .*--no-default-groups$/gm) ?? []).length, 2, r.text);
    // Not without the setting (UV_NO_DEV covers dev), nor for an old uv sync (it installed them).
    assert.doesNotMatch(run('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\nCMD ["app"]\n', project('\n[dependency-groups]\ndev = ["pytest==8.3.4"]\n')).text, /--no-default-groups/);
    assert.doesNotMatch(run(`${UV}WORKDIR /app\nCOPY . .\nRUN uv sync --locked\nCMD ["app"]\n`, files).text, /--no-default-groups/);
  });

  it('a program of a package only a dev group holds keeps that group; a dev group left out is said', () => {
    const dev = (pkg: string) => project(`\n[dependency-groups]\ndev = ["${pkg}"]\ntest = ["behave==1.2.6"]\n`);
    for (const [pkg, df] of [['uvicorn==0.34.0', 'RUN uv sync --locked\nCMD ["uvicorn", "app:app", "--reload"]'], ['honcho==2.0.0', 'RUN uv sync --locked\nCMD ["honcho", "start"]'], ['uvicorn==0.34.0', 'RUN uv sync --locked --group test\nCMD ["behave", "features/"]']] as const) {
      const r = run(`${UV}WORKDIR /app\nCOPY . .\n${df}\n`, dev(pkg));
      assert.equal(r.restructured, true, r.notes.join('\n'));
      assert.ok(r.notes.some((n) => /^the image runs (uvicorn|honcho|behave) \(the project's (dev|test) group\)/.test(n)), r.notes.join('\n'));
      if (df.includes('--group test')) assert.match(r.text, /uv sync --locked --group test$/m);
      else assert.doesNotMatch(r.text, /UV_NO_DEV=1/);
    }
    // A program the project's own dependencies hold (flask) keeps nothing; the left-out group is named.
    const r = run(`${UV}WORKDIR /app\nCOPY . .\nRUN uv sync --locked --group test\nCMD ["flask", "run"]\n`, dev('uvicorn==0.34.0'));
    assert.match(r.text, /UV_NO_DEV=1/);
    assert.doesNotMatch(r.text, /--group test/);
    assert.ok(r.notes.includes('line 5: uv sync\'s --group test is left out of the image: a dev group, and the image runs none of its tools (SD105). Add it to the builder\'s syncs if the image needs it.'), r.notes.join('\n'));
    const plain = run(`${UV}WORKDIR /app\nCOPY . .\nRUN uv sync --locked\nCMD ["flask", "run"]\n`, dev('uvicorn==0.34.0'));
    assert.ok(plain.notes.includes('line 5: uv sync installed the project\'s dev group too (uv\'s default); the builder leaves it out (UV_NO_DEV=1), as the image runs none of its tools.'), plain.notes.join('\n'));
  });
});

describe('optimize: found by review, round 17 (indexes, credentials, Python)', () => {
  const project = (more = '', deps = ['flask==3.1.0']) => ({ 'pyproject.toml': PYPROJECT(deps, BUILD_SYSTEM + more), 'uv.lock': lockOf(deps.map((d) => [d.split('==')[0], `==${d.split('==')[1]}`] as [string, string])), 'app.py': '' });
  const UV = 'COPY --from=ghcr.io/astral-sh/uv:0.6.16 /uv /uvx /bin/\n';

  it('mounts the project\'s uv.toml (and .python-version) for the dependencies\' sync', () => {
    const files = { ...project(), 'uv.toml': '[[index]]\nname = "corp"\nurl = "https://nexus.example.com/simple"\ndefault = true\n', '.python-version': '3.12\n' };
    const r = run(`FROM python:3.12-slim\n${UV}WORKDIR /app\nCOPY . .\nRUN uv sync --locked --no-dev\nCMD ["app"]\n`, files);
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.match(r.text, /--mount=type=bind,source=pyproject\.toml,target=pyproject\.toml \\\n {4}--mount=type=bind,source=uv\.toml,target=uv\.toml \\\n {4}--mount=type=bind,source=\.python-version,target=\.python-version \\\n {4}uv sync --locked --no-install-project/);
    // Not one the .dockerignore keeps out, nor one that is not there.
    assert.doesNotMatch(run(`FROM python:3.12-slim\n${UV}WORKDIR /app\nCOPY . .\nRUN uv sync --locked --no-dev\nCMD ["app"]\n`, { ...files, '.dockerignore': 'uv.toml\n.python-version\n' }).text, /target=uv\.toml|target=\.python-version/);
    assert.doesNotMatch(run(`FROM python:3.12-slim\n${UV}WORKDIR /app\nCOPY . .\nRUN uv sync --locked --no-dev\nCMD ["app"]\n`, project()).text, /uv\.toml/);
  });

  it('keeps a uv setting an earlier install got inline (an index user name) in the builder\'s environment', () => {
    const df = `FROM python:3.12-slim\n${UV}WORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN --mount=type=secret,id=pw,env=UV_INDEX_INTERNAL_PASSWORD \\\n    UV_INDEX_INTERNAL_USERNAME=ci UV_HTTP_TIMEOUT=120 uv sync --frozen --no-dev --no-install-project\nCOPY . .\nRUN uv sync --frozen --no-dev\nCMD ["app"]\n`;
    const r = run(df, project());
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.match(r.text, /^ENV UV_COMPILE_BYTECODE=0 UV_LINK_MODE=copy UV_NO_DEV=1 UV_PYTHON_DOWNLOADS=0 UV_INDEX_INTERNAL_USERNAME=ci UV_HTTP_TIMEOUT=120$/m);
    // The last install's own value wins over an earlier one's.
    const later = run(df.replace('RUN uv sync --frozen --no-dev\n', 'RUN UV_HTTP_TIMEOUT=30 uv sync --frozen --no-dev\n'), project()).text;
    assert.match(later, /^ENV UV_COMPILE_BYTECODE=0 UV_LINK_MODE=copy UV_NO_DEV=1 UV_PYTHON_DOWNLOADS=0 UV_HTTP_TIMEOUT=30 UV_INDEX_INTERNAL_USERNAME=ci$/m);
    assert.doesNotMatch(later, /UV_HTTP_TIMEOUT=120/);
  });

  it('PIP_FIND_LINKS: several locations are comma-separated for uv; a local folder or PIP_NO_INDEX is refused', () => {
    const req = { 'requirements.txt': 'torch==2.3.1\n', 'app.py': '', 'wheels/x.whl': '' };
    const many = run('FROM python:3.11\nENV PIP_FIND_LINKS="https://download.pytorch.org/whl/torch_stable.html https://data.pyg.org/whl/torch-2.3.0+cpu.html"\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n', req);
    assert.equal(many.restructured, true, many.notes.join('\n'));
    assert.match(many.text, /UV_FIND_LINKS="?https:\/\/download\.pytorch\.org\/whl\/torch_stable\.html,https:\/\/data\.pyg\.org\/whl\/torch-2\.3\.0\+cpu\.html"?( |$)/m);
    for (const mode of ['venv', 'system'] as const) {
      const local = run('FROM python:3.11\nENV PIP_FIND_LINKS=/wheels\nCOPY wheels/ /wheels/\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n', req, { mode });
      assert.equal(local.restructured, false, local.text);
      assert.match(local.notes.join('\n'), /PIP_FIND_LINKS names \/wheels, a local folder/);
    }
    // Where uv installs (the virtual-environment layout): PIP_NO_INDEX has no uv variable. (System
    // mode builds the wheels with pip, which reads it.) PIP_NO_INDEX=0 is no setting.
    const offline = (v: string) => run(`FROM python:3.11\nENV PIP_NO_INDEX=${v} PIP_FIND_LINKS=https://wheels.example.com/\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n`, req);
    assert.equal(offline('1').restructured, false, offline('1').text);
    assert.match(offline('1').notes.join('\n'), /PIP_NO_INDEX keeps pip off the package index, and uv has no such variable/);
    assert.equal(offline('0').restructured, true, offline('0').notes.join('\n'));
  });

  it('a requirements file with its own --index-url beside an index the command or PIP_INDEX_URL gives is refused (pip takes the file\'s, uv the other)', () => {
    const req = { 'requirements.txt': '--index-url https://nexus.example.com/simple\nacme-auth==1.4.2\n', 'app.py': '' };
    const df = (pre: string, opts: string) => `FROM python:3.12\n${pre}WORKDIR /app\nCOPY requirements.txt .\nRUN pip install ${opts}-r requirements.txt\nCMD ["python", "app.py"]\n`;
    for (const [pre, opts, given] of [['', '--index-url https://pypi.org/simple ', '--index-url'], ['', '--extra-index-url https://download.pytorch.org/whl/cpu ', '--extra-index-url'], ['ENV PIP_INDEX_URL=https://mirror.example.com/simple\n', '', 'PIP_INDEX_URL']]) {
      const r = run(df(pre, opts), req);
      assert.equal(r.restructured, false, r.text);
      assert.match(r.notes[0], new RegExp(`requirements\\.txt sets --index-url, which for pip replaces the index the install is given \\(${given}\\); uv would keep that one and ignore the file's`));
    }
    // The file's index alone, or the command's alone: rewritten.
    assert.equal(run(df('', ''), req).restructured, true);
    assert.equal(run(df('', '--index-url https://pypi.org/simple '), { ...req, 'requirements.txt': 'acme-auth==1.4.2\n' }).restructured, true);
  });

  it('checks the Python a uv project asks for against a distro\'s python3, a tag\'s exact release, and a tag without a version (bounded request): where it does not fit, uv\'s own Python, as the old uv downloaded it', () => {
    const files = (py: string) => ({ ...project(), 'pyproject.toml': PYPROJECT(['flask==3.1.0'], BUILD_SYSTEM).replace('>=3.12', py), 'uv.lock': project()['uv.lock'].replace('>=3.12', py) });
    const managed = (r: OptimizeResult) => r.restructured && /UV_PYTHON_INSTALL_DIR=\/python UV_PYTHON_PREFERENCE=only-managed/.test(r.text) && /^COPY --from=builder \/python \/python$/m.test(r.text);
    const UBUNTU = `FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv && rm -rf /var/lib/apt/lists/*\n${UV}WORKDIR /app\nCOPY . .\nRUN uv sync --locked --no-dev\nCMD ["/app/.venv/bin/python", "app.py"]\n`;
    const ubuntu = run(UBUNTU, files('>=3.12'));
    assert.ok(managed(ubuntu), ubuntu.text);
    assert.ok(ubuntu.notes.some((n) => /asks for Python >=3\.12 \(requires-python\), which ubuntu:22\.04 \(Python 3\.10\) does not have: uv downloaded it in the old image\. The builder installs it too/.test(n)), ubuntu.notes.join('\n'));
    const patch = run(`FROM python:3.12.1-slim\n${UV}WORKDIR /app\nCOPY . .\nRUN uv sync --locked --no-dev\nCMD ["app"]\n`, files('>=3.12.9'));
    assert.ok(managed(patch), patch.text);
    assert.ok(patch.notes.some((n) => /asks for Python >=3\.12\.9 \(requires-python\), which python:3\.12\.1-slim \(Python 3\.12\.1\) does not have/.test(n)), patch.notes.join('\n'));
    for (const tag of ['python:3-slim', 'python:slim']) {
      const floating = run(`FROM ${tag}\n${UV}WORKDIR /app\nCOPY . .\nRUN uv sync --locked --no-dev\nCMD ["app"]\n`, files('>=3.10,<3.13'));
      assert.ok(managed(floating), floating.text);
      assert.ok(floating.notes.some((n) => n.includes(`${tag} names no Python version, and the project asks for Python >=3.10,<3.13`)), floating.notes.join('\n'));
    }
    // What fits keeps the base's Python: the same release or a later one, an open-ended request on a floating tag, jammy's 3.10 for >=3.10.
    for (const r of [run(`FROM python:3.12.9-slim\n${UV}WORKDIR /app\nCOPY . .\nRUN uv sync --locked --no-dev\nCMD ["app"]\n`, files('>=3.12.9')), run(`FROM python:3-slim\n${UV}WORKDIR /app\nCOPY . .\nRUN uv sync --locked --no-dev\nCMD ["app"]\n`, files('>=3.10')), run(UBUNTU, files('>=3.10'))]) {
      assert.equal(r.restructured, true, r.notes.join('\n'));
      assert.ok(!managed(r) && /UV_PYTHON_DOWNLOADS=0/.test(r.text), r.text);
    }
  });
});

describe('optimize: found by review, round 17 (more)', () => {
  it('uv sync\'s editable install stays editable where the final stage copies the src folder it points into', () => {
    const files = { 'pyproject.toml': PYPROJECT(['flask==3.1.0'], BUILD_SYSTEM), 'uv.lock': lockOf([['flask', '==3.1.0']]), 'src/shop/__init__.py': '', 'src/shop/templates/index.html': '' };
    const df = (copy: string) => `FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.6.16 /uv /uvx /bin/\nWORKDIR /srv\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-dev --no-install-project\n${copy}\nRUN uv sync --frozen --no-dev\nCMD ["gunicorn", "shop:app"]\n`;
    const r = run(df('COPY src ./src'), files);
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.match(r.text, /^ {4}uv sync --frozen$/m, r.text);
    assert.match(r.text.slice(r.text.lastIndexOf('\nFROM ')), /^COPY src \.\/src$/m);
    // A folder other than src (or src copied elsewhere): the wheel, as before.
    for (const copy of ['COPY src /opt/src', 'COPY lib ./lib']) assert.match(run(df(copy), { ...files, 'lib/x.py': '' }).text, /^ {4}uv sync --frozen --no-editable$/m, copy);
  });

  it('PIP_NO_DEPS=0 (off, as pip reads it) is no reason to refuse', () => {
    const req = { 'requirements.txt': 'flask==3.0.3\n', 'app.py': '' };
    const df = (v: string) => `FROM python:3.12\nENV PIP_NO_DEPS=${v}\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n`;
    for (const v of ['0', 'false', 'off']) assert.equal(run(df(v), req).restructured, true, v);
    assert.match(run(df('1'), req).notes[0], /PIP_NO_DEPS changes what pip installs/);
  });

  it('pip install --group (a dependency group of pyproject.toml) is refused, not installed as packages named after the groups', () => {
    const files = { 'pyproject.toml': '[project]\nname = "a"\nversion = "1"\ndependencies = ["flask"]\n\n[dependency-groups]\nserve = ["gunicorn"]\n' };
    for (const install of ['pip install --group serve', 'pip install --group=serve', 'pip install flask --group serve']) {
      for (const mode of ['venv', 'system'] as const) {
        const r = run(`FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml .\nRUN ${install}\nCOPY . .\nCMD ["gunicorn", "a:app"]\n`, files, { mode });
        assert.equal(r.restructured, false, r.text);
        assert.match(r.notes[0], /line 4: pip install --group installs a dependency group of pyproject\.toml: Optimize does not rewrite that yet/);
        assert.doesNotMatch(r.text, /install serve/);
      }
    }
  });
});

describe('optimize: found by review, round 17 (uv\'s required-version)', () => {
  const df = (tag: string) => `FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:${tag} /uv /uvx /bin/\nWORKDIR /app\nCOPY . .\nRUN uv sync --locked --no-dev\nCMD ["app"]\n`;
  const files = (where: 'pyproject' | 'uv.toml', spec: string) => ({
    'pyproject.toml': PYPROJECT(['flask==3.1.0'], BUILD_SYSTEM + (where === 'pyproject' ? `\n[tool.uv]\nrequired-version = "${spec}"\n` : '')),
    'uv.lock': lockOf([['flask', '==3.1.0']]),
    ...(where === 'uv.toml' ? { 'uv.toml': `required-version = "${spec}"\n` } : {}),
  });
  it('copies the old file\'s uv where the configured one is outside the project\'s required-version, and refuses where neither fits', () => {
    for (const where of ['pyproject', 'uv.toml'] as const) {
      const r = run(df('0.6.16'), files(where, '>=0.6,<0.7'));
      assert.equal(r.restructured, true, r.notes.join('\n'));
      assert.match(r.text, /^COPY --from=ghcr\.io\/astral-sh\/uv:0\.6\.16 \/uv \/uvx \/bin\/$/m);
      assert.doesNotMatch(r.text, /uv:0\.12\.5/);
      assert.ok(r.notes.includes('the project\'s required-version excludes uv 0.12.5: the builder copies uv 0.6.16, the version the old file used.'), r.notes.join('\n'));
      const none = run(df('0.5.1'), files(where, '>=0.6,<0.7'));
      assert.equal(none.restructured, false, none.text);
      assert.match(none.notes[0], /the project's required-version \(>=0\.6,<0\.7\) excludes uv 0\.12\.5, the version slimdock's builder copies \(setting slimdock\.uvVersion\), and the old file copies no uv that fits/);
    }
    // One the configured version fits: that one, as before.
    assert.match(run(df('0.6.16'), files('pyproject', '>=0.5')).text, /uv:0\.12\.5 /);
  });
});

describe('optimize: found by review, round 17 (notes that misled)', () => {
  it('says the .dockerignore keeps uv.lock out, not that there is none', () => {
    const files = { 'pyproject.toml': PYPROJECT(['flask==3.1.0'], BUILD_SYSTEM), 'uv.lock': lockOf([['flask', '==3.1.0']]), '.dockerignore': '*.lock\n' };
    const r = run('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\nCMD ["app"]\n', files);
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.ok(r.notes.includes('the .dockerignore keeps uv.lock out of the build context: the build resolves versions itself. Let the lock through (remove its pattern from .dockerignore), then Optimize again to get `--locked`.'), r.notes.join('\n'));
    assert.ok(!r.notes.some((n) => n.startsWith('the project has no uv.lock')), r.notes.join('\n'));
    const none = run('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\nCMD ["app"]\n', { 'pyproject.toml': files['pyproject.toml'] });
    assert.ok(none.notes.some((n) => n.startsWith('the project has no uv.lock')), none.notes.join('\n'));
  });

  it('does not say the environment lost setuptools where the old one was made by uv already', () => {
    const files = { 'pyproject.toml': PYPROJECT(['flask==3.1.0'], BUILD_SYSTEM), 'uv.lock': lockOf([['flask', '==3.1.0']]) };
    const said = (r: OptimizeResult) => r.notes.some((n) => /comes with setuptools/.test(n));
    assert.equal(said(run('FROM python:3.11-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.6.16 /uv /bin/\nWORKDIR /app\nCOPY . .\nRUN uv sync --locked --no-dev\nCMD ["app"]\n', files)), false);
    assert.equal(said(run('FROM python:3.11-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.6.16 /uv /bin/\nRUN uv venv /opt/venv\nENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH\nCOPY requirements.txt .\nRUN uv pip install -r requirements.txt\nCMD ["python", "-m", "app"]\n', { 'requirements.txt': 'flask==3.1.0\n' })), false);
    // pip into the system Python (which had it): said.
    assert.equal(said(run('FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCMD ["python", "-m", "app"]\n', { 'requirements.txt': 'flask==3.1.0\n' })), true);
  });
});

describe('optimize: found by review, round 17 (pip check, uninstalling the base\'s tools)', () => {
  const req = { 'requirements.txt': 'flask==3.0.3\n', 'app.py': '' };
  it('pip check runs again: in the builder on the environment (venv layout), in place in system mode', () => {
    const df = 'FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir --no-deps -r requirements.txt && pip check\nCOPY . .\nCMD ["python", "app.py"]\n';
    const venv = run(df, req);
    assert.equal(venv.restructured, true, venv.notes.join('\n'));
    const builder = venv.text.slice(0, venv.text.indexOf('\n\nFROM '));
    assert.match(builder, /uv pip install --no-deps -r requirements\.txt\nRUN uv pip check --python \/opt\/venv\/bin\/python$/);
    assert.ok(venv.notes.includes('line 4: pip check runs in the builder stage, on the environment (uv pip check).'), venv.notes.join('\n'));
    const system = run(df.replace('python:3.12', 'python:3.12-slim'), req, { mode: 'system' });
    assert.equal(system.restructured, true, system.notes.join('\n'));
    assert.match(system.text, /uv pip install --system .*--no-deps -r requirements\.txt && pip check$/m);
    // Without it, no check is added.
    assert.doesNotMatch(run(df.replace(' && pip check', ''), req).text, /pip check/);
  });

  it('says that uninstalling pip, setuptools or wheel no longer touches the final stage\'s Python; other packages are uninstalled in the builder', () => {
    const r = run('FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt && pip uninstall -y setuptools wheel flask\nCMD ["python", "app.py"]\n', req);
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.match(r.text, /^RUN uv pip uninstall flask$/m);
    assert.doesNotMatch(r.text, /uv pip uninstall .*setuptools/);
    assert.ok(r.notes.includes('line 4: pip uninstall setuptools wheel took them out of the base image\'s Python; the environment never has them, but the final stage\'s Python still does: add `RUN pip uninstall -y setuptools wheel` there if the image must not ship them.'), r.notes.join('\n'));
  });
});

describe('optimize: found by review, round 17 (distros and system packages)', () => {
  const req = (pkgs: string) => ({ 'requirements.txt': `${pkgs}\n`, 'app.py': '' });
  const finalStage = (r: OptimizeResult) => r.text.slice(r.text.lastIndexOf('\nFROM '));
  const builderStage = (r: OptimizeResult) => r.text.slice(0, r.text.lastIndexOf('\nFROM '));
  const aptDf = (from: string, pkgs: string, install = 'pip install --no-cache-dir -r requirements.txt') => `FROM ${from}\nRUN apt-get update && apt-get install -y --no-install-recommends ${pkgs} && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY requirements.txt .\nRUN ${install}\nCOPY . .\nCMD ["python", "app.py"]\n`;

  it('maps -dev packages to the run-time library of the release: libodbc1 before unixODBC 2.3.11, Ubuntu\'s libmysqlclient21, hdf5\'s hl library', () => {
    const cases: [string, string, string, RegExp][] = [
      ['python:3.10-slim-bullseye', 'gcc g++ unixodbc-dev', 'pyodbc==5.1.0', /apt-get install -y --no-install-recommends libgomp1 libodbc1 /],
      ['python:3.12-slim-bookworm', 'gcc g++ unixodbc-dev', 'pyodbc==5.1.0', /apt-get install -y --no-install-recommends libgomp1 libodbc2 /],
      ['python:3.11-slim-bookworm', 'build-essential pkg-config libhdf5-dev', 'h5py==3.11.0', /apt-get install -y --no-install-recommends libgomp1 libhdf5-103-1 libhdf5-hl-100 /],
      ['python:3.12-slim-bookworm', 'build-essential pkg-config default-libmysqlclient-dev', 'mysqlclient==2.2.4', /apt-get install -y --no-install-recommends libgomp1 libmariadb3 /],
    ];
    for (const [from, pkgs, pin, lib] of cases) {
      const r = run(aptDf(from, pkgs), req(pin));
      assert.equal(r.restructured, true, r.notes.join('\n'));
      assert.match(finalStage(r), lib, `${from} ${pkgs}`);
    }
    const jammy = run('FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip python3-dev build-essential pkg-config default-libmysqlclient-dev && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip3 install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python3", "app.py"]\n', req('mysqlclient==2.2.4'));
    assert.equal(jammy.restructured, true, jammy.notes.join('\n'));
    assert.match(finalStage(jammy), /\blibmysqlclient21\b/);
    assert.doesNotMatch(finalStage(jammy), /libmariadb3/);
  });

  it('refuses an Alpine distro Python\'s py3-* modules and the apt uWSGI/mod_wsgi Python plugins (the environment is not theirs)', () => {
    const alpine = run('FROM alpine:3.20\nRUN apk add --no-cache python3 py3-pip py3-numpy\nCOPY requirements.txt .\nRUN pip install --no-cache-dir --break-system-packages -r requirements.txt\nCOPY app.py .\nCMD ["python3", "app.py"]\n', req('flask==3.0.3'));
    assert.equal(alpine.restructured, false, alpine.text);
    assert.match(alpine.notes[0], /py3-numpy puts a Python module into the system Python's site-packages/);
    // py3-pip alone is tooling, as before.
    assert.equal(run('FROM alpine:3.20\nRUN apk add --no-cache python3 py3-pip\nCOPY requirements.txt .\nRUN pip install --no-cache-dir --break-system-packages -r requirements.txt\nCOPY app.py .\nCMD ["python3", "app.py"]\n', req('flask==3.0.3')).restructured, true);
    const uwsgi = run('FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip uwsgi uwsgi-plugin-python3 && rm -rf /var/lib/apt/lists/*\nCOPY requirements.txt .\nRUN pip3 install --no-cache-dir --break-system-packages -r requirements.txt\nCOPY app.py .\nCMD ["uwsgi", "--plugin", "python3", "--http-socket", ":8000", "--module", "app:app"]\n', req('flask==3.0.3'));
    assert.equal(uwsgi.restructured, false, uwsgi.text);
    assert.match(uwsgi.notes.join('\n'), /uwsgi-plugin-python3 runs the app in the system's own Python/);
  });

  it('keeps a -devel CUDA base for PyCUDA, which runs nvcc when the app compiles a kernel', () => {
    const r = run('FROM nvidia/cuda:12.2.2-devel-ubuntu22.04\nRUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip3 install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python3", "app.py"]\n', req('pycuda==2024.1'));
    assert.doesNotMatch(r.text, /cuda:12\.2\.2-runtime/);
    assert.match(r.notes.join('\n'), /pycuda compiles code at run time/);
  });

  it('drops a later apk del of a --virtual group whose packages all moved to the builder (apk fails on a name it does not know)', () => {
    const df = 'FROM python:3.12-alpine\nWORKDIR /app\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev postgresql-dev \\\n    && apk add --no-cache libpq\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nRUN python manage.py collectstatic --noinput && apk del .build-deps\nCMD ["gunicorn", "proj.wsgi"]\n';
    for (const mode of ['venv', 'system'] as const) {
      const r = run(df, { ...req('psycopg2==2.9.9'), 'manage.py': '' }, { mode });
      assert.equal(r.restructured, true, r.notes.join('\n'));
      assert.match(finalStage(r), /^RUN python manage\.py collectstatic --noinput$/m, mode);
      assert.doesNotMatch(finalStage(r), /apk del/, mode);
    }
    // A group the final stage still makes (a library stays in it): its apk del stays.
    const kept = run(df.replace('gcc musl-dev postgresql-dev', 'gcc musl-dev postgresql-dev curl'), { ...req('psycopg2==2.9.9'), 'manage.py': '' });
    assert.match(finalStage(kept), /apk del \.build-deps/);
  });

  it('gives the builder\'s package install the variables the old one had (DEBIAN_FRONTEND, ACCEPT_EULA)', () => {
    const r = run('FROM ubuntu:22.04\nRUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tzdata python3 python3-pip python3-dev gcc libpq-dev && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip3 install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python3", "app.py"]\n', req('psycopg2==2.9.9'));
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.match(builderStage(r), / && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends .*gcc libpq-dev/);
  });

  it('takes a package repository added through a redirection or a .deb (dpkg -i) for one: what comes from it stays out of the builder', () => {
    const list = 'FROM python:3.11-slim-bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl gnupg2 ca-certificates \\\n && curl -fsSL https://packages.microsoft.com/keys/microsoft.asc | gpg --dearmor -o /usr/share/keyrings/microsoft-prod.gpg \\\n && curl -fsSL https://packages.microsoft.com/config/debian/12/prod.list > /etc/apt/sources.list.d/mssql-release.list \\\n && apt-get update && ACCEPT_EULA=Y apt-get install -y --no-install-recommends msodbcsql18 unixodbc-dev g++ \\\n && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n';
    const deb = list.replace(' && curl -fsSL https://packages.microsoft.com/keys/microsoft.asc | gpg --dearmor -o /usr/share/keyrings/microsoft-prod.gpg \\\n && curl -fsSL https://packages.microsoft.com/config/debian/12/prod.list > /etc/apt/sources.list.d/mssql-release.list \\\n', ' && curl -sSL -O https://packages.microsoft.com/config/debian/12/packages-microsoft-prod.deb \\\n && dpkg -i packages-microsoft-prod.deb && rm packages-microsoft-prod.deb \\\n');
    for (const df of [list, deb]) {
      const r = run(df, req('pyodbc==5.1.0'));
      assert.equal(r.restructured, true, r.notes.join('\n'));
      assert.doesNotMatch(builderStage(r), /msodbcsql18/, r.text);
      assert.match(finalStage(r), /ACCEPT_EULA=Y apt-get install -y --no-install-recommends msodbcsql18/);
    }
  });
});

describe('optimize: found by review, round 17 (base images)', () => {
  const req = { 'requirements.txt': 'cffi==1.17.1\n', 'app.py': '' };
  it('names the release a build argument gives by default where the run-time packages are that release\'s, and says so', () => {
    const df = 'ARG PYTHON_VERSION=3.10\nARG DEBIAN=bullseye\nFROM python:${PYTHON_VERSION}-slim-${DEBIAN}\nRUN apt-get update && apt-get install -y --no-install-recommends build-essential libffi-dev && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n';
    const r = run(df, req);
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.match(r.text, /^FROM python:3\.10-slim-bullseye AS builder$/m);
    assert.match(r.text, /^FROM python:3\.10-slim-bullseye$/m);
    assert.match(r.text, /libffi7/);
    assert.ok(r.notes.includes('the stages name python:3.10-slim-bullseye directly: the build argument in python:${PYTHON_VERSION}-slim-${DEBIAN} no longer applies to them, as the run-time packages the final stage installs (libffi7) are bullseye\'s, the release it gives by default.'), r.notes.join('\n'));
    assert.equal(run(r.text, req).changed, false);
    // Without release-specific packages (or with the release written out), the build argument stays.
    assert.match(run(df.replace(' libffi-dev', ''), req).text, /^FROM python:\$\{PYTHON_VERSION\}-slim-\$\{DEBIAN\}$/m);
    assert.match(run(df.replace('-${DEBIAN}', '-bullseye'), req).text, /^FROM python:\$\{PYTHON_VERSION\}-slim-bullseye$/m);
  });

  it('reads the official images through their mirrors (public.ecr.aws/docker/library, mirror.gcr.io)', () => {
    for (const registry of ['public.ecr.aws/docker/library/', 'mirror.gcr.io/library/']) {
      const r = run(`FROM ${registry}python:3.12-bookworm\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n`, { 'requirements.txt': 'flask==3.0.3\n', 'app.py': '' });
      assert.equal(r.restructured, true, r.notes.join('\n'));
      assert.match(r.text, new RegExp(`^FROM ${registry.replace(/\./g, '\\.')}python:3\\.12-slim-bookworm$`, 'm'));
    }
  });
});
