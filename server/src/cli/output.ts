// What every output format shares: severity order, paths relative to the current folder,
// 1-based positions, and the threshold for the exit code.
import * as path from 'node:path';
import { formatBytes, type Finding, type Severity } from '../engine';
import type { FailOn } from './args';
import type { FileResult } from './check';

export const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

/** Higher is worse: error 3 … hint 0. */
export function rank(s: Severity): number {
  return SEVERITY_ORDER.length - 1 - SEVERITY_ORDER.indexOf(s);
}

export function failsOn(findings: Iterable<Finding>, failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  for (const f of findings) if (rank(f.severity) >= rank(failOn)) return true;
  return false;
}

/** The path a person or CI system reads: relative to the current folder, `/` separators. */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file) || path.basename(file);
  return rel.split(path.sep).join('/');
}

/** 1-based lines and columns; columns count UTF-16 code units, as the engine's ranges do. */
export function position(f: Finding): { line: number; column: number; endLine: number; endColumn: number } {
  return { line: f.range.start.line + 1, column: f.range.start.character + 1, endLine: f.range.end.line + 1, endColumn: f.range.end.character + 1 };
}

export function isFixable(f: Finding): boolean {
  return f.fixes.some((x) => x.safe);
}

export function estimateBytes(f: Finding): number | null {
  return f.estimate?.bytes ?? null;
}

/** ` (≈ 12 MB)`, ` (size unknown)` when the finding costs bytes nobody could count, or ''. */
export function estimateSuffix(f: Finding): string {
  return f.estimate ? ` (${formatBytes(f.estimate.bytes)})` : '';
}

export interface Context {
  cwd: string;
  results: FileResult[];
  /** The CLI's version, for formats that name the tool. */
  version: string;
  color: boolean;
}

export type Formatter = (ctx: Context) => string;
