// Layer rules (SD404–SD406): what one layer creates and a later one only hides, recursive
// chown/chmod that copies files into a new layer, and RUNs that could be one.
import type { DockerfileRule } from './rule';
import type { DockerfileContext } from '../context';
import type { InstructionModel, StageModel } from '../parse/dockerfile';
import { isUnder, resolvePath, shipsPath, substitute } from '../parse/dockerfile';
import type { ShellCommand } from '../parse/shell';
import { pipCall, uvCall, installArgs, expandPath } from './commands';
import { pipCacheDir } from './python';
import { replaceSpan, insertAt } from './edits';
import { packageCall, isSub } from './os-commands';
import type { Fix } from '../types';

export interface Creation {
  inst: InstructionModel;
  path: string;
  what: string;
  /** A COPY/ADD destination: only removing that path (or a folder above it) removes what was copied. */
  copied?: boolean;
}

/** Instructions of a stage and of the stages it is built FROM, in build order. */
export function lineage(stage: StageModel): InstructionModel[] {
  const chain: StageModel[] = [];
  for (let s: StageModel | undefined = stage; s; s = s.parent) chain.unshift(s);
  return chain.flatMap((s) => s.instructions);
}

const creationsOf = new WeakMap<InstructionModel, Creation[]>();

/** Paths a layer creates: package-manager state and caches, downloads, COPY/ADD destinations (once per instruction). */
export function creations(inst: InstructionModel): Creation[] {
  let out = creationsOf.get(inst);
  if (!out) creationsOf.set(inst, (out = computeCreations(inst)));
  return out;
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
    if (pkg?.manager === 'apt' && isSub(pkg, 'update')) out.push({ inst, path: '/var/lib/apt/lists', what: `${pkg.tool} update` });
    if (pkg?.manager === 'apt' && isSub(pkg, 'install')) out.push({ inst, path: '/var/cache/apt', what: `${pkg.tool} install` });
    if (pkg?.manager === 'apk' && isSub(pkg, 'add')) out.push({ inst, path: '/var/cache/apk', what: 'apk add' });
    if (pkg?.manager === 'rpm' && isSub(pkg, 'install')) out.push({ inst, path: `/var/cache/${/dnf/.test(pkg.tool) ? 'dnf' : pkg.tool}`, what: `${pkg.tool} install` });
    const pip = pipCall(cmd);
    if (pip?.sub?.value === 'install') {
      const a = installArgs(pip.args);
      if (!a.options.has('--no-cache-dir') && !cmd.env.has('PIP_NO_CACHE_DIR')) out.push({ inst, path: pipCacheDir(inst, cmd, a.options.get('--cache-dir')?.[0]?.value), what: 'pip install' });
    }
    const uv = uvCall(cmd);
    if (uv && (uv.sub?.value === 'sync' || uv.sub?.value === 'pip')) out.push({ inst, path: uvCacheDirOf(inst, cmd), what: `uv ${uv.sub.value}` });
    if (/^(conda|mamba|micromamba)$/.test(cmd.name) && /^(install|create|env|update)$/.test(sub ?? '')) out.push({ inst, path: cmd.env.get('CONDA_PKGS_DIRS') ?? `${cmd.env.get('CONDA_DIR') ?? cmd.env.get('MAMBA_ROOT_PREFIX') ?? '/opt/conda'}/pkgs`, what: `${cmd.name} ${sub}` });
    if (cmd.name === 'wget' || cmd.name === 'curl') {
      for (let i = 1; i < cmd.argv.length - 1; i++) {
        const o = cmd.argv[i].value;
        if (o === '-O' || o === '-o' || o === '--output' || o === '--output-document') {
          const file = cmd.argv[i + 1].value;
          if (file !== '-' && file !== '/dev/null') out.push({ inst, path: expandPath(file, inst, cmd.env), what: `${cmd.name} download` });
        }
      }
    }
    if (cmd.name === 'git' && sub === 'clone') {
      const rest = cmd.argv.slice(2).filter((w) => !w.value.startsWith('-'));
      const url = rest[0]?.value;
      const dir = rest[1]?.value ?? url?.replace(/\.git$/, '').split('/').pop();
      if (dir) out.push({ inst, path: expandPath(dir, inst, cmd.env), what: 'git clone' });
    }
  }
  return out;
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
    for (const stage of ctx.model.stages) {
      const insts = lineage(stage).filter((i) => i.stage === stage || !stage.reachesFinal || i.stage.reachesFinal);
      const own = new Set(stage.instructions);
      for (const inst of insts) {
        if (!own.has(inst) || !inst.run) continue;
        for (const clean of cleanups(inst)) {
          for (const path of clean.paths) {
            if (path === '/' || !shipsPath(inst.stage, path)) continue;
            // Removing a folder above what was created removes it; removing something inside a
            // package-manager or cache folder removes part of it. A COPY destination folder only
            // counts when the removal covers it: its file names are not known.
            const created = insts.filter((c) => c.start < inst.start).flatMap(creations).filter((c) => isUnder(c.path, path) || (!c.copied && isUnder(path, c.path) && c.path !== '/'));
            // Only what this same RUN did not create as well (then it is removed in the right layer).
            const sameRun = creations(inst).some((c) => isUnder(c.path, path) || isUnder(path, c.path));
            if (created.length === 0 || sameRun) continue;
            const first = created[created.length - 1];
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
      }
    }
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
    for (const stage of ctx.model.stages) {
      if (!stage.reachesFinal) continue;
      const insts = lineage(stage);
      for (const inst of stage.instructions) {
        for (const cmd of inst.run?.commands ?? []) {
          if (cmd.name !== 'chown' && cmd.name !== 'chmod') continue;
          if (!cmd.argv.some((w) => /^-[a-zA-Z]*R[a-zA-Z]*$/.test(w.value) || w.value === '--recursive')) continue;
          const operands = cmd.argv.slice(1).filter((w) => !w.value.startsWith('-'));
          const targets = operands.slice(1).map((w) => expandPath(w.value, inst, cmd.env));
          const earlier = insts.filter((i) => i.start < inst.start && (i.keyword === 'COPY' || i.keyword === 'ADD')).flatMap(creations).filter((c) => targets.some((t) => isUnder(c.path, t)));
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
      }
    }
  },
};

function chownFix(ctx: DockerfileContext, inst: InstructionModel, cmd: ShellCommand, earlier: Creation[], flag: string, value: string | undefined): Fix[] {
  if (!value || value.includes('$') && flag === '--chmod') return [];
  const copies = [...new Set(earlier.map((c) => c.inst))].filter((c) => c.stage === inst.stage && !c.flags.has(flag.slice(2)));
  if (copies.length === 0) return [];
  const edits = copies.map((c) => insertAt(ctx.model, ctx.model.offsetAt(c.node.getInstructionRange().end), ` ${flag}=${value}`));
  // Remove the chown when it is the whole RUN.
  const run = inst.run!;
  if (run.commands.length === 1 && !run.execForm && !run.heredoc) {
    let end = inst.end;
    if (ctx.model.text[end] === '\r') end++;
    if (ctx.model.text[end] === '\n') end++;
    edits.push(replaceSpan(ctx.model, inst.start, end, ''));
  } else return [];
  return [{ title: `Use COPY ${flag}=${value} and drop the ${cmd.name} -R`, edits, preferred: true }];
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
