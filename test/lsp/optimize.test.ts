// "Optimize Dockerfile" over stdio against the bundled server: the `slimdock/optimize` request
// answers the engine's rewrite of the open text as one versioned WorkspaceEdit (the Dockerfile
// replaced, the .dockerignore created), the CodeLens on the first FROM names the estimate, a lean
// file gets neither, settings and request parameters choose the mode, and a client without
// resource operations still gets the Dockerfile edit.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeLens, CreateFile, TextDocumentEdit, TextEdit } from 'vscode-languageserver';
import { optimize } from '../../server/src/engine/optimize';
import { applyEdits } from '../../server/src/engine/fixes';
import { NodeFileSystem } from '../../server/src/nodeFs';
import type { OptimizeResponse } from '../../server/src/lsp/optimize';
import { TestClient, VSCODE_CAPABILITIES, tempWorkspace } from './harness';

const FIXTURE = path.resolve(__dirname, '../fixtures/optimize/requirements');
const read = (name: string) => fs.readFileSync(path.join(FIXTURE, name), 'utf8');
/** Already what Optimize would write: nothing to do. */
const LEAN = read('expected.Dockerfile');

describe('Optimize Dockerfile over stdio', function () {
  this.timeout(60_000);
  let client: TestClient;
  let folder: string;
  const files = () => ({ Dockerfile: read('Dockerfile'), 'requirements.txt': read('requirements.txt'), 'app.py': read('app.py') });

  before(async () => {
    folder = tempWorkspace(files());
    client = new TestClient(folder);
    const init = await client.initialize();
    assert.deepEqual(init.capabilities.codeLensProvider, { resolveProvider: false });
  });

  after(async () => {
    await client?.stop();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  const request = (uri: string, extra: Record<string, unknown> = {}) => client.rpc.sendRequest<OptimizeResponse | null>('slimdock/optimize', { uri, ...extra });
  const lenses = (uri: string) => client.rpc.sendRequest<CodeLens[] | null>('textDocument/codeLens', { textDocument: { uri } });
  /** What the engine itself makes of the same text and files. */
  const engine = (text: string, mode: 'venv' | 'system' = 'venv') => optimize({ file: path.join(folder, 'Dockerfile'), text, fs: new NodeFileSystem('/'), root: folder, mode });

  it('answers the engine\'s rewrite of the open text, as one versioned edit with the new .dockerignore', async () => {
    const text = read('Dockerfile');
    const uri = await client.open('Dockerfile', text);
    const r = await request(uri);
    assert.ok(r, 'an answer for an open Dockerfile');
    const want = engine(text);
    assert.equal(r.changed, true);
    assert.equal(r.text, want.text);
    assert.match(r.text, /^FROM python:3\.12 AS builder$/m);
    assert.match(r.text, /^FROM python:3\.12-slim$/m);
    assert.equal(r.version, 1);
    assert.deepEqual(r.notes, want.notes);
    assert.ok(r.before.bytes && r.after.bytes && r.after.bytes < r.before.bytes, `after < before: ${JSON.stringify([r.before, r.after])}`);
    assert.match(r.sizes ?? '', /^≈ [\d.]+ [kMG]B → ≈ [\d.]+ [kMG]B$/);

    const changes = r.edits.documentChanges ?? [];
    const own = changes[0] as TextDocumentEdit;
    assert.deepEqual(own.textDocument, { uri, version: 1 });
    assert.equal(own.edits.length, 1, 'one whole-document replace');
    assert.equal(applyEdits(text, own.edits as TextEdit[]), r.text);
    const ignoreUri = client.uri('.dockerignore');
    assert.deepEqual(changes[1] as CreateFile, { kind: 'create', uri: ignoreUri, options: { ignoreIfExists: true } });
    const ignore = changes[2] as TextDocumentEdit;
    assert.deepEqual(ignore.textDocument, { uri: ignoreUri, version: null });
    assert.equal(applyEdits('', ignore.edits as TextEdit[]), read('expected.dockerignore'));
    assert.equal(changes.length, 3);
  });

  it('puts the CodeLens on the first FROM, with the estimate, running the client\'s command', async () => {
    const uri = client.uri('Dockerfile');
    const r = (await request(uri))!;
    const list = (await lenses(uri)) ?? [];
    assert.equal(list.length, 1);
    const from = read('Dockerfile').split('\n').findIndex((l) => l.startsWith('FROM'));
    assert.equal(list[0].range.start.line, from);
    assert.deepEqual(list[0].command, { title: `slimdock: Optimize Dockerfile (${r.sizes})`, command: 'slimdock.optimize', arguments: [uri] });
  });

  it('follows the document: after an edit the answer is for the new version', async () => {
    const uri = client.uri('Dockerfile');
    const text = read('Dockerfile').replace('EXPOSE 8000', 'EXPOSE 9000');
    const version = await client.change(uri, [{ text }]);
    const r = (await request(uri))!;
    assert.equal(r.version, version);
    assert.match(r.text, /^EXPOSE 9000$/m);
    assert.equal(r.text, engine(text).text);
    assert.deepEqual((r.edits.documentChanges?.[0] as TextDocumentEdit).textDocument, { uri, version });
  });

  it('system mode from the settings, and a mode in the request overrides them', async () => {
    const uri = client.uri('Dockerfile');
    const text = read('Dockerfile').replace('EXPOSE 8000', 'EXPOSE 9000');
    client.settings = { optimize: { mode: 'system' } };
    await client.rpc.sendNotification('workspace/didChangeConfiguration', { settings: null });
    try {
      const system = (await request(uri))!;
      assert.equal(system.text, engine(text, 'system').text);
      assert.match(system.text, /uv pip install --system/);
      const venv = (await request(uri, { mode: 'venv' }))!;
      assert.equal(venv.text, engine(text, 'venv').text);
      assert.doesNotMatch(venv.text, /--system/);
    } finally {
      client.settings = {};
      await client.rpc.sendNotification('workspace/didChangeConfiguration', { settings: null });
    }
  });

  it('no lens where slimdock is turned off; the request still answers', async () => {
    const uri = client.uri('Dockerfile');
    client.settings = { enable: false };
    await client.rpc.sendNotification('workspace/didChangeConfiguration', { settings: null });
    try {
      assert.deepEqual(await lenses(uri), []);
      assert.equal((await request(uri))?.changed, true);
    } finally {
      client.settings = {};
      await client.rpc.sendNotification('workspace/didChangeConfiguration', { settings: null });
    }
    assert.equal((await lenses(uri))?.length, 1, 'the lens is back with the setting');
  });

  it('a lean file: changed is false, notes say why, no edit and no lens', async () => {
    const uri = await client.open('lean.Dockerfile', LEAN);
    const r = (await request(uri))!;
    assert.equal(r.changed, false);
    assert.equal(r.text, LEAN);
    assert.ok(r.notes.length > 0, 'a note says why nothing changes');
    assert.deepEqual(r.edits.documentChanges, []);
    assert.deepEqual(await lenses(uri), []);
  });

  it('a file it cannot restructure: the safe fixes as the edit, a note saying why, and no lens', async () => {
    // An unknown base image: no slim variant to move to, but pip's cache can still go.
    const text = 'FROM registry.example.invalid/team/python-base:7\nRUN pip install flask\nCMD ["flask", "run"]\n';
    const uri = await client.open('custom.Dockerfile', text);
    const r = (await request(uri))!;
    assert.equal(r.changed, true);
    assert.equal(r.restructured, false);
    assert.match(r.notes[0], /^could not restructure: .*; applied \d+ safe fix/);
    assert.match(r.text, /pip install --no-cache-dir flask/);
    assert.deepEqual(await lenses(uri), []);
  });

  it('asked for the lens first, the command still gets the safe fixes of a file it cannot restructure', async () => {
    const text = 'FROM registry.example.invalid/team/python-base:8\nRUN pip install flask\nCMD ["flask", "run"]\n';
    const uri = await client.open('custom2.Dockerfile', text);
    assert.deepEqual(await lenses(uri), []);
    const r = (await request(uri))!;
    assert.equal(r.changed, true);
    assert.equal(r.restructured, false);
    assert.match(r.text, /pip install --no-cache-dir flask/);
  });

  it('no answer for a document that is not open, or not a Dockerfile', async () => {
    assert.equal(await request(client.uri('nowhere/Dockerfile')), null);
    const req = await client.open('requirements.txt', read('requirements.txt'), 'pip-requirements');
    assert.equal(await request(req), null);
    assert.deepEqual(await lenses(req), []);
  });
});

describe('Optimize Dockerfile for a client without resource operations', function () {
  this.timeout(60_000);
  let client: TestClient;
  let folder: string;

  before(async () => {
    folder = tempWorkspace({ Dockerfile: read('Dockerfile'), 'requirements.txt': read('requirements.txt'), 'app.py': read('app.py') });
    client = new TestClient(folder);
    const caps = structuredClone(VSCODE_CAPABILITIES);
    delete caps.workspace!.workspaceEdit;
    await client.initialize(caps);
  });

  after(async () => {
    await client?.stop();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('gets the Dockerfile as `changes` and a note naming the .dockerignore it could not create', async () => {
    const uri = await client.open('Dockerfile', read('Dockerfile'));
    const r = (await client.rpc.sendRequest<OptimizeResponse | null>('slimdock/optimize', { uri }))!;
    assert.equal(r.changed, true);
    assert.deepEqual(Object.keys(r.edits.changes ?? {}), [uri]);
    assert.equal(applyEdits(read('Dockerfile'), r.edits.changes![uri]), r.text);
    assert.ok(r.notes.some((n) => n.includes('.dockerignore') && n.includes('.venv')), r.notes.join('\n'));
  });
});
