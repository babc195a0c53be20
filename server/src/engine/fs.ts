// The engine's only window onto files. Paths are absolute POSIX-style strings. The CLI reads the
// disk, the server reads the workspace (never outside it), tests use a map in memory.

export interface FileSystem {
  /** The file's text, or undefined when it does not exist, is not a file, or may not be read. */
  readFile(path: string): string | undefined;
  /** Names in a folder, or undefined when it is not a readable folder. */
  readDir(path: string): string[] | undefined;
  /** 'file', 'dir', or undefined when there is nothing there (or it may not be read). */
  stat(path: string): 'file' | 'dir' | undefined;
  /** Size of a file in bytes, when the file system can tell without reading it. */
  size?(path: string): number | undefined;
}

/** A file system held in memory: `{ '/ctx/Dockerfile': 'FROM …' }`. */
export class MemoryFileSystem implements FileSystem {
  private readonly files = new Map<string, string>();
  private readonly dirs = new Map<string, Set<string>>();

  constructor(files: Record<string, string> = {}) {
    for (const [path, text] of Object.entries(files)) this.write(path, text);
  }

  write(path: string, text: string): void {
    this.files.set(path, text);
    let child = path;
    for (let parent = dirname(child); ; parent = dirname(child)) {
      let names = this.dirs.get(parent);
      if (!names) this.dirs.set(parent, (names = new Set()));
      names.add(child.slice(parent === '/' ? 1 : parent.length + 1));
      if (parent === '/' || parent === child) break;
      child = parent;
    }
  }

  readFile(path: string): string | undefined {
    return this.files.get(path);
  }

  readDir(path: string): string[] | undefined {
    const names = this.dirs.get(path);
    return names ? [...names] : undefined;
  }

  size(path: string): number | undefined {
    return this.files.get(path)?.length;
  }

  stat(path: string): 'file' | 'dir' | undefined {
    if (this.files.has(path)) return 'file';
    return this.dirs.has(path) ? 'dir' : undefined;
  }
}

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/**
 * Remembers every answer of another file system for the life of one analysis, so rules that ask
 * for the same file or folder do not go to the disk again.
 */
export class MemoizedFileSystem implements FileSystem {
  private readonly files = new Map<string, string | undefined>();
  private readonly dirs = new Map<string, string[] | undefined>();
  private readonly stats = new Map<string, 'file' | 'dir' | undefined>();
  private readonly sizes = new Map<string, number | undefined>();

  constructor(private readonly inner: FileSystem) {}

  readFile(path: string): string | undefined {
    if (!this.files.has(path)) this.files.set(path, this.inner.readFile(path));
    return this.files.get(path);
  }

  readDir(path: string): string[] | undefined {
    if (!this.dirs.has(path)) this.dirs.set(path, this.inner.readDir(path));
    return this.dirs.get(path);
  }

  stat(path: string): 'file' | 'dir' | undefined {
    if (!this.stats.has(path)) this.stats.set(path, this.inner.stat(path));
    return this.stats.get(path);
  }

  size(path: string): number | undefined {
    if (!this.inner.size) return undefined;
    if (!this.sizes.has(path)) this.sizes.set(path, this.inner.size(path));
    return this.sizes.get(path);
  }
}

/**
 * A file system with some files replaced (or added): the build context as it will be once other
 * files' edits (a `.dockerignore` of a fix or of Optimize) are applied, so the result can be checked.
 */
export class PatchedFileSystem implements FileSystem {
  constructor(
    private readonly inner: FileSystem,
    private readonly files: ReadonlyMap<string, string>,
  ) {}

  readFile(path: string): string | undefined {
    return this.files.has(path) ? this.files.get(path) : this.inner.readFile(path);
  }

  readDir(path: string): string[] | undefined {
    const names = this.inner.readDir(path);
    const extra = [...this.files.keys()].filter((f) => f.slice(0, f.lastIndexOf('/')) === path).map((f) => f.slice(f.lastIndexOf('/') + 1));
    if (!names && extra.length === 0) return undefined;
    return [...new Set([...(names ?? []), ...extra])];
  }

  stat(path: string): 'file' | 'dir' | undefined {
    return this.files.has(path) ? 'file' : this.inner.stat(path);
  }

  size(path: string): number | undefined {
    return this.files.has(path) ? this.files.get(path)!.length : this.inner.size?.(path);
  }
}
