// The builder stage: uv (or the project's own tool) installs what the old file installed, into a
// virtual environment the final stage copies. One project kind per file: a uv project
// (pyproject.toml, with or without uv.lock), requirements files and named packages (uv pip),
// poetry, pipenv. Requirement files and manifests are bind-mounted from the build context; a
// project install gets the sources the old file had copied before it.
import { tomlValues } from '../python/toml';
import type { InstructionModel, StageModel } from '../parse/dockerfile';
import { argDeclarations, envDeclarations, copyWords, isUnder, jsonForm, resolvePath, substitute } from '../parse/dockerfile';
import type { Word, ShellCommand } from '../parse/shell';
import type { BuildContext } from '../buildcontext';
import type { FileSystem } from '../fs';
import { requirementName, pipCall, uvCall, isRemoteUrl, removes, PIP_INSTALL_VALUE_OPTIONS, UV_PIP_VALUE_OPTIONS } from '../rules/commands';
import { parseVersionRange, compareRelease } from '../python/pyversion';
import { DEV_TOOLS, DEV_GROUPS, isDevRequirementFile, tomlGet, envTrue, optionsOf, uvBinaryChoice, type Toml } from '../rules/python-tools';
import { lineage, recursiveCall } from '../rules/layers';
import { loadRequirementsTree, type RequirementsTree } from '../python/requirements';
import type { UvLock, LockedDependency } from '../python/uvlock';
import { readLock } from '../python/sizes';
import { DISTRO_PYTHON } from './base';
import { lockDrift, describeDrift } from '../python/lockdrift';
import { parsePyproject } from '../python/pyproject';
import { normalizeName } from '../python/requirement';
import { workspaceMembers, versionFromGit } from '../python/vcs';
import { contextCopy, contextPathOf, copyCovers, copyTarget, ctxAbs, globMatch } from './context-map';
import { keptText, opDir, readsVariable, symbolicPath, type Analysis, type PyOp } from './analyze';
import { startupScriptTexts } from './scripts';
import { escapeRegExp } from '../regexp';

export type ProjectKind = 'uv-project' | 'requirements' | 'poetry' | 'pipenv' | 'conda';

export interface BuilderOptions {
  uvVersion: string;
  compileBytecode: boolean;
  build: BuildContext;
  fs: FileSystem;
  /** Names of the stages that stay: the builder's name must not clash. */
  takenNames: string[];
}

export interface BuilderPlan {
  kind: ProjectKind;
  name: string;
  /** The builder stage, instruction by instruction. */
  lines: string[];
  /** The environment the final stage copies. */
  venv: string;
  /** More folders the final stage copies (other conda environments). */
  extraCopies: string[];
  notes: string[];
  blockers: string[];
  /** Context files the builder reads (for the estimate and the .dockerignore). */
  manifests: string[];
  /** The builder installs setuptools itself (for a build without isolation). */
  setuptools?: boolean;
  /** Why the environment runs on a Python uv downloads (into /python), not the base's: the base's does not fit the project. */
  managedPython?: string;
  /** The environment's path as the old file wrote it with build arguments (`/home/${APP_USER}/venv`): what the output says. */
  venvText?: string;
  /** A kept `chown -R app /app` covered where the old environment was: the moved one is copied with that owner. */
  handedTo?: { owner: string; line: number };
}

const CACHE = '--mount=type=cache,target=/root/.cache/uv';
const UV_IMAGE = 'ghcr.io/astral-sh/uv';
const INDENT = '    ';

/** Above a source COPY whose install reads its dependencies from the sources: no manifest can be copied first (SD401). */
export const SOURCES_COMMENT = ['# slimdock: the dependencies are declared in the sources, so they install together with them', '# slimdock: ignore=SD401'];

/** The instruction with each mount on its own continuation line, as uv's guide writes it. */
function runWith(mounts: string[], command: string): string {
  if (mounts.length === 0) return `RUN ${command}`;
  return `RUN ${mounts.join(` \\\n${INDENT}`)} \\\n${INDENT}${command}`;
}

export function builderName(taken: string[]): string {
  const lower = new Set(taken.map((t) => t.toLowerCase()));
  for (const n of ['builder', 'uv-builder', 'python-builder']) if (!lower.has(n)) return n;
  let i = 2;
  while (lower.has(`builder-${i}`)) i++;
  return `builder-${i}`;
}

/** The requirement files an op installs from (`-r`), with their includes, read from the build context. */
export function requirementFiles(a: Analysis, op: PyOp, build: BuildContext, fs: FileSystem): RequirementsTree['files'] {
  // Read once per install: several checks ask (OpenMP, direct references, hashes, run-time compilers).
  let files = requirementFilesOf.get(op);
  if (!files) {
    files = (op.pkg?.requirementFiles ?? []).flatMap((f) => {
      const rel = contextPathOf(resolvePath(opDir(op), substitute(f.value, op.cmd.env)), op.inst, opLineage(a, op), build);
      return rel === undefined ? [] : loadRequirementsTree(fs, ctxAbs(build, rel)).files;
    });
    requirementFilesOf.set(op, files);
  }
  return files;
}
/** An install's requirement files: one analysis, one build context and file system per PyOp. */
const requirementFilesOf = new WeakMap<PyOp, RequirementsTree['files']>();

export function opLineage(a: Analysis, op: PyOp): InstructionModel[] {
  return op.inst.stage.reachesFinal ? a.chain.flatMap((s) => s.instructions) : lineage(op.inst.stage);
}

/**
 * The first item of an environment file's pip section that reads files of the context: `-r
 * requirements.txt`, `-c constraints.txt`, `-e .`, a local path (`.[server]`, `./pkg`, `file:`);
 * block or flow style. A URL reads none.
 */
export function pipSectionReads(yaml: string): string | undefined {
  const at = /^([ \t]*)-[ \t]*pip[ \t]*:[ \t]*(.*)$/m.exec(yaml);
  if (!at) return undefined;
  const items: string[] = [];
  const flow = /^\[(.*)\]?\s*$/.exec(at[2].replace(/#.*$/, '').trim());
  if (flow) items.push(...flow[1].replace(/\]\s*$/, '').split(','));
  else {
    for (const line of yaml.slice(at.index + at[0].length).split('\n').slice(1)) {
      if (!line.trim() || /^\s*#/.test(line)) continue;
      const m = /^([ \t]*)-[ \t]+(.*)$/.exec(line);
      if (!m || m[1].length <= at[1].length) break;
      items.push(m[2]);
    }
  }
  for (const raw of items) {
    const item = raw.replace(/\s+#.*$/, '').trim().replace(/^["']|["']$/g, '');
    if (/^(-r|--requirement|-c|--constraint)[\s=]*(?![a-z][\w+.-]*:\/\/)\S/i.test(item) || /^(-e|--editable)[\s=]+(?![a-z][\w.+-]*[:+])/i.test(item) || /^(\.{1,2}(\/|\[|$)|\/|file:)/.test(item)) return item;
  }
  return undefined;
}

/** The name of a dependency from a folder (`{ path = "libs/shared" }`) in poetry's tables or a Pipfile's, in any TOML spelling. */
function pathDependency(toml: Toml | undefined, tool: 'poetry' | 'pipenv'): string | undefined {
  if (!toml) return undefined;
  const tables: unknown[] = [];
  if (tool === 'pipenv') tables.push(tomlGet(toml, 'packages'), tomlGet(toml, 'dev-packages'));
  else {
    tables.push(tomlGet(toml, 'tool', 'poetry', 'dependencies'), tomlGet(toml, 'tool', 'poetry', 'dev-dependencies'));
    const groups = tomlGet(toml, 'tool', 'poetry', 'group');
    if (groups && typeof groups === 'object') for (const g of Object.values(groups as Record<string, unknown>)) tables.push((g as Record<string, unknown> | undefined)?.dependencies);
  }
  for (const t of tables) {
    if (!t || typeof t !== 'object') continue;
    for (const [name, spec] of Object.entries(t as Record<string, unknown>)) {
      const specs = Array.isArray(spec) ? spec : [spec];
      if (specs.some((x) => x && typeof x === 'object' && 'path' in (x as object))) return name;
    }
  }
  return undefined;
}

function readToml(fs: FileSystem, path: string): Toml | undefined {
  const text = fs.readFile(path);
  if (text === undefined) return undefined;
  return tomlValues(text).value;
}

/** uv sync options the builder's sync carries: with a value, and without. */
const SYNC_CARRIED_VALUE = new Set(['--extra', '--no-extra', '--group', '--only-group', '--no-group', '--package', '--no-install-package']);
const SYNC_CARRIED = new Set(['--all-extras', '--all-packages', '--all-groups', '--no-default-groups', '--inexact', '--no-sources']);
/**
 * Options that change nothing the builder's sync installs: the lock mode, caching, output, bytecode,
 * the dev group (UV_NO_DEV), the project install (handled apart), the project folder, re-fetching.
 */
const SYNC_IGNORED_VALUE = new Set(['--link-mode', '--color', '--project', '--directory', '--refresh-package', '--reinstall-package', '--cache-dir']);
const SYNC_IGNORED = new Set(['--frozen', '--locked', '--no-cache', '-n', '--quiet', '-q', '-qq', '-v', '-vv', '-vvv', '--verbose', '--compile-bytecode', '--no-editable', '--no-progress', '--no-dev', '--dev', '--no-install-project', '--no-install-workspace', '--offline', '--refresh', '--reinstall', '--exact', '--no-python-downloads', '--native-tls']);

/** The context folders above a context path's folder, nearest first ('' is the context root). */
function ancestorsOf(dir: string): string[] {
  const out: string[] = [];
  for (let d = dir; d; d = dirOf(d)) out.push(dirOf(d));
  return out;
}

/**
 * The folders (relative to the project's) of dependencies installed from local folders other than
 * the project itself: path sources in `[tool.uv.sources]`, and in the lock (read as `check` reads
 * it, once per text) packages from a directory or path that are neither the project nor, in a
 * workspace, a member.
 */
function localPathSources(fs: FileSystem, dirAbs: string, toml: Toml | undefined, workspace: boolean): string[] {
  const out: string[] = [];
  const record = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  const sources = tomlGet(toml, 'tool', 'uv', 'sources');
  if (record(sources)) for (const v of Object.values(sources)) for (const x of Array.isArray(v) ? v : [v]) if (record(x) && typeof x.path === 'string') out.push(x.path);
  const lock = readLock(fs, dirAbs).sizes?.lock;
  const members = new Set((lock?.members ?? []).map(normalizeName));
  const own = tomlGet(toml, 'project', 'name');
  for (const p of lock?.packages ?? []) {
    if (!['directory', 'path', 'editable'].includes(p.source.kind) || p.source.value === '.') continue;
    if ((typeof own === 'string' && p.normalized === normalizeName(own)) || (workspace && members.has(p.normalized))) continue;
    out.push(p.source.value);
  }
  return [...new Set(out)];
}

/** A COPY/ADD writes into `path`, or onto a folder above it. */
/** A context COPY/ADD as the builder replays it: absolute destination, no owner or mode, the JSON form kept. */
function replayCopy(inst: InstructionModel): string {
  const copy = contextCopy(inst)!;
  const flags = [...inst.flags.entries()].filter(([k]) => !['chown', 'chmod', 'from'].includes(k)).flatMap(([k, vs]) => vs.map((v) => (v ? `--${k}=${v}` : `--${k}`)));
  const sources = copyWords(inst).slice(0, -1);
  const dest = copy.dest + (copy.destIsDir && copy.dest !== '/' ? '/' : '');
  // The JSON form stays JSON (its words may hold blanks), written anew from its values.
  const words = jsonForm(inst) ? [JSON.stringify([...sources, dest]).replace(/","/g, '", "')] : [...sources, dest];
  return [inst.keyword, ...flags, ...words].join(' ');
}

function copyOverlaps(inst: InstructionModel, path: string): boolean {
  const t = copyTarget(inst);
  return !!t && (isUnder(t.dest, path) || isUnder(path, t.dest));
}

function dirOfPath(p: string): string {
  return p.slice(0, p.lastIndexOf('/')) || '/';
}

function dirOf(rel: string): string {
  return rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
}

function joinRel(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

/** Which tool builds the environment. */
export function projectKind(a: Analysis, build: BuildContext, fs: FileSystem): { kind: ProjectKind; note?: string } {
  const kinds = new Set(a.ops.map((o) => o.kind));
  if (kinds.has('conda') || a.base?.kind === 'conda') return { kind: 'conda' };
  const pyprojectOf = (op: PyOp): { toml?: Toml; dir?: string } => {
    const dir = projectDir(op);
    const rel = contextPathOf(resolvePath(dir, 'pyproject.toml'), op.inst, opLineage(a, op), build);
    return rel === undefined ? {} : { toml: readToml(fs, ctxAbs(build, rel)), dir: dirOf(rel) };
  };
  const pep621 = (t?: Toml) => !!t && Array.isArray(tomlGet(t, 'project', 'dependencies')) && !(tomlGet(t, 'project', 'dynamic') as unknown[] | undefined)?.includes?.('dependencies');
  if (kinds.has('poetry')) {
    const op = a.ops.find((o) => o.kind === 'poetry')!;
    const { toml, dir } = pyprojectOf(op);
    // Not where poetry still decides something uv would not read (found by review): a poetry.lock that
    // pins the versions, its package sources, its groups, `package-mode = false`.
    const poetryOwn = build.stat(joinRel(dir ?? '', 'poetry.lock')) === 'file' || !!tomlGet(toml, 'tool', 'poetry', 'source') || !!tomlGet(toml, 'tool', 'poetry', 'group') || tomlGet(toml, 'tool', 'poetry', 'package-mode') === false;
    if (pep621(toml) && !poetryOwn && build.stat(joinRel(dir ?? '', 'uv.lock')) !== 'file' && !tomlGet(toml, 'tool', 'poetry', 'dependencies')) {
      return { kind: 'uv-project', note: 'the project declares its dependencies in [project] (PEP 621): uv builds it. It has no uv.lock: run `uv lock` and commit uv.lock, then Optimize again to get `--locked`.' };
    }
    return { kind: 'poetry' };
  }
  if (kinds.has('pipenv')) return { kind: 'pipenv' };
  if (kinds.has('uv-sync')) return { kind: 'uv-project' };
  // `pip install .` of a PEP 621 project with uv.lock next to it: uv sync installs exactly the lock.
  const projectOps = a.ops.filter((o) => isProjectInstall(o));
  // One project: `pip install -e ./libs/core -e ./services/api` installs two, which one `uv sync`
  // in one of their folders would not (found by review: the second was never installed).
  const paths = new Set(projectOps.flatMap((o) => [...(o.pkg?.packages ?? []), ...(o.pkg?.editables ?? [])].filter((w) => isLocalPath(w.value)).map((w) => resolvePath(opDir(o), stripExtras(substitute(w.value, o.cmd.env))))));
  // Not when pip was told where or how to resolve (`--extra-index-url …/whl/cpu .`, `-c constraints.txt`,
  // `--pre`, `--only-binary`): uv sync would drop it (found by review: PyPI's CUDA torch instead of
  // the CPU build); the pip-like install keeps them.
  // (Nor beside a dev tool it names where the image runs dev tools, `pip install . pytest` for `CMD
  // pytest`: the sync would leave it out; found by review.)
  const plain = (o: PyOp) => (!o.pkg || [...o.pkg.options.keys()].every((k) => INERT_PIP_OPTIONS.has(k))) && (!a.devRun || !o.pkg || [...o.pkg.packages, ...o.pkg.editables].every((w) => isLocalPath(w.value)));
  if (projectOps.length && paths.size <= 1 && projectOps.length === a.ops.filter((o) => o.action !== 'uninstall').length && projectOps.every(plain)) {
    const { toml } = pyprojectOf(projectOps[0]);
    // uv sync installs the project itself only with a [build-system] (or `tool.uv.package = true`);
    // pip builds one without it with setuptools' legacy backend, console scripts and all (found by
    // review: `ENTRYPOINT ["inventory"]`, not found). uv pip install does what pip did.
    // (`package = false` wins over a [build-system]: uv then ignores it; found by review.)
    const packaged = (!!tomlGet(toml!, 'build-system') || tomlGet(toml!, 'tool', 'uv', 'package') === true) && tomlGet(toml!, 'tool', 'uv', 'package') !== false;
    // (Nor with `[tool.uv.sources]`, which pip never read and uv sync would: uv pip install --no-sources; found by review.)
    if (pep621(toml) && packaged && !tomlGet(toml!, 'tool', 'uv', 'sources')) return { kind: 'uv-project' };
  }
  return { kind: 'requirements' };
}

/** pip install options that change nothing of what is installed from where: `uv sync` may stand in for such an install. */
const INERT_PIP_OPTIONS = new Set(['--no-cache-dir', '--no-cache', '-q', '--quiet', '-v', '--verbose', '--disable-pip-version-check', '--no-warn-script-location', '--root-user-action', '--progress-bar', '--no-color', '--compile', '--no-compile', '-U', '--upgrade', '--no-input', '--break-system-packages', '-e', '--editable']);

/** The project folder an op works on (`--project`/`--directory`/`-C`, the installed path, or WORKDIR). */
export function projectDir(op: PyOp): string {
  const w = opDir(op);
  const flag = op.cmd.argv.findIndex((x) => ['--project', '--directory', '-C'].includes(x.value));
  if (flag > 0 && op.cmd.argv[flag + 1]) return resolvePath(w, substitute(op.cmd.argv[flag + 1].value, op.cmd.env));
  const inline = op.cmd.argv.find((x) => /^--(project|directory)=./.test(x.value));
  if (inline) return resolvePath(w, substitute(inline.value.slice(inline.value.indexOf('=') + 1), op.cmd.env));
  if ((op.kind === 'pip' || op.kind === 'uv-pip') && op.pkg) {
    const path = [...op.pkg.packages, ...op.pkg.editables].find((p) => isLocalPath(p.value));
    if (path) return resolvePath(w, stripExtras(substitute(path.value, op.cmd.env)));
  }
  return w;
}

function isLocalPath(v: string): boolean {
  return /^(\.|\/|file:)/.test(v) && !/\.(whl|tar\.gz|zip)$/.test(v);
}

/** The install's command under the test it ran under in the old file, if any. */
export function guarded(op: PyOp, command: string): string {
  return op.guard ? `if ${op.guard}; then ${command}; fi` : command;
}

function isProjectInstall(op: PyOp): boolean {
  if (op.kind === 'setup-py') return true;
  // Under a test of build arguments (never the project's sources: analyze refuses that): dev tools the build asks for.
  if (op.guard) return false;
  if ((op.kind !== 'pip' && op.kind !== 'uv-pip') || !op.pkg || op.action !== 'install') return false;
  return op.pkg.requirementFiles.length === 0 && [...op.pkg.packages, ...op.pkg.editables].length > 0 && [...op.pkg.packages, ...op.pkg.editables].every((w) => isLocalPath(w.value) || DEV_TOOLS.has(requirementName(w.value) ?? ''));
}

function stripExtras(v: string): string {
  return v.replace(/\[[^\]]*\]$/, '');
}

/** The extras of a `.[a,b]` word: without the dev ones unless the image runs dev tooling. */
function extrasOf(v: string, keepDev = false): string[] {
  const m = /\[([^\]]*)\]$/.exec(v);
  return m ? m[1].split(',').map((s) => s.trim()).filter((s) => s && (keepDev || !DEV_GROUPS.has(s.toLowerCase()))) : [];
}

// ---------------------------------------------------------------------------------------------

/**
 * The packages (normalized names) `uv sync` installs from `lock` with the sync's flags: the project's
 * dependencies, the extras and groups chosen (`--extra x`, `--all-extras`, `--group g`; no dev group,
 * UV_NO_DEV), and theirs, through the edges without a marker only (an edge with one may not apply
 * here: its package counts as not installed, and is then installed again rather than left out).
 * Not LockSizes.closure: for sizes it follows edges whose marker it cannot decide and evaluates them
 * at the lowest Python; leaving an install out needs the edges that surely apply.
 */
function syncedFromLock(lock: UvLock, flags: string[]): Set<string> {
  const out = new Set<string>();
  if (!lock.root) return out;
  const extras = flags.filter((f) => f.startsWith('--extra ')).map((f) => f.slice(8));
  const groups = flags.filter((f) => f.startsWith('--group ')).map((f) => f.slice(8));
  const todo: LockedDependency[] = [...lock.root.dependencies];
  for (const [extra, deps] of lock.root.optionalDependencies) if (flags.includes('--all-extras') || extras.includes(extra)) todo.push(...deps);
  for (const group of groups) todo.push(...(lock.root.devDependencies.get(group) ?? []));
  while (todo.length) {
    const d = todo.pop()!;
    if (d.marker || out.has(d.normalized)) continue;
    out.add(d.normalized);
    for (const p of lock.byName.get(d.normalized) ?? []) {
      todo.push(...p.dependencies);
      for (const e of d.extras) todo.push(...(p.optionalDependencies.get(e) ?? []));
    }
  }
  return out;
}

/**
 * True when an install went into a virtual environment: a venv's pip (`venv/bin/pip`), VIRTUAL_ENV
 * set, or a venv's bin first on PATH.
 */
export function intoVirtualEnv(op: PyOp): boolean {
  return /(^|\/)[^/]*venv[^/]*\/bin\//.test(op.cmd.argv[0]?.value ?? '') || !!op.cmd.env.get('VIRTUAL_ENV') || /(^|\/)[^/:]*venv[^/:]*\/bin\/?$/.test((op.cmd.env.get('PATH') ?? '').split(':')[0]);
}

export function planBuilder(a: Analysis, opts: BuilderOptions): BuilderPlan {
  const { kind, note } = projectKind(a, opts.build, opts.fs);
  const base = a.base!;
  const name = builderName(opts.takenNames);
  const plan: BuilderPlan = { kind, name, lines: [], venv: '/opt/venv', extraCopies: [], notes: note ? [note] : [], blockers: [], manifests: [] };
  if (kind === 'conda') {
    if (base.kind !== 'conda') {
      plan.blockers.push(`conda runs on ${base.builderImage}, which is not a conda image slimdock knows (continuumio/miniconda3, condaforge/miniforge3).`);
      return plan;
    }
    new BuilderContext(a, opts, plan).conda(name, fromFlagsOf(a));
    return plan;
  }
  if ((kind === 'poetry' || kind === 'pipenv') && base.kind === 'distro') {
    // (Not every distro's python3 is externally managed, PEP 668: Debian 12 and Ubuntu 23.04 on; found by review.)
    plan.blockers.push(`${kind} on a distro Python (${base.builderImage}) is not rewritten yet: the builder would install ${kind} into the distro's python3${/^(bookworm|trixie|noble)$/.test(base.codename) ? ', which is externally managed (PEP 668)' : ''}.`);
    return plan;
  }
  const ctx = new BuilderContext(a, opts, plan);
  const from = builderFrom(a);
  if ('reason' in from) {
    plan.blockers.push(from.reason);
    return plan;
  }
  plan.lines.push(`FROM ${from.flags}${from.image} AS ${name}`);
  if (!base.hasUv) plan.lines.push(`COPY --from=${UV_IMAGE}:${opts.uvVersion} /uv /uvx /bin/`);
  // UV_NO_DEV, but where the image runs dev tooling and an old `uv sync` installed the dev group (its default).
  // (Nor where a sync asks for the dev group by name, `--only-group dev`: uv lets UV_NO_DEV win over it, astral-sh/uv#11205.)
  const namesDev = (o: PyOp) => {
    const g = optionsOf(o.args, new Set(['--group', '--only-group']));
    return !!g.get('--only-group')?.includes('dev') || (!!a.devRun && !!g.get('--group')?.includes('dev'));
  };
  const devSync =
    a.ops.some((o) => o.kind === 'uv-sync' && namesDev(o)) ||
    (!!a.devRun && a.ops.some((o) => o.kind === 'uv-sync' && !o.args.some((w) => /^--(no-dev|only-group|no-default-groups)$/.test(w.value)) && !envTrue(o.cmd.env.get('UV_NO_DEV'))));
  const env = [`UV_COMPILE_BYTECODE=${opts.compileBytecode ? 1 : 0}`, 'UV_LINK_MODE=copy', ...(devSync ? [] : ['UV_NO_DEV=1']), 'UV_PYTHON_DOWNLOADS=0', ...ctx.translatedPipEnv()];
  // The old ARGs first: an ENV that hands a build argument on (UV_INDEX_URL=${PIP_INDEX_URL…}) must follow it.
  plan.lines.push(...ctx.argsAndEnv());
  plan.lines.push(`ENV ${env.join(' ')}`);
  if (a.buildPackages.length) plan.lines.push(osInstall(base.manager, a.buildPackages, a.buildEnv));

  if (kind === 'uv-project') {
    ctx.uvProject();
    if (plan.managedPython) {
      const at = plan.lines.indexOf(`ENV ${env.join(' ')}`);
      plan.lines[at] = `ENV ${env.map((e) => (e === 'UV_PYTHON_DOWNLOADS=0' ? 'UV_PYTHON_INSTALL_DIR=/python UV_PYTHON_PREFERENCE=only-managed' : e)).join(' ')}`;
      plan.extraCopies.push('/python');
      plan.notes.push(plan.managedPython);
    }
  } else if (kind === 'poetry') ctx.toolProject('poetry');
  else if (kind === 'pipenv') ctx.toolProject('pipenv');
  else ctx.requirements();
  return plan;
}

/**
 * The builder's base: the old builder stage's (it has the compilers the old build relied on) when
 * one is replaced, else the old final base. Its Python must be the final stage's: the environment's
 * interpreter links point into it.
 */
function builderFrom(a: Analysis): { image: string; flags: string } | { reason: string } {
  const old = a.absorbed.find((s) => !s.parent);
  if (!old) return { image: a.base!.builderImage, flags: fromFlagsOf(a) };
  const raw = a.model.text.slice(old.imageStart, old.imageEnd);
  const mine = /^(?:docker\.io\/)?(?:library\/)?python:(\d+\.\d+)/.exec(old.image)?.[1] ?? /astral-sh\/uv:.*python(\d+\.\d+)/.exec(old.image)?.[1];
  const theirs = a.base!.python;
  if (!mine || !theirs || mine !== theirs) {
    if (old.image === a.chain[0].image) return { image: a.base!.builderImage, flags: fromFlagsOf(a) };
    return { reason: `the old builder stage (${old.image}) and the final stage (${a.chain[0].image}) do not share a known Python version: the environment would not run.` };
  }
  const from = old.instructions[0];
  const flags = a.model.text.slice(from.start, old.imageStart).replace(/^\s*FROM\s*/i, '').trim();
  return { image: raw, flags: flags ? `${flags} ` : '' };
}

/** The old base's FROM flags (`--platform=linux/amd64 `), with a trailing blank: every stage the rewrite makes from that base keeps them. */
export function fromFlagsOf(a: Analysis): string {
  const root = a.chain[0];
  const from = a.chain[0].instructions[0];
  const text = a.model.text.slice(from.start, root.imageStart);
  const flags = text.replace(/^\s*FROM\s*/i, '').trim();
  return flags ? `${flags} ` : '';
}

export function osInstall(manager: 'apt' | 'apk', packages: string[], env: ReadonlyMap<string, string> = new Map()): string {
  const prefix = [...env].map(([k, v]) => `${k}=${quote(v)} `).join('');
  if (manager === 'apk') return `RUN ${prefix}apk add --no-cache ${packages.join(' ')}`;
  return `RUN apt-get update \\\n && ${prefix}apt-get install -y --no-install-recommends ${packages.join(' ')} \\\n && rm -rf /var/lib/apt/lists/*`;
}

/** pip's index settings a secret may be handed in as (`--mount=type=secret,id=idx,env=PIP_INDEX_URL`), under uv's names. */
const PIP_SECRET_ENV: Record<string, string> = { PIP_INDEX_URL: 'UV_INDEX_URL', PIP_EXTRA_INDEX_URL: 'UV_EXTRA_INDEX_URL' };

/** pip's settings in the environment, as uv reads them (uv ignores PIP_*). */
const PIP_TO_UV: Record<string, string | ((v: string) => string | undefined)> = {
  PIP_INDEX_URL: 'UV_INDEX_URL',
  PIP_EXTRA_INDEX_URL: 'UV_EXTRA_INDEX_URL',
  PIP_TRUSTED_HOST: 'UV_INSECURE_HOST',
  PIP_DEFAULT_TIMEOUT: 'UV_HTTP_TIMEOUT',
  PIP_TIMEOUT: 'UV_HTTP_TIMEOUT',
  PIP_PRE: (v) => (envTrue(v) ? 'UV_PRERELEASE=allow' : undefined),
  PIP_REQUIRE_HASHES: (v) => (envTrue(v) ? 'UV_REQUIRE_HASHES=1' : undefined),
  PIP_NO_CACHE_DIR: () => undefined,
  // (On, a refusal: settings.ts. Off, nothing to say.)
  PIP_NO_DEPS: () => undefined,
  PIP_NO_DEPENDENCIES: () => undefined,
  PIP_DISABLE_PIP_VERSION_CHECK: () => undefined,
  PIP_ROOT_USER_ACTION: () => undefined,
  PIP_NO_COMPILE: () => undefined,
  PIP_PROGRESS_BAR: () => undefined,
  PIP_NO_WARN_SCRIPT_LOCATION: () => undefined,
  PIP_BREAK_SYSTEM_PACKAGES: () => undefined,
  PIP_NO_INPUT: () => undefined,
  PIP_USER: () => undefined,
  PIP_PREFER_BINARY: () => undefined,
  PIP_CACHE_DIR: () => undefined,
};

/** pipenv install options the builder's install stands for: what it keeps, and what only concerns the environment, output or dev tools. */
const PIPENV_KNOWN = /^(--ignore-pipfile|--deploy|--skip-lock|--system|--dev|-d|--clear|-v|--verbose|-q|--quiet|--keep-outdated|--selective-upgrade|--site-packages)$/;

/** pip install options → uv pip install options ('' drops it). */
const FLAG_MAP: Record<string, string> = {
  '--no-deps': '--no-deps', '--no-index': '--no-index', '-U': '--upgrade', '--upgrade': '--upgrade',
  '--no-build-isolation': '--no-build-isolation', '-q': '--quiet', '--quiet': '--quiet', '-v': '--verbose', '--verbose': '--verbose',
  '--pre': '--prerelease=allow', '--force-reinstall': '--reinstall', '--require-hashes': '--require-hashes', '--all-extras': '--all-extras',
  '--no-cache-dir': '', '--no-cache': '', '-n': '', '--user': '', '--disable-pip-version-check': '', '--no-warn-script-location': '',
  '--no-warn-conflicts': '', '--break-system-packages': '', '--ignore-installed': '', '-I': '', '--prefer-binary': '', '--compile': '',
  '--no-compile': '', '--system': '', '-y': '', '--yes': '', '--isolated': '', '--no-input': '', '--no-color': '', '--strict': '',
  '--ignore-requires-python': '', '--no-clean': '', '--upgrade-deps': '', '--no-python-version-warning': '', '--exists-action': '',
};
/** uv's settings that name a requirements-format file of the image (`ENV UV_CONSTRAINT=/app/constraints.txt`). */
export const UV_FILE_SETTINGS = ['UV_CONSTRAINT', 'UV_OVERRIDE', 'UV_BUILD_CONSTRAINT'];

/** uv pip options that name a requirements-format file (mounted into the builder like -c). */
const UV_FILE_OPTIONS = new Set(['--override', '--overrides', '--build-constraint', '--build-constraints', '--excludes']);

const VALUE_MAP: Record<string, string> = {
  '-r': '-r', '--requirement': '-r', '--requirements': '-r', '-c': '-c', '--constraint': '-c', '--constraints': '-c', '-e': '-e', '--editable': '-e', '-b': '--build-constraint',
  '-i': '--index-url', '--index-url': '--index-url', '--extra-index-url': '--extra-index-url', '--default-index': '--default-index', '--index': '--index',
  '-f': '--find-links', '--find-links': '--find-links', '--no-binary': '--no-binary', '--only-binary': '--only-binary',
  '--trusted-host': '--allow-insecure-host', '--allow-insecure-host': '--allow-insecure-host', '-C': '--config-setting', '--config-settings': '--config-setting',
  '--config-setting': '--config-setting', '--index-strategy': '--index-strategy', '--extra': '--extra', '--override': '--override', '--overrides': '--override', '--build-constraint': '--build-constraint', '--build-constraints': '--build-constraint', '--torch-backend': '--torch-backend',
  '--cache-dir': '', '--target': '', '-t': '', '--prefix': '', '--root': '', '--src': '', '--log': '', '--timeout': '', '--default-timeout': '',
  '--retries': '', '--progress-bar': '', '--upgrade-strategy': '', '--root-user-action': '', '--python': '', '-p': '', '-w': '', '--wheel-dir': '',
  '--report': '', '--use-feature': '', '--keyring-provider': '', '--global-option': '', '--install-option': '', '--link-mode': '', '--python-version': '',
  '--platform': '', '--implementation': '', '--abi': '', '--proxy': '', '--cert': '', '--client-cert': '', '--only-binary=:all:': '',
};
const SHORT_VALUE = new Set(['r', 'c', 'e', 'i', 'f', 'C', 't', 'w', 'p']);


export class BuilderContext {
  private workdir = '/';
  /** System mode: installs run in place in the final stage, where the old COPYs already put the files. */
  system = false;
  /** The command made from uvPip's words is system mode's `pip wheel`, which reads pip's own names. */
  pipWheel = false;
  /** Source archives or folders another stage made that an install mounts from it (not wheels): built where they are installed. */
  readonly stageSources: string[] = [];
  private replayed = new Set<InstructionModel>();
  private venvReady = false;
  /** Something is installed in the builder's environment already (an earlier install, the project's sync). */
  private installedAny = false;
  /** An install from bind-mounted manifests ran already (a later whole-context COPY is then fine). */
  private installedFromContext = false;
  /** A uv project's locked packages (normalized names) and its lock's context path: an install that went into another environment does not install them over the lock. */
  private lockedPackages?: { names: Set<string>; file: string };

  constructor(
    private readonly a: Analysis,
    private readonly opts: BuilderOptions,
    readonly plan: BuilderPlan,
  ) {}

  private get lines(): string[] {
    return this.plan.lines;
  }

  private line(op: PyOp): number {
    return op.inst.node.getRange().start.line + 1;
  }

  /** A dev requirements file holding a tool the image runs (`-r requirements-test.txt` for `ENTRYPOINT pytest`): needed, as SD105 reads it. */
  private devFileUsed(op: PyOp, file: string): boolean {
    // A development image (its final stage named dev, test …): all of its dev files are.
    if (this.a.devImage) return true;
    const use = this.a.devUse;
    if (!use) return false;
    const rel = contextPathOf(resolvePath(opDir(op), substitute(file, op.cmd.env)), op.inst, opLineage(this.a, op), this.opts.build);
    if (rel === undefined) return !!this.a.devRun;
    return loadRequirementsTree(this.opts.fs, ctxAbs(this.opts.build, rel)).files.some((f) => f.entries.some((e) => !!e.requirement && use(e.requirement.normalized)));
  }

  translatedPipEnv(): string[] {
    const out: string[] = [];
    const last = this.a.ops[this.a.ops.length - 1];
    if (!last) return out;
    // uv settings of the old file carry over, except the ones the builder decides (and a project
    // environment in the system prefix: the builder makes a virtual environment instead). The last
    // install's environment, and what an earlier one was given inline (`UV_INDEX_CORP_USERNAME=ci uv
    // sync … --no-install-project`; found by review: dropped where the last sync had no such prefix).
    const sources: [ReadonlyMap<string, string>, ReadonlyMap<string, string>][] = [[last.cmd.env, last.cmd.assignments], ...this.a.ops.filter((o) => o !== last).map((o): [ReadonlyMap<string, string>, ReadonlyMap<string, string>] => [o.cmd.assignments, o.cmd.assignments])];
    for (const [env] of sources) {
      for (const [k, v] of env) {
        if (!/^UV_/.test(k) || /^UV_(LINK_MODE|NO_DEV|PYTHON_DOWNLOADS|COMPILE_BYTECODE|SYSTEM_PYTHON|NO_CACHE|CACHE_DIR|PYTHON_INSTALL_DIR|TOOL_BIN_DIR|TOOL_DIR)$/.test(k)) continue;
        if (k === 'UV_PROJECT_ENVIRONMENT' && (!v.startsWith('/') || /^\/usr(\/local)?\/?$/.test(v))) continue;
        if (env !== last.cmd.env && last.cmd.env.has(k)) continue; // the last install's own value wins
        // (Not another install's lock mode: its own command only; the builder's syncs take the last one's, found by review.)
        if (env !== last.cmd.env && /^UV_(FROZEN|LOCKED)$/.test(k)) continue;
        const pair = `${k}=${quote(v)}`;
        if (!out.includes(pair)) out.push(pair);
      }
    }
    // pip's variables only where pip installed: uv never read them (found by review: PIP_NO_INDEX left over beside uv pip).
    const pipInstalls = this.a.ops.some((o) => o.kind === 'pip');
    for (const [env, assignments] of pipInstalls ? sources : []) {
      for (const [k, v] of env) {
        if (!k.startsWith('PIP_')) continue;
        if (env !== last.cmd.env && last.cmd.env.has(k)) continue;
        // pip's whitespace-separated locations are uv's comma-separated ones; a local folder (a
        // wheelhouse the file COPYs in) is not in the builder, and without PIP_NO_INDEX, which uv has
        // no variable for, uv would look on the index too (found by review).
        if (k === 'PIP_FIND_LINKS') {
          const links = v.trim().split(/\s+/).filter(Boolean);
          const local = links.find((l) => !isRemoteUrl(l));
          if (local !== undefined) this.plan.blockers.push(`${k} names ${local}, a local folder, which slimdock does not hand to uv from the environment (the builder stage would not have it): give the install --find-links ${local} instead (slimdock then mounts it from the build context).`);
          else if (links.length) out.push(`UV_FIND_LINKS=${quote(links.join(','))}`);
          continue;
        }
        if (k === 'PIP_NO_BINARY' || k === 'PIP_ONLY_BINARY') {
          // (`:all:` beside a local project or path: pip builds those still, uv's UV_NO_BUILD does not.)
          const local = this.a.ops.some((o) => [...(o.pkg?.packages ?? []), ...(o.pkg?.editables ?? [])].some((w) => /^(\.|\/|file:)/.test(w.value)) || requirementFiles(this.a, o, this.opts.build, this.opts.fs).some((f) => f.entries.some((e) => e.kind === 'path' || e.kind === 'editable')));
          if (k === 'PIP_ONLY_BINARY' && /:all:/.test(v) && local) {
            this.plan.blockers.push(`${k}=${v} keeps pip from building what it downloads, but it still builds the local project or path it installs; uv's UV_NO_BUILD would refuse to.`);
            continue;
          }
          for (const pair of uvBinaryChoice(k, v) ?? []) if (!out.includes(pair)) out.push(pair);
          continue;
        }
        if (k === 'PIP_NO_INDEX' && envTrue(v)) {
          this.plan.blockers.push(`${k} keeps pip off the package index, and uv has no such variable: give the install --no-index instead.`);
          continue;
        }
        const to = PIP_TO_UV[k];
        if (to === undefined) {
          this.plan.notes.push(`${k} is not translated for uv (uv ignores PIP_* variables).`);
          continue;
        }
        // A build argument's value comes with --build-arg: its uv name hands the argument on
        // (`UV_INDEX_URL=${PIP_INDEX_URL}`), not its default.
        const backed = assignments.has(k) ? undefined : this.argBacked(k);
        const pair = typeof to === 'string' ? `${to}=${backed ?? quote(v)}` : to(v);
        if (pair && !out.includes(pair)) out.push(pair);
        // The same index merging as pip (see uvPip).
        if (k === 'PIP_EXTRA_INDEX_URL' && !last.cmd.env.has('UV_INDEX_STRATEGY') && !out.includes('UV_INDEX_STRATEGY=unsafe-best-match')) out.push('UV_INDEX_STRATEGY=unsafe-best-match');
      }
    }
    // `ARG PIP_INDEX_URL` without a default: a value comes with --build-arg, if at all. uv ignores
    // PIP_*, so hand it on, falling back to PyPI (uv's default) when the build gives none.
    const declared = this.a.model.instructions.some((i) => i.start < last.inst.start && argDeclarations(i).some((d) => d.name === 'PIP_INDEX_URL' && d.value === null));
    if (declared && !last.cmd.env.has('PIP_INDEX_URL') && !out.some((p) => p.startsWith('UV_INDEX_URL=')) && !last.cmd.env.has('UV_INDEX_URL')) {
      out.push('UV_INDEX_URL=${PIP_INDEX_URL:-https://pypi.org/simple}');
    }
    return out;
  }

  /**
   * The value of `name` at the last install as an expression of build arguments, when it comes
   * from them: `${NAME}` where an ARG set it last, an ENV's text where it names build arguments only
   * (`ENV PIP_INDEX_URL=${PIP_INDEX}`, `ENV SETUPTOOLS_SCM_PRETEND_VERSION=${APP_VERSION}`).
   * Undefined otherwise: the value as slimdock reads it is then the value (found by review: values
   * from build arguments were frozen at their defaults).
   */
  argBacked(name: string): string | undefined {
    const last = this.a.ops[this.a.ops.length - 1];
    if (!last) return undefined;
    const args = new Set<string>();
    let setter: { kind: 'ARG' } | { kind: 'ENV'; raw: string; backed: boolean } | undefined;
    for (const inst of [...this.a.absorbed.flatMap((st) => st.instructions), ...this.a.chain.flatMap((st) => st.instructions)]) {
      if (inst === last.inst) break;
      if (inst.keyword === 'ARG') {
        for (const { name: n } of argDeclarations(inst)) {
          args.add(n);
          if (n === name) setter = { kind: 'ARG' };
        }
      } else if (inst.keyword === 'ENV') {
        const props = envDeclarations(inst);
        // The values read the build arguments as they were before this ENV (`ARG PIP_INDEX_URL=…`
        // then `ENV PIP_INDEX_URL=${PIP_INDEX_URL}` hands on the build argument; found by review:
        // it was frozen at its default); the names it sets stop being build arguments after it.
        for (const p of props) {
          if (p.name !== name) continue;
          const raw = p.value ?? '';
          const refs = [...raw.matchAll(/\$\{?([A-Za-z_]\w*)/g)].map((m) => m[1]);
          setter = { kind: 'ENV', raw, backed: refs.length > 0 && refs.every((r) => args.has(r)) };
        }
        for (const p of props) args.delete(p.name);
      }
    }
    if (setter?.kind === 'ARG') return `\${${name}}`;
    if (setter?.kind !== 'ENV') return undefined;
    // (`${INDEX:-https://pypi.org/simple}`, `${EXTRA:+https://…}`: Dockerfile's own forms, kept as
    // written; found by review: the default was frozen in. Other modifiers are the shell's.)
    return setter.backed && !/[`\\]|\$\{\w+:(?![-+])/.test(setter.raw) ? quote(setter.raw) : undefined;
  }

  /**
   * ARG instructions and the ENV instructions the installs refer to, as written, before the last
   * install. `keepPip`: the PIP_* settings stay (a builder running pip wheel reads them).
   */
  argsAndEnv(keepPip = false): string[] {
    const out: string[] = [];
    const ops = this.a.ops;
    if (!ops.length) return out;
    const text = ops.map((o) => this.a.model.text.slice(o.cmd.start, o.cmd.end)).join('\n');
    const referenced = (n: string) => readsVariable(text, n);
    const insts = [...this.a.absorbed.flatMap((s) => s.instructions), ...this.a.chain.flatMap((s) => s.instructions)];
    const lastOp = ops[ops.length - 1].inst;
    const envNames: string[] = [];
    let shell: InstructionModel | undefined;
    for (const inst of insts) {
      if (inst === lastOp) break;
      if (inst.keyword === 'SHELL') shell = inst;
      else if (inst.keyword === 'ARG') {
        const t = this.a.model.text.slice(inst.start, inst.end);
        if (!out.includes(t)) out.push(t);
      } else if (inst.keyword === 'ENV') {
        for (const p of envDeclarations(inst)) envNames.push(p.name);
      }
    }
    // The environment the installs ran with (CMAKE_ARGS, CFLAGS, index settings …), as values,
    // without what the builder sets itself or what only the running app reads.
    const env = ops[ops.length - 1].cmd.env;
    // poetry's and pipenv's settings stay (credentials and sources: POETRY_HTTP_BASIC_*,
    // POETRY_REPOSITORIES_*, PIPENV_PYPI_MIRROR …), but for where the environment, cache and
    // project files are, which the builder decides (found by review: a private source's credentials were lost).
    const decided = /^(POETRY_(VIRTUALENVS_\w+|CACHE_DIR|HOME|VERSION|NO_INTERACTION|DATA_DIR|CONFIG_DIR)|PIPENV_(SYSTEM|VENV_IN_PROJECT|IGNORE_VIRTUALENVS|CACHE_DIR|CUSTOM_VENV_NAME|PIPFILE|DEV|NO_INHERIT|VIRTUALENV))$/;
    const pairs = [...new Set(envNames)]
      .filter((n) => !/^(PATH|HOME|VIRTUAL_ENV|PYTHONUNBUFFERED|PYTHONDONTWRITEBYTECODE|PYTHONFAULTHANDLER|PYTHONHASHSEED|PYTHONIOENCODING|LANG|LC_ALL|TZ)$/.test(n) && !(keepPip ? /^UV_/ : /^(UV|PIP)_/).test(n) && !decided.test(n))
      .filter((n) => env.has(n) || referenced(n))
      .map((n) => {
        const backed = this.argBacked(n);
        return `${n}=${backed && !backed.startsWith('${') ? backed : quote(env.get(n) ?? '')}`;
      });
    if (pairs.length) out.push(`ENV ${pairs.join(' ')}`);
    // The installs ran under the stage's SHELL (bash's `${VAR//,/ }`, `pipefail`): the builder's do
    // too, not under /bin/sh (found by review: dash's "Bad substitution"). Alpine's builder has
    // no bash unless the build installs it, after this line.
    if (shell) {
      let program = '';
      try {
        program = String((JSON.parse(this.a.model.text.slice(shell.start, shell.end).replace(/^\s*SHELL\s+/i, '').replace(/\\\r?\n/g, ' ')) as unknown[])[0] ?? '');
      } catch {
        // Not JSON: Docker rejects a SHELL in shell form; the program stays unknown.
      }
      if (this.a.base?.manager === 'apk' && !/^(\/bin\/)?(ash|sh)$/.test(program)) this.plan.blockers.push(`the SHELL at line ${shell.node.getRange().start.line + 1} runs ${program || 'a program'}, which the builder on ${this.a.base.builderImage} does not have before its installs.`);
      else out.unshift(this.a.model.text.slice(shell.start, shell.end).trimEnd());
    }
    return out;
  }

  private setWorkdir(dir: string, text = dir): void {
    if (dir === this.workdir) return;
    this.lines.push(`WORKDIR ${text}`);
    this.workdir = dir;
  }

  /** COPY/ADD instructions that ran before `op` in the old file, replayed with absolute destinations. */
  private replaySources(op: PyOp): void {
    for (const inst of opLineage(this.a, op)) {
      if (inst === op.inst) break;
      if (this.replayed.has(inst)) continue;
      if (!contextCopy(inst)) continue;
      this.replayed.add(inst);
      this.lines.push(replayCopy(inst));
    }
  }

  /**
   * The context COPYs that filled the project folder before its last install, when they filled it
   * file by file (none copies the project's whole folder there) and nothing else wrote there: what
   * the builder replays instead of copying the folder. Undefined otherwise.
   */
  private projectPieces(last: PyOp, project: string, ctxDir: string): InstructionModel[] | undefined {
    const lineage = opLineage(this.a, last);
    const before = lineage.slice(0, Math.max(0, lineage.indexOf(last.inst)));
    const into = before.filter((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && copyOverlaps(i, project));
    if (!into.length || into.some((i) => !contextCopy(i) || i.flags.has('parents') || i.flags.has('exclude'))) return undefined;
    const sources = into.flatMap((i) => contextCopy(i)!.sources);
    // The whole folder (`COPY . .`, `COPY services/api/ ./`), or a pattern or a source the replay would misplace.
    const inProject = (src: string) => ctxDir === '' || src.startsWith(`${ctxDir}/`);
    if (sources.some((src) => src === ctxDir || /[*?[$]/.test(src) || !inProject(src))) return undefined;
    // Nothing else wrote into the folder between the first of them and the install (a RUN, a generated file).
    const first = before.indexOf(into[0]);
    if (before.slice(first).some((i) => i.keyword === 'RUN' && !this.a.ops.some((o) => o.inst === i))) return undefined;
    // The manifest among them, at the project's root; and the package's sources: with the manifests
    // alone (`COPY pyproject.toml uv.lock ./`, then `uv sync`) the old build of the project could not
    // have worked, and the whole folder is what makes it work (uv's guide).
    if (!sources.includes(joinRel(ctxDir, 'pyproject.toml'))) return undefined;
    if (!sources.some((src) => !/^(pyproject\.toml|uv\.lock|uv\.toml|setup\.cfg|poetry\.lock|\.python-version|README[^/]*|LICEN[CS]E[^/]*|requirements[^/]*\.txt)$/i.test(src.split('/').pop() ?? ''))) return undefined;
    return into;
  }

  /**
   * A local `--find-links` folder (`vendor/`): bind-mounted into the builder from the context (an
   * in-place install of system mode reads it where the old COPY put it). False, with a blocker,
   * when it is not in the context.
   */
  private findLinksMount(op: PyOp, word: Word, mounts: string[]): boolean {
    const value = substitute(word.value, op.cmd.env);
    if (isRemoteUrl(value)) return true;
    if (this.system) return true;
    const imagePath = resolvePath(opDir(op), value.replace(/^file:(\/\/)?/, ''));
    // The working directory itself (`--find-links .`) or a folder above it: a mount there would hide
    // the builder's other mounts (the requirements file) below it.
    if (isUnder(opDir(op), imagePath)) {
      this.plan.blockers.push(`line ${this.line(op)}: the --find-links folder ${word.value} is the working directory or above it: a bind mount of it in the builder would hide the requirement files.`);
      return false;
    }
    // A folder a bind mount of the RUN provides (`--mount=from=build,source=/wheel,target=/wheel`):
    // the builder's install carries that mount over (uvPip).
    if ((op.inst.run?.mounts ?? []).some((m) => m.target && isUnder(imagePath, m.target))) return true;
    const rel = value.includes('$') ? undefined : contextPathOf(imagePath, op.inst, opLineage(this.a, op), this.opts.build);
    if (rel === undefined || this.opts.build.stat(rel) === undefined) {
      this.plan.blockers.push(`line ${this.line(op)}: the --find-links folder ${word.value} is ${rel === undefined ? 'not copied from the build context' : `not in the build context (${rel})`}, so the builder cannot read it.`);
      return false;
    }
    const m = `--mount=type=bind,source=${rel},target=${imagePath}`;
    if (!mounts.includes(m)) mounts.push(m);
    return true;
  }

  /** Where a file the install reads came from, when not from the build context: a `COPY --from` (found by review: it said "made in the image"), or the image. */
  private madeWhere(op: PyOp, imagePath: string): string {
    const from = opLineage(this.a, op).filter((i) => i.start < op.inst.start && i.flags.has('from') && copyCovers(i, imagePath)).pop();
    return from ? `it comes from ${from.flags.get('from')?.[0] ?? 'another stage'}, which the COPY --from at line ${from.node.getRange().start.line + 1} names` : 'it is made in the image';
  }

  /** Bind mounts for a requirements file (and what it includes) at its place in the image. */
  private requirementMounts(op: PyOp, word: Word, mounts: string[]): { ok: boolean; needsSource: boolean } {
    // System mode installs in place, where the old COPY put the file: no mount, but the file must exist.
    const own = this.system ? [] : mounts;
    const value = substitute(word.value, op.cmd.env);
    // A file on the web (Airflow's `--constraint "https://raw.githubusercontent.com/…/constraints-3.12.txt"`):
    // uv reads it there too (found by review: it was taken for a file made in the image).
    if (isRemoteUrl(value) && !value.includes('$')) return { ok: true, needsSource: false };
    const imagePath = resolvePath(opDir(op), value);
    if (value.includes('$')) {
      this.plan.blockers.push(`line ${this.line(op)}: the requirements file ${word.value} is named through a variable slimdock cannot resolve.`);
      return { ok: false, needsSource: false };
    }
    const rel = contextPathOf(imagePath, op.inst, opLineage(this.a, op), this.opts.build);
    if (rel === undefined || this.opts.build.stat(rel) !== 'file') {
      if (this.a.exported) {
        // `poetry export -o requirements.txt`, `pipenv requirements > r.txt`: the file is the
        // project's lock in another form, made in the image; the builder would install nothing.
        this.plan.blockers.push(`line ${this.line(op)}: ${word.value} is exported from the project's lock in the image (poetry export, pipenv requirements): install the project with its tool (poetry install, pipenv install --deploy), then optimize.`);
        return { ok: false, needsSource: false };
      }
      // (Another stage's file, `poetry export` in a side stage: a mount could bring it, but slimdock
      // cannot read it to know what it installs; said so, found by review.)
      const where = rel === undefined ? this.madeWhere(op, imagePath) : '';
      this.plan.blockers.push(`line ${this.line(op)}: ${word.value} is ${rel === undefined ? `not copied from the build context (${where})` : `not in the build context (${rel})`}, so ${where.startsWith('it comes from') ? 'slimdock cannot read it to know what the install installs' : 'the builder cannot read it'}.`);
      return { ok: false, needsSource: false };
    }
    // Changed in the image before the install (`sed -i '/# Development/,$d' requirements.txt`): the
    // builder would read the file as it is in the context, not as the install did.
    const changer = this.changedBefore(op, imagePath);
    if (changer) {
      this.plan.blockers.push(`line ${changer}: the file ${word.value} is changed in the image before the install at line ${this.line(op)} reads it; the builder would read it unchanged.`);
      return { ok: false, needsSource: false };
    }
    const abs = ctxAbs(this.opts.build, rel);
    const tree = loadRequirementsTree(this.opts.fs, abs);
    let needsSource = false;
    const imageDir = imagePath.slice(0, imagePath.lastIndexOf('/')) || '/';
    // Named through a build argument (`-r ${REQ_FILE}`): another value names another file, so the
    // builder gets the file's whole folder (not the context's root: every edit would re-install).
    const folder = word.dynamic && dirOf(rel) ? dirOf(rel) : undefined;
    if (folder !== undefined && !/[\s,"']/.test(folder + imageDir)) {
      const m = `--mount=type=bind,source=${folder},target=${imageDir}`;
      if (!own.includes(m)) own.push(m);
      if (!this.plan.manifests.includes(folder)) this.plan.manifests.push(folder);
    } else if (word.dynamic) {
      // At the context's root: the other `.txt`/`.in` files the old COPYs put beside it, one by one.
      const lineage = opLineage(this.a, op);
      for (const name of this.opts.build.list('')) {
        if (name === rel || !/\.(txt|in)$/.test(name) || /[\s,"']/.test(name) || this.opts.build.stat(name) !== 'file') continue;
        const at = resolvePath(imageDir, name);
        if (contextPathOf(at, op.inst, lineage, this.opts.build) !== name) continue;
        const m = `--mount=type=bind,source=${name},target=${at}`;
        if (!own.includes(m)) own.push(m);
      }
    }
    const loaded = new Set(tree.files.map((f) => f.file));
    for (const f of tree.files) {
      // An include the context does not hold where the file names it (`-r /app/requirements/base.txt`,
      // an image path): the builder would not have it there (found by review).
      const missing = this.system ? undefined : f.includes.find((i) => i.resolved !== undefined && !loaded.has(i.resolved));
      if (missing) {
        this.plan.blockers.push(`line ${this.line(op)}: ${word.value} includes ${missing.path}, which slimdock cannot find in the build context (${missing.path.startsWith('/') ? 'a path in the image: name it relative to the file' : 'it is not there'}), so the builder would not have it.`);
        return { ok: false, needsSource: false };
      }
    }
    for (const f of tree.files) {
      const frel = f.file.slice(this.opts.build.dir.replace(/\/+$/, '').length + 1);
      if (!f.file.startsWith(this.opts.build.dir)) continue;
      const target = f.file === abs ? imagePath : resolvePath(imageDir, relativeTo(dirOf(rel), frel));
      if (/[\s,"']/.test(frel + target)) {
        this.plan.blockers.push(`line ${this.line(op)}: the path ${frel} holds a blank, comma or quote, which a bind mount's options cannot carry.`);
        return { ok: false, needsSource: false };
      }
      const m = `--mount=type=bind,source=${frel},target=${target}`;
      if (folder === undefined || !isUnder(frel, folder)) {
        if (!own.includes(m)) own.push(m);
        if (!this.plan.manifests.includes(frel)) this.plan.manifests.push(frel);
      }
      if (f.entries.some((e) => (e.kind === 'editable' || e.kind === 'path') && !isRemoteUrl(e.text))) needsSource = true;
      // `--index-url` inside the file, beside one the command or PIP_INDEX_URL gives: for pip the
      // file's replaces every index named before it (extra ones too); uv keeps the command's and its
      // variables' over the file's (found by review: a private package looked up on PyPI).
      // (Not where every index given is the file's own: the same one either way; found by review.)
      const same = (u: string) => u.replace(/\/+$/, '') === f.indexUrl?.replace(/\/+$/, '');
      const cli = op.args.flatMap((w, k) => { const m = /^(-i|--index-url|--extra-index-url)(?:=(.*))?$/.exec(w.value); return m ? [{ name: m[1], value: m[2] ?? op.args[k + 1]?.value ?? '' }] : []; });
      const envs = ['PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL', 'UV_INDEX_URL', 'UV_EXTRA_INDEX_URL', 'UV_INDEX', 'UV_DEFAULT_INDEX'].filter((k) => op.cmd.env.has(k)).map((k) => ({ name: k, value: op.cmd.env.get(k)! }));
      const given = [...cli, ...envs].find((x) => !same(x.value))?.name;
      // (System mode's in-place install is uv's too; only its pip wheel reads the file as pip does.)
      if (f.indexUrl && given && !this.pipWheel) {
        this.plan.blockers.push(`line ${this.line(op)}: ${frel} sets --index-url, which for pip replaces the index the install is given (${given}); uv would keep that one and ignore the file's. Name the index in one place, then optimize.`);
        return { ok: false, needsSource: false };
      }
      // `--find-links ../vendor/wheels` inside the file: pip and uv read it relative to the file; a
      // folder of the context there is bind-mounted where the file's mount puts it (found by review).
      // Not an absolute one, nor one outside the context: the builder would not have it.
      // (Only from a file in the working directory: uv versions differ on whether a file's
      // `--find-links` is relative to the file or to the working directory, and there both agree; not
      // a `file:` URL, whose relative form parsers read differently. Found by review.)
      for (const local of f.findLinks.filter((l) => !isRemoteUrl(l))) {
        if (this.system) break;
        const path = local;
        const home = `/.context/${dirOf(frel)}`;
        const inContext = !path.startsWith('/') && !path.includes('$') && !/^file:/i.test(path) && dirOfPath(target) === opDir(op) ? resolvePath(home, path) : undefined;
        const linksRel = inContext && isUnder(inContext, '/.context') && inContext !== '/.context' ? inContext.slice('/.context/'.length) : undefined;
        if (linksRel === undefined || this.opts.build.stat(linksRel) !== 'dir' || this.opts.build.ignored(linksRel)) {
          this.plan.blockers.push(`line ${this.line(op)}: ${frel} names the --find-links folder ${local}, which the builder would not have.`);
          return { ok: false, needsSource: false };
        }
        const at = resolvePath(dirOfPath(target), path);
        const m = `--mount=type=bind,source=${linksRel},target=${at}`;
        if (!own.includes(m)) own.push(m);
      }
    }
    return { ok: true, needsSource };
  }

  /** The line of a RUN command before `op` (in its lineage) that may change the file at `imagePath`: it names the file and only reads are known harmless. */
  private changedBefore(op: PyOp, imagePath: string): number | undefined {
    const name = imagePath.slice(imagePath.lastIndexOf('/') + 1);
    const reads = /^(cat|grep|egrep|head|tail|ls|test|\[|wc|diff|cmp|md5sum|sha256sum|echo|printf)$/;
    for (const inst of opLineage(this.a, op)) {
      if (inst.start > op.inst.start) break;
      for (const c of inst.run?.commands ?? []) {
        if (inst === op.inst && c.start >= op.cmd.start) break;
        if (pipCall(c) || uvCall(c) || (reads.test(c.name) && !/>/.test(this.a.model.text.slice(c.start, c.end + 3)))) continue;
        if (c.argv.some((w) => w.value === name || w.value.endsWith(`/${name}`))) return inst.node.getRange().start.line + 1;
      }
    }
    return undefined;
  }

  /** `pip install …` as `uv pip install …` (into the virtual environment). */
  private setuptoolsAdded = false;

  /**
   * `--no-build-isolation` builds with what the environment has: on the python images up to 3.11
   * that was the image's setuptools, which an environment uv makes has not (found by review:
   * `No module named 'setuptools'`). It gets setuptools before that install, unless an earlier
   * install of the old file put it there.
   */
  private buildToolsFor(op: PyOp): void {
    if (this.setuptoolsAdded || this.system || this.pipWheel) return;
    const noIsolation = op.args.some((w) => w.value === '--no-build-isolation') || envTrue(op.cmd.env.get('UV_NO_BUILD_ISOLATION') ?? '');
    if (!noIsolation || this.a.base?.kind !== 'python' || !/^3\.([0-9]|1[01])$/.test(this.a.base.python ?? '')) return;
    const earlier = this.a.ops.slice(0, this.a.ops.indexOf(op)).some((o) => [...(o.pkg?.packages ?? [])].some((w) => requirementName(w.value) === 'setuptools'));
    if (earlier) return;
    this.setuptoolsAdded = true;
    this.plan.setuptools = true;
    this.lines.push(runWith([CACHE], 'uv pip install setuptools'));
    this.plan.notes.push(`line ${this.line(op)}: the install builds without isolation, with the setuptools of ${this.a.base.builderImage}'s Python: the environment gets setuptools first (uv leaves it out).`);
  }

  /**
   * The secrets and SSH agent the old installs authenticated with (a .netrc, a token for a git URL,
   * an index URL with credentials): every builder RUN that installs gets them, `uv sync` and
   * `poetry install` too (found by review: they were carried on `uv pip install` only). A secret
   * handed to pip as `env=PIP_INDEX_URL` is handed to uv under uv's name when uv installs.
   */
  authMounts(ops: PyOp[], uv = true): string[] {
    const out = new Map<string, string>();
    for (const m of ops.flatMap((op) => op.inst.run?.mounts ?? [])) {
      if (m.type !== 'secret' && m.type !== 'ssh') continue;
      // One mount per secret or agent and place: two RUNs may spell it differently (`required=true`).
      // (BuildKit's defaults: an SSH mount's id is `default`; a secret's id is its target's name, its target /run/secrets/<id>.)
      const target = m.target ?? m.options.get('dst') ?? m.options.get('destination');
      const id = m.options.get('id') ?? (m.type === 'ssh' ? 'default' : (target ?? '').split('/').pop() ?? '');
      const key = [m.type, id, m.type === 'secret' && !m.options.has('env') ? target ?? `/run/secrets/${id}` : target ?? '', m.options.get('env') ?? ''].join('\u0000');
      if (out.has(key)) continue;
      const options = [...m.options].map(([k, v]) => {
        if (uv && k === 'env' && v && PIP_SECRET_ENV[v]) return `env=${PIP_SECRET_ENV[v]}`;
        return v ? `${k}=${v}` : k;
      });
      out.set(key, `--mount=${options.join(',')}`);
    }
    // The network the installs reached their index through (`RUN --network=host` for an index on
    // the build host's localhost; found by review): the builder's installs need it too.
    const network = ops.map((op) => op.inst.flags.get('network')?.[0]).find((n) => n && n !== 'default');
    if (network) out.set('network', `--network=${network}`);
    return [...out.values()];
  }


  uvPip(op: PyOp, extra = ''): { command: string; mounts: string[]; needsSource: boolean } | undefined {
    if (op.kind === 'setup-py') {
      if (this.system) return { command: 'uv pip install --system .', mounts: [], needsSource: false };
      const setup = op.args[0].value;
      const dir = setup.includes('/') ? setup.slice(0, setup.lastIndexOf('/')) : '.';
      return { command: `uv pip install ${dir}`, mounts: [], needsSource: true };
    }
    // `ENV UV_CONSTRAINT=/app/constraints.txt`: a file of the image the builder does not have
    // (found by review: the builder's install failed on it).
    const fileEnv = UV_FILE_SETTINGS.find((k) => { const v = op.cmd.env.get(k); return v !== undefined && v !== '' && !isRemoteUrl(v); });
    if (fileEnv && !this.system) {
      this.plan.blockers.push(`line ${this.line(op)}: ${fileEnv}=${op.cmd.env.get(fileEnv)} names a file of the image, which the builder stage does not have: Optimize does not rewrite that yet.`);
      return undefined;
    }
    const words = op.args;
    const out: string[] = [];
    const pkgs: string[] = [];
    const mounts: string[] = [];
    // Bind mounts from another stage or image the old RUN read (`--mount=from=build,source=/wheel,…`
    // for `--find-links /wheel`): the builder's install reads them too. A replaced stage's are gone.
    for (const m of op.inst.run?.mounts ?? []) {
      const from = m.from?.toLowerCase();
      const otherStage = m.type === 'bind' && from !== undefined && !/(^|\/)astral-sh\/uv(:|@|$)/.test(from) && !this.a.absorbed.some((st) => st.name?.toLowerCase() === from || String(st.index) === from);
      if (otherStage) mounts.push(`--mount=${[...m.options].map(([k, v]) => (v ? `${k}=${v}` : k)).join(',')}`);
    }
    mounts.push(...this.authMounts([op], !this.pipWheel));
    let needsSource = false;
    let files = 0;
    const covered = (p: string) => this.absorbedCopies().some((d) => isUnder(resolvePath(opDir(op), p), d));
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      const v = w.value;
      // A variable that holds options (`ARG PIP_OPTS="--no-cache-dir --prefer-binary"`, `$PIP_OPTS`):
      // pip's options, which uv may not take, expanded where the rewrite cannot read them (found by review).
      const options = w.dynamic && /^["']?\$\{?[A-Za-z_]\w*\}?["']?$/.test(w.raw) ? substitute(w.raw.replace(/^["']|["']$/g, ''), op.cmd.env).trim() : '';
      if (options.startsWith('-')) {
        this.plan.blockers.push(`line ${this.line(op)}: ${w.raw} holds pip options (${options}), which uv may not take: Optimize does not rewrite options in a variable.`);
        return undefined;
      }
      if (v.startsWith('-') && v.length > 1) {
        let name = v;
        let value: Word | undefined;
        const eq = v.indexOf('=');
        if (v.startsWith('--') && eq > 0) {
          name = v.slice(0, eq);
          value = { ...w, value: v.slice(eq + 1), raw: w.raw.slice(w.raw.indexOf('=') + 1) };
        } else if (!v.startsWith('--') && v.length > 2) {
          if (SHORT_VALUE.has(v[1])) {
            name = v.slice(0, 2);
            value = { ...w, value: v.slice(2), raw: v.slice(2) };
          } else {
            for (const ch of v.slice(1)) {
              const mapped = FLAG_MAP[`-${ch}`];
              if (mapped === undefined) this.plan.notes.push(`line ${this.line(op)}: option -${ch} of ${v} has no uv equivalent and was dropped.`);
              else if (mapped && !out.includes(mapped)) out.push(mapped);
            }
            continue;
          }
        } else if ((VALUE_MAP[name] !== undefined || (op.kind === 'uv-pip' ? UV_PIP_VALUE_OPTIONS : PIP_INSTALL_VALUE_OPTIONS).has(name)) && i + 1 < words.length) value = words[++i];
        // pip's (and uv pip's) `--group dev`: a dependency group of ./pyproject.toml (PEP 735), not a
        // package named dev (found by review).
        if (name === '--group') {
          this.plan.blockers.push(`line ${this.line(op)}: ${op.kind === 'uv-pip' ? 'uv pip' : 'pip'} install --group installs a dependency group of pyproject.toml: Optimize does not rewrite that yet.`);
          return undefined;
        }
        // `pip wheel --no-deps` of a replaced stage: the old final stage's `pip install /wheels/*`
        // took the dependencies from the index (found by review: flask without werkzeug). Kept only
        // where every install of those wheels had --no-deps too.
        if (name === '--no-deps' && op.action === 'wheel') {
          const consumers = this.a.ops.filter((o) => o.action !== 'wheel' && o.args.some((x) => x.value.split('=').some((part) => part.startsWith('/') && covered(part))));
          if (!consumers.length || !consumers.every((o) => o.args.some((x) => x.value === '--no-deps'))) continue;
        }
        if (name in FLAG_MAP && !value) {
          const mapped = FLAG_MAP[name];
          if (mapped && !out.includes(mapped)) out.push(mapped);
          continue;
        }
        const mapped = VALUE_MAP[name];
        // uv's own options on an old `uv pip install` stay as written (`--resolution lowest-direct`,
        // `--prerelease allow`, `--exclude-newer …`, `--reinstall-package x`; found by review: they were
        // dropped as pip options "without a uv equivalent"); but for a file one names, which the builder would need.
        // (A file of uv's settings or exclusions, which the builder would need: not rewritten yet.)
        if (op.kind === 'uv-pip' && ['--config-file', '--excludes', '--exclude'].includes(name)) {
          // (In place, system mode, the file is where the old install read it.)
          if (this.system && value) {
            out.push(`${name} ${value.raw}`);
            continue;
          }
          this.plan.blockers.push(`line ${this.line(op)}: ${name} names a file (${value?.raw ?? ''}) that the builder stage would need: Optimize does not rewrite that yet.`);
          return undefined;
        }
        if (mapped === undefined && op.kind === 'uv-pip' && !UV_FILE_OPTIONS.has(name)) {
          out.push(value ? `${name} ${value.raw}` : name);
          continue;
        }
        if (mapped === undefined || !value) {
          this.plan.notes.push(`line ${this.line(op)}: option ${name} has no uv equivalent and was dropped.`);
          continue;
        }
        if (mapped === '') {
          if (name === '--target' || name === '-t' || name === '--prefix' || name === '--root') this.plan.notes.push(`line ${this.line(op)}: ${name} ${value.value} was dropped: the packages go into the virtual environment instead.`);
          continue;
        }
        if (mapped === '-r' || mapped === '-c' || UV_FILE_OPTIONS.has(mapped)) {
          if (mapped === '-r' && isDevRequirementFile(value.value) && !op.guard && !this.devFileUsed(op, value.value)) {
            this.plan.notes.push(`line ${this.line(op)}: ${value.value} holds development tools: it is not installed in the image.`);
            continue;
          }
          const r = this.requirementMounts(op, value, mounts);
          if (!r.ok) continue;
          needsSource ||= r.needsSource;
          if (mapped === '-r') files++;
          out.push(`${mapped} ${value.raw}`);
          continue;
        }
        if (mapped === '-e') {
          const p = this.packageWord(op, value, covered, mounts);
          if (p) {
            // A local project stays editable (found by review: files it does not declare as package
            // data, `__file__`-relative paths): the final stage has its sources at the same path. Not
            // where its build writes files into the sources (a version file, extensions).
            const dir = p.local ? contextPathOf(resolvePath(opDir(op), stripExtras(substitute(value.value, op.cmd.env))), op.inst, opLineage(this.a, op), this.opts.build) : undefined;
            const inPlace = dir === undefined ? undefined : buildsIntoSources(this.opts.fs, this.opts.build, dir);
            if (inPlace) this.plan.notes.push(`line ${this.line(op)}: the project's build writes ${inPlace} into its sources, which the final stage copies from the build context: it is installed non-editable (files it does not declare as package data are not in the environment).`);
            pkgs.push(p.local && !inPlace ? `-e ${p.text}` : p.text);
            needsSource ||= p.local;
          }
          continue;
        }
        if (mapped === '--find-links' && covered(value.value)) continue;
        if (mapped === '--find-links' && !this.findLinksMount(op, value, mounts)) continue;
        out.push(`${mapped} ${value.raw}`);
        continue;
      }
      const p = this.packageWord(op, w, covered, mounts);
      if (p) {
        pkgs.push(p.text);
        needsSource ||= p.local;
      }
    }
    if (pkgs.length === 0 && files === 0) return undefined;
    // pip never read `[tool.uv.sources]` (a git source, a workspace member): uv pip installing a
    // local project pip installed would (found by review: git, which slim lacks, or another package).
    if (op.kind === 'pip' && !this.pipWheel && !out.includes('--no-sources')) {
      const localDirs = [...(op.pkg?.packages ?? []), ...(op.pkg?.editables ?? [])].filter((w) => isLocalPath(w.value)).map((w) => contextPathOf(resolvePath(opDir(op), stripExtras(substitute(w.value, op.cmd.env))), op.inst, opLineage(this.a, op), this.opts.build));
      if (localDirs.some((d) => d !== undefined && !!tomlGet(readToml(this.opts.fs, ctxAbs(this.opts.build, joinRel(d, 'pyproject.toml'))), 'tool', 'uv', 'sources'))) out.push('--no-sources');
    }
    const opts = out.filter((o) => !(o === '--no-index' && !out.some((x) => x.startsWith('--find-links'))));
    // pip takes the best version across every index; uv by default the first index that has the
    // package, extra indexes first: `--extra-index-url https://download.pytorch.org/whl/cpu` would
    // pin requests, certifi … to that index's old copies. pip's behaviour, as uv spells it:
    // The same from the requirement files: an `--extra-index-url` line, a `--pre` line (uv reads
    // neither as pip does: it ignores `--pre` there and keeps its first-index strategy).
    // (Where pip installed: an install that was uv's already keeps uv's reading; found by review.)
    const reqs = requirementFiles(this.a, op, this.opts.build, this.opts.fs);
    const wasPip = op.kind === 'pip';
    // (Also for an extra index a secret hands pip, `--mount=type=secret,…,env=PIP_EXTRA_INDEX_URL`: found by review.)
    const secretExtra = (op.inst.run?.mounts ?? []).some((m) => m.type === 'secret' && m.options.get('env') === 'PIP_EXTRA_INDEX_URL');
    if (wasPip && (opts.some((o) => o.startsWith('--extra-index-url ')) || reqs.some((f) => f.extraIndexUrls.length) || secretExtra) && !opts.some((o) => o.startsWith('--index-strategy ')) && !op.cmd.env.has('UV_INDEX_STRATEGY')) opts.push('--index-strategy unsafe-best-match');
    if (wasPip && reqs.some((f) => f.pre) && !opts.some((o) => o.startsWith('--prerelease'))) opts.push('--prerelease=allow');
    // uv ignores `--trusted-host` in a requirements file (astral-sh/uv#10366): on its command line, as uv spells it (found by review).
    for (const host of new Set(reqs.flatMap((f) => f.trustedHosts ?? []))) if (!opts.includes(`--allow-insecure-host ${host}`)) opts.push(`--allow-insecure-host ${host}`);
    // pip's `--upgrade` of named packages upgrades their dependencies only if needed; uv's upgrades
    // everything in the environment: `--upgrade-package` for each name is pip's default.
    const upgrade = opts.indexOf('--upgrade');
    const eager = op.args.some((w, i) => (w.value === '--upgrade-strategy' && op.args[i + 1]?.value === 'eager') || w.value === '--upgrade-strategy=eager') || op.cmd.env.get('PIP_UPGRADE_STRATEGY') === 'eager';
    const named = pkgs.map((p) => requirementName(p.replace(/^(["'])(.*)\1$/, '$2')));
    // (Into an empty environment, the builder's first install, both mean the same: `--upgrade` stays.)
    if (op.kind === 'pip' && upgrade >= 0 && (this.installedAny || this.system) && !eager && files === 0 && (op.pkg?.requirementFiles.length ?? 0) === 0 && named.length > 0 && named.every(Boolean)) {
      opts.splice(upgrade, 1, ...named.map((n) => `--upgrade-package ${n}`));
    }
    const verb = op.action === 'sync' ? 'sync' : 'install';
    // `CMAKE_ARGS=… pip install x`: the variables the command was given stay with it.
    const inline = inlineAssignments(op);
    return { command: [...inline, 'uv pip', verb, this.system ? '--system' : '', ...opts, ...pkgs, extra].filter(Boolean).join(' '), mounts, needsSource };
  }

  private packageWord(op: PyOp, w: Word, covered: (p: string) => boolean, mounts: string[]): { text: string; local: boolean } | undefined {
    const v = w.value;
    const name = requirementName(v);
    if (name) {
      if (DEV_TOOLS.has(name) && !productInstall(op) && !op.guard && !this.a.devUse?.(name)) {
        this.plan.notes.push(`line ${this.line(op)}: ${name} is a development tool: it is not installed in the image.`);
        return undefined;
      }
      // setuptools named among the packages stays (an app may import pkg_resources; uv's
      // environments have none); pip's own tooling and installers go.
      // (But a tool the image runs, `ENTRYPOINT ["pipenv"]`: what the image is for; found by review.)
      if (['pip', 'wheel', 'uv', 'poetry', 'pipenv', 'pip-tools', 'virtualenv'].includes(name) && !(name !== 'pip' && this.a.runsTool?.(name))) return undefined;
      // `pip install spotipy` into the system Python beside a uv project whose sync installs spotipy:
      // the app's environment had the locked version; installing it there again would override the
      // lock. (With extras of its own, `Flask[async]`, it may add packages: it stays.)
      if (this.lockedPackages?.names.has(name) && !intoVirtualEnv(op) && !/\[/.test(v)) {
        this.plan.notes.push(`line ${this.line(op)}: ${name} is in ${this.lockedPackages.file}, and this install went into the system Python, not the project's environment: the environment keeps the locked version.`);
        return undefined;
      }
      return { text: w.raw, local: false };
    }
    if (v.includes('://') || v.startsWith('git+')) return { text: w.raw, local: false };
    if (w.dynamic && !/^[./]/.test(v)) return { text: w.raw, local: false };
    if (covered(v)) return undefined;
    const path = stripExtras(substitute(v, op.cmd.env));
    const imagePath = resolvePath(opDir(op), path.replace(/^file:(\/\/)?/, ''));
    const lineage = opLineage(this.a, op);
    if (this.system) {
      // In place, the file is where the old COPYs put it; but for another stage's file whose COPY
      // went (the RUN's `rm` emptied its folder: fedCopies), which the install mounts from there.
      const copy = this.removedStageCopy(lineage, op, imagePath);
      if (!copy) return { text: w.raw, local: true };
      const m = this.stageFileMount(op, imagePath);
      if (!m) {
        // No mount shows what the COPY brought (something else was put there): the COPY stays, as
        // the old file had it, and the install reads the file there.
        this.a.removed.delete(copy);
        const said = this.a.notes.findIndex((n) => n.startsWith(`line ${copy.node.getRange().start.line + 1}: COPY removed:`));
        if (said >= 0) this.a.notes.splice(said, 1);
        return { text: w.raw, local: true };
      }
      if (!mounts.includes(m)) mounts.push(m);
      return { text: w.raw, local: false };
    }
    // A project folder whose files were copied one by one (`COPY pyproject.toml README.md ./`,
    // `COPY src/ src/`): its manifest says it came from the context (the builder replays the COPYs).
    const rel = contextPathOf(imagePath, op.inst, lineage, this.opts.build) ?? this.projectFromFiles(op, imagePath, lineage);
    if (rel === undefined) {
      // A wheel or sdist another stage built (`COPY --from=sdist /dist/*.whl /tmp/dist/`): the
      // builder mounts it from that stage where the old COPY put it.
      const m = this.stageFileMount(op, imagePath);
      if (m) {
        if (!mounts.includes(m)) mounts.push(m);
        if (!/\.whl$/.test(imagePath)) this.stageSources.push(v);
        return { text: w.raw, local: false };
      }
      this.plan.blockers.push(`line ${this.line(op)}: ${v} is not copied from the build context (${this.madeWhere(op, imagePath)}), so the builder cannot install it.`);
      return undefined;
    }
    // Without extras, the word as written (its quotes keep a blank or a `$` what it was).
    if (!/\[[^\]]*\]$/.test(v)) return { text: w.raw, local: true };
    const extras = extrasOf(v, !!this.a.devRun);
    this.sayDevExtras(op, v);
    const base = stripExtras(w.raw.replace(/^(["'])(.*)\1$/, '$2'));
    return { text: extras.length ? `"${base}[${extras.join(',')}]"` : /^[\w@%+=:,./-]+$/.test(base) ? base : `"${base}"`, local: true };
  }

  /**
   * A project folder the old file filled file by file from the context (`COPY pyproject.toml
   * README.md ./`, `COPY src/ src/`): its manifest's context path. Not when anything else may have
   * put files there the builder's replayed COPYs would not (a RUN in between, a COPY --from).
   */
  private projectFromFiles(op: PyOp, dir: string, lineage: InstructionModel[]): string | undefined {
    const manifest = ['pyproject.toml', 'setup.py', 'setup.cfg'].map((f) => contextPathOf(resolvePath(dir, f), op.inst, lineage, this.opts.build)).find((r) => r !== undefined);
    if (manifest === undefined) return undefined;
    const upTo = lineage.slice(0, Math.max(0, lineage.indexOf(op.inst)));
    const into = (i: InstructionModel) => { const t = copyTarget(i); return !!t && isUnder(t.dest, dir); };
    const since = upTo.slice(Math.max(0, upTo.findIndex(into)));
    // (But for a RUN of requirement installs only, which the builder runs itself and which write
    // nothing into the folder: `COPY requirements.txt ./`, `pip install -r …`, then the project's
    // files; found by review.)
    const requirementsInstall = (c: ShellCommand) => this.a.ops.some((o) => o.cmd === c && (o.kind === 'pip' || o.kind === 'uv-pip') && o.action === 'install' && !!o.pkg && o.pkg.editables.length === 0 && o.pkg.packages.every((w) => !/^["']?[./~]|^file:/.test(w.value)));
    const installsOnly = (i: InstructionModel) => !i.run?.hasError && (i.run?.commands.length ?? 0) > 0 && i.run!.commands.every(requirementsInstall);
    if (since.some((i) => i.keyword === 'RUN' && !installsOnly(i))) return undefined;
    // Files another stage put into the folder (or a folder above it).
    if (upTo.some((i) => i.flags.has('from') && copyOverlaps(i, dir))) return undefined;
    // The install's own RUN: only `cd`s and requirement installs before it.
    if ((op.inst.run?.commands ?? []).some((c) => c.start < op.cmd.start && c.name !== 'cd' && !requirementsInstall(c))) return undefined;
    return manifest;
  }

  /**
   * The bind mount that gives the builder a file the old file copied in from a named stage or an
   * image (`COPY --from=sdist /dist/*.whl /tmp/dist/`): the COPY's source folder (or file) at its
   * destination, writable (a build may write beside it, as into `/tmp`). Only where the mount shows
   * exactly what the COPY brought: a wheel or sdist file, a glob into a folder that the install
   * names with the same glob, or a folder's contents; nothing else copied there, nothing changed
   * there since, a stage the output keeps, a destination that hides no system folder.
   */
  private stageFileMount(op: PyOp, imagePath: string): string | undefined {
    const lineage = opLineage(this.a, op);
    const before = lineage.slice(0, Math.max(0, lineage.indexOf(op.inst)));
    const at = [...before].reverse().findIndex((inst) => copyCovers(inst, imagePath));
    if (at < 0) return undefined;
    const copy = before[before.length - 1 - at];
    const { dest, destIsDir, args } = copyTarget(copy)!;
    const from = copy.flags.get('from')?.[0];
    if (!from || /^\d+$/.test(from) || from.includes('$') || args.length !== 2) return undefined;
    if ([...copy.flags.keys()].some((f) => !['from', 'chown', 'chmod', 'link'].includes(f))) return undefined; // --exclude, --parents
    // A stage Optimize folds into the final stage or replaces is not there to mount from.
    const stage = this.a.model.stages.find((st) => st.name?.toLowerCase() === from.toLowerCase());
    if (stage && (this.a.chain.includes(stage) || this.a.absorbed.includes(stage))) return undefined;
    const src = resolvePath('/', args[0]);
    const name = src.split('/').pop() ?? '';
    // Into a path without a trailing slash: a file copy, or a folder's contents (`COPY --from=b
    // /app/wheels /tmp/wheels`, as Docker copies them with or without the slash; found by review).
    if (!destIsDir && imagePath !== dest && !(!/[.*?[]/.test(name) && isUnder(imagePath, dest))) return undefined;
    const wanted = imagePath.split('/').pop() ?? '';
    let source: string;
    let target: string;
    if (/[*?[]/.test(name)) {
      // A glob into a folder, installed with the same glob or a name it matches: the folder is mounted.
      if (!destIsDir || /[*?[]/.test(dirOfPath(src)) || !(wanted === name || (!/[*?[]/.test(wanted) && globMatch(name, wanted)))) return undefined;
      source = dirOfPath(src);
      target = dest;
    } else if (/\.(whl|tar\.gz|tgz|tar\.bz2|zip)$/.test(name)) {
      source = src;
      target = destIsDir ? resolvePath(dest, name) : dest;
    } else if (!name.includes('.') && isUnder(imagePath, dest)) {
      // A folder: its contents land at the destination (`COPY --from=deps /src .`).
      source = src;
      target = dest;
    } else return undefined;
    if (target === '/' || /^\/(usr|bin|sbin|lib\w*|etc|var|proc|sys|dev|root|run|boot)(\/|$)/.test(target) || /[\s,"']/.test(source + target + from)) return undefined;
    // Nothing else copied into what the mount covers, nothing changed there between the COPY and the install.
    const others = before.filter((i) => i !== copy && copyOverlaps(i, target));
    const between = [...lineage.slice(lineage.indexOf(copy) + 1, lineage.indexOf(op.inst)).filter((i) => i.keyword === 'RUN'), op.inst];
    const touched = between.some((i) => (i === op.inst ? (i.run?.commands ?? []).filter((c) => c.start < op.cmd.start) : i.run?.commands ?? []).some((c) => this.a.model.text.slice(c.start, c.end).includes(target)));
    if (others.length || touched) return undefined;
    return `--mount=type=bind,from=${from},source=${source},target=${target},rw`;
  }

  /** The latest COPY --from that put `imagePath` in the image before `op`, when the analysis removed it. */
  private removedStageCopy(lineage: InstructionModel[], op: PyOp, imagePath: string): InstructionModel | undefined {
    const before = lineage.slice(0, Math.max(0, lineage.indexOf(op.inst))).reverse();
    const copy = before.find((i) => copyCovers(i, imagePath));
    return copy && copy.flags.has('from') && this.a.removed.has(copy) ? copy : undefined;
  }

  /**
   * True when the installs of the chain read the folders copied from replaced stages only through
   * `--find-links` (or `-f`, PIP_FIND_LINKS), beside an index, and each names what it installs
   * itself (requirement files or packages that are not paths into those folders).
   */
  private wheelhouseOnly(): boolean {
    const dirs = this.absorbedCopies();
    if (!dirs.length) return false;
    const consumers = this.a.ops.filter((o) => o.action !== 'wheel' && o.inst.stage.reachesFinal);
    const into = (o: PyOp, v: string) => dirs.some((d) => isUnder(resolvePath(opDir(o), substitute(v.replace(/^file:(\/\/)?/, ''), o.cmd.env)), d));
    const reading = consumers.filter((o) => o.args.some((w) => w.value.split('=').some((part) => /^[./]/.test(part) && into(o, part))) || [...dirs].some((d) => (o.cmd.env.get('PIP_FIND_LINKS') ?? '').includes(d)));
    if (!reading.length) return false;
    // (With --no-index the versions came from the wheels, which the stage's files and constraints
    // chose: its install stays, or they would resolve anew; found by review.)
    return reading.every((o) => {
      if (o.args.some((w) => w.value === '--no-index') || o.cmd.env.has('PIP_NO_INDEX') || requirementFiles(this.a, o, this.opts.build, this.opts.fs).some((f) => f.noIndex)) return false;
      const pkg = o.pkg;
      if (!pkg || (!pkg.requirementFiles.length && !pkg.packages.length)) return false;
      return ![...pkg.packages, ...pkg.editables].some((w) => /^["']?[./]/.test(w.value) && into(o, w.value.replace(/^["']|["']$/g, '')));
    });
  }

  /** Folders the chain copied from absorbed stages (`/wheels`): installs from them are covered. */
  private absorbedCopies(): string[] {
    const out: string[] = [];
    const absorbed = new Set(this.a.absorbed.flatMap((st) => [String(st.index), ...(st.name ? [st.name.toLowerCase()] : [])]));
    for (const inst of this.a.chain.flatMap((s) => s.instructions)) {
      // A removed `COPY --from=<absorbed stage>`: not a removed COPY from the context (a manifest
      // that a later `COPY .` copies again), whose folder the builder still reads from the context.
      const from = inst.flags.get('from')?.[0]?.toLowerCase();
      if (!this.a.removed.has(inst) || inst.keyword !== 'COPY' || from === undefined || !absorbed.has(from)) continue;
      const args = copyWords(inst).map((x) => substitute(x, inst.env));
      out.push(resolvePath(inst.workdir, args[args.length - 1]));
    }
    return out;
  }

  private ensureVenv(venv: string): void {
    if (this.venvReady) return;
    // A distro's versioned interpreter (`python3.10`) without its `python3` package: the builder has
    // /usr/bin/python3 (python3-pip brought it), which uv would link the environment to, and the
    // final stage has not (found by review: the venv's python dangled).
    const names = new Set([...this.a.installedNames, ...(this.a.derivedInterpreter ? [this.a.derivedInterpreter] : [])]);
    const versioned = [...names].filter((n) => /^python3\.\d+$/.test(n));
    const plain = ['python3', 'python3-minimal', 'python-is-python3'].some((n) => names.has(n));
    const python = this.a.base?.kind === 'distro' && versioned.length === 1 && !plain ? ` --python /usr/bin/${versioned[0]}` : '';
    this.lines.push(`RUN uv venv${python} ${venv}`, `ENV VIRTUAL_ENV=${venv}`);
    this.venvReady = true;
  }

  /** Requirements files and named packages: a virtual environment and `uv pip install`. */
  requirements(): void {
    const venv = this.a.venvs.find((v) => v !== '/' && !v.includes('$')) ?? '/opt/venv';
    this.plan.venv = venv;
    this.plan.venvText = this.a.venvTexts?.get(venv);
    this.ensureVenv(this.plan.venvText ?? venv);
    this.pipOps(this.a.ops);
  }

  private pipOps(ops: PyOp[]): void {
    for (const op of ops) {
      if (op.kind !== 'pip' && op.kind !== 'uv-pip' && op.kind !== 'setup-py') continue;
      // A replaced stage's `pip wheel` whose wheels the final stage's installs only looked in
      // (`--find-links /wheels -r requirements.txt`): a wheelhouse, not what they install (found by
      // review: the optional packages it also held were installed).
      if (op.action === 'wheel' && this.wheelhouseOnly()) continue;
      if (op.action === 'uninstall') {
        const names = op.args.filter((w) => !w.value.startsWith('-')).map((w) => w.raw);
        // pip, setuptools, wheel: the base's Python had them, uv's environment never does; the
        // uninstall took them out of the image's Python, which the final stage still has (found by
        // review: a scanner's hardening step). Said, as the final stage keeps that Python's copies.
        const base = names.filter((n) => /^(pip|setuptools|wheel)$/i.test(n));
        if (base.length) this.plan.notes.push(`line ${this.line(op)}: pip uninstall ${base.join(' ')} took ${base.length > 1 ? 'them' : 'it'} out of the base image's Python; the environment never has ${base.length > 1 ? 'them' : 'it'}, but the final stage's Python still does: add \`RUN pip uninstall -y ${base.join(' ')}\` there if the image must not ship ${base.length > 1 ? 'them' : 'it'}.`);
        const rest = names.filter((n) => !base.includes(n));
        if (rest.length) this.lines.push(`RUN uv pip uninstall ${rest.join(' ')}`);
        continue;
      }
      const t = this.uvPip(op);
      if (!t) continue;
      this.setWorkdir(opDir(op));
      this.buildToolsFor(op);
      if (t.needsSource && op.guard) {
        this.plan.blockers.push(`line ${this.line(op)}: the install under \`if ${op.guard}\` installs from the sources, which the builder copies for every build.`);
        return;
      }
      if (t.needsSource) {
        if (!this.installedFromContext) {
          // Nothing to install from manifests first: the dependencies come with the sources (setup.py,
          // a package folder), so the source COPY cannot follow a dependency layer.
          this.lines.push(...SOURCES_COMMENT);
        }
        this.replaySources(op);
      }
      this.lines.push(runWith([CACHE, ...t.mounts], guarded(op, t.command)));
      this.installedAny = true;
      if (t.mounts.length) this.installedFromContext = true;
    }
  }

  /** A uv project: dependencies from the lock first (bind mounts), then the project itself. */
  uvProject(): void {
    const a = this.a;
    const op = a.ops.find((o) => o.kind === 'uv-sync') ?? a.ops.find((o) => isProjectInstall(o)) ?? a.ops.find((o) => o.kind === 'poetry')!;
    const dir = projectDir(op);
    const rel = contextPathOf(resolvePath(dir, 'pyproject.toml'), op.inst, opLineage(a, op), this.opts.build);
    if (rel === undefined || this.opts.build.stat(rel) !== 'file') {
      this.plan.blockers.push(`line ${this.line(op)}: the project's pyproject.toml (${resolvePath(dir, 'pyproject.toml')}) is not in the build context.`);
      return;
    }
    const ctxDir = dirOf(rel);
    const toml = readToml(this.opts.fs, ctxAbs(this.opts.build, rel));
    const lockRel = joinRel(ctxDir, 'uv.lock');
    const locked = this.opts.build.stat(lockRel) === 'file' && !this.opts.build.ignored(lockRel);
    // A member's folder of a workspace whose root is above it: uv there works on the whole workspace
    // (the root's uv.lock, the other members), which the builder would not have.
    const above = ancestorsOf(ctxDir).find((d) => workspaceMembers(this.opts.fs, this.opts.build, joinRel(d, 'pyproject.toml')).includes(ctxDir));
    if (above !== undefined) {
      this.plan.blockers.push(`line ${this.line(op)}: the install runs in ${ctxDir}, a member of the uv workspace at ${above || 'the context root'}: Optimize does not rewrite a sync from a member's folder yet.`);
      return;
    }
    // A lock that no longer says what pyproject.toml declares (SD603): the builder's `uv sync --locked`
    // would fail, `--frozen` would install the old resolution (found by review: pip ignored the lock,
    // a plain `uv sync` locked again).
    const drift = locked ? staleLock(this.opts.fs, ctxAbs(this.opts.build, rel), ctxAbs(this.opts.build, lockRel)) : undefined;
    if (drift) {
      this.plan.blockers.push(`line ${this.line(op)}: uv.lock is out of date with pyproject.toml (${drift}): the builder's \`uv sync --locked\` would fail. Run \`uv lock\` and commit uv.lock, then optimize.`);
      return;
    }
    if (!locked && a.ops.some((o) => o.kind === 'uv-sync' && (o.args.some((w) => /^--(locked|frozen)$/.test(w.value)) || (o.inst.run?.mounts ?? []).some((m) => (m.source ?? '').endsWith('uv.lock'))))) {
      this.plan.blockers.push(`line ${this.line(op)}: the old file uses uv.lock, which is not in the build context (${lockRel}): slimdock cannot check it.`);
      return;
    }
    // uv picks the Python the project asks for (`.python-version`, requires-python): where the base's
    // does not fit, the old uv downloaded one (found by review); the builder downloads none
    // (UV_PYTHON_DOWNLOADS=0), so its sync would fail, and the app would run on another Python.
    const wanted = requestedPython(this.opts.fs, this.opts.build, ctxDir, toml);
    // (A distro's own python3, the release's: found by review, ubuntu:22.04's 3.10 for `>=3.12`.)
    const have = a.base?.python ?? (a.base?.kind === 'distro' ? DISTRO_PYTHON[a.base.codename] : undefined);
    const release = /:(\d+\.\d+\.\d+)(?![\d.])/.exec(a.base?.builderImage ?? '')?.[1];
    const downloads = op.kind === 'uv-sync' && !/^(never|0|false|off)$/i.test(op.cmd.env.get('UV_PYTHON_DOWNLOADS') ?? '');
    // A tag that names no version (`python:3-slim`, `python:slim`) against a bounded request: which
    // Python the base has changes with its releases (found by review: `<3.13` on today's 3.14).
    // Either way the builder does what the old uv did, as uv's guide does for a managed Python: it
    // downloads one into /python, which the final stage copies beside the environment that links to it.
    if (wanted?.bounded && !have && a.base?.kind === 'python' && downloads) {
      this.plan.managedPython = `line ${this.line(op)}: ${a.base.builderImage} names no Python version, and the project asks for Python ${wanted.what}: uv downloaded one in the old image where the base's did not fit. The builder installs uv's own Python (UV_PYTHON_PREFERENCE=only-managed) into /python, which the final stage copies; pin the base's tag to a Python version the project allows to use the base's instead.`;
    } else if (wanted && have && downloads && !wanted.fits(have, release)) {
      this.plan.managedPython = `line ${this.line(op)}: the project asks for Python ${wanted.what}, which ${a.base!.builderImage} (Python ${release?.startsWith(`${have}.`) ? release : have}) does not have: uv downloaded it in the old image. The builder installs it too (UV_PYTHON_PREFERENCE=only-managed) into /python, which the final stage copies; build on a base of that Python to use the base's instead.`;
    }
    // A plain `uv sync` installed the dev group (uv's default): UV_NO_DEV leaves it out, said (found by review).
    const devGroup = !!tomlGet(toml, 'dependency-groups', 'dev') || !!tomlGet(toml, 'tool', 'uv', 'dev-dependencies');
    const plainSync = a.ops.find((o) => o.kind === 'uv-sync' && !o.args.some((w) => /^--(no-dev|only-group|no-default-groups|only-dev|no-group)$/.test(w.value)) && !optionsOf(o.args, new Set(['--group'])).get('--group')?.includes('dev') && !envTrue(o.cmd.env.get('UV_NO_DEV')));
    if (devGroup && plainSync && !a.devRun) this.plan.notes.push(`line ${this.line(plainSync)}: uv sync installed the project's dev group too (uv's default); the builder leaves it out (UV_NO_DEV=1), as the image runs none of its tools.`);
    // (One the .dockerignore keeps out is there, but not for the build: said so; found by review.)
    const ignoredLock = !locked && this.opts.build.stat(lockRel) === 'file';
    if (ignoredLock) this.plan.notes.push(`the .dockerignore keeps ${lockRel} out of the build context: the build resolves versions itself. Let the lock through (remove its pattern from .dockerignore), then Optimize again to get \`--locked\`.`);
    else if (!locked && !this.plan.notes.some((n) => n.includes('uv lock'))) this.plan.notes.push('the project has no uv.lock: the build resolves versions itself. Run `uv lock` and commit uv.lock, then Optimize again to get `--locked`.');
    // Without a lock, uv resolves for every Python requires-python allows, pip for the image's only
    // (found by review: `>=3.9` with numpy==2.1.3, which needs 3.10): said, as slimdock cannot see
    // the packages' own requirements.
    const floor = /^\s*>=?\s*3\.(\d+)/.exec(String(tomlGet(toml, 'project', 'requires-python') ?? ''))?.[1];
    const own = /^3\.(\d+)$/.exec(a.base?.python ?? '')?.[1];
    if (!locked && floor !== undefined && own !== undefined && Number(floor) < Number(own)) {
      this.plan.notes.push(`without uv.lock, uv resolves for every Python the project's requires-python allows (from 3.${floor}), where pip resolved for the image's ${a.base!.python} only: if the build says a requirement needs a newer Python, raise requires-python (to >=${a.base!.python}, say).`);
    }
    const workspace = !!tomlGet(toml, 'tool', 'uv', 'workspace');
    const project = dir === '/' ? '/app' : dir;
    const envVenv = op.cmd.env.get('UV_PROJECT_ENVIRONMENT');
    this.plan.venv = envVenv && envVenv.startsWith('/') && !/^\/usr(\/local)?\/?$/.test(envVenv) ? envVenv : resolvePath(project, '.venv');
    // A later `chown -R`/`chmod -R` over the project folder would store the whole environment a
    // second time in its layer: the environment goes outside it.
    const recursiveCallThere = recursiveCallOver(a, this.plan.venv);
    const recursive = recursiveCallThere?.line;
    // The sources in a temporary folder (`COPY . /tmp/src`, `pip install /tmp/src && rm -rf /tmp/src`):
    // the old image kept nothing there, and a tmpfs on /tmp at run time would hide an environment
    // there (found by review). It goes to /opt/venv too.
    // (A removal after the install: `rm -rf /app && mkdir /app` before filling it is no deletion of the project; found by review.)
    const deletedAfter = (i: InstructionModel, c: ShellCommand) => (i === op.inst ? c.start > op.cmd.end : i.start > op.inst.start) && removes(c, project, i);
    const scratch = /^\/(var\/)?tmp(\/|$)/.test(project) || a.chain.some((st) => st.instructions.some((i) => (i.run?.commands ?? []).some((c) => deletedAfter(i, c))));
    // pip installed the project into an environment the old file made (`python -m venv /opt/venv`,
    // VIRTUAL_ENV or PATH at the install): it stays there, where the start-up scripts and
    // HEALTHCHECKs that name it look (found by review: `/opt/venv/bin/mycli` at start-up).
    const madeVenv = op.kind !== 'uv-sync' && !envVenv ? [...(a.venvPaths ?? [])].find((v) => op.cmd.env.get('VIRTUAL_ENV') === v || (op.cmd.env.get('PATH') ?? '').split(':')[0] === `${v}/bin`) : undefined;
    // (Under a recursive chown too, where a kept instruction names a program in it, `CMD
    // ["/app/venv/bin/gunicorn", …]`: it must be there; found by review. The copy takes the chown's owner.)
    // (The path itself, `chown -R web /venv`, or a file in it; relative to the instruction's folder
    // too, `CMD ["venv/bin/gunicorn", …]`; and in the start-up scripts: found by review.)
    const names = (text: string, v: string, dir: string) => {
      const rel = isUnder(v, dir) && v !== dir ? v.slice(dir === '/' ? 1 : dir.length + 1) : undefined;
      return new RegExp(`(^|[\\s"'=:;&|(])(${escapeRegExp(v)}${rel ? `|(\\./)?${escapeRegExp(rel)}` : ''})(/|$|[\\s"';)&|])`, 'm').test(text);
    };
    // (Through the image's variables too: `"${APP_HOME}/.venv/bin/python"` in a start-up script; found by review.)
    const named = (v: string) =>
      a.chain.flatMap((st) => st.instructions).some((i) => !a.removed.has(i) && i.keyword !== 'ENV' && names(substitute(keptText(a, i), i.env), v, i.workdir)) ||
      startupScriptTexts(a, this.opts.build, this.opts.fs).some((t) => t.text !== undefined && names(substitute(t.text.replace(/^\s*#.*$/gm, ''), t.inst.env), v, t.inst.workdir));
    const madeRecursive = madeVenv ? recursiveCallOver(a, madeVenv) : undefined;
    if (madeVenv && madeVenv !== this.plan.venv && (!madeRecursive || named(madeVenv)) && !/^\/(var\/)?tmp(\/|$)/.test(madeVenv)) {
      // (Not where the kept chown names the environment itself: it runs after the copy, as before.)
      if (madeRecursive?.owner && !madeRecursive.exact && !/^(root|0)(:.*)?$/.test(madeRecursive.owner)) this.plan.handedTo = { owner: madeRecursive.owner, line: madeRecursive.line };
      this.plan.venv = madeVenv;
      this.plan.venvText = this.a.venvTexts?.get(madeVenv);
      this.lines.push(`ENV UV_PROJECT_ENVIRONMENT=${this.plan.venvText ?? madeVenv}`);
      this.plan.notes.push(`the old installs went into ${madeVenv}, the environment the old file made: the project's environment stays there (UV_PROJECT_ENVIRONMENT).`);
    } else if (recursive && !scratch && !envVenv && (named(this.plan.venv) || recursiveModeOver(a, this.plan.venv))) {
      // A kept instruction or start-up script names the environment in the project folder
      // (`CMD ["/app/.venv/bin/svc-api"]`): it stays there, copied with the chown's owner, though
      // the chown stores it again (found by review: the program was not found after the move).
      if (recursiveCallThere?.owner && !/^(root|0)(:.*)?$/.test(recursiveCallThere.owner)) this.plan.handedTo = { owner: recursiveCallThere.owner, line: recursive };
      this.plan.notes.push(named(this.plan.venv) ? `line ${recursive}: a recursive chown/chmod covers ${project}, where the file names the environment (${this.plan.venv}): it stays there.` : `line ${recursive}: a recursive chgrp/chmod gives ${project}, where the environment is, its group and mode (OpenShift's arbitrary user in group 0), which a COPY cannot say: the environment stays there.`);
    } else if ((recursive || scratch) && !envVenv) {
      // The chown gave the environment in the project folder to its user: the moved one keeps that
      // owner (found by review: /opt/venv was root's, where the app had written into its venv).
      if (recursive && recursiveCallThere?.owner && !/^(root|0)(:.*)?$/.test(recursiveCallThere.owner)) this.plan.handedTo = { owner: recursiveCallThere.owner, line: recursive };
      this.plan.venv = '/opt/venv';
      this.lines.push('ENV UV_PROJECT_ENVIRONMENT=/opt/venv');
      this.plan.notes.push(recursive ? `line ${recursive}: a recursive chown/chmod covers ${project}: the environment goes to /opt/venv (UV_PROJECT_ENVIRONMENT), so it is not stored twice.` : `the project's sources are in ${project}, a folder the old image did not keep: the environment goes to /opt/venv (UV_PROJECT_ENVIRONMENT).`);
    }
    this.plan.manifests.push(rel, ...(locked ? [lockRel] : []));

    // `uv sync` is exact: the last one decides what the environment holds, with its options.
    const syncs = a.ops.filter((o) => o.kind === 'uv-sync');
    const last = syncs[syncs.length - 1] ?? op;
    const flags = this.syncFlags(last);
    // A uv before 0.8 (a required-version keeps the old one) does not read UV_NO_DEV: the flag
    // itself (found by review: the dev group in the production environment).
    const envAt = this.lines.findIndex((l) => /^ENV .*\bUV_NO_DEV=1\b/.test(l));
    const [major, minor] = this.opts.uvVersion.split('.').map(Number);
    if (envAt >= 0 && major === 0 && minor < 8 && !flags.includes('--no-dev')) flags.push('--no-dev');
    // No lock in the build: a lock mode the old environment set (`ENV UV_FROZEN=true` beside `pip
    // install .`, which ignored it) would fail the sync (found by review).
    const modeAt = this.lines.findIndex((l) => /^ENV .*\bUV_(FROZEN|LOCKED)=/.test(l));
    if (!locked && modeAt >= 0) this.lines[modeAt] = this.lines[modeAt].replace(/ UV_(FROZEN|LOCKED)=\S+/g, '');
    // pip installed no dependency group; uv sync installs the project's default groups, which
    // `[tool.uv] default-groups` may make more than dev (found by review: lint and notebooks).
    if (!syncs.length && tomlGet(toml, 'tool', 'uv', 'default-groups') !== undefined) flags.push('--no-default-groups');
    if (this.plan.blockers.length) return;
    if (syncs.some((o) => o.args.some((w) => w.value === '--inexact')) && new Set(syncs.map((o) => this.syncFlags(o).join(' '))).size > 1) {
      this.plan.blockers.push(`line ${this.line(last)}: uv sync --inexact after syncs with other options keeps what each installed: the builder's one selection would not.`);
      return;
    }
    // `ENV UV_FROZEN=1`, which the builder keeps: uv refuses `--locked` beside it (found by review).
    const lock = locked ? (last.cmd.argv.some((w) => w.value === '--frozen') || envTrue(last.cmd.env.get('UV_FROZEN')) ? '--frozen' : '--locked') : '';
    // `pip install -e .` asked for an editable project (found by review): it stays so; the final stage
    // has the sources at the same path. (uv's own default, editable, becomes --no-editable, as in uv's guide.)
    // Not where the build writes files into the sources (a version file, compiled extensions): the
    // final stage has the sources from the context, without them (found by review).
    const inPlace = buildsIntoSources(this.opts.fs, this.opts.build, ctxDir);
    // `uv sync` installs the project editable unless told `--no-editable`: it stays so too where the
    // final stage copies the project's folder to the same path (found by review: a setuptools project
    // whose templates are no package data lost them in a wheel).
    const finalHasSources = a.chain.flatMap((st) => st.instructions).some((i) => {
      const c = !a.removed.has(i) ? contextCopy(i) : undefined;
      // (Or, in the src layout, the `src` folder the editable install points into: `COPY src ./src`; found by review.)
      return !!c && ((c.sources.some((src) => src === ctxDir) && c.dest === project) || (c.sources.some((src) => src === joinRel(ctxDir, 'src')) && c.dest === resolvePath(project, 'src') && c.sources.length === 1));
    });
    const uvEditable = !workspace && syncs.length > 0 && syncs.every((o) => !o.args.some((w) => w.value === '--no-editable')) && finalHasSources;
    const asked = a.ops.some((o) => isProjectInstall(o) && (o.pkg?.editables ?? []).some((w) => isLocalPath(w.value))) || uvEditable;
    const editable = asked && !inPlace;
    if (asked && inPlace) this.plan.notes.push(`the project's build writes ${inPlace} into its sources, which the final stage copies from the build context: it is installed non-editable (files it does not declare as package data are not in the environment).`);
    // `SETUPTOOLS_SCM_PRETEND_VERSION=${VERSION} pip install .`: the variables the project's install
    // was given stay with the syncs, whose build backend reads them (found by review).
    const inline = [...new Set(a.ops.filter((o) => o === op || o.kind === 'uv-sync' || o.kind === 'poetry' || isProjectInstall(o)).flatMap(inlineAssignments))];
    const sync = (more: string) => [...inline, 'uv sync', lock, more, editable && !more ? '' : '--no-editable', ...flags].filter(Boolean).join(' ');
    // A project folder a WORKDIR names with build arguments (`WORKDIR ${APP_HOME}`): the builder names
    // it so too, where its environment and the editable install's paths are made (found by review:
    // --build-arg APP_HOME moved the sources and PATH, not the environment).
    const projectText = symbolicPath(a, project);
    if (projectText !== project && !this.plan.venvText && isUnder(this.plan.venv, project)) this.plan.venvText = symbolicPath(a, this.plan.venv);
    this.setWorkdir(project, projectText);
    // A project that takes its version from git (setuptools-scm, hatch-vcs): resolving it, its build
    // backend reads .git, which the dependencies' step has not (found by review): mounted there too,
    // as setuptools-scm's guide does, unless a version is handed in (SETUPTOOLS_SCM_PRETEND_VERSION).
    const pretend = (o: PyOp) => [...o.cmd.env.keys()].some((k) => /^SETUPTOOLS_SCM_PRETEND_VERSION/.test(k));
    // In a folder of the context, its version from the repository's .git above it: the builder copies that folder only (found by review).
    // (Where the context sends .git: an ignored one never reached the old build either.)
    if (ctxDir && !a.ops.some(pretend) && this.opts.build.stat('.git') === 'dir' && !this.opts.build.ignored('.git') && versionFromGit(this.opts.fs, this.opts.build, [ctxDir])) {
      this.plan.blockers.push(`line ${this.line(op)}: the project in ${ctxDir} takes its version from git, whose .git is above it, and the builder copies the project's folder only.`);
      return;
    }
    const gitMount = !ctxDir && !a.ops.some(pretend) && versionFromGit(this.opts.fs, this.opts.build, ['']) && this.opts.build.stat('.git') === 'dir' && !this.opts.build.ignored('.git');
    // The project's uv.toml (its indexes, required-version, no-binary-package …) and .python-version
    // count for the dependencies' sync too (found by review: an index's credentials attached to nothing).
    const beside = ['uv.toml', '.python-version'].map((n) => joinRel(ctxDir, n)).filter((r) => this.opts.build.stat(r) === 'file' && !this.opts.build.ignored(r));
    const manifests = [...(locked ? [`--mount=type=bind,source=${lockRel},target=uv.lock`] : []), `--mount=type=bind,source=${rel},target=pyproject.toml`, ...beside.map((r) => `--mount=type=bind,source=${r},target=${r.split('/').pop()}`), ...(gitMount ? ['--mount=type=bind,source=.git,target=.git'] : [])];
    // The old file never installed the project itself (it runs from its sources): neither does the builder.
    // (`uv sync --no-install-project`, or a poetry project uv builds, installed with `--no-root`; in a
    // workspace `--no-install-workspace`, all members left out.)
    const projectOps = a.ops.filter((o) => o.kind === 'uv-sync' || o.kind === 'poetry');
    const has = (o: PyOp, flag: string) => o.args.some((w) => w.value === flag);
    // (Outside a workspace `--no-install-workspace` leaves the project out too: it is the workspace's root.)
    const depsFlag = (o: PyOp) => (o.kind === 'poetry' ? '--no-root' : workspace ? (has(o, '--no-install-project') ? '--no-install-project' : '--no-install-workspace') : has(o, '--no-install-workspace') ? '--no-install-workspace' : '--no-install-project');
    const depsOnly = projectOps.length > 0 && projectOps.every((o) => has(o, depsFlag(o)));
    // Dependencies from local folders (a path source, a member) install from their sources even
    // with the project left out: they are not there before the COPY, so no layer of their own.
    const local = localPathSources(this.opts.fs, ctxAbs(this.opts.build, ctxDir), toml, workspace);
    // (Resolved under a stand-in root, so that a path climbing out of the context is not clamped at it.)
    const home = `/.context${ctxDir ? `/${ctxDir}` : ''}`;
    const outside = local.find((p) => p.startsWith('/') || !isUnder(resolvePath(home, p), home));
    if (outside !== undefined) {
      this.plan.blockers.push(`line ${this.line(last)}: a dependency installs from ${outside}, outside the project folder the builder copies: Optimize does not bring it along yet.`);
      return;
    }
    const localSources = local.length > 0;
    // A workspace (uv's guide): `--no-install-workspace` leaves out the project and every member, whose
    // pyproject.toml files are not there yet: from the lock as it is (`--frozen`; `--locked` would
    // check it against them). Without a lock the members are needed to resolve: no layer of its own.
    // A workspace the old file only took the dependencies of with `--locked` checks the lock after the COPY.
    const layered = !localSources && (!workspace || (locked && !(depsOnly && lock === '--locked')));
    // (All the installs': `pip install .` of a uv project becomes these syncs.)
    const auth = this.authMounts(a.ops);
    if (layered) this.lines.push(runWith([CACHE, ...auth, ...manifests], workspace ? [...inline, 'uv sync --frozen --no-install-workspace --no-editable', ...flags].join(' ') : sync('--no-install-project')));
    // In a workspace `--no-install-project` still installs the members the project depends on: from their sources.
    if (!depsOnly || !layered || (workspace && depsFlag(last) === '--no-install-project')) {
      if (localSources) this.lines.push('# slimdock: a dependency installs from a folder of the context (a path source), so the dependencies install together with the sources', '# slimdock: ignore=SD401');
      // A project folder the old file filled file by file (`COPY pyproject.toml ./`, `COPY shop/
      // shop/`): those COPYs, not the whole folder, whose other top-level folders (migrations/,
      // deploy/) would stop setuptools' flat-layout discovery (found by review). The lock, which
      // they may not bring, is mounted.
      const pieces = this.projectPieces(last, project, ctxDir);
      for (const inst of pieces ?? []) this.replayed.add(inst);
      this.lines.push(...(pieces ? pieces.map(replayCopy) : [`COPY ${ctxDir || '.'} ${projectText}`]));
      const lockMount = pieces && locked && !pieces.some((i) => contextCopy(i)!.sources.includes(lockRel)) ? [`--mount=type=bind,source=${lockRel},target=uv.lock`] : [];
      this.lines.push(runWith([CACHE, ...auth, ...lockMount], sync(depsOnly ? depsFlag(last) : '')));
    }
    // Other installs of the old file (`pip install gunicorn`) go into the same environment.
    const rest = a.ops.filter((o) => o !== op && (o.kind === 'pip' || o.kind === 'uv-pip') && !isProjectInstall(o));
    // A `uv pip install` into the environment before the last (exact) sync was taken away by it; the
    // builder installs it after the sync, so the image would keep it.
    const before = rest.find((o) => o.kind === 'uv-pip' && !o.args.some((w) => w.value === '--system') && last.kind === 'uv-sync' && !has(last, '--inexact') && o.cmd.start < last.cmd.start);
    if (before) {
      this.plan.blockers.push(`line ${this.line(before)}: the uv sync at line ${this.line(last)} removes what this uv pip install put in the environment (uv sync is exact); the builder, which installs it after the sync, would keep it.`);
      return;
    }
    if (rest.length) {
      // The lock as `check` reads it (parsed once per text, size-limited).
      const lock = locked ? readLock(this.opts.fs, ctxAbs(this.opts.build, ctxDir)).sizes?.lock : undefined;
      if (lock) this.lockedPackages = { names: syncedFromLock(lock, flags), file: lockRel };
      const env = `ENV VIRTUAL_ENV=${this.plan.venvText ?? this.plan.venv}`;
      this.lines.push(env);
      this.venvReady = true;
      this.installedAny = true; // the project's install came first
      this.pipOps(rest);
      // Everything they named was locked already: nothing follows the ENV.
      if (this.lines[this.lines.length - 1] === env) this.lines.pop();
    }
  }

  private syncFlags(op: PyOp): string[] {
    const out: string[] = [];
    if (op.kind === 'uv-sync') {
      const words = op.args;
      for (let i = 0; i < words.length; i++) {
        const v = words[i].value;
        const [name, inline] = v.startsWith('--') && v.includes('=') ? [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)] : [v, undefined];
        if (SYNC_CARRIED_VALUE.has(name)) {
          const value = inline ?? words[++i]?.value;
          const dropped = name === '--group' && !!value && DEV_GROUPS.has(value.toLowerCase()) && !this.a.devRun;
          if (value && !dropped) out.push(`${name} ${value}`);
          // Said, not done silently (found by review).
          else if (dropped) this.plan.notes.push(`line ${this.line(op)}: uv sync's --group ${value} is left out of the image: a dev group, and the image runs none of its tools (SD105). Add it to the builder's syncs if the image needs it.`);
        } else if (SYNC_CARRIED.has(name)) out.push(name);
        else if (SYNC_IGNORED_VALUE.has(name)) { if (inline === undefined) i++; }
        else if (v.startsWith('-') && !SYNC_IGNORED.has(name)) {
          this.plan.blockers.push(`line ${this.line(op)}: uv sync's ${name} is not carried over to the builder's uv sync.`);
          return out;
        }
      }
    } else if (op.kind === 'poetry') {
      // A PEP 621 poetry project built by uv: poetry's extras are uv's (`-E server`, `--extras "a b"`, `--all-extras`).
      const words = op.args;
      for (let i = 0; i < words.length; i++) {
        const v = words[i].value;
        const [name, inline] = v.startsWith('--') && v.includes('=') ? [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)] : [v, undefined];
        if (name === '-E' || name === '--extras') for (const e of (inline ?? words[++i]?.value ?? '').split(/[\s,]+/).filter(Boolean)) out.push(`--extra ${e}`);
        else if (name === '--all-extras') out.push(name);
      }
    } else if (op.pkg) {
      const word = [...op.pkg.packages, ...op.pkg.editables].find((w) => isLocalPath(w.value));
      // An extra from a build argument empty by default (`ARG EXTRAS=""`, `".[${EXTRAS}]"`): only when
      // it is set, as pip read `.[]` as none (`--extra` with no value stops uv; found by review).
      const optIn = (e: string) => { const v = /^\$\{?(\w+)\}?$/.exec(e)?.[1]; return v !== undefined && !op.cmd.env.get(v) ? v : undefined; };
      if (word) out.push(...extrasOf(word.value, !!this.a.devRun).map((e) => (optIn(e) ? `\${${optIn(e)}:+--extra "$${optIn(e)}"}` : `--extra ${e}`)));
      if (word) this.sayDevExtras(op, word.value);
    }
    return out;
  }

  /** A note for the development extras (`.[dev]`) the builder leaves out, the image running none of their tools (found by review: said nowhere). */
  private sayDevExtras(op: PyOp, v: string): void {
    const all = extrasOf(v, true);
    const dropped = all.filter((e) => !extrasOf(v, !!this.a.devRun).includes(e));
    const note = `line ${this.line(op)}: the extra${dropped.length > 1 ? 's' : ''} ${dropped.join(', ')} of ${v} hold${dropped.length > 1 ? '' : 's'} development tools: not installed in the image, which runs none of them.`;
    if (dropped.length && !this.plan.notes.includes(note)) this.plan.notes.push(note);
  }

  /** poetry or pipenv, kept in the builder only, with the environment in the project folder. */
  toolProject(tool: 'poetry' | 'pipenv'): void {
    const a = this.a;
    const op = a.ops.find((o) => o.kind === tool)!;
    const dir = projectDir(op);
    const manifest = tool === 'poetry' ? 'pyproject.toml' : 'Pipfile';
    const lockName = tool === 'poetry' ? 'poetry.lock' : 'Pipfile.lock';
    const rel = contextPathOf(resolvePath(dir, manifest), op.inst, opLineage(a, op), this.opts.build);
    if (rel === undefined || this.opts.build.stat(rel) !== 'file') {
      this.plan.blockers.push(`line ${this.line(op)}: the project's ${manifest} is not in the build context.`);
      return;
    }
    // A dependency from a folder of the context (`shared = { path = "libs/shared" }`, Pipfile's
    // `path = …`): the builder mounts the manifests only, so the folder is not there (found by review).
    const pathDep = pathDependency(readToml(this.opts.fs, ctxAbs(this.opts.build, rel)), tool);
    if (pathDep) {
      this.plan.blockers.push(`line ${this.line(op)}: the project's ${manifest} has a dependency from a folder (${pathDep}), which the builder's install from the manifests alone cannot reach.`);
      return;
    }
    const ctxDir = dirOf(rel);
    const lockRel = joinRel(ctxDir, lockName);
    const locked = this.opts.build.stat(lockRel) === 'file';
    const project = dir === '/' ? '/app' : dir;
    this.plan.venv = resolvePath(project, '.venv');
    // A kept `chown -R django /code` over the in-project environment gave it to that user: the copy
    // keeps the owner (found by review: SD405's fix left it root's).
    const handed = recursiveCallOver(a, this.plan.venv);
    if (handed?.owner && !/^(root|0)(:.*)?$/.test(handed.owner)) this.plan.handedTo = { owner: handed.owner, line: handed.line };
    this.plan.manifests.push(rel, ...(locked ? [lockRel] : []));
    const version = a.toolSpecs.get(tool)?.version || op.cmd.env.get(tool === 'poetry' ? 'POETRY_VERSION' : 'PIPENV_VERSION') || '';
    // The version from a build argument (`pip install "poetry==$POETRY_VERSION"`, ARG POETRY_VERSION)
    // stays one, so --build-arg still picks it (found by review: the default was frozen in).
    const argName = /==\s*\$\{?(\w+)\}?["']?$/.exec(a.toolSpecs.get(tool)?.raw ?? '')?.[1];
    const pin = argName && this.argBacked(argName) === `\${${argName}}` ? `"${tool}==\${${argName}}"` : version && /^\d/.test(version) ? `${tool}==${version}` : tool;

    if (tool === 'poetry') {
      this.lines.push('ENV POETRY_NO_INTERACTION=1 POETRY_VIRTUALENVS_CREATE=1 POETRY_VIRTUALENVS_IN_PROJECT=1');
      this.lines.push(runWith([CACHE], `uv pip install --system ${pin}`));
      const old = /^(0\.|1\.[01]\.)/.test(version);
      const flags = this.poetryFlags(op);
      // The project itself when any of the installs put it in (`--no-root` first, `--only-root` after the COPY).
      const noRoot = a.ops.filter((o) => o.kind === 'poetry').every((o) => o.args.some((w) => w.value === '--no-root'));
      // poetry installs the project editable, pointing at its folder: at / (no WORKDIR) the builder
      // would use /app, where the final stage has no sources (found by review).
      // (`package-mode = false`: poetry installs no project at all; found by review.)
      const packageMode = tomlGet(readToml(this.opts.fs, ctxAbs(this.opts.build, rel)), 'tool', 'poetry', 'package-mode') !== false;
      if (!noRoot && packageMode && dir === '/') {
        this.plan.blockers.push(`line ${this.line(op)}: poetry installs the project from / (no WORKDIR), editable: the builder's /app would not be where the final stage has the sources. Set a WORKDIR for the project, then optimize.`);
        return;
      }
      const groups = old ? (a.devRun && !op.args.some((w) => w.value === '--no-dev') ? '' : '--no-dev') : poetryGroupsOption(op, readToml(this.opts.fs, ctxAbs(this.opts.build, rel)), !!a.devRun);
      const install = (more: string) => ['poetry install', groups, more, ...flags].filter(Boolean).join(' ');
      const cache = '--mount=type=cache,target=/root/.cache/pypoetry';
      const auth = this.authMounts(a.ops.filter((o) => o.kind === 'poetry'), false);
      this.setWorkdir(project);
      this.lines.push(runWith([cache, ...auth, `--mount=type=bind,source=${rel},target=pyproject.toml`, ...(locked ? [`--mount=type=bind,source=${lockRel},target=poetry.lock`] : [])], install('--no-root')));
      if (!noRoot) {
        this.lines.push(`COPY ${ctxDir || '.'} ${project}`);
        this.lines.push(runWith([cache, ...auth], install('')));
      }
    } else {
      this.lines.push('ENV PIPENV_VENV_IN_PROJECT=1');
      this.lines.push(runWith([CACHE], `uv pip install --system ${pin}`));
      // Options that pick what is installed (`--categories "packages ml"`) and that the builder's
      // install does not carry: not rewritten. (--system/--dev: the environment, the dev tools.)
      for (const o of a.ops.filter((x) => x.kind === 'pipenv')) {
        const other = o.args.find((w) => w.value.startsWith('-') && !PIPENV_KNOWN.test(w.value));
        if (other) this.plan.blockers.push(`line ${this.line(o)}: pipenv's ${other.value.replace(/=.*$/, '')} is not carried over to the builder's pipenv install.`);
      }
      // `--deploy` only where the old install had it: it refuses a Pipfile.lock out of date with the
      // Pipfile, which `pipenv sync` and a plain install did not (found by review). `pipenv sync` stays one.
      const keep = op.args.filter((w) => ['--ignore-pipfile', '--deploy', '--skip-lock'].includes(w.value)).map((w) => w.value);
      // `--dev`: the Pipfile's dev-packages, kept where the image runs a dev tool (`CMD ["pytest"]`;
      // found by review: it was dropped and pytest not found), else left out and said.
      const dev = a.ops.find((o) => o.kind === 'pipenv' && o.args.some((w) => w.value === '--dev' || w.value === '-d'));
      if (dev && a.devRun) keep.push('--dev');
      else if (dev) this.plan.notes.push(`line ${this.line(dev)}: pipenv's --dev is left out: the Pipfile's dev-packages are development tools, and the image runs none of them.`);
      const sub = op.cmd.argv.some((w) => w.value === 'sync') ? 'sync' : 'install';
      // The environment is made for the Pipfile's python_version: a base of another Python has none
      // (the old `--system` install only warned; found by review).
      const wanted = tomlGet(readToml(this.opts.fs, ctxAbs(this.opts.build, rel)), 'requires', 'python_version');
      if (typeof wanted === 'string' && a.base?.python && !`${a.base.python}.`.startsWith(`${wanted.replace(/\.\*$/, '')}.`) && !wanted.startsWith(`${a.base.python}.`)) {
        this.plan.blockers.push(`line ${this.line(op)}: the Pipfile asks for Python ${wanted}, and ${a.base.builderImage} has ${a.base.python}: pipenv would make the project's environment for a Python the builder does not have.`);
        return;
      }
      this.setWorkdir(project);
      const auth = this.authMounts(a.ops.filter((o) => o.kind === 'pipenv'), false);
      this.lines.push(runWith(['--mount=type=cache,target=/root/.cache/pipenv', '--mount=type=cache,target=/root/.cache/pip', ...auth, `--mount=type=bind,source=${rel},target=Pipfile`, ...(locked ? [`--mount=type=bind,source=${lockRel},target=Pipfile.lock`] : [])], [`pipenv ${sub}`, ...keep].join(' ')));
    }
    // The project itself installed with pip after poetry or pipenv (`pip install --no-deps .`): the
    // builder does not bring that along yet (found by review: it was dropped, its scripts not on PATH).
    const own = a.ops.find((o) => (o.kind === 'pip' || o.kind === 'uv-pip') && isProjectInstall(o));
    if (own) {
      this.plan.blockers.push(`line ${this.line(own)}: the project is installed with ${own.kind === 'uv-pip' ? 'uv pip' : 'pip'} besides ${tool}: Optimize does not combine the two yet.`);
      return;
    }
    const rest = a.ops.filter((o) => (o.kind === 'pip' || o.kind === 'uv-pip') && !isProjectInstall(o));
    if (rest.length) {
      this.lines.push(`ENV VIRTUAL_ENV=${this.plan.venvText ?? this.plan.venv}`);
      this.venvReady = true;
      this.installedAny = true; // the project's install came first
      this.pipOps(rest);
    }
  }

  /**
   * conda: the old commands run in the builder as written (with a cache mount on the package
   * cache, so no `conda clean` is needed); the final stage copies the environments.
   */
  conda(name: string, fromFlags: string): void {
    const a = this.a;
    this.lines.length = 0;
    this.lines.push(`FROM ${fromFlags}${a.base!.builderImage} AS ${name}`, ...this.argsAndEnv());
    if (a.buildPackages.length) this.lines.push(osInstall('apt', a.buildPackages, a.buildEnv));
    const prefixes: string[] = [];
    let intoBase = false;
    for (const op of a.ops) {
      this.setWorkdir(opDir(op));
      const mounts: string[] = [];
      const words = op.cmd.argv;
      for (let i = 1; i < words.length; i++) {
        const v = words[i].value;
        const file = ['-f', '--file', '-r', '--requirement'].includes(v) ? words[i + 1] : /^--file=/.test(v) ? { ...words[i], value: v.slice(7) } : undefined;
        if (!file) continue;
        const imagePath = resolvePath(opDir(op), substitute(file.value, op.cmd.env));
        const rel = contextPathOf(imagePath, op.inst, opLineage(a, op), this.opts.build);
        if (rel === undefined || this.opts.build.stat(rel) !== 'file') {
          this.plan.blockers.push(`line ${this.line(op)}: ${file.value} is not in the build context, so the builder cannot read it.`);
          continue;
        }
        mounts.push(`--mount=type=bind,source=${rel},target=${imagePath}`);
        this.plan.manifests.push(rel);
        // An environment file whose pip section reads other files (`- -r requirements.txt`, `- -e .`,
        // a local path): only the environment file is mounted (found by review: pip's `-r` failed).
        const pipReads = op.kind === 'conda' ? pipSectionReads(this.opts.fs.readFile(ctxAbs(this.opts.build, rel)) ?? '') : undefined;
        if (pipReads) {
          this.plan.blockers.push(`line ${this.line(op)}: ${file.value}'s pip section reads files of the context (\`${pipReads}\`), which the builder does not mount.`);
          continue;
        }
        if (op.kind === 'conda') {
          const envName = /^name:\s*["']?([\w.-]+)/m.exec(this.opts.fs.readFile(ctxAbs(this.opts.build, rel)) ?? '')?.[1];
          if (envName && op.action === 'env' && !words.some((w) => ['-n', '--name', '-p', '--prefix'].includes(w.value))) prefixes.push(`/opt/conda/envs/${envName}`);
        }
      }
      if (op.kind === 'conda') {
        const n = words.findIndex((w) => ['-n', '--name'].includes(w.value));
        const p = words.findIndex((w) => ['-p', '--prefix'].includes(w.value));
        if (p > 0 && words[p + 1]) prefixes.push(resolvePath(opDir(op), words[p + 1].value));
        else if (n > 0 && words[n + 1] && words[n + 1].value !== 'base') prefixes.push(`/opt/conda/envs/${words[n + 1].value}`);
        else if (op.action === 'install' || op.action === 'update' || (n > 0 && words[n + 1]?.value === 'base')) intoBase = true;
        mounts.unshift('--mount=type=cache,target=/opt/conda/pkgs');
      } else {
        mounts.unshift('--mount=type=cache,target=/root/.cache/pip');
        if (!op.cmd.env.get('PATH')?.includes('/opt/conda/envs/')) intoBase = true;
      }
      this.lines.push(runWith(mounts, this.a.model.text.slice(op.cmd.start, op.cmd.end)));
    }
    const unique = [...new Set(prefixes)];
    if (intoBase || unique.length === 0) {
      this.plan.venv = '/opt/conda';
    } else {
      this.plan.venv = unique[0];
      this.plan.extraCopies = unique.slice(1);
    }
    // (The base environment, /opt/conda, holds conda itself: found by review.)
    const all = [this.plan.venv, ...this.plan.extraCopies];
    this.plan.notes.push(`the final stage builds on ${a.base!.finalImage} and gets the conda environment (${all.join(', ')})${all.includes('/opt/conda') ? ', conda with it (the base environment holds it)' : ' without conda itself'}.`);
  }

  private poetryFlags(op: PyOp): string[] {
    const out: string[] = [];
    const words = op.args;
    for (let i = 0; i < words.length; i++) {
      const v = words[i].value;
      const [name, inline] = v.startsWith('--') && v.includes('=') ? [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)] : [v, undefined];
      if (['-E', '--extras', '--with'].includes(name)) {
        const value = inline ?? words[++i]?.raw;
        if (value && !(name === '--with' && DEV_GROUPS.has(value.toLowerCase()) && !this.a.devRun)) out.push(`${name} ${value}`);
      } else if (name === '--all-extras') out.push(name);
      else if (['--only', '--without', '-C', '--directory', '-P', '--project'].includes(name) && inline === undefined) i++;
    }
    return out;
  }
}

/**
 * The groups option for the builder's `poetry install`: what the old command installed, without the
 * dev groups (named dev/test/lint/docs …, or holding dev tools). `--only main` would also drop a
 * non-optional runtime group (`[tool.poetry.group.web]`) the old install had.
 */
function poetryGroupsOption(op: PyOp, py: Toml | undefined, keepDev = false): string {
  const optionValues = (name: string) => op.args.flatMap((w, i) => (w.value === name ? [op.args[i + 1]?.value ?? ''] : w.value.startsWith(`${name}=`) ? [w.value.slice(name.length + 1)] : [])).flatMap((v) => v.split(',')).filter(Boolean);
  const groups = tomlGet(py, 'tool', 'poetry', 'group');
  // An image that runs dev tooling: the groups the old install chose, as they were.
  if (keepDev) {
    if (optionValues('--only').length) return `--only ${optionValues('--only').join(',')}`;
    return optionValues('--without').length ? `--without ${optionValues('--without').join(',')}` : '';
  }
  const isDev = (name: string) => {
    if (DEV_GROUPS.has(name.toLowerCase())) return true;
    const deps = groups && typeof groups === 'object' ? tomlGet((groups as Toml)[name], 'dependencies') : undefined;
    return !!deps && typeof deps === 'object' && Object.keys(deps as Toml).some((d) => DEV_TOOLS.has(d.toLowerCase()));
  };
  const only = optionValues('--only');
  if (only.length) return `--only ${only.filter((g) => !isDev(g)).join(',') || 'main'}`;
  const nonOptional = groups && typeof groups === 'object' ? Object.entries(groups as Toml).filter(([name, g]) => name !== 'main' && tomlGet(g, 'optional') !== true).map(([name]) => name) : [];
  const legacyDev = tomlGet(py, 'tool', 'poetry', 'dev-dependencies');
  const without = [...new Set([...optionValues('--without'), ...nonOptional.filter(isDev), ...(legacyDev && typeof legacyDev === 'object' && Object.keys(legacyDev).length ? ['dev'] : [])])];
  // The pyproject unread: only main, as before (nothing to tell a runtime group from a dev one).
  if (!py) return '--only main';
  return without.length ? `--without ${without.join(',')}` : '';
}

/**
 * An install of dev tools alone (`pip install safety==$V` in the safety action's image, `pip install
 * pytest` in a test runner): the tools are what the image is for, not dev tooling beside an app.
 */
function productInstall(op: PyOp): boolean {
  const pkg = op.pkg;
  if (!pkg || pkg.requirementFiles.length || pkg.editables.length) return false;
  const names = pkg.packages.map((w) => requirementName(w.value));
  return names.length > 0 && names.every((n) => !!n && (DEV_TOOLS.has(n) || ['pip', 'setuptools', 'wheel'].includes(n)));
}

/** The line of a kept RUN of the chain whose `chown -R` / `chmod -R` covers `path`. */
/** The first kept `chown -R`/`chmod -R` over `path`: its line, and a chown's owner as written (a plain name, number or `user:group`). */
/** True when a kept recursive chgrp or chmod covers `path` (`chgrp -R 0 /app && chmod -R g=u /app`): what a moved environment's COPY cannot carry. */
function recursiveModeOver(a: Analysis, path: string): boolean {
  return a.chain.flatMap((st) => st.instructions).some((inst) => !a.removed.has(inst) && (inst.run?.commands ?? []).some((c) => {
    if (c.name !== 'chgrp' && c.name !== 'chmod') return false;
    const call = recursiveCall(c);
    return (call?.targets ?? []).some((w) => !w.value.includes('$') && isUnder(path, resolvePath(inst.workdir, w.value).replace(/\/+$/, '') || '/') && w.value !== '/');
  }));
}

function recursiveCallOver(a: Analysis, path: string): { line: number; owner?: string; exact: boolean } | undefined {
  for (const inst of a.chain.flatMap((st) => st.instructions)) {
    if (a.removed.has(inst)) continue;
    for (const c of inst.run?.commands ?? []) {
      const call = recursiveCall(c);
      // (A target through the image's variables, `chown -R app $APP_HOME`, read with them; found by review.)
      const targets = (call?.targets ?? []).map((w) => substitute(w.value, c.env)).filter((v) => !v.includes('$')).map((v) => resolvePath(inst.workdir, v).replace(/\/+$/, '') || '/');
      if (!targets.some((t) => isUnder(path, t) && t !== '/')) continue;
      const owner = c.name === 'chown' && call!.spec && !call!.spec.dynamic && /^[\w.-]+(:[\w.-]+)?$/.test(call!.spec.value) ? call!.spec.value : undefined;
      // `exact`: it names the environment itself (`chown -R web /venv`), which stays where it is.
      return { line: inst.node.getRange().start.line + 1, owner, exact: targets.includes(path) };
    }
  }
  return undefined;
}

/**
 * A value for the builder's ENV or a command's `NAME=value`, double-quoted when needed. What is left
 * of a `$NAME` in it is a build argument without a default (`ENV CONF=${CONF_FILE}`): it stays a
 * reference, expanded in the builder as in the old stage (the builder declares the same ARGs), not
 * the literal text `${CONF_FILE}`.
 */
/** `CMAKE_ARGS=… pip install x`: the variables an install was given on its command line, but pip's and uv's own (translated apart). */
function inlineAssignments(op: PyOp): string[] {
  return [...op.cmd.assignments].filter(([k]) => !/^(PIP|UV)_/.test(k)).map(([k, v]) => `${k}=${quote(v)}`);
}

function quote(v: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]*$/.test(v) ? v : `"${v.replace(/(["\\`])/g, '\\$1')}"`;
}

/** `to` relative to the folder `from` (both context-relative). */
function relativeTo(from: string, to: string): string {
  const a = from ? from.split('/') : [];
  const b = to.split('/');
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}

export type { StageModel };

/**
 * The Python a uv project asks for: its `.python-version` (`3.12`, `cpython-3.12.3`), else its
 * `requires-python`; with a test of a base's `3.11`-style version. Undefined when it asks nothing readable.
 */
function requestedPython(fs: FileSystem, build: BuildContext, ctxDir: string, toml: Toml | undefined): { what: string; bounded?: boolean; fits: (have: string, release?: string) => boolean } | undefined {
  const pin = joinRel(ctxDir, '.python-version');
  const text = build.stat(pin) === 'file' && !build.ignored(pin) ? fs.readFile(ctxAbs(build, pin)) : undefined;
  const line = text?.split(/\r?\n/).map((l) => l.trim()).find((l) => l && !l.startsWith('#'));
  const m = line && /^(?:cpython-|python)?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(line);
  // A patch release (`3.12.4`) is an exact request for uv: the base's tag must name that release (found by review).
  if (m) return { what: `${m[3] ? `${m[1]}.${m[2]}.${m[3]}` : `${m[1]}.${m[2]}`} (.python-version)`, bounded: true, fits: (have, release) => have === `${m[1]}.${m[2]}` && (!m[3] || release === `${m[1]}.${m[2]}.${m[3]}`) };
  const spec = tomlGet(toml, 'project', 'requires-python');
  const range = typeof spec === 'string' ? parseVersionRange(spec) : undefined;
  if (!range) return undefined;
  return {
    what: `${spec} (requires-python)`,
    // (An upper bound at 4 or above, `<4`, `~=3.10`, holds every python:3 tag: found by review.)
    bounded: !!range.upper && compareRelease(range.upper.version, [4]) < 0,
    fits: (have, release) => {
      const [maj, min] = have.split('.').map(Number);
      // A tag that names its release (`python:3.12.1-slim`) has that one, not the minor version's newest (found by review).
      const patch = release?.startsWith(`${maj}.${min}.`) ? Number(release.split('.')[2]) : 999;
      if (range.lower && compareRelease([maj, min, patch], range.lower.version) < 0) return false;
      // Some release of that minor version fits: its newest is above the lower bound, its first below the upper.
      if (range.upper && (compareRelease([maj, min, 0], range.upper.version) > 0 || (!range.upper.inclusive && compareRelease([maj, min, 0], range.upper.version) === 0))) return false;
      return true;
    },
  };
}

/**
 * What a project's build writes into its own sources, or undefined: a version file (setuptools-scm's
 * `version_file`/`write_to`, hatch-vcs's `version-file`), compiled extensions (setup.py's
 * `Extension(`/`ext_modules`/`cythonize`, scikit-build, meson-python, maturin, setuptools-rust).
 */
function buildsIntoSources(fs: FileSystem, build: BuildContext, dir: string): string | undefined {
  const read = (name: string) => {
    const rel = joinRel(dir, name);
    return build.stat(rel) === 'file' && !build.ignored(rel) ? fs.readFile(ctxAbs(build, rel)) : undefined;
  };
  const pyproject = read('pyproject.toml') ?? '';
  const setup = read('setup.py') ?? '';
  if (/^\s*(version_file|write_to)\s*=/m.test(pyproject) || /^\s*version-file\s*=/m.test(pyproject) || /write_to\s*[=:]/.test(setup)) return 'a version file';
  if (/build-backend\s*=\s*["'](scikit_build_core|mesonpy|maturin)/.test(pyproject) || /\bExtension\s*\(|\bext_modules\b|\bcythonize\s*\(|setuptools_rust|RustExtension/.test(setup) || /^\s*\[\[?tool\.setuptools\.ext-modules/m.test(pyproject)) return 'compiled extensions';
  return undefined;
}

/** What makes the lock at `lockFile` stale against the pyproject.toml at `pyprojectFile` (SD603's comparison), or undefined. */
function staleLock(fs: FileSystem, pyprojectFile: string, lockFile: string): string | undefined {
  const text = fs.readFile(pyprojectFile);
  const lock = readLock(fs, dirOfPath(lockFile)).sizes?.lock;
  if (text === undefined || !lock) return undefined;
  const p = parsePyproject(text).project;
  const drift = p && lockDrift(p, lock);
  return drift?.differences.length ? describeDrift(drift.differences) : undefined;
}
