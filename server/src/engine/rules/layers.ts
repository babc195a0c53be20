// Layer rules (SD404–SD406): what one layer creates and a later one only hides, recursive
// chown/chmod that copies files into a new layer, and RUNs that could be one.
import type { DockerfileRule } from './rule';
import type { DockerfileContext } from '../context';
import type { InstructionModel, StageModel } from '../parse/dockerfile';
import { isUnder, resolvePath, shipsPath, substitute } from '../parse/dockerfile';
import type { ShellCommand } from '../parse/shell';
import { pipCall, uvCall, installArgs, expandPath, mountCovers } from './commands';
import { pipCacheDir } from './python';
import { replaceSpan, insertAt } from './edits';
import { packageCall, isSub, instructionsBefore } from './os-commands';
import type { Fix } from '../types';

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
  const chain: StageModel[] = [];
  for (let s: StageModel | undefined = stage; s; s = s.parent) chain.unshift(s);
  return chain.flatMap((s) => s.instructions);
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
  const children = new Map<StageModel, StageModel[]>();
  const roots: StageModel[] = [];
  for (const s of stages) {
    if (!s.parent) roots.push(s);
    else {
      let list = children.get(s.parent);
      if (!list) children.set(s.parent, (list = []));
      list.push(s);
    }
  }
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
  if ((inst.keyword === 'COPY' || inst.keyword === 'ADD') && !inst.flags.has('from')) {
    const args = inst.args;
    if (args.length >= 2) {
      const destRaw = substitute(args[args.length - 1].getValue(), inst.env);
      const dest = resolvePath(inst.workdir, destRaw);
      const sources = args.slice(0, -1).map((a) => a.getValue());
      if (destRaw.endsWith('/') || sources.length > 1) {
        for (const s of sources) out.push({ inst, path: resolvePath(dest, s.replace(/\/+$/, '').split('/').pop() || '.'), what: `${inst.keyword} ${s}`, copied: true });
      }
      out.push({ inst, path: dest, what: `${inst.keyword} ${sources.join(' ')}`, copied: true });
    }
    return out;
  }
  for (const cmd of inst.run?.commands ?? []) {
    const sub = cmd.argv[1]?.value;
    // Package managers take options before the subcommand (`apt -o Acquire::Retries=5 update`).
    const pkg = packageCall(cmd);
    if (pkg?.manager === 'apt' && isSub(pkg, 'update')) out.push({ inst, cmd, path: '/var/lib/apt/lists', what: `${pkg.tool} update` });
    if (pkg?.manager === 'apt' && isSub(pkg, 'install')) out.push({ inst, cmd, path: '/var/cache/apt', what: `${pkg.tool} install` });
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
            fixes: moveCleanupFix(ctx, inst, clean, first.inst),
          });
          break;
        }
      }
    });
  },
};

/** When the later RUN only cleans up, move its whole body to the end of the creating RUN. */
function moveCleanupFix(ctx: DockerfileContext, later: InstructionModel, clean: Cleanup, creator: InstructionModel): Fix[] {
  const run = later.run!;
  if (run.execForm || run.heredoc || run.mounts.length || !creator.run || creator.run.execForm || creator.run.heredoc) return [];
  if (creator.stage !== later.stage) return [];
  const allCleanup = run.commands.every((c) => cleanups(later).some((x) => x.cmd === c) || c.name === 'true');
  if (!allCleanup || run.commands.length === 0) return [];
  const body = ctx.model.text.slice(run.commands[0].start, run.commands[run.commands.length - 1].end);
  if (body.includes('\n')) return [];
  // Delete the later RUN with its line break, append its commands to the creating RUN.
  let delEnd = later.end;
  if (ctx.model.text[delEnd] === '\r') delEnd++;
  if (ctx.model.text[delEnd] === '\n') delEnd++;
  const lastCreatorCmd = creator.run.commands[creator.run.commands.length - 1];
  if (!lastCreatorCmd) return [];
  const esc = ctx.model.escapeChar;
  return [
    {
      title: `Move \`${clean.what}\` into the RUN on line ${ctx.model.positionAt(creator.start).line + 1}`,
      edits: [insertAt(ctx.model, creator.end, ` ${esc}\n    && ${body}`), replaceSpan(ctx.model, later.start, delEnd, '')],
      preferred: true,
      safe: true,
    },
  ];
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
    const recursive = (cmd: ShellCommand) => (cmd.name === 'chown' || cmd.name === 'chmod') && cmd.argv.some((w) => /^-[a-zA-Z]*R[a-zA-Z]*$/.test(w.value) || w.value === '--recursive');
    if (!ctx.model.instructions.some((i) => i.stage.reachesFinal && i.run?.commands.some(recursive))) return;
    // Only COPY/ADD creations are indexed: what a chown can copy into a new layer.
    const copies = (inst: InstructionModel) => inst.keyword === 'COPY' || inst.keyword === 'ADD';
    walkLineages(ctx.model.stages, new CreationIndex(), (inst, index) => {
      if (!inst.stage.reachesFinal) return;
      for (const cmd of inst.run?.commands ?? []) {
        if (!recursive(cmd)) continue;
        const operands = cmd.argv.slice(1).filter((w) => !w.value.startsWith('-'));
        const targets = operands.slice(1).map((w) => expandPath(w.value, inst, cmd.env));
        const earlier = index.under(targets);
        if (earlier.length === 0) continue;
        const lines = [...new Set(earlier.map((c) => ctx.model.positionAt(c.inst.start).line + 1))];
        const flag = cmd.name === 'chown' ? '--chown' : '--chmod';
        report({
          range: ctx.model.rangeOf(cmd.start, cmd.end),
          message: `${cmd.name} -R rewrites files added in line ${lines.join(', ')}: they are stored twice. Use COPY ${flag}=${operands[0]?.value ?? '…'} instead.`,
          estimate: { bytes: null, basis: 'the size of the files the earlier COPY added: counted from the build context when the COPY is rewritten.' },
          fixes: chownFix(ctx, inst, cmd, earlier, flag, operands[0]?.value),
        });
      }
    }, copies);
  },
};

function chownFix(ctx: DockerfileContext, inst: InstructionModel, cmd: ShellCommand, earlier: Creation[], flag: string, value: string | undefined): Fix[] {
  if (!value || value.includes('$') && flag === '--chmod') return [];
  const copies = [...new Set(earlier.map((c) => c.inst))].filter((c) => c.stage === inst.stage && !c.flags.has(flag.slice(2)));
  if (copies.length === 0) return [];
  // COPY --chown needs the owner to exist when the COPY runs (a user made by a later RUN fails the build).
  if (flag === '--chown' && !copies.every((c) => ownerExists(substitute(value, c.env), c))) return [];
  const run = inst.run!;
  if (run.commands.length !== 1 || run.execForm || run.heredoc) return []; // only when the chown is the whole RUN
  const edits = copies.map((c) => insertAt(ctx.model, ctx.model.offsetAt(c.node.getInstructionRange().end), ` ${flag}=${value}`));
  // COPY --chown sets the copied files, not a folder that existed before (the WORKDIR, a mkdir): a
  // non-recursive chown keeps that folder's owner as the -R gave it (one inode, not the files).
  const operands = cmd.argv.slice(1).filter((w) => !w.value.startsWith('-'));
  const existing = operands.slice(1).filter((w) => madeBefore(inst, expandPath(w.value, inst, cmd.env)));
  let end = inst.end;
  if (ctx.model.text[end] === '\r') end++;
  if (ctx.model.text[end] === '\n') end++;
  if (existing.length === 0) {
    edits.push(replaceSpan(ctx.model, inst.start, end, ''));
    return [{ title: `Use COPY ${flag}=${value} and drop the ${cmd.name} -R`, edits, preferred: true }];
  }
  const kept = `${cmd.name} ${operands[0].raw} ${existing.map((w) => w.raw).join(' ')}`;
  edits.push(replaceSpan(ctx.model, cmd.start, cmd.end, kept));
  return [{ title: `Use COPY ${flag}=${value}; keep a non-recursive ${cmd.name} of ${existing.map((w) => w.value).join(' ')}`, edits, preferred: true }];
}

/** `user[:group]` names an owner that exists at `copy`: root, numeric ids, or made by an earlier useradd/groupadd/adduser/addgroup. */
function ownerExists(value: string, copy: InstructionModel): boolean {
  if (value.includes('$')) return false;
  const created = new Set<string>(['root']);
  for (const i of instructionsBefore(copy)) {
    for (const c of i.run?.commands ?? []) {
      if (!/^(useradd|adduser|groupadd|addgroup)$/.test(c.name)) continue;
      const name = c.argv.slice(1).map((w) => substitute(w.value, c.env)).filter((v) => !v.startsWith('-')).pop();
      if (name) created.add(name);
    }
  }
  return value.split(':').every((part) => part !== '' && (/^\d+$/.test(part) || created.has(part)));
}

/** `dir` existed before `inst` other than through a COPY/ADD: it is (or holds) a WORKDIR, or a mkdir made it. */
function madeBefore(inst: InstructionModel, dir: string): boolean {
  const d = dir.replace(/\/+$/, '') || '/';
  if (d.includes('$')) return true; // unknown: keep the chown
  return instructionsBefore(inst).some(
    (i) =>
      !(i.keyword === 'COPY' || i.keyword === 'ADD') &&
      (isUnder(i.workdir, d) || (i !== inst && (i.run?.commands ?? []).some((c) => c.name === 'mkdir' && c.argv.some((w) => !w.value.startsWith('-') && w !== c.argv[0] && isUnder(expandPath(w.value, i, c.env), d))))),
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
