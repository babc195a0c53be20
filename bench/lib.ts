// Shared helpers of the benchmark: the corpus, timing, statistics, machine facts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

export const REPO = path.resolve(__dirname, '..');
export const CORPUS = path.resolve(REPO, '../shared/corpus');
/** Build outputs and scratch files of the benchmark (git-ignored). */
export const SCRATCH = path.join(REPO, '.cache/bench');

export interface CorpusFile {
  id: string;
  /** Absolute path. */
  file: string;
  /** The repository's folder in the corpus: its build context and workspace root. */
  repoDir: string;
  kind: string;
  text: string;
}

/** Rows of `manifest.tsv` of one kind (dockerfile, pyproject …) that have a local file. */
export function corpusFiles(kind: string): CorpusFile[] {
  const rows = fs.readFileSync(path.join(CORPUS, 'manifest.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  return rows
    .filter((r) => r[5] === kind && r[4])
    .map((r) => {
      const file = path.join(CORPUS, r[4]);
      return { id: r[0], file, repoDir: path.join(CORPUS, r[4].split('/').slice(0, 2).join('/')), kind, text: fs.readFileSync(file, 'utf8') };
    });
}

export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Milliseconds one call takes. */
export function time(fn: () => unknown): number {
  const t = now();
  fn();
  return now() - t;
}

/** Nearest-rank quantile (q in [0, 1]). */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const median = (v: number[]) => quantile(v, 0.5);

/** Least squares fit of log(y) = a + k·log(x): k is the scaling exponent (1 = linear). */
export function logLogFit(xs: number[], ys: number[]): { exponent: number; r2: number } {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const n = lx.length;
  const mx = lx.reduce((a, b) => a + b, 0) / n;
  const my = ly.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (lx[i] - mx) * (ly[i] - my);
    sxx += (lx[i] - mx) ** 2;
    syy += (ly[i] - my) ** 2;
  }
  const exponent = sxy / sxx;
  return { exponent, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}

export function loadAverage(): string {
  return fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

export function machine(): Record<string, string> {
  const sh = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    nproc: sh('nproc', []),
    memory: sh('free', ['-h']),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    date: new Date().toISOString(),
    loadavg: loadAverage(),
  };
}

/** VmRSS of a process in MB (from /proc/<pid>/status). */
export function rssMB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * RSS at rest: sampled every 250 ms until it has not moved by more than 1 % for 2 s (slimdock's
 * server runs one full collection 1 s after its last check), or 15 s have passed.
 */
export async function rssAtRestMB(pid: number): Promise<number> {
  const window: number[] = [];
  const end = Date.now() + 15_000;
  for (;;) {
    window.push(rssMB(pid));
    if (window.length > 9) window.shift();
    const lo = Math.min(...window);
    if ((window.length === 9 && Math.max(...window) - lo <= 0.01 * lo) || Date.now() > end) return window[window.length - 1];
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function round(x: number, digits = 2): number {
  return Number.isFinite(x) ? Number(x.toFixed(digits)) : x;
}
