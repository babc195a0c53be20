// Readings of the Python tool commands the installer rules SD102–SD111 look at: where a pip/uv
// install puts packages (so a builder stage matters only when that place is copied out), the
// poetry/pipenv/pdm/conda/pipx invocations, the project's pyproject.toml, and the small tables
// (dev tools, packaging tools, binary-wheel replacements, CUDA wheel sizes) the rules use.
import { tomlValues } from '../python/toml';
import type { DockerfileContext } from '../context';
import type { InstructionModel, StageModel } from '../parse/dockerfile';
import { isUnder, resolvePath } from '../parse/dockerfile';
import type { ShellCommand, Word } from '../parse/shell';
import { pipCall, uvCall, installArgs, expandPath, requirementName, hasOption, pipInstallArgs, UV_PIP_VALUE_OPTIONS, type Invocation, type PackageArgs } from './commands';
import { readContextFile } from './context-files';
import { alongLineage } from './lineage';

// ---------------------------------------------------------------------------------------------
// Tables

/** Dev tooling: test runners, linters, formatters, type checkers, notebooks, docs builders. */
export const DEV_TOOLS = new Set([
  'pytest', 'pytest-cov', 'pytest-mock', 'pytest-xdist', 'pytest-asyncio', 'pytest-django', 'pytest-timeout',
  'ruff', 'black', 'mypy', 'flake8', 'pylint', 'isort', 'bandit', 'pyright', 'autopep8', 'yapf', 'pycodestyle',
  'pydocstyle', 'pyflakes', 'pre-commit', 'coverage', 'tox', 'nox', 'hypothesis', 'ipython', 'ipdb', 'ipykernel',
  'jupyter', 'jupyterlab', 'notebook', 'sphinx', 'sphinx-rtd-theme', 'mkdocs', 'mkdocs-material', 'twine',
  'codespell', 'pip-audit', 'safety', 'vulture', 'pyupgrade', 'commitizen', 'django-debug-toolbar',
]);

/** Extras and dependency groups that by convention hold dev tooling. */
export const DEV_GROUPS = new Set(['dev', 'devel', 'develop', 'development', 'test', 'tests', 'testing', 'lint', 'linting', 'docs', 'doc', 'typing', 'ci']);

/** Project and packaging managers: needed to build the environment, not to run it. */
export const PACKAGING_TOOLS = new Set(['poetry', 'pipenv', 'pdm', 'pip-tools', 'uv']);

/** Packages that compile from source, and the binary-wheel distribution that replaces them. */
export const BINARY_WHEELS = new Map<string, { replacement: string; note: string }>([
  // psycopg2 ships only an sdist (needs gcc + libpq-dev); psycopg2-binary is the same module with
  // libpq bundled in manylinux wheels (https://www.psycopg.org/docs/install.html#psycopg-vs-psycopg-binary).
  ['psycopg2', { replacement: 'psycopg2-binary', note: 'or psycopg[binary] for psycopg 3' }],
]);

/** Packages that pull CUDA wheels from PyPI on Linux x86_64. */
export const TORCH_PACKAGES = new Set(['torch', 'torchvision', 'torchaudio']);

export const TORCH_CPU_INDEX = 'https://download.pytorch.org/whl/cpu';

/**
 * Download bytes of the CUDA wheels torch pulls from PyPI on linux x86_64 (the nvidia-*-cu12
 * wheels plus triton, torch 2.7.1, CPython 3.12), summed from the uv.lock of unclecode/crawl4ai in
 * the corpus. Other torch releases lock 2.2–3.0 GB (khoj-ai/khoj: 2.28 GB, onyx-dot-app/onyx:
 * 2.99 GB); the smallest figure is used. The CUDA build of torch itself is also larger than the
 * CPU one, which is not counted.
 */
export const TORCH_CUDA_WHEEL_BYTES = 2_163_635_596;
export const TORCH_CUDA_BASIS =
  'download size of the nvidia-*-cu12 and triton wheels torch 2.7.1 pulls from PyPI on linux x86_64 (uv.lock of unclecode/crawl4ai; other releases lock 2.3–3.0 GB); installed they take more, and the CUDA torch wheel itself is not counted.';

// ---------------------------------------------------------------------------------------------
// Where packages go

/** True when anything at one of `paths` in this stage ends up in the final image. */
export function shipsAny(stage: StageModel, paths: string[]): boolean {
  if (stage.reachesFinal) return true;
  return paths.some((p) => stage.copiedPaths.some((c) => isUnder(c, p) || isUnder(p, c)));
}

const STANDARD_BIN = new Set(['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']);

/**
 * Site-packages roots of the interpreter a bare `pip`/`python` resolves to. `system`: of the system
 * Python, as `uv pip install --system` picks it: the first Python on PATH that is not a virtual
 * environment, VIRTUAL_ENV not read (https://docs.astral.sh/uv/pip/environments/).
 */
function systemTargets(inst: InstructionModel, env: ReadonlyMap<string, string>, system = false): string[] {
  const out = ['/usr/local/lib', '/usr/lib'];
  const venv = env.get('VIRTUAL_ENV');
  if (venv && !system) return [expandPath(venv, inst, env)];
  // The first non-standard PATH entry `X/bin` (a venv, conda, a custom prefix) takes precedence.
  for (const entry of (env.get('PATH') ?? '').split(':')) {
    if (!entry || entry.includes('$')) continue;
    const dir = resolvePath('/', entry);
    if (STANDARD_BIN.has(dir)) break;
    if (dir.endsWith('/bin')) {
      const prefix = dir.slice(0, -4) || '/';
      if (createdVenvs(inst.stage).includes(prefix)) {
        if (system) continue;
        return [prefix]; // a venv this Dockerfile made
      }
      out.push(prefix);
      break;
    }
  }
  // A non-root pip falls back to a user install when site-packages is not writable.
  if (inst.user !== 'root' && inst.user !== '0') out.push(resolvePath('/', `${env.get('HOME') ?? inst.home}/.local`));
  return out;
}

const venvsOf = new WeakMap<StageModel, readonly string[]>();

/**
 * Virtual environments created in this stage or the ones it is built FROM (`python -m venv X`,
 * `virtualenv X`, `uv venv X`): this stage's first, then its parent's. Computed once per stage
 * (a stage that creates none shares its parent's list): do not change the array.
 */
export function createdVenvs(stage: StageModel): readonly string[] {
  return alongLineage(stage, venvsOf, (s, inherited) => {
    const own = ownVenvs(s);
    return own.length === 0 && inherited ? inherited : [...own, ...(inherited ?? [])];
  });
}

function ownVenvs(stage: StageModel): string[] {
  return stage.instructions.flatMap((inst) => (inst.run?.commands ?? []).map((cmd) => venvMadeBy(inst, cmd)).filter((d): d is string => d !== undefined));
}

/** The virtual environment `cmd` creates (`python -m venv X`, `virtualenv X`, `uv venv [X]`), as an image path; undefined for another command. */
export function venvMadeBy(inst: InstructionModel, cmd: ShellCommand): string | undefined {
  const argv = cmd.argv.map((w) => w.value);
  let rest: string[] | undefined;
  const m = argv.indexOf('-m');
  if (/^python/.test(cmd.name) && m > 0 && (argv[m + 1] === 'venv' || argv[m + 1] === 'virtualenv')) rest = argv.slice(m + 2);
  else if (cmd.name === 'virtualenv') rest = argv.slice(1);
  else if (cmd.name === 'uv' && argv[1] === 'venv') rest = argv.slice(2).length ? argv.slice(2) : ['.venv'];
  const dir = rest?.find((a) => !a.startsWith('-'));
  return dir ? expandPath(dir, inst, cmd.env) : undefined;
}

/** `/opt/venv/bin/pip` → `/opt/venv`; undefined for a bare name. */
function interpreterPrefix(word: Word | undefined, inst: InstructionModel, env: ReadonlyMap<string, string>): string | undefined {
  const m = word && /\/bin\/[^/]+$/.test(word.value) ? /^(\/.*)\/bin\/[^/]+$/.exec(expandPath(word.value, inst, env)) : undefined;
  if (!m) return undefined;
  return m[1] === '/usr' || m[1] === '/usr/local' || m[1] === '' ? `${m[1]}/lib` : m[1];
}

/** The folders a pip install writes packages into (one of them, at least). */
export function pipTargets(inst: InstructionModel, cmd: ShellCommand, args: PackageArgs): string[] {
  const opt = (...names: string[]) => names.map((n) => args.options.get(n)?.[0]?.value).find((v) => v !== undefined);
  const dir = opt('-t', '--target', '--prefix', '--root');
  if (dir) return [expandPath(dir, inst, cmd.env)];
  if (args.options.has('--user')) return [resolvePath('/', cmd.env.get('PYTHONUSERBASE') ?? `${cmd.env.get('HOME') ?? inst.home}/.local`)];
  const prefix = interpreterPrefix(cmd.argv[0], inst, cmd.env);
  if (prefix) return [prefix];
  return systemTargets(inst, cmd.env);
}

/** The folders a `uv pip install` writes into. */
export function uvPipTargets(inst: InstructionModel, cmd: ShellCommand, args: PackageArgs): string[] {
  const dir = ['--target', '--prefix'].map((n) => args.options.get(n)?.[0]?.value).find((v) => v !== undefined);
  if (dir) return [expandPath(dir, inst, cmd.env)];
  const python = args.options.get('--python')?.[0] ?? args.options.get('-p')?.[0];
  const prefix = interpreterPrefix(python, inst, cmd.env);
  if (prefix) return [prefix];
  if (python?.value.startsWith('/')) return [expandPath(python.value, inst, cmd.env)];
  // `--system` (UV_SYSTEM_PYTHON): the system Python, never a virtual environment (a `.venv` of the folder included).
  if (args.options.has('--system') || envTrue(cmd.env.get('UV_SYSTEM_PYTHON'))) return systemTargets(inst, cmd.env, true);
  return [...systemTargets(inst, cmd.env), resolvePath(inst.workdir, '.venv')];
}

/** The project environment of `uv sync`, `poetry install`, `pipenv install`, `pdm install`. */
export function projectTargets(inst: InstructionModel, cmd: ShellCommand, projectDir: string): string[] {
  const env = cmd.env;
  const home = env.get('HOME') ?? inst.home;
  const out = [resolvePath(projectDir, '.venv'), ...systemTargets(inst, env)];
  for (const name of ['UV_PROJECT_ENVIRONMENT', 'POETRY_VIRTUALENVS_PATH', 'WORKON_HOME', 'POETRY_CACHE_DIR']) {
    const v = env.get(name);
    if (v) out.push(expandPath(v, inst, env));
  }
  out.push(resolvePath('/', `${home}/.cache/pypoetry`), resolvePath('/', `${home}/.local/share/virtualenvs`), resolvePath(projectDir, '__pypackages__'));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Installs: pip install, uv pip install


export interface PythonInstall {
  tool: 'pip' | 'uv pip';
  cmd: ShellCommand;
  call: Invocation;
  /** The `install` word. */
  installWord: Word;
  args: PackageArgs;
  /** Where the packages go. */
  targets: string[];
}

/** `pip install …` or `uv pip install …`, read into options, packages and requirement files. */
export function pythonInstall(inst: InstructionModel, cmd: ShellCommand): PythonInstall | undefined {
  const pip = pipCall(cmd);
  if (pip?.sub?.value === 'install') {
    const args = installArgs(pip.args);
    return { tool: 'pip', cmd, call: pip, installWord: pip.sub, args, targets: pipTargets(inst, cmd, args) };
  }
  const uv = uvCall(cmd);
  if (uv?.sub?.value === 'pip' && uv.args[0]?.value === 'install') {
    const args = installArgs(uv.args.slice(1), UV_PIP_VALUE_OPTIONS);
    return { tool: 'uv pip', cmd, call: uv, installWord: uv.args[0], args, targets: uvPipTargets(inst, cmd, args) };
  }
  return undefined;
}

/** `-U`, `--upgrade`, `-qU` … */
export function isUpgrade(args: PackageArgs): boolean {
  for (const k of args.options.keys()) if (k === '--upgrade' || /^-[A-Za-z]*U[A-Za-z]*$/.test(k)) return true;
  return false;
}

/** Extras of a requirement word: `.[dev,test]` → [dev, test]. */
export function extrasOf(spec: string): string[] {
  const m = /\[([^\]]*)\]/.exec(spec);
  return m ? m[1].split(',').map((s) => s.trim().toLowerCase()).filter(Boolean) : [];
}

/** A requirement file whose name says it holds dev tooling: requirements-dev.txt, requirements/test.txt … */
export function isDevRequirementFile(path: string): boolean {
  const parts = path.toLowerCase().split('/');
  const base = parts[parts.length - 1].replace(/\.(txt|in|lock)$/, '');
  const tokens = base.split(/[-_.]+/);
  if (parts.length > 1 && parts[parts.length - 2] === 'requirements' && DEV_GROUPS.has(base)) return true;
  return tokens.some((t) => DEV_GROUPS.has(t)) && (tokens.some((t) => /^requirements?$|^reqs?$/.test(t)) || parts.includes('requirements'));
}

// ---------------------------------------------------------------------------------------------
// Other tools

export interface ToolCall {
  cmd: ShellCommand;
  sub?: Word;
  args: Word[];
}

function afterOptions(cmd: ShellCommand, from: number, valueOptions: Set<string>): ToolCall {
  let i = from;
  while (i < cmd.argv.length && cmd.argv[i].value.startsWith('-')) {
    if (valueOptions.has(cmd.argv[i].value)) i++;
    i++;
  }
  return { cmd, sub: cmd.argv[i], args: cmd.argv.slice(i + 1) };
}

/** `poetry …`, `pipenv …`, `pdm …`, `pipx …` (also `python -m <tool>`). */
export function toolCall(cmd: ShellCommand, tool: 'poetry' | 'pipenv' | 'pdm' | 'pipx'): ToolCall | undefined {
  const values: Record<string, string[]> = {
    poetry: ['-C', '--directory', '-P', '--project'],
    pipenv: ['--python'],
    pdm: ['-p', '--project', '-c', '--config'],
    pipx: [],
  };
  const set = new Set(values[tool]);
  if (cmd.name === tool) return afterOptions(cmd, 1, set);
  if (/^python(\d+(\.\d+)?)?$/.test(cmd.name)) {
    const m = cmd.argv.findIndex((w, k) => k > 0 && w.value === '-m');
    if (m > 0 && cmd.argv[m + 1]?.value === tool) return afterOptions(cmd, m + 2, set);
  }
  return undefined;
}

/** `conda`, `mamba`, `micromamba` (any path): the subcommand, `env create` as `env` + args. */
export function condaCall(cmd: ShellCommand): (ToolCall & { tool: string }) | undefined {
  if (!/^(conda|mamba|micromamba)$/.test(cmd.name)) return undefined;
  return { ...afterOptions(cmd, 1, new Set(['-r', '--root-prefix', '--rc-file'])), tool: cmd.name };
}

/** Option names present in a word list (`--only=main` → `--only`), with their values. */
export function optionsOf(args: Word[], valueOptions: Set<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (!v.startsWith('-')) continue;
    const eq = v.indexOf('=');
    const name = v.startsWith('--') && eq > 0 ? v.slice(0, eq) : v;
    let value: string | undefined = v.startsWith('--') && eq > 0 ? v.slice(eq + 1) : undefined;
    if (value === undefined && valueOptions.has(name) && i + 1 < args.length) value = args[++i].value;
    const list = out.get(name) ?? [];
    if (value !== undefined) list.push(...value.split(','));
    out.set(name, list);
  }
  return out;
}

/** Truthy as uv and poetry read booleans from the environment. */
export function envTrue(value: string | undefined): boolean {
  return value !== undefined && !/^(0|false|no|off|)$/i.test(value.trim());
}

// ---------------------------------------------------------------------------------------------
// pyproject.toml

export type Toml = Record<string, unknown>;

/** The project's pyproject.toml as seen from this instruction (`dir` relative to WORKDIR). */
export function readPyproject(ctx: DockerfileContext, inst: InstructionModel, dir = '.'): Toml | undefined {
  const text = readContextFile(ctx, inst, `${dir.replace(/\/+$/, '')}/pyproject.toml`.replace(/^\.\//, ''));
  if (text === undefined) return undefined;
  // Parsed once per text (rules ask for it on every check); the value is shared: read it only.
  return tomlValues(text).value;
}


export function tomlGet(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const k of path) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/** Names listed in a PEP 508 array or a poetry dependency table. */
export function dependencyNames(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((x): x is string => typeof x === 'string').map(requirementName).filter((n): n is string => !!n);
  if (value && typeof value === 'object') return Object.keys(value).filter((k) => k.toLowerCase() !== 'python').map((k) => k.toLowerCase());
  return [];
}

/** Dev dependency groups a default `uv sync` installs: name → package names. */
export function uvDefaultDevGroups(py: Toml): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const groups = tomlGet(py, 'dependency-groups');
  const defaults = tomlGet(py, 'tool', 'uv', 'default-groups');
  const selected = Array.isArray(defaults) ? defaults.map(String) : defaults === 'all' ? Object.keys((groups as object) ?? {}) : ['dev'];
  if (groups && typeof groups === 'object') {
    for (const name of selected) if (name in groups) out.set(name, dependencyNames((groups as Toml)[name]));
  }
  const legacy = tomlGet(py, 'tool', 'uv', 'dev-dependencies');
  if (Array.isArray(legacy) && legacy.length) out.set('dev', [...(out.get('dev') ?? []), ...dependencyNames(legacy)]);
  return out;
}

/** Non-optional poetry groups besides main (and the old dev-dependencies table). */
export function poetryDevGroups(py: Toml): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const groups = tomlGet(py, 'tool', 'poetry', 'group');
  if (groups && typeof groups === 'object') {
    for (const [name, g] of Object.entries(groups as Toml)) {
      if (name === 'main' || tomlGet(g, 'optional') === true) continue;
      out.set(name, dependencyNames(tomlGet(g, 'dependencies')));
    }
  }
  const legacy = tomlGet(py, 'tool', 'poetry', 'dev-dependencies');
  if (legacy && typeof legacy === 'object' && Object.keys(legacy).length) out.set('dev', dependencyNames(legacy));
  return out;
}

/** pdm's dev groups: `[tool.pdm.dev-dependencies]` and PEP 735 `[dependency-groups]`. */
export function pdmDevGroups(py: Toml): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const table of [tomlGet(py, 'tool', 'pdm', 'dev-dependencies'), tomlGet(py, 'dependency-groups')]) {
    if (table && typeof table === 'object') for (const [k, v] of Object.entries(table as Toml)) out.set(k, dependencyNames(v));
  }
  return out;
}

/** Runtime dependency names of a project (PEP 621 or poetry). */
export function projectDependencyNames(py: Toml): string[] {
  return [...dependencyNames(tomlGet(py, 'project', 'dependencies')), ...dependencyNames(tomlGet(py, 'tool', 'poetry', 'dependencies'))];
}

/** `mountCovers`, with `$VAR` in mount targets expanded from ENV/ARG as BuildKit does. */

/** Build backends and plugins that take the project's version from git (they read `.git`). */
export const VCS_VERSIONING = /setuptools[-_]scm|use_scm_version|hatch-vcs|versioningit|dunamai|poetry-dynamic-versioning|uv-dynamic-versioning|setuptools[-_]git[-_]versioning|flit[-_]scm|\bpbr\b|versioneer|\bsource\s*=\s*["']scm["']/;

/**
 * pip's `PIP_NO_BINARY` / `PIP_ONLY_BINARY` value as uv's variables (`:all:` → UV_NO_BINARY=1 or
 * UV_NO_BUILD=1, `a,b` → UV_NO_BINARY_PACKAGE="a b" or UV_NO_BUILD_PACKAGE="a b"; `:none:` → none),
 * or undefined when it mixes `:all:`/`:none:` with names (pip reads those in order; uv cannot say it).
 */
export function uvBinaryChoice(pipName: 'PIP_NO_BINARY' | 'PIP_ONLY_BINARY', value: string): string[] | undefined {
  // pip splits the variable on commas only (`pillow lxml` is one name, which matches nothing): a
  // part that is no package name is not carried (found by review).
  const parts = value.split(',').map((p) => p.trim()).filter(Boolean);
  const special = parts.filter((p) => p === ':all:' || p === ':none:');
  if (special.length && parts.length > 1) return undefined;
  if (!special.length && parts.some((p) => !/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(p))) return undefined;
  const [all, some] = pipName === 'PIP_NO_BINARY' ? ['UV_NO_BINARY', 'UV_NO_BINARY_PACKAGE'] : ['UV_NO_BUILD', 'UV_NO_BUILD_PACKAGE'];
  if (parts[0] === ':all:') return [`${all}=1`];
  if (parts[0] === ':none:' || !parts.length) return [];
  return [`${some}="${parts.join(' ')}"`];
}

/**
 * A pip or `uv pip` install that takes only built wheels, so it compiles nothing and needs nothing
 * of the full image: wheel files without their dependencies (`pip install --no-deps /dist/*.whl`),
 * or binaries only (`--only-binary :all:`).
 */
export function installsBinariesOnly(cmd: ShellCommand): boolean {
  const a = pipInstallArgs(cmd);
  if (!a) return false;
  if (a.options.get('--only-binary')?.some((w) => w.value === ':all:')) return true;
  return hasOption(a, '--no-deps') && a.packages.length > 0 && a.requirementFiles.length === 0 && a.editables.length === 0 && a.packages.every((w) => /\.whl$/i.test(w.value));
}

/** True when `cmd` installs or builds Python packages (its callers take installsBinariesOnly apart first). */
export function installsPython(cmd: ShellCommand): boolean {
  const pip = pipCall(cmd);
  if (pip && pip.sub?.value !== 'uninstall' && pip.sub?.value !== 'cache') return true;
  if (/^python/.test(cmd.name) && cmd.argv.some((w) => /setup\.py$/.test(w.value))) return true;
  return uvCall(cmd) !== undefined || toolCall(cmd, 'poetry') !== undefined || toolCall(cmd, 'pipenv') !== undefined || toolCall(cmd, 'pdm') !== undefined || toolCall(cmd, 'pipx') !== undefined || condaCall(cmd) !== undefined;
}

/** Programs that compile. */
const COMPILES = /^(gcc|g\+\+|cc|c\+\+|clang|make|cmake|ninja|cargo|rustc|go|gfortran|nvcc|configure|meson)(-[\d.]+)?$/;

/**
 * True when `cmd` may compile: a Python install that may build from sources (not one of built
 * wheels only), or a compiler or build tool. For the quick fixes that take the toolchain or the
 * full base away: they are not the preferred fix where a later step builds (found by review).
 */
export function mayBuild(cmd: ShellCommand): boolean {
  if (installsBinariesOnly(cmd)) return false;
  return installsPython(cmd) || COMPILES.test(cmd.name.split('/').pop() ?? '');
}

/** A command that writes pip's configuration for it: `aws codeartifact login --tool pip` (it runs `pip config set`; found by review). */
export function writesPipConfig(c: ShellCommand): boolean {
  const words = c.argv.map((w) => w.value);
  return c.name === 'aws' && words.includes('codeartifact') && words.includes('login') && words.some((w, k) => (w === '--tool' && words[k + 1] === 'pip') || w === '--tool=pip');
}

/** keyring or a keyring backend (`keyrings.google-artifactregistry-auth`), which pip logs in to an index with by default; uv does not (`--keyring-provider disabled`). */
export function isKeyringPackage(name: string): boolean {
  return /^keyring$|^keyrings[._-]/.test(name.toLowerCase());
}
