// The "slimdock" log output channel: the client's own messages and, as the language client's
// outputChannel, the server's log and the `slimdock.trace.server` protocol trace.
import * as vscode from 'vscode';

export function createLogger(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('slimdock', { log: true });
}

/** A message for an error of any type, with its stack when there is one. */
export function errorText(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}
