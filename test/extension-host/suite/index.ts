// Entry point VS Code's extension host calls for `--extensionTestsPath`: runs the mocha suite in
// tests.js (next to this file once bundled) with the real `vscode` API, writes the
// results as JSON to $SLIMDOCK_EH_RESULT (when set) and prints them on one console line, which the
// launchers read. The promise rejects on failure, so the extension host exits non-zero.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export interface SuiteResult {
  passed: number;
  failed: number;
  pending: number;
  tests: { title: string; state: 'passed' | 'failed' | 'pending'; error?: string; ms?: number }[];
  /** Lines the tests chose to report (timings). */
  notes: string[];
}

/** Marks the result line in console output (the browser console in code-server). */
export const RESULT_MARK = 'SLIMDOCK_EXTENSION_HOST_RESULT ';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  mocha.addFile(path.join(__dirname, 'tests.js'));
  const result: SuiteResult = { passed: 0, failed: 0, pending: 0, tests: [], notes: [] };
  (globalThis as { slimdockNotes?: string[] }).slimdockNotes = result.notes;
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const json = JSON.stringify(result);
      const file = process.env.SLIMDOCK_EH_RESULT;
      if (file) fs.writeFileSync(file, json);
      console.log(RESULT_MARK + json);
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => {
      result.passed++;
      result.tests.push({ title: t.fullTitle(), state: 'passed', ms: t.duration });
    });
    runner.on('fail', (t, err: Error) => {
      result.failed++;
      result.tests.push({ title: t.fullTitle(), state: 'failed', error: err.stack ?? err.message });
    });
    runner.on('pending', (t) => {
      result.pending++;
      result.tests.push({ title: t.fullTitle(), state: 'pending' });
    });
  });
}
