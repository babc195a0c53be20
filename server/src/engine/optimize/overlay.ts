// A file system with some files replaced: the build context as it will be once the
// `.dockerignore` edit of Optimize is applied, so the output can be checked against it.
import type { FileSystem } from '../fs';

export class OverlayFileSystem implements FileSystem {
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
