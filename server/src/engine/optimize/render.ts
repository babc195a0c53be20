// Puts the new file together from the old text: what stood before the first FROM, every stage
// that stays (as written), the builder, and the final stage: the slim base, then every
// instruction of the old final stage (and the stages it was built FROM) in order, with the
// comment lines above it, RUNs re-assembled from their kept units, and the environment copied in
// where the first install was.
import type { DockerfileModel, InstructionModel } from '../parse/dockerfile';
import { renderRun } from './units';
import { keptAsWritten, type Analysis } from './analyze';

export interface RenderInput {
  a: Analysis;
  /** The builder stage's instructions (none in system mode without build packages). */
  builder: string[];
  /** Instructions that go in where the first install was. */
  insert: string[];
  finalImage: string;
  /** `--platform=…` of the old base, with a trailing blank. */
  fromFlags: string;
  /** Replacement text for some chain RUNs (system mode rewrites installs in place). */
  replaced?: Map<InstructionModel, string>;
  /** Instructions right after the final stage's FROM (the full image's tools the slim one lacks). */
  afterFrom?: string[];
}

/** Comment lines and blanks between the previous instruction (or the file start) and this one. */
function gapBefore(model: DockerfileModel, inst: InstructionModel): string {
  const all = model.instructions;
  const i = all.indexOf(inst);
  const prevEnd = i > 0 ? all[i - 1].end : model.text.slice(0, inst.start).lastIndexOf('\n') + 1;
  return model.text.slice(Math.max(prevEnd, 0), inst.start);
}

/**
 * New text tidied: trailing blanks off, the blank lines left by removed instructions collapsed to
 * one. Lines end at `\n` only (not at U+2028, which a multiline `$` would also take). The old
 * file's own text is not in `s` (Verbatim).
 */
function tidy(s: string): string {
  return s
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
}

/**
 * The old file's own text (kept instructions, untouched stages), held apart while the new text is
 * tidied and given the file's line ending: it stays byte for byte (a heredoc body, a file with
 * mixed line endings). Inline when the file has NUL characters of its own (the marker could not be
 * told apart).
 */
class Verbatim {
  private readonly bodies: string[] = [];
  constructor(private readonly enabled: boolean) {}
  mark(body: string): string {
    return this.enabled ? `\u0000${this.bodies.push(body) - 1}\u0000` : body;
  }
  restore(s: string): string {
    return this.enabled ? s.replace(/\u0000(\d+)\u0000/g, (_, i) => this.bodies[Number(i)]) : s;
  }
}

export function renderFile(r: RenderInput): { text: string; notes: string[] } {
  const { a } = r;
  const model = a.model;
  const text = model.text;
  const notes: string[] = [];
  const first = model.instructions[0];
  const prelude = text.slice(0, first.start).replace(/\s+$/, '');
  const segments: string[] = prelude ? [prelude] : [];
  const absorbed = new Set(a.absorbed);
  const verbatim = new Verbatim(!text.includes('\u0000'));

  for (const stage of model.stages) {
    if (absorbed.has(stage)) {
      notes.push(`stage ${stage.name ?? stage.index} (line ${stage.instructions[0].node.getRange().start.line + 1}) was replaced by the ${r.builder.length ? 'builder stage' : 'install in the final stage'}.`);
      continue;
    }
    if (stage !== a.final && !keptAsWritten(a, stage)) continue;
    if (stage !== a.final) {
      const from = stage.instructions[0];
      const last = stage.instructions[stage.instructions.length - 1];
      const kept = tidy(gapBefore(model, from)).replace(/^[ \t\n]+/, '') + verbatim.mark(text.slice(from.start, last.end));
      // The comment right above the first FROM describes that stage: it stays on the line above it.
      if (from === first && prelude && !/\n[ \t]*\n[ \t]*$/.test(text.slice(0, first.start))) segments[segments.length - 1] += `\n${kept}`;
      else segments.push(kept);
      continue;
    }
    if (r.builder.length) segments.push(r.builder.join('\n'));
    segments.push(finalStage(r, notes, verbatim));
  }
  const lastInst = model.instructions[model.instructions.length - 1];
  const trailing = a.final === model.stages[model.stages.length - 1] ? text.slice(lastInst.end).trim() : '';
  if (trailing) segments.push(trailing);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { text: verbatim.restore(segments.join('\n\n').replace(/\r?\n/g, eol) + eol), notes };
}

function finalStage(r: RenderInput, notes: string[], verbatim: Verbatim): string {
  const { a } = r;
  const model = a.model;
  const from = a.final.instructions[0];
  // The chain's stages stay stages (`FROM python:3.11-slim AS web`, then `FROM web AS worker` as
  // written): a build that targets one (--target web, compose's target:) gets what it got (found
  // by review: folded, web took worker's CMD). Folded where a side stage keeps one of them as it
  // was (its name would be taken twice) or a stage is built on by number.
  const staged = keepsStages(a);
  const root = a.chain[0];
  const name = staged ? (root.name ? ` AS ${root.name}` : '') : a.final.name ? ` AS ${a.final.name}` : '';
  // (Kept as stages, the first FROM has its own comment lines; the final stage's stay above its FROM.)
  const leading = gapBefore(model, staged ? root.instructions[0] : from).replace(/^\s+/, '');
  let out = `${leading}FROM ${r.fromFlags}${r.finalImage}${name}`;
  if (r.afterFrom?.length) out += `\n${r.afterFrom.join('\n')}`;
  let pending = '';
  const commented = new Set<InstructionModel>();
  const insert = r.insert.join('\n');
  let inserted = r.insert.length === 0;
  for (const stage of a.chain) {
    for (const inst of stage.instructions) {
      const gap = gapBefore(model, inst);
      if (inst.keyword === 'FROM') {
        if (staged && stage !== root) {
          out += `${pending}${gap.replace(/^\s*\n/, '\n\n')}${verbatim.mark(model.text.slice(inst.start, inst.end))}`;
          pending = '';
          continue;
        }
        // Comments above a FROM of the chain describe the stage: keep them with what follows.
        if (inst !== from && !(staged && stage === root)) pending += gap.replace(/^\s*\n/, '\n');
        continue;
      }
      const line = inst.node.getRange().start.line + 1;
      if (inst === a.insertBefore && !inserted) {
        inserted = true;
        if (a.removed.has(inst)) {
          // The comments of the removed instructions that follow it (`# install deps` over the RUN
          // that moved to the builder) describe what the insert stands for: they go above it too
          // (found by review: they were dropped).
          let carried = '';
          const list = stage.instructions;
          for (let j = list.indexOf(inst) + 1; j < list.length && a.removed.has(list[j]); j++) {
            const c = commentLines(gapBefore(model, list[j]));
            if (c) carried += `${c}
`;
            commented.add(list[j]);
          }
          out += pending + gap + carried + insert;
          pending = '';
          if (!a.notes.some((n) => n.startsWith(`line ${line}: `))) notes.push(removalNote(a, inst, line));
          continue;
        }
        out += pending + '\n' + insert;
        pending = '';
      }
      if (a.removed.has(inst)) {
        // The analysis said why already (a COPY whose files a later rm deleted).
        if (!a.notes.some((n) => n.startsWith(`line ${line}: `))) notes.push(removalNote(a, inst, line));
        // Its comment lines, where they did not go above the insert: said, not dropped silently.
        const c = commented.has(inst) ? '' : commentLines(gapBefore(model, inst));
        if (c) notes.push(`line ${line}: the comment above it went with it: ${c.split('\n').map((l) => l.trim()).join(' ')}`);
        continue;
      }
      const plan = a.plans.get(inst);
      let body = r.replaced?.get(inst) ?? (plan ? renderRun(model, plan.split, plan.keep, plan.edits) : undefined) ?? model.text.slice(inst.start, inst.end);
      if (plan?.comments.length) body = `${plan.comments.join('\n')}\n${body}`;
      // The old instruction as written; a rewritten one (plan, replaced) is new text.
      if (body === model.text.slice(inst.start, inst.end)) body = verbatim.mark(body);
      out += pending + gap + body;
      pending = '';
    }
  }
  if (!inserted) out += '\n' + insert;
  return tidy(out);
}

/**
 * True when the output writes the final stage's chain as its stages (`FROM web AS worker` kept):
 * several stages, the first named, each built on the one before by its name, none kept apart for a
 * side stage.
 */
export function keepsStages(a: Analysis): boolean {
  if (a.chain.length < 2 || a.shared.length || !a.chain[0].name) return false;
  // The one environment holds every install: each stage of the chain gets what it got only where
  // all of them are in one stage (found by review: worker's torch landed in --target api).
  if (new Set(a.ops.map((o) => o.inst.stage)).size > 1) return false;
  return a.chain.slice(1).every((s) => !!s.parent && !/^\d+$/.test(s.from.getImageName() ?? '') && s.parent.name !== undefined);
}

/** The comment lines of a gap between instructions, without suppression directives (they applied to the instruction below them). */
function commentLines(gap: string): string {
  return gap
    .split(/\r?\n/)
    .filter((l) => /^[ \t]*#/.test(l) && !/^[ \t]*#\s*(slimdock|hadolint)\s*:?\s*(ignore|disable)/i.test(l))
    .join('\n');
}

function removalNote(a: Analysis, inst: InstructionModel, line: number): string {
  // In place (system mode) nothing moved to a builder: the RUN was packaging tooling or cleanup,
  // which the uv installs there replace (found by review: the note spoke of a builder there was not).
  if (inst.keyword === 'RUN' && a.installsInPlace) return `line ${line}: RUN removed (packaging tooling or cleanup: the final stage's installs in place replace it).`;
  return inst.keyword === 'RUN' ? `line ${line}: RUN removed (its installs run in the builder stage now; its cleanup is no longer needed).` : `line ${line}: ${inst.keyword} removed (the builder stage provides the environment).`;
}
