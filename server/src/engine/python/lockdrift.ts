// Where uv.lock no longer says what pyproject.toml declares (SD603, and Optimize, which would
// otherwise hand a stale lock to `uv sync --locked`).
import type { Range } from '../types';
import type { Pyproject } from './pyproject';
import type { UvLock } from './uvlock';
import { normalizeName, normalizeSpecifier, markerExtras } from './requirement';
import { parseVersionRange, sameRange } from './pyversion';
import { valueAt } from './toml';

/** A comparable key for a requirement: name, extras, specifier, the extra it belongs to. */
function reqKey(name: string, extras: string[], specifier: string | undefined, extra: string | undefined, source: boolean): string {
  return `${name}[${[...extras].sort().join(',')}]${source ? '' : normalizeSpecifier(specifier ?? '')}${extra ? `@${extra}` : ''}`;
}

/**
 * What differs between the project's declared dependencies (and requires-python) and what the lock
 * recorded for its root project; `at` is the first declaration that differs. Undefined when the lock
 * cannot be compared (no [project], another project's lock, no recorded metadata).
 */
export function lockDrift(p: Pyproject, lock: UvLock): { differences: string[]; at?: Range } | undefined {
  const root = lock.root;
  if (!p.hasProject || !root?.metadata) return undefined;
  if (p.name && normalizeName(p.name) !== root.normalized) return undefined; // the lock belongs to another project
  const dynamic = valueAt(p.doc.value, 'project', 'dynamic');
  const isDynamic = (k: string) => Array.isArray(dynamic) && dynamic.includes(k);
  const differences: string[] = [];
  let at: Range | undefined;
  // `proj[a,b]` inside proj's own extras: uv flattens those into the extras, so extras are not comparable.
  const selfRef = p.dependencies.some((d) => d.kind === 'optional' && d.requirement?.normalized === root.normalized);
  const skipExtras = isDynamic('optional-dependencies') || selfRef;

  // Locked requirements that come from a source (git, path, index …) are compared by name only.
  const sourced = new Set(root.metadata.requiresDist.filter((r) => r.source && !r.source.index).map((r) => r.normalized));
  const lockedKeys = new Set<string>();
  for (const r of root.metadata.requiresDist) {
    const extra = markerExtras(r.marker ?? '')[0];
    if (extra ? skipExtras : isDynamic('dependencies')) continue;
    lockedKeys.add(reqKey(r.normalized, r.extras, r.specifier, extra, sourced.has(r.normalized)));
  }
  const declaredKeys = new Set<string>();
  for (const d of p.dependencies) {
    if (!d.requirement || (d.kind !== 'project' && d.kind !== 'optional')) continue;
    if (d.kind === 'project' ? isDynamic('dependencies') : skipExtras) continue;
    const r = d.requirement;
    const key = reqKey(r.normalized, r.extras, r.url ? '' : r.specifier, d.kind === 'optional' ? d.group : undefined, sourced.has(r.normalized) || !!r.url);
    declaredKeys.add(key);
    if (!lockedKeys.has(key)) {
      differences.push(`${d.text} is not in the lock`);
      at ??= d.range;
    }
  }
  for (const k of lockedKeys) if (!declaredKeys.has(k)) differences.push(`the lock still has ${k.replace(/\[\]/, '').replace(/@(.*)$/, ' (extra $1)')}`);

  // Dependency groups (`uv sync --locked` checks them even where it leaves them out: found by review),
  // where the lock records them; not a group that includes another (how the lock spells that varies).
  const lockedGroups = root.metadata.requiresDev;
  if (lockedGroups.size) {
    const including = new Set(p.includeGroups.map((g) => g.group));
    const declaredGroups = new Map<string, Set<string>>();
    for (const d of p.dependencies) {
      if ((d.kind !== 'group' && d.kind !== 'uv-dev') || !d.requirement || !d.group || including.has(d.group)) continue;
      const r = d.requirement;
      const key = reqKey(r.normalized, r.extras, r.url ? '' : r.specifier, undefined, !!r.url || (lockedGroups.get(d.group) ?? []).some((x) => x.normalized === r.normalized && !!x.source && !x.source.index));
      (declaredGroups.get(d.group) ?? declaredGroups.set(d.group, new Set()).get(d.group)!).add(key);
      const locked = new Set((lockedGroups.get(d.group) ?? []).map((x) => reqKey(x.normalized, x.extras, x.specifier, undefined, !!x.source && !x.source.index)));
      if (!locked.has(key)) {
        differences.push(`${d.text} (group ${d.group}) is not in the lock`);
        at ??= d.range;
      }
    }
    for (const [g, reqs] of lockedGroups) {
      if (including.has(g)) continue;
      const declared = declaredGroups.get(g) ?? new Set();
      for (const x of reqs) {
        const key = reqKey(x.normalized, x.extras, x.specifier, undefined, !!x.source && !x.source.index);
        if (!declared.has(key)) differences.push(`the lock still has ${key.replace(/\[\]/, '')} (group ${g})`);
      }
    }
  }

  // requires-python (a workspace lock intersects its members' ranges: compared only for one project).
  const declaredPy = p.requiresPython?.value;
  if (declaredPy && lock.requiresPython && lock.members.length <= 1) {
    const a = parseVersionRange(declaredPy);
    const b = parseVersionRange(lock.requiresPython);
    if (a && b && !sameRange(a, b)) {
      differences.push(`requires-python is ${declaredPy}, the lock has ${lock.requiresPython}`);
      at ??= p.requiresPython!.range;
    }
  }
  return { differences, at };
}

/** The differences as SD603 and Optimize word them: the first three, then how many more. */
export function describeDrift(differences: string[]): string {
  return `${differences.slice(0, 3).join('; ')}${differences.length > 3 ? `; ${differences.length - 3} more` : ''}`;
}
