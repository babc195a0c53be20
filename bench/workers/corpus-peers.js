// Whole-corpus lint in one process with a peer's API, repeated: `dockerfile-utils` (its CLI lints
// one file per process) and `dockerfilelint` (its CLI takes many files but stops at the first file
// that throws, and some corpus files do). A file that throws counts in `crashed`.
// argv: <dockerfile-utils|dockerfilelint> <list file> <iterations>.
// Prints {iterations: ms[], findings, crashed} as JSON, or with iterations = 0 the diagnostics as
// the CLI would print them (one pass).
const fs = require('node:fs');
const path = require('node:path');
const t0 = performance.now();
const [tool, list, n] = [process.argv[2], process.argv[3], Number(process.argv[4] ?? 1)];
const files = fs.readFileSync(list, 'utf8').split('\n').filter(Boolean);
let lintOne;
if (tool === 'dockerfile-utils') {
  const { validate } = require('dockerfile-utils');
  lintOne = (file) => validate(fs.readFileSync(file, 'utf8'));

} else if (tool === 'dockerfilelint') {
  const dockerfilelint = require('dockerfilelint');
  lintOne = (file) => dockerfilelint.run(path.dirname(file), fs.readFileSync(file, 'utf8'));
} else {
  throw new Error(`unknown tool ${tool}`);
}
const ready = performance.now() - t0;
let crashed = 0;
const lint = (file) => {
  try {
    return lintOne(file);
  } catch (e) {
    crashed++;
    return [{ crash: String(e) }];
  }
};
if (n === 0) {
  // One pass, output like `dockerfile-utils lint --json` for each file.
  const out = files.map((file) => ({ file, diagnostics: lint(file) }));
  process.stdout.write(JSON.stringify(out));
  process.stderr.write(`crashed: ${crashed}\n`);
} else {
  const iterations = [];
  let findings = 0;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    findings = 0;
    crashed = 0;
    for (const file of files) findings += lint(file).length;
    iterations.push(performance.now() - t);
  }
  process.stdout.write(JSON.stringify({ ready, iterations, findings, crashed, files: files.length }));
}
