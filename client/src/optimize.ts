// "slimdock: Optimize Dockerfile": asks the server for the rewrite (`slimdock/optimize`), shows it
// as a diff against a read-only `slimdock-optimize:` document, and applies it as one WorkspaceEdit
// (one undo step) from the diff's title button or the notification.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { OptimizeParams, OptimizeResponse } from '../../server/src/lsp/optimize';
import { errorText } from './logger';
import { DOCKERFILES } from './selector';

export const OPTIMIZE_SCHEME = 'slimdock-optimize';
export const OPTIMIZE_REQUEST = 'slimdock/optimize';
export const OPTIMIZE_COMMANDS = {
  optimize: 'slimdock.optimize',
  apply: 'slimdock.optimize.apply',
} as const;

/** A rewrite waiting for Apply: the server's answer for one version of one Dockerfile. */
interface Proposal {
  document: vscode.Uri;
  response: OptimizeResponse;
}

/** The read-only right side of the diff: the proposed Dockerfile, by its virtual URI. */
class Proposals implements vscode.TextDocumentContentProvider {
  private readonly byUri = new Map<string, Proposal>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.byUri.get(uri.toString())?.response.text ?? '';
  }

  set(uri: vscode.Uri, proposal: Proposal): void {
    this.byUri.set(uri.toString(), proposal);
    this.changed.fire(uri);
  }

  get(uri: vscode.Uri): Proposal | undefined {
    return this.byUri.get(uri.toString());
  }

  delete(uri: vscode.Uri): void {
    this.byUri.delete(uri.toString());
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/**
 * The virtual document of a Dockerfile's proposal. Its path keeps the file name (so it is
 * highlighted as a Dockerfile); the query holds the original URI, one proposal per file.
 */
export function proposalUri(document: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({ scheme: OPTIMIZE_SCHEME, path: document.path, query: document.toString() });
}

/** The proposal documents are not handed to the server (they are not files of the project). */
export function isProposal(uri: vscode.Uri): boolean {
  return uri.scheme === OPTIMIZE_SCHEME;
}

export function registerOptimize(client: () => LanguageClient, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const proposals = new Proposals();

  /** The Dockerfile a command is about: its argument (the CodeLens passes a URI string), else the active editor. */
  function target(arg: unknown): vscode.Uri | undefined {
    if (arg instanceof vscode.Uri) return isProposal(arg) ? vscode.Uri.parse(arg.query) : arg;
    if (typeof arg === 'string' && arg) return vscode.Uri.parse(arg);
    const active = vscode.window.activeTextEditor?.document.uri;
    return active && isProposal(active) ? vscode.Uri.parse(active.query) : active;
  }

  async function optimize(arg?: unknown): Promise<OptimizeResponse | undefined> {
    const uri = target(arg);
    const document = uri && (await vscode.workspace.openTextDocument(uri).then((d) => d, () => undefined));
    if (!document || !vscode.languages.match(DOCKERFILES, document)) {
      void vscode.window.showInformationMessage('slimdock: open a Dockerfile to optimize it.');
      return undefined;
    }
    const lc = client();
    let response: OptimizeResponse | null;
    try {
      const params: OptimizeParams = { uri: lc.code2ProtocolConverter.asUri(document.uri) };
      response = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'slimdock: optimizing the Dockerfile' },
        () => lc.sendRequest<OptimizeResponse | null>(OPTIMIZE_REQUEST, params),
      );
    } catch (e) {
      log.error(`optimize failed: ${errorText(e)}`);
      void vscode.window.showErrorMessage('slimdock: Optimize Dockerfile failed; see the slimdock output.');
      return undefined;
    }
    if (!response) {
      void vscode.window.showInformationMessage('slimdock: the language server does not check this document.');
      return undefined;
    }
    for (const n of response.notes) log.info(`optimize ${path.basename(document.uri.path)}: ${n}`);
    if (!response.changed) {
      void vscode.window.showInformationMessage(`slimdock: nothing to optimize. ${response.notes.join(' ')}`.trim());
      return response;
    }

    const virtual = proposalUri(document.uri);
    proposals.set(virtual, { document: document.uri, response });
    const title = `${path.basename(document.uri.path)} ↔ optimized${response.sizes ? ` (${response.sizes})` : ''}`;
    await vscode.commands.executeCommand('vscode.diff', document.uri, virtual, title, { preview: true });
    // Not awaited: the command ends once the diff shows; the notification waits for the user.
    void vscode.window
      .showInformationMessage(`slimdock: apply the optimized Dockerfile${response.sizes ? ` (estimated ${response.sizes})` : ''}?`, 'Apply', 'Cancel')
      .then(async (choice) => {
        if (proposals.get(virtual)?.response !== response) return; // applied, cancelled or replaced meanwhile
        if (choice === 'Apply') await apply(virtual);
        else if (choice === 'Cancel') {
          proposals.delete(virtual);
          await closeDiff(virtual);
        }
      });
    return response;
  }

  /** Applies the proposal shown in the diff (or the one for the active Dockerfile) as one edit. */
  async function apply(arg?: unknown): Promise<boolean> {
    const uri = arg instanceof vscode.Uri && isProposal(arg) ? arg : (() => {
      const doc = target(arg);
      return doc && proposalUri(doc);
    })();
    const proposal = uri && proposals.get(uri);
    if (!uri || !proposal) return false; // already applied or cancelled
    const { response } = proposal;
    const document = await vscode.workspace.openTextDocument(proposal.document);
    // The edit replaces the text of one version: an edit made since would be lost.
    if (document.version !== response.version) {
      proposals.delete(uri);
      await closeDiff(uri);
      void vscode.window.showWarningMessage('slimdock: the Dockerfile changed after it was optimized; run Optimize Dockerfile again.');
      return false;
    }
    const edit = await client().protocol2CodeConverter.asWorkspaceEdit(response.edits);
    const applied = await vscode.workspace.applyEdit(edit);
    if (!applied) {
      void vscode.window.showErrorMessage('slimdock: the optimized Dockerfile could not be applied.');
      return false;
    }
    proposals.delete(uri);
    await closeDiff(uri);
    await vscode.window.showTextDocument(document, { preview: false });
    const sizes = response.sizes ? ` Estimated image size ${response.sizes}.` : '';
    void vscode.window.showInformationMessage(`slimdock: Dockerfile optimized.${sizes} ${response.notes.join(' ')}`.trim());
    return true;
  }

  return [
    proposals,
    vscode.workspace.registerTextDocumentContentProvider(OPTIMIZE_SCHEME, proposals),
    vscode.commands.registerCommand(OPTIMIZE_COMMANDS.optimize, optimize),
    vscode.commands.registerCommand(OPTIMIZE_COMMANDS.apply, apply),
  ];
}

/** Closes the diff editors showing this proposal. */
async function closeDiff(virtual: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === virtual.toString());
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}
