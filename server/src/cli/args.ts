// Command-line arguments → a command to run. Parsing is node's own `util.parseArgs` (strict: an
// unknown option is an error); this module only adds the commands and checks the values.
import { parseArgs } from 'node:util';
import type { Severity } from '../engine';

export const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];
export const FAIL_ON = ['error', 'warning', 'info', 'hint', 'none'] as const;
export type FailOn = Severity | 'none';

export type Command =
  | { kind: 'check'; paths: string[]; format: Format; failOn: FailOn; fix: boolean }
  | { kind: 'rules' }
  | { kind: 'explain'; id: string }
  /** Its own options (--mode, --write, --diff …): parsed by runOptimize (cli/optimize.ts). */
  | { kind: 'optimize'; argv: string[] }
  | { kind: 'help' }
  | { kind: 'version' };

/** A mistake in the command line: reported on stderr with exit code 2. */
export class UsageError extends Error {}

export function parseCommand(argv: string[]): Command {
  // `optimize` has options of its own: everything after the command word is handed to it as is.
  if (argv[0] === 'optimize') return { kind: 'optimize', argv: argv.slice(1) };
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        'fail-on': { type: 'string' },
        fix: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
    });
  } catch (e) {
    // parseArgs' messages name the option ("Unknown option '--frmat'"); keep them, drop its hints.
    throw new UsageError((e as Error).message.split('. To specify')[0]);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const [name, ...rest] = positionals;
  if (name === undefined) throw new UsageError('missing command: use `slimdock check [paths…]`, `slimdock rules` or `slimdock explain SDnnn`');
  if (name === 'optimize') throw new UsageError('put the options of `slimdock optimize` after the command word');
  const checkOnly = (['format', 'fail-on', 'fix'] as const).filter((o) => values[o] !== undefined);
  if (name !== 'check' && checkOnly.length) throw new UsageError(`--${checkOnly[0]} applies to \`slimdock check\` only`);

  switch (name) {
    case 'check': {
      return {
        kind: 'check',
        paths: rest.length ? rest : ['.'],
        format: oneOf('--format', values.format ?? 'text', FORMATS),
        failOn: oneOf('--fail-on', values['fail-on'] ?? 'warning', FAIL_ON),
        fix: !!values.fix,
      };
    }
    case 'rules':
      if (rest.length) throw new UsageError('`slimdock rules` takes no arguments');
      return { kind: 'rules' };
    case 'explain':
      if (rest.length !== 1) throw new UsageError('usage: slimdock explain SDnnn');
      return { kind: 'explain', id: rest[0] };
    default:
      throw new UsageError(`unknown command '${name}'`);
  }
}

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${option} must be one of ${allowed.join(', ')} (got '${value}')`);
}

export const USAGE = `Usage: slimdock <command> [options]

Commands:
  check [paths…]     Check Dockerfiles (and, later, pyproject.toml / requirements*.txt) in the
                     given files and folders (default: the current folder, searched recursively).
  rules              List every rule with its default severity and hadolint equivalents.
  explain SDnnn      Print a rule's documentation.
  optimize <Dockerfile> [--mode venv|system] [--write | --diff]
                     Rewrite the Dockerfile into a lean multi-stage uv build: prints the new
                     file, a diff (--diff) or writes it and its .dockerignore (--write).
                     \`slimdock optimize --help\` lists its options.

Options for check:
  -f, --format text|json|sarif|github   Output format (default: text).
  --fail-on error|warning|info|hint|none
                     Exit 1 when a finding is at or above this severity (default: warning).
  --fix              Apply every safe fix first (and write the files), then report what is left.

  -h, --help         Show this help.
  -V, --version      Show the version.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or I/O error.
Colour: on when stdout is a terminal; NO_COLOR turns it off, FORCE_COLOR on.
`;
