// A refactoring is offered only when its result is whole: the Dockerfile still parses (no RUN
// whose shell stopped parsing), its instructions change only as the refactoring says, and the
// re-check finds no warning or error that was not there before.
import { checkDockerfile, type CheckInput } from '../analyze';
import { buildModel } from '../parse/dockerfile';
import { applyEdits, instructionCounts } from '../fixes';
import type { FileSystem } from '../fs';
import type { FileEdit, Finding, TextEdit } from '../types';

/** Another file system with some files' text replaced (the `.dockerignore` a refactoring extends). */
class PatchedFileSystem implements FileSystem {
  constructor(
    private readonly base: FileSystem,
    private readonly patched: ReadonlyMap<string, string>,
  ) {}

  readFile(p: string): string | undefined {
    return this.patched.get(p) ?? this.base.readFile(p);
  }

  readDir(p: string): string[] | undefined {
    const names = new Set(this.base.readDir(p) ?? []);
    for (const f of this.patched.keys()) if (f.startsWith(`${p}/`) && !f.slice(p.length + 1).includes('/')) names.add(f.slice(p.length + 1));
    return names.size || this.base.stat(p) === 'dir' ? [...names] : undefined;
  }

  stat(p: string): 'file' | 'dir' | undefined {
    return this.patched.has(p) ? 'file' : this.base.stat(p);
  }

  size(p: string): number | undefined {
    return this.patched.has(p) ? this.patched.get(p)!.length : this.base.size?.(p);
  }
}

/** Warnings and errors per rule: the same finding may read differently after the edit (a line number, `pip install` → `uv pip install`). */
export function serious(findings: readonly Finding[]): Map<string, number> {
  const n = new Map<string, number>();
  for (const f of findings) if (f.severity === 'error' || f.severity === 'warning') n.set(f.rule, (n.get(f.rule) ?? 0) + 1);
  return n;
}

function brokenRuns(text: string): number {
  return buildModel(text).instructions.filter((i) => i.run?.hasError).length;
}

export interface Candidate {
  edits: TextEdit[];
  otherFiles?: FileEdit[];
  /** Instructions the refactoring adds (or removes, negative), by keyword. */
  adds: Record<string, number>;
}

/**
 * Why the refactoring's result is not acceptable, or undefined when it is. `before` are the
 * findings of the unchanged file.
 */
export function rejection(input: CheckInput, before: readonly Finding[], c: Candidate): string | undefined {
  let after: string;
  try {
    after = applyEdits(input.text, c.edits);
  } catch (e) {
    return `the edits overlap (${(e as Error).message})`;
  }
  if (brokenRuns(after) > brokenRuns(input.text)) return 'a RUN no longer parses as shell';
  const a = instructionCounts(input.text);
  const b = instructionCounts(after);
  for (const k of new Set([...a.keys(), ...b.keys(), ...Object.keys(c.adds)])) {
    if ((b.get(k) ?? 0) - (a.get(k) ?? 0) !== (c.adds[k] ?? 0)) return `${k} instructions: ${a.get(k) ?? 0} → ${b.get(k) ?? 0}`;
  }
  const patched = new Map<string, string>();
  for (const fe of c.otherFiles ?? []) patched.set(fe.file, applyEdits(input.fs.readFile(fe.file) ?? '', fe.edits));
  const fs = patched.size ? new PatchedFileSystem(input.fs, patched) : input.fs;
  const found = checkDockerfile({ ...input, fs, text: after }).findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
  const old = serious(before);
  const added = [...serious(found)].filter(([rule, n]) => n > (old.get(rule) ?? 0)).map(([rule]) => found.find((f) => f.rule === rule)!).map((f) => `${f.rule}@${f.message}`);
  return added.length ? `new findings: ${added.join('; ')}` : undefined;
}
