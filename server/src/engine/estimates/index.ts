// Size estimates. Every figure comes from a table with a stated source: apt packages from
// Debian's own metadata (scripts/apt-sizes.mjs), Python wheels from the uv.lock files of the
// corpus (scripts/wheel-sizes.mjs), base images from published figures (base-images.ts).
// An unknown size is `null`, never a guess.
import aptTable from './apt-sizes.json';
import wheelTable from './wheel-sizes.json';
import type { Estimate } from '../types';

interface AptTable {
  source: string;
  /** Installed bytes of the package with its Depends/Pre-Depends closure, minus what the slim base already has. */
  packages: Record<string, number>;
}
interface WheelTable {
  source: string;
  /** Download bytes of the linux x86_64 wheel (median over the locks that pin it). */
  packages: Record<string, number>;
  closureSource?: string;
  /** Download bytes of the package with its dependency closure, where larger than the wheel alone. */
  closure?: Record<string, number>;
}

const apt = aptTable as AptTable;
const wheels = wheelTable as WheelTable;

export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Installed size of an apt package with its dependency closure, or undefined when not in the table. */
export function aptSize(name: string): number | undefined {
  return apt.packages[name.toLowerCase().replace(/[:=].*$/, '')];
}

export function aptBasis(): string {
  return apt.source;
}

/** Download size of a Python package's wheel, or undefined when not in the table. */
export function wheelSize(name: string): number | undefined {
  return wheels.packages[normalizePythonName(name)];
}

/** Download size of a package with everything it depends on (what pip fetches and caches for it). */
export function wheelClosureSize(name: string): number | undefined {
  const n = normalizePythonName(name);
  return wheels.closure?.[n] ?? wheels.packages[n];
}

export function wheelBasis(): string {
  return wheels.source;
}

/** Sum of known sizes; `unknown` counts the names without a figure. */
export function sumSizes(names: string[], lookup: (n: string) => number | undefined): { bytes: number; known: number; unknown: string[] } {
  let bytes = 0;
  let known = 0;
  const unknown: string[] = [];
  for (const n of names) {
    const s = lookup(n);
    if (s === undefined) unknown.push(n);
    else {
      bytes += s;
      known++;
    }
  }
  return { bytes, known, unknown };
}

/** An estimate from a sum of table entries, saying what was and was not counted. */
export function estimateFromSum(what: string, sum: { bytes: number; known: number; unknown: string[] }, basis: string): Estimate {
  if (sum.known === 0) return { bytes: null, basis: `${what}: size unknown (${sum.unknown.slice(0, 5).join(', ') || 'nothing named'} not in the size table).` };
  const missing = sum.unknown.length ? ` ${sum.unknown.length} not in the table (${sum.unknown.slice(0, 3).join(', ')}${sum.unknown.length > 3 ? ', …' : ''}) and not counted.` : '';
  return { bytes: sum.bytes, basis: `${what}: ${basis}${missing}` };
}

/** `≈ 250 MB`: two significant figures, decimal units, always marked as an estimate. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return 'size unknown';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  const rounded = v >= 100 ? Math.round(v) : v >= 10 ? Math.round(v) : Math.round(v * 10) / 10;
  return `≈ ${rounded} ${units[u]}`;
}
