// Which fixes Optimize applies beyond the safe ones, on a file it cannot restructure: the
// preferred fix of a warning or error (copy the manifests first, COPY --chown, a cache mount …),
// as a user taking the lightbulb's first entry would. A fix that can break the build in a way the
// validation (`checkFixedText`: parses, keeps its instructions) cannot see is held back here (the
// rules guard their own fixes where they can: SD405's COPY --chown checks the owner exists).
import { buildModel, type DockerfileModel, type StageModel } from '../parse/dockerfile';
import { parseImage } from '../rules/base';
import { packageCall, packageNames } from '../rules/os-commands';
import { installsBinariesOnly, installsPython } from '../rules/python-tools';
import type { ShellCommand } from '../parse/shell';
import type { Finding, Fix } from '../types';
import { rootStage, stagesOf, shippedOnStage } from '../rules/lineage';
import { isToolchain, cudaCompilerInstall } from '../rules/os';
import { FULL_TOOLS } from './slim';
import { startupCompiler, startupPrograms } from './analyze';

/**
 * The chooser for `applySafeFixes({ otherwise })`: the preferred fix of a warning or error, when
 * the rule's guard (if any) accepts it for the text as it is now.
 */
export function preferredFix(target?: string): (f: Finding, text: string) => Fix | undefined {
  let memo: { text: string; model: DockerfileModel } | undefined;
  const modelOf = (text: string) => (memo?.text === text ? memo.model : (memo = { text, model: buildModel(text, { target }) }).model);
  return (f, text) => {
    if (f.severity !== 'error' && f.severity !== 'warning') return undefined;
    const fix = f.fixes.find((x) => x.preferred);
    if (!fix) return undefined;
    const guard = GUARDS[f.rule];
    return !guard || guard(f, modelOf(text)) ? fix : undefined;
  };
}

type Guard = (f: Finding, model: DockerfileModel) => boolean;

const GUARDS: Record<string, Guard> = {
  // The slim base: only for `python:` images whose stages run nothing that the full image (Debian's
  // buildpack-deps: gcc, make, headers, git, curl, wget) provides and slim lacks. A pip install on
  // it may build an sdist with the full image's compiler and headers, so it keeps the full base.
  // CUDA/PyTorch `-devel` → `-runtime` and Anaconda → Miniconda are never applied unrestructured:
  // nvcc (extension builds, JIT at run time) and Anaconda's packages may be used where slimdock
  // cannot see it.
  SD301: (f, model) => {
    const stage = model.stages.find((s) => model.positionAt(s.imageStart).line === f.range.start.line);
    if (!stage || stage.parent || !/^((docker\.io\/)?library\/)?python$/.test(parseImage(stage.image).repo)) return false;
    // Nor where the final image takes files another stage built (`COPY --from=builder /install
    // /usr/local`): a psycopg2 built on the full image links its libpq (found by review).
    const shipped = model.stages.filter((s) => s.reachesFinal && rootStage(s) === stage);
    if (shipped.some((s) => s.instructions.some((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && i.flags.has('from')))) return false;
    return shipped.every(runsOnSlim);
  },
  // The run-time libraries instead of the toolchain (which moves to the unshipped stages built on
  // this one, if any): only when nothing after the install builds, in its RUN or later in the
  // image (every later command is one that compiles nothing, no Python install, no script
  // slimdock cannot read), and nothing at start-up names a compiler.
  SD203: (f, model) => {
    const inst = model.instructions.find((i) => i.run && i.start <= model.offsetAt(f.range.start) && model.offsetAt(f.range.start) < i.end);
    if (!inst?.run || inst.run.hasError) return false;
    const call = inst.run.commands.find((c) => c.start === model.offsetAt(f.range.start));
    if (!call) return false;
    if (!inst.run.commands.filter((c) => c.index > call.index).every(buildsNothing)) return false;
    // This stage and every stage built on it, shipped or not (a `FROM base AS deps` stage compiles
    // with it); but not the stages the fix moves the toolchain to, nor those built on them. (A later
    // use of a package it takes out by name, `update-alternatives … gcc-12`, is the rule's to see:
    // it offers no fix then.)
    const onIt = shippedOnStage(model, inst.stage);
    // nvcc installed in the image (here, in a stage it builds on or one built on it): it compiles
    // at run time, with gcc and ninja beside it.
    if (cudaCompilerInstall([...stagesOf(inst.stage), ...onIt])) return false;
    const later = onIt.flatMap((s) => s.instructions.filter((i) => i.stage !== inst.stage || i.start > inst.start));
    return later.every((i) => {
      if (i.run) return !i.run.hasError && i.run.commands.every(buildsNothing);
      if (['CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(i.keyword)) {
        const text = model.text.slice(i.start, i.end);
        return !startupCompiler(text) && !startupPrograms(text).some((w) => INSTALLERS.test(w)) && !/\s-m\s+pip\b/.test(text);
      }
      // ONBUILD runs in images built from this one: it may build.
      return i.keyword !== 'ONBUILD';
    });
  },
};

/** Installers a start-up command may run (they may compile what they install). */
const INSTALLERS = /^(pip3?(\.\d+)?|uv|poetry|pipenv)$/;

/**
 * Commands that download or set things up but compile nothing; and Python CLIs that run app code
 * the way `python manage.py …` does (Babel's catalog compile, Flask/Django/Alembic commands).
 */
const NO_BUILD = new Set([...'curl wget git unzip gosu su sudo locale-gen update-alternatives dpkg-reconfigure apt-key gpg chsh passwd pybabel flask django-admin alembic'.split(' ')]);

/** True when `cmd` cannot compile or install Python packages: a base-system command, a package manager call without toolchain, a download. */
function buildsNothing(cmd: ShellCommand): boolean {
  if (installsBinariesOnly(cmd)) return true;
  if (installsPython(cmd)) return false;
  const call = packageCall(cmd);
  if (call) return !packageNames(call).names.some((n) => isToolchain(n, call.manager)) && !packageNames(call).dynamic;
  // `python manage.py collectstatic` compiles nothing; `python -m …` / `python setup.py` may.
  if (/^python[\d.]*$/.test(cmd.name)) return !cmd.argv.slice(1).some((w) => /^-m$|setup\.py$|build/.test(w.value));
  // A shell running a script file (not `sh -c '…'`, whose commands are read themselves) or a command
  // run through env/xargs may build anything.
  if (/^(sh|bash|dash|zsh)$/.test(cmd.name)) return cmd.argv.slice(1).some((w) => /^-[a-z]*c[a-z]*$/.test(w.value));
  if (/^(env|xargs|command|exec|nohup|timeout)$/.test(cmd.name)) return false;
  return ON_SLIM.has(cmd.name) || NO_BUILD.has(cmd.name);
}

/** Commands python:3.x-slim has (Debian's base system, apt and Python): using them needs nothing of the full image. */
const ON_SLIM = new Set(
  (
    'python python3 apt-get apt apt-mark dpkg echo printf mkdir rm rmdir cp mv ln chmod chown chgrp cd cat touch sed grep ' +
    'find tar gzip gunzip useradd groupadd adduser addgroup usermod userdel id ls env tee sort head tail xargs date dirname ' +
    'basename readlink realpath sleep which command true false test [ set export exit sh bash install stat wc cut tr uniq ' +
    'ldconfig update-ca-certificates df du uname nproc whoami pwd'
  ).split(' '),
);

/** Tools of the full image (buildpack-deps) that the slim one does not have, named outside RUN (CMD, HEALTHCHECK …). */
const FULL_ONLY = new RegExp(`\\b(${[...Object.keys(FULL_TOOLS), 'gcc', 'g\\+\\+', 'make'].join('|')})\\b`);

/** True when nothing in `stage` relies on the full python image: every RUN command is on slim or apt-installed earlier, no Python install. */
function runsOnSlim(stage: StageModel): boolean {
  const installed = new Set<string>();
  for (const inst of stage.instructions) {
    if (inst.keyword === 'FROM' || inst.keyword === 'COPY' || inst.keyword === 'ADD') continue;
    if (!inst.run) {
      if (['CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'SHELL'].includes(inst.keyword) && FULL_ONLY.test(inst.args.map((a) => a.getValue()).join(' '))) return false;
      continue;
    }
    if (inst.run.hasError) return false;
    for (const cmd of inst.run.commands) {
      if (installsBinariesOnly(cmd)) continue;
      if (installsPython(cmd)) return false;
      const call = packageCall(cmd);
      if (call) {
        for (const n of packageNames(call).names) installed.add(n);
        continue;
      }
      if (!ON_SLIM.has(cmd.name) && !installed.has(cmd.name)) return false;
    }
  }
  return true;
}

