// `slimdock check --fix`: the engine's safe fix rounds (engine/fixes/rounds.ts, at most five here),
// written to disk. A fix whose result does not parse or loses an instruction is not written; it is
// reported instead.
import * as fs from 'node:fs';
import { MAX_FILE_BYTES, type FileSystem } from '../engine';
import { applySafeFixes } from '../engine/fixes';
import { projectRoot } from './check';
import { describe, type Target } from './discover';

export const MAX_ROUNDS = 5;

export interface FixResult {
  file: string;
  /** Fixes applied, per rule. */
  fixed: Map<string, number>;
  /** Other files written (a `.dockerignore`). */
  written: string[];
  /** Safe fixes not applied because their result was broken: `SD404 "Move …": RUN instructions lost: 3 → 2`. */
  rejected: string[];
}

export interface FixRun {
  results: FixResult[];
  /** Files that could not be written: an I/O error (exit 2). */
  errors: string[];
}

/** Applies the safe fixes of every Dockerfile target and writes them to disk; `files` reads them back. */
export function fixTargets(targets: Target[], files: FileSystem): FixRun {
  const results: FixResult[] = [];
  const errors: string[] = [];
  for (const { path: file, kind } of targets) {
    if (kind !== 'dockerfile') continue;
    try {
      const r = fixDockerfile(file, files);
      if (r.fixed.size || r.rejected.length) results.push(r);
    } catch (e) {
      errors.push(`${file}: ${describe(e)}`);
    }
  }
  return { results, errors };
}

function fixDockerfile(file: string, files: FileSystem): FixResult {
  const result: FixResult = { file, fixed: new Map(), written: [], rejected: [] };
  const text = files.readFile(file);
  if (text === undefined || text.length > MAX_FILE_BYTES) return result;
  const fixed = applySafeFixes({ file, text, fs: files, root: projectRoot(file), maxRounds: MAX_ROUNDS });
  result.fixed = fixed.fixed;
  result.rejected = fixed.rejected;
  // Other files first (a `.dockerignore`), then the Dockerfile: throws on an I/O error.
  for (const [other, content] of fixed.files) {
    if (files.readFile(other) === content) continue;
    fs.writeFileSync(other, content);
    result.written.push(other);
  }
  if (fixed.text !== text) fs.writeFileSync(file, fixed.text);
  return result;
}

/** `Fixed 3 findings in Dockerfile: SD101 ×2, SD201` and what was not applied, one line each. */
export function fixSummary(r: FixResult, display: (file: string) => string): string {
  const lines: string[] = [];
  const total = [...r.fixed.values()].reduce((a, b) => a + b, 0);
  if (total) {
    const rules = [...r.fixed.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([rule, n]) => (n > 1 ? `${rule} ×${n}` : rule));
    const also = r.written.length ? ` (also wrote ${r.written.map(display).join(', ')})` : '';
    lines.push(`Fixed ${total} finding${total === 1 ? '' : 's'} in ${display(r.file)}: ${rules.join(', ')}${also}`);
  }
  for (const x of r.rejected) lines.push(`Not fixed in ${display(r.file)}: ${x}`);
  return lines.map((l) => l + '\n').join('');
}
