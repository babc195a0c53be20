// TOML with positions (toml-eslint-parser): every key-value with its full key path, offsets →
// 0-based line/character ranges, and parse errors as values rather than throws.
import { parseTOML, getStaticTOMLValue, type AST } from 'toml-eslint-parser';
import { parse as parseValues } from 'smol-toml';
import type { Position, Range } from '../types';
import { TextCache } from '../parse/cache';

const valueCache = new TextCache<{ value?: Record<string, unknown>; error?: string }>(256);

/**
 * A TOML file's values alone, for readers that need no positions (configuration, a rule asking
 * what a pyproject.toml declares, Optimize): smol-toml's plain objects, parsed once per text and
 * shared (read them only). `error` is the first line of the parser's message.
 */
export function tomlValues(text: string): { value?: Record<string, unknown>; error?: string } {
  return valueCache.getOr(text, () => {
    try {
      return { value: parseValues(text) as Record<string, unknown> };
    } catch (e) {
      return { error: String((e as Error).message ?? e).split('\n')[0] };
    }
  });
}

export type KeyPath = (string | number)[];

export interface TomlEntry {
  /** Full key path: `['tool', 'uv', 'index', 0, 'url']`. */
  path: KeyPath;
  node: AST.TOMLKeyValue;
}

export interface TomlError {
  message: string;
  range: Range;
}

export interface TomlDoc {
  text: string;
  ast: AST.TOMLProgram;
  value: Record<string, unknown>;
  /** Every key-value, tables' and inline tables' included, in document order. */
  entries: TomlEntry[];
  /** `[table]` and `[[array]]` headers by their key path (`tool.uv.index.0`). */
  tables: Map<string, AST.TOMLTable>;
  positionAt(offset: number): Position;
  rangeOf(start: number, end: number): Range;
}

/** Offsets where lines start; `\r\n`, `\r` and `\n` end a line, as in LSP's TextDocument. */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
    if (c === 10 || c === 13) starts.push(i + 1);
  }
  return starts;
}

export function positionFinder(text: string): (offset: number) => Position {
  const starts = lineStartsOf(text);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    // Never past the line's end (an offset inside its CRLF belongs to the line break).
    let end = lo + 1 < starts.length ? starts[lo + 1] : text.length;
    while (end > starts[lo] && (text.charCodeAt(end - 1) === 10 || text.charCodeAt(end - 1) === 13)) end--;
    return { line: lo, character: Math.min(offset, end) - starts[lo] };
  };
}

/** Parses TOML; a syntax error comes back as `{ error }` with its position, never as a throw. */
export function parseTomlDoc(text: string): { doc?: TomlDoc; error?: TomlError } {
  const positionAt = positionFinder(text);
  const rangeOf = (start: number, end: number): Range => ({ start: positionAt(start), end: positionAt(end) });
  let ast: AST.TOMLProgram;
  let value: Record<string, unknown>;
  try {
    ast = parseTOML(text);
    value = getStaticTOMLValue(ast) as Record<string, unknown>;
  } catch (e) {
    const err = e as { message?: string; index?: number; lineNumber?: number; column?: number };
    // From the offset when the parser gives one: its line numbers do not count lone CRs.
    const at: Position = typeof err.index === 'number' ? positionAt(Math.min(Math.max(err.index, 0), text.length)) : { line: 0, character: 0 };
    return { error: { message: err.message ?? String(e), range: { start: at, end: at } } };
  }
  const entries: TomlEntry[] = [];
  const tables = new Map<string, AST.TOMLTable>();
  const walkKv = (prefix: KeyPath, kv: AST.TOMLKeyValue) => {
    const path = [...prefix, ...kv.key.keys.map(keyName)];
    entries.push({ path, node: kv });
    walkValue(path, kv.value);
  };
  const walkValue = (path: KeyPath, v: AST.TOMLContentNode) => {
    if (v.type === 'TOMLInlineTable') for (const kv of v.body) walkKv(path, kv);
    else if (v.type === 'TOMLArray') v.elements.forEach((el, i) => walkValue([...path, i], el));
  };
  for (const item of ast.body[0].body) {
    if (item.type === 'TOMLKeyValue') walkKv([], item);
    else {
      tables.set(item.resolvedKey.join('.'), item);
      for (const kv of item.body) walkKv(item.resolvedKey, kv);
    }
  }
  return { doc: { text, ast, value, entries, tables, positionAt, rangeOf } };
}

export function keyName(k: AST.TOMLBare | AST.TOMLQuoted): string {
  return k.type === 'TOMLBare' ? k.name : k.value;
}

/** The key-value at exactly this path. */
export function entryAt(doc: TomlDoc, ...path: KeyPath): AST.TOMLKeyValue | undefined {
  const want = path.join('\u0000');
  return doc.entries.find((e) => e.path.join('\u0000') === want)?.node;
}

/** A value by key path in the static value. */
export function valueAt(value: unknown, ...path: KeyPath): unknown {
  let v = value;
  for (const k of path) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

export function nodeRange(doc: TomlDoc, node: { range: [number, number] }): Range {
  return doc.rangeOf(node.range[0], node.range[1]);
}

export function isString(node: AST.TOMLContentNode): node is AST.TOMLStringValue {
  return node.type === 'TOMLValue' && node.kind === 'string';
}
