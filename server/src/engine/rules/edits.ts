// Small text-edit builders for fixes. Offsets are document offsets of the Dockerfile model.
import type { DockerfileModel, InstructionModel } from '../parse/dockerfile';
import type { Word } from '../parse/shell';
import type { TextEdit } from '../types';

export function insertAt(model: DockerfileModel, offset: number, text: string): TextEdit {
  const p = model.positionAt(offset);
  return { range: { start: p, end: p }, newText: text };
}

export function replaceSpan(model: DockerfileModel, start: number, end: number, text: string): TextEdit {
  return { range: model.rangeOf(start, end), newText: text };
}

/** Takes an instruction out with its line end (what `text` says stays there instead). */
export function dropInstruction(model: DockerfileModel, inst: InstructionModel, text = ''): TextEdit {
  let end = inst.end;
  if (model.text[end] === '\r') end++;
  if (model.text[end] === '\n') end++;
  return replaceSpan(model, inst.start, end, text);
}

/** Inserts an option right after a word; in exec form as a new JSON string. */
export function insertOptionAfter(model: DockerfileModel, word: Word, option: string, exec: boolean): TextEdit {
  return insertAt(model, word.end, exec ? `, "${option}"` : ` ${option}`);
}

/** Adds a `--mount=…` flag to a RUN, after its existing flags. */
export function addMount(model: DockerfileModel, inst: InstructionModel, mount: string): TextEdit {
  const flags = inst.run?.mounts ?? [];
  const keywordEnd = model.offsetAt(inst.node.getInstructionRange().end);
  const after = flags.length ? Math.max(...flags.map((m) => m.end)) : keywordEnd;
  return insertAt(model, after, ` --mount=${mount}`);
}
