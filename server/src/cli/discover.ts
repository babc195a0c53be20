// Which files `slimdock check` looks at: the files named, and the Dockerfiles, pyproject.toml and
// requirements files found by walking the folders named. Dot-folders are walked (`.devcontainer/`);
// VCS data, node_modules and virtualenvs are not. Symbolic links to folders are not followed
// (no cycles); symbolic links to files are.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDockerfileName, isRequirementsName } from '../engine';
import { toPosix } from '../nodeFs';
import type { FileKind } from '../engine';

export interface Target {
  /** Absolute path, POSIX separators. */
  path: string;
  kind: FileKind;
}

export interface Discovery {
  targets: Target[];
  /** Paths that do not exist or cannot be read: an I/O error (exit 2). */
  errors: string[];
}

const SKIPPED_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules', '.venv', 'venv', '.tox', '.nox', 'site-packages']);

/** The kind of a file found while walking a folder, or undefined when slimdock does not read it. */
export function kindOfName(name: string): FileKind | undefined {
  if (name === 'pyproject.toml') return 'pyproject';
  if (isRequirementsName(name)) return 'requirements';
  if (isDockerfileName(name)) return 'dockerfile';
  return undefined;
}

export function discover(paths: string[], cwd: string): Discovery {
  const found = new Map<string, Target>();
  const errors: string[] = [];
  const add = (abs: string, kind: FileKind) => {
    const p = toPosix(abs);
    if (!found.has(p)) found.set(p, { path: p, kind });
  };

  for (const given of paths) {
    const abs = path.resolve(cwd, given);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (e) {
      errors.push(`${given}: ${describe(e)}`);
      continue;
    }
    if (st.isDirectory()) walk(abs, add, errors);
    // A file named explicitly is a Dockerfile unless its name says otherwise.
    else if (st.isFile()) add(abs, kindOfName(path.basename(abs)) ?? 'dockerfile');
    else errors.push(`${given}: not a file or folder`);
  }
  const targets = [...found.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { targets, errors };
}

function walk(dir: string, add: (p: string, kind: FileKind) => void, errors: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    errors.push(`${dir}: ${describe(e)}`);
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (SKIPPED_DIRS.has(entry.name) || isVirtualenv(full)) continue;
      walk(full, add, errors);
      continue;
    }
    const kind = kindOfName(entry.name);
    if (!kind) continue;
    if (entry.isFile() || (entry.isSymbolicLink() && isFile(full))) add(full, kind);
  }
}

/** A virtualenv by any name: venv and virtualenv both write `pyvenv.cfg` at its top. */
function isVirtualenv(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'pyvenv.cfg'));
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

export function describe(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return (e as Error).message;
}
