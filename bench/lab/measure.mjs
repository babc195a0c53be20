#!/usr/bin/env node
// The lab's driver: for every sample project in bench/lab/projects, stages the build context
// outside the repository, makes the variants (as written, after `slimdock check --fix`, after
// `slimdock optimize --mode venv|system --write`), asks slimdock for its estimates, builds each
// variant with buildah (one build at a time), measures the image's layers, runs the project's
// test command in it and writes bench/lab/results.json. Called by run.sh, which has set up the base
// images, the uv stand-in image and the package index.
//
//   node bench/lab/measure.mjs [--only name,name] [--variants as-written,fix,optimize-venv,optimize-system]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DockerfileParser } from 'dockerfile-ast';

const LAB = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(LAB, '../..');
const CACHE = process.env.LAB_CACHE ?? path.join(process.env.SLIMDOCK_CACHE ?? path.join(process.env.HOME, '.cache/slimdock'), 'lab');
const PORT = process.env.LAB_PORT ?? '8765';
const INDEX = `http://127.0.0.1:${PORT}/simple`;
const CLI = path.join(REPO, 'dist/cli.js');
// `reference`: the project's reference.Dockerfile, the rule's own advice applied by hand where
// `check --fix` has no safe fix for it (so its estimate can still be checked against bytes).
const VARIANTS = ['as-written', 'fix', 'optimize-venv', 'optimize-system', 'reference'];
const BUILD_TIMEOUT_MS = 15 * 60 * 1000;

const { values: opts } = parseArgs({ options: { only: { type: 'string' }, variants: { type: 'string' } } });
const only = opts.only ? new Set(opts.only.split(',')) : null;
const variants = opts.variants ? opts.variants.split(',') : VARIANTS;

// ---- buildah ------------------------------------------------------------------------------------
const storage = ['--root', path.join(CACHE, 'storage'), '--runroot', path.join(CACHE, 'runroot'), '--storage-driver', 'overlay'];
if (fs.existsSync(path.join(CACHE, 'use-fuse-overlayfs'))) storage.push('--storage-opt', 'overlay.mount_program=/usr/bin/fuse-overlayfs');

function run(cmd, args, o = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 << 20, ...o });
  return { code: r.status ?? (r.signal ? 128 : 1), out: r.stdout ?? '', err: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}
const bh = (args, o) => run('buildah', [...storage, ...args], o);
function log(msg) {
  process.stderr.write(`[lab ${new Date().toTimeString().slice(0, 8)}] ${msg}\n`);
}

/** Uncompressed (tar) size of every layer in the lab's storage, by diff digest. */
function layerSizes() {
  const file = path.join(CACHE, 'storage/overlay-layers/layers.json');
  const sizes = new Map();
  for (const l of JSON.parse(fs.readFileSync(file, 'utf8'))) sizes.set(l['diff-digest'], l['diff-size'] ?? l['uncompressed-size'] ?? null);
  return sizes;
}

/** Layers of an image with their size and the instruction that made them, and the total. */
export function imageLayers(ref) {
  const r = bh(['inspect', '--type', 'image', ref]);
  if (r.code) throw new Error(`inspect ${ref}: ${r.err}`);
  const oci = JSON.parse(r.out).OCIv1;
  const sizes = layerSizes();
  const history = (oci.history ?? []).filter((h) => !h.empty_layer);
  const layers = oci.rootfs.diff_ids.map((d, i) => ({ digest: d, bytes: sizes.get(d) ?? null, createdBy: (history[i]?.created_by ?? '').slice(0, 160) }));
  return { layers, total: layers.reduce((s, l) => s + (l.bytes ?? 0), 0) };
}

// ---- staging --------------------------------------------------------------------------------------
/** Deterministic incompressible bytes (the same content on every run, so builds stay cached). */
function randomFile(file, bytes, seed) {
  if (fs.existsSync(file) && fs.statSync(file).size === bytes) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'w');
  let x = BigInt.asUintN(64, BigInt('0x' + Buffer.from(seed).toString('hex').padEnd(16, '0').slice(0, 16)) | 1n);
  const chunk = Buffer.alloc(1 << 20);
  for (let left = bytes; left > 0; left -= chunk.length) {
    for (let i = 0; i < chunk.length; i += 8) {
      x ^= x << 13n; x = BigInt.asUintN(64, x); x ^= x >> 7n; x ^= x << 17n; x = BigInt.asUintN(64, x);
      chunk.writeBigUInt64LE(x, i);
    }
    fs.writeSync(fd, chunk, 0, Math.min(left, chunk.length));
  }
  fs.closeSync(fd);
}

/** Realistic clutter a developer's checkout has (a project's lab.json `generate`), made once and cached. */
function generate(dir, gen, name) {
  const blobs = path.join(CACHE, 'blobs', name);
  if (gen.git) {
    const git = path.join(blobs, 'git');
    if (!fs.existsSync(path.join(git, '.done'))) {
      fs.rmSync(git, { recursive: true, force: true });
      fs.mkdirSync(git, { recursive: true });
      fs.cpSync(dir, git, { recursive: true });
      const g = (...a) => run('git', ['-c', 'user.name=lab', '-c', 'user.email=lab@example.com', '-C', git, ...a]);
      g('init', '-q');
      g('add', '-A');
      g('commit', '-qm', 'lab sample');
      randomFile(path.join(git, '.git/objects/pack/pack-lab-history.pack'), gen.git, `${name}-git`);
      fs.writeFileSync(path.join(git, '.done'), '');
    }
    fs.cpSync(path.join(git, '.git'), path.join(dir, '.git'), { recursive: true });
  }
  if (gen.venv) {
    const venv = path.join(blobs, 'venv');
    if (!fs.existsSync(path.join(venv, '.done'))) {
      fs.rmSync(venv, { recursive: true, force: true });
      const mk = run('python3', ['-m', 'venv', venv]);
      const pip = run(path.join(venv, 'bin/pip'), ['install', '-q', '--disable-pip-version-check', '--no-cache-dir', '--index-url', INDEX, ...gen.venv]);
      if (mk.code || pip.code) throw new Error(`generating .venv: ${mk.err}${pip.err}`);
      fs.writeFileSync(path.join(venv, '.done'), '');
    }
    fs.cpSync(venv, path.join(dir, '.venv'), { recursive: true, verbatimSymlinks: true, filter: (s) => !s.endsWith('.done') });
  }
  if (gen.pycache) run('python3', ['-m', 'compileall', '-q', path.join(dir, 'app')]);
  for (const [rel, bytes] of Object.entries(gen.files ?? {})) {
    const blob = path.join(blobs, 'files', rel);
    randomFile(blob, bytes, `${name}-${rel}`);
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.copyFileSync(blob, path.join(dir, rel));
  }
}

// ---- slimdock -------------------------------------------------------------------------------------
function slimdock(args, cwd) {
  return run('node', [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
}

/** Findings of `check --format json` over a staged folder (all files slimdock reads). */
function findings(dir) {
  const r = slimdock(['check', '.', '--format', 'json', '--fail-on', 'none'], dir);
  try {
    return JSON.parse(r.out);
  } catch {
    return { error: (r.err || r.out).slice(0, 400) };
  }
}

/** Sum of estimateBytes, counting each (file, line) once: its largest estimate. */
function estimateSum(list) {
  if (!Array.isArray(list)) return null;
  const perLine = new Map();
  for (const f of list) {
    if (typeof f.estimateBytes !== 'number') continue;
    const k = `${f.file}:${f.line}`;
    perLine.set(k, Math.max(perLine.get(k) ?? 0, f.estimateBytes));
  }
  return [...perLine.values()].reduce((a, b) => a + b, 0);
}

const UNIT = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };
/** Optimize's "estimated before → after", from JSON if it prints some, else from `≈ X → ≈ Y` text. */
function optimizeEstimate(text) {
  try {
    const j = JSON.parse(text);
    const b = j?.estimate?.before ?? j?.before ?? j?.estimatedBefore;
    const a = j?.estimate?.after ?? j?.after ?? j?.estimatedAfter;
    if (typeof b === 'number' && typeof a === 'number') return { before: b, after: a };
  } catch { /* not JSON */ }
  const m = /≈\s*([\d.]+)\s*([kKMGT]?B)[^\n≈]*?(?:→|->)\s*≈?\s*([\d.]+)\s*([kKMGT]?B)/.exec(text);
  return m ? { before: Number(m[1]) * UNIT[m[2]], after: Number(m[3]) * UNIT[m[4]] } : null;
}

/**
 * The Dockerfile line (1-based) of the instruction that made each layer of the final image: the last
 * stage's RUN/COPY/ADD in order, after the layers of its base; null for base layers.
 */
function layerLines(text, count) {
  const stages = DockerfileParser.parse(text).getFROMs().length;
  const insts = DockerfileParser.parse(text).getInstructions();
  const lastFrom = insts.map((i) => i.getKeyword()).lastIndexOf('FROM');
  const own = insts.slice(lastFrom + 1).filter((i) => ['RUN', 'COPY', 'ADD'].includes(i.getKeyword())).map((i) => i.getRange().start.line + 1);
  const baseCount = Math.max(0, count - own.length);
  return Array.from({ length: count }, (_, i) => (i < baseCount || stages === 0 ? null : own[i - baseCount]));
}

// ---- per variant ---------------------------------------------------------------------------------
const HEREDOC = /^\s*RUN\b(?:[^\n]*\\\n)*[^\n]*<<-?\s*["']?[A-Za-z_]/m;

function prepare(variant, dir, src) {
  if (variant === 'as-written') return { ok: true };
  if (variant === 'reference') {
    const ref = path.join(src, 'reference.Dockerfile');
    if (!fs.existsSync(ref)) return { ok: false, skipped: 'no reference.Dockerfile', quiet: true };
    fs.copyFileSync(ref, path.join(dir, 'Dockerfile'));
    return { ok: true };
  }
  const args = variant === 'fix'
    ? ['check', 'Dockerfile', '--fix', '--fail-on', 'none', '--format', 'json']
    : ['optimize', 'Dockerfile', '--mode', variant.replace('optimize-', ''), '--write'];
  const r = slimdock(args, dir);
  const text = `${r.out}\n${r.err}`;
  if (variant !== 'fix' && (r.code === 2 || /not implemented|unknown command/i.test(text))) {
    return { ok: false, skipped: `slimdock optimize not available (exit ${r.code}: ${text.trim().split('\n')[0].slice(0, 160)})` };
  }
  if (r.code === 2) return { ok: false, skipped: `slimdock failed (exit 2): ${text.trim().slice(0, 300)}` };
  return { ok: true, output: text.trim().slice(0, 2000), optimizeEstimate: variant === 'fix' ? null : optimizeEstimate(text) };
}

/** pip is real: URLs it cannot reach on the lab machine are pointed at the lab index (after slimdock ran). */
function rewriteUrls(dir) {
  let n = 0;
  for (const f of fs.readdirSync(dir)) {
    if (!(f === 'Dockerfile' || /^requirements.*\.txt$/.test(f))) continue;
    const p = path.join(dir, f);
    const t = fs.readFileSync(p, 'utf8');
    const u = t.replace(/https:\/\/download\.pytorch\.org\/whl\/cpu\/?/g, () => (n++, `http://127.0.0.1:${PORT}/whl/cpu`))
      .replace(/https:\/\/pypi\.org\/simple\/?/g, () => (n++, INDEX));
    if (u !== t) fs.writeFileSync(p, u);
  }
  return n;
}

/**
 * buildah 1.28 rejects a relative `--mount=…,target=uv.lock` (BuildKit resolves it against WORKDIR,
 * as uv's guide relies on): make such targets absolute before building. Returns how many changed.
 */
function buildahCompat(dir) {
  const file = path.join(dir, 'Dockerfile');
  const text = fs.readFileSync(file, 'utf8');
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (pos) => lineStarts[pos.line] + pos.character;
  const edits = [];
  let workdir = '/';
  for (const inst of DockerfileParser.parse(text).getInstructions()) {
    const kw = inst.getKeyword();
    if (kw === 'FROM') workdir = '/';
    if (kw === 'WORKDIR') workdir = path.posix.resolve(workdir, inst.getArgumentsContent() ?? '.');
    if (kw !== 'RUN') continue;
    for (const flag of inst.getFlags()) {
      if (flag.getName() !== 'mount' || !flag.getValueRange()) continue;
      const value = flag.getValue();
      const fixed = value.replace(/(^|,)(target|dst|destination)=([^,/][^,]*)/g, (_, sep, key, rel) => `${sep}${key}=${path.posix.resolve(workdir, rel)}`);
      if (fixed !== value) edits.push({ start: offset(flag.getValueRange().start), end: offset(flag.getValueRange().end), text: fixed });
    }
  }
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  if (edits.length) fs.writeFileSync(file, out);
  return edits.length;
}

/**
 * buildah 1.28's layer cache keys a RUN by its text, not by the content of what it bind-mounts
 * (`--mount=type=bind,source=requirements.txt` or `--mount=from=…`): two projects with the same RUN
 * line would share a layer installed from the other's requirements. Such Dockerfiles build without
 * the cache; COPY-based ones are keyed by content and keep it.
 */
const READS_MOUNTS = /--mount=(?:[^\s]*,)?(?:type=bind|from=)/;

function build(project, variant, dir) {
  const tag = `localhost/slimdock-lab/${project}:${variant}`;
  const noCache = READS_MOUNTS.test(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'));
  const logFile = path.join(CACHE, 'logs', `${project}-${variant}.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const t0 = Date.now();
  const r = bh(['bud', '--layers', '--force-rm', ...(noCache ? ['--no-cache'] : []), '--pull=never', '--isolation', 'chroot', '--build-arg', `PIP_INDEX_URL=${INDEX}`, '--build-arg', 'PIP_TRUSTED_HOST=127.0.0.1', '-t', tag, '-f', path.join(dir, 'Dockerfile'), dir],
    { timeout: BUILD_TIMEOUT_MS, env: { ...process.env, BUILDAH_LAYERS: 'true' } });
  const seconds = (Date.now() - t0) / 1000;
  fs.writeFileSync(logFile, r.out + r.err);
  const warnings = [...new Set((r.out + r.err).split('\n').filter((l) => /(uv|poetry)-standin: WARNING/.test(l)).map((l) => l.trim()))];
  return { tag, ok: r.code === 0, seconds, noCache, log: logFile, warnings, error: r.code ? (r.out + r.err).trim().split('\n').slice(-12).join('\n') : undefined };
}

/** Runs `sh -c CMD` in a fresh container of the image; returns exit code and output. */
function runIn(tag, cmd) {
  const from = bh(['from', '--pull=never', tag]);
  if (from.code) return { code: -1, output: from.err.trim() };
  const ctr = from.out.trim().split('\n').pop();
  const r = bh(['run', '--isolation', 'chroot', ctr, '--', 'sh', '-c', cmd]);
  bh(['rm', ctr]);
  return { code: r.code, output: (r.out + r.err).trim().slice(-600) };
}

// Paths whose size, in the image as written, is what a rule's finding is about.
const PROBES = { SD101: ['/root/.cache/pip'], SD201: ['/var/lib/apt/lists'], SD502: ['/root/.cache/uv'], SD111: ['/root/.cache/pypoetry'], SD402: ['.git', '.venv'] };

function probe(tag) {
  const paths = [...new Set(Object.values(PROBES).flat())];
  const r = runIn(tag, `for p in ${paths.join(' ')}; do if [ -e "$p" ]; then du -sb "$p"; else echo "0 $p"; fi; done`);
  const sizes = {};
  for (const line of r.output.split('\n')) {
    const m = /^(\d+)\s+(\S+)$/.exec(line.trim());
    if (m) sizes[m[2]] = Number(m[1]);
  }
  const out = {};
  // An empty directory (du: 4 kB) is not a cache left behind.
  for (const [rule, ps] of Object.entries(PROBES)) out[rule] = ps.reduce((s, p) => s + ((sizes[p] ?? 0) > 65536 ? sizes[p] : 0), 0);
  return out;
}

// ---- main ---------------------------------------------------------------------------------------
const projectsDir = path.join(LAB, 'projects');
const resultsFile = path.join(LAB, 'results.json');
// A partial run (--only/--variants) updates results.json; a full run starts it afresh.
const previous = (only || opts.variants) && fs.existsSync(resultsFile) ? JSON.parse(fs.readFileSync(resultsFile, 'utf8')) : { projects: {} };
const results = { ...previous, projects: { ...previous.projects } };
results.bases = {};
for (const b of ['python:3.11-slim', 'python:3.11']) {
  try {
    results.bases[b] = imageLayers(`docker.io/library/${b}`).total;
  } catch (e) {
    results.bases[b] = null;
  }
}

for (const name of fs.readdirSync(projectsDir).sort()) {
  if (only && !only.has(name)) continue;
  const src = path.join(projectsDir, name);
  const lab = JSON.parse(fs.readFileSync(path.join(src, 'lab.json'), 'utf8'));
  const work = path.join(CACHE, 'work', name);
  const base = path.join(work, 'context');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(base, { recursive: true });
  fs.cpSync(src, base, { recursive: true, filter: (s) => !['lab.json', 'reference.Dockerfile'].includes(path.basename(s)) });
  if (lab.generate) generate(base, lab.generate, name);
  const before = findings(base);
  const sBefore = estimateSum(before);
  const project = { ...lab, findings: Array.isArray(before) ? before.map(({ file, rule, severity, line, estimateBytes, fixable }) => ({ file, rule, severity, line, estimateBytes, fixable })) : before, estimateBefore: sBefore, variants: { ...(previous.projects[name]?.variants ?? {}) } };
  for (const variant of variants) {
    log(`${name}: ${variant}`);
    const dir = path.join(work, variant);
    fs.cpSync(base, dir, { recursive: true, verbatimSymlinks: true });
    const v = { ...prepare(variant, dir, src) };
    if (v.quiet) continue;
    const outDir = path.join(LAB, 'results', name);
    fs.mkdirSync(outDir, { recursive: true });
    if (v.ok) {
      const after = variant === 'as-written' ? before : findings(dir);
      v.estimateAfter = estimateSum(after);
      v.estimatedSaving = sBefore === null || v.estimateAfter === null ? null : sBefore - v.estimateAfter;
      v.remaining = Array.isArray(after) ? after.map(({ file, rule, severity, line, estimateBytes }) => ({ file, rule, severity, line, estimateBytes })) : after;
      v.remainingWarnings = Array.isArray(after) ? after.filter((f) => f.severity === 'warning' || f.severity === 'error').length : null;
      const dockerfile = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
      if (variant !== 'as-written') {
        fs.writeFileSync(path.join(outDir, `${variant}.Dockerfile`), dockerfile);
        const di = path.join(dir, '.dockerignore');
        if (fs.existsSync(di) && (!fs.existsSync(path.join(base, '.dockerignore')) || fs.readFileSync(di, 'utf8') !== fs.readFileSync(path.join(base, '.dockerignore'), 'utf8'))) {
          fs.writeFileSync(path.join(outDir, `${variant}.dockerignore`), fs.readFileSync(di, 'utf8'));
        }
      }
      if (HEREDOC.test(dockerfile)) {
        v.skipped = 'the Dockerfile has a heredoc RUN, which buildah 1.28 cannot build';
      } else {
        v.urlRewrites = rewriteUrls(dir);
        v.mountTargetsMadeAbsolute = buildahCompat(dir);
        const b = build(name, variant, dir);
        Object.assign(v, { buildOk: b.ok, buildSeconds: b.seconds, buildNoCache: b.noCache, standinWarnings: b.warnings, buildError: b.error });
        if (b.ok) {
          const img = imageLayers(b.tag);
          v.size = img.total;
          const lines = layerLines(dockerfile, img.layers.length);
          v.layers = img.layers.map(({ bytes, createdBy }, i) => ({ bytes, line: lines[i], createdBy }));
          const t = runIn(b.tag, lab.test);
          v.runs = t.code === 0;
          v.runOutput = t.code === 0 ? undefined : t.output;
          if (variant === 'as-written') v.probes = probe(b.tag);
        }
        log(`${name}: ${variant}: ${b.ok ? `${(v.size / 1e6).toFixed(1)} MB, test ${v.runs ? 'passes' : 'FAILS'}` : 'BUILD FAILED'} (${b.seconds.toFixed(0)} s)`);
      }
    } else {
      log(`${name}: ${variant}: skipped — ${v.skipped}`);
    }
    project.variants[variant] = v;
  }
  results.projects[name] = project;
  results.date = new Date().toISOString();
  fs.writeFileSync(resultsFile, JSON.stringify(results, null, 1) + '\n');
}
