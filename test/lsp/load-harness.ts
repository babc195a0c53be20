// A language client for load and robustness tests against the bundled server
// (`node dist/server.js --stdio`): records every diagnostics notification, answers the server's
// requests, can write raw bytes to the server's stdin, and waits by polling what it received with
// a timeout, never a sleep. (The small parts of ./harness.ts this needs, plus raw writes.)
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';

import { SERVER, tempWorkspace } from './harness';

export { SERVER, tempWorkspace };

export class LoadClient {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly rpc: MessageConnection;
  readonly published: PublishDiagnosticsParams[] = [];
  /** The last diagnostics per URI. */
  readonly latest = new Map<string, PublishDiagnosticsParams>();
  stderr = '';
  exitCode: number | null | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(readonly folder: string, args: string[] = []) {
    if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`npm run build\` first.`);
    this.proc = spawn(process.execPath, [...args, SERVER, '--stdio'], { stdio: 'pipe' });
    this.proc.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.proc.on('exit', (code) => {
      this.exitCode = code;
      this.notify();
    });
    this.rpc = createMessageConnection(new StreamMessageReader(this.proc.stdout), new StreamMessageWriter(this.proc.stdin));
    this.rpc.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.push(p);
      this.latest.set(p.uri, p);
      this.notify();
    });
    this.rpc.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
    this.rpc.onRequest('client/registerCapability', () => null);
    this.rpc.onRequest('window/workDoneProgress/create', () => null);
    this.rpc.onNotification('window/logMessage', () => undefined);
    this.rpc.listen();
  }

  get pid(): number {
    return this.proc.pid!;
  }

  async initialize(): Promise<void> {
    const uri = pathToFileURL(this.folder).href;
    await this.rpc.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: [{ uri, name: 'ws' }],
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true },
        textDocument: { publishDiagnostics: { versionSupport: true }, hover: { contentFormat: ['markdown'] } },
      },
    });
    await this.rpc.sendNotification('initialized', {});
  }

  uri(name: string): string {
    return pathToFileURL(path.join(this.folder, name)).href;
  }

  /** Writes bytes to the server's stdin as they are, around the JSON-RPC writer. */
  raw(bytes: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.proc.stdin.write(bytes, (e) => (e ? reject(e) : resolve())));
  }

  /** Resolves when `ok()` holds (re-tested on every notification and every `pollMs`), rejects after `timeoutMs`. */
  until(ok: () => boolean, what: () => string, timeoutMs = 60_000, pollMs = 100): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (fn: () => void) => {
        this.listeners.delete(poll);
        clearTimeout(timer);
        clearInterval(interval);
        fn();
      };
      const poll = () => {
        if (ok()) done(resolve);
        else if (this.exitCode !== undefined) done(() => reject(new Error(`the server exited (${this.exitCode}) waiting for ${what()}\n${this.stderr}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`no ${what()} within ${timeoutMs} ms\nserver stderr: ${this.stderr.slice(-2000)}`))), timeoutMs);
      const interval = setInterval(poll, pollMs); // conditions that no notification announces
      this.listeners.add(poll);
      poll();
    });
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode === null) this.proc.kill();
    this.rpc.dispose();
  }
}

/** The server's resident set size in kB, from /proc (Linux). */
export function rssKb(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]);
}
