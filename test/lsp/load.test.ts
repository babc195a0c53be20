// Load and protocol abuse against the bundled server (`dist/server.js --stdio`): 50 documents
// open, 200 rapid incremental edits each, hovers cancelled in flight, requests out of order or
// without params, unknown methods, malformed JSON-RPC written as raw bytes, documents closed while
// their checks run. The server must answer every request (a result or a JSON-RPC error), never
// exit, and end with every open document's last diagnostics carrying its latest version and
// equal to what a fresh server reports for the final text.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import fc from 'fast-check';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc/node';
import type { Diagnostic, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { dockerfile } from '../property/dockerfiles';
import { LoadClient, tempWorkspace } from './load-harness';

const DOCS = 50;
const EDITS = 200;
/** Documents closed at the end (while their last checks run); some of them reopened. */
const CLOSED = new Set([40, 41, 42, 43, 44, 45, 46, 47, 48, 49]);
const REOPENED = new Set([45, 46, 47, 48, 49]);

/** A seeded generator (mulberry32): the same edits on every run. */
function random(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SNIPPETS = ['RUN pip install flask\n', ' && apt-get install -y gcc', ' \\\n  ', '$(', '"', "'", '# c\n', 'x', '\n', 'RUN <<EOF\n', 'EOF\n', 'FROM python:3.12 AS b\n', '--mount=type=cache,target=/root/.cache/pip ', '\t', '€', '\r\n'];

/** One random incremental change to `doc`: an insertion, a deletion or a replacement. */
function randomChange(doc: TextDocument, rnd: () => number): TextDocumentContentChangeEvent {
  const len = doc.getText().length;
  const a = Math.floor(rnd() * (len + 1));
  const b = Math.min(len, a + Math.floor(rnd() * (len > 3000 ? 200 : 12)));
  const kind = rnd();
  const text = kind < 0.35 ? '' : SNIPPETS[Math.floor(rnd() * SNIPPETS.length)];
  return { range: { start: doc.positionAt(a), end: doc.positionAt(kind < 0.6 ? b : a) }, text };
}

/** Diagnostics without the per-version bookkeeping in `data`, for comparing two servers. */
const comparable = (ds: Diagnostic[]) => ds.map((d) => ({ ...d, data: { ...(d.data as object), version: undefined } }));

describe('language server under load', function () {
  this.timeout(240_000);
  let folder: string;
  let client: LoadClient;
  let fresh: LoadClient | undefined;
  const docs: TextDocument[] = [];
  const names = Array.from({ length: DOCS }, (_, i) => `d${i}/Dockerfile`);

  before(async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < DOCS; i += 5) files[`d${i}/requirements.txt`] = 'flask\ntorch\n';
    files['d1/pyproject.toml'] = '[project]\nname = "x"\nversion = "0"\ndependencies = ["numpy"]\n';
    folder = tempWorkspace(files);
    client = new LoadClient(folder);
    await client.initialize();
  });

  after(async () => {
    await client?.stop();
    await fresh?.stop();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('answers every request, never exits, and ends with the fresh server\'s diagnostics', async () => {
    const rnd = random(20250101);
    const texts = fc.sample(dockerfile, { seed: 7, numRuns: DOCS });
    const requests: { what: string; p: Promise<{ status: 'fulfilled'; value: unknown } | { status: 'rejected'; reason: unknown }> }[] = [];
    const request = (what: string, method: string, params?: unknown, cancel = false) => {
      const source = new CancellationTokenSource();
      const p = params === undefined ? client.rpc.sendRequest(method, source.token) : client.rpc.sendRequest(method, params, source.token);
      if (cancel) source.cancel(); // $/cancelRequest right behind the request
      // Settled at once (an unhandled rejection would only be a warning, later): kept as outcome.
      requests.push({ what, p: p.then((value) => ({ status: 'fulfilled' as const, value }), (reason: unknown) => ({ status: 'rejected' as const, reason })) });
    };

    for (let i = 0; i < DOCS; i++) {
      docs.push(TextDocument.create(client.uri(names[i]), 'dockerfile', 1, texts[i]));
      await client.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: docs[i].uri, languageId: 'dockerfile', version: 1, text: texts[i] } });
    }

    for (let round = 0; round < EDITS; round++) {
      for (let i = 0; i < DOCS; i++) {
        const change = randomChange(docs[i], rnd);
        docs[i] = TextDocument.update(docs[i], [change], docs[i].version + 1);
        await client.rpc.sendNotification('textDocument/didChange', { textDocument: { uri: docs[i].uri, version: docs[i].version }, contentChanges: [change] });
        if (rnd() < 0.05) {
          const line = Math.floor(rnd() * (docs[i].lineCount + 2)); // sometimes past the end
          request(`hover d${i} v${docs[i].version}`, 'textDocument/hover', { textDocument: { uri: docs[i].uri }, position: { line, character: Math.floor(rnd() * 40) } }, rnd() < 0.5);
        }
      }
      if (round % 20 === 0) {
        // Out of order and out of bounds: a stale range, a document never opened, no params at all.
        request('codeAction stale', 'textDocument/codeAction', { textDocument: { uri: docs[round % DOCS].uri }, range: { start: { line: 999, character: 0 }, end: { line: 1000, character: 5 } }, context: { diagnostics: [] } }, round % 40 === 0);
        request('hover unknown document', 'textDocument/hover', { textDocument: { uri: client.uri('nowhere/Dockerfile') }, position: { line: 0, character: 0 } });
        request('hover without params', 'textDocument/hover');
        request('codeAction without params', 'textDocument/codeAction');
        request('hover with null params', 'textDocument/hover', null);
        request('unknown method', 'slimdock/noSuchMethod', { x: 1 });
        request('executeCommand unknown', 'workspace/executeCommand', { command: 'slimdock.nothing', arguments: [] });
        await client.rpc.sendNotification('slimdock/unknownNotification', { x: 1 });
        await client.rpc.sendNotification('textDocument/didChange', { textDocument: { uri: client.uri('nowhere/Dockerfile'), version: 3 }, contentChanges: [{ text: 'x' }] });
      }
      if (round % 50 === 25) {
        // Malformed JSON-RPC, each kept inside its own frame so the stream stays in step.
        const body = '{"jsonrpc":"2.0","method":"x"}';
        await client.raw(`Content-Length: 11\r\n\r\n{"jsonrpc":`); // bad JSON (cut short)
        await client.raw(`Content-Length: ${body.length + 9}\r\n\r\n${body}#########`); // wrong length: trailing garbage
        await client.raw('Content-Length: 12\r\n\r\n{"hello": 1}'); // JSON, not JSON-RPC
        await client.raw('Content-Length: 2\r\n\r\n[]'); // an empty batch
        await client.raw('Content-Length: 4\r\n\r\nnull');
        await client.raw('Content-Length: 58\r\n\r\n{"jsonrpc":"2.0","id":"raw-1","method":"textDocument/hover"}'); // a request without params
        await client.raw('X-Nonsense: 1\r\n\r\n'); // a header without Content-Length
      }
    }

    // Close documents while their checks run; reopen some with new text.
    for (const i of CLOSED) await client.rpc.sendNotification('textDocument/didClose', { textDocument: { uri: docs[i].uri } });
    for (const i of REOPENED) {
      docs[i] = TextDocument.create(docs[i].uri, 'dockerfile', 1, texts[(i + 7) % DOCS]);
      await client.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: docs[i].uri, languageId: 'dockerfile', version: 1, text: docs[i].getText() } });
    }
    const open = docs.filter((_, i) => !CLOSED.has(i) || REOPENED.has(i));
    const closed = docs.filter((_, i) => CLOSED.has(i) && !REOPENED.has(i));

    // Every request answered: a result, or a JSON-RPC error (cancelled, invalid params, unknown method).
    let timer: NodeJS.Timeout | undefined;
    const settled = await Promise.race([
      Promise.all(requests.map((r) => r.p)),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('not every request was answered within 120 s')), 120_000))),
    ]).finally(() => clearTimeout(timer));
    settled.forEach((s, k) => {
      if (s.status === 'rejected') assert.ok(s.reason instanceof ResponseError, `${requests[k].what}: ${String(s.reason)}`);
    });
    const errors = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as ResponseError] : []));
    assert.ok(errors.some((e) => e.code === -32601), 'the unknown method got MethodNotFound');
    console.log(`      ${requests.length} requests: ${settled.length - errors.length} results, errors ${JSON.stringify(Object.fromEntries([...new Set(errors.map((e) => e.code))].map((c) => [c, errors.filter((e) => e.code === c).length])))}`);

    // The last diagnostics of every open document carry its latest version.
    await client.until(
      () => open.every((d) => client.latest.get(d.uri)?.version === d.version),
      () => `latest versions; behind: ${open.filter((d) => client.latest.get(d.uri)?.version !== d.version).map((d) => `${d.uri.split('/').slice(-2, -1)[0]} ${client.latest.get(d.uri)?.version} < ${d.version}`).join(', ')}`,
      120_000,
    );
    for (const d of closed) assert.deepEqual(client.latest.get(d.uri)?.diagnostics, [], `${d.uri}: closed, yet diagnostics remain`);
    assert.equal(client.exitCode, undefined, `the server exited: ${client.stderr}`);
    assert.equal(await client.rpc.sendRequest('textDocument/hover', { textDocument: { uri: open[0].uri }, position: { line: 0, character: 0 } }).then(() => 'answered'), 'answered');

    // A fresh server, the final texts: the same diagnostics.
    fresh = new LoadClient(folder);
    await fresh.initialize();
    for (const d of open) await fresh.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: d.uri, languageId: 'dockerfile', version: 1, text: d.getText() } });
    await fresh.until(() => open.every((d) => fresh!.latest.get(d.uri)?.version === 1), () => 'the fresh server\'s diagnostics', 60_000);
    for (const d of open) assert.deepEqual(comparable(client.latest.get(d.uri)!.diagnostics), comparable(fresh.latest.get(d.uri)!.diagnostics), `${d.uri}: diagnostics differ from a fresh server's`);
    assert.equal(client.stderr.match(/checking .* failed/g) ?? null, null, `a check failed:\n${client.stderr.slice(-3000)}`);
  });
});
