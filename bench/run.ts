// `npm run bench`: runs every measurement in its own process, then writes bench/results.json,
// bench/RESULTS.md and bench/scaling.svg. Each section prints JSON on stdout (see its file).
//   --quick            fewer rounds and edits (a smoke run, not for RESULTS.md)
//   --baseline <file>  a results.json measured before a change: adds a before/after table
//   --out <dir>        where to write the three files (default: bench/)
//   --skip a,b         leave sections out and write results.json only (a partial baseline)
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO, loadAverage, machine, now, round } from './lib';
import { scalingSvg } from './report/svg';
import { renderMarkdown, type Results } from './report/markdown';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const opt = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const outDir = path.resolve(opt('--out') ?? __dirname);
const baselineFile = opt('--baseline');
/** Sections to leave out (for a partial baseline run only: RESULTS.md needs them all). */
const skip = (opt('--skip') ?? '').split(',').filter(Boolean);

const TSX = path.join(REPO, 'node_modules/.bin/tsx');

function section(name: string, script: string, args: string[]): { data: unknown; ms: number; loadBefore: string; loadAfter: string; command: string } {
  const loadBefore = loadAverage();
  const t = now();
  process.stderr.write(`bench: ${name} …\n`);
  const r = spawnSync(TSX, [path.join(__dirname, script), ...args], { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`bench: ${name} failed (exit ${r.status})`);
  const ms = now() - t;
  process.stderr.write(`bench: ${name} done in ${(ms / 1000).toFixed(1)} s (load ${loadAverage()})\n`);
  return { data: JSON.parse(r.stdout), ms: round(ms, 0), loadBefore, loadAfter: loadAverage(), command: `tsx bench/${script} ${args.join(' ')}`.trim() };
}

function main(): void {
  const started = now();
  const facts = machine(); // before the sections: its load average is the one at the start
  const plan: [keyof Results['sections'], string, string, string[]][] = [
    ['cli', 'whole-corpus CLI', 'cli.ts', [quick ? '2' : '5']],
    ['inprocess', 'in-process per file', 'inprocess.ts', [quick ? '3' : '9']],
    ['lsp', 'language server latency and memory', 'lsp.ts', quick ? ['--quick'] : []],
    ['scaling', 'scaling', 'scaling.ts', []],
    ['package', 'package size', 'package.ts', []],
  ];
  const sections: Partial<Results['sections']> = {};
  for (const [key, name, script, args] of plan) if (!skip.includes(key)) sections[key] = section(name, script, args);
  const results: Results = {
    machine: facts,
    quick,
    sections: sections as Results['sections'],
    e2e: e2eTimings(),
    totalSeconds: 0,
  };
  results.totalSeconds = round((now() - started) / 1000, 1);
  results.machine.loadavgEnd = loadAverage();
  const baseline = baselineFile ? (JSON.parse(fs.readFileSync(baselineFile, 'utf8')) as Results) : undefined;
  fs.mkdirSync(outDir, { recursive: true });
  // Paths relative to the repository: the report is committed and read on other machines.
  const relative = (text: string) => text.split(`${path.resolve(__dirname, '..')}/`).join('');
  fs.writeFileSync(path.join(outDir, 'results.json'), relative(JSON.stringify(results, null, 2) + '\n'));
  if (skip.length) return;
  fs.writeFileSync(path.join(outDir, 'scaling.svg'), scalingSvg(results.sections.scaling.data as Parameters<typeof scalingSvg>[0]));
  fs.writeFileSync(path.join(outDir, 'RESULTS.md'), relative(renderMarkdown(results, baseline)));
  process.stderr.write(`bench: wrote ${path.relative(REPO, outDir) || '.'}/RESULTS.md, results.json, scaling.svg in ${results.totalSeconds} s\n`);
}

/** Time to first squiggle from the code-server e2e test, when a run left its timings behind. */
function e2eTimings(): unknown {
  for (const f of ['test-artifacts/e2e/timings.json', 'test-artifacts/e2e/timing.json']) {
    const p = path.join(REPO, f);
    if (fs.existsSync(p)) return { file: f, ...(JSON.parse(fs.readFileSync(p, 'utf8')) as object) };
  }
  return null;
}

main();
