// Does the build read `.git`? A project that takes its version from git (setuptools-scm, hatch-vcs …)
// does, when it is built from its sources: excluding `.git` from the context would break the build.
import type { BuildContext } from '../buildcontext';
import type { FileSystem } from '../fs';
import { tomlValues } from './toml';
import { tomlGet, VCS_VERSIONING } from '../rules/python-tools';

/**
 * True when a project among these pyproject.toml files (context paths), or a member of a uv
 * workspace they declare (`[tool.uv.workspace] members`, `*` expanded), takes its version from git.
 */
export function versionFromGit(fs: FileSystem, build: BuildContext, pyprojects: string[]): boolean {
  const abs = (rel: string) => (rel ? `${build.dir}/${rel}` : build.dir);
  for (const rel of pyprojects) {
    const text = fs.readFile(abs(rel));
    if (text === undefined) continue;
    if (VCS_VERSIONING.test(text)) return true;
    const members = tomlGet(tomlValues(text).value, 'tool', 'uv', 'workspace', 'members');
    if (!Array.isArray(members)) continue;
    const root = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
    for (const pattern of members) {
      if (typeof pattern !== 'string') continue;
      for (const dir of expand(fs, build, root, pattern.split('/').filter((p) => p && p !== '.'))) {
        const member = fs.readFile(abs(dir ? `${dir}/pyproject.toml` : 'pyproject.toml'));
        if (member !== undefined && VCS_VERSIONING.test(member)) return true;
      }
    }
  }
  return false;
}

/** Context folders a member pattern names (`packages/*`): a `*` segment is every folder there. */
function expand(fs: FileSystem, build: BuildContext, dir: string, segments: string[]): string[] {
  if (segments.length === 0) return [dir];
  const [head, ...rest] = segments;
  const join = (name: string) => (dir ? `${dir}/${name}` : name);
  if (!head.includes('*')) return expand(fs, build, join(head), rest);
  const re = new RegExp(`^${head.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
  const names = fs.readDir(dir ? `${build.dir}/${dir}` : build.dir) ?? [];
  return names.filter((n) => re.test(n) && fs.stat(`${build.dir}/${join(n)}`) === 'dir').flatMap((n) => expand(fs, build, join(n), rest));
}
