// Rules on the project files: pyproject.toml (SD601–SD605) and, for the Python-package rules that
// also fire in Dockerfiles, pyproject.toml and requirements*.txt entries (SD107, SD108, SD110; the
// Dockerfile versions are in python.ts and share their ids and docs summaries).
import type { Rule, Fix, Estimate, TextEdit, Range } from '../types';
import type { FileSystem } from '../fs';
import type { Pyproject, DependencyEntry } from '../python/pyproject';
import { runtimeDependencies } from '../python/pyproject';
import type { RequirementsTree } from '../python/requirements';
import { indexUrlsOf } from '../python/requirements';
import type { LockSizes } from '../python/sizes';
import { lockDrift, describeDrift } from '../python/lockdrift';
import { normalizeName } from '../python/requirement';
import { valueAt, nodeRange, entryAt, positionFinder } from '../python/toml';
import { removeArrayElement, appendToArray, appendToTable, appendAtEnd } from '../python/tomledits';
import { DEV_TOOLS, BINARY_WHEELS, TORCH_PACKAGES, TORCH_CPU_INDEX, TORCH_CUDA_WHEEL_BYTES, TORCH_CUDA_BASIS, isDevRequirementFile } from './python-tools';
import { formatBytes } from '../estimates';
import { SD107 as dockerSD107, SD108 as dockerSD108, SD110 as dockerSD110 } from './python';

/** The same rule in project files: id, title, default severity and docs of its Dockerfile twin. */
function sharedMeta(rule: Rule<never>): Pick<ProjectRule, 'id' | 'title' | 'severity' | 'docs'> {
  return { id: rule.id, title: rule.title, severity: rule.severity, docs: rule.docs };
}

// ---------------------------------------------------------------------------------------------
// What a project-file rule sees

export interface DockerfileFacts {
  file: string;
  /** Base of the final stage (through the stages it is built FROM), ARGs substituted. */
  base?: string;
  /** true: a CUDA/GPU image; false: a CPU image; undefined: cannot tell (`FROM $BASE`). */
  cuda?: boolean;
  /** Runs `uv … --locked` (or sets UV_LOCKED). */
  usesLocked: boolean;
  /** Installs from a PyTorch index itself (`--extra-index-url …/whl/cpu`, `--torch-backend`): 'cpu' or another one. */
  torchIndex?: 'cpu' | 'other';
}

/** 'gpu' when any image is CUDA, 'cpu' when all are known CPU images, 'unknown' otherwise (or none). */
export type ImageKind = 'cpu' | 'gpu' | 'unknown';

interface BaseContext {
  file: string;
  /** The folder of the file. */
  dir: string;
  text: string;
  fs: FileSystem;
  dockerfiles: DockerfileFacts[];
  images: ImageKind;
}

export interface PyprojectContext extends BaseContext {
  kind: 'pyproject';
  project: Pyproject;
  /** The sibling uv.lock: sizes when it parses, the error when not. */
  lock: { exists: boolean; sizes?: LockSizes; error?: string };
  /** Lock files of other tools, or a uv.lock in a parent folder (a workspace): names found. */
  otherLocks: string[];
}

export interface RequirementsContext extends BaseContext {
  kind: 'requirements';
  tree: RequirementsTree;
}

export type ProjectContext = PyprojectContext | RequirementsContext;
export type ProjectRule = Rule<ProjectContext>;

export function imageKind(dockerfiles: DockerfileFacts[]): ImageKind {
  if (dockerfiles.some((d) => d.cuda === true)) return 'gpu';
  if (dockerfiles.length > 0 && dockerfiles.every((d) => d.cuda === false)) return 'cpu';
  return 'unknown';
}

function imagesSay(ctx: BaseContext): string {
  if (ctx.images === 'cpu') {
    const bases = [...new Set(ctx.dockerfiles.map((d) => d.base))].slice(0, 2).join(', ');
    return `the project's images are CPU images (${bases})`;
  }
  return 'no Dockerfile here shows whether the image has a GPU';
}

// ---------------------------------------------------------------------------------------------
// Shared readings

const isCpuIndex = (url: string) => /download\.pytorch\.org\/whl\/cpu\b/.test(url);
const isTorchIndex = (url: string) => /download\.pytorch\.org\/whl\//.test(url);

/** How torch is configured: CPU build, a deliberate CUDA/other build, or the default (PyPI → CUDA). */
function torchConfig(p: Pyproject): 'cpu' | 'deliberate' | 'default' {
  const urls: string[] = [...p.uv.indexUrls];
  // uv: sources binding torch to an index (by name) or a URL.
  for (const name of ['torch', 'torchvision', 'torchaudio']) {
    for (const s of p.uv.sources.get(name) ?? []) {
      if (typeof s.index === 'string') {
        const ix = p.uv.indexes.find((i) => i.name === s.index);
        if (ix) urls.push(ix.url);
        else return /cpu/i.test(s.index) ? 'cpu' : 'deliberate'; // an index defined elsewhere (a workspace root)
      }
      if (typeof s.url === 'string') urls.push(s.url);
      if (typeof s.git === 'string' || typeof s.path === 'string') return 'deliberate';
    }
  }
  // A non-explicit index is searched before PyPI for every package.
  for (const ix of p.uv.indexes) if (!ix.explicit) urls.push(ix.url);
  if (p.uv.torchBackend) return /^cpu$/i.test(p.uv.torchBackend) ? 'cpu' : 'deliberate';
  // poetry: sources a torch dependency names, and primary/default sources.
  if (p.poetry) {
    for (const name of ['torch', 'torchvision', 'torchaudio']) {
      const spec = p.poetry.specs.get(name);
      const list = Array.isArray(spec) ? spec : [spec];
      for (const s of list) {
        if (!s || typeof s !== 'object') continue;
        const o = s as Record<string, unknown>;
        if (typeof o.source === 'string') {
          const src = p.poetry.sources.find((x) => x.name === o.source);
          if (src?.url) urls.push(src.url);
        }
        if (typeof o.url === 'string') urls.push(o.url);
        if (typeof o.version === 'string' && /\+cpu/.test(o.version)) return 'cpu';
      }
      if (typeof spec === 'string' && /\+cpu/.test(spec)) return 'cpu';
    }
    for (const s of p.poetry.sources) if (s.url && (!s.priority || s.priority === 'primary' || s.priority === 'default')) urls.push(s.url);
  }
  if (p.dependencies.some((d) => d.requirement && TORCH_PACKAGES.has(d.requirement.normalized) && /\+cpu/.test(d.text))) return 'cpu';
  if (urls.some(isCpuIndex)) return 'cpu';
  if (urls.some(isTorchIndex)) return 'deliberate';
  return 'default';
}

/**
 * Packages whose published metadata requires torch, for projects without a lock (with a lock the
 * closure says it exactly).
 */
const REQUIRES_TORCH = new Set([
  'sentence-transformers', 'accelerate', 'timm', 'torchmetrics', 'lightning', 'pytorch-lightning', 'ultralytics', 'easyocr',
  'openai-whisper', 'peft', 'kornia', 'torchvision', 'torchaudio',
]);

/** Where the lock keeps the root's edges for this pyproject entry. */
function lockPlace(d: DependencyEntry): Parameters<LockSizes['rootEdges']>[0] | undefined {
  if (d.kind === 'project') return { kind: 'dependencies' };
  if (d.kind === 'optional') return { kind: 'extra', name: d.group! };
  if (d.kind === 'group' || d.kind === 'uv-dev') return { kind: 'group', name: d.group! };
  return undefined;
}

/** The name's offsets inside an entry's source text (string literal or poetry key). */
function nameSpan(text: string, entry: { start: number; end: number }, name: string): [number, number] | undefined {
  const src = text.slice(entry.start, entry.end);
  const m = new RegExp(`(^|[^A-Za-z0-9._-])(${name.replace(/[-_.]/g, '[-_.]')})(?![A-Za-z0-9._-])`, 'i').exec(src);
  if (!m) return undefined;
  const s = entry.start + m.index + m[1].length;
  return [s, s + m[2].length];
}

function rangeIn(ctx: ProjectContext, start: number, end: number): Range {
  if (ctx.kind === 'pyproject') return ctx.project.doc.rangeOf(start, end);
  // Requirements files: `\r\n`, `\r` and `\n` end lines, as for the scanner and the editor.
  const pos = positionFinder(ctx.text);
  return { start: pos(start), end: pos(end) };
}

/** Package entries that ship: pyproject runtime dependencies, or the lines of a non-dev requirements file. */
function shippedEntries(ctx: ProjectContext): { name: string; text: string; start: number; end: number; range: Range; extras: string[] }[] {
  if (ctx.kind === 'pyproject') {
    return runtimeDependencies(ctx.project)
      .filter((d) => d.requirement)
      .map((d) => ({ name: d.requirement!.normalized, text: d.text, start: d.start, end: d.end, range: d.range, extras: d.requirement!.extras }));
  }
  if (isDevRequirementFile(ctx.file)) return [];
  const f = ctx.tree.files[0];
  return f.entries.filter((e) => e.requirement && (e.kind === 'requirement' || e.kind === 'editable')).map((e) => ({ name: e.requirement!.normalized, text: e.text, start: e.start, end: e.end, range: e.range, extras: e.requirement!.extras }));
}

// ---------------------------------------------------------------------------------------------
// SD601

/**
 * Tools some applications do run: docs builders (a documentation site), notebooks and kernels (a
 * notebook or code-execution service), debug toolbars behind a DEBUG switch. For them SD601 is
 * information, not a warning.
 */
const SOMETIMES_RUNTIME = /^(sphinx|sphinx-rtd-theme|mkdocs|mkdocs-material|jupyter|jupyterlab|notebook|ipython|ipykernel|ipdb|django-debug-toolbar)$/;

/** A project that is itself a dev tool or a plugin of one depends on it at run time. */
function isToolProject(name: string | undefined): boolean {
  if (!name) return false;
  const n = normalizeName(name);
  if (DEV_TOOLS.has(n)) return true;
  return /^(pytest|flake8|pylint|mypy|sphinx|sphinxcontrib|mkdocs|tox|nox|jupyter|jupyterlab|ipython|pre-commit|coverage|black|ruff|isort|hypothesis)-|-(pytest|flake8|pylint|mypy|sphinx|mkdocs|tox|nox|jupyter|jupyterlab|ipython|kernel|notebook)$/.test(n);
}

/** The fix edits that move entries of `[project] dependencies` to `[dependency-groups].dev`. */
function moveToDevGroup(p: Pyproject, entries: DependencyEntry[]): TextEdit[] | undefined {
  const doc = p.doc;
  const array = entries[0].array;
  if (!array || entries.some((e) => e.array !== array)) return undefined;
  const items = entries.map((e) => doc.text.slice(e.start, e.end));
  const removals = entries.map((e) => removeArrayElement(doc, array, e.index!));
  const devKv = entryAt(doc, 'dependency-groups', 'dev');
  const groupsTable = doc.tables.get('dependency-groups');
  let add: TextEdit[];
  if (devKv) {
    if (devKv.value.type !== 'TOMLArray') return undefined;
    add = appendToArray(doc, devKv.value, items);
  } else if (groupsTable) {
    add = [appendToTable(doc, groupsTable, `dev = [${items.join(', ')}]`)];
  } else if (valueAt(doc.value, 'dependency-groups') !== undefined) {
    return undefined; // written inline or dotted: leave it to the user
  } else {
    add = [appendAtEnd(doc, `[dependency-groups]\ndev = [\n${items.map((i) => `    ${i},`).join('\n')}\n]\n`)];
  }
  const all = [...removals, ...add];
  // Refuse overlapping edits (two inline removals side by side): they would lose text.
  const before = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character < y.character);
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i].range;
      const b = all[j].range;
      if (before(a.start, b.end) && before(b.start, a.end)) return undefined;
    }
  }
  return all;
}

const SD601: ProjectRule = {
  id: 'SD601',
  title: 'dev tools in the project dependencies',
  severity: 'warning',
  docs: {
    summary: 'Test runners, linters, formatters, type checkers and notebooks (`pytest ruff black mypy …`) listed in `[project] dependencies`.',
    why: 'Everything in `[project] dependencies` is installed in the image by `uv sync --no-dev`, `pip install .` and every consumer of the package: pytest, mypy and jupyter with their dependencies add tens to hundreds of MB that the application never runs.',
  },
  check(ctx, report) {
    if (ctx.kind !== 'pyproject') return;
    const p = ctx.project;
    if (isToolProject(p.name)) return;
    // A pytest plugin (`[project.entry-points.pytest11]`) needs pytest at run time.
    const pytestPlugin = valueAt(p.doc.value, 'project', 'entry-points', 'pytest11') !== undefined || valueAt(p.doc.value, 'tool', 'poetry', 'plugins', 'pytest11') !== undefined;
    const found = p.dependencies.filter(
      (d) => (d.kind === 'project' || d.kind === 'poetry') && d.requirement && DEV_TOOLS.has(d.requirement.normalized) && !(pytestPlugin && /^pytest(-|$)/.test(d.requirement.normalized)),
    );
    const movable = found.filter((d) => d.kind === 'project');
    for (const d of found) {
      const name = d.requirement!.normalized;
      const fixes: Fix[] = [];
      if (d.kind === 'project') {
        const edits = moveToDevGroup(p, [d]);
        if (edits) fixes.push({ title: `Move ${name} to [dependency-groups].dev`, edits, preferred: true });
        if (movable.length > 1) {
          const all = moveToDevGroup(p, movable);
          if (all) fixes.push({ title: `Move all ${movable.length} dev tools to [dependency-groups].dev`, edits: all });
        }
      }
      const size = ctx.lock.sizes?.directClosure(name, { kind: 'dependencies' });
      const estimate: Estimate = size
        ? { bytes: size.bytes, basis: `download size of ${name} and the ${size.packages - 1} packages it pulls in, from uv.lock (linux x86_64, CPython ${ctx.lock.sizes!.python.major}.${ctx.lock.sizes!.python.minor}); some may be shared with runtime dependencies.` }
        : { bytes: null, basis: `${name}: size unknown without a uv.lock.` };
      const maybe = SOMETIMES_RUNTIME.test(name);
      const where = d.kind === 'project' ? '[project] dependencies' : '[tool.poetry.dependencies]';
      const move = d.kind === 'project' ? 'move it to [dependency-groups].dev (uv sync --no-dev leaves it out)' : 'move it to [tool.poetry.group.dev.dependencies] and install with --only main';
      report({
        range: d.range,
        message: maybe
          ? `${name} is usually a dev tool; in ${where} it ships in every image: unless the application runs it, ${move}.`
          : `${name} is a dev tool in ${where}: it ships in every image; ${move}.`,
        estimate,
        severity: maybe ? 'info' : undefined,
        fixes,
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------
// SD602

function cudaEstimate(ctx: PyprojectContext): Estimate {
  const s = ctx.lock.sizes;
  if (s) {
    const edges = [...s.rootEdges({ kind: 'dependencies' }), ...[...(s.lock.root?.optionalDependencies.values() ?? [])].flat()];
    const c = s.closure(edges);
    if (c.cudaPackages.length) {
      return {
        bytes: c.cudaBytes,
        basis: `download size of the ${c.cudaPackages.length} CUDA packages locked in uv.lock (${c.cudaPackages.slice(0, 4).join(', ')}${c.cudaPackages.length > 4 ? ', …' : ''}) for linux x86_64, CPython ${s.python.major}.${s.python.minor}; the CPU build of torch that replaces the CUDA one is smaller but not free.`,
      };
    }
  }
  return { bytes: TORCH_CUDA_WHEEL_BYTES, basis: `CUDA wheels: ${TORCH_CUDA_BASIS}` };
}

/** Adds the PyTorch CPU index and binds `names` to it; `addDirect` makes torch a direct dependency. */
function cpuIndexFix(p: Pyproject, names: string[], addDirect: boolean): Fix | undefined {
  const doc = p.doc;
  if (!p.hasProject) return undefined;
  if (names.some((n) => p.uv.sources.has(n))) return undefined;
  const edits: TextEdit[] = [];
  let indexName = p.uv.indexes.find((i) => isCpuIndex(i.url))?.name;
  const blocks: string[] = [];
  if (!indexName) {
    if (p.uv.indexes.some((i) => i.name === 'pytorch-cpu')) return undefined;
    const inlineIndex = valueAt(doc.value, 'tool', 'uv', 'index') !== undefined && ![...doc.tables.keys()].some((k) => k.startsWith('tool.uv.index.'));
    if (inlineIndex) return undefined;
    indexName = 'pytorch-cpu';
    blocks.push(`[[tool.uv.index]]\nname = "pytorch-cpu"\nurl = "${TORCH_CPU_INDEX}"\nexplicit = true\n`);
  }
  const lines = names.map((n) => `${n} = [{ index = "${indexName}" }]`).join('\n');
  const sourcesTable = doc.tables.get('tool.uv.sources');
  if (sourcesTable) edits.push(appendToTable(doc, sourcesTable, lines));
  else if (valueAt(doc.value, 'tool', 'uv', 'sources') !== undefined) return undefined;
  else blocks.push(`[tool.uv.sources]\n${lines}\n`);
  if (addDirect) {
    const deps = entryAt(doc, 'project', 'dependencies');
    if (!deps || deps.value.type !== 'TOMLArray') return undefined;
    edits.push(...appendToArray(doc, deps.value, ['"torch"']));
  }
  if (blocks.length) edits.push(appendAtEnd(doc, blocks.join('\n')));
  return {
    title: `Install ${addDirect ? 'torch (as a direct dependency)' : names.join(', ')} from the PyTorch CPU index (then run uv lock)`,
    edits,
    preferred: true,
  };
}

const SD602: ProjectRule = {
  id: 'SD602',
  title: 'torch without a CPU index for CPU images',
  severity: 'warning',
  docs: {
    summary: 'torch (directly, or pulled in by another dependency) resolved from PyPI, whose Linux build is the CUDA one, when the images that use this project are CPU images.',
    why: 'PyTorch from PyPI on Linux x86_64 is the CUDA build and pulls about 2–3 GB of `nvidia-*` and `triton` wheels; the CPU index (https://download.pytorch.org/whl/cpu) cuts such images roughly tenfold (published cases: 6.46 GB → 657 MB; 3.31 GB → 588 MB).',
  },
  check(ctx, report) {
    if (ctx.kind !== 'pyproject' || ctx.images === 'gpu') return;
    if (ctx.dockerfiles.some((d) => d.torchIndex)) return; // the image build picks the PyTorch index itself
    const p = ctx.project;
    if (torchConfig(p) !== 'default') return;
    const severity = ctx.images === 'cpu' ? undefined : 'info';
    const sizes = ctx.lock.sizes;
    // The lock already resolved a CPU torch (an index configured elsewhere, a +cpu pin): nothing to do.
    if (sizes) {
      const torch = sizes.resolve({ normalized: 'torch' });
      if (torch && !/pypi\.org|pythonhosted/.test(torch.source.value) && !/\+cu/.test(torch.version ?? '')) return;
    }
    const direct = runtimeDependencies(p).filter((d) => d.requirement && TORCH_PACKAGES.has(d.requirement.normalized));
    const tail = `${imagesSay(ctx)}; use the CPU index ${TORCH_CPU_INDEX}.`;
    if (direct.length) {
      const names = [...new Set(direct.map((d) => d.requirement!.normalized))];
      const fix = direct.every((d) => d.kind !== 'poetry') ? cpuIndexFix(p, names, false) : undefined;
      report({
        range: direct[0].range,
        message: `${names.join(', ')} from PyPI is the CUDA build with ${formatBytes(cudaEstimate(ctx).bytes)} of CUDA wheels, and ${tail}`,
        estimate: cudaEstimate(ctx),
        severity,
        fixes: fix ? [fix] : [],
      });
      return;
    }
    // Transitive: which direct dependency pulls torch in.
    for (const d of runtimeDependencies(p)) {
      const name = d.requirement?.normalized;
      if (!name) continue;
      let via = false;
      if (sizes) {
        const place = lockPlace(d);
        const c = place ? sizes.directClosure(name, place, d.requirement!.extras) : undefined;
        via = !!c && c.names.has('torch') && c.cudaPackages.includes('torch');
      } else via = REQUIRES_TORCH.has(name);
      if (!via) continue;
      const fix = d.kind !== 'poetry' ? cpuIndexFix(p, ['torch'], true) : undefined;
      report({
        range: d.range,
        message: `${name} pulls in torch, which from PyPI is the CUDA build (${formatBytes(cudaEstimate(ctx).bytes)} of CUDA wheels), and ${imagesSay(ctx)}: make torch a direct dependency bound to the CPU index ${TORCH_CPU_INDEX} ([tool.uv.sources] binds only direct dependencies).`,
        estimate: cudaEstimate(ctx),
        severity,
        fixes: fix ? [fix] : [],
      });
      return;
    }
  },
};

// ---------------------------------------------------------------------------------------------
// SD603

const SD603: ProjectRule = {
  id: 'SD603',
  title: 'uv.lock out of date with pyproject.toml',
  severity: 'warning',
  docs: {
    summary: "The dependencies or `requires-python` recorded in `uv.lock` for the project differ from what `pyproject.toml` declares.",
    why: '`uv sync --locked` (uv\'s Docker guidance) refuses a stale lock and fails the build; `uv sync --frozen` installs the old resolution, so the image does not contain what pyproject.toml says.',
  },
  check(ctx, report) {
    if (ctx.kind !== 'pyproject' || !ctx.lock.sizes) return;
    const p = ctx.project;
    const drift = lockDrift(p, ctx.lock.sizes.lock);
    if (!drift) return;
    const { differences, at } = drift;
    if (differences.length === 0) return;
    const locked = ctx.dockerfiles.filter((d) => d.usesLocked);
    const depsKey = entryAt(p.doc, 'project', 'dependencies');
    report({
      range: at ?? (depsKey ? nodeRange(p.doc, depsKey.key) : (p.doc.tables.get('project') ? nodeRange(p.doc, p.doc.tables.get('project')!.key) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } })),
      message: `uv.lock is out of date with pyproject.toml (${describeDrift(differences)}): run uv lock${locked.length ? `; uv sync --locked in ${locked.map((d) => d.file.split('/').pop()).join(', ')} will fail` : ''}.`,
      severity: locked.length ? 'error' : undefined,
    });
  },
};

// ---------------------------------------------------------------------------------------------
// SD604, SD605

const SD604: ProjectRule = {
  id: 'SD604',
  title: 'dependencies without a lock file',
  severity: 'info',
  docs: {
    summary: 'pyproject.toml declares dependencies but there is no `uv.lock` (nor `poetry.lock`, `pdm.lock`, `Pipfile.lock`, `pylock.toml`).',
    why: 'Without a lock every image build resolves again: a new release of any dependency changes the image silently, and slimdock cannot say what the dependencies weigh. `uv sync --locked` from a lock is reproducible and lets the dependency layer be cached.',
  },
  check(ctx, report) {
    if (ctx.kind !== 'pyproject' || ctx.lock.exists || ctx.otherLocks.length) return;
    const p = ctx.project;
    const deps = p.dependencies.filter((d) => d.kind === 'project' || d.kind === 'poetry');
    if (deps.length === 0) return;
    const tool = p.poetry && !p.hasProject ? 'poetry' : valueAt(p.doc.value, 'tool', 'pdm') !== undefined ? 'pdm' : p.poetry && deps.every((d) => d.kind === 'poetry') ? 'poetry' : 'uv';
    const kv = entryAt(p.doc, 'project', 'dependencies');
    const table = p.doc.tables.get('tool.poetry.dependencies');
    const range = kv ? nodeRange(p.doc, kv.key) : table ? nodeRange(p.doc, table.key) : deps[0].range;
    report({ range, message: `${deps.length} dependencies are declared but there is no lock file: run ${tool} lock and install from it (${tool === 'uv' ? 'uv sync --locked' : tool === 'poetry' ? 'poetry install --only main' : 'pdm sync --prod'}) for reproducible images.` });
  },
};

const SD605: ProjectRule = {
  id: 'SD605',
  title: 'no requires-python',
  severity: 'info',
  docs: {
    summary: '`[project]` has no `requires-python` (nor poetry a `python` constraint).',
    why: 'uv then resolves for every Python version, locking wheels and forks for interpreters the image never runs, and nothing stops an image from being built on a Python the code does not support. slimdock sizes dependencies for the lowest allowed Python; without a bound it assumes 3.12.',
  },
  check(ctx, report) {
    if (ctx.kind !== 'pyproject') return;
    const p = ctx.project;
    if (p.requiresPython || p.poetry?.python) return;
    const table = p.doc.tables.get('project') ?? (p.hasProject ? undefined : p.doc.tables.get('tool.poetry.dependencies'));
    const kv = p.doc.entries.find((e) => e.path[0] === 'project');
    if (!p.hasProject && !table) return;
    const range = table ? nodeRange(p.doc, table.key) : kv ? nodeRange(p.doc, kv.node.key) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    report({ range, message: p.hasProject ? 'No requires-python in [project]: add one (e.g. requires-python = ">=3.12") so the lock and the image agree on the Python version.' : 'No python constraint in [tool.poetry.dependencies]: add one (e.g. python = "^3.12").' });
  },
};

// ---------------------------------------------------------------------------------------------
// SD107, SD108, SD110 on project files

const SD107: ProjectRule = {
  ...sharedMeta(dockerSD107),
  check(ctx, report) {
    if (ctx.images === 'gpu') return;
    const severity = ctx.images === 'cpu' ? undefined : 'info';
    for (const e of shippedEntries(ctx)) {
      const cudaExtra = (e.name === 'tensorflow' && e.extras.includes('and-cuda')) || (e.name === 'jax' && e.extras.some((x) => x.startsWith('cuda')));
      if (!cudaExtra) continue;
      const src = ctx.text.slice(e.start, e.end);
      // The extra is cut out of a requirement string or line; poetry tables are left to the user.
      const m = ctx.kind === 'requirements' || /^["']/.test(src) ? /\[[^\]]*\]/.exec(src) : null;
      report({
        range: e.range,
        message: `${e.text} installs the CUDA libraries, and ${imagesSay(ctx)}: drop the CUDA extra.`,
        estimate: { bytes: null, basis: `CUDA wheels: ${e.name} with its CUDA extra pulls nvidia-*-cu12 wheels (torch's set alone is ${formatBytes(TORCH_CUDA_WHEEL_BYTES)}); this set is not in the size table.` },
        severity,
        fixes: m ? [{ title: 'Drop the CUDA extra', edits: [{ range: rangeIn(ctx, e.start + m.index, e.start + m.index + m[0].length), newText: '' }] }] : [],
      });
    }
    // torch in a requirements file (pyproject.toml's torch is SD602).
    if (ctx.kind !== 'requirements') return;
    const urls = indexUrlsOf(ctx.tree);
    if (urls.some(isTorchIndex) || ctx.dockerfiles.some((d) => d.torchIndex)) return;
    const torch = shippedEntries(ctx).filter((e) => TORCH_PACKAGES.has(e.name) && !/\+cpu/.test(e.text));
    if (torch.length === 0) return;
    report({
      range: torch[0].range,
      message: `${[...new Set(torch.map((e) => e.name))].join(', ')} from PyPI is the CUDA build with ${formatBytes(TORCH_CUDA_WHEEL_BYTES)} of nvidia-* wheels, and ${imagesSay(ctx)}: add --extra-index-url ${TORCH_CPU_INDEX} to this file.`,
      estimate: { bytes: TORCH_CUDA_WHEEL_BYTES, basis: `CUDA wheels: ${TORCH_CUDA_BASIS}` },
      severity,
      fixes: [{ title: 'Add the PyTorch CPU index to this file', edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `--extra-index-url ${TORCH_CPU_INDEX}\n` }], preferred: true }],
    });
  },
};

const OPENCV_GUI = new Set(['opencv-python', 'opencv-contrib-python']);

function renameFix(ctx: ProjectContext, e: { start: number; end: number }, name: string, suffix: string, title: string): Fix[] {
  const span = nameSpan(ctx.text, e, name);
  if (!span) return [];
  return [{ title, edits: [{ range: rangeIn(ctx, span[1], span[1]), newText: suffix }], preferred: true }];
}

const SD108: ProjectRule = {
  ...sharedMeta(dockerSD108),
  check(ctx, report) {
    if (ctx.dockerfiles.length === 0) return; // only a container concern
    for (const e of shippedEntries(ctx)) {
      if (!OPENCV_GUI.has(e.name)) continue;
      report({
        range: e.range,
        message: `${e.name} is the GUI build (Qt, libGL); in a container ${e.name}-headless is the same OpenCV without them.`,
        estimate: { bytes: null, basis: 'the saving is the GUI libraries (Qt in the wheel, libgl1 and friends from apt), not in the size table.' },
        fixes: renameFix(ctx, e, e.name, '-headless', `Use ${e.name}-headless`),
      });
    }
  },
};

const SD110: ProjectRule = {
  ...sharedMeta(dockerSD110),
  check(ctx, report) {
    if (ctx.dockerfiles.length === 0) return;
    for (const e of shippedEntries(ctx)) {
      const alt = BINARY_WHEELS.get(e.name);
      if (!alt) continue;
      report({
        range: e.range,
        message: `${e.name} compiles from source (compiler and headers in the image); ${alt.replacement} (${alt.note}) ships binary wheels.`,
        estimate: { bytes: null, basis: 'the saving is the compiler and headers the source build needs (see SD203 for their size), not the package itself.' },
        fixes: alt.replacement.startsWith(e.name) ? renameFix(ctx, e, e.name, alt.replacement.slice(e.name.length), `Use ${alt.replacement}`) : [],
      });
    }
  },
};

export const projectRules: ProjectRule[] = [SD107, SD108, SD110, SD601, SD602, SD603, SD604, SD605];

