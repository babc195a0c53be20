// Workspace safety (SPEC §7): the server reads only inside the workspace, runs nothing, fetches
// nothing, and skips files over 1 MB with a notice. The workspace tries to lead it out: `COPY
// ../../etc`, a COPY through a folder symlinked outside, a symlink to /etc/passwd, a
// `.dockerignore` symlinked outside. Checked in-process (spies on node:fs, child_process, net,
// http(s), fetch) and on the bundled server (the same spies preloaded, reporting on stderr), and
// through the findings: an outside read would change them, and the test shows that it would.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkDockerfile, MemoryFileSystem, MAX_FILE_BYTES, type Finding } from '../../server/src/engine';
import { optimize } from '../../server/src/engine/optimize';
import { checkPyproject, checkRequirements } from '../../server/src/engine/project';
import { fileSystemFor } from '../../server/src/lsp/files';
import { LoadClient, SERVER } from './load-harness';

const SPY = path.resolve(__dirname, '../fixtures/robustness/spy-preload.cjs');

const DOCKERFILE = [
  'FROM python:3.12-slim', // 1
  'WORKDIR /app',
  'COPY ../../etc /x', // 3: outside the context
  'COPY linked/pyproject.toml linked/uv.lock /app/', // 4: through a folder symlinked outside
  'RUN uv sync --locked',
  'COPY ../../outside/requirements.txt /srv/', // 6: outside the workspace by ..
  'RUN pip install --no-cache-dir -r /srv/requirements.txt',
  'COPY passwd /etc/passwd-copy', // 8: a symlink to /etc/passwd
  'COPY . .', // 9: whole context; the .dockerignore is a symlink outside
  '',
].join('\n');
const PYPROJECT = '[project]\nname = "outside"\nversion = "0"\ndependencies = ["torch"]\n[dependency-groups]\ndev = ["pytest", "mypy"]\n';

interface Layout {
  base: string;
  ws: string;
  outside: string;
  dockerfile: string;
}

/** base/ws is the workspace; base/outside holds what must never be read. */
function makeLayout(): Layout {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'slimdock-safety-')));
  const ws = path.join(base, 'ws');
  const outside = path.join(base, 'outside');
  const put = (p: string, text: string) => {
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  };
  put(path.join(outside, 'pyproject.toml'), PYPROJECT);
  put(path.join(outside, 'uv.lock'), 'version = 1\n');
  put(path.join(outside, 'requirements.txt'), 'torch\npytest\n');
  put(path.join(outside, 'dockerignore'), '.venv\n.git\n**/__pycache__\n');
  put(path.join(ws, 'app/Dockerfile'), DOCKERFILE);
  put(path.join(ws, 'app/app.py'), 'print(1)\n');
  put(path.join(ws, 'app/.venv/bin/python'), '');
  put(path.join(ws, 'app/.git/HEAD'), 'ref: refs/heads/main\n');
  fs.symlinkSync(outside, path.join(ws, 'app/linked'));
  fs.symlinkSync('/etc/passwd', path.join(ws, 'app/passwd'));
  fs.symlinkSync(path.join(outside, 'dockerignore'), path.join(ws, 'app/.dockerignore'));
  put(path.join(ws, 'big/Dockerfile'), 'FROM python:3.12\nRUN pip install flask\n' + `# ${'x'.repeat(100)}\n`.repeat(Math.ceil(MAX_FILE_BYTES / 100)));
  return { base, ws, outside, dockerfile: path.join(ws, 'app/Dockerfile') };
}

const summary = (fs_: { rule: string; line: number }[]) => fs_.map((f) => `${f.rule}@${f.line + 1}`).sort();
const ofFindings = (findings: Finding[]) => summary(findings.map((f) => ({ rule: f.rule, line: f.range.start.line })));

/** Calls `fn` with `mod[name]` replaced by a recorder of its first argument; restores it. */
function spying<T>(targets: [object, string, string][], fn: () => T): { result: T; calls: { what: string; arg: unknown }[] } {
  const calls: { what: string; arg: unknown }[] = [];
  const saved = targets.map(([mod, name]) => (mod as Record<string, unknown>)[name]);
  targets.forEach(([mod, name, what], i) => {
    const original = saved[i] as (...a: unknown[]) => unknown;
    if (typeof original !== 'function') return;
    (mod as Record<string, unknown>)[name] = function (this: unknown, ...args: unknown[]) {
      calls.push({ what, arg: args[0] });
      return original.apply(this, args);
    };
  });
  try {
    return { result: fn(), calls };
  } finally {
    targets.forEach(([mod, name], i) => ((mod as Record<string, unknown>)[name] = saved[i]));
  }
}

// The modules themselves (an `import * as` namespace is read-only): what the engine's imports read through.
/* eslint-disable @typescript-eslint/no-require-imports */
const fsModule = require('node:fs') as typeof import('node:fs');
const childProcess = require('node:child_process') as typeof import('node:child_process');
const net = require('node:net') as typeof import('node:net');
const http = require('node:http') as typeof import('node:http');
const https = require('node:https') as typeof import('node:https');
/* eslint-enable @typescript-eslint/no-require-imports */

const READS: [object, string, string][] = ['readFileSync', 'readdirSync', 'openSync', 'opendirSync', 'readFile', 'readdir', 'createReadStream'].map((f) => [fsModule, f, `fs.${f}`]);
const EFFECTS: [object, string, string][] = [
  ...['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'].map((f): [object, string, string] => [childProcess, f, `child_process.${f}`]),
  [net, 'connect', 'net.connect'],
  [net, 'createConnection', 'net.createConnection'],
  [net.Socket.prototype, 'connect', 'net.Socket.connect'],
  [http, 'request', 'http.request'],
  [http, 'get', 'http.get'],
  [https, 'request', 'https.request'],
  [https, 'get', 'https.get'],
  [globalThis, 'fetch', 'fetch'],
];

function isInside(p: string, root: string): boolean {
  let real = p;
  try {
    real = fs.realpathSync(p);
  } catch {
    // a path that does not exist was not read either
  }
  return real === root || real.startsWith(root + '/');
}

describe('workspace safety', function () {
  this.timeout(60_000);
  let layout: Layout;
  const clients: LoadClient[] = [];

  before(() => {
    layout = makeLayout();
  });

  after(async () => {
    for (const c of clients) await c.stop();
    if (layout) fs.rmSync(layout.base, { recursive: true, force: true });
  });

  /** The check as the server runs it: the disk confined to the workspace folder. */
  const confined = () => checkDockerfile({ file: layout.dockerfile, text: DOCKERFILE, fs: fileSystemFor(`file://${layout.dockerfile}`, layout.ws, []), root: layout.ws }).findings;

  it('an outside read would show in the findings (the canary works)', () => {
    // The same files, as if the symlinks and `..` were followed out of the workspace.
    const leaky = new MemoryFileSystem({
      [layout.dockerfile]: DOCKERFILE,
      [path.join(layout.ws, 'app/app.py')]: 'print(1)\n',
      [path.join(layout.ws, 'app/.venv/bin/python')]: '',
      [path.join(layout.ws, 'app/.git/HEAD')]: '',
      [path.join(layout.ws, 'app/linked/pyproject.toml')]: PYPROJECT,
      [path.join(layout.ws, 'app/linked/uv.lock')]: 'version = 1\n',
      [path.join(layout.ws, 'app/passwd')]: fs.readFileSync('/etc/passwd', 'utf8'),
      [path.join(layout.ws, 'app/.dockerignore')]: fs.readFileSync(path.join(layout.outside, 'dockerignore'), 'utf8'),
      [path.join(layout.base, 'outside/requirements.txt')]: 'torch\npytest\n',
    });
    const leaked = ofFindings(checkDockerfile({ file: layout.dockerfile, text: DOCKERFILE, fs: leaky, root: layout.ws }).findings);
    const safe = ofFindings(confined());
    assert.notDeepEqual(leaked, safe, 'reading outside would not change the findings: the canary is blind');
    // What the confined check says because it cannot see outside: the linked files are missing
    // (the build would fail), and without the ignore file the whole-context COPY brings .venv/.git.
    assert.ok(safe.includes('SD508@4') && !leaked.includes('SD508@4'), `SD508 on line 4: ${safe} vs ${leaked}`);
    assert.ok(safe.includes('SD402@9') && !leaked.includes('SD402@9'), `SD402 on line 9: ${safe} vs ${leaked}`);
  });

  it('in-process: every read stays inside the workspace; nothing is run or fetched', () => {
    const { calls } = spying([...READS, ...EFFECTS], () => {
      confined();
      optimize({ file: layout.dockerfile, text: DOCKERFILE, fs: fileSystemFor(`file://${layout.dockerfile}`, layout.ws, []), root: layout.ws });
      const pyFs = fileSystemFor(`file://${layout.ws}/app/linked/pyproject.toml`, layout.ws, []);
      checkPyproject({ file: path.join(layout.ws, 'app/linked/pyproject.toml'), text: PYPROJECT, fs: pyFs, root: layout.ws });
      checkRequirements({ file: path.join(layout.ws, 'app/requirements.txt'), text: '-r ../../outside/requirements.txt\n-r linked/requirements.txt\n-c /etc/passwd\n', fs: pyFs, root: layout.ws });
    });
    const reads = calls.filter((c) => c.what.startsWith('fs.'));
    assert.ok(reads.length > 0, 'the spy saw no read at all: it is not wired');
    assert.deepEqual(reads.filter((c) => !isInside(String(c.arg), layout.ws)), [], 'reads outside the workspace');
    assert.deepEqual(calls.filter((c) => !c.what.startsWith('fs.')), [], 'processes started or connections opened');
  });

  it('the bundled server: the confined findings, no outside read, no process, no connection', async () => {
    const client = new LoadClient(layout.ws, ['--require', SPY]);
    clients.push(client);
    await client.initialize();
    const uri = client.uri('app/Dockerfile');
    await client.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text: DOCKERFILE } });
    await client.until(() => client.latest.get(uri)?.version === 1, () => 'diagnostics', 20_000);
    const got = summary(client.latest.get(uri)!.diagnostics.map((d) => ({ rule: String(d.code), line: d.range.start.line })));
    assert.deepEqual(got, ofFindings(confined()), 'the server\'s findings differ from the confined check\'s');

    const spied = [...client.stderr.matchAll(/^SLIMDOCK-SPY (\S+) (.*)$/gm)].map((m) => ({ what: m[1], arg: m[2] }));
    assert.ok(spied.some((s) => s.what.startsWith('fs.') && s.arg.startsWith(layout.ws)), `the spy saw no workspace read: ${client.stderr.slice(0, 500)}`);
    const dist = path.dirname(SERVER);
    // The server's own bundle and wasm files are the only reads allowed outside the workspace.
    const outside = spied.filter((s) => s.what.startsWith('fs.') && !isInside(s.arg, layout.ws) && !isInside(s.arg, fs.realpathSync(dist)));
    assert.deepEqual(outside, [], 'the server read outside the workspace');
    assert.deepEqual(spied.filter((s) => !s.what.startsWith('fs.')), [], 'the server started a process or opened a connection');
  });

  it('a Dockerfile over 1 MB: the "skipped" notice and no other finding (in-process and server)', async () => {
    const file = path.join(layout.ws, 'big/Dockerfile');
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(text.length > MAX_FILE_BYTES);
    const local = checkDockerfile({ file, text, fs: fileSystemFor(`file://${file}`, layout.ws, []), root: layout.ws }).findings;
    assert.deepEqual(local.map((f) => f.rule), ['SD000']);
    assert.match(local[0].message, /over 1 MB.*skipped/);

    const client = new LoadClient(layout.ws);
    clients.push(client);
    await client.initialize();
    const uri = client.uri('big/Dockerfile');
    await client.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
    await client.until(() => client.latest.get(uri)?.version === 1, () => 'diagnostics', 20_000);
    const diags = client.latest.get(uri)!.diagnostics;
    assert.deepEqual(diags.map((d) => d.code), ['SD000']);
    assert.match(diags[0].message, /over 1 MB.*skipped/);
  });

  it('the bundle loads child_process and net only inside vscode-languageserver/vscode-jsonrpc code', () => {
    const bundle = fs.readFileSync(SERVER, 'utf8');
    // esbuild marks each module's code with a `// <path>` comment line: find the module of each require.
    const marks = [...bundle.matchAll(/^\/\/ ((?:node_modules|server)\/\S+)$/gm)].map((m) => ({ at: m.index!, module: m[1] }));
    const moduleAt = (i: number) => marks.filter((m) => m.at < i).pop()?.module ?? '(bundle preamble)';
    const risky = [...bundle.matchAll(/require\("(?:node:)?(child_process|net|http|https|http2|tls|dgram|dns)"\)/g)].map((m) => `${m[1]} in ${moduleAt(m.index!)}`);
    const allowed = new Set(['child_process in node_modules/vscode-languageserver/lib/node/files.js', 'net in node_modules/vscode-jsonrpc/lib/node/main.js']);
    assert.deepEqual(risky.filter((r) => !allowed.has(r)), [], 'network or process modules required outside the LSP libraries');
    assert.ok(!/server\/src\//.test(risky.join('\n')));
  });
});
