// Is a fixed Dockerfile still whole? It must parse as before (no RUN whose shell stopped parsing)
// and keep its instructions, keyword by keyword, except for the change a fix says it makes
// ("Move … into the RUN on line 3" removes a RUN; "Add ENV …" adds an ENV).
import { DockerfileParser } from 'dockerfile-ast';
import { buildModel } from '../parse/dockerfile';
import type { Fix } from '../types';

/** Per-keyword instruction count changes a fix may make, keyed by what its title says it does. */
const DOCUMENTED: [RegExp, Record<string, readonly number[]>][] = [
  [/^Move .* into the RUN on line \d+/, { RUN: [-1] }],
  [/^Merge with the RUN above/, { RUN: [-1] }],
  [/and drop the (chown|chmod) -R$/, { RUN: [-1] }],
  // SD405 with the user creation moved above the COPY: a RUN of its own there (new, or the one it
  // had moved up), and the chown's RUN gone when nothing else was in it.
  [/^Use COPY --chown=.+; make .+ before it \(line \d+\)$/, { RUN: [-1, 0, 1] }],
  [/^Copy uv from /, { RUN: [-1], COPY: [1] }],
  [/^Convert to uv pip install \(uv copied from/, { COPY: [1], ENV: [0, 1] }],
  [/^Convert to uv pip install \(uv bind-mounted/, { ENV: [0, 1] }],
  [/^Add ENV /, { ENV: [1] }],
  [/\(ENV UV_NO_DEV=1\)$/, { ENV: [1] }],
  [/^Bind-mount .+ into this RUN instead of the COPY on line \d+$/, { COPY: [-1] }],
  [/^Drop the COPY on line \d+: /, { COPY: [-1] }],
  [/^Copy .+ first and install before copying the whole context$/, { COPY: [1, 2, 3] }],
  [/^Install the dependencies from .+ before copying the whole context$/, { RUN: [1], COPY: [0, 1, 2, 3] }],
  // SD203: one RUN (the toolchain install) at the start of each stage built on this one (at most 8).
  [/^(Install .+ here and move|Move) .+ to the stages? built on it \(.+\): the toolchain only where it builds$/, { RUN: [1, 2, 3, 4, 5, 6, 7, 8] }],
];

/** The instruction count changes `fix` documents ({} for none). */
export function documentedChange(fix: Pick<Fix, 'title'>): Record<string, readonly number[]> {
  return DOCUMENTED.find(([re]) => re.test(fix.title))?.[1] ?? {};
}

export function instructionCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const i of DockerfileParser.parse(text).getInstructions()) {
    const k = i.getKeyword().toUpperCase();
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

/** RUNs whose shell does not parse cleanly (needs the shell parser initialised). */
function brokenRuns(text: string): number {
  return buildModel(text).instructions.filter((i) => i.run?.hasError).length;
}

/**
 * Why `after` (the text with `fixes` applied to `before`) is not acceptable, or undefined when it
 * is. With several fixes their documented changes add up.
 */
export function checkFixedText(before: string, after: string, fixes: readonly Pick<Fix, 'title'>[]): string | undefined {
  let broken: number;
  try {
    broken = brokenRuns(after);
  } catch (e) {
    return `the result does not parse (${(e as Error).message})`;
  }
  if (broken > brokenRuns(before)) return 'a RUN no longer parses as shell';
  const a = instructionCounts(before);
  const b = instructionCounts(after);
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const delta = (b.get(k) ?? 0) - (a.get(k) ?? 0);
    const allowed = fixes.map((f) => documentedChange(f)[k] ?? [0]);
    // One fix: exactly what it documents. Several: up to the sum, since an edit two fixes share
    // (the same ENV line before the same RUN) is applied once.
    const [min, max] =
      allowed.length === 1
        ? [Math.min(...allowed[0]), Math.max(...allowed[0])]
        : [allowed.reduce((s, d) => s + Math.min(0, ...d), 0), allowed.reduce((s, d) => s + Math.max(0, ...d), 0)];
    if (delta < min || delta > max) return `${k} instructions ${delta < 0 ? 'lost' : 'added'}: ${a.get(k) ?? 0} → ${b.get(k) ?? 0}`;
  }
  return undefined;
}
