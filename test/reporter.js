// mocha's spec reporter, plus the closing line CI reads: `N passed, N failed`.
'use strict';
const Mocha = require('mocha');
const { EVENT_RUN_END, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    runner.on(EVENT_TEST_PASS, () => passed++);
    runner.on(EVENT_TEST_FAIL, () => failed++);
    runner.on(EVENT_TEST_PENDING, () => skipped++);
    runner.once(EVENT_RUN_END, () => {
      // After the spec reporter's epilogue, which it prints on the same event.
      setImmediate(() => process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`));
      // A test that leaves a handle open (a child process, a socket) would keep the run from ending:
      // name what is left, then end with the run's own result. The timer does not keep us alive.
      setTimeout(() => {
        const left = process._getActiveHandles().map((h) => (h && h.constructor ? h.constructor.name : typeof h));
        process.stderr.write(`mocha: handles still open after the run: ${left.join(', ') || 'none'}; exiting\n`);
        process.exit(failed > 0 ? 1 : 0);
      }, 5000).unref();
    });
  }
}
module.exports = SummaryReporter;
