// Reads the old Dockerfile for Optimize: the final stage and the stages it is built FROM (the
// chain), stages whose only product is a Python environment the chain copies (absorbed), every
// RUN of those split into units, and each unit classified: a Python install (moves to the
// builder), packaging-tool setup and cache cleanup (dropped), OS package installs (build packages
// move to the builder, their run-time counterparts stay), anything else (kept as written).
// What cannot be split or placed safely becomes a blocker: the file is then left unchanged.
import type { DockerfileModel, InstructionModel, RunModel, StageModel } from '../parse/dockerfile';
import { argDeclarations, envDeclarations, isUnder, resolvePath, substitute } from '../parse/dockerfile';
import { secretName } from '../rules/context';
import { parseShell, MappedText, setsVariables, type ShellCommand, type Word } from '../parse/shell';
import type { BuildContext } from '../buildcontext';
import { pipCall, uvCall, installArgs, requirementName, isRemoteUrl, expandPath, UV_PIP_VALUE_OPTIONS, type PackageArgs } from '../rules/commands';
import { packageCall, packageNames, isSub, type PackageCall } from '../rules/os-commands';
import { cudaCompilerInstall, isToolchain } from '../rules/os';
import { toolCall, condaCall, createdVenvs, pipTargets, PACKAGING_TOOLS } from '../rules/python-tools';
import { editedUnit, shellText, splitRun, type SplitRun, type Unit, type WordEdit } from './units';
import { runtimeOf, compilerRuntimeOf, pythonPackageRole, BUILD_HELPERS } from './runtime';
import { copyCovers } from './context-map';
import { lineage, recursiveCall } from '../rules/layers';
import { aptSize } from '../estimates';
import type { BaseInfo } from './base';
import { escapeRegExp } from '../regexp';

export type OpKind = 'pip' | 'uv-pip' | 'uv-sync' | 'poetry' | 'pipenv' | 'conda' | 'setup-py';

/** One Python install of the old file, read in the context it ran in. */
export interface PyOp {
  kind: OpKind;
  /** `install`, `wheel`, `uninstall`, `sync` (uv pip sync / pipenv sync) … */
  action: string;
  inst: InstructionModel;
  cmd: ShellCommand;
  /** Words after the subcommand (pip, uv pip, uv sync, poetry, pipenv, conda). */
  args: Word[];
  /** pip / uv pip: the words read into options, packages and files. */
  pkg?: PackageArgs;
  /** The `[ … ]` test of build arguments the install ran under (`if [ "$DEV" = "true" ]; then pip install …; fi`). */
  guard?: string;
  /** The folder the install ran in when a `cd` of its RUN moved it away from the WORKDIR (opDir). */
  dir?: string;
}

/** The folder an install ran in: its RUN's WORKDIR, or where a `cd` before it went. */
export function opDir(op: PyOp): string {
  return op.dir ?? op.inst.workdir;
}

export interface RunPlan {
  split: SplitRun;
  keep: boolean[];
  edits: Map<number, WordEdit[]>;
  /** Lines to write above the RUN (why an unknown build package stays). */
  comments: string[];
  /** pip's own commands and package cleanups the RUN loses (`pip freeze`, `apt-get autoremove`), as written. */
  dropped: string[];
}

export interface Analysis {
  model: DockerfileModel;
  chain: StageModel[];
  final: StageModel;
  absorbed: StageModel[];
  /**
   * Chain stages other stages build on (`FROM base AS dev`, `COPY --from=base`): written out again
   * as they were, for those stages; the final stage is folded as ever and no longer builds on them.
   */
  shared: StageModel[];
  base: BaseInfo | undefined;
  ops: PyOp[];
  /** RUN plans of the chain and absorbed stages. */
  plans: Map<InstructionModel, RunPlan>;
  /** Chain instructions that disappear (COPY --from an absorbed stage, RUNs with nothing left). */
  removed: Set<InstructionModel>;
  /** The chain instruction before which the environment is copied in. */
  insertBefore?: InstructionModel;
  /** OS packages the builder installs (in order, each once). */
  buildPackages: string[];
  /** OS packages the final image had that were moved out, and what replaced them. */
  movedPackages: string[];
  addedRuntime: string[];
  /**
   * The packaging tools the old file installed, by name: the requirement as written (`setuptools<70`),
   * the version it pins (`poetry==1.8.3` → `1.8.3`; '' for none), and `offline` when that install read
   * no index (`--no-index`).
   */
  toolSpecs: Map<string, { raw: string; version: string; offline: boolean; upgrade?: boolean }>;
  /** Every OS package the chain installs (run-time counterparts already there are not added again). */
  installedNames: Set<string>;
  /** Virtual environments the old file created. */
  venvs: string[];
  /** Requirement files generated in the image by `poetry export` / `pipenv requirements`. */
  exported: boolean;
  blockers: string[];
  notes: string[];
  /** The final stage installs a distro interpreter the old file only got as a dependency (python3-pip …). */
  interpreterInstalled?: boolean;
  /** On a distro base, the interpreter package the final stage installs for a tooling package that brought it (`python3.11-venv` → `python3.11`). */
  derivedInterpreter?: string;
  /**
   * The installs may stay in the final stage (system mode rewrites them in place): what they read
   * (a COPY of the project, of the manifests) stays too.
   */
  installsInPlace: boolean;
  /** Where the image runs dev tooling itself (`CMD ["jupyter", "lab"]`): the dev packages, files and groups the old file installed stay. Set by Optimize after the analysis. */
  devRun?: string;
  /** Whether the final image's CMD/ENTRYPOINT/HEALTHCHECK runs a program by that name, once per analysis. */
  runsTool?: (name: string) => boolean;
  /** The final stage is a development image by its name (`FROM base AS dev`, last): every dev file, extra and group it installs stays. */
  devImage?: boolean;
  /** Whether the image uses a dev tool of this package name (devToolsUse). */
  devUse?: (name: string) => boolean;
  /** Variables the old installs of the builder's packages were given inline (`DEBIAN_FRONTEND=noninteractive apt-get install …`). */
  buildEnv?: Map<string, string>;
  /** apk `--virtual` groups the final stage no longer makes (their packages all moved to the builder). */
  goneGroups?: Set<string>;
  /** The line of a `pip check` / `uv pip check` that checked the installs: the builder checks its environment again. */
  pipCheck?: number;
  /** Folders the old file made environments in (`python -m venv /opt/venv`, `uv venv`): those commands go to the builder. */
  venvPaths?: Set<string>;
  /**
   * Such a folder written with build arguments (`/home/${APP_USER}/venv`), by its resolved path: the
   * builder and the final stage name it so, and `--build-arg` moves it as it moved the old one.
   */
  venvTexts?: Map<string, string>;
  /** Folders a WORKDIR of the final chain names with build arguments (`WORKDIR ${APP_HOME}`), by their resolved path. */
  dirTexts?: Map<string, string>;
  /** A `chown -R app /opt/venv` of such an environment, which goes with it: the environment's copy takes the owner. */
  venvChown?: { owner: string; line: number };
}

const INSTALLER_URL = /install\.python-poetry\.org|astral\.sh\/uv|get-pip\.py|bootstrap\.pypa\.io|raw\.githubusercontent\.com\/python-poetry|pipenv.*install|micro\.mamba\.pm/;
/** Compilers and build tools: nothing of theirs is needed at run time. */
const COMPILERS = /^(gcc|g\+\+|clang|llvm|cargo|rustc|rust|build-essential|build-base|make|cmake)/;

/** A command that adds a package repository or its key. */
const ADDS_REPOSITORY = /sources\.list|add-apt-repository|apt-key\b|\/etc\/apt\/keyrings|signed-by=|\/etc\/apk\/repositories|--repository\b|\bdeb \S*https?:|apt\.postgresql\.org\.sh|deb\.nodesource\.com\/setup|extrepo enable|\bdpkg\s+(-i|--install)\b/;
/**
 * A command's text with the redirection that follows it (`curl -fsSL …/prod.list >
 * /etc/apt/sources.list.d/mssql.list`: the command's own words do not name the list; found by review).
 */
function withRedirect(text: string, c: ShellCommand): string {
  return text.slice(c.start, c.end) + (/^[ \t]*\d?>>?[ \t]*[^\s&|;]+/.exec(text.slice(c.end, c.end + 300))?.[0] ?? '');
}
/** Caches and scratch space: removing them is housekeeping of the installs that move away. */
const CACHE_PATHS = ['/root/.cache', '/tmp', '/var/lib/apt/lists', '/var/cache/apt', '/var/cache/apk', '/var/cache/debconf', '/root/.cargo/registry'];
/** Commands that compile: a final stage that runs them needs its toolchain. */
const COMPILES = /^(gcc|g\+\+|cc|c\+\+|clang|make|cmake|ninja|cargo|rustc|go|configure|meson|npm|yarn|pnpm|node-gyp|bazel|nvcc|ld)$/;

type Role = 'install' | 'tooling' | 'venv' | 'housekeeping' | 'neutral' | 'pkg' | 'consumed' | 'other';

export function analyze(model: DockerfileModel, build: BuildContext, describe: (stage: StageModel, chain: StageModel[]) => BaseInfo | { reason: string }, installsInPlace = false): Analysis {
  const final = model.finalStage!;
  const chain: StageModel[] = [];
  for (let s: StageModel | undefined = final; s; s = s.parent) chain.unshift(s);
  const a: Analysis = {
    model, chain, final, absorbed: [], shared: [], base: undefined, ops: [], plans: new Map(), removed: new Set(), buildPackages: [],
    movedPackages: [], addedRuntime: [], toolSpecs: new Map(), installedNames: new Set(), venvs: [], exported: false, blockers: [], notes: [], installsInPlace,
  };
  const described = describe(final, chain);
  if ('reason' in described) {
    a.blockers.push(described.reason);
    return a;
  }
  a.base = described;

  // Other stages: kept as they are, unless the chain only copies a Python environment out of them.
  const inChain = new Set(chain);
  // Every stage the final stage uses, directly or through other stages.
  const used = new Set<StageModel>(chain);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of model.stages) {
      if (used.has(s) || ![...used].some((u) => u !== s && referencesStage(model, u, s))) continue;
      used.add(s);
      grew = true;
    }
  }
  for (const s of model.stages) {
    if (inChain.has(s)) continue;
    if (absorbable(model, s, chain)) {
      a.absorbed.push(s);
      continue;
    }
    // A chain stage a side stage uses stays for it, with the chain stages it builds on.
    for (const c of chain.slice(0, -1).filter((c) => referencesStage(model, s, c))) {
      // The final stage using the side stage too (a Python environment built there on the old base) makes it no side stage.
      if (used.has(s)) {
        a.blockers.push(`stage ${label(s)} builds on ${label(c)} and the final stage uses it: Optimize would fold ${label(c)} into the final stage.`);
        return a;
      }
      for (const k of chain.slice(0, chain.indexOf(c) + 1)) if (!a.shared.includes(k)) a.shared.push(k);
      a.notes.push(`stage ${label(c)} (line ${c.instructions[0].node.getRange().start.line + 1}) stays as it was for stage ${label(s)}, which builds on it; the final stage no longer does.`);
    }
  }
  a.shared.sort((x, y) => x.index - y.index);

  // A replaced stage's COPY that puts files into what the final stage copies out of it (plugins into
  // site-packages) would be lost with the stage.
  for (const s of a.absorbed) {
    const copied = copiedOut(a, s);
    for (const i of s.instructions) {
      if (i.keyword !== 'COPY' && i.keyword !== 'ADD') continue;
      const dest = resolvePath(i.workdir, substitute(i.args[i.args.length - 1]?.getValue() ?? '', i.env));
      if (copied.some((p) => isUnder(dest, p))) a.blockers.push(`line ${i.node.getRange().start.line + 1}: this ${i.keyword} puts files into ${dest}, which the final stage copies from stage ${label(s)}: the builder that replaces the stage would not have them.`);
    }
  }
  const insts = [...a.absorbed.flatMap((s) => s.instructions), ...chain.flatMap((s) => s.instructions)];
  for (const inst of chain.flatMap((s) => s.instructions)) {
    for (const c of inst.run?.commands ?? []) {
      const call = packageCall(c);
      if (call && isSub(call, 'install', 'add')) packageNames(call).names.forEach((n) => a.installedNames.add(n));
    }
  }
  for (const inst of insts) if (inst.run) planRun(a, inst, build);
  for (const inst of chain.flatMap((s) => s.instructions)) checkStartupCompiles(a, inst);
  // nvcc installed in the final image on purpose: it compiles at run time (vLLM, FlashInfer JIT
  // their kernels), with the host compiler and ninja the builder would take away.
  const nvcc = cudaCompilerInstall(chain);
  if (nvcc) a.blockers.push(`line ${nvcc.node.getRange().start.line + 1} installs the CUDA compiler in the final image: it compiles at run time, so its build packages stay.`);
  for (const s of a.absorbed) for (const inst of s.instructions) a.removed.add(inst);
  for (const inst of chain.flatMap((s) => s.instructions)) {
    const from = inst.keyword === 'COPY' ? inst.flags.get('from')?.[0] : undefined;
    if (from && a.absorbed.some((s) => sameStage(model, s, from))) a.removed.add(inst);
    // uv copied into the final image: the builder has its own, the final image needs none.
    if (from && /(^|\/)astral-sh\/uv(:|@|$)/.test(from)) a.removed.add(inst);
  }
  if (!installsInPlace) removeOverwrittenCopies(a);
  checkStageReferences(a);
  // The environment goes in where the first install (or the first copy of an old environment from a
  // replaced stage) was: not where a removed manifest COPY or uv's own COPY was, which may come before
  // the user or folder it needs (found by review: `useradd` after the `COPY --chown=app`).
  // (A removed COPY just above the first install, with nothing kept between but ENV/ARG/LABEL, is
  // still the place: its comment lines stay with the environment.)
  const all = chain.flatMap((s) => s.instructions);
  const oldEnvironment = (i: InstructionModel) => i.keyword === 'COPY' && a.removed.has(i) && i.flags.has('from') && !/(^|\/)astral-sh\/uv(:|@|$)/.test(i.flags.get('from')![0]);
  const firstInstall = all.find((i) => oldEnvironment(i) || a.ops.some((o) => o.inst === i));
  const at = firstInstall ? all.indexOf(firstInstall) : -1;
  let k = at;
  while (k > 0 && (a.removed.has(all[k - 1]) || ['ENV', 'ARG', 'LABEL'].includes(all[k - 1].keyword)) && all[k - 1].keyword !== 'FROM') k--;
  const removedCopy = all.slice(Math.max(k, 0), Math.max(at, 0)).find((i) => a.removed.has(i) && i.keyword === 'COPY');
  a.insertBefore = removedCopy ?? firstInstall;
  // (Only where the final stage has the build arguments at the environment's COPY too.)
  for (const [path, text] of a.venvTexts ?? []) if (!a.insertBefore || a.insertBefore.stage !== final || !buildArgPath(a.insertBefore, text)) a.venvTexts!.delete(path);
  for (const w of all) {
    const raw = w.keyword === 'WORKDIR' ? w.args.map((x) => x.getValue()).join(' ') : '';
    const text = raw.startsWith('/') || raw.startsWith('$') ? buildArgPath(w, raw) : undefined;
    if (text && a.insertBefore?.stage === final && buildArgPath(a.insertBefore, text)) (a.dirTexts ??= new Map()).set(resolvePath(w.workdir, substitute(raw, w.env)).replace(/\/+$/, ''), text);
  }
  // A venv made by a relative path under such a folder (`WORKDIR ${APP_HOME}`, `python -m venv .venv`) is named through it too (found by review).
  for (const path of a.venvPaths ?? []) {
    const text = symbolicPath(a, path);
    if (text !== path && !a.venvTexts?.has(path)) (a.venvTexts ??= new Map()).set(path, text);
  }
  a.venvs = [...new Set([...createdVenvs(final), ...a.absorbed.flatMap((s) => createdVenvs(s))])];
  foreignEnvironments(a);
  finishPackages(a);
  return a;
}

/**
 * An install into an environment the final stage copies from a stage Optimize keeps (`COPY
 * --from=build /app /app` with /app/.venv/bin first on PATH): the builder's new environment would
 * be another one, ahead of it on PATH, without what the copied one holds.
 */
function foreignEnvironments(a: Analysis): void {
  const chainInsts = a.chain.flatMap((s) => s.instructions);
  for (const op of a.ops) {
    if (!op.inst.stage.reachesFinal || (op.kind !== 'pip' && op.kind !== 'uv-pip') || op.action !== 'install' || !op.pkg) continue;
    if (['-t', '--target', '--prefix', '--root', '--user'].some((o) => op.pkg!.options.has(o))) continue;
    // uv pip: the system Python when told, else VIRTUAL_ENV, else the folder's .venv (the rules' list has them all).
    const system = op.pkg.options.has('--system') || /^(1|true|yes|on)$/i.test(op.cmd.env.get('UV_SYSTEM_PYTHON') ?? '') || op.pkg.options.has('--python') || op.pkg.options.has('-p');
    const venv = op.cmd.env.get('VIRTUAL_ENV');
    const targets = op.kind === 'pip' ? pipTargets(op.inst, op.cmd, op.pkg) : system ? [] : [venv ? resolvePath(opDir(op), venv) : resolvePath(opDir(op), '.venv')];
    for (const t of targets) {
      if (/^\/usr(\/local)?\/lib$/.test(t) || a.venvs.some((v) => isUnder(t, v))) continue;
      const copy = chainInsts.find((i) => i.start < op.inst.start && i.keyword === 'COPY' && i.flags.has('from') && !a.removed.has(i) && copyCovers(i, t));
      if (!copy) continue;
      a.blockers.push(`line ${op.inst.node.getRange().start.line + 1}: the install goes into ${t}, the environment line ${copy.node.getRange().start.line + 1} copies from ${copy.flags.get('from')![0]}: the builder's new environment would be another one.`);
      return;
    }
  }
}

function label(s: StageModel): string {
  return s.name ?? `#${s.index}`;
}

/**
 * A stage reference the output keeps (`COPY --from`, `RUN --mount from=`) must still name the stage
 * it named. A stage folded into the final stage or replaced by the builder is gone, and a number
 * counts stages by position, which the rewrite changes (folded and replaced stages go, the builder
 * comes in before the final stage).
 */
function checkStageReferences(a: Analysis): void {
  const { model } = a;
  const survives = (s: StageModel) => keptAsWritten(a, s);
  const kept = model.stages.filter((s) => s !== a.final && survives(s));
  const outputs = [...kept.flatMap((s) => s.instructions), ...a.chain.flatMap((s) => s.instructions).filter((i) => !a.removed.has(i))];
  // The installs that move to the builder bring their mounts of other stages (not of a replaced one).
  const moved = [...a.chain.flatMap((s) => s.instructions).filter((i) => a.removed.has(i)), ...a.absorbed.flatMap((s) => s.instructions)];
  const uses = [
    ...outputs.map((inst) => ({ inst, refs: stageRefs(inst) })),
    ...moved.map((inst) => ({ inst, refs: mountRefs(inst).filter((r) => !a.absorbed.some((s) => sameStage(model, s, r))) })),
  ];
  for (const { inst, refs } of uses) {
    for (const ref of refs) {
      const target = model.stages.find((s) => s.index < inst.stage.index && sameStage(model, s, ref));
      if (!target) continue; // an image
      const line = inst.node.getRange().start.line + 1;
      if (!survives(target)) {
        a.blockers.push(`line ${line} uses stage ${label(target)}, which Optimize would fold into the final stage or replace by its builder.`);
        return;
      }
      if (/^\d+$/.test(ref) && kept.indexOf(target) !== target.index) {
        a.blockers.push(`line ${line} names stage ${label(target)} by its number (${ref}), and the rewrite removes or adds stages before it: name the stage (FROM … AS name) and use the name.`);
        return;
      }
    }
  }
}

/** A stage the output writes out again as it was: not in the final stage's chain (unless a side stage needs it) nor replaced by the builder. */
export function keptAsWritten(a: Analysis, s: StageModel): boolean {
  return a.shared.includes(s) || (!a.chain.includes(s) && !a.absorbed.includes(s));
}

function sameStage(model: DockerfileModel, s: StageModel, ref: string): boolean {
  return /^\d+$/.test(ref) ? model.stages[Number(ref)] === s : s.name?.toLowerCase() === ref.toLowerCase();
}

/** True when stage `s` uses stage `target` (FROM, COPY --from, RUN --mount from=). */
function referencesStage(model: DockerfileModel, s: StageModel, target: StageModel): boolean {
  return s.parent === target || s.instructions.some((i) => stageRefs(i).some((r) => sameStage(model, target, r)));
}

/** The stages or images an instruction reads from: `COPY --from=…`, `RUN --mount … from=…`. */
export function stageRefs(inst: InstructionModel): string[] {
  return [...(inst.keyword === 'COPY' ? inst.flags.get('from') ?? [] : []), ...mountRefs(inst)];
}

function mountRefs(inst: InstructionModel): string[] {
  return (inst.run?.mounts ?? []).flatMap((m) => (m.from !== undefined ? [m.from] : []));
}

/** The chain's COPY --from of stage `s`: the paths it copies out, resolved. */
function copiedFrom(model: DockerfileModel, s: StageModel, chain: StageModel[]): string[] {
  return chain.flatMap((c) => c.instructions).filter((i) => i.keyword === 'COPY' && sameStage(model, s, i.flags.get('from')?.[0] ?? '')).flatMap((i) => i.args.slice(0, -1).map((x) => resolvePath('/', substitute(x.getValue(), i.env))));
}

/**
 * A stage the chain uses only to copy a Python environment out of (a venv, `~/.local`, a
 * prefix, built wheels, site-packages) and that does nothing but install: Optimize replaces it
 * with its own builder.
 */
function absorbable(model: DockerfileModel, s: StageModel, chain: StageModel[]): boolean {
  const users = model.stages.filter((o) => o !== s && referencesStage(model, o, s));
  if (users.length === 0 || users.some((u) => !chain.includes(u))) return false;
  if (s.parent && !chain.includes(s.parent)) return false;
  const copied = copiedFrom(model, s, chain);
  if (copied.length === 0 || chain.some((c) => c.instructions.some((i) => mountRefs(i).some((r) => sameStage(model, s, r))))) return false;
  const venvs = createdVenvs(s);
  // The folder a `pip wheel -r requirements.txt` writes (`--wheel-dir /usr/src/app/wheels`; found by
  // review: only /wheels was read), copied whole (not a glob of it, which the stage-mount audit refuses).
  const wheelDirs = s.instructions.flatMap((i) =>
    (i.run?.commands ?? []).flatMap((c) => {
      const pip = pipCall(c);
      if (pip?.sub?.value !== 'wheel') return [];
      const k = pip.args.findIndex((w) => w.value === '-w' || w.value === '--wheel-dir');
      const v = k >= 0 ? pip.args[k + 1]?.value : pip.args.find((w) => w.value.startsWith('--wheel-dir='))?.value.slice(12);
      const pkg = installArgs(k < 0 ? pip.args : pip.args.filter((_, j) => j !== k && j !== k + 1));
      if (!pkg.requirementFiles.length || pkg.packages.length || pkg.editables.length) return [];
      return v && !substitute(v, i.env).includes('$') ? [resolvePath(i.workdir, substitute(v, i.env)).replace(/\/+$/, '')] : [];
    }),
  );
  const envPaths = (p: string) =>
    venvs.some((v) => isUnder(p, v)) ||
    wheelDirs.includes(p.replace(/\/+$/, '')) ||
    /^\/(root|home\/[^/]+)\/\.local(\/|$)/.test(p) ||
    /^\/usr\/local(\/lib\/python[\d.]+(\/site-packages)?|\/bin)?\/?$/.test(p) ||
    /^\/(install|wheels|venv|opt\/venv|\.venv|deps|packages|python-packages)(\/|$)/.test(p) ||
    /\/\.venv\/?$/.test(p);
  if (copied.some((p) => !envPaths(p))) return false;
  return s.instructions.every((i) => ['FROM', 'ENV', 'ARG', 'WORKDIR', 'COPY', 'RUN', 'LABEL', 'USER', 'SHELL'].includes(i.keyword) && !(i.keyword === 'COPY' && i.flags.has('from') && !/astral-sh\/uv/.test(i.flags.get('from')![0])));
}

// ---------------------------------------------------------------------------------------------
// RUNs

interface Classified {
  role: Role;
  op?: PyOp;
  call?: PackageCall;
  blocker?: string;
  /** `consumed`: the COPY/ADDs whose every file this `rm` deletes again. */
  copies?: InstructionModel[];
}

function planRun(a: Analysis, inst: InstructionModel, build: BuildContext): void {
  // A RUN must be split when it installs Python packages or build packages; one that only tidies
  // up (cache removal, `pip install -U pip`) is split when it can be, and kept whole otherwise.
  const kinds = inst.run!.commands.map((c) => classify(a, inst, c));
  // `cd sub && pip install -r requirements.txt` reads sub/requirements.txt: the builder resolves
  // the install's paths against the folder a plain `cd` of the RUN moved to (op.dir); after any other
  // change of folder an install that reads files is not rewritten.
  const dirs = commandDirs(a, inst);
  const lost = inst.run!.commands.find((c, i) => kinds[i].op && readsFolder(kinds[i].op!) && dirs.get(c) === undefined);
  if (lost) {
    // The first change of folder slimdock lost track at.
    const moved = inst.run!.commands.find((c) => c.name === 'cd' && c.start < lost.start && dirs.get(c) === undefined) ?? inst.run!.commands.filter((c) => c.name === 'cd' && c.start < lost.start).pop();
    a.blockers.push(`the RUN at line ${inst.node.getRange().start.line + 1} installs after \`${moved ? a.model.text.slice(moved.start, moved.end) : 'cd'}\`: slimdock follows a plain \`cd\` to a folder it can read, not this change of folder.`);
  }
  const absorbedStage = !inst.stage.reachesFinal;
  // (And a later `apk del .build-deps` of a group the final stage no longer makes: found by review, apk
  // fails on a name it does not know.)
  const delGone = (k: (typeof kinds)[number]) => k.role === 'pkg' && !!k.call && k.call.manager === 'apk' && isSub(k.call, 'del') && packageNames(k.call).names.some((n) => a.goneGroups?.has(n));
  const mustSplit = absorbedStage || kinds.some((k) => k.role === 'install' || k.role === 'venv' || k.blocker !== undefined || delGone(k) || (k.role === 'pkg' && k.call && isSub(k.call, 'install', 'add') && packageNames(k.call).names.some((n) => isToolchain(n, k.call!.manager === 'apk' ? 'apk' : 'apt') || pythonPackageRole(n) === 'tooling')));
  // Packaging-tool setup (`pip install -U pip`, uv's installer piped to sh): dropped when it can be split out.
  const mayTidy = kinds.some((k) => k.role === 'tooling' || k.role === 'consumed') || INSTALLER_URL.test(a.model.text.slice(inst.start, inst.end));
  if (!mustSplit && !mayTidy) {
    checkCompiles(a, inst);
    return;
  }
  const split = splitRun(a.model, inst);
  const line = inst.node.getRange().start.line + 1;
  if (!split && !mustSplit) {
    checkCompiles(a, inst);
    return;
  }
  if (!split) {
    a.blockers.push(`the RUN at line ${line} installs packages inside shell logic (conditions, ||, exports between commands) that slimdock cannot split safely.`);
    return;
  }
  const plan: RunPlan = { split, keep: split.units.map(() => true), edits: new Map(), comments: [], dropped: [] };
  const roles: Role[] = [];
  const calls: (PackageCall | undefined)[] = [];
  const consumed: InstructionModel[][] = [];
  split.units.forEach((unit, i) => {
    const text = a.model.text.slice(unit.start, unit.end);
    const parts = unit.commands.map((c) => classify(a, inst, c));
    consumed[i] = parts.length === 1 && parts[0].role === 'consumed' ? parts[0].copies! : [];
    // (The COPYs an `rm -rf /tmp/*` that stays emptied after a moved install: fedCopies.)
    for (const c of parts.length === 1 && parts[0].role === 'other' ? parts[0].copies ?? [] : []) {
      if (a.removed.has(c)) continue;
      a.removed.add(c);
      a.notes.push(`line ${c.node.getRange().start.line + 1}: ${c.keyword} removed: ${a.installsInPlace ? `the install at line ${line} mounts what it copied from stage ${c.flags.get('from')?.[0]} instead` : 'only the install that runs in the builder stage now read what it copied'} (the \`rm\` at line ${line} that deleted it stays).`);
    }
    const blocker = parts.find((p) => p.blocker)?.blocker;
    let role: Role;
    // A command built around a packaging tool that leaves the image (`rm -rf $(poetry config cache-dir)`) goes with it.
    const goneTool = unit.commands.some((c) => /^(poetry|pipenv|pdm)$/.test(c.name) || (!!uvCall(c) && !a.base?.hasUv));
    if (unit.assigns) role = 'neutral'; // `deps="gcc libpq-dev"`: stays while the RUN does (a kept unit may read it)
    else if (unit.cond) role = conditionalRole(a, unit, parts, line);
    else if (INSTALLER_URL.test(text) && parts.some((p) => p.role === 'other' || p.role === 'tooling')) {
      role = 'tooling';
      // Poetry's installer pinned on its command line (`python3 - --version 1.8.3`, `POETRY_VERSION=1.8.3`
      // inline): the builder's poetry keeps that version (found by review: poetry 2 got a 1.8 lock).
      const pinned = /install\.python-poetry\.org/.test(text) ? (/(?:^|\s)--version[= ]["']?(\d[\w.]*)/.exec(text) ?? /\bPOETRY_VERSION=["']?(\d[\w.]*)/.exec(text))?.[1] : undefined;
      if (pinned && !a.toolSpecs.get('poetry')?.version) a.toolSpecs.set('poetry', { raw: `poetry==${pinned}`, version: pinned, offline: false });
    }
    else if (goneTool && parts.some((p) => p.role === 'tooling') && !parts.some((p) => p.role === 'install' || p.blocker)) role = 'tooling';
    else if (parts.length === 1) role = parts[0].role;
    // `bash -c "pip install …"` (`["sh", "-c", "…"]`): the shell runs one command, the install (found
    // by review: it was refused as a pipeline). The builder writes the install out on its own.
    // (Several, `pip install -U pip && pip install -r …`, joined by && only: the same.)
    else if (
      parts.length >= 2 &&
      /^(ba|da|z)?sh$/.test(unit.commands[0].name) &&
      unit.commands[0].argv.length === 3 &&
      /^-[a-z]*c[a-z]*$/.test(unit.commands[0].argv[1].value) &&
      /^[^|;&()`]*(&&[^|;&()`]*)*$/.test(unit.commands[0].argv[2].value) &&
      unit.commands.slice(1).every((c) => c.via === 'sh -c') &&
      parts.slice(1).every((p) => p.role === 'install' || p.role === 'tooling' || p.role === 'housekeeping') &&
      parts.slice(1).some((p) => p.role === 'install')
    )
      role = 'install';
    else if (parts.every((p) => p.role !== 'other' && p.role !== 'pkg')) role = parts.some((p) => p.role === 'install') ? 'install' : parts[0].role;
    else if (parts.some((p) => p.role === 'install' || p.role === 'pkg')) {
      a.blockers.push(`the RUN at line ${line} mixes an install with other commands in one pipeline or subshell: slimdock cannot split it safely.`);
      role = 'other';
    } else role = 'other';
    if (blocker && role !== 'tooling') a.blockers.push(`line ${line}: ${blocker}`);
    // The builder writes the install out on its own, without the RUN's assignments.
    const shellVar = role === 'install' ? parts.flatMap((p) => (p.op ? shellVarsUsed(p.op.cmd, inst.run) : []))[0] : undefined;
    if (shellVar) a.blockers.push(`line ${line}: the install reads $${shellVar}, which the RUN sets: slimdock does not carry shell variables into the builder stage.`);
    if (role === 'install') {
      for (const p of parts) {
        if (!p.op) continue;
        const dir = dirs.get(p.op.cmd);
        if (dir !== undefined && dir !== inst.workdir) p.op.dir = dir;
        a.ops.push(p.op);
      }
    }
    roles.push(role);
    calls.push(parts.length === 1 ? parts[0].call : undefined);
  });
  const absorbed = !inst.stage.reachesFinal;

  // OS packages: build packages move, run-time counterparts replace them, the rest stays.
  const purgedHere = new Set<string>();
  calls.forEach((call) => {
    if (call && isSub(call, 'purge', 'remove', 'del', 'autoremove')) packageNames(call).names.forEach((n) => purgedHere.add(n));
  });
  let keptInstall = false;
  roles.forEach((role, i) => {
    const call = calls[i];
    if (role !== 'pkg' || !call) return;
    if (isSub(call, 'install', 'add')) {
      if (planInstall(a, plan, i, call, purgedHere, absorbed, line)) keptInstall = true;
    }
  });
  roles.forEach((role, i) => {
    const call = calls[i];
    let keep: boolean;
    if (role === 'install' || role === 'tooling' || role === 'venv') keep = false;
    else if (role === 'consumed') {
      // The COPY and the rm that deletes what it copied both go (the install that read it moved).
      keep = consumed[i].length === 0;
      for (const c of consumed[i]) {
        a.removed.add(c);
        a.notes.push(`line ${c.node.getRange().start.line + 1}: ${c.keyword} removed with the \`rm\` at line ${line} that deleted what it copied (the install that read it runs in the builder stage now).`);
      }
    }
    else if (role === 'pkg' && call) {
      if (isSub(call, 'install', 'add')) keep = plan.keep[i];
      else if (isSub(call, 'update')) keep = keptInstall && roles.some((r, j) => j > i && r === 'pkg' && plan.keep[j] && calls[j] && isSub(calls[j]!, 'install', 'add'));
      else if (call.manager === 'apk' && isSub(call, 'del') && packageNames(call).names.some((n) => a.goneGroups?.has(n))) {
        keep = !packageNames(call).names.every((n) => a.movedPackages.includes(n) || a.goneGroups!.has(n));
        // What stays deletes the rest only (`apk del .build-deps git` → `apk del git`: found by review).
        if (keep) plan.edits.set(i, [...(plan.edits.get(i) ?? []), ...call.args.packages.filter((w) => a.goneGroups!.has(w.value)).map((w) => removeWord(call, w))]);
      }
      else if (isSub(call, 'purge', 'remove', 'del', 'autoremove')) keep = keptInstall && !packageNames(call).names.every((n) => a.movedPackages.includes(n) || n.startsWith('.'));
      else keep = keptInstall; // clean, autoclean
    } else if (role === 'pkg') keep = true;
    else if (role === 'housekeeping') keep = keptInstall;
    else keep = true;
    plan.keep[i] = keep;
  });
  // An assignment no kept command reads any more (`buildDeps=…` whose packages all moved) goes.
  plan.split.units.forEach((u, i) => {
    if (!u.assigns || !plan.keep[i]) return;
    const read = plan.split.units.some((o, j) => j !== i && plan.keep[j] && u.assigns!.some((n) => readsVariable(editedUnit(a.model, o, plan.edits.get(j)), n)));
    if (!read) plan.keep[i] = false;
  });
  // A kept command that reads a package list whose packages went to the builder (`dpkg -l $buildDeps`,
  // `apt-mark manual $buildDeps`) would find them missing; a removal of them (`apt-get purge`) only warns.
  plan.split.units.forEach((u, i) => {
    if (!u.assigns || !plan.keep[i]) return;
    plan.split.units.forEach((o, j) => {
      if (j <= i || !plan.keep[j] || plan.edits.has(j) || (calls[j] && isSub(calls[j]!, 'purge', 'remove', 'del', 'autoremove'))) return;
      const text = editedUnit(a.model, o, plan.edits.get(j));
      for (const n of u.assigns!) {
        if (!readsVariable(text, n)) continue;
        const moved = (o.commands[0]?.vars.get(n) ?? '').split(/\s+/).filter((p) => a.movedPackages.includes(p.replace(/[=:~<>].*$/, '')));
        if (moved.length) a.blockers.push(`line ${line}: \`${text.replace(/\s*\\\r?\n\s*/g, ' ').trim()}\` reads $${n}, whose ${moved.join(', ')} go to the builder stage.`);
      }
    });
  });
  // A replaced stage's RUN that also changes what the final stage copies out of it (`sed -i` in the
  // venv, `echo > /install/x`) would lose that with the stage.
  if (absorbed) {
    const copied = copiedOut(a, inst.stage);
    roles.forEach((role, i) => {
      const unit = a.model.text.slice(plan.split.units[i].start, plan.split.units[i].end);
      const first = plan.split.units[i].commands[0]?.name ?? '';
      const writes = (p: string) => unit.includes(p) && (!HARMLESS.has(first) || new RegExp(`>\\|?\\s*["']?${escapeRegExp(p)}`).test(unit));
      if (role === 'other' && copied.some(writes)) a.blockers.push(`line ${line}: \`${unit.replace(/\s*\\\r?\n\s*/g, ' ').trim()}\` changes what the final stage copies from stage ${label(inst.stage)}, which the builder replaces: it would be lost.`);
    });
  }
  // Nothing but `set -e` and housekeeping left: the RUN goes.
  const substantive = plan.keep.some((k, i) => k && roles[i] !== 'neutral' && roles[i] !== 'housekeeping' && !(roles[i] === 'pkg' && calls[i] && isSub(calls[i]!, 'update', 'clean', 'autoclean')));
  if (!substantive) plan.keep = plan.keep.map(() => false);
  // pip's own commands (`pip freeze`, `pip install -U pip`) and package cleanups that served the
  // installs: a RUN that stays (here, or in place in system mode: droppedNote) says it loses them.
  plan.dropped = roles.flatMap((r, i) => (!plan.keep[i] && (r === 'tooling' || (r === 'pkg' && calls[i] && !isSub(calls[i]!, 'install', 'add'))) ? [a.model.text.slice(plan.split.units[i].start, plan.split.units[i].end).replace(/\s*\\\r?\n\s*/g, ' ').trim()] : []));
  if (!absorbed) a.plans.set(inst, plan);
  if (!absorbed && plan.keep.every((k) => !k)) a.removed.add(inst);
  else if (!absorbed && plan.dropped.length) a.notes.push(droppedNote(line, plan.dropped));
  checkCompiles(a, inst, plan);
}

/**
 * An `if` statement: kept as it is when it installs nothing; one pip install under a test of build
 * arguments moves to the builder under the same test; anything else stops the rewrite.
 */
function conditionalRole(a: Analysis, unit: Unit, parts: Classified[], line: number): Role {
  if (!parts.some((p) => p.role === 'install' || p.role === 'pkg' || p.role === 'venv' || p.role === 'tooling' || p.blocker)) return 'other';
  const c = unit.cond!;
  const test = c.test ? shellText(a.model)(a.model.text.slice(c.test.start, c.test.end)) : '';
  // The branches: `then`, and an `else` (`if [ "$CUDA" = 1 ]; then pip install torch …; else pip install torch --index-url …/cpu; fi`).
  const elseAt = c.plainElse;
  const branches = [unit.commands.filter((x) => elseAt === undefined || x.start < elseAt), ...(elseAt !== undefined ? [unit.commands.filter((x) => x.start >= elseAt)] : [])];
  const partOf = (x: ShellCommand) => parts[unit.commands.indexOf(x)];
  const why = (): string | undefined => {
    if (!c.test) return 'its condition runs a command or tests a file';
    if (c.branches && elseAt === undefined) return 'it has an `elif` branch, or an `else` that is not a list of commands';
    if (!c.plain) return 'it holds a nested `if`, a loop, a subshell or a pipeline';
    for (const branch of branches) {
      const ps = branch.map(partOf);
      const installs = ps.filter((p) => p.role === 'install' && p.op);
      if (ps.some((p) => p.role === 'pkg' || p.role === 'venv')) return 'it installs OS packages or sets up an environment';
      if (installs.length > 1) return 'it holds more than one install in a branch';
      if (ps.some((p) => p.role !== 'install' && p.role !== 'neutral')) return 'it runs other commands besides the install';
      const op = installs[0]?.op;
      if (!op) continue;
      if ((op.kind !== 'pip' && op.kind !== 'uv-pip') || op.action !== 'install') return `it runs ${op.kind === 'uv-sync' ? 'uv sync' : op.kind === 'setup-py' ? 'python setup.py install' : `${op.kind} ${op.action}`}`;
      if (op.pkg && (op.pkg.editables.length > 0 || op.pkg.packages.some((w) => (!w.dynamic || /^[./~]/.test(w.value)) && requirementName(w.value) === undefined && !isRemoteUrl(w.value.replace(/^[\w.-]+\s*@\s*/, ''))))) return 'it installs a folder or file of the image (the project\'s sources), which the builder installs on every build';
      if (c.test.vars.some((v) => op.cmd.assigned?.has(v))) return 'its test reads a variable the RUN sets';
      const setter = (op.inst.run?.commands ?? []).find((x) => x.start < op.cmd.start && setsVariables(x));
      if (setter) return `\`${a.model.text.slice(setter.start, setter.end)}\` before it may set the variables its test reads`;
      // The builder sets these itself, or leaves them out (argsAndEnv): its test would read another value.
      const own = c.test.vars.find((v) => BUILDER_SET.test(v));
      if (own) return `its test reads ${own}, which the builder stage sets itself or leaves out`;
      // The builder declares the ARGs and ENVs of the whole chain before its installs: one set again after this RUN would change the test there.
      const later = lineage(op.inst.stage).find((i) => i.start > op.inst.start && (i.keyword === 'ARG' || i.keyword === 'ENV') && c.test!.vars.some((v) => declares(i, v)));
      if (later) return `its test reads a variable line ${later.node.getRange().start.line + 1} sets again, which the builder stage would read before its installs`;
      // The builder runs /bin/sh: bash's `[[ ]]` and `==` worked only under the stage's own SHELL.
      if (/\[\[|==/.test(test) && lineage(op.inst.stage).some((i) => i.keyword === 'SHELL' && i.start < op.inst.start)) return 'its test needs bash (`[[ ]]`, `==`), which the stage\'s SHELL gives and the builder\'s /bin/sh has not';
      // `! [[ a && b ]]` is not the negation of `[[ a && b ]]` under /bin/sh (it splits at the &&).
      if (elseAt !== undefined && /\[\[/.test(test)) return 'its `else` needs the test negated, and /bin/sh cannot negate bash\'s `[[ ]]`';
    }
    return undefined;
  };
  const reason = why();
  if (reason) {
    a.blockers.push(`the RUN at line ${line} installs packages inside shell logic (an \`if\`) that slimdock cannot split safely: ${reason}.`);
    return 'other';
  }
  // Each branch's install under its own test: the `else` one under the test negated.
  branches.forEach((branch, k) => {
    const op = branch.map(partOf).find((p) => p.role === 'install' && p.op)?.op;
    if (op) op.guard = k === 0 ? test : `! ${test}`;
  });
  return 'install';
}

/** Variables the builder stage sets itself or does not carry over (see BuilderContext.argsAndEnv). */
const BUILDER_SET = /^(PATH|HOME|VIRTUAL_ENV|PYTHON\w*|LANG|LC_ALL|TZ|UV_\w+|PIP_\w+|POETRY_\w+|PIPENV_\w+)$/;

/** The ARG or ENV instruction declares `name`. */
export function declares(inst: InstructionModel, name: string): boolean {
  if (inst.keyword === 'ARG') return argDeclarations(inst).some((d) => d.name === name);
  return envDeclarations(inst).some((p) => p.name === name);
}

/** Shell text that expands `$name` or `${name…}`. */
export function readsVariable(text: string, name: string): boolean {
  return new RegExp(`\\$\\{?${name}\\b`).test(text);
}

/** Variables the RUN's own plain assignments set (ENV and ARG names it sets again too) that the command's words read. */
function shellVarsUsed(cmd: ShellCommand, run?: RunModel): string[] {
  const text = cmd.argv.filter((w) => w.dynamic).map((w) => w.raw).join(' ');
  // `. ./env.sh && pip install -r $REQ`: the sourced file may set any of them.
  if (text && (run?.commands ?? []).some((c) => c.start < cmd.start && setsVariables(c))) return [...new Set([...text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]))];
  if (!cmd.assigned) return [];
  return [...cmd.assigned].filter((k) => readsVariable(text, k));
}

/**
 * The folder each command of a RUN runs in: the WORKDIR, then where each top-level `cd` to a folder
 * slimdock can read went (`cd /src`, `cd sub`, `cd "$APP_HOME"` with its ARG). Undefined from a `cd`
 * it cannot follow on (`cd ~`, `cd -`, `cd $(…)`, one inside an `if`, a subshell or `sh -c`).
 */
function commandDirs(a: Analysis, inst: InstructionModel): Map<ShellCommand, string | undefined> {
  const run = inst.run!;
  const dirs = new Map<ShellCommand, string | undefined>();
  if (!run.commands.some((c) => c.name === 'cd')) {
    for (const c of run.commands) dirs.set(c, inst.workdir);
    return dirs;
  }
  const split = splitRun(a.model, inst);
  let dir: string | undefined = inst.workdir;
  for (const unit of split?.units ?? [{ start: inst.start, end: inst.end, commands: run.commands }]) {
    const cd = unit.commands[0];
    const plain = !!split && !split.whole && !unit.cond && unit.commands.length === 1 && cd.name === 'cd' && cd.via !== 'sh -c';
    if (plain) {
      const to = cd.argv.length === 2 ? substitute(cd.argv[1].value, cd.vars) : undefined;
      dir = dir !== undefined && to !== undefined && !/[$`~]/.test(to) && to !== '-' && !cd.argv[1].value.startsWith('~') ? resolvePath(dir, to) : undefined;
      dirs.set(cd, dir);
      continue;
    }
    for (const c of [...unit.commands].sort((x, y) => x.index - y.index)) {
      dirs.set(c, dir);
      if (c.name === 'cd') dir = undefined;
    }
  }
  return dirs;
}

/** Commands that change no file of the folders they name. */
const HARMLESS = new Set(['mkdir', 'ls', 'cd', 'true', 'test', '[', 'echo', 'printf', 'du', 'find', 'stat', 'python', 'python3']);

/** The paths the chain copies out of stage `s` (`COPY --from=s /opt/venv …`), the root left out. */
function copiedOut(a: Analysis, s: StageModel): string[] {
  return copiedFrom(a.model, s, a.chain).filter((p) => p !== '/');
}

/** The note for what a kept RUN loses (RunPlan.dropped). */
export function droppedNote(line: number, dropped: string[]): string {
  return `line ${line}: ${dropped.map((g) => `\`${g}\``).join(', ')} removed from the RUN: pip's own commands and package cleanups that served the installs slimdock rewrote.`;
}

/** The commands of a RUN that stay in the final stage, with `plan` its split (all of them without one). */
export function keptCommands(inst: InstructionModel, plan?: RunPlan): ShellCommand[] {
  const all = inst.run?.commands ?? [];
  return plan ? all.filter((c) => plan.split.units.some((u, i) => plan.keep[i] && u.commands.includes(c))) : all;
}

/** The text of `inst` that stays in the final stage (a RUN whose installs move keeps its other units). */
export function keptText(a: Analysis, inst: InstructionModel): string {
  const plan = a.plans.get(inst);
  return plan ? plan.split.units.filter((_, i) => plan.keep[i]).map((u) => a.model.text.slice(u.start, u.end)).join('\n') : a.model.text.slice(inst.start, inst.end);
}

/** A kept command that compiles needs the toolchain in the final image: Optimize cannot move it. */
function checkCompiles(a: Analysis, inst: InstructionModel, plan?: RunPlan): void {
  if (!inst.stage.reachesFinal) return;
  for (const c of keptCommands(inst, plan)) {
    if (COMPILES.test(c.name) || (c.name.startsWith('python') && c.argv.some((w) => w.value === 'build_ext'))) {
      a.blockers.push(`the final stage compiles at line ${inst.node.getRange().start.line + 1} (${c.name}): its build packages cannot move to a builder stage.`);
      return;
    }
  }
}

/** Compilers and build drivers a start-up command may run (`npm start`, `go run` … are not counted: they run, not build). */
const STARTUP_COMPILERS = /^(gcc|g\+\+|cc|c\+\+|clang|make|cmake|ninja|cargo|rustc|nvcc|configure)$/;

/** The compiler or build step a start-up command (CMD, ENTRYPOINT, HEALTHCHECK text) runs, if any: a program, or `setup.py build_ext`. */
export function startupCompiler(text: string): string | undefined {
  const program = startupPrograms(text).find((w) => STARTUP_COMPILERS.test(w));
  if (program) return program;
  return /\bsetup\.py\b[^&|;]*\bbuild_ext\b/.test(text) ? 'setup.py build_ext' : undefined;
}

/**
 * What a shell script of the build context that the final stage runs (a RUN's, a start-up one)
 * does with the toolchain: `compiles`, the first command that compiles, with its line in the script
 * (a STARTUP_COMPILERS program, `exec make serve`, `sh -c "gcc …"`, `V=$(make -s version)`, `python
 * setup.py build_ext`), unless the script installed a toolchain itself before it (`apt-get install -y
 * build-essential`: slimdock does not rewrite scripts, so that install stays with the script);
 * `installs`, whether it installs one at all (for the scripts it runs, and those run after it).
 * Commands as the shell parser reads them: not a compiler a comment or a string names, nor `command
 * -v gcc`, a question. A script the parser cannot read whole is read line by line.
 */
export function scriptToolchain(text: string): { compiles?: { tool: string; line: number }; installs: boolean } {
  const parsed = parseShell(MappedText.exact(text, 0), new Map());
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  const steps: ToolchainStep[] = parsed.hasError
    ? scriptLines(text)
    : [
      ...parsed.commands.map((c) => {
        const call = packageCall(c);
        const installs = !!call && isSub(call, 'install', 'add') && packageNames(call).names.some((n) => compilerPackage(n, call.manager));
        const question = /^command\s+-[vV]\b/.test(text.slice(c.start, c.end));
        return { at: c.start, line: lineOf(c.start), installs, tool: question ? undefined : compilerRun([c.name, ...c.argv.slice(1).map((w) => w.value)]) };
      }),
      // Command substitutions of assignments (`V=$(make -s version)`), which the parse leaves as values.
      ...parsed.assignments.flatMap((x) => [...text.slice(x.start, x.end).matchAll(/\$\(((?:[^()]|\([^()]*\))*)\)|`([^`]*)`/g)].map((m) => ({ at: x.start, line: lineOf(x.start), installs: false, tool: scriptToolchain(m[1] ?? m[2]).compiles?.tool }))),
    ].sort((x, y) => x.at - y.at);
  // Not in a function the script never calls (`rebuild_ext() { make …; }`, a library of helpers;
  // found by review): a body runs only where its name is a command.
  const bodies = functionBodies(text).filter((f) => !new RegExp(`(^|[;&|({\\s]|\\$\\()${escapeRegExp(f.name)}(?=[\\s;&|)]|$)`, 'm').test(text.slice(0, f.start) + ' '.repeat(f.end - f.start) + text.slice(f.end)));
  const live = steps.filter((c) => !bodies.some((f) => parsed.hasError ? false : c.at > f.start && c.at < f.end));
  const installs = live.some((c) => c.installs);
  const first = live.find((c) => c.installs || c.tool);
  return first?.tool ? { compiles: { tool: first.tool, line: first.line }, installs } : { installs };
}

/** The shell functions a script defines (`name() {`, `function name {`), each with its body's span (braces counted). */
function functionBodies(text: string): { name: string; start: number; end: number }[] {
  const out: { name: string; start: number; end: number }[] = [];
  for (const m of text.matchAll(/^[ \t]*(?:function[ \t]+([\w.:-]+)[ \t]*(?:\(\))?|([\w.:-]+)[ \t]*\(\))[ \t]*\{/gm)) {
    let depth = 0;
    let end = -1;
    for (let i = m.index! + m[0].length - 1; i < text.length; i++) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}' && --depth === 0) { end = i + 1; break; }
    }
    if (end > 0) out.push({ name: m[1] ?? m[2], start: m.index!, end });
  }
  return out;
}

/** One command of a script for scriptToolchain: where it is, whether it installs a toolchain, the compiler it runs. */
type ToolchainStep = { at: number; line: number; installs: boolean; tool?: string };

/** The compiler a command's words (wrappers stripped) run: a STARTUP_COMPILERS program, or `setup.py build_ext`. */
function compilerRun(words: string[]): string | undefined {
  const name = (words[0] ?? '').split('/').pop()!;
  if (STARTUP_COMPILERS.test(name)) return name;
  return /^python[\d.]*$/.test(name) && words.includes('build_ext') ? 'setup.py build_ext' : undefined;
}

/** A script's commands line by line (comments out), for one the shell parser cannot read whole (scriptToolchain). */
function scriptLines(text: string): ToolchainStep[] {
  // (`command -v gcc` asks: read as `true gcc`.)
  return text.split('\n').flatMap((raw, k) => shellCommands(raw.replace(/^\s*#.*$/, '').replace(/\s#.*$/, '').replace(/\bcommand\s+-[vV]\b/g, 'true')).map((words) => {
    const manager = /^(apt-get|apt|apk|yum|dnf|microdnf)$/.exec(words[0])?.[0];
    const sub = words.slice(1).find((w) => !w.startsWith('-'));
    const installs = !!manager && (sub === 'install' || sub === 'add') && words.some((w) => compilerPackage(w, manager === 'apk' ? 'apk' : manager.startsWith('apt') ? 'apt' : 'rpm'));
    return { at: k, line: k + 1, installs, tool: compilerRun(words) };
  }));
}

/** A package that brings a compiler or build tool (build-essential, gcc, make, cmake …), not headers alone. */
function compilerPackage(token: string, manager: PackageCall['manager']): boolean {
  const name = token.replace(/[=:~<>].*$/, '');
  return isToolchain(name, manager) && !/-(dev|devel)$/.test(name);
}

/**
 * The commands a CMD/ENTRYPOINT/HEALTHCHECK runs, each as its words without the wrappers in front
 * (env, exec, tini --, gosu <user> …): the exec form (through `sh -c '…'`), or each command of
 * the shell form (split at `&&`, `||`, `;`, `|`).
 */
export function startupCommands(text: string): string[][] {
  const body = text.replace(/\\\r?\n/g, ' ').replace(/^\s*(CMD|ENTRYPOINT|HEALTHCHECK)\b/i, '').replace(/^(\s+--\S+)*\s*(CMD\b)?/i, '').trim();
  if (!body.startsWith('[')) return shellCommands(body);
  let argv: unknown;
  try {
    argv = JSON.parse(body);
  } catch {
    argv = undefined;
  }
  if (!Array.isArray(argv) || !argv.length || !argv.every((x) => typeof x === 'string')) return [];
  return argvCommands(argv as string[]);
}

/** An argument vector's commands: itself, or the script of `sh -c '…'`. */
function argvCommands(argv: string[]): string[][] {
  const words = unwrapped(argv);
  if (/^(sh|bash|dash|zsh)$/.test(baseName(words[0] ?? '')) && /^-[a-z]*c[a-z]*$/.test(words[1] ?? '')) return shellCommands(words[2] ?? '');
  return words.length ? waitSplit(words) : [];
}

/** Shell text's commands, split at `&&`, `||`, `;`, `|` and line ends. */
function shellCommands(body: string): string[][] {
  return body
    .split(/&&|\|\||;|\||\n/)
    .map((part) => unwrapped(part.trim().split(/\s+/).map((w) => w.replace(/^["'(]+|["')]+$/g, ''))).filter(Boolean))
    .filter((words) => words.length > 0)
    .flatMap(waitSplit);
}

/**
 * `wait-for-it.sh db:5432 -- sh -c "./prestart.py && uvicorn …"`: the command after `--` runs too
 * (found by review: the script it ran was not read).
 */
function waitSplit(words: string[]): string[][] {
  const k = waitWrapper(words) ? words.indexOf('--') : -1;
  return k > 0 && k < words.length - 1 ? [words.slice(0, k), ...argvCommands(words.slice(k + 1))] : [words];
}

/**
 * A command that runs another after `--`: a wait script (`wait-for-it.sh db:5432 -- …`, any `.sh`
 * script), dockerize. For other programs `--` ends their options (`pytest -- tests/`, `streamlit
 * run app.py -- /data/in.csv`; found by review).
 */
function waitWrapper(words: string[]): boolean {
  const name = baseName(words[0] ?? '');
  return /\.sh$/.test(name) || /^(wait-for-it|wait-for|waitforit|dockerize|wait4x)$/.test(name);
}

/** Whether the final image's CMD/ENTRYPOINT/HEALTHCHECK runs a program of that name. */
function startupRuns(a: Analysis): (name: string) => boolean {
  // (Not as a runner, `uv run spotdl`, `poetry run app`: the rewrite runs the command directly.)
  const ran = new Set(a.model.instructions.filter((i) => i.stage.reachesFinal && ['CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(i.keyword)).flatMap((i) => startupCommands(a.model.text.slice(i.start, i.end)).filter((w) => !w.slice(1).some((x) => /^(run|exec|shell)$/.test(x))).map((w) => baseName(w[0]))));
  return (name) => ran.has(name);
}

/** The programs a CMD/ENTRYPOINT/HEALTHCHECK runs (startupCommands), as base names. */
export function startupPrograms(text: string): string[] {
  return startupCommands(text).map((words) => baseName(words[0])).filter(Boolean);
}

function baseName(word: string): string {
  return word.split('/').pop()!;
}

/** Wrappers that run the program after their options, and which of those options take a value. */
const WRAPPER_VALUED: Record<string, RegExp> = {
  env: /^(-[uCS]|--unset|--chdir|--split-string)$/,
  exec: /^-a$/,
  command: /^$/,
  nohup: /^$/,
  nice: /^(-n|--adjustment)$/,
  timeout: /^(-s|--signal|-k|--kill-after)$/,
  sudo: /^(-[uUgCDhprt]|--user|--group)$/,
  'dumb-init': /^(-r|--rewrite)$/,
  tini: /^-[ep]$/,
  'tini-static': /^-[ep]$/,
};

/** A command's words without the wrappers in front that run the real program (env, exec, tini --, dumb-init, gosu/su-exec <user>). */
function unwrapped(words: string[]): string[] {
  let i = 0;
  for (;;) {
    const w = baseName(words[i] ?? '');
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i] ?? '')) i++;
    else if (WRAPPER_VALUED[w] !== undefined) {
      // Their options, with the values some take (`env -u NAME`, `tini -e 143`), up to and with `--`.
      i++;
      while (/^-/.test(words[i] ?? '')) {
        const opt = words[i++];
        if (opt === '--') break;
        if (WRAPPER_VALUED[w].test(opt)) i++;
      }
      if (w === 'timeout') i++; // the duration
    } else if (/^(gosu|su-exec)$/.test(w)) i += 2;
    else return words.slice(i);
  }
}

/** A CMD/ENTRYPOINT/HEALTHCHECK that runs a compiler needs the toolchain at run time: Optimize cannot move it. */
function checkStartupCompiles(a: Analysis, inst: InstructionModel): void {
  if (!['CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(inst.keyword)) return;
  const tool = startupCompiler(a.model.text.slice(inst.start, inst.end));
  if (tool) a.blockers.push(`the ${inst.keyword} at line ${inst.node.getRange().start.line + 1} runs ${tool} at start-up, which needs the build toolchain in the final image.`);
}

/** Splits an `apt-get install`/`apk add` into what stays and what the builder gets. True when something stays. */
function planInstall(a: Analysis, plan: RunPlan, unitIndex: number, call: PackageCall, purgedHere: Set<string>, absorbed: boolean, line: number): boolean {
  const base = a.base!;
  const manager = call.manager === 'apk' ? 'apk' : 'apt';
  const virtual = call.manager === 'apk' ? (call.args.options.get('--virtual') ?? call.args.options.get('-t'))?.[0]?.value : undefined;
  const edits: WordEdit[] = [];
  const added: string[] = [];
  let keptWords = 0;
  let keptSame = 0;
  const all = call.args.packages;
  const present = new Set([...a.installedNames, ...packageNames(call).names]);
  const repository = repositoryLine(a, call.cmd.start);
  const ppa = repositoryLine(a, call.cmd.start, PPA);
  /**
   * What one package of the install becomes in the final stage: itself (it stays), nothing (it
   * moved to the builder), or its run-time packages / the interpreter it brought.
   */
  const decide = (token: string): string[] => {
    const name = token.replace(/[=:~<>].*$/, '');
    const move = buildOnly(name, manager, purgedHere, virtual);
    const role = pythonPackageRole(name);
    if (base.kind === 'distro' && role) addOnce(a.buildPackages, token);
    // `apt-get install python3-gdal` on a distro Python: a module in the system's dist-packages,
    // which the app imported; the environment, made without --system-site-packages, does not see it
    // (found by review). (The standard library's parts, python3-tk, stay visible.)
    // uWSGI's and Apache's Python plugins embed the system Python, which imports from its own
    // site-packages unless told the environment (`--virtualenv`, WSGIPythonHome): found by review.
    if (/^(uwsgi-plugin-python3|libapache2-mod-wsgi-py3|uwsgi-python3)$/.test(name) && !a.installsInPlace) {
      a.blockers.push(`line ${line}: ${name} runs the app in the system's own Python, which does not see the virtual environment the packages move to (unless uWSGI gets --virtualenv, Apache WSGIPythonHome): Optimize does not rewrite that yet.`);
    }
    // (Alpine's py3-numpy alike, found by review.)
    if (base.kind === 'distro' && !role && (/^python3-/.test(name) || (manager === 'apk' && /^py3-/.test(name))) && !/-dev$|^python3-(tk|distutils|lib2to3|gdbm|full|all|doc|dbg|examples|idle)(-|$)|^py3-(tkinter|doc)$/.test(name)) {
      a.blockers.push(`line ${line}: ${name} puts a Python module into the system Python's ${manager === 'apk' ? 'site-packages' : 'dist-packages'}, which the virtual environment (made without --system-site-packages) does not see.`);
    }
    // python3-pip and python3-dev depend on python3-distutils (Debian up to bookworm, Ubuntu up to
    // jammy), which the old image's `import distutils` used: it stays in the final stage when they
    // move (found by review: undetected-chromedriver's `from distutils.version import …`).
    // python3-pip depends on ca-certificates too (Debian, Ubuntu), the system trust store urllib,
    // aiohttp and curl read: it stays when pip moves (found by review: TLS failed at run time).
    const distutils = (): string[] => {
      if (base.kind !== 'distro' || manager !== 'apt') return [];
      const out: string[] = [];
      const keep = (pkg: string) => {
        if (present.has(pkg) || a.addedRuntime.includes(pkg) || added.includes(pkg)) return;
        a.addedRuntime.push(pkg);
        out.push(pkg);
      };
      if (/^python3(\.\d+)?-(pip|dev)$/.test(name) && /^(buster|bullseye|bookworm|focal|jammy)$/.test(base.codename)) keep('python3-distutils');
      if (name === 'python3-pip') keep('ca-certificates');
      return out;
    };
    if (move === 'stay') {
      if (BUILD_HELPERS.has(name)) addOnce(a.buildPackages, token);
      if (role === 'tooling') {
        addOnce(a.movedPackages, name);
        // On a distro base the old file may get its interpreter only as a dependency of
        // python3-pip / python3-venv: the final stage then installs the interpreter itself (the
        // environment's python links to it).
        const interpreter = base.kind === 'distro' && !a.interpreterInstalled ? interpreterOf(name) : undefined;
        if (interpreter && ![...present].some((n) => pythonPackageRole(n) === 'interpreter')) {
          a.interpreterInstalled = true;
          a.derivedInterpreter = interpreter;
          a.notes.push(`line ${line}: ${name} goes to the builder; the final stage installs ${interpreter} instead (it came with ${name}, and the environment runs on it).`);
          return [interpreter, ...distutils()];
        }
        return distutils();
      }
      return [token];
    }
    let runtime = runtimeOf(name, manager, base.codename);
    // A compiler's own run-time library (Alpine's libstdc++ for g++), for what the builder compiles:
    // the old image had it while the compiler stayed; one the file deletes later (`apk del
    // .build-deps`) ran without it.
    const own = compilerRuntimeOf(name, manager);
    if (own.length && !removedInChain(a, name, virtual)) runtime = { packages: [...runtime.packages, ...own], known: true };
    // From a repository the file adds (apt.postgresql.org's postgresql-server-dev-16): the builder,
    // which does not add it, could not install it, and the build that needs it would fail there.
    if (repository !== undefined && !absorbed && !distroPackage(name, manager, base.codename)) a.blockers.push(`line ${a.model.positionAt(call.cmd.start).line + 1}: ${name} is installed after line ${repository} adds a package repository, which the builder stage does not add: slimdock cannot tell whether it comes from there.`);
    // A Launchpad PPA replaces the release's own packages with newer ones (ubuntugis' GDAL): the
    // builder, without it, would build against the release's version (found by review: GDAL 3.6
    // bindings against jammy's 3.4 headers).
    else if (ppa !== undefined && !absorbed && !a.blockers.some((b) => b.includes(`after line ${ppa} adds a PPA`))) a.blockers.push(`line ${a.model.positionAt(call.cmd.start).line + 1}: ${name} is installed after line ${ppa} adds a PPA, whose packages replace the release's: the builder stage, which does not add it, would build against the release's version.`);
    addOnce(a.buildPackages, token);
    if (!runtime.known && move === 'toolchain' && !COMPILERS.test(name)) {
      // No run-time package known: it stays (the app may need its library), said so above the RUN.
      // The explanation lines, then the suppression: the directive must close the comment block.
      plan.comments = [...plan.comments.filter((c) => c !== '# slimdock: ignore=SD203'), `# slimdock: no run-time package known for ${name}: kept in the final image`, '# slimdock: ignore=SD203'];
      a.notes.push(`${name} (line ${line}) has no run-time counterpart in slimdock's table: it stays in the final image; replace it with the library package the app needs.`);
      return [token];
    }
    addOnce(a.movedPackages, name);
    const fresh = runtime.packages.filter((p) => !present.has(p) && !added.includes(p) && !a.addedRuntime.includes(p));
    added.push(...fresh);
    fresh.forEach((p) => addOnce(a.addedRuntime, p));
    return [...fresh, ...distutils()];
  };
  for (const w of all) {
    const value = w.dynamic ? substitute(w.value, call.cmd.vars) : w.value;
    const tokens = value.split(/\s+/).filter(Boolean);
    if (absorbed) {
      // A replaced stage: everything it installs is the builder's.
      if (w.dynamic && tokens.length !== 1) tokens.forEach((t) => !t.includes('$') && addOnce(a.buildPackages, t.replace(/[=:~<>].*$/, '')));
      else addOnce(a.buildPackages, w.value);
      continue;
    }
    if (w.dynamic && value.includes('$')) {
      // Part of the list is unknown: which of it the builder needs, and which the app, too.
      a.blockers.push(`line ${line}: the package list ${w.raw} holds a variable slimdock cannot read.`);
      keptWords++;
      continue;
    }
    const out = tokens.flatMap(decide);
    const same = out.length === tokens.length && out.every((t, k) => t === tokens[k]);
    if (same) keptSame++;
    if (same) keptWords++;
    else if (out.length === 0) edits.push(removeWord(call, w));
    else {
      // A list from a variable (`$buildDeps`) becomes the literal list of what stays.
      edits.push({ start: w.start, end: w.end, text: out.join(' ') });
      keptWords++;
    }
  }
  // The install's own variables (`DEBIAN_FRONTEND=noninteractive`, `ACCEPT_EULA=Y`) go with what
  // moves to the builder's install (found by review: tzdata's question hung the build).
  if (absorbed || edits.length || keptWords === 0) for (const [k, v] of call.cmd.assignments) (a.buildEnv ??= new Map()).set(k, v);
  if (absorbed) return false;
  if (keptWords === 0) {
    plan.keep[unitIndex] = false;
    // Its `--virtual` group is not made in the final stage: a later `apk del` of it would fail there.
    if (virtual) (a.goneGroups ??= new Set()).add(virtual);
    return false;
  }
  // What stays of a `--virtual .build-deps` install is what the app needs at run time (libpq for
  // the psycopg2 built in the builder): not a build group a later `apk del .build-deps` (here or in
  // an image built on this one) would take away; the group is no more (found by review).
  // (Not where a package of the group stays as itself, `curl`: the group, and a later `apk del` of it, stay.)
  if (virtual && edits.length && keptSame === 0) {
    const argv = call.cmd.argv;
    const at = argv.findIndex((w, k) => ((w.value === '--virtual' || w.value === '-t') && argv[k + 1]?.value === virtual) || w.value === `--virtual=${virtual}`);
    if (at > 0) {
      edits.push(removeWord(call, argv[at]));
      if (argv[at].value !== `--virtual=${virtual}`) edits.push(removeWord(call, argv[at + 1]));
      (a.goneGroups ??= new Set()).add(virtual);
    }
  }
  plan.edits.set(unitIndex, [...(plan.edits.get(unitIndex) ?? []), ...edits]);
  return true;
}

/** How a package relates to building: purged after use, in an apk build group, a toolchain, or it stays. */
function buildOnly(name: string, manager: 'apt' | 'apk', purged: Set<string>, virtual: string | undefined): 'purged' | 'toolchain' | 'stay' {
  if ([...purged].some((p) => p === name || (p.includes('*') && new RegExp(`^${p.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(name)))) return 'purged';
  if (virtual && purged.has(virtual)) return 'purged';
  return isToolchain(name, manager) ? 'toolchain' : 'stay';
}

/** The chain deletes `name` (or the `--virtual` group it came in) somewhere: `apk del`, `apt-get purge` … */
function removedInChain(a: Analysis, name: string, virtual: string | undefined): boolean {
  const removed = new Set<string>();
  for (const inst of a.chain.flatMap((st) => st.instructions)) {
    for (const c of inst.run?.commands ?? []) {
      const call = packageCall(c);
      if (call && isSub(call, 'purge', 'remove', 'del', 'autoremove')) packageNames(call).names.forEach((n) => removed.add(n));
    }
  }
  return buildOnly(name, 'apk', removed, virtual) === 'purged';
}

/** Deletes a package word with the blank (or continuation) before it. */
function removeWord(call: PackageCall, w: Word): WordEdit {
  const before = call.cmd.argv.filter((x) => x.end <= w.start).pop();
  return { start: before ? before.end : w.start, end: w.end, text: '' };
}

function addOnce(list: string[], item: string): void {
  if (!list.includes(item)) list.push(item);
}

/** A package the distro ships (slimdock's Debian size table, its run-time table) or a compiler. */
function distroPackage(name: string, manager: 'apt' | 'apk', codename: string): boolean {
  return runtimeOf(name, manager, codename).known || COMPILERS.test(name) || (manager === 'apt' && aptSize(name) !== undefined);
}

/** A command that adds a Launchpad PPA; not one known to ship a tool only (git-core's git: found by review). */
const PPA = /\bppa:(?!(git-core|ansible|neovim-ppa)\/)|ppa\.launchpad(content)?\.net\/(?!(git-core|ansible|neovim-ppa)\/)/;

/** The line of the first command of the chain before `offset` that adds a package repository (one `adds` matches). */
function repositoryLine(a: Analysis, offset: number, adds = ADDS_REPOSITORY): number | undefined {
  for (const inst of a.chain.flatMap((s) => s.instructions)) {
    if (inst.start > offset) break;
    const c = (inst.run?.commands ?? []).find((x) => x.start < offset && adds.test(withRedirect(a.model.text, x)));
    if (c) return a.model.positionAt(c.start).line + 1;
  }
  return undefined;
}

/**
 * The builder installs every OS package the old installs ran with (those installed before the last
 * of them): compilers and headers, but also a library whose headers come without `-dev` in the
 * name, or a tool a build backend calls. The builder is not shipped, so this costs build time only.
 */
function finishPackages(a: Analysis): void {
  const last = a.ops[a.ops.length - 1];
  // Installs in a replaced builder stage ran with that stage's packages only (collected already).
  if (!last || !last.inst.stage.reachesFinal) return;
  const all: string[] = [];
  // Packages from a repository the file adds (apt.postgresql.org, a PPA) cannot be installed in the
  // builder, which does not add it: from the first such addition on, none is taken.
  let ownRepository = false;
  let repositoryAt = 0;
  for (const inst of a.chain.flatMap((s) => s.instructions)) {
    if (inst.start > last.inst.start) break;
    for (const c of inst.run?.commands ?? []) {
      if (!ownRepository && ADDS_REPOSITORY.test(withRedirect(a.model.text, c))) {
        ownRepository = true;
        repositoryAt = a.model.positionAt(c.start).line + 1;
      }
      const call = packageCall(c);
      if (call && (call.manager === 'apt' || call.manager === 'apk') && isSub(call, 'install', 'add')) {
        for (const w of call.args.packages) {
          for (const t of (w.dynamic ? substitute(w.value, c.vars) : w.value).split(/\s+/)) {
            if (!t || t.includes('$') || t.startsWith('.')) continue;
            if (!ownRepository) addOnce(all, t);
            // Headers the build may have used, from that repository (postgresql-server-dev-16's pg_config).
            else if (/-(dev|devel|headers)(-[\d.]+)?$|-dev-[\d.]+$/.test(t.replace(/[=:~<>].*$/, '')) && !distroPackage(t.replace(/[=:~<>].*$/, ''), call.manager, a.base?.codename ?? '')) {
              a.blockers.push(`line ${a.model.positionAt(c.start).line + 1}: ${t} is installed after line ${repositoryAt} adds a package repository, which the builder stage does not add: the build may need it.`);
            }
          }
        }
      }
    }
  }
  a.buildPackages = [...a.buildPackages, ...all.filter((p) => !a.buildPackages.includes(p))];
}

// ---------------------------------------------------------------------------------------------
// Commands

/**
 * True when an install reads files of its working folder: requirement, constraint or local
 * package paths, or (uv sync, poetry, pipenv, conda …) the project there. `pip install flask` does not.
 */
function readsFolder(op: PyOp): boolean {
  if (!op.pkg) return true;
  const { pkg } = op;
  if (pkg.requirementFiles.length || pkg.constraintFiles.length || pkg.editables.length) return true;
  if ([...pkg.options.entries()].some(([o, v]) => /^(-f|--find-links|-c|--constraint)$/.test(o) && v.some((w) => !isRemoteUrl(w.value)))) return true;
  return pkg.packages.some((w) => requirementName(w.value) === undefined && !isRemoteUrl(w.value.replace(/^[\w.-]+\s*@\s*/, '')));
}

/** Options of `python -m venv`, `virtualenv` and `uv venv` that take a value (the folder is the first other word). */
const VENV_VALUE_OPTIONS = new Set(['-p', '--python', '--prompt', '--index-url', '--extra-index-url', '--index', '--cache-dir', '--link-mode', '--index-strategy', '--keyring-provider', '--exclude-newer', '--directory', '--project']);

/** Records the folder a venv command makes (its first word after `venv`/`virtualenv` that is no option; uv's default `.venv`). */
function recordVenv(a: Analysis, inst: InstructionModel, cmd: ShellCommand, from: number, uvDefault: boolean): void {
  const words = cmd.argv.slice(from);
  let dir: ShellCommand['argv'][number] | undefined;
  for (let i = 0; i < words.length; i++) {
    if (VENV_VALUE_OPTIONS.has(words[i].value)) i++;
    else if (!words[i].value.startsWith('-')) {
      dir = words[i];
      break;
    }
  }
  const value = dir ? substitute(dir.value, inst.env) : uvDefault ? '.venv' : '';
  const path = value.includes('$') ? '' : resolvePath(inst.workdir, value).replace(/\/+$/, '');
  if (path) (a.venvPaths ??= new Set()).add(path);
  const text = path && dir && value.startsWith('/') ? buildArgPath(inst, dir.value) : undefined;
  if (text) (a.venvTexts ??= new Map()).set(path, text);
}

/** `path` written through the build arguments of the folder it is in (dirTexts): `/srv/app/.venv` → `${APP_HOME}/.venv`. */
export function symbolicPath(a: Analysis, path: string): string {
  let best: [string, string] | undefined;
  for (const [dir, text] of a.dirTexts ?? []) if (dir !== '/' && isUnder(path, dir) && (!best || dir.length > best[0].length)) best = [dir, text];
  return best ? `${best[1]}${path.slice(best[0].length)}` : path;
}

/**
 * `raw`, a path written with variables (absolute once they are read: the caller's to check), when
 * each of them is a build argument the stage declares before `inst`, or an ENV that hands one on
 * under its name (not another ENV, whose value stays; nor HOME): the text that follows a
 * `--build-arg` where the resolved path would keep the default.
 */
export function buildArgPath(inst: InstructionModel, raw: string): string | undefined {
  if (!/^[/$]/.test(raw) || !raw.includes('$') || !/^[\w./@+${}-]+$/.test(raw)) return undefined;
  const names = [...raw.matchAll(/\$\{?(\w+)\}?/g)].map((m) => m[1]);
  if (raw.replace(/\$\{\w+\}|\$\w+/g, '').includes('$')) return undefined;
  const setter = new Map<string, string>();
  for (const i of lineage(inst.stage)) {
    if (i.start >= inst.start && i.stage === inst.stage) break;
    if (i.keyword === 'ARG') for (const d of argDeclarations(i)) setter.set(d.name, 'ARG');
    else if (i.keyword === 'ENV') {
      // `ENV VENV_PATH=${VENV_PATH}` hands the build argument on: the name still reads it.
      for (const p of envDeclarations(i)) setter.set(p.name, new RegExp(`^\\$\\{?${p.name}\\}?$`).test(p.value ?? '') && setter.get(p.name) === 'ARG' ? 'ARG' : 'ENV');
    }
  }
  return names.every((n) => setter.get(n) === 'ARG') ? raw.replace(/\/+$/, '') : undefined;
}

/**
 * `chown -R app /opt/venv` of an environment the old file made (and the builder makes now), before
 * the installs: it goes with it, or it would fail on the missing folder (found by review), and the
 * environment's copy takes the owner. A `chgrp`/`chmod` there (`chmod -R g=u`, OpenShift's group
 * write) has no COPY flag that says it: refused. After the installs, where the copy is in place,
 * they stay.
 */
function venvOwnership(a: Analysis, inst: InstructionModel, cmd: ShellCommand): Classified | undefined {
  // (Before the installs of the final stage's chain: another stage's `pip wheel` is not one; found by review.)
  if (!['chown', 'chmod', 'chgrp'].includes(cmd.name) || !a.venvPaths?.size || a.ops.some((o) => a.chain.includes(o.inst.stage))) return undefined;
  const words = cmd.argv.slice(1).filter((w) => !w.value.startsWith('-')).map((w) => substitute(w.value, inst.env));
  const paths = words.slice(1);
  if (!paths.length || words.some((w) => w.includes('$'))) return undefined;
  const venv = [...a.venvPaths];
  if (!paths.every((w) => venv.some((v) => isUnder(resolvePath(inst.workdir, w).replace(/\/+$/, ''), v)))) return undefined;
  const line = inst.node.getRange().start.line + 1;
  if (cmd.name !== 'chown') return { role: 'other', blocker: `\`${cmd.name}\` of the environment the old file made (${paths.join(' ')}) before its installs: the builder makes the environment now, and its COPY cannot say that mode or group.` };
  const owner = recursiveCall(cmd)?.spec;
  if (owner) a.venvChown ??= { owner: substitute(owner.value, inst.env), line };
  return { role: 'venv' };
}

function classify(a: Analysis, inst: InstructionModel, cmd: ShellCommand): Classified {
  const owned = venvOwnership(a, inst, cmd);
  if (owned) return owned;
  const argv = cmd.argv.map((w) => w.value);
  const pip = pipCall(cmd);
  if (pip) {
    const sub = pip.sub?.value;
    if (sub === 'install' || sub === 'wheel') {
      const pkg = installArgs(pip.args);
      const tools = pkg.packages.map((w) => requirementName(w.value));
      // (Not a tool the image itself runs, `CMD ["poetry", "--version"]`: it is what the image is
      // for, installed like any package; found by review.)
      const runs = (a.runsTool ??= startupRuns(a));
      const onlyTools = pkg.requirementFiles.length === 0 && pkg.editables.length === 0 && pkg.packages.length > 0 && tools.every((n) => n && (PACKAGING_TOOLS.has(n) || n === 'pip' || n === 'setuptools' || n === 'wheel' || n === 'virtualenv') && !(PACKAGING_TOOLS.has(n) && runs(n)));
      if (onlyTools) {
        const offline = pkg.options.has('--no-index') || cmd.env.has('PIP_NO_INDEX');
        pkg.packages.forEach((w) => {
          const name = requirementName(w.value);
          if (!name) return;
          // A version pinned earlier stays when a later install names the tool without one.
          const version = /^[A-Za-z-]+==([\w.]+)$/.exec(w.value)?.[1] ?? a.toolSpecs.get(name)?.version ?? '';
          a.toolSpecs.set(name, { raw: w.raw, version, offline, upgrade: pkg.options.has('--upgrade') || pkg.options.has('-U') });
        });
        return { role: 'tooling' };
      }
      return { role: 'install', op: { kind: 'pip', action: sub, inst, cmd, args: pip.args, pkg } };
    }
    if (sub === 'uninstall') return { role: 'install', op: { kind: 'pip', action: sub, inst, cmd, args: pip.args } };
    if (sub === 'cache') return { role: 'housekeeping' };
    if (sub === 'config') {
      a.notes.push(`\`pip config\` (line ${inst.node.getRange().start.line + 1}) was dropped: uv does not read pip's configuration; set UV_* variables instead.`);
      return { role: 'tooling' };
    }
    // Its output written to a file (`pip freeze > /app/installed.txt`): the file is the point, so the
    // command stays (the environment then gets a pip of its own: index.ts). Found by review.
    const writesFile = /^[ \t]*(?:\\\r?\n[ \t]*)*\d?>>?[ \t]*[^\s&|;>]/.test(a.model.text.slice(cmd.end, cmd.end + 256));
    if (writesFile && ['freeze', 'list', 'show', 'inspect'].includes(sub ?? '')) return { role: 'other' };
    // `pip check` fails the build on a broken set (`--no-deps` installs): in place (system mode) it
    // stays, the final stage has pip; otherwise the builder runs `uv pip check` (found by review).
    if (sub === 'check' && a.installsInPlace) return { role: 'other' };
    if (sub === 'check') a.pipCheck ??= inst.node.getRange().start.line + 1;
    if (!sub || ['freeze', 'list', 'show', 'check', 'debug', 'inspect'].includes(sub) || argv.includes('--version') || argv.includes('-V')) return { role: 'tooling' };
    return { role: 'other', blocker: `pip ${sub} is not rewritten by Optimize.` };
  }
  const uv = uvCall(cmd);
  if (uv) {
    const sub = uv.sub?.value;
    if (sub === 'pip' && ['install', 'sync'].includes(uv.args[0]?.value ?? '')) {
      const pkg = installArgs(uv.args.slice(1), UV_PIP_VALUE_OPTIONS);
      return { role: 'install', op: { kind: 'uv-pip', action: uv.args[0].value, inst, cmd, args: uv.args.slice(1), pkg } };
    }
    if (sub === 'pip' && uv.args[0]?.value === 'uninstall') return { role: 'install', op: { kind: 'uv-pip', action: 'uninstall', inst, cmd, args: uv.args.slice(1) } };
    if (sub === 'sync') return { role: 'install', op: { kind: 'uv-sync', action: 'sync', inst, cmd, args: uv.args } };
    if (sub === 'venv') {
      recordVenv(a, inst, cmd, cmd.argv.indexOf(uv.sub!) + 1, true);
      return { role: 'venv' };
    }
    // uv leaves the final image (unless its base is uv's own): a `uv cache clean` there would fail.
    if (sub === 'cache') return { role: a.base?.hasUv ? 'housekeeping' : 'tooling' };
    if (sub === 'python' || sub === 'lock' || sub === undefined || argv.includes('--version')) return { role: 'tooling' };
    return { role: 'other', blocker: `uv ${sub} is not rewritten by Optimize.` };
  }
  const poetry = toolCall(cmd, 'poetry');
  if (poetry) {
    const sub = poetry.sub?.value;
    if (sub === 'install' || sub === 'sync') return { role: 'install', op: { kind: 'poetry', action: 'install', inst, cmd, args: poetry.args } };
    if (sub === 'export') {
      a.exported = true;
      return { role: 'tooling' };
    }
    if (!sub || ['config', 'self', 'lock', 'check', 'about', 'env', 'debug', 'source'].includes(sub) || argv.includes('--version')) return { role: 'tooling' };
    return { role: 'other', blocker: `poetry ${sub} needs poetry in the final image.` };
  }
  const pipenv = toolCall(cmd, 'pipenv');
  if (pipenv) {
    const sub = pipenv.sub?.value;
    if (sub === 'install' || sub === 'sync') return { role: 'install', op: { kind: 'pipenv', action: sub, inst, cmd, args: pipenv.args } };
    if (sub === 'requirements' || sub === 'lock') {
      a.exported = true;
      return { role: 'tooling' };
    }
    if (!sub || argv.includes('--version') || sub === 'check' || sub === 'clean') return { role: 'tooling' };
    return { role: 'other', blocker: `pipenv ${sub} needs pipenv in the final image.` };
  }
  if (toolCall(cmd, 'pdm')) return { role: 'other', blocker: 'pdm projects are not rewritten by Optimize yet.' };
  if (cmd.name === 'hatch' || cmd.name === 'pipx') return { role: 'other', blocker: `${cmd.name} ${cmd.argv[1]?.value ?? ''} installs at build time in the image: Optimize does not rewrite ${cmd.name} yet.`.replace('  ', ' ') };
  const conda = condaCall(cmd);
  if (conda) {
    const sub = conda.sub?.value;
    if (sub && ['install', 'create', 'env', 'update', 'remove', 'uninstall'].includes(sub)) return { role: 'install', op: { kind: 'conda', action: sub, inst, cmd, args: conda.args } };
    if (sub === 'clean') return { role: 'housekeeping' };
    if (!sub || ['config', 'init', 'info', 'list', 'activate', 'shell', 'self-update'].includes(sub) || argv.includes('--version')) return { role: 'tooling' };
    return { role: 'other', blocker: `${conda.tool} ${sub} is not rewritten by Optimize.` };
  }
  if (/^python(\d+(\.\d+)?)?$/.test(cmd.name)) {
    const m = argv.indexOf('-m');
    if (m > 0 && (argv[m + 1] === 'venv' || argv[m + 1] === 'virtualenv')) {
      recordVenv(a, inst, cmd, m + 2, false);
      return { role: 'venv' };
    }
    const setup = argv.findIndex((w) => /(^|\/)setup\.py$/.test(w));
    if (setup > 0 && ['install', 'develop'].includes(argv[setup + 1] ?? '')) return { role: 'install', op: { kind: 'setup-py', action: 'install', inst, cmd, args: cmd.argv.slice(setup) } };
    if (argv.some((w) => /get-pip\.py$/.test(w)) || (m > 0 && argv[m + 1] === 'ensurepip')) return { role: 'tooling' };
  }
  if (cmd.name === 'virtualenv') {
    recordVenv(a, inst, cmd, 1, false);
    return { role: 'venv' };
  }
  if ((cmd.name === 'source' || cmd.name === '.') && /\/bin\/activate$/.test(argv[1] ?? '')) return { role: 'tooling' };
  const call = packageCall(cmd);
  if (call) {
    if (call.manager === 'apt' || call.manager === 'apk') {
      if (isSub(call, 'install', 'add', 'update', 'purge', 'remove', 'del', 'autoremove', 'clean', 'autoclean')) return { role: 'pkg', call };
      return { role: 'other' };
    }
    if (packageNames(call).names.some((n) => isToolchain(n, call.manager))) return { role: 'other', blocker: `${call.tool} installs build packages: Optimize moves apt and apk packages only.` };
    return { role: 'other' };
  }
  if (cmd.name === 'rm') {
    const copies = consumedCopies(a, inst, cmd);
    // In place (system mode) the COPY stays, and so does the rm of what it copied (found by review: a
    // wheel left in /tmp); but another stage's files the install mounts from there instead (as for
    // fedCopies: `COPY --from=build /src/dist/*.whl /tmp/`, `rm -f /tmp/*.whl`), the rm kept.
    if (copies && a.installsInPlace) return copies.every((c) => c.keyword === 'COPY' && c.flags.has('from')) && a.ops.some((o) => o.inst === inst) ? { role: 'other', copies } : { role: 'other' };
    if (copies) return { role: 'consumed', copies };
    // `rm -rf /tmp/*` after an install from `COPY --from=builder /dist/*.tar.gz /tmp/`: the COPY
    // goes (the install that read it moved), the rm stays for what else is there (found by review).
    // (In place, system mode, the install stays and mounts them from that stage.)
    const fed = fedCopies(a, inst, cmd);
    if (fed) return { role: 'other', copies: fed };
    const targets = cmd.argv.slice(1).filter((w) => !w.value.startsWith('-'));
    const paths = targets.map((w) => expandPath(w.value.replace(/\/\*+$/, ''), inst, cmd.env));
    if (targets.length && paths.every((p) => CACHE_PATHS.some((c) => isUnder(p, c)) || /\/\.cache(\/|$)/.test(p))) {
      // In place the COPYs stay: the rm of what one put there (`COPY requirements.txt /tmp/`, then
      // `rm -rf /tmp/*`) stays too, or the file would be left in the image (found by review).
      if (a.installsInPlace && keptCopyUnder(a, inst, paths)) return { role: 'other' };
      return { role: 'housekeeping' };
    }
    return { role: 'other' };
  }
  // `cd` only matters to what follows it in the RUN: alone (its install moved) it does nothing.
  if (cmd.name === 'set' || cmd.name === 'true' || cmd.name === ':' || cmd.name === 'yes' || cmd.name === 'cd') return { role: 'neutral' };
  return { role: 'other' };
}

/** True when a COPY/ADD of the chain before `inst` that the rewrite keeps (not one of `except`) put files under one of `paths`. */
function keptCopyUnder(a: Analysis, inst: InstructionModel, paths: string[], except: InstructionModel[] = []): boolean {
  const chain = a.chain.flatMap((s) => s.instructions);
  return chain.slice(0, chain.indexOf(inst)).some((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && !except.includes(i) && !a.removed.has(i) && copyDestinations(i).some((d) => paths.some((p) => isUnder(d, p))));
}

/**
 * The COPY/ADDs of the chain whose every destination this `rm` deletes, when dropping them and
 * the `rm` together changes nothing: no kept instruction between them (nor another command of
 * the RUN) names what was copied, and no other COPY put files under the removed paths. Typical:
 * `COPY ./ mvt` then `RUN pip install ./mvt && rm -rf ./mvt`, the install moving to the builder.
 */
function consumedCopies(a: Analysis, inst: InstructionModel, cmd: ShellCommand): InstructionModel[] | undefined {
  if (!inst.stage.reachesFinal) return undefined;
  const targets = cmd.argv.slice(1).filter((w) => !w.value.startsWith('-'));
  // A glob only in the last part, the very one a COPY wrote (`COPY dist/*.whl /tmp/` then
  // `rm -f /tmp/*.whl`; found by review: the wheels stayed in the final image).
  const glob = (v: string) => /[*?[]/.test(v);
  if (!targets.length || targets.some((w) => w.dynamic || glob(w.value.replace(/\/+$/, '').replace(/[^/]*$/, '')))) return undefined;
  const paths = targets.map((w) => expandPath(w.value.replace(/\/+$/, ''), inst, cmd.env));
  if (paths.some((p) => p === '/' || p.includes('$'))) return undefined;
  const chain = a.chain.flatMap((s) => s.instructions);
  const before = chain.slice(0, chain.indexOf(inst));
  const copies: InstructionModel[] = [];
  for (const p of paths) {
    const into = before.filter((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && copyDestinations(i).some((d) => (glob(p) ? d === p : isUnder(d, p) || isUnder(p, d))));
    if (into.length === 0) return undefined;
    for (const c of into) {
      // Every file the COPY wrote is under a removed path (not: `COPY . /app` then `rm /app/x`).
      if (a.removed.has(c) || !copyDestinations(c).every((d) => paths.some((q) => isUnder(d, q)))) return undefined;
      if (!copies.includes(c)) copies.push(c);
    }
  }
  // (For a glob, what it matches by: `.whl` of `*.whl`.)
  const names = [...new Set(paths.map((p) => p.split('/').pop()!.replace(/^.*[*?\]]/, '')))].filter(Boolean);
  if (names.length < paths.length) return undefined;
  const mentions = (text: string) => names.some((n) => text.includes(n));
  const first = copies.reduce((x, c) => Math.min(x, c.start), Infinity);
  for (const i of before) {
    if (i.start <= first || copies.includes(i) || a.removed.has(i)) continue;
    if (i.keyword === 'WORKDIR' || mentions(keptText(a, i))) return undefined;
  }
  // Other commands of this RUN that stay (not installs, which move, nor package-manager calls).
  for (const c of inst.run!.commands) {
    if (c === cmd || pipCall(c) || uvCall(c) || packageCall(c) || toolCall(c, 'poetry') || toolCall(c, 'pipenv')) continue;
    if (mentions(a.model.text.slice(c.start, c.end))) return undefined;
  }
  return copies;
}

/**
 * The COPYs of another stage's files into a folder an `rm` empties by `<folder>/*`, when nothing
 * kept reads them: only the install, which moved to the builder (where it mounts them), did. The
 * rm stays: the folder may hold other files.
 */
function fedCopies(a: Analysis, inst: InstructionModel, cmd: ShellCommand): InstructionModel[] | undefined {
  if (!inst.stage.reachesFinal) return undefined;
  const targets = cmd.argv.slice(1).filter((w) => !w.value.startsWith('-'));
  if (targets.length !== 1 || targets[0].dynamic || !/\/\*$/.test(targets[0].value)) return undefined;
  const dir = expandPath(targets[0].value.replace(/\/\*$/, ''), inst, cmd.env);
  if (dir === '/' || dir.includes('$') || /[*?[]/.test(dir)) return undefined;
  const chain = a.chain.flatMap((s) => s.instructions);
  const before = chain.slice(0, chain.indexOf(inst));
  // (From the context too, in a builder layout: `COPY requirements.txt /tmp/`, which the builder
  // mounts from the context; found by review: the file stayed in the final image's /tmp.)
  const copies = before.filter((i) => i.keyword === 'COPY' && (i.flags.has('from') || (!a.installsInPlace && i.flags.size === 0)) && !a.removed.has(i) && copyDestinations(i).every((d) => d.slice(0, d.lastIndexOf('/')) === dir));
  if (!copies.length) return undefined;
  // In place the install mounts the folder from that stage, which would hide what another kept COPY
  // put there (`COPY requirements.txt /tmp/`): then the COPYs stay, and the rm (found by review).
  if (a.installsInPlace && keptCopyUnder(a, inst, [dir], copies)) return undefined;
  // What the moved installs read is what they copied (a name or its pattern's suffix: `.tar.gz` of `*.tar.gz`).
  const names = [...new Set(copies.flatMap(copyDestinations).map((d) => d.split('/').pop()!.replace(/^.*[*?\]]/, '')))];
  if (names.some((n) => !n)) return undefined;
  const reads = (text: string) => names.some((n) => text.includes(n));
  const first = Math.min(...copies.map((c) => c.start));
  for (const i of before) {
    if (i.start <= first || copies.includes(i) || a.removed.has(i)) continue;
    if (i.keyword === 'WORKDIR' || reads(keptText(a, i))) return undefined;
  }
  // Read by an install that moved (not by nothing: then the COPY is the user's, for the image).
  if (!a.ops.some((o) => o.inst.start > first && reads(a.model.text.slice(o.cmd.start, o.cmd.end)))) return undefined;
  for (const c of inst.run!.commands) {
    if (c === cmd || pipCall(c) || uvCall(c) || packageCall(c)) continue;
    if (reads(a.model.text.slice(c.start, c.end))) return undefined;
  }
  return copies;
}

/** Where a COPY/ADD puts files: each source's path under a folder destination, or the destination. */
function copyDestinations(i: InstructionModel): string[] {
  const args = i.args.map((w) => substitute(w.getValue(), i.env));
  // Unknown (a variable left, a heredoc): anywhere, so nothing counts as deleted again.
  if (args.length < 2 || args.some((s) => s.includes('$') || s.startsWith('<<'))) return ['/'];
  const sources = args.slice(0, -1);
  const raw = args[args.length - 1];
  const dest = resolvePath(i.workdir, raw);
  const intoFolder = raw.endsWith('/') || sources.length > 1 || /(^|\/)\.\.?$/.test(raw) || dest === resolvePath('/', i.workdir);
  // A folder source (`.`, `src/`) copies its contents into the destination.
  return sources.map((s) => (intoFolder && !/^\.?\/?$/.test(s) && !s.endsWith('/') ? resolvePath(dest, s.split('/').pop()!) : dest));
}

/**
 * A COPY of a few files (the dependency manifests) that a later whole-context COPY of the chain
 * writes again, to the same paths, with nothing kept in between reading them: it only fed the
 * install that moved to the builder (taiga: `COPY requirements.txt ./`, later `COPY . /taiga-back`).
 */
function removeOverwrittenCopies(a: Analysis): void {
  const chain = a.chain.flatMap((s) => s.instructions);
  const plain = (i: InstructionModel) => (i.keyword === 'COPY' || i.keyword === 'ADD') && i.flags.size === 0 && !a.removed.has(i);
  for (const c of chain) {
    if (!plain(c) || c.keyword !== 'COPY') continue;
    const args = c.args.map((w) => w.getValue());
    const sources = args.slice(0, -1);
    if (sources.length === 0 || args.some((v) => /[$*?[]|^<</.test(v)) || sources.some((v) => /^\.?\/?$/.test(v) || v.endsWith('/'))) continue;
    // `.git` named on purpose: the rules would read its absence as room to exclude it (SD402); a
    // secret-like file (`.env`) too: SD403's fix would then leave it out (found by review).
    if (sources.some((v) => /^(\.\/)?\.git(\/|$)/.test(v) || secretName(v.split('/').pop() ?? ''))) continue;
    const dests = copyDestinations(c);
    const later = chain.slice(chain.indexOf(c) + 1);
    const whole = later.find((w) => {
      if (w.keyword !== 'COPY' || w.flags.has('from') || w.flags.has('exclude') || w.flags.has('parents')) return false;
      const wargs = w.args.map((x) => x.getValue());
      if (wargs.length !== 2 || !/^\.\/?$/.test(wargs[0]) || wargs[1].includes('$')) return false;
      const into = resolvePath(w.workdir, wargs[1]);
      return sources.every((src, k) => resolvePath(into, src) === dests[k]);
    });
    if (!whole) continue;
    const names = [...new Set(sources.map((v) => v.split('/').pop()!))];
    const between = later.slice(0, later.indexOf(whole));
    const reads = between.some((i) => {
      if (a.removed.has(i)) return false;
      const kept = keptText(a, i);
      if (i.keyword === 'WORKDIR' || names.some((n) => kept.includes(n))) return true;
      // A tool reads its config from the folder it runs in without naming it (`mkdocs build` reads
      // mkdocs.yml, `prisma generate` schema.prisma, `dbt deps` dbt_project.yml: found by review).
      if (i.keyword !== 'RUN') return false;
      const commands = keptCommands(i, a.plans.get(i));
      // Requirements files are read by name, but for pip-tools' defaults (`pip-sync`, `pip-compile`).
      const requirementsOnly = names.every((n) => /^requirements[\w.-]*\.(txt|in)$/.test(n));
      return (i.run?.hasError ?? true) || commands.some((cmd) => (requirementsOnly ? /^pip-(sync|compile)$/.test(cmd.name) : !readsNoFolder(cmd)));
    });
    if (reads) continue;
    a.removed.add(c);
    a.notes.push(`line ${c.node.getRange().start.line + 1}: COPY removed: the COPY at line ${whole.node.getRange().start.line + 1} copies the same files again, and only the install that runs in the builder stage now read them in between.`);
  }
}

/**
 * Commands that read no file of the folder they run in unless they name it: package managers, user
 * and folder set-up, downloads, and `rm`/`chmod`/`chown`/`ln` of absolute paths.
 */
function readsNoFolder(cmd: ShellCommand): boolean {
  if (NAMES_ONLY.has(cmd.name)) return true;
  if (cmd.name === 'mkdir') return true;
  if (/^(rm|chmod|chown|chgrp|ln|touch)$/.test(cmd.name)) return cmd.argv.slice(1).every((w) => !w.dynamic && (w.value.startsWith('-') || w.value.startsWith('/') || /^[\w.-]+:[\w.-]*$|^[0-7]{3,4}$|^[ugoa]*[+=-][rwxXst]*$/.test(w.value)));
  return false;
}

const NAMES_ONLY = new Set('apt-get apt apk dpkg dnf yum microdnf useradd groupadd adduser addgroup usermod echo printf curl wget locale-gen update-ca-certificates update-alternatives true set export'.split(' '));

/** The interpreter package a Python tooling package brings (`python3.11-venv` → `python3.11`, `py3-pip` → `python3`). */
function interpreterOf(name: string): string | undefined {
  const m = /^python(3(?:\.\d+)?)-/.exec(name);
  if (m) return `python${m[1]}`;
  return /^py3-/.test(name) ? 'python3' : undefined;
}
