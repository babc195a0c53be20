// `slimdock check --fix` end to end (dist/cli.js): safe fixes written, rounds until nothing
// changes, other files (.dockerignore), CRLF kept, the summary line, the remaining findings and
// their exit code, machine formats kept parseable, and a second run that changes nothing.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixAll } from '../../server/src/engine/fixes';
import { check } from '../helpers';
import { fixture, requireBundle, slimdock, type JsonFinding } from './spawn';

/** SD101 ×2 (pip cache), SD201 (apt lists) and SD202 (recommends): all with safe fixes. */
const BLOATED = ['FROM python:3.12-slim', 'RUN apt-get update && apt-get install -y curl', 'RUN pip install flask==3.0.3', 'RUN pip install requests==2.32.3', ''].join('\n');
/** SD201 and SD109 both append to the end of the same RUN: one fix per round. */
const SAME_SPOT = 'FROM continuumio/miniconda3:24.1.2-0\nRUN apt-get update && apt-get install -y --no-install-recommends curl && conda install -y numpy=1.26.4\n';

const folders: string[] = [];
function tmp(files: Record<string, string>): string {
  const dir = fixture({ '.git/HEAD': 'ref: refs/heads/main\n', ...files });
  folders.push(dir);
  return dir;
}
const read = (dir: string, name: string) => fs.readFileSync(path.join(dir, name), 'utf8');

describe('CLI check --fix', function () {
  this.timeout(60_000);
  before(requireBundle);
  after(() => {
    for (const d of folders) fs.rmSync(d, { recursive: true, force: true });
  });

  it('writes the safe fixes, says what it fixed, then reports what is left with its exit code', () => {
    const dir = tmp({ Dockerfile: BLOATED });
    const r = slimdock(['check', '--fix'], { cwd: dir });
    const [summary] = r.stdout.split('\n');
    assert.match(summary, /^Fixed (\d+) findings in Dockerfile: (.*)$/);
    assert.match(summary, /SD101 ×2/);
    assert.match(summary, /SD201/);
    assert.match(summary, /SD202/);
    assert.equal(
      read(dir, 'Dockerfile'),
      [
        'FROM python:3.12-slim',
        'RUN apt-get update && apt-get install --no-install-recommends -y ca-certificates curl && rm -rf /var/lib/apt/lists/*',
        'RUN pip install --no-cache-dir flask==3.0.3',
        'RUN pip install --no-cache-dir requests==2.32.3',
        '',
      ].join('\n'),
    );
    // The report after the summary is the one a plain check of the fixed file gives.
    const plain = slimdock(['check'], { cwd: dir });
    assert.equal(r.stdout.slice(summary.length + 1), plain.stdout);
    assert.equal(r.code, plain.code);
  });

  it('runs rounds: fixes that touch the same spot go in one after the other', () => {
    // One fix-all pass takes only one of the two…
    assert.equal(fixAll(check(SAME_SPOT)).applied.length, 1);
    // …the CLI takes both.
    const dir = tmp({ Dockerfile: SAME_SPOT });
    const r = slimdock(['check', '--fix', '--fail-on', 'none'], { cwd: dir });
    assert.match(r.stdout, /^Fixed 2 findings in Dockerfile: SD109, SD201\n/);
    assert.match(read(dir, 'Dockerfile'), /conda install -y numpy=1\.26\.4 && (rm -rf \/var\/lib\/apt\/lists\/\* && conda clean --all --yes|conda clean --all --yes && rm -rf \/var\/lib\/apt\/lists\/\*)\n$/);
  });

  it('creates .dockerignore when a fix needs it, and keeps a CRLF Dockerfile CRLF', () => {
    const text = 'FROM python:3.12-slim\r\nWORKDIR /app\r\nCOPY . .\r\nRUN pip install -r requirements.txt\r\n';
    const dir = tmp({ Dockerfile: text, 'requirements.txt': 'flask==3.0.3\n', '.venv/pyvenv.cfg': 'home = /usr/bin\n' });
    const r = slimdock(['check', '--fix', '--fail-on', 'none'], { cwd: dir });
    assert.match(r.stdout, /^Fixed \d+ findings? in Dockerfile: .*SD101.* \(also wrote \.dockerignore\)\n/);
    assert.match(read(dir, '.dockerignore'), /^\.venv$/m);
    const fixed = read(dir, 'Dockerfile');
    assert.match(fixed, /RUN pip install --no-cache-dir -r requirements\.txt\r\n/);
    assert.ok(!/[^\r]\n/.test(fixed), `bare LF in:\n${JSON.stringify(fixed)}`);
  });

  it('with --format json the summary goes to stderr and stdout stays JSON, with nothing safely fixable left', () => {
    const dir = tmp({ Dockerfile: BLOATED });
    const r = slimdock(['check', '--fix', '--format', 'json', '--fail-on', 'none'], { cwd: dir });
    assert.match(r.stderr, /^Fixed 4 findings in Dockerfile/);
    const left = JSON.parse(r.stdout) as JsonFinding[];
    assert.deepEqual(left.filter((f) => f.fixable).map((f) => f.rule), []);
    assert.equal(r.code, 0);
  });

  it('a second run changes nothing and says nothing about fixing', () => {
    const dir = tmp({ Dockerfile: BLOATED });
    slimdock(['check', '--fix'], { cwd: dir });
    const once = read(dir, 'Dockerfile');
    const r = slimdock(['check', '--fix', '--fail-on', 'none'], { cwd: dir });
    assert.equal(read(dir, 'Dockerfile'), once);
    assert.doesNotMatch(r.stdout, /Fixed/);
  });

  it('leaves a file without safe fixes alone, byte for byte', () => {
    const text = 'FROM python:3.12\nCOPY app.py /app/\nCMD ["python", "/app/app.py"]\n';
    const dir = tmp({ Dockerfile: text, 'app.py': 'print(1)\n' });
    const r = slimdock(['check', '--fix', '--fail-on', 'none'], { cwd: dir });
    assert.equal(read(dir, 'Dockerfile'), text);
    assert.doesNotMatch(r.stdout, /Fixed/);
  });
});
