// "Ignore SDnnn for this line": a `# slimdock: ignore=SDnnn` comment on its own line above the
// instruction the finding is in (the suppression covers every line of that instruction). Which
// instruction a line belongs to is dockerfile-ast's answer, so continuations follow the file's
// escape character (`# escape=\``), heredocs and comment lines inside a RUN.
import { DockerfileParser } from 'dockerfile-ast';
import type { TextEdit } from '../types';
import { eolOf } from './text';

/** A `# slimdock: ignore=…` line (not `ignore-file`): group 1 is everything up to the end of the id list. */
const IGNORE_LINE = /^(\s*#\s*slimdock\s*:?\s*(?:ignore|disable)\s*=\s*[A-Za-z0-9_]+(?:\s*,\s*[A-Za-z0-9_]+)*)/i;

/**
 * The edit that suppresses `rule` on 0-based `line`, or undefined when the line is in no
 * instruction (a comment, a blank line) or the rule is already listed there.
 */
export function ignoreEdit(text: string, line: number, rule: string): TextEdit | undefined {
  const inst = DockerfileParser.parse(text)
    .getInstructions()
    .find((i) => i.getRange().start.line <= line && line <= i.getRange().end.line);
  if (!inst) return undefined;
  const start = inst.getRange().start.line;
  const lines = text.split(/\r\n|\r|\n/);

  // A `# slimdock: ignore=` line in the comment block right above: add the rule to its list.
  for (let l = start - 1; l >= 0 && /^\s*#/.test(lines[l]); l--) {
    const m = IGNORE_LINE.exec(lines[l]);
    if (!m) continue;
    const ids = m[1].slice(m[1].indexOf('=') + 1).split(',').map((s) => s.trim().toUpperCase());
    if (ids.includes(rule.toUpperCase())) return undefined;
    const at = { line: l, character: m[1].length };
    return { range: { start: at, end: at }, newText: `,${rule}` };
  }

  const indent = /^[ \t]*/.exec(lines[start])![0];
  const at = { line: start, character: 0 };
  return { range: { start: at, end: at }, newText: `${indent}# slimdock: ignore=${rule}${eolOf(text)}` };
}
