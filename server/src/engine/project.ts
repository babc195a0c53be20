// The engine's entry points for Python project files: pyproject.toml (findings and per-dependency
// size hints) and requirements*.txt (findings). Pure: text and the FileSystem in, results out.
import type { FileSystem } from './fs';
import type { Finding, Fix, Position, Severity } from './types';
import { defaultConfig, loadConfig, readPyprojectConfig, effectiveSeverity, parentDir, join, type Config } from './config/config';
import { collectSuppressions, isSuppressed, type Span } from './suppress';
import { isDockerfileName } from './files';
import { buildModel } from './parse/dockerfile';
import { shellParserReady } from './parse/shell';
import { parsePyproject, type DependencyEntry } from './python/pyproject';
import { loadRequirementsTree } from './python/requirements';
import { readLock, lockSizes, type LockSizes } from './python/sizes';
import { projectRules, imageKind, type DockerfileFacts, type ProjectContext, type PyprojectContext, type RequirementsContext } from './rules/pyproject';
import { wheelSize, wheelBasis, formatBytes } from './estimates';
import { rootStage } from './rules/lineage';

export { lockSizes };
export const MAX_PROJECT_FILE_BYTES = 1_000_000;

export interface InlayHintInfo {
  position: Position;
  label: string;
  tooltip: string;
}

export interface ProjectCheckInput {
  /** Absolute path of the file (POSIX separators). */
  file: string;
  text: string;
  fs: FileSystem;
  /** The workspace root: lookups (configuration, locks, Dockerfiles) stay inside it. */
  root?: string;
  /** The Dockerfiles whose images use this project; found near the file when absent. */
  dockerfiles?: string[];
  /** Configuration (the editor's settings merged); read from the files when absent. */
  config?: Config;
}

const GPU_IMAGE = /nvidia|cuda|gpu|pytorch\/pytorch|rocm/i;
const GPU_ENV = ['NVIDIA_VISIBLE_DEVICES', 'NVIDIA_DRIVER_CAPABILITIES', 'CUDA_VISIBLE_DEVICES', 'CUDA_HOME'];
const SKIP_DIRS = new Set(['.git', 'node_modules', '.venv', 'venv', '__pycache__', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', 'site-packages']);

/** Dockerfiles in `dir` and its subfolders down to `depth` levels. */
export function findDockerfiles(fs: FileSystem, dir: string, depth = 2): string[] {
  const out: string[] = [];
  const walk = (d: string, left: number) => {
    const names = fs.readDir(d);
    if (!names) return;
    for (const n of names.sort()) {
      const p = join(d, n);
      if (isDockerfileName(n) && fs.stat(p) === 'file') out.push(p);
      else if (left > 0 && !SKIP_DIRS.has(n) && fs.stat(p) === 'dir') walk(p, left - 1);
    }
  };
  walk(dir, depth);
  return out;
}

/** What the project rules need to know about a Dockerfile: its final base, GPU or not, `--locked`. */
export function dockerfileFacts(fs: FileSystem, file: string): DockerfileFacts {
  const text = fs.readFile(file);
  const facts: DockerfileFacts = { file, usesLocked: false };
  if (text === undefined || text.length > MAX_PROJECT_FILE_BYTES) return facts;
  if (/download\.pytorch\.org\/whl\/cpu|(--torch-backend|UV_TORCH_BACKEND)[= ]+["']?cpu\b/i.test(text)) facts.torchIndex = 'cpu';
  else if (/download\.pytorch\.org\/whl\/|--torch-backend|UV_TORCH_BACKEND/.test(text)) facts.torchIndex = 'other';
  if (!shellParserReady()) return facts;
  try {
    const model = buildModel(text);
    // GPU intent: an NVIDIA/CUDA variable set anywhere in the final stage or the stages it is built FROM
    // (an instruction's `env` is the state before it, so ENV lines are read too).
    let gpuEnv = false;
    const stage = model.finalStage;
    for (let s = stage; s; s = s.parent) {
      for (const inst of s.instructions) {
        if (GPU_ENV.some((k) => inst.env.has(k))) gpuEnv = true;
        if (inst.keyword === 'ENV' && GPU_ENV.some((k) => new RegExp(`(^|\\s)${k}[=\\s]`).test(inst.node.getArgumentsContent() ?? ''))) gpuEnv = true;
      }
    }
    facts.base = stage && rootStage(stage).image;
    if (facts.base && !facts.base.includes('$')) facts.cuda = GPU_IMAGE.test(facts.base) || gpuEnv;
    for (const inst of model.instructions) {
      if (inst.env.get('UV_LOCKED') && !/^(0|false|no|off)?$/i.test(inst.env.get('UV_LOCKED')!)) facts.usesLocked = true;
      for (const cmd of inst.run?.commands ?? []) {
        if (cmd.name === 'uv' && cmd.argv.some((w) => w.value === '--locked')) facts.usesLocked = true;
        const locked = cmd.env.get('UV_LOCKED');
        if (cmd.name === 'uv' && locked && !/^(0|false|no|off)$/i.test(locked)) facts.usesLocked = true;
      }
    }
  } catch {
    // An unreadable Dockerfile tells nothing: facts stay unknown.
  }
  return facts;
}

function dockerfilesFor(input: ProjectCheckInput, dir: string, searchParents: number): DockerfileFacts[] {
  if (input.dockerfiles) return input.dockerfiles.map((f) => dockerfileFacts(input.fs, f));
  const root = input.root ?? '/';
  for (let d = dir, i = 0; i <= searchParents; i++, d = parentDir(d)) {
    const found = findDockerfiles(input.fs, d);
    if (found.length) return found.map((f) => dockerfileFacts(input.fs, f));
    if (d === root || d === '/' || !d.startsWith(root)) break;
  }
  return [];
}

const OTHER_LOCKS = ['poetry.lock', 'pdm.lock', 'Pipfile.lock', 'pylock.toml'];

/** Lock files besides the sibling uv.lock: other tools' here, or a workspace's uv.lock above. */
function otherLocks(fs: FileSystem, dir: string, root: string): string[] {
  const found = OTHER_LOCKS.filter((n) => fs.stat(join(dir, n)) === 'file');
  const names = fs.readDir(dir) ?? [];
  found.push(...names.filter((n) => /^pylock\..+\.toml$/.test(n)));
  for (let d = dir; d !== root && d !== '/' && d.startsWith(root); ) {
    d = parentDir(d);
    if (fs.stat(join(d, 'uv.lock')) === 'file') found.push(join(d, 'uv.lock'));
  }
  return found;
}

/** Runs the project rules with configuration and suppression comments applied. */
function runRules(ctx: ProjectContext, config: Config, spans: Span[]): Finding[] {
  const suppressions = collectSuppressions(ctx.text, spans);
  const findings: Finding[] = [];
  for (const p of config.problems) findings.push({ rule: 'SD000', file: ctx.file, range: zero(), severity: 'info', message: p, fixes: [] });
  for (const rule of projectRules) {
    const level = effectiveSeverity(config, rule.id, rule.hadolint, rule.severity);
    if (level === 'off') continue;
    const configured = config.severity[rule.id] !== undefined;
    try {
      rule.check(ctx, (f) => {
        if (isSuppressed(suppressions, f.range.start.line, [rule.id])) return;
        findings.push({
          rule: rule.id,
          file: ctx.file,
          range: f.range,
          message: f.message,
          severity: configured ? level : ((f.severity as Severity | undefined) ?? level),
          estimate: f.estimate,
          fixes: (f.fixes ?? []) as Fix[],
        });
      });
    } catch (e) {
      findings.push({ rule: 'SD000', file: ctx.file, range: zero(), severity: 'warning', message: `Internal error in ${rule.id}: ${(e as Error).message}. Please report it.`, fixes: [] });
    }
  }
  findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.rule.localeCompare(b.rule));
  return findings;
}

function zero() {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

function tooBig(file: string, text: string): Finding {
  return { rule: 'SD000', file, range: zero(), severity: 'info', message: `File is over 1 MB (${text.length} characters): skipped.`, fixes: [] };
}

export function checkPyproject(input: ProjectCheckInput): { findings: Finding[]; hints: InlayHintInfo[] } {
  const { file, text, fs } = input;
  if (text.length > MAX_PROJECT_FILE_BYTES) return { findings: [tooBig(file, text)], hints: [] };
  const dir = parentDir(file);
  const parsed = parsePyproject(text);
  if (!parsed.project) {
    const e = parsed.error;
    return { findings: [{ rule: 'SD000', file, range: e.range, severity: 'warning', message: `Could not parse this pyproject.toml: ${e.message}`, fixes: [] }], hints: [] };
  }
  const project = parsed.project;
  let config = input.config;
  if (!config) {
    config = defaultConfig();
    readPyprojectConfig(text, file, config); // this text, not the saved file: settings apply as typed
  }
  const dockerfiles = dockerfilesFor(input, dir, 0);
  const lock = readLock(fs, dir);
  const ctx: PyprojectContext = {
    kind: 'pyproject',
    file,
    dir,
    text,
    fs,
    dockerfiles,
    images: imageKind(dockerfiles),
    project,
    lock,
    otherLocks: otherLocks(fs, dir, input.root ?? '/'),
  };
  const findings = runRules(ctx, config, project.dependencies.map((d) => ({ startLine: d.range.start.line, endLine: d.range.end.line })));
  if (lock.exists && lock.error) findings.unshift({ rule: 'SD000', file, range: zero(), severity: 'info', message: `uv.lock could not be read (${lock.error}): sizes and SD603 skipped.`, fixes: [] });
  return { findings, hints: sizeHints(project.dependencies, lock.sizes) };
}

/** `≈ 2.4 GB (41 packages)` after each dependency, from the lock's closure, else the wheel table. */
export function sizeHints(entries: DependencyEntry[], sizes: LockSizes | undefined): InlayHintInfo[] {
  const hints: InlayHintInfo[] = [];
  for (const d of entries) {
    const name = d.requirement?.normalized;
    if (!name) continue;
    const place = d.kind === 'project' ? { kind: 'dependencies' as const } : d.kind === 'optional' ? { kind: 'extra' as const, name: d.group! } : d.kind === 'group' || d.kind === 'uv-dev' ? { kind: 'group' as const, name: d.group! } : undefined;
    const c = sizes && place ? sizes.directClosure(name, place, d.requirement!.extras) : undefined;
    if (c && c.bytes > 0) {
      const py = `${sizes!.python.major}.${sizes!.python.minor}`;
      const cuda = c.cudaBytes ? ` ${formatBytes(c.cudaBytes)} of it is CUDA (${c.cudaPackages.length} packages).` : '';
      const unknown = c.unknown.length ? ` ${c.unknown.length} without a recorded size (${c.unknown.slice(0, 3).join(', ')}) not counted.` : '';
      hints.push({
        position: d.range.end,
        label: `${formatBytes(c.bytes)} (${c.packages} package${c.packages === 1 ? '' : 's'})`,
        tooltip: `Download size of ${name} and everything it pulls in, from the wheels recorded in uv.lock for linux x86_64, CPython ${py}; packages shared with other dependencies count here too.${cuda}${unknown} Installed, wheels take more.`,
      });
      continue;
    }
    if (sizes && c) continue; // locked, but nothing with a size: say nothing
    const w = wheelSize(name);
    if (w !== undefined) hints.push({ position: d.range.end, label: `${formatBytes(w)} (wheel)`, tooltip: `Download size of the ${name} wheel alone, without its dependencies (${wheelBasis()}).` });
  }
  return hints;
}

export function checkRequirements(input: ProjectCheckInput): { findings: Finding[] } {
  const { file, text, fs } = input;
  if (text.length > MAX_PROJECT_FILE_BYTES) return { findings: [tooBig(file, text)] };
  const dir = parentDir(file);
  const tree = loadRequirementsTree(fs, file, text);
  const config = input.config ?? loadConfig(fs, dir, input.root);
  // requirements files often live in a requirements/ folder below the Dockerfile.
  const dockerfiles = dockerfilesFor(input, dir, 2);
  const ctx: RequirementsContext = { kind: 'requirements', file, dir, text, fs, dockerfiles, images: imageKind(dockerfiles), tree };
  return { findings: runRules(ctx, config, tree.files[0]?.spans ?? []) };
}
