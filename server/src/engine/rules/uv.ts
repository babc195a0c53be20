// uv rules (SD501–SD509): how uv gets into the image, its cache, lock discipline, and builds that
// will fail (missing lock, externally managed Python).
import type { DockerfileRule } from './rule';
import type { DockerfileContext } from '../context';
import type { InstructionModel, StageModel } from '../parse/dockerfile';
import { shipsPath, ships, isUnder, resolvePath } from '../parse/dockerfile';
import type { ShellCommand } from '../parse/shell';
import { pipCall, uvCall, installArgs, requirementName, mountCovers, removes, type Invocation } from './commands';
import { insertAt, replaceSpan, insertOptionAfter, addMount } from './edits';
import { lineage, uvCacheDirOf } from './layers';
import { lineageHas, rootStage, stagesOf } from './lineage';
import { parseImage } from './base';
import { globMatch } from '../regexp';
import { wheelSize, wheelBasis } from '../estimates';
import type { Fix } from '../types';
import { blockOf } from '../refactor/blocks';

const TRUTHY = /^(1|true|yes|on)$/i;

/** `uv sync`, `uv pip install`, `uv pip sync`: the calls that install packages. */
export function uvInstall(cmd: ShellCommand): (Invocation & { kind: 'sync' | 'pip install' | 'pip sync' }) | undefined {
  const uv = uvCall(cmd);
  if (!uv?.sub) return undefined;
  if (uv.sub.value === 'sync') return { ...uv, kind: 'sync' };
  if (uv.sub.value === 'pip' && (uv.args[0]?.value === 'install' || uv.args[0]?.value === 'sync')) return { ...uv, kind: uv.args[0].value === 'install' ? 'pip install' : 'pip sync' };
  return undefined;
}

function* uvInstalls(ctx: DockerfileContext) {
  for (const inst of ctx.model.instructions) {
    for (const cmd of inst.run?.commands ?? []) {
      const call = uvInstall(cmd);
      if (call) yield { inst, cmd, call };
    }
  }
}

/** The command's words, with unquoted `$VAR` words split into the words of VAR's known value. */
function words(cmd: ShellCommand): string[] {
  return cmd.argv.flatMap((w) => {
    const m = w.dynamic ? /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(w.raw) : null;
    const value = m ? cmd.env.get(m[1]) : undefined;
    return value !== undefined ? value.split(/\s+/).filter(Boolean) : [w.value];
  });
}

function has(cmd: ShellCommand, ...flags: string[]): boolean {
  return words(cmd).some((v) => flags.includes(v) || flags.some((f) => f.startsWith('--') && v.startsWith(`${f}=`)));
}

function envOn(cmd: ShellCommand, name: string): boolean {
  const v = cmd.env.get(name);
  return v !== undefined && TRUTHY.test(v);
}

/** The word after which a uv option can go: `sync` or `install`. */
function anchor(call: Invocation): NonNullable<Invocation['sub']> {
  return call.sub!.value === 'pip' ? call.args[0] : call.sub!;
}

/** The stage's external base image (following FROM <stage>). */
function baseImage(stage: StageModel): string {
  return rootStage(stage).image;
}

function uvImageCopy(inst: InstructionModel): boolean {
  if (inst.keyword !== 'COPY') return false;
  return (inst.flags.get('from') ?? []).some((f) => /astral-sh\/uv/i.test(f));
}

// ---------------------------------------------------------------- SD501

function installsUv(cmd: ShellCommand): string | undefined {
  const pip = pipCall(cmd);
  if (pip?.sub?.value === 'install' && installArgs(pip.args).packages.some((w) => requirementName(w.value) === 'uv')) return 'pip install uv';
  if (cmd.name === 'pipx' && cmd.argv[1]?.value === 'install' && cmd.argv.slice(2).some((w) => requirementName(w.value) === 'uv')) return 'pipx install uv';
  if ((cmd.name === 'curl' || cmd.name === 'wget') && cmd.argv.some((w) => /astral\.sh\/uv\b|astral-sh\/uv\/releases/.test(w.value))) return 'the uv installer script';
  return undefined;
}

const SD501: DockerfileRule = {
  id: 'SD501',
  title: 'uv installed with pip, pipx or the installer script',
  severity: 'info',
  docs: {
    summary: 'uv is installed with pip, pipx or `curl … | sh` instead of being copied from its pinned image.',
    why: 'uv is one static binary. `COPY --from=ghcr.io/astral-sh/uv:<version> /uv /uvx /bin/` is pinned, cached and needs no network, curl or pip in the image; the installer script fetches whatever is newest at build time.',
  },
  check(ctx, report) {
    for (const inst of ctx.model.instructions) {
      if (!inst.run || !ships(inst.stage)) continue;
      for (const cmd of inst.run.commands) {
        const how = installsUv(cmd);
        if (!how) continue;
        const pin = ctx.config.uvVersion;
        const copy = `COPY --from=ghcr.io/astral-sh/uv:${pin} /uv /uvx /bin/`;
        // When the RUN does nothing else (the installer is `curl … | sh`), replace it outright.
        const onlyUv = inst.run.commands.every((c) => c === cmd || c.name === 'sh' || c.name === 'bash' || installsUv(c));
        const fixes: Fix[] = onlyUv && !inst.run.heredoc && !inst.run.execForm ? [{ title: `Copy uv from ghcr.io/astral-sh/uv:${pin}`, edits: [replaceSpan(ctx.model, inst.start, inst.end, copy)], preferred: true }] : [];
        report({ range: ctx.model.rangeOf(cmd.start, cmd.end), message: `uv is installed with ${how}: copy the binary from its pinned image instead (${copy}).`, fixes });
      }
    }
  },
};

// ---------------------------------------------------------------- SD502

const SD502: DockerfileRule = {
  id: 'SD502',
  title: 'uv cache left in the layer',
  severity: 'warning',
  docs: {
    summary: '`uv sync`/`uv pip install` writes its cache into the layer: no cache mount on uv\'s cache dir, no `--no-cache`, no `UV_NO_CACHE`.',
    why: 'uv keeps every wheel it downloads and unpacks in its cache (`~/.cache/uv`); in an image that is a second copy of every installed package. A cache mount keeps it across builds and out of the image.',
  },
  check(ctx, report) {
    for (const { inst, cmd, call } of uvInstalls(ctx)) {
      if (has(cmd, '--no-cache', '--no-cache-dir', '-n') || envOn(cmd, 'UV_NO_CACHE')) continue; // --no-cache-dir: uv's alias
      const cacheDir = uvCacheDirOf(inst, cmd);
      if (!shipsPath(inst.stage, cacheDir) || mountCovers(inst, cacheDir)) continue;
      const later = inst.run!.commands.filter((c) => c.index > cmd.index);
      if (later.some((c) => removes(c, cacheDir, inst) || (uvCall(c)?.sub?.value === 'cache' && /^(clean|prune)$/.test(uvCall(c)!.args[0]?.value ?? '')))) continue;
      const exec = cmd.via === 'exec';
      const fixes: Fix[] = [
        { title: 'Add --no-cache', edits: [insertOptionAfter(ctx.model, anchor(call), '--no-cache', exec)], preferred: true, safe: true },
      ];
      if (!exec) {
        const linkMode = cmd.env.get('UV_LINK_MODE') === 'copy' || has(cmd, '--link-mode=copy');
        const edits = [addMount(ctx.model, inst, `type=cache,target=${cacheDir}`)];
        if (!linkMode) edits.push(insertAt(ctx.model, cmd.argv[0].start, 'UV_LINK_MODE=copy '));
        fixes.push({ title: `Add a cache mount on ${cacheDir}`, edits });
      }
      report({
        range: ctx.model.rangeOf(cmd.start, anchor(call).end),
        message: `uv keeps its cache (${cacheDir}) in this layer: add a cache mount or --no-cache.`,
        estimate: { bytes: null, basis: 'about the download size of everything this command installs (uv caches each wheel); not known from the Dockerfile alone.' },
        fixes,
      });
    }
  },
};

// ---------------------------------------------------------------- SD503

const SD503: DockerfileRule = {
  id: 'SD503',
  title: 'uv sync without --locked or --frozen',
  severity: 'info',
  docs: {
    summary: '`uv sync` without `--locked`/`--frozen` may re-resolve and install versions the lock does not name.',
    why: 'With `--locked` the build installs exactly what `uv.lock` says and fails when the lock is out of date, so what you tested is what ships.',
  },
  check(ctx, report) {
    for (const { inst, cmd, call } of uvInstalls(ctx)) {
      if (call.kind !== 'sync' || !ships(inst.stage)) continue;
      if (has(cmd, '--locked', '--frozen') || envOn(cmd, 'UV_LOCKED') || envOn(cmd, 'UV_FROZEN')) continue;
      const lockPresent = ctx.build.stat('uv.lock') === 'file';
      report({
        range: ctx.model.rangeOf(cmd.start, call.sub!.end),
        // (No lock to hold it to: --locked would fail the build; found by review.)
        message: lockPresent ? 'uv sync without --locked may install versions uv.lock does not name: add --locked.' : 'uv sync without --locked resolves the versions itself, and the build context has no uv.lock: run `uv lock`, commit uv.lock, then add --locked.',
        fixes: lockPresent ? [{ title: 'Add --locked', edits: [insertOptionAfter(ctx.model, call.sub!, '--locked', cmd.via === 'exec')] }] : [],
      });
    }
  },
};

// ---------------------------------------------------------------- SD504

const SD504: DockerfileRule = {
  id: 'SD504',
  title: 'uv cache mount without UV_LINK_MODE=copy',
  severity: 'info',
  docs: {
    summary: 'uv runs with a cache mount but without `UV_LINK_MODE=copy`: uv warns that it cannot hard-link across file systems and falls back to copying.',
    why: 'A cache mount is another file system; uv\'s default hard links fail across it. `UV_LINK_MODE=copy` states the copy and silences the warning, as uv\'s Docker guide recommends.',
  },
  check(ctx, report) {
    // One ENV line serves the whole stage: every finding of a stage shares the edit before its first
    // offending RUN, so fix-all writes it once.
    const firstInStage = new Map<StageModel, InstructionModel>();
    for (const { inst, cmd } of uvInstalls(ctx)) {
      const cacheDir = uvCacheDirOf(inst, cmd);
      if (!mountCovers(inst, cacheDir)) continue;
      if (cmd.env.get('UV_LINK_MODE') || has(cmd, '--link-mode')) continue;
      if (!firstInStage.has(inst.stage)) firstInStage.set(inst.stage, inst);
      const at = firstInStage.get(inst.stage)!;
      const line = ctx.model.positionAt(at.start).line + 1;
      report({
        range: ctx.model.rangeOf(cmd.start, cmd.argv[Math.min(1, cmd.argv.length - 1)].end),
        message: 'uv uses a cache mount without UV_LINK_MODE=copy: set it (ENV UV_LINK_MODE=copy) to copy from the cache without warnings.',
        fixes: [{ title: at === inst ? 'Add ENV UV_LINK_MODE=copy before this RUN' : `Add ENV UV_LINK_MODE=copy before the RUN on line ${line}`, edits: [insertAt(ctx.model, blockOf(ctx.model, at).start, 'ENV UV_LINK_MODE=copy\n')], preferred: true, safe: true }],
      });
    }
  },
};

// ---------------------------------------------------------------- SD505

const SD505: DockerfileRule = {
  id: 'SD505',
  title: 'Dependencies and project installed in one step',
  severity: 'info',
  docs: {
    summary: '`uv sync` installs the dependencies and the project together: there is no `--no-install-project` layer that survives source edits.',
    why: 'With `uv sync --locked --no-install-project` (bind-mounting `uv.lock` and `pyproject.toml`) before `COPY . /app`, the dependency layer is rebuilt only when the lock changes, not on every code edit.',
  },
  check(ctx, report) {
    for (const { inst, cmd, call } of uvInstalls(ctx)) {
      if (call.kind !== 'sync' || !ships(inst.stage)) continue;
      if (has(cmd, '--no-install-project', '--no-install-workspace', '--only-deps')) continue;
      const split = lineageHas(inst.stage, inst.start, 'SD505 split sync', (i) => (i.run?.commands ?? []).some((c) => uvInstall(c)?.kind === 'sync' && has(c, '--no-install-project', '--no-install-workspace')));
      if (split) continue;
      const lockPresent = ctx.build.stat('uv.lock') === 'file';
      report({
        range: ctx.model.rangeOf(cmd.start, call.sub!.end),
        message: lockPresent
          ? 'uv sync installs dependencies and project in one layer: run `uv sync --locked --no-install-project` with bind mounts of uv.lock and pyproject.toml first, then copy the project and sync again.'
          : 'uv sync installs dependencies and project in one layer: run `uv sync --no-install-project` with a bind mount of pyproject.toml first, then copy the project and sync again (with uv.lock committed, bind-mount it too and add --locked).',
      });
    }
  },
};

// ---------------------------------------------------------------- SD506

const SD506: DockerfileRule = {
  id: 'SD506',
  title: 'uv left in the final image of a multi-stage build',
  severity: 'info',
  docs: {
    summary: 'A multi-stage build copies or installs uv into the final image, where nothing needs it at run time.',
    why: 'uv is a build tool. In a multi-stage build the final stage can copy the virtual environment from the builder, or bind-mount uv for one `RUN` (`--mount=from=ghcr.io/astral-sh/uv:<version>,source=/uv,target=/bin/uv`).',
  },
  check(ctx, report) {
    if (ctx.model.stages.length < 2) return;
    for (const inst of ctx.model.instructions) {
      if (!inst.stage.reachesFinal) continue;
      const viaCopy = uvImageCopy(inst);
      const viaInstall = (inst.run?.commands ?? []).find((c) => installsUv(c));
      if (!viaCopy && !viaInstall) continue;
      const size = wheelSize('uv');
      report({
        range: viaInstall ? ctx.model.rangeOf(viaInstall.start, viaInstall.end) : ctx.model.rangeOf(inst.start, inst.end),
        message: 'uv stays in the final image of this multi-stage build: install in the builder and copy the environment, or bind-mount uv for the one RUN that needs it.',
        estimate: size ? { bytes: size, basis: `the uv wheel's download size (${wheelBasis()}); the unpacked binary is larger.` } : { bytes: null, basis: 'uv\'s size is not in the table.' },
      });
    }
  },
};

// ---------------------------------------------------------------- SD507

function pythonVersionOfBase(image: string): string | undefined {
  const { repo, tag } = parseImage(image);
  const name = repo.replace(/^(docker\.io\/)?(library\/)?/, '').toLowerCase();
  if (name === 'python') return /^(\d+\.\d+)/.exec(tag ?? '')?.[1] ?? '';
  const uv = /astral-sh\/uv$/.test(name) ? /python(\d+\.\d+)/.exec(tag ?? '')?.[1] : undefined;
  return uv;
}

const SD507: DockerfileRule = {
  id: 'SD507',
  title: 'A second Python interpreter',
  severity: 'info',
  docs: {
    summary: 'uv downloads a Python of its own on a base image that already has one.',
    why: 'A managed Python is ≈ 30–100 MB more in the image (and a second interpreter to patch). On a `python:` base, `UV_PYTHON_DOWNLOADS=0` makes uv use the interpreter that is there.',
  },
  check(ctx, report) {
    for (const inst of ctx.model.instructions) {
      if (!ships(inst.stage)) continue;
      const baseVersion = pythonVersionOfBase(baseImage(inst.stage));
      if (baseVersion === undefined) continue;
      for (const cmd of inst.run?.commands ?? []) {
        const uv = uvCall(cmd);
        if (!uv?.sub) continue;
        const downloads = cmd.env.get('UV_PYTHON_DOWNLOADS');
        if (downloads !== undefined && /^(0|false|never|manual|no|off)$/i.test(downloads)) continue;
        if (has(cmd, '--no-python-downloads', '--python-preference=only-system')) continue;
        const explicit = uv.sub.value === 'python' && uv.args[0]?.value === 'install';
        const requested = cmd.argv.find((w, i) => i > 0 && (cmd.argv[i - 1].value === '--python' || cmd.argv[i - 1].value === '-p'))?.value ?? cmd.env.get('UV_PYTHON');
        const mismatch = requested && /^\d+\.\d+/.test(requested) && baseVersion && !requested.startsWith(baseVersion);
        if (!explicit && !mismatch) continue;
        report({
          range: ctx.model.rangeOf(cmd.start, uv.sub.end),
          message: explicit
            ? `uv python install adds a second interpreter to a base that has Python ${baseVersion || ''}: use the base's Python and set UV_PYTHON_DOWNLOADS=0.`.replace('  ', ' ')
            : `uv is asked for Python ${requested} on a Python ${baseVersion} base: it will download a second interpreter. Match the base, and set UV_PYTHON_DOWNLOADS=0.`,
          estimate: { bytes: null, basis: 'a managed CPython build; its size is not in the table.' },
        });
      }
    }
  },
};

// ---------------------------------------------------------------- SD508

const DEBIAN_MANAGED = /^(bookworm|trixie|forky|sid|testing|stable|unstable|12|13|14)([.-]|$)/;
const UBUNTU_MANAGED = /^(lunar|mantic|noble|oracular|plucky|questing|devel|rolling|2[3-9]\.\d\d)([.-]|$)/;

/** The stage runs a distro Python marked EXTERNALLY-MANAGED (PEP 668). */
function externallyManaged(stage: StageModel, before: number): boolean {
  const { repo, tag } = parseImage(baseImage(stage));
  const name = repo.replace(/^(docker\.io\/)?(library\/)?/, '').toLowerCase();
  const t = tag ?? 'latest';
  const managedDistro = (name === 'debian' && (t === 'latest' || DEBIAN_MANAGED.test(t))) || (name === 'ubuntu' && (t === 'latest' || UBUNTU_MANAGED.test(t)));
  if (!managedDistro) return false;
  const aptPython = lineageHas(stage, before, 'SD508 apt python', (i) => (i.run?.commands ?? []).some((c) => (c.name === 'apt-get' || c.name === 'apt') && c.argv[1]?.value === 'install' && c.argv.some((w) => /^python3(\.\d+)?(-pip|-venv|-dev|-full)?$/.test(w.value))));
  const unmarked = lineageHas(stage, before, 'SD508 unmarked', (i) => (i.run?.commands ?? []).some((c) => c.name === 'rm' && c.argv.some((w) => /EXTERNALLY-MANAGED/.test(w.value))));
  return aptPython && !unmarked;
}

/** A virtual environment the command runs in (created earlier and on PATH, or called by path). */
function inVenv(inst: InstructionModel, cmd: ShellCommand): boolean {
  if (cmd.argv[0].value.includes('/') && !/^\/usr\/(local\/)?bin\//.test(cmd.argv[0].value)) return true;
  if (cmd.env.get('VIRTUAL_ENV')) return true;
  const insts = lineage(inst.stage).filter((i) => i.start <= inst.start);
  const venvs = insts.flatMap((i) => (i.run?.commands ?? []).flatMap((c) => {
    const m = c.argv.findIndex((w) => w.value === 'venv' || w.value === 'virtualenv');
    if (m < 0 || !(c.name.startsWith('python') || c.name === 'virtualenv' || c.name === 'uv')) return [];
    const dir = c.argv.slice(m + 1).find((w) => !w.value.startsWith('-'))?.value ?? '.venv';
    return [resolvePath(i.workdir, dir)];
  }));
  const path = cmd.env.get('PATH') ?? '';
  return venvs.some((v) => path.split(':').some((p) => isUnder(p, v))) || (cmd.index > 0 && inst.run!.commands.some((c) => c.index < cmd.index && (c.name === 'source' || c.name === '.')));
}

/**
 * The dependency manifests whose absence SD508 reports. Other missing COPY sources are left to
 * Docker's own checks: slimdock is about what installs, and a partial checkout (no sources, only
 * manifests) is a common way to read a project.
 */
const MANIFEST = /^(uv\.lock|pyproject\.toml|(.*requirements.*|constraints.*)\.(txt|in))$/i;

/** The project folder a uv command works on: `--project`/`--directory`, else the WORKDIR. */
function uvProjectDir(inst: InstructionModel, cmd: ShellCommand): string {
  const w = words(cmd);
  const k = w.findIndex((v) => v === '--project' || v === '--directory' || v.startsWith('--project=') || v.startsWith('--directory='));
  const dir = k < 0 ? '.' : w[k].includes('=') ? w[k].slice(w[k].indexOf('=') + 1) : w[k + 1] ?? '.';
  return resolvePath(inst.workdir, dir);
}

/**
 * A COPY/ADD before `inst` (in its stage or those it builds on) names a uv.lock of the context, or
 * a folder that holds one: `COPY services/api/pyproject.toml services/api/uv.lock ./`, `COPY
 * services/api/ ./` (found by review: a lock deeper than one folder was reported missing).
 */
function lockCopied(ctx: DockerfileContext, inst: InstructionModel, absent: (rel: string) => boolean): boolean {
  // The COPYs that bring a lock, found once per check (a scan of the lineage per sync grew with the
  // square of the file); then those before `inst` in its lineage.
  let copies = lockCopiesOf.get(ctx);
  if (!copies) lockCopiesOf.set(ctx, (copies = ctx.model.instructions.filter((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && !i.flags.has('from') && i.args.slice(0, -1).some((a) => bringsLock(a.getValue(), absent)))));
  if (!copies.length) return false;
  const stages = new Set(stagesOf(inst.stage));
  return copies.some((c) => c.start < inst.start && stages.has(c.stage));
}

const lockCopiesOf = new WeakMap<DockerfileContext, InstructionModel[]>();

/** A COPY source that brings a uv.lock of the context: by name, in its folder, or by a pattern that matches it. */
function bringsLock(source: string, absent: (rel: string) => boolean): boolean {
  const rel = source.replace(/^\.?\/+/, '').replace(/\/+$/, '');
  if (!rel || /^https?:|^git@/.test(rel)) return false;
  // (`services/api/uv.lock*`: a pattern in the last part that matches the lock; found by review.)
  const dir = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
  const last = rel.slice(dir ? dir.length + 1 : 0);
  if (/[*?[$]/.test(dir)) return false;
  if (/[*?[$]/.test(last)) return !/\$/.test(last) && globMatch(last, 'uv.lock') && !absent(dir ? `${dir}/uv.lock` : 'uv.lock');
  return last === 'uv.lock' ? !absent(rel) : !absent(`${rel}/uv.lock`);
}

/** `uv lock`, `uv add`/`remove`, or a `uv sync` without --locked/--frozen: each writes the project's uv.lock. */
function writesLock(cmd: ShellCommand): boolean {
  const uv = uvCall(cmd);
  if (!uv?.sub) return false;
  if (['lock', 'add', 'remove'].includes(uv.sub.value)) return true;
  return uv.sub.value === 'sync' && !has(cmd, '--locked', '--frozen') && !envOn(cmd, 'UV_LOCKED') && !envOn(cmd, 'UV_FROZEN');
}

/**
 * uv.lock is made in the image before this command, in its project folder: by an earlier uv
 * command (of the lineage or of this RUN) that writes it there, or copied there from another stage
 * or image (`COPY --from=lock /src/uv.lock ./`, or the folder of a stage that writes it).
 */
function lockMadeInImage(ctx: DockerfileContext, inst: InstructionModel, cmd: ShellCommand): boolean {
  const project = uvProjectDir(inst, cmd);
  const writesHere = (i: InstructionModel, c: ShellCommand) => writesLock(c) && uvProjectDir(i, c) === project;
  if (inst.run!.commands.some((c) => c.index < cmd.index && writesHere(inst, c))) return true;
  const stageOf = (name: string) => (/^\d+$/.test(name) ? ctx.model.stages[Number(name)] : ctx.model.stages.find((x) => x.name?.toLowerCase() === name.toLowerCase()));
  return lineage(inst.stage).some((i) => {
    if (i.start >= inst.start) return false;
    if ((i.run?.commands ?? []).some((c) => writesHere(i, c))) return true;
    const from = i.keyword === 'COPY' || i.keyword === 'ADD' ? i.flags.get('from')?.[0] : undefined;
    if (!from) return false;
    const values = i.args.map((a) => a.getValue());
    const dest = resolvePath(i.workdir, values[values.length - 1] ?? '.');
    if (dest !== project && dest !== `${project}/uv.lock`.replace(/^\/\//, '/')) return false;
    const sources = values.slice(0, -1);
    if (sources.some((v) => /(^|\/)uv\.lock$/.test(v))) return true;
    // A folder of a stage of this file that writes a lock.
    const stage = stageOf(from);
    return !!stage && lineage(stage).some((j) => (j.run?.commands ?? []).some(writesLock));
  });
}

const SD508: DockerfileRule = {
  id: 'SD508',
  title: 'The build will fail',
  severity: 'error',
  docs: {
    summary: 'A file the build needs is not in the build context (a `uv.lock` that `--locked` requires, a file `COPY` or a bind mount names), or pip/uv installs into an externally managed distro Python.',
    why: 'These builds stop with an error: `uv sync --locked` without a lock, `COPY` of a missing or ignored file, `pip install` on Debian 12 / Ubuntu 24.04 `python3` (PEP 668: "externally-managed-environment").',
  },
  check(ctx, report) {
    const contextKnown = ctx.build.list('').some((n) => !/^(Dockerfile|Containerfile)/i.test(n) && !/\.(dockerfile|containerfile)$/i.test(n));
    const absent = (rel: string) => ctx.build.stat(rel) === undefined || ctx.build.ignored(rel);

    for (const inst of ctx.model.instructions) {
      // Files named by COPY/ADD sources and bind mounts.
      if (contextKnown && (inst.keyword === 'COPY' || inst.keyword === 'ADD') && !inst.flags.has('from') && !inst.args.some((a) => a.getValue().startsWith('<<'))) {
        const args = inst.args;
        for (const a of args.slice(0, -1)) {
          const v = a.getValue();
          if (/[*?[$]|^https?:|^git@/.test(v) || v === '.' || v === './') continue;
          const rel = v.replace(/^\.?\/+/, '').replace(/\/+$/, '');
          if (!rel || !MANIFEST.test(rel.split('/').pop()!) || !absent(rel)) continue;
          const why = ctx.build.stat(rel) ? 'excluded by .dockerignore' : 'not in the build context';
          const r = a.getRange();
          report({ range: { start: r.start, end: r.end }, message: `${v} is ${why} (${ctx.contextDir}): this ${inst.keyword} will fail.` });
        }
      }
      for (const m of inst.run?.mounts ?? []) {
        if (!contextKnown || m.type !== 'bind' || m.from || !m.source) continue;
        const rel = m.source.replace(/^\.?\/+/, '');
        if (!rel || rel.includes('$') || !MANIFEST.test(rel.split('/').pop()!) || !absent(rel)) continue;
        report({ range: ctx.model.rangeOf(m.start, m.end), message: `The bind mount source ${m.source} is ${ctx.build.stat(rel) ? 'excluded by .dockerignore' : 'not in the build context'}: this RUN will fail.` });
      }
      for (const cmd of inst.run?.commands ?? []) {
        const call = uvInstall(cmd);
        // uv sync --locked / --frozen without a lock anywhere the build can see it.
        if (contextKnown && call?.kind === 'sync' && (has(cmd, '--locked', '--frozen') || envOn(cmd, 'UV_LOCKED') || envOn(cmd, 'UV_FROZEN'))) {
          // The lock may sit in the context root or in a folder the build copies or mounts.
          const mountedLock = inst.run!.mounts.some((m) => m.type === 'bind' && (m.source ?? '').endsWith('uv.lock'));
          const lockSomewhere = !absent('uv.lock') || mountedLock || ctx.build.list('').some((d) => ctx.build.stat(`${d}/uv.lock`) === 'file' && !ctx.build.ignored(`${d}/uv.lock`)) || lockCopied(ctx, inst, absent) || lockMadeInImage(ctx, inst, cmd);
          if (!lockSomewhere) {
            const why = ctx.build.ignored('uv.lock') ? 'excluded by .dockerignore' : 'not in the build context';
            report({ range: ctx.model.rangeOf(cmd.start, call.sub!.end), message: `uv sync ${has(cmd, '--frozen') || envOn(cmd, 'UV_FROZEN') ? '--frozen' : '--locked'} needs uv.lock, which is ${why}: run \`uv lock\` and commit it.` });
          }
        }
        // Installs into an externally managed distro Python.
        const pip = pipCall(cmd);
        const uvSystem = call?.kind === 'pip install' && (has(cmd, '--system') || envOn(cmd, 'UV_SYSTEM_PYTHON'));
        const pipInstall = pip?.sub?.value === 'install';
        if ((uvSystem || pipInstall) && externallyManaged(inst.stage, inst.start) && !inVenv(inst, cmd)) {
          if (has(cmd, '--break-system-packages') || envOn(cmd, 'PIP_BREAK_SYSTEM_PACKAGES') || envOn(cmd, 'UV_BREAK_SYSTEM_PACKAGES')) continue;
          if (has(cmd, '--target', '-t', '--prefix', '--root')) continue; // not the system site-packages
          const sub = uvSystem ? call!.args[0] : pip!.sub!;
          report({
            range: ctx.model.rangeOf(cmd.start, sub.end),
            message: `${baseImage(inst.stage)} marks its python3 as externally managed (PEP 668): this install fails. Use a virtualenv, a python: base image, or --break-system-packages.`,
            fixes: [{ title: 'Add --break-system-packages', edits: [insertOptionAfter(ctx.model, sub, '--break-system-packages', cmd.via === 'exec')] }],
          });
        }
      }
    }
  },
};

// ---------------------------------------------------------------- SD509

const SD509: DockerfileRule = {
  id: 'SD509',
  title: 'UV_COMPILE_BYTECODE unset',
  severity: 'info',
  docs: {
    summary: 'uv installs into the final image without deciding about bytecode: `UV_COMPILE_BYTECODE` is unset.',
    why: 'uv does not compile `.pyc` files by default. `UV_COMPILE_BYTECODE=1` makes start-up faster (no compile on first import) at the cost of image size (the `.pyc` files, typically 20–40 % of the installed pure-Python code); `0` keeps the image smaller. Say which you want.',
  },
  check(ctx, report) {
    const seen = new Set<StageModel>();
    for (const { inst, cmd, call } of uvInstalls(ctx)) {
      if (!ships(inst.stage) || seen.has(inst.stage)) continue;
      if (cmd.env.has('UV_COMPILE_BYTECODE') || has(cmd, '--compile-bytecode', '--compile', '--no-compile-bytecode')) continue;
      seen.add(inst.stage);
      report({
        range: ctx.model.rangeOf(cmd.start, call.sub!.end),
        message: 'UV_COMPILE_BYTECODE is unset: set 1 for faster start-up (larger image, the .pyc files) or 0 to keep the image smaller.',
        fixes: [{ title: 'Add ENV UV_COMPILE_BYTECODE=1 (faster start-up, larger image)', edits: [insertAt(ctx.model, inst.start, 'ENV UV_COMPILE_BYTECODE=1\n')] }],
      });
    }
  },
};

export const uvRules: DockerfileRule[] = [SD501, SD502, SD503, SD504, SD505, SD506, SD507, SD508, SD509];
