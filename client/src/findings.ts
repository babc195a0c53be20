// What the status item says about one file's slimdock diagnostics. No `vscode` import: the
// diagnostics are read structurally, so this is unit-tested without an editor.

/** The parts of a vscode.Diagnostic this module reads. */
export interface DiagnosticLike {
  source?: string;
  code?: string | number | { value: string | number };
  range: { start: { line: number } };
  /** Set by the server (server/src/lsp/diagnostics.ts); not part of the vscode.Diagnostic type. */
  data?: unknown;
}

export interface FindingsSummary {
  /** slimdock diagnostics in the file. */
  count: number;
  /** Sum of the known estimates, one per rule and line. */
  bytes: number;
  /** Rule+line pairs whose size is unknown (`estimateBytes: null` or absent). */
  unknown: number;
}

function ruleOf(d: DiagnosticLike): string {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return String(code ?? '');
}

function estimateOf(d: DiagnosticLike): number | null {
  const bytes = (d.data as { estimateBytes?: unknown } | undefined)?.estimateBytes;
  return typeof bytes === 'number' && Number.isFinite(bytes) && bytes >= 0 ? bytes : null;
}

/**
 * Counts slimdock's diagnostics and sums their estimates. A rule can report one line twice (two
 * packages on one `apt-get install`, say) with the same saving in each: a rule+line pair counts
 * once, with its largest estimate, so the total is not inflated.
 */
export function summarize(diagnostics: readonly DiagnosticLike[]): FindingsSummary {
  const ours = diagnostics.filter((d) => d.source === 'slimdock');
  const perRuleLine = new Map<string, number | null>();
  for (const d of ours) {
    const key = `${ruleOf(d)}@${d.range.start.line}`;
    const bytes = estimateOf(d);
    const seen = perRuleLine.get(key);
    perRuleLine.set(key, seen == null ? bytes : bytes == null ? seen : Math.max(seen, bytes));
  }
  let bytes = 0;
  let unknown = 0;
  for (const b of perRuleLine.values()) {
    if (b == null) unknown++;
    else bytes += b;
  }
  return { count: ours.length, bytes, unknown };
}

/** Decimal megabytes like the engine's estimates (1 MB = 10^6 bytes): "≈ 1.2 MB", "≈ 340 MB". */
export function formatMB(bytes: number): string {
  const mb = bytes / 1e6;
  const rounded = mb >= 10 ? Math.round(mb) : Math.round(mb * 10) / 10;
  return `≈ ${rounded} MB`;
}

/** "3 findings · ≈ 120 MB savable" — the status item's text for a checked file. */
export function describe(s: FindingsSummary): string {
  if (s.count === 0) return 'no findings';
  const findings = `${s.count} finding${s.count === 1 ? '' : 's'}`;
  return s.bytes > 0 ? `${findings} · ${formatMB(s.bytes)} savable` : findings;
}
