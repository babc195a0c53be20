// `requires-python` as an interval of versions: to compare two spellings of the same bound
// (`>=3.11,<3.12` and uv's `==3.11.*`) and to find the lowest Python a project allows.

export interface Bound {
  version: number[];
  inclusive: boolean;
}

export interface VersionRange {
  lower?: Bound;
  upper?: Bound;
  /** `!=` clauses, normalised. */
  excluded: string[];
}

function release(v: string): number[] | undefined {
  const m = /^v?(\d+(?:\.\d+)*)$/.exec(v.trim());
  if (!m) return undefined;
  const parts = m[1].split('.').map(Number);
  while (parts.length > 1 && parts[parts.length - 1] === 0) parts.pop();
  return parts;
}

/** Compares two release tuples (`[3, 12]` < `[3, 12, 1]`), missing parts as 0. */
export function compareRelease(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function bump(parts: number[], at: number): number[] {
  const out = parts.slice(0, at + 1);
  while (out.length < at + 1) out.push(0);
  out[at]++;
  return out;
}

/** Parses `>=3.10,<3.13`, `==3.12.*`, `~=3.11`, poetry's `^3.10` and `3.11.*`; undefined when unreadable. */
export function parseVersionRange(spec: string): VersionRange | undefined {
  const range: VersionRange = { excluded: [] };
  const raise = (b: Bound) => {
    if (!range.lower || compareRelease(b.version, range.lower.version) > 0 || (compareRelease(b.version, range.lower.version) === 0 && !b.inclusive)) range.lower = b;
  };
  const lowerTo = (b: Bound) => {
    if (!range.upper || compareRelease(b.version, range.upper.version) < 0 || (compareRelease(b.version, range.upper.version) === 0 && !b.inclusive)) range.upper = b;
  };
  const clauses = spec.split(/[,|]/).map((c) => c.trim()).filter(Boolean);
  if (spec.includes('||')) return undefined; // poetry alternatives: not an interval
  if (clauses.length === 0) return undefined;
  for (const clause of clauses) {
    const m = /^(~=|===|==|!=|<=|>=|<|>|\^|~|=)?\s*(.+)$/.exec(clause);
    if (!m) return undefined;
    const op = m[1] ?? '==';
    const raw = m[2].trim();
    const wildcard = raw.endsWith('.*') || raw === '*';
    if (raw === '*') continue;
    const v = release(raw.replace(/\.\*$/, ''));
    if (!v) return undefined;
    const digits = raw.replace(/\.\*$/, '').split('.').length;
    switch (op) {
      case '>=':
        raise({ version: v, inclusive: true });
        break;
      case '>':
        raise({ version: v, inclusive: false });
        break;
      case '<=':
        lowerTo({ version: v, inclusive: true });
        break;
      case '<':
        lowerTo({ version: v, inclusive: false });
        break;
      case '!=':
        range.excluded.push(`${v.join('.')}${wildcard ? '.*' : ''}`);
        break;
      case '~=':
        if (digits < 2) return undefined;
        raise({ version: v, inclusive: true });
        lowerTo({ version: bump(raw.split('.').map(Number), digits - 2), inclusive: false });
        break;
      case '^': {
        // poetry: ^3.10 → >=3.10,<4; ^0.2 → >=0.2,<0.3
        const parts = raw.split('.').map(Number);
        const first = parts.findIndex((p) => p !== 0);
        raise({ version: v, inclusive: true });
        lowerTo({ version: bump(parts, first < 0 ? parts.length - 1 : first), inclusive: false });
        break;
      }
      case '~': {
        const parts = raw.split('.').map(Number);
        raise({ version: v, inclusive: true });
        lowerTo({ version: bump(parts, parts.length >= 2 ? 1 : 0), inclusive: false });
        break;
      }
      default: // == and ===, with or without a wildcard
        raise({ version: v, inclusive: true });
        if (wildcard) lowerTo({ version: bump(raw.replace(/\.\*$/, '').split('.').map(Number), digits - 1), inclusive: false });
        else lowerTo({ version: v, inclusive: true });
    }
  }
  range.excluded.sort();
  return range;
}

/** Same set of versions (as far as the two intervals tell). */
export function sameRange(a: VersionRange, b: VersionRange): boolean {
  const eq = (x?: Bound, y?: Bound) => (!x && !y) || (!!x && !!y && x.inclusive === y.inclusive && compareRelease(x.version, y.version) === 0);
  return eq(a.lower, b.lower) && eq(a.upper, b.upper) && a.excluded.join() === b.excluded.join();
}

export const DEFAULT_PYTHON = { major: 3, minor: 12 };

/** The lowest Python `X.Y` a `requires-python` allows (3.12 when none is readable). */
export function lowestPython(spec: string | undefined): { major: number; minor: number } {
  const r = spec ? parseVersionRange(spec) : undefined;
  const lo = r?.lower;
  if (!lo || lo.version[0] !== 3) return DEFAULT_PYTHON;
  const minor = lo.version[1] ?? 0;
  // `>3.11` still allows 3.11.1; `>3.11.*`-style exclusive bounds on a minor are rare.
  return { major: 3, minor };
}
