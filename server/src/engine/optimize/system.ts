// System mode: no virtual environment in the image. Each install of the old final stage is
// rewritten in place as `uv pip install --system`, with uv bind-mounted from its image for that
// RUN only and a cache mount; a uv project is exported from its lock first. When the old file
// compiled with build packages, a builder stage makes the wheels (with pip, which the python
// images carry) and the final stage installs them from a bind mount, offline.
import type { InstructionModel } from '../parse/dockerfile';
import type { ShellCommand, Word } from '../parse/shell';
import { isUnder } from '../parse/dockerfile';
import { copyTarget } from './context-map';
import { droppedNote, opDir, type Analysis, type PyOp } from './analyze';
import { BuilderContext, builderName, fromFlagsOf, guarded, osInstall, projectKind, requirementFiles, intoVirtualEnv, UV_FILE_SETTINGS, type BuilderOptions, type BuilderPlan, type ProjectKind } from './builder';
import { renderRun } from './units';
import { isToolchain } from '../rules/os';
import { removes, isRemoteUrl } from '../rules/commands';

export interface SystemPlan {
  builder: string[];
  insert: string[];
  replaced: Map<InstructionModel, string>;
  manifests: string[];
  notes: string[];
  blockers: string[];
  /** Why the system layout cannot take these installs (the venv layout is used instead, or, on PyTorch's images, nothing). */
  fallback?: string;
  /** Installs kept in place that install from the sources (`pip install -e .` of a setup.py project): their dependencies come with the sources. */
  fromSources: InstructionModel[];
}

const UV_IMAGE = 'ghcr.io/astral-sh/uv';
const INDENT = '    ';
const UV_CACHE = '/root/.cache/uv';

const PROJECT_WORDS: Record<Exclude<ProjectKind, 'requirements'>, string> = { 'uv-project': 'a uv project', poetry: 'a poetry project', pipenv: 'a pipenv project', conda: 'a conda environment' };

export function planSystem(a: Analysis, opts: BuilderOptions): SystemPlan {
  const out: SystemPlan = { builder: [], insert: [], replaced: new Map(), manifests: [], notes: [], blockers: [], fromSources: [] };
  // `pip install .` of a PEP 621 project: the venv layout makes it a uv sync; in place it stays a
  // pip-like install (`uv pip install --system .`), as for a setup.py project (found by review).
  const found = projectKind(a, opts.build, opts.fs).kind;
  const kind = found === 'uv-project' && !a.ops.some((o) => o.kind === 'uv-sync') ? 'requirements' : found;
  if (kind !== 'requirements') {
    out.fallback = `this is ${PROJECT_WORDS[kind]} (the system layout covers requirements files and named packages)`;
    return out;
  }
  // Installs that went into a virtual environment (`venv/bin/pip`, a venv's bin first on PATH, one
  // the file creates): `--system` would put the packages elsewhere, away from what uses that venv.
  const venvPip = a.ops.find(intoVirtualEnv);
  if (venvPip || a.venvs.length) {
    out.fallback = `the old installs went into a virtual environment (${venvPip ? `line ${venvPip.inst.node.getRange().start.line + 1}` : a.venvs[0]})`;
    return out;
  }
  // An install in an exec-form RUN (`RUN ["pip", "install", "-r", "requirements.txt"]`): the in-place
  // rewrite edits shell text (found by review: it was left as pip, and the rewrite refused as unstable).
  const exec = a.ops.find((o) => o.inst.run?.execForm);
  if (exec) {
    out.fallback = `line ${exec.inst.node.getRange().start.line + 1} installs in an exec-form RUN, which the in-place rewrite does not edit`;
    return out;
  }
  // An uninstall (`pip uninstall -y requests`, `… && pip install opencv-python-headless`): the
  // builder's pip wheel would build what it names and the offline install would put it back. In
  // place, without a builder, it stays as it was (found by review).
  const compiles = systemCompiles(a);
  const uninstall = a.ops.find((o) => o.action === 'uninstall');
  if (uninstall && compiles) {
    // (Said of both ways system mode installs: the builder's wheels, and an install in place, which it writes as installs only; found by review.)
    out.fallback = `line ${uninstall.inst.node.getRange().start.line + 1} uninstalls packages, which the wheels the builder makes cannot express`;
    return out;
  }
  // A secret or SSH agent the install authenticates with: the builder's pip wheel needs it, and the
  // offline install from its wheels does not (the virtual-environment builder carries it over).
  // (In place the RUN keeps its mounts, a secret handed to pip as PIP_INDEX_URL renamed for uv: found by review.)
  const secret = a.ops.find((o) => (o.inst.run?.mounts ?? []).some((m) => m.type === 'secret' || m.type === 'ssh'));
  if (secret && compiles) {
    out.fallback = `line ${secret.inst.node.getRange().start.line + 1} installs with a secret or SSH mount, which system mode's wheel builder does not carry over yet (the virtual-environment builder does)`;
    return out;
  }
  // An install as a non-root USER: pip fell back to a user install (or the user owned the prefix);
  // uv writes the system site-packages as that user, which root owns: the build would fail.
  const nonRoot = a.ops.find((o) => !/^(root|0)$/.test(o.inst.user));
  if (nonRoot) {
    out.fallback = `line ${nonRoot.inst.node.getRange().start.line + 1} installs as user ${nonRoot.inst.user}, who may not write the system site-packages (root owns them)`;
    return out;
  }
  // A direct reference (`name @ git+https://…`, a URL) is fetched again by an offline install from
  // the builder's wheels; the final stage has no git for it.
  const direct = directReference(a, opts);
  if (direct) {
    out.fallback = `${direct} is a direct reference, which an offline install from the builder's wheels would fetch again`;
    return out;
  }
  // An install into a folder of its own (`--target /app/deps`): the system layout would put the
  // packages into site-packages instead, away from the PYTHONPATH that names that folder.
  const target = a.ops.map((o) => ({ o, how: o.args.find((w) => /^(-t|--target|--prefix|--root)(=|$)/.test(w.value))?.value.replace(/=.*$/, '') ?? ['PIP_TARGET', 'PIP_PREFIX', 'PIP_ROOT'].find((k) => o.cmd.env.has(k)) })).find((x) => x.how);
  if (target) {
    out.fallback = `line ${target.o.inst.node.getRange().start.line + 1} installs into a folder of its own (${target.how})`;
    return out;
  }
  // Compiling needs a builder: build packages the old file installed, or the compilers of a full
  // base image the old installs ran on (the slim final stage has none): `compiles` above.
  // PyTorch's images: pip installs the wheels into the image's own Python, as the old file did (it
  // sees the preinstalled torch and keeps it; a wheel builder is the only reason to rewrite).
  const pytorch = a.base!.kind === 'pytorch';
  if (pytorch && !compiles) {
    out.blockers.push(`the final stage is on ${a.base!.builderImage} already and builds nothing: there is nothing for a builder stage to do.`);
    return out;
  }
  const name = builderName(opts.takenNames);
  const plan: BuilderPlan = { kind, name, lines: [], venv: '', extraCopies: [], notes: [], blockers: [], manifests: [] };
  const ctx = new BuilderContext(a, opts, plan);
  ctx.system = true;
  const env = `UV_COMPILE_BYTECODE=${opts.compileBytecode ? 1 : 0} UV_LINK_MODE=copy`;
  const uvMount = `--mount=from=${UV_IMAGE}:${opts.uvVersion},source=/uv,target=/bin/uv`;
  const cache = `--mount=type=cache,target=${UV_CACHE}`;

  if (compiles) {
    // Wheels for everything the old installs named, built where the toolchain is.
    out.builder.push(`FROM ${fromFlagsOf(a)}${a.base!.builderImage} AS ${name}`, ...ctx.argsAndEnv(true)); // pip wheel reads the PIP_* settings
    if (a.buildPackages.length) out.builder.push(osInstall(a.base!.manager, a.buildPackages, a.buildEnv));
    ctx.system = false;
    ctx.pipWheel = true;
    for (const op of a.ops) {
      const t = ctx.uvPip(op);
      if (!t) continue;
      const offline = offlineBlocker(a, op, opts);
      if (offline) {
        out.fallback = `line ${op.inst.node.getRange().start.line + 1} ${offline}`;
        return out;
      }
      // The project from its sources (`pip install .`, `-e .`, setup.py): the builder has no sources
      // to make its wheel from, and an offline install of the folder in the final stage could not
      // fetch its build backend.
      if (t.needsSource) {
        out.fallback = `line ${op.inst.node.getRange().start.line + 1} installs from the project's sources, which the final stage cannot build offline from the builder's wheels`;
        return out;
      }
      // The builder's /wheels is taken: a mount of the old file's files there (`COPY --from=wheelhouse
      // /build/wheels/ /wheels/`), where pip wheel would write into a mount, and the final stage's
      // mount of the builder's /wheels would hide them (found by review).
      const wheels = (p: string) => isUnder(p, '/wheels') || isUnder('/wheels', p);
      const taken = t.mounts.map(mountTarget).find((x) => !!x && wheels(x)) ?? a.chain.flatMap((st) => st.instructions).filter((i) => !a.removed.has(i)).map((i) => copyTarget(i)?.dest).find((d) => !!d && d !== '/' && wheels(d));
      if (taken) {
        out.fallback = `line ${op.inst.node.getRange().start.line + 1} reads ${taken}, where the wheel builder puts its own wheels`;
        return out;
      }
      // An sdist another stage made (`COPY --from=builder /src/dist/*.tar.gz /tmp/`): the final
      // stage's offline install would build it again, without its build backend (found by review:
      // the system output of jertel/elastalert2).
      if (ctx.stageSources.length) {
        out.fallback = `line ${op.inst.node.getRange().start.line + 1} installs ${ctx.stageSources[0]}, sources another stage made, which the final stage cannot build offline from the builder's wheels`;
        return out;
      }
      // uv's resolution settings in the environment, which pip wheel does not read (found by review).
      const uvOnly = ['UV_RESOLUTION', 'UV_PRERELEASE', 'UV_EXCLUDE_NEWER', ...UV_FILE_SETTINGS].find((k) => op.cmd.env.has(k));
      if (uvOnly) {
        out.fallback = `line ${op.inst.node.getRange().start.line + 1} installs under ${uvOnly}, which pip wheel does not read`;
        return out;
      }
      // `CMAKE_ARGS=… uv pip install …`: the variables stay in front of the command.
      const { assignments, words } = uvInstallWords(t.command);
      const pipWords = pipWheelWords(words);
      if (typeof pipWords === 'string') {
        out.fallback = `line ${op.inst.node.getRange().start.line + 1} uses ${pipWords}, which pip wheel has no equivalent for`;
        return out;
      }
      out.builder.push(`WORKDIR ${opDir(op)}`);
      const mounts = ['--mount=type=cache,target=/root/.cache/pip', ...t.mounts];
      out.builder.push(`RUN ${mounts.join(` \\\n${INDENT}`)} \\\n${INDENT}${guarded(op, `${assignments}pip wheel --wheel-dir /wheels ${pipWords.join(' ')}`)}`);
    }
    ctx.system = true;
    ctx.pipWheel = false;
    out.notes.push(a.buildPackages.length ? 'the wheels are built in the builder stage (with its build packages) and installed offline in the final stage.' : `the wheels are built in the builder stage (on ${a.base!.builderImage}, with its compilers) and installed offline in the final stage.`);
  }

  // uv ignores PIP_* settings (an index mirror, trusted hosts): the in-place installs get their uv
  // spellings in front (an offline install reads no index).
  const pipEnv = compiles ? [] : ctx.translatedPipEnv();
  const stageMounts = new Map<InstructionModel, string[]>();
  const byInst = new Map<InstructionModel, PyOp[]>();
  for (const op of a.ops) byInst.set(op.inst, [...(byInst.get(op.inst) ?? []), op]);
  for (const [inst, ops] of byInst) {
    const plan = a.plans.get(inst);
    if (!plan) continue;
    const keep = [...plan.keep];
    const edits = new Map(plan.edits);
    for (const op of ops) {
      const i = plan.split.units.findIndex((u) => u.commands.includes(op.cmd));
      if (i < 0) continue;
      // `pip uninstall -y setuptools wheel` in place: pip of the final stage's Python runs it, as it
      // did (found by review: the hardening step was lost to the venv layout).
      if (op.action === 'uninstall') {
        keep[i] = true;
        continue;
      }
      const t = ctx.uvPip(op);
      if (!t) continue;
      for (const m of t.mounts.filter((x) => /^--mount=type=bind,from=/.test(x))) stageMounts.set(inst, [...new Set([...(stageMounts.get(inst) ?? []), m])]);
      if (t.needsSource && !out.fromSources.includes(inst)) out.fromSources.push(inst);
      const { assignments, verb, words: uvWords } = uvInstallWords(t.command);
      const command = compiles ? `${assignments}uv pip ${verb} --system --no-index --find-links /wheels ${offlineWords(uvWords).join(' ')}` : t.command;
      keep[i] = true;
      const u = plan.split.units[i];
      // The RUN's `cd`s before it stay in front of it (also one back to the WORKDIR: `cd sub && … && cd ..`).
      plan.split.units.forEach((c, j) => j < i && c.commands.length === 1 && c.commands[0].name === 'cd' && (keep[j] = true));
      // Under an `if`: the install's own words change, the `if` stays as written (comments, continuations).
      const at = op.guard ? { start: op.cmd.start, end: op.cmd.end } : { start: u.start, end: u.end };
      if (pytorch && compiles) {
        // pip's own install words (`--upgrade` kept: it picks the newer wheel over the image's copy).
        const words = pipInstallWords(uvWords);
        // pip's upgrade strategy (uv has none): `eager` upgrades the installed dependencies too.
        const strategy = op.args.findIndex((w) => /^--upgrade-strategy(=|$)/.test(w.value));
        if (strategy >= 0) words.unshift(op.args[strategy].value.includes('=') ? op.args[strategy].raw : `--upgrade-strategy ${op.args[strategy + 1]?.raw ?? ''}`);
        edits.set(i, [...(op.guard ? edits.get(i) ?? [] : []), { ...at, text: `${assignments}pip install --no-index --find-links /wheels --no-cache-dir ${words.join(' ')}` }]);
        continue;
      }
      // Under an `if` each branch's install is its own edit of the unit.
      edits.set(i, [...(op.guard ? edits.get(i) ?? [] : []), { ...at, text: `${[env, ...pipEnv].join(' ')} ${command}` }]);
    }
    // `rm -rf /root/.cache` in the same RUN would empty uv's cache mount and then fail on its
    // mount point (EBUSY: the build stops); the cache is not in the layer anyway.
    // (An rm that also deletes what a kept COPY put in /tmp keeps those words: found by review.)
    // A folder another stage's files are mounted at now (`rm -rf /tmp/dist`, or a folder above it):
    // the rm would fail on the mount point (EBUSY) too, and the mount leaves nothing there; its
    // contents (`rm -rf /tmp/*`) may go (found by review).
    const targets = (stageMounts.get(inst) ?? []).map(mountTarget).filter((t): t is string => !!t);
    // One word of an rm: on a mount point now (not `dir/*`, its contents), or on uv's cache.
    const removesWord = (c: ShellCommand, w: Word, path: string) => removes({ ...c, argv: [c.argv[0], w] }, path, inst);
    const onMount = (c: ShellCommand, w: Word) => !/\/\*+$/.test(w.value) && targets.some((t) => removesWord(c, w, t));
    const blocks = (c: ShellCommand, w: Word) => removesWord(c, w, UV_CACHE) || onMount(c, w);
    const words = (c: ShellCommand) => c.argv.slice(1).filter((w) => !w.value.startsWith('-'));
    plan.split.units.forEach((u, i) => {
      if (!keep[i] || edits.has(i) || !u.commands.length || !u.commands.every((c) => c.name === 'rm') || !u.commands.some((c) => words(c).some((w) => blocks(c, w)))) return;
      // (The note that said the rm stays says it goes.)
      const line = inst.node.getRange().start.line + 1;
      if (u.commands.some((c) => words(c).some((w) => onMount(c, w)))) {
        a.notes.forEach((n, k) => (a.notes[k] = n.replace(`(the \`rm\` at line ${line} that deleted it stays)`, `(the \`rm\` at line ${line} that deleted it goes: the mount leaves nothing in the image)`)));
      }
      const rm = u.commands.length === 1 ? u.commands[0] : undefined;
      const all = rm ? words(rm) : [];
      const rest = all.filter((w) => !blocks(rm!, w));
      if (!rm || !rest.length || rest.some((w) => w.dynamic)) {
        keep[i] = false;
        return;
      }
      const text = a.model.text;
      const cut = all.filter((w) => !rest.includes(w));
      let out = text.slice(rm.start, rm.end);
      for (const w of [...cut].sort((x, y) => y.start - x.start)) out = `${out.slice(0, w.start - rm.start).replace(/[ \t]+$/, '')}${out.slice(w.end - rm.start)}`;
      edits.set(i, [{ start: rm.start, end: rm.end, text: out }]);
    });
    // `set -e` (`set -eux`) in front of what stays: a failing install must still fail the build.
    if (keep.some(Boolean)) plan.split.units.forEach((u, j) => u.commands.length > 0 && u.commands.every((c) => c.name === 'set') && (keep[j] = true));
    let body = renderRun(a.model, plan.split, keep, edits);
    if (!body) continue;
    // A secret handed to pip as `env=PIP_INDEX_URL`: uv, installing in place now, reads UV_INDEX_URL.
    if (!compiles && !pytorch) body = body.replace(/(--mount=\S*\benv=)PIP_(INDEX_URL|EXTRA_INDEX_URL)\b/g, '$1UV_$2');
    // (In place: another stage's files the removed COPYs brought, mounted from it: stageMounts.)
    const mounts = [...(pytorch ? [] : [uvMount, cache]), ...(compiles ? [`--mount=from=${name},source=/wheels,target=/wheels`] : []), ...(stageMounts.get(inst) ?? [])];
    // The RUN's own flags stay, each on a line of its own after the new mounts, but for pip's cache
    // mount, which serves no uv install (found by review: it was left on the command's line).
    const flags = /^RUN((?:(?:[ \t]|\\\r?\n)+--[^\s\\]+)*)(?:[ \t]|\\\r?\n)+/i.exec(body);
    const own = flags ? [...flags[1].matchAll(/--[^\s\\]+/g)].map((f) => f[0]).filter((f) => pytorch || !/^--mount=(?=.*\btype=cache\b)(?=.*\btarget=\S*\/pip\/?(,|$))/.test(f)) : [];
    const command = flags ? body.slice(flags[0].length) : body.replace(/^RUN\s+/i, '');
    out.replaced.set(inst, `RUN ${[...mounts, ...own].join(` \\\n${INDENT}`)} \\\n${INDENT}${command}`);
    // The analysis had removed the whole RUN (every unit moved): it stays, without what served pip.
    if (a.removed.has(inst) && plan.dropped.length) out.notes.push(droppedNote(inst.node.getRange().start.line + 1, plan.dropped));
    a.removed.delete(inst);
  }
  // `pip install -U pip setuptools`: the old image had setuptools (pkg_resources); python:3.12+
  // images and uv's installs have none. (PyTorch's conda Python has its own.)
  // (pip and wheel beside it, `pip install -U pip setuptools wheel`: the system Python keeps them
  // in place, as the old file left them; found by review.)
  const setuptools = a.toolSpecs.get('setuptools');
  const tools = ['pip', 'setuptools', 'wheel'].flatMap((n) => { const t = a.toolSpecs.get(n); return t && !t.offline ? [[n, t] as const] : []; });
  if (!pytorch && tools.length) {
    const upgrade = tools.some(([, t]) => t.upgrade);
    out.insert.push(`RUN ${uvMount} \\\n${INDENT}${cache} \\\n${INDENT}${[env, ...ctx.translatedPipEnv()].join(' ')} uv pip install --system ${upgrade ? '--upgrade ' : ''}${tools.map(([, t]) => t.raw).join(' ')}`);
    // (Upgraded as the old file did: the base image's own setuptools would otherwise stay; found by review.)
    out.notes.push(`the old file ${upgrade ? 'upgraded' : 'installed'} ${tools.map(([n]) => n).join(', ')}: the final stage does too${tools.some(([n]) => n === 'setuptools') ? ' (uv leaves setuptools out)' : ''}.`);
  } else if (!pytorch && setuptools) out.notes.push('the old file installed setuptools offline (--no-index): the final stage has none (uv leaves it out); add it to the requirements if the app imports pkg_resources.');
  out.blockers.push(...plan.blockers);
  out.notes.push(...plan.notes);
  return out;
}

/** A `--mount=…` option's target. */
function mountTarget(mount: string): string | undefined {
  return /(?:^|,)target=([^,]+)/.exec(mount)?.[1];
}

/** System mode builds wheels in a builder (with pip wheel) and installs them offline: build packages, or a full base image's compilers. Else uv installs in place. */
export function systemCompiles(a: Analysis): boolean {
  return a.buildPackages.some((p) => isToolchain(p.replace(/[=:].*$/, ''), a.base!.manager)) || a.base!.builderImage !== a.base!.finalImage;
}

/** The first requirement of the old installs that is a direct reference (VCS or URL), read through the requirement files and their includes. */
function directReference(a: Analysis, opts: BuilderOptions): string | undefined {
  const direct = (kind: string, text: string) => kind === 'url' || (kind === 'requirement' && /@\s*[a-z][a-z0-9+.-]*:/i.test(text));
  for (const op of a.ops) {
    for (const w of op.pkg?.packages ?? []) if (/^[a-z][a-z0-9+.-]*:\/\/|^git\+|@\s*[a-z][a-z0-9+.-]*:/i.test(w.value)) return w.value;
    for (const file of requirementFiles(a, op, opts.build, opts.fs)) {
      const entry = file.entries.find((e) => direct(e.kind, e.text));
      if (entry) return entry.text;
    }
  }
  return undefined;
}

/**
 * Why an install cannot become a wheel build plus an offline install, or undefined: hashes (a wheel
 * built from an sdist has another), build tools an earlier install put in the environment
 * (`--no-build-isolation`: pip wheel installs nothing), a local folder of packages the builder does
 * not have (`--find-links vendor`).
 */
function offlineBlocker(a: Analysis, op: PyOp, opts: BuilderOptions): string | undefined {
  const words = op.args.map((w) => w.value);
  const env = op.cmd.env;
  const files = requirementFiles(a, op, opts.build, opts.fs);
  if (words.includes('--require-hashes') || env.has('PIP_REQUIRE_HASHES') || files.some((f) => f.entries.some((e) => e.hashes.length > 0))) return 'pins hashes, which the wheels the builder makes from sources would not match';
  if (words.includes('--no-build-isolation') || env.has('PIP_NO_BUILD_ISOLATION')) return 'builds without isolation (--no-build-isolation), with build tools in the environment that pip wheel does not install';
  const folder = [...optionValues(op.args, ['-f', '--find-links']), ...(env.get('PIP_FIND_LINKS') ?? '').split(/\s+/).filter(Boolean), ...files.flatMap((f) => f.findLinks)].find((l) => !isRemoteUrl(l));
  if (folder !== undefined) return `finds packages in a local folder (--find-links ${folder}), which the wheel build and the offline install would each have to be given`;
  // A binary choice the offline install would apply to the builder's wheels (and so refuse them):
  // uv's own settings for uv, pip's for pip (PyTorch's images); the command line's are dropped.
  const pip = a.base!.kind === 'pytorch';
  const setting = (pip ? ['PIP_NO_BINARY'] : ['UV_NO_BINARY', 'UV_NO_BINARY_PACKAGE']).find((k) => env.has(k));
  if (setting) return `installs with ${setting} set, which the offline install would apply to the builder's wheels`;
  const choice = files.find((f) => f.noBinary);
  if (choice) return `reads --no-binary from ${choice.file.slice(choice.file.lastIndexOf('/') + 1)}, which the offline install would apply to the builder's wheels`;
  return undefined;
}

/** The values of an option (`-f x`, `--find-links=x`, `-fx`) among an install's words. */
function optionValues(args: { value: string }[], names: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    for (const n of names) {
      if (v === n && i + 1 < args.length) out.push(args[i + 1].value);
      else if (n.startsWith('--') && v.startsWith(`${n}=`)) out.push(v.slice(n.length + 1));
      else if (!n.startsWith('--') && v.startsWith(n) && v.length > n.length) out.push(v.slice(n.length));
    }
  }
  return out;
}

/**
 * An offline install's words: no `--no-binary` (the builder applied it; it would refuse the
 * builder's wheels) and nothing that reaches the network (indexes, remote `--find-links`, trusted
 * hosts): it installs from /wheels only. `--only-binary` stays: it only refuses sdists.
 */
function offlineWords(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const [name, inline] = w.startsWith('--') && w.includes('=') ? [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] : [w, undefined];
    if (['--no-binary', '--index-url', '--extra-index-url', '--default-index', '--index', '--index-strategy', '--allow-insecure-host', '--trusted-host', '-i'].includes(name)) {
      if (inline === undefined) i++;
      continue;
    }
    if (name === '--find-links' || name === '-f') {
      const value = inline ?? words[i + 1] ?? '';
      if (inline === undefined) i++;
      if (!isRemoteUrl(value)) out.push(name, value);
      continue;
    }
    out.push(w);
  }
  return out;
}

/** The final pip install's words for the uv install words: pip's spellings, offline, `--upgrade`/`--force-reinstall` kept. */
function pipInstallWords(words: string[]): string[] {
  // `--upgrade-package x` (uv) is pip's `--upgrade` of the named x, dependencies only if needed.
  const upgraded = offlineWords(words).flatMap((w, i, all) => (w === '--upgrade-package' ? ['--upgrade'] : all[i - 1] === '--upgrade-package' ? [] : [w]));
  const kept = upgraded.filter((w, i) => w !== '--upgrade' || upgraded.indexOf(w) === i).map((w) => (w === '--reinstall' ? '--force-reinstall' : w));
  const isFlag = (w: string) => w === '--upgrade' || w === '--force-reinstall';
  const flags = kept.filter(isFlag);
  // pipWheelWords only refuses uv-only options, which planSystem has already fallen back on.
  const rest = pipWheelWords(kept.filter((w) => !isFlag(w)));
  return [...flags, ...(typeof rest === 'string' ? [] : rest)];
}

/**
 * The builder's `pip wheel` words for the uv install words (the translation of the old pip
 * command, dev requirements left out): uv's spellings back to pip's, install-only options
 * dropped. The option pip has no equivalent for, when there is one.
 */
function pipWheelWords(words: string[]): string[] | string {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const [name, inline] = w.startsWith('--') && w.includes('=') ? [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] : [w, undefined];
    const value = () => inline ?? words[++i] ?? '';
    if (['--upgrade', '--reinstall', '--system', '--compile-bytecode', '--break-system-packages'].includes(name)) continue;
    if (name === '--upgrade-package') {
      value(); // what pip wheel builds is fresh anyway
      continue;
    }
    if (name === '--index-strategy') value(); // pip merges its indexes anyway (unsafe-best-match is pip's behaviour)
    else if (name === '--prerelease') out.push(...(value() === 'allow' ? ['--pre'] : []));
    else if (name === '--allow-insecure-host') out.push('--trusted-host', value());
    else if (name === '--config-setting') out.push('--config-settings', value());
    else if (name === '--default-index') out.push('--index-url', value());
    else if (name === '--index') out.push('--extra-index-url', value());
    else if (['--extra', '--all-extras', '--override', '--torch-backend', '--group'].includes(name)) return name;
    // uv's own resolution options, which pip wheel has not (found by review: other versions, silently).
    else if (['--resolution', '--exclude-newer', '--build-constraint', '--config-file', '--excludes', '--exclude', '--no-build-isolation-package', '--reinstall-package', '--refresh-package', '--no-sources', '--fork-strategy'].includes(name)) return name;
    // A project file as requirements (`-r pyproject.toml`): uv reads it, pip cannot (found by review).
    else if ((name === '-r' || name === '--requirement') && /(^|\/)(pyproject\.toml|setup\.(cfg|py))["']?$/.test(inline ?? words[i + 1] ?? '')) return `-r ${inline ?? words[i + 1]}`;
    else out.push(w);
  }
  return out;
}

/**
 * `A=1 B="x y" uv pip install --system -r r.txt` → the assignments (with their trailing blank), the
 * verb (`install`, `sync`) and the words after it, without `--system`.
 */
function uvInstallWords(command: string): { assignments: string; verb: string; words: string[] } {
  const m = /^((?:[A-Za-z_][A-Za-z0-9_]*=(?:"(?:\\.|[^"\\])*"|'[^']*'|[^\s"']+)\s+)*)uv pip (install|sync) (?:--system )?(.*)$/s.exec(command)!;
  return { assignments: m[1], verb: m[2], words: m[3].split(' ') };
}
