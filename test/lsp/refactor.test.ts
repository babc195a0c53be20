// Refactorings over stdio against the bundled server: a code action request on a pip line with no
// diagnostic in the range gets the `refactor.rewrite.slimdock.*` actions; applying one gives a file
// whose diagnostics hold no warning or error; `only` filters them; other documents get none.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { CodeAction, PublishDiagnosticsParams, TextDocumentEdit, TextEdit } from 'vscode-languageserver';
import { applyEdits } from '../../server/src/engine/fixes';
import { TestClient, tempWorkspace } from './harness';

// uv is already used in the file, so SD103 does not fire: nothing is diagnosed on line 3.
const DOCKERFILE = [
  'FROM python:3.12-slim', // 0
  'WORKDIR /app',
  'COPY requirements.txt .',
  'RUN pip install --no-cache-dir -r requirements.txt', // 3
  'RUN --mount=from=ghcr.io/astral-sh/uv:0.12.5,source=/uv,target=/bin/uv uv pip install --system --no-cache six==1.16.0',
  'CMD ["python", "-c", "import flask"]',
  '',
].join('\n');

const serious = (p: PublishDiagnosticsParams) => p.diagnostics.filter((d) => d.severity === 1 || d.severity === 2);

describe('refactorings over stdio', () => {
  let client: TestClient;
  let folder: string;

  before(async () => {
    folder = tempWorkspace({ 'requirements.txt': 'flask==3.0.3\n' });
    client = new TestClient(folder);
    const init = await client.initialize();
    const provider = init.capabilities.codeActionProvider as { codeActionKinds: string[] };
    assert.ok(provider.codeActionKinds.includes('refactor.rewrite.slimdock'), JSON.stringify(provider));
  });

  after(async () => {
    await client?.stop();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  const at = (line: number, character = 8) => ({ start: { line, character }, end: { line, character } });
  const request = (uri: string, line: number, only?: string[]) => client.rpc.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: at(line), context: { diagnostics: [], only } });

  it('offers the uv refactorings on a pip line with no diagnostic, and applying one leaves no warning or error', async () => {
    const uri = await client.open('Dockerfile', DOCKERFILE);
    const first = await client.diagnostics(uri, (p) => p.version === 1);
    assert.deepEqual(first.diagnostics.filter((d) => d.range.start.line <= 3 && d.range.end.line >= 3).map((d) => d.code), [], 'nothing diagnosed on the pip line');
    const list = await request(uri, 3);
    assert.deepEqual(list.map((a) => a.kind), ['refactor.rewrite.slimdock.uv-pip', 'refactor.rewrite.slimdock.uv-pip-mount', 'refactor.rewrite.slimdock.uv-pip-cache']);
    const cache = list[2];
    assert.equal(cache.title, 'Convert to uv pip install with a cache mount on /root/.cache/uv (uv copied from ghcr.io/astral-sh/uv:0.12.5)');
    const change = cache.edit?.documentChanges?.[0] as TextDocumentEdit;
    assert.deepEqual(change.textDocument, { uri, version: 1 });
    const text = applyEdits(DOCKERFILE, change.edits as TextEdit[]);
    assert.equal(
      text.split('\n').slice(2, 6).join('\n'),
      'COPY requirements.txt .\nCOPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/\nENV UV_LINK_MODE=copy\nRUN --mount=type=cache,target=/root/.cache/uv uv pip install --system -r requirements.txt',
    );
    const version = await client.change(uri, [{ text }]);
    const after = await client.diagnostics(uri, (p) => p.version === version);
    assert.deepEqual(serious(after).map((d) => d.code), serious(first).map((d) => d.code), 'no new warning or error');
  });

  it('honours `only`, and offers nothing off an install line', async () => {
    const uri = await client.open('Dockerfile.only', DOCKERFILE);
    await client.diagnostics(uri, (p) => p.version === 1);
    assert.deepEqual((await request(uri, 3, ['refactor.rewrite.slimdock.uv-pip-mount'])).map((a) => a.kind), ['refactor.rewrite.slimdock.uv-pip-mount']);
    assert.equal((await request(uri, 3, ['refactor'])).length, 3);
    assert.deepEqual(await request(uri, 3, ['quickfix']), []);
    assert.deepEqual(await request(uri, 1), [], 'WORKDIR line');
  });

  it('offers no refactoring in a requirements file', async () => {
    const uri = await client.open('requirements.txt', 'flask==3.0.3\n', 'pip-requirements');
    await client.diagnostics(uri, (p) => p.version === 1);
    assert.deepEqual(await request(uri, 0), []);
  });
});
