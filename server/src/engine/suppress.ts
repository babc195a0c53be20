// Inline suppression comments:
//   # slimdock: ignore=SD101,SD201      on the comment line(s) right above an instruction
//   # slimdock: ignore-file=SD406       anywhere in the file
//   # hadolint ignore=DL3042            for the rules that map to hadolint's
// (the same `# slimdock: ignore=` form works in TOML and requirements files: the line above).

export interface Suppressions {
  /** Rule ids (or hadolint ids) ignored on a 0-based line. */
  byLine: Map<number, Set<string>>;
  file: Set<string>;
}

const DIRECTIVE = /#\s*(slimdock|hadolint)\s*:?\s*(ignore|ignore-file|disable|disable-file)\s*=\s*([A-Za-z0-9_, ]+)/i;

export interface Span {
  startLine: number;
  endLine: number;
}

/**
 * Collects suppressions. `spans` are the statements (instructions, TOML entries): a directive in
 * the comment block directly above a span covers all its lines. Without spans, the next line.
 */
export function collectSuppressions(text: string, spans?: Span[]): Suppressions {
  const lines = text.split(/\r\n|\r|\n/);
  const result: Suppressions = { byLine: new Map(), file: new Set() };
  const pending: string[] = [];
  const spanAt = new Map<number, Span>();
  for (const s of spans ?? []) spanAt.set(s.startLine, s);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const trimmed = line.trimStart();
    if (trimmed.startsWith('#')) {
      const m = DIRECTIVE.exec(trimmed);
      if (m) {
        const ids = m[3].split(/[\s,]+/).filter(Boolean).map((x) => x.toUpperCase());
        if (/-file$/i.test(m[2])) ids.forEach((x) => result.file.add(x));
        else pending.push(...ids);
      }
      continue;
    }
    if (trimmed === '') {
      if (spans) continue; // blank lines between the comment and the instruction are allowed
      pending.length = 0;
      continue;
    }
    if (pending.length) {
      const span = spanAt.get(i) ?? { startLine: i, endLine: i };
      for (let l = span.startLine; l <= span.endLine; l++) {
        let set = result.byLine.get(l);
        if (!set) result.byLine.set(l, (set = new Set()));
        pending.forEach((x) => set!.add(x));
      }
      pending.length = 0;
    }
  }
  return result;
}

export function isSuppressed(s: Suppressions, line: number, ids: string[]): boolean {
  if (ids.some((id) => s.file.has(id) || s.file.has('ALL'))) return true;
  const set = s.byLine.get(line);
  return !!set && ids.some((id) => set.has(id) || set.has('ALL'));
}
