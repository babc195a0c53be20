// Runs inside VS Code's extension host (code-server or Electron) with the real `vscode` API and the
// extension under development. The expected findings come from the bundled CLI on the same files;
// every wait polls with a timeout.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { SlimdockApi } from '../../../client/src/extension';

const TIMEOUT = 30_000;
const EXTENSION_ID = 'slimdock.slimdock';

interface CliFinding {
  rule: string;
  line: number;
  estimateBytes: number | null;
  fixable: boolean;
}

/** A line the launcher prints after the results (timings). */
function note(line: string): void {
  (globalThis as { slimdockNotes?: string[] }).slimdockNotes?.push(line);
  console.log(`note: ${line}`);
}

async function poll<T>(what: string, fn: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = TIMEOUT): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What the bundled CLI reports for `dockerfile` (with its build context next to it). */
async function cliFindings(extensionPath: string, dockerfile: string): Promise<CliFinding[]> {
  const cli = path.join(extensionPath, 'dist', 'cli.js');
  // In Electron VS Code process.execPath is Electron: make it behave as node.
  const options = { cwd: path.dirname(dockerfile), env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } };
  const out = await promisify(execFile)(process.execPath, [cli, 'check', '--format', 'json', dockerfile], options).catch(
    (e: { code?: number; stdout?: string }) => {
      if (e.code === 1 && e.stdout) return { stdout: e.stdout };
      throw e;
    },
  );
  return JSON.parse(out.stdout) as CliFinding[];
}

/** What `slimdock optimize` prints for `dockerfile`: the reference for the editor's rewrite. */
async function cliOptimize(extensionPath: string, dockerfile: string): Promise<string> {
  const options = { cwd: path.dirname(dockerfile), env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } };
  return (await promisify(execFile)(process.execPath, [path.join(extensionPath, 'dist', 'cli.js'), 'optimize', dockerfile], options)).stdout;
}

/** `RULE@line` (1-based), sorted. */
const keys = (items: { rule: string; line: number }[]) => items.map((f) => `${f.rule}@${f.line}`).sort();

function slimdockDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'slimdock');
}

function diagnosticKeys(uri: vscode.Uri): string[] {
  return keys(slimdockDiagnostics(uri).map((d) => ({ rule: String(d.code && typeof d.code === 'object' ? d.code.value : d.code), line: d.range.start.line + 1 })));
}

/** The savable total the status item should show: known estimates, one per rule and line. */
function expectedBytes(findings: CliFinding[]): number {
  const per = new Map<string, number>();
  for (const f of findings) if (f.estimateBytes != null) per.set(`${f.rule}@${f.line}`, Math.max(per.get(`${f.rule}@${f.line}`) ?? 0, f.estimateBytes));
  return [...per.values()].reduce((a, b) => a + b, 0);
}

function tabLabels(): string[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
}

describe('extension host: slimdock in VS Code', () => {
  let api: SlimdockApi;
  let extensionPath: string;
  let folder: string;
  let uri: vscode.Uri;
  let original: string;
  let expected: CliFinding[];

  before(async () => {
    const ext = vscode.extensions.getExtension<SlimdockApi>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded in the extension host`);
    extensionPath = ext.extensionPath;
    folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    assert.ok(folder && fs.existsSync(path.join(folder, 'Dockerfile')), 'the fixture folder is open');
    uri = vscode.Uri.file(path.join(folder, 'Dockerfile'));
    original = fs.readFileSync(uri.fsPath, 'utf8');
    expected = await cliFindings(extensionPath, uri.fsPath);
    assert.ok(expected.length >= 3, `the fixture has several findings (the CLI found ${expected.length})`);

    const opened = Date.now();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    api = await ext.activate(); // already active (onLanguage:dockerfile or workspaceContains): returns its API
    note(`activate() took ${api.activationMs} ms`);
    await api.ready;
    note(`language server ready ${Date.now() - opened} ms after opening the Dockerfile`);
  });

  it('the document is a Dockerfile and the extension is active', () => {
    assert.equal(vscode.window.activeTextEditor?.document.languageId, 'dockerfile');
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
  });

  it('publishes the findings the CLI reports, with source, code and docs link', async () => {
    const want = keys(expected);
    const started = Date.now();
    await poll(`diagnostics ${want.join(' ')}`, () => diagnosticKeys(uri).join() === want.join()).catch((e: Error) => {
      throw new Error(`${e.message}; got ${diagnosticKeys(uri).join(' ')}`);
    });
    note(`diagnostics complete ${Date.now() - started} ms after the server was ready`);
    for (const d of slimdockDiagnostics(uri)) {
      assert.match(String(typeof d.code === 'object' ? d.code.value : d.code), /^SD\d{3}$/);
      assert.ok(typeof d.code === 'object' && /^https:\/\//.test(d.code.target.toString()), 'code carries the docs link');
    }
  });

  it('each diagnostic carries its rule and the CLI\'s estimate in data', () => {
    for (const d of slimdockDiagnostics(uri)) {
      const data = (d as vscode.Diagnostic & { data?: { rule?: string; estimateBytes?: number | null } }).data;
      const rule = String(typeof d.code === 'object' ? d.code.value : d.code);
      assert.equal(data?.rule, rule);
      const cli = expected.find((f) => f.rule === rule && f.line === d.range.start.line + 1);
      assert.ok(cli, `${rule}@${d.range.start.line + 1} is a CLI finding`);
      assert.equal(data?.estimateBytes, cli.estimateBytes, `${rule}: same estimate as the CLI`);
    }
  });

  it('hovering a finding shows its rule and estimate', async () => {
    const pip = slimdockDiagnostics(uri).find((d) => typeof d.code === 'object' && d.code.value === 'SD101');
    assert.ok(pip, 'SD101 is reported');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pip.range.start.translate(0, 1));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /SD101/);
    assert.match(text, /≈/);
  });

  it('the status item shows ready, the finding count and the savable MB of the active file', async () => {
    const bytes = expectedBytes(expected);
    assert.ok(bytes > 0, 'the fixture has findings with a known size');
    const s = await poll('the status item to count the findings', () => {
      const s = api.status();
      return s.state === 'ready' && s.summary.count === expected.length ? s : undefined;
    }).catch((e: Error) => {
      throw new Error(`${e.message}; status: ${JSON.stringify(api.status())}`);
    });
    assert.equal(s.uri, uri.toString());
    assert.equal(s.summary.bytes, bytes);
    assert.equal(s.summary.unknown, new Set(expected.filter((f) => f.estimateBytes == null).map((f) => `${f.rule}@${f.line}`)).size);
    assert.match(s.text, new RegExp(`${expected.length} findings · ≈ \\d+(\\.\\d)? MB savable`));
  });

  it('the status item follows an edit that fixes a finding', async () => {
    const editor = vscode.window.activeTextEditor!;
    const line = original.split('\n').findIndex((l) => l.includes('pip install'));
    const at = new vscode.Position(line, original.split('\n')[line].indexOf('pip install') + 'pip install'.length);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slimdock-eh-'));
    try {
      fs.cpSync(folder, tmp, { recursive: true });
      const edited = original.split('\n');
      edited[line] = edited[line].slice(0, at.character) + ' --no-cache-dir' + edited[line].slice(at.character);
      fs.writeFileSync(path.join(tmp, 'Dockerfile'), edited.join('\n'));
      const after = await cliFindings(extensionPath, path.join(tmp, 'Dockerfile'));
      assert.ok(!after.some((f) => f.rule === 'SD101'), 'the CLI no longer reports SD101');

      assert.ok(await editor.edit((b) => b.insert(at, ' --no-cache-dir')));
      await poll('the status item to drop SD101', () => {
        const s = api.status();
        return s.summary.count === after.length && s.summary.bytes === expectedBytes(after) && diagnosticKeys(uri).join() === keys(after).join();
      }).catch((e: Error) => {
        throw new Error(`${e.message}; status: ${JSON.stringify(api.status())}`);
      });
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
      const doc = editor.document;
      await editor.edit((b) => b.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original));
    }
    await poll('the original findings back', () => diagnosticKeys(uri).join() === keys(expected).join());
  });

  it('registers every command package.json declares', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(extensionPath, 'package.json'), 'utf8')) as { contributes: { commands: { command: string; category: string }[] } };
    const declared = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(declared, ['slimdock.fixAll', 'slimdock.optimize', 'slimdock.optimize.apply', 'slimdock.restartServer', 'slimdock.showOutput', 'slimdock.showRuleDocumentation']);
    assert.ok(manifest.contributes.commands.every((c) => c.category === 'slimdock'));
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const c of declared) assert.ok(registered.has(c), `${c} is registered`);
    await vscode.commands.executeCommand('slimdock.showOutput');
  });

  it('Show Rule Documentation opens the rule\'s page in the markdown preview', async () => {
    await vscode.commands.executeCommand('slimdock.showRuleDocumentation', 'SD301');
    await poll('a preview tab of SD301.md', () => tabLabels().some((l) => l.includes('SD301')), TIMEOUT).catch((e: Error) => {
      throw new Error(`${e.message}; tabs: ${tabLabels().join(', ')}`);
    });
    // Without an argument it asks with a quick pick of the shipped pages; accept the first one (sorted by id).
    const first = fs.readdirSync(path.join(extensionPath, 'docs', 'rules')).filter((f) => /^SD\d{3}\.md$/.test(f)).sort()[0].replace('.md', '');
    const picked = vscode.commands.executeCommand('slimdock.showRuleDocumentation');
    await poll(`a preview tab of ${first}.md after accepting the quick pick`, async () => {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return tabLabels().some((l) => l.includes(first));
    }).catch((e: Error) => {
      throw new Error(`${e.message}; tabs: ${tabLabels().join(', ')}`);
    });
    await picked;
    await vscode.window.showTextDocument(uri); // back to the Dockerfile for the next tests
  });

  it('Restart Server restarts it and the findings come back', async () => {
    const starts = api.serverStarts();
    await vscode.commands.executeCommand('slimdock.restartServer');
    await poll('the server to be running again', () => api.status().state === 'ready' && api.serverStarts() === starts + 1);
    await poll('the findings after the restart', () => diagnosticKeys(uri).join() === keys(expected).join());
    // VS Code debounces onDidChangeDiagnostics (50 ms): the status item follows shortly after.
    await poll('the status item to count them again', () => api.status().summary.count === expected.length).catch((e: Error) => {
      throw new Error(`${e.message}; status: ${JSON.stringify(api.status())}`);
    });
  });

  it('Fix All applies the server\'s source.fixAll.slimdock action', async function () {
    const doc = await vscode.workspace.openTextDocument(uri);
    const whole = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, whole, 'source.fixAll.slimdock');
    if (!actions?.length) {
      note('Fix All: the server offers no source.fixAll.slimdock action yet (skipped)');
      this.skip();
    }
    const fixable = expected.filter((f) => f.fixable);
    assert.ok(fixable.length > 0, 'the fixture has fixable findings');
    const editor = await vscode.window.showTextDocument(doc);
    try {
      await vscode.commands.executeCommand('slimdock.fixAll');
      await poll('the fixable findings to go', () => {
        const now = diagnosticKeys(uri);
        return doc.getText() !== original && !fixable.some((f) => now.includes(`${f.rule}@${f.line}`));
      }).catch((e: Error) => {
        throw new Error(`${e.message}; diagnostics: ${diagnosticKeys(uri).join(' ')}; text:\n${doc.getText()}`);
      });
    } finally {
      await editor.edit((b) => b.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original));
    }
  });
  it('Optimize Dockerfile: the CodeLens, the diff of the proposal, Apply as one edit', async () => {
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((b) => b.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original));
    const want = await cliOptimize(extensionPath, uri.fsPath);
    assert.notEqual(want, original, 'the CLI rewrites the fixture');
    const ignore = vscode.Uri.file(path.join(folder, '.dockerignore'));
    try {
      const lens = await poll('the Optimize CodeLens', async () => {
        const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
        return lenses.find((l) => l.command?.command === 'slimdock.optimize');
      });
      assert.match(lens.command!.title, /^slimdock: Optimize Dockerfile \(≈ [\d.]+ [kMG]B → ≈ [\d.]+ [kMG]B\)$/);
      assert.equal(lens.range.start.line, original.split('\n').findIndex((l) => l.startsWith('FROM')));

      // The lens passes the URI as a string, as here.
      await vscode.commands.executeCommand('slimdock.optimize', uri.toString());
      const diffTab = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'slimdock-optimize');
      const tab = await poll('the diff of the proposal', diffTab);
      const input = tab.input as vscode.TabInputTextDiff;
      assert.equal(input.original.toString(), uri.toString());
      assert.match(tab.label, /^Dockerfile ↔ optimized \(≈ .+ → ≈ .+\)$/);
      assert.equal((await vscode.workspace.openTextDocument(input.modified)).getText(), want);
      assert.equal(doc.getText(), original, 'nothing changes before Apply');

      assert.equal(await vscode.commands.executeCommand('slimdock.optimize.apply', input.modified), true);
      assert.equal(doc.getText(), want);
      assert.equal(diffTab(), undefined, 'the diff closes');
      assert.match((await vscode.workspace.openTextDocument(ignore)).getText(), /^\*\*\/\.venv$/m);
      assert.equal(await vscode.commands.executeCommand('slimdock.optimize.apply', input.modified), false, 'a proposal applies once');
    } finally {
      const dockerignore = vscode.workspace.textDocuments.find((d) => d.uri.toString() === ignore.toString());
      if (dockerignore) {
        await vscode.window.showTextDocument(dockerignore);
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
      await vscode.workspace.fs.delete(ignore).then(undefined, () => undefined);
      const e = await vscode.window.showTextDocument(doc);
      await e.edit((b) => b.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original));
    }
  });
});
