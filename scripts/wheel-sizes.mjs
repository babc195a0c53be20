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
const closures = new Map();
let files = 0;
const norm = (n) => n.toLowerCase().replace(/[-_.]+/g, '-');
/** A dependency edge that cannot apply on linux x86_64 (Windows, macOS, other machines). */
const notLinux = (marker) => /sys_platform\s*==\s*'(win32|darwin|cygwin)'|platform_system\s*==\s*'(Windows|Darwin)'|os_name\s*==\s*'nt'|platform_machine\s*==\s*'(arm64|aarch64|AMD64|x86)'/.test(marker ?? '');
for (const rel of locks) {
  const doc = getStaticTOMLValue(parseTOML(readFileSync(path.join(corpus, rel), 'utf8')));
  files++;
  // Per lock: each package's own size and its edges, then the size of its dependency closure
  // (each package once): what pip downloads, and caches, for `pip install <name>`.
  const own = new Map();
  const edges = new Map();
  for (const pkg of doc.package ?? []) {
    edges.set(norm(pkg.name), (pkg.dependencies ?? []).filter((d) => !notLinux(d.marker)).map((d) => norm(d.name)));
  }
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
    own.set(name, size);
  }
  for (const [name, size] of own) {
    if (!(edges.get(name) ?? []).length) continue; // no dependencies: the closure is the wheel
    const seen = new Set([name]);
    const stack = [...edges.get(name)];
    let total = size;
    let complete = true;
    while (stack.length) {
      const d = stack.pop();
      if (seen.has(d)) continue;
      seen.add(d);
      if (!own.has(d)) { complete = !edges.has(d) ? complete : false; if (edges.has(d)) stack.push(...edges.get(d)); continue; }
      total += own.get(d);
      stack.push(...(edges.get(d) ?? []));
    }
    if (!complete) continue;
    if (!closures.has(name)) closures.set(name, []);
    closures.get(name).push(total);
  }
}

const packages = {};
for (const name of [...sizes.keys()].sort()) {
  const list = sizes.get(name).sort((a, b) => a - b);
  packages[name] = list[Math.floor((list.length - 1) / 2)];
}
const closure = {};
for (const name of [...closures.keys()].sort()) {
  const list = closures.get(name).sort((a, b) => a - b);
  const median = list[Math.floor((list.length - 1) / 2)];
  if (median > packages[name]) closure[name] = median;
}
const out = {
  source: `median linux x86_64 / CPython 3.12 wheel download size recorded in ${files} uv.lock files of public projects (scripts/wheel-sizes.mjs)`,
  packages,
  closureSource: `median download size of the package with its dependency closure (each package once, Linux edges only) in the same locks; listed where it is larger than the wheel alone`,
  closure,
};
const target = path.resolve(import.meta.dirname, '../server/src/engine/estimates/wheel-sizes.json');
writeFileSync(target, JSON.stringify(out, null, 0).replace(/,"/g, ',\n"') + '\n');
console.log(`${Object.keys(packages).length} packages from ${files} locks → ${path.relative(process.cwd(), target)}`);
