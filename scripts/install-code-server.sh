#!/usr/bin/env bash
# Installs code-server 4.100.3 (the last release for Node 20) from the npm registry only, into
# ${SLIMDOCK_CACHE:-$HOME/.cache/slimdock}/code-server-4.100.3, outside the repository.
#
# code-server's own postinstall downloads prebuilt binaries from GitHub (argon2, @vscode/ripgrep,
# node headers), which this machine cannot reach, so we install with --ignore-scripts and redo
# its postinstall.sh by hand: native modules are built from source against the local Node headers,
# and @vscode/ripgrep gets Debian's `rg`. Needs the packages of scripts/install-test-deps.sh.
#
# Idempotent: a stamp file marks a complete install; a second run only verifies (a few seconds).
# Verification starts code-server on 127.0.0.1 with --auth none, polls until it answers, and loads
# the page in Chromium. Prints the path of the code-server executable on stdout (last line).
set -euo pipefail

version=4.100.3
cache="${SLIMDOCK_CACHE:-$HOME/.cache/slimdock}"
prefix="$cache/code-server-$version"
pkg="$prefix/node_modules/code-server"
bin="$pkg/out/node/entry.js"
stamp="$prefix/.slimdock-installed"

log() { echo "install-code-server: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for tool in node npm rg make g++ python3 pkg-config; do
  command -v "$tool" >/dev/null || die "'$tool' is missing: run scripts/install-test-deps.sh"
done
[[ $(node -p 'process.versions.node.split(".")[0]') == 20 ]] || die "code-server $version needs Node 20, found $(node -v)"

# node-gyp would download the Node headers; use the ones installed with Node instead.
node_root="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
[[ -f "$node_root/include/node/node.h" ]] || die "Node headers not found under $node_root/include/node"
export npm_config_nodedir="$node_root"
export npm_config_build_from_source=true # node-pre-gyp (argon2): never try a download
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
export npm_config_yes=true
node_gyp="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
[[ -f "$node_gyp" ]] || die "node-gyp not found next to npm ($node_gyp)"

# Installs one of VS Code's package folders (lib/vscode, lib/vscode/extensions) like postinstall.sh.
install_vscode_dir() {
  local dir="$1"
  log "npm install in ${dir#"$prefix/"}"
  (cd "$dir" && npm install --omit=dev --ignore-scripts --no-save </dev/null)
  # Rebuild every native module from source (each one is a folder with a binding.gyp).
  local gyp
  while IFS= read -r gyp; do
    local mod
    mod="$(dirname "$gyp")"
    log "node-gyp rebuild ${mod#"$dir/"}"
    (cd "$mod" && node "$node_gyp" rebuild --nodedir="$node_root" </dev/null >"$mod/.slimdock-build.log" 2>&1) ||
      { cat "$mod/.slimdock-build.log" >&2; die "native build failed in $mod"; }
  done < <(find "$dir/node_modules" -name binding.gyp | sort)
}

install() {
  log "installing code-server@$version into $prefix"
  mkdir -p "$prefix"
  npm install --prefix "$prefix" "code-server@$version" --ignore-scripts --no-save </dev/null
  [[ -f "$bin" ]] || die "npm did not install $bin"

  log "npm rebuild argon2 (from source)"
  (cd "$prefix" && npm rebuild argon2 --build-from-source </dev/null)
  [[ -n "$(find "$prefix/node_modules/argon2/lib/binding" -name argon2.node 2>/dev/null)" ]] || die "argon2 was not built"

  local vscode="$pkg/lib/vscode"
  install_vscode_dir "$vscode"
  # @vscode/ripgrep's own postinstall downloads rg from GitHub: ship Debian's.
  mkdir -p "$vscode/node_modules/@vscode/ripgrep/bin"
  cp "$(command -v rg)" "$vscode/node_modules/@vscode/ripgrep/bin/rg"
  # VS Code looks for some files (ripgrep, oniguruma wasm) under node_modules.asar.
  rm -rf "$vscode/node_modules.asar"
  ln -s node_modules "$vscode/node_modules.asar"
  # The same helper-script links postinstall.sh makes (used by the integrated terminal).
  ln -sfn code-linux.sh "$vscode/bin/remote-cli/code-server"
  ln -sfn browser-linux.sh "$vscode/bin/helpers/browser.sh"

  install_vscode_dir "$vscode/extensions"
  # Its own postinstall only trims the shared TypeScript (local files, no download).
  (cd "$vscode/extensions" && node ./postinstall.mjs >/dev/null)
  date -u +%FT%TZ >"$stamp"
}

# Starts code-server on a free loopback port, polls until it answers, loads the page in Chromium.
verify() {
  log "verifying: starting code-server and loading it in Chromium"
  node - "$bin" <<'EOF'
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const bin = process.argv[2];

const freePort = () => new Promise((resolve, reject) => {
  const srv = net.createServer().once('error', reject);
  srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
});
// Calls fn until it returns a truthy value; gives up on timeout or as soon as dead() says why.
const poll = async (what, fn, timeoutMs, dead) => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const why = dead();
    if (why) throw new Error(`${why} while waiting for ${what}`);
    try { const v = await fn(); if (v) return v; } catch { /* not answering yet */ }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

(async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slimdock-cs-verify-'));
  const port = await freePort();
  let out = '';
  const cs = spawn(process.execPath, [bin, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--user-data-dir', path.join(tmp, 'data'), '--extensions-dir', path.join(tmp, 'ext'), tmp],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  cs.stdout.on('data', (d) => { out += d; });
  cs.stderr.on('data', (d) => { out += d; });
  let browser;
  try {
    const url = `http://127.0.0.1:${port}/`;
    const t0 = Date.now();
    await poll('code-server to answer', async () => (await fetch(url)).ok, 60000,
      () => cs.exitCode !== null && `code-server exited with code ${cs.exitCode}`).catch((e) => { throw new Error(`${e.message}\n--- code-server output ---\n${out}`); });
    console.error(`install-code-server: code-server answered after ${Date.now() - t0} ms`);
    const { chromium } = require(require.resolve('playwright-core', { paths: [process.cwd(), __dirname] }));
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'] });
    const page = await browser.newPage();
    await page.goto(`${url}?folder=${encodeURIComponent(tmp)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await page.locator('.statusbar').waitFor({ timeout: 60000 });
    console.error('install-code-server: Chromium shows the VS Code workbench');
  } finally {
    await browser?.close();
    cs.kill('SIGTERM');
    fs.rmSync(tmp, { recursive: true, force: true });
  }
})().catch((e) => { console.error(`install-code-server: ERROR: ${e.stack || e}`); process.exit(1); });
EOF
}

if [[ -f "$stamp" && -f "$bin" ]]; then
  log "already installed ($(cat "$stamp")): $prefix"
else
  install
fi
# playwright-core comes from the repository's devDependencies.
(cd "$(dirname "${BASH_SOURCE[0]}")/.." && verify)
# The executable (entry.js has a node shebang; npm also links it as $prefix/node_modules/.bin/code-server).
chmod +x "$bin"
echo "$bin"
