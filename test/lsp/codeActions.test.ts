// Code actions against the bundled server over stdio: the quick fix applies and the re-published
// diagnostics no longer hold the finding; "ignore for this line"; "Fix all SDnnn"; the
// `source.fixAll.slimdock` edit set; documentation; a stale version gets no edit; clients
// without literals or `documentChanges` get what they can apply.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeAction, Command, CreateFile, Diagnostic, PublishDiagnosticsParams, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { docsUrl } from '../../server/src/engine';
import { applyEdits } from '../../server/src/engine/fixes';
import { TestClient, tempWorkspace } from './harness';

const DOCKERFILE = [
  'FROM python:3.12-slim', // 0
  'WORKDIR /app',
  'COPY requirements.txt .',
  'RUN pip install -r requirements.txt', // 3: SD101
  'COPY app.py .',
  'CMD ["python", "app.py"]',
  '',
].join('\n');

/** Two SD101 findings, plus SD201/SD202 on the apt line. */
const TWO_PIPS = ['FROM python:3.12-slim', 'RUN apt-get update && apt-get install -y curl', 'RUN pip install flask==3.0.3', 'RUN pip install requests==2.32.3', ''].join('\n');

const find = (p: PublishDiagnosticsParams, code: string): Diagnostic | undefined => p.diagnostics.find((d) => d.code === code);
const isAction = (a: CodeAction | Command): a is CodeAction => typeof (a as CodeAction).command !== 'string';

/** The text edits for `uri` in a WorkspaceEdit (documentChanges or changes). */
function editsFor(edit: WorkspaceEdit | undefined, uri: string): TextEdit[] {
  const docEdits = (edit?.documentChanges ?? []).filter((c): c is TextDocumentEdit => 'textDocument' in c && c.textDocument.uri === uri);
  return [...docEdits.flatMap((c) => c.edits as TextEdit[]), ...(edit?.changes?.[uri] ?? [])];
}

describe('code actions over stdio', () => {
  let client: TestClient;
  let folder: string;

  before(async () => {
    folder = tempWorkspace({ 'requirements.txt': 'flask\nnumpy\n', 'app.py': 'print(1)\n' });
    client = new TestClient(folder);
    const init = await client.initialize();
    assert.deepEqual(init.capabilities.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.slimdock', 'refactor.rewrite.slimdock'], resolveProvider: false });
  });

  after(async () => {
    await client?.stop();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  function actions(uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<(CodeAction | Command)[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return client.rpc.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, only } });
  }

  /** Applies an action's edit to `text` as the editor would, sends it, waits for its diagnostics. */
  async function apply(uri: string, text: string, action: CodeAction): Promise<{ text: string; published: PublishDiagnosticsParams }> {
    const next = applyEdits(text, editsFor(action.edit, uri));
    assert.notEqual(next, text, `"${action.title}" changes nothing`);
    const version = await client.change(uri, [{ text: next }]);
    return { text: next, published: await client.diagnostics(uri, (p) => p.version === version) };
  }

  it('offers the fixes of a diagnostic, the preferred one first, versioned; applying it removes the finding', async () => {
    const uri = await client.open('Dockerfile', DOCKERFILE);
    const p = await client.diagnostics(uri, (x) => x.version === 1 && !!find(x, 'SD101'));
    const list = (await actions(uri, [find(p, 'SD101')!])).filter(isAction);
    const titles = list.map((a) => a.title);
    assert.deepEqual(titles.slice(0, 2), ['Add --no-cache-dir', 'Add a cache mount on /root/.cache/pip']);
    assert.ok(titles.includes('Ignore SD101 for this line') && titles.includes('Show documentation for SD101'), titles.join(' | '));
    assert.ok(!titles.some((t) => t.startsWith('Fix all SD101')), 'one SD101 in the file: no fix-all of the rule');
    const fix = list[0];
    assert.equal(fix.kind, 'quickfix');
    assert.equal(fix.isPreferred, true);
    assert.equal(list[1].isPreferred, undefined);
    assert.deepEqual(fix.diagnostics?.map((d) => d.code), ['SD101']);
    const change = fix.edit?.documentChanges?.[0] as TextDocumentEdit;
    assert.deepEqual(change.textDocument, { uri, version: 1 });
    assert.deepEqual(change.edits, [{ range: { start: { line: 3, character: 15 }, end: { line: 3, character: 15 } }, newText: ' --no-cache-dir' }]);

    const { published } = await apply(uri, DOCKERFILE, fix);
    assert.equal(find(published, 'SD101'), undefined, `SD101 still there: ${JSON.stringify(published.diagnostics)}`);
  });

  it('"Ignore SD101 for this line" inserts the comment above the RUN, and the finding goes', async () => {
    const uri = await client.open('Dockerfile.ignore', DOCKERFILE);
    const p = await client.diagnostics(uri, (x) => x.version === 1 && !!find(x, 'SD101'));
    const ignore = (await actions(uri, [find(p, 'SD101')!])).filter(isAction).find((a) => a.title === 'Ignore SD101 for this line');
    assert.ok(ignore);
    const { text, published } = await apply(uri, DOCKERFILE, ignore);
    assert.equal(text.split('\n')[3], '# slimdock: ignore=SD101');
    assert.equal(find(published, 'SD101'), undefined);
  });

  it('"Fix all SD101 in this file" when the rule has two fixable findings', async () => {
    const uri = await client.open('Dockerfile.two', TWO_PIPS);
    const p = await client.diagnostics(uri, (x) => x.version === 1 && x.diagnostics.filter((d) => d.code === 'SD101').length === 2);
    const all = (await actions(uri, [find(p, 'SD101')!])).filter(isAction).find((a) => a.title === 'Fix all SD101 in this file');
    assert.ok(all, 'fix-all of the rule offered');
    assert.equal(editsFor(all.edit, uri).length, 2);
    const { published } = await apply(uri, TWO_PIPS, all);
    assert.equal(find(published, 'SD101'), undefined);
    assert.ok(find(published, 'SD201'), 'other rules untouched');
  });

  it('source.fixAll.slimdock: one versioned edit set, sorted, that a second request finds nothing to add to', async () => {
    const uri = await client.open('Dockerfile.all', TWO_PIPS);
    await client.diagnostics(uri, (x) => x.version === 1);
    const list = await actions(uri, [], ['source.fixAll']);
    assert.equal(list.length, 1, JSON.stringify(list));
    const fixAll = list[0] as CodeAction;
    assert.equal(fixAll.kind, 'source.fixAll.slimdock');
    const changes = fixAll.edit?.documentChanges as TextDocumentEdit[];
    assert.equal(changes.length, 1, 'one document edit');
    assert.deepEqual(changes[0].textDocument, { uri, version: 1 });
    const starts = changes[0].edits.map((e) => e.range.start.line * 1e6 + e.range.start.character);
    assert.deepEqual(starts, [...starts].sort((a, b) => a - b), 'edits sorted');
    assert.ok(changes[0].edits.length >= 4, `edits: ${JSON.stringify(changes[0].edits)}`);

    const { published } = await apply(uri, TWO_PIPS, fixAll);
    for (const code of ['SD101', 'SD201', 'SD202']) assert.equal(find(published, code), undefined, `${code} left`);
    assert.deepEqual(await actions(uri, [], ['source.fixAll']), [], 'nothing left to fix');
    // Quick-fix requests do not get it.
    const quick = await actions(uri, published.diagnostics.slice(0, 1), ['quickfix']);
    assert.ok(quick.filter(isAction).every((a) => a.kind === 'quickfix'));
  });

  it('a diagnostic of an older version gets no action', async () => {
    const uri = await client.open('Dockerfile.stale', DOCKERFILE);
    const p1 = await client.diagnostics(uri, (x) => x.version === 1 && !!find(x, 'SD101'));
    // Same text, new version: the old diagnostic's positions would still be right, but it is stale.
    const v2 = await client.change(uri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '' }]);
    const p2 = await client.diagnostics(uri, (x) => x.version === v2);
    assert.deepEqual(await actions(uri, [find(p1, 'SD101')!], ['quickfix']), []);
    const fresh = (await actions(uri, [find(p2, 'SD101')!], ['quickfix'])).filter(isAction);
    assert.ok(fresh.length >= 3, 'the current diagnostic gets its actions');
    assert.equal((fresh[0].edit?.documentChanges?.[0] as TextDocumentEdit).textDocument.version, v2);
  });

  it('"Show documentation" runs a server command that asks the client to open the docs page', async () => {
    const uri = await client.open('Dockerfile.docs', DOCKERFILE);
    const p = await client.diagnostics(uri, (x) => x.version === 1 && !!find(x, 'SD101'));
    const docs = (await actions(uri, [find(p, 'SD101')!])).filter(isAction).find((a) => a.title === 'Show documentation for SD101');
    assert.ok(docs?.command);
    const since = client.received.length;
    await client.rpc.sendRequest('workspace/executeCommand', { command: docs.command.command, arguments: docs.command.arguments });
    assert.deepEqual(await client.request('window/showDocument', since), { uri: docsUrl('SD101'), external: true });
  });

  it('a fix that creates .dockerignore comes with CreateFile', async () => {
    fs.mkdirSync(path.join(folder, '.venv'), { recursive: true });
    fs.writeFileSync(path.join(folder, '.venv', 'pyvenv.cfg'), 'home = /usr/bin\n');
    const text = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\n';
    const uri = await client.open('Dockerfile.ctx', text);
    const p = await client.diagnostics(uri, (x) => x.version === 1 && !!find(x, 'SD402'));
    const fix = (await actions(uri, [find(p, 'SD402')!])).filter(isAction).find((a) => /\.dockerignore/.test(a.title));
    assert.ok(fix, 'a .dockerignore fix');
    const ignoreUri = client.uri('.dockerignore');
    const [create, edit] = fix.edit!.documentChanges! as [CreateFile, TextDocumentEdit];
    assert.deepEqual(create, { kind: 'create', uri: ignoreUri, options: { ignoreIfExists: true } });
    assert.deepEqual(edit.textDocument, { uri: ignoreUri, version: null });
    assert.match(edit.edits.map((e) => e.newText).join(''), /^\.venv$/m);
  });
});

describe('code actions for a client without literals or documentChanges', () => {
  let client: TestClient;
  let folder: string;

  before(async () => {
    folder = tempWorkspace({ 'requirements.txt': 'flask\n' });
    client = new TestClient(folder);
    const init = await client.initialize({ workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } });
    assert.equal(init.capabilities.codeActionProvider, true);
  });

  after(async () => {
    await client?.stop();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('gets commands that have the server apply plain `changes`', async () => {
    const uri = await client.open('Dockerfile', DOCKERFILE);
    const p = await client.diagnostics(uri, (x) => x.version === 1 && !!find(x, 'SD101'));
    const d = find(p, 'SD101')!;
    const list = (await client.rpc.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) as Command[];
    const fix = list.find((c) => c.title === 'Add --no-cache-dir');
    assert.ok(fix && typeof fix.command === 'string', JSON.stringify(list));
    const since = client.received.length;
    await client.rpc.sendRequest('workspace/executeCommand', { command: fix.command, arguments: fix.arguments });
    const applied = (await client.request('workspace/applyEdit', since)) as { edit: WorkspaceEdit };
    assert.deepEqual(applied.edit, { changes: { [uri]: [{ range: { start: { line: 3, character: 15 }, end: { line: 3, character: 15 } }, newText: ' --no-cache-dir' }] } });
    assert.ok(!list.some((c) => /Show documentation/.test(c.title) && c.command !== 'vscode.open'), 'no showDocument: the docs link goes through vscode.open');
  });

  it('fix-all leaves out a fix that would create a file, and keeps the rest', async () => {
    fs.mkdirSync(path.join(folder, '.venv'), { recursive: true });
    fs.writeFileSync(path.join(folder, '.venv', 'pyvenv.cfg'), 'home = /usr/bin\n');
    const uri = await client.open('Dockerfile.ctx', 'FROM python:3.12-slim\nCOPY . .\nRUN pip install -r requirements.txt\n');
    const p = await client.diagnostics(uri, (x) => x.version === 1 && !!find(x, 'SD402') && !!find(x, 'SD101'));
    const quick = (await client.rpc.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: find(p, 'SD402')!.range, context: { diagnostics: [find(p, 'SD402')] } })) as Command[];
    assert.ok(!quick.some((c) => /\.dockerignore/.test(c.title)), 'no .dockerignore fix without resource operations');
    const list = (await client.rpc.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: p.diagnostics[0].range, context: { diagnostics: [], only: ['source.fixAll'] } })) as Command[];
    assert.equal(list.length, 1);
    const edit = list[0].arguments?.[0] as WorkspaceEdit;
    assert.deepEqual(Object.keys(edit.changes ?? {}), [uri]);
    assert.ok(edit.changes![uri].some((e) => e.newText === ' --no-cache-dir'));
  });
});
