// Where a document lives for the engine: its POSIX path, the workspace folder its reads are
// confined to, and a file system that sees the editor's unsaved text before the disk.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryFileSystem, isDockerfileName, isRequirementsName, type FileSystem } from '../engine';
import { NodeFileSystem, isWithin, toPosix } from '../nodeFs';

/**
 * Files besides the Dockerfile that findings depend on (watched for changes on disk). The client's
 * document selector repeats this list so their unsaved text reaches the server too.
 */
export const CONTEXT_FILES_GLOB =
  '**/{.dockerignore,*.dockerignore,pyproject.toml,uv.lock,requirements*.txt,requirements*.in,*.requirements.txt,.hadolint.yaml,.hadolint.yml,compose.yaml,compose.yml,docker-compose.yaml,docker-compose.yml}';

/** Paths by URI: every check maps every open document's URI (0.6 ms per keystroke with 358 open). */
const paths = new Map<string, string | undefined>();

/** The absolute POSIX path of a `file:` URI, or undefined for other schemes (untitled:, vscode-vfs:, …). */
export function fileUriToPath(uri: string): string | undefined {
  if (paths.has(uri)) return paths.get(uri);
  let p: string | undefined;
  if (uri.startsWith('file:')) {
    try {
      p = toPosix(fileURLToPath(uri));
    } catch {
      p = undefined;
    }
  }
  if (paths.size >= 10_000) paths.clear(); // a bound; the open documents' come back on the next check
  paths.set(uri, p);
  return p;
}

/** A path the engine can name a document by: the real one, or `/<scheme>/<name>` for non-file URIs. */
export function documentPath(uri: string): string {
  const real = fileUriToPath(uri);
  if (real) return real;
  const m = /^([a-z][a-z0-9+.-]*):\/*(.*)$/i.exec(uri);
  const name = decodeURIComponentSafe(m?.[2] ?? uri).replace(/[?#].*$/, '') || 'Dockerfile';
  return `/${m?.[1] ?? 'unknown'}/${name}`;
}

export function isDockerfileDocument(languageId: string, uri: string): boolean {
  return languageId === 'dockerfile' || isDockerfileName(path.posix.basename(documentPath(uri)));
}

/** What slimdock checks in a document: a Dockerfile, a pyproject.toml, a requirements file, or nothing. */
export type CheckedKind = 'dockerfile' | 'pyproject' | 'requirements';

export function checkedKind(languageId: string, uri: string): CheckedKind | undefined {
  if (isDockerfileDocument(languageId, uri)) return 'dockerfile';
  const name = path.posix.basename(documentPath(uri));
  if (name === 'pyproject.toml') return 'pyproject';
  if (isRequirementsName(name) || languageId === 'pip-requirements') return 'requirements';
  return undefined;
}

/** The innermost workspace folder holding `file`, else the file's own folder. */
export function rootFor(file: string, folders: readonly string[]): string {
  let best: string | undefined;
  for (const f of folders) if (isWithin(file, f) && (!best || f.length > best.length)) best = f;
  return best ?? path.posix.dirname(file);
}

/**
 * Reads open documents' text first, then `base` (the disk). Paths are absolute POSIX. Remembers
 * every path asked about (`touched`), so the server knows which Dockerfiles to re-check when a file
 * changes.
 */
export class OverlayFileSystem implements FileSystem {
  readonly touched = new Set<string>();

  constructor(
    private readonly base: FileSystem,
    private readonly open: ReadonlyMap<string, string>,
  ) {}

  readFile(p: string): string | undefined {
    this.touched.add(p);
    return this.open.get(p) ?? this.base.readFile(p);
  }

  readDir(p: string): string[] | undefined {
    this.touched.add(p);
    const names = new Set(this.base.readDir(p) ?? []);
    const prefix = p.endsWith('/') ? p : p + '/';
    let found = names.size > 0 || this.base.stat(p) === 'dir';
    for (const file of this.open.keys()) {
      if (!file.startsWith(prefix)) continue;
      names.add(file.slice(prefix.length).split('/')[0]);
      found = true;
    }
    return found ? [...names] : undefined;
  }

  stat(p: string): 'file' | 'dir' | undefined {
    this.touched.add(p);
    if (this.open.has(p)) return 'file';
    const onDisk = this.base.stat(p);
    if (onDisk) return onDisk;
    const prefix = p.endsWith('/') ? p : p + '/';
    for (const file of this.open.keys()) if (file.startsWith(prefix)) return 'dir';
    return undefined;
  }
}

/**
 * The disk as a burst of checks sees it: each answer of a workspace folder's confined file system
 * is kept for `ttlMs`, so typing does not stat the same config and context files on every
 * keystroke. A watched file's change drops its entries at once (`forget`); anything else the disk
 * does is seen at most `ttlMs` later.
 */
export class DiskCache {
  private readonly roots = new Map<string, { fs: NodeFileSystem; answers: Map<string, { at: number; value: unknown }> }>();

  constructor(private readonly ttlMs = 2_000, private readonly clock: () => number = Date.now) {}

  /**
   * A file system confined to `root` that answers from the cache while the answer is fresh;
   * `refresh` (a document just opened) reads everything again and stores what it finds.
   */
  for(root: string, refresh = false): FileSystem {
    this.sweep();
    let entry = this.roots.get(root);
    if (!entry) this.roots.set(root, (entry = { fs: new NodeFileSystem(root), answers: new Map() }));
    const { fs, answers } = entry;
    const cached = <T>(key: string, read: () => T): T => {
      const now = this.clock();
      const hit = answers.get(key);
      if (hit && !refresh && now - hit.at < this.ttlMs) return hit.value as T;
      const value = read();
      if (answers.size >= 20_000) answers.clear(); // a bound on what a huge context can pile up
      answers.set(key, { at: now, value });
      return value;
    };
    return {
      readFile: (p) => cached(`f${p}`, () => fs.readFile(p)),
      readDir: (p) => cached(`d${p}`, () => fs.readDir(p)),
      stat: (p) => cached(`s${p}`, () => fs.stat(p)),
      size: (p) => cached(`z${p}`, () => fs.size(p)),
    };
  }

  private swept = 0;

  /** Drops stale answers (a uv.lock's text is megabytes), at most once per `ttlMs`. */
  private sweep(): void {
    const now = this.clock();
    if (now - this.swept < this.ttlMs) return;
    this.swept = now;
    for (const { answers } of this.roots.values()) {
      for (const [key, hit] of answers) if (now - hit.at >= this.ttlMs) answers.delete(key);
    }
  }

  /** A file changed, appeared or went: drop what was known about it and its folder's listing. */
  forget(file: string): void {
    const dir = path.posix.dirname(file);
    for (const { answers } of this.roots.values()) {
      for (const key of ['f', 's', 'z']) answers.delete(key + file);
      answers.delete(`d${dir}`);
      answers.delete(`s${dir}`);
    }
  }

  /** Workspace folders changed: start again. */
  clear(): void {
    this.roots.clear();
  }
}

/**
 * The file system one check reads: the disk confined to `root` (through `disk` when given),
 * overlaid with the open documents inside `root`. A document that is not a `file:` URI gets an
 * empty file system.
 */
export function fileSystemFor(uri: string, root: string, openDocuments: Iterable<{ uri: string; getText(): string }>, disk?: DiskCache, refresh = false): OverlayFileSystem {
  if (!fileUriToPath(uri)) return new OverlayFileSystem(new MemoryFileSystem(), new Map());
  const open = new Map<string, string>();
  for (const doc of openDocuments) {
    const p = fileUriToPath(doc.uri);
    if (p && isWithin(p, root)) open.set(p, doc.getText());
  }
  return new OverlayFileSystem(disk ? disk.for(root, refresh) : new NodeFileSystem(root), open);
}

/** True when a check that touched `touched` may change because `file` changed (or appeared, or went). */
export function dependsOn(touched: ReadonlySet<string>, file: string): boolean {
  return touched.has(file) || touched.has(path.posix.dirname(file));
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
