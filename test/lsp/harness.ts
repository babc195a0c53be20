// A language client for protocol tests against the bundled server (`node dist/server.js --stdio`):
// records diagnostics, answers `workspace/configuration`, `workspace/applyEdit` and
// `window/showDocument`, and waits by polling what it received with a timeout, never a sleep.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { ClientCapabilities, Hover, PublishDiagnosticsParams, TextDocumentContentChangeEvent } from 'vscode-languageserver';

/** The bundle under test; SLIMDOCK_SERVER points at another build (a mutant, an installed copy). */
export const SERVER = process.env.SLIMDOCK_SERVER ?? path.resolve(__dirname, '../../dist/server.js');
export const TIMEOUT = 10_000;

/** What VS Code announces for the features the server looks at. */
export const VSCODE_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
  },
  textDocument: {
    publishDiagnostics: { versionSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } }, isPreferredSupport: true },
  },
  window: { showDocument: { support: true } },
};

/**
 * The bundled server as a child process with a JSON-RPC connection: records every diagnostics
 * notification, answers the requests every client must (capability registration, progress), and
 * waits for conditions by re-testing them on every notification and every `pollMs`, never a sleep.
 */
export class ServerProcess {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly rpc: MessageConnection;
  readonly published: PublishDiagnosticsParams[] = [];
  stderr = '';
  /** undefined while the server runs. */
  exitCode: number | null | undefined;
  readonly exited: Promise<number | null>;
  private readonly listeners = new Set<() => void>();

  /** `nodeArgs`: node options for the server process. Subclasses add their request handlers. */
  constructor(readonly folder: string, nodeArgs: string[] = []) {
    if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`npm run build\` first.`);
    this.proc = spawn(process.execPath, [...nodeArgs, SERVER, '--stdio'], { stdio: 'pipe' });
    this.proc.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) =>
      this.proc.on('exit', (code) => {
        this.exitCode = code;
        this.notify();
        resolve(code);
      }),
    );
    this.rpc = createMessageConnection(new StreamMessageReader(this.proc.stdout), new StreamMessageWriter(this.proc.stdin));
    this.rpc.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.push(p);
      this.onPublished(p);
      this.notify();
    });
    this.rpc.onRequest('client/registerCapability', () => null);
    this.rpc.onRequest('window/workDoneProgress/create', () => null);
    this.rpc.onNotification('window/logMessage', () => undefined);
    this.rpc.listen();
  }

  get pid(): number {
    return this.proc.pid!;
  }

  /** A subclass's view of each diagnostics notification (called before waiters are re-tested). */
  protected onPublished(_p: PublishDiagnosticsParams): void {}

  async initialize(capabilities: ClientCapabilities = VSCODE_CAPABILITIES): Promise<{ capabilities: Record<string, unknown> }> {
    const uri = pathToFileURL(this.folder).href;
    const result = await this.rpc.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', { processId: process.pid, rootUri: uri, workspaceFolders: [{ uri, name: 'ws' }], capabilities });
    await this.rpc.sendNotification('initialized', {});
    return result;
  }

  uri(name: string): string {
    return pathToFileURL(path.join(this.folder, name)).href;
  }

  /** Resolves with `find()`'s first defined answer; rejects when the server exits or after `timeoutMs`. */
  protected waitFor<T>(find: () => T | undefined, what: () => string, timeoutMs: number, pollMs = 100): Promise<T> {
    return new Promise((resolve, reject) => {
      const done = (fn: () => void) => {
        this.listeners.delete(poll);
        clearTimeout(timer);
        clearInterval(interval);
        fn();
      };
      const poll = () => {
        const found = find();
        if (found !== undefined) done(() => resolve(found));
        else if (this.exitCode !== undefined) done(() => reject(new Error(`the server exited (${this.exitCode}) waiting for ${what()}\n${this.stderr}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`no ${what()} within ${timeoutMs} ms\nserver stderr: ${this.stderr.slice(-2000)}`))), timeoutMs);
      const interval = setInterval(poll, pollMs); // conditions that no notification announces
      this.listeners.add(poll);
      poll();
    });
  }

  protected notify(): void {
    for (const l of [...this.listeners]) l();
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode === null) this.proc.kill();
    this.rpc.dispose();
  }
}

export class TestClient extends ServerProcess {
  /** Requests the server sent us, by method. */
  readonly received: { method: string; params: unknown }[] = [];
  settings: Record<string, unknown> = {};
  /** How often the server pulled `workspace/configuration`. */
  configurationRequests = 0;
  private readonly versions = new Map<string, number>();

  constructor(folder: string) {
    super(folder);
    this.rpc.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => {
      this.configurationRequests++;
      return p.items.map((i) => (i.section === 'slimdock' ? this.settings : null));
    });
    for (const method of ['workspace/applyEdit', 'window/showDocument']) {
      this.rpc.onRequest(method, (params: unknown) => {
        this.received.push({ method, params });
        this.notify();
        return method === 'workspace/applyEdit' ? { applied: true } : { success: true };
      });
    }
  }

  async open(name: string, text: string, languageId = 'dockerfile'): Promise<string> {
    const uri = this.uri(name);
    this.versions.set(uri, 1);
    await this.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  version(uri: string): number {
    return this.versions.get(uri) ?? 0;
  }

  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = this.version(uri) + 1;
    this.versions.set(uri, version);
    await this.rpc.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  /** Changes the settings the client answers with, and tells the server. */
  async configure(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.rpc.sendNotification('workspace/didChangeConfiguration', { settings: { slimdock: settings } });
  }

  hover(uri: string, line: number, character: number): Promise<Hover | null> {
    return this.rpc.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } });
  }

  /** Resolves with the first diagnostics for `uri` (received after `since`) that satisfy `ok`. */
  diagnostics(uri: string, ok: (p: PublishDiagnosticsParams) => boolean, since = 0): Promise<PublishDiagnosticsParams> {
    return this.until(() => this.published.slice(since).find((p) => p.uri === uri && ok(p)), () => `diagnostics for ${uri}; last: ${JSON.stringify(this.published.filter((p) => p.uri === uri).pop())}`);
  }

  /** Resolves with the first request of `method` the server sent (after `since`). */
  request(method: string, since = 0): Promise<unknown> {
    return this.until(() => this.received.slice(since).find((r) => r.method === method)?.params, () => `a ${method} request`);
  }

  private until<T>(find: () => T | undefined, what: () => string): Promise<T> {
    return this.waitFor(find, what, TIMEOUT);
  }
}

export function tempWorkspace(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'slimdock-lsp-')));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
