// Exact download sizes from uv.lock, for linux x86_64 and the project's Python (the lowest
// `requires-python` allows; 3.12 when it says nothing). For each locked package: the wheel uv
// would pick (exact cpXY tag > abi3 > pure Python; manylinux x86_64 only), else the sdist. For a
// dependency: the transitive closure, following edges whose markers can hold on Linux, each
// package counted once. The CUDA share: nvidia-*, triton, and torch when it is the CUDA build.
import type { FileSystem } from '../fs';
import { evaluateMarker, type MarkerEnv } from './markers';
import { lowestPython } from './pyversion';
import { parseUvLock, type LockedDependency, type LockedPackage, type UvLock } from './uvlock';

export interface PythonVersion {
  major: number;
  minor: number;
}

export interface Artifact {
  /** Download bytes, or null when the lock records no size for the file uv would pick. */
  bytes: number | null;
  filename?: string;
  kind: 'wheel' | 'sdist' | 'none';
}

export interface ClosureSize {
  /** Sum of the known sizes. */
  bytes: number;
  /** Packages in the closure (the dependency itself included). */
  packages: number;
  /** Packages whose size is not in the lock (local paths, git, no matching file). */
  unknown: string[];
  cudaBytes: number;
  cudaPackages: string[];
  /** Normalised names of the packages in the closure. */
  names: Set<string>;
}

/** Higher is better; -1 when uv would not install this wheel on linux x86_64 / CPython X.Y. */
export function wheelRank(filename: string, py: PythonVersion): number {
  const m = /-([^-]+)-([^-]+)-([^-]+)\.whl$/.exec(filename);
  if (!m) return -1;
  const pys = m[1].split('.');
  const abis = m[2].split('.');
  const plats = m[3].split('.');
  const cp = `cp${py.major}${py.minor}`;
  const any = plats.includes('any');
  const linux = plats.some((p) => /^(manylinux.*_x86_64|linux_x86_64)$/.test(p));
  if (!any && !linux) return -1;
  const pyOk = (t: string) => {
    const v = /^(?:py|cp)(\d)(\d*)$/.exec(t);
    if (!v) return false;
    return Number(v[1]) === py.major && (v[2] === '' || Number(v[2]) <= py.minor);
  };
  if (linux) {
    if (pys.includes(cp) && abis.includes(cp)) return 5;
    if (abis.includes('abi3') && pys.some((t) => t.startsWith('cp') && pyOk(t))) return 4;
    if (abis.includes('none') && pys.some(pyOk)) return pys.includes(cp) ? 4 : 3;
    return -1;
  }
  return pys.some(pyOk) && abis.includes('none') ? 2 : -1;
}

/** The glibc version of a manylinux tag, to prefer `manylinux_2_28` over `manylinux_2_17` as uv does. */
function glibc(filename: string): number {
  let best = 0;
  for (const m of filename.matchAll(/manylinux_(\d+)_(\d+)_x86_64|manylinux(1|2010|2014)_x86_64/g)) {
    const v = m[1] ? Number(m[1]) * 100 + Number(m[2]) : { '1': 205, '2010': 212, '2014': 217 }[m[3] as '1' | '2010' | '2014'];
    best = Math.max(best, v);
  }
  return best;
}

/** The file uv would download for this package. */
export function pickArtifact(pkg: LockedPackage, py: PythonVersion): Artifact {
  let best: { rank: number; glibc: number; w: LockedPackage['wheels'][number] } | undefined;
  for (const w of pkg.wheels) {
    const rank = wheelRank(w.filename, py);
    if (rank < 0) continue;
    const g = glibc(w.filename);
    if (!best || rank > best.rank || (rank === best.rank && g > best.glibc)) best = { rank, glibc: g, w };
  }
  if (best) return { bytes: best.w.size ?? null, filename: best.w.filename, kind: 'wheel' };
  if (pkg.sdist) return { bytes: pkg.sdist.size ?? null, filename: pkg.sdist.filename, kind: 'sdist' };
  return { bytes: null, kind: 'none' };
}

/** torch from PyPI on linux x86_64 is the CUDA build; `+cpu` builds and the CPU index are not. */
export function isCudaPackage(pkg: LockedPackage): boolean {
  const n = pkg.normalized;
  if (n.startsWith('nvidia-') || n === 'triton' || n === 'pytorch-triton') return true;
  if (n === 'torch') {
    const local = /\+(.+)$/.exec(pkg.version ?? '')?.[1];
    if (local) return /^cu\d/.test(local);
    if (pkg.source.kind !== 'registry') return false;
    if (/download\.pytorch\.org\/whl\/cpu/.test(pkg.source.value)) return false;
    return /pypi\.org|pythonhosted\.org|download\.pytorch\.org\/whl\/cu/.test(pkg.source.value);
  }
  return false;
}

export class LockSizes {
  readonly env: MarkerEnv;
  private readonly artifacts = new Map<LockedPackage, Artifact>();

  constructor(
    readonly lock: UvLock,
    readonly lockFile: string,
    readonly python: PythonVersion = lowestPython(lock.requiresPython),
  ) {
    this.env = { python };
  }

  artifact(pkg: LockedPackage): Artifact {
    let a = this.artifacts.get(pkg);
    if (!a) this.artifacts.set(pkg, (a = pickArtifact(pkg, this.python)));
    return a;
  }

  /** The locked package an edge leads to (by version when given, else the fork whose markers hold on Linux). */
  resolve(dep: Pick<LockedDependency, 'normalized' | 'version'>): LockedPackage | undefined {
    let cands = this.lock.byName.get(dep.normalized) ?? [];
    if (dep.version) cands = cands.filter((p) => p.version === dep.version);
    if (cands.length <= 1) return cands[0];
    const fits = (p: LockedPackage) => (p.resolutionMarkers.length === 0 ? undefined : p.resolutionMarkers.map((m) => evaluateMarker(m, this.env)).reduce<boolean | undefined>((a, b) => (a === true || b === true ? true : a === false && b === false ? false : undefined), false));
    return cands.find((p) => fits(p) === true) ?? cands.find((p) => fits(p) !== false) ?? cands[0];
  }

  /** Transitive closure of some edges: each package once, edges excluded on Linux skipped. */
  closure(edges: LockedDependency[]): ClosureSize {
    const out: ClosureSize = { bytes: 0, packages: 0, unknown: [], cudaBytes: 0, cudaPackages: [], names: new Set() };
    const seenPkg = new Set<LockedPackage>();
    const seenNode = new Set<string>();
    const queue: LockedDependency[] = edges.filter((e) => evaluateMarker(e.marker, this.env) !== false);
    while (queue.length) {
      const dep = queue.shift()!;
      const pkg = this.resolve(dep);
      if (!pkg) {
        if (!out.names.has(dep.normalized)) {
          out.names.add(dep.normalized);
          out.packages++;
          out.unknown.push(dep.normalized);
        }
        continue;
      }
      const extras = dep.extras.filter((e) => !seenNode.has(`${pkg.normalized}@${pkg.version}[${e}]`));
      const first = !seenPkg.has(pkg);
      if (!first && extras.length === 0) continue;
      if (first) {
        seenPkg.add(pkg);
        out.names.add(pkg.normalized);
        out.packages++;
        const a = this.artifact(pkg);
        if (a.bytes === null) out.unknown.push(pkg.normalized);
        else {
          out.bytes += a.bytes;
          if (isCudaPackage(pkg)) {
            out.cudaBytes += a.bytes;
            out.cudaPackages.push(pkg.normalized);
          }
        }
        for (const d of pkg.dependencies) if (evaluateMarker(d.marker, this.env) !== false) queue.push(d);
      }
      for (const e of extras) {
        seenNode.add(`${pkg.normalized}@${pkg.version}[${e}]`);
        for (const d of pkg.optionalDependencies.get(e) ?? []) if (evaluateMarker(d.marker, this.env) !== false) queue.push(d);
      }
    }
    return out;
  }

  /** The root project's edges: its dependencies, an extra, or a dev group. */
  rootEdges(where: { kind: 'dependencies' } | { kind: 'extra'; name: string } | { kind: 'group'; name: string }): LockedDependency[] {
    const root = this.lock.root;
    if (!root) return [];
    if (where.kind === 'dependencies') return root.dependencies;
    if (where.kind === 'extra') return root.optionalDependencies.get(where.name) ?? [];
    return root.devDependencies.get(where.name) ?? [];
  }

  /** Closure of one direct dependency of the root project (all its edges of that name in that place). */
  directClosure(name: string, where: Parameters<LockSizes['rootEdges']>[0], extras: string[] = []): ClosureSize | undefined {
    let edges = this.rootEdges(where).filter((e) => e.normalized === name);
    if (edges.length === 0) {
      if (!this.lock.byName.has(name)) return undefined;
      edges = [{ name, normalized: name, extras }];
    }
    return this.closure(edges);
  }

  /** What the project installs without extras and dev groups. */
  projectClosure(): ClosureSize {
    return this.closure(this.rootEdges({ kind: 'dependencies' }));
  }
}

// A lock is parsed once per text: the server re-checks pyproject.toml on every keystroke.
const cache = new Map<string, { text: string; sizes?: LockSizes; error?: string }>();

/** Sizes from the `uv.lock` in `projectDir`, or undefined when there is none (or it does not parse). */
export function lockSizes(fs: FileSystem, projectDir: string): LockSizes | undefined {
  return readLock(fs, projectDir).sizes;
}

export function readLock(fs: FileSystem, projectDir: string): { sizes?: LockSizes; error?: string; exists: boolean } {
  const file = `${projectDir.replace(/\/+$/, '')}/uv.lock`;
  const text = fs.readFile(file);
  // A lock the file system will not hand over (too large for it, say) still exists.
  if (text === undefined) return fs.stat(file) === 'file' ? { exists: true, error: 'too large or unreadable' } : { exists: false };
  const hit = cache.get(file);
  if (hit && hit.text === text) return { sizes: hit.sizes, error: hit.error, exists: true };
  const { lock, error } = text.length > 5_000_000 ? { lock: undefined, error: 'uv.lock is over 5 MB: not read' } : parseUvLock(text, { linuxX86Only: true });
  const entry = { text, sizes: lock ? new LockSizes(lock, file) : undefined, error };
  cache.set(file, entry);
  if (cache.size > 16) cache.delete(cache.keys().next().value!);
  return { sizes: entry.sizes, error, exists: true };
}
