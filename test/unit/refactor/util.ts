// Runs the refactorings at a line of a Dockerfile in the test context, applies one, and re-checks
// the result: no warning or error the original did not have.
import assert from 'node:assert/strict';
import { MemoryFileSystem, type Finding } from '../../../server/src/engine';
import { refactorings, type Refactoring } from '../../../server/src/engine/refactor';
import { CONTEXT, applyEdits, check } from '../../helpers';

export function offered(dockerfile: string, line: number, files: Record<string, string> = {}, rejected: string[] = []): Refactoring[] {
  const all: Record<string, string> = { [`${CONTEXT}/Dockerfile`]: dockerfile };
  for (const [k, v] of Object.entries(files)) all[`${CONTEXT}/${k}`] = v;
  const at = { line: line - 1, character: 0 };
  return refactorings({ file: `${CONTEXT}/Dockerfile`, text: dockerfile, fs: new MemoryFileSystem(all), root: CONTEXT }, { start: at, end: at }, { rejected: (t, why) => rejected.push(`${t}: ${why}`) });
}

export function kinds(dockerfile: string, line: number, files: Record<string, string> = {}): string[] {
  return offered(dockerfile, line, files).map((r) => r.kind.replace('refactor.rewrite.slimdock.', ''));
}

const serious = (fs: Finding[]) => fs.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => `${f.rule}@${f.message.replace(/\d+/g, '#')}`);

/** Applies the refactoring of `kind` offered at 1-based `line`; asserts the re-check adds no warning or error. */
export function apply(kind: string, dockerfile: string, line: number, files: Record<string, string> = {}): { text: string; files: Record<string, string> } {
  const rejected: string[] = [];
  const r = offered(dockerfile, line, files, rejected).find((x) => x.kind === `refactor.rewrite.slimdock.${kind}`);
  assert.ok(r, `${kind} not offered at line ${line}; rejected: ${rejected.join(' | ')}`);
  const text = applyEdits(dockerfile, r.edits);
  const after = { ...files };
  for (const fe of r.otherFiles ?? []) {
    const rel = fe.file.slice(CONTEXT.length + 1);
    assert.equal(!!fe.create, !(rel in files), `create flag of ${rel}`);
    after[rel] = applyEdits(files[rel] ?? '', fe.edits);
  }
  const before = serious(check(dockerfile, files));
  const added = serious(check(text, after)).filter((x) => !before.includes(x));
  assert.deepEqual(added, [], `"${r.title}" introduced new findings:\n${text}`);
  return { text, files: after };
}
