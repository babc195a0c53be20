// Language server latency and memory over stdio, slimdock (`dist/server.js --stdio`) against
// `docker-langserver --stdio`, driven by the same client and the same edits.
// Prints one JSON object. argv: [--quick] (fewer edits, for a smoke run) [--only=<server>]
// [--memory-only]; BENCH_MEMORY_EDITS overrides the number of edits of the memory run.
import fs from 'node:fs';
import path from 'node:path';
import { LspClient } from './lsp-client';
import { CORPUS, REPO, SCRATCH, corpusFiles, median, quantile, round, rssMB, rssAtRestMB, now, type CorpusFile } from './lib';

const quick = process.argv.includes('--quick');
const EDITS = quick ? 100 : 1000;
const MEMORY_EDITS = Number(process.env.BENCH_MEMORY_EDITS ?? (quick ? 500 : 10_000));
const REOPENS = quick ? 5 : 20;

export const SERVERS: Record<string, { command: string; args: string[] }> = {
  // BENCH_NODE_ARGS: extra node options for slimdock's server (e.g. `--cpu-prof` to profile it).
  slimdock: { command: process.execPath, args: [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), path.join(REPO, 'dist/server.js'), '--stdio'] },
  'docker-langserver': { command: process.execPath, args: [path.join(REPO, 'node_modules/dockerfile-language-server-nodejs/lib/server.js'), '--stdio'] },
};

/**
 * A Dockerfile of exactly `lines` lines made of whole corpus Dockerfiles (manifest order, those
 * that fit), so it is multi-stage real-world text.
 */
export function syntheticFromCorpus(files: CorpusFile[], lines: number): string {
  const parts: string[] = [];
  let total = 0;
  for (const f of files) {
    const body = f.text.replace(/\r\n/g, '\n').replace(/\n+$/, '');
    const n = body.split('\n').length;
    if (total + n > lines) continue;
    parts.push(body);
    total += n;
    if (total === lines) break;
  }
  return parts.join('\n') + '\n';
}

/**
 * Where the edits happen: `spots` offsets spread over the file, each in the middle of a
 * non-blank, non-comment line.
 */
function editSpots(text: string, spots: number): number[] {
  const lines = text.split('\n');
  const starts: number[] = [];
  for (let i = 0, o = 0; i < lines.length; o += lines[i].length + 1, i++) starts.push(o);
  const out: number[] = [];
  for (let k = 0; k < spots; k++) {
    let l = Math.floor((k * lines.length) / spots);
    while (l < lines.length - 1 && (lines[l].trim() === '' || lines[l].trim().startsWith('#'))) l++;
    out.push(starts[l] + Math.floor(lines[l].length / 2));
  }
  return out;
}

/**
 * `count` single-character edits: at each spot a 10-letter word is typed and then deleted again
 * with backspace, so the text is the original after every spot. Returns each edit's latency.
 */
async function typeAndErase(client: LspClient, file: string, count: number): Promise<number[]> {
  const word = 'abcdefghij';
  const spots = editSpots(client.textOf(file), Math.ceil(count / (2 * word.length)));
  const out: number[] = [];
  for (let s = 0; out.length < count; s++) {
    const at = spots[s % spots.length];
    for (let j = 0; j < word.length && out.length < count; j++) out.push(await client.edit(file, at + j, 0, word[j]));
    for (let j = word.length - 1; j >= 0 && out.length < count; j--) out.push(await client.edit(file, at + j, 1, ''));
  }
  return out;
}

const summary = (xs: number[]) => ({ n: xs.length, p50: round(median(xs), 3), p90: round(quantile(xs, 0.9), 3), p99: round(quantile(xs, 0.99), 3), max: round(Math.max(...xs), 3) });

async function latency(server: string, file: string, folder: string): Promise<Record<string, unknown>> {
  const { command, args } = SERVERS[server];
  const client = await LspClient.start(command, args, [folder]);
  const text = fs.readFileSync(file, 'utf8');
  const firstOpen = await client.open(file, text);
  const reopens: number[] = [];
  for (let i = 0; i < REOPENS; i++) {
    await client.close(file);
    reopens.push(await client.open(file, text));
  }
  const changes = await typeAndErase(client, file, EDITS);
  await client.stop();
  return { firstOpenMs: round(firstOpen, 3), reopen: summary(reopens), didChange: summary(changes) };
}

async function memory(server: string, docs: CorpusFile[], pyprojects: CorpusFile[], editFile: string): Promise<Record<string, unknown>> {
  const { command, args } = SERVERS[server];
  const folders = [...new Set(docs.map((d) => d.repoDir))];
  const client = await LspClient.start(command, args, [...folders, path.dirname(editFile)]);
  const startRss = rssMB(client.pid);
  const t = now();
  for (const p of pyprojects) await client.open(p.file, p.text, 'toml', false);
  const waits: Promise<number>[] = [];
  for (const d of docs) {
    await client.open(d.file, d.text, 'dockerfile', false);
    waits.push(client.waitFor(d.file, 120_000));
  }
  await Promise.all(waits);
  const openAllMs = now() - t;
  const afterOpen = rssMB(client.pid);
  const afterOpenRest = await rssAtRestMB(client.pid);
  await client.open(editFile, fs.readFileSync(editFile, 'utf8'));
  const t2 = now();
  const edits = await typeAndErase(client, editFile, MEMORY_EDITS);
  const editsMs = now() - t2;
  const afterEdits = rssMB(client.pid);
  const afterEditsRest = await rssAtRestMB(client.pid);
  const peak = Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${client.pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
  await client.stop();
  return {
    opened: { dockerfiles: docs.length, pyprojects: pyprojects.length, workspaceFolders: folders.length + 1 },
    rssStartMB: round(startRss, 1),
    rssAfterOpenMB: round(afterOpen, 1),
    rssAfterOpenAtRestMB: round(afterOpenRest, 1),
    openAllMs: round(openAllMs, 0),
    edits: MEMORY_EDITS,
    editsMs: round(editsMs, 0),
    editLatency: summary(edits),
    rssAfterEditsMB: round(afterEdits, 1),
    rssAfterEditsAtRestMB: round(afterEditsRest, 1),
    peakRssMB: round(peak, 1),
  };
}

async function main(): Promise<void> {
  const docs = corpusFiles('dockerfile');
  const pyprojects = corpusFiles('pyproject');
  // The 300-line file lives alone in a scratch workspace folder.
  const dir = path.join(SCRATCH, 'lsp300');
  fs.mkdirSync(dir, { recursive: true });
  const file300 = path.join(dir, 'Dockerfile');
  fs.writeFileSync(file300, syntheticFromCorpus(docs, 300));
  const taurus = path.join(CORPUS, 'repos/Blazemeter__taurus/Dockerfile');
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);

  const result: Record<string, unknown> = { edits: EDITS, reopens: REOPENS, file300: path.relative(REPO, file300) };
  for (const server of Object.keys(SERVERS)) {
    if (only && only !== server) continue;
    const memoryOnly = process.argv.includes('--memory-only');
    result[server] = {
      lines300: memoryOnly ? undefined : await latency(server, file300, dir),
      taurus388: memoryOnly ? undefined : await latency(server, taurus, path.join(CORPUS, 'repos/Blazemeter__taurus')),
      memory: await memory(server, docs, pyprojects, file300),
    };
  }
  process.stdout.write(JSON.stringify(result));
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
