// SD401's fix, "copy the dependency manifests first": for a whole-context COPY followed in its
// stage by an install from manifests. When the install needs only the manifests (requirements
// files, `poetry install --no-root`, `pipenv install`, `uv sync --no-install-project`), it moves
// before the COPY behind a `COPY <manifests> <dest>`; `uv sync` and `poetry install` are split
// like uv's pattern (dependencies first, the project after the COPY); `pip install .` is left
// alone (pip cannot install a project's dependencies without its sources).
//
// Moving is one edit that rewrites the span from the COPY to the install with the same
// instruction blocks (comments above each travel with it) in the new order: the instructions
// between keep their order, and the COPY moves down past them to just after the install. It may
// only pass ones that cannot change what it copies where (LABEL, EXPOSE, CMD …, ENV/ARG/USER, and
// WORKDIR when its destination is absolute); anything else between (a RUN, another COPY) and no
// fix is offered.
import type { DockerfileContext } from '../context';
import type { InstructionModel } from '../parse/dockerfile';
import { resolvePath, isUnder } from '../parse/dockerfile';
import type { ShellCommand, Word } from '../parse/shell';
import { join, parentDir } from '../config/config';
import { insertAt, replaceSpan } from '../rules/edits';
import { mountCovers, uvCall } from '../rules/commands';
import { pythonInstall, toolCall } from '../rules/python-tools';
import type { Fix } from '../types';
import type { WholeCopy } from '../rules/context';
import { blockOf, blockText, runLines } from './blocks';
import { uvCacheDir } from './convert';

const INERT = new Set(['LABEL', 'EXPOSE', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'STOPSIGNAL', 'MAINTAINER']);
const TOOL_PACKAGES = new Set(['pip', 'setuptools', 'wheel', 'poetry', 'pipenv', 'uv', 'virtualenv']);
const UV_SYNC_FLAGS = new Set(['--locked', '--frozen', '--no-dev', '--all-extras', '--no-editable', '--compile-bytecode', '--no-cache', '-n', '--no-default-groups', '--inexact', '-q', '--quiet', '-v', '--verbose']);
const UV_SYNC_VALUES = new Set(['--extra', '--group', '--only-group', '--no-group']);

/** A local path in a requirements line (`-e .`, `./pkg`, `file:…`): the install needs sources. */
const LOCAL_REQUIREMENT = /^(-e|--editable)?\s*(\.|\/|file:)|@\s*file:/;

interface Plan {
  /** Manifest paths inside the image (absolute). */
  manifests: string[];
  /** `move`: the RUN goes before the COPY; `split`: a dependencies RUN is inserted before it. */
  how: 'move' | 'split';
  /** For `split`: the RUN text to insert (without indentation, ending in a line break). */
  deps?: (indent: string) => string;
  /** The split RUN bind-mounts uv.lock and pyproject.toml itself: no manifest COPY. */
  mounted?: boolean;
}

/** Requirements files a file pulls in (`-r`, `-c`), image paths; undefined when one needs sources or is unreadable. */
function requirementClosure(ctx: DockerfileContext, copy: WholeCopy, path: string, out: string[], depth = 0): string[] | undefined {
  if (depth > 5 || out.includes(path)) return out;
  const text = contextText(ctx, copy, path);
  if (text === undefined) return undefined;
  out.push(path);
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    if (LOCAL_REQUIREMENT.test(line)) return undefined;
    const include = /^(-r|--requirement|-c|--constraint)\s*=?\s*(\S+)/.exec(line);
    if (include && !requirementClosure(ctx, copy, resolvePath(parentDir(path), include[2]), out, depth + 1)) return undefined;
  }
  return out;
}

/** The context file the whole-context COPY puts at image path `path`. */
function contextRel(copy: WholeCopy, path: string): string | undefined {
  if (!isUnder(path, copy.dest) || path === copy.dest) return undefined;
  return path.slice(copy.dest === '/' ? 1 : copy.dest.length + 1);
}

function contextText(ctx: DockerfileContext, copy: WholeCopy, path: string): string | undefined {
  const rel = contextRel(copy, path);
  if (!rel || ctx.build.ignored(rel) || copy.excluded(rel) || ctx.build.stat(rel) !== 'file') return undefined;
  return ctx.fs.readFile(join(ctx.contextDir, rel));
}

function words(cmd: ShellCommand, from: Word | undefined): Word[] {
  return from ? cmd.argv.slice(cmd.argv.indexOf(from) + 1) : [];
}

/** How the install RUN can go first, or undefined. */
function plan(ctx: DockerfileContext, copy: WholeCopy, run: InstructionModel): Plan | undefined {
  const manifests: string[] = [];
  let split: Plan['deps'];
  let mounted = false;
  const inContext = (name: string) => contextText(ctx, copy, resolvePath(run.workdir, name)) !== undefined;
  for (const cmd of run.run?.commands ?? []) {
    if (cmd.via === 'sh -c' || /^(sh|bash|dash|ash)$/.test(cmd.name)) return undefined;
    const ins = pythonInstall(run, cmd);
    if (ins) {
      const a = ins.args;
      if (a.editables.length || a.packages.some((w) => w.dynamic || /^[./~$]|^file:/.test(w.value))) return undefined;
      if (a.packages.length && a.requirementFiles.length === 0 && a.packages.every((w) => TOOL_PACKAGES.has(w.value.split(/[=<>~![ ]/)[0].toLowerCase()))) continue;
      for (const f of [...a.requirementFiles, ...a.constraintFiles]) {
        if (f.dynamic || !requirementClosure(ctx, copy, resolvePath(run.workdir, f.value), manifests)) return undefined;
      }
      continue;
    }
    const poetry = toolCall(cmd, 'poetry');
    if (poetry?.sub?.value === 'config') continue;
    if (poetry?.sub && /^(install|sync)$/.test(poetry.sub.value)) {
      if (poetry.args.some((w) => /^(-C|--directory|-P|--project)/.test(w.value))) return undefined;
      for (const f of ['pyproject.toml', 'poetry.lock', 'poetry.toml']) if (inContext(f)) manifests.push(resolvePath(run.workdir, f));
      if (!inContext('pyproject.toml')) return undefined;
      if (!poetry.args.some((w) => w.value === '--no-root' || w.value === '--only-root')) {
        // poetry's own pattern: `poetry install --no-root` first, the project after the COPY. The
        // copy of the RUN must not repeat a problem of the original: its cache is handled (a cache
        // mount, --no-cache), and it installs only the main group (the dev groups follow with the project).
        if (split || run.run!.commands.some((c) => c !== cmd && !toolSetup(run, c))) return undefined;
        if (!run.run!.mounts.some((m) => m.type === 'cache') && !cmd.argv.some((w) => w.value === '--no-cache')) return undefined;
        const groups = poetry.args.some((w) => /^--(only|without|with|no-dev)\b/.test(w.value));
        const at = poetry.sub.end - run.start;
        const text = ctx.model.text.slice(run.start, run.end);
        split = (indent) => `${indent}${text.slice(0, at)} --no-root${groups ? '' : ' --only main'}${text.slice(at)}\n`;
      }
      continue;
    }
    const pipenv = toolCall(cmd, 'pipenv');
    if (pipenv?.sub && /^(install|sync)$/.test(pipenv.sub.value)) {
      if (pipenv.args.some((w) => !w.value.startsWith('-'))) return undefined; // packages by name: not a manifest install
      const pipfile = contextText(ctx, copy, resolvePath(run.workdir, 'Pipfile'));
      if (pipfile === undefined || /\bpath\s*=/.test(pipfile)) return undefined;
      for (const f of ['Pipfile', 'Pipfile.lock']) if (inContext(f)) manifests.push(resolvePath(run.workdir, f));
      continue;
    }
    const uv = uvCall(cmd);
    if (uv?.sub?.value === 'sync') {
      if (!inContext('pyproject.toml') || !inContext('uv.lock')) return undefined;
      if (/^\s*\[tool\.uv\.workspace\]/m.test(contextText(ctx, copy, resolvePath(run.workdir, 'pyproject.toml')) ?? '')) return undefined;
      const rest = words(cmd, uv.sub);
      if (rest.some((w) => w.value === '--no-install-project')) {
        manifests.push(resolvePath(run.workdir, 'pyproject.toml'), resolvePath(run.workdir, 'uv.lock'));
        continue;
      }
      // uv's pattern: the dependencies from bind-mounted manifests, then the project after the COPY.
      const kept: string[] = [];
      for (let i = 0; i < rest.length; i++) {
        const v = rest[i].value;
        const name = v.includes('=') ? v.slice(0, v.indexOf('=')) : v;
        if (UV_SYNC_FLAGS.has(v)) kept.push(v);
        else if (UV_SYNC_VALUES.has(name)) kept.push(v.includes('=') ? v : `${v} ${rest[++i]?.value ?? ''}`);
        else return undefined;
      }
      if (split || run.run!.commands.length !== 1 || run.workdir !== copy.inst.workdir) return undefined;
      const mounts = (run.run!.mounts ?? []).map((m) => ctx.model.text.slice(m.start, m.end)).filter((m) => !/type=bind,.*(uv\.lock|pyproject\.toml)/.test(m));
      const uvMounted = mounts.some((m) => /astral-sh\/uv/.test(m));
      if (!uvMounted && !uvBefore(copy.inst)) return undefined;
      const cache = uvCacheDir(run, cmd);
      const cached = mountCovers(run, cache) || kept.includes('--no-cache') || kept.includes('-n');
      const flags = [...(cached ? [] : [`--mount=type=cache,target=${cache}`]), ...mounts, '--mount=type=bind,source=uv.lock,target=uv.lock', '--mount=type=bind,source=pyproject.toml,target=pyproject.toml'];
      // Without dev dependencies unless groups are chosen: the sync after the COPY adds them, and the
      // new RUN does not repeat SD105's finding on the original.
      const groups = kept.some((k) => /^--(no-dev|group|only-group|no-group|no-default-groups|all-groups|dev|only-dev)\b/.test(k)) || cmd.env.has('UV_NO_DEV');
      if (!groups) kept.push('--no-dev');
      split = (indent) => runLines(ctx.model.escapeChar, indent, flags, ['uv', 'sync', ...kept, '--no-install-project'].join(' '));
      mounted = true;
      manifests.push(resolvePath(run.workdir, 'pyproject.toml'), resolvePath(run.workdir, 'uv.lock'));
      continue;
    }
    if (toolSetup(run, cmd) || /^(rm|apt-get|apt|apk|true)$/.test(cmd.name)) continue;
    return undefined; // anything else may need the sources
  }
  if (split) return { manifests: [...new Set(manifests)], how: 'split', deps: split, mounted };
  return manifests.length ? { manifests: [...new Set(manifests)], how: 'move' } : undefined;
}

function toolSetup(run: InstructionModel, cmd: ShellCommand): boolean {
  const ins = pythonInstall(run, cmd);
  if (ins) return ins.args.requirementFiles.length === 0 && ins.args.editables.length === 0 && ins.args.packages.every((w) => TOOL_PACKAGES.has(w.value.split(/[=<>~![ ]/)[0].toLowerCase()));
  return toolCall(cmd, 'poetry')?.sub?.value === 'config';
}

/** uv is on hand before `inst`: the base is a uv image, or an earlier instruction copied or pip-installed it. */
function uvBefore(inst: InstructionModel): boolean {
  for (let s: typeof inst.stage | undefined = inst.stage; s; s = s.parent) {
    if (!s.parent && /astral-sh\/uv/i.test(s.image)) return true;
    for (const i of s.instructions) {
      if (i.start >= inst.start) continue;
      if (i.keyword === 'COPY' && (i.flags.get('from') ?? []).some((f) => /astral-sh\/uv/i.test(f))) return true;
      if ((i.run?.commands ?? []).some((c) => pythonInstall(i, c)?.args.packages.some((w) => /^uv([=<>~! ]|$)/i.test(w.value)))) return true;
    }
  }
  return false;
}

/** `COPY a b ./` lines for the manifests, one per folder, destinations relative to the WORKDIR where they can be. */
function manifestCopies(copy: WholeCopy, run: InstructionModel, manifests: string[], indent: string): string | undefined {
  const byDir = new Map<string, string[]>();
  for (const m of manifests) {
    const rel = contextRel(copy, m);
    if (!rel || /[\s"'$]/.test(rel)) return undefined;
    const dir = parentDir(m);
    byDir.set(dir, [...(byDir.get(dir) ?? []), rel]);
  }
  let out = '';
  for (const [dir, rels] of byDir) {
    const dest = dir === run.workdir ? (rels.length === 1 ? '.' : './') : isUnder(dir, run.workdir) && run.workdir !== '/' ? `${dir.slice(run.workdir.length + 1)}/` : `${dir}/`;
    out += `${indent}COPY ${rels.join(' ')} ${dest}\n`;
  }
  return out;
}

/** SD401's fix for the whole-context COPY `copy` and the install RUN `run` after it, or undefined. */
export function manifestsFirstFix(ctx: DockerfileContext, copy: WholeCopy, run: InstructionModel): Fix | undefined {
  const model = ctx.model;
  const stage = copy.inst.stage;
  if (run.stage !== stage || run.run?.execForm && run.run.commands.length !== 1) return undefined;
  const p = plan(ctx, copy, run);
  if (!p) return undefined;
  const between = stage.instructions.filter((i) => i.start > copy.inst.start && i.start < run.start);
  const copyText = model.text.slice(copy.inst.start, copy.inst.end);
  // The COPY moves down past these: nothing they do changes what it copies, or where.
  const copyMovable = (i: InstructionModel) => INERT.has(i.keyword) || ((i.keyword === 'ENV' || i.keyword === 'ARG' || i.keyword === 'USER') && !copyText.includes('$')) || (i.keyword === 'WORKDIR' && !copyText.includes('$') && copy.inst.args[copy.inst.args.length - 1].getValue().startsWith('/'));
  if (!between.every(copyMovable)) return undefined;
  const runBlock = blockOf(model, run);
  const copies = manifestCopies(copy, run, p.manifests, runBlock.indent);
  if (copies === undefined) return undefined;
  const names = p.manifests.map((m) => m.split('/').pop()).join(', ');

  if (p.how === 'split') {
    // Dependencies first, right before the COPY moved down to its place; the install stays.
    // It runs before everything between the COPY and the install: only inert instructions there.
    if (between.some((i) => !INERT.has(i.keyword))) return undefined;
    const copyBlock = blockOf(model, copy.inst);
    const deps = p.mounted ? p.deps!(copyBlock.indent) : `${copies}${p.deps!(copyBlock.indent)}`;
    return { title: `Install the dependencies from ${names} before copying the whole context`, edits: [insertAt(model, copyBlock.start, deps)] };
  }

  const blocks = [copy.inst, ...between, run].map((i) => blockOf(model, i));
  const start = blocks[0].start;
  const end = blocks[blocks.length - 1].end;
  const texts = blocks.map((b) => blockText(model, b));
  const moved = [...texts.slice(1, -1), copies + texts[texts.length - 1], texts[0]].join('');
  const original = model.text.slice(start, end);
  const replacement = original.endsWith('\n') ? moved : moved.replace(/\n$/, '');
  return {
    title: `Copy ${names} first and install before copying the whole context`,
    edits: [replaceSpan(model, start, end, replacement)],
  };
}
