// A language client for load and robustness tests against the bundled server
// (`node dist/server.js --stdio`): records every diagnostics notification, answers the server's
// requests, can write raw bytes to the server's stdin, and waits by polling what it received with
// a timeout, never a sleep. (./harness.ts's ServerProcess, plus raw writes and the last diagnostics per URI.)
import * as fs from 'node:fs';
import type { ClientCapabilities, PublishDiagnosticsParams } from 'vscode-languageserver';

import { SERVER, ServerProcess, tempWorkspace } from './harness';

export { SERVER, tempWorkspace };

/** What the load tests' client announces (no code actions, no dynamic registration). */
const LOAD_CAPABILITIES: ClientCapabilities = {
  workspace: { configuration: true, workspaceFolders: true },
  textDocument: { publishDiagnostics: { versionSupport: true }, hover: { contentFormat: ['markdown'] } },
};

export class LoadClient extends ServerProcess {
  /** The last diagnostics per URI. */
  readonly latest = new Map<string, PublishDiagnosticsParams>();

  constructor(folder: string, nodeArgs: string[] = []) {
    super(folder, nodeArgs);
    this.rpc.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
  }

  protected override onPublished(p: PublishDiagnosticsParams): void {
    this.latest.set(p.uri, p);
  }

  override initialize(capabilities: ClientCapabilities = LOAD_CAPABILITIES): Promise<{ capabilities: Record<string, unknown> }> {
    return super.initialize(capabilities);
  }

  /** Writes bytes to the server's stdin as they are, around the JSON-RPC writer. */
  raw(bytes: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.proc.stdin.write(bytes, (e) => (e ? reject(e) : resolve())));
  }

  /** Resolves when `ok()` holds (re-tested on every notification and every `pollMs`), rejects after `timeoutMs`. */
  async until(ok: () => boolean, what: () => string, timeoutMs = 60_000, pollMs = 100): Promise<void> {
    await this.waitFor(() => (ok() ? true : undefined), what, timeoutMs, pollMs);
  }
}

/** The server's resident set size in kB, from /proc (Linux). */
export function rssKb(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]);
}
