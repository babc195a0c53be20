#!/usr/bin/env node
// Rebuilds server/src/engine/estimates/wheel-sizes.json: the typical download size of each Python
// package's linux x86_64 wheel, taken from the `size` fields that uv records in the uv.lock files of
// the corpus (../shared/corpus by default). For each lock that pins a package, the wheel uv would
// pick for CPython 3.12 on manylinux x86_64 (else abi3, else pure Python, else the sdist); the table
// keeps the median over locks. Usage: node scripts/wheel-sizes.mjs [corpus-dir]
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseTOML, getStaticTOMLValue } from 'toml-eslint-parser';

const corpus = process.argv[2] ?? path.resolve(import.meta.dirname, '../../shared/corpus');
const manifest = readFileSync(path.join(corpus, 'manifest.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
const locks = [...new Set(manifest.filter((r) => r[5] === 'uvlock' && r[4]).map((r) => r[4]))];

/** Higher is better: the wheel uv would install on CPython 3.12, manylinux x86_64. */
export function wheelRank(filename) {
  const m = /-([^-]+)-([^-]+)-([^-]+)\.whl$/.exec(filename);
  if (!m) return -1;
  const [, py, abi, plat] = m;
  const linux = /manylinux.*x86_64|linux_x86_64|musllinux.*x86_64/.test(plat) && !/musllinux/.test(plat);
  if (plat === 'any') return /py3|py2\.py3/.test(py) ? 2 : 1;
  if (!linux) return -1;
  if (py.split('.').includes('cp312') && abi.includes('cp312')) return 5;
  if (abi === 'abi3') return 4;
  if (py.split('.').includes('py3')) return 3;
  return 0;
}

const sizes = new Map();
let files = 0;
for (const rel of locks) {
  const doc = getStaticTOMLValue(parseTOML(readFileSync(path.join(corpus, rel), 'utf8')));
  files++;
  for (const pkg of doc.package ?? []) {
    if (!pkg.source?.registry) continue;
    let best;
    for (const w of pkg.wheels ?? []) {
      const rank = wheelRank(decodeURIComponent(w.url?.split('/').pop() ?? w.filename ?? ''));
      if (rank >= 0 && typeof w.size === 'number' && (!best || rank > best.rank)) best = { rank, size: w.size };
    }
    const size = best?.size ?? (typeof pkg.sdist?.size === 'number' ? pkg.sdist.size : undefined);
    if (size === undefined) continue;
    const name = pkg.name.toLowerCase().replace(/[-_.]+/g, '-');
    if (!sizes.has(name)) sizes.set(name, []);
    sizes.get(name).push(size);
  }
}

const packages = {};
for (const name of [...sizes.keys()].sort()) {
  const list = sizes.get(name).sort((a, b) => a - b);
  packages[name] = list[Math.floor((list.length - 1) / 2)];
}
const out = {
  source: `median linux x86_64 / CPython 3.12 wheel download size recorded in ${files} uv.lock files of public projects (scripts/wheel-sizes.mjs)`,
  packages,
};
const target = path.resolve(import.meta.dirname, '../server/src/engine/estimates/wheel-sizes.json');
writeFileSync(target, JSON.stringify(out, null, 0).replace(/,"/g, ',\n"') + '\n');
console.log(`${Object.keys(packages).length} packages from ${files} locks → ${path.relative(process.cwd(), target)}`);
