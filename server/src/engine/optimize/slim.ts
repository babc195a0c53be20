// The slim python image has Debian's base system and Python, not the tools of the full image
// (buildpack-deps: curl, wget, git, gpg, ssh, svn, unzip …). When the final stage moves from the full
// image to the slim one, the tools that its kept instructions — and the scripts from the build
// context those run — call, and that the file does not install itself, are installed first.
import { resolvePath } from '../parse/dockerfile';
import type { BuildContext } from '../buildcontext';
import type { FileSystem } from '../fs';
import { packageCall, packageNames, isSub } from '../rules/os-commands';
import { contextFileText, scriptOf } from './context-map';
import { requirementFiles } from './builder';
import { requirementName } from '../rules/commands';
import { keptCommands, type Analysis } from './analyze';

/** Command → the Debian package that provides it, for the full image's tools slim lacks. */
export const FULL_TOOLS: Record<string, string> = {
  curl: 'curl', wget: 'wget', git: 'git', gpg: 'gnupg', svn: 'subversion', hg: 'mercurial', ssh: 'openssh-client', scp: 'openssh-client',
  'ssh-keygen': 'openssh-client', 'ssh-keyscan': 'openssh-client', unzip: 'unzip', bzip2: 'bzip2', xz: 'xz-utils', file: 'file', patch: 'patch',
};
const TOOL_WORD = new RegExp(`(^|[\\s;&|(\`$])(${Object.keys(FULL_TOOLS).map((t) => t.replace(/[-]/g, '\\-')).join('|')})(?=[\\s;&|)\`]|$)`, 'gm');

export interface SlimTools {
  packages: string[];
  notes: string[];
  /** Why the slim base cannot be chosen (a script it cannot read may call the full image's tools). */
  blockers: string[];
}

/** What the final stage's kept instructions need from the full image, as apt packages. */
export function toolsSlimLacks(a: Analysis, build: BuildContext, fs: FileSystem): SlimTools {
  const out: SlimTools = { packages: [], notes: [], blockers: [] };
  const installed = new Set<string>();
  const need = (tool: string, line: number, via?: string) => {
    const pkg = FULL_TOOLS[tool];
    if (!pkg || installed.has(pkg) || out.packages.includes(pkg)) return;
    out.packages.push(pkg);
    out.notes.push(`line ${line}: ${via ? `${via} calls` : 'the RUN calls'} ${tool}, which the slim image lacks: the final stage installs ${pkg}.`);
  };
  for (const inst of a.chain.flatMap((s) => s.instructions)) {
    if (a.removed.has(inst)) continue;
    const line = inst.node.getRange().start.line + 1;
    if (['CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(inst.keyword)) {
      for (const m of a.model.text.slice(inst.start, inst.end).matchAll(TOOL_WORD)) need(m[2], line, `the ${inst.keyword}`);
      continue;
    }
    for (const c of keptCommands(inst, a.plans.get(inst))) {
      const call = packageCall(c);
      if (call && isSub(call, 'install', 'add')) {
        for (const n of packageNames(call).names) installed.add(n);
        continue;
      }
      if (FULL_TOOLS[c.name]) need(c.name, line);
      // A script of the build context it runs (`./scripts/get.sh`, `bash get.sh`).
      const script = scriptOf(c);
      if (!script || script.path.includes('$')) continue;
      const text = contextFileText(resolvePath(inst.workdir, script.path), inst, a.chain.flatMap((s) => s.instructions), build, fs);
      if (text === undefined) {
        // Its downloads could fail quietly on slim (no curl, wget, svn …; a script without `set -e`).
        out.blockers.push(`line ${line}: the RUN runs ${script.word}, which slimdock cannot read: it may call tools of the full image (${Object.keys(FULL_TOOLS).slice(0, 4).join(', ')} …) that the slim final stage lacks.`);
        continue;
      }
      const body = text.replace(/^\s*#.*$/gm, '');
      for (const m of body.matchAll(TOOL_WORD)) need(m[2], line, script.path);
    }
  }
  return out;
}


/**
 * Packages whose Linux builds load the system's OpenMP runtime (libgomp.so.1) at import: LightGBM's
 * wheels, and llama-cpp-python compiled from source (llama.cpp enables OpenMP). The old image had it
 * through the compiler (gcc depends on it); the slim final stage has no compiler.
 */
const NEEDS_OPENMP = new Set(['lightgbm', 'llama-cpp-python']);

/** The normalized names of the packages the installs name, on their command lines and in their requirement files. */
export function installedRequirementNames(a: Analysis, build: BuildContext, fs: FileSystem): Set<string> {
  const names = new Set<string>();
  for (const op of a.ops) {
    for (const w of op.pkg?.packages ?? []) names.add(requirementName(w.value) ?? '');
    for (const file of requirementFiles(a, op, build, fs)) for (const e of file.entries) if (e.requirement?.name) names.add(requirementName(e.requirement.name) ?? '');
  }
  names.delete('');
  return names;
}

/** The OpenMP runtime package the final stage needs (`libgomp1`, `libgomp` on Alpine), when the installs name such a package. */
export function openmpRuntime(a: Analysis, build: BuildContext, fs: FileSystem): string | undefined {
  const names = installedRequirementNames(a, build, fs);
  if (![...names].some((n) => NEEDS_OPENMP.has(n))) return undefined;
  return a.base?.manager === 'apk' ? 'libgomp' : 'libgomp1';
}
