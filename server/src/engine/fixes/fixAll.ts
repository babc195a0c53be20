// Fix-all: one safe fix per finding, with the fixes whose edits would collide dropped (a later
// round picks them up once the first ones are in the text). Positions only: no text needed.
import type { FileEdit, Finding, Fix, TextEdit } from '../types';
import { conflicts, sameEdit, sortEdits } from './text';

export interface Chosen {
  finding: Finding;
  fix: Fix;
}

export interface FixSet {
  /** The fixes taken, in document order of their findings. */
  applied: Chosen[];
  /** Fixes left out because their edits overlap or touch an applied one's. */
  skipped: Chosen[];
  /** Edits to the document, sorted, no two overlapping, duplicates removed. */
  edits: TextEdit[];
  /** Edits to other files (`.dockerignore` …), per file, sorted; `create` when a fix creates it. */
  otherFiles: FileEdit[];
}

/** The fix fix-all applies for a finding: its preferred fix when safe, else its first safe one. */
export function safeFix(finding: Finding): Fix | undefined {
  return finding.fixes.find((f) => f.safe && f.preferred) ?? finding.fixes.find((f) => f.safe);
}

/**
 * Combines the safe fixes of `findings` (all of them: `source.fixAll`; one rule's: "Fix all
 * SDnnn"). A fix is taken whole or not at all: half a fix can be worse than none. An edit that
 * an already taken fix makes too (the same range and text) is not applied twice.
 */
export function fixAll(findings: readonly Finding[], choose: (f: Finding) => Fix | undefined = safeFix): FixSet {
  const result: FixSet = { applied: [], skipped: [], edits: [], otherFiles: [] };
  const byFile = new Map<string, FileEdit>();
  for (const finding of findings) {
    const fix = choose(finding);
    if (!fix || (fix.edits.length === 0 && !fix.otherFiles?.length)) continue;
    const own = fresh(fix.edits, result.edits);
    const others = (fix.otherFiles ?? []).map((fe) => ({ fe, edits: fresh(fe.edits, byFile.get(fe.file)?.edits ?? []) }));
    if (!own || others.some((o) => !o.edits)) {
      result.skipped.push({ finding, fix });
      continue;
    }
    result.edits.push(...own);
    for (const { fe, edits } of others) {
      const into = byFile.get(fe.file) ?? { file: fe.file, edits: [], ...(fe.create ? { create: true } : {}) };
      into.edits.push(...edits!);
      byFile.set(fe.file, into);
    }
    result.applied.push({ finding, fix });
  }
  result.edits = sortEdits(result.edits);
  result.otherFiles = [...byFile.values()].map((fe) => ({ ...fe, edits: sortEdits(fe.edits) }));
  return result;
}

/** `edits` minus those already in `taken`; undefined when one of them collides with a taken edit. */
function fresh(edits: readonly TextEdit[], taken: readonly TextEdit[]): TextEdit[] | undefined {
  const out: TextEdit[] = [];
  for (const e of edits) {
    if (taken.some((t) => sameEdit(t, e))) continue;
    if (taken.some((t) => conflicts(t, e))) return undefined;
    out.push(e);
  }
  return out;
}
