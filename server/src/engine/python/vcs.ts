// Does the build read `.git`? A project that takes its version from git (setuptools-scm, hatch-vcs …)
// does, when it is built from its sources: excluding `.git` from the context would break the build.
import type { BuildContext } from '../buildcontext';
import type { FileSystem } from '../fs';
import { tomlValues } from './toml';
import { tomlGet, VCS_VERSIONING } from '../rules/python-tools';

/**
 * True when a project in one of these folders (context paths, '' the root) takes its version from
 * git: its pyproject.toml, setup.cfg or setup.py, or the pyproject.toml of a member of the uv
 * workspace it declares.
 */
export function versionFromGit(fs: FileSystem, build: BuildContext, folders: string[]): boolean {
  const read = (dir: string, name: string) => fs.readFile(abs(build, dir ? `${dir}/${name}` : name));
  for (const dir of folders) {
    const pyproject = read(dir, 'pyproject.toml');
    if ([pyproject, read(dir, 'setup.cfg'), read(dir, 'setup.py')].some((t) => t !== undefined && VCS_VERSIONING.test(t))) return true;
    // (The TOML is parsed only for a workspace.)
    if (!pyproject?.includes('workspace')) continue;
    for (const member of workspaceMembers(fs, build, dir ? `${dir}/pyproject.toml` : 'pyproject.toml')) if (VCS_VERSIONING.test(read(member, 'pyproject.toml') ?? '')) return true;
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
