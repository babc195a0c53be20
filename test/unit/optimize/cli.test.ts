// `slimdock optimize` as a function: prints, diffs, writes; usage and I/O errors exit 2.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runOptimize } from '../../../server/src/cli/optimize';

const DOCKERFILE = 'FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n';

function project(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'slimdock-optimize-')));
  fs.mkdirSync(path.join(dir, '.git'));
  fs.writeFileSync(path.join(dir, 'Dockerfile'), DOCKERFILE);
  fs.writeFileSync(path.join(dir, 'requirements.txt'), 'flask==3.0.3\n');
  fs.writeFileSync(path.join(dir, 'app.py'), 'print(1)\n');
  return dir;
}

async function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runOptimize(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}

describe('slimdock optimize (CLI)', () => {
  let dir: string;
  beforeEach(() => (dir = project()));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints the new file and the estimate, writes nothing', async () => {
    const r = await cli(['Dockerfile', '--uv-version', '0.12.5'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^FROM python:3\.12 AS builder\n/);
    assert.match(r.stdout, /^FROM python:3\.12-slim$/m);
    assert.match(r.stderr, /estimated image size ≈ 1 GB → ≈ 150 MB/);
    assert.match(r.stderr, /\.dockerignore needs: \*\*\/\.venv \.git \*\*\/__pycache__ \*\*\/\*\.pyc/);
    assert.equal(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), DOCKERFILE);
    assert.ok(!fs.existsSync(path.join(dir, '.dockerignore')));
  });

  it('says the estimate is not known when slimdock has no figure for the base (never "size unknown → size unknown")', async () => {
    fs.writeFileSync(path.join(dir, 'Dockerfile'), DOCKERFILE.replace('python:3.12', 'myorg/python-base:1.0'));
    const r = await cli(['Dockerfile'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /pip install --no-cache-dir -r requirements\.txt/);
    assert.match(r.stderr, /^slimdock: estimated image size: not known \(slimdock's table has no figure for the base image\)$/m);
    assert.doesNotMatch(r.stderr, /size unknown →/);
  });

  it('--diff prints unified diffs of the Dockerfile and the new .dockerignore', async () => {
    const r = await cli(['--diff', 'Dockerfile'], dir);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^--- a\/Dockerfile\n\+\+\+ b\/Dockerfile\n@@ /);
    assert.match(r.stdout, /^-RUN pip install -r requirements\.txt$/m);
    assert.match(r.stdout, /^--- \/dev\/null\n\+\+\+ b\/\.dockerignore\n@@ -0,0 \+1,5 @@$/m);
  });

  it('--write writes the Dockerfile and the .dockerignore; a second run changes nothing', async () => {
    const r = await cli(['--write', '--mode', 'system', path.join(dir, 'Dockerfile')], dir);
    assert.equal(r.code, 0, r.stderr);
    const written = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    // python:3.12 is a full image: its compilers build the wheels in a builder, the slim final stage installs them.
    assert.match(written, /^FROM python:3\.12 AS builder\n/);
    assert.match(written, /uv pip install --system --no-index --find-links \/wheels -r requirements\.txt/);
    assert.match(fs.readFileSync(path.join(dir, '.dockerignore'), 'utf8'), /^\*\*\/\.venv$/m);
    const again = await cli(['--write', '--mode', 'system', 'Dockerfile'], dir);
    assert.equal(again.code, 0);
    assert.match(again.stderr, /unchanged: nothing to optimize/);
    assert.equal(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), written);
  });

  const usage: [string, string[], RegExp][] = [
    ['no file', [], /missing the Dockerfile/],
    ['two files', ['a', 'b'], /one Dockerfile/],
    ['a bad mode', ['--mode', 'conda', 'Dockerfile'], /--mode must be venv or system/],
    ['--write with --diff', ['--write', '--diff', 'Dockerfile'], /exclude each other/],
    ['an unknown option', ['--frmat', 'Dockerfile'], /Unknown option '--frmat'/],
    ['a bad uv version', ['--uv-version', 'x y', 'Dockerfile'], /must be an image tag/],
  ];
  for (const [name, args, message] of usage) {
    it(`exits 2 on ${name}`, async () => {
      const r = await cli(args, dir);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    });
  }

  it('exits 2 when the file does not exist or is a folder', async () => {
    assert.equal((await cli(['missing.Dockerfile'], dir)).code, 2);
    const r = await cli(['.'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not a file/);
  });

  it('--help prints the usage', async () => {
    const r = await cli(['--help'], dir);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: slimdock optimize <Dockerfile>/);
  });
});
