// Soak: 10,000 incremental edits on one bundled server (`dist/server.js --stdio`), the server's
// RSS sampled from /proc/<pid>/status after every 1,000: as the diagnostics of the latest version
// arrive (mid-burst: depends on when V8 last collected), and at rest (once RSS holds still for 2 s,
// after the server's idle collection). Reports whether the final RSS at rest is within 10 % of
// where it settled after the first 1,000. A measurement, not a test: it prints a table and exits 0 either way.
//   npx tsx bench/soak.ts [edits=10000] [documents=5]
// SOAK_NODE_ARGS='--max-old-space-size=64' runs the server with those node flags (is growth a
// leak, or a heap V8 has not bothered to collect yet?).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { LoadClient, rssKb, tempWorkspace } from '../test/lsp/load-harness';
import { rssAtRestMB } from './lib';

const EDITS = Number(process.argv[2] ?? 10_000);
const DOCS = Number(process.argv[3] ?? 5);
const EVERY = 1_000;

const BASE = [
  'FROM python:3.12-slim AS build',
  'ARG PIP_INDEX=https://pypi.org/simple',
  'WORKDIR /app',
  'COPY requirements.txt .',
  'RUN apt-get update && apt-get install -y gcc build-essential \\',
  '    && pip install -r requirements.txt',
  'RUN --mount=type=cache,target=/root/.cache/uv uv pip install --system torch',
  'RUN <<EOF',
  'pip install flask',
  'EOF',
  'FROM python:3.12-slim',
  'COPY --from=build /usr/local /usr/local',
  'COPY . .',
  'CMD ["python", "app.py"]',
  '',
].join('\n');
const SNIPPETS = ['RUN pip install numpy\n', ' && apt-get install -y curl', ' \\\n  ', 'x', '\n', '# note\n', '"', '$(', ')'];

let seed = 12345;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

/** A random edit that keeps the document near its original size (no growth to measure instead of leaks). */
function change(doc: TextDocument): TextDocumentContentChangeEvent {
  const text = doc.getText();
  if (text.length > 2 * BASE.length) return { text: BASE }; // back to the start: a whole-text change
  const a = Math.floor(rnd() * (text.length + 1));
  if (rnd() < 0.5) return { range: { start: doc.positionAt(a), end: doc.positionAt(Math.min(text.length, a + 1 + Math.floor(rnd() * 8))) }, text: '' };
  const p = doc.positionAt(a);
  return { range: { start: p, end: p }, text: SNIPPETS[Math.floor(rnd() * SNIPPETS.length)] };
}

async function main(): Promise<void> {
  const folder = tempWorkspace({ 'requirements.txt': 'flask\ntorch\n', 'pyproject.toml': '[project]\nname = "soak"\nversion = "0"\n' });
  const nodeArgs = (process.env.SOAK_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const client = new LoadClient(folder, nodeArgs);
  const rows: { edits: number; busyMb: number; rssMb: number; seconds: number }[] = [];
  const t0 = Date.now();
  try {
    await client.initialize();
    const docs: TextDocument[] = [];
    for (let i = 0; i < DOCS; i++) {
      docs.push(TextDocument.create(client.uri(`s${i}/Dockerfile`), 'dockerfile', 1, BASE));
      await client.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: docs[i].uri, languageId: 'dockerfile', version: 1, text: BASE } });
    }
    const caughtUp = () => client.until(() => docs.every((d) => client.latest.get(d.uri)?.version === d.version), () => 'the latest diagnostics', 300_000, 50);
    await caughtUp();
    rows.push({ edits: 0, busyMb: rssKb(client.pid) / 1024, rssMb: await rssAtRestMB(client.pid), seconds: (Date.now() - t0) / 1000 });
    for (let n = 1; n <= EDITS; n++) {
      const i = n % DOCS;
      const c = change(docs[i]);
      docs[i] = TextDocument.update(docs[i], [c], docs[i].version + 1);
      await client.rpc.sendNotification('textDocument/didChange', { textDocument: { uri: docs[i].uri, version: docs[i].version }, contentChanges: [c] });
      if (n % 10 === 0) await client.rpc.sendRequest('textDocument/hover', { textDocument: { uri: docs[i].uri }, position: { line: 5, character: 8 } });
      if (n % EVERY === 0) {
        await caughtUp();
        const busyMb = rssKb(client.pid) / 1024;
        rows.push({ edits: n, busyMb, rssMb: await rssAtRestMB(client.pid), seconds: (Date.now() - t0) / 1000 });
      }
    }
  } finally {
    await client.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  }

  console.log(`soak: ${EDITS} edits over ${DOCS} documents, server ${path.relative(process.cwd(), process.env.SLIMDOCK_SERVER ?? 'dist/server.js')}, node ${process.version} ${nodeArgs.join(' ')}`);
  console.log('| edits | RSS as the diagnostics arrive (MB) | RSS at rest (MB) | elapsed (s) |');
  console.log('|------:|----------------------------------:|-----------------:|------------:|');
  for (const r of rows) console.log(`| ${String(r.edits).padStart(5)} | ${r.busyMb.toFixed(1).padStart(33)} | ${r.rssMb.toFixed(1).padStart(16)} | ${r.seconds.toFixed(1).padStart(11)} |`);
  const settled = rows.find((r) => r.edits === EVERY) ?? rows[0];
  const last = rows[rows.length - 1];
  const change_ = (last.rssMb - settled.rssMb) / settled.rssMb;
  console.log(`final RSS at rest ${last.rssMb.toFixed(1)} MB vs ${settled.rssMb.toFixed(1)} MB after the first ${EVERY}: ${(change_ * 100).toFixed(1)} % — ${Math.abs(change_) <= 0.1 ? 'within' : 'NOT within'} 10 %`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
