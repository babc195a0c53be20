// Python installer rules (SD101–SD111): pip, poetry, pipenv, pdm, conda and what they leave
// in the image.
import type { DockerfileRule } from './rule';
import type { DockerfileContext } from '../context';
import type { InstructionModel } from '../parse/dockerfile';
import { argDeclarations, shipsPath, resolvePath, substitute } from '../parse/dockerfile';
import { setsVariables, type ShellCommand } from '../parse/shell';
import { pipCall, uvCall, installArgs, hasOption, requirementName, expandPath, removes, mountCovers } from './commands';
import { insertOptionAfter, addMount, insertAt, replaceSpan } from './edits';
import { estimateFromSum, sumSizes, wheelSize, wheelClosureSize, wheelBasis, formatBytes } from '../estimates';
import { readRequirementNames, readContextFile, CALLED_SCRIPT } from './context-files';
import type { Estimate, Fix, TextEdit } from '../types';
import type { Word } from '../parse/shell';
import {
  pythonInstall, isUpgrade, shipsAny, extrasOf, isDevRequirementFile, toolCall, condaCall, optionsOf, envTrue,
  readPyproject, uvDefaultDevGroups, poetryDevGroups, pdmDevGroups, projectDependencyNames, projectTargets,
  DEV_TOOLS, DEV_GROUPS, PACKAGING_TOOLS, BINARY_WHEELS, TORCH_PACKAGES, TORCH_CPU_INDEX, TORCH_CUDA_WHEEL_BYTES,
  TORCH_CUDA_BASIS, createdVenvs, tomlGet, dependencyNames, type PythonInstall,
} from './python-tools';
import { uvConversionEdits } from '../refactor/convert';
import { rootStage } from './lineage';
import { lineage } from './layers';
import type { JSONInstruction } from 'dockerfile-ast';
import { blockOf } from '../refactor/blocks';

/** Every RUN command in a stage, with its instruction. */
export function* runCommands(ctx: DockerfileContext): Generator<{ inst: InstructionModel; cmd: ShellCommand }> {
  for (const inst of ctx.model.instructions) {
    if (!inst.run) continue;
    for (const cmd of inst.run.commands) yield { inst, cmd };
  }
}

/** Where pip keeps its cache for this command: PIP_CACHE_DIR, XDG_CACHE_HOME/pip, ~/.cache/pip. */
export function pipCacheDir(inst: InstructionModel, cmd: ShellCommand, cacheDirOption?: string): string {
  const env = cmd.env;
  if (cacheDirOption) return expandPath(cacheDirOption, inst, env);
  const set = env.get('PIP_CACHE_DIR');
  if (set) return expandPath(set, inst, env);
  const xdg = env.get('XDG_CACHE_HOME');
  if (xdg) return resolvePath('/', `${expandPath(xdg, inst, env)}/pip`);
  return resolvePath('/', `${env.get('HOME') ?? inst.home}/.cache/pip`);
}

/** Download size of what a pip/uv install names directly (packages and requirement files). */
export function installEstimate(ctx: DockerfileContext, inst: InstructionModel, packages: string[], requirementFiles: string[], what: string): Estimate {
  const names = packages.map(requirementName).filter((n): n is string => !!n);
  for (const f of requirementFiles) names.push(...(readRequirementNames(ctx, inst, f) ?? []));
  // pip downloads, and caches, each package's dependencies too (the image-size lab measured 1.5–2.2×
  // the named wheels alone). A long list is taken as pinned with its dependencies (a `pip freeze`):
  // then each entry counts alone, so nothing is counted twice.
  const unique = [...new Set(names)];
  const frozen = unique.length > 10;
  const sum = sumSizes(unique, frozen ? wheelSize : wheelClosureSize);
  return estimateFromSum(
    what,
    sum,
    frozen
      ? `the download size of the ${sum.known} listed package(s) (${wheelBasis()}).`
      : `the download size of the ${sum.known} named package(s) with their dependencies (${wheelBasis()}; dependency closures from the same locks, shared dependencies may count twice).`,
  );
}

const SD101: DockerfileRule = {
  id: 'SD101',
  title: 'pip cache left in the layer',
  severity: 'warning',
  hadolint: ['DL3042'],
  docs: {
    summary: '`pip install` keeps every downloaded wheel in its cache directory, and the cache ships in the image.',
    why: 'pip caches each wheel it downloads under `~/.cache/pip`; in an image layer that copy is dead weight, often 30–50 % of the installed size.',
  },
  check(ctx, report) {
    for (const { inst, cmd } of runCommands(ctx)) {
      const call = pipCall(cmd);
      if (!call || call.sub?.value !== 'install') continue;
      const args = installArgs(call.args);
      if (hasOption(args, '--no-cache-dir', '--no-cache')) continue;
      if (cmd.env.has('PIP_NO_CACHE_DIR')) continue; // pip turns the cache off for any boolean value, 0 and false included
      const globalCacheDir = cmd.argv.find((w, i) => i > 0 && cmd.argv[i - 1].value === '--cache-dir')?.value;
      const cacheDir = pipCacheDir(inst, cmd, args.options.get('--cache-dir')?.[0]?.value ?? globalCacheDir);
      if (cacheDir === '/dev/null') continue;
      if (!shipsPath(inst.stage, cacheDir)) continue;
      if (mountCovers(inst, cacheDir)) continue;
      const later = inst.run!.commands.filter((c) => c.index > cmd.index);
      if (later.some((c) => removes(c, cacheDir, inst) || isPipCachePurge(c))) continue;
      const exec = cmd.via === 'exec';
      report({
        range: ctx.model.rangeOf(cmd.start, call.sub.end),
        message: `pip keeps its download cache (${cacheDir}) in this layer: add --no-cache-dir or a cache mount.`,
        estimate: installEstimate(ctx, inst, args.packages.map((w) => w.value), args.requirementFiles.map((w) => w.value), 'pip cache'),
        fixes: [
          { title: 'Add --no-cache-dir', edits: [insertOptionAfter(ctx.model, call.sub, '--no-cache-dir', exec)], preferred: true, safe: true },
          ...(exec ? [] : [{ title: `Add a cache mount on ${cacheDir}`, edits: [addMount(ctx.model, inst, `type=cache,target=${cacheDir}`)] }]),
        ],
      });
    }
  },
};

function isPipCachePurge(cmd: ShellCommand): boolean {
  const call = pipCall(cmd);
  return !!call && call.sub?.value === 'cache' && (call.args[0]?.value === 'purge' || call.args[0]?.value === 'remove');
}


// ---------------------------------------------------------------------------------------------
// Shared by SD102–SD111

/** Every pip / uv pip install in the file whose packages end up in the final image. */
function* shippedInstalls(ctx: DockerfileContext): Generator<{ inst: InstructionModel; cmd: ShellCommand; ins: PythonInstall }> {
  for (const { inst, cmd } of runCommands(ctx)) {
    const ins = pythonInstall(inst, cmd);
    if (ins && shipsAny(inst.stage, ins.targets)) yield { inst, cmd, ins };
  }
}

/** What the final image runs: its CMD and ENTRYPOINT text (through the stages it is built FROM). */
function runtimeCommandText(ctx: Pick<DockerfileContext, 'model'>): string {
  const out: string[] = [];
  for (let s = ctx.model.finalStage; s; s = s.parent) {
    for (const i of s.instructions) if (i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') out.push(i.node.getArguments().map((a) => a.getValue()).join(' '));
  }
  return out.join('\n');
}

/** Commands a package provides, when they differ from its name. */
const COMMANDS: Record<string, string[]> = {
  jupyterlab: ['jupyter'], notebook: ['jupyter'], ipykernel: ['jupyter', 'ipython'], sphinx: ['sphinx-build'],
  'pip-tools': ['pip-compile', 'pip-sync'], pytest: ['pytest', 'py.test'],
};

/** The runtime command text names this tool (`CMD ["poetry", "run", …]`, `/tox-wrapper.sh`). */
function mentions(text: string, tool: string): boolean {
  // (A word of its own: `black_scholes.py` does not run black; found by review.)
  return [tool, ...(COMMANDS[tool] ?? [])].some((t) => new RegExp(`(^|[\\s"'/\\[,=])${t.replace(/[-.]/g, '[-_.]')}($|[^A-Za-z0-9_.])`, 'i').test(text));
}

/** The image the final stage is ultimately built FROM. */
function finalBaseImage(ctx: DockerfileContext): string | undefined {
  const s = ctx.model.finalStage;
  return s && rootStage(s).image;
}

const SELF_PACKAGES = new Set(['pip', 'setuptools', 'wheel']);

/** The package a requirement word names; undefined for paths (`libs/pkg[extra]`), URLs, expansions. */
function pkgName(w: Word): string | undefined {
  // A variable only in the version (`poetry==$POETRY_VERSION`): the name is as written (found by review).
  if (w.dynamic) {
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]$]*\])?\s*(===?|>=|<=|~=|!=|<|>)[^$]*\$/.exec(w.value);
    return m ? requirementName(m[1]) : undefined;
  }
  if (w.value.includes('/') && !/^[A-Za-z0-9._-]+\s*(\[[^\]]*\])?\s*@/.test(w.value)) return undefined;
  return requirementName(w.value);
}

function packageNames(words: Word[]): string[] {
  return words.map(pkgName).filter((n): n is string => !!n);
}

function nameMatches(w: Word, names: Set<string>): boolean {
  const n = pkgName(w);
  return !!n && names.has(n);
}

/** `pip install -U pip`, `pip install "pip>=25"`: the installers themselves, upgraded. */
function selfUpgrades(ins: PythonInstall): Word[] {
  const upgrade = isUpgrade(ins.args);
  return ins.args.packages.filter((w) => nameMatches(w, SELF_PACKAGES) && (upgrade || />/.test(w.value)));
}

/** Inserts `suffix` right after the package name inside a requirement word (`psycopg2==2.9` → `psycopg2-binary==2.9`). */
function renamePackage(ctx: DockerfileContext, w: Word, name: string, suffix: string): TextEdit | undefined {
  const m = new RegExp(name.replace(/-/g, '[-_.]'), 'i').exec(w.raw);
  if (!m) return undefined;
  return insertAt(ctx.model, w.start + m.index + m[0].length, suffix);
}

// ---------------------------------------------------------------------------------------------

const SD102: DockerfileRule = {
  id: 'SD102',
  title: 'pip, setuptools or wheel upgraded in the final image',
  severity: 'info',
  docs: {
    summary: '`pip install --upgrade pip setuptools wheel` in a stage that reaches the final image.',
    why: 'The base image already ships pip and setuptools; upgrading them writes a second copy into a new layer while the old one stays in the base layer. The installers are not needed to run the application at all.',
  },
  check(ctx, report) {
    for (const { inst, cmd, ins } of shippedInstalls(ctx)) {
      if (ins.tool !== 'pip' || !inst.stage.reachesFinal) continue;
      // Only the base image's installers get a second copy; a venv made here holds its only copy.
      if (!ins.targets.some((t) => t === '/usr/local/lib' || t === '/usr/lib' || !createdVenvs(inst.stage).includes(t))) continue;
      const selves = selfUpgrades(ins);
      if (selves.length === 0) continue;
      const names = packageNames(selves);
      const sum = sumSizes(names, wheelSize);
      report({
        range: ctx.model.rangeOf(cmd.start, selves[selves.length - 1].end),
        message: `Upgrading ${names.join(', ')} adds a second copy in this layer of the final image: keep the base image's version, or upgrade in a builder stage.`,
        estimate: estimateFromSum('upgraded installers', sum, `the download size of ${names.join(', ')} (${wheelBasis()}); the base image's copy stays in its own layer.`),
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------

function usesUv(ctx: DockerfileContext): boolean {
  if (/ghcr\.io\/astral-sh\/uv/.test(ctx.model.text)) return true;
  for (const { cmd } of runCommands(ctx)) if (cmd.name === 'uv' || cmd.name === 'uvx') return true;
  return false;
}

const SD103: DockerfileRule = {
  id: 'SD103',
  title: 'pip where uv serves',
  severity: 'hint',
  docs: {
    summary: '`pip install` where `uv pip install` would do the same, 10–100× faster, with uv kept out of the image.',
    why: 'uv is a single static binary that installs 10–100× faster than pip; copied from its pinned image or bind-mounted for one RUN it adds nothing to the image, and with a cache mount it leaves no cache behind.',
  },
  check(ctx, report) {
    if (usesUv(ctx)) return;
    const base = finalBaseImage(ctx) ?? '';
    for (const { inst, cmd, ins } of shippedInstalls(ctx)) {
      if (ins.tool !== 'pip') continue;
      if (/^pip2|^python2/.test(cmd.name) || /(^|\/)python:2/.test(inst.stage.image) || /(^|\/)python:2/.test(base)) continue; // uv needs Python 3
      if (ins.args.options.has('--user')) continue; // uv pip has no user installs
      const names = packageNames(ins.args.packages);
      const installsSomething = ins.args.packages.length > 0 || ins.args.requirementFiles.length > 0 || ins.args.editables.length > 0;
      if (!installsSomething || (names.length > 0 && names.every((n) => SELF_PACKAGES.has(n) || n === 'uv'))) continue;
      const conversion = uvConversionEdits(ctx, inst, ins);
      const fixes: Fix[] = [];
      if (conversion) {
        const uvImage = `ghcr.io/astral-sh/uv:${ctx.config.uvVersion}`;
        // Above the comment lines that belong to the RUN (a `# hadolint ignore=` or `# slimdock: ignore=` stays with it).
        const lineStart = blockOf(ctx.model, inst).start;
        const env = conversion.envLines.length ? `ENV ${conversion.envLines.join(' ')}\n` : '';
        fixes.push({
          title: `Convert to uv pip install (uv copied from ${uvImage})`,
          edits: [insertAt(ctx.model, lineStart, `COPY --from=${uvImage} /uv /uvx /bin/\n${env}`), ...conversion.edits],
          preferred: true,
        });
        fixes.push({
          title: `Convert to uv pip install (uv bind-mounted from ${uvImage}, never in the image)`,
          edits: [...(env ? [insertAt(ctx.model, lineStart, env)] : []), addMount(ctx.model, inst, `from=${uvImage},source=/uv,target=/bin/uv`), ...conversion.edits],
        });
      }
      report({
        range: ctx.model.rangeOf(cmd.start, ins.installWord.end),
        message: `uv installs these packages 10–100× faster than pip: use \`uv pip install\`, with uv copied or bind-mounted from its pinned image.`,
        fixes,
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------

/** A requirements file that pins everything: named *lock*, or every requirement `==`-pinned / hashed. */
function isLockFile(ctx: DockerfileContext, inst: InstructionModel, path: string): boolean {
  if (/lock/i.test(path.split('/').pop() ?? '')) return true;
  const text = readContextFile(ctx, inst, path);
  if (text === undefined) return false;
  if (/--hash[=\s]/.test(text)) return true;
  const reqs = text.split(/\r?\n/).map((l) => l.replace(/(^|\s)#.*$/, '').trim()).filter((l) => l && !l.startsWith('-'));
  return reqs.length > 0 && reqs.every((l) => /===?|@\s*\S/.test(l) || !requirementName(l));
}

function isPinned(spec: string): boolean {
  return /===?|~=|\s*@\s*\S|\.whl$/i.test(spec) || !requirementName(spec);
}

const SD104: DockerfileRule = {
  id: 'SD104',
  title: 'unpinned package installs',
  severity: 'info',
  hadolint: ['DL3013'],
  docs: {
    summary: 'Packages installed by name without a version pin, with no lock or constraints file governing them.',
    why: 'Without a pin, every rebuild can resolve a different version: images stop being reproducible and a cached layer can differ from a fresh build.',
  },
  check(ctx, report) {
    for (const { inst, cmd, ins } of shippedInstalls(ctx)) {
      const a = ins.args;
      if (a.constraintFiles.length || hasOption(a, '--require-hashes', '--override') || cmd.env.has('PIP_CONSTRAINT') || cmd.env.has('UV_CONSTRAINT') || cmd.env.has('PIP_REQUIRE_HASHES')) continue;
      if (a.requirementFiles.some((f) => isLockFile(ctx, inst, f.value))) continue;
      const selves = selfUpgrades(ins);
      const loose = a.packages.filter((w) => pkgName(w) && !isPinned(w.value) && !selves.includes(w));
      if (loose.length === 0) continue;
      const names = packageNames(loose);
      report({
        range: ctx.model.rangeOf(cmd.start, ins.installWord.end),
        message: `Unpinned: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}. Pin versions (\`${names[0]}==<version>\`) or install from a lock or constraints file.`,
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------

function isDevTool(name: string): boolean {
  return DEV_TOOLS.has(name) || /^(pytest|flake8|sphinx|mkdocs|types)-/.test(name);
}

/** The Dockerfile's purpose is development or testing: by its path, or by its final stage's name. */
function isDevImage(ctx: DockerfileContext): boolean {
  if (ctx.devcontainer) return true;
  // The file name and the folders just above it: Dockerfile.dev, test.Dockerfile, compose/local/django/Dockerfile.
  // Folder names must match whole (`dev/`, `local/`); the file name by its parts (`Dockerfile.test`).
  const parts = ctx.file.toLowerCase().split('/');
  const name = parts.pop() ?? '';
  const devWord = (t: string) => (DEV_GROUPS.has(t) || t === 'local') && t !== 'doc' && t !== 'docs';
  if (name.split(/[-_.]+/).some(devWord) || parts.slice(-2).some(devWord)) return true;
  const stage = ctx.model.finalStage?.name?.toLowerCase();
  return !!stage && stage.split(/[-_.]+/).some((t) => DEV_GROUPS.has(t));
}

function devSizeEstimate(names: string[], what: string): Estimate {
  const sum = sumSizes([...new Set(names)], wheelSize);
  return estimateFromSum(what, sum, `the download size of the ${sum.known} named dev package(s) (${wheelBasis()}); their dependencies add more.`);
}

/**
 * Path words that name a development-time image besides isDevImage's (SD105 only): a benchmark
 * harness (`benchmark/Dockerfile`, `Dockerfile.benchmark`) and an editable, i.e. development-mode,
 * build (`editable.Dockerfile`: the source is mounted over the install at run time).
 */
function isDevPurposePath(file: string): boolean {
  const parts = file.toLowerCase().split('/');
  const name = parts.pop() ?? '';
  const bench = (t: string) => t === 'benchmark' || t === 'benchmarks';
  return name.split(/[-_.]+/).some((t) => bench(t) || t === 'editable') || parts.slice(-2).some(bench);
}

/** The words of a CMD/ENTRYPOINT: the JSON strings of the exec form, else the shell form's words. */
function commandWords(ctx: DockerfileContext, inst: InstructionModel): string[] {
  const node = inst.node as JSONInstruction;
  if (typeof node.getJSONStrings === 'function' && node.getOpeningBracket() && node.getClosingBracket()) {
    // From the source text: the parsed JSON values lose their spaces.
    return node.getJSONStrings().map((s) => {
      const raw = ctx.model.text.slice(ctx.model.offsetAt(s.getRange().start), ctx.model.offsetAt(s.getRange().end));
      try {
        const v: unknown = JSON.parse(raw);
        return typeof v === 'string' ? v : s.getJSONValue();
      } catch {
        return s.getJSONValue();
      }
    });
  }
  return inst.args.map((a) => a.getValue());
}

/**
 * The final image's command as this Dockerfile sets it (ENTRYPOINT, then CMD), or undefined when it
 * sets neither (the command then comes from the base image or from `docker run`/compose).
 * An ENTRYPOINT resets a CMD inherited from the image (the stage) it is built FROM.
 */
function finalCommand(ctx: DockerfileContext): string[] | undefined {
  const final = ctx.model.finalStage;
  if (!final) return undefined;
  let entrypoint: string[] | undefined;
  let command: { words: string[]; stage: InstructionModel['stage'] } | undefined;
  for (const i of lineage(final)) {
    if (i.keyword === 'ENTRYPOINT') {
      entrypoint = commandWords(ctx, i);
      if (command && command.stage !== i.stage) command = undefined;
    } else if (i.keyword === 'CMD') command = { words: commandWords(ctx, i), stage: i.stage };
  }
  if (!entrypoint && !command) return undefined;
  return [...(entrypoint ?? []), ...(command?.words ?? [])];
}

/** The text (comments out) of the scripts the final stage's CMD/ENTRYPOINT run, where the build context has them. */
export function startupScriptText(ctx: DockerfileContext): string {
  const final = ctx.model.finalStage;
  if (!final) return '';
  const out: string[] = [];
  for (const i of lineage(final)) {
    if (i.keyword !== 'CMD' && i.keyword !== 'ENTRYPOINT') continue;
    const script = commandScript(ctx, i);
    if (!script) continue;
    // The script, and the shell scripts it runs in turn, two levels down (as Optimize reads them).
    let level = [script];
    const seen = new Set<string>();
    for (let depth = 0; depth < 3 && level.length; depth++) {
      const next: string[] = [];
      for (const path of level) {
        if (seen.has(path)) continue;
        seen.add(path);
        const text = depth === 0 ? startupFile(ctx, i, path) : readContextFile(ctx, i, path);
        if (text === undefined) continue;
        const body = text.replace(/^\s*#.*$/gm, '');
        out.push(body);
        for (const m of body.matchAll(CALLED_SCRIPT)) next.push(m[1]);
      }
      level = next;
    }
  }
  return out.join('\n');
}

/**
 * True when the final stage's CMD/ENTRYPOINT runs a script (by a path, or a `.sh`/`.bash` name) that
 * the build context does not have: what it runs cannot be read (found by review: a tool's own
 * image, `pip install safety==$V` and `ENTRYPOINT ["/app/entrypoint.sh"]`, was told its tool is dev tooling).
 */
function startupScriptUnread(ctx: DockerfileContext): boolean {
  const final = ctx.model.finalStage;
  if (!final) return false;
  return lineage(final).some((i) => {
    if (i.keyword !== 'CMD' && i.keyword !== 'ENTRYPOINT') return false;
    const script = commandScript(ctx, i);
    return !!script && SCRIPT_WORD.test(script) && !SYSTEM_FOLDER.test(script) && startupFile(ctx, i, script) === undefined;
  });
}

/** The program a CMD/ENTRYPOINT runs: its first word, or the script a shell runs (`sh ./start.sh`). */
function commandScript(ctx: DockerfileContext, inst: InstructionModel): string | undefined {
  const words = commandWords(ctx, inst);
  return /^(ba|da|z)?sh$/.test((words[0] ?? '').split('/').pop() ?? '') && !/^-/.test(words[1] ?? '') ? words[1] : words[0];
}

/** A word that names a script: by a path (`./start.sh`, `docker/run`, `/entrypoint`) or a shell script's name. */
const SCRIPT_WORD = /^(\.{0,2}\/|[\w.-]+\/)|\.(sh|bash)$/;
/** The base image's system folders, whose programs slimdock does not guess at. */
const SYSTEM_FOLDER = /^\/(usr|bin|sbin|opt\/conda)\//;

/** The folders of the images' default PATH, where a command run by its bare name is looked up. */
const PATH_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/**
 * The text of the program a CMD/ENTRYPOINT runs, where the build context has it: a script by its
 * path or a `.sh` name; one in the system folders (`/usr/local/bin/docker-entrypoint.sh`), or run
 * by its bare name from PATH (`docker-entrypoint`), only where a COPY put it there (found by review:
 * not the base image's programs).
 */
function startupFile(ctx: DockerfileContext, inst: InstructionModel, script: string): string | undefined {
  if (SYSTEM_FOLDER.test(script)) return readContextFile(ctx, inst, script, { copiedOnly: true });
  if (!script.includes('/')) {
    const onPath = PATH_DIRS.map((d) => readContextFile(ctx, inst, `${d}/${script}`, { copiedOnly: true })).find((t) => t !== undefined);
    if (onPath !== undefined || !/\.(sh|bash)$/.test(script)) return onPath;
  }
  return SCRIPT_WORD.test(script) ? readContextFile(ctx, inst, script) : undefined;
}

/** `bash`, `/bin/sh -l`: an interactive shell, with no script or `-c` to run. */
function isBareShell(argv: string[]): boolean {
  return argv.length > 0 && /^((\/usr)?\/bin\/)?(ba|da|a|z)?sh$/.test(argv[0]) && argv.slice(1).every((a) => /^(-[il]+|--login)$/.test(a));
}

/**
 * What launcher scripts the image writes for itself run: `echo "pytest -v …" > /pytest.sh` in a
 * stage that reaches the final image.
 */
function launcherText(ctx: Pick<DockerfileContext, 'model'>): string {
  const out: string[] = [];
  for (const inst of ctx.model.instructions) {
    if (!inst.run || !inst.stage.reachesFinal) continue;
    for (const c of inst.run.commands) {
      if ((c.name === 'echo' || c.name === 'printf') && /^[ \t]*>>?[ \t]*[^\s&|;<>]/.test(ctx.model.text.slice(c.end, c.end + 256))) {
        out.push(c.argv.slice(1).map((w) => w.value).join(' '));
      }
    }
  }
  return out.join('\n');
}

/** Plugins and test libraries run inside their host tool: pytest-xdist, hypothesis and coverage are used wherever pytest is. */
const PLUGIN_HOSTS: [RegExp, string][] = [[/^pytest-/, 'pytest'], [/^(hypothesis|coverage)$/, 'pytest'], [/^flake8-/, 'flake8'], [/^sphinx-/, 'sphinx'], [/^mkdocs-/, 'mkdocs'], [/^types-/, 'mypy']];

/** Interactive environments: in an image without a command of its own, they are what it is for. */
const INTERACTIVE = new Set(['jupyter', 'jupyterlab', 'notebook', 'ipython', 'ipykernel']);

export function usesTool(text: string, name: string): boolean {
  return mentions(text, name) || PLUGIN_HOSTS.some(([re, host]) => re.test(name) && mentions(text, host));
}

/**
 * The programs (and `python -m` modules, and what `uv run`/`poetry run`/`pipenv run` start) that the
 * RUNs of the stages reaching the final image run: a build-time test (`RUN python -m pytest`) uses
 * the dev tools installed before it.
 */
function ranPrograms(model: DockerfileContext['model']): Set<string> {
  const out = new Set<string>();
  for (const inst of model.instructions) {
    if (!inst.run || !inst.stage.reachesFinal) continue;
    for (const c of inst.run.commands) {
      const argv = c.argv.map((w) => w.value);
      out.add(c.name.split('/').pop()!);
      const m = argv.indexOf('-m');
      if (/^python[\d.]*$/.test(c.name.split('/').pop()!) && m > 0 && argv[m + 1]) out.add(argv[m + 1]);
      if (/^(uv|poetry|pipenv|pdm|hatch)$/.test(c.name) && argv[1] === 'run') {
        const prog = argv.slice(2).find((w) => !w.startsWith('-'));
        if (prog) out.add(prog.split('/').pop()!);
      }
    }
  }
  return out;
}

/**
 * Whether the image uses a dev tool (by its package name): its CMD/ENTRYPOINT names it, a launcher
 * script it writes does, or a RUN of a shipped stage runs it. Dev tools the image uses are what it is
 * for (a notebook server, a lint or test image): SD105 leaves them, and Optimize keeps them.
 */
export function devToolUse(model: DockerfileContext['model']): (name: string) => boolean {
  const text = `${runtimeCommandText({ model })}\n${launcherText({ model })}`;
  const ran = ranPrograms(model);
  const runs = (tool: string) => [tool, ...(COMMANDS[tool] ?? [])].some((t) => ran.has(t) || ran.has(t.replace(/-/g, '_')));
  return (name) => usesTool(text, name) || runs(name) || PLUGIN_HOSTS.some(([re, host]) => re.test(name) && runs(host));
}

/**
 * The dev tool (by package name) the image runs, as `used` reads the image (devToolUse, and the
 * start-up scripts): the image is then a test, lint, docs or notebook image, and the dependency
 * groups its `uv sync` / `poetry install` chooses are what it is for. One decision for both:
 * Optimize keeps those groups (and its note names the tool), and SD105 does not flag them.
 */
export function devToolRun(used: (name: string) => boolean): string | undefined {
  for (const tool of DEV_TOOLS) if (used(tool)) return tool;
  return undefined;
}

/** The value a default build (no --build-arg) gives `name` here: undefined when it cannot be known. */
function defaultBuildValue(inst: InstructionModel, cmd: ShellCommand, name: string): string | undefined {
  // A value the RUN computes (`$(…)`, a loop, a branch) or a command before it may set (`. env.sh`, `read`): unknown.
  if ((inst.run?.commands ?? []).some((c) => c.start < cmd.start && setsVariables(c))) return undefined;
  const v = cmd.vars.get(name);
  if (v !== undefined) return v.includes('$') ? undefined : v;
  // An ARG declared without a default is empty; anything else may come from the base image.
  const declared = lineage(inst.stage).some((i) => i.start < inst.start && argDeclarations(i).some((d) => d.name === name));
  return declared ? '' : undefined;
}

/** Evaluates `[ "$X" = v ]`, `[[ $X == v ]]`, `test -n "$X"` … for a default build; undefined when unknown. */
function defaultBuildCondition(inst: InstructionModel, cmd: ShellCommand, cond: string): boolean | undefined {
  const inner = cond.trim().replace(/^(\[\[?|test)\s+/, '').replace(/\s*\]\]?$/, '').trim();
  const unquote = (s: string) => s.replace(/^(["'])(.*)\1$/, '$2');
  const varOf = (s: string) => /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(unquote(s))?.[1];
  let m = /^(-n|-z)\s+(\S+)$/.exec(inner);
  if (m) {
    const name = varOf(m[2]);
    const v = name === undefined ? undefined : defaultBuildValue(inst, cmd, name);
    return v === undefined ? undefined : (m[1] === '-n') === (v !== '');
  }
  m = /^(\S+)\s+(==?|!=)\s+(\S+)$/.exec(inner);
  if (m) {
    let name = varOf(m[1]);
    let literal = m[3];
    if (name === undefined) [name, literal] = [varOf(m[3]), m[1]];
    if (name === undefined || literal.includes('$') || /[*?[]/.test(unquote(literal))) return undefined;
    const v = defaultBuildValue(inst, cmd, name);
    if (v === undefined) return undefined;
    return (v === unquote(literal)) === (m[2] !== '!=');
  }
  const name = varOf(inner);
  const v = name === undefined ? undefined : defaultBuildValue(inst, cmd, name);
  return v === undefined ? undefined : v !== '';
}

/**
 * The command runs only when the build is asked for it with a build argument:
 * `if [ "$DEBUG" = 1 ]; then pip install -r requirements.dev.txt; fi` or `[ -n "$DEV" ] && …`,
 * where the argument's default (none, or another value) makes the test false. A default build
 * installs nothing there.
 */
function optInOnly(ctx: DockerfileContext, inst: InstructionModel, cmd: ShellCommand): boolean {
  if (!inst.run || inst.run.execForm) return false;
  // The text before the command in its RUN (bounded: an if block is short, and the scans stay linear).
  const before = ctx.model.text.slice(Math.max(inst.start, cmd.start - 4000), cmd.start).replace(/\\\r?\n/g, ' ');
  // The innermost `if … then` still open before the command.
  const open = /\bif\s+([^;\n]+?)\s*(?:;|\n)\s*then\b((?:(?!\b(?:if|fi|else|elif)\b)[\s\S])*)$/.exec(before);
  // Or a test joined with `&&` right before it (not a negated one: `! [ … ] &&`).
  const and = open ? undefined : /(!\s*)?(\[\[?\s[^\]\n]*\]\]?|\btest\s[^;&|\n]*?)\s*&&\s*$/.exec(before.slice(-300));
  if (and?.[1]) return false;
  const cond = open?.[1] ?? and?.[2];
  if (cond !== undefined) return defaultBuildCondition(inst, cmd, cond) === false;
  // The `else` branch of a top-level if whose test the default build arguments make true.
  const c = inst.run.conditionals.find((x) => x.plainElse !== undefined && cmd.start >= x.plainElse && cmd.start < x.end);
  return !!c?.test && defaultBuildCondition(inst, cmd, ctx.model.text.slice(c.test.start, c.test.end)) === true;
}

/** The poetry version the image installs (`pip install poetry==1.8.3`, POETRY_VERSION), if pinned. */
function poetryVersion(inst: InstructionModel, cmd: ShellCommand): string | undefined {
  const env = cmd.env.get('POETRY_VERSION');
  if (env && /^\d/.test(env)) return env;
  for (const i of lineage(inst.stage)) {
    if (i.start > inst.start) break;
    for (const c of i.run?.commands ?? []) {
      for (const w of c.argv) {
        const m = /^poetry==(\d[\w.]*)$/i.exec(w.value);
        if (m && (pipCall(c) || uvCall(c) || c.name === 'pipx')) return m[1];
      }
    }
  }
  return undefined;
}

/** The uv version pinned in the file (`ghcr.io/astral-sh/uv:0.9.26`, `uv==0.5.1`), if any. */
function pinnedUvVersion(ctx: DockerfileContext): number[] | undefined {
  const m = /astral-sh\/uv:(\d+)\.(\d+)\.(\d+)\b/.exec(ctx.model.text) ?? /\buv==(\d+)\.(\d+)\.(\d+)\b/.exec(ctx.model.text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** uv reads UV_NO_DEV since 0.8.5 (astral-sh/uv#15010): unpinned means a current uv. */
function uvReadsNoDevEnv(ctx: DockerfileContext): boolean {
  const v = pinnedUvVersion(ctx);
  if (!v) return true;
  const [major, minor, patch] = v;
  return major > 0 || minor > 8 || (minor === 8 && patch >= 5);
}

/**
 * The final image starts with `uv run` that syncs the project environment again (no `--no-sync`,
 * `--no-dev`, UV_NO_DEV or UV_NO_SYNC): dev groups left out at build time come back at start-up.
 */
function runtimeResyncsDev(ctx: DockerfileContext): boolean {
  const final = ctx.model.finalStage;
  const words = finalCommand(ctx);
  if (!final || !words) return false;
  const text = words.join(' ');
  const run = /(^|[\s"'/;&|(])uv\s+run\b([^;&|\n]*)/.exec(text);
  if (!run) return false;
  if (/\s--(no-sync|no-dev|only-group|no-default-groups|no-group[\s=]dev)\b/.test(` ${run[2]}`) || /\bUV_NO_(DEV|SYNC)=(1|true|yes|on)\b/i.test(text)) return false;
  let env = new Map<string, string>();
  for (const i of lineage(final)) {
    env = new Map(i.env);
    if (i.keyword === 'ENV') for (const a of i.args) { const [k, ...v] = a.getValue().split('='); if (v.length) env.set(k, v.join('=').replace(/^(["'])(.*)\1$/, '$2')); }
  }
  return !envTrue(env.get('UV_NO_DEV')) && !envTrue(env.get('UV_NO_SYNC'));
}

/** Removes option words (with the whitespace before them) from a command line. */
function removeWords(ctx: DockerfileContext, cmd: ShellCommand, spans: [Word, Word][]): TextEdit[] {
  return spans.map(([first, last]) => {
    const k = cmd.argv.indexOf(first);
    const prev = k > 0 ? cmd.argv[k - 1].end : first.start;
    return replaceSpan(ctx.model, prev, last.end, '');
  });
}

/** The `--group <dev>` options of a pip install (pip ≥ 25.1): the words to remove, when something else is still installed. */
function devGroupOptions(ins: PythonInstall): { spans: [Word, Word][]; groups: string[] } | undefined {
  const args = ins.call.args;
  const spans: [Word, Word][] = [];
  const groups: string[] = [];
  let others = 0;
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    const joined = /^--group=(.+)$/.exec(v);
    const value = joined ? joined[1] : v === '--group' && i + 1 < args.length ? args[i + 1].value : undefined;
    if (value === undefined) continue;
    const last = joined ? args[i] : args[i + 1];
    if (DEV_GROUPS.has(value.split(':').pop()!.toLowerCase()) && !args[i].dynamic && !last.dynamic) {
      spans.push([args[i], last]);
      groups.push(value);
    } else others++;
    if (!joined) i++;
  }
  if (spans.length === 0) return undefined;
  const installsMore = others > 0 || ins.args.packages.length > 0 || ins.args.editables.length > 0 || ins.args.requirementFiles.length > 0;
  return installsMore ? { spans, groups } : undefined;
}

const SD105: DockerfileRule = {
  id: 'SD105',
  title: 'dev tooling in the final image',
  severity: 'warning',
  docs: {
    summary: 'Test runners, linters, formatters, notebooks and docs builders (pytest, ruff, black, mypy, jupyter, sphinx …) or a dev dependency group installed in the final image.',
    why: 'Dev tools are not needed to run the application; they add their size and their dependencies to every pull and widen the attack surface. Install them in a test stage instead.',
  },
  check(ctx, report) {
    if (isDevImage(ctx) || isDevPurposePath(ctx.file)) return;
    const command = finalCommand(ctx);
    // An image whose command is an interactive shell is a workbench: its tools are what it is for.
    if (command && isBareShell(command)) return;
    // What the image runs, and the start-up script the command runs where the build context has it
    // (`ENTRYPOINT ["./ci.sh"]` running ruff and pytest), as Optimize reads it (found by review).
    // Both worked out only when a dev tool is installed: this runs on every keystroke.
    let inFile: ((n: string) => boolean) | undefined;
    let scripts: string | undefined;
    const uses = (n: string) => (inFile ??= devToolUse(ctx.model))(n) || usesTool((scripts ??= startupScriptText(ctx)), n);
    // (A start-up script slimdock cannot read may run any of them: the named tools are not flagged.)
    let unread: boolean | undefined;
    const used = (n: string) => uses(n) || (command === undefined && INTERACTIVE.has(n)) || (unread ??= startupScriptUnread(ctx));
    for (const { inst, cmd } of runCommands(ctx)) {
      const ins = pythonInstall(inst, cmd);
      if (ins) {
        if (!shipsAny(inst.stage, ins.targets)) continue;
        const tools = ins.args.packages.filter((w) => isDevTool(pkgName(w) ?? '') && !used(pkgName(w)!));
        // A dev extra of the project one of whose packages the image runs (`pip install ".[test]"` for `CMD pytest`) is needed.
        const extraUsed = (w: Word, e: string) => {
          const dir = w.value.replace(/\[[^\]]*\]$/, '').replace(/^["']|["']$/g, '');
          if (!/^(\.|\/)/.test(dir)) return false;
          return dependencyNames(tomlGet(readPyproject(ctx, inst, dir), 'project', 'optional-dependencies', e)).some(used);
        };
        const extras = [...ins.args.packages, ...ins.args.editables].flatMap((w) => extrasOf(w.value).filter((e) => DEV_GROUPS.has(e) && !extraUsed(w, e)));
        const groups = (ins.args.options.get('--group') ?? []).map((w) => w.value.split(':').pop()!.toLowerCase()).filter((g) => DEV_GROUPS.has(g));
        // A dev requirements file that holds a tool the image runs (`-r requirements-test.txt` for `CMD pytest`) is needed.
        const files = ins.args.requirementFiles.filter((f) => isDevRequirementFile(f.value) && !(readRequirementNames(ctx, inst, f.value) ?? []).some(used));
        const what = [...packageNames(tools), ...extras.map((e) => `[${e}]`), ...groups.map((g) => `group ${g}`), ...files.map((f) => f.value)];
        if (what.length === 0 || optInOnly(ctx, inst, cmd)) continue;
        const fileNames = files.flatMap((f) => readRequirementNames(ctx, inst, f.value) ?? []);
        // The dependency groups alone (pip ≥ 25.1 `--group`): leaving them out is what uv/poetry's
        // --no-dev does. Named tools, dev files and extras may be used by the image in ways slimdock
        // cannot see: no fix.
        const groupOptions = tools.length === 0 && extras.length === 0 && files.length === 0 ? devGroupOptions(ins) : undefined;
        report({
          range: ctx.model.rangeOf(cmd.start, ins.installWord.end),
          message: `Dev tooling in the final image (${what.slice(0, 4).join(', ')}${what.length > 4 ? ', …' : ''}): install it in a separate test stage.`,
          estimate: devSizeEstimate([...packageNames(tools), ...fileNames.filter(isDevTool)], 'dev tooling'),
          fixes: groupOptions ? [{ title: `Leave out the dev group${groupOptions.groups.length > 1 ? 's' : ''} (${groupOptions.groups.map((g) => `--group ${g}`).join(', ')})`, edits: removeWords(ctx, cmd, groupOptions.spans), preferred: true }] : [],
        });
        continue;
      }
      projectDevInstall(ctx, inst, cmd, report, uses);
    }
  },
};

/** `poetry install`, `uv sync`, `pipenv install --dev`, `pdm install` that bring dev groups. */
function projectDevInstall(ctx: DockerfileContext, inst: InstructionModel, cmd: ShellCommand, report: Parameters<DockerfileRule['check']>[1], used: (name: string) => boolean): void {
  const fire = (sub: Word, projectDir: string, groups: Map<string, string[]>, tool: string, fix?: { how: string; fix: Fix }) => {
    if (!shipsAny(inst.stage, projectTargets(inst, cmd, projectDir)) || optInOnly(ctx, inst, cmd)) return;
    const names = [...groups.values()].flat();
    report({
      range: ctx.model.rangeOf(cmd.start, sub.end),
      message: `\`${tool}\` installs the dev dependencies (${[...groups.keys()].join(', ') || 'dev'}) into the final image: exclude them${fix ? ` ${fix.how}` : ''}.`,
      estimate: names.length ? devSizeEstimate(names, 'dev dependency groups') : { bytes: null, basis: 'dev dependency groups: size unknown (the project file was not readable).' },
      fixes: fix ? [fix.fix] : [],
    });
  };
  // An option after the subcommand word; preferred (Optimize's rewrite leaves dev groups out too).
  const option = (sub: Word, opt: string, title: string, preferred = true): { how: string; fix: Fix } => ({
    how: `with ${opt}`,
    fix: { title, edits: [insertAt(ctx.model, sub.end, cmd.via === 'exec' ? opt.split(' ').map((o) => `, "${o}"`).join('') : ` ${opt}`)], preferred },
  });
  // Groups the image runs a tool of (`CMD ["uv", "run", "jupyter", "lab"]`) are needed at run time.
  const devOnly = (m: Map<string, string[]>) => new Map([...m].filter(([k, v]) => (DEV_GROUPS.has(k.toLowerCase()) || v.some(isDevTool)) && !v.some(used)));
  // A group named on the command line (`--group test`, `--with test`): by the packages it holds.
  const named = (groups: Map<string, string[]>, k: string, packages: string[]) => {
    if (DEV_GROUPS.has(k) && !groups.has(k) && !used(k) && !packages.some(used)) groups.set(k, packages);
  };
  // An image that runs a dev tool keeps the groups its sync or install chooses, as Optimize keeps them.
  const devImage = () => devToolRun(used) !== undefined;

  const poetry = toolCall(cmd, 'poetry');
  if (poetry?.sub?.value === 'install' || poetry?.sub?.value === 'sync') {
    const o = optionsOf(poetry.args, new Set(['--only', '--with', '--without', '-E', '--extras']));
    if (o.has('--no-dev') || o.has('--only-root')) return;
    const dir = optionsOf(cmd.argv.slice(1), new Set(['-C', '--directory', '-P', '--project']));
    const projectDir = resolvePath(inst.workdir, (dir.get('-C') ?? dir.get('--directory') ?? dir.get('-P') ?? dir.get('--project') ?? ['.'])[0]);
    const py = readPyproject(ctx, inst, projectDir);
    if (!py) return; // without the project file there is no knowing whether a dev group exists
    let groups = devOnly(poetryDevGroups(py));
    if (o.has('--only')) groups = new Map([...groups].filter(([k]) => o.get('--only')!.includes(k)));
    for (const k of o.get('--without') ?? []) groups.delete(k);
    for (const k of o.get('--with') ?? []) named(groups, k, dependencyNames(tomlGet(py, 'tool', 'poetry', 'group', k, 'dependencies')));
    if (groups.size === 0 || devImage()) return;
    // `--without <the dev groups>` keeps every other group (`--only main` would drop a runtime
    // group too); poetry before 1.2 has only `--no-dev`.
    const version = poetryVersion(inst, cmd);
    const old = !!version && /^(0\.|1\.[01](\.|$))/.test(version);
    const names = [...groups.keys()];
    const fix = o.has('--only') || o.has('--with') ? undefined : old ? (names.every((g) => g === 'dev') ? option(poetry.sub, '--no-dev', 'Leave out the dev dependencies (--no-dev)') : undefined) : option(poetry.sub, `--without ${names.join(',')}`, `Leave out the dev group${names.length > 1 ? 's' : ''} (--without ${names.join(',')})`);
    fire(poetry.sub, projectDir, groups, 'poetry install', fix);
    return;
  }

  const uv = uvCall(cmd);
  if (uv?.sub?.value === 'sync') {
    const o = optionsOf(uv.args, new Set(['--group', '--only-group', '--no-group', '--extra', '--project', '--directory', '--package']));
    if (o.has('--no-dev') || envTrue(cmd.env.get('UV_NO_DEV')) || o.has('--only-group')) return;
    const projectDir = resolvePath(inst.workdir, (o.get('--project') ?? o.get('--directory') ?? ['.'])[0]);
    const py = readPyproject(ctx, inst, projectDir);
    if (!py && !o.has('--only-dev') && !o.has('--group')) return;
    let groups = py ? devOnly(uvDefaultDevGroups(py)) : new Map<string, string[]>();
    if (o.has('--no-default-groups') || envTrue(cmd.env.get('UV_NO_DEFAULT_GROUPS'))) groups = new Map();
    for (const k of o.get('--no-group') ?? []) groups.delete(k);
    for (const k of o.get('--group') ?? []) named(groups, k, dependencyNames(tomlGet(py, 'dependency-groups', k)));
    if (o.has('--all-groups') && py) for (const [k, v] of devOnly(new Map(Object.entries((py['dependency-groups'] as Record<string, unknown>) ?? {}).map(([k2]) => [k2, uvDefaultDevGroups({ 'dependency-groups': py['dependency-groups'], tool: { uv: { 'default-groups': [k2] } } }).get(k2) ?? []])))) groups.set(k, v);
    if (o.has('--only-dev')) groups = groups.size ? groups : new Map([['dev', []]]);
    if (groups.size === 0 || devImage()) return;
    fire(uv.sub, projectDir, groups, 'uv sync', o.has('--group') || o.has('--all-groups') || o.has('--only-dev') ? undefined : uvFix(ctx, inst, uv.sub, groups, option));
    return;
  }

  const pipenv = toolCall(cmd, 'pipenv');
  if ((pipenv?.sub?.value === 'install' || pipenv?.sub?.value === 'sync') && pipenv.args.some((w) => w.value === '--dev' || w.value === '-d')) {
    // (An image that runs a dev tool, `CMD ["pytest"]`, keeps them, as for poetry and uv; found by
    // review: the preferred fix dropped --dev, and Optimize with it, and pytest was not found.)
    if (devImage()) return;
    const projectDir = inst.workdir;
    const dev = pipenv.args.filter((w) => w.value === '--dev' || w.value === '-d');
    const fix: Fix = { title: 'Leave out the dev packages (drop --dev)', edits: removeWords(ctx, cmd, dev.map((w) => [w, w])), preferred: true };
    fire(pipenv.sub, projectDir, new Map([['dev-packages', []]]), `pipenv ${pipenv.sub.value} --dev`, { how: 'by dropping --dev', fix });
    return;
  }

  const pdm = toolCall(cmd, 'pdm');
  if (pdm?.sub?.value === 'install' || pdm?.sub?.value === 'sync') {
    const o = optionsOf(pdm.args, new Set(['-G', '--group', '--without']));
    if (o.has('--prod') || o.has('--production') || (o.get('-G') ?? o.get('--group') ?? []).includes(':none')) return;
    const py = readPyproject(ctx, inst);
    if (!py) return;
    const groups = devOnly(pdmDevGroups(py));
    for (const k of o.get('--without') ?? []) groups.delete(k);
    if (groups.size === 0) return;
    fire(pdm.sub, inst.workdir, groups, `pdm ${pdm.sub.value}`, option(pdm.sub, '--prod', 'Install production dependencies only (--prod)'));
  }
}

/**
 * The fix for `uv sync`: `--no-dev` (and `--no-group` for other default dev groups). When the image
 * starts with `uv run`, that would sync the dev group back in at start-up: then `ENV UV_NO_DEV=1`
 * before the RUN, which both commands read (when the stage's ENV reaches the final image and uv
 * is recent enough to read it); otherwise the option is offered, not preferred.
 */
function uvFix(ctx: DockerfileContext, inst: InstructionModel, sub: Word, groups: Map<string, string[]>, option: (sub: Word, opt: string, title: string, preferred?: boolean) => { how: string; fix: Fix }): { how: string; fix: Fix } {
  const names = [...groups.keys()];
  const opt = names.map((g) => (g === 'dev' ? '--no-dev' : `--no-group ${g}`)).join(' ');
  const title = names.length === 1 && names[0] === 'dev' ? 'Leave out the dev group (--no-dev)' : `Leave out the dev groups (${opt})`;
  if (!runtimeResyncsDev(ctx)) return option(sub, opt, title);
  // The ENV reaches every later uv command: none may ask for a dev group itself (it would conflict).
  const asksForGroups = ctx.model.instructions.some((i) => i.stage.reachesFinal && (i.run?.commands ?? []).some((c) => uvCall(c) && c.argv.some((w) => /^--(dev|only-dev|group|all-groups)(=|$)/.test(w.value))));
  if (inst.stage.reachesFinal && names.every((g) => g === 'dev') && uvReadsNoDevEnv(ctx) && !asksForGroups) {
    // One ENV per stage, before its first uv sync: every finding of the stage shares the edit.
    const at = inst.stage.instructions.find((i) => i.start <= inst.start && (i.run?.commands ?? []).some((c) => uvCall(c)?.sub?.value === 'sync')) ?? inst;
    return { how: 'with ENV UV_NO_DEV=1 (the start-up `uv run` reads it too)', fix: { title: 'Leave out the dev group at build and start-up (ENV UV_NO_DEV=1)', edits: [insertAt(ctx.model, blockOf(ctx.model, at).start, 'ENV UV_NO_DEV=1\n')], preferred: true } };
  }
  return option(sub, opt, `${title}; the image's \`uv run\` syncs it back at start-up`, false);
}

// ---------------------------------------------------------------------------------------------

/** An install of a packaging tool: `pip install poetry`, `pipx install pdm`, the poetry installer script. */
function packagingToolInstalls(inst: InstructionModel, cmd: ShellCommand): { tools: string[]; range: [number, number]; targets: string[] } | undefined {
  const ins = pythonInstall(inst, cmd);
  if (ins) {
    const words = ins.args.packages.filter((w) => nameMatches(w, PACKAGING_TOOLS));
    if (words.length) return { tools: packageNames(words), range: [cmd.start, words[words.length - 1].end], targets: ins.targets };
    return undefined;
  }
  const home = cmd.env.get('HOME') ?? inst.home;
  const pipx = toolCall(cmd, 'pipx');
  const uvTool = uvCall(cmd);
  const toolArgs = pipx?.sub?.value === 'install' ? pipx.args : uvTool?.sub?.value === 'tool' && uvTool.args[0]?.value === 'install' ? uvTool.args.slice(1) : undefined;
  if (toolArgs) {
    const words = toolArgs.filter((w) => nameMatches(w, PACKAGING_TOOLS));
    if (!words.length) return undefined;
    const targets = [cmd.env.get('PIPX_HOME'), cmd.env.get('PIPX_BIN_DIR'), cmd.env.get('UV_TOOL_DIR'), `${home}/.local`].filter((p): p is string => !!p).map((p) => expandPath(p, inst, cmd.env));
    return { tools: packageNames(words), range: [cmd.start, words[words.length - 1].end], targets };
  }
  // The official poetry installer: `curl -sSL https://install.python-poetry.org | python3 -`, or the script run by path.
  const installer = cmd.argv.find((w) => /install\.python-poetry\.org|(install|get)-poetry\.py/.test(w.value));
  if (installer && /^(curl|wget|python[\d.]*)$/.test(cmd.name)) {
    const targets = [cmd.env.get('POETRY_HOME'), `${home}/.local`].filter((p): p is string => !!p).map((p) => expandPath(p, inst, cmd.env));
    return { tools: ['poetry'], range: [cmd.start, installer.end], targets };
  }
  return undefined;
}

function uninstalls(cmd: ShellCommand, tool: string): boolean {
  const pip = pipCall(cmd);
  if (pip?.sub?.value === 'uninstall') return pip.args.some((w) => requirementName(w.value) === tool);
  const pipx = toolCall(cmd, 'pipx');
  return pipx?.sub?.value === 'uninstall' && pipx.args.some((w) => w.value === tool);
}

const SD106: DockerfileRule = {
  id: 'SD106',
  title: 'packaging tool left in the final image',
  severity: 'info',
  docs: {
    summary: 'poetry, pipenv, pdm, pip-tools or uv installed (with pip, pipx or the poetry installer) in a stage that reaches the final image.',
    why: 'Project managers are needed to build the environment, not to run it; poetry alone brings dozens of dependencies. Install them in a builder stage and copy only the environment.',
  },
  check(ctx, report) {
    if (isDevImage(ctx)) return; // a development image runs the project manager itself
    const runtime = runtimeCommandText(ctx);
    for (const { inst, cmd } of runCommands(ctx)) {
      const found = packagingToolInstalls(inst, cmd);
      if (!found || !shipsAny(inst.stage, found.targets)) continue;
      const later = inst.run!.commands.filter((c) => c.index > cmd.index);
      const left = found.tools.filter((t) => !mentions(runtime, t) && !later.some((c) => uninstalls(c, t)));
      if (left.length === 0) continue;
      const sum = sumSizes(left, wheelSize);
      report({
        range: ctx.model.rangeOf(found.range[0], found.range[1]),
        message: `${left.join(', ')} stays in the final image though only the build needs it: install it in a builder stage and copy the environment.`,
        estimate: estimateFromSum('packaging tools', sum, `the download size of ${left.join(', ')} itself (${wheelBasis()}); its dependencies add more.`),
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------

function isCudaImage(image: string): boolean {
  return /nvidia|cuda|gpu|pytorch\/pytorch|rocm/i.test(image);
}

function pointsToTorchIndex(value: string | undefined): boolean {
  return !!value && /download\.pytorch\.org\/whl\//.test(value);
}

/** The final image shows it means to use a GPU. */
function gpuIntent(ctx: DockerfileContext): boolean {
  const final = ctx.model.finalStage;
  const env = final?.instructions[final.instructions.length - 1]?.env;
  return !!env && ['NVIDIA_VISIBLE_DEVICES', 'NVIDIA_DRIVER_CAPABILITIES', 'CUDA_VISIBLE_DEVICES', 'CUDA_HOME'].some((k) => env.has(k));
}

export const SD107: DockerfileRule = {
  id: 'SD107',
  title: 'CUDA wheels on a CPU image',
  severity: 'warning',
  docs: {
    summary: 'torch/torchvision/torchaudio from the default index (or `tensorflow[and-cuda]`, `jax[cuda*]`) in an image whose base is not a CUDA image.',
    why: 'PyTorch from PyPI on Linux is the CUDA build and pulls about 2–3 GB of `nvidia-*` wheels; the CPU index (https://download.pytorch.org/whl/cpu) cuts such images roughly tenfold (published cases: 6.46 GB → 657 MB; 3.31 GB → 588 MB).',
  },
  check(ctx, report) {
    const base = finalBaseImage(ctx);
    if (!base || base.includes('$') || isCudaImage(base) || gpuIntent(ctx)) return;
    for (const { inst, cmd, ins } of shippedInstalls(ctx)) {
      const a = ins.args;
      const exec = cmd.via === 'exec';
      const cudaExtras = a.packages.filter((w) => {
        const n = pkgName(w);
        const extras = extrasOf(w.value);
        return (n === 'tensorflow' && extras.includes('and-cuda')) || (n === 'jax' && extras.some((e) => e.startsWith('cuda')));
      });
      for (const w of cudaExtras) {
        const m = /\[[^\]]*\]/.exec(w.raw)!;
        report({
          range: ctx.model.rangeOf(w.start, w.end),
          message: `${w.value} installs the CUDA libraries on an image without CUDA (${base}): install it without the CUDA extra.`,
          estimate: { bytes: null, basis: `CUDA wheels: ${w.value} pulls nvidia-*-cu12 wheels (torch's set alone is ${formatBytes(TORCH_CUDA_WHEEL_BYTES)}); this set is not in the size table.` },
          fixes: [{ title: 'Drop the CUDA extra', edits: [replaceSpan(ctx.model, w.start + m.index, w.start + m.index + m[0].length, '')] }],
        });
      }
      // torch: named here or in a requirements file this command reads.
      // Index URLs with ENV/ARG values substituted; one still unknown (`$X` unset) counts as chosen.
      const indexes = ['-i', '--index-url', '--extra-index-url', '--index', '--default-index', '-f', '--find-links'].flatMap((o) => (a.options.get(o) ?? []).map((w) => substitute(w.value, cmd.vars)));
      if (indexes.some((v) => v.includes('$'))) continue;
      const envIndexes = ['PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL', 'PIP_FIND_LINKS', 'UV_INDEX_URL', 'UV_EXTRA_INDEX_URL', 'UV_DEFAULT_INDEX', 'UV_INDEX', 'UV_FIND_LINKS'].map((k) => cmd.env.get(k));
      if ([...indexes, ...envIndexes].some(pointsToTorchIndex) || a.options.has('--torch-backend') || cmd.env.has('UV_TORCH_BACKEND')) continue;
      const torchWords = a.packages.filter((w) => nameMatches(w, TORCH_PACKAGES) && !/\+cpu/.test(w.value));
      // Each requirements file's text, read once (torch named in it, --no-index below).
      const texts = new Map(a.requirementFiles.map((f) => [f, readContextFile(ctx, inst, f.value)]));
      const names = new Map(a.requirementFiles.map((f) => [f, readRequirementNames(ctx, inst, f.value) ?? []]));
      const fromFiles = a.requirementFiles.filter((f) => {
        const text = texts.get(f);
        if (text === undefined || pointsToTorchIndex(text)) return false;
        return names.get(f)!.some((n) => TORCH_PACKAGES.has(n)) && !/^\s*torch\S*\+cpu/m.test(text);
      });
      if (torchWords.length === 0 && fromFiles.length === 0) continue;
      // The CUDA libraries named themselves (`nvidia-cudnn-cu12==…` beside torch): the CUDA build is
      // the point, on a slim base with the host's driver (found by review: onyx's model server).
      if (a.packages.some((w) => /^nvidia-/.test(pkgName(w) ?? '')) || [...names.values()].some((list) => list.some((n) => /^nvidia-/.test(n)))) continue;
      const others = a.packages.length > torchWords.length || a.requirementFiles.length > 0 || a.options.has('-i') || a.options.has('--index-url');
      const option = others ? '--extra-index-url' : '--index-url';
      // uv takes a package from the first index that has it, extra ones first: without the best-match
      // strategy numpy, pillow, requests … would come from the PyTorch index's older copies.
      const strategy = cmd.name === 'uv' && others && !a.options.has('--index-strategy') && !cmd.env.has('UV_INDEX_STRATEGY') ? ['--index-strategy', 'unsafe-best-match'] : [];
      const words = [option, TORCH_CPU_INDEX, ...strategy];
      const text = exec ? words.map((w) => `, "${w}"`).join('') : ` ${words.join(' ')}`;
      const what = torchWords.length ? packageNames(torchWords).join(', ') : `torch (from ${fromFiles.map((f) => f.value).join(', ')})`;
      const at = torchWords[0] ?? fromFiles[0];
      // An offline install (`--no-index --find-links /wheels`) takes the wheels a builder made: the
      // index belongs where they are built, not here (no fix).
      const offline = a.options.has('--no-index') || a.options.has('--offline') || cmd.env.has('PIP_NO_INDEX') || cmd.env.has('UV_NO_INDEX') || cmd.env.has('UV_OFFLINE') || [...texts.values()].some((t) => /^\s*--no-index\b/m.test(t ?? ''));
      // Hashes pin the PyPI wheels: the CPU index's would fail them (no fix).
      const hashed = a.options.has('--require-hashes') || [...texts.values()].some((t) => /--hash[=\s]/.test(t ?? ''));
      // Offline, from wheels another stage of the file built with the CPU index (Optimize's system
      // layout: `pip wheel --extra-index-url …/whl/cpu` in the builder): those are the CPU builds.
      if (offline && ctx.model.instructions.some((i) => i.run && i.stage !== inst.stage && pointsToTorchIndex(ctx.model.text.slice(i.start, i.end)))) continue;
      // Under a test the default build arguments leave false (`if [ "$USE_CUDA" = "true" ]`): a CUDA build on request.
      if (optInOnly(ctx, inst, cmd)) continue;
      report({
        range: ctx.model.rangeOf(at.start, at.end),
        message: `${what} from PyPI is the CUDA build with ${formatBytes(TORCH_CUDA_WHEEL_BYTES)} of nvidia-* wheels, on a CPU image (${base}): use the CPU index ${TORCH_CPU_INDEX}.`,
        estimate: { bytes: TORCH_CUDA_WHEEL_BYTES, basis: `CUDA wheels: ${TORCH_CUDA_BASIS}` },
        // Under an `if` (`if [ "$USE_CUDA" = "true" ]; then pip install torch; else …`) the CUDA build
        // may be the point: the fix is offered, not preferred (Optimize does not take it).
        fixes: offline || hashed ? [] : [{ title: `Install from the PyTorch CPU index (${option})`, edits: [insertAt(ctx.model, ins.installWord.end, text)], ...(underCondition(inst, cmd) ? {} : { preferred: true }) }],
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------

/** The command runs inside an `if` of its RUN. */
function underCondition(inst: InstructionModel, cmd: ShellCommand): boolean {
  return (inst.run?.conditionals ?? []).some((c) => cmd.start >= c.start && cmd.start < c.end);
}

const OPENCV_GUI = new Set(['opencv-python', 'opencv-contrib-python']);

export const SD108: DockerfileRule = {
  id: 'SD108',
  title: 'OpenCV GUI build in a container',
  severity: 'info',
  docs: {
    summary: '`opencv-python`/`opencv-contrib-python` where the `-headless` variant serves.',
    why: 'The GUI builds bundle Qt and link against libGL, so images also install X11/OpenGL system libraries (`libgl1`, `libglib2.0-0`); a container has no display, and the `-headless` wheels are the same OpenCV without them.',
  },
  check(ctx, report) {
    for (const { cmd, ins } of shippedInstalls(ctx)) {
      for (const w of ins.args.packages.filter((p) => nameMatches(p, OPENCV_GUI))) {
        const name = pkgName(w)!;
        const edit = renamePackage(ctx, w, name, '-headless');
        const gui = wheelSize(name);
        const headless = wheelSize(`${name}-headless`);
        report({
          range: ctx.model.rangeOf(w.start, w.end),
          message: `${name} is the GUI build (Qt, libGL); in a container use ${name}-headless.`,
          estimate: gui !== undefined && headless !== undefined
            ? { bytes: Math.max(0, gui - headless), basis: `difference of the ${name} and ${name}-headless wheels (${wheelBasis()}); the libGL/X11 packages the GUI build needs are not counted.` }
            : { bytes: null, basis: `GUI build: size unknown (${name} is not in the size table); the saving is the Qt libraries in the wheel and the libGL/X11 system packages.` },
          fixes: edit ? [{ title: `Use ${name}-headless`, edits: [edit], preferred: true }] : [],
        });
        void cmd;
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------

/** Where conda/mamba/micromamba keep downloaded packages for this command. */
function condaPkgsDirs(inst: InstructionModel, cmd: ShellCommand, tool: string): string[] {
  const env = cmd.env;
  const out: string[] = [];
  const set = env.get('CONDA_PKGS_DIRS');
  if (set) out.push(...set.split(',').map((p) => expandPath(p.trim(), inst, env)));
  const root = env.get('MAMBA_ROOT_PREFIX');
  if (root && tool === 'micromamba') out.push(resolvePath('/', `${expandPath(root, inst, env)}/pkgs`));
  const m = /^(\/.*)\/(condabin|bin)\/[^/]+$/.exec(cmd.argv[0].value);
  if (m) out.push(`${m[1]}/pkgs`);
  for (const k of ['CONDA_DIR', 'CONDA_ROOT', 'CONDA_HOME', 'MAMBA_ROOT_PREFIX']) {
    const v = env.get(k);
    if (v) out.push(resolvePath('/', `${expandPath(v, inst, env)}/pkgs`));
  }
  if (out.length === 0) out.push('/opt/conda/pkgs');
  return [...new Set(out)];
}

function isCondaClean(cmd: ShellCommand): boolean {
  const c = condaCall(cmd);
  if (c?.sub?.value !== 'clean') return false;
  return c.args.some((w) => w.value === '--all' || w.value === '--tarballs' || /^-[a-z]*[at][a-z]*$/.test(w.value));
}

const CONDA_INSTALLS = new Set(['install', 'create', 'update', 'upgrade']);

const SD109: DockerfileRule = {
  id: 'SD109',
  title: 'conda package cache left in the layer',
  severity: 'warning',
  docs: {
    summary: 'conda/mamba/micromamba `install`, `create`, `env create`/`env update` without `clean --all --yes` in the same RUN or a cache mount on the package cache.',
    why: 'conda keeps every downloaded package tarball (and its extracted copy) in `pkgs/`; in an image layer that is dead weight, often hundreds of MB. A `clean` in a later RUN hides but does not remove it.',
  },
  check(ctx, report) {
    for (const { inst, cmd } of runCommands(ctx)) {
      const c = condaCall(cmd);
      if (!c?.sub) continue;
      const sub = c.sub.value;
      const isInstall = CONDA_INSTALLS.has(sub) || (sub === 'env' && /^(create|update)$/.test(c.args[0]?.value ?? ''));
      if (!isInstall || c.args.some((w) => w.value === '--download-only' || w.value === '--dry-run')) continue;
      const dirs = condaPkgsDirs(inst, cmd, c.tool);
      if (!dirs.some((d) => shipsPath(inst.stage, d))) continue;
      if (dirs.some((d) => mountCovers(inst, d))) continue;
      const later = inst.run!.commands.filter((x) => x.index > cmd.index);
      if (later.some((x) => isCondaClean(x) || dirs.some((d) => removes(x, d, inst)))) continue;
      const last = inst.run!.commands.reduce((a, b) => (b.end > a.end ? b : a));
      const clean = c.tool === 'micromamba' ? `${cmd.argv[0].value} clean --all --yes` : `${cmd.argv[0].value} clean --all --yes`;
      const fixes: Fix[] = cmd.via === 'exec' || inst.run!.execForm ? [] : [{ title: `Append \`${clean}\` to this RUN`, edits: [insertAt(ctx.model, last.end, ` && ${clean}`)], preferred: true, safe: true }];
      report({
        range: ctx.model.rangeOf(cmd.start, (sub === 'env' ? c.args[0] : c.sub).end),
        message: `${c.tool} keeps the downloaded packages (${dirs[0]}) in this layer: add \`${c.tool} clean --all --yes\` to the same RUN or a cache mount.`,
        estimate: { bytes: null, basis: 'conda package cache: size unknown (conda packages are not in the size table); it holds every downloaded tarball.' },
        fixes,
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------

export const SD110: DockerfileRule = {
  id: 'SD110',
  title: 'package built from source where a binary wheel exists',
  severity: 'info',
  docs: {
    summary: 'Packages that compile on install (`psycopg2`) where a binary-wheel distribution of the same module exists (`psycopg2-binary`, `psycopg[binary]`).',
    why: 'Building from source needs a compiler and headers (`build-essential` ≈ 250 MB, `libpq-dev`) in the image; the binary wheel needs neither.',
  },
  check(ctx, report) {
    for (const { inst, ins } of shippedInstalls(ctx)) {
      if (!inst.stage.reachesFinal) continue; // a builder stage keeps its compiler to itself
      for (const w of ins.args.packages) {
        const name = pkgName(w);
        const alt = name ? BINARY_WHEELS.get(name) : undefined;
        if (!name || !alt) continue;
        const edit = renamePackage(ctx, w, name, alt.replacement.slice(name.length));
        report({
          range: ctx.model.rangeOf(w.start, w.end),
          message: `${name} compiles from source (compiler and headers in the image); ${alt.replacement} (${alt.note}) ships binary wheels.`,
          estimate: { bytes: null, basis: 'the saving is the compiler and headers the source build needs (see SD203 for their size), not the package itself.' },
          fixes: edit && alt.replacement.startsWith(name) ? [{ title: `Use ${alt.replacement}`, edits: [edit], preferred: true }] : [],
        });
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------

interface ManagerCache {
  tool: string;
  sub: Word;
  dir: string;
  /** Removing these also counts as cleaning (poetry keeps its venvs beside the caches). */
  parts: string[];
  /** A cache mount on `dir` would also hide the tool's virtualenvs: no mount fix then. */
  mountUnsafe: boolean;
}

function managerCache(inst: InstructionModel, cmd: ShellCommand): ManagerCache | undefined {
  const env = cmd.env;
  const home = env.get('HOME') ?? inst.home;
  const xdg = env.get('XDG_CACHE_HOME') ? expandPath(env.get('XDG_CACHE_HOME')!, inst, env) : resolvePath('/', `${home}/.cache`);
  const dir = (name: string, fallback: string) => (env.get(name) ? expandPath(env.get(name)!, inst, env) : resolvePath('/', `${xdg}/${fallback}`));
  const poetry = toolCall(cmd, 'poetry');
  if (poetry?.sub && /^(install|add|update|sync|lock)$/.test(poetry.sub.value)) {
    if (cmd.argv.some((w) => w.value === '--no-cache')) return undefined;
    const d = dir('POETRY_CACHE_DIR', 'pypoetry');
    const venvsElsewhere = !envTrue(env.get('POETRY_VIRTUALENVS_CREATE') ?? 'true') || envTrue(env.get('POETRY_VIRTUALENVS_IN_PROJECT')) || env.has('POETRY_VIRTUALENVS_PATH');
    return { tool: 'poetry', sub: poetry.sub, dir: d, parts: [`${d}/cache`, `${d}/artifacts`], mountUnsafe: !venvsElsewhere };
  }
  const pipenv = toolCall(cmd, 'pipenv');
  if (pipenv?.sub && /^(install|sync|update|lock)$/.test(pipenv.sub.value)) return { tool: 'pipenv', sub: pipenv.sub, dir: dir('PIPENV_CACHE_DIR', 'pipenv'), parts: [], mountUnsafe: false };
  const pdm = toolCall(cmd, 'pdm');
  if (pdm?.sub && /^(install|sync|add|update|lock)$/.test(pdm.sub.value)) {
    if (cmd.argv.some((w) => w.value === '--no-cache')) return undefined;
    return { tool: 'pdm', sub: pdm.sub, dir: dir('PDM_CACHE_DIR', 'pdm'), parts: [], mountUnsafe: false };
  }
  return undefined;
}

function clearsCache(c: ShellCommand, tool: string, cache: ManagerCache, inst: InstructionModel): boolean {
  if (removes(c, cache.dir, inst) || (cache.parts.length > 0 && cache.parts.every((p) => removes(c, p, inst)))) return true;
  // `rm -rf $(poetry config cache-dir)`
  if (c.name === 'rm' && c.argv.some((w) => w.dynamic && new RegExp(`${tool}\\s+config\\s+cache[-_]dir|${tool.toUpperCase()}_CACHE_DIR`).test(w.raw))) return true;
  const t = toolCall(c, tool as 'poetry' | 'pipenv' | 'pdm');
  if (!t) return false;
  if (tool === 'pipenv') return c.argv.some((w) => w.value === '--clear');
  return t.sub?.value === 'cache' && /^(clear|remove)$/.test(t.args[0]?.value ?? '');
}

const SD111: DockerfileRule = {
  id: 'SD111',
  title: 'poetry/pipenv/pdm cache left in the layer',
  severity: 'warning',
  docs: {
    summary: '`poetry install`, `pipenv install`, `pdm install` without `--no-cache`, a cache mount, or removal of the cache in the same RUN.',
    why: 'Like pip, these tools keep every downloaded wheel in their cache directory (~/.cache/pypoetry, ~/.cache/pipenv, ~/.cache/pdm); in an image layer that copy is dead weight, often 30–50 % of the installed size.',
  },
  check(ctx, report) {
    for (const { inst, cmd } of runCommands(ctx)) {
      const cache = managerCache(inst, cmd);
      if (!cache || !shipsPath(inst.stage, cache.dir) || cache.dir === '/dev/null') continue;
      if (mountCovers(inst, cache.dir) || (cache.parts.length > 0 && cache.parts.every((p) => mountCovers(inst, p)))) continue;
      const later = inst.run!.commands.filter((c) => c.index > cmd.index);
      if (later.some((c) => clearsCache(c, cache.tool, cache, inst))) continue;
      const py = readPyproject(ctx, inst);
      const names = py ? projectDependencyNames(py) : [];
      const sum = sumSizes([...new Set(names)], wheelSize);
      const mountTargets = cache.mountUnsafe ? cache.parts : [cache.dir];
      const mountFix: Fix = { title: `Add a cache mount on ${mountTargets.join(' and ')}`, edits: [addMount(ctx.model, inst, mountTargets.map((t) => `type=cache,target=${t}`).join(' --mount='))], preferred: true };
      report({
        range: ctx.model.rangeOf(cmd.start, cache.sub.end),
        message: `${cache.tool} keeps its download cache (${cache.dir}) in this layer: add a cache mount, or remove it in the same RUN.`,
        estimate: names.length
          ? estimateFromSum(`${cache.tool} cache`, sum, `the download size of the ${sum.known} direct dependencies in pyproject.toml (${wheelBasis()}); their dependencies add more.`)
          : { bytes: null, basis: `${cache.tool} cache: size unknown (the project's dependencies were not readable).` },
        fixes: inst.run!.execForm ? [] : [mountFix],
      });
    }
  },
};

export const pythonRules: DockerfileRule[] = [SD101, SD102, SD103, SD104, SD105, SD106, SD107, SD108, SD109, SD110, SD111];
