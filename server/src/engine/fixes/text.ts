// Applying text edits: positions are LSP's (0-based lines, UTF-16 columns; `\r\n`, `\n` and `\r`
// all end a line). Pure: text in, text out.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range, TextEdit } from '../types';

/** The line break a file uses: CRLF when its first line break is one, else LF. */
export function eolOf(text: string): '\n' | '\r\n' {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

/**
 * Rules write `\n` in the text they insert; in a CRLF file that would leave mixed line endings.
 * Returns the edits with their line breaks in the file's style.
 */
export function withEol(text: string, edits: readonly TextEdit[]): TextEdit[] {
  if (eolOf(text) === '\n') return [...edits];
  return edits.map((e) => ({ range: e.range, newText: e.newText.replace(/\r?\n/g, '\r\n') }));
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** Edits in document order; edits at the same position keep their given order (LSP's rule). */
export function sortEdits(edits: readonly TextEdit[]): TextEdit[] {
  return edits
    .map((e, i) => ({ e, i }))
    .sort((a, b) => comparePositions(a.e.range.start, b.e.range.start) || comparePositions(a.e.range.end, b.e.range.end) || a.i - b.i)
    .map((x) => x.e);
}

/**
 * True when two edits cannot both be applied without one changing what the other meant: their
 * ranges overlap or touch (an insertion where another edit starts or ends included: which text
 * comes first would be a guess). Conservative on purpose, as ESLint's fix merging is.
 */
export function conflicts(a: TextEdit, b: TextEdit): boolean {
  return comparePositions(a.range.start, b.range.end) <= 0 && comparePositions(b.range.start, a.range.end) <= 0;
}

export function sameEdit(a: TextEdit, b: TextEdit): boolean {
  return a.newText === b.newText && comparePositions(a.range.start, b.range.start) === 0 && comparePositions(a.range.end, b.range.end) === 0;
}

/**
 * Applies edits to a text (sorted here, stable). Throws when two edits overlap: callers de-overlap
 * first (see fixAll). Line breaks inserted follow the file's style.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const doc = TextDocument.create('file:///text', 'text', 0, text);
  return TextDocument.applyEdits(doc, withEol(text, edits));
}

/**
 * The line `pos` is on once the edits are applied (non-overlapping edits). A position inside a
 * replaced range goes where the replacement ends: the text after it stays attached there.
 */
export function mapLine(edits: readonly TextEdit[], pos: Position): number {
  let line = pos.line;
  for (const e of edits) {
    const before = comparePositions(e.range.end, pos) <= 0 && !(comparePositions(e.range.start, pos) === 0 && !isEmpty(e.range));
    const inside = !before && comparePositions(e.range.start, pos) <= 0;
    const added = e.newText.match(/\r\n|\r|\n/g)?.length ?? 0;
    if (before) line += added - (e.range.end.line - e.range.start.line);
    else if (inside) line += e.range.start.line + added - pos.line;
  }
  return line;
}

function isEmpty(r: Range): boolean {
  return comparePositions(r.start, r.end) === 0;
}
