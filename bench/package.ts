// Package size: the .vsix of a production build, and the peers' npm packages (npm's
// `dist.unpackedSize` where the registry publishes it; the installed folder's size otherwise).
// The production build goes to a staging folder, so the working tree's dist/ (a development build
// other tools use) is left alone. Prints one JSON object.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { REPO, round } from './lib';

const PEERS = ['dockerfile-utils', 'dockerfilelint', 'dockerfile-ast', 'dockerfile-language-server-nodejs'];

function folderBytes(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += folderBytes(p);
    else if (e.isFile()) total += fs.statSync(p).size;
  }
  return total;
}

function npmUnpackedSize(pkg: string, version: string): number | null {
  const r = spawnSync('npm', ['view', `${pkg}@${version}`, 'dist.unpackedSize'], { encoding: 'utf8', timeout: 30_000 });
  const n = Number(r.stdout?.trim());
  return r.status === 0 && r.stdout.trim() && Number.isFinite(n) ? n : null;
}

function main(): void {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'slimdock-vsix-'));
  try {
    // What .vscodeignore lets into the package, plus the sources to build from (links).
    for (const f of ['package.json', 'README.md', 'LICENSE', '.vscodeignore', 'esbuild.mjs']) if (fs.existsSync(path.join(REPO, f))) fs.copyFileSync(path.join(REPO, f), path.join(stage, f));
    for (const d of ['syntaxes', 'docs', 'images']) if (fs.existsSync(path.join(REPO, d))) fs.cpSync(path.join(REPO, d), path.join(stage, d), { recursive: true });
    for (const d of ['client', 'server', 'node_modules']) fs.symlinkSync(path.join(REPO, d), path.join(stage, d));
    execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: stage, stdio: 'inherit' });
    const vsix = path.join(stage, 'slimdock.vsix');
    execFileSync(path.join(REPO, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '-o', vsix], { cwd: stage, stdio: ['ignore', 'ignore', 'inherit'] });
    const dist = Object.fromEntries(fs.readdirSync(path.join(stage, 'dist')).map((f) => [f, fs.statSync(path.join(stage, 'dist', f)).size]));
    const peers = PEERS.map((pkg) => {
      const dir = path.join(REPO, 'node_modules', pkg);
      const version = (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
      return { pkg, version, npmUnpackedBytes: npmUnpackedSize(pkg, version), installedBytes: folderBytes(dir) };
    });
    process.stdout.write(JSON.stringify({ vsixBytes: fs.statSync(vsix).size, vsixMB: round(fs.statSync(vsix).size / 1024 / 1024, 3), distBytes: dist, peers }));
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

main();
