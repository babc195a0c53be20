// `slimdock optimize <Dockerfile> [--mode venv|system] [--write | --diff]`: the engine's Optimize
// on one file. Prints the new file (default), a unified diff (--diff), or writes the Dockerfile
// and its .dockerignore (--write). The before → after estimate and the notes go to stderr. Exit 0,
// or 2 on a usage or I/O error.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { initShellParser, formatBytes, MAX_FILE_BYTES, type FileEdit } from '../engine';
import { optimize, type OptimizeMode } from '../engine/optimize';
import { unifiedDiff } from '../engine/optimize/diff';
import { applyEdits } from '../engine/fixes/text';
import { NodeFileSystem, toPosix, wasmDir } from '../nodeFs';
import { projectRoot } from './check';

export interface OptimizeIO {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
}

const processIO: OptimizeIO = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  cwd: process.cwd(),
};

export const OPTIMIZE_USAGE = `Usage: slimdock optimize <Dockerfile> [--mode venv|system] [--write | --diff]

Rewrites the Dockerfile into a multi-stage uv build: a builder stage installs the dependencies, the
final stage builds on the slim base and gets only the environment and run-time packages.

  --mode venv|system   venv (default): copy the builder's virtual environment (uv's recommendation);
                       system: uv pip install --system with uv bind-mounted (no virtualenv in the image).
                       PyTorch's images (pytorch/pytorch) take the system layout in both modes, with
                       pip: a virtual environment would hide their torch. The notes say why.
  --diff               Print a unified diff instead of the new file.
  --write              Write the Dockerfile (and the .dockerignore it needs).
  --uv-version X.Y.Z   The ghcr.io/astral-sh/uv tag to use (default: the configured uv-version).
  --compile-bytecode   UV_COMPILE_BYTECODE=1: faster start-up, larger image.

The estimated image size before → after and notes go to stderr. Exit 0, or 2 on a usage or I/O error.
`;

export async function runOptimize(argv: string[], io: OptimizeIO = processIO): Promise<number> {
  let values: { mode?: string; write?: boolean; diff?: boolean; 'uv-version'?: string; 'compile-bytecode'?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        mode: { type: 'string', short: 'm' },
        write: { type: 'boolean', short: 'w' },
        diff: { type: 'boolean', short: 'd' },
        'uv-version': { type: 'string' },
        'compile-bytecode': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    return usage(io, (e as Error).message.split('. To specify')[0]);
  }
  if (values.help) {
    io.stdout(OPTIMIZE_USAGE);
    return 0;
  }
  if (positionals.length !== 1) return usage(io, positionals.length ? 'optimize takes one Dockerfile' : 'missing the Dockerfile to optimize');
  const mode = values.mode ?? 'venv';
  if (mode !== 'venv' && mode !== 'system') return usage(io, `--mode must be venv or system (got '${mode}')`);
  if (values.write && values.diff) return usage(io, '--write and --diff exclude each other');
  const uvVersion = values['uv-version'];
  if (uvVersion !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(uvVersion)) return usage(io, `--uv-version must be an image tag (got '${uvVersion}')`);

  const file = toPosix(path.resolve(io.cwd, positionals[0]));
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new Error('not a file');
    if (stat.size > MAX_FILE_BYTES) throw new Error(`over 1 MB (${stat.size} bytes)`);
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    io.stderr(`slimdock: ${positionals[0]}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`);
    return 2;
  }

  await initShellParser(wasmDir());
  const result = optimize({ file, text, fs: new NodeFileSystem('/'), root: projectRoot(file), mode: mode as OptimizeMode, uvVersion, compileBytecode: values['compile-bytecode'] ? true : undefined });
  const rel = (p: string) => toPosix(path.relative(io.cwd, p)) || p;

  for (const n of result.notes) io.stderr(`slimdock: ${result.changed ? 'note' : 'unchanged'}: ${n}\n`);
  if (result.changed && result.before.bytes === null && result.after.bytes === null) io.stderr(`slimdock: estimated image size: not known (slimdock's table has no figure for the base image)\n  before: ${result.before.basis}\n  after: ${result.after.basis}\n`);
  else if (result.changed) io.stderr(`slimdock: estimated image size ${estimate(result.before)} → ${estimate(result.after)}\n  before: ${result.before.basis}\n  after: ${result.after.basis}\n`);

  const others = result.otherFiles.map((fe) => ({ fe, before: readOrEmpty(fe.file), after: applyEdits(readOrEmpty(fe.file), fe.edits) }));
  if (values.diff) {
    io.stdout(unifiedDiff(text, result.text, `a/${rel(file)}`, `b/${rel(file)}`));
    for (const o of others) io.stdout(unifiedDiff(o.before, o.after, o.fe.create ? '/dev/null' : `a/${rel(o.fe.file)}`, `b/${rel(o.fe.file)}`));
    return 0;
  }
  if (values.write) {
    if (!result.changed) return 0;
    try {
      fs.writeFileSync(file, result.text);
      io.stderr(`slimdock: wrote ${rel(file)}\n`);
      for (const o of others) {
        fs.writeFileSync(o.fe.file, o.after);
        io.stderr(`slimdock: ${createdOrUpdated(o.fe)} ${rel(o.fe.file)}\n`);
      }
    } catch (e) {
      io.stderr(`slimdock: cannot write: ${(e as Error).message}\n`);
      return 2;
    }
    return 0;
  }
  io.stdout(result.text);
  for (const o of others) io.stderr(`slimdock: ${rel(o.fe.file)} needs: ${o.after.slice(o.before.length).trim().split('\n').filter((l) => !l.startsWith('#')).join(' ')} (written by --write)\n`);
  return 0;
}

function usage(io: OptimizeIO, message: string): number {
  io.stderr(`slimdock: ${message}\nRun \`slimdock optimize --help\` for usage.\n`);
  return 2;
}

function estimate(e: { bytes: number | null }): string {
  return formatBytes(e.bytes);
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function createdOrUpdated(fe: FileEdit): string {
  return fe.create ? 'created' : 'updated';
}
