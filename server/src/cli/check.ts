// Runs the engine over the discovered files. One checker per file kind.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDockerfile, checkPyproject, checkRequirements, MemoizedFileSystem, MAX_FILE_BYTES, type FileKind, type FileSystem, type Finding } from '../engine';
import { describe, type Target } from './discover';

export interface FileResult {
  file: string;
  kind: FileKind;
  /** The file's text (formats quote lines from it); undefined when it was not read. */
  text?: string;
  findings: Finding[];
}

export interface CheckRun {
  results: FileResult[];
  /** Files that could not be read: an I/O error (exit 2). */
  errors: string[];
}

type Checker = (file: string, text: string, fs: FileSystem, root: string) => Finding[];

const checkers: Partial<Record<FileKind, Checker>> = {
  dockerfile: (file, text, fs, root) => checkDockerfile({ file, text, fs, root }).findings,
  pyproject: (file, text, fs, root) => checkPyproject({ file, text, fs, root }).findings,
  requirements: (file, text, fs, root) => checkRequirements({ file, text, fs, root }).findings,
};

export function checkTargets(targets: Target[], disk: FileSystem): CheckRun {
  // One run reads a snapshot: the files of a project (its pyproject.toml, .dockerignore, build
  // context folders) are read and stat'ed once for all of its Dockerfiles, not once per file.
  const files = new MemoizedFileSystem(disk);
  const results: FileResult[] = [];
  const errors: string[] = [];
  for (const { path: file, kind } of targets) {
    const checker = checkers[kind];
    if (!checker) continue;
    const size = sizeOf(file);
    if (typeof size === 'string') {
      errors.push(`${file}: ${size}`);
      continue;
    }
    if (size > MAX_FILE_BYTES) {
      results.push({ file, kind, findings: [overOneMegabyte(file, size)] });
      continue;
    }
    const text = files.readFile(file);
    if (text === undefined) {
      errors.push(`${file}: cannot be read`);
      continue;
    }
    let findings: Finding[];
    try {
      findings = checker(file, text, files, projectRoot(file));
    } catch (e) {
      // The engine reports rather than throws; should it throw anyway, one file must not stop the run.
      findings = [{ ...sd000(file), message: `Internal error: ${(e as Error).message}. Please report it.` }];
    }
    results.push({ file, kind, text, findings });
  }
  return { results, errors };
}

/** Size in bytes, or why it cannot be had. */
function sizeOf(file: string): number | string {
  try {
    return fs.statSync(file).size;
  } catch (e) {
    return describe(e);
  }
}

function overOneMegabyte(file: string, size: number): Finding {
  return { ...sd000(file), severity: 'info', message: `File is over 1 MB (${size} bytes): skipped.` };
}

function sd000(file: string): Finding {
  const at = { line: 0, character: 0 };
  return { rule: 'SD000', file, range: { start: at, end: at }, severity: 'warning', message: '', fixes: [] };
}

/**
 * Where configuration lookups stop: the enclosing repository (the nearest folder with `.git`),
 * else the file system root. A pyproject.toml above the repository is someone else's.
 */
const roots = new Map<string, string>();
export function projectRoot(file: string): string {
  const start = path.posix.dirname(file);
  const cached = roots.get(start);
  if (cached) return cached;
  let root = '/';
  for (let d = start; ; d = path.posix.dirname(d)) {
    if (fs.existsSync(path.posix.join(d, '.git'))) {
      root = d;
      break;
    }
    if (d === path.posix.dirname(d)) break;
  }
  roots.set(start, root);
  return root;
}
