// Every safe fix, fix-all style, in rounds until nothing changes (a fix can make room for another,
// e.g. two options after the same word), without the disk: `slimdock check --fix` writes the
// result, Optimize applies it to files it cannot restructure and to its own output (so a second
// Optimize finds nothing left to fix). A fix whose result does not parse or loses an instruction
// is refused and named. Optimize may also pass `otherwise`: the fix to apply for a finding that
// has no safe one (a warning's preferred fix it has judged sound); `check --fix` never does.
import { checkDockerfile } from '../analyze';
import { applyEdits } from './text';
import { fixAll, safeFix } from './fixAll';
import { checkFixedText } from './validate';
import { PatchedFileSystem, type FileSystem } from '../fs';
import type { Finding, Fix } from '../types';

/** Rounds until nothing changes, within a bound. */
export const MAX_FIX_ROUNDS = 12;

export interface SafeFixResult {
  text: string;
  /** Other files as they are after the fixes (a `.dockerignore`), on top of `files` given. */
  files: Map<string, string>;
  /** Safe fixes applied, per rule. */
  fixed: Map<string, number>;
  /** Fixes applied through `otherwise` (not marked safe), in order. */
  preferred: { rule: string; title: string }[];
  /** Safe fixes refused because their result was broken. */
  rejected: string[];
  /** The findings of the final text. */
  findings: Finding[];
}

export function applySafeFixes(input: {
  file: string;
  text: string;
  fs: FileSystem;
  root?: string;
  files?: ReadonlyMap<string, string>;
  /** The findings of `text` (with `files`), when the caller has them: saves a check. */
  findings?: Finding[];
  maxRounds?: number;
  /** For a finding without a safe fix: the fix to apply anyway, or undefined (the default: none). `text` is the text the finding is of. */
  otherwise?: (f: Finding, text: string) => Fix | undefined;
}): SafeFixResult {
  const files = new Map(input.files ?? []);
  const result: SafeFixResult = { text: input.text, files, fixed: new Map(), preferred: [], rejected: [], findings: [] };
  const refused = new Set<string>();
  const key = (f: Finding, fix: Fix) => `${f.rule}\u0000${fix.title}\u0000${f.message}`;
  const choose = (f: Finding): Fix | undefined => {
    const fix = safeFix(f) ?? input.otherwise?.(f, result.text);
    return fix && !refused.has(key(f, fix)) ? fix : undefined;
  };
  const check = (text: string, with_: ReadonlyMap<string, string> = files) => checkDockerfile({ file: input.file, text, fs: new PatchedFileSystem(input.fs, with_), root: input.root }).findings;

  let known = input.findings;
  for (let round = 0; round < (input.maxRounds ?? MAX_FIX_ROUNDS); round++) {
    const before = result.text;
    const findings = known ?? check(before);
    known = undefined;
    result.findings = findings;
    let set = fixAll(findings, choose);
    if (set.applied.length === 0) return result;
    let after = applyEdits(before, set.edits);
    // The fixes together first (one validation, the usual case); when that is broken, each fix
    // alone, so a broken one is named and the others still go in (as `check --fix` does).
    if (checkFixedText(before, after, set.applied.map((c) => c.fix))) {
      for (const { finding, fix } of set.applied) {
        const why = checkFixedText(before, applyEdits(before, fix.edits), [fix]);
        if (!why) continue;
        refused.add(key(finding, fix));
        result.rejected.push(`${finding.rule} "${fix.title}" (line ${finding.range.start.line + 1}): ${why}`);
      }
      set = fixAll(findings, choose);
      if (set.applied.length === 0) return result;
      after = applyEdits(before, set.edits);
      if (checkFixedText(before, after, set.applied.map((c) => c.fix))) {
        // Fine alone, broken together: one fix this round, the rest in the next ones.
        set = fixAll([set.applied[0].finding], choose);
        after = applyEdits(before, set.edits);
      }
    }
    const filesBefore = new Map(files);
    for (const fe of set.otherFiles) files.set(fe.file, applyEdits(files.get(fe.file) ?? input.fs.readFile(fe.file) ?? '', fe.edits));
    // A fix must take its finding away. One that leaves it (its edit landed where the shell does not
    // read it, such as inside an unclosed quote) would be applied again every round: it is undone
    // and refused, and the round runs again without it.
    known = check(after);
    const count = (list: Finding[], k: string) => list.filter((f) => findingKey(f) === k).length;
    const stuck = new Set<string>();
    for (const { finding } of set.applied) {
      const k = findingKey(finding);
      if (count(known, k) > count(findings, k) - set.applied.filter((c) => findingKey(c.finding) === k).length) stuck.add(k);
    }
    if (stuck.size) {
      // Another fix of the round may have brought a finding like it (a new RUN with a cache mount
      // gets SD504's message too): each suspect is tried alone before it is refused.
      let undo = false;
      for (const { finding, fix } of set.applied) {
        const k = findingKey(finding);
        if (!stuck.has(k) || refused.has(key(finding, fix))) continue;
        const alone = new Map(filesBefore);
        for (const fe of fix.otherFiles ?? []) alone.set(fe.file, applyEdits(alone.get(fe.file) ?? input.fs.readFile(fe.file) ?? '', fe.edits));
        if (count(check(applyEdits(before, fix.edits), alone), k) < count(findings, k)) continue;
        refused.add(key(finding, fix));
        result.rejected.push(`${finding.rule} "${fix.title}" (line ${finding.range.start.line + 1}): it did not remove its finding`);
        undo = true;
      }
      if (undo) {
        files.clear();
        for (const [f, t] of filesBefore) files.set(f, t);
        known = findings;
        continue;
      }
    }
    result.text = after;
    for (const { finding, fix } of set.applied) {
      if (fix.safe) result.fixed.set(finding.rule, (result.fixed.get(finding.rule) ?? 0) + 1);
      else result.preferred.push({ rule: finding.rule, title: fix.title });
    }
  }
  // (Each round ends with the findings of its text.)
  result.findings = known ?? check(result.text);
  return result;
}

/** A finding as a later round sees it again: rule and message. */
function findingKey(f: Finding): string {
  return `${f.rule}\u0000${f.message}`;
}

/** `3 safe fixes (SD101 ×2, SD201)`; with `preferred`, `… and 2 preferred fixes (SD301, SD401)`. */
export function fixedSummary(fixed: ReadonlyMap<string, number>, preferred: readonly { rule: string }[] = []): string {
  const summary = (counts: ReadonlyMap<string, number>, kind: string) => {
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const rules = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([rule, n]) => (n > 1 ? `${rule} ×${n}` : rule));
    return `${total} ${kind} fix${total === 1 ? '' : 'es'}${rules.length ? ` (${rules.join(', ')})` : ''}`;
  };
  const safe = summary(fixed, 'safe');
  if (preferred.length === 0) return safe;
  const counts = new Map<string, number>();
  for (const p of preferred) counts.set(p.rule, (counts.get(p.rule) ?? 0) + 1);
  return `${fixed.size ? `${safe} and ` : ''}${summary(counts, 'preferred')}`;
}
