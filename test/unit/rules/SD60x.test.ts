// Project-file rules: SD601–SD605 on pyproject.toml, and SD107/SD108/SD110 on pyproject.toml and
// requirements*.txt entries. A case is one line of data; negatives outnumber positives.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MemoryFileSystem, type Finding, type Fix, type Severity } from '../../../server/src/engine';
import { checkPyproject, checkRequirements } from '../../../server/src/engine/project';
import { parsePyproject } from '../../../server/src/engine/python/pyproject';
import { applyEdits } from '../../helpers';

const ROOT = '/proj';
const CPU = 'FROM python:3.12-slim\nCOPY . /app\nRUN pip install --no-cache-dir /app\n';
const CPU_LOCKED = 'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /bin/\nRUN uv sync --locked --no-dev\n';
const GPU = 'FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\nRUN pip install --no-cache-dir torch\n';
const FIXTURE = path.resolve(__dirname, '../../fixtures/python/transitive-torch');
const fixture = (name: string) => readFileSync(path.join(FIXTURE, name), 'utf8');
const TT = { 'pyproject.toml': fixture('pyproject.toml'), 'uv.lock': fixture('uv.lock'), Dockerfile: fixture('Dockerfile') };

interface PCase {
  name: string;
  /** Files of the project, relative to it. */
  files: Record<string, string>;
  /** The file checked (default pyproject.toml). */
  target?: string;
  /** Dockerfiles given by the caller, relative to the project. */
  dockerfiles?: string[];
  /** 1-based lines where the rule fires; all of them. */
  lines?: number[];
  severity?: Severity;
}

function run(files: Record<string, string>, target = 'pyproject.toml', dockerfiles?: string[]): { findings: Finding[]; hints: ReturnType<typeof checkPyproject>['hints'] } {
  const fs = new MemoryFileSystem(Object.fromEntries(Object.entries(files).map(([k, v]) => [`${ROOT}/${k}`, v])));
  const file = `${ROOT}/${target}`;
  const input = { file, text: files[target], fs, root: ROOT, dockerfiles: dockerfiles?.map((d) => `${ROOT}/${d}`) };
  return /\.toml$/.test(target) ? checkPyproject(input) : { ...checkRequirements(input), hints: [] };
}

const of = (rule: string, c: Pick<PCase, 'files' | 'target' | 'dockerfiles'>) => run(c.files, c.target, c.dockerfiles).findings.filter((f) => f.rule === rule);

function projectCases(rule: string, cases: { fires: PCase[]; clean: PCase[] }): void {
  describe(`${rule} cases`, () => {
    for (const c of cases.fires) {
      it(`fires: ${c.name}`, () => {
        const all = run(c.files, c.target, c.dockerfiles).findings;
        assert.deepEqual(all.filter((f) => /Internal error/.test(f.message)), []);
        const found = all.filter((f) => f.rule === rule);
        assert.ok(found.length > 0, `${rule} did not fire on:\n${c.files[c.target ?? 'pyproject.toml']}`);
        if (c.lines) assert.deepEqual(found.map((f) => f.range.start.line + 1), c.lines, 'lines');
        if (c.severity) assert.deepEqual(found.map((f) => f.severity), found.map(() => c.severity), 'severity');
        for (const f of found) assert.ok(f.message.length > 20);
      });
    }
    for (const c of cases.clean) {
      it(`clean: ${c.name}`, () => {
        assert.deepEqual(of(rule, c).map((f) => `${f.range.start.line + 1}: ${f.message}`), []);
      });
    }
  });
}

/**
 * Applies a fix of the first finding of `rule` and checks: the file still parses, the finding is
 * gone, no new warning or error appears (except those listed in `allow`), and every line of the
 * old text that the edits did not touch is still there, in order.
 */
function assertProjectFix(rule: string, c: Pick<PCase, 'files' | 'target'>, pick: (f: Fix[]) => Fix | undefined = (f) => f.find((x) => x.preferred) ?? f[0], allow: string[] = []): string {
  const target = c.target ?? 'pyproject.toml';
  const before = run(c.files, target).findings;
  const finding = before.find((f) => f.rule === rule);
  assert.ok(finding, `${rule} does not fire`);
  const fix = pick(finding.fixes);
  assert.ok(fix, `${rule} has no such fix`);
  const text = c.files[target];
  const fixed = applyEdits(text, fix.edits);
  if (target.endsWith('.toml')) assert.ok(parsePyproject(fixed).project, `not valid TOML after "${fix.title}":\n${fixed}`);
  const after = run({ ...c.files, [target]: fixed }, target).findings;
  assert.ok(!after.some((f) => f.rule === rule && f.message === finding.message), `${rule} still fires after "${fix.title}":\n${fixed}`);
  const serious = (fs: Finding[]) => fs.filter((f) => (f.severity === 'error' || f.severity === 'warning') && !allow.includes(f.rule)).map((f) => `${f.rule}@${f.message}`);
  assert.deepEqual(serious(after).filter((x) => !serious(before).includes(x)), [], `"${fix.title}" introduced new findings`);
  const touched = new Set<number>();
  for (const e of fix.edits) for (let l = e.range.start.line; l <= e.range.end.line; l++) touched.add(l);
  const out = fixed.split('\n');
  let k = 0;
  text.split('\n').forEach((line, i) => {
    if (touched.has(i)) return;
    while (k < out.length && out[k] !== line) k++;
    assert.ok(k < out.length, `line ${i + 1} (${JSON.stringify(line)}) lost or reordered:\n${fixed}`);
    k++;
  });
  return fixed;
}

const proj = (deps: string, extra = '', head = 'requires-python = ">=3.12"\n') => `[project]\nname = "app"\nversion = "1.0"\n${head}dependencies = [\n${deps}]\n${extra}`;

// ---------------------------------------------------------------------------------------------

projectCases('SD601', {
  fires: [
    { name: 'pytest in [project] dependencies', files: { 'pyproject.toml': proj('  "flask",\n  "pytest>=8",\n') }, lines: [7], severity: 'warning' },
    { name: 'two tools in an inline array', files: { 'pyproject.toml': '[project]\nname = "app"\nrequires-python = ">=3.12"\ndependencies = ["ruff", "flask", "mypy==1.0"]\n' }, lines: [4, 4] },
    { name: 'name spelled differently', files: { 'pyproject.toml': proj('  "Pre_Commit",\n  "Black[d]>=24",\n') }, lines: [6, 7] },
    { name: 'poetry main dependencies', files: { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.12"\ndjango = "^5"\npytest = "^8"\n' }, lines: [4] },
    { name: 'sphinx: information (some apps run it)', files: { 'pyproject.toml': proj('  "sphinx",\n') }, severity: 'info' },
  ],
  clean: [
    { name: 'pytest in [dependency-groups].dev', files: { 'pyproject.toml': proj('  "flask",\n', '[dependency-groups]\ndev = ["pytest"]\n') } },
    { name: 'pytest in an optional extra', files: { 'pyproject.toml': proj('  "flask",\n', '[project.optional-dependencies]\ntest = ["pytest"]\n') } },
    { name: 'pytest in [tool.uv] dev-dependencies', files: { 'pyproject.toml': proj('  "flask",\n', '[tool.uv]\ndev-dependencies = ["pytest"]\n') } },
    { name: 'poetry dev group', files: { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.12"\n[tool.poetry.group.dev.dependencies]\npytest = "^8"\n' } },
    { name: 'the project is a pytest plugin (by name)', files: { 'pyproject.toml': '[project]\nname = "pytest-timeout"\nrequires-python = ">=3.9"\ndependencies = ["pytest>=7"]\n' } },
    { name: 'the project is a pytest plugin (entry point)', files: { 'pyproject.toml': proj('  "pytest>=8",\n', '[project.entry-points.pytest11]\nlocust = "locust.pytest"\n') } },
    { name: 'the project is a dev tool itself', files: { 'pyproject.toml': '[project]\nname = "tox-uv"\nrequires-python = ">=3.9"\ndependencies = ["tox>=4"]\n' } },
    { name: 'names that only look alike', files: { 'pyproject.toml': proj('  "rufflib",\n  "pytest_mockito_like",\n  "blackjack",\n') } },
    { name: 'suppressed on the line above', files: { 'pyproject.toml': proj('  # slimdock: ignore=SD601\n  "pytest",\n') } },
    { name: 'ignored in [tool.slimdock]', files: { 'pyproject.toml': proj('  "pytest",\n', '[tool.slimdock]\nignore = ["SD601"]\n') } },
    { name: 'turned off by severity', files: { 'pyproject.toml': proj('  "pytest",\n', '[tool.slimdock]\nseverity = { SD601 = "off" }\n') } },
    { name: 'no [project] at all', files: { 'pyproject.toml': '[tool.ruff]\nline-length = 100\n' } },
  ],
});

describe('SD601 fixes', () => {
  it('moves a multi-line entry to a new [dependency-groups] table', () => {
    const fixed = assertProjectFix('SD601', { files: { 'pyproject.toml': proj('  "flask",\n  "pytest>=8",  # tests\n  "requests",\n') } });
    assert.equal(fixed, proj('  "flask",\n  "requests",\n', '\n[dependency-groups]\ndev = [\n    "pytest>=8",\n]\n'));
  });
  it('moves the middle element of an inline array into an existing dev group', () => {
    const text = '[project]\nname = "app"\nrequires-python = ">=3.12"\ndependencies = ["flask", "ruff", "requests"]\n\n[dependency-groups]\ndev = [\n    "pytest",\n]\n';
    const fixed = assertProjectFix('SD601', { files: { 'pyproject.toml': text } });
    assert.equal(fixed, '[project]\nname = "app"\nrequires-python = ">=3.12"\ndependencies = ["flask", "requests"]\n\n[dependency-groups]\ndev = [\n    "pytest",\n    "ruff",\n]\n');
  });
  it('moves the last element (no trailing comma) and adds dev to a table without it', () => {
    const text = '[project]\nname = "app"\nrequires-python = ">=3.12"\ndependencies = ["flask", "mypy"]\n\n[dependency-groups]\nlint = ["ruff"]\n\n[tool.ruff]\nline-length = 100\n';
    const fixed = assertProjectFix('SD601', { files: { 'pyproject.toml': text } });
    assert.equal(fixed, '[project]\nname = "app"\nrequires-python = ">=3.12"\ndependencies = ["flask"]\n\n[dependency-groups]\nlint = ["ruff"]\ndev = ["mypy"]\n\n[tool.ruff]\nline-length = 100\n');
  });
  it('appends to an inline dev array and keeps single quotes', () => {
    const text = "[project]\nname = \"app\"\nrequires-python = \">=3.12\"\ndependencies = [\n  'coverage[toml]',\n  'flask',\n]\n[dependency-groups]\ndev = ['pytest']\n";
    const fixed = assertProjectFix('SD601', { files: { 'pyproject.toml': text } });
    assert.equal(fixed, "[project]\nname = \"app\"\nrequires-python = \">=3.12\"\ndependencies = [\n  'flask',\n]\n[dependency-groups]\ndev = ['pytest', 'coverage[toml]']\n");
  });
  it('moves all dev tools at once', () => {
    const text = proj('  "pytest",\n  "flask",\n  "ruff",\n');
    const fixed = assertProjectFix('SD601', { files: { 'pyproject.toml': text } }, (f) => f.find((x) => /all 2/.test(x.title)));
    assert.equal(fixed, proj('  "flask",\n', '\n[dependency-groups]\ndev = [\n    "pytest",\n    "ruff",\n]\n'));
    assert.deepEqual(of('SD601', { files: { 'pyproject.toml': fixed } }), []);
  });
  it('offers no edit for poetry (the message says where to move it)', () => {
    const f = of('SD601', { files: { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.12"\npytest = "^8"\n' } });
    assert.deepEqual(f[0].fixes, []);
  });
  it('estimates from the lock when there is one', () => {
    const files = { ...TT, 'pyproject.toml': TT['pyproject.toml'].replace('"fastapi>=0.110",', '"fastapi>=0.110",\n    "pytest>=8",') };
    const f = of('SD601', { files });
    assert.equal(f[0].estimate?.bytes, 340_000);
  });
});

// ---------------------------------------------------------------------------------------------

const CPU_INDEX = '[[tool.uv.index]]\nname = "pytorch-cpu"\nurl = "https://download.pytorch.org/whl/cpu"\nexplicit = true\n';

projectCases('SD602', {
  fires: [
    { name: 'torch on a CPU image', files: { 'pyproject.toml': proj('  "torch>=2.2",\n  "numpy",\n'), Dockerfile: CPU }, lines: [6], severity: 'warning' },
    { name: 'torch with no Dockerfile: information', files: { 'pyproject.toml': proj('  "torch>=2.2",\n') }, lines: [6], severity: 'info' },
    { name: 'torch in an optional extra', files: { 'pyproject.toml': proj('  "numpy",\n', '[project.optional-dependencies]\nml = ["torchvision", "torch"]\n'), Dockerfile: CPU }, lines: [9] },
    { name: 'transitive through sentence-transformers (uv.lock)', files: TT, lines: [7], severity: 'warning' },
    { name: 'transitive through sentence-transformers (no lock)', files: { 'pyproject.toml': proj('  "sentence-transformers>=3",\n'), 'docker/Dockerfile': CPU }, lines: [6] },
    { name: 'an explicit CPU index that nothing binds torch to', files: { 'pyproject.toml': proj('  "torch",\n', `\n${CPU_INDEX}`), Dockerfile: CPU }, lines: [6] },
    { name: 'a non-PyTorch default index', files: { 'pyproject.toml': proj('  "torch",\n', '\n[[tool.uv.index]]\nurl = "https://mirror.example.com/simple"\ndefault = true\n'), Dockerfile: CPU } },
    { name: 'poetry torch without a source', files: { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.12"\ntorch = "^2.2"\n', Dockerfile: CPU }, lines: [3] },
    { name: 'the Dockerfile in a subfolder', files: { 'pyproject.toml': proj('  "torch",\n'), 'deploy/docker/Dockerfile': CPU }, severity: 'warning' },
  ],
  clean: [
    { name: 'explicit CPU index bound in [tool.uv.sources]', files: { 'pyproject.toml': proj('  "torch",\n', `\n${CPU_INDEX}\n[tool.uv.sources]\ntorch = [{ index = "pytorch-cpu" }]\n`), Dockerfile: CPU } },
    { name: 'CPU index bound with a marker', files: { 'pyproject.toml': proj('  "torch",\n', `\n${CPU_INDEX}\n[tool.uv.sources]\ntorch = [{ index = "pytorch-cpu", marker = "sys_platform == 'linux'" }]\n`), Dockerfile: CPU } },
    { name: 'a non-explicit CPU index (searched first for everything)', files: { 'pyproject.toml': proj('  "torch",\n', '\n[[tool.uv.index]]\nname = "cpu"\nurl = "https://download.pytorch.org/whl/cpu"\n'), Dockerfile: CPU } },
    { name: 'legacy extra-index-url in [tool.uv]', files: { 'pyproject.toml': proj('  "torch",\n', '\n[tool.uv]\nextra-index-url = ["https://download.pytorch.org/whl/cpu"]\n'), Dockerfile: CPU } },
    { name: 'a deliberate CUDA index', files: { 'pyproject.toml': proj('  "torch",\n', '\n[[tool.uv.index]]\nname = "cu124"\nurl = "https://download.pytorch.org/whl/cu124"\nexplicit = true\n\n[tool.uv.sources]\ntorch = { index = "cu124" }\n'), Dockerfile: CPU } },
    { name: 'torch-backend = "cpu"', files: { 'pyproject.toml': proj('  "torch",\n', '\n[tool.uv.pip]\ntorch-backend = "cpu"\n'), Dockerfile: CPU } },
    { name: 'a +cpu pin', files: { 'pyproject.toml': proj('  "torch==2.2.0+cpu",\n'), Dockerfile: CPU } },
    { name: 'a CUDA base image', files: { 'pyproject.toml': proj('  "torch",\n'), Dockerfile: GPU } },
    { name: 'one CPU and one GPU image', files: { 'pyproject.toml': proj('  "torch",\n'), Dockerfile: CPU, 'Dockerfile.gpu': GPU } },
    { name: 'GPU intent in the final stage', files: { 'pyproject.toml': proj('  "torch",\n'), Dockerfile: 'FROM python:3.12-slim\nENV NVIDIA_VISIBLE_DEVICES=all\n' } },
    { name: 'the given Dockerfiles are GPU images', files: { 'pyproject.toml': proj('  "torch",\n'), 'gpu/Dockerfile': GPU, Dockerfile: CPU }, dockerfiles: ['gpu/Dockerfile'] },
    { name: 'poetry torch bound to a CPU source', files: { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.12"\ntorch = { version = "^2.2", source = "pytorch-cpu" }\n\n[[tool.poetry.source]]\nname = "pytorch-cpu"\nurl = "https://download.pytorch.org/whl/cpu"\npriority = "explicit"\n', Dockerfile: CPU } },
    { name: 'the lock already resolved the CPU build', files: { ...TT, 'uv.lock': TT['uv.lock'].replace('name = "torch"\nversion = "2.6.0"\nsource = { registry = "https://pypi.org/simple" }', 'name = "torch"\nversion = "2.6.0+cpu"\nsource = { registry = "https://download.pytorch.org/whl/cpu" }') } },
    { name: 'torch only in a dev group', files: { 'pyproject.toml': proj('  "numpy",\n', '[dependency-groups]\ndev = ["torch"]\n'), Dockerfile: CPU } },
    { name: 'no torch anywhere (lock)', files: { ...TT, 'pyproject.toml': TT['pyproject.toml'].replace('    "sentence-transformers>=3.0",\n', ''), 'uv.lock': TT['uv.lock'].replace('    { name = "sentence-transformers" },\n]\n\n[package.dev', ']\n\n[package.dev') } },
    { name: 'suppressed', files: { 'pyproject.toml': proj('  # slimdock: ignore=SD602\n  "torch",\n'), Dockerfile: CPU } },
    { name: 'the Dockerfile installs from the CPU index itself', files: { 'pyproject.toml': proj('  "torch",\n'), Dockerfile: 'FROM python:3.12-slim\nCOPY . /app\nRUN pip install --no-cache-dir --extra-index-url https://download.pytorch.org/whl/cpu /app\n' } },
    { name: 'the Dockerfile sets PIP_EXTRA_INDEX_URL to the CPU index', files: { ...TT, Dockerfile: 'FROM ubuntu:jammy\nENV PIP_EXTRA_INDEX_URL="https://download.pytorch.org/whl/cpu"\nRUN pip install .\n' } },
    { name: 'torch bound to an index of the workspace root', files: { 'pyproject.toml': proj('  "torch",\n', '\n[tool.uv.sources]\ntorch = { index = "pytorch-cpu" }\n'), Dockerfile: CPU } },
    { name: 'torchvision-like names', files: { 'pyproject.toml': proj('  "torchmetrics-lite",\n  "pytorch-helpers",\n'), Dockerfile: CPU } },
  ],
});

describe('SD602 estimate and fixes', () => {
  it('estimates the locked CUDA share', () => {
    const [f] = of('SD602', { files: TT });
    assert.equal(f.estimate?.bytes, 1_380_000_000);
    assert.match(f.message, /sentence-transformers pulls in torch/);
  });
  it('adds the CPU index and binds torch to it', () => {
    const text = proj('  "torch>=2.2",\n  "numpy",\n');
    const fixed = assertProjectFix('SD602', { files: { 'pyproject.toml': text, Dockerfile: CPU } });
    assert.equal(fixed, `${text}\n${CPU_INDEX}\n[tool.uv.sources]\ntorch = [{ index = "pytorch-cpu" }]\n`);
  });
  it('binds every torch package named directly', () => {
    const text = proj('  "torch",\n  "torchvision",\n');
    const fixed = assertProjectFix('SD602', { files: { 'pyproject.toml': text, Dockerfile: CPU } });
    assert.match(fixed, /\ntorch = \[\{ index = "pytorch-cpu" \}\]\ntorchvision = \[\{ index = "pytorch-cpu" \}\]\n$/);
  });
  it('uses an existing CPU index and [tool.uv.sources] table', () => {
    const text = proj('  "torch",\n', `\n${CPU_INDEX}\n[tool.uv.sources]\nmylib = { path = "libs/mylib" }\n\n[tool.ruff]\nline-length = 100\n`);
    const fixed = assertProjectFix('SD602', { files: { 'pyproject.toml': text, Dockerfile: CPU } });
    assert.equal(fixed, text.replace('mylib = { path = "libs/mylib" }\n', 'mylib = { path = "libs/mylib" }\ntorch = [{ index = "pytorch-cpu" }]\n'));
  });
  it('makes a transitive torch direct (the lock then needs uv lock: SD603)', () => {
    const fixed = assertProjectFix('SD602', { files: TT }, undefined, ['SD603']);
    assert.match(fixed, /"sentence-transformers>=3.0",\n    "torch",\n\]/);
    assert.match(fixed, /\[tool\.uv\.sources\]\ntorch = \[\{ index = "pytorch-cpu" \}\]\n$/);
    const after = run({ ...TT, 'pyproject.toml': fixed }).findings.filter((f) => f.rule === 'SD603');
    assert.equal(after[0]?.severity, 'error', 'the Dockerfile runs uv sync --locked');
  });
  it('has no fix when torch already has another source', () => {
    const [f] = of('SD602', { files: { 'pyproject.toml': proj('  "torch",\n', '\n[tool.uv.sources]\ntorch = { index = "mirror" }\n\n[[tool.uv.index]]\nname = "mirror"\nurl = "https://mirror.example.com/simple"\nexplicit = true\n'), Dockerfile: CPU } });
    assert.deepEqual(f.fixes, []);
  });
});

// ---------------------------------------------------------------------------------------------

const withDep = (files: Record<string, string>, from: string, to: string) => ({ ...files, 'pyproject.toml': files['pyproject.toml'].replace(from, to) });

projectCases('SD603', {
  fires: [
    { name: 'a dependency the lock does not have', files: withDep(TT, '"fastapi>=0.110",', '"fastapi>=0.110",\n    "httpx",'), lines: [7] },
    { name: 'a changed specifier', files: withDep(TT, '"fastapi>=0.110"', '"fastapi>=0.111"'), lines: [6] },
    { name: 'a removed dependency', files: withDep(TT, '    "fastapi>=0.110",\n', ''), lines: [5] },
    { name: 'requires-python changed', files: withDep(TT, 'requires-python = ">=3.12"', 'requires-python = ">=3.11"'), lines: [4] },
    { name: 'a new extra', files: withDep(TT, '[dependency-groups]', '[project.optional-dependencies]\ngpu = ["cupy"]\n\n[dependency-groups]') },
    // uv sync --locked checks the groups even where it leaves them out (found by review).
    { name: 'a dependency group the lock does not have', files: withDep(TT, 'dev = ["pytest>=8"]', 'dev = ["pytest>=8", "ruff>=0.8"]'), lines: [11] },
    { name: 'a group dependency with a changed specifier', files: withDep(TT, 'dev = ["pytest>=8"]', 'dev = ["pytest>=8.3"]'), lines: [11] },
    { name: 'a group the lock still has', files: withDep(TT, '[dependency-groups]\ndev = ["pytest>=8"]\n', '') },
  ],
  clean: [
    { name: 'in sync', files: TT },
    { name: 'a group spelled differently', files: withDep(TT, 'dev = ["pytest>=8"]', 'dev = ["PyTest >= 8.0"]') },
    { name: 'a group that includes another (not compared)', files: { ...withDep(TT, 'dev = ["pytest>=8"]', 'test = ["pytest>=8"]\ndev = [{ include-group = "test" }, "ruff"]'), 'uv.lock': TT['uv.lock'].replace('dev = [{ name = "pytest", specifier = ">=8" }]', 'test = [{ name = "pytest", specifier = ">=8" }]\ndev = [{ name = "pytest", specifier = ">=8" }, { name = "ruff" }]') } },
    { name: 'spelled differently', files: withDep(TT, '"fastapi>=0.110"', '"FastAPI >= 0.110.0"') },
    { name: 'requires-python written another way', files: { ...withDep(TT, 'requires-python = ">=3.12"', 'requires-python = ">=3.12,<3.13"'), 'uv.lock': TT['uv.lock'].replace('requires-python = ">=3.12"', 'requires-python = "==3.12.*"') } },
    { name: 'no lock', files: { 'pyproject.toml': TT['pyproject.toml'] } },
    { name: 'a lock of another project', files: withDep(TT, 'name = "app"', 'name = "other"\n# (renamed)') },
    { name: 'dynamic dependencies', files: { ...TT, 'pyproject.toml': '[project]\nname = "app"\nrequires-python = ">=3.12"\ndynamic = ["dependencies"]\n\n[dependency-groups]\ndev = ["pytest>=8"]\n' } },
    { name: 'a git dependency the lock records as a source', files: { ...withDep(TT, '"fastapi>=0.110",', '"fastapi>=0.110",\n    "lib @ git+https://github.com/o/lib@main",'), 'uv.lock': TT['uv.lock'].replace('    { name = "sentence-transformers", specifier = ">=3.0" },\n]', '    { name = "sentence-transformers", specifier = ">=3.0" },\n    { name = "lib", git = "https://github.com/o/lib?rev=main" },\n]') } },
    { name: 'a workspace lock (requires-python is the members\' intersection)', files: { ...withDep(TT, 'requires-python = ">=3.12"', 'requires-python = ">=3.11"'), 'uv.lock': TT['uv.lock'].replace('requires-python = ">=3.12"\n', 'requires-python = ">=3.12"\n\n[manifest]\nmembers = ["app", "worker"]\n') } },
    { name: 'a lock that does not parse (SD000 says so)', files: { ...TT, 'uv.lock': 'version = = 1' } },
    { name: 'suppressed', files: withDep(TT, '    "fastapi>=0.110",', '    # slimdock: ignore=SD603\n    "fastapi>=0.111",') },
  ],
});

describe('SD603 severity', () => {
  it('is an error when a Dockerfile runs uv sync --locked, a warning otherwise', () => {
    const stale = withDep(TT, '"fastapi>=0.110"', '"fastapi>=0.111"');
    assert.equal(of('SD603', { files: stale })[0].severity, 'error');
    assert.match(of('SD603', { files: stale })[0].message, /--locked in Dockerfile will fail/);
    assert.equal(of('SD603', { files: { ...stale, Dockerfile: CPU } })[0].severity, 'warning');
    assert.equal(of('SD603', { files: { ...stale, Dockerfile: 'FROM python:3.12-slim\nENV UV_LOCKED=1\nRUN uv sync\n' } })[0].severity, 'error');
    assert.equal(of('SD603', { files: { ...stale, Dockerfile: CPU_LOCKED.replace('--locked', '--frozen') } })[0].severity, 'warning');
  });
  it('reports a lock it cannot read as SD000, not SD603', () => {
    const f = run({ ...TT, 'uv.lock': 'version = = 1' }).findings;
    assert.ok(f.some((x) => x.rule === 'SD000' && /uv\.lock could not be read/.test(x.message)));
  });
});

// ---------------------------------------------------------------------------------------------

projectCases('SD604', {
  fires: [
    { name: 'uv project without a lock', files: { 'pyproject.toml': proj('  "flask",\n') }, lines: [5], severity: 'info' },
    { name: 'poetry project without poetry.lock', files: { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.12"\ndjango = "^5"\n' }, lines: [1] },
    { name: 'lock files of another folder do not count', files: { 'pyproject.toml': proj('  "flask",\n'), 'sub/uv.lock': 'version = 1\n' } },
  ],
  clean: [
    { name: 'uv.lock', files: { 'pyproject.toml': proj('  "flask",\n'), 'uv.lock': 'version = 1\n' } },
    { name: 'poetry.lock', files: { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.12"\ndjango = "^5"\n', 'poetry.lock': '# lock\n' } },
    { name: 'pdm.lock', files: { 'pyproject.toml': proj('  "flask",\n'), 'pdm.lock': '# lock\n' } },
    { name: 'Pipfile.lock', files: { 'pyproject.toml': proj('  "flask",\n'), 'Pipfile.lock': '{}\n' } },
    { name: 'pylock.toml', files: { 'pyproject.toml': proj('  "flask",\n'), 'pylock.toml': 'lock-version = "1.0"\n' } },
    { name: 'a workspace member (the lock is above)', files: { 'packages/lib/pyproject.toml': proj('  "flask",\n'), 'uv.lock': 'version = 1\n' }, target: 'packages/lib/pyproject.toml' },
    { name: 'no dependencies', files: { 'pyproject.toml': proj('') } },
    { name: 'only dev groups', files: { 'pyproject.toml': '[project]\nname = "app"\nrequires-python = ">=3.12"\n\n[dependency-groups]\ndev = ["pytest"]\n' } },
    { name: 'not a project', files: { 'pyproject.toml': '[tool.black]\nline-length = 100\n' } },
  ],
});

projectCases('SD605', {
  fires: [
    { name: '[project] without requires-python', files: { 'pyproject.toml': proj('  "flask",\n', '', '') }, lines: [1], severity: 'info' },
    { name: 'dotted keys', files: { 'pyproject.toml': 'project.name = "app"\nproject.dependencies = []\n' }, lines: [1] },
    { name: 'poetry without python', files: { 'pyproject.toml': '[tool.poetry.dependencies]\ndjango = "^5"\n' }, lines: [1] },
  ],
  clean: [
    { name: 'requires-python', files: { 'pyproject.toml': proj('  "flask",\n') } },
    { name: 'poetry python', files: { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.12"\ndjango = "^5"\n' } },
    { name: 'tool configuration only', files: { 'pyproject.toml': '[tool.ruff]\nline-length = 100\n' } },
    { name: 'ignored in [tool.slimdock]', files: { 'pyproject.toml': proj('  "flask",\n', '[tool.slimdock]\nignore = ["SD605"]\n', '') } },
    { name: 'suppressed for the file', files: { 'pyproject.toml': `# slimdock: ignore-file=SD605\n${proj('  "flask",\n', '', '')}` } },
  ],
});

// ---------------------------------------------------------------------------------------------
// SD107, SD108, SD110 on project files

projectCases('SD107', {
  fires: [
    { name: 'torch in requirements.txt, CPU image', files: { 'requirements.txt': 'numpy\ntorch==2.2.0\n', Dockerfile: CPU }, target: 'requirements.txt', lines: [2], severity: 'warning' },
    { name: 'torch in requirements.txt, no Dockerfile', files: { 'requirements.txt': 'torch\n' }, target: 'requirements.txt', severity: 'info' },
    { name: 'requirements/ folder below the Dockerfile', files: { 'requirements/prod.txt': 'torchaudio\n', Dockerfile: CPU }, target: 'requirements/prod.txt', severity: 'warning' },
    { name: 'a non-PyTorch index', files: { 'requirements.txt': '--index-url https://mirror.example.com/simple\ntorch\n', Dockerfile: CPU }, target: 'requirements.txt', lines: [2] },
    { name: 'tensorflow[and-cuda] in pyproject.toml', files: { 'pyproject.toml': proj('  "tensorflow[and-cuda]>=2.16",\n'), Dockerfile: CPU }, lines: [6] },
    { name: 'jax[cuda12] in requirements', files: { 'requirements.txt': 'jax[cuda12]==0.4.30\n', Dockerfile: CPU }, target: 'requirements.txt', lines: [1] },
  ],
  clean: [
    { name: '--index-url CPU', files: { 'requirements.txt': '--index-url https://download.pytorch.org/whl/cpu\ntorch\n', Dockerfile: CPU }, target: 'requirements.txt' },
    { name: '--extra-index-url CPU', files: { 'requirements.txt': 'torch\n--extra-index-url https://download.pytorch.org/whl/cpu\n', Dockerfile: CPU }, target: 'requirements.txt' },
    { name: 'the CPU index in an included file', files: { 'requirements.txt': '-r base.txt\ntorch\n', 'base.txt': '-i https://download.pytorch.org/whl/cpu\n', Dockerfile: CPU }, target: 'requirements.txt' },
    { name: 'a CUDA index on purpose', files: { 'requirements.txt': '--extra-index-url https://download.pytorch.org/whl/cu121\ntorch\n', Dockerfile: CPU }, target: 'requirements.txt' },
    { name: 'a +cpu pin', files: { 'requirements.txt': 'torch==2.2.0+cpu\n-f https://download.pytorch.org/whl/torch_stable.html\n', Dockerfile: CPU }, target: 'requirements.txt' },
    { name: 'a GPU image', files: { 'requirements.txt': 'torch\n', Dockerfile: GPU }, target: 'requirements.txt' },
    { name: 'a dev requirements file', files: { 'requirements-dev.txt': 'torch\n', Dockerfile: CPU }, target: 'requirements-dev.txt' },
    { name: 'torch in pyproject.toml is SD602', files: { 'pyproject.toml': proj('  "torch",\n'), Dockerfile: CPU } },
    { name: 'tensorflow without the CUDA extra', files: { 'requirements.txt': 'tensorflow==2.16\ntensorflow-cpu\n', Dockerfile: CPU }, target: 'requirements.txt' },
    { name: 'the Dockerfile passes the CPU index', files: { 'requirements.txt': 'torch\n', Dockerfile: 'FROM python:3.12-slim\nCOPY requirements.txt .\nRUN uv pip install --system --torch-backend cpu -r requirements.txt\n' }, target: 'requirements.txt' },
    { name: 'a comment that mentions torch', files: { 'requirements.txt': '# torch is installed by the base image\nnumpy\n', Dockerfile: CPU }, target: 'requirements.txt' },
    { name: 'suppressed', files: { 'requirements.txt': '# slimdock: ignore=SD107\ntorch\n', Dockerfile: CPU }, target: 'requirements.txt' },
  ],
});

projectCases('SD108', {
  fires: [
    { name: 'opencv-python in requirements', files: { 'requirements.txt': 'numpy\nopencv-python==4.9.0.80\n', Dockerfile: CPU }, target: 'requirements.txt', lines: [2], severity: 'info' },
    { name: 'opencv-contrib-python in pyproject.toml', files: { 'pyproject.toml': proj('  "opencv-contrib-python>=4.8",\n'), Dockerfile: CPU }, lines: [6] },
    { name: 'poetry', files: { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.12"\nopencv-python = "^4.9"\n', Dockerfile: CPU }, lines: [3] },
  ],
  clean: [
    { name: 'headless', files: { 'requirements.txt': 'opencv-python-headless\n', Dockerfile: CPU }, target: 'requirements.txt' },
    { name: 'no Dockerfile', files: { 'requirements.txt': 'opencv-python\n' }, target: 'requirements.txt' },
    { name: 'dev group', files: { 'pyproject.toml': proj('  "numpy",\n', '[dependency-groups]\ndev = ["opencv-python"]\n'), Dockerfile: CPU } },
    { name: 'dev requirements file', files: { 'requirements-test.txt': 'opencv-python\n', Dockerfile: CPU }, target: 'requirements-test.txt' },
    { name: 'a hash line is not a package', files: { 'requirements.txt': 'numpy \\\n    --hash=sha256:opencv-python\n', Dockerfile: CPU }, target: 'requirements.txt' },
  ],
});

projectCases('SD110', {
  fires: [
    { name: 'psycopg2 in requirements', files: { 'requirements.txt': 'psycopg2==2.9.9\n', Dockerfile: CPU }, target: 'requirements.txt', lines: [1], severity: 'info' },
    { name: 'psycopg2 in pyproject.toml', files: { 'pyproject.toml': proj('  "psycopg2>=2.9",\n'), Dockerfile: CPU }, lines: [6] },
    { name: 'psycopg2 in poetry', files: { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.12"\npsycopg2 = "^2.9"\n', Dockerfile: CPU }, lines: [3] },
  ],
  clean: [
    { name: 'psycopg2-binary', files: { 'requirements.txt': 'psycopg2-binary==2.9.9\n', Dockerfile: CPU }, target: 'requirements.txt' },
    { name: 'psycopg[binary]', files: { 'pyproject.toml': proj('  "psycopg[binary]>=3.1",\n'), Dockerfile: CPU } },
    { name: 'no Dockerfile', files: { 'requirements.txt': 'psycopg2\n' }, target: 'requirements.txt' },
    { name: 'dev requirements', files: { 'requirements/dev.txt': 'psycopg2\n', Dockerfile: CPU }, target: 'requirements/dev.txt' },
    { name: 'an optional test extra still ships? no: only a dev group is skipped', files: { 'pyproject.toml': proj('  "flask",\n', '[dependency-groups]\ndev = ["psycopg2"]\n'), Dockerfile: CPU } },
  ],
});

describe('SD107/SD108/SD110 fixes on project files', () => {
  it('SD107: adds the CPU index to the requirements file', () => {
    const fixed = assertProjectFix('SD107', { files: { 'requirements.txt': 'numpy\ntorch==2.2.0\n', Dockerfile: CPU }, target: 'requirements.txt' });
    assert.equal(fixed, '--extra-index-url https://download.pytorch.org/whl/cpu\nnumpy\ntorch==2.2.0\n');
  });
  it('SD107: drops the CUDA extra in pyproject.toml', () => {
    const fixed = assertProjectFix('SD107', { files: { 'pyproject.toml': proj('  "tensorflow[and-cuda]>=2.16",\n'), Dockerfile: CPU } });
    assert.equal(fixed, proj('  "tensorflow>=2.16",\n'));
  });
  it('SD108: renames to -headless in requirements and pyproject.toml', () => {
    assert.equal(assertProjectFix('SD108', { files: { 'requirements.txt': 'opencv_python==4.9.0.80 --hash=sha256:x\n', Dockerfile: CPU }, target: 'requirements.txt' }), 'opencv_python-headless==4.9.0.80 --hash=sha256:x\n');
    assert.equal(assertProjectFix('SD108', { files: { 'pyproject.toml': proj('  "opencv-python>=4.8",\n'), Dockerfile: CPU } }), proj('  "opencv-python-headless>=4.8",\n'));
    assert.equal(
      assertProjectFix('SD108', { files: { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.12"\nopencv-python = "^4.9"\n', Dockerfile: CPU } }),
      '[tool.poetry.dependencies]\npython = "^3.12"\nopencv-python-headless = "^4.9"\n',
    );
  });
  it('SD110: psycopg2 → psycopg2-binary', () => {
    assert.equal(assertProjectFix('SD110', { files: { 'requirements.txt': 'Django\npsycopg2==2.9.9  # db\n', Dockerfile: CPU }, target: 'requirements.txt' }), 'Django\npsycopg2-binary==2.9.9  # db\n');
  });
});

// ---------------------------------------------------------------------------------------------

describe('pyproject.toml inlay hints', () => {
  it('shows the locked closure size after each dependency', () => {
    const { hints } = run(TT);
    assert.deepEqual(hints.map((h) => [h.position.line + 1, h.label]), [
      [6, '≈ 170 kB (2 packages)'],
      [7, '≈ 1.4 GB (6 packages)'],
      [11, '≈ 340 kB (1 package)'],
    ]);
    assert.match(hints[1].tooltip, /CUDA/);
    assert.match(hints[1].tooltip, /CPython 3\.12/);
    // Right after the closing quote.
    const line = TT['pyproject.toml'].split('\n')[6];
    assert.equal(line.slice(0, hints[1].position.character), '    "sentence-transformers>=3.0"');
  });
  it('falls back to the wheel table, alone, without a lock; nothing when unknown', () => {
    const { hints } = run({ 'pyproject.toml': proj('  "flask",\n  "surely-not-a-real-package-xyz",\n') });
    assert.deepEqual(hints.map((h) => [h.position.line + 1, h.label]), [[6, '≈ 103 kB (wheel)']]);
  });
  it('gives hints for poetry dependencies from the table', () => {
    const { hints } = run({ 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.12"\nflask = "^3"\n' });
    assert.deepEqual(hints.map((h) => h.label), ['≈ 103 kB (wheel)']);
  });
});

describe('project files: bad input', () => {
  const junk = ['', '\u0000\u0001\u0002', '[project\n', 'dependencies = [', '[project]\ndependencies = "flask"\n', '[project]\ndependencies = [1, true, {a = 1}]\n', '[[project]]\n', '[tool.uv]\nsources = "x"\nindex = 3\n', '[project]\nrequires-python = 3\n'];
  for (const text of junk) {
    it(`no throw on ${JSON.stringify(text)}`, () => {
      const r = run({ 'pyproject.toml': text, 'requirements.txt': text, Dockerfile: CPU, 'uv.lock': text });
      assert.deepEqual(r.findings.filter((f) => /Internal error/.test(f.message)), []);
      const q = run({ 'requirements.txt': text, Dockerfile: CPU }, 'requirements.txt');
      assert.deepEqual(q.findings.filter((f) => /Internal error/.test(f.message)), []);
    });
  }
  it('reports invalid TOML as SD000 with its position', () => {
    const f = run({ 'pyproject.toml': '[project]\nname = "a"\nname = "b"\n' }).findings;
    assert.deepEqual(f.map((x) => [x.rule, x.range.start.line]), [['SD000', 2]]);
  });
  it('skips files over 1 MB', () => {
    const f = run({ 'requirements.txt': 'a\n'.repeat(600_000) }, 'requirements.txt').findings;
    assert.deepEqual(f.map((x) => x.rule), ['SD000']);
  });
  // A guard against hangs and quadratic work, loose enough for a loaded CI machine.
  it('is fast on 10 000 lines', () => {
    const text = Array.from({ length: 10_000 }, (_, i) => `package-${i}==1.0.${i} --hash=sha256:${i}`).join('\n');
    const t0 = performance.now();
    run({ 'requirements.txt': text, Dockerfile: CPU }, 'requirements.txt');
    assert.ok(performance.now() - t0 < 1500, `${Math.round(performance.now() - t0)} ms`);
  });
});
