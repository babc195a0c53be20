// pyproject.toml in the editor: diagnostics, per-dependency size inlay hints from uv.lock, and both
// following a change of uv.lock on disk. Against the bundled server over stdio.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InlayHint, PublishDiagnosticsParams } from 'vscode-languageserver';
import { TestClient, tempWorkspace, TIMEOUT } from './harness';

const FIXTURE = path.resolve(__dirname, '../fixtures/python/transitive-torch');
const read = (name: string) => fs.readFileSync(path.join(FIXTURE, name), 'utf8');

/** Asks for the inlay hints until `ok` holds or the timeout passes (the check may still be running). */
async function hintsUntil(client: TestClient, uri: string, ok: (h: InlayHint[]) => boolean): Promise<InlayHint[]> {
  const deadline = Date.now() + TIMEOUT;
  let last: InlayHint[] = [];
  while (Date.now() < deadline) {
    last = (await client.rpc.sendRequest<InlayHint[] | null>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } } })) ?? [];
    if (ok(last)) return last;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`inlay hints never matched; last: ${JSON.stringify(last)}`);
}

const label = (h: InlayHint) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));

describe('language server: pyproject.toml with uv.lock', () => {
  let client: TestClient;
  let folder: string;

  before(async () => {
    folder = tempWorkspace({ 'pyproject.toml': read('pyproject.toml'), 'uv.lock': read('uv.lock'), Dockerfile: read('Dockerfile') });
    client = new TestClient(folder);
    await client.initialize();
  });

  after(async () => {
    await client?.stop();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('publishes the project rules and shows the locked size after each dependency; a changed uv.lock updates both', async () => {
    const uri = await client.open('pyproject.toml', read('pyproject.toml'), 'toml');
    const sd602 = (p: PublishDiagnosticsParams) => p.diagnostics.find((d) => d.code === 'SD602');
    const first = await client.diagnostics(uri, (p) => !!sd602(p));
    assert.equal(sd602(first)!.range.start.line, 6, 'on the sentence-transformers entry');
    assert.equal(sd602(first)!.source, 'slimdock');

    const hints = await hintsUntil(client, uri, (h) => h.length >= 2);
    const st = hints.find((h) => h.position.line === 6);
    assert.ok(st, `a hint after sentence-transformers: ${JSON.stringify(hints)}`);
    assert.match(label(st), /≈ [\d.]+ [kMG]B \(\d+ packages\)/);
    const before = label(st);

    // A new lock: torch's wheel ten times bigger. The server re-checks on the watcher's event.
    const lock = read('uv.lock').replace(/(torch-2.6.0-cp312-cp312-manylinux1_x86_64\.whl", hash = "sha256:00", size = )(\d+)/, (_m, a: string, n: string) => `${a}${Number(n) * 10}`);
    assert.notEqual(lock, read('uv.lock'), 'the test changes the torch wheel size');
    const since = client.published.length;
    fs.writeFileSync(path.join(folder, 'uv.lock'), lock);
    await client.rpc.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: client.uri('uv.lock'), type: 2 }] });
    await client.diagnostics(uri, () => true, since);
    const after = await hintsUntil(client, uri, (h) => h.some((x) => x.position.line === 6 && label(x) !== before));
    assert.notEqual(label(after.find((h) => h.position.line === 6)!), before);
  });
});
