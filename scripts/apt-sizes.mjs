#!/usr/bin/env node
// Generates server/src/engine/estimates/apt-sizes.json from Debian's own package metadata.
//
//   apt-get update            # (or any way to get the bookworm main amd64 Packages index)
//   node scripts/apt-sizes.mjs [--lists /var/lib/apt/lists] [--corpus ../shared/corpus] [--out FILE]
//
// For each package of a fixed list of packages common in Python images (plus, with --corpus, every
// name on an `apt-get install` line of the corpus Dockerfiles that exists in bookworm) it records:
//   packages[name]   = installed bytes of the package and its Depends/Pre-Depends closure (no
//                      Recommends), minus the packages a python:3.x-slim image already has;
//   recommends[name] = the extra installed bytes when Recommends are followed too (what
//                      `--no-install-recommends` saves for that package alone);
//   heavy            = [name, installed bytes] of every dependency of 1 MB or more met in those closures;
//   parts[name], recommendParts[name] = the heavy dependencies inside each closure (indexes into heavy), so
//                      that a sum over several packages (`build-essential gcc gfortran`) counts a
//                      shared dependency once.
// Sizes are `Installed-Size` (KiB, as dpkg reports it) × 1024. See estimates/README.md.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const listsDir = opt('--lists', '/var/lib/apt/lists');
const corpusDir = opt('--corpus', undefined);
const outFile = opt('--out', join(here, '../server/src/engine/estimates/apt-sizes.json'));

/** Packages commonly installed in Python images (the brief's list, plus toolchain relatives). */
const COMMON = `build-essential gcc g++ make cmake clang pkg-config git curl wget ca-certificates libpq-dev libpq5
default-libmysqlclient-dev libmariadb-dev libmariadb3 libssl-dev libffi-dev python3-dev python3 python3-pip python3-venv
libxml2-dev libxslt1-dev libxml2 libxslt1.1 libjpeg-dev libjpeg62-turbo zlib1g-dev libopenblas-dev libopenblas0 gfortran
ffmpeg libgl1 libglib2.0-0 libsm6 libxext6 libxrender1 tesseract-ocr poppler-utils graphviz cargo rustc unzip vim
nano locales tzdata postgresql-client netcat-openbsd gnupg openssh-client libgomp1 gcc-12 g++-12 cpp libc6-dev
libc-dev dpkg-dev autoconf automake libtool ninja-build meson swig bison flex llvm libgeos-dev libgdal-dev gdal-bin
libproj-dev libmagic1 libmagic-dev libsqlite3-dev libbz2-dev liblzma-dev libreadline-dev libncurses-dev
libcairo2-dev libpango1.0-dev libsndfile1 libsndfile1-dev portaudio19-dev libhdf5-dev libblas-dev liblapack-dev
libatlas-base-dev libsasl2-dev libldap2-dev libkrb5-dev libcurl4-openssl-dev libyaml-dev libzmq3-dev
libsnappy-dev default-jre-headless default-jdk-headless nodejs npm sudo procps tini dumb-init gosu supervisor
nginx xz-utils bzip2 jq less htop iputils-ping dnsutils net-tools telnet rsync file lsb-release
software-properties-common apt-transport-https gettext fonts-liberation chromium wkhtmltopdf libreoffice
pandoc texlive-latex-base imagemagick libmagickwand-dev libwebp-dev libtiff-dev libfreetype6-dev
liblcms2-dev libopenjp2-7-dev libharfbuzz-dev libfribidi-dev libxcb1-dev libgl1-mesa-glx libglib2.0-dev
libsm-dev libxext-dev libgtk-3-dev libavcodec-dev libavformat-dev libswscale-dev libpoppler-cpp-dev
libboost-all-dev libeigen3-dev libprotobuf-dev protobuf-compiler libgrpc-dev libsystemd-dev libudev-dev
linux-libc-dev libstdc++-12-dev libgcc-12-dev`.split(/\s+/).filter(Boolean);

/**
 * What python:3.x-slim (debian:bookworm-slim + the python image's additions) already has. Every
 * `Priority: required` package is there (debootstrap minbase); the python image adds
 * ca-certificates, netbase, tzdata and the shared libraries its interpreter links against (the
 * docker-library Dockerfile keeps what `ldd` finds). Their dependency closures are added too.
 */
const PYTHON_SLIM_ADDS = `ca-certificates netbase tzdata libssl3 libsqlite3-0 libffi8 libbz2-1.0 libexpat1 libgdbm6
libgdbm-compat4 libncursesw6 libtinfo6 libreadline8 readline-common libuuid1 liblzma5 zlib1g libdb5.3 libnsl2
libtirpc3 libtirpc-common libgssapi-krb5-2 libkrb5-3 libk5crypto3 libkrb5support0 libkeyutils1 libcom-err2
openssl`.split(/\s+/).filter(Boolean);

// --- Read the Packages index of bookworm main, amd64 ------------------------------------------
const indexName = readdirSync(listsDir).find((f) => /_dists_bookworm_main_binary-amd64_Packages(\.(lz4|xz|gz|bz2|zst))?$/.test(f));
if (!indexName) {
  console.error(`No bookworm main amd64 Packages index in ${listsDir}: run apt-get update first.`);
  process.exit(2);
}
// apt-helper decompresses whatever compression apt chose to keep the index in.
const text = execFileSync('/usr/lib/apt/apt-helper', ['cat-file', join(listsDir, indexName)], { maxBuffer: 1 << 30, encoding: 'utf8' });
const release = readdirSync(listsDir).find((f) => /_dists_bookworm_InRelease$/.test(f));
const date = release ? /^Date: (.*)$/m.exec(readFileSync(join(listsDir, release), 'utf8'))?.[1] : undefined;
const releaseDay = date ? new Date(date).toISOString().slice(0, 10) : 'unknown date';

/** deb822 stanzas: `Field: value` lines, continuation lines start with a blank. */
function stanzas(src) {
  const out = [];
  for (const block of src.split(/\n\n+/)) {
    const fields = new Map();
    let last;
    for (const line of block.split('\n')) {
      if (/^\s/.test(line) && last) fields.set(last, `${fields.get(last)}\n${line.trim()}`);
      else {
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        last = line.slice(0, colon);
        fields.set(last, line.slice(colon + 1).trim());
      }
    }
    if (fields.has('Package')) out.push(fields);
  }
  return out;
}

/** `a (>= 1) | b:any, c [amd64]` → [['a', 'b'], ['c']] */
function relations(value) {
  if (!value) return [];
  return value.split(',').map((group) =>
    group
      .split('|')
      .map((alt) => alt.trim().replace(/\s*\(.*?\)/g, '').replace(/\s*\[.*?\]/g, '').replace(/\s*<.*?>/g, '').replace(/:\w+$/, '').trim())
      .filter(Boolean),
  ).filter((g) => g.length);
}

const pkgs = new Map();
const providers = new Map();
for (const s of stanzas(text)) {
  const name = s.get('Package');
  if (pkgs.has(name)) continue;
  const p = {
    name,
    size: Number(s.get('Installed-Size') ?? 0) * 1024,
    priority: s.get('Priority'),
    depends: [...relations(s.get('Pre-Depends')), ...relations(s.get('Depends'))],
    recommends: relations(s.get('Recommends')),
  };
  pkgs.set(name, p);
  for (const [prov] of relations(s.get('Provides')).map((g) => g)) {
    if (!providers.has(prov)) providers.set(prov, []);
    providers.get(prov).push(name);
  }
}

/** A real package for a relation name: itself, or a provider (preferring one already in `prefer`). */
function resolve(name, prefer) {
  if (pkgs.has(name)) return name;
  const list = providers.get(name);
  if (!list) return undefined;
  return list.find((n) => prefer?.has(n)) ?? list[0];
}

/**
 * The closure over Depends (+ Recommends), taking the first alternative of each group that exists.
 * Packages in `prefer` (the base) are already installed: apt does not revisit their relations.
 */
function closure(roots, withRecommends, prefer) {
  const seen = new Set();
  const stack = [...roots];
  while (stack.length) {
    const n = resolve(stack.pop(), prefer);
    if (!n || seen.has(n)) continue;
    seen.add(n);
    if (prefer?.has(n)) continue;
    const p = pkgs.get(n);
    const groups = withRecommends ? [...p.depends, ...p.recommends] : p.depends;
    for (const g of groups) {
      const pick = g.find((alt) => resolve(alt, prefer) !== undefined);
      if (pick) stack.push(pick);
    }
  }
  return seen;
}

const required = [...pkgs.values()].filter((p) => p.priority === 'required').map((p) => p.name);
const base = closure([...required, ...PYTHON_SLIM_ADDS], false);

// --- Which packages go in the table ---------------------------------------------------------------
const wanted = new Set(COMMON);
if (corpusDir) for (const n of corpusAptNames(corpusDir)) wanted.add(n);

/**
 * Candidate names from the corpus: the words after `apt-get install` / `apt install` up to the
 * next shell operator. A coarse scan is enough: only names that exist in bookworm are kept.
 */
function corpusAptNames(dir) {
  const manifest = readFileSync(join(dir, 'manifest.tsv'), 'utf8').split('\n').slice(1);
  const names = new Set();
  for (const row of manifest) {
    const cols = row.split('\t');
    if (cols[5] !== 'dockerfile' || !cols[4] || !existsSync(join(dir, cols[4]))) continue;
    const src = readFileSync(join(dir, cols[4]), 'utf8').replace(/\\\r?\n(\s*#[^\n]*\n)*/g, ' ');
    for (const m of src.matchAll(/\bapt(?:-get)?\s+(?:-\S+\s+)*install\b([^&|;\n]*)/g)) {
      const words = m[1].split(/\s+/);
      for (let i = 0; i < words.length; i++) {
        const w = words[i].replace(/^["']|["']$/g, '');
        if (w === '-o' || w === '-t') i++;
        if (!w || w.startsWith('-')) continue;
        const n = w.replace(/[=:].*$/, '');
        if (/^[a-z0-9][a-z0-9+.-]+$/.test(n) && pkgs.has(n)) names.add(n);
      }
    }
  }
  return names;
}

// --- Sizes --------------------------------------------------------------------------------------
const sum = (set) => [...set].reduce((s, n) => s + pkgs.get(n).size, 0);
/** Dependencies this big are listed by name, so that a sum over several packages counts each once. */
const HEAVY = 1_000_000;
const packages = {};
const recommends = {};
const heavy = new Map();
const parts = {};
const recommendParts = {};
const missing = [];
const heavyOf = (set) => [...set].filter((n) => pkgs.get(n).size >= HEAVY).sort();
for (const name of [...wanted].sort()) {
  if (!pkgs.has(name)) {
    missing.push(name);
    continue;
  }
  const own = new Set([...closure([name], false, base)].filter((n) => !base.has(n)));
  const withRec = new Set([...closure([name], true, base)].filter((n) => !base.has(n) && !own.has(n)));
  packages[name] = sum(own);
  recommends[name] = sum(withRec);
  for (const [set, table] of [[own, parts], [withRec, recommendParts]]) {
    const big = heavyOf(set);
    if (big.length) table[name] = big;
    for (const n of big) heavy.set(n, pkgs.get(n).size);
  }
}

const heavyList = [...heavy].sort(([a], [b]) => (a < b ? -1 : 1));
const heavyIndex = new Map(heavyList.map(([n], i) => [n, i]));
const indexed = (table) => Object.fromEntries(Object.entries(table).map(([k, names]) => [k, names.map((n) => heavyIndex.get(n))]));

const out = {
  source: `Debian bookworm amd64 Packages metadata (main, release of ${releaseDay}): Installed-Size of the package and its Depends/Pre-Depends closure without Recommends, minus the python:3.x-slim base (Priority: required packages and the python image's runtime libraries).`,
  packages,
  recommends,
  // Heavy dependencies as [name, bytes]; parts refer to them by index to keep the table small.
  heavy: heavyList,
  parts: indexed(parts),
  recommendParts: indexed(recommendParts),
};
// One entry per line, index lists on one line: readable diffs, small file.
writeFileSync(outFile, JSON.stringify(out, null, 1).replace(/\[\s+([^\[\]{}]*?)\s+\]/g, (_, inner) => `[${inner.replace(/\s+/g, '')}]`) + '\n');
console.log(`${Object.keys(packages).length} packages written to ${outFile} (base: ${base.size} packages; not in bookworm: ${missing.join(' ') || 'none'})`);
