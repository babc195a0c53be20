// Shared by the real-editor tests: the repository's paths, a fresh copy of the fixture workspace,
// polling with a timeout (never a sleep), and the bundled CLI's findings as the expected answer.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

export const ROOT = path.resolve(__dirname, '../..');
export const DIST = path.join(ROOT, 'dist');
export const FIXTURE = path.join(__dirname, 'fixtures', 'workspace');
/** Screenshots and logs of the e2e runs (gitignored). */
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'e2e');
export const CACHE = process.env.SLIMDOCK_CACHE ?? path.join(os.homedir(), '.cache', 'slimdock');
export const INSTALL_HINT = 'run `scripts/install-test-deps.sh` (installs Chromium, Neovim and code-server offline)';

export const execFileP = promisify(execFile);

/** A new temp folder holding a copy of the fixture workspace. */
export function copyFixture(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

/**
 * Adds measured start-up figures to `test-artifacts/e2e/timings.json` (read by `npm run bench` for
 * its package section): `{ date, ...previous, ...figures }`.
 */
export function recordTimings(figures: Record<string, number>): void {
  const file = path.join(ARTIFACTS, 'timings.json');
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  let previous: Record<string, unknown> = {};
  try {
    previous = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // none yet, or unreadable: start again
  }
  fs.writeFileSync(file, JSON.stringify({ ...previous, ...figures, date: new Date().toISOString() }, null, 2) + '\n');
}

/** Calls `fn` until it returns something truthy; throws after `timeoutMs` with what it waited for. */
export async function poll<T>(what: string, fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs: number, intervalMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > end) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A TCP port on the loopback interface that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface CliFinding {
  rule: string;
  severity: string;
  line: number;
  column: number;
  message: string;
  estimateBytes: number | null;
}

/** What the bundled CLI reports for one file: the reference the editors are compared with. */
export async function cliFindings(file: string): Promise<CliFinding[]> {
  const cli = path.join(DIST, 'cli.js');
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
  // Exit code 1 means "findings at or above the threshold": that is the expected case here.
  const run = await execFileP(process.execPath, [cli, 'check', '--format', 'json', file], { cwd: path.dirname(file) }).catch(
    (e: { code?: number; stdout?: string; stderr?: string }) => {
      if (e.code === 1 && e.stdout) return { stdout: e.stdout, stderr: e.stderr ?? '' };
      throw e;
    },
  );
  return JSON.parse(run.stdout) as CliFinding[];
}

/** `RULE@line` keys, sorted: order-independent comparison of two finding lists. */
export function keys(items: { rule: string; line: number }[]): string[] {
  return items.map((f) => `${f.rule}@${f.line}`).sort();
}
