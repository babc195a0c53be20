// The last findings of each open document, with the version they were computed for. Hover and
// code actions read from here; nothing is re-analysed on request.
import type { Finding, Position, Range } from '../engine';
import { isDiagnosticData } from './diagnostics';

interface Entry {
  version: number;
  findings: Finding[];
}

export class FindingStore {
  private readonly byUri = new Map<string, Entry>();

  set(uri: string, version: number, findings: Finding[]): void {
    this.byUri.set(uri, { version, findings });
  }

  delete(uri: string): void {
    this.byUri.delete(uri);
  }

  /** The findings of `uri` if they were computed for `version` (stale positions are worse than none). */
  get(uri: string, version: number): Finding[] | undefined {
    const e = this.byUri.get(uri);
    return e && e.version === version ? e.findings : undefined;
  }

  /** The finding a diagnostic's `data` points at, if the document is still at that version. */
  lookup(uri: string, data: unknown): Finding | undefined {
    if (!isDiagnosticData(data)) return undefined;
    return this.get(uri, data.version)?.[data.index];
  }

  /** Findings whose range holds `pos` (an empty range holds its whole line). */
  at(uri: string, version: number, pos: Position): Finding[] {
    return (this.get(uri, version) ?? []).filter((f) => contains(f.range, pos));
  }
}

export function contains(r: Range, p: Position): boolean {
  if (r.start.line === r.end.line && r.start.character === r.end.character) return p.line === r.start.line;
  const after = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const before = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return after && before;
}
