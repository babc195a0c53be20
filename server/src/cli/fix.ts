// `slimdock check --fix`: every safe fix, fix-all style, in rounds until nothing changes (at most
// five: a fix can make room for another, e.g. two options after the same word). A fix whose
// result does not parse or loses an instruction is not written; it is reported instead.
import * as fs from 'node:fs';
import { checkDockerfile, MAX_FILE_BYTES, type FileSystem, type Finding, type Fix } from '../engine';
import { applyEdits, checkFixedText, fixAll, safeFix, type FixSet } from '../engine/fixes';
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
  let text = files.readFile(file);
  if (text === undefined || text.length > MAX_FILE_BYTES) return result;
  const refused = new Set<string>();
  const choose = (f: Finding): Fix | undefined => {
    const fix = safeFix(f);
    return fix && !refused.has(key(f, fix)) ? fix : undefined;
  };

  for (let round = 0; round < MAX_ROUNDS; round++) {
    const before: string = text;
    const { findings } = checkDockerfile({ file, text: before, fs: files, root: projectRoot(file) });
    let set = fixAll(findings, choose);
    // Each fix alone first, so a broken one is named and the others still go in.
    for (const { finding, fix } of set.applied) {
      const why = checkFixedText(before, applyEdits(before, fix.edits), [fix]);
      if (!why) continue;
      refused.add(key(finding, fix));
      result.rejected.push(`${finding.rule} "${fix.title}" (line ${finding.range.start.line + 1}): ${why}`);
    }
    set = fixAll(findings, choose);
    if (set.applied.length === 0) break;
    let after = applyEdits(before, set.edits);
    if (checkFixedText(before, after, set.applied.map((c) => c.fix))) {
      // Fine alone, broken together: one fix this round, the rest in the next ones.
      set = fixAll([set.applied[0].finding], choose);
      after = applyEdits(before, set.edits);
    }
    write(file, after, set, files, result);
    text = after;
    for (const { finding } of set.applied) result.fixed.set(finding.rule, (result.fixed.get(finding.rule) ?? 0) + 1);
  }
  return result;
}

/** Writes the Dockerfile and the other files a fix set edits (throws on an I/O error). */
function write(file: string, text: string, set: FixSet, files: FileSystem, result: FixResult): void {
  for (const fe of set.otherFiles) {
    const current = files.readFile(fe.file) ?? '';
    fs.writeFileSync(fe.file, applyEdits(current, fe.edits));
    if (!result.written.includes(fe.file)) result.written.push(fe.file);
  }
  fs.writeFileSync(file, text);
}

/** A fix of a finding, recognisable in the next round although its lines may have moved. */
function key(f: Finding, fix: Fix): string {
  return `${f.rule}\u0000${fix.title}\u0000${f.message}`;
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
