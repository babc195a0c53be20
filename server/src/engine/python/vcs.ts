// Does the build read `.git`? A project that takes its version from git (setuptools-scm, hatch-vcs …)
// does, when it is built from its sources: excluding `.git` from the context would break the build.
import type { BuildContext } from '../buildcontext';
import type { FileSystem } from '../fs';
import { tomlValues } from './toml';
import { tomlGet, VCS_VERSIONING } from '../rules/python-tools';

/**
 * True when a project among these pyproject.toml files (context paths), or a member of a uv
 * workspace they declare, takes its version from git.
 */
export function versionFromGit(fs: FileSystem, build: BuildContext, pyprojects: string[]): boolean {
  for (const rel of pyprojects) {
    const text = fs.readFile(abs(build, rel));
    if (text === undefined) continue;
    if (VCS_VERSIONING.test(text)) return true;
    for (const dir of workspaceMembers(fs, build, rel)) if (VCS_VERSIONING.test(fs.readFile(abs(build, dir ? `${dir}/pyproject.toml` : 'pyproject.toml')) ?? '')) return true;
  }
  return false;
}

/**
 * The member folders (context paths) of the uv workspace a pyproject.toml declares (`[tool.uv.workspace]
 * members`, a `*` segment expanded to the folders there); none when it declares no workspace.
 */
export function workspaceMembers(fs: FileSystem, build: BuildContext, pyprojectRel: string): string[] {
  const text = fs.readFile(abs(build, pyprojectRel));
  const members = text === undefined ? undefined : tomlGet(tomlValues(text).value, 'tool', 'uv', 'workspace', 'members');
  if (!Array.isArray(members)) return [];
  const root = pyprojectRel.includes('/') ? pyprojectRel.slice(0, pyprojectRel.lastIndexOf('/')) : '';
  return members.filter((m): m is string => typeof m === 'string').flatMap((m) => expand(fs, build, root, m.split('/').filter((p) => p && p !== '.')));
}

function abs(build: BuildContext, rel: string): string {
  return rel ? `${build.dir}/${rel}` : build.dir;
}

/** Context folders a member pattern names (`packages/*`): a `*` segment is every folder there. */
function expand(fs: FileSystem, build: BuildContext, dir: string, segments: string[]): string[] {
  if (segments.length === 0) return [dir];
  const [head, ...rest] = segments;
  const join = (name: string) => (dir ? `${dir}/${name}` : name);
  if (!head.includes('*')) return head === '..' ? [] : expand(fs, build, join(head), rest);
  const re = new RegExp(`^${head.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*+/g, '[^/]*')}$`);
  const names = fs.readDir(abs(build, dir)) ?? [];
  return names.filter((n) => re.test(n) && fs.stat(abs(build, join(n))) === 'dir').flatMap((n) => expand(fs, build, join(n), rest));
}
