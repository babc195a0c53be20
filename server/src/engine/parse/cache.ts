// Bounded caches for work that depends on a text alone (a RUN's shell parse, a pyproject.toml's
// [tool.slimdock], a .dockerignore matcher, a compose file). The key holds the whole text, so a
// changed file can never be answered from the cache: nothing to invalidate.

const all: TextCache<unknown>[] = [];

/**
 * A least-recently-used map from text keys to values, holding at most `limit` entries and keys of
 * at most `maxChars` characters in all: what a value costs grows with its text (a RUN's syntax
 * words), so a count alone would let a few hundred long texts hold a lot of memory.
 */
export class TextCache<V> {
  private readonly map = new Map<string, V>();
  private chars = 0;

  constructor(
    private readonly limit: number,
    private readonly maxChars = Infinity,
  ) {
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
    if (this.map.has(key)) this.map.delete(key);
    else this.chars += key.length;
    this.map.set(key, value);
    while (this.map.size > 1 && (this.map.size > this.limit || this.chars > this.maxChars)) {
      const oldest = this.map.keys().next().value!;
      this.map.delete(oldest);
      this.chars -= oldest.length;
    }
  }

  /** The cached value, or `make()` remembered. */
  getOr(key: string, make: () => V): V {
    let value = this.get(key);
    if (value === undefined) this.set(key, (value = make()));
    return value;
  }

  clear(): void {
    this.map.clear();
    this.chars = 0;
  }

  get size(): number {
    return this.map.size;
  }
}

/** Empties every text cache (benchmarks measure the cost of text never seen before). */
export function clearTextCaches(): void {
  for (const c of all) c.clear();
}
