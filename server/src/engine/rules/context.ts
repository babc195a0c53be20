// Build-context rules (SD401–SD403): what a whole-context `COPY . .` drags in, and when.
import ignore from '@balena/dockerignore';
import type { DockerfileRule } from './rule';
import type { ShellCommand } from '../parse/shell';
import type { DockerfileContext } from '../context';
import type { DockerfileModel, InstructionModel, StageModel } from '../parse/dockerfile';
import type { FileSystem } from '../fs';
import type { BuildContext } from '../buildcontext';
import { shipsPath, ships, resolvePath, substitute, contextSources } from '../parse/dockerfile';
import { join } from '../config/config';
import { pipCall, uvCall, pipInstallArgs } from './commands';
import type { FileEdit, Fix } from '../types';
import { manifestsFirstFix } from '../refactor/manifests-first';
import { versionFromGit } from '../python/vcs';
import { startupScriptText } from './python';
import { escapeRegExp } from '../regexp';


export interface WholeCopy {
  inst: InstructionModel;
  /** Offsets of the source argument that is the whole context. */
  start: number;
  end: number;
  /** Destination inside the image. */
  dest: string;
  /** `--exclude` patterns of the instruction. */
  excluded: (rel: string) => boolean;
}

const WHOLE = new Set(['.', './', '*', './*', '/', '']);

/** `COPY . .`, `ADD . /app`, `COPY ./ ./` — instructions that send the whole build context. */
export function wholeContextCopies(ctx: DockerfileContext): WholeCopy[] {
  const out: WholeCopy[] = [];
  for (const inst of ctx.model.instructions) {
    if (inst.keyword !== 'COPY' && inst.keyword !== 'ADD') continue;
    // Not `--from` another stage, nor a heredoc (`COPY <<EOF .` writes its inline text).
    if (contextSources(inst).length === 0) continue;
    const args = inst.args;
    if (args.length < 2) continue;
    const sources = args.slice(0, -1);
    const whole = sources.find((a) => WHOLE.has(substitute(a.getValue(), inst.env).replace(/^\.\/\.$/, '.')));
    if (!whole) continue;
    const excludes = (inst.flags.get('exclude') ?? []).filter(Boolean);
    const matcher = excludes.length ? ignore().add(excludes) : undefined;
    const r = whole.getRange();
    out.push({
      inst,
      start: ctx.model.offsetAt(r.start),
      end: ctx.model.offsetAt(r.end),
      dest: resolvePath(inst.workdir, substitute(args[args.length - 1].getValue(), inst.env)),
      excluded: (rel) => (matcher ? matcher.ignores(rel) : false),
    });
  }
  return out;
}

// ---------------------------------------------------------------- SD401

interface ContextInstall {
  /** What installs, for the message: `pip install`, `uv sync` … */
  how: string;
  /** It installs the project from its sources (`pip install .`, `uv sync`, `poetry install`), not a list of requirements. */
  project: boolean;
}

/**
 * A RUN that installs dependencies from files of the context (requirements, pyproject, lock). An
 * install of the project alone (`pip install --no-deps .`, `poetry install --only-root`) installs
 * no dependencies and does not count.
 */
function installsFromContext(inst: InstructionModel): ContextInstall | undefined {
  let project: ContextInstall | undefined;
  for (const cmd of inst.run?.commands ?? []) {
    const pip = pipCall(cmd);
    const uv = uvCall(cmd);
    const pipArgs = pipInstallArgs(cmd);
    if (pipArgs) {
      const how = pip ? 'pip install' : 'uv pip install';
      const a = pipArgs;
      if (a.requirementFiles.length || (uv && a.options.has('-r'))) return { how, project: false };
      const local = a.editables.length > 0 || a.packages.some((w) => /^[./]/.test(w.value));
      if (pip && a.packages.some((w) => /\.(toml|txt|cfg)$/.test(w.value) && !/^[./]/.test(w.value))) return { how, project: false };
      if (local && !a.options.has('--no-deps')) project ??= { how, project: true };
    }
    if (uv?.sub?.value === 'sync') {
      if (uv.args.some((w) => w.value === '--no-install-project' || w.value === '--no-install-workspace' || w.value === '--only-dev')) return { how: 'uv sync', project: false };
      project ??= { how: 'uv sync', project: true };
    }
    if (['poetry', 'pipenv', 'pdm'].includes(cmd.name) && ['install', 'sync'].includes(cmd.argv[1]?.value ?? '')) {
      const how = `${cmd.name} ${cmd.argv[1].value}`;
      const args = cmd.argv.slice(2).map((w) => w.value);
      if (cmd.name === 'pipenv' || args.includes('--no-root') || args.includes('--no-self')) return { how, project: false };
      if (!args.includes('--only-root')) project ??= { how, project: true };
    }
    if (/^(conda|mamba|micromamba)$/.test(cmd.name) && cmd.argv.some((w) => w.value === '-f' || w.value === '--file')) return { how: `${cmd.name} ${cmd.argv[1]?.value ?? ''}`.trim(), project: false };
  }
  return project;
}

/** The stage a `COPY --from` / `RUN --mount=from=` names, when it is a stage of this file. */
function stageNamed(stages: readonly StageModel[], name: string): StageModel | undefined {
  return /^\d+$/.test(name) ? stages[Number(name)] : stages.find((s) => s.name?.toLowerCase() === name.toLowerCase());
}

/**
 * Dependencies installed from their manifests outside this stage's whole-context COPY, before
 * `run`: in a stage this one is built FROM, or in a stage whose files an instruction before `run`
 * copies in (`COPY --from=deps /venv /venv`, the multi-stage form of the manifests-first pattern).
 */
function depsInstalledElsewhere(stages: readonly StageModel[], run: InstructionModel): boolean {
  const seen = new Set<StageModel>();
  const installs = (stage: StageModel, before?: number): boolean => {
    for (let s: StageModel | undefined = stage; s; s = s.parent) {
      const own = s === stage && before !== undefined;
      if (!own && seen.has(s)) continue;
      if (!own) seen.add(s);
      for (const i of s.instructions) {
        if (own && i.start >= before!) break;
        if (!own && i.run && installsFromContext(i)) return true;
        const from = i.keyword === 'COPY' ? i.flags.get('from')?.[0] : undefined;
        const source = from ? stageNamed(stages, from) : undefined;
        if (source && source.index < s.index && !seen.has(source) && installs(source)) return true;
      }
    }
    return false;
  };
  return installs(run.stage, run.start);
}

const SD401: DockerfileRule = {
  id: 'SD401',
  title: 'Whole context copied before installing dependencies',
  severity: 'warning',
  docs: {
    summary: '`COPY . .` comes before the dependency install in the same stage, so every source edit invalidates the install layer.',
    why: 'Docker reuses a layer only while everything before it is unchanged. With the whole context copied first, a one-line code change re-downloads and re-installs every dependency (minutes per build, and a new multi-hundred-MB layer to push and pull).',
  },
  check(ctx, report) {
    for (const copy of wholeContextCopies(ctx)) {
      if (!ships(copy.inst.stage)) continue;
      // Dependencies already installed from their manifests before the COPY (the uv pattern:
      // `uv sync --no-install-project` first): the install after it only adds the project.
      if (copy.inst.stage.instructions.some((i) => i.start < copy.inst.start && i.run && installsFromContext(i))) continue;
      const later = copy.inst.stage.instructions.filter((i) => i.start > copy.inst.start && i.run);
      for (const inst of later) {
        const install = installsFromContext(inst);
        if (!install) continue;
        // The project on top of dependencies that an earlier stage installed from the manifests.
        if (install.project && depsInstalledElsewhere(ctx.model.stages, inst)) continue;
        const line = ctx.model.positionAt(inst.start).line + 1;
        const fix = manifestsFirstFix(ctx, copy, inst);
        report({
          range: ctx.model.rangeOf(copy.inst.start, copy.end),
          message: `The whole context is copied before \`${install.how}\` (line ${line}): every source edit re-installs all dependencies. Copy the dependency files first, install, then copy the rest.`,
          fixes: fix ? [{ ...fix, preferred: true }] : [],
        });
        break;
      }
    }
  },
};

// ---------------------------------------------------------------- SD402 / SD403

interface Entry {
  /** Path relative to the context. */
  rel: string;
  kind: 'file' | 'dir';
}

const WALK_LIMIT = 5000;
const NEVER_DESCEND = new Set(['.git', 'node_modules', '.venv', 'venv', '.tox', '.nox', '__pycache__', '.mypy_cache', '.pytest_cache', '.ruff_cache', 'site-packages']);

/** Files and folders of the context that the COPY sends (not ignored), breadth first, bounded. */
function walkContext(ctx: DockerfileContext, copy: WholeCopy, visit: (e: Entry) => void): void {
  const queue: string[] = [''];
  let seen = 0;
  while (queue.length && seen < WALK_LIMIT) {
    const dir = queue.shift()!;
    for (const name of ctx.build.list(dir).sort()) {
      const rel = dir ? `${dir}/${name}` : name;
      if (ctx.build.ignored(rel) || copy.excluded(rel)) continue;
      const kind = ctx.build.stat(rel);
      if (!kind) continue;
      if (++seen > WALK_LIMIT) return;
      visit({ rel, kind });
      if (kind === 'dir' && !NEVER_DESCEND.has(name) && ctx.build.stat(`${rel}/pyvenv.cfg`) !== 'file') queue.push(rel);
    }
  }
}

function sizeOf(ctx: DockerfileContext, rel: string): number | undefined {
  if (!ctx.fs.size) return undefined;
  const root = join(ctx.contextDir, rel);
  if (ctx.fs.stat(root) === 'file') return ctx.fs.size(root);
  let total = 0;
  let count = 0;
  const stack = [root];
  while (stack.length) {
    const dir = stack.pop()!;
    for (const name of ctx.fs.readDir(dir) ?? []) {
      if (++count > 20000) return undefined; // too big to measure quickly: unknown, not a guess
      const p = join(dir, name);
      const kind = ctx.fs.stat(p);
      if (kind === 'dir') stack.push(p);
      else if (kind === 'file') total += ctx.fs.size(p) ?? 0;
    }
  }
  return total;
}

interface Bloat {
  /** `.dockerignore` line that excludes it. */
  pattern: string;
  what: string;
  rel: string;
}

function classifyBloat(ctx: DockerfileContext, e: Entry): Omit<Bloat, 'rel'> | undefined {
  const found = bloatOf(ctx, e);
  // A folder the build reads by name (`COPY dist/ /wheels/`, a bind mount of it): excluding it would
  // break that COPY, so it is not bloat the fix may exclude (found by review). Asked only of what is
  // bloat: the walk visits every entry of the context.
  return found && !namedByBuild(ctx.model, e.rel) ? found : undefined;
}

function bloatOf(ctx: DockerfileContext, e: Entry): Omit<Bloat, 'rel'> | undefined {
  const name = e.rel.split('/').pop()!;
  const top = !e.rel.includes('/');
  if (e.kind === 'dir') {
    if (name === '.git' && top) return buildReadsGit(ctx.model, ctx.fs, ctx.build) || startupReadsGit(ctx) ? undefined : { pattern: '.git', what: 'git history' };
    if (ctx.build.stat(`${e.rel}/pyvenv.cfg`) === 'file') return { pattern: top ? name : `**/${name}`, what: 'a virtualenv' };
    if (name === '__pycache__') return { pattern: '**/__pycache__', what: 'bytecode caches' };
    if (['.pytest_cache', '.mypy_cache', '.ruff_cache', '.tox', '.nox', '.ipynb_checkpoints', 'htmlcov'].includes(name)) return { pattern: top ? name : `**/${name}`, what: 'tool caches' };
    if (name === 'node_modules') return { pattern: top ? name : `**/${name}`, what: 'node_modules' };
    if (/\.egg-info$/.test(name)) return { pattern: '*.egg-info', what: 'build outputs' };
    if (name === 'dist' && top && ctx.build.list('dist').some((n) => /\.(whl|tar\.gz)$/.test(n))) return { pattern: 'dist', what: 'built distributions' };
    if (name === 'build' && top && ctx.build.list('build').some((n) => /^(lib|bdist\.)/.test(n))) return { pattern: 'build', what: 'build outputs' };
  } else if (/\.py[co]$/.test(name)) return { pattern: '**/*.pyc', what: 'bytecode caches' };
  return undefined;
}

/** A COPY/ADD source or a bind mount of the build context names `rel` or something under it. */
function namedByBuild(model: DockerfileModel, rel: string): boolean {
  // The source's first path segments as far as `rel` goes, each a glob (`dist/*.whl`, `dist*`).
  const names = (p: string) => {
    const parts = p.replace(/^(\.\/)+/, '').replace(/^\/+/, '').replace(/\/+$/, '').split('/');
    const want = rel.split('/');
    return parts.length >= want.length && want.every((w, k) => new RegExp(`^${parts[k].replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`).test(w));
  };
  // An install that reads it relative to where the context was copied (`pip install dist/*.whl`,
  // `--find-links dist` after `COPY . .`); not other commands (`rm -rf .git`, `mkdir dist`: the folder
  // is still in the COPY's layer).
  const relative = new RegExp(`^(\\./)?${escapeRegExp(rel)}(/|$)`);
  for (const i of model.instructions) {
    if (contextSources(i).some(names)) return true;
    if ((i.run?.mounts ?? []).some((m) => m.type === 'bind' && m.from === undefined && m.source !== undefined && names(m.source))) return true;
    if ((i.run?.commands ?? []).some((c) => readsFolder(c, relative))) return true;
    // What the container reads at start-up (`uv run --env-file .env …`; found by review); not a
    // virtual environment there, which is the image's own (`CMD [".venv/bin/python", …]` after `uv sync`).
    if ((i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') && !/(^|\/)\.?venv[^/]*$/.test(rel) && model.text.slice(i.start, i.end).split(/[\s"',[\]=]+/).some((w) => relative.test(w))) return true;
  }
  return false;
}

/**
 * A RUN's command that reads the folder from the copied context (`pip install dist/*.whl`, `cp
 * dist/*.whl /wheels/`): not one that only removes or makes it (`rm -rf .git`, `mkdir dist`, `python -m
 * venv .venv`), nor an output folder a build writes (`--outdir dist`); those leave it in the COPY's
 * layer (found by review).
 */
function readsFolder(c: ShellCommand, relative: RegExp): boolean {
  if (/^(rm|rmdir|mkdir|touch|virtualenv)$/.test(c.name)) return false;
  const words = c.argv.map((w) => w.value);
  if (words.some((w, k) => (w === 'venv' && words[k - 1] === '-m') || (c.name === 'uv' && k === 1 && w === 'venv'))) return false;
  return words.slice(1).some((w, k) => !OUTPUT_FLAG.test(words[k] ?? '') && relative.test(w.replace(/^--?[\w-]+=/, '')) && !OUTPUT_FLAG.test(w.split('=')[0]));
}

/** Options naming where a build writes (`python -m build --outdir dist`, `pip wheel -w dist`). */
const OUTPUT_FLAG = /^(--outdir|--out-dir|-o|--output|-d|--dist-dir|--wheel-dir|-w|--dest)$/;

/** A `.dockerignore` pattern would exclude a file or folder a COPY/ADD source or a bind mount names. */
function patternNamesBuild(model: DockerfileModel, pattern: string): boolean {
  const matcher = ignore().add([pattern]);
  const named = (p: string) => {
    const rel = p.replace(/^(\.\/)+/, '').replace(/^\/+/, '').replace(/\/+$/, '');
    return rel !== '' && !/[*?[]/.test(rel) && matcher.ignores(rel);
  };
  return model.instructions.some((i) => contextSources(i).some(named) || (i.run?.mounts ?? []).some((m) => m.type === 'bind' && m.from === undefined && m.source !== undefined && named(m.source)));
}

/** Commands that ask git about the tree they run in (with git's global options before the command). */
const GIT_READERS = /\bgit(\s+(-C\s+\S+|-c\s+\S+|--no-pager|--git-dir[= ]\S+|--work-tree[= ]\S+))*\s+(describe|rev-parse|rev-list|log|show|status|submodule|diff|tag|archive|ls-files|ls-tree|branch|name-rev|shortlog|config\s+--get)\b|\bpre-commit\s+(run|install|install-hooks|try-repo)\b/;
const NAMES_GIT = /^(\.\/)?\.git(\/|$)/;

/** The final stage's CMD/ENTRYPOINT, or a start-up script of the context they run, asks git about the copied tree (`git rev-parse HEAD` for a release name). */
function startupReadsGit(ctx: DockerfileContext): boolean {
  return ctx.model.instructions.some((i) => (i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') && i.stage.reachesFinal && GIT_READERS.test(ctx.model.text.slice(i.start, i.end))) || GIT_READERS.test(startupScriptText(ctx).replace(/\s#(\s.*)?$/gm, ''));
}

/** Shell text that asks git about the tree it runs in (`git rev-parse HEAD`, `pre-commit run` …). */
export function readsGitTree(text: string): boolean {
  return GIT_READERS.test(text);
}

/** The sources of a COPY/ADD from the build context, as written (the JSON form read as JSON). */


/**
 * The build reads `.git` from the context, and excluding it would break it: a COPY/ADD or a bind
 * mount names it; a RUN asks git about the tree a whole-context COPY brought before it, or a
 * whole-context bind mount brings (`git describe`, `git rev-parse`, `pre-commit run` …); or a project
 * at the context root or in a folder just below it, or a member of its uv workspace, takes its
 * version from git (setuptools-scm, hatch-vcs …). Shared by SD402 and Optimize's `.dockerignore` edit.
 */
export function buildReadsGit(model: DockerfileModel, fs: FileSystem, build: BuildContext): boolean {
  for (const i of model.instructions) {
    if (contextSources(i).some((p) => NAMES_GIT.test(p))) return true;
    if (i.keyword !== 'RUN') continue;
    if ((i.run?.mounts ?? []).some((m) => m.type === 'bind' && m.from === undefined && NAMES_GIT.test(m.source ?? ''))) return true;
    if (!GIT_READERS.test(model.text.slice(i.start, i.end))) continue;
    // The tree: the whole context bind-mounted into this RUN, or copied before it (into this stage,
    // or into another whose files come over with COPY --from).
    if ((i.run?.mounts ?? []).some((m) => m.type === 'bind' && m.from === undefined && WHOLE.has(m.source ?? ''))) return true;
    if (model.instructions.some((c) => c.start < i.start && contextSources(c).some((p) => WHOLE.has(p)))) return true;
  }
  // The project at the context root or in a folder just below it (`pip install ./backend`).
  const folders = ['', ...build.list('').filter((n) => !n.startsWith('.') && n !== 'node_modules' && build.stat(n) === 'dir').slice(0, 64)];
  return versionFromGit(fs, build, folders);
}

const SECRET_NAMES: [RegExp, string][] = [
  [/^\.env$/, '.env'],
  [/^\.env\.(?!example$|sample$|template$|dist$|defaults?$).+$/, '.env.*'],
  [/\.pem$/, '*.pem'],
  // The key's own name, not `id_*`: that would take the app's `id_generator.py` too (found by review).
  [/^id_(rsa|dsa|ecdsa|ed25519)(?!.*\.pub$)/, ''],
  [/^\.netrc$/, '.netrc'],
  [/^\.pypirc$/, '.pypirc'],
];

/** PEM text with certificates and no private key: public, not a secret. Unreadable text counts as a secret. */
function publicCertificate(text: string | undefined): boolean {
  return text !== undefined && /-----BEGIN (TRUSTED )?CERTIFICATE-----/.test(text) && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text);
}

/** True for a file name SD403 counts as a secret (`.env`, `*.pem`, `id_rsa` …). */
export function secretName(name: string): boolean {
  return SECRET_NAMES.some(([re]) => re.test(name));
}

function dockerignoreFix(ctx: DockerfileContext, patterns: string[]): Fix | undefined {
  const path = ctx.build.dockerignorePath ?? join(ctx.contextDir, '.dockerignore');
  const existing = ctx.build.dockerignoreText ?? '';
  const have = new Set(existing.split(/\r?\n/).map((l) => l.trim()));
  // Not one the file re-includes on purpose (`!.git` after an allow-list): appending it would undo that (found by review).
  const bare = (p: string) => p.replace(/^!/, '').replace(/^(\.?\/)+/, '').replace(/^\*\*\//, '').replace(/\/+$/, '');
  const reincluded = new Set([...have].filter((l) => l.startsWith('!')).map(bare));
  const add = [...new Set(patterns)].filter((p) => !have.has(p) && !reincluded.has(bare(p)));
  if (add.length === 0) return undefined;
  const lines = existing.split('\n');
  const last = lines.length - 1;
  const end = { line: last, character: lines[last].length };
  const prefix = existing === '' || existing.endsWith('\n') ? '' : '\n';
  const edit: FileEdit = { file: path, edits: [{ range: { start: end, end }, newText: `${prefix}${add.join('\n')}\n` }], create: ctx.build.dockerignorePath === undefined };
  const verb = edit.create ? 'Create' : 'Extend';
  return { title: `${verb} .dockerignore with ${add.join(', ')}`, edits: [], otherFiles: [edit], preferred: true, safe: true };
}

const SD402: DockerfileRule = {
  id: 'SD402',
  title: 'Whole-context COPY brings in bloat',
  severity: 'warning',
  docs: {
    summary: 'A whole-context `COPY`/`ADD` copies `.git`, virtualenvs, caches or build outputs that are in the context and not excluded by `.dockerignore`.',
    why: 'Everything in the build context that `.dockerignore` does not exclude is sent to the builder and lands in the image: a `.git` folder is often tens to hundreds of MB, a local `.venv` hundreds, and it can shadow the image\'s own environment.',
  },
  check(ctx, report) {
    for (const copy of wholeContextCopies(ctx)) {
      if (!shipsPath(copy.inst.stage, copy.dest)) continue;
      const found: Bloat[] = [];
      walkContext(ctx, copy, (e) => {
        const b = classifyBloat(ctx, e);
        if (b && !found.some((f) => f.pattern === b.pattern && b.pattern.startsWith('**'))) found.push({ ...b, rel: e.rel });
      });
      if (found.length === 0) continue;
      let total = 0;
      let known = true;
      for (const b of found) {
        const s = b.pattern.startsWith('**') ? undefined : sizeOf(ctx, b.rel);
        if (s === undefined) {
          if (!b.pattern.startsWith('**')) known = false;
        } else total += s;
      }
      const names = found.map((b) => (b.pattern.startsWith('**') ? b.pattern : b.rel));
      // (`.venv` too, uv's guide, unless the build copies one on purpose: `COPY .venv /app/.venv`; found by review.)
      const patterns = [...found.map((b) => b.pattern), ...(namedByBuild(ctx.model, '.venv') ? [] : ['.venv'])];
      const fix = dockerignoreFix(ctx, patterns);
      report({
        range: ctx.model.rangeOf(copy.inst.start, copy.end),
        message: `This COPY sends ${names.join(', ')} into the image${ctx.build.dockerignorePath ? ' (not excluded by .dockerignore)' : ' (there is no .dockerignore)'}.`,
        estimate: total > 0 || known ? { bytes: total, basis: `the size on disk of ${found.filter((b) => !b.pattern.startsWith('**')).map((b) => b.rel).join(', ') || 'the files found'} in the build context${known ? '' : ' (some too large to measure, not counted)'}.` } : { bytes: null, basis: 'size unknown: the file system did not report sizes.' },
        fixes: fix ? [fix] : [],
      });
    }
  },
};

const SD403: DockerfileRule = {
  id: 'SD403',
  title: 'Secrets reachable by a whole-context COPY',
  severity: 'warning',
  docs: {
    summary: 'A whole-context `COPY`/`ADD` copies files that hold secrets (`.env`, `*.pem`, SSH keys, `.netrc`, `.pypirc`) into the image.',
    why: 'Anyone who can pull the image can read every file in every layer; a secret copied once stays in the layer even if a later step deletes it.',
  },
  check(ctx, report) {
    for (const copy of wholeContextCopies(ctx)) {
      if (!shipsPath(copy.inst.stage, copy.dest)) continue;
      const found: { rel: string; pattern: string }[] = [];
      const publicFiles: { rel: string }[] = [];
      walkContext(ctx, copy, (e) => {
        if (e.kind !== 'file') return;
        const name = e.rel.split('/').pop()!;
        const hit = SECRET_NAMES.find(([re]) => re.test(name));
        // A `.pem` that holds certificates only (a CA bundle, a public certificate) is no secret (found by review);
        // nor may the fix's pattern take it (it names the secret files then).
        if (hit && /\.pem$/.test(name) && publicCertificate(ctx.fs.readFile(join(ctx.contextDir, e.rel)))) {
          publicFiles.push({ rel: e.rel });
          return;
        }
        const pattern = hit && (hit[1] || name.replace(/[*?[\]\\]/g, '\\$&'));
        if (pattern) found.push({ rel: e.rel, pattern: e.rel.includes('/') ? `**/${pattern}` : pattern });
      });
      if (found.length === 0) continue;
      // A file the build names (`COPY .env.docker /app/.env`, `COPY corp-ca.pem …`) must stay in the
      // context: its pattern becomes the other files' own names, and it is left out (found by review:
      // the build failed after the fix).
      // Nor a file a start-up script reads (`. /app/.env.production` in the ENTRYPOINT's script; found by review).
      let scripts: string | undefined;
      const readAtStartup = (rel: string) => {
        const base = rel.split('/').pop()!;
        const name = escapeRegExp(base);
        // (And the instructions' own shell code: `HEALTHCHECK CMD uv run --env-file .env …`, `RUN . ./.env
        // && …`; found by review: the safe fix broke the health check.)
        // (Not a RUN's `rm .env`, which deletes it.)
        scripts ??= [
          startupScriptText(ctx),
          ...ctx.model.instructions.filter((i) => i.keyword === 'HEALTHCHECK').map((i) => ctx.model.text.slice(i.start, i.end)),
          ...ctx.model.instructions.flatMap((i) => (i.run?.commands ?? []).filter((c) => c.name !== 'rm').map((c) => ctx.model.text.slice(c.start, c.end))),
        ].join('\n');
        if (new RegExp(`(^|[\\s"'=/])${name}($|[\\s"';)}])`, 'm').test(scripts)) return true;
        // A name the script builds from a variable (`. /srv/.env.${APP_ENV:-production}`): every file it may be (found by review).
        return [...scripts.matchAll(/(?:^|[\s"'=/])(\.[\w.-]+)\$/gm)].some((m) => base.startsWith(m[1]));
      };
      const kept = found.filter((f) => namedByBuild(ctx.model, f.rel) || readAtStartup(f.rel));
      // A pattern that would take a kept file too (`.env.*` and the script's .env.production) becomes the other files' names.
      const takesKept = (pattern: string) => [...kept, ...publicFiles].some((k) => ignore().add([pattern]).ignores(k.rel));
      const patterns = found.flatMap((f) => (kept.includes(f) ? [] : patternNamesBuild(ctx.model, f.pattern) || takesKept(f.pattern) ? [f.rel] : [f.pattern]));
      const fix = patterns.length ? dockerignoreFix(ctx, patterns) : undefined;
      report({
        range: ctx.model.rangeOf(copy.inst.start, copy.end),
        message: `This COPY puts ${found.slice(0, 5).map((f) => f.rel).join(', ')}${found.length > 5 ? ` and ${found.length - 5} more` : ''} into the image: secrets in a layer can be read by anyone with the image.`,
        fixes: fix ? [{ ...fix, title: fix.title.replace('Extend', 'Exclude secrets: extend').replace('Create', 'Exclude secrets: create') }] : [],
      });
    }
  },
};

export const contextRules: DockerfileRule[] = [SD401, SD402, SD403];
