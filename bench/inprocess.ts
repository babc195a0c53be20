// In-process analysis of one Dockerfile at a time over the corpus: slimdock's `checkDockerfile`
// (real file system over the file's repository folder, as the language server sees a workspace)
// against `dockerfile-utils` `validate` and the bare `DockerfileParser.parse`.
// Each file's time is the median of its rounds; the report gives the median and p99 over files.
// slimdock is measured twice: "fresh" clears the engine's text-keyed caches before every call
// (nothing from an earlier round is re-used: the cost of a file never seen), "cached" does not
// (a re-check of unchanged text, as after a settings change).
// Prints one JSON object. argv: [rounds]
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { initShellParser, checkDockerfile } from '../server/src/engine';
import { clearTextCaches } from '../server/src/engine/parse/cache';
import { NodeFileSystem } from '../server/src/nodeFs';
import { REPO, corpusFiles, median, quantile, round, time } from './lib';
import path from 'node:path';

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 7);
  await initShellParser(path.join(REPO, 'dist'));
  const files = corpusFiles('dockerfile').map((f) => ({ ...f, fs: new NodeFileSystem(f.repoDir) }));
  const impls: Record<string, (f: (typeof files)[number]) => void> = {
    parse: (f) => DockerfileParser.parse(f.text),
    validate: (f) => validate(f.text),
    'slimdock-fresh': (f) => checkDockerfile({ file: f.file, text: f.text, fs: f.fs, root: f.repoDir }),
    'slimdock-cached': (f) => checkDockerfile({ file: f.file, text: f.text, fs: f.fs, root: f.repoDir }),
  };
  const perFile: Record<string, number[][]> = Object.fromEntries(Object.keys(impls).map((k) => [k, files.map(() => [])]));
  // Warm-up round (JIT), then the measured rounds; implementations interleaved per file so load
  // changes on the machine hit them alike.
  for (let r = -1; r < rounds; r++) {
    files.forEach((f, i) => {
      for (const [name, fn] of Object.entries(impls)) {
        if (name === 'slimdock-fresh') clearTextCaches();
        const ms = time(() => fn(f));
        if (r >= 0) perFile[name][i].push(ms);
      }
    });
  }
  const out: Record<string, unknown> = { files: files.length, rounds, lines: { median: median(files.map((f) => f.text.split('\n').length)), max: Math.max(...files.map((f) => f.text.split('\n').length)) } };
  const stats: Record<string, { median: number; p90: number; p99: number; total: number }> = {};
  for (const name of Object.keys(impls)) {
    const t = perFile[name].map(median);
    stats[name] = { median: round(median(t), 4), p90: round(quantile(t, 0.9), 4), p99: round(quantile(t, 0.99), 4), total: round(t.reduce((a, b) => a + b, 0), 2) };
  }
  out.stats = stats;
  // The typical file: median of the per-file ratios too (robust to the few huge files).
  const ratio = (a: string, b: string) => round(median(perFile[a].map((ts, i) => median(ts) / median(perFile[b][i]))), 3);
  out.ratios = {
    freshVsParse: ratio('slimdock-fresh', 'parse'),
    freshVsValidate: ratio('slimdock-fresh', 'validate'),
    cachedVsParse: ratio('slimdock-cached', 'parse'),
    cachedVsValidate: ratio('slimdock-cached', 'validate'),
    validateVsParse: ratio('validate', 'parse'),
  };
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
