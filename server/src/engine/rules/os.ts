// OS package rules (SD201–SD206): apt, apk, yum/dnf/microdnf/zypper and what they leave in the
// image. Commands are read through `sh -c`, heredocs, exec form and continuations (parse/shell);
// a stage matters only for the paths that reach the final image.
import type { DockerfileRule } from './rule';
import type { DockerfileContext } from '../context';
import type { DockerfileModel, InstructionModel, StageModel } from '../parse/dockerfile';
import { shipsPath, substitute, resolvePath, isUnder } from '../parse/dockerfile';
import { contextFileText, scriptOf } from '../optimize/context-map';
import { hasOption, mountCovers, removes, pipInstallArgs, requirementName } from './commands';
import { insertOptionAfter, insertAt, replaceSpan } from './edits';
import { runCommands, packageCall, packageNames, isSub, nameMatches, rootImage, instructionText, appendToRun, type PackageCall, type Manager } from './os-commands';
import { aptBasis, estimateFromSum } from '../estimates';
import { aptSetSize } from './os-sizes';
import type { Estimate, Fix, TextEdit } from '../types';
import { lineageHas, childStages, stagesOf, branchStages, laterOnStage } from './lineage';
import { runtimeOf } from '../optimize/runtime';
import { describeBase, releaseOf } from '../optimize/base';
import type { Word } from '../parse/shell';
import { readRequirementLines } from './context-files';
import { mayBuild } from './python-tools';
import { dropCommand } from './layers';
import { normalizeName } from '../python/requirement';

const APT_LISTS = '/var/lib/apt/lists';
/** Where installed packages live: a stage whose /usr/lib is not copied out ships none of them. */
const SYSTEM = '/usr/lib';

/**
 * `du -sb /var/lib/apt/lists` right after `apt-get update` with the sources of debian:bookworm-slim
 * (bookworm, bookworm-updates, bookworm-security; main) and its docker-gzip-indexes setting (the
 * indexes stay compressed), measured 2026-07-11. See estimates/README.md.
 */
const APT_LISTS_BYTES = 19_879_545;

/** A base that is not Debian (Ubuntu and CUDA images): the Debian figures do not apply. */
function debianBase(image: string): boolean {
  return !/(ubuntu|nvidia\/cuda|jammy|focal|noble|bionic|mcr\.microsoft\.com)/.test(image);
}

/** A full python or buildpack-deps base already ships gcc, make and the common -dev packages. */
function fullToolchainBase(image: string): boolean {
  return /^(docker\.io\/)?(library\/)?(python(:[0-9.]*(-(bookworm|bullseye|buster|trixie))?)?|buildpack-deps(:[a-z0-9.-]*)?)$/.test(image) && !/slim|alpine/.test(image);
}

/** Estimate for a set of apt packages from the Debian table. */
function aptEstimate(what: string, names: string[], recommends: boolean, basis: string, image: string): Estimate {
  if (!debianBase(image)) return { bytes: null, basis: `${what}: size unknown (the table is Debian bookworm's; this stage builds on ${image}).` };
  return estimateFromSum(what, aptSetSize(names, recommends), basis);
}

/**
 * Installed-Size leaves out what dpkg itself writes with a package (its database, alternatives, the
 * ld cache): the image-size lab measured +9 % over the table for build-essential + libpq-dev
 * (bench/lab/RESULTS.md).
 */
function withDpkgOverhead(e: Estimate): Estimate {
  return e.bytes === null ? e : { bytes: Math.round(e.bytes * 1.09), basis: `${e.basis} Plus 9 % for dpkg's own files (measured in the image-size lab).` };
}

/** Every package-manager call of the RUNs of stages whose `path` reaches the final image. */
function* managerCalls(ctx: DockerfileContext, path: string): Generator<{ inst: InstructionModel; call: PackageCall }> {
  for (const { inst, cmd } of runCommands(ctx)) {
    if (!shipsPath(inst.stage, path)) continue;
    const call = packageCall(cmd);
    if (call) yield { inst, call };
  }
}

/**
 * When the shell of a RUN did not parse cleanly (tree-sitter-bash reads `` `# comment` `` inside a
 * continuation as a comment to the end of the line), commands may be missing: a cleanup the
 * text mentions then counts, so that a parse problem never produces a false warning.
 */
function unparsedMention(ctx: DockerfileContext, inst: InstructionModel, re: RegExp): boolean {
  return !!inst.run?.hasError && re.test(instructionText(ctx.model, inst));
}

/** A later command of the RUN is a cleanup script of the image's own (`yum_clean_all`, `clean-layer.sh`): trusted. */
function cleanupScript(inst: InstructionModel, call: PackageCall): boolean {
  return later(inst, call).some((c) => /clean/i.test(c.name) && !packageCall(c));
}

/** Commands of the same RUN that run after `call`. */
function later(inst: InstructionModel, call: PackageCall) {
  return inst.run!.commands.filter((c) => c.index > call.cmd.index);
}

/**
 * The first apt install of each later RUN of this stage, or of a stage built on it, that has no
 * `apt-get update` before it in that RUN: it reads the lists `inst` left. A branch ends at a RUN
 * that updates the lists again or removes them (what follows relies on that RUN, not on `inst`), so
 * a chain of stages each with its own update is walked only to the next one. Undefined when none.
 */
function laterInstallsOnTheseLists(ctx: DockerfileContext, inst: InstructionModel): { inst: InstructionModel; cmd: PackageCall['cmd']; script?: boolean }[] | undefined {
  const children = childStages(ctx.model.stages);
  const out: { inst: InstructionModel; cmd: PackageCall['cmd']; script?: boolean }[] = [];
  /** Walks `stage` from `after` on; false when a RUN there takes over the lists (stop the branch). */
  const walk = (instructions: readonly InstructionModel[]): boolean => {
    for (const later of instructions) {
      if (!later.run) continue;
      let found = false;
      for (const c of later.run.commands) {
        if (removes(c, APT_LISTS, later)) return false;
        const call = packageCall(c);
        if (!call || call.manager !== 'apt') continue;
        if (isSub(call, 'update')) return false;
        if (!found && isSub(call, 'install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep', 'source')) {
          out.push({ inst: later, cmd: c });
          found = true;
        }
      }
      // A script it runs (`./install_nodejs.sh`) that installs without updating first, or that
      // slimdock cannot read from the build context, may rely on the lists too.
      for (const c of later.run.commands) {
        const script = scriptInstallsFromLists(ctx, later, c);
        if (script === 'updates') return false;
        if (script === 'installs') out.push({ inst: later, cmd: c, script: true });
      }
    }
    return true;
  };
  // Depth first over the stages built on this one (iterative: a chain may be thousands long).
  const todo: { stage: InstructionModel['stage']; from: number }[] = [{ stage: inst.stage, from: inst.stage.instructions.indexOf(inst) + 1 }];
  while (todo.length) {
    const { stage, from } = todo.pop()!;
    if (!walk(stage.instructions.slice(from))) continue;
    for (const child of children.get(stage) ?? []) todo.push({ stage: child, from: 1 });
  }
  return out.length ? out : undefined;
}

/**
 * What a script run by `cmd` does with the apt lists: `installs` without updating first (or it cannot
 * be read: assume so), `updates` first, or undefined (not a script, or no apt in it).
 */
function scriptInstallsFromLists(ctx: DockerfileContext, inst: InstructionModel, cmd: PackageCall['cmd']): 'installs' | 'updates' | undefined {
  const script = scriptOf(cmd);
  if (!script || !/\.(sh|bash)$|^\.\//.test(script.word)) return undefined;
  if (script.path.includes('$')) return 'installs';
  // The COPY that brought it, looked for in this stage (a lineage walk per command would make a long
  // chain of stages quadratic); one in a parent stage counts as unreadable.
  const text = contextFileText(resolvePath(inst.workdir, script.path), inst, inst.stage.instructions, ctx.build, ctx.fs);
  if (text === undefined) return 'installs';
  const body = text.replace(/^\s*#.*$/gm, '');
  const install = body.search(/\bapt(-get)?\s+(-\S+\s+)*(install|upgrade|dist-upgrade|full-upgrade)\b/);
  const update = body.search(/\bapt(-get)?\s+(-\S+\s+)*update\b/);
  if (install < 0) return update < 0 ? undefined : 'updates';
  return update >= 0 && update < install ? 'updates' : 'installs';
}

const SD201: DockerfileRule = {
  id: 'SD201',
  title: 'apt lists left in the layer',
  severity: 'warning',
  hadolint: ['DL3009'],
  docs: {
    summary: '`apt-get update` downloads the package lists to /var/lib/apt/lists; unless they are removed in the same RUN they ship in the image.',
    why: 'The lists of a bookworm base take ≈ 20 MB (measured), are only needed to install packages, and are stale the day after the build.',
  },
  check(ctx, report) {
    const reported = new Set<InstructionModel>();
    for (const { inst, call } of managerCalls(ctx, APT_LISTS)) {
      if (call.manager !== 'apt' || !isSub(call, 'update')) continue;
      if (mountCovers(inst, APT_LISTS)) continue;
      if (later(inst, call).some((c) => removes(c, APT_LISTS, inst))) continue;
      if (unparsedMention(ctx, inst, /\/var\/lib\/apt\/lists/) || cleanupScript(inst, call)) continue;
      if (reported.has(inst)) continue; // one finding per RUN
      reported.add(inst);
      const image = rootImage(inst.stage);
      // A later RUN that installs without its own `apt-get update` relies on these lists: removing
      // them would break it (`Unable to locate package`), so the fix updates them there first.
      const relying = laterInstallsOnTheseLists(ctx, inst);
      // A script that installs from them (or one slimdock cannot read) cannot take the update: no fix.
      const edit = relying && relying.some((c) => c.script || !c.inst.run || c.inst.run.execForm || c.inst.run.heredoc) ? undefined : appendToRun(ctx.model, inst, 'rm -rf /var/lib/apt/lists/*');
      // … and removes them there too, unless that RUN does already (else it would leave them).
      // A relying RUN that cannot take the removal (it ends in `&`, the shell cannot read it) would
      // keep the lists its new update fetched: no fix.
      let stuck = false;
      const updates = (relying ?? []).flatMap((c) => {
        const update = insertAt(ctx.model, c.cmd.start, `${c.cmd.argv[0].value} update && `);
        if (c.inst.run!.commands.some((x) => removes(x, APT_LISTS, c.inst))) return [update];
        const clean = appendToRun(ctx.model, c.inst, 'rm -rf /var/lib/apt/lists/*');
        if (!clean) stuck = true;
        return clean ? [update, clean] : [update];
      });
      const lines = [...new Set((relying ?? []).map((c) => ctx.model.positionAt(c.inst.start).line + 1))];
      report({
        range: ctx.model.rangeOf(call.cmd.start, call.sub!.end),
        message: 'apt-get update leaves its package lists (/var/lib/apt/lists) in this layer: remove them in the same RUN.',
        estimate: debianBase(image)
          ? { bytes: APT_LISTS_BYTES, basis: 'apt lists: du -sb /var/lib/apt/lists after apt-get update on debian:bookworm-slim (main of bookworm, -updates, -security; compressed indexes), measured 2026-07-11.' }
          : { bytes: null, basis: `apt lists: size unknown for ${image} (measured for Debian bookworm only).` },
        fixes: edit && !stuck ? [{ title: `Remove the apt lists in the same RUN${lines.length ? ` (and update them in the RUN${lines.length > 1 ? 's' : ''} on line ${lines.join(', ')} that install${lines.length > 1 ? '' : 's'} from them)` : ''}`, edits: [edit, ...updates], preferred: true, safe: true }] : [],
      });
    }
  },
};

const RECOMMENDS_OFF = /APT::Install-Recommends["'\s]*(=|\s)\s*["']?(0|false|no|off)\b/i;

/** An apt configuration that turns Recommends off, written earlier in this stage (or this RUN). */
function recommendsOffByConfig(ctx: DockerfileContext, inst: InstructionModel): boolean {
  const test = (i: InstructionModel) => (i.keyword === 'RUN' || i.keyword === 'COPY') && RECOMMENDS_OFF.test(instructionText(ctx.model, i));
  return lineageHas(inst.stage, inst.start, 'SD202 recommends off', test, true);
}

function recommendsOffByOption(call: PackageCall): boolean {
  if (hasOption(call.args, '--no-install-recommends')) return true;
  const o = [...(call.args.options.get('-o') ?? []), ...(call.args.options.get('--option') ?? [])];
  return o.some((w) => /^APT::Install-Recommends=(0|false|no|off)$/i.test(w.value));
}

/** https clients whose Recommends bring ca-certificates (minimal Ubuntu images have none). */
const HTTPS_CLIENTS = /^(curl|wget|git|git-lfs|libcurl\d*(-[a-z]+)?|python3(\.\d+)?|openssl|gnupg2?|apt-transport-https|aria2|subversion|mercurial)$/;
/** Text that reaches a host over SSH: what git's recommended ssh client is for. */
const USES_SSH = /\bssh-keyscan\b|type=ssh\b|\bgit@[\w.-]+:|\bssh:\/\/|\bGIT_SSH_COMMAND\b/;

/**
 * The stage of `inst`, or one built on it, reaches a host over SSH: its instructions (comments out),
 * keys copied into a `.ssh` folder, or a `git+ssh://` requirement in a file its installs read.
 */
function usesSsh(ctx: DockerfileContext, inst: InstructionModel): boolean {
  // (This stage and those it builds on, and the stages built on it: a later RUN of the final stage uses the git installed here.)
  const children = childStages(ctx.model.stages);
  const below = (st: StageModel): StageModel[] => [st, ...(children.get(st) ?? []).flatMap(below)];
  const stages = new Set([...stagesOf(inst.stage), ...below(inst.stage)]);
  for (const i of ctx.model.instructions) {
    if (!stages.has(i.stage)) continue;
    if (USES_SSH.test(ctx.model.text.slice(i.start, i.end).replace(/^\s*#.*$/gm, ''))) return true;
    if ((i.keyword === 'COPY' || i.keyword === 'ADD') && /(^|\/)\.ssh(\/|$)/.test(i.args[i.args.length - 1]?.getValue() ?? '')) return true;
    for (const c of i.run?.commands ?? []) {
      const args = pipInstallArgs(c);
      for (const f of args?.requirementFiles ?? []) if ((readRequirementLines(ctx, i, f.value) ?? []).some((l) => /git\+ssh:\/\/|\bgit@[\w.-]+:/.test(l))) return true;
    }
  }
  return false;
}
/** Packages whose Recommends are what later builds use: dropping them is not safe. */
const PIP_PACKAGE = /^python3?(\.\d+)?-pip$/;
const RISKY_RECOMMENDS: [RegExp, string[]][] = [
  [PIP_PACKAGE, ['build-essential', 'python3-dev']],
  [/^cmake$/, ['gcc', 'make']],
  [/^mpich$/, ['libmpich-dev']],
  // R's recommended packages (MASS, Matrix …: r-recommended), which R code and rpy2 load (found by review).
  [/^r-base-core$/, ['r-recommended']],
  // Not a build but the app's run time (found by review): ImageMagick reads PDF and PostScript through
  // ghostscript, SVG and other formats through its extra coders (imagemagick-6.q16's Recommends).
  [/^imagemagick(-6\.q16(hdri)?|-7\.q16)?$/, ['ghostscript', 'libmagickcore-6.q16-6-extra']],
  // …and the library itself, which Wand loads (python3-wand, libmagickwand bring it): ghostscript.
  [/^(libmagick(core|wand)(-6\.q16(hdri)?)?-(6|dev)|python3-wand)$/, ['ghostscript']],
];
/**
 * Releases whose python3-pip recommends (not depends on) python3-setuptools and python3-wheel:
 * without them pip there cannot build an sdist (`No module named 'setuptools'`).
 */
const OLD_PIP_RELEASES = new Set(['xenial', 'bionic', 'stretch', 'buster']);
const OLD_PIP_RECOMMENDS: [RegExp, string[]][] = [[PIP_PACKAGE, ['python3-setuptools', 'python3-wheel']]];
/** What a package brings as a dependency, for RISKY_RECOMMENDS (build-essential depends on gcc and make). */
const BRINGS: Record<string, string[]> = { 'build-essential': ['gcc', 'g++', 'make', 'libc6-dev', 'dpkg-dev'] };
/** Compilers that recommend libc6-dev (a compiler without it cannot build against libc)… */
const LIBC_DEV_RECOMMENDED = /^(gcc|cpp|clang|gfortran)(-\d+(\.\d+)?)?$/;
/** …and packages that bring it as a dependency, or it named itself. */
const LIBC_DEV_BROUGHT = /^(build-essential|g\+\+(-\d+(\.\d+)?)?|libc6-dev|libc-dev)$/;

/** True when `names` holds a compiler that recommends libc6-dev (SD203 then names the compiler, not libc6-dev beside it). */
function libcDevRecommended(names: string[]): boolean {
  return names.some((n) => LIBC_DEV_RECOMMENDED.test(n));
}

const SD202: DockerfileRule = {
  id: 'SD202',
  title: 'apt-get install without --no-install-recommends',
  severity: 'warning',
  hadolint: ['DL3015'],
  docs: {
    summary: '`apt-get install` also installs every recommended package unless told `--no-install-recommends`.',
    why: 'Recommends are optional extras (documentation tools, GUI helpers, compilers): for gcc they add ≈ 79 MB, for cmake ≈ 260 MB (Debian bookworm metadata).',
  },
  check(ctx, report) {
    for (const { inst, call } of managerCalls(ctx, SYSTEM)) {
      if (call.tool === 'aptitude' || call.manager !== 'apt' || !isSub(call, 'install')) continue;
      if (recommendsOffByOption(call) || recommendsOffByConfig(ctx, inst)) continue;
      const { names } = packageNames(call);
      const exec = call.cmd.via === 'exec';
      // Recommends later steps rely on: ca-certificates (https downloads) is installed by name. A
      // compiler's libc6-dev, mpich's libmpich-dev and apt pip's build-essential/python3-dev would be
      // lost with no telling what needs them: that fix is offered, neither safe nor preferred.
      // So is a compiler's libc6-dev (gcc cannot build against libc without it), unless g++ or
      // build-essential brings it as a dependency.
      // A compiler purged later in the RUN keeps the old terms (libc6-dev, installed by name, would
      // outlive it): it is dropped with the Recommends, not safe.
      const keep = names.some((n) => HTTPS_CLIENTS.test(n)) && !names.includes('ca-certificates') ? ['ca-certificates'] : [];
      const compiler = names.find((n) => LIBC_DEV_RECOMMENDED.test(n));
      const libcDevLost = compiler !== undefined && !names.some((n) => LIBC_DEV_BROUGHT.test(n));
      if (libcDevLost && !names.some((n) => LIBC_DEV_RECOMMENDED.test(n) && purged(inst, call, n))) keep.push('libc6-dev');
      // git's ssh client is a recommendation too: installed by name where the file reaches a host
      // over SSH (`ssh-keyscan`, an SSH mount, `git@host:`; found by review).
      if (names.some((n) => /^git(-lfs)?$/.test(n)) && !names.some((n) => /^(openssh-client|ssh-client)$/.test(n)) && usesSsh(ctx, inst)) keep.push('openssh-client');
      // Before the first package (an edit at the end of the list would meet SD201's at the end of the RUN).
      const first = call.args.packages[0];
      const edits = [insertOptionAfter(ctx.model, call.sub!, '--no-install-recommends', exec)];
      if (keep.length && first) edits.push(insertAt(ctx.model, first.start, keep.map((k) => (exec ? `"${k}", ` : `${k} `)).join('')));
      // Every recommendation a later build uses must be named (build-essential alone leaves python3-dev out).
      const oldPip = names.some((n) => PIP_PACKAGE.test(n)) && OLD_PIP_RELEASES.has(releaseOf(rootImage(inst.stage)));
      const risky = [...RISKY_RECOMMENDS, ...(oldPip ? OLD_PIP_RECOMMENDS : [])].map(([re, what]) => { const n = names.find((x) => re.test(x)); const lost = what.filter((w) => !names.includes(w) && !names.some((x) => BRINGS[x]?.includes(w))); return n && lost.length ? `${n}'s recommended ${lost.join(', ')}` : undefined; }).filter(Boolean);
      if (libcDevLost && !keep.includes('libc6-dev')) risky.push(`${compiler}'s recommended libc6-dev`);
      const title = `Add --no-install-recommends${keep.length ? ` (and install ${keep.join(' and ')}, which came as ${keep.length > 1 ? 'recommendations' : 'a recommendation'})` : ''}${risky.length ? `: ${risky.join('; ')} go too` : ''}`;
      report({
        range: ctx.model.rangeOf(call.cmd.start, call.sub!.end),
        message: `${call.tool} install without --no-install-recommends also installs the recommended packages.`,
        estimate: aptEstimate('recommended packages', names, true, `the extra installed size when Recommends are followed too; ${aptBasis()}`, rootImage(inst.stage)),
        fixes: keep.length && !first ? [] : [{ title, edits, preferred: !risky.length, safe: !risky.length }],
      });
    }
  },
};

/**
 * Build tools and headers: needed to compile wheels, dead weight at run time. Not binutils:
 * `ctypes.util.find_library` runs `objdump`/`ld` on musl and is a common run-time need. Not
 * Debian's `musl-dev`, installed to run musl-linked binaries on Debian (its libc.so).
 */
export function isToolchain(name: string, manager: Manager = 'apt'): boolean {
  const n = name.toLowerCase();
  if (n === 'musl-dev' && manager !== 'apk') return false;
  return (
    /-(dev|devel)$/.test(n) ||
    /^(gcc|g\+\+|gcc-c\+\+|cpp|clang|llvm|gfortran|cargo|rustc|rust)(-\d+(\.\d+)?)?$/.test(n) ||
    /^(build-essential|build-base|alpine-sdk|make|cmake|automake|autoconf|libtool|pkg-config|pkgconf|pkgconfig|ninja-build|ninja|meson|swig|bison|flex|dpkg-dev|linux-headers|kernel-headers|musl-dev)$/.test(n)
  );
}

/**
 * The CUDA compiler installed on purpose (`cuda-minimal-build-12-4`, `cuda-nvcc-12-1`,
 * `cuda-compiler-*`, the `cuda`/`cuda-12-4`/`cuda-toolkit-*` meta-packages, Debian's
 * `nvidia-cuda-toolkit`): an image that keeps nvcc compiles at run time (vLLM, FlashInfer,
 * DeepSpeed JIT their kernels), with the host compiler and ninja beside it.
 */
export function isCudaCompiler(name: string): boolean {
  return /^(cuda-(nvcc|minimal-build|toolkit|compiler)(-[\d.-]+)?|cuda(-\d+-\d+)?|nvidia-cuda-toolkit)$/.test(name.toLowerCase().replace(/[=:].*$/, ''));
}

/** The first RUN of `stages` that installs the CUDA compiler (isCudaCompiler), if any. */
export function cudaCompilerInstall(stages: readonly StageModel[]): InstructionModel | undefined {
  return stages.flatMap((s) => s.instructions).find((i) => i.run?.commands.some((c) => {
    const p = packageCall(c);
    return !!p && isSub(p, ...INSTALL_SUBS[p.manager]) && packageNames(p).names.some(isCudaCompiler);
  }));
}

/**
 * Packages that build their ops when they run: DeepSpeed (cpu_adam with g++, its CUDA ops with
 * nvcc, through ninja) and DeepSpeed-MII on it, FlashInfer's kernels, vLLM and SGLang (Triton's
 * launchers with the C compiler, FlashInfer's kernels), PyCUDA (SourceModule runs nvcc; found by
 * review). NVIDIA apex too, but only from its
 * repository or sources: PyPI's `apex` is another project.
 */
export const JIT_PACKAGES = new Set(['deepspeed', 'deepspeed-mii', 'flashinfer-python', 'flashinfer', 'vllm', 'sglang', 'pycuda']);

/**
 * Packages that compile C/C++ with the system compiler when they run (no CUDA): each Stan model
 * (PyStan 3 through httpstan; CmdStanPy with make and g++, CmdStan itself built by
 * `install_cmdstan()`), PyTensor's C implementations (PyMC on it; Theano and Aesara before it,
 * which fall back to Python, far slower, without g++). Found by review.
 */
export const CXX_AT_RUN_TIME: Readonly<Record<string, string>> = {
  pystan: 'builds each Stan model with the C++ compiler when it runs',
  httpstan: 'builds each Stan model with the C++ compiler when it runs',
  cmdstanpy: 'compiles Stan models (and CmdStan, with install_cmdstan) with make and g++',
  pytensor: 'compiles its C implementations with g++ when models run (without it, it falls back to Python, far slower)',
  pymc: 'runs on PyTensor, which compiles its C implementations with g++ when models run',
  pymc3: 'runs on Theano, which compiles its C implementations with g++ when models run',
  theano: 'compiles its C implementations with g++ when models run',
  'theano-pymc': 'compiles its C implementations with g++ when models run',
  aesara: 'compiles its C implementations with g++ when models run',
};

/**
 * The package of JIT_PACKAGES (or apex) a requirement word or line installs, or undefined: a name
 * (`deepspeed==0.15`), a direct reference (`deepspeed @ git+https://…`), an extra
 * (`transformers[deepspeed]`), a wheel or sdist file, a repository URL or a source folder
 * (`git+https://github.com/NVIDIA/apex`, `./DeepSpeed`). String scans only: a word may be a
 * megabyte long.
 */
export function jitPackage(value: string): string | undefined {
  const v = value.trim().toLowerCase();
  const open = v.indexOf('[');
  const close = open < 0 ? -1 : v.indexOf(']', open);
  if (close > 0 && v.slice(open + 1, close).split(',').some((e) => e.trim() === 'deepspeed')) return 'deepspeed';
  const at = /^([a-z0-9][a-z0-9._-]*)\s*@/.exec(v);
  if (at) return JIT_PACKAGES.has(normalizeName(at[1])) ? normalizeName(at[1]) : undefined;
  const source = v.includes('://') || v.startsWith('.') || v.startsWith('/') || /\.(whl|tar\.gz|zip)$/.test(v);
  if (!source) {
    const name = requirementName(v);
    return name && JIT_PACKAGES.has(name) ? name : undefined;
  }
  const egg = /#egg=([a-z0-9._-]+)/.exec(v)?.[1];
  // A repository archive (`https://github.com/NVIDIA/apex/archive/refs/heads/master.zip`): the repository's name.
  const archive = v.indexOf('/archive/');
  if (egg === undefined && archive > 0) {
    const repo = v.slice(v.lastIndexOf('/', archive - 1) + 1, archive);
    return JIT_PACKAGES.has(normalizeName(repo)) || normalizeName(repo) === 'apex' ? normalizeName(repo) : undefined;
  }
  const full = v.split(/[?#]/)[0];
  let end = full.length;
  while (end > 0 && full[end - 1] === '/') end--;
  const path = full.slice(0, end);
  const last = egg ?? path.slice(path.lastIndexOf('/') + 1).replace(/@[^@]*$/, '').replace(/\.git$/, '');
  // A file: its project name is what comes before the version (`flashinfer_python-0.2.2-…whl`).
  const name = normalizeName(/\.(whl|tar\.gz|zip)$/.test(last) ? last.split('-')[0] : last);
  return JIT_PACKAGES.has(name) || name === 'apex' ? name : undefined;
}

/**
 * The first RUN whose pip or uv install puts a package that compiles at run time (jitPackage: on
 * the command line or in a requirements file it names) into the final image, if any: a RUN of the
 * final stage's lineage, or of a stage the final image copies that install's environment from (a
 * conda or venv folder, site-packages, a prefix, or the folder the install ran in: uv's project
 * `.venv`). Not seen: a package installed from wheels another stage built (`/wheels/*.whl`).
 */
export function runtimeJitInstall(ctx: DockerfileContext): InstructionModel | undefined {
  if (!jitInstallOf.has(ctx)) jitInstallOf.set(ctx, findJitInstall(ctx));
  return jitInstallOf.get(ctx);
}

const jitInstallOf = new WeakMap<DockerfileContext, InstructionModel | undefined>();

function findJitInstall(ctx: DockerfileContext): InstructionModel | undefined {
  const shipsEnvironment = (i: InstructionModel) => i.stage.reachesFinal || i.stage.copiedPaths.some((p) => ENVIRONMENT_PATH.test(p) || isUnder(i.workdir, p));
  return ctx.model.instructions.find((i) => !!i.run && shipsEnvironment(i) && i.run.commands.some((c) => {
    const args = pipInstallArgs(c);
    if (!args) return false;
    const lines = [...args.packages, ...args.editables].map((w) => w.value);
    for (const f of args.requirementFiles) lines.push(...(readRequirementLines(ctx, i, f.value) ?? []));
    return lines.some((l) => jitPackage(l) !== undefined);
  }));
}

/** Where a stage copied into the final image keeps a Python environment (conda, a venv, site-packages, ~/.local, a prefix). */
const ENVIRONMENT_PATH = /conda|mamba|venv|site-packages|dist-packages|\/\.local\b|\/python\d|^\/usr(\/local)?\/?$|^\/usr\/local\/lib\/?$|^\/install\b/;

/** What JIT_PACKAGES compile with at run time: compilers, ninja, libc/Python/CUDA headers, libaio (DeepSpeed's async_io). */
const JIT_TOOLCHAIN = /^(libaio-dev|build-essential|build-base|gcc|g\+\+|gcc-c\+\+|cpp|clang|ninja|ninja-build|libc6?-dev|musl-dev|linux-headers|libstdc\+\+(-\d+)?-dev|(lib)?python3?(\.\d+)?-dev(el)?|cuda-\S+-dev|libcu\S+-dev|libnccl-dev|libcudnn\d*-dev)(-[\d.-]+)?$/;

/** How each manager removes packages again, and the fix's command for it. */
const PURGE: Record<Manager, { subs: string[]; fix: (pkgs: string) => string }> = {
  apt: { subs: ['purge', 'remove'], fix: (p) => `apt-get purge -y --auto-remove ${p}` },
  apk: { subs: ['del'], fix: (p) => `apk del ${p}` },
  rpm: { subs: ['remove', 'erase', 'autoremove'], fix: (p) => `dnf remove -y ${p}` },
  zypper: { subs: ['remove', 'rm'], fix: (p) => `zypper --non-interactive remove ${p}` },
};

/** True when a later command of the RUN removes `name` (installed by `call`). */
function purged(inst: InstructionModel, call: PackageCall, name: string): boolean {
  const group = call.manager === 'apk' ? (call.args.options.get('--virtual') ?? call.args.options.get('-t'))?.[0]?.value : undefined;
  const rest = later(inst, call);
  for (const c of rest) {
    if (c.name === 'dpkg' && call.manager === 'apt') {
      const i = c.argv.findIndex((w) => /^(-P|-r|--purge|--remove)$/.test(w.value));
      if (i > 0 && c.argv.slice(i + 1).some((w) => nameMatches(w.value, name))) return true;
      continue;
    }
    const p = packageCall(c);
    if (!p || p.manager !== call.manager) continue;
    // `apt-mark auto …` then `apt-get autoremove` / `purge --auto-remove`: the official python images' pattern.
    if (p.manager === 'apt' && (isSub(p, 'autoremove') || hasOption(p.args, '--auto-remove', '--autoremove'))) {
      if (rest.some((m) => m.name === 'apt-mark' && m.argv[1]?.value === 'auto' && m.index < c.index)) return true;
    }
    if (!isSub(p, ...PURGE[call.manager].subs)) continue;
    const { names, dynamic } = packageNames(p);
    if (dynamic) return true; // `apt-get purge $BUILD_DEPS`: cannot tell, assume it is the build packages
    if (names.some((n) => nameMatches(n, name) || (group !== undefined && n === group))) return true;
  }
  return false;
}

const INSTALL_SUBS: Record<Manager, string[]> = {
  apt: ['install'],
  apk: ['add'],
  rpm: ['install', 'groupinstall', 'localinstall', 'group install', 'module install'],
  zypper: ['install', 'in'],
};

const SD203: DockerfileRule = {
  id: 'SD203',
  title: 'Build toolchain in the final image',
  severity: 'warning',
  docs: {
    summary: 'Compilers, build tools and `-dev` headers installed in a stage that reaches the final image, and not purged in the same RUN.',
    why: 'A toolchain is only needed to compile wheels: `build-essential` alone adds ≈ 264 MB to python:3.x-slim, `gcc` ≈ 179 MB (Debian bookworm metadata). Multi-stage builds typically halve an image (a Flask app: 523 MB → 273 MB).',
  },
  check(ctx, report) {
    const byInst = new Map<InstructionModel, { calls: PackageCall[]; names: Map<Manager, string[]> }>();
    for (const { inst, call } of managerCalls(ctx, SYSTEM)) {
      if (!isSub(call, ...INSTALL_SUBS[call.manager])) continue;
      // `apt-get install --only-upgrade …` upgrades what is already there: it installs nothing new.
      if (hasOption(call.args, '--only-upgrade')) continue;
      if (unparsedMention(ctx, inst, /\b(purge|remove|autoremove|del|erase)\b/)) continue;
      const left = packageNames(call).names.filter((n) => isToolchain(n, call.manager) && !purged(inst, call, n));
      if (!left.length) continue;
      const entry = byInst.get(inst) ?? { calls: [] as PackageCall[], names: new Map<Manager, string[]>() };
      entry.calls.push(call);
      entry.names.set(call.manager, [...new Set([...(entry.names.get(call.manager) ?? []), ...left])]);
      byInst.set(inst, entry);
    }
    // A final image that installs the CUDA compiler on purpose compiles at run time (vLLM,
    // FlashInfer, DeepSpeed JIT their kernels), and so does one with DeepSpeed, FlashInfer or apex
    // (DeepSpeed's cpu_adam builds with g++ on any base): its host compiler, ninja and headers are
    // run-time dependencies there, not leftovers of a build. (Looked for only when there is a toolchain.)
    if (byInst.size) {
      const shipped = ctx.model.finalStage ? stagesOf(ctx.model.finalStage) : [];
      if (cudaCompilerInstall(shipped)) {
        for (const inst of [...byInst.keys()]) if (shipped.includes(inst.stage)) byInst.delete(inst);
      } else if (runtimeJitInstall(ctx)) {
        // The JIT packages compile with a C/C++ compiler, ninja and Python's (and CUDA's) headers:
        // those stay; Rust, other -dev libraries and build systems are still leftovers.
        for (const [inst, entry] of byInst) {
          if (!shipped.includes(inst.stage)) continue;
          for (const [m, pkgs] of entry.names) entry.names.set(m, pkgs.filter((n) => !JIT_TOOLCHAIN.test(n)));
          if ([...entry.names.values()].every((p) => !p.length)) byInst.delete(inst);
        }
      }
    }
    for (const [inst, { calls, names }] of byInst) {
      const all = [...names.values()].flat();
      const image = rootImage(inst.stage);
      const apt = names.get('apt') ?? [];
      let estimate: Estimate;
      if (fullToolchainBase(image)) estimate = { bytes: null, basis: `build toolchain: ${image} already ships gcc, make and common headers, so this install adds little; the slim base would not have them.` };
      else if (apt.length && apt.length === all.length) estimate = withDpkgOverhead(aptEstimate('build toolchain', apt, false, aptBasis(), image));
      else estimate = { bytes: null, basis: 'build toolchain: size unknown (the size table covers Debian packages only).' };
      const purge = [...names].map(([m, pkgs]) => PURGE[m].fix(pkgs.join(' '))).join(' && ');
      const edit = appendToRun(ctx.model, inst, purge);
      const fixes: Fix[] = edit ? [{ title: `Purge ${all.join(' ')} at the end of this RUN`, edits: [edit], safe: false }] : [];
      // Stages built on this one that do not ship (a `FROM base AS deps` builder) inherit the
      // toolchain: it moves to them rather than going. Neither fix when a later command here or
      // in the shipped stages names what goes (`update-alternatives … /usr/bin/gcc-12`, `ENV CC=gcc`).
      const branches = branchStages(ctx.model, inst.stage);
      const plan = runtimeInsteadPlan(ctx, inst, calls, names);
      const instead = plan && !usedLater(ctx.model, inst, calls, all) ? plan : undefined;
      const fix = instead && (branches.length ? moveToBranchesFix(ctx, inst, calls, instead, branches) : runtimeInsteadFix(instead, buildsAfter(ctx.model, inst, calls)));
      if (fix) fixes.unshift(fix);
      const first = calls[0];
      report({
        range: ctx.model.rangeOf(first.cmd.start, first.sub!.end),
        // libc6-dev beside a compiler is the compiler's (its Recommends; SD202's fix names it): not listed apart.
        message: `Build toolchain left in the final image: ${(libcDevRecommended(all) ? all.filter((n) => n !== 'libc6-dev') : all).join(', ')}. Build in a separate stage, or purge it in the same RUN.`,
        estimate,
        fixes,
      });
    }
  },
};

/** The edits that install the run-time libraries instead of the toolchain, and what they drop. */
interface RuntimeInstead {
  edits: TextEdit[];
  /** Run-time libraries added to the install. */
  added: string[];
  /** Toolchain package names taken out of the install. */
  dropped: string[];
  /** The words taken out, as written (quotes and versions kept), per package manager. */
  moved: Map<Manager, string[]>;
}

/**
 * Install the run-time libraries instead of the toolchain (`libpq-dev` → `libpq5`, compilers
 * dropped): for a stage where nothing is built after the install. Not marked safe: slimdock cannot
 * see every build (a script, a package compiled at start-up); Optimize applies it only when nothing
 * after it in the image builds (optimize/preferred.ts). Not offered when a package has no known
 * run-time counterpart (dropping it could remove a library the app loads), when nothing would be
 * left to install, or when a comment sits between the words (it would be lost).
 */
function runtimeInsteadPlan(ctx: DockerfileContext, inst: InstructionModel, calls: PackageCall[], names: Map<Manager, string[]>): RuntimeInstead | undefined {
  if (!inst.run || inst.run.execForm || inst.run.heredoc) return undefined;
  const base = describeBase(rootImage(inst.stage), rootImage(inst.stage), []);
  // Without a known distro only the entries that hold for every release are used.
  const codename = 'reason' in base ? '\u0000' : base.codename;
  const text = ctx.model.text;
  const present = new Set(calls.flatMap((c) => packageNames(c).names));
  const edits = [];
  const added: string[] = [];
  const dropped: string[] = [];
  const moved = new Map<Manager, string[]>();
  for (const call of calls) {
    if (call.manager !== 'apt' && call.manager !== 'apk') return undefined;
    const toolchain = new Set(names.get(call.manager) ?? []);
    let kept = 0;
    for (const w of call.args.packages) {
      const name = (w.dynamic ? substitute(w.value, call.cmd.vars) : w.value).replace(/[=:~<>].*$/, '');
      // `g++-${GCC}`: a toolchain word whose text is not just its name cannot be rewritten here.
      if (w.dynamic && toolchain.has(name)) return undefined;
      if (w.dynamic || !toolchain.has(name)) {
        kept++;
        continue;
      }
      const rt = runtimeOf(name, call.manager, codename);
      if (!rt.known) return undefined;
      const fresh = rt.packages.filter((p) => !present.has(p) && !added.includes(p));
      dropped.push(name);
      moved.set(call.manager, [...(moved.get(call.manager) ?? []), text.slice(w.start, w.end)]);
      if (fresh.length) {
        edits.push(replaceSpan(ctx.model, w.start, w.end, fresh.join(' ')));
        added.push(...fresh);
        kept++;
        continue;
      }
      const before: Word | undefined = call.cmd.argv.filter((x) => x.end <= w.start).pop();
      const start = before ? before.end : w.start;
      if (text.slice(start, w.start).includes('#')) return undefined;
      edits.push(replaceSpan(ctx.model, start, w.end, ''));
    }
    if (kept === 0) return undefined;
  }
  return dropped.length ? { edits, added, dropped, moved } : undefined;
}

/** Programs a toolchain package brings besides its own name. */
const PROGRAMS = new Map<string, string[]>([
  ['build-essential', ['gcc', 'g++', 'cc', 'c++', 'cpp', 'make']],
  ['build-base', ['gcc', 'g++', 'cc', 'c++', 'cpp', 'make']],
  ['alpine-sdk', ['gcc', 'g++', 'cc', 'c++', 'make']],
  ['gcc', ['cc']],
  ['g++', ['c++']],
  ['gcc-c++', ['c++', 'g++']],
  ['clang', ['cc', 'c++', 'clang++']],
  ['ninja-build', ['ninja']],
  ['rust', ['rustc', 'cargo']],
]);

/** A word as usedLater compares it: lower case, a trailing version dropped (`gcc-12` → `gcc`). */
function bareWord(word: string): string {
  const t = word.toLowerCase();
  const dash = t.lastIndexOf('-');
  return dash > 0 && /^\d[\w.]*$/.test(t.slice(dash + 1)) ? t.slice(0, dash) : t;
}

/** The words of a text, split where the shell or a path separates them (`/usr/bin/gcc-12`, `CC=gcc`, `$(which cc)`). */
function wordsOf(text: string): string[] {
  return text.split(/[\s/="'$(){}`|&;<>,:]+/).filter(Boolean).map(bareWord);
}

const wordIndexOf = new WeakMap<DockerfileModel, { lower: string; found: Map<string, InstructionModel[]> }>();

/**
 * The instructions whose words (wordsOf) include `word`, once per model and word: a substring test
 * on the file's lower-cased text first, the words only of the instructions that pass it.
 */
function instructionsNaming(model: DockerfileModel, word: string): InstructionModel[] {
  let index = wordIndexOf.get(model);
  if (!index) wordIndexOf.set(model, (index = { lower: model.text.toLowerCase(), found: new Map() }));
  const { lower } = index;
  let found = index.found.get(word);
  if (!found) {
    // (Lower-casing can change a text's length, `İ` → `i̇`: then each instruction's own.)
    const aligned = lower.length === model.text.length;
    found = model.instructions.filter((i) => {
      const text = model.text.slice(i.start, i.end);
      return (aligned ? lower.slice(i.start, i.end) : text.toLowerCase()).includes(word) && wordsOf(text).includes(word);
    });
    index.found.set(word, found);
  }
  return found;
}

/**
 * True when something after the install, in its RUN or in the stages the toolchain stays in (the
 * shipped ones built on this stage: shippedOnStage), names a package of `names` or a program it
 * brings (`gcc`, `gcc-12`, `/usr/bin/cc`, `ENV CC=gcc`): taking the package away breaks it. Linear:
 * each word is looked up once per file (instructionsNaming).
 */
function usedLater(model: DockerfileModel, inst: InstructionModel, calls: PackageCall[], names: string[]): boolean {
  const words = new Set<string>();
  for (const n of names) {
    const base = bareWord(n);
    words.add(base);
    for (const p of PROGRAMS.get(base) ?? []) words.add(p);
  }
  const after = Math.max(...calls.map((c) => c.cmd.end));
  if (wordsOf(model.text.slice(after, inst.end)).some((w) => words.has(w))) return true;
  return [...words].some((w) => instructionsNaming(model, w).some((i) => laterOnStage(model, inst, i)));
}

/**
 * Install the run-time libraries instead: the preferred fix only where nothing after the install
 * (in its RUN, or later in the stages the toolchain stays in) may build with it; there it is still
 * offered, saying so (found by review: `Install libpq5 instead of gcc libpq-dev` before a pip
 * install of psycopg2, which then had no compiler).
 */
function runtimeInsteadFix({ edits, added, dropped }: RuntimeInstead, later: InstructionModel | undefined): Fix {
  const title = added.length ? `Install ${added.join(' ')} instead of ${dropped.join(' ')}` : later ? `Drop ${dropped.join(' ')}` : `Drop ${dropped.join(' ')} (nothing here is built)`;
  const caveat = later ? ` (line ${later.node.getRange().start.line + 1} may build with them)` : '';
  return { title: `${title}: the run-time libraries without the toolchain${caveat}`, edits, preferred: !later, safe: false };
}

/** The first instruction after the install, from its own RUN on, that may build (mayBuild): in its RUN after it, or later in the stages on this one. */
function buildsAfter(model: DockerfileModel, inst: InstructionModel, calls: PackageCall[]): InstructionModel | undefined {
  const after = Math.max(...calls.map((c) => c.cmd.end));
  if (inst.run?.commands.some((c) => c.start >= after && mayBuild(c))) return inst;
  return model.instructions.find((i) => i.run && laterOnStage(model, inst, i) && (i.run.hasError || i.run.commands.some(mayBuild)));
}

/** Install options the moved install may leave behind: they only quiet it or keep it small. */
const PLAIN_OPTIONS: Record<'apt' | 'apk', RegExp> = {
  apt: /^(-[yq]+|--yes|--assume-yes|--quiet|--no-install-recommends|--no-install-suggests|--fix-missing)$/,
  apk: /^(--no-cache|--update|-U|--quiet|-q|--no-progress|--virtual|-t)$/,
};

/**
 * True when the toolchain of `inst` can be installed again, word for word, in a fresh RUN elsewhere:
 * the install is its package names and nothing more. Not with options beyond the plain ones
 * (`-t bookworm-backports`, `--repository`, `-o Acquire::…`), a wrapper or prefix (`sudo`), a shell
 * string (`sh -c "…"`), a mount (a secret for a private repository), sources changed in the RUN (a
 * repository added and removed again), a pinned version (its run-time library, unpinned here, could
 * be newer), or two package managers (`apk add … || apt-get install …`).
 */
function repeatable(ctx: DockerfileContext, inst: InstructionModel, calls: PackageCall[], plan: RuntimeInstead): boolean {
  for (const call of calls) {
    if (call.cmd.via !== 'shell') return false;
    const prefix = ctx.model.text.slice(call.cmd.start, call.cmd.argv[0]?.start ?? call.cmd.start);
    if (!/^(\s*DEBIAN_FRONTEND=\S+\s+)*$/.test(prefix)) return false;
    const plain = PLAIN_OPTIONS[call.manager as 'apt' | 'apk'];
    // `-o APT::Install-Recommends=false` is read by recommendsOffByOption: the moved install says --no-install-recommends.
    const recommends = (o: string) => (o === '-o' || o === '--option') && call.args.options.get(o)!.every((w) => /^APT::Install-(Recommends|Suggests)=/i.test(w.value));
    if ([...call.args.options.keys()].some((o) => !plain.test(o) && !(call.manager === 'apt' && recommends(o)))) return false;
  }
  if (inst.run!.mounts.some((m) => m.type !== 'cache') || inst.flags.has('network') || inst.flags.has('security')) return false;
  if (/\/etc\/(apt|apk)\b|add-apt-repository|apt-key|sources\.list/.test(instructionText(ctx.model, inst))) return false;
  return plan.moved.size === 1 && ![...plan.moved.values()].flat().some((w) => /[=<>~]/.test(w));
}

/**
 * The run-time libraries here, and the toolchain installed first thing in each stage built on this
 * one that does not ship (`FROM base AS deps`), which inherited it: what those stages build is built
 * as before. Not offered when such a stage starts as a non-root user (apt would fail) or under a
 * SHELL that is not a POSIX shell, nor when the install cannot be repeated word for word
 * (repeatable). Guarded like the run-time fix (optimize/preferred.ts), over the shipped stages only.
 */
function moveToBranchesFix(ctx: DockerfileContext, inst: InstructionModel, calls: PackageCall[], plan: RuntimeInstead, branches: StageModel[]): Fix | undefined {
  if (!repeatable(ctx, inst, calls, plan)) return undefined;
  // A branch whose system folders the final image copies would bring the toolchain back.
  if (branches.some((b) => shipsPath(b, '/usr/bin'))) return undefined;
  const installs: string[] = [];
  for (const [manager, words] of plan.moved) {
    const list = words.join(' ');
    // Recommends as the old install had them: a compiler without them may lack libc6-dev. No
    // prompt (tzdata): a stage-local ARG DEBIAN_FRONTEND of the base does not reach the branch.
    if (manager === 'apt') {
      const off = calls.filter((c) => c.manager === 'apt').every(recommendsOffByOption);
      installs.push(`apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y${off ? ' --no-install-recommends' : ''} ${list} && rm -rf /var/lib/apt/lists/*`);
    } else installs.push(`apk add --no-cache ${list}`);
  }
  // One RUN per stage: fixes/validate.ts allows that many more RUNs for this title.
  if (branches.length > 8) return undefined;
  const edits = [...plan.edits];
  for (const b of branches) {
    const from = b.instructions[0];
    if (!/^(root|0)$/.test(from.user) || !posixShell(ctx.model, b.parent!)) return undefined;
    edits.push(insertAt(ctx.model, from.end, `\nRUN ${installs.join(' && ')}`));
  }
  const where = branches.map((b) => b.name ?? `stage ${b.index}`).join(', ');
  const here = plan.added.length ? `Install ${plan.added.join(' ')} here and move` : 'Move';
  return { title: `${here} ${plan.dropped.join(' ')} to the stage${branches.length > 1 ? 's' : ''} built on it (${where}): the toolchain only where it builds`, edits, preferred: true, safe: false };
}

/** True when the RUNs of a stage built on `stage` run in sh or bash (no SHELL, or a POSIX one). */
function posixShell(model: DockerfileModel, stage: StageModel): boolean {
  const shell = stagesOf(stage).flatMap((s) => s.instructions).filter((i) => i.keyword === 'SHELL').pop();
  if (!shell) return true;
  const program = /^\s*\[\s*"([^"]+)"/.exec(instructionText(model, shell).replace(/^\s*SHELL\s+/i, ''))?.[1] ?? '';
  return /(^|\/)(sh|bash|dash|ash|zsh)$/.test(program);
}

const SD204: DockerfileRule = {
  id: 'SD204',
  title: 'apk add without --no-cache',
  severity: 'warning',
  hadolint: ['DL3019'],
  docs: {
    summary: '`apk add` without `--no-cache` keeps the package index (and with a cache configured, the packages) under /var/cache/apk.',
    why: 'The index is only needed while installing; `--no-cache` fetches it to a temporary place and leaves nothing behind.',
  },
  check(ctx, report) {
    const calls = [...managerCalls(ctx, '/var/cache/apk')].filter(({ call }) => call.manager === 'apk');
    const kept = ({ inst, call }: (typeof calls)[number]) =>
      mountCovers(inst, '/var/cache/apk') || mountCovers(inst, '/etc/apk/cache') || later(inst, call).some((c) => removes(c, '/var/cache/apk', inst)) || unparsedMention(ctx, inst, /\/var\/cache\/apk/);
    for (const entry of calls) {
      const { call } = entry;
      if (!isSub(call, 'add') || hasOption(call.args, '--no-cache') || kept(entry)) continue;
      const edits = [insertOptionAfter(ctx.model, call.sub!, '--no-cache', call.cmd.via === 'exec')];
      // An `apk update` before it in the RUN, whose index --no-cache leaves behind, goes too (the adds fetch it themselves).
      const update = updateBefore(ctx, calls, entry);
      if (update) edits.push(update);
      report({
        range: ctx.model.rangeOf(call.cmd.start, call.sub!.end),
        message: 'apk add without --no-cache leaves the package index in /var/cache/apk.',
        estimate: APK_CACHE_ESTIMATE,
        fixes: [{ title: update ? `Add --no-cache (and ${update.newText ? 'remove the index the apk update before it fetched' : 'drop the apk update before it: --no-cache fetches the index itself'})` : 'Add --no-cache', edits, preferred: true, safe: true }],
      });
    }
    // `apk update && apk add --no-cache …`: the update's index stays in /var/cache/apk (found by review).
    for (const entry of calls) {
      const { inst, call } = entry;
      if (!isSub(call, 'update') || kept(entry)) continue;
      const adds = calls.filter((c) => c.inst === inst && c.call.cmd.start > call.cmd.end && isSub(c.call, 'add', 'upgrade'));
      // (An add without --no-cache has its own finding, whose fix drops this update. One in a later
      // RUN reads the index this update fetched: then it is no leftover; found by review.)
      if (adds.some((c) => !hasOption(c.call.args, '--no-cache'))) continue;
      if (calls.some((c) => c.inst !== inst && c.inst.start > inst.start && stagesOf(c.inst.stage).includes(inst.stage) && isSub(c.call, 'add', 'upgrade') && !hasOption(c.call.args, '--no-cache'))) continue;
      const edit = withoutUpdateIndex(ctx, inst, call, adds.length > 0);
      report({
        range: ctx.model.rangeOf(call.cmd.start, call.sub!.end),
        message: 'apk update leaves the package index in /var/cache/apk (`apk add --no-cache` fetches it itself).',
        estimate: APK_CACHE_ESTIMATE,
        fixes: edit ? [{ title: edit.newText ? 'Remove /var/cache/apk/* at the end of this RUN' : 'Drop the apk update (the --no-cache installs fetch the index themselves)', edits: [edit], preferred: true, safe: true }] : [],
      });
    }
  },
};

/**
 * The edit that drops an `apk update` before `entry`'s add in its RUN, when every apk add or upgrade
 * after that update in the RUN has --no-cache or is `entry` (whose fix adds it).
 */
function updateBefore(ctx: DockerfileContext, calls: { inst: InstructionModel; call: PackageCall }[], entry: { inst: InstructionModel; call: PackageCall }): TextEdit | undefined {
  const { inst, call } = entry;
  const update = calls.find((c) => c.inst === inst && c.call.cmd.end <= call.cmd.start && isSub(c.call, 'update'));
  if (!update) return undefined;
  const rest = calls.filter((c) => c.inst === inst && c.call.cmd.start > update.call.cmd.end && isSub(c.call, 'add', 'upgrade'));
  if (!rest.every((c) => c === entry || hasOption(c.call.args, '--no-cache'))) return undefined;
  return withoutUpdateIndex(ctx, inst, update.call, true);
}

/**
 * The edit that leaves no index of `update` in the layer: the update dropped (`drop`: installs after
 * it fetch the index themselves), or, where it cannot go (a heredoc, a loop, exec form), the index
 * removed at the end of the RUN.
 */
function withoutUpdateIndex(ctx: DockerfileContext, inst: InstructionModel, update: PackageCall, drop: boolean): TextEdit | undefined {
  return (drop && !inst.run!.heredoc ? dropCommand(ctx.model, inst, update.cmd) : undefined) ?? appendToRun(ctx.model, inst, 'rm -rf /var/cache/apk/*');
}

const APK_CACHE_ESTIMATE: Estimate = { bytes: null, basis: 'apk cache: size unknown (the APKINDEX files of the configured repositories; slimdock has no measured figure).' };

const RPM_CACHES = ['/var/cache/dnf', '/var/cache/yum', '/var/cache/libdnf5'];
const RPM_WRITES = ['install', 'groupinstall', 'localinstall', 'reinstall', 'update', 'upgrade', 'group install', 'module install', 'makecache', 'distro-sync'];
const ZYPPER_WRITES = ['install', 'in', 'update', 'up', 'dist-upgrade', 'dup', 'patch'];

function cleansCache(inst: InstructionModel, call: PackageCall): boolean {
  const dirs = call.manager === 'zypper' ? ['/var/cache/zypp'] : RPM_CACHES;
  if (dirs.some((d) => mountCovers(inst, d))) return true;
  return later(inst, call).some((c) => {
    if (dirs.some((d) => removes(c, d, inst))) return true;
    const p = packageCall(c);
    if (!p || p.manager !== call.manager) return false;
    if (p.manager === 'zypper') return isSub(p, 'clean', 'cc');
    return isSub(p, 'clean') && p.args.packages.some((w) => w.value === 'all');
  });
}

const SD205: DockerfileRule = {
  id: 'SD205',
  title: 'yum/dnf/microdnf/zypper cache left in the layer',
  severity: 'warning',
  hadolint: ['DL3032', 'DL3040', 'DL3036'],
  docs: {
    summary: 'yum, dnf, microdnf and zypper keep repository metadata (and sometimes packages) in /var/cache unless cleaned in the same RUN.',
    why: 'The metadata is only needed while installing; a later `clean` hides it but does not remove it from the layer.',
  },
  check(ctx, report) {
    const reported = new Set<InstructionModel>();
    for (const { inst, call } of managerCalls(ctx, SYSTEM)) {
      if (call.manager === 'rpm' ? !isSub(call, ...RPM_WRITES) : call.manager !== 'zypper' || !isSub(call, ...ZYPPER_WRITES)) continue;
      if (!RPM_CACHES.concat('/var/cache/zypp').some((d) => shipsPath(inst.stage, d))) continue;
      if (cleansCache(inst, call) || cleanupScript(inst, call) || unparsedMention(ctx, inst, /\bclean\b|\bcc\b|\/var\/cache\/(dnf|yum|zypp)/)) continue;
      if (reported.has(inst)) continue; // one finding per RUN: one clean at its end serves every call
      reported.add(inst);
      const clean = call.manager === 'zypper' ? 'zypper clean --all' : `${call.tool} clean all`;
      const edit = appendToRun(ctx.model, inst, clean);
      report({
        range: ctx.model.rangeOf(call.cmd.start, call.sub!.end),
        message: `${call.tool} ${call.sub!.value} without \`${clean}\` in the same RUN leaves its cache in this layer.`,
        estimate: { bytes: null, basis: `${call.tool} cache: size unknown (repository metadata of the configured repositories; slimdock has no measured figure).` },
        fixes: edit ? [{ title: `Add ${clean} in the same RUN`, edits: [edit], preferred: true, safe: true }] : [],
      });
    }
  },
};

const SD206: DockerfileRule = {
  id: 'SD206',
  title: 'apt-get upgrade in the image',
  severity: 'info',
  hadolint: ['DL3005'],
  docs: {
    summary: '`apt-get upgrade`/`dist-upgrade`/`full-upgrade` rewrites packages of the base image in a new layer.',
    why: 'Every upgraded file ships twice (old copy in the base layer, new copy in this one) and the build stops being reproducible; a newer base image tag gets the same fixes without the duplicate.',
  },
  check(ctx, report) {
    for (const { call } of managerCalls(ctx, SYSTEM)) {
      if (call.manager !== 'apt' || !isSub(call, 'upgrade', 'dist-upgrade', 'full-upgrade', 'safe-upgrade')) continue;
      report({
        range: ctx.model.rangeOf(call.cmd.start, call.sub!.end),
        message: `${call.tool} ${call.sub!.value} duplicates the upgraded base-image files in this layer: use a newer base image instead.`,
        estimate: { bytes: null, basis: 'upgraded packages: size unknown (depends on how old the base image is).' },
      });
    }
  },
};

export const osRules: DockerfileRule[] = [SD201, SD202, SD203, SD204, SD205, SD206];
