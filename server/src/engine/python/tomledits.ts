// Minimal text edits to TOML: remove an array element (commas and the other entries intact),
// append to an array (in its layout), add lines to a table, append a table at the end.
import type { AST } from 'toml-eslint-parser';
import type { TextEdit } from '../types';
import type { TomlDoc } from './toml';

function edit(doc: TomlDoc, start: number, end: number, newText: string): TextEdit {
  return { range: doc.rangeOf(start, end), newText };
}

const lineStart = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;

/** After `offset`: spaces, an optional comma, spaces; returns where the comma was (or -1) and where that run ends. */
function skipComma(text: string, offset: number): { comma: number; end: number } {
  let i = offset;
  while (text[i] === ' ' || text[i] === '\t') i++;
  if (text[i] !== ',') return { comma: -1, end: offset };
  const comma = i++;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return { comma, end: i };
}

/** Removes element `index` of `array`, keeping the other entries, their commas and comments. */
export function removeArrayElement(doc: TomlDoc, array: AST.TOMLArray, index: number): TextEdit {
  const text = doc.text;
  const el = array.elements[index];
  const [s, e] = el.range;
  const after = skipComma(text, e);
  const ls = lineStart(text, s);
  // Alone on its line (possibly with a trailing comment): remove the whole line.
  const nl = text.indexOf('\n', after.end);
  const restOfLine = text.slice(after.end, nl < 0 ? text.length : nl);
  if (/^[ \t]*$/.test(text.slice(ls, s)) && /^\s*(#.*)?$/.test(restOfLine)) return edit(doc, ls, nl < 0 ? text.length : nl + 1, '');
  const next = array.elements[index + 1];
  if (next) return edit(doc, s, next.range[0], '');
  if (after.comma >= 0) return edit(doc, s, after.end, '');
  const prev = array.elements[index - 1];
  if (prev) return edit(doc, prev.range[1], e, '');
  return edit(doc, s, e, '');
}

/** Appends `items` (TOML source texts) as the last elements of `array`, in the array's layout. */
export function appendToArray(doc: TomlDoc, array: AST.TOMLArray, items: string[]): TextEdit[] {
  const text = doc.text;
  const close = array.range[1] - 1; // the `]`
  const last = array.elements[array.elements.length - 1];
  if (!last) return [edit(doc, array.range[0] + 1, close, items.join(', '))];
  const lastLine = lineStart(text, last.range[0]);
  const closeLine = lineStart(text, close);
  const after = skipComma(text, last.range[1]);
  if (closeLine > lastLine && /^\s*$/.test(text.slice(closeLine, close))) {
    // Multi-line: new lines before the `]` line, indented like the last element.
    const indent = /^\s*/.exec(text.slice(lastLine, last.range[0]))![0] || '    ';
    const edits = [edit(doc, closeLine, closeLine, items.map((i) => `${indent}${i},\n`).join(''))];
    if (after.comma < 0) edits.unshift(edit(doc, last.range[1], last.range[1], ','));
    return edits;
  }
  if (after.comma >= 0) return [edit(doc, after.comma + 1, after.comma + 1, ` ${items.join(', ')},`)];
  return [edit(doc, last.range[1], last.range[1], `, ${items.join(', ')}`)];
}

/** Adds lines at the end of a `[table]` (after its last key-value). */
export function appendToTable(doc: TomlDoc, table: AST.TOMLTable, lines: string): TextEdit {
  const end = table.range[1];
  return edit(doc, end, end, `\n${lines.replace(/\n$/, '')}`);
}

/** Appends text (new tables) at the end of the document, separated by a blank line. */
export function appendAtEnd(doc: TomlDoc, block: string): TextEdit {
  const text = doc.text;
  const lead = text.length === 0 ? '' : text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
  return edit(doc, text.length, text.length, `${lead}${block.replace(/\n*$/, '\n')}`);
}
