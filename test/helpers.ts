// Table-driven rule tests: a case is one line of data, negatives outnumber positives.
import assert from 'node:assert/strict';
import { checkDockerfile, MemoryFileSystem, type Finding, type Fix, type TextEdit } from '../server/src/engine';

export const CONTEXT = '/ctx';

export interface Case {
  name: string;
  dockerfile: string;
  /** Other files of the build context, relative to it: `{ 'requirements.txt': 'flask\n' }`. */
  files?: Record<string, string>;
  /** Path of the Dockerfile relative to the context (default `Dockerfile`). */
  path?: string;
  /** 1-based lines where the rule must fire (firing cases); all of them, no more. */
  lines?: number[];
}

export function check(dockerfile: string, files: Record<string, string> = {}, path = 'Dockerfile'): Finding[] {
  const all: Record<string, string> = { [`${CONTEXT}/${path}`]: dockerfile };
  for (const [k, v] of Object.entries(files)) all[`${CONTEXT}/${k}`] = v;
  return checkDockerfile({ file: `${CONTEXT}/${path}`, text: dockerfile, fs: new MemoryFileSystem(all), root: CONTEXT }).findings;
}

export function findingsOf(rule: string, c: Pick<Case, 'dockerfile' | 'files' | 'path'>): Finding[] {
  return check(c.dockerfile, c.files, c.path).filter((f) => f.rule === rule);
}

/** Declares the firing and non-firing cases of one rule. */
export function ruleCases(rule: string, cases: { fires: Case[]; clean: Case[] }): void {
  describe(`${rule} cases`, () => {
    for (const c of cases.fires) {
      it(`fires: ${c.name}`, () => {
        const found = findingsOf(rule, c);
        assert.ok(found.length > 0, `${rule} did not fire on:\n${c.dockerfile}`);
        if (c.lines) assert.deepEqual(found.map((f) => f.range.start.line + 1), c.lines, 'lines of the findings');
        assert.equal(check(c.dockerfile, c.files, c.path).filter((x) => x.rule === 'SD000' && /Internal error/.test(x.message)).length, 0);
        for (const f of found) assert.ok(f.message.length > 10);
      });
    }
    for (const c of cases.clean) {
      it(`clean: ${c.name}`, () => {
        const found = findingsOf(rule, c);
        assert.deepEqual(found.map((f) => `${f.range.start.line + 1}: ${f.message}`), [], `${rule} fired on:\n${c.dockerfile}`);
      });
    }
  });
}

/** The context files after a fix's edits to other files (`.dockerignore` …), keyed relative to the context. */
export function applyFileEdits(files: Record<string, string>, fix: Fix): Record<string, string> {
  const out = { ...files };
  for (const fe of fix.otherFiles ?? []) {
    assert.ok(fe.file.startsWith(`${CONTEXT}/`), `edit outside the context: ${fe.file}`);
    const rel = fe.file.slice(CONTEXT.length + 1);
    assert.equal(fe.create ?? false, !(rel in files), `create flag of ${rel}`);
    out[rel] = applyEdits(files[rel] ?? '', fe.edits);
  }
  return out;
}

/** Applies non-overlapping edits to a text (edits are sorted here). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: { line: number; character: number }) => Math.min((lineStarts[p.line] ?? text.length) + p.character, text.length);
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

/**
 * Applies `fix` of the first finding of `rule`, re-checks, and asserts: that finding is gone,
 * no new warning or error appeared, and every line outside the edited lines is unchanged.
 */
export function assertFix(rule: string, c: Pick<Case, 'dockerfile' | 'files' | 'path'>, pick: (fixes: Fix[]) => Fix | undefined = (f) => f.find((x) => x.preferred) ?? f[0]): string {
  const before = check(c.dockerfile, c.files, c.path);
  const finding = before.find((f) => f.rule === rule);
  assert.ok(finding, `${rule} does not fire on:\n${c.dockerfile}`);
  const fix = pick(finding.fixes);
  assert.ok(fix, `${rule} has no such fix`);
  const fixed = applyEdits(c.dockerfile, fix.edits);
  const files = applyFileEdits(c.files ?? {}, fix);
  const after = check(fixed, files, c.path);
  assert.ok(!after.some((f) => f.rule === rule && f.range.start.line === finding.range.start.line), `${rule} still fires after "${fix.title}":\n${fixed}`);
  const serious = (fs: Finding[]) => fs.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => `${f.rule}@${f.message}`);
  // As many of each as before at most: a finding repeated on a second line is new too.
  const left = serious(before);
  const added = serious(after).filter((x) => {
    const k = left.indexOf(x);
    if (k < 0) return true;
    left.splice(k, 1);
    return false;
  });
  assert.deepEqual(added, [], `"${fix.title}" introduced new findings:\n${fixed}`);
  const a = c.dockerfile.split('\n');
  const b = fixed.split('\n');
  const touched = new Set<number>();
  for (const e of fix.edits) for (let l = e.range.start.line; l <= e.range.end.line; l++) touched.add(l);
  // Line by line where no edit adds or removes a line (else the lines after an edit shift).
  if (fix.edits.every((e) => (e.newText.match(/\n/g)?.length ?? 0) === e.range.end.line - e.range.start.line)) {
    assert.equal(b.length, a.length);
    a.forEach((line, i) => {
      if (!touched.has(i)) assert.equal(b[i], line, `line ${i + 1} changed`);
    });
  }
  return fixed;
}
