// Layer rules (SD404–SD406): what one layer creates and a later one only hides, recursive
// chown/chmod that copies files into a new layer, and RUNs that could be one.
import type { DockerfileRule } from './rule';
import type { DockerfileContext } from '../context';
import type { DockerfileModel, InstructionModel, StageModel } from '../parse/dockerfile';
import { isUnder, resolvePath, shipsPath, substitute } from '../parse/dockerfile';
import type { ShellCommand, Word } from '../parse/shell';
import { pipCall, uvCall, installArgs, pipInstallArgs, expandPath, mountCovers } from './commands';
import { pipCacheDir } from './python';
import { replaceSpan, insertAt, dropInstruction } from './edits';
import { packageCall, isSub, instructionsBefore, instructionText, appendToRun, rootImage, type PackageCall } from './os-commands';
import { parseImage } from './base';
import { lineageHas, childStages, stagesOf } from './lineage';
import type { Fix, TextEdit } from '../types';

export interface Creation {
  inst: InstructionModel;
  path: string;
  what: string;
  /** A COPY/ADD destination: only removing that path (or a folder above it) removes what was copied. */
  copied?: boolean;
  /** The RUN's command that creates it. */
  cmd?: ShellCommand;
}

/** Instructions of a stage and of the stages it is built FROM, in build order. */
export function lineage(stage: StageModel): InstructionModel[] {
  return stagesOf(stage).flatMap((s) => s.instructions);
}

const creationsOf = new WeakMap<InstructionModel, Creation[]>();
const lastingOf = new WeakMap<InstructionModel, Creation[]>();

/** Paths a layer creates: package-manager state and caches, downloads, COPY/ADD destinations (once per instruction). */
export function creations(inst: InstructionModel): Creation[] {
  let out = creationsOf.get(inst);
  if (!out) creationsOf.set(inst, (out = computeCreations(inst)));
  return out;
}

/**
 * The creations a layer keeps: without what a later command of the same RUN deletes again
 * (`apt-get update && … && rm -rf /var/lib/apt/lists/*` ships no lists).
 */
export function lastingCreations(inst: InstructionModel): Creation[] {
  let out = lastingOf.get(inst);
  if (!out) {
    const all = creations(inst);
    const cleaned = all.some((c) => c.cmd) ? cleanups(inst) : [];
    out = cleaned.length ? all.filter((c) => !cleaned.some((x) => c.cmd && x.cmd.index > c.cmd.index && x.paths.some((p) => p !== '/' && isUnder(c.path, p)))) : all;
    lastingOf.set(inst, out);
  }
  return out;
}

/** Everything before the part of `p` a trailing `/` run starts: `isUnder`'s view of a folder. */
function stripSlashes(p: string): string {
  return p.replace(/\/+$/, '');
}

interface Entry {
  creation: Creation;
  seq: number;
  /** The stacks this entry was pushed onto (popped again when its stage is left). */
  stacks: Entry[][];
}

/**
 * The creations of the instructions before the current one in its lineage, indexed by path so a
 * query costs the depth of the path, not the length of the lineage. Answers exactly what a scan
 * with `isUnder` would (the keys are the string prefixes `isUnder` compares).
 */
export class CreationIndex {
  /** `isUnder(c.path, key)`: every folder prefix of c.path (up to a `/`) and c.path itself. */
  private readonly below = new Map<string, Entry[]>();
  /** Creations that are not COPY destinations and not `/`, by `stripSlashes(c.path)`. */
  private readonly folders = new Map<string, Entry[]>();
  private readonly all: Entry[] = [];
  private seq = 0;

  private push(map: Map<string, Entry[]>, key: string, e: Entry): void {
    let stack = map.get(key);
    if (!stack) map.set(key, (stack = []));
    stack.push(e);
    e.stacks.push(stack);
  }

  add(creation: Creation): Entry {
    const e: Entry = { creation, seq: this.seq++, stacks: [] };
    const p = creation.path;
    const keys = new Set<string>([p]);
    for (let i = p.indexOf('/'); i >= 0; i = p.indexOf('/', i + 1)) keys.add(p.slice(0, i));
    for (const k of keys) this.push(this.below, k, e);
    if (!creation.copied && p !== '/') this.push(this.folders, stripSlashes(p), e);
    this.all.push(e);
    e.stacks.push(this.all);
    return e;
  }

  /** Undoes the last `add` (entries leave in reverse order of arrival). */
  remove(e: Entry): void {
    for (const stack of e.stacks) stack.pop();
  }

  /**
   * The latest creation c with `isUnder(c.path, path)`, or (not a COPY destination, not `/`)
   * with `isUnder(path, c.path)`.
   */
  latest(path: string): Creation | undefined {
    const d = stripSlashes(path);
    let best: Entry | undefined;
    const consider = (stack: Entry[] | undefined) => {
      const top = stack?.[stack.length - 1];
      if (top && (!best || top.seq > best.seq)) best = top;
    };
    if (d === '') {
      consider(this.all);
      return best?.creation;
    }
    consider(this.below.get(d));
    // Folders above `path` (or `path` itself): `isUnder(path, f)` for f = '' or a prefix before a `/`.
    consider(this.folders.get(''));
    consider(this.folders.get(path));
    for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) consider(this.folders.get(path.slice(0, i)));
    return best?.creation;
  }

  /** Every creation c with `isUnder(c.path, t)` for some target, in build order. */
  under(targets: string[]): Creation[] {
    const found = new Set<Entry>();
    for (const t of targets) {
      const d = stripSlashes(t);
      for (const e of (d === '' ? this.all : this.below.get(d)) ?? []) found.add(e);
    }
    return [...found].sort((a, b) => a.seq - b.seq).map((e) => e.creation);
  }
}

/**
 * Calls `visit(inst, index)` for every instruction, `index` holding the creations of the
 * instructions before it in its lineage (its stage, then the stages it is built FROM). Walks the
 * tree of stages depth first, adding a stage's creations on the way in and taking them out on the
 * way back, so each creation is indexed once per walk: linear in the size of the file.
 * `keep` limits which instructions' creations are indexed.
 */
export function walkLineages(stages: StageModel[], index: CreationIndex, visit: (inst: InstructionModel, index: CreationIndex) => void, keep?: (inst: InstructionModel) => boolean): void {
  const children = childStages(stages);
  const roots = stages.filter((s) => !s.parent);
  // Iterative (a chain of 10,000 stages would overflow the call stack).
  const todo: { stage: StageModel; added?: Entry[] }[] = roots.reverse().map((stage) => ({ stage }));
  while (todo.length) {
    const top = todo[todo.length - 1];
    if (top.added) {
      for (let i = top.added.length - 1; i >= 0; i--) index.remove(top.added[i]);
      todo.pop();
      continue;
    }
    top.added = [];
    for (const inst of top.stage.instructions) {
      visit(inst, index);
      if (!keep || keep(inst)) for (const c of lastingCreations(inst)) top.added.push(index.add(c));
    }
    const kids = children.get(top.stage) ?? [];
    for (let i = kids.length - 1; i >= 0; i--) todo.push({ stage: kids[i] });
  }
}

function computeCreations(inst: InstructionModel): Creation[] {
  const out: Creation[] = [];
  // (A COPY --from too: the files another stage made, `COPY --from=build /wheels /wheels`, stay in
  // its layer as well; found by review. SD405 leaves those out.)
  if (inst.keyword === 'COPY' || inst.keyword === 'ADD') {
    const args = inst.args;
    if (args.length >= 2) {
      const destRaw = substitute(args[args.length - 1].getValue(), inst.env);
      const dest = resolvePath(inst.workdir, destRaw);
      const sources = args.slice(0, -1).map((a) => a.getValue());
      const keyword = inst.flags.has('from') ? `${inst.keyword} --from=${inst.flags.get('from')![0]}` : inst.keyword;
      if (destRaw.endsWith('/') || sources.length > 1) {
        for (const s of sources) out.push({ inst, path: resolvePath(dest, s.replace(/\/+$/, '').split('/').pop() || '.'), what: `${keyword} ${s}`, copied: true });
      }
      out.push({ inst, path: dest, what: `${keyword} ${sources.join(' ')}`, copied: true });
    }
    return out;
  }
  for (const cmd of inst.run?.commands ?? []) {
    const sub = cmd.argv[1]?.value;
    // Package managers take options before the subcommand (`apt -o Acquire::Retries=5 update`).
    const pkg = packageCall(cmd);
    if (pkg?.manager === 'apt' && isSub(pkg, 'update')) out.push({ inst, cmd, path: '/var/lib/apt/lists', what: `${pkg.tool} update` });
    // Downloaded .deb archives: not on the official Debian/Ubuntu images and those built on them,
    // whose apt config (docker-clean) deletes them after every dpkg run.
    if (pkg?.manager === 'apt' && isSub(pkg, ...APT_DOWNLOADS) && aptKeepsArchives(inst, pkg)) out.push({ inst, cmd, path: '/var/cache/apt', what: `${pkg.tool} ${pkg.sub!.value}` });
    if (pkg?.manager === 'apk' && isSub(pkg, 'add')) out.push({ inst, cmd, path: '/var/cache/apk', what: 'apk add' });
    if (pkg?.manager === 'rpm' && isSub(pkg, 'install')) out.push({ inst, cmd, path: `/var/cache/${/dnf/.test(pkg.tool) ? 'dnf' : pkg.tool}`, what: `${pkg.tool} install` });
    const pip = pipCall(cmd);
    if (pip?.sub?.value === 'install') {
      const a = installArgs(pip.args);
      if (!a.options.has('--no-cache-dir') && !cmd.env.has('PIP_NO_CACHE_DIR')) out.push({ inst, cmd, path: pipCacheDir(inst, cmd, a.options.get('--cache-dir')?.[0]?.value), what: 'pip install' });
    }
    const uv = uvCall(cmd);
    const uvNoCache = cmd.argv.some((w) => w.value === '--no-cache' || w.value === '-n') || /^(1|true|yes|on)$/i.test(cmd.env.get('UV_NO_CACHE') ?? '');
    if (uv && (uv.sub?.value === 'sync' || uv.sub?.value === 'pip') && !uvNoCache) out.push({ inst, cmd, path: uvCacheDirOf(inst, cmd), what: `uv ${uv.sub.value}` });
    if (/^(conda|mamba|micromamba)$/.test(cmd.name) && /^(install|create|env|update)$/.test(sub ?? '')) out.push({ inst, cmd, path: cmd.env.get('CONDA_PKGS_DIRS') ?? `${cmd.env.get('CONDA_DIR') ?? cmd.env.get('MAMBA_ROOT_PREFIX') ?? '/opt/conda'}/pkgs`, what: `${cmd.name} ${sub}` });
    if (cmd.name === 'wget' || cmd.name === 'curl') {
      for (let i = 1; i < cmd.argv.length - 1; i++) {
        const o = cmd.argv[i].value;
        if (o === '-O' || o === '-o' || o === '--output' || o === '--output-document') {
          const file = cmd.argv[i + 1].value;
          if (file !== '-' && file !== '/dev/null') out.push({ inst, cmd, path: expandPath(file, inst, cmd.env), what: `${cmd.name} download` });
        }
      }
    }
    if (cmd.name === 'git' && sub === 'clone') {
      const rest = cmd.argv.slice(2).filter((w) => !w.value.startsWith('-'));
      const url = rest[0]?.value;
      const dir = rest[1]?.value ?? url?.replace(/\.git$/, '').split('/').pop();
      if (dir) out.push({ inst, cmd, path: expandPath(dir, inst, cmd.env), what: 'git clone' });
    }
  }
  // What lands in a cache or tmpfs mount is not in the layer.
  return out.filter((c) => !mountCovers(inst, c.path));
}

/** apt subcommands that download package archives into /var/cache/apt/archives. */
const APT_DOWNLOADS = ['install', 'reinstall', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep'];

/**
 * Images whose apt keeps no archives: the official Debian and Ubuntu images ship
 * /etc/apt/apt.conf.d/docker-clean (`DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb …" }`,
 * no pkgcache.bin), and so do the images built on them (python, buildpack-deps, nvidia/cuda …).
 */
const DOCKER_CLEAN_IMAGES = /^(debian|ubuntu|python|buildpack-deps|node|golang|ruby|rust|perl|php|eclipse-temurin|nvidia\/cuda|pytorch\/pytorch|tensorflow\/tensorflow|continuumio\/miniconda3|continuumio\/anaconda3|mambaorg\/micromamba)$/;
/** Tags of those repositories that are not Debian or Ubuntu. */
const OTHER_DISTRO_TAG = /alpine|windows|nanoserver|ubi|rockylinux|centos|oraclelinux|amazonlinux/;

/** The stage builds on an official Debian or Ubuntu image, or one of the images known to be built on them. */
function officialDebianFamily(stage: StageModel): boolean {
  const { repo, tag } = parseImage(rootImage(stage).replace(/["']/g, ''));
  return DOCKER_CLEAN_IMAGES.test(repo.replace(/^(docker\.io\/)?(library\/)?/, '')) && !OTHER_DISTRO_TAG.test(tag ?? '');
}

/**
 * True when `pkg` (an apt install, upgrade …) leaves its archives in /var/cache/apt: the stage's
 * base is not known to delete them (docker-clean), the Dockerfile removes docker-clean, or the
 * call only downloads (`--download-only`: dpkg, and so the clean-up hook, does not run).
 */
function aptKeepsArchives(inst: InstructionModel, pkg: PackageCall): boolean {
  if (pkg.cmd.argv.some((w) => w.value === '-d' || w.value === '--download-only' || /^-[a-z]*d[a-z]*$/.test(w.value))) return true;
  if (!officialDebianFamily(inst.stage)) return true;
  // A RUN that deletes or rewrites the hook (`rm /etc/apt/apt.conf.d/docker-clean`).
  const mentions = (i: InstructionModel) => !!i.run && /docker-clean/.test(i.node.getTextContent());
  return lineageHas(inst.stage, inst.start, 'SD404:docker-clean', mentions, true);
}

export function uvCacheDirOf(inst: InstructionModel, cmd: ShellCommand): string {
  const env = cmd.env;
  const flag = cmd.argv.findIndex((w) => w.value === '--cache-dir');
  if (flag > 0 && cmd.argv[flag + 1]) return expandPath(cmd.argv[flag + 1].value, inst, env);
  if (env.get('UV_CACHE_DIR')) return expandPath(env.get('UV_CACHE_DIR')!, inst, env);
  if (env.get('XDG_CACHE_HOME')) return resolvePath('/', `${expandPath(env.get('XDG_CACHE_HOME')!, inst, env)}/uv`);
  return resolvePath('/', `${env.get('HOME') ?? inst.home}/.cache/uv`);
}

interface Cleanup {
  cmd: ShellCommand;
  paths: string[];
  what: string;
}

/** Commands that delete files: `rm`, `apt-get clean`, `pip cache purge`, `conda clean`, `uv cache clean` … */
export function cleanups(inst: InstructionModel): Cleanup[] {
  const out: Cleanup[] = [];
  for (const cmd of inst.run?.commands ?? []) {
    const sub = cmd.argv[1]?.value;
    if (cmd.name === 'rm') {
      const paths = cmd.argv.slice(1).filter((w) => !w.value.startsWith('-')).map((w) => expandPath(w.value.replace(/\/\*+$/, '').replace(/\/+$/, '') || '/', inst, cmd.env));
      if (paths.length) out.push({ cmd, paths, what: 'rm' });
    } else if ((cmd.name === 'apt-get' || cmd.name === 'apt') && (sub === 'clean' || sub === 'autoclean')) {
      out.push({ cmd, paths: ['/var/cache/apt'], what: `apt-get ${sub}` });
    } else if (pipCall(cmd)?.sub?.value === 'cache' && /^(purge|remove)$/.test(pipCall(cmd)!.args[0]?.value ?? '')) {
      out.push({ cmd, paths: [pipCacheDir(inst, cmd)], what: 'pip cache purge' });
    } else if (uvCall(cmd)?.sub?.value === 'cache' && /^(clean|prune)$/.test(uvCall(cmd)!.args[0]?.value ?? '')) {
      out.push({ cmd, paths: [uvCacheDirOf(inst, cmd)], what: 'uv cache clean' });
    } else if (/^(conda|mamba|micromamba)$/.test(cmd.name) && sub === 'clean') {
      out.push({ cmd, paths: [cmd.env.get('CONDA_PKGS_DIRS') ?? `${cmd.env.get('CONDA_DIR') ?? cmd.env.get('MAMBA_ROOT_PREFIX') ?? '/opt/conda'}/pkgs`], what: `${cmd.name} clean` });
    } else if (/^(yum|dnf|microdnf)$/.test(cmd.name) && sub === 'clean') {
      out.push({ cmd, paths: [`/var/cache/${cmd.name === 'microdnf' ? 'dnf' : cmd.name}`], what: `${cmd.name} clean` });
    } else if (cmd.name === 'apk' && sub === 'cache' && cmd.argv[2]?.value === 'clean') {
      out.push({ cmd, paths: ['/var/cache/apk'], what: 'apk cache clean' });
    }
  }
  return out;
}

const SD404: DockerfileRule = {
  id: 'SD404',
  title: 'Cleanup in a later layer',
  severity: 'warning',
  docs: {
    summary: 'Files are deleted in a later `RUN` than the one that created them: the later layer hides them, the earlier layer still ships them.',
    why: 'Image layers only add. `RUN rm -rf /var/lib/apt/lists/*` in its own layer removes nothing from the image: the ≈ 20–50 MB of apt lists (or the pip cache, the conda packages, the downloaded archive) stay in the layer that created them.',
  },
  check(ctx, report) {
    // Cleanups first (cheap): most files have none, and then no creation is computed at all.
    const candidates = new Set<InstructionModel>();
    for (const inst of ctx.model.instructions) {
      if (inst.run && cleanups(inst).some((c) => c.paths.some((p) => p !== '/' && shipsPath(inst.stage, p)))) candidates.add(inst);
    }
    if (candidates.size === 0) return;
    // What the lineage created before each instruction, from an index (not a scan of every earlier
    // instruction per cleanup: that is quadratic in a long chain of stages).
    walkLineages(ctx.model.stages, new CreationIndex(), (inst, index) => {
      if (!candidates.has(inst)) return;
      for (const clean of cleanups(inst)) {
        for (const path of clean.paths) {
          if (path === '/' || !shipsPath(inst.stage, path)) continue;
          // Removing a folder above what was created removes it; removing something inside a
          // package-manager or cache folder removes part of it. A COPY destination folder only
          // counts when the removal covers it: its file names are not known.
          const first = index.latest(path);
          // Only what this same RUN did not create as well (then it is removed in the right layer).
          const sameRun = creations(inst).some((c) => isUnder(c.path, path) || isUnder(path, c.path));
          if (!first || sameRun) continue;
          const createdLine = ctx.model.positionAt(first.inst.start).line + 1;
          const line = ctx.model.positionAt(inst.start).line + 1;
          report({
            range: ctx.model.rangeOf(clean.cmd.start, clean.cmd.end),
            message: `${isUnder(first.path, path) ? first.path : path} is created in line ${createdLine} (${first.what}) and deleted in line ${line}: the bytes stay in the earlier layer. Delete it in the RUN that creates it.`,
            estimate: { bytes: null, basis: 'size of the files in the earlier layer: not known before the build.' },
            fixes: cleanupFixes(ctx, inst, clean, first),
          });
          break;
        }
      }
    });
  },
};

/** The fixes of an SD404 finding: `clean`, a command of `later`, deletes what `first` made. */
function cleanupFixes(ctx: DockerfileContext, later: InstructionModel, clean: Cleanup, first: Creation): Fix[] {
  const run = later.run!;
  if (run.execForm || run.heredoc || run.hasError) return [];
  if (first.copied) return uncopyFixes(ctx, later, clean, first.inst);
  return moveCleanupFix(ctx, later, clean);
}

/**
 * Every lasting creation before `later` in its lineage that a removal of `path` removes (all of
 * them, not only the latest `CreationIndex.latest` answers with).
 */
function creatorsOf(later: InstructionModel, path: string): Creation[] {
  return instructionsBefore(later)
    .filter((i) => i !== later)
    .flatMap((i) => lastingCreations(i).filter((c) => isUnder(c.path, path) || (!c.copied && isUnder(path, c.path))));
}

/**
 * Delete it where it is made. When the later RUN only cleans up what one RUN made, its body
 * moves to the end of that RUN and the later RUN goes. Otherwise the cleanup command is appended
 * to every RUN that leaves those files, and stays where it is (it still hides whatever else
 * lands there): the image looks the same, the earlier layers lose the files.
 */
function moveCleanupFix(ctx: DockerfileContext, later: InstructionModel, clean: Cleanup): Fix[] {
  const run = later.run!;
  const model = ctx.model;
  const text = model.text.slice(clean.cmd.start, clean.cmd.end);
  if (!portable(model, clean)) return [];
  const insts = [...new Set(clean.paths.flatMap((p) => creatorsOf(later, p)).map((c) => c.inst))];
  if (insts.length === 0) return [];
  // Each creator a shell-form RUN of this stage, run as the same user (apt-get clean needs root).
  if (!insts.every((i) => i.run && !i.run.execForm && !i.run.heredoc && !i.run.hasError && i.stage === later.stage && i.user === later.user)) return [];
  const esc = model.escapeChar;
  const all = cleanups(later);
  const onlyCleanup = run.commands.length > 0 && run.commands.every((c) => all.some((x) => x.cmd === c) || c.name === 'true');
  if (onlyCleanup && insts.length === 1 && !run.mounts.length && all.every((x) => portable(model, x))) {
    // The whole later RUN moves, if all it deletes comes from that RUN and may go earlier.
    const creator = insts[0];
    const verdict = earlierDeletion(model, later, all, creator.start);
    const single = all.every((x) => x.paths.every((p) => creatorsOf(later, p).every((c) => c.inst === creator)));
    const body = model.text.slice(run.commands[0].start, run.commands[run.commands.length - 1].end);
    if (verdict && single && !body.includes('\n') && creator.run!.commands.length) {
      return [
        {
          title: `Move \`${clean.what}\` into the RUN on line ${model.positionAt(creator.start).line + 1}`,
          edits: [insertAt(model, creator.end, ` ${esc}\n    && ${body}`), dropInstruction(model, later)],
          preferred: true,
          safe: verdict.safe,
        },
      ];
    }
  }
  const verdict = earlierDeletion(model, later, [clean], Math.min(...insts.map((i) => i.start)));
  if (!verdict) return [];
  // The later command stays: a plain `rm` of a file deleted already would fail.
  if (clean.what === 'rm' && !clean.cmd.argv.some((w) => /^-[a-zA-Z]*f/.test(w.value) || w.value === '--force')) return [];
  const edits = insts.map((i) => appendToRun(model, i, text));
  if (edits.some((e) => !e)) return [];
  const lines = insts.map((i) => model.positionAt(i.start).line + 1);
  return [
    {
      title: `Also run \`${clean.what}\` in the RUN${lines.length > 1 ? 's' : ''} on line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}`,
      edits: edits as TextEdit[],
      preferred: true,
      safe: verdict.safe,
    },
  ];
}

/** The command means the same in an earlier RUN: one line, no variables, absolute paths, not `/`. */
function portable(model: DockerfileModel, clean: Cleanup): boolean {
  const text = model.text.slice(clean.cmd.start, clean.cmd.end);
  if (/[\n$~`]/.test(text) || clean.paths.includes('/')) return false;
  return clean.what !== 'rm' || clean.cmd.argv.slice(1).every((w) => w.value.startsWith('-') || w.value.startsWith('/'));
}

/**
 * Whether `cleans` (commands of `later`) may run at the end of the RUNs that made what they delete,
 * the first of which starts at `from`: nothing in between needs what they delete. Undefined when
 * not; `safe` when that is certain, not read from names in the Dockerfile.
 */
function earlierDeletion(model: DockerfileModel, later: InstructionModel, cleans: Cleanup[], from: number): { safe: boolean } | undefined {
  const between = instructionsBefore(later).filter((i) => i !== later && i.stage === later.stage && i.start > from);
  let safe = true;
  for (const clean of cleans) {
    const before = later.run!.commands.filter((c) => c.end <= clean.cmd.start && !cleans.some((x) => x.cmd === c));
    for (const path of clean.paths) {
      const creators = creatorsOf(later, path);
      const insts = new Set(creators.map((c) => c.inst));
      const others = between.filter((i) => !insts.has(i));
      // A tool's cleanup empties its own cache folder: the creators' caches must be that folder.
      if (clean.what !== 'rm' && !creators.every((c) => c.path === path)) return undefined;
      const kinds = new Set(creators.map(creationKind));
      if (creators.length === 0 || creators.some((c) => c.path !== path && isUnder(c.path, path))) {
        // A folder above what was made holds more than that: files anything in between may read
        // without naming them (a model in ~/.cache). Only with nothing in between.
        if (before.length || others.some((i) => i.run || i.keyword === 'COPY' || i.keyword === 'ADD')) return undefined;
      } else if (kinds.has('file')) {
        if (others.some((i) => instructionUses(model, i, path)) || before.some((c) => commandUses(model, c, path))) return undefined;
        if (before.length || others.length) safe = false;
      }
      // Package indexes: an install in between that does not fetch them itself needs them.
      if (kinds.has('index') && (between.some((i) => needsIndex(i.run?.commands ?? [])) || needsIndex(before))) return undefined;
    }
  }
  return { safe };
}

/**
 * What deleting a creation earlier can break: a package index (apt lists, apk's cache: installs
 * read them), plain files (anything may read them), or nothing (a cache, fetched again).
 */
function creationKind(c: Creation): 'index' | 'file' | 'cache' {
  if (isUnder(c.path, '/var/lib/apt/lists') || isUnder(c.path, '/var/cache/apk')) return 'index';
  return /download|clone|^(COPY|ADD) /.test(c.what) ? 'file' : 'cache';
}

/** True when an apt or apk call in `cmds`, or a script they run, may read the package index before fetching it itself (`apt-get update`, `apk update`, `apk add --no-cache`). */
function needsIndex(cmds: ShellCommand[]): boolean {
  const updated = new Set<string>();
  for (const c of cmds) {
    if (c.name === 'apt-cache' && !updated.has('apt')) return true;
    // A script may install from them (`RUN /usr/local/bin/install-extras.sh`; found by review).
    if (runsScript(c) && !(updated.has('apt') && updated.has('apk'))) return true;
    const p = packageCall(c);
    if (p?.manager !== 'apt' && p?.manager !== 'apk') continue;
    if (isSub(p, 'update')) updated.add(p.manager);
    else if (updated.has(p.manager) || isSub(p, 'clean', 'autoclean', 'purge', 'remove', 'autoremove', 'del')) continue;
    else if (p.manager === 'apk' && c.argv.some((w) => /^(--no-cache|--update-cache|-U|--update)$/.test(w.value))) continue;
    else return true;
  }
  return false;
}

/** Interpreters whose file argument is a script slimdock cannot read. */
const INTERPRETERS = /^(sh|bash|dash|ash|zsh|ksh|python[\d.]*|perl|node|ruby|php|make|source|\.)$/;

/**
 * True when instruction `i` may read or change `path` (a file or folder an earlier layer made):
 * it names the path, its file name or its folder, it runs in that folder, or it runs a script
 * (which may name it without the Dockerfile showing). COPY/ADD read the build context only,
 * unless they write to the path themselves.
 */
function instructionUses(model: DockerfileModel, i: InstructionModel, path: string): boolean {
  if (i.keyword === 'COPY' || i.keyword === 'ADD') {
    // Its sources may be folders: anything it writes at, in or above the path may replace it.
    const destRaw = i.args.length >= 2 ? substitute(i.args[i.args.length - 1].getValue(), i.env) : '$';
    if (destRaw.includes('$')) return true;
    const dest = resolvePath(i.workdir, destRaw);
    return isUnder(dest, path) || isUnder(path, dest);
  }
  if (!i.run) return false;
  if (i.run.hasError || i.run.execForm || i.run.heredoc) return true;
  // Run in that folder: only commands that name nothing relative to it.
  if (isUnder(i.workdir, dirOf(path)) && dirOf(path) !== '/' && !i.run.commands.every(cwdFree)) return true;
  return i.run.commands.some((c) => commandUses(model, c, path)) || mentions(instructionText(model, i), path);
}

/** Commands that read no file of the working folder unless they name it (then by an absolute path here). */
const CWD_FREE = new Set('set echo printf true false sleep export apt-get apt apk yum dnf microdnf useradd groupadd adduser addgroup usermod ln mkdir rm rmdir chmod chown chgrp touch cp mv ldconfig update-ca-certificates locale-gen fc-cache'.split(' '));

function cwdFree(c: ShellCommand): boolean {
  if ((!CWD_FREE.has(c.name) && !pipCall(c) && !uvCall(c)) || c.argv[0]?.value.includes('/')) return false;
  const pkg = packageCall(c);
  const words = c.argv.slice(1).filter((w) => !w.value.startsWith('-'));
  // pip/uv pip installing named packages (and reading named requirement files) writes nothing here.
  if (pipCall(c) || uvCall(c)?.sub?.value === 'pip') {
    const args = pipInstallArgs(c);
    return !!args && args.editables.length === 0 && args.packages.every((w) => !w.value.startsWith('.') && !w.value.includes('/') && !/\.(whl|gz|zip)$/.test(w.value));
  }
  if (pkg) return words.every((w) => !w.value.startsWith('.') && !w.value.includes('/') && !/\.(deb|rpm|apk)$/.test(w.value));
  // A mode or owner first (chmod/chown), then paths; echo/printf/set words are text.
  if (/^(set|echo|printf|true|false|sleep|export)$/.test(c.name)) return true;
  // Account tools: names and ids, and absolute paths (a home, a shell).
  if (USER_TOOLS.test(c.name) || c.name === 'usermod') return !c.assignments.size && words.every((w) => !w.value.includes('/') || substitute(w.value, c.vars).startsWith('/'));
  const paths = /^(chmod|chown|chgrp)$/.test(c.name) ? words.slice(1) : words;
  return !c.assignments.size && paths.every((w) => substitute(w.value, c.vars).startsWith('/'));
}

function commandUses(model: DockerfileModel, c: ShellCommand, path: string): boolean {
  return runsScript(c) || mentions(model.text.slice(c.start, c.end), path);
}

/** True when `c` runs a program or script by its path, or a file through an interpreter: what it does is not in the Dockerfile. */
function runsScript(c: ShellCommand): boolean {
  if (c.name.includes('/') || /\//.test(c.argv[0]?.value ?? '') || /\.(sh|py|pl|rb)$/.test(c.name) || c.argv[0]?.value.startsWith('.') || c.argv[0]?.dynamic) return true;
  return INTERPRETERS.test(c.name) && c.argv.slice(1).some((w) => !w.value.startsWith('-')) && !c.argv.some((w) => /^-[a-z]*c[a-z]*$/.test(w.value));
}

/** The text names `path`, its file name or (unless it is `/`) its folder. */
function mentions(text: string, path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dir = dirOf(path);
  return text.includes(path) || (base !== '' && text.includes(base)) || (dir !== '/' && text.includes(dir));
}

function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}

/**
 * Files a COPY brings only for a later RUN to delete. Either a later COPY of the build context
 * brings them again (then the first COPY goes), or the deleting RUN is the first to read them:
 * it bind-mounts them from the build context instead, and drops their `rm` (a mount point cannot
 * be removed). Nothing between the COPY and the RUN may read them.
 */
function uncopyFixes(ctx: DockerfileContext, later: InstructionModel, clean: Cleanup, copy: InstructionModel): Fix[] {
  const model = ctx.model;
  if (copy.keyword !== 'COPY' || copy.stage !== later.stage || [...copy.flags.keys()].some((f) => f !== 'link' && f !== 'from') || copy.args.length < 2) return [];
  // From another stage (`COPY --from=build /wheels /wheels`): a bind mount of that stage's folder (found by review).
  const from = copy.flags.get('from')?.[0];
  // (A name: a mount's from= reads a number as an image, not a stage; found by review.)
  if (from !== undefined && (!/^[\w.-]+$/.test(from) || /^\d+$/.test(from))) return [];
  const destRaw = substitute(copy.args[copy.args.length - 1].getValue(), copy.env);
  if (destRaw.includes('$')) return [];
  const dest = resolvePath(copy.workdir, destRaw);
  let sources = copy.args.slice(0, -1).map((a) => substitute(a.getValue(), copy.env));
  // Files of another stage by a pattern into a folder (`COPY --from=sdist /dist/*.whl /tmp/dist/`):
  // that stage's folder is mounted there, where the RUN reads them by the same pattern only (the
  // folder's other files, an sdist beside the wheel, are there but not read).
  const glob = from !== undefined && sources.length === 1 && destRaw.endsWith('/') ? /^(\/?[\w./@+-]+)\/(\*[\w.-]*)$/.exec(sources[0]) : null;
  if (glob) {
    // Each mention of the folder outside the rm is the pattern itself (`/tmp/dist/*.whl`).
    const byPattern = (t: string) => {
      for (let i = t.indexOf(dest); i >= 0; i = t.indexOf(dest, i + 1)) {
        const rest = t.slice(i + dest.length);
        if (!rest.startsWith(`/${glob[2]}`) || /^[\w*?./-]/.test(rest.slice(glob[2].length + 1))) return false;
      }
      return true;
    };
    if (later.run!.commands.some((c) => c.name !== 'rm' && mentions(model.text.slice(c.start, c.end), dest) && !byPattern(model.text.slice(c.start, c.end)))) return [];
    sources = [glob[1]];
  }
  if (sources.some((s) => /[*?[\]$\s\\]/.test(s) || s.split('/').includes('..'))) return [];
  const removals = cleanups(later).filter((x) => x.what === 'rm');
  // The rm operands that name `t` exactly (no glob).
  const operands = (t: string) => removals.flatMap((x) => x.cmd.argv.slice(1).filter((w) => !w.value.startsWith('-') && !/[*?]/.test(w.value) && expandPath(w.value.replace(/\/+$/, ''), later, x.cmd.env) === t).map((w) => ({ x, w })));
  const recursiveRm = (x: Cleanup) => x.cmd.argv.some((w) => /^-[a-zA-Z]*[rR]/.test(w.value) || w.value === '--recursive');
  // What the COPY put where: a file lands as dest/name when dest is a folder (a folder's contents would merge).
  const files: { source: string; target: string; file: boolean }[] = [];
  for (const raw of sources) {
    const source = raw.replace(/^(\.\/)+/, '').replace(/^\/+/, '').replace(/\/+$/, '') || '.';
    let target = dest;
    const multi = !glob && (destRaw.endsWith('/') || sources.length > 1);
    if (multi) target = resolvePath(dest, source.split('/').pop()!);
    const kind = from === undefined ? ctx.build.stat(source) : undefined;
    // Unknown to slimdock: a plain `rm` (no -r) of it succeeds only on a file.
    const file = kind === 'file' || (kind === undefined && operands(target).some(({ x }) => !recursiveRm(x)));
    if (multi && !file) return [];
    if (!SIMPLE_PATH.test(source) || !SIMPLE_PATH.test(target)) return [];
    files.push({ source, target, file });
  }
  // Every file is deleted by name (an rm operand that is exactly it), by this RUN.
  if (!files.every((f) => operands(f.target).length > 0)) return [];
  const between = instructionsBefore(later).filter((i) => i.start > copy.start && i !== later);
  const dropCopy = dropInstruction(model, copy);
  const copyLine = model.positionAt(copy.start).line + 1;

  // A later COPY of a build-context folder brings the same files to the same places again.
  const recopy = from === undefined ? between.find((i) => recopies(i, files)) : undefined;
  if (recopy) {
    const reads = between.filter((i) => i.start < recopy.start).some((i) => files.some((f) => instructionUses(model, i, f.target)));
    if (reads) return [];
    return [{ title: `Drop the COPY on line ${copyLine}: line ${model.positionAt(recopy.start).line + 1} copies the same files again`, edits: [dropCopy], preferred: true }];
  }

  // Bind mounts into the deleting RUN.
  if (between.some((i) => files.some((f) => instructionUses(model, i, f.target)))) return [];
  const earlier = instructionsBefore(copy).filter((i) => i !== copy);
  for (const f of files) {
    const dir = dirOf(f.target);
    // The folder must be there already (a COPY would have made it; a mount leaves it out), the file not.
    if (!(dir === '/' || dir === '/tmp' || madeBefore(copy, dir))) return [];
    if (madeBefore(copy, f.target) || earlier.some((i) => creations(i).some((c) => c.path === f.target)) || later.run!.mounts.some((m) => m.target && resolvePath(later.workdir, m.target) === f.target)) return [];
    // Another removal of a folder above it, a move or a find would hit the mount point.
    if (removals.some((x) => x.paths.some((p) => p !== f.target && isUnder(f.target, p)))) return [];
    if (later.run!.commands.some((c) => /^(mv|unlink|find|shred)$/.test(c.name) && mentions(model.text.slice(c.start, c.end), f.target))) return [];
  }
  const writes = (t: string) =>
    later.run!.commands.some((c) => /^(chmod|chown|chgrp|touch|truncate|sed|dos2unix|tee)$/.test(c.name) && mentions(model.text.slice(c.start, c.end), t)) ||
    new RegExp(`>\\s*\\S*${t.slice(t.lastIndexOf('/') + 1).replace(/[.+^${}()|[\]\\]/g, '\\$&')}`).test(instructionText(model, later));
  const edits: TextEdit[] = [dropCopy];
  // The rm operands go; an rm left with none goes as a whole.
  const byCmd = new Map<ShellCommand, Word[]>();
  for (const f of files) for (const { x, w } of operands(f.target)) byCmd.set(x.cmd, [...(byCmd.get(x.cmd) ?? []), w]);
  for (const [cmd, words] of byCmd) {
    const rest = cmd.argv.slice(1).filter((w) => !w.value.startsWith('-') && !words.includes(w));
    if (rest.length === 0) {
      const e = dropCommand(model, later, cmd);
      if (!e) return [];
      edits.push(e);
    } else {
      for (const w of words) {
        const prev = cmd.argv.filter((x) => x.end <= w.start).pop()!;
        edits.push(replaceSpan(model, prev.end, w.end, ''));
      }
    }
  }
  if (later.run!.commands.every((c) => byCmd.has(c) && c.argv.slice(1).filter((w) => !w.value.startsWith('-')).every((w) => byCmd.get(c)!.includes(w)))) return [];
  const esc = model.escapeChar;
  // A folder is mounted writable: a build in it (`pip install ./src`) writes there; the writes are dropped.
  const src = (f: { source: string }) => (from === undefined ? f.source : `/${f.source}`);
  const mounts = files.map((f) => `--mount=type=bind,${from === undefined ? '' : `from=${from},`}source=${src(f)},target=${f.target}${!f.file || writes(f.target) ? ',rw' : ''}`);
  const flags = later.run!.mounts;
  const at = flags.length ? Math.max(...flags.map((m) => m.end)) : model.offsetAt(later.node.getInstructionRange().end);
  // After a mount that a line continuation follows: each new mount on a line of its own before it
  // (not a line left with only the continuation; found by review).
  const continued = flags.length > 0 && new RegExp(`^[ \\t]*\\${esc}\\r?\\n`).test(model.text.slice(at));
  const indent = continued ? (/\n([ \t]*)\S[^\n]*$/.exec(model.text.slice(later.start, at))?.[1] ?? '    ') : '';
  edits.push(insertAt(model, at, continued ? mounts.map((m) => ` ${esc}\n${indent}${m}`).join('') : mounts.map((m) => ` ${m} ${esc}\n   `).join('')));
  return [
    {
      title: `Bind-mount ${files.map(src).join(', ')}${from === undefined ? '' : ` of ${from}`} into this RUN instead of the COPY on line ${copyLine}`,
      edits,
      preferred: true,
    },
  ];
}

/** `i` is a COPY of a build-context folder that brings every file of `files` to the same place again. */
function recopies(i: InstructionModel, files: { source: string; target: string }[]): boolean {
  if (i.keyword !== 'COPY' || i.flags.has('from') || i.flags.has('parents') || i.flags.has('exclude') || i.args.length < 2) return false;
  const destRaw = substitute(i.args[i.args.length - 1].getValue(), i.env);
  if (destRaw.includes('$')) return false;
  const dest = resolvePath(i.workdir, destRaw);
  const dirs = i.args.slice(0, -1).map((a) => substitute(a.getValue(), i.env).replace(/^(\.\/)+/, '').replace(/^\/+/, '').replace(/\/+$/, '') || '.');
  // A folder's contents land in dest; `source` under folder `d` lands at dest + the rest of its path.
  return files.every((f) => dirs.some((d) => !/[*?[\]$]/.test(d) && (d === '.' || f.source.startsWith(d + '/')) && resolvePath(dest, d === '.' ? f.source : f.source.slice(d.length + 1)) === f.target));
}

/**
 * Deletes command `cmd` from a `&&` or `;` list of a shell-form RUN, with one connector; undefined
 * when it is not in such a list (inside `if`, a pipeline, `||` …) or is the RUN's only command.
 */
export function dropCommand(model: DockerfileModel, inst: InstructionModel, cmd: ShellCommand): TextEdit | undefined {
  const text = model.text;
  const cmds = inst.run!.commands.filter((c) => c.via === 'shell');
  if (!cmds.includes(cmd)) return undefined;
  const redirects = /^([ \t]*\d*(>>?|<|>&)[ \t]*[^\s;&|)]+)*/;
  const end = cmd.end + redirects.exec(text.slice(cmd.end, inst.end))![0].length;
  const prev = cmds.filter((c) => c.end <= cmd.start).reduce<ShellCommand | undefined>((a, b) => (!a || b.end > a.end ? b : a), undefined);
  const next = cmds.filter((c) => c.start >= end).reduce<ShellCommand | undefined>((a, b) => (!a || b.start < a.start ? b : a), undefined);
  // The connector before: `&&` or `;` after the previous command (and its redirections).
  let before: { op: string; at: number } | undefined;
  if (prev) {
    const gap = text.slice(prev.end, cmd.start);
    const r = redirects.exec(gap)![0].length;
    const m = /^(?:[ \t]|\\\r?\n)*(&&|;)(?:[ \t]|\\\r?\n|\r?\n[ \t]*#[^\n]*)*[ \t]*$/.exec(gap.slice(r));
    if (!m) return undefined;
    before = { op: m[1], at: prev.end + r };
  } else if (text.slice(model.offsetAt(inst.node.getInstructionRange().end), cmd.start).replace(/--mount=\S+/g, '').trim() !== '') return undefined;
  if (next) {
    const gap = text.slice(end, next.start);
    const m = /^(?:[ \t]|\\\r?\n)*(&&|;)((?:[ \t]|\\\r?\n)*)((?:[ \t]*#[^\n]*\r?\n)*[ \t]*)$/.exec(gap);
    if (!m || (before && before.op !== m[1])) return undefined;
    // Up to the next command, leaving a comment line that stands before it.
    return replaceSpan(model, cmd.start, end + gap.length - m[3].length, '');
  }
  if (!before) return undefined;
  if (text.slice(end, inst.end).trim() !== '') return undefined;
  return replaceSpan(model, before.at, end, '');
}

const SD405: DockerfileRule = {
  id: 'SD405',
  title: 'Recursive chown/chmod over an earlier layer',
  severity: 'warning',
  docs: {
    summary: '`RUN chown -R`/`chmod -R` over files an earlier layer added copies every one of them into a new layer.',
    why: 'Changing a file\'s owner or mode in a later layer stores the whole file again: a 300 MB app chowned after `COPY` ships 600 MB. `COPY --chown`/`--chmod` sets them in the same layer.',
  },
  check(ctx, report) {
    if (!ctx.model.instructions.some((i) => i.stage.reachesFinal && i.run?.commands.some((c) => recursiveCall(c) !== undefined))) return;
    // Only COPY/ADD creations are indexed: what a chown can copy into a new layer.
    const copies = (inst: InstructionModel) => (inst.keyword === 'COPY' || inst.keyword === 'ADD') && !inst.flags.has('from');
    walkLineages(ctx.model.stages, new CreationIndex(), (inst, index) => {
      if (!inst.stage.reachesFinal) return;
      for (const cmd of inst.run?.commands ?? []) {
        const call = recursiveCall(cmd);
        if (!call) continue;
        const targets = call.targets.map((w) => expandPath(w.value, inst, cmd.env));
        // A file the call leaves as it is is not copied up: its owner (mode) is already the one
        // asked for, or `--from` names another owner.
        const earlier = index.under(targets).filter((c) => changes(call, c.inst));
        if (earlier.length === 0) continue;
        const lines = [...new Set(earlier.map((c) => ctx.model.positionAt(c.inst.start).line + 1))];
        const flag = cmd.name === 'chown' ? '--chown' : '--chmod';
        report({
          range: ctx.model.rangeOf(cmd.start, cmd.end),
          message: `${cmd.name} -R rewrites files added in line ${lines.join(', ')}: they are stored twice. Use COPY ${flag}=${call.spec?.value ?? '…'} instead.`,
          estimate: { bytes: null, basis: 'the size of the files the earlier COPY added: counted from the build context when the COPY is rewritten.' },
          fixes: chownFix(ctx, inst, call, earlier, flag),
        });
      }
    }, copies);
  },
};

export interface RecursiveCall {
  cmd: ShellCommand;
  /** The owner (`user[:group]`) or mode; undefined with `--reference`. */
  spec?: Word;
  /** chown `--from=user[:group]`: only files owned so change. */
  from?: string;
  targets: Word[];
}

/** `chown -R …` / `chmod -R …` (or `--recursive`), with its options read. */
export function recursiveCall(cmd: ShellCommand): RecursiveCall | undefined {
  if (cmd.name !== 'chown' && cmd.name !== 'chmod') return undefined;
  const words = cmd.argv.slice(1);
  let recursive = false;
  let from: string | undefined;
  let reference = false;
  const operands: Word[] = [];
  for (let i = 0; i < words.length; i++) {
    const v = words[i].value;
    if (v === '--') {
      operands.push(...words.slice(i + 1));
      break;
    }
    if (v === '--recursive' || /^-[a-zA-Z]*R[a-zA-Z]*$/.test(v)) recursive = true;
    else if (v === '--from' || v === '--reference') {
      if (v === '--from') from = words[i + 1]?.value;
      else reference = true;
      i++;
    } else if (v.startsWith('--from=')) from = v.slice(7);
    else if (v.startsWith('--reference=')) reference = true;
    // chmod modes start with `-` too (`chmod -R -x`): a word of mode letters after the options.
    else if (v.startsWith('-') && !(cmd.name === 'chmod' && operands.length === 0 && /^-[rwxXst]+$/.test(v))) continue;
    else operands.push(words[i]);
  }
  if (!recursive) return undefined;
  return reference ? { cmd, from, targets: operands } : { cmd, spec: operands[0], from, targets: operands.slice(1) };
}

/** `root` and 0 are one user; other names and numbers compare as written. */
function idOf(name: string | undefined): string | undefined {
  if (name === undefined || name === '') return undefined;
  return name === 'root' ? '0' : name;
}

function splitOwner(spec: string): { user?: string; group?: string } {
  const i = spec.indexOf(':');
  return i < 0 ? { user: spec } : { user: spec.slice(0, i), group: spec.slice(i + 1) };
}

/**
 * True when the call may change what COPY/ADD `copy` added, so the files are copied up into a new
 * layer. A chown to the owner `COPY --chown` gave them, a chmod to the mode `--chmod` gave them,
 * or a `chown --from` another owner leaves them as they are (the layer diff finds nothing).
 */
function changes(call: RecursiveCall, copy: InstructionModel): boolean {
  const env = call.cmd.env;
  if (call.cmd.name === 'chmod') {
    const mode = copy.flags.get('chmod')?.[0];
    const spec = call.spec && substitute(call.spec.value, env);
    return !(mode && spec && /^[0-7]{3,4}$/.test(mode) && /^[0-7]{3,4}$/.test(spec) && parseInt(mode, 8) === parseInt(spec, 8));
  }
  // What the COPY gave: root:root without --chown; a user alone gets the same number as group.
  const given = splitOwner(substitute(copy.flags.get('chown')?.[0] ?? '0:0', copy.env));
  const user = idOf(given.user);
  const group = idOf(given.group) ?? (user && /^\d+$/.test(user) ? user : undefined);
  if (user === undefined || user.includes('$')) return true;
  if (call.from !== undefined) {
    const from = splitOwner(substitute(call.from, env));
    const differs = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && /^\d+$/.test(a) && /^\d+$/.test(b) && a !== b;
    if (differs(idOf(from.user), user) || differs(idOf(from.group), group)) return false;
  }
  if (!call.spec) return true;
  const want = splitOwner(substitute(call.spec.value, env));
  if (want.user !== undefined && want.user !== '' && idOf(want.user) !== user) return true;
  if (want.group === undefined) return false;
  return want.group === '' || group === undefined || idOf(want.group) !== group;
}

/**
 * `COPY --chown`/`--chmod` on the COPYs the call rewrites, and the recursive call made plain for
 * the folders under its targets that existed before (a WORKDIR, a mkdir): the COPY sets what it
 * copies (and the folders it creates), not those. Only when nothing else under a target needs the
 * call: no RUN writes there (its files would keep the old owner) and it is not a system folder.
 */
function chownFix(ctx: DockerfileContext, inst: InstructionModel, call: RecursiveCall, earlier: Creation[], flag: string): Fix[] {
  const model = ctx.model;
  const { cmd } = call;
  const run = inst.run!;
  const value = call.spec?.value;
  if (!value || call.from !== undefined || (value.includes('$') && flag === '--chmod') || run.execForm || run.heredoc || run.hasError) return [];
  const copies = [...new Set(earlier.map((c) => c.inst))];
  // Every rewritten COPY in this stage (a parent stage's files would lose the owner), a plain COPY.
  if (!copies.every((c) => c.stage === inst.stage && c.keyword === 'COPY' && !c.flags.has(flag.slice(2)))) return [];
  // COPY --chown needs the owner to exist when the COPY runs (a user made by a later RUN fails the
  // build): a user made after the COPY is made before it instead, when that can be done (hoistUsers).
  let hoist: UserHoist | undefined;
  if (flag === '--chown' && !copies.every((c) => ownerExists(substitute(value, c.env), c))) {
    hoist = hoistUsers(model, inst, cmd, copies);
    if (!hoist || !copies.every((c) => ownerExists(substitute(value, c.env), c, hoist!.names))) return [];
  }
  const copied = (t: string) => earlier.some((c) => isUnder(c.path, t));
  const recursive: Word[] = [];
  const plain: string[] = [];
  const before = instructionsBefore(inst).filter((i) => i !== inst);
  // The commands of this RUN before the call, without the user creation that moves above the COPY.
  const hoisted = hoist?.sameRun ? hoist.commands : [];
  const sameRunBefore = run.commands.filter((c) => c.end <= cmd.start && !hoisted.includes(c));
  let sameRunWrites = false;
  // RUNs that wrote under a target (`RUN python manage.py collectstatic` between `COPY . /code` and
  // `chown -R app /code`): their files need the call, which then stays as it is; the COPY gives the
  // owner, so the call changes nothing of what it copied (found by review: Django's usual file).
  const writers: InstructionModel[] = [];
  for (const w of call.targets) {
    const t = expandPath(w.value, inst, cmd.env);
    if (!copied(t)) {
      recursive.push(w);
      continue;
    }
    if (t.includes('$') || systemDir(t) || t === '/') return [];
    const made = madeDirsUnder(inst, cmd, t);
    if (made === undefined) return [];
    writers.push(...before.filter((i) => i.run && runWritesUnder(model, i, i.run.commands, t, i.end)));
    // The user creation that moves above the COPY must not write there (`useradd -m -d /app`: the
    // home would be filled before the COPY, not left as the COPY made it).
    if (hoisted.length && runWritesUnder(model, inst, hoisted, t, hoisted[hoisted.length - 1].end)) return [];
    // This RUN wrote there before the call (`cp docker/config.py settings/ && chown -R app /app`,
    // taiga's file): its files need the call, which stays, like a writer RUN's.
    if (runWritesUnder(model, inst, sameRunBefore, t, cmd.start, hoisted)) sameRunWrites = true;
    for (const d of made) if (!plain.includes(d)) plain.push(d);
  }
  const edits = copies.map((c) => insertAt(model, model.offsetAt(c.node.getInstructionRange().end), ` ${flag}=${value}`));
  if (hoist) edits.push(hoist.insert);
  if (writers.length || sameRunWrites) {
    if (hoist) edits.push(hoist.remove);
    const lines = [...new Set([...writers, ...(sameRunWrites ? [inst] : [])].map((i) => model.positionAt(i.start).line + 1))];
    return [{ title: `Use COPY ${flag}=${value}; the ${cmd.name} -R stays for the files line${lines.length > 1 ? 's' : ''} ${lines.join(', ')} ${lines.length > 1 ? 'write' : 'writes'} there${hoist?.title ?? ''}`, edits, preferred: true }];
  }
  // Commands of this RUN that stay in it (the hoisted user creation leaves).
  const staying = run.commands.filter((c) => !hoist?.commands.includes(c));
  // The rewritten call: recursive over the targets nothing was copied into, plain over the folders that were there.
  const parts: string[] = [];
  // `sudo chown …`: the wrapper stays in front of each command.
  const prefix = model.text.slice(cmd.start, cmd.argv[0].start);
  if (!plain.every((d) => SIMPLE_PATH.test(d))) return [];
  const options = cmd.argv.slice(1).filter((w) => w.value.startsWith('-') && w !== call.spec).map((w) => w.raw);
  if (recursive.length) parts.push(`${prefix}${cmd.argv[0].raw} ${options.join(' ')} ${call.spec!.raw} ${recursive.map((w) => w.raw).join(' ')}`);
  // A folder under a target written through it (`/home/${APP_USER}/app` under `/home/${APP_USER}`):
  // a build argument then names it as it names the target (found by review: the default was frozen in).
  const rawOf = (d: string) => {
    for (const w of call.targets) {
      const t = expandPath(w.value, inst, cmd.env).replace(/\/+$/, '');
      if (t === d) return w.raw;
      if (w.raw.includes('$') && SIMPLE_PATH.test(w.raw.replace(/\$\{?\w+\}?/g, 'x')) && isUnder(d, t)) return `${w.raw.replace(/\/+$/, '')}${d.slice(t === '/' ? 0 : t.length)}`;
    }
    return d;
  };
  const plainOptions = options.filter((o) => !/^(-[a-zA-Z]*R[a-zA-Z]*|--recursive)$/.test(o));
  if (plain.length) parts.push(`${prefix}${[cmd.argv[0].raw, ...plainOptions].join(' ')} ${call.spec!.raw} ${plain.sort((a, b) => a.localeCompare(b)).map(rawOf).join(' ')}`);
  const title =
    (plain.length ? `Use COPY ${flag}=${value}; keep a non-recursive ${cmd.name} of ${plain.join(' ')}` : `Use COPY ${flag}=${value} and drop the ${cmd.name} -R`) + (hoist?.title ?? '');
  // The hoisted commands' old place: gone with the RUN when nothing else stays in it.
  if (hoist && !(parts.length === 0 && staying.length === 1 && hoist.sameRun)) edits.push(hoist.remove);
  if (parts.length === 0) {
    if (staying.length === 1) {
      edits.push(dropInstruction(model, inst));
      return [{ title, edits, preferred: true }];
    }
    const e = dropCommand(model, inst, cmd);
    if (!e) return [];
    if (hoist?.sameRun && model.offsetAt(e.range.start) < model.offsetAt(hoist.remove.range.end)) {
      // The call ends the list and the user creation that leaves stood just before it
      // (`echo hi && useradd app && chown -R app /app`): both go, with the connector after the
      // command that stays before them.
      const kept = staying.filter((c) => c !== cmd && c.end <= hoist.commands[0].start).reduce<ShellCommand | undefined>((x, y) => (!x || y.end > x.end ? y : x), undefined);
      if (!kept || staying.some((c) => c !== cmd && c.start > hoist.commands[0].start)) return [];
      edits.splice(edits.indexOf(hoist.remove), 1);
      if (staying.every((c) => c === cmd || c.name === 'set')) {
        // Only its `set -eux` would stay: the RUN goes (found by review: an empty layer), but for
        // its comment lines.
        edits.push(dropInstruction(model, inst, commentLines(model.text.slice(inst.start, inst.end)).map((l) => `${l}\n`).join('')));
        return [{ title: `Use COPY ${flag}=${value} and drop the ${cmd.name} -R${hoist.title}`, edits, preferred: true }];
      }
      // (Comment lines between stay, after what is kept.)
      const notes = commentLines(model.text.slice(kept.end, model.offsetAt(e.range.end)));
      edits.push(replaceSpan(model, kept.end, model.offsetAt(e.range.end), notes.map((n) => `\n${n}`).join('')));
    } else edits.push(e);
    return [{ title: `Use COPY ${flag}=${value} and remove the ${cmd.name} -R from this RUN${hoist?.title ?? ''}`, edits, preferred: true }];
  }
  let joined = parts.join(' && ');
  if (parts.length > 1) {
    // Two commands where there was one: joined the way the list around it is (`;` lists under `set -e`).
    const after = model.text.slice(cmd.end, inst.end);
    const beforeText = model.text.slice(model.offsetAt(inst.node.getInstructionRange().end), cmd.start);
    const op = /^(?:[ \t]|\\\r?\n)*;/.test(after) || /;(?:[ \t]|\\\r?\n|\r?\n[ \t]*#[^\n]*)*$/.test(beforeText) ? '; ' : ' && ';
    if (!/^(?:[ \t]|\\\r?\n)*(&&|;|$)/.test(after) || !/(^|&&|;)(?:[ \t]|\\\r?\n|\r?\n[ \t]*#[^\n]*)*$/.test(beforeText.replace(/--mount=\S+/g, '').trimStart())) return [];
    joined = parts.join(op);
  }
  edits.push(replaceSpan(model, cmd.start, cmd.end, joined.replace(/ {2,}/g, ' ')));
  return [{ title, edits, preferred: true }];
}

/** A comment line inside an instruction's continuation (Docker drops it; the shell never sees it). */
const COMMENT_LINE = /^[ \t]*#[^\n]*\n/gm;

/** The comment lines of a span of an instruction, trimmed. */
function commentLines(s: string): string[] {
  return (s.match(COMMENT_LINE) ?? []).map((l) => l.trim());
}

/** A path that needs no quoting in a shell or a `--mount` option. */
const SIMPLE_PATH = /^[\w./@+-]+$/;

/** Folders the base image fills: a recursive chown there reaches files slimdock does not see. */
const SYSTEM_DIRS = ['/usr', '/etc', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/var/lib', '/var/cache', '/opt/conda', '/root', '/proc', '/sys', '/dev', '/run', '/boot'];

/** A system folder (SYSTEM_DIRS); not an app's folder under `/usr/src` or `/usr/local/src` (`/usr/src/app`), which base images leave empty. */
function systemDir(path: string): boolean {
  if (/^\/usr(\/local)?\/src\/[^/]+/.test(path)) return false;
  return SYSTEM_DIRS.some((d) => isUnder(path, d));
}

/**
 * The folders at or under `dir` that existed before `inst` other than through a COPY: WORKDIRs
 * (and the folders between `dir` and them) and mkdir operands, sorted; undefined when some path
 * is not known (a variable).
 */
function madeDirsUnder(inst: InstructionModel, call: ShellCommand, dir: string): string[] | undefined {
  const d = dir.replace(/\/+$/, '') || '/';
  const out = new Set<string>();
  const add = (p: string) => {
    if (!isUnder(p, d)) return;
    // Every folder from d down to p.
    for (let q = p; q.length >= d.length; q = q.slice(0, q.lastIndexOf('/')) || '/') {
      out.add(q);
      if (q === d || q === '/') break;
    }
  };
  for (const i of instructionsBefore(inst)) {
    // The folder an instruction runs in exists (a WORKDIR made it).
    add(i.workdir);
    for (const c of i.run?.commands ?? []) {
      if (c.name !== 'mkdir' || (i === inst && c.end > call.start)) continue;
      for (const w of c.argv.slice(1)) {
        if (w.value.startsWith('-') || (c.argv[c.argv.indexOf(w) - 1]?.value === '-m')) continue;
        const p = expandPath(w.value, i, c.env);
        if (p.includes('$') && isUnder(p, d)) return undefined;
        add(p);
      }
    }
  }
  return [...out].sort();
}

/**
 * A RUN (commands `cmds` of `i`, its text up to `until`) may write files under `dir`: it names it
 * (outside mkdir) or runs in it with commands that may write there.
 */
function runWritesUnder(model: DockerfileModel, i: InstructionModel, cmds: ShellCommand[], dir: string, until: number, skip: ShellCommand[] = []): boolean {
  if (cmds.length === 0) return false;
  if (isUnder(i.workdir, dir) && !cmds.every(cwdFree)) return true;
  // A path through a variable slimdock cannot resolve may lead there.
  if (cmds.some((c) => c.name !== 'mkdir' && c.argv.some((w) => w.value.includes('/') && substitute(w.value, c.vars).includes('$')))) return true;
  // The text of the commands (redirections included), mkdirs and the `skip` commands blanked: does it name the folder?
  const from = cmds[0].start;
  let text = model.text.slice(from, until);
  for (const c of [...cmds, ...skip]) {
    if ((c.name === 'mkdir' || skip.includes(c)) && c.start >= from && c.end <= until) text = text.slice(0, c.start - from) + ' '.repeat(c.end - c.start) + text.slice(c.end - from);
  }
  text = substitute(text, i.env);
  for (let at = text.indexOf(dir); at >= 0; at = text.indexOf(dir, at + 1)) if (/^($|[\s/'";&|)])/.test(text.slice(at + dir.length))) return true;
  return false;
}

/** Users and groups of Debian's base-passwd: in every Debian and Ubuntu image. */
const DEBIAN_USERS = new Set('root daemon bin sys sync games man lp mail news uucp proxy www-data backup list irc nobody adm tty disk kmem dialout fax voice cdrom floppy tape sudo audio dip operator src shadow utmp video sasl plugdev staff users nogroup'.split(' '));

/** `user[:group]` names an owner that exists at `copy`: root, numeric ids, Debian's system users on a Debian/Ubuntu base, or made by an earlier useradd/groupadd/adduser/addgroup. */
function ownerExists(value: string, copy: InstructionModel, made: ReadonlySet<string> = new Set()): boolean {
  if (value.includes('$')) return false;
  const created = new Set<string>(['root', ...made]);
  const debian = officialDebianFamily(copy.stage);
  for (const i of instructionsBefore(copy)) {
    for (const c of i.run?.commands ?? []) {
      if (!USER_TOOLS.test(c.name)) continue;
      const name = accountName(c);
      if (name) created.add(name);
    }
  }
  return value.split(':').every((part) => part !== '' && (/^\d+$/.test(part) || created.has(part) || (debian && DEBIAN_USERS.has(part))));
}

const USER_TOOLS = /^(useradd|adduser|groupadd|addgroup)$/;

/** The user or group a useradd/adduser/groupadd/addgroup makes: its last operand. */
function accountName(c: ShellCommand): string | undefined {
  return c.argv.slice(1).map((w) => substitute(w.value, c.vars)).filter((v) => !v.startsWith('-')).pop();
}

/** User creation made before the first COPY that gets `--chown` (hoistUsers). */
interface UserHoist {
  /** The new RUN, above the first rewritten COPY (and the comment lines over it). */
  insert: TextEdit;
  /** The commands taken out of where they were: out of the chown's own RUN, or their whole RUN. */
  remove: TextEdit;
  /** The commands come from the chown's own RUN. */
  sameRun: boolean;
  commands: ShellCommand[];
  /** The users and groups they make. */
  names: Set<string>;
  title: string;
}

/**
 * `COPY . /app` … `RUN useradd app && chown -R app /app`: the user is made after the COPY, so
 * `COPY --chown=app` alone would fail the build. The user creation moves above the first COPY: the
 * useradd/adduser/groupadd/addgroup commands that open the chown's RUN (joined by `&&` or `;`), or
 * a RUN of only those between the COPY and the chown. Not done when the account words use a
 * variable or a relative path, when the COPY runs as another user than root, when anything in
 * between makes users or groups (the ids given out would change), nor, for system accounts, when a
 * package is installed in between (its maintainer scripts may make system accounts too).
 */
function hoistUsers(model: DockerfileModel, inst: InstructionModel, cmd: ShellCommand, copies: InstructionModel[]): UserHoist | undefined {
  const text = model.text;
  const first = copies.reduce((a, b) => (b.start < a.start ? b : a));
  if (first.user !== 'root' && first.user !== '0') return undefined;
  const connector = /^(?:[ \t]|\\\r?\n)*(&&|;)(?:[ \t]|\\\r?\n)*$/;
  let source: InstructionModel;
  let commands: ShellCommand[];
  let body: string;
  let remove: TextEdit;
  const leading = inst.run!.commands.filter((c) => c.end <= cmd.start).sort((a, b) => a.start - b.start);
  // The account commands of the chown's RUN: one unbroken stretch of its list, at its start or
  // further on (taiga: `cp …; python manage.py …; groupadd …; useradd …; mkdir …; chown -R …`).
  const from = leading.findIndex((c) => USER_TOOLS.test(c.name));
  const to = leading.length - 1 - [...leading].reverse().findIndex((c) => USER_TOOLS.test(c.name));
  const stretch = from < 0 ? [] : leading.slice(from, to + 1);
  if (stretch.length && stretch.every((c) => USER_TOOLS.test(c.name))) {
    const after = leading[to + 1] ?? cmd;
    const prev = from > 0 ? leading[from - 1] : undefined;
    // Comment lines inside the continuation are not the shell's: left out of the gaps.
    const gap = (a: number, b: number) => text.slice(a, b).replace(COMMENT_LINE, '');
    // Only `&&`/`;` between them, before them and after them: a plain list, nothing nested or redirected.
    if (![...stretch, after].every((c, k, all) => k === 0 || connector.test(gap(all[k - 1].end, c.start)))) return undefined;
    if (prev) {
      const op = (a: number, b: number) => connector.exec(gap(a, b))?.[1];
      // The same connector on both sides: taking the stretch out joins its neighbours as they were joined.
      if (!op(prev.end, stretch[0].start) || op(prev.end, stretch[0].start) !== op(stretch[stretch.length - 1].end, after.start)) return undefined;
      // Commands before it that change what the accounts get (accountsChanged), or that may run as
      // another user (`gosu nobody …`: the shell model names the wrapped program, so the text is read).
      if (leading.slice(0, from).some((c) => accountsChanged(model, c, packagesMatter(inst, stretch)) || /(^|[\s/])(su|sudo|gosu|su-exec|runuser|chroot|setpriv)\s/.test(text.slice(c.start, c.end)))) return undefined;
    }
    source = inst;
    commands = stretch;
    // `set -eux; …; groupadd …; useradd …`: the moved commands keep the RUN's `set` (a failing
    // groupadd must still stop the build; found by review).
    // Only errexit, as it stands before them (`set +e` turns it off): the shell of the new RUN may
    // be another (a SHELL line comes after it), where `-o pipefail` is no option (found by review).
    let errexit = false;
    for (const c of leading.slice(0, from).filter((x) => x.name === 'set')) {
      const ws = c.argv.slice(1).map((w) => w.value);
      ws.forEach((w, k) => {
        if (/^-[a-zA-Z]*e/.test(w) || (w === '-o' && ws[k + 1] === 'errexit')) errexit = true;
        if (/^\+[a-zA-Z]*e/.test(w) || (w === '+o' && ws[k + 1] === 'errexit')) errexit = false;
      });
    }
    // (Comment lines between them stay in the RUN, below: not written twice.)
    body = `${errexit ? 'set -e; ' : ''}${text.slice(stretch[0].start, stretch[stretch.length - 1].end).replace(COMMENT_LINE, '')}`;
    // Comment lines inside the continuation stay where they are (found by review: they went with the commands).
    const notes = commentLines(text.slice(stretch[0].start, after.start));
    const indent = /\n([ \t]*)$/.exec(text.slice(stretch[0].start, after.start))?.[1] ?? '';
    remove = replaceSpan(model, stretch[0].start, after.start, notes.map((n) => `${n}\n${indent}`).join(''));
  } else {
    const own = instructionsBefore(inst).filter((i) => i.start > first.start && i !== inst && i.run && i.run.commands.length > 0 && i.run.commands.every((c) => USER_TOOLS.test(c.name)));
    if (own.length !== 1) return undefined;
    source = own[0];
    const run = source.run!;
    if (run.execForm || run.heredoc || run.hasError || source.flags.size > 0) return undefined;
    commands = run.commands;
    body = text.slice(model.offsetAt(source.node.getInstructionRange().end), source.end).trim();
    remove = dropInstruction(model, source);
  }
  const words = commands.flatMap((c) => c.argv.slice(1));
  if (words.some((w) => /[$`]/.test(w.raw) || (/\//.test(w.value) && !w.value.startsWith('/') && !w.value.startsWith('-')))) return undefined;
  const between = instructionsBefore(inst).filter((i) => i.start >= first.start && i !== inst && i !== source);
  const packages = packagesMatter(inst, commands);
  if (between.some((i) => i.run?.commands.some((c) => USER_TOOLS.test(c.name) || accountsChanged(model, c, packages)))) return undefined;
  // A home the accounts make (`useradd -m`, adduser's default) that holds what the COPYs write: it
  // was there before the accounts, which left it as it was; made first, it gets the skeleton files
  // (.bashrc, .profile; found by review).
  // (useradd makes one with -m, or by default where login.defs says CREATE_HOME, as on RHEL's bases;
  // Debian's `adduser --system` makes none, its home being /nonexistent; found by review.)
  const debian = officialDebianFamily(inst.stage);
  const makesHome = (c: ShellCommand) => {
    const ws = c.argv.slice(1).map((w) => w.value);
    if (ws.some((w) => /^(-M|--no-create-home|-H)$/.test(w))) return false;
    if (c.name === 'useradd') return ws.some((w) => /^-[a-zA-Z]*m[a-zA-Z]*$|^--create-home$/.test(w)) || !debian;
    return c.name === 'adduser' && !(ws.includes('--system') && !ws.some((w) => /^--home(=|$)/.test(w)));
  };
  const homes = commands.filter(makesHome).map((c) => {
    const ws = c.argv.slice(1).map((w) => w.value);
    const d = ws.findIndex((w) => w === '-d' || w === '--home' || w === '--home-dir' || w === '-h');
    const explicit = d >= 0 ? ws[d + 1] : ws.find((w) => /^--home(-dir)?=/.test(w))?.replace(/^[^=]*=/, '');
    const b = ws.findIndex((w) => w === '-b' || w === '--base-dir');
    return explicit ?? `${b >= 0 ? ws[b + 1].replace(/\/+$/, '') : '/home'}/${accountName(c) ?? ''}`;
  });
  // (A home a WORKDIR or mkdir made before the COPY was there already: nothing changes.)
  if (homes.some((h) => !madeBefore(first, h) && copies.some((c) => { const dest = resolvePath(c.workdir, substitute(c.args[c.args.length - 1]?.getValue() ?? '', c.env)); return isUnder(dest, h); }))) return undefined;
  // Above the first COPY and the comment lines that belong to it.
  let at = text.lastIndexOf('\n', first.start - 1) + 1;
  for (let prev = text.lastIndexOf('\n', at - 2) + 1; at > 0 && /^[ \t]*#/.test(text.slice(prev, at)); prev = text.lastIndexOf('\n', prev - 2) + 1) at = prev;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const names = new Set(commands.map(accountName).filter((n): n is string => !!n));
  return {
    insert: insertAt(model, at, `RUN ${body}${eol}`),
    remove,
    sameRun: source === inst,
    commands,
    names,
    title: `; make ${[...names].join(', ')} before it (line ${model.positionAt(first.start).line + 1})`,
  };
}

/**
 * Whether a package installed before the account commands `cmds` may change what they do: on a
 * base other than Debian's and Ubuntu's official images (Alpine's useradd comes with `shadow`), for
 * system accounts (packages make system accounts, from the same ids), and for accounts that join a
 * group the commands do not make themselves (`useradd -G ssl-cert web`). A plain user on Debian
 * gets the same ids either way (packages make system accounts only).
 */
function packagesMatter(inst: InstructionModel, cmds: ShellCommand[]): boolean {
  if (!officialDebianFamily(inst.stage)) return true;
  const words = cmds.flatMap((c) => c.argv.slice(1).map((w) => w.value));
  if (words.some((w) => /^(-[a-zA-Z]*r[a-zA-Z]*|--system|-S)$/.test(w))) return true;
  const made = new Set(cmds.map(accountName).filter((n): n is string => !!n));
  const groups: string[] = [];
  words.forEach((w, k) => {
    if (/^(-g|-G|--gid|--groups|--ingroup)$/.test(w) && words[k + 1]) groups.push(...words[k + 1].split(','));
    else if (/^--(gid|groups|ingroup)=/.test(w)) groups.push(...w.replace(/^[^=]*=/, '').split(','));
  });
  return groups.some((g) => g !== '' && !/^\d+$/.test(g) && !made.has(g) && !DEBIAN_USERS.has(g));
}

/**
 * `c` changes what accounts made after it get, or whether they can be made: a package install (its
 * maintainer scripts make groups and users; `apk add shadow` brings useradd), `userdel`/`usermod`
 * and the like (`userdel -r ubuntu` frees uid 1000), an edit of the account files or
 * /etc/login.defs (found by review).
 */
function accountsChanged(model: DockerfileModel, c: ShellCommand, packages: boolean): boolean {
  const call = packageCall(c);
  if (call && isSub(call, 'install', 'add')) return packages;
  // A package file installed by itself (`dpkg -i agent.deb`, `rpm -i`): its scripts too.
  if (/^(dpkg|rpm)$/.test(c.name) && c.argv.some((w) => /^(-i|--install|-U|--upgrade|-[a-zA-Z]*i[a-zA-Z]*h?)$/.test(w.value))) return packages;
  if (/^(userdel|groupdel|usermod|groupmod|deluser|delgroup|pwconv|grpconv|chpasswd)$/.test(c.name)) return true;
  return /\/etc\/(login\.defs|passwd|group|shadow|gshadow|adduser\.conf|default\/useradd)\b/.test(model.text.slice(c.start, c.end + 200).split('\n')[0]);
}

/** `dir` existed before `inst` other than through a COPY/ADD: it is (or holds) the folder an instruction ran in (a WORKDIR), or a mkdir made it. */
function madeBefore(inst: InstructionModel, dir: string): boolean {
  const d = dir.replace(/\/+$/, '') || '/';
  if (d.includes('$')) return true; // unknown: keep the chown
  return instructionsBefore(inst).some(
    (i) => isUnder(i.workdir, d) || (i !== inst && (i.run?.commands ?? []).some((c) => c.name === 'mkdir' && c.argv.some((w) => !w.value.startsWith('-') && w !== c.argv[0] && isUnder(expandPath(w.value, i, c.env), d)))),
  );
}

const SD406: DockerfileRule = {
  id: 'SD406',
  title: 'Consecutive RUNs that could be one',
  severity: 'info',
  hadolint: ['DL3059'],
  docs: {
    summary: 'Two `RUN` instructions follow each other in the final image with nothing in between: each is a layer of its own.',
    why: 'Every layer has overhead, and files one RUN creates and the next deletes stay in the image. One RUN with `&&` keeps them together.',
  },
  check(ctx, report) {
    for (const stage of ctx.model.stages) {
      if (!stage.reachesFinal) continue;
      const list = stage.instructions;
      const mergeable = (x: InstructionModel, y: InstructionModel) =>
        !!x.run && !!y.run && !x.run.execForm && !y.run.execForm && !x.run.heredoc && !y.run.heredoc && !x.run.mounts.length && !y.run.mounts.length;
      for (let i = 1; i < list.length; i++) {
        const a = list[i - 1];
        const b = list[i];
        if (!mergeable(a, b)) continue;
        // One finding per run of consecutive RUNs, on the second one.
        if (i >= 2 && mergeable(list[i - 2], a)) continue;
        let last = i;
        while (last + 1 < list.length && mergeable(list[last], list[last + 1])) last++;
        const between = ctx.model.text.slice(a.end, b.start);
        const aRun = a.run!;
        const comments = /#/.test(between);
        const esc = ctx.model.escapeChar;
        // The body starts after the keyword (no flags: mounts are excluded above); not at the first
        // command, which may sit inside a substitution (`useradd -p $(openssl …)`).
        const bodyStart = b.args[0] ? ctx.model.offsetAt(b.args[0].getRange().start) : undefined;
        // `cd`, `export` and `set` in the first RUN would change what the second runs with; a
        // trailing `&` cannot be followed by `&&`.
        const stateful = aRun.commands.some((c) => c.name === 'cd' || c.name === 'set' || c.name === 'source' || c.name === '.') || /\bexport\b/.test(ctx.model.text.slice(a.start, a.end));
        const background = /(^|[^&])&\s*$/.test(ctx.model.text.slice(a.start, a.end));
        const fixes: Fix[] =
          !comments && !stateful && !background && bodyStart !== undefined
            ? [{ title: 'Merge with the RUN above', edits: [replaceSpan(ctx.model, a.end, bodyStart, ` ${esc}\n    && `)], safe: false }]
            : [];
        report({
          range: ctx.model.rangeOf(b.start, b.start + 3),
          message:
            last > i
              ? `${last - i + 2} RUNs in a row (lines ${ctx.model.positionAt(a.start).line + 1}–${ctx.model.positionAt(list[last].start).line + 1}): merge them with && to save layers.`
              : `This RUN directly follows the one in line ${ctx.model.positionAt(a.start).line + 1}: merge them with && to save a layer.`,
          fixes,
        });
      }
    }
  },
};

export const layerRules: DockerfileRule[] = [SD404, SD405, SD406];
