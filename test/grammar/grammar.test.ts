// Runs the TextMate scope assertions in test/grammar/cases with vscode-tmgrammar-test, so the
// syntax-highlighting grammars (syntaxes/) are checked by `npm test`.
//
// The grammars come from test/grammar/grammars.json (`--config`), not `-g`: only a
// contributes.grammars entry can carry `injectTo`, and without it the injections never run.
// That file lists our four grammars plus the ones they inject into: VS Code's Dockerfile and
// shell grammars (test/grammar/vendor, see PROVENANCE.md) and a minimal TOML stand-in.
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '../..');
const config = 'test/grammar/grammars.json';
const casesDir = path.join(root, 'test/grammar/cases');
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

/** Same test as the tool's parser: the comment token, then `^` or `<-`. */
const ASSERTION = /^#\s*(\^|<~*-+)/;

function runTool(glob: string): { status: number | null; out: string } {
  const r = spawnSync(npx, ['--no-install', 'vscode-tmgrammar-test', '--config', config, glob], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, FORCE_COLOR: '0' }, // plain output for the matches below
    shell: process.platform === 'win32',
  });
  if (r.error) throw r.error;
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('syntax highlighting grammars (vscode-tmgrammar-test)', function () {
  this.timeout(120_000);

  const cases = fs.readdirSync(casesDir).filter((f) => f.includes('.test.')).sort();

  it('has scope assertions for every case file', () => {
    assert.ok(cases.length >= 6, `expected the grammar case files, found ${cases.join(', ')}`);
    let total = 0;
    for (const file of cases) {
      const n = fs.readFileSync(path.join(casesDir, file), 'utf8').split(/\r?\n/).filter((l) => ASSERTION.test(l)).length;
      assert.ok(n > 0, `${file} has no scope assertions`);
      total += n;
    }
    assert.ok(total > 100, `only ${total} assertions`);
  });

  it('all scope assertions pass', () => {
    const { status, out } = runTool('test/grammar/cases/*.test.*');
    assert.equal(status, 0, out);
    // Every file was actually run (a glob matching nothing would not print these lines).
    for (const file of cases) assert.match(out, new RegExp(`✓ test/grammar/cases/${file.replace(/\./g, '\\.')} run successfuly`), out);
  });

  it('a wrong assertion fails the run (the harness can fail)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slimdock-grammar-'));
    try {
      const file = path.join(dir, 'wrong.test.dockerfile');
      // `pip` in a RUN body is a shell command, never a Dockerfile keyword.
      fs.writeFileSync(file, '# SYNTAX TEST "source.dockerfile"\nRUN pip install x\n#   ^^^ keyword.other.special-method.dockerfile\n');
      const { status, out } = runTool(file);
      assert.notEqual(status, 0, out);
      assert.match(out, /missing required scopes: keyword\.other\.special-method\.dockerfile/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the grammars are valid JSON with the scope names package.json refers to', () => {
    const load = (f: string) => JSON.parse(fs.readFileSync(path.join(root, 'syntaxes', f), 'utf8'));
    const shell = load('dockerfile-shell.injection.json');
    assert.equal(shell.scopeName, 'source.dockerfile.slimdock-shell');
    assert.match(shell.injectionSelector, /^L:source\.dockerfile\b/);
    const body = load('dockerfile-shell-body.injection.json');
    assert.equal(body.scopeName, 'source.dockerfile.slimdock-shell-body');
    assert.match(body.injectionSelector, /^L:meta\.embedded\.block\.shell\.dockerfile\b/);
    const comments = load('slimdock-comments.injection.json');
    assert.equal(comments.scopeName, 'source.slimdock-comments');
    for (const target of ['source.dockerfile', 'source.toml', 'source.pip-requirements']) {
      assert.match(comments.injectionSelector, new RegExp(`L:${target.replace(/\./g, '\\.')}\\b`));
    }
    assert.equal(load('pip-requirements.tmLanguage.json').scopeName, 'source.pip-requirements');
  });
});
