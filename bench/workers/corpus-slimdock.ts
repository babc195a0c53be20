// Whole-corpus check in one process, repeated: what `slimdock check --format json` does (discover,
// check, format), timed per iteration. Bundled by bench/run.ts; argv: <list file> <iterations>.
import fs from 'node:fs';
import path from 'node:path';
import { initShellParser } from '../../server/src/engine';
import { NodeFileSystem, toPosix } from '../../server/src/nodeFs';
import { discover } from '../../server/src/cli/discover';
import { checkTargets } from '../../server/src/cli/check';
import { formatters } from '../../server/src/cli/format';

(async () => {
  const t0 = performance.now();
  const [list, n] = [process.argv[2], Number(process.argv[3] ?? 2)];
  const paths = fs.readFileSync(list, 'utf8').split('\n').filter(Boolean);
  await initShellParser(path.resolve(__dirname, '../../dist'));
  const ready = performance.now() - t0;
  const iterations: number[] = [];
  let bytes = 0;
  let findings = 0;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const found = discover(paths, process.cwd());
    const run = checkTargets(found.targets, new NodeFileSystem('/'));
    const out = formatters.json({ cwd: toPosix(process.cwd()), results: run.results, version: 'bench', color: false });
    iterations.push(performance.now() - t);
    bytes = out.length;
    findings = run.results.reduce((s, r) => s + r.findings.length, 0);
  }
  process.stdout.write(JSON.stringify({ ready, iterations, bytes, findings, files: paths.length }));
})();
