// Runs the in-extension-host suite inside code-server 4.100.3 (VS Code 1.100.3's server, installed
// offline by scripts/install-code-server.sh). code-server starts an extension host only when a
// workbench connects, so headless Chromium opens it, with the development extension and the test
// module passed the way VS Code's own browser integration tests do: a `payload` query parameter
// holding extensionDevelopmentPath / extensionTestsPath as vscode-remote URIs. The workbench calls
// window.codeAutomationExit(code) when the tests end; the suite also writes its results to
// $SLIMDOCK_EH_RESULT. Exits non-zero when a test fails or nothing reports back.
//
//   npm run build && npx tsx test/extension-host/run-code-server.ts
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { buildSuite, FIXTURE, ROOT } from './build';
import type { SuiteResult } from './suite/index';
import { CHROMIUM, CHROMIUM_FLAGS, USER_SETTINGS } from '../e2e/vscode';

/** The extension under test: this repository, or $SLIMDOCK_EXTENSION (an unpacked .vsix, a mutant). */
const EXTENSION = process.env.SLIMDOCK_EXTENSION ? path.resolve(process.env.SLIMDOCK_EXTENSION) : ROOT;
const CACHE = process.env.SLIMDOCK_CACHE ?? path.join(os.homedir(), '.cache', 'slimdock');
/** Start-up plus the whole suite; each test has its own shorter timeouts inside. */
const TIMEOUT = Number(process.env.SLIMDOCK_EH_TIMEOUT ?? 240_000);

export interface CodeServerRun {
  /** The suite's results, or undefined when it never reported. */
  result?: SuiteResult;
  /** The exit code the workbench received from the extension host, if it did. */
  exitCode?: number;
  /** code-server's output and the browser console, for diagnosis. */
  log: string;
}

/** The code-server executable: $SLIMDOCK_CODE_SERVER, the cached install, or what the install script prints. */
export function codeServerPath(): string {
  if (process.env.SLIMDOCK_CODE_SERVER) return process.env.SLIMDOCK_CODE_SERVER;
  const cached = path.join(CACHE, 'code-server-4.100.3', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (fs.existsSync(cached) && fs.existsSync(path.join(CACHE, 'code-server-4.100.3', '.slimdock-installed'))) return cached;
  const out = execFileSync(path.join(ROOT, 'scripts', 'install-code-server.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').pop()!;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function poll<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    let v: T | undefined | false;
    try {
      v = await fn();
    } catch {
      v = undefined; // not answering yet
    }
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Ends code-server's whole process group (it forks the extension host and the server). */
async function stop(proc: ChildProcess): Promise<void> {
  if (!proc.pid || proc.exitCode !== null || proc.signalCode !== null) return;
  try {
    process.kill(-proc.pid, 'SIGTERM');
    await poll('code-server to exit', () => proc.exitCode !== null || proc.signalCode !== null, 10_000);
  } catch {
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

export async function runInCodeServer(): Promise<CodeServerRun> {
  for (const file of ['extension.js', 'server.js', 'cli.js']) {
    if (!fs.existsSync(path.join(EXTENSION, 'dist', file))) throw new Error(`dist/${file} is missing: run \`npm run build\` first`);
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium (${CHROMIUM}) is missing: run scripts/install-test-deps.sh`);
  const codeServer = codeServerPath();
  const suite = await buildSuite();

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slimdock-eh-'));
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(FIXTURE, workspace, { recursive: true });
  const userData = path.join(tmp, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  const resultFile = path.join(tmp, 'result.json');

  let log = '';
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  try {
    const port = await freePort();
    server = spawn(
      process.execPath,
      [codeServer, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-workspace-trust', '--disable-update-check',
        '--disable-getting-started-override', '--user-data-dir', userData, '--extensions-dir', path.join(tmp, 'extensions')],
      // The extension host inherits this environment: the suite writes its results to the file.
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SLIMDOCK_EH_RESULT: resultFile } },
    );
    server.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const url = `http://127.0.0.1:${port}/`;
    await poll('code-server to answer', async () => {
      if (server!.exitCode !== null) throw new Error(`code-server exited (${server!.exitCode})`);
      return (await fetch(url)).ok;
    }, 60_000);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    const page = await browser.newPage();
    let exitCode: number | undefined;
    // The workbench calls this when the extension host running the tests exits.
    await page.exposeFunction('codeAutomationExit', (code: number) => {
      exitCode = code;
    });
    page.on('console', (m) => (log += `[browser ${m.type()}] ${m.text()}\n`));
    const remote = (p: string) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(EXTENSION)],
      ['extensionTestsPath', remote(suite)],
      ['skipWelcome', 'true'],
    ]);
    await page.goto(`${url}?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);

    await poll('the suite to report', () => exitCode !== undefined || fs.existsSync(resultFile), TIMEOUT);
    // The result file is written just before the extension host exits: give the exit a moment to arrive.
    await poll('the extension host to exit', () => exitCode !== undefined, 10_000).catch(() => undefined);
    const result = fs.existsSync(resultFile) ? (JSON.parse(fs.readFileSync(resultFile, 'utf8')) as SuiteResult) : undefined;
    return { result, exitCode, log };
  } catch (e) {
    throw Object.assign(e instanceof Error ? e : new Error(String(e)), { log });
  } finally {
    await browser?.close().catch(() => undefined);
    if (server) await stop(server);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** One line per test, then the notes; true when everything passed. */
export function report(run: CodeServerRun, write: (line: string) => void = console.log): boolean {
  const r = run.result;
  if (!r) {
    write(`the suite reported nothing (extension host exit code ${run.exitCode ?? 'none'})`);
    return false;
  }
  for (const t of r.tests) write(`${t.state === 'passed' ? '✔' : t.state === 'failed' ? '✘' : '-'} ${t.title}${t.error ? `\n${t.error}` : ''}`);
  for (const n of r.notes) write(`note: ${n}`);
  write(`${r.passed} passed, ${r.failed} failed, ${r.pending} pending (extension host exit code ${run.exitCode ?? 'none'})`);
  return r.failed === 0 && r.passed > 0 && (run.exitCode === undefined || run.exitCode === 0);
}

if (require.main === module) {
  runInCodeServer().then(
    (run) => {
      const ok = report(run);
      if (!ok || process.env.SLIMDOCK_EH_VERBOSE) console.error(`--- code-server and browser log ---\n${run.log}`);
      process.exit(ok ? 0 : 1);
    },
    (e: Error & { log?: string }) => {
      console.error(e.stack ?? e.message);
      if (e.log) console.error(`--- code-server and browser log ---\n${e.log}`);
      process.exit(1);
    },
  );
}
