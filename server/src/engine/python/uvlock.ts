// uv.lock: what uv resolved. Packages with their source, dependency edges (marker, extras),
// extras and dev groups, the wheels and sdist with the `size` uv records, and the root project's
// `[package.metadata]` (what pyproject.toml declared when the lock was written).
// A lock is read for its values, never for positions: smol-toml builds plain objects and needs a
// fraction of the memory of toml-eslint-parser's AST (a 1 MB lock: tens of MB less at the peak).
import { parse as parseToml } from 'smol-toml';
import { normalizeName } from './requirement';

export type SourceKind = 'registry' | 'editable' | 'virtual' | 'directory' | 'path' | 'git' | 'url' | 'unknown';

export interface LockedDependency {
  name: string;
  normalized: string;
  /** Set when the lock holds several versions of the package. */
  version?: string;
  marker?: string;
  /** Extras of the dependency this edge enables. */
  extras: string[];
}

export interface LockedArtifact {
  url?: string;
  filename: string;
  size?: number;
}

/** An entry of `[package.metadata] requires-dist` / `requires-dev`. */
export interface LockedRequirement {
  name: string;
  normalized: string;
  extras: string[];
  specifier?: string;
  marker?: string;
  /** Where uv takes it from when not the default index: `index`, `git`, `path`, `editable`, `url`, `directory`. */
  source?: Record<string, string>;
}

export interface LockedPackage {
  name: string;
  normalized: string;
  version?: string;
  source: { kind: SourceKind; value: string };
  /** Markers under which this version is the one resolved (forked resolutions). */
  resolutionMarkers: string[];
  dependencies: LockedDependency[];
  optionalDependencies: Map<string, LockedDependency[]>;
  devDependencies: Map<string, LockedDependency[]>;
  wheels: LockedArtifact[];
  sdist?: LockedArtifact;
  metadata?: { requiresDist: LockedRequirement[]; requiresDev: Map<string, LockedRequirement[]> };
}

export interface UvLock {
  version?: number;
  revision?: number;
  requiresPython?: string;
  /** Top-level `resolution-markers`. */
  resolutionMarkers: string[];
  /** `[manifest] members` of a workspace. */
  members: string[];
  packages: LockedPackage[];
  byName: Map<string, LockedPackage[]>;
  /** The project the lock was made for (`source = { editable/virtual = "." }`). */
  root?: LockedPackage;
}

export interface ParseLockOptions {
  /**
   * Keep only the wheels for linux x86_64 (manylinux / linux tags) and pure-Python ones. uv writes
   * one wheel per line; dropping the other platforms' lines before parsing makes a 1 MB lock
   * parse about four times faster and does not change what is read for that platform.
   */
  linuxX86Only?: boolean;
}

const WHEEL_LINE = /^[ \t]*\{ url = "[^"\n]*\/([^"/\n]+\.whl)"[^\n]*\n/gm;

function keepWheel(filename: string): boolean {
  return /(^|[._-])(manylinux[^-]*x86_64|linux_x86_64)|-any\.whl$/.test(filename) && !/musllinux/.test(filename.replace(/manylinux[^-]*x86_64/, ''));
}

export function parseUvLock(text: string, options: ParseLockOptions = {}): { lock?: UvLock; error?: string } {
  const source = options.linuxX86Only ? text.replace(WHEEL_LINE, (line, fn: string) => (keepWheel(decodeURIComponent(fn)) ? line : '')) : text;
  let value: Record<string, unknown>;
  try {
    value = parseToml(source) as Record<string, unknown>;
  } catch (e) {
    // smol-toml's message already names the line and column (of the text it was given).
    const err = e as { message?: string; line?: number };
    const first = (err.message ?? String(e)).split('\n')[0];
    return { error: `${first}${typeof err.line === 'number' && !options.linuxX86Only && !/line \d/.test(first) ? ` (line ${err.line})` : ''}` };
  }
  const lock: UvLock = {
    version: num(value.version),
    revision: num(value.revision),
    requiresPython: str(value['requires-python']),
    resolutionMarkers: strings(value['resolution-markers']),
    members: strings((value.manifest as Record<string, unknown> | undefined)?.members),
    packages: [],
    byName: new Map(),
  };
  for (const raw of Array.isArray(value.package) ? value.package : []) {
    if (!raw || typeof raw !== 'object') continue;
    const p = raw as Record<string, unknown>;
    if (typeof p.name !== 'string') continue;
    const pkg: LockedPackage = {
      name: p.name,
      normalized: normalizeName(p.name),
      version: str(p.version),
      source: sourceOf(p.source),
      resolutionMarkers: strings(p['resolution-markers']),
      dependencies: deps(p.dependencies),
      optionalDependencies: depTable(p['optional-dependencies']),
      devDependencies: depTable(p['dev-dependencies']),
      wheels: (Array.isArray(p.wheels) ? p.wheels : []).map(artifact).filter((a): a is LockedArtifact => !!a),
      sdist: artifact(p.sdist),
    };
    const meta = p.metadata as Record<string, unknown> | undefined;
    if (meta && typeof meta === 'object') {
      const dev = new Map<string, LockedRequirement[]>();
      const rd = meta['requires-dev'];
      if (rd && typeof rd === 'object') for (const [g, list] of Object.entries(rd)) dev.set(normalizeName(g), requirements(list));
      pkg.metadata = { requiresDist: requirements(meta['requires-dist']), requiresDev: dev };
    }
    lock.packages.push(pkg);
    const list = lock.byName.get(pkg.normalized) ?? [];
    list.push(pkg);
    lock.byName.set(pkg.normalized, list);
  }
  lock.root = lock.packages.find((p) => (p.source.kind === 'editable' || p.source.kind === 'virtual') && p.source.value === '.');
  return { lock };
}

function sourceOf(s: unknown): LockedPackage['source'] {
  if (s && typeof s === 'object') {
    for (const kind of ['registry', 'editable', 'virtual', 'directory', 'path', 'git', 'url'] as const) {
      const v = (s as Record<string, unknown>)[kind];
      if (typeof v === 'string') return { kind, value: v };
    }
  }
  return { kind: 'unknown', value: '' };
}

function deps(list: unknown): LockedDependency[] {
  if (!Array.isArray(list)) return [];
  const out: LockedDependency[] = [];
  for (const d of list) {
    if (!d || typeof d !== 'object' || typeof (d as Record<string, unknown>).name !== 'string') continue;
    const o = d as Record<string, unknown>;
    out.push({ name: String(o.name), normalized: normalizeName(String(o.name)), version: str(o.version), marker: str(o.marker), extras: strings(o.extra).map(normalizeName) });
  }
  return out;
}

function depTable(t: unknown): Map<string, LockedDependency[]> {
  const out = new Map<string, LockedDependency[]>();
  if (t && typeof t === 'object') for (const [k, v] of Object.entries(t)) out.set(normalizeName(k), deps(v));
  return out;
}

function requirements(list: unknown): LockedRequirement[] {
  if (!Array.isArray(list)) return [];
  const out: LockedRequirement[] = [];
  for (const r of list) {
    if (!r || typeof r !== 'object') continue;
    const o = r as Record<string, unknown>;
    if (typeof o.name !== 'string') continue; // `{ include-group = … }`
    const source: Record<string, string> = {};
    for (const k of ['index', 'git', 'path', 'editable', 'url', 'directory', 'subdirectory', 'rev', 'tag', 'branch']) if (typeof o[k] === 'string') source[k] = String(o[k]);
    out.push({
      name: o.name,
      normalized: normalizeName(o.name),
      extras: strings(o.extras).map(normalizeName),
      specifier: str(o.specifier),
      marker: str(o.marker),
      source: Object.keys(source).length ? source : undefined,
    });
  }
  return out;
}

function artifact(a: unknown): LockedArtifact | undefined {
  if (!a || typeof a !== 'object') return undefined;
  const o = a as Record<string, unknown>;
  const url = str(o.url);
  const filename = str(o.filename) ?? (url ? decodeURIComponent(url.split(/[?#]/)[0].split('/').pop() ?? '') : str(o.path) ?? '');
  return { url, filename, size: num(o.size) };
}

function str(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}

function num(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isFinite(x) ? x : undefined;
}

function strings(x: unknown): string[] {
  return Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : [];
}
