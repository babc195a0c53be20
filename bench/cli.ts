// Whole-corpus runs, one process each: `node dist/cli.js check --format json <all Dockerfiles>`
// against dockerfilelint and dockerfile-utils. Their CLIs cannot do this corpus in one process
// (`dockerfile-utils lint` takes one file; `dockerfilelint` stops at the first file that throws),
// so a script lints the list with their APIs in one process (bench/workers/corpus-peers.js), and
// the dockerfilelint CLI is also timed on the files it gets through.
// Process wall time: the first run ("first", after no other run of that tool in this benchmark)
// and the median of the next runs ("cold process": a new process each time, OS file cache warm).
// In-process repeat ("warm"): the same work again in one process (JIT and caches hot).
// Prints one JSON object. argv: [runs]
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { REPO, SCRATCH, corpusFiles, median, now, round } from './lib';

const runs = Number(process.argv[2] ?? 5);

function wall(command: string, args: string[]): { ms: number; status: number | null; stdoutBytes: number } {
  const t = now();
  const r = spawnSync(command, args, { cwd: REPO, maxBuffer: 1 << 28, encoding: 'utf8' });
  const ms = now() - t;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${command} ${args.slice(0, 3).join(' ')} … exited ${r.status}: ${r.stderr}`);
  return { ms, status: r.status, stdoutBytes: r.stdout.length };
}

async function main(): Promise<void> {
  fs.mkdirSync(SCRATCH, { recursive: true });
  const files = corpusFiles('dockerfile').map((f) => f.file);
  const list = path.join(SCRATCH, 'dockerfiles.txt');
  fs.writeFileSync(list, files.join('\n') + '\n');
  const worker = path.join(SCRATCH, 'corpus-slimdock.js');
  await build({ entryPoints: [path.join(__dirname, 'workers/corpus-slimdock.ts')], outfile: worker, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' });
  const peers = path.join(__dirname, 'workers/corpus-peers.js');

  const tools: Record<string, { cli: string[]; warm: string[] }> = {
    slimdock: { cli: [path.join(REPO, 'dist/cli.js'), 'check', '--format', 'json', ...files], warm: [worker, list, '3'] },
    dockerfilelint: { cli: [peers, 'dockerfilelint', list, '0'], warm: [peers, 'dockerfilelint', list, '3'] },
    'dockerfile-utils': { cli: [peers, 'dockerfile-utils', list, '0'], warm: [peers, 'dockerfile-utils', list, '3'] },
  };
  const result: Record<string, unknown> = { files: files.length, runs, commands: {} as Record<string, string> };
  const processMs: Record<string, number[]> = Object.fromEntries(Object.keys(tools).map((k) => [k, []]));
  const first: Record<string, number> = {};
  const output: Record<string, number> = {};
  // Rounds interleave the tools so load changes on the machine hit them alike.
  for (let r = 0; r <= runs; r++) {
    for (const [name, t] of Object.entries(tools)) {
      const w = wall(process.execPath, t.cli);
      if (r === 0) first[name] = w.ms;
      else processMs[name].push(w.ms);
      output[name] = w.stdoutBytes;
    }
  }
  // The dockerfilelint CLI itself, on the files that do not make it throw.
  const crashes = JSON.parse(spawnSync(process.execPath, [peers, 'dockerfilelint', list, '0'], { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 28 }).stdout) as { file: string; diagnostics: { crash?: string }[] }[];
  const survivors = crashes.filter((c) => !c.diagnostics.some((d) => d.crash)).map((c) => c.file);
  const lintCli = [path.join(REPO, 'node_modules/dockerfilelint/bin/dockerfilelint'), '-j', ...survivors];
  const lintCliMs: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = now();
    spawnSync(process.execPath, lintCli, { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 28 }); // exit status = number of issues
    lintCliMs.push(now() - t);
  }
  result.dockerfilelintCli = { files: survivors.length, crashing: files.length - survivors.length, processMs: lintCliMs.map((x) => round(x, 0)), processMedianMs: round(median(lintCliMs), 0), filesPerSecond: round((survivors.length * 1000) / median(lintCliMs), 1) };

  const warm: Record<string, { readyMs: number; iterationsMs: number[]; findings: number; crashed?: number }> = {};
  for (const [name, t] of Object.entries(tools)) {
    const r = spawnSync(process.execPath, t.warm, { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`${name} warm run failed: ${r.stderr}`);
    const j = JSON.parse(r.stdout) as { ready: number; iterations: number[]; findings: number; crashed?: number };
    warm[name] = { readyMs: round(j.ready, 1), iterationsMs: j.iterations.map((x) => round(x, 1)), findings: j.findings, crashed: j.crashed };
  }
  for (const [name, t] of Object.entries(tools)) {
    const p = median(processMs[name]);
    const w = median(warm[name].iterationsMs.slice(1)); // the first iteration is the cold one
    (result.commands as Record<string, string>)[name] = `node ${path.relative(REPO, t.cli[0])} ${t.cli.slice(1, 4).join(' ')}${t.cli.length > 4 ? ' <202 Dockerfiles>' : ''}`;
    result[name] = {
      firstMs: round(first[name], 0),
      processMs: processMs[name].map((x) => round(x, 0)),
      processMedianMs: round(p, 0),
      filesPerSecond: round((files.length * 1000) / p, 1),
      stdoutBytes: output[name],
      inProcess: { ...warm[name], warmMedianMs: round(w, 1), warmFilesPerSecond: round((files.length * 1000) / w, 1) },
    };
  }
  process.stdout.write(JSON.stringify(result));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
