// Development aid: where the language server spends a didChange. Types and erases words in the
// 300-line benchmark file (`.cache/bench/lsp300/Dockerfile`, written by `npm run bench`) and prints
// the latency percentiles; with `--cpu-prof` the server leaves a .cpuprofile in `.cache/bench/prof`.
//   npx tsx bench/profile-lsp.ts [edits=1000] [--cpu-prof]
import fs from 'node:fs';
import path from 'node:path';
import { LspClient } from './lsp-client';
import { REPO, SCRATCH, corpusFiles, median, quantile, round } from './lib';
import { syntheticFromCorpus } from './lsp';

(async () => {
  const edits = Number(process.argv[2] ?? 1000);
  const prof = process.argv.includes('--cpu-prof');
  const dir = path.join(SCRATCH, 'lsp300');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'Dockerfile');
  if (!fs.existsSync(file)) fs.writeFileSync(file, syntheticFromCorpus(corpusFiles('dockerfile'), 300));
  const profDir = path.join(SCRATCH, 'prof');
  const args = [...(prof ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), path.join(REPO, 'dist/server.js'), '--stdio'];
  const client = await LspClient.start(process.execPath, args, [dir]);
  const text = fs.readFileSync(file, 'utf8');
  await client.open(file, text);
  const at = text.indexOf('pip install') + 3;
  const out: number[] = [];
  for (let i = 0; i < edits; i++) out.push(i % 2 === 0 ? await client.edit(file, at, 0, 'x') : await client.edit(file, at, 1, ''));
  await client.stop();
  console.log(JSON.stringify({ n: out.length, p50: round(median(out), 2), p90: round(quantile(out, 0.9), 2), p99: round(quantile(out, 0.99), 2), max: round(Math.max(...out), 2) }));
})();
