// Where whole instructions start and end in the text, for edits that insert or move them: an
// instruction's block is the comment lines directly above it (a `# slimdock: ignore=` or a note
// about it belongs to it) and its own lines through the line break after its last line.
// Text is taken verbatim, so continuations, heredocs and the escape character travel unchanged.
import type { DockerfileModel, InstructionModel } from '../parse/dockerfile';

export interface Block {
  /** Offset of the first comment line above the instruction (or of the instruction's line). */
  start: number;
  /** Offset just after the line break that ends the instruction's last line (or the text's end). */
  end: number;
  /** The whitespace before the instruction keyword. */
  indent: string;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function blockOf(model: DockerfileModel, inst: InstructionModel): Block {
  const text = model.text;
  const own = lineStart(text, inst.start);
  // Comment lines right above, but never inside the previous instruction (its heredoc or continuation).
  const index = model.instructions.indexOf(inst);
  const floor = index > 0 ? model.instructions[index - 1].end : 0;
  let start = own;
  while (start > 0) {
    const above = lineStart(text, start - 1);
    if (above < floor || !/^[ \t]*#/.test(text.slice(above, start))) break;
    start = above;
  }
  const nl = text.indexOf('\n', inst.end);
  const end = nl < 0 ? text.length : nl + 1;
  return { start, end, indent: /^[ \t]*/.exec(text.slice(own, inst.start))![0] };
}

/** The text of a block, ending with a line break. */
export function blockText(model: DockerfileModel, block: Block): string {
  const t = model.text.slice(block.start, block.end);
  return t.endsWith('\n') ? t : `${t}\n`;
}

/** `RUN` flags and a command on continuation lines, in the file's escape character. */
export function runLines(escapeChar: string, indent: string, flags: string[], command: string): string {
  const parts = [...flags, command];
  return `${indent}RUN ${parts.join(` ${escapeChar}\n${indent}    `)}\n`;
}
