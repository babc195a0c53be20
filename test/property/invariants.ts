// What must hold for any input (SPEC §7): no throw, bounded time, every range inside the
// document, every fix's edits inside it and disjoint, applying a fix keeps the text outside its
// edits, and the fixed text parses with the same (or the documented) instruction count.
import assert from 'node:assert/strict';
import { checkDockerfile, MemoryFileSystem, type FileSystem, type Finding, type Fix, type Position, type TextEdit } from '../../server/src/engine';
import { applyEdits, checkFixedText } from '../../server/src/engine/fixes';

/** A fixed seed, so a failure reproduces; `FC_SEED=<n>` explores other cases. */
export const SEED = Number(process.env.FC_SEED ?? 20250101);
/** `FC_RUNS_SCALE=10` runs ten times more cases (a longer fuzzing session). */
export const SCALE = Number(process.env.FC_RUNS_SCALE ?? 1);

/** fast-check parameters: a fixed seed (fast-check prints it, with the path, on failure). */
export function params(numRuns: number, seconds: number) {
  return { seed: SEED, numRuns: Math.round(numRuns * SCALE), interruptAfterTimeLimit: seconds * 1000 * SCALE, markInterruptAsFailure: false, endOnFailure: true };
}

/** Lines as LSP counts them: `\r\n`, `\n` and a lone `\r` all end one. */
export function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.length);
}

export function positionInside(p: Position, lines: number[]): boolean {
  return Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line];
}

/** Offset of an LSP position (it must be inside the text). */
export function offsetOf(text: string, p: Position): number {
  const re = /\r\n|\r|\n/g;
  let line = 0;
  let start = 0;
  while (line < p.line) {
    const m = re.exec(text);
    if (!m) break;
    start = m.index + m[0].length;
    line++;
  }
  return start + p.character;
}

/** Per-file time bound: generous (the benchmark holds the real figures); catches hangs and blow-ups. */
export function timeBound(text: string): number {
  return 200 + 0.1 * lineLengths(text).length + 0.002 * text.length;
}

/**
 * Runs `fn` and returns its result and its CPU time (not wall time: CI machines and a busy
 * developer box starve the process, a hang does not need a clock to show). Re-runs up to twice
 * while over `bound` and keeps the fastest (a GC pause, a cold JIT). A blow-up stays over it.
 */
export function timed<T>(fn: () => T, bound: number): { result: T; ms: number } {
  let result!: T;
  let ms = Infinity;
  for (let i = 0; i < 3 && ms > bound; i++) {
    const t = process.cpuUsage();
    result = fn();
    const d = process.cpuUsage(t);
    ms = Math.min(ms, (d.user + d.system) / 1000);
  }
  return { result, ms };
}

/** How many inputs (and fixes) went through the invariants: reported after each suite. */
export const stats = { inputs: 0, fixes: 0 };

const short = (s: string) => JSON.stringify(s.length > 300 ? s.slice(0, 300) + '…' : s);

/** Asserts the range and edit invariants of every finding of `text`. */
export function assertFindingsInside(text: string, findings: Finding[]): void {
  const lines = lineLengths(text);
  for (const f of findings) {
    const where = `${f.rule} at ${JSON.stringify(f.range)} (${lines.length} lines)`;
    assert.ok(positionInside(f.range.start, lines) && positionInside(f.range.end, lines), `${where}: range outside the document`);
    assert.ok(offsetOf(text, f.range.start) <= offsetOf(text, f.range.end), `${where}: range ends before it starts`);
    assert.ok(!(f.rule === 'SD000' && /Internal error/.test(f.message)), `${where}: ${f.message}`);
    for (const fix of f.fixes) assertEditsInside(text, fix, `${where}, fix "${fix.title}"`);
  }
}

/** The edits of one fix: inside the document, start ≤ end, pairwise disjoint (insertions may share a point). */
export function assertEditsInside(text: string, fix: Fix, where: string): void {
  const lines = lineLengths(text);
  const spans = fix.edits.map((e) => {
    assert.ok(positionInside(e.range.start, lines) && positionInside(e.range.end, lines), `${where}: edit ${JSON.stringify(e.range)} outside the document`);
    const s = offsetOf(text, e.range.start);
    const en = offsetOf(text, e.range.end);
    assert.ok(s <= en, `${where}: edit ${JSON.stringify(e.range)} ends before it starts`);
    return [s, en] as const;
  });
  const sorted = [...spans].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (let i = 1; i < sorted.length; i++) {
    const [ps, pe] = sorted[i - 1];
    const [s, e] = sorted[i];
    const overlap = s < pe || (s === ps && ps !== pe && s !== e);
    assert.ok(!overlap, `${where}: edits [${ps},${pe}) and [${s},${e}) overlap`);
  }
}

/**
 * Applies `fix` with the engine's applier and asserts the text outside its edit ranges survives:
 * the prefix before the first edit, the suffix after the last, and every gap between, in order.
 * Returns the fixed text.
 */
export function assertFixKeepsText(text: string, fix: Fix, where: string): string {
  const after = applyEdits(text, fix.edits);
  const spans = fix.edits.map((e: TextEdit) => [offsetOf(text, e.range.start), offsetOf(text, e.range.end)] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (spans.length === 0) {
    assert.equal(after, text, `${where}: a fix without edits changed the text`);
    return after;
  }
  const first = spans[0][0];
  const last = Math.max(...spans.map((s) => s[1]));
  assert.equal(after.slice(0, first), text.slice(0, first), `${where}: text before the first edit changed`);
  assert.equal(after.slice(after.length - (text.length - last)), text.slice(last), `${where}: text after the last edit changed`);
  let from = first;
  for (let i = 0; i + 1 < spans.length; i++) {
    const gap = text.slice(spans[i][1], spans[i + 1][0]);
    if (!gap) continue;
    const at = after.indexOf(gap, from);
    assert.ok(at >= 0, `${where}: the text ${short(gap)} between two edits was lost`);
    from = at + gap.length;
  }
  return after;
}

export interface CheckOptions {
  file?: string;
  root?: string;
  fs?: FileSystem;
  /** Check at most this many fixes (the bigger inputs make each re-check costly). */
  maxFixes?: number;
}

/** Every invariant of §7 for one Dockerfile text; returns the findings. */
export function assertRobust(text: string, options: CheckOptions = {}): Finding[] {
  const file = options.file ?? '/ctx/Dockerfile';
  const root = options.root ?? '/ctx';
  const fs = options.fs ?? new MemoryFileSystem({ [file]: text });
  const bound = timeBound(text);
  stats.inputs++;
  const { result, ms } = timed(() => checkDockerfile({ file, text, fs, root }).findings, bound);
  assert.ok(ms <= bound, `checkDockerfile took ${ms.toFixed(0)} ms (bound ${bound.toFixed(0)} ms) on ${lineLengths(text).length} lines`);
  assertFindingsInside(text, result);
  let left = options.maxFixes ?? Infinity;
  for (const f of result) {
    for (const fix of f.fixes) {
      if (left-- <= 0) return result;
      const where = `${f.rule} line ${f.range.start.line + 1}, fix "${fix.title}"`;
      stats.fixes++;
      const after = assertFixKeepsText(text, fix, where);
      const problem = checkFixedText(text, after, [fix]);
      assert.equal(problem, undefined, `${where}: ${problem}\n--- before\n${text}\n--- after\n${after}`);
      // The fixed text is itself input: it must check without throwing.
      assertFindingsInside(after, checkDockerfile({ file, text: after, fs, root }).findings);
    }
  }
  return result;
}

/** Prints, after a suite, how many inputs and fixes it put through the invariants. */
export function reportStats(): void {
  let start = { ...stats };
  before(() => (start = { ...stats }));
  after(() => console.log(`      ${stats.inputs - start.inputs} inputs checked, ${stats.fixes - start.fixes} fixes applied`));
}
