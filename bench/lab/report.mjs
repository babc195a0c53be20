#!/usr/bin/env node
// Writes bench/lab/RESULTS.md and bench/lab/chart.svg from bench/lab/results.json (measure.mjs)
// and bench/lab/timings.json (run.sh). Pure formatting and arithmetic: no builds here.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const LAB = path.dirname(fileURLToPath(import.meta.url));
const results = JSON.parse(fs.readFileSync(path.join(LAB, 'results.json'), 'utf8'));
const coldTimings = fs.existsSync(path.join(LAB, 'timings-cold.json')) ? JSON.parse(fs.readFileSync(path.join(LAB, 'timings-cold.json'), 'utf8')) : null;
const timings = fs.existsSync(path.join(LAB, 'timings.json')) ? JSON.parse(fs.readFileSync(path.join(LAB, 'timings.json'), 'utf8')) : null;
const VARIANTS = ['as-written', 'fix', 'optimize-venv', 'optimize-system', 'reference'];
const names = Object.keys(results.projects).sort();

// ---- formatting ------------------------------------------------------------------------------------
const mb = (b) => (b === null || b === undefined || Number.isNaN(b) ? '—' : `${(b / 1e6).toFixed(b !== 0 && Math.abs(b) < 10e6 ? 1 : 0)} MB`);
const pctAbs = (x) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : `${Math.round(x * 100)} %`);
const pct = (x) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : `${x >= 0 ? '+' : ''}${Math.round(x * 100)} %`);
const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const sh = (cmd, args) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return (r.stdout ?? '').trim();
};

// ---- measured vs estimated, per project -------------------------------------------------------------
/** Sum of estimates, each (file, line) once at its largest, with an optional per-rule factor. */
function estimateSum(list, factor = () => 1) {
  if (!Array.isArray(list)) return null;
  const perLine = new Map();
  for (const f of list) {
    if (typeof f.estimateBytes !== 'number') continue;
    const k = `${f.file}:${f.line}`;
    perLine.set(k, Math.max(perLine.get(k) ?? 0, f.estimateBytes * factor(f.rule)));
  }
  return [...perLine.values()].reduce((a, b) => a + b, 0);
}

const rows = names.map((name) => {
  const p = results.projects[name];
  const v = (k) => p.variants[k];
  const size = (k) => (v(k)?.buildOk ? v(k).size : null);
  const scale = p.scale ?? 1;
  const base = size('as-written');
  const saving = (k) => (base !== null && size(k) !== null ? base - size(k) : null);
  return { name, p, scale, base, size, saving, v };
});

// ---- estimate vs measured, per rule ------------------------------------------------------------------
// Rules whose findings are about bytes in the image (the others are about build speed or hygiene).
const BYTE_RULES = new Set(['SD101', 'SD105', 'SD107', 'SD109', 'SD111', 'SD201', 'SD202', 'SD203', 'SD204', 'SD205', 'SD206', 'SD301', 'SD402', 'SD404', 'SD405', 'SD502', 'SD506']);
const findingsOf = (r, k) => (k === 'as-written' ? r.p.findings : r.v(k)?.remaining);
const ruleEstimate = (list, rule) => {
  const known = (list ?? []).filter((f) => f.rule === rule && typeof f.estimateBytes === 'number');
  return known.length ? known.reduce((s, f) => s + f.estimateBytes, 0) : null;
};
/** Byte rules with findings in variant a and none in variant b. */
const goneRules = (r, a, b) => {
  const fa = findingsOf(r, a);
  const fb = findingsOf(r, b);
  if (!Array.isArray(fa) || !Array.isArray(fb)) return null;
  return [...new Set(fa.filter((f) => BYTE_RULES.has(f.rule)).map((f) => f.rule))].filter((rule) => !fb.some((f) => f.rule === rule));
};

const points = []; // { rule, project, estimate, measured, how }
const bases = results.bases ?? {};
for (const r of rows) {
  const { p, name, scale } = r;
  const as = r.v('as-written');
  if (!Array.isArray(p.findings) || !as?.buildOk) continue;
  const has = (rule) => p.findings.some((f) => f.rule === rule);
  const add = (pt) => {
    if (!points.some((q) => q.project === name && q.rule === pt.rule)) points.push({ project: name, ...pt });
  };
  const layerAt = (variant, line) => (r.v(variant)?.layers ?? []).find((l) => l.line === line)?.bytes ?? null;
  // 1. A line with one byte rule whose findings --fix removed: that layer as written − after fix.
  const fix = r.v('fix');
  if (fix?.buildOk && Array.isArray(fix.remaining)) {
    for (const line of new Set(p.findings.filter((f) => BYTE_RULES.has(f.rule)).map((f) => f.line))) {
      const here = [...new Set(p.findings.filter((f) => f.line === line && BYTE_RULES.has(f.rule) && f.rule !== 'SD404').map((f) => f.rule))];
      if (here.length !== 1 || fix.remaining.some((f) => f.rule === here[0] && f.line === line)) continue;
      const a = layerAt('as-written', line);
      const b = layerAt('fix', line);
      if (a !== null && b !== null && a - b > 0) add({ rule: here[0], estimate: ruleEstimate(p.findings.filter((f) => f.line === line), here[0]), measured: (a - b) * scale, how: `layer of line ${line}: as written − after --fix` });
    }
  }
  // 2. Variants that differ by exactly one byte rule: the whole size difference is that rule's.
  for (const [a, b] of [['as-written', 'fix'], ['as-written', 'reference'], ['fix', 'reference']]) {
    const gone = goneRules(r, a, b);
    if (!gone || gone.length !== 1 || gone[0] === 'SD301' || r.size(a) === null || r.size(b) === null || !r.v(b).runs) continue;
    add({ rule: gone[0], estimate: ruleEstimate(findingsOf(r, a), gone[0]), measured: (r.size(a) - r.size(b)) * scale, how: `${a} − ${b === 'reference' ? 'by hand' : 'after --fix'}${scale !== 1 ? ` (× ${scale}: wheels scaled)` : ''}` });
  }
  // 3. Paths probed in the image as written, where the bytes are still visible (not deleted in a later layer).
  if (!has('SD404')) {
    for (const [rule, bytes] of Object.entries(as.probes ?? {})) {
      if (has(rule) && bytes > 0) add({ rule, estimate: ruleEstimate(p.findings, rule), measured: bytes, how: 'du of the path in the image as written' });
    }
  }
  // 4. Whole layers that are the finding's cost.
  for (const rule of ['SD203', 'SD405']) {
    for (const f of p.findings.filter((g) => g.rule === rule)) {
      const bytes = layerAt('as-written', f.line);
      if (bytes !== null) add({ rule, estimate: f.estimateBytes ?? null, measured: bytes, how: `layer of line ${f.line} as written` });
    }
  }
  // 5. Recommends: the apt layer shrinks by the recommends and by the lists when --fix adds both.
  for (const f of p.findings.filter((g) => g.rule === 'SD202')) {
    const a = layerAt('as-written', f.line);
    const b = layerAt('fix', f.line);
    const listsFixed = p.findings.some((g) => g.rule === 'SD201' && g.line === f.line) ? as.probes?.SD201 ?? 0 : 0;
    if (a !== null && b !== null) add({ rule: 'SD202', estimate: f.estimateBytes ?? null, measured: a - b - listsFixed, how: `layer of line ${f.line}: as written − after --fix − apt lists` });
  }
  // 6. Heavy base: the measured difference of the two stand-in bases.
  if (has('SD301') && bases['python:3.11'] && bases['python:3.11-slim']) {
    add({ rule: 'SD301', estimate: ruleEstimate(p.findings, 'SD301'), measured: bases['python:3.11'] - bases['python:3.11-slim'], how: 'stand-in python:3.11 − python:3.11-slim' });
  }
}

// Proposed factor per rule: median of measured / estimate (rules with an estimate only).
const rules = [...new Set(points.map((pt) => pt.rule))].sort();
const factors = {};
for (const rule of rules) {
  const ratios = points.filter((pt) => pt.rule === rule && pt.estimate).map((pt) => pt.measured / pt.estimate);
  if (ratios.length) factors[rule] = median(ratios);
}
const factor = (rule) => factors[rule] ?? 1;
/** Leave-one-out: the factors fitted without this project's own points (an out-of-sample check). */
const looFactor = (project) => (rule) => {
  const ratios = points.filter((pt) => pt.rule === rule && pt.estimate && pt.project !== project).map((pt) => pt.measured / pt.estimate);
  return ratios.length ? median(ratios) : 1;
};

/** slimdock's estimate of what going from variant a to b saves: null when no byte rule that went has a figure. */
function estimatedSaving(r, a, b, f = () => 1) {
  const fa = findingsOf(r, a);
  const fb = findingsOf(r, b);
  if (!Array.isArray(fa) || !Array.isArray(fb)) return null;
  const gone = goneRules(r, a, b) ?? [];
  if (!gone.some((rule) => ruleEstimate(fa, rule) !== null) && estimateSum(fa) === estimateSum(fb)) return null;
  return estimateSum(fa, f) - estimateSum(fb, f);
}
const rel = (e, m) => (e === null || m === null || Math.abs(m) < 1e6 ? null : (e - m) / m);

for (const r of rows) {
  for (const k of ['fix', 'reference']) {
    const m = r.saving(k);
    const ok = r.v(k)?.runs;
    r[k] = { measured: m === null ? null : m * r.scale, ok, est: estimatedSaving(r, 'as-written', k), estCal: estimatedSaving(r, 'as-written', k, factor), estLoo: estimatedSaving(r, 'as-written', k, looFactor(r.name)) };
    r[k].err = rel(r[k].est, r[k].measured);
    r[k].errCal = rel(r[k].estCal, r[k].measured);
    r[k].errLoo = rel(r[k].estLoo, r[k].measured);
  }
  const best = ['optimize-venv', 'optimize-system'].map((k) => ({ k, s: r.saving(k) })).filter((x) => x.s !== null).sort((a, b) => b.s - a.s)[0];
  const oe = ['optimize-venv', 'optimize-system'].map((k) => r.v(k)?.optimizeEstimate).find(Boolean);
  r.opt = { measured: best ? best.s * r.scale : null, ok: best ? r.v(best.k).runs : false, est: oe ? oe.before - oe.after : null, estCheck: best ? estimatedSaving(r, 'as-written', best.k) : null, estCheckCal: best ? estimatedSaving(r, 'as-written', best.k, factor) : null, estCheckLoo: best ? estimatedSaving(r, 'as-written', best.k, looFactor(r.name)) : null };
  r.opt.err = rel(r.opt.est, r.opt.measured);
  r.opt.errCheck = rel(r.opt.estCheck, r.opt.measured);
  r.opt.errCheckCal = rel(r.opt.estCheckCal, r.opt.measured);
  r.opt.errCheckLoo = rel(r.opt.estCheckLoo, r.opt.measured);
  // One comparison per project: the variant (fix, Optimize, by hand) that saved the most and still runs.
  const cands = [
    { k: '--fix', m: r.fix.measured, ok: r.fix.ok, e: r.fix.err, c: r.fix.errCal, l: r.fix.errLoo },
    { k: 'Optimize', m: r.opt.measured, ok: r.opt.ok, e: r.opt.errCheck, c: r.opt.errCheckCal, l: r.opt.errCheckLoo },
    { k: 'by hand', m: r.reference.measured, ok: r.reference.ok, e: r.reference.err, c: r.reference.errCal, l: r.reference.errLoo },
  ].filter((x) => x.m !== null && x.ok).sort((a, b) => b.m - a.m);
  r.best = cands[0] ?? null;
}

// ---- chart -------------------------------------------------------------------------------------------
function chart() {
  const colors = { 'as-written': '#c0392b', fix: '#e67e22', 'optimize-venv': '#2980b9', 'optimize-system': '#27ae60', reference: '#8e44ad' };
  const rowH = 14, gap = 16, left = 150, width = 620, top = 40;
  const max = Math.max(...rows.flatMap((r) => VARIANTS.map((k) => r.size(k) ?? 0)), 1);
  const h = top + rows.length * (VARIANTS.length * rowH + gap) + 30;
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 90}" height="${h}" font-family="sans-serif" font-size="11">`,
    `<text x="10" y="18" font-size="14" font-weight="bold">slimdock lab: image size before and after (uncompressed layers, MB)</text>`];
  VARIANTS.forEach((k, i) => out.push(`<rect x="${left + i * 125}" y="26" width="10" height="10" fill="${colors[k]}"/><text x="${left + i * 125 + 14}" y="35">${k === 'reference' ? 'by hand' : k}</text>`));
  rows.forEach((r, ri) => {
    const y0 = top + ri * (VARIANTS.length * rowH + gap);
    out.push(`<text x="${left - 8}" y="${y0 + (VARIANTS.length * rowH) / 2 + 4}" text-anchor="end">${r.name}</text>`);
    VARIANTS.forEach((k, i) => {
      const s = r.size(k);
      const y = y0 + i * rowH;
      if (s === null) {
        out.push(`<text x="${left + 4}" y="${y + 10}" fill="#888">${r.v(k)?.skipped ? 'skipped' : r.v(k) ? 'build failed' : 'not run'}</text>`);
        return;
      }
      const w = Math.max(1, (s / max) * width);
      out.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${rowH - 2}" fill="${colors[k]}"/><text x="${left + w + 4}" y="${y + 10}">${(s / 1e6).toFixed(0)}${r.v(k).runs ? '' : ' (test fails)'}</text>`);
    });
  });
  out.push(`<text x="10" y="${h - 8}" fill="#555">Base images are Debian-built stand-ins; torch-cpu's wheels are 1/10 of real size. See RESULTS.md.</text>`, '</svg>');
  return out.join('\n') + '\n';
}
fs.writeFileSync(path.join(LAB, 'chart.svg'), chart());

// ---- RESULTS.md -------------------------------------------------------------------------------------
const L = [];
const machine = `${sh('sh', ['-c', '. /etc/os-release && echo "$PRETTY_NAME"'])}, kernel ${os.release()}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${sh('buildah', ['--version'])}, Node ${process.version}`;
L.push('# slimdock image-size lab — results', '',
  'Real OCI images built with buildah, as written and after slimdock\'s fixes and Optimize, to check slimdock\'s size estimates against bytes. Generated by `bench/lab/report.mjs` from `results.json`; do not edit by hand.', '',
  `- Machine: ${machine}`, `- Date: ${results.date}`,
  `- Command: \`npm run lab\` (= \`bash bench/lab/run.sh${timings?.args ? ' ' + timings.args : ''}\`), as root; builds: \`buildah bud --layers --pull=never --isolation chroot --storage-driver overlay --build-arg PIP_INDEX_URL=http://127.0.0.1:8765/simple --build-arg PIP_TRUSTED_HOST=127.0.0.1\` (plus \`--no-cache\` when a RUN bind-mounts files: see docs/lab.md), one at a time.`,
  ...[['This run', timings], ['Last full run from an empty cache', coldTimings]].filter(([, t]) => t && (t !== coldTimings || timings?.date !== coldTimings.date)).map(([what, t]) =>
    `- ${what}${t.cold ? ' (cold: nothing cached)' : ' (warm: base images, wheels and unchanged layers cached)'}: ${t.totalSeconds} s in all${t.args ? ` (options: ${t.args})` : ''} — setup ${t.setupSeconds} s, base images ${t.baseImagesSeconds} s, wheels + uv stand-in + index ${t.indexAndUvSeconds} s, slimdock + builds + tests ${t.buildsSeconds} s; ${t.date}. buildah and debootstrap were already installed, their apt install is not included.`),
  '- Sizes: the sum of the image\'s layers as stored (uncompressed tar size, `diff-size` in the overlay store), the base layer included. Registries show compressed sizes (smaller); the savings compare like with like.', '');
L.push('## What is real and what is a stand-in', '',
  '- **Base images are stand-ins, not the official images.** `python:3.11-slim` (and `-slim-bookworm`) is Debian bookworm `debootstrap --variant=minbase` + `python3 python3-venv python-is-python3` (apt, no recommends, with `debian:bookworm-slim`\'s dpkg excludes); `python:3.11` (and `-bookworm`) adds what `buildpack-deps:bookworm` installs (compilers, `-dev` libraries, VCS tools). Their Python is Debian\'s python3 (3.11.2; the official image builds CPython from source), made to look like the official one: a virtual environment at `/usr/local` (pip from ensurepip) gives `/usr/local/bin/python`, `pip`, site-packages in `/usr/local/lib/python3.11/site-packages` and `pip install --prefix=P` → `P/lib/python3.11/site-packages`. apt is configured as in Debian\'s docker images (no .debs kept, gzip lists, no translations).',
  '- **apt packages are real**: every `apt-get` in the builds talks to deb.debian.org.',
  '- **Python packages are stand-ins with real names and sizes**: a local PEP 503 index (`index/serve.py`, PyPI\'s caching headers and ETags) serves wheels generated by `index/make_wheels.py` whose download size is the package\'s median wheel size in the corpus `uv.lock` files (`server/src/engine/estimates/wheel-sizes.json`). Each wheel is valid (METADATA with the real dependency names, WHEEL, RECORD, top_level.txt, one importable module) plus a payload `<module>/_lab_payload.bin` of incompressible pseudo-random bytes stored uncompressed. So pip caches exactly the download size, but the installed size equals the download size, while real wheels are compressed and grow on install: absolute image sizes here are smaller than real ones; caches, apt, base images and copied files are faithful. Packages absent from the table (psycopg2, which is sdist-only, poetry, poetry-core, cleo, crashtest, installer, fastjsonschema, findpython, pbs-installer) get no payload.',
  `- **torch is scaled 1/${JSON.parse(fs.readFileSync(path.join(LAB, 'index/catalog.json'), 'utf8')).torchScale}**: torch 2.6.0 (766.6 MB) with its 13 \`nvidia-*-cu12\` wheels and triton (2.27 GB together, table sizes) on /simple/, and torch 2.6.0+cpu on /whl/cpu/ at 17.5 MB (the lab's assumption of ≈ 175 MB for the real CPU wheel: no corpus lock records its size). Savings of the torch project are multiplied back by 10 before they are compared with estimates.`,
  '- **uv is a stand-in**: `ghcr.io/astral-sh/uv:<DEFAULT_UV_VERSION>` is a local image whose `/uv` and `/uvx` are `standins/uv.py`, which implements `uv pip install`, `uv sync`, `uv venv` through pip into the same places and with uv\'s cache directory; it ignores `PIP_*` like uv and warns when `PIP_INDEX_URL` was left untranslated (listed below). Inside it, `https://pypi.org/simple` means the lab index. The real uv binary (tens of MB) is not measured: SD506 savings cannot be seen here.',
  '- **poetry is a stand-in** (`standins/poetry.py`, shipped in the lab\'s `poetry` wheel, which pulls poetry\'s real dependency set with table sizes): installs poetry.lock through pip into the system or a venv, with its cache in `POETRY_CACHE_DIR`.',
  '- pip is real (23.0.1, from Debian\'s ensurepip wheel); `https://download.pytorch.org/whl/cpu` and `https://pypi.org/simple` in a staged Dockerfile or requirements file are pointed at the lab index after slimdock has run (counted per variant as `urlRewrites`).', '');

L.push('## Base images (stand-ins)', '', '| image | measured | official (SPEC §1) |', '|---|---:|---:|',
  `| python:3.11-slim | ${mb(bases['python:3.11-slim'])} | ≈ 130–150 MB |`, `| python:3.11 | ${mb(bases['python:3.11'])} | ≈ 1 GB |`, '');

L.push('## Per project', '', 'Image sizes in MB (decimal), ✓ = the test command passes in that image. Savings are measured against the image as written; for torch-cpu they are multiplied by 10 (its wheels are scaled 1/10). slimdock\'s estimated saving of a variant: `check --format json` before and after, the sum of `estimateBytes` (each file and line once, at its largest) before minus after ("unknown" when none of the findings that went has a figure); for Optimize, also its own "estimated image size before → after". Error = (estimate − measured) / measured.', '',
  '| project | as written | after --fix | optimize venv | optimize system | by hand (reference) |', '|---|---:|---:|---:|---:|---:|');
const cell = (r, k) => {
  const v = r.v(k);
  if (!v) return '—';
  if (v.skipped) return 'skipped';
  if (!v.buildOk) return 'build failed';
  return `${mb(v.size)} ${v.runs ? '✓' : '✗'}`;
};
const est = (x) => (x === null || x === undefined ? 'unknown' : mb(x));
for (const r of rows) L.push(`| ${r.name} | ${cell(r, 'as-written')} | ${cell(r, 'fix')} | ${cell(r, 'optimize-venv')} | ${cell(r, 'optimize-system')} | ${cell(r, 'reference')} |`);
L.push('', '| project | --fix: measured | est. | error | Optimize (best mode): measured | Optimize\'s own est. | error | check-based est. | error | by hand: measured | est. | error |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  L.push(`| ${r.name} | ${mb(r.fix.measured)} | ${est(r.fix.est)} | ${pct(r.fix.err)} | ${mb(r.opt.measured)} | ${r.opt.measured === null ? '—' : est(r.opt.est)} | ${pct(r.opt.err)} | ${r.opt.measured === null ? '—' : est(r.opt.estCheck)} | ${pct(r.opt.errCheck)} | ${mb(r.reference.measured)} | ${r.reference.measured === null ? '—' : est(r.reference.est)} | ${pct(r.reference.err)} |`);
}
L.push('', 'What each project models:', '');
for (const r of rows) L.push(`- **${r.name}** — ${r.p.title} (corpus pattern: ${r.p.models}).${r.p.generateNote ? ' ' + r.p.generateNote + '.' : ''}`);
L.push('');

const med = (xs) => median(xs.filter((x) => x !== null && x !== undefined));
const abs = (xs) => xs.filter((x) => x !== null && x !== undefined).map(Math.abs);
const n = (xs) => xs.filter((x) => x !== null && x !== undefined).length;
const fixM = rows.map((r) => r.fix.measured);
const optM = rows.map((r) => r.opt.measured);
const bestM = rows.map((r) => Math.max(r.fix.measured ?? -Infinity, r.opt.measured ?? -Infinity, r.reference.measured ?? -Infinity)).map((x) => (Number.isFinite(x) ? x : null));
const bestE = rows.map((r) => r.best?.e ?? null);
const bestC = rows.map((r) => r.best?.c ?? null);
const bestL = rows.map((r) => r.best?.l ?? null);
L.push('## Summary', '',
  `- Median measured saving: \`check --fix\` **${mb(med(fixM))}** (${n(fixM)} projects: most costly findings have no safe fix), Optimize (best mode) **${mb(med(optM))}** (${n(optM)} projects), the best of fix / Optimize / by hand **${mb(med(bestM))}** (${n(bestM)} projects).`,
  `- Median |error| of slimdock's estimated saving (check-based, one comparison per project: the variant that saved the most and still runs; projects with a measured saving ≥ 1 MB and a known estimate): **${pctAbs(med(abs(bestE)))}** over ${n(bestE)} projects (signed median ${pct(med(bestE))}).`,
  `- After the per-rule factors below: **${pctAbs(med(abs(bestL)))}** (signed ${pct(med(bestL))}) when each project is corrected with factors fitted on the other projects only (leave-one-out; rules with no other data point keep factor 1); ${pctAbs(med(abs(bestC)))} in-sample, which is meaningless with one or two points per rule. The structural fixes proposed below matter more than the factors.`,
  `- Median |error| of Optimize's own before → after estimate: **${pctAbs(med(abs(rows.map((r) => r.opt.err))))}** over ${n(rows.map((r) => r.opt.err))} projects (signed ${pct(med(rows.map((r) => r.opt.err)))}); its "after" counts unknown figures as nothing.`, '');

L.push('## Estimate vs measured, per rule — proposed table corrections', '',
  'Each row compares one finding\'s estimate with the bytes measured for exactly what the finding is about. The proposal per rule is the median ratio measured / estimate (applied as a factor in the calibrated figures above); the lead engineer decides what changes in the engine\'s tables.', '',
  '| rule | project | estimate | measured | measured / est. | how measured |', '|---|---|---:|---:|---:|---|');
for (const pt of points.sort((a, b) => a.rule.localeCompare(b.rule) || a.project.localeCompare(b.project))) {
  L.push(`| ${pt.rule} | ${pt.project} | ${pt.estimate === null ? 'unknown' : mb(pt.estimate)} | ${mb(pt.measured)} | ${pt.estimate ? (pt.measured / pt.estimate).toFixed(2) : '—'} | ${pt.how} |`);
}
L.push('', '| rule | proposed factor (median measured / est.) | data points |', '|---|---:|---:|');
for (const rule of rules) L.push(`| ${rule} | ${factors[rule] === undefined ? 'no estimate: see proposals' : '× ' + factors[rule].toFixed(2)} | ${points.filter((p) => p.rule === rule).length} |`);
L.push('', '<!-- proposals -->', fs.existsSync(path.join(LAB, 'proposals.md')) ? fs.readFileSync(path.join(LAB, 'proposals.md'), 'utf8').trim() : '', '');

L.push('## Notes per project', '');
for (const r of rows) {
  const notes = [];
  for (const k of VARIANTS) {
    const v = r.v(k);
    if (!v) continue;
    if (v.skipped) notes.push(`${k}: skipped — ${v.skipped}`);
    else if (!v.buildOk) notes.push(`${k}: build failed — \`${(v.buildError ?? '').split('\n').filter(Boolean).slice(-2).join(' / ').slice(0, 300)}\``);
    else if (!v.runs) notes.push(`${k}: test \`${r.p.test}\` fails — \`${(v.runOutput ?? '').split('\n').slice(-1)[0].slice(0, 200)}\``);
    for (const w of v.standinWarnings ?? []) notes.push(`${k}: ${/PIP_INDEX_URL/.test(w) ? 'the uv stand-in saw PIP_INDEX_URL set and no UV_INDEX_URL/UV_DEFAULT_INDEX (real uv ignores PIP_*: it would go to PyPI)' : w.replace(/^.*?(uv|poetry)-standin/, '$1-standin')}`);
    if (k !== 'as-written' && v.remainingWarnings) notes.push(`${k}: ${v.remainingWarnings} warning/error finding(s) left (${[...new Set((v.remaining ?? []).filter((f) => f.severity === 'warning' || f.severity === 'error').map((f) => f.rule))].join(', ')})`);
    if (v.urlRewrites) notes.push(`${k}: ${v.urlRewrites} index URL(s) pointed at the lab index`);
  }
  if (notes.length) L.push(`- **${r.name}**: ${notes.join('; ')}.`);
}
L.push('');

L.push('## Layers of the images as written', '', 'Per layer: uncompressed size, the Dockerfile line that made it, and buildah\'s history text.', '');
for (const r of rows) {
  const v = r.v('as-written');
  if (!v?.layers) continue;
  L.push(`<details><summary>${r.name}: ${mb(v.size)}</summary>`, '', '| bytes | line | created by |', '|---:|---:|---|');
  for (const l of v.layers) L.push(`| ${mb(l.bytes)} | ${l.line ?? 'base'} | \`${(l.createdBy || '').replace(/\|/g, '\\|').replace(/`/g, "'").slice(0, 110)}\` |`);
  L.push('', '</details>', '');
}
fs.writeFileSync(path.join(LAB, 'RESULTS.md'), L.join('\n'));
console.log(`wrote ${path.join(LAB, 'RESULTS.md')} and chart.svg`);
