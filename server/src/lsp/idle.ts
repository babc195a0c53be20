// Memory at rest: while someone types, every check leaves short-lived garbage (syntax trees,
// findings, JSON-RPC buffers) that V8 collects only when its heap limit heuristics say so, so the
// server's RSS swings by tens of MB with the moment of the last major collection. Once the
// server has been idle for a while after enough work, one full collection returns that memory:
// the editor is not waiting for anything then, and a collection of this heap takes milliseconds.
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/** V8's `gc()`, exposed at run time (the server is started as `node dist/server.js`, without flags). */
function exposeGc(): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined; // a runtime without the flag: V8's own schedule it is
  }
}

export class IdleCollector {
  private readonly gc = exposeGc();
  private work = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Full collections run so far (for tests and the soak benchmark). */
  collections = 0;

  /** @param idleMs quiet time before collecting; @param minWork checks since the last collection. */
  constructor(private readonly idleMs = 1_000, private readonly minWork = 20) {}

  get available(): boolean {
    return !!this.gc;
  }

  /** Call after each unit of work (a check): restarts the quiet-time clock. */
  worked(): void {
    if (!this.gc) return;
    this.work++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.collect(), this.idleMs);
    this.timer.unref(); // never keeps the process alive
  }

  private collect(): void {
    this.timer = undefined;
    if (this.work < this.minWork) return;
    this.work = 0;
    this.collections++;
    // Compacting this one collection moves the survivors together, so the mostly empty pages a
    // burst leaves behind (cache entries promoted and dropped again) go back to the system; V8's
    // own full collections compact only the pages its heuristics pick.
    v8.setFlagsFromString('--compact-on-every-full-gc');
    try {
      this.gc!();
    } finally {
      v8.setFlagsFromString('--no-compact-on-every-full-gc');
    }
  }
}
