// A RUN as a list of units: top-level commands (a pipeline is one unit) joined by `&&`, `;` or
// newlines, each with its redirections. Optimize drops units and edits words inside units, and
// puts the RUN back together from the original text: separators, continuations and comments are
// kept as written. A plain assignment statement (`deps="gcc"`) is a unit of its own, without
// commands. A RUN whose shell is not such a simple list (if/for/||, exports between commands) does
// not split: `splitRun` returns undefined and the caller keeps it whole.
import type { DockerfileModel, InstructionModel } from '../parse/dockerfile';
import type { ShellCommand, ShellIf } from '../parse/shell';
import { ModifiableInstruction, Run } from 'dockerfile-ast';

export interface Unit {
  /** Document offsets of the unit: its first command to the end of its last redirection. */
  start: number;
  end: number;
  /** Every command inside the unit (pipeline members, `sh -c` bodies, substitutions). */
  commands: ShellCommand[];
  /** A plain assignment statement (`deps="gcc libpq-dev"`): the variables it sets, and no commands. */
  assigns?: string[];
  /** An `if` statement: the unit is all of it, and `commands` its condition's and branches' commands. */
  cond?: ShellIf;
}

export interface SplitRun {
  inst: InstructionModel;
  units: Unit[];
  /** The RUN is exec form: it is kept or dropped whole. */
  whole: boolean;
}

/** Text edit inside a unit (document offsets). */
export interface WordEdit {
  start: number;
  end: number;
  text: string;
}

/** Redirections after a command, the blanks around them possibly holding line continuations (the shell text has none left). */
function redirectIn(esc: string): RegExp {
  const blank = `(?:[ \\t]|${esc}[ \\t]*\\r?\\n)*`;
  return new RegExp(`^(?:${blank}\\d*(?:>>|>&|&>|>|<<<|<)${blank}(?:"[^"]*"|'[^']*'|[^\\s;&|()<>${esc}]+))*`);
}

/** One split per RUN model: analysis, its cd tracking and SD401's fix each ask. */
const splits = new WeakMap<InstructionModel, SplitRun | null>();

export function splitRun(model: DockerfileModel, inst: InstructionModel): SplitRun | undefined {
  const known = splits.get(inst);
  if (known !== undefined) return known ?? undefined;
  const split = unitsOf(model, inst);
  splits.set(inst, split ?? null);
  return split;
}

function unitsOf(model: DockerfileModel, inst: InstructionModel): SplitRun | undefined {
  const run = inst.run;
  if (!run) return undefined;
  if (run.execForm) return { inst, units: [{ start: inst.start, end: inst.end, commands: run.commands }], whole: true };
  if (run.hasError || run.commands.length === 0) return undefined;
  const text = model.text;
  // A line ending in two escape characters (`&& \\`): Docker joins the lines and keeps one of them,
  // the shell model reads an escaped escape and a line break. Where the commands split is not known.
  const esc = model.escapeChar.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  if (new RegExp(`${esc}${esc}[ \\t]*\\r?\\n`).test(text.slice(inst.start, inst.end))) return undefined;
  const normalize = shellText(model);
  const redirects = redirectIn(esc);
  // The top-level commands, and the assignment statements between them (a unit of their own).
  // An `if` statement is one unit, whatever it holds.
  const inIf = (start: number) => run.conditionals.some((c) => start >= c.start && start < c.end);
  const tops: { start: number; end: number; commands: ShellCommand[]; assigns?: string[]; cond?: ShellIf }[] = [
    ...topLevelGroups(run.commands).filter((g) => !inIf(g[0].start)).map((g) => ({ start: g[0].start, end: Math.max(...g.map((c) => c.end)), commands: g })),
    ...run.assignments.map((x) => ({ start: x.start, end: x.end, commands: [], assigns: x.names })),
    ...run.conditionals.map((c) => ({ start: c.start, end: c.end, commands: run.commands.filter((x) => x.start >= c.start && x.end <= c.end), cond: c })),
  ].sort((x, y) => x.start - y.start);

  const units: Unit[] = [];
  let current: Unit | undefined;
  for (let i = 0; i < tops.length; i++) {
    const group = tops[i];
    if (!current) current = { start: group.start, end: group.end, commands: [], ...(group.assigns ? { assigns: group.assigns } : {}), ...(group.cond ? { cond: group.cond } : {}) };
    current.commands.push(...group.commands);
    current.end = Math.max(current.end, group.end);
    const next = tops[i + 1];
    if (!next) {
      const tail = text.slice(current.end, inst.end);
      const redirect = redirects.exec(tail)![0];
      current.end += redirect.length;
      units.push(current);
      break;
    }
    const between = text.slice(current.end, next.start);
    const norm = normalize(between);
    const redirect = redirects.exec(norm)![0];
    // The same redirections in the document (`echo x \\\n  >> file`): where the unit ends.
    const raw = redirects.exec(between)![0];
    if (normalize(raw).length !== redirect.length) return undefined;
    const sep = /^[ \t]*(&&|;|\||\r?\n)\s*$/.exec(norm.slice(redirect.length));
    if (!sep) return undefined; // ||, control flow, exports …
    if (sep[1] === '|') {
      if (current.assigns || next.assigns || current.cond || next.cond) return undefined;
      continue; // a pipeline is one unit
    }
    current.end += raw.length;
    units.push(current);
    current = undefined;
  }

  // Only blanks and continuations (or the heredoc operator) may stand before the first and after the last unit.
  const lead = normalize(text.slice(bodyStart(model, inst), units[0].start));
  const trail = normalize(text.slice(units[units.length - 1].end, inst.end));
  if (run.heredoc) {
    if (!(inst.node instanceof Run) || inst.node.getHeredocs().length !== 1) return undefined;
    // (The shell before the operator, `RUN bash <<EOF`, or after it, `RUN <<"EOF" bash`: found by review.)
    if (!/^\s*((\/(usr\/)?bin\/)?(ba|da|a)?sh(\s+-[a-z]+)*\s*)?<<-?\s*(["']?)[A-Za-z0-9_.-]+\6([ \t]+(\/(usr\/)?bin\/)?(ba|da|a)?sh(\s+-[a-z]+)*)?[ \t]*\r?\n\s*$/.test(lead)) return undefined;
    if (!/^[\s;]*[A-Za-z0-9_.-]+\s*$/.test(trail)) return undefined;
  } else {
    if (!/^\s*$/.test(lead) || !/^[\s;]*$/.test(trail)) return undefined;
  }
  return { inst, units, whole: false };
}

/** Where the shell text of a RUN starts: after the keyword and every flag. */
/**
 * Shell text of a RUN as the shell reads it: continuations joined, comment lines inside them
 * dropped (Docker drops them).
 */
export function shellText(model: DockerfileModel): (s: string) => string {
  const esc = model.escapeChar.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  // (Empty lines after a continuation too, as Docker drops them: found by review.)
  const continuation = new RegExp(`${esc}[ \\t]*\\r?\\n([ \\t]*\\r?\\n)*`, 'g');
  return (s) => s.replace(/^[ \t]*#[^\n]*(\n|$)/gm, '').replace(continuation, ' ');
}

/** The commands grouped by the top-level command that contains them (in text order; the top one first). */
export function topLevelGroups(commands: readonly ShellCommand[]): ShellCommand[][] {
  const sorted = [...commands].sort((a, b) => a.start - b.start || b.end - a.end);
  const tops: ShellCommand[][] = [];
  for (const c of sorted) {
    const last = tops[tops.length - 1]?.[0];
    if (last && c.start >= last.start && c.end <= last.end) tops[tops.length - 1].push(c);
    else tops.push([c]);
  }
  return tops;
}

/** Where the shell text of a RUN starts: after the keyword and every flag. */
export function bodyStart(model: DockerfileModel, inst: InstructionModel): number {
  let at = model.offsetAt(inst.node.getInstructionRange().end);
  if (inst.node instanceof ModifiableInstruction) for (const f of inst.node.getFlags()) at = Math.max(at, model.offsetAt(f.getRange().end));
  return at;
}

/**
 * The RUN with only the units in `keep`, word edits applied; undefined when nothing is kept.
 * Separators are the original ones after each kept unit, so continuations and comments stay.
 */
export function renderRun(model: DockerfileModel, split: SplitRun, keep: boolean[], edits: Map<number, WordEdit[]>): string | undefined {
  const { inst, units } = split;
  const kept = units.map((_, i) => i).filter((i) => keep[i]);
  if (kept.length === 0) return undefined;
  if (split.whole) return model.text.slice(inst.start, inst.end);
  const text = model.text;
  const unitText = (i: number) => editedUnit(model, units[i], edits.get(i));
  let out = text.slice(inst.start, units[0].start);
  kept.forEach((i, k) => {
    out += unitText(i);
    if (k < kept.length - 1) out += text.slice(units[i].end, units[i + 1].start);
  });
  out += text.slice(units[units.length - 1].end, inst.end);
  return out;
}

/** The text of a unit with its word edits applied. */
export function editedUnit(model: DockerfileModel, u: Unit, edits: readonly WordEdit[] = []): string {
  let s = model.text.slice(u.start, u.end);
  for (const e of [...edits].sort((a, b) => b.start - a.start)) s = s.slice(0, e.start - u.start) + e.text + s.slice(e.end - u.start);
  return s;
}
