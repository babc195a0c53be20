// SD401's fix, "copy the dependency manifests first": for a whole-context COPY followed in its
// stage by an install from manifests. The RUN is read as a list of units (`a && b`, see
// optimize/units): a leading run of units that need only the manifests (requirements files,
// `poetry install --no-root`, `pipenv install`, `uv sync --no-install-project`, named installs,
// `cd`, tool setup) is what can go before the COPY.
//
// - move: every unit needs only the manifests; the RUN goes before the COPY behind a
//   `COPY <manifests> <dest>`.
// - split: later units need the sources (`pip install -e .`, `python setup.py install`, a build
//   script); the leading units up to the last dependency install are copied into a new RUN before
//   the COPY, and the original RUN stays after it, whole: its installs find their requirements
//   satisfied. `uv sync` and `poetry install` that also install the project are split like uv's
//   and poetry's patterns (`--no-install-project` / `--no-root` first, the project after the COPY).
//   A `mkdir` among the leading units is left out of the copy (the original RUN makes it).
// `pip install .` (the project with its dependencies) is left alone: pip cannot install a
// project's dependencies without its sources.
//
// The edit rewrites the span from the COPY to the install with the same instruction blocks
// (comments above each travel with it). The instructions between keep their order: the COPY moves
// down past a leading run of them that cannot change what it copies where (LABEL, ENV/ARG/USER,
// WORKDIR when its destination is absolute, a COPY of other files to other places, a RUN of
// package-manager or tool-setup commands that do not touch the copied folder); the new or moved
// install goes right before the COPY, so it sees the same ENV, WORKDIR and USER as the original.
// The instructions after that run must be ones the install can go before without a change
// (LABEL, EXPOSE, CMD …, a download into the copied folder); anything else and no fix is offered.
import type { DockerfileContext } from '../context';
import type { InstructionModel } from '../parse/dockerfile';
import { resolvePath, isUnder } from '../parse/dockerfile';
import type { ShellCommand, Word } from '../parse/shell';
import { join, parentDir } from '../config/config';
import { parseDockerignore } from '../buildcontext';
import { replaceSpan } from '../rules/edits';
import { hasOption, mountCovers, uvCall, isRemoteUrl } from '../rules/commands';
import { envTrue, pythonInstall, toolCall } from '../rules/python-tools';
import { packageCall, isSub } from '../rules/os-commands';
import { parsePyproject } from '../python/pyproject';
import type { Fix } from '../types';
import type { WholeCopy } from '../rules/context';
import { splitRun, shellText, topLevelGroups, bodyStart, editedUnit, type Unit, type WordEdit } from '../optimize/units';
import type { DockerfileModel } from '../parse/dockerfile';
import { blockOf, blockText, runLines } from './blocks';
import { uvCacheDir } from './convert';

const INERT = new Set(['LABEL', 'EXPOSE', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'STOPSIGNAL', 'MAINTAINER']);
const TOOL_PACKAGES = new Set(['pip', 'setuptools', 'wheel', 'poetry', 'pipenv', 'uv', 'virtualenv']);
const UV_SYNC_FLAGS = new Set(['--locked', '--frozen', '--no-dev', '--all-extras', '--no-editable', '--compile-bytecode', '--no-cache', '-n', '--no-default-groups', '--inexact', '-q', '--quiet', '-v', '--verbose']);
const UV_SYNC_VALUES = new Set(['--extra', '--group', '--only-group', '--no-group']);
/** Where a package manager (apt, apk …) may write: the COPY must not write there too. */
const SYSTEM_PATHS = ['/etc', '/usr', '/var', '/lib', '/lib32', '/lib64', '/bin', '/sbin', '/opt', '/tmp', '/run'];
/** What uv's installer script writes under $HOME (and a temporary folder). */
const UV_INSTALLER_HOME = ['.local', '.config', '.cache', '.cargo', '.profile', '.bashrc', '.bash_profile', '.bash_login', '.zshrc', '.zshenv'];
const UV_INSTALLER = /^https:\/\/(astral\.sh\/uv\/([\d.]+\/)?install\.sh|github\.com\/astral-sh\/uv\/releases\/download\/[\w.-]+\/uv-installer\.sh)$/;

/** A local path in a requirements line (`-e .`, `./pkg`, `file:…`): the install needs sources. */
const LOCAL_REQUIREMENT = /^(-e|--editable)?\s*(\.|\/|file:)|@\s*file:/;

interface Plan {
  /** Manifest paths inside the image (absolute) that a COPY puts there first. */
  manifests: string[];
  /** Manifest paths the new RUN bind-mounts (uv's pattern): no COPY. */
  mounted: string[];
  /** `move`: the RUN goes before the COPY; `split`: a dependencies RUN goes before it, the RUN stays. */
  how: 'move' | 'split';
  /** For `split`: the RUN text to insert (ending in a line break). */
  deps?: (indent: string) => string;
  /** For `split`: spans of the RUN (absolute offsets) the copied installs leave, since an earlier layer holds them. */
  cuts?: [number, number][];
  /** Folders the install writes Python environments to (an instruction it goes before must not touch them). */
  envDirs: string[];
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

/** The whole-context COPY sends a file or folder at image path `path`. */
function sends(ctx: DockerfileContext, copy: WholeCopy, path: string): boolean {
  const rel = contextRel(copy, path);
  return !!rel && !!ctx.build.stat(rel) && !ctx.build.ignored(rel) && !copy.excluded(rel);
}

/**
 * Writing at `path` and the whole-context COPY may touch the same files: `path` is the COPY's
 * destination or a folder above it, or the context has something there that the COPY sends (or
 * at a folder on the way). A local `.venv/` the .dockerignore lists never reaches the builder.
 */
function clash(ctx: DockerfileContext, copy: WholeCopy, path: string): boolean {
  if (isUnder(copy.dest, path)) return true;
  if (!isUnder(path, copy.dest)) return false;
  const rel = contextRel(copy, path)!;
  if (ctx.build.stat(rel) && !leftOut(ctx, copy, rel)) return true;
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) if (sends(ctx, copy, resolvePath(copy.dest, parts.slice(0, i).join('/')))) return true;
  return false;
}

/**
 * The whole-context COPY sends nothing at or under `rel`: the .dockerignore (or the COPY's
 * --exclude) leaves it out, and no exception line (`!…`) may bring back a file inside it (Docker
 * still sends `.venv/x` for `.venv` + `!.venv/x`, which the matcher's answer for `.venv` hides).
 */
function leftOut(ctx: DockerfileContext, copy: WholeCopy, rel: string): boolean {
  if (!ctx.build.ignored(rel) && !copy.excluded(rel)) return false;
  const patterns = [...parseDockerignore(ctx.build.dockerignoreText ?? ''), ...(copy.inst.flags.get('exclude') ?? [])];
  // An exception with a wildcard may match anywhere; a plain one only at its own path.
  const reaches = (p: string) => /[*?[\\]/.test(p) || p === rel || p.startsWith(`${rel}/`);
  return !patterns.some((p) => p.startsWith('!') && reaches(p.slice(1).trim().replace(/^(\.?\/)+/, '').replace(/\/+$/, '')));
}

/** The command's program may come with the COPY: a path into the copied folder, or a PATH folder there with that file in the context. */
function copyProvides(ctx: DockerfileContext, copy: WholeCopy, cmd: ShellCommand, cwd: string): boolean {
  const argv0 = cmd.argv[0]?.value ?? '';
  if (argv0.includes('/')) return isUnder(resolvePath(cwd, argv0), copy.dest);
  const path = cmd.env.get('PATH') ?? '';
  return path.split(':').some((dir) => dir.startsWith('/') && isUnder(dir, copy.dest) && (isUnder(copy.dest, dir) || clash(ctx, copy, join(dir, argv0))));
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
    // A local folder or index (`--find-links vendor`, `-f ./wheels`, `file:`): the sources, not a manifest.
    const links = /^(-f|--find-links|-i|--index-url|--extra-index-url)\s*=?\s*(\S+)/.exec(line);
    if (links && !isRemoteUrl(links[2])) return undefined;
    const include = /^(-r|--requirement|-c|--constraint)\s*=?\s*(\S+)/.exec(line);
    if (include && !requirementClosure(ctx, copy, resolvePath(parentDir(path), include[2]), out, depth + 1)) return undefined;
  }
  return out;
}

function words(cmd: ShellCommand, from: Word | undefined): Word[] {
  return from ? cmd.argv.slice(cmd.argv.indexOf(from) + 1) : [];
}

function homeOf(run: InstructionModel, cmd: ShellCommand): string {
  return cmd.env.get('HOME') ?? run.home;
}

/** A path word as the shell sees it from `cwd` (`~` and $HOME expanded); undefined when it holds other expansions. */
function pathOf(run: InstructionModel, cmd: ShellCommand, cwd: string, w: Word | string): string | undefined {
  let v = typeof w === 'string' ? w : w.value;
  if (typeof w !== 'string' && w.dynamic && !/^(~|\$\{?HOME\}?)/.test(w.raw)) return undefined;
  const home = homeOf(run, cmd);
  if (v === '~' || v.startsWith('~/')) v = home + v.slice(1);
  v = v.replace(/\$\{?HOME\}?/g, home);
  if (v.includes('$')) return undefined;
  return resolvePath(cwd, v);
}

/** A word that names a local path (a project, a wheel, a folder) rather than a package. */
function localPackage(w: Word): boolean {
  const v = w.value;
  if (w.dynamic || /^[./~$]|^file:|@\s*file:/.test(v)) return true;
  if (v.includes('://')) return false;
  return (v.includes('/') && !v.includes('@')) || /\.(whl|zip|tar\.gz|tgz)$/i.test(v);
}


interface Leading {
  /** The RUN's top-level commands (a pipeline is one) from the start, as long as they form a plain list. */
  units: Unit[];
  /** Every unit of the RUN is in `units`. */
  complete: boolean;
  /** Exec form: one unit, the whole instruction. */
  whole: boolean;
}

/**
 * The units a RUN starts with, joined by `&&`, `;` or `|`, up to the first place the list is not
 * plain (`||`, `if`, `for` …): what comes later may be any shell, the leading units can still be
 * copied out. Undefined when the RUN does not start with a plain command.
 */
function leadingUnits(model: DockerfileModel, inst: InstructionModel): Leading | undefined {
  const run = inst.run;
  if (!run || run.hasError || run.heredoc || run.commands.length === 0) return undefined;
  if (run.execForm) return { units: [{ start: inst.start, end: inst.end, commands: run.commands }], complete: true, whole: true };
  const text = model.text;
  const normalize = shellText(model);
  const tops = topLevelGroups(run.commands);
  if (!/^\s*$/.test(normalize(text.slice(bodyStart(model, inst), tops[0][0].start)))) return undefined;
  const units: Unit[] = [];
  let current: Unit | undefined;
  for (let i = 0; i < tops.length; i++) {
    const group = tops[i];
    if (!current) current = { start: group[0].start, end: group[0].end, commands: [] };
    current.commands.push(...group);
    current.end = Math.max(current.end, ...group.map((c) => c.end));
    const next = tops[i + 1]?.[0];
    if (!next) {
      units.push(current);
      return { units, complete: /^[\s;]*$/.test(normalize(text.slice(current.end, inst.end))), whole: false };
    }
    const sep = /^\s*(&&|;|\|(?!\|))\s*$/.exec(normalize(text.slice(current.end, next.start)));
    if (sep?.[1] === '|') continue; // a pipeline is one unit
    units.push(current);
    if (!sep) return { units, complete: false, whole: false };
    current = undefined;
  }
  return { units, complete: true, whole: false };
}

/**
 * `rest` is the shell text after some leading units: true when it is empty, or starts with `&&` and nothing at
 * its top level (`||`, `;`, `&`) lets the RUN go on, and succeed, after those units failed. Then
 * the leading units alone fail exactly when the RUN fails in them. Compound commands (if, for,
 * while, case, groups) are skipped over whole; anything unclear counts as false.
 */
function failsTogether(rest: string): boolean {
  const s = rest.trim();
  if (/^;*$/.test(s)) return true;
  if (!s.startsWith('&&')) return false;
  const plain = s.slice(2).replace(/'[^']*'|"(?:\\.|[^"\\])*"/g, 'Q').replace(/\\./g, 'E');
  if (/['"`]|\$\(/.test(plain)) return false;
  const tokens = plain.match(/&&|\|\||;;|[;&|()\n]|[^\s;&|()]+/g) ?? [];
  let depth = 0;
  let command = true;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (command && /^(if|for|while|until|case|\{)$/.test(t)) {
      depth++;
      continue;
    }
    if (command && /^(fi|done|esac|\})$/.test(t)) {
      depth--;
      command = false;
      if (depth < 0) return false;
      continue;
    }
    if (t === '(' || t === ')') {
      depth += t === '(' ? 1 : -1;
      command = t === '(';
      if (depth < 0) return false;
      continue;
    }
    if (t === '||' || t === '&') {
      if (depth === 0) return false;
      command = true;
      continue;
    }
    if (t === ';' || t === ';;' || t === '\n') {
      if (depth === 0 && tokens.slice(i + 1).some((x) => !/^(;|\n)$/.test(x))) return false;
      command = true;
      continue;
    }
    command = t === '&&' || t === '|' || /^(then|do|else|elif|!)$/.test(t);
  }
  return depth === 0;
}

type Kind = 'setup' | 'drop' | 'named' | 'install' | 'project' | 'other';

/** How the install RUN can go first, or undefined. */
function plan(ctx: DockerfileContext, copy: WholeCopy, run: InstructionModel): Plan | undefined {
  const model = ctx.model;
  const sr = leadingUnits(model, run);
  if (!sr) return undefined;
  const units = sr.units;
  const manifests: string[] = [];
  const mounted: string[] = [];
  const envDirs: string[] = [];
  const kinds: Kind[] = [];
  const edits = new Map<number, WordEdit[]>();
  const cdTargets: string[] = [];
  let uvFlags: string[] | undefined;
  /** Units whose pip/uv install keeps its download cache in the layer: a copy would repeat that. */
  const uncached = new Set<number>();
  let cwd = run.workdir;
  let dropped = false;
  const fileIn = (dir: string, name: string) => contextText(ctx, copy, resolvePath(dir, name)) !== undefined;

  /** uv reads its settings (uv.toml, `[tool.uv]`) and `.python-version` from the folder and the ones above: those in the copied folder go first too. */
  const uvConfig = (dir: string, into: string[], project: boolean): boolean => {
    for (let d = dir; isUnder(d, copy.dest); d = parentDir(d)) {
      if (d !== dir || !project) {
        const py = resolvePath(d, 'pyproject.toml');
        if (sends(ctx, copy, py)) {
          // A workspace root or a project above: uv would read it (and sync it) as the project.
          if (project) return false;
          const text = contextText(ctx, copy, py);
          if (text === undefined) return false;
          if (/^\s*\[tool\.uv[\].]/m.test(text)) into.push(py);
        }
      }
      for (const f of ['uv.toml', '.python-version']) {
        const p = resolvePath(d, f);
        if (sends(ctx, copy, p)) {
          if (contextText(ctx, copy, p) === undefined) return false;
          into.push(p);
        }
      }
      if (d === '/' || d === copy.dest) break;
    }
    return true;
  };

  /** The project needs only its manifests to install its dependencies: no path dependencies, not a workspace. */
  const noLocalSources = (text: string): boolean => {
    if (/^\s*\[tool\.uv\.workspace\]/m.test(text)) return false;
    const parsed = parsePyproject(text);
    if (!parsed.project) return false;
    const p = parsed.project;
    for (const list of p.uv.sources.values()) if (list.some((s) => 'path' in s || 'workspace' in s || 'editable' in s)) return false;
    for (const spec of p.poetry?.specs.values() ?? []) if (spec && typeof spec === 'object' && ('path' in spec || 'develop' in spec)) return false;
    return !p.dependencies.some((d) => /@\s*file:|^\s*\.\.?\//.test(d.text));
  };

  const classify = (unit: Unit, index: number): Kind => {
    const cmd = unit.commands[0];
    if (unit.commands.length !== 1 || cmd.via === 'sh -c' || (!sr.whole && unit.end !== cmd.end)) return 'other';
    if (copyProvides(ctx, copy, cmd, cwd)) return 'other';
    if (cmd.name === 'cd') {
      if (cmd.argv.length > 2 || dropped) return 'other';
      const to = cmd.argv[1] ? pathOf(run, cmd, cwd, cmd.argv[1]) : homeOf(run, cmd);
      if (!to || cmd.argv[1]?.value === '-') return 'other';
      cwd = to;
      cdTargets.push(to);
      return 'setup';
    }
    if (cmd.name === 'mkdir') {
      dropped = true;
      return 'drop';
    }
    const ins = pythonInstall(run, cmd);
    if (ins) {
      const a = ins.args;
      if (a.editables.length || a.packages.some(localPackage)) return 'other';
      // Where it writes must not be where the COPY lands (the COPY would come after it now).
      for (const opt of ['-t', '--target', '--prefix', '--root', '--src', '--report']) {
        for (const v of a.options.get(opt) ?? []) {
          const p = pathOf(run, cmd, cwd, v);
          if (!p || clash(ctx, copy, p)) return 'other';
        }
      }
      // A local folder of packages or index: fine where the COPY writes nothing of it (the builder's
      // wheels mounted at /wheels), not where it may come with the sources (`-f ./vendor`).
      for (const opt of ['-f', '--find-links', '-i', '--index-url', '--extra-index-url']) {
        for (const v of a.options.get(opt) ?? []) {
          if (isRemoteUrl(v.value)) continue;
          const p = pathOf(run, cmd, cwd, v.value.replace(/^file:(\/\/)?/i, ''));
          if (!p || clash(ctx, copy, p)) return 'other';
        }
      }
      if (ins.targets.some((t) => clash(ctx, copy, t))) return 'other';
      const cached = hasOption(a, '--no-cache-dir', '--no-cache') || cmd.env.has(ins.tool === 'pip' ? 'PIP_NO_CACHE_DIR' : 'UV_NO_CACHE') || (run.run?.mounts ?? []).some((m) => m.type === 'cache');
      if (!cached) uncached.add(index);
      envDirs.push(...ins.targets);
      // A constraints file from the environment (`ENV PIP_CONSTRAINT=/app/constraints.txt`) is read
      // too: copied first with the manifests, or the install cannot move (found by review).
      for (const key of ['PIP_CONSTRAINT', 'UV_CONSTRAINT']) {
        for (const v of (cmd.env.get(key) ?? '').split(/\s+/).filter(Boolean)) {
          const p = pathOf(run, cmd, cwd, v);
          if (!p) return 'other';
          if (clash(ctx, copy, p) && !requirementClosure(ctx, copy, p, manifests)) return 'other';
        }
      }
      const files = [...a.requirementFiles, ...a.constraintFiles];
      if (files.length === 0) return a.packages.every((w) => TOOL_PACKAGES.has(w.value.split(/[=<>~![ ]/)[0].toLowerCase())) ? 'setup' : 'named';
      for (const f of files) if (f.dynamic || !requirementClosure(ctx, copy, resolvePath(cwd, f.value), manifests)) return 'other';
      // uv pip installs into a `.venv` of the folder unless told where (`--system`, a target; `--python`
      // may name that .venv's interpreter). A `.venv` the COPY sends is kept as a blocker: the install
      // writes into the local environment the COPY brings, which does not exist yet where the install
      // would go first (uv finds no environment there), and the COPY would then put the local one over
      // what was installed. One the .dockerignore leaves out does not clash (see clash).
      const elsewhere = ['--system', '--target', '--prefix'].some((o) => a.options.has(o)) || envTrue(cmd.env.get('UV_SYSTEM_PYTHON'));
      if (ins.tool === 'uv pip' && (!uvConfig(cwd, manifests, false) || (!elsewhere && clash(ctx, copy, resolvePath(cwd, '.venv'))))) return 'other';
      return 'install';
    }
    const poetry = toolCall(cmd, 'poetry');
    if (poetry?.sub?.value === 'config') return clash(ctx, copy, homeOf(run, cmd)) ? 'other' : 'setup';
    if (poetry?.sub && /^(install|sync)$/.test(poetry.sub.value)) {
      if (poetry.args.some((w) => /^(-C|--directory|-P|--project|--only-root)/.test(w.value))) return 'other';
      if (cmd.argv.some((w) => /^(-C|--directory|-P|--project)/.test(w.value))) return 'other';
      const pyproject = contextText(ctx, copy, resolvePath(cwd, 'pyproject.toml'));
      if (pyproject === undefined || !noLocalSources(pyproject)) return 'other';
      if (clash(ctx, copy, resolvePath(cwd, '.venv'))) return 'other';
      for (const f of ['pyproject.toml', 'poetry.lock', 'poetry.toml']) if (fileIn(cwd, f)) manifests.push(resolvePath(cwd, f));
      if (poetry.args.some((w) => w.value === '--no-root')) return 'install';
      // poetry's own pattern: `poetry install --no-root` first, the project after the COPY. The
      // copy of the RUN must not repeat a problem of the original: its cache is handled (a cache
      // mount, --no-cache), and it installs only the main group (the dev groups follow with the project).
      if (!(run.run?.mounts ?? []).some((m) => m.type === 'cache') && !cmd.argv.some((w) => w.value === '--no-cache')) return 'other';
      const groups = poetry.args.some((w) => /^--(only|without|with|no-dev)\b/.test(w.value));
      edits.set(index, [{ start: poetry.sub.end, end: poetry.sub.end, text: ` --no-root${groups ? '' : ' --only main'}` }]);
      return 'project';
    }
    const pipenv = toolCall(cmd, 'pipenv');
    if (pipenv?.sub && /^(install|sync)$/.test(pipenv.sub.value)) {
      if (pipenv.args.some((w) => !w.value.startsWith('-'))) return 'other'; // packages by name: not a manifest install
      const pipfile = contextText(ctx, copy, resolvePath(cwd, 'Pipfile'));
      if (pipfile === undefined || /\bpath\s*=/.test(pipfile)) return 'other';
      // pipenv loads a .env file of the project folder (settings such as PIP_INDEX_URL).
      if (sends(ctx, copy, resolvePath(cwd, '.env')) && !cmd.env.has('PIPENV_DONT_LOAD_ENV')) return 'other';
      for (const f of ['Pipfile', 'Pipfile.lock']) if (fileIn(cwd, f)) manifests.push(resolvePath(cwd, f));
      return 'install';
    }
    const uv = uvCall(cmd);
    if (uv?.sub?.value === 'sync') {
      if (cmd.argv.some((w) => /^(--project|--directory|--config-file)/.test(w.value))) return 'other';
      const pyproject = contextText(ctx, copy, resolvePath(cwd, 'pyproject.toml'));
      if (pyproject === undefined || !noLocalSources(pyproject)) return 'other';
      const rest = words(cmd, uv.sub);
      if (!fileIn(cwd, 'uv.lock')) return 'other';
      const env = cmd.env.get('UV_PROJECT_ENVIRONMENT');
      const venv = env ? pathOf(run, cmd, cwd, env) : resolvePath(cwd, '.venv');
      if (!venv || clash(ctx, copy, venv)) return 'other';
      envDirs.push(venv);
      if (rest.some((w) => w.value === '--no-install-project')) {
        manifests.push(resolvePath(cwd, 'pyproject.toml'), resolvePath(cwd, 'uv.lock'));
        return uvConfig(cwd, manifests, true) ? 'install' : 'other';
      }
      // uv's pattern: the dependencies from bind-mounted manifests, then the project after the COPY.
      const kept: string[] = [];
      for (let i = 0; i < rest.length; i++) {
        const v = rest[i].value;
        const name = v.includes('=') ? v.slice(0, v.indexOf('=')) : v;
        if (UV_SYNC_FLAGS.has(v)) kept.push(v);
        else if (UV_SYNC_VALUES.has(name)) kept.push(v.includes('=') ? v : `${v} ${rest[++i]?.value ?? ''}`);
        else return 'other';
      }
      const config: string[] = [];
      if (!uvConfig(cwd, config, true)) return 'other';
      const cache = uvCacheDir(run, cmd);
      const cached = mountCovers(run, cache) || kept.includes('--no-cache') || kept.includes('-n') || envTrue(cmd.env.get('UV_NO_CACHE'));
      const manifestMounts = [resolvePath(cwd, 'pyproject.toml'), resolvePath(cwd, 'uv.lock'), ...config];
      const binds: string[] = [];
      for (const m of [manifestMounts[1], manifestMounts[0], ...config]) {
        const source = contextRel(copy, m);
        if (!source || /[\s,"'$=]/.test(source)) return 'other';
        const target = isUnder(m, run.workdir) && run.workdir !== '/' ? m.slice(run.workdir.length + 1) : m;
        binds.push(`--mount=type=bind,source=${source},target=${target}`);
      }
      const others = (run.run?.mounts ?? []).map((m) => model.text.slice(m.start, m.end)).filter((m) => !/type=bind,.*(uv\.lock|pyproject\.toml)/.test(m));
      const flags = [...run.flags.entries()].filter(([k]) => k !== 'mount').flatMap(([k, vs]) => vs.map((v) => `--${k}=${v}`));
      uvFlags = [...flags, ...(cached ? [] : [`--mount=type=cache,target=${cache}`]), ...others, ...binds];
      // Without dev dependencies unless groups are chosen: the sync after the COPY adds them, and the
      // new RUN does not repeat SD105's finding on the original.
      const groups = kept.some((k) => /^--(no-dev|group|only-group|no-group|no-default-groups|all-groups|dev|only-dev)\b/.test(k)) || cmd.env.has('UV_NO_DEV');
      if (!groups) kept.push('--no-dev');
      edits.set(index, [{ start: uv.sub.end, end: cmd.end, text: ` ${[...kept, '--no-install-project'].join(' ')}` }]);
      mounted.push(...manifestMounts);
      return 'project';
    }
    if (toolSetup(run, cmd)) return pythonInstall(run, cmd)?.targets.some((t) => clash(ctx, copy, t)) ? 'other' : 'setup';
    if (/^(apt-get|apt|apk)$/.test(cmd.name)) return packageManagerSafe(ctx, copy, cmd) ? 'setup' : 'other';
    if (cmd.name === 'rm') return removesOutside(ctx, copy, run, cmd, cwd) ? 'setup' : 'other';
    if (cmd.name === 'true') return 'setup';
    return 'other'; // anything else may need the sources
  };

  let stop = units.length;
  for (let u = 0; u < units.length; u++) {
    const sizes = [manifests.length, mounted.length, envDirs.length];
    const kind = classify(units[u], u);
    kinds.push(kind);
    if (kind === 'other') {
      // What it noted before giving up is not part of the plan.
      manifests.length = sizes[0];
      mounted.length = sizes[1];
      envDirs.length = sizes[2];
      stop = u;
      break;
    }
    if (kind === 'project') {
      stop = u + 1;
      break;
    }
  }
  const last = kinds.map((k, i) => (k === 'install' || k === 'project' ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
  if (last < 0) return undefined;
  // A `cd` into the copied folder must reach a folder the manifests are copied to.
  const reached = [...manifests, ...mounted].map(parentDir);
  if (cdTargets.some((t) => isUnder(t, copy.dest) && !reached.some((d) => isUnder(d, t)))) return undefined;
  const uniq = (xs: string[]) => [...new Set(xs)];

  if (sr.complete && stop === units.length && !kinds.includes('project') && !dropped) return { manifests: uniq(manifests), mounted: [], how: 'move', envDirs };

  if (sr.whole) return undefined;
  // The copied units fail exactly when the RUN fails in them (no `|| true` after them …).
  const normalize = shellText(model);
  if (!failsTogether(normalize(model.text.slice(units[last].end, run.end)))) return undefined;
  for (let i = 0; i < last; i++) if (!/^\s*&&\s*$/.test(normalize(model.text.slice(units[i].end, units[i + 1].start)))) return undefined;
  const kept = units.map((_, i) => i).filter((i) => i <= last && kinds[i] !== 'drop');
  if (kept.some((i) => uncached.has(i))) return undefined;
  // Package-manager calls after the installs: a removal (`apt-get purge gcc`) would no longer reach
  // what the copied units install in their own layer; a later install needs the package lists.
  const later = units.slice(last + 1);
  const managed = (u: Unit) => u.commands.map(packageCall).filter((c): c is NonNullable<typeof c> => !!c);
  if (later.some((u) => managed(u).some((c) => isSub(c, 'purge', 'remove', 'autoremove', 'del', 'erase')))) return undefined;
  const pmLater = later.some((u) => managed(u).some((c) => !isSub(c, 'clean', 'autoclean')));
  // The new RUN cleans up what it downloads as the RUN does (`rm -rf /var/lib/apt/lists/*`, `apt-get
  // clean`), and apt's lists anyway: it is a layer of its own (SD201).
  const updates = kept.flatMap((i) => managed(units[i]).filter((c) => isSub(c, 'update')));
  const cleanups = updates.length ? later.filter((u) => u.commands.length === 1 && listCleanup(u.commands[0])).map((u) => model.text.slice(u.start, u.end)) : [];
  if (updates.some((c) => c.manager === 'apt') && !cleanups.some((c) => /\/var\/lib\/apt\/lists/.test(c))) cleanups.push('rm -rf /var/lib/apt/lists/*');
  const unitText = (i: number) => editedUnit(model, units[i], edits.get(i));
  // The kept units with the separators that follow each in the RUN.
  const body =
    kept.map((i, k) => unitText(i) + (k < kept.length - 1 ? model.text.slice(units[i].end, units[i + 1].start) : '')).join('') +
    cleanups.map((c) => ` && ${c}`).join('');
  // The RUN after the COPY no longer repeats the copied installs (dependencies, tools, OS packages:
  // an earlier layer holds them); its cd's, what the copy left out and the rest stay, and the
  // package lists' update when a later command uses the package manager.
  const done = (i: number) =>
    kinds[i] === 'install' || kinds[i] === 'named' || (kinds[i] === 'setup' && (!!pythonInstall(run, units[i].commands[0]) || (managed(units[i]).length > 0 && !(pmLater && managed(units[i]).some((c) => isSub(c, 'update'))))));
  // Each cut takes a unit with the `&&` after it (and the line break and indent that follow), up to
  // what comes next; none where nothing follows (the RUN would be left with a dangling `&&`).
  const next = (i: number): number | undefined => {
    if (units[i + 1]) return units[i + 1].start;
    const m = /^(?:[ \t]|\\\r?\n)*&&(?:[ \t]|\\\r?\n)*/.exec(model.text.slice(units[i].end, run.end));
    return m && units[i].end + m[0].length < run.end ? units[i].end + m[0].length : undefined;
  };
  const cutUnits = kept.filter(done);
  const cuts = cutUnits.every((i) => next(i) !== undefined) ? cutUnits.map((i): [number, number] => [units[i].start, next(i)!]) : [];
  const lead = model.text.slice(run.start, units[0].start);
  const deps = uvFlags ? (indent: string) => runLines(model.escapeChar, indent, uvFlags!, body) : (indent: string) => `${indent}${lead}${body}\n`;
  return { manifests: uniq(manifests), mounted: uniq(mounted), how: 'split', deps, envDirs, cuts };
}

/** `rm -rf /var/lib/apt/lists/*` (or apk's, apt's archive cache), `apt-get clean`: a cleanup of what a package manager downloaded. */
function listCleanup(cmd: ShellCommand): boolean {
  const call = packageCall(cmd);
  if (call) return isSub(call, 'clean', 'autoclean');
  const paths = cmd.argv.slice(1).filter((w) => !w.value.startsWith('-'));
  return cmd.name === 'rm' && paths.length > 0 && paths.every((w) => /^\/var\/(lib\/apt\/lists|cache\/apt|cache\/apk)(\/|$)/.test(w.value));
}

function toolSetup(run: InstructionModel, cmd: ShellCommand): boolean {
  const ins = pythonInstall(run, cmd);
  if (ins) return ins.args.requirementFiles.length === 0 && ins.args.editables.length === 0 && ins.args.packages.every((w) => TOOL_PACKAGES.has(w.value.split(/[=<>~![ ]/)[0].toLowerCase()));
  return toolCall(cmd, 'poetry')?.sub?.value === 'config';
}

/** `apt-get install -y curl`, `rm -rf /var/lib/apt/lists/*`: package names only, and the system folders are not where the COPY lands. */
function packageManagerSafe(ctx: DockerfileContext, copy: WholeCopy, cmd: ShellCommand): boolean {
  if (cmd.argv.slice(1).some((w) => w.dynamic || w.value.includes('/') || w.value.startsWith('.'))) return false;
  return SYSTEM_PATHS.every((p) => !clash(ctx, copy, p));
}

/** An `rm` whose every target lies outside what the COPY writes. */
function removesOutside(ctx: DockerfileContext, copy: WholeCopy, run: InstructionModel, cmd: ShellCommand, cwd: string): boolean {
  for (const w of cmd.argv.slice(1)) {
    if (w.value.startsWith('-')) continue;
    // Up to the first glob: `/var/lib/apt/lists/*` removes inside /var/lib/apt/lists.
    const fixed = w.value.split('/').reduce<{ parts: string[]; done: boolean }>((acc, part) => (acc.done || /[*?[]/.test(part) ? { parts: acc.parts, done: true } : { parts: [...acc.parts, part], done: false }), { parts: [], done: false });
    const p = pathOf(run, cmd, cwd, fixed.parts.join('/') || '/');
    if (!p || clash(ctx, copy, p)) return false;
  }
  return true;
}

/** `curl -LsSf https://astral.sh/uv/install.sh | sh`: uv's installer, which writes only under $HOME and a temporary folder. */
function uvInstaller(ctx: DockerfileContext, copy: WholeCopy, run: InstructionModel, unit: Unit): boolean {
  const [get, sh] = unit.commands;
  if (unit.commands.length !== 2 || !/^(curl|wget)$/.test(get.name) || !/^(sh|bash)$/.test(sh.name)) return false;
  const urls = get.argv.slice(1).filter((w) => !w.value.startsWith('-'));
  if (urls.length !== 1 || !UV_INSTALLER.test(urls[0].value) || get.argv.some((w) => /^(-o|-O|--output)/.test(w.value))) return false;
  if (sh.argv.slice(1).some((w) => !/^(-s|--)$/.test(w.value))) return false;
  if (['UV_INSTALL_DIR', 'UV_UNMANAGED_INSTALL', 'XDG_BIN_HOME', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'CARGO_HOME', 'TMPDIR', 'ZDOTDIR'].some((k) => sh.env.has(k))) return false;
  const home = homeOf(run, sh);
  return [...UV_INSTALLER_HOME.map((f) => join(home, f)), '/tmp'].every((p) => !clash(ctx, copy, p));
}

/**
 * The whole-context COPY can move down past `inst` (which then runs first): nothing `inst` does
 * changes what the COPY copies where, or reads or writes what it copies.
 */
function copyCanPass(ctx: DockerfileContext, copy: WholeCopy, inst: InstructionModel): boolean {
  const copyText = ctx.model.text.slice(copy.inst.start, copy.inst.end);
  const k = inst.keyword;
  if (INERT.has(k)) return true;
  if (k === 'ENV' || k === 'ARG' || k === 'USER' || k === 'SHELL') return !copyText.includes('$');
  if (k === 'WORKDIR') return !copyText.includes('$') && copy.inst.args[copy.inst.args.length - 1].getValue().startsWith('/');
  if (k === 'COPY' || k === 'ADD') return otherCopyCanPass(ctx, copy, inst);
  if (k === 'RUN') {
    const sr = splitRun(ctx.model, inst);
    if (!sr || inst.run?.heredoc) return false;
    let cwd = inst.workdir;
    return sr.units.every((unit) => {
      if (uvInstaller(ctx, copy, inst, unit)) return true;
      const cmd = unit.commands[0];
      if (unit.commands.length !== 1 || cmd.via === 'sh -c' || (!sr.whole && unit.end !== cmd.end)) return false;
      if (copyProvides(ctx, copy, cmd, cwd)) return false;
      if (cmd.name === 'true') return true;
      if (/^(apt-get|apt|apk)$/.test(cmd.name)) return packageManagerSafe(ctx, copy, cmd);
      if (cmd.name === 'rm') return removesOutside(ctx, copy, inst, cmd, cwd);
      if (toolSetup(inst, cmd)) return !clash(ctx, copy, homeOf(inst, cmd)) && !(pythonInstall(inst, cmd)?.targets ?? []).some((t) => clash(ctx, copy, t));
      if (cmd.name === 'cd' && cmd.argv.length === 2) {
        const to = pathOf(inst, cmd, cwd, cmd.argv[1]);
        if (!to || clash(ctx, copy, to)) return false;
        cwd = to;
        return true;
      }
      return false;
    });
  }
  return false;
}

/** Another COPY/ADD between: its destination is not where the whole-context COPY writes, or it copies the very file the whole COPY puts there. */
function otherCopyCanPass(ctx: DockerfileContext, copy: WholeCopy, inst: InstructionModel): boolean {
  const args = inst.args.map((a) => a.getValue());
  if (args.length < 2 || args.some((a) => /[$*?[]/.test(a))) return false;
  if ([...inst.flags.keys()].some((f) => !['from', 'chown', 'chmod', 'link'].includes(f))) return false;
  const from = inst.flags.get('from')?.[0];
  const sameFlags = ['chown', 'chmod'].every((f) => (inst.flags.get(f)?.[0] ?? '') === (copy.inst.flags.get(f)?.[0] ?? ''));
  const sources = args.slice(0, -1);
  const destWord = args[args.length - 1];
  const dest = resolvePath(inst.workdir, destWord);
  const intoDir = destWord.endsWith('/') || sources.length > 1;
  for (const src of sources) {
    const url = /^https?:\/\//i.test(src);
    if (url ? inst.keyword !== 'ADD' || /\.git([#?]|$)/.test(src) : inst.keyword === 'ADD' && !from) return false; // a local ADD may unpack an archive
    // A different owner or mode on folders it creates inside the copied one would differ too.
    if (!clash(ctx, copy, dest) && (sameFlags || !isUnder(dest, copy.dest))) continue;
    // The same context file to the same place, with the same owner: the copies are identical.
    if (from || url || !sameFlags) return false;
    const rel = resolvePath('/', src).slice(1);
    const target = intoDir ? join(dest, rel.split('/').pop()!) : dest;
    if (ctx.build.stat(rel) !== 'file' || ctx.build.ignored(rel) || copy.excluded(rel) || contextRel(copy, target) !== rel) return false;
  }
  return true;
}

/** `wget -q -P /app/data URL`, `curl -fsSL -o /app/x URL`: files downloaded to these paths, or undefined when it is not such a download. */
function downloads(run: InstructionModel, cmd: ShellCommand): string[] | undefined {
  const argv = cmd.argv.slice(1);
  const urls: string[] = [];
  let dir = run.workdir;
  let file: string | undefined;
  let remoteName = cmd.name === 'wget';
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i];
    if (w.dynamic) return undefined;
    const v = w.value;
    const value = () => (v.includes('=') ? v.slice(v.indexOf('=') + 1) : argv[++i]?.value);
    if (cmd.name === 'wget') {
      if (/^(-q|--quiet|-nv|--no-verbose|-c|--continue|--progress=\S+|--no-check-certificate)$/.test(v)) continue;
      if (/^(-P|--directory-prefix)(=|$)/.test(v)) dir = resolvePath(run.workdir, value() ?? '');
      else if (/^(-O|--output-document)(=|$)/.test(v)) file = value();
      else if (/^https?:\/\//.test(v)) urls.push(v);
      else return undefined;
    } else {
      if (/^-[fsSLk]+$/.test(v) || /^--(fail|silent|show-error|location|insecure|create-dirs)$/.test(v)) continue;
      if (/^(-o|--output)(=|$)/.test(v)) file = value();
      else if (/^(-O|--remote-name)$/.test(v)) remoteName = true;
      else if (/^https?:\/\//.test(v)) urls.push(v);
      else return undefined;
    }
  }
  if (urls.length === 0) return undefined;
  if (file !== undefined) return file === '-' || file.includes('$') ? undefined : [resolvePath(run.workdir, file)];
  if (!remoteName) return [];
  return urls.map((u) => join(dir, u.replace(/[?#].*$/, '').split('/').pop() || 'index.html'));
}

/**
 * The install can move up past `inst` (between the COPY and the install, after the COPY's new
 * place): neither can change what the other does. Instructions that do not act on the build
 * (LABEL, EXPOSE, CMD …) and downloads into the copied folder, away from the manifests and the
 * environments the install writes.
 */
function installCanPass(ctx: DockerfileContext, copy: WholeCopy, inst: InstructionModel, p: Plan): boolean {
  if (INERT.has(inst.keyword)) return true;
  if (inst.keyword !== 'RUN' || !inst.run || inst.run.execForm || inst.run.heredoc || inst.run.mounts.length) return false;
  const sr = splitRun(ctx.model, inst);
  if (!sr) return false;
  const used = [...p.manifests, ...p.mounted, ...p.envDirs];
  return sr.units.every((unit) => {
    const cmd = unit.commands[0];
    if (unit.commands.length !== 1 || unit.end !== cmd.end || !/^(wget|curl)$/.test(cmd.name)) return false;
    const targets = downloads(inst, cmd);
    return !!targets && targets.every((t) => isUnder(t, copy.dest) && t !== copy.dest && !used.some((u) => isUnder(u, t) || isUnder(t, u)));
  });
}

/** `COPY a b ./` lines for the manifests, one per folder, destinations relative to the WORKDIR where they can be; the owner as the whole COPY gives it. */
function manifestCopies(copy: WholeCopy, run: InstructionModel, manifests: string[], indent: string): string | undefined {
  const byDir = new Map<string, string[]>();
  for (const m of manifests) {
    const rel = contextRel(copy, m);
    if (!rel || /[\s"'$]/.test(rel)) return undefined;
    const dir = parentDir(m);
    byDir.set(dir, [...(byDir.get(dir) ?? []), rel]);
  }
  const flags = ['chown', 'chmod'].flatMap((f) => (copy.inst.flags.get(f) ?? []).map((v) => `--${f}=${v} `)).join('');
  let out = '';
  for (const [dir, rels] of byDir) {
    const dest = dir === run.workdir ? (rels.length === 1 ? '.' : './') : isUnder(dir, run.workdir) && run.workdir !== '/' ? `${dir.slice(run.workdir.length + 1)}/` : `${dir}/`;
    out += `${indent}COPY ${flags}${rels.join(' ')} ${dest}\n`;
  }
  return out;
}

/** SD401's fix for the whole-context COPY `copy` and the install RUN `run` after it, or undefined. */
export function manifestsFirstFix(ctx: DockerfileContext, copy: WholeCopy, run: InstructionModel): Fix | undefined {
  const model = ctx.model;
  const stage = copy.inst.stage;
  if (run.stage !== stage || (run.run?.execForm && run.run.commands.length !== 1)) return undefined;
  const p = plan(ctx, copy, run);
  if (!p) return undefined;
  const between = stage.instructions.filter((i) => i.start > copy.inst.start && i.start < run.start);
  // The COPY moves down past a leading run of them; the install goes up past the rest.
  let sink = 0;
  while (sink < between.length && copyCanPass(ctx, copy, between[sink])) sink++;
  if (!between.slice(sink).every((i) => installCanPass(ctx, copy, i, p))) return undefined;
  const runBlock = blockOf(model, run);
  const copyBlock = blockOf(model, copy.inst);
  const copies = manifestCopies(copy, run, p.manifests, p.how === 'split' ? copyBlock.indent : runBlock.indent);
  if (copies === undefined) return undefined;
  const names = [...p.manifests, ...p.mounted].map((m) => m.split('/').pop()).join(', ');

  // Instruction blocks in their slots; the blank lines between slots stay where they are.
  const blocks = [copy.inst, ...between, run].map((i) => blockOf(model, i));
  const texts = blocks.map((b) => blockText(model, b));
  const gaps = blocks.slice(1).map((b, k) => model.text.slice(blocks[k].end, b.start));
  const mid = texts.slice(1, -1);
  // The RUN that stays after the COPY, without what the dependencies RUN did already.
  let rest = texts[texts.length - 1];
  for (const [from, to] of [...(p.cuts ?? [])].sort((x, y) => y[0] - x[0])) rest = rest.slice(0, from - runBlock.start) + rest.slice(to - runBlock.start);
  const ordered =
    p.how === 'move'
      ? [...mid.slice(0, sink), copies + texts[texts.length - 1], texts[0], ...mid.slice(sink)]
      : [...mid.slice(0, sink), copies + p.deps!(copyBlock.indent) + texts[0], ...mid.slice(sink), rest];
  const start = blocks[0].start;
  const end = blocks[blocks.length - 1].end;
  const moved = ordered.map((t, k) => t + (gaps[k] ?? '')).join('');
  const original = model.text.slice(start, end);
  const replacement = original.endsWith('\n') ? moved : moved.replace(/\n$/, '');
  if (replacement === original) return undefined;
  return {
    title: p.how === 'move' ? `Copy ${names} first and install before copying the whole context` : `Install the dependencies from ${names} before copying the whole context`,
    edits: [replaceSpan(model, start, end, replacement)],
  };
}
