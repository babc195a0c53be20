// Mocha wrapper: runs the in-extension-host suite inside code-server (see run-code-server.ts) and
// fails with the failing tests' errors. Needs `npm run build` first, plus Chromium and code-server
// (scripts/install-test-deps.sh).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './build';
import { report, runInCodeServer, type CodeServerRun } from './run-code-server';
import { recordTimings } from '../e2e/helpers';

describe('extension host: the suite inside code-server', function () {
  this.timeout(300_000);

  it('every in-extension-host test passes', async () => {
    let run: CodeServerRun;
    try {
      run = await runInCodeServer();
    } catch (e) {
      const log = (e as { log?: string }).log;
      if (log) saveLog(log);
      throw e;
    }
    saveLog(run.log);
    const lines: string[] = [];
    const ok = report(run, (l) => lines.push(l));
    for (const n of run.result?.notes ?? []) console.log(`      ${n}`);
    // The start-up figures, for the benchmark report.
    const notes = (run.result?.notes ?? []).join('\n');
    const activateMs = /activate\(\) took (\d+) ms/.exec(notes)?.[1];
    const readyMs = /language server ready (\d+) ms/.exec(notes)?.[1];
    if (activateMs && readyMs) recordTimings({ activateMs: Number(activateMs), serverReadyAfterOpenMs: Number(readyMs) });
    assert.ok(run.result, `the suite reported nothing; see test-artifacts/extension-host/code-server.log\n${lines.join('\n')}`);
    assert.ok(ok, lines.join('\n'));
  });
});

/** code-server's output and the browser console, for a failed run. */
function saveLog(log: string): void {
  const dir = path.join(ROOT, 'test-artifacts', 'extension-host');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'code-server.log'), log);
}
