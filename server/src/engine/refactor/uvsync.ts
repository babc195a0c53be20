// A `pyproject.toml` + `uv.lock` project installed with pip, poetry or pipenv → uv's two-step
// pattern (https://docs.astral.sh/uv/guides/integration/docker/): before the whole-context COPY,
// `uv sync --locked --no-install-project` with uv.lock and pyproject.toml bind-mounted and a cache
// mount on uv's cache; after it, `uv sync --locked` in place of the old install; the settings uv's
// guide recommends as one ENV line, and the project's venv on PATH.
//
// Offered only where the result runs the same way: the project is the whole context copied into
// the WORKDIR, nothing between that COPY and the install could matter to the dependencies (a
// RUN, ENV, ARG, USER, WORKDIR), the image installs no other Python packages into the system
// (they would not see the venv, nor it them), the final image does not start through poetry or
// pipenv, and the build runs as root.
import type { DockerfileContext } from '../context';
import type { InstructionModel, StageModel } from '../parse/dockerfile';
import { resolvePath } from '../parse/dockerfile';
import type { ShellCommand, Word } from '../parse/shell';
import { join } from '../config/config';
import { addMount, insertAt, replaceSpan } from '../rules/edits';
import { mountCovers, requirementName } from '../rules/commands';
import { lineage } from '../rules/layers';
import { wholeContextCopies } from '../rules/context';
import { pythonInstall, toolCall, extrasOf } from '../rules/python-tools';
import type { FileEdit } from '../types';
import { uvCacheDir } from './convert';
import { blockOf, runLines } from './blocks';
import { uvCopiedBefore, uvImage, type Proposal } from './uvpip';

/** Packages that set up the installer itself: a RUN may install them before the project. */
const TOOL_PACKAGES = new Set(['pip', 'setuptools', 'wheel', 'poetry', 'pipenv', 'uv', 'virtualenv', 'poetry-plugin-export']);

const PIP_OPTIONS = new Set([
  '--no-cache-dir', '--no-cache', '-e', '--editable', '-q', '--quiet', '-v', '--verbose', '-U', '--upgrade', '--compile', '--no-compile',
  '--disable-pip-version-check', '--no-warn-script-location', '--root-user-action', '--progress-bar', '--no-color', '--no-input',
]);
const POETRY_OPTIONS = new Set(['--no-root', '--no-interaction', '-n', '--no-ansi', '--ansi', '--only', '--without', '--no-dev', '--sync', '-v', '-vv', '-vvv', '--verbose', '-q', '--quiet', '--all-extras', '--extras', '-E', '--compile', '--no-cache']);
const POETRY_VALUES = new Set(['--only', '--without', '--extras', '-E']);
const PIPENV_OPTIONS = new Set(['--system', '--deploy', '--ignore-pipfile', '--clear', '-v', '--verbose', '-q', '--quiet', '--skip-lock']);

interface ProjectInstall {
  tool: 'pip' | 'poetry' | 'pipenv';
  /** `--extra x` / `--all-extras` for uv sync. */
  extras: string[];
  /** The installer compiled bytecode (pip's and poetry's default): keep that with UV_COMPILE_BYTECODE. */
  compile: boolean;
  /** The last word of the install command. */
  last: Word;
}

/** Splits option words (`--only=main`, `--only main`); undefined when a word is not an allowed option. */
function options(words: Word[], allowed: Set<string>, withValue: Set<string>): Map<string, string[]> | undefined {
  const out = new Map<string, string[]>();
  for (let i = 0; i < words.length; i++) {
    const v = words[i].value;
    if (!v.startsWith('-')) return undefined;
    const eq = v.startsWith('--') ? v.indexOf('=') : -1;
    const name = eq > 0 ? v.slice(0, eq) : v;
    if (!allowed.has(name)) return undefined;
    let value: string | undefined = eq > 0 ? v.slice(eq + 1) : undefined;
    if (value === undefined && withValue.has(name)) value = words[++i]?.value;
    out.set(name, [...(out.get(name) ?? []), ...(value === undefined ? [] : [value])]);
  }
  return out;
}

/** The command installs the project at `dir` with pip, poetry or pipenv, in a way uv sync can take over. */
function projectInstall(inst: InstructionModel, cmd: ShellCommand, dir: string): ProjectInstall | undefined {
  const ins = pythonInstall(inst, cmd);
  if (ins) {
    if (ins.tool !== 'pip' || cmd.argv[0].value.includes('/')) return undefined; // a venv's pip by path: its own environment
    const a = ins.args;
    const words = [...a.packages, ...a.editables];
    if (words.length !== 1 || a.requirementFiles.length || a.constraintFiles.length) return undefined;
    if ([...a.options.keys()].some((o) => !PIP_OPTIONS.has(o))) return undefined;
    const m = /^([^[\s$]+)(\[[^\]]*\])?$/.exec(words[0].value);
    if (!m || words[0].dynamic || resolvePath(inst.workdir, m[1].replace(/^file:/, '')) !== dir) return undefined;
    return { tool: 'pip', extras: extrasOf(words[0].value).flatMap((e) => ['--extra', e]), compile: !a.options.has('--no-compile'), last: cmd.argv[cmd.argv.length - 1] };
  }
  const poetry = toolCall(cmd, 'poetry');
  if (poetry?.sub && /^(install|sync)$/.test(poetry.sub.value)) {
    const o = options(poetry.args, POETRY_OPTIONS, POETRY_VALUES);
    if (!o || (o.get('--only') ?? []).some((g) => g !== 'main')) return undefined;
    const extras = (o.get('--extras') ?? []).concat(o.get('-E') ?? []).flatMap((e) => e.split(/[\s,]+/)).filter(Boolean);
    return { tool: 'poetry', extras: o.has('--all-extras') ? ['--all-extras'] : extras.flatMap((e) => ['--extra', e]), compile: true, last: cmd.argv[cmd.argv.length - 1] };
  }
  const pipenv = toolCall(cmd, 'pipenv');
  if (pipenv?.sub && /^(install|sync)$/.test(pipenv.sub.value)) {
    if (!options(pipenv.args, PIPENV_OPTIONS, new Set())) return undefined;
    return { tool: 'pipenv', extras: [], compile: true, last: cmd.argv[cmd.argv.length - 1] };
  }
  return undefined;
}

/** Installs the installer itself (`pip install poetry`), or configures it (`poetry config …`). */
function toolSetup(inst: InstructionModel, cmd: ShellCommand): boolean {
  const ins = pythonInstall(inst, cmd);
  if (ins) return ins.args.requirementFiles.length === 0 && ins.args.editables.length === 0 && ins.args.packages.every((w) => TOOL_PACKAGES.has(requirementName(w.value) ?? ''));
  return toolCall(cmd, 'poetry')?.sub?.value === 'config';
}

/** Stages built FROM `stage` (they inherit its environment). */
function descendants(stages: StageModel[], stage: StageModel): StageModel[] {
  return stages.filter((s) => {
    for (let p = s.parent; p; p = p.parent) if (p === stage) return true;
    return false;
  });
}

export function uvSyncProposals(ctx: DockerfileContext, inst: InstructionModel, cmd: ShellCommand): Proposal[] {
  const b = ctx.build;
  const present = (rel: string) => b.stat(rel) === 'file' && !b.ignored(rel);
  if (!present('pyproject.toml') || !present('uv.lock') || ctx.devcontainer) return [];
  const dir = inst.workdir;
  if (dir === '/' || !inst.stage.reachesFinal || (inst.user !== 'root' && inst.user !== '0') || cmd.via === 'sh -c') return [];
  const install = projectInstall(inst, cmd, dir);
  if (!install) return [];
  const env = cmd.env;
  if (['VIRTUAL_ENV', 'UV_PROJECT_ENVIRONMENT', 'UV_SYSTEM_PYTHON'].some((k) => env.has(k))) return [];
  // A workspace, or path dependencies, need more than the two manifests for the first step.
  const pyproject = ctx.fs.readFile(join(ctx.contextDir, 'pyproject.toml')) ?? '';
  if (/^\s*\[tool\.uv\.workspace\]/m.test(pyproject) || /\bpath\s*=\s*["']/.test(pyproject)) return [];

  // The whole context copied into the WORKDIR, last before the install, in the same stage.
  const copy = wholeContextCopies(ctx).filter((c) => c.inst.stage === inst.stage && c.inst.start < inst.start && c.dest === dir && c.inst.workdir === dir).pop();
  if (!copy) return [];
  const between = inst.stage.instructions.filter((i) => i.start > copy.inst.start && i.start < inst.start);
  if (between.some((i) => /^(RUN|ENV|ARG|USER|WORKDIR|SHELL|ONBUILD)$/.test(i.keyword))) return [];

  // In the RUN: only the installer's own setup before the install (the dependencies step will not have what else ran).
  const commands = inst.run!.commands;
  const earlier = commands.filter((c) => c.index < cmd.index);
  if (earlier.some((c) => !toolSetup(inst, c))) return [];
  // No other Python packages go into this image: they would not see the venv.
  const stages = [inst.stage, ...descendants(ctx.model.stages, inst.stage)];
  const others = [...new Set([...lineage(inst.stage), ...stages.flatMap((s) => s.instructions)])].some((i) =>
    (i.run?.commands ?? []).some((c) => c !== cmd && !toolSetup(i, c) && (pythonInstall(i, c) || toolCall(c, 'poetry')?.sub?.value === 'install' || toolCall(c, 'pipenv')?.sub?.value === 'install' || (c.name === 'uv' && c.argv[1]?.value === 'sync'))),
  );
  if (others) return [];
  const runtime = ctx.model.instructions.filter((i) => (i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') && i.stage.reachesFinal).map((i) => ctx.model.text.slice(i.start, i.end)).join('\n');
  if (/\b(poetry|pipenv)\b/.test(runtime)) return [];

  const model = ctx.model;
  const exec = cmd.via === 'exec';
  const syncWords = ['uv', 'sync', '--locked', ...install.extras];
  const sync = exec ? syncWords.map((w) => JSON.stringify(w)).join(', ') : syncWords.join(' ');
  // Replace the install (with the installer setup before it when nothing else follows) by `uv sync --locked`.
  const onlySetupAround = commands.every((c) => c === cmd || earlier.includes(c));
  const from = onlySetupAround && earlier.length ? earlier[0].start : cmd.start;
  const to = install.last.end;
  if (model.text.slice(from, to).includes('#')) return []; // a comment inside would be lost
  const cacheDir = uvCacheDir(inst, cmd);
  const edits = [replaceSpan(model, from, to, sync)];
  if (!mountCovers(inst, cacheDir)) edits.unshift(addMount(model, inst, `type=cache,target=${cacheDir}`));

  // Before the whole-context COPY: uv, the settings, the dependencies step.
  const block = blockOf(model, copy.inst);
  const image = uvImage(ctx);
  const haveUv = uvCopiedBefore(copy.inst);
  const venvBin = `${dir}/.venv/bin`;
  const before = copy.inst.env;
  const settings: [string, string][] = [
    ['UV_LINK_MODE', 'copy'], ['UV_COMPILE_BYTECODE', install.compile ? '1' : '0'], ['UV_NO_DEV', '1'], ['UV_PYTHON_DOWNLOADS', '0'],
  ];
  const vars = settings.filter(([k]) => !before.has(k)).map(([k, v]) => `${k}=${v}`);
  if (!(before.get('PATH') ?? '').split(':').includes(venvBin)) vars.push(`PATH="${venvBin}:$PATH"`);
  const mounts = [`--mount=type=cache,target=${cacheDir}`, '--mount=type=bind,source=uv.lock,target=uv.lock', '--mount=type=bind,source=pyproject.toml,target=pyproject.toml'];
  if (present('.python-version')) mounts.push('--mount=type=bind,source=.python-version,target=.python-version');
  const text =
    (haveUv ? '' : `${block.indent}COPY --from=${image} /uv /uvx /bin/\n`) +
    (vars.length ? `${block.indent}ENV ${vars.join(' ')}\n` : '') +
    runLines(model.escapeChar, block.indent, mounts, ['uv', 'sync', '--locked', '--no-install-project', ...install.extras].join(' '));
  edits.unshift(insertAt(model, block.start, text));

  // uv's guide: keep a local .venv out of the context, or `COPY . .` overwrites the image's.
  const otherFiles: FileEdit[] = [];
  if (!b.ignored('.venv')) {
    const path = b.dockerignorePath ?? join(ctx.contextDir, '.dockerignore');
    const existing = b.dockerignoreText ?? '';
    const lines = existing.split('\n');
    const end = { line: lines.length - 1, character: lines[lines.length - 1].length };
    const sep = existing === '' || existing.endsWith('\n') ? '' : '\n';
    otherFiles.push({ file: path, edits: [{ range: { start: end, end }, newText: `${sep}.venv\n` }], ...(b.dockerignorePath ? {} : { create: true }) });
  }
  const via = { pip: 'pip install', poetry: 'poetry install', pipenv: 'pipenv install' }[install.tool];
  return [{
    id: 'uv-sync',
    title: `Convert ${via} to uv sync --locked (dependencies layer from uv.lock before the COPY, venv at ${dir}/.venv)`,
    edits,
    otherFiles,
    adds: { RUN: 1, COPY: haveUv ? 0 : 1, ENV: vars.length ? 1 : 0 },
  }];
}
