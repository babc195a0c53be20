// The palette commands (category "slimdock" in package.json). Each one is small: the work is the
// server's (fix-all) or VS Code's (markdown preview, code-action runner).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { errorText } from './logger';
import { listRuleDocs } from './ruleDocs';
import { DOCKERFILES } from './selector';

export const COMMANDS = {
  restartServer: 'slimdock.restartServer',
  showOutput: 'slimdock.showOutput',
  showRuleDocumentation: 'slimdock.showRuleDocumentation',
  fixAll: 'slimdock.fixAll',
} as const;

/** The code-action kind the server answers with every fix of a file (server/src/lsp/codeActions.ts). */
export const FIX_ALL_KIND = 'source.fixAll.slimdock';

export function registerCommands(context: vscode.ExtensionContext, client: () => LanguageClient, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.showOutput, () => log.show(true)),

    vscode.commands.registerCommand(COMMANDS.restartServer, async () => {
      log.info('restarting the language server');
      try {
        await client().restart();
      } catch (e) {
        log.error(`restart failed: ${errorText(e)}`);
        void vscode.window.showErrorMessage('slimdock: the language server did not restart; see the slimdock output.');
      }
    }),

    vscode.commands.registerCommand(COMMANDS.showRuleDocumentation, async (ruleId?: unknown) => {
      const docs = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules');
      let id = typeof ruleId === 'string' ? ruleId.toUpperCase() : undefined;
      if (!id) {
        const files = await vscode.workspace.fs.readDirectory(docs).then((entries) => entries.map(([name]) => name), () => [] as string[]);
        const read = async (file: string) => new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(docs, file)));
        const rules = await listRuleDocs(files, read);
        const picked = await vscode.window.showQuickPick(
          rules.map((r) => ({ label: r.id, description: r.title })),
          { title: 'slimdock rules', placeHolder: 'Open the documentation of a rule', matchOnDescription: true },
        );
        id = picked?.label;
      }
      if (id) await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(docs, `${id}.md`));
    }),

    vscode.commands.registerCommand(COMMANDS.fixAll, async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !vscode.languages.match(DOCKERFILES, editor.document)) {
        void vscode.window.showInformationMessage('slimdock: open a Dockerfile to fix its findings.');
        return;
      }
      // Runs the server's fix-all action on the active editor, as "Source Action…" would.
      await vscode.commands.executeCommand('editor.action.codeAction', { kind: FIX_ALL_KIND, apply: 'first' });
    }),
  ];
}
