// The engine's FileSystem over the real disk, confined to one root folder: nothing outside it is
// read, and symbolic links that lead outside it are treated as absent.
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import * as path from 'node:path';
import type { FileSystem } from './engine';

export const MAX_READ_BYTES = 1_000_000;
/** Lock files of large projects pass 1 MB (they list every wheel of every platform): read them up to 5 MB. */
export const MAX_LOCK_BYTES = 5_000_000;

function maxBytes(file: string): number {
  return /(^|\/)uv\.lock$/.test(file) ? MAX_LOCK_BYTES : MAX_READ_BYTES;
}

export class NodeFileSystem implements FileSystem {
  private readonly root: string;

  /** `root`: the folder reads are confined to (a workspace folder; `/` for the CLI). */
  constructor(root = '/') {
    this.root = toPosix(path.resolve(root));
  }

  private realRoot: string | undefined;

  private inside(p: string): string | undefined {
    const abs = toPosix(path.resolve(p));
    // Confined to `/`: every path is inside, symbolic links included, and the disk answers the
    // path as well as its real path. Resolving links costs a system call per path component.
    if (this.root === '/') return abs;
    if (!isWithin(abs, this.root)) return undefined;
    try {
      // The native realpath(3) is one call; fs.realpathSync walks the path in JavaScript.
      const real = toPosix(fs.realpathSync.native(abs));
      this.realRoot ??= toPosix(fs.realpathSync.native(this.root));
      return isWithin(real, this.realRoot) ? real : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * What is at `p` (links followed) and its real path, when it exists inside the root. Most
   * lookups are of files that are not there (configuration and compose files in every folder up
   * to the root): `stat` answers those without the exception `realpath` throws (≈ 6 µs against
   * 0.7 µs), and its answer is the one the callers need anyway.
   */
  private lookup(p: string): { real: string; st: fs.Stats } | undefined {
    try {
      const abs = toPosix(path.resolve(p));
      if (this.root !== '/' && !isWithin(abs, this.root)) return undefined;
      const st = fs.statSync(abs, { throwIfNoEntry: false });
      if (!st) return undefined;
      const real = this.inside(abs);
      return real ? { real, st } : undefined;
    } catch {
      return undefined;
    }
  }

  readFile(p: string): string | undefined {
    const found = this.lookup(p);
    if (!found) return undefined;
    try {
      if (!found.st.isFile() || found.st.size > maxBytes(found.real)) return undefined;
      return fs.readFileSync(found.real, 'utf8');
    } catch {
      return undefined;
    }
  }

  readDir(p: string): string[] | undefined {
    const real = this.inside(p);
    if (!real) return undefined;
    try {
      return fs.readdirSync(real);
    } catch {
      return undefined;
    }
  }

  size(p: string): number | undefined {
    const found = this.lookup(p);
    if (!found) return undefined;
    try {
      // A build context sends a symbolic link as a link: its own few bytes, not its target's.
      const link = fs.lstatSync(path.resolve(p), { throwIfNoEntry: false });
      if (link?.isSymbolicLink()) return link.size;
      return found.st.isFile() ? found.st.size : undefined;
    } catch {
      return undefined;
    }
  }

  stat(p: string): 'file' | 'dir' | undefined {
    const found = this.lookup(p);
    if (!found) return undefined;
    try {
      // A link is an entry of its own in a build context (Docker copies it as a link): never a
      // folder to walk into, so a venv's `lib64 -> lib` is not counted twice. (It exists: `lookup`
      // followed it.)
      if (fs.lstatSync(path.resolve(p), { throwIfNoEntry: false })?.isSymbolicLink()) return 'file';
      return found.st.isFile() ? 'file' : found.st.isDirectory() ? 'dir' : undefined;
    } catch {
      return undefined;
    }
  }
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

export function isWithin(p: string, root: string): boolean {
  return root === '/' || p === root || p.startsWith(root.endsWith('/') ? root : root + '/');
}

/** Folder of the bundled wasm files: next to the running bundle, or in node_modules from sources. */
/**
 * Compile the shell grammar's wasm (1.4 MB) with V8's baseline compiler only. By default V8 also
 * optimises it on background threads: on 2 cores that work competes with the first checks (a
 * server's first diagnostics ≈ 2× later), and a process waits for it at exit (≈ 1 s of a one-file
 * CLI run). The baseline code parses RUN bodies fast enough (measured in bench/RESULTS.md). Call
 * before `initShellParser`.
 */
export function baselineWasmOnly(): void {
  v8.setFlagsFromString('--liftoff-only');
}

export function wasmDir(): string {
  const here = __dirname;
  if (fs.existsSync(path.join(here, 'tree-sitter-bash.wasm'))) return here;
  // Run from sources (tsx): server/src → node_modules of the repository.
  return path.resolve(here, '../../node_modules/@vscode/tree-sitter-wasm/wasm');
}
