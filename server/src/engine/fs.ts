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
