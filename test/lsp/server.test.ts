// Protocol tests against the real bundled server (`node dist/server.js --stdio`), spoken to over
// JSON-RPC as an editor would. One server per describe; every wait polls the notifications it
// receives with a timeout, never a sleep.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MarkupKind, type ClientCapabilities, type Diagnostic, type MarkupContent, type PublishDiagnosticsParams, type TextDocumentClientCapabilities } from 'vscode-languageserver';
import { docsUrl } from '../../server/src/engine';
import { TestClient, tempWorkspace, TIMEOUT } from './harness';

/** What the first tests announce: pulled configuration, folders, dynamic registration (no code actions). */
const BASIC: ClientCapabilities & { textDocument: TextDocumentClientCapabilities } = { workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: true } }, textDocument: { publishDiagnostics: { versionSupport: true }, hover: { contentFormat: [MarkupKind.Markdown, MarkupKind.PlainText] } } };

const DOCKERFILE = [
  'FROM python:3.12-slim', // 0
  'WORKDIR /app',
  'COPY requirements.txt .',
  'RUN pip install -r requirements.txt', // 3: SD101 on "pip install" (characters 4–15)
  'COPY . .',
  'CMD ["python", "app.py"]',
  '',
].join('\n');

const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => String(d.code));
const sd101 = (p: PublishDiagnosticsParams): Diagnostic | undefined => p.diagnostics.find((d) => d.code === 'SD101');

/** Deterministic "random" bytes: the same garbage on every run. */
function garbage(n: number, seed = 42): string {
  let x = seed;
  let s = '';
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    s += String.fromCharCode(x % 256);
  }
  return s;
}

describe('language server over stdio', () => {
  let client: TestClient;
  let folder: string;

  before(async () => {
    folder = tempWorkspace({ 'requirements.txt': 'flask\nnumpy\n' });
    client = new TestClient(folder);
    await client.initialize(BASIC);
  });

  after(async () => {
    await client?.stop();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  afterEach(async () => {
    if (Object.keys(client.settings).length) await client.configure({});
  });

  it('publishes diagnostics for an opened Dockerfile, with code, range, severity, source and docs link', async () => {
    const uri = await client.open('Dockerfile', DOCKERFILE);
    const p = await client.diagnostics(uri, (x) => x.version === 1);
    const d = sd101(p);
    assert.ok(d, `SD101 expected, got ${codes(p).join(', ')}`);
    assert.deepEqual(d.range, { start: { line: 3, character: 4 }, end: { line: 3, character: 15 } });
    assert.equal(d.severity, 2, 'warning');
    assert.match(d.message, /pip keeps its download cache .* \(≈ 17 MB\)$/, 'message with the estimate of flask + numpy');
    assert.deepEqual(d.data, { index: p.diagnostics.indexOf(d), version: 1, rule: 'SD101', estimateBytes: 17265229 });
    for (const x of p.diagnostics) {
      assert.equal(x.source, 'slimdock');
      assert.match(String(x.code), /^SD\d{3}$/);
      assert.equal(x.codeDescription?.href, docsUrl(String(x.code)));
    }
    assert.ok(client.configurationRequests > 0, 'settings pulled with workspace/configuration');
  });

  it('updates the diagnostics when the document changes, with the new version', async () => {
    const uri = await client.open('Dockerfile.change', DOCKERFILE);
    await client.diagnostics(uri, (x) => x.version === 1 && !!sd101(x));
    // An incremental edit: `pip install` → `pip install --no-cache-dir`.
    const v2 = await client.change(uri, [{ range: { start: { line: 3, character: 15 }, end: { line: 3, character: 15 } }, text: ' --no-cache-dir' }]);
    const p2 = await client.diagnostics(uri, (x) => x.version === v2);
    assert.equal(sd101(p2), undefined, `SD101 still there: ${JSON.stringify(p2.diagnostics)}`);
    // And back, as a full-text change.
    const v3 = await client.change(uri, [{ text: DOCKERFILE }]);
    const p3 = await client.diagnostics(uri, (x) => x.version === v3);
    assert.deepEqual(sd101(p3)?.range.start, { line: 3, character: 4 });
  });

  it('reads an open, unsaved requirements.txt before the one on disk', async () => {
    const uri = await client.open('Dockerfile.overlay', DOCKERFILE);
    const before = await client.diagnostics(uri, (x) => !!sd101(x));
    assert.match(sd101(before)!.message, /≈ 17 MB/);
    const since = client.published.length;
    await client.open('requirements.txt', 'flask\nnumpy\ntorch\n', 'pip-requirements');
    const after = await client.diagnostics(uri, (x) => /≈ 3(\.\d)? GB/.test(sd101(x)?.message ?? ''), since);
    assert.ok(sd101(after), 'torch counted from the unsaved text');
    const closed = client.published.length;
    await client.rpc.sendNotification('textDocument/didClose', { textDocument: { uri: client.uri('requirements.txt') } });
    await client.diagnostics(uri, (x) => /≈ 17 MB/.test(sd101(x)?.message ?? ''), closed);
  });

  it('re-checks a Dockerfile when a file it read changes on disk', async () => {
    fs.mkdirSync(path.join(folder, 'watched'));
    fs.writeFileSync(path.join(folder, 'watched/requirements.txt'), 'flask\n');
    const uri = await client.open('watched/Dockerfile', DOCKERFILE);
    const before = await client.diagnostics(uri, (x) => !!sd101(x));
    assert.match(sd101(before)!.message, /\(≈ 620 kB\)$/);
    const since = client.published.length;
    fs.writeFileSync(path.join(folder, 'watched/requirements.txt'), 'flask\ntorch\n');
    await client.rpc.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: client.uri('watched/requirements.txt'), type: 2 }] });
    await client.diagnostics(uri, (x) => /≈ 3(\.\d)? GB/.test(sd101(x)?.message ?? ''), since);
  });

  it('re-checks a Dockerfile when its .dockerignore changes, open in the editor or on disk', async () => {
    fs.mkdirSync(path.join(folder, 'ctx/.git'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'ctx/.git/HEAD'), 'ref: refs/heads/main\n');
    fs.writeFileSync(path.join(folder, 'ctx/app.py'), 'print(1)\n');
    const uri = await client.open('ctx/Dockerfile', 'FROM python:3.12-slim\nCOPY . /app\nCMD ["python", "/app/app.py"]\n');
    const sd402 = (p: PublishDiagnosticsParams) => p.diagnostics.find((d) => d.code === 'SD402');
    const first = await client.diagnostics(uri, (x) => !!sd402(x));
    assert.match(sd402(first)!.message, /\.git/);
    // Typed into an open, unsaved .dockerignore: the Dockerfile is re-checked without being touched.
    let since = client.published.length;
    const ignoreUri = await client.open('ctx/.dockerignore', '', 'ignore');
    await client.change(ignoreUri, [{ text: '.git\n' }]);
    await client.diagnostics(uri, (x) => !sd402(x), since);
    // Closed again (the disk has no .dockerignore): back to the finding.
    since = client.published.length;
    await client.rpc.sendNotification('textDocument/didClose', { textDocument: { uri: ignoreUri } });
    await client.diagnostics(uri, (x) => !!sd402(x), since);
    // Written on disk and reported by the file watcher.
    since = client.published.length;
    fs.writeFileSync(path.join(folder, 'ctx/.dockerignore'), '.git\n');
    await client.rpc.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: ignoreUri, type: 1 }] });
    await client.diagnostics(uri, (x) => !sd402(x), since);
  });

  it('applies slimdock.severity from the settings without a restart', async () => {
    const uri = await client.open('Dockerfile.settings', DOCKERFILE);
    await client.diagnostics(uri, (x) => !!sd101(x));
    let since = client.published.length;
    await client.configure({ severity: { SD101: 'error' } });
    const asError = await client.diagnostics(uri, (x) => sd101(x)?.severity === 1, since);
    assert.ok(asError);
    since = client.published.length;
    await client.configure({ severity: { SD101: 'off' } });
    const off = await client.diagnostics(uri, (x) => !sd101(x), since);
    assert.equal(sd101(off), undefined);
    since = client.published.length;
    await client.configure({ enable: false });
    const disabled = await client.diagnostics(uri, () => true, since);
    assert.deepEqual(disabled.diagnostics, []);
  });

  it('answers hover over a finding with the rule, the estimate and its basis, and the docs link', async () => {
    const uri = await client.open('Dockerfile.hover', DOCKERFILE);
    await client.diagnostics(uri, (x) => !!sd101(x));
    const hover = await client.hover(uri, 3, 8);
    assert.ok(hover, 'a hover over "pip install"');
    const md = (hover.contents as MarkupContent).value;
    assert.equal((hover.contents as MarkupContent).kind, 'markdown');
    assert.match(md, /\*\*SD101\*\* pip cache left in the layer/);
    assert.match(md, /Estimate: ≈ 17 MB — pip cache: the download size of the 2 named package\(s\) with their dependencies/);
    assert.ok(md.includes(`(${docsUrl('SD101')})`), md);
    assert.deepEqual(hover.range, { start: { line: 3, character: 4 }, end: { line: 3, character: 15 } });
    assert.equal(await client.hover(uri, 1, 2), null, 'no hover where there is no finding');
  });

  it('survives garbage: random bytes and an unterminated heredoc get diagnostics, and the server keeps answering', async () => {
    const noise = await client.open('Dockerfile.noise', garbage(20_000));
    const heredoc = await client.open('Dockerfile.heredoc', 'FROM python:3.12\nRUN <<EOF\npip install flask\n"unterminated \\\n');
    const binaryish = await client.open('Dockerfile.nul', 'FROM \u0000\uFFFF\uD800 scratch\nRUN $(((\nCOPY --from= . .\n');
    for (const uri of [noise, heredoc, binaryish]) {
      const p = await client.diagnostics(uri, (x) => x.version === 1);
      for (const d of p.diagnostics) assert.doesNotMatch(d.message, /Internal error/, `${uri}: ${d.message}`);
      await client.hover(uri, 0, 0); // answers, whatever it says
    }
    const v2 = await client.change(noise, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: garbage(500, 7) }]);
    await client.diagnostics(noise, (x) => x.version === v2);
    assert.equal(client.proc.exitCode, null, `server exited: ${client.stderr}`);
    const uri = await client.open('Dockerfile.after', DOCKERFILE);
    assert.ok(sd101(await client.diagnostics(uri, (x) => x.version === 1)), 'still checking after the garbage');
  });

  it('clears the diagnostics of a closed document', async () => {
    const uri = await client.open('Dockerfile.close', DOCKERFILE);
    await client.diagnostics(uri, (x) => !!sd101(x));
    const since = client.published.length;
    await client.rpc.sendNotification('textDocument/didClose', { textDocument: { uri } });
    const p = await client.diagnostics(uri, () => true, since);
    assert.deepEqual(p.diagnostics, []);
  });
});

describe('language server with a client that cannot answer workspace/configuration', () => {
  it('takes the settings pushed with didChangeConfiguration', async () => {
    const folder = tempWorkspace({ 'requirements.txt': 'flask\n' });
    const client = new TestClient(folder);
    try {
      await client.initialize({ workspace: {}, textDocument: BASIC.textDocument });
      const uri = await client.open('Dockerfile', DOCKERFILE);
      await client.diagnostics(uri, (x) => !!sd101(x));
      const since = client.published.length;
      await client.configure({ severity: { SD101: 'hint' } });
      await client.diagnostics(uri, (x) => sd101(x)?.severity === 4, since);
      assert.equal(client.configurationRequests, 0, 'no workspace/configuration request');
    } finally {
      await client.stop();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('language server lifecycle', () => {
  it('answers shutdown and exits with code 0 on exit', async () => {
    const folder = tempWorkspace({});
    const client = new TestClient(folder);
    try {
      await client.initialize(BASIC);
      const uri = await client.open('Dockerfile', DOCKERFILE);
      await client.diagnostics(uri, () => true);
      assert.equal(await client.rpc.sendRequest('shutdown'), null);
      await client.rpc.sendNotification('exit');
      const code = await Promise.race([client.exited, new Promise<string>((r) => setTimeout(() => r('still running'), TIMEOUT).unref())]);
      assert.equal(code, 0, `exit code; stderr: ${client.stderr}`);
    } finally {
      await client.stop();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
