// "Optimize Dockerfile": rewrites a Dockerfile into a lean multi-stage uv build. Pure: text and
// a file system in; the new text, the `.dockerignore` edit, before/after estimates and notes out.
// The file comes back unchanged (with a note saying why) whenever the rewrite would not be safe:
// an unknown base, shell logic that cannot be split, files the builder could not read.
import { buildModel, contextSources, resolvePath, type DockerfileModel, type StageModel } from '../parse/dockerfile';
import type { ShellCommand, Word } from '../parse/shell';
import { MemoizedFileSystem, PatchedFileSystem, type FileSystem } from '../fs';
import { loadConfig, parentDir, join } from '../config/config';
import { resolveBuildContext, inferContextDir, type BuildContext } from '../buildcontext';
import { checkDockerfile, MAX_FILE_BYTES } from '../analyze';
import { packageCall, packageNames } from '../rules/os-commands';
import { jitPackage, CXX_AT_RUN_TIME } from '../rules/os';
import { requirementName } from '../rules/commands';
import { normalizeName } from '../python/requirement';
import { tomlValues } from '../python/toml';
import { parseVersionRange, compareRelease } from '../python/pyversion';
import { DEV_GROUPS, PACKAGING_TOOLS, tomlGet, type Toml } from '../rules/python-tools';
import { contextFileText } from './context-map';
import type { Estimate, FileEdit, Finding, TextEdit } from '../types';
import { describeBase, DISTRO_PYTHON, type BaseInfo } from './base';
import { analyze, declares, keptCommands, keptText, stageRefs, type Analysis, type PyOp } from './analyze';
import { planBuilder, fromFlagsOf, osInstall, requirementFiles, SOURCES_COMMENT, projectDir, type BuilderPlan } from './builder';
import { renderFile, keepsStages } from './render';
import { leanReason } from './lean';
import { missingEntries, extendDockerignore } from './dockerignore';
import { versionFromGit } from '../python/vcs';
import { buildReadsGit, readsGitTree } from '../rules/context';
import { imageEstimate } from './estimate';
import { releaseSpecific } from './runtime';
import { planSystem } from './system';
import { settingBlockers } from './settings';
import { applySafeFixes, fixedSummary } from '../fixes/rounds';
import { applyEdits } from '../fixes/text';
import { preferredFix } from './preferred';
import { rootStage } from '../rules/lineage';
import { movedScripts, userScripts, pathResets, startupScriptTexts, withoutRunTool, startupScriptBlockers, devToolsUse, type ScriptRewrite } from './scripts';
import { toolsSlimLacks, openmpRuntime, installedRequirementNames, fullImageLibraries, stageProjectManifests, muslFindLibrary } from './slim';
import { escapeRegExp } from '../regexp';

export type OptimizeMode = 'venv' | 'system';

export interface OptimizeInput {
  /** Absolute path of the Dockerfile (POSIX separators). */
  file: string;
  text: string;
  fs: FileSystem;
  /** Where configuration lookups stop (the workspace root). */
  root?: string;
  /** `venv` (uv's recommendation: copy /app/.venv) or `system` (uv pip install --system, no virtualenv). */
  mode?: OptimizeMode;
  /** The uv image tag (`ghcr.io/astral-sh/uv:<uvVersion>`); the configured one when absent. */
  uvVersion?: string;
  /** UV_COMPILE_BYTECODE=1 (faster start-up, larger image) or 0; when absent, what the old file set (else 0). */
  compileBytecode?: boolean;
  /**
   * Whether a file that cannot be restructured still gets the fix rounds (default true). The editor's
   * CodeLens only asks whether a rewrite exists: it skips them (a dozen checks) on every version.
   */
  fixWhenNotRestructured?: boolean;
  /** Internal: the SD107 fixes (PyTorch's CPU index) are in `text` already. */
  cpuIndexApplied?: boolean;
  /** Internal: this run checks another one's output for stability (it does not check its own). */
  stabilityRun?: boolean;
  /** Internal: how many times the fixes of a file Optimize could not restructure were optimized again. */
  fixedDepth?: number;
}

export interface OptimizeResult {
  text: string;
  /** Edits to other files: the `.dockerignore` (created or extended). */
  otherFiles: FileEdit[];
  before: Estimate;
  after: Estimate;
  notes: string[];
  /** The text or another file changed (restructured, or only the safe fixes applied). */
  changed: boolean;
  /** Rewritten into the builder + slim final stage layout; false when only safe fixes (if any) were applied. */
  restructured: boolean;
}

export function optimize(input: OptimizeInput): OptimizeResult {
  const fs = new MemoizedFileSystem(input.fs);
  const config = loadConfig(fs, parentDir(input.file), input.root);
  let uvVersion = input.uvVersion ?? config.uvVersion;
  const mode = input.mode ?? 'venv';
  const unchanged = (notes: string[], before: Estimate = NOT_ESTIMATED): OptimizeResult => ({
    text: input.text, otherFiles: [], before, after: before, notes, changed: false, restructured: false,
  });
  if (input.text.length > MAX_FILE_BYTES) return unchanged(['the file is over 1 MB: skipped.']);

  let build = resolveBuildContext(fs, input.file, { setting: config.buildContext, root: input.root });
  let model: DockerfileModel;
  try {
    model = buildModel(input.text, { target: build.target });
    // The context `check` uses: the folder above whose files the COPYs name (`docker build -f
    // docker/Dockerfile .`), else the Dockerfile's own. Optimize must read the same files.
    if (build.origin === 'dockerfile-folder') {
      const inferred = inferContextDir(fs, input.file, model.instructions.flatMap(contextSources), input.root ?? '/');
      if (inferred) build = resolveBuildContext(fs, input.file, { root: input.root, inferred });
    }
  } catch (e) {
    return unchanged([`the Dockerfile could not be parsed: ${(e as Error).message}`]);
  }
  if (!model.finalStage) return unchanged(['there is no FROM instruction: nothing to rewrite.']);
  const finalStage = model.finalStage;
  // What cannot be restructured still gets the engine's safe fix-all (the edits of `check --fix`):
  // changed when that changes something, with the reason and the fixes in the first note.
  const leftAlone = (reasons: string[], before?: Estimate, findings?: Finding[]): OptimizeResult => {
    if (input.fixWhenNotRestructured === false) return unchanged(reasons, before);
    // The safe fixes, and the preferred fix of a warning or error that has none (when sound: see
    // preferred.ts), each validated like `check --fix`'s.
    const fixed = applySafeFixes({ file: input.file, text: input.text, fs, root: input.root, findings, otherwise: preferredFix(build.target) });
    const otherFiles = changedFiles(fs, fixed.files);
    if (fixed.text === input.text && otherFiles.length === 0) return unchanged(reasons, before);
    const [first, ...rest] = reasons.map((r) => r.replace(/^not rewritten: /, ''));
    const notes = [`could not restructure: ${first.replace(/\.$/, '')}; applied ${fixedSummary(fixed.fixed, fixed.preferred)}.`, ...rest];
    notes.push(...fixed.preferred.map((p) => `applied the ${p.rule} fix: ${p.title}.`));
    notes.push(...fixed.rejected.map((r) => `a fix was not applied (its result was broken): ${r}`), ...remaining(fixed.findings));
    // The fixes may take away what stopped the rewrite (a `-dev` package inside shell logic became its
    // run-time library): a second Optimize would restructure. The fixed file is restructured now, so
    // that result is the one a second run leaves as it is.
    // (A stability run only asks whether anything changes: it has its answer.)
    if (!input.stabilityRun && (input.fixedDepth ?? 0) < 2) {
      const over = new PatchedFileSystem(input.fs, fixed.files);
      const next = optimize({ ...input, text: fixed.text, fs: over, fixedDepth: (input.fixedDepth ?? 0) + 1 });
      if (next.restructured) {
        const files = new Map(fixed.files);
        for (const fe of next.otherFiles) files.set(fe.file, applyEdits(over.readFile(fe.file) ?? '', fe.edits));
        const fixes = `first applied ${fixedSummary(fixed.fixed, fixed.preferred)}: before them, ${first.replace(/\.$/, '')}`;
        return { ...next, otherFiles: changedFiles(fs, files), before: before ?? next.before, notes: unique([`${fixes}.`, ...fixed.preferred.map((p) => `applied the ${p.rule} fix: ${p.title}.`), ...next.notes]) };
      }
    }
    const after = before ? imageEstimate(rootStage(finalStage).image, fixed.findings, [], true) : NOT_ESTIMATED;
    return { text: fixed.text, otherFiles, before: before ?? NOT_ESTIMATED, after, notes: unique(notes), changed: true, restructured: false };
  };
  // The rewrite continues lines with a backslash; a file with another escape character (mostly
  // Windows images) would read them as text.
  if (model.escapeChar !== '\\') return leftAlone([`the file sets # escape=${model.escapeChar}: Optimize writes backslash continuations and leaves such files (mostly Windows images) alone.`]);
  if (model.finalStage !== model.stages[model.stages.length - 1]) return leftAlone([`the build target ${model.finalStage.name} is not the last stage: Optimize rewrites the last stage only.`]);
  if (model.stages.some((s) => s.instructions.some((i) => i.keyword === 'ONBUILD'))) return leftAlone(['the file uses ONBUILD: Optimize does not rewrite images meant as bases for others.']);
  // `RUN --mount` came to the stable frontend in docker/dockerfile 1.2: a pin to 1.0/1.1 rejects the
  // builder's cache and bind mounts (`1.0-experimental` has them). Found by review.
  const frontend = /^(?:[ \t]*#[ \t]*\w+[ \t]*=.*\r?\n)*?[ \t]*#[ \t]*syntax[ \t]*=[ \t]*(\S+)/i.exec(input.text)?.[1];
  if (frontend && /^(docker\.io\/)?docker\/dockerfile:1\.[01](\.\d+)?(@sha256:[0-9a-f]+)?$/.test(frontend)) return unchanged([`the file pins the Dockerfile frontend ${frontend}, which has no RUN --mount (it came in 1.2): raise the # syntax line to docker/dockerfile:1 and run Optimize again.`]); // (no fixes either: a cache mount would fail there too)

  const check = (text: string, over: FileSystem = fs) => checkDockerfile({ file: input.file, text, fs: over, root: input.root }).findings;
  const oldFindings = check(input.text);
  const beforeEstimate = imageEstimate(rootStage(model.finalStage).image, oldFindings, [], true);

  // System mode builds wheels in the builder and installs them offline: the CPU index of PyTorch
  // (SD107's fix) must reach the builder's pip wheel, so it goes into the old file first.
  if (mode === 'system' && !input.cpuIndexApplied) {
    const cpu = oldFindings.filter((f) => f.rule === 'SD107').map((f) => f.fixes.find((x) => x.preferred)).filter((x): x is NonNullable<typeof x> => !!x);
    if (cpu.length) {
      const inner = optimize({ ...input, text: applyEdits(input.text, cpu.flatMap((f) => f.edits)), cpuIndexApplied: true });
      if (inner.restructured) return { ...inner, before: beforeEstimate, changed: true, notes: [...inner.notes, ...cpu.map((f) => `applied the SD107 fix to the old install first, so that the builder's pip wheel reads the index: ${f.title}.`)] };
    }
  }

  const lean = leanReason(model, oldFindings);
  if (lean) return leftAlone([lean], beforeEstimate, oldFindings);

  // System mode keeps the installs in the final stage: what they read stays there too (read again
  // for the virtual-environment layout when system mode falls back to it).
  const analysis = (installsInPlace: boolean, pinned = false) => {
    const out = analyze(model, build, (_final, chain) => describeBase(chain[0].image, pinned ? chain[0].image : model.text.slice(chain[0].imageStart, chain[0].imageEnd), installsPython(chain)), installsInPlace);
    // An image that runs dev tooling (a notebook server, a test image) keeps what the old file installed for it.
    const dev = devToolsUse(out, build, fs);
    out.devUse = dev.used;
    // (A final stage named for development, `FROM base AS dev` last: `--target dev` builds a dev image; found by review.)
    const devStage = /^(dev|devel|develop|development|test|tests|testing|ci|debug)$/i.test(out.final.name ?? '') ? `the final stage is named ${out.final.name} (a development image)` : undefined;
    out.devRun = dev.reason ?? devGroupRun(out, build, fs, dev.used) ?? devStage;
    out.devImage = !!devStage;
    return out;
  };
  let a = analysis(mode === 'system');
  // PyTorch's images: the installs stay in the image's own Python (system.ts), whatever the mode.
  if (mode !== 'system' && a.base?.kind === 'pytorch') a = analysis(true);
  // Run-time packages of the release a build argument names by default (`ARG DEBIAN=bullseye`,
  // `FROM python:3.10-slim-${DEBIAN}`: libffi7, which bookworm lacks): the stages name that release
  // directly, said in a note, as for a tag from a build argument (found by review).
  // (Only a package whose name depends on the release: libpq5 is the same everywhere; found by review.)
  const variableRelease = (x: typeof a) => !!x.base?.codename && x.base.finalImage.includes('$') && x.addedRuntime.some(releaseSpecific) && !model.text.slice(x.chain[0].imageStart, x.chain[0].imageEnd).includes(x.base.codename);
  const releasePinned = variableRelease(a) ? a.base!.codename : undefined;
  if (releasePinned) a = analysis(a.installsInPlace, true);
  // `[tool.uv] required-version` (or uv.toml's): uv refuses to run outside it (found by review).
  const pinned = requiredUv(a, build, fs, uvVersion);
  if (typeof pinned === 'object') a.blockers.push(pinned.reason);
  const uvNote = typeof pinned === 'string' && pinned !== uvVersion ? `the project's required-version excludes uv ${uvVersion}: the builder copies uv ${pinned}, the version the old file used.` : undefined;
  if (typeof pinned === 'string') uvVersion = pinned;
  if (a.blockers.length) return leftAlone(unique(a.blockers.map((b) => `not rewritten: ${b}`)), beforeEstimate, oldFindings);
  // (`pip install pipenv==…` alone is a packaging tool, which the builder would not install: said so; found by review.)
  const tools = [...a.toolSpecs.keys()];
  if (a.ops.length === 0) return leftAlone([`the final image installs ${tools.length ? `only packaging tools (${tools.join(', ')}), no application packages` : 'no Python packages'}: there is nothing for a builder stage to do (the SD203/SD301 fixes cover what is left).`], beforeEstimate, oldFindings);
  const base = a.base!;
  // DeepSpeed, FlashInfer, apex build their ops when they run (cpu_adam with g++; CUDA ops with
  // nvcc too): on any base the toolchain cannot go to a builder, nor a -devel or full base become
  // -runtime or slim. (With neither to take away, the rewrite changes nothing for them.)
  const takesCompiler = a.buildPackages.length > 0 || base.finalImage !== base.builderImage;
  const jit = takesCompiler ? compilesAtRunTime(a, build, fs, base.kind === 'pytorch') : undefined;
  if (jit) return leftAlone([`not rewritten: ${jit}: the final stage needs ${base.finalImage === base.builderImage ? 'its' : `${base.builderImage} and its`} build packages.`], beforeEstimate, oldFindings);
  const lookup = base.manager === 'apk' && a.buildPackages.length > 0 ? muslFindLibrary(a, build, fs) : undefined;
  if (lookup) return leftAlone([`not rewritten: ${lookup}.`], beforeEstimate, oldFindings);
  const oldBytecode = a.ops.map((o) => o.cmd.env.get('UV_COMPILE_BYTECODE')).find((v) => v !== undefined);
  // What the old file asked for: UV_COMPILE_BYTECODE, or `--compile-bytecode` / pip's `--compile` on an install.
  const oldFlag = a.ops.some((o) => o.cmd.argv.some((w) => w.value === '--compile-bytecode' || w.value === '--compile'));
  // (Or a `python -m compileall` over a folder that holds site-packages, `/usr/local/lib/python3.12/`:
  // it compiled every installed package, which the environment then ships compiled; found by review.)
  const compiledAll = a.chain.flatMap((s) => s.instructions).some((i) => (i.run?.commands ?? []).some((c) => /^python[\d.]*$/.test(c.name.split('/').pop() ?? '') && c.argv.some((w, k) => w.value === 'compileall' && c.argv[k - 1]?.value === '-m') && c.argv.some((w) => /^\/usr(\/local)?(\/lib(\/python3(\.\d+)?)?)?\/?$/.test(w.value))));
  const compileBytecode = input.compileBytecode ?? ((oldBytecode !== undefined && /^(1|true|yes|on)$/i.test(oldBytecode)) || (oldBytecode === undefined && (oldFlag || compiledAll)));

  // Every old stage name stays taken: a build that targets a stage folded into the final one
  // (`--target builder`, compose `target:`) must fail loudly, not build the new builder instead.
  // So does every image the file names by a bare word (`COPY --from=builder`, `--mount from=builder`,
  // `FROM builder`): a new stage of that name would take the reference over.
  const takenNames = [...model.stages.map((s) => s.name ?? ''), ...model.stages.map((s) => s.image), ...model.instructions.flatMap(stageRefs)].filter(Boolean);
  const notes: string[] = uvNote ? [uvNote] : [];
  if (a.devRun) notes.push(`${a.devRun}: the dev tools it runs stay in the image, with the dev requirements files, extras and groups that hold them.`);
  if (!keepsStages(a)) for (const s of a.chain.slice(0, -1)) if (s.name && !a.shared.includes(s)) notes.push(`stage ${s.name} (line ${s.instructions[0].node.getRange().start.line + 1}) is folded into the final stage${a.final.name ? ` ${a.final.name}` : ''}: a build that targets it (--target ${s.name}, a compose file's target:) must target the final stage now.`);
  let effectiveMode = mode;
  if (base.kind === 'pytorch') {
    const intoImage = `on ${base.builderImage} the packages go into the image's own Python with pip, beside its torch`;
    if (a.absorbed.length) return leftAlone([`not rewritten: ${intoImage}, and the old builder stage's installs cannot run in the final stage.`], beforeEstimate, oldFindings);
    if (mode === 'venv') notes.push(`${intoImage} (as --mode system): a virtual environment would hide that torch, and uv would install it again (uv does not read --system-site-packages).`);
    // pip wheel resolves everything again, torch too when a requirement depends on it: without an
    // index it finds nothing of what the image already has.
    const offline = a.ops.find((o) => o.args.some((w) => w.value === '--no-index') || o.cmd.env.has('PIP_NO_INDEX') || requirementFiles(a, o, build, fs).some((f) => f.noIndex));
    if (offline) return leftAlone([`not rewritten: line ${offline.inst.node.getRange().start.line + 1} installs with --no-index, and the builder's pip wheel, which ignores what ${base.builderImage} has installed (torch), would find no index for it.`], beforeEstimate, oldFindings);
    if (base.finalImage !== base.builderImage) {
      notes.push(`the final stage runs on ${base.finalImage}, without nvcc or the CUDA headers: code that compiles at run time (torch.utils.cpp_extension.load; torch.compile's Triton kernels need a C compiler) needs ${base.builderImage} or a compiler installed in the final stage.`);
    }
    effectiveMode = 'system';
  } else if (mode === 'system' && (base.kind !== 'python' && base.kind !== 'uv')) {
    notes.push(`system mode needs a python: base image (${base.builderImage} has a distro or conda Python): the virtual-environment layout is used.`);
    effectiveMode = 'venv';
  }
  // The full image's compiler goes with it (found by review): said, as slimdock cannot see the app's calls.
  if (base.kind === 'python' && base.builderImage !== base.finalImage && installedRequirementNames(a, build, fs).has('torch')) {
    notes.push(`torch is installed, and the final stage runs on ${base.finalImage}, without the full image's C/C++ compiler: torch.compile (Inductor) compiles with it when first called; install g++ in the final stage if the app calls torch.compile.`);
  }
  if (mode === 'system' && a.absorbed.length) {
    notes.push('system mode: the old builder stage is replaced by a virtual environment (its installs cannot run in the final stage in place).');
    effectiveMode = 'venv';
  }

  let systemPlan: ReturnType<typeof planSystem> | undefined;
  // A start-up script the virtual-environment layout would break (it names a console script by
  // its /usr/local/bin path, or slimdock cannot read it): the system layout keeps the scripts where
  // the old image had them. (If that layout cannot take the file either, the venv plan refuses.)
  if (effectiveMode === 'venv' && mode === 'venv' && base.kind === 'python' && !a.absorbed.length) {
    const why = startupScriptBlockers(a, build, fs, 'venv', 'the environment');
    if (why.length && !startupScriptBlockers(a, build, fs, 'system', '').length) {
      const inPlace = analysis(true);
      // Only where the system layout takes the file as it is (no fallback of its own to a venv).
      const trial = inPlace.blockers.length ? undefined : planSystem(inPlace, { uvVersion, compileBytecode, build, fs, takenNames });
      if (trial && !trial.fallback && !trial.blockers.length) {
        a = inPlace;
        systemPlan = trial; // (planSystem updates the analysis it is given: planned once)
        effectiveMode = 'system';
        const interpreter = why[0].includes('the system Python');
        notes.push(`${why[0].slice(0, why[0].indexOf(': '))}: ${interpreter ? 'the system Python would not see a virtual environment\'s packages' : 'a virtual environment would move what it may call'}, so the system layout is used (uv pip install --system, as with --mode system), which keeps the ${interpreter ? 'packages in the system Python' : 'installs\' scripts in /usr/local/bin'}.`);
      }
    }
  }

  let builder: string[];
  let insert: string[];
  let replaced: Map<import('../parse/dockerfile').InstructionModel, string> | undefined;
  /** An owner the environment's COPY could not take (the user is made after it): taken after all where the SD405 fix makes the user first. */
  let deferredOwner: { owner: string; user: string; name: string; venv: string; note: string } | undefined;
  let manifests: string[] = [];
  // `uv run`/`poetry run` at start-up: the command runs directly (scripts.ts).
  const startup = withoutRunTool(a, build, fs);
  if (effectiveMode === 'system') {
    const sys = systemPlan ?? planSystem(a, { uvVersion, compileBytecode, build, fs, takenNames });
    sys.blockers.push(...toolsAtRunTime(a, startup), ...startupScriptBlockers(a, build, fs, 'system', ''));
    if (!sys.fallback) sys.blockers.push(...settingBlockers(a, 'system', build, fs));
    if (sys.blockers.length) return leftAlone(unique(sys.blockers.map((b) => `not rewritten: ${b}`)), beforeEstimate, oldFindings);
    if (sys.fallback && base.kind === 'pytorch') return leftAlone([`not rewritten: on ${base.builderImage} the packages go into the image's own Python with pip (a virtual environment would hide its torch), and ${sys.fallback}.`], beforeEstimate, oldFindings);
    if (sys.fallback) {
      notes.push(`system mode: ${sys.fallback}: the virtual-environment layout is used.`);
      effectiveMode = 'venv';
    } else {
      builder = sys.builder;
      insert = sys.insert;
      const user = userScripts(a, '/usr/local/bin', startup);
      replaced = new Map([...sys.replaced, ...user.replaced]);
      // An install from the sources kept after the whole-context COPY (a setup.py project, local
      // package folders): its dependencies come with the sources, so no manifest can go first.
      // Said above the COPY, as the virtual-environment builder says it above its own.
      for (const inst of sys.fromSources) {
        const line = inst.node.getRange().start.line + 1;
        const f = oldFindings.find((x) => x.rule === 'SD401' && x.fixes.length === 0 && x.message.includes(`(line ${line})`));
        const copy = f && model.instructions.find((i) => i.node.getRange().start.line === f.range.start.line && (i.keyword === 'COPY' || i.keyword === 'ADD'));
        if (copy && !replaced.has(copy)) replaced.set(copy, `${SOURCES_COMMENT.join('\n')}\n${model.text.slice(copy.start, copy.end)}`);
      }
      notes.push(...user.notes);
      manifests = sys.manifests;
      notes.push(...sys.notes);
    }
  }
  if (effectiveMode === 'venv') {
    if (a.installsInPlace) a = analysis(false);
    const plan: BuilderPlan = planBuilder(a, { uvVersion, compileBytecode, build, fs, takenNames });
    if (plan.kind === 'conda') plan.blockers.push(...condaAtRunTime(a));
    plan.blockers.push(...sitePackagesKept(a, plan.venv));
    plan.blockers.push(...toolsAtRunTime(a, startup), ...startupScriptBlockers(a, build, fs, 'venv', plan.venv));
    if (plan.kind !== 'conda') plan.blockers.push(...settingBlockers(a, 'venv', build, fs));
    if (plan.blockers.length) return leftAlone(unique(plan.blockers.map((b) => `not rewritten: ${b}`)), beforeEstimate, oldFindings);
    builder = plan.lines;
    // `python -m spacy download …` (it runs pip), `python -m pip …` in a kept instruction: a uv
    // environment has no pip of its own, so the builder adds it.
    // (And `pip install` at start-up, in the command or a start-up script: without a pip of its own,
    // `pip` would be the system Python's, installing where the environment does not look. Found by review.)
    const RUNS_PIP = /\bspacy\s+download\b|-m\s+pip\b|(^|[\s;&|(`"'[,/])pip3?(\.\d+)?["']?\s*,?\s*["']?\s*(install|freeze|list|show|inspect)\b/m;
    // (The exec form's words joined as the shell form's: `["python", "-m", "spacy", "download", …]`; found by review.)
    const words = (t: string) => t.replace(/"\s*,\s*"/g, ' ');
    const pipUser =
      plan.kind !== 'conda'
        ? (a.chain.flatMap((st) => st.instructions).find((i) => !a.removed.has(i) && ['RUN', 'CMD', 'ENTRYPOINT'].includes(i.keyword) && RUNS_PIP.test(words(keptText(a, i)))) ??
          startupScriptTexts(a, build, fs).find((t) => t.text !== undefined && RUNS_PIP.test(t.text.replace(/^\s*#.*$/gm, '')))?.inst)
        : undefined;
    // `pip install -U pip setuptools`: the old environment had setuptools (pkg_resources); a uv
    // environment has none, so the builder installs it when the old file asked for it.
    // The environment's path as the output writes it: with the build arguments the old file wrote it with.
    const venvOut = plan.venvText ?? plan.venv;
    const setuptools = a.toolSpecs.get('setuptools');
    if (plan.kind !== 'conda' && setuptools && !setuptools.offline) {
      builder.push(`RUN --mount=type=cache,target=/root/.cache/uv \\\n    uv pip install --python ${venvOut}/bin/python ${setuptools.raw}`);
      notes.push('the old file installed setuptools: the environment gets it too (uv leaves it out).');
    } else if (plan.kind !== 'conda' && setuptools) notes.push('the old file installed setuptools offline (--no-index): the environment has none (uv leaves it out); add it to the requirements if the app imports pkg_resources.');
    // The python images up to 3.11 ship setuptools in their Python (found by review): an app that
    // imports pkg_resources ran on it without naming it. Said, not guessed.
    // (Not where the old installs went into an environment uv made already, `uv sync`, `uv venv`: it had none either; found by review.)
    // (Not for poetry's or pipenv's environments: their virtualenv seeds setuptools below 3.12; found by review.)
    else if (plan.kind !== 'conda' && plan.kind !== 'poetry' && plan.kind !== 'pipenv' && !plan.setuptools && base.kind === 'python' && /^3\.([0-9]|1[01])$/.test(base.python ?? '') && !a.ops.some((o) => o.kind === 'uv-sync') && !/\buv\s+venv\b/.test(a.model.text)) {
      notes.push(`${base.builderImage}'s Python ${base.python} comes with setuptools (pkg_resources); the environment has none, as uv makes it: add setuptools to the requirements if the app imports pkg_resources.`);
    }
    // A distro's python3-pip brings python3-setuptools (pkg_resources in dist-packages): the same said (found by review).
    else if ((plan.kind === 'requirements' || plan.kind === 'uv-project') && !plan.setuptools && base.kind === 'distro' && (a.venvPaths?.size ? /^3\.([0-9]|1[01])$/.test(DISTRO_PYTHON[base.codename] ?? '') : ['python3-pip', 'python3-setuptools'].some((n) => a.installedNames.has(n))) && !a.ops.some((o) => o.kind === 'uv-sync' || (o.pkg?.packages ?? []).some((w) => requirementName(w.value) === 'setuptools'))) {
      // (A venv the old file made itself had it too, below 3.12: python3 -m venv seeds setuptools; found by review.)
      notes.push(a.venvPaths?.size ? `the old environment, made with python3 -m venv on Python ${DISTRO_PYTHON[base.codename]}, had setuptools (pkg_resources); the environment has none, as uv makes it: add setuptools to the requirements if the app imports pkg_resources.` : `the old file installed ${a.installedNames.has('python3-pip') ? 'python3-pip, which brings python3-setuptools' : 'python3-setuptools'} (pkg_resources) into the system Python; the environment has none, as uv makes it: add setuptools to the requirements if the app imports pkg_resources.`);
    }
    if (a.pipCheck !== undefined && plan.kind !== 'conda') {
      builder.push(`RUN uv pip check --python ${venvOut}/bin/python`);
      notes.push(`line ${a.pipCheck}: pip check runs in the builder stage, on the environment (uv pip check).`);
    }
    if (pipUser) {
      builder.push(`RUN --mount=type=cache,target=/root/.cache/uv \\\n    uv pip install --python ${venvOut}/bin/python pip`);
      notes.push(`line ${pipUser.node.getRange().start.line + 1}: the ${pipUser.keyword} runs pip (pip install, pip freeze, python -m pip, spacy download): the environment gets pip, which uv leaves out.`);
    }
    // Installs that ran as a non-root USER made files that user owns (its venv, ~/.local): the copy
    // keeps that owner (the app may write there: bytecode caches, plugins installed at run time).
    const owners = [...new Set(a.ops.filter((o) => o.inst.stage.reachesFinal).map((o) => o.inst.user))];
    let owner = owners.length === 1 && !/^(root|0)(:.*)?$/.test(owners[0]) && !owners[0].includes('$') ? owners[0] : undefined;
    // `USER ${APP_USER}`: the build argument, not its default (found by review: --build-arg APP_USER=svc).
    const userInst = owner && a.chain.flatMap((st) => st.instructions).filter((i) => i.keyword === 'USER' && i.start < a.ops[0].inst.start).pop();
    const rawUser = userInst ? userInst.args.map((w) => w.getValue()).join(' ') : undefined;
    if (owner && rawUser && /^\$\{?[A-Za-z_]\w*\}?(:\$\{?[A-Za-z_]\w*\}?)?$/.test(rawUser)) owner = rawUser;
    // The group the old file gave the environment to that user (`chown -R 1001:0 /opt/venv`: COPY
    // --chown=1001 alone would make it group 1001).
    const ranAs = owner;
    if (owner && !owner.includes(':') && !owner.includes('$') && a.venvChown?.owner.startsWith(`${owner}:`)) owner = a.venvChown.owner;
    if (owner) notes.push(`the old installs ran as USER ${ranAs}${owner !== ranAs ? ` (line ${a.venvChown!.line} gave the environment to ${owner})` : ''}: the environment is copied with --chown=${owner}.`);
    else {
      // Installed as root, then handed over: the old file's own copy of its environment had an owner
      // (`COPY --from=build --chown=app /opt/venv /opt/venv`), or a kept `chown -R app /usr/local`
      // covers where the packages were (found by review: pip at start-up could not write the venv).
      let handed = environmentOwner(a, base, plan.venv);
      if (!handed && plan.handedTo) {
        // (Only where that user exists at the copy: one made later leaves the environment root's, said.)
        const u = plan.handedTo.owner.split(':')[0];
        const later = !/^\d+$/.test(u) && a.insertBefore && a.chain.flatMap((st) => st.instructions).some((i) => i.start >= a.insertBefore!.start && (i.run?.commands ?? []).some((c) => /^(useradd|adduser)$/.test(c.name) && c.argv.some((w) => w.value === u)));
        if (later) {
          deferredOwner = { owner: plan.handedTo.owner, user: u, name: plan.name, venv: plan.venv, note: `line ${plan.handedTo.line} gave the project's folder, where the old environment was, to ${plan.handedTo.owner}, who is made after the environment's COPY: the environment in ${plan.venv} stays root's (readable, not writable, by ${u}).` };
          notes.push(deferredOwner.note);
        }
        else handed = { owner: plan.handedTo.owner, why: `line ${plan.handedTo.line} gave the project's folder, where the old environment was, to ${plan.handedTo.owner}` };
      }
      if (handed) {
        owner = handed.owner;
        notes.push(`${handed.why}: the environment is copied with --chown=${owner}.`);
      }
    }
    // The owner's user made where the environment's COPY goes or after it (`useradd app && pip
    // install …` in one RUN): `COPY --chown` would fail (found by review).
    const user = owner?.split(':')[0];
    const madeAfter = user && !/^\d+$/.test(user) && a.insertBefore ? a.chain.flatMap((st) => st.instructions).find((i) => i.start >= a.insertBefore!.start && (i.run?.commands ?? []).some((c) => /^(useradd|adduser)$/.test(c.name) && c.argv.some((w) => w.value === user || w.raw === user))) : undefined;
    if (madeAfter) return leftAlone([`not rewritten: the environment's owner ${user} is made at line ${madeAfter.node.getRange().start.line + 1}, where or after its COPY goes (the first install): COPY --chown=${user} would find no such user.`], beforeEstimate, oldFindings);
    insert = [venvOut, ...plan.extraCopies].map((v) => `COPY --from=${plan.name}${owner ? ` --chown=${owner}` : ''} ${v} ${v}`);
    const finalPath = [...a.final.instructions].pop()?.env.get('PATH') ?? '';
    // Folders an ENV PATH put before /usr/local/bin (`ENV PATH=/app/bin:$PATH`, a wrapper named like
    // a console script) came first before the console scripts did: they stay before the
    // environment's (found by review: /app/bin/celery was skipped).
    const pathThen = (a.insertBefore ?? a.ops[0]?.inst)?.env.get('PATH')?.split(':') ?? [];
    const cut = pathThen.findIndex((p) => p === '/usr/local/bin' || p.includes('$') || p === '');
    const before = (cut < 0 ? [] : pathThen.slice(0, cut)).filter((p) => p.startsWith('/') && p !== `${plan.venv}/bin` && /^[\w./@+-]+$/.test(p));
    if (!finalPath.split(':').includes(`${plan.venv}/bin`)) insert.push(`ENV PATH="${[...before, `${venvOut}/bin`].join(':')}:$PATH"`);
    manifests = plan.manifests;
    notes.push(...plan.notes);
    const scripts = plan.kind === 'conda' ? startup : pathResets(a, plan.venv, movedScripts(a, plan.venv, userScripts(a, `${plan.venv}/bin`, startup)));
    replaced = scripts.replaced;
    notes.push(...scripts.notes);
  }

  const rawBase = model.text.slice(a.chain[0].imageStart, a.chain[0].imageEnd);
  if (rawBase.includes('$') && !base.finalImage.includes('$')) {
    notes.push(
      releasePinned
        ? `the stages name ${base.builderImage === base.finalImage ? base.finalImage : `${base.builderImage} and ${base.finalImage}`} directly: the build argument in ${rawBase} no longer applies to them, as the run-time packages the final stage installs (${a.addedRuntime.filter(releaseSpecific).join(', ')}) are ${releasePinned}'s, the release it gives by default.`
        : base.builderImage.includes('$')
          ? `the final stage names ${base.finalImage} directly: the build argument in ${rawBase} no longer applies to it.`
          : `the stages name ${base.builderImage} and ${base.finalImage} directly: the build argument in ${rawBase} no longer applies to them (a builder of another Python than the final stage's would not work).`,
    );
  }
  // From the full python image (or uv's image built on it) to the slim one: the tools the kept instructions call come along.
  const fromFull = (base.kind === 'python' || (base.kind === 'uv' && !/-slim\b/.test(base.builderImage))) && base.os === 'debian' && base.finalImage !== base.builderImage;
  const slim = fromFull ? toolsSlimLacks(a, build, fs) : undefined;
  if (slim?.blockers.length) return leftAlone(unique(slim.blockers.map((b) => `not rewritten: ${b}`)), beforeEstimate, oldFindings);
  if (slim) notes.push(...slim.notes);
  // Libraries the full image had that the installs build against or load (libpq5 for psycopg2 …).
  const libs = slim ? fullImageLibraries(a, build, fs, [...manifests, ...stageProjectManifests(a, build)], base.codename) : undefined;
  if (libs?.blockers.length) return leftAlone(unique(libs.blockers.map((b) => `not rewritten: ${b}`)), beforeEstimate, oldFindings);
  if (libs) notes.push(...libs.notes);
  const openmp = openmpRuntime(a, build, fs);
  if (openmp && !a.installedNames.has(openmp)) notes.push(`the installs include a package that loads the OpenMP runtime (LightGBM, llama-cpp-python): the final stage installs ${openmp}, which came with the compiler before.`);
  // continuumio's images on debian-slim: the libraries and locale the image set up, which conda's
  // packages (opencv from pip, Qt, glib users) and the app ran with (found by review: libgthread).
  const condaBase = base.kind === 'conda' ? CONDA_IMAGE_PACKAGES.filter((p) => !a.installedNames.has(p)) : [];
  const runtimeTools = unique([...condaBase, ...(slim?.packages ?? []), ...(libs?.packages ?? []), ...(openmp && !a.installedNames.has(openmp) && !a.addedRuntime.includes(openmp) ? [openmp] : [])]);
  const afterFrom = runtimeTools.length || base.kind === 'conda' ? [...(base.kind === 'conda' ? ['ENV LANG=C.UTF-8 LC_ALL=C.UTF-8'] : []), ...(runtimeTools.length ? [osInstall(base.manager, runtimeTools)] : [])] : undefined;
  if (base.kind === 'conda') notes.push(`the final stage gets what ${base.builderImage} set up besides conda: LANG=C.UTF-8 and ${CONDA_IMAGE_PACKAGES.join(', ')}.`);
  const rendered = renderFile({ a, builder: builder!, insert: insert!, finalImage: base.finalImage, fromFlags: fromFlagsOf(a), replaced, afterFrom });
  notes.push(...a.notes, ...rendered.notes);
  let text = rendered.text;

  // The .dockerignore the new file needs, then the rules' own safe fixes for anything left.
  const files = new Map<string, string>();
  const ignorePath = build.dockerignorePath ?? join(build.dir, '.dockerignore');
  const originalIgnore = build.dockerignoreText;
  // The context folders the COPYs name (`COPY backend/ .`): their own .venv is what must stay out.
  const copied = [...new Set(model.instructions.flatMap((i) => contextSources(i)).map((p) => p.replace(/^(\.\/)+/, '').replace(/\/+$/, '')).filter((p) => p && !/[*?[$]/.test(p) && build.stat(p) === 'dir'))];
  // (A start-up script or command that asks git about the copied tree needs .git too: found by review.)
  const startupGit = () => model.instructions.some((i) => ['CMD', 'ENTRYPOINT'].includes(i.keyword) && readsGitTree(model.text.slice(i.start, i.end))) || startupScriptTexts(a, build, fs).some((t) => readsGitTree((t.text ?? '').replace(/^\s*#.*$/gm, '').replace(/\s#(\s.*)?$/gm, '')));
  // The context paths the COPYs name, but the whole context (`.`, `*`): what they copy must stay.
  // (A glob stands for the names it matches: `build/lib/*.pyc` as `build/lib/x.pyc`; found by review.)
  const named = [...new Set(model.instructions.flatMap((i) => contextSources(i)).map((p) => p.replace(/^(\.\/)+/, '').replace(/\/+$/, '')).filter((p) => p && p !== '.' && p !== '*' && !p.includes('$') && (/[*?[]/.test(p) || build.stat(p) !== undefined)).map((p) => p.replace(/\[[^\]]*\]|[*?]/g, 'x')))];
  const entries = missingEntries(build, buildReadsGit(model, fs, build) || startupGit() || versionFromGit(fs, build, manifests.filter((m) => m.endsWith('pyproject.toml')).map((m) => (m.includes('/') ? m.slice(0, m.lastIndexOf('/')) : ''))), copied, named);
  if (entries.length) files.set(ignorePath, extendDockerignore(originalIgnore, entries));
  // The rules' fixes for anything left: safe fixes (info and hints too, to the fixed point a
  // second Optimize would reach: the output is lean, and a lean file gets exactly this fix-all),
  // and for a warning whose only fix is not marked safe its preferred fix (COPY --chown for a
  // recursive chown …) as a user applying it would, when preferred.ts judges it sound. Each is
  // validated (the result parses and keeps its instructions) or refused and named.
  const polished = applySafeFixes({ file: input.file, text, fs, root: input.root, files, otherwise: preferredFix(build.target) });
  if (polished.fixed.size) notes.push(`applied ${fixedSummary(polished.fixed)}.`);
  // (Without the line numbers in its title: they are of the new text before the fix, which no one sees; found by review.)
  notes.push(...polished.preferred.map((p) => `applied the ${p.rule} fix: ${p.title.replace(/ \(lines? \d+(?:, \d+)*\)|,? (?:on|at) lines? \d+(?:(?:, | and )\d+)*/g, '')}.`));
  notes.push(...polished.rejected.map((r) => `a fix was not applied (its result was broken): ${r}`));
  text = polished.text;
  // SD405's fix made the owner before the environment's COPY (`make app before it`): the copy takes
  // the owner after all (found by review: the note said it was made after).
  if (deferredOwner) {
    const { name, venv } = deferredOwner;
    const copy = `COPY --from=${name} ${venv} ${venv}`;
    const at = text.indexOf(copy);
    const final = text.lastIndexOf('\nFROM ', at);
    const made = new RegExp(`\\b(useradd|adduser)\\b[^\\n]*\\b${escapeRegExp(deferredOwner.user)}\\b`).exec(text.slice(final, at));
    if (at >= 0 && made) {
      text = `${text.slice(0, at)}COPY --from=${name} --chown=${deferredOwner.owner} ${venv} ${venv}${text.slice(at + copy.length)}`;
      const n = notes.indexOf(deferredOwner.note);
      if (n >= 0) notes[n] = `the SD405 fix makes ${deferredOwner.user} before the environment's COPY, and the project's folder, where the old environment was, belonged to ${deferredOwner.owner}: the environment is copied with --chown=${deferredOwner.owner}.`;
    }
  }
  const newFindings = polished.findings;
  notes.push(...remaining(newFindings));

  const otherFiles = changedFiles(fs, polished.files, ignorePath, originalIgnore);
  const runtime = unique([...a.addedRuntime, ...runtimeTools]);
  const after = imageEstimate(base.finalImage.includes('$') ? resolvedFinal(model, base) : resolvedFinal(model, base), newFindings, runtime, base.os === 'debian');
  if (text === input.text) return leftAlone(['nothing to change.'], beforeEstimate, oldFindings);
  // Idempotence, checked: a second Optimize over the output (with its .dockerignore) must change
  // nothing. Where it would (a toolchain left in the final stage that the analysis did not see,
  // such as one brought in by `COPY --from=build / …`), the rewrite is not offered.
  if (!input.stabilityRun) {
    const again = optimize({ ...input, text, fs: new PatchedFileSystem(input.fs, polished.files), stabilityRun: true });
    if (again.changed) return leftAlone([`not rewritten: the rewrite would not be stable: optimizing it again would change it (${again.notes.find((n) => !n.startsWith('remaining ')) ?? again.notes[0] ?? 'no reason given'})`], beforeEstimate, oldFindings);
  }
  return { text, otherFiles, before: beforeEstimate, after, notes: unique(notes), changed: true, restructured: true };
}

/** Kept CMD/ENTRYPOINT/HEALTHCHECK/SHELL that run a packaging tool (`uv run`, `poetry run` …), which does not stay in the image. */
function toolsAtRunTime(a: Analysis, startup: ScriptRewrite): string[] {
  const out: string[] = [];
  for (const inst of a.chain.flatMap((s) => s.instructions)) {
    if (!['CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'SHELL'].includes(inst.keyword)) continue;
    const kept = startup.kept?.get(inst);
    if (kept) {
      out.push(kept);
      continue;
    }
    const rewritten = startup.replaced.get(inst);
    const words = (rewritten ? rewritten.split(/\s+/).slice(1) : inst.args.map((w) => w.getValue())).map((w) => w.replace(/^\[?\s*["']?|["']?\s*,?\s*\]?$/g, ''));
    // (Past the tool's own options, `uv --quiet run`: found by review.)
    // (And past the values of its options that take one, `uv --directory /app run`: found by review.)
    const sub = (i: number) => {
      for (let k = i + 1; k < words.length; k++) {
        if (!words[k].startsWith('-')) return words[k];
        if (/^(--directory|--project|--config-file|--cache-dir|--color|--python|-p|--allow-insecure-host)$/.test(words[k])) k++;
      }
      return '';
    };
    const m = words.findIndex((w, i) => /^(uvx|pipx|(.*\/)?(uv|poetry|pipenv|pdm|hatch))$/.test(w) && (w === 'uvx' || /^(run|exec|shell)$/.test(sub(i))));
    if (m >= 0) out.push(`the ${inst.keyword} at line ${inst.node.getRange().start.line + 1} runs \`${words[m]}${words[m] === 'uvx' ? '' : ` ${sub(m)}`}\`: that tool does not stay in the final image (run the command from the environment directly, then optimize).`);
  }
  return out;
}

/**
 * Kept instructions that name the old interpreter's site-packages (`curl -o
 * /usr/local/lib/python3.10/dist-packages/gradio/…`, `ENV PYTHONPATH=…/site-packages`): in the
 * virtual-environment layout the packages live in the venv, so that path no longer holds them.
 */
function sitePackagesKept(a: Analysis, venv: string): string[] {
  const out: string[] = [];
  for (const inst of a.chain.flatMap((s) => s.instructions)) {
    if (inst.keyword === 'FROM' || a.removed.has(inst)) continue;
    // A removal there (`rm -rf …/site-packages/pip`) does no harm where nothing is.
    // (And where a kept command writes through a redirection: `echo x > …/site-packages/flask/PATCHED`.)
    const redirected = inst.run ? [...keptText(a, inst).matchAll(/\d*>>?\|?[ \t]*(["']?)(\S*\/(site|dist)-packages\b[^\s"';&|]*)\1/g)].map((r) => r[2]).join('\n') : '';
    // (Nor a `chown -R app …/site-packages`: the environment is copied with that owner.)
    const text = inst.run ? [...keptCommands(inst, a.plans.get(inst)).filter((c) => c.name !== 'rm' && !recursiveChown(c)).map((c) => c.argv.map((w) => w.value).join(' ')), redirected].join('\n') : keptText(a, inst);
    const m = /\S*\/(site|dist)-packages\b\S*/.exec(text);
    if (m && !m[0].includes(venv)) out.push(`the ${inst.keyword} at line ${inst.node.getRange().start.line + 1} uses ${m[0]}: the packages move to ${venv}, so that path would no longer hold them.`);
  }
  return out;
}

/**
 * Why the installs compile at run time, or undefined: a package that builds its CUDA/C++ ops when
 * it runs (DeepSpeed, FlashInfer, NVIDIA apex: rules/os.ts jitPackage), a launcher that runs
 * DeepSpeed, or, on PyTorch's images, ninja among the build packages (what
 * torch.utils.cpp_extension builds with; elsewhere, as often a source build's tool).
 */
function compilesAtRunTime(a: Analysis, build: BuildContext, fs: FileSystem, pytorch: boolean): string | undefined {
  const how = 'compiles code at run time (its ops or kernels, with the C/C++ compiler, and nvcc for CUDA)';
  if (pytorch) {
    const ninja = a.buildPackages.find((p) => /^ninja(-build)?$/.test(p));
    if (ninja) return `the file installs ${ninja}, which torch.utils.cpp_extension compiles with at run time`;
    if (installedRequirementNames(a, build, fs).has('ninja')) return `ninja ${how}`;
  }
  // By name (`deepspeed==0.15`), through an extra (`transformers[deepspeed]`), a direct reference, a repository, a file.
  const texts = a.ops.flatMap((op) => [...op.args.map((w) => w.value), ...requirementFiles(a, op, build, fs).flatMap((f) => f.entries.map((e) => e.text))]);
  for (const t of texts) {
    const p = jitPackage(t);
    if (!p) continue;
    if (requirementName(t) === p) return `${p} ${how}`;
    return p === 'deepspeed' && t.includes('[') ? `${t.trim()} brings DeepSpeed, which ${how}` : `${t.trim()} installs ${p}, which ${how}`;
  }
  // C/C++ at run time, with the system compiler (PyStan, CmdStanPy, PyTensor: found by review).
  for (const t of texts) {
    const name = requirementName(t);
    if (name && CXX_AT_RUN_TIME[name]) return `${name} ${CXX_AT_RUN_TIME[name]}`;
  }
  const launcher = a.chain.flatMap((st) => st.instructions).find((i) => ['CMD', 'ENTRYPOINT'].includes(i.keyword) && /\bdeepspeed\b|--use_deepspeed\b/.test(a.model.text.slice(i.start, i.end)));
  return launcher && `the ${launcher.keyword} at line ${launcher.node.getRange().start.line + 1} runs DeepSpeed, which ${how}`;
}

/** Kept instructions of the final stage that call conda (activation, `conda run`): conda must stay. */
function condaAtRunTime(a: Analysis): string[] {
  const out: string[] = [];
  for (const inst of a.chain.flatMap((s) => s.instructions)) {
    if (inst.keyword === 'FROM' || a.removed.has(inst)) continue;
    const text = keptText(a, inst);
    if (inst.keyword !== 'ENV' && inst.keyword !== 'LABEL' && /\b(conda|mamba|micromamba)\b|\bactivate\b/.test(text)) out.push(`the ${inst.keyword} at line ${inst.node.getRange().start.line + 1} uses conda at run time: conda has to stay in the final image.`);
  }
  return out;
}

const NOT_ESTIMATED: Estimate = { bytes: null, basis: 'not estimated: the file was not rewritten.' };

/** The warnings and errors left, one note each. */
function remaining(findings: Finding[]): string[] {
  return findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => `remaining ${f.severity} ${f.rule} at line ${f.range.start.line + 1}: ${f.message}`);
}

/** Whole-file edits for the files whose content differs from what is on disk (`ignorePath` compared with the build context's `.dockerignore` text). */
function changedFiles(fs: FileSystem, files: ReadonlyMap<string, string>, ignorePath?: string, originalIgnore?: string): FileEdit[] {
  const out: FileEdit[] = [];
  for (const [file, content] of files) {
    const old = file === ignorePath ? originalIgnore : fs.readFile(file);
    if (old !== content) out.push(wholeFileEdit(file, old, content));
  }
  return out;
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

/** The distro Python packages (python3, python3.11-venv …) the chain installs with apt/apk. */
function installsPython(chain: StageModel[]): string[] {
  return chain.flatMap((s) => s.instructions.flatMap((i) => (i.run?.commands ?? []).flatMap((c) => {
    const call = packageCall(c);
    return call ? packageNames(call).names.filter((n) => /^python3(\.\d+)?(-[a-z]+)?$|^python-is-python3$|^python3\.\d+-(full|minimal|dev|venv)$/.test(n)) : [];
  })));
}

/** The final image name with ARG defaults substituted (for the estimate). */
function resolvedFinal(model: DockerfileModel, base: BaseInfo): string {
  let s = base.finalImage;
  for (const [k, v] of model.globalArgs) s = s.replace(new RegExp(`\\$\\{${k}\\}|\\$${k}\\b`, 'g'), v);
  return s;
}

function wholeFileEdit(file: string, old: string | undefined, content: string): FileEdit {
  if (old === undefined) return { file, create: true, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: content }] };
  const lines = old.split('\n');
  const end = { line: lines.length - 1, character: lines[lines.length - 1].length };
  const edit: TextEdit = content.startsWith(old) ? { range: { start: end, end }, newText: content.slice(old.length) } : { range: { start: { line: 0, character: 0 }, end }, newText: content };
  return { file, edits: [edit] };
}

export { osInstall };
export type { BuildContext };

/**
 * The owner the old file gave its installed packages after installing them as root: the
 * `--chown` of a COPY of its environment (the folder the rewrite's environment takes over) from
 * another stage, or a kept `chown -R` of the Python prefix the packages went to. Undefined when
 * there is none, or more than one, or the owner names a variable not declared before the installs
 * (the environment's COPY goes there).
 */
function environmentOwner(a: Analysis, base: BaseInfo, venv: string): { owner: string; why: string } | undefined {
  const found: { owner: string; why: string }[] = [];
  const python = base.python ? [`/usr/local/lib/python${base.python}`, `/usr/local/lib/python${base.python}/site-packages`] : [];
  const prefixes = new Set(['/usr/local', '/usr/local/lib', ...python]);
  const chain = a.chain.flatMap((st) => st.instructions);
  // The environment's COPY goes where the first install of the final stage's chain was, or where the
  // old COPY of a replaced stage's environment was: a variable in the owner must be declared before it.
  const at = a.insertBefore?.start ?? a.ops.find((o) => chain.includes(o.inst))?.inst.start ?? a.ops[0].inst.start;
  const declared = (owner: string) => [...owner.matchAll(/\$\{?(\w+)\}?/g)].every((m) => chain.some((i) => (i.keyword === 'ARG' || i.keyword === 'ENV') && i.start < at && declares(i, m[1])));
  for (const inst of chain) {
    const line = inst.node.getRange().start.line + 1;
    if (inst.keyword === 'COPY' && a.removed.has(inst) && inst.flags.has('from')) {
      const chown = inst.flags.get('chown')?.[0];
      const dest = resolvePath(inst.workdir, inst.args[inst.args.length - 1]?.getValue() ?? '');
      // (The environment, or the prefix or user base the old installs went to: `/install` → /usr/local, ~/.local.)
      const into = dest.replace(/\/+$/, '');
      if (chown && (into === venv || prefixes.has(into) || /\/\.local$/.test(into))) found.push({ owner: chown, why: `line ${line} copied the old environment with --chown=${chown}` });
    }
    if (inst.keyword !== 'RUN' || a.removed.has(inst) || inst.start < a.ops[0].inst.start) continue;
    for (const c of keptCommands(inst, a.plans.get(inst))) {
      const words = recursiveChown(c);
      if (!words) continue;
      if (words.slice(1).some((w) => prefixes.has(w.value.replace(/\/+$/, '')))) found.push({ owner: words[0].dynamic ? words[0].raw : words[0].value, why: `line ${line} hands ${words.slice(1).map((w) => w.value).join(' ')} to ${words[0].value} after the installs` });
    }
  }
  if (a.venvChown) found.push({ owner: a.venvChown.owner, why: `line ${a.venvChown.line} handed the old environment to ${a.venvChown.owner}` });
  return new Set(found.map((f) => f.owner)).size === 1 && declared(found[0].owner) ? found[0] : undefined;
}

/** `chown -R owner path…` (`--recursive`, `-hR` …): the owner word, then the paths; undefined for another command or a word slimdock cannot read. */
function recursiveChown(c: ShellCommand): Word[] | undefined {
  if (c.name !== 'chown' || !c.argv.some((w) => /^-[a-zA-Z]*R|^--recursive$/.test(w.value))) return undefined;
  const words = c.argv.slice(1).filter((w) => !w.value.startsWith('-'));
  if (words.length < 2 || words.some((w) => w.dynamic && !/^\$\{?\w+\}?(:\$\{?\w+\}?)?$/.test(w.raw))) return undefined;
  return words;
}

/** A TOML file of the project `op` installs (`pyproject.toml`, `uv.toml`), as the build context has it where the image reads it. */
function projectToml(a: Analysis, op: PyOp, name: string, build: BuildContext, fs: FileSystem): Toml | undefined {
  const text = contextFileText(resolvePath(projectDir(op), name), op.inst, a.chain.flatMap((st) => st.instructions), build, fs);
  return text === undefined ? undefined : tomlValues(text).value;
}

/**
 * The image runs a program of a package only the project's dev groups hold (`behave` in
 * `[dependency-groups] test`, `uvicorn --reload` in `dev`), which slimdock's list of dev tools does
 * not name (found by review): why, or undefined. The builder then keeps those groups.
 */
function devGroupRun(a: Analysis, build: BuildContext, fs: FileSystem, used: (name: string) => boolean): string | undefined {
  const op = a.ops.find((o) => o.kind === 'uv-sync');
  if (!op) return undefined;
  const toml = projectToml(a, op, 'pyproject.toml', build, fs);
  if (!toml) return undefined;
  const names = (v: unknown) => (Array.isArray(v) ? v : []).flatMap((x) => (typeof x === 'string' ? [requirementName(x)] : [])).filter((n): n is string => !!n).map(normalizeName);
  const runtime = new Set(names(tomlGet(toml, 'project', 'dependencies')));
  const groups = tomlGet(toml, 'dependency-groups');
  const candidates: [string, string][] = [
    ...Object.entries(groups && typeof groups === 'object' ? (groups as Record<string, unknown>) : {}).filter(([g]) => DEV_GROUPS.has(g.toLowerCase())).flatMap(([g, v]) => names(v).map((n): [string, string] => [n, g])),
    ...names(tomlGet(toml, 'tool', 'uv', 'dev-dependencies')).map((n): [string, string] => [n, 'dev']),
  ];
  // (Not a packaging tool a dev group holds, uv itself: the builder keeps that; found by review.)
  const hit = candidates.find(([n]) => !runtime.has(n) && !PACKAGING_TOOLS.has(n) && used(n));
  return hit && `the image runs ${hit[0]} (the project's ${hit[1]} group)`;
}

/**
 * The uv version the builder copies, given the project's `required-version` (`[tool.uv]` of
 * pyproject.toml, or uv.toml's): `configured` where it fits, else the version of the uv image the old
 * file copied where that fits, else a reason to refuse.
 */
function requiredUv(a: Analysis, build: BuildContext, fs: FileSystem, configured: string): string | { reason: string } {
  const op = a.ops.find((o) => o.kind === 'uv-sync') ?? a.ops.find((o) => o.kind === 'uv-pip');
  if (!op) return configured;
  const spec = tomlGet(projectToml(a, op, 'uv.toml', build, fs), 'required-version') ?? tomlGet(projectToml(a, op, 'pyproject.toml', build, fs), 'tool', 'uv', 'required-version');
  const range = typeof spec === 'string' ? parseVersionRange(spec) : undefined;
  if (!range) return configured;
  const fits = (v: string) => {
    const r = /^v?(\d+(?:\.\d+)*)$/.exec(v)?.[1]?.split('.').map(Number);
    if (!r) return false;
    if (range.lower && (compareRelease(r, range.lower.version) < 0 || (!range.lower.inclusive && compareRelease(r, range.lower.version) === 0))) return false;
    if (range.upper && (compareRelease(r, range.upper.version) > 0 || (!range.upper.inclusive && compareRelease(r, range.upper.version) === 0))) return false;
    return true;
  };
  if (fits(configured)) return configured;
  // (By `COPY --from=ghcr.io/astral-sh/uv:X`, or a stage `FROM ghcr.io/astral-sh/uv:X AS uvbin`: found by review.)
  const old = [...a.model.text.matchAll(/\bghcr\.io\/astral-sh\/uv:(\d[\w.]*)/g)].map((m) => m[1]).find((v) => fits(v));
  return old ?? { reason: `the project's required-version (${spec}) excludes uv ${configured}, the version slimdock's builder copies (setting slimdock.uvVersion), and the old file copies no uv that fits.` };
}

/** What continuumio's miniconda3/anaconda3 images install on debian-slim besides conda (ContinuumIO/docker-images, miniconda3/debian/Dockerfile): the libraries and certificates, not the version-control tools. */
const CONDA_IMAGE_PACKAGES = ['ca-certificates', 'libglib2.0-0', 'libsm6', 'libxext6', 'libxrender1'];
