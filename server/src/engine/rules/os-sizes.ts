// Sizes of sets of apt packages from the Debian table (estimates/apt-sizes.json, made by
// scripts/apt-sizes.mjs). Dependencies of 1 MB or more are listed per package, so a set of
// packages that share them (`build-essential gcc gfortran`) counts each shared one once.
import aptTable from '../estimates/apt-sizes.json';

interface AptTable {
  packages: Record<string, number>;
  recommends: Record<string, number>;
  heavy: [string, number][];
  parts: Record<string, number[]>;
  recommendParts: Record<string, number[]>;
}
const table = aptTable as unknown as AptTable;

export interface SetSize {
  bytes: number;
  known: number;
  unknown: string[];
}

function key(name: string): string {
  return name.toLowerCase().replace(/[:=].*$/, '');
}

function heavyBytes(indexes: Iterable<number>): number {
  let sum = 0;
  for (const i of indexes) sum += table.heavy[i]?.[1] ?? 0;
  return sum;
}

/**
 * Installed bytes of `names` together, with their Depends closure, beyond the slim base.
 * With `recommends`: the extra bytes when Recommends are followed too.
 */
export function aptSetSize(names: string[], recommends = false): SetSize {
  const out: SetSize = { bytes: 0, known: 0, unknown: [] };
  const own = new Set<number>();
  const extra = new Set<number>();
  let small = 0;
  for (const name of new Set(names.map(key))) {
    const total = table.packages[name];
    if (total === undefined) {
      out.unknown.push(name);
      continue;
    }
    out.known++;
    const ownParts = table.parts[name] ?? [];
    const recParts = table.recommendParts[name] ?? [];
    ownParts.forEach((i) => own.add(i));
    recParts.forEach((i) => extra.add(i));
    // What is not listed by name is counted per package (small dependencies).
    small += recommends ? table.recommends[name] - heavyBytes(recParts) : total - heavyBytes(ownParts);
  }
  if (recommends) {
    // A recommended package that another named package depends on is installed anyway.
    for (const i of own) extra.delete(i);
    out.bytes = small + heavyBytes(extra);
  } else out.bytes = small + heavyBytes(own);
  return out;
}
