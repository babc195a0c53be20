// A minimal LSP client over stdio for the benchmark: open, change, and wait for the
// `publishDiagnostics` that answers. slimdock sends the document version with its diagnostics, so
// an answer is matched by version; a server that sends none (docker-langserver) is matched by
// arrival, which is exact because the benchmark waits for each answer before the next edit.
import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { now } from './lib';

interface Waiter {
  version: number;
  resolve: (at: number) => void;
}

export class LspClient {
  private readonly waiters = new Map<string, Waiter>();
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();
  /** Diagnostics received per URI (all publishes, for sanity checks). */
  readonly published = new Map<string, number>();

  private constructor(
    readonly proc: ChildProcess,
    private readonly conn: MessageConnection,
  ) {
    conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: unknown[] }) => {
      const at = now();
      this.published.set(p.uri, (this.published.get(p.uri) ?? 0) + 1);
      const w = this.waiters.get(p.uri);
      if (!w) return;
      if (p.version !== undefined && p.version !== w.version) return; // an answer to an older version
      this.waiters.delete(p.uri);
      w.resolve(at);
    });
    // Requests a server may send (configuration, registrations, progress): a neutral answer.
    conn.onRequest(() => null);
    conn.onNotification(() => undefined);
    conn.listen();
  }

  static async start(command: string, args: string[], folders: string[]): Promise<LspClient> {
    const proc = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new LspClient(proc, conn);
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folders[0] ? pathToFileURL(folders[0]).href : null,
      workspaceFolders: folders.map((f) => ({ uri: pathToFileURL(f).href, name: f })),
      capabilities: {
        textDocument: { publishDiagnostics: { versionSupport: true }, synchronization: { dynamicRegistration: false } },
      },
    });
    await conn.sendNotification('initialized', {});
    return client;
  }

  get pid(): number {
    return this.proc.pid!;
  }

  private expect(uri: string, version: number, timeoutMs: number): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(uri);
        reject(new Error(`no diagnostics for ${uri} v${version} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.set(uri, {
        version,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      });
    });
  }

  /** Opens a document; resolves with the ms until its diagnostics arrived. */
  async open(file: string, text: string, languageId = 'dockerfile', wait = true, timeoutMs = 60_000): Promise<number> {
    const uri = pathToFileURL(file).href;
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    const answered = wait ? this.expect(uri, version, timeoutMs) : Promise.resolve(0);
    const t = now();
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
    return wait ? (await answered) - t : 0;
  }

  /** Waits for the diagnostics of the current version (after an `open` that did not wait). */
  waitFor(file: string, timeoutMs = 60_000): Promise<number> {
    const uri = pathToFileURL(file).href;
    return this.expect(uri, this.versions.get(uri) ?? 1, timeoutMs);
  }

  async close(file: string): Promise<void> {
    const uri = pathToFileURL(file).href;
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /**
   * Replaces [offset, offset + deleteCount) with `insert` (an incremental change); resolves with the
   * ms from sending the notification to the diagnostics of that version.
   */
  async edit(file: string, offset: number, deleteCount: number, insert: string, timeoutMs = 60_000): Promise<number> {
    const uri = pathToFileURL(file).href;
    const text = this.texts.get(uri)!;
    const version = this.versions.get(uri)! + 1;
    this.versions.set(uri, version);
    const range = { start: positionAt(text, offset), end: positionAt(text, offset + deleteCount) };
    this.texts.set(uri, text.slice(0, offset) + insert + text.slice(offset + deleteCount));
    const answered = this.expect(uri, version, timeoutMs);
    const t = now();
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: insert }] });
    return (await answered) - t;
  }

  textOf(file: string): string {
    return this.texts.get(pathToFileURL(file).href)!;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification('exit');
    } catch {
      // already gone
    }
    const exited = this.proc.exitCode !== null ? Promise.resolve() : new Promise((r) => this.proc.once('exit', r));
    const killer = setTimeout(() => this.proc.kill(), 3000);
    await exited;
    clearTimeout(killer);
    this.conn.dispose();
  }
}

function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, character: offset - lineStart };
}
