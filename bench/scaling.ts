// Scaling: synthetic Dockerfiles of 10 … 10,000 lines (corpus instructions after one FROM) and
// 100 … 10,000 stages (`FROM s<i-1> AS s<i>` chains, each with a corpus RUN), checked in process
// with the engine's text caches cleared before every call. A log-log least-squares fit of time
// against size gives the exponent (1 = linear). The model alone (`buildModel`: dockerfile-ast parse,
// RUN shell parses, environment) and the bare dockerfile-ast parse are measured alongside, so the
// rules' share shows.
// Prints one JSON object.
import { DockerfileParser } from 'dockerfile-ast';
import path from 'node:path';
import { initShellParser, checkDockerfile, MemoryFileSystem } from '../server/src/engine';
import { clearTextCaches } from '../server/src/engine/parse/cache';
import { buildModel } from '../server/src/engine/parse/dockerfile';
import { REPO, corpusFiles, logLogFit, median, round, time } from './lib';

/** Corpus instructions (FROM excluded), in corpus order, each as its full text. */
export function corpusInstructions(): { text: string; keyword: string }[] {
  const out: { text: string; keyword: string }[] = [];
  for (const f of corpusFiles('dockerfile')) {
    const text = f.text.replace(/\r\n/g, '\n');
    const ast = DockerfileParser.parse(text);
    if (ast.getEscapeCharacter() !== '\\') continue;
    const lines = text.split('\n');
    for (const inst of ast.getInstructions()) {
      const keyword = inst.getKeyword().toUpperCase();
      const r = inst.getRange();
      const body = lines.slice(r.start.line, r.end.line + 1).join('\n');
      if (keyword === 'FROM' || body.includes('<<')) continue; // heredocs need their bodies: skipped
      out.push({ keyword, text: body });
    }
  }
  return out;
}

export function linesFile(pool: { text: string }[], lines: number): string {
  const out = ['FROM python:3.12-slim'];
  let n = 1;
  for (let i = 0; n < lines; i++) {
    const t = pool[i % pool.length].text;
    const k = t.split('\n').length;
    if (n + k > lines) {
      out.push(`ENV FILLER_${i}=x`);
      n++;
      continue;
    }
    out.push(t);
    n += k;
  }
  return out.join('\n') + '\n';
}

export function stagesFile(runs: { text: string }[], stages: number): string {
  const out = ['FROM python:3.12-slim AS s0', runs[0].text];
  for (let i = 1; i < stages; i++) out.push(`FROM s${i - 1} AS s${i}`, runs[i % runs.length].text);
  return out.join('\n') + '\n';
}

async function main(): Promise<void> {
  await initShellParser(path.join(REPO, 'dist'));
  const pool = corpusInstructions();
  const runs = pool.filter((p) => p.keyword === 'RUN');
  const fs = new MemoryFileSystem({ '/bench/.keep': '' });
  // Warm-up (JIT, wasm) on a small file of each kind first.
  for (let i = 0; i < 5; i++) checkDockerfile({ file: '/bench/Dockerfile', text: linesFile(pool, 300), fs, root: '/bench' });
  const measure = (text: string, budgetMs: number) => {
    const check: number[] = [];
    const model: number[] = [];
    const parse: number[] = [];
    let spent = 0;
    // At least 3 rounds (1 when one check takes over 5 s) or until the budget is spent (max 30).
    for (let r = 0; r < 30 && (r < 3 || spent < budgetMs) && !(r >= 1 && check[0] > 5000); r++) {
      clearTextCaches();
      const c = time(() => checkDockerfile({ file: '/bench/Dockerfile', text, fs, root: '/bench' }));
      clearTextCaches();
      const m = time(() => buildModel(text));
      const p = time(() => DockerfileParser.parse(text));
      check.push(c);
      model.push(m);
      parse.push(p);
      spent += c + m + p;
    }
    return { checkMs: round(median(check), 3), modelMs: round(median(model), 3), parseMs: round(median(parse), 3), rounds: check.length };
  };
  const series = (name: string, sizes: number[], make: (n: number) => string) => {
    const points: ({ size: number; lines: number; chars: number } & ReturnType<typeof measure>)[] = [];
    const skipped: number[] = [];
    for (const n of sizes) {
      // A size past one that took over 15 s would take minutes if the growth is quadratic.
      if (points.length && points[points.length - 1].checkMs > 15_000) {
        skipped.push(n);
        continue;
      }
      const text = make(n);
      points.push({ size: n, lines: text.split('\n').length - 1, chars: text.length, ...measure(text, 2000) });
    }
    const big = points.filter((p) => p.size >= 100); // below that, fixed costs dominate
    return {
      name,
      points,
      skipped,
      fit: {
        check: logLogFit(big.map((p) => p.size), big.map((p) => p.checkMs)),
        model: logLogFit(big.map((p) => p.size), big.map((p) => p.modelMs)),
        parse: logLogFit(big.map((p) => p.size), big.map((p) => p.parseMs)),
      },
      fitAll: { check: logLogFit(points.map((p) => p.size), points.map((p) => p.checkMs)) },
    };
  };
  const lines = series('lines', [10, 30, 100, 300, 1000, 3000, 10000], (n) => linesFile(pool, n));
  // One-line RUNs keep 10,000 stages under the engine's 1 MB limit.
  const shortRuns = runs.filter((r) => !r.text.includes('\n') && r.text.length <= 60);
  const stages = series('stages', [100, 300, 1000, 3000, 10000], (n) => stagesFile(shortRuns, n));
  process.stdout.write(JSON.stringify({ lines, stages }));
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
