// A reader that closes the pipe early (`slimdock check … | head -1`): the CLI stops writing and
// exits without a stack trace.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { CLI, REPO, requireBundle } from './spawn';

describe('CLI output into a pipe closed early', function () {
  this.timeout(60_000);
  before(requireBundle);

  for (const args of [['optimize', path.join(REPO, 'examples', 'bloated-app', 'Dockerfile'), '--diff'], ['check', path.join(REPO, 'examples'), '--fail-on', 'none', '--format', 'json']]) {
    it(`slimdock ${args[0]} exits quietly`, async () => {
      const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      // Close our end before the CLI writes, as a reader that has had enough would.
      child.stdout.destroy();
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      assert.doesNotMatch(stderr, /EPIPE|Unhandled 'error' event|internal error/, stderr);
      assert.equal(code, 0, stderr);
    });
  }
});
