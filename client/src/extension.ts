// The VS Code side of slimdock: starts the bundled language server (dist/server.js) over node IPC
// and hands it Dockerfiles. Settings are pulled by the server (`workspace/configuration`), so
// nothing is synchronised here; `slimdock.trace.server` is read by vscode-languageclient itself
// because the client id is `slimdock`.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/**
 * Dockerfiles by language id, and by name for files no other extension has claimed; plus the files
 * the findings read (same list as CONTEXT_FILES_GLOB in server/src/lsp/files.ts), so that their
 * unsaved text is what the server sees. The server publishes nothing for those.
 */
export const DOCUMENT_SELECTOR: LanguageClientOptions['documentSelector'] = [
  { language: 'dockerfile' },
  ...['file', 'untitled'].flatMap((scheme) =>
    ['**/Dockerfile*', '**/*.Dockerfile', '**/Containerfile*'].map((pattern) => ({ scheme, pattern })),
  ),
  {
    scheme: 'file',
    pattern:
      '**/{.dockerignore,*.dockerignore,pyproject.toml,uv.lock,requirements*.txt,requirements*.in,*.requirements.txt,.hadolint.yaml,.hadolint.yml,compose.yaml,compose.yml,docker-compose.yaml,docker-compose.yml}',
  },
];

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('slimdock');
  context.subscriptions.push(output);

  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    traceOutputChannel: output,
  };

  client = new LanguageClient('slimdock', 'slimdock', serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
