// Neovim (Debian's 0.7.2, headless) as a real LSP client of `node dist/server.js --stdio`: its
// built-in client starts the server, attaches to the fixture Dockerfile and receives diagnostics,
// which must be exactly the findings the bundled CLI reports for the same file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIST, INSTALL_HINT, cliFindings, copyFixture, execFileP, keys } from './helpers';

const NVIM = process.env.SLIMDOCK_NVIM ?? 'nvim';
const SCRIPT = path.join(__dirname, 'nvim-diagnostics.lua');
const WAIT_MS = 15_000;

interface LspDiagnostic {
  range: { start: { line: number; character: number } };
  code?: string;
  source?: string;
  message: string;
  severity?: number;
}

describe('e2e: Neovim built-in LSP client', function () {
  this.timeout(60_000);
  let workspace: string;

  before(function () {
    try {
      execFileSync(NVIM, ['--version'], { stdio: 'pipe' });
    } catch {
      throw new Error(`Neovim (${NVIM}) is not installed: ${INSTALL_HINT}`);
    }
    if (!fs.existsSync(path.join(DIST, 'server.js'))) throw new Error('dist/server.js is missing: run `npm run build` first');
    workspace = copyFixture('slimdock-nvim-');
  });

  after(() => {
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('publishes the same rules on the same lines as the CLI', async () => {
    const file = path.join(workspace, 'Dockerfile');
    const out = path.join(workspace, 'nvim-diagnostics.json');
    // `-c luafile` rather than `-l`, which Neovim 0.7 does not have. The timeout kills a hung nvim.
    await execFileP(NVIM, ['--headless', '--clean', '-u', 'NONE', '-c', `luafile ${SCRIPT}`], {
      cwd: workspace,
      timeout: WAIT_MS + 20_000,
      env: {
        ...process.env,
        SLIMDOCK_SERVER: path.join(DIST, 'server.js'),
        SLIMDOCK_FILE: file,
        SLIMDOCK_OUT: out,
        SLIMDOCK_TIMEOUT_MS: String(WAIT_MS),
      },
    });
    assert.ok(fs.existsSync(out), 'the Lua script wrote no result');
    const result = JSON.parse(fs.readFileSync(out, 'utf8')) as { ok: boolean; error?: string; diagnostics: LspDiagnostic[] };
    assert.equal(result.error, undefined, `the Lua script failed: ${result.error}`);
    assert.ok(result.ok, `no diagnostics reached Neovim within ${WAIT_MS} ms`);

    const fromNvim = result.diagnostics.map((d) => ({ rule: String(d.code), line: d.range.start.line + 1 }));
    const fromCli = await cliFindings(file);
    assert.ok(fromCli.length >= 3, `the fixture should have several findings, the CLI found ${fromCli.length}`);
    assert.deepEqual(keys(fromNvim), keys(fromCli));
    // The fixture's headline problem, independently of the CLI: pip's cache on line 6.
    assert.ok(keys(fromNvim).includes('SD101@6'), 'SD101 on line 6');
    for (const d of result.diagnostics) assert.equal(d.source, 'slimdock');
  });
});
