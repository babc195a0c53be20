// Which fixes Optimize applies beyond the safe ones, on a file it cannot restructure: the
// preferred fix of a warning or error (copy the manifests first, COPY --chown, a cache mount …),
// as a user taking the lightbulb's first entry would. A fix that can break the build in a way the
// validation (`checkFixedText`: parses, keeps its instructions) cannot see is held back here.
import { buildModel, isUnder, resolvePath, substitute, type DockerfileModel, type InstructionModel, type StageModel } from '../parse/dockerfile';
import { parseImage } from '../rules/base';
import { packageCall, packageNames, instructionsBefore } from '../rules/os-commands';
import { pipCall, uvCall } from '../rules/commands';
import { toolCall, condaCall } from '../rules/python-tools';
import type { ShellCommand } from '../parse/shell';
import type { Finding, Fix } from '../types';

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
    return model.stages.filter((s) => s.reachesFinal && rootOf(s) === stage).every(runsOnSlim);
  },
  // COPY --chown=<user>:<group> instead of a later chown -R: only when the owner exists where the
  // COPY is (root, a number, or made by an earlier useradd/groupadd; a COPY naming a user created
  // later fails the build) and the chown's targets are not directories that existed before the
  // COPY (the WORKDIR, a mkdir): COPY --chown leaves those root's, and a USER writing there fails.
  SD405: (f, model) => {
    const run = model.instructions.find((i) => i.run && model.positionAt(i.start).line <= f.range.start.line && f.range.start.line <= model.positionAt(i.end).line);
    const chown = run?.run?.commands.find((c) => c.name === 'chown' && model.positionAt(c.start).line === f.range.start.line);
    if (!run || !chown) return false; // chmod: modes need no owner, and its fix carries no names
    const fix = f.fixes.find((x) => x.preferred)!;
    for (const edit of fix.edits) {
      const value = /--chown=(\S+)/.exec(edit.newText)?.[1];
      if (!value) continue;
      const copy = model.instructions.find((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && model.positionAt(i.start).line === edit.range.start.line);
      if (!copy || !ownerExists(substitute(value, copy.env), copy)) return false;
    }
    const earlier = instructionsBefore(run).filter((i) => i !== run && !(i.keyword === 'COPY' || i.keyword === 'ADD'));
    const targets = chown.argv.slice(1).filter((w) => !w.value.startsWith('-')).slice(1).map((w) => resolvePath(run.workdir, substitute(w.value, chown.env)));
    const madeBefore = (dir: string) =>
      [...earlier, run].some((i) => isUnder(i.workdir, dir) || (i.run?.commands ?? []).some((c) => c.name === 'mkdir' && c.argv.some((w) => isUnder(resolvePath(i.workdir, substitute(w.value, c.env)), dir))));
    return targets.every((t) => !t.includes('$') && !madeBefore(t.replace(/\/+$/, '') || '/'));
  },
};

/** `user[:group]` names an owner that exists at `copy`: root, numeric ids, or created by an earlier RUN. */
function ownerExists(value: string, copy: InstructionModel): boolean {
  if (value.includes('$')) return false;
  const created = new Set<string>(['root']);
  for (const i of instructionsBefore(copy)) {
    for (const c of i.run?.commands ?? []) {
      if (!/^(useradd|adduser|groupadd|addgroup)$/.test(c.name)) continue;
      const name = c.argv.slice(1).map((w) => substitute(w.value, c.env)).filter((v) => !v.startsWith('-')).pop();
      if (name) created.add(name);
    }
  }
  return value.split(':').every((part) => part !== '' && (/^\d+$/.test(part) || created.has(part)));
}

function rootOf(s: StageModel): StageModel {
  let r = s;
  while (r.parent) r = r.parent;
  return r;
}

/** Commands python:3.x-slim has (Debian's base system, apt and Python): using them needs nothing of the full image. */
const ON_SLIM = new Set(
  (
    'python python3 apt-get apt apt-mark dpkg echo printf mkdir rm rmdir cp mv ln chmod chown chgrp cd cat touch sed grep ' +
    'find tar gzip gunzip useradd groupadd adduser addgroup usermod userdel id ls env tee sort head tail xargs date dirname ' +
    'basename readlink realpath sleep which command true false test [ set export exit sh bash install stat wc cut tr uniq ' +
    'ldconfig update-ca-certificates'
  ).split(' '),
);

/** Tools of the full image (buildpack-deps) that the slim one does not have, named outside RUN (CMD, HEALTHCHECK …). */
const FULL_ONLY = /\b(curl|wget|git|gcc|g\+\+|make|ssh|gpg|unzip|bzip2|xz|file)\b/;

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

function installsPython(cmd: ShellCommand): boolean {
  const pip = pipCall(cmd);
  if (pip && pip.sub?.value !== 'uninstall' && pip.sub?.value !== 'cache') return true;
  if (/^python/.test(cmd.name) && cmd.argv.some((w) => /setup\.py$/.test(w.value))) return true;
  return uvCall(cmd) !== undefined || toolCall(cmd, 'poetry') !== undefined || toolCall(cmd, 'pipenv') !== undefined || toolCall(cmd, 'pdm') !== undefined || toolCall(cmd, 'pipx') !== undefined || condaCall(cmd) !== undefined;
}
