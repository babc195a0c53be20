// `slimdock`: the command-line adapter. Arguments in, engine run, one output format out; the
// exit code says whether anything reached the `--fail-on` threshold (0/1) or the run failed (2).
import { initShellParser } from './engine';
import { NodeFileSystem, baselineWasmOnly, toPosix, wasmDir } from './nodeFs';
import { parseCommand, UsageError, USAGE, type Command } from './cli/args';
import { discover } from './cli/discover';
import { checkTargets } from './cli/check';
import { fixSummary, fixTargets } from './cli/fix';
import { displayPath, failsOn, type Context } from './cli/output';
import { formatters } from './cli/format';
import { explain, listRules } from './cli/rules';
import { runOptimize } from './cli/optimize';
import { version } from '../../package.json';

baselineWasmOnly();

// `slimdock check … | head`: the reader closing the pipe ends the output, not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
}

async function main(argv: string[]): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`slimdock: ${e.message}\nRun \`slimdock --help\` for usage.\n`);
    return 2;
  }

  switch (command.kind) {
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    case 'version':
      process.stdout.write(`${version}\n`);
      return 0;
    case 'rules':
      process.stdout.write(listRules());
      return 0;
    case 'explain': {
      const page = explain(command.id);
      if (page === undefined) {
        process.stderr.write(`slimdock: unknown rule '${command.id}'. \`slimdock rules\` lists them.\n`);
        return 2;
      }
      process.stdout.write(page);
      return 0;
    }
    case 'optimize':
      return runOptimize(command.argv);
    case 'check': {
      const cwd = process.cwd();
      const found = discover(command.paths, cwd);
      if (found.errors.length) {
        for (const e of found.errors) process.stderr.write(`slimdock: ${e}\n`);
        return 2;
      }
      await initShellParser(wasmDir());
      const files = new NodeFileSystem('/');
      if (command.fix) {
        // What --fix changed goes before the report; on stderr when stdout is JSON or SARIF.
        const fixed = fixTargets(found.targets, files);
        const summary = fixed.results.map((r) => fixSummary(r, (f) => displayPath(f, cwd))).join('');
        (command.format === 'text' ? process.stdout : process.stderr).write(summary);
        for (const e of fixed.errors) process.stderr.write(`slimdock: ${e}\n`);
        if (fixed.errors.length) return 2;
      }
      const run = checkTargets(found.targets, files);
      const ctx: Context = { cwd: toPosix(cwd), results: run.results, version, color: useColor() };
      process.stdout.write(formatters[command.format](ctx));
      if (!found.targets.length) process.stderr.write(`slimdock: no Dockerfile, pyproject.toml or requirements file found in ${command.paths.join(' ')}\n`);
      for (const e of run.errors) process.stderr.write(`slimdock: ${e}\n`);
      if (run.errors.length) return 2;
      return failsOn(run.results.flatMap((r) => r.findings), command.failOn) ? 1 : 0;
    }
  }
}

/** Colour on a terminal unless NO_COLOR is set; FORCE_COLOR wins over both (as in Node itself). */
function useColor(): boolean {
  const force = process.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (process.env.NO_COLOR) return false;
  return !!process.stdout.isTTY;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`slimdock: internal error: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 2;
  },
);
