// The VS Code side of slimdock: starts the bundled language server (dist/server.js) over node IPC
// and hands it Dockerfiles; shows a language status item and registers the palette commands.
// Settings are pulled by the server (`workspace/configuration`), so nothing is synchronised here;
// `slimdock.trace.server` is read by vscode-languageclient itself because the client id is
// `slimdock`. Activation only creates objects and starts the client without awaiting it.
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { COMMANDS, registerCommands } from './commands';
import { createLogger, errorText } from './logger';
import { isProposal, registerOptimize } from './optimize';
import { DOCUMENT_SELECTOR } from './selector';
import { StatusItem, type ServerState, type StatusSnapshot } from './status';

export { DOCUMENT_SELECTOR } from './selector';

/** Returned by `activate`: what the in-extension-host tests read. */
export interface SlimdockApi {
  status(): StatusSnapshot;
  /** Resolves once the language server answered `initialize` (rejects if it could not start). */
  ready: Promise<void>;
  /** Milliseconds `activate` took. */
  activationMs: number;
  /** How many times the server reached the running state (a restart adds one). */
  serverStarts(): number;
}

let client: LanguageClient | undefined;

const STATE: Record<State, ServerState> = { [State.Starting]: 'starting', [State.Running]: 'ready', [State.Stopped]: 'stopped' };

export function activate(context: vscode.ExtensionContext): SlimdockApi {
  const started = Date.now();
  const log = createLogger();
  const status = new StatusItem(COMMANDS.showOutput);
  context.subscriptions.push(log, status);

  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: log,
    traceOutputChannel: log,
    // The proposed file of "Optimize Dockerfile" (a read-only virtual Dockerfile) is no project file:
    // the server does not check it.
    middleware: {
      didOpen: (doc, next) => (isProposal(doc.uri) ? Promise.resolve() : next(doc)),
      didChange: (e, next) => (isProposal(e.document.uri) ? Promise.resolve() : next(e)),
      didClose: (doc, next) => (isProposal(doc.uri) ? Promise.resolve() : next(doc)),
    },
  };
  const lc = new LanguageClient('slimdock', 'slimdock', serverOptions, clientOptions);
  client = lc;
  let starts = 0;
  context.subscriptions.push(
    lc,
    lc.onDidChangeState(({ newState }) => {
      log.info(`language server ${STATE[newState]}`);
      if (newState === State.Running) starts++;
      status.setState(STATE[newState]);
    }),
    ...registerCommands(context, () => lc, log),
    ...registerOptimize(() => lc, log),
  );

  const ready = lc.start().catch((e: unknown) => {
    log.error(`the language server did not start: ${errorText(e)}`);
    status.setState('stopped');
    throw e;
  });
  ready.catch(() => undefined); // reported above; `ready` still rejects for whoever awaits it
  const activationMs = Date.now() - started;
  log.info(`activated in ${activationMs} ms`);
  return { status: () => status.snapshot(), ready, activationMs, serverStarts: () => starts };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
