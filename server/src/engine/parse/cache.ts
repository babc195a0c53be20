// Bounded caches for work that depends on a text alone (a RUN's shell parse, a pyproject.toml's
// [tool.slimdock], a .dockerignore matcher, a compose file). The key holds the whole text, so a
// changed file can never be answered from the cache: nothing to invalidate.

const all: TextCache<unknown>[] = [];

/** A least-recently-used map from text keys to values, holding at most `limit` entries. */
export class TextCache<V> {
  private readonly map = new Map<string, V>();

  constructor(private readonly limit: number) {
    all.push(this as TextCache<unknown>);
  }

  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key); // most recently used goes last
      this.map.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.map.set(key, value);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value!);
  }

  /** The cached value, or `make()` remembered. */
  getOr(key: string, make: () => V): V {
    let value = this.get(key);
    if (value === undefined) this.set(key, (value = make()));
    return value;
  }

  clear(): void {
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }
}

/** Empties every text cache (benchmarks measure the cost of text never seen before). */
export function clearTextCaches(): void {
  for (const c of all) c.clear();
}
