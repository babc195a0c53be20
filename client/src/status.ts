// The language status item ({} in the status bar next to "Dockerfile"): server state, and the
// active file's findings with the MB they could save. Follows ruff-vscode's src/common/status.ts.
import * as vscode from 'vscode';
import { describe, formatMB, summarize, type FindingsSummary } from './findings';
import { DOCKERFILES } from './selector';

export type ServerState = 'starting' | 'ready' | 'stopped';

/** What the item shows; returned to tests through the extension's API. */
export interface StatusSnapshot {
  state: ServerState;
  /** The file the numbers are for (the active editor's), if any. */
  uri?: string;
  summary: FindingsSummary;
  text: string;
  detail: string;
}

export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly subscriptions: vscode.Disposable[] = [];
  private state: ServerState = 'starting';
  private current: StatusSnapshot;

  constructor(showOutputCommand: string) {
    this.item = vscode.languages.createLanguageStatusItem('slimdock.status', DOCKERFILES);
    this.item.name = 'slimdock';
    this.item.command = { title: 'Show Output', command: showOutputCommand };
    this.current = this.render();
    this.subscriptions.push(
      vscode.languages.onDidChangeDiagnostics((e) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && e.uris.some((u) => u.toString() === active)) this.update();
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
    );
  }

  setState(state: ServerState): void {
    this.state = state;
    this.update();
  }

  snapshot(): StatusSnapshot {
    return this.current;
  }

  private update(): void {
    this.current = this.render();
  }

  private render(): StatusSnapshot {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const summary = summarize(uri ? vscode.languages.getDiagnostics(uri) : []);
    let text: string;
    let detail: string;
    this.item.busy = this.state === 'starting';
    this.item.severity = this.state === 'stopped' ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
    if (this.state === 'starting') {
      text = 'slimdock: starting';
      detail = 'language server starting';
    } else if (this.state === 'stopped') {
      text = 'slimdock: stopped';
      detail = 'language server stopped: see the output';
    } else {
      text = `slimdock: ${describe(summary)}`;
      const unknown = summary.unknown > 0 ? `, ${summary.unknown} of unknown size` : '';
      const sizes = summary.bytes > 0 ? `estimates sum to ${formatMB(summary.bytes)}${unknown}` : 'no size estimate';
      detail = summary.count === 0 ? 'server ready' : `server ready · ${sizes}`;
    }
    this.item.text = text;
    this.item.detail = detail;
    return { state: this.state, uri: uri?.toString(), summary, text, detail };
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
    this.item.dispose();
  }
}
