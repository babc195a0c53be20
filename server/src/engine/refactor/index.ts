// Refactorings: rewrites offered on the install under the cursor whether or not a rule fired
// there (LSP code actions of kind `refactor.rewrite.slimdock.*`). Pure: text and the FileSystem
// in, edits out. Each is offered only when its result re-checks with no new warning or error.
import { checkDockerfile, type CheckInput } from '../analyze';
import { uvRules } from '../rules/uv';
import type { DockerfileContext } from '../context';
import type { ShellCommand } from '../parse/shell';
import { pipCall } from '../rules/commands';
import { toolCall } from '../rules/python-tools';
import type { FileEdit, Range, TextEdit } from '../types';
import { dockerfileContext } from './context';
import { uvPipProposals, type Proposal } from './uvpip';
import { uvSyncProposals } from './uvsync';
import { rejection } from './validate';

export { uvConversionEdits, type Conversion, type ConversionOptions } from './convert';

export const REFACTOR_KIND = 'refactor.rewrite.slimdock';

export interface Refactoring {
  /** `refactor.rewrite.slimdock.uv-pip`, `.uv-pip-mount`, `.uv-pip-cache`, `.uv-sync`. */
  kind: string;
  title: string;
  edits: TextEdit[];
  otherFiles?: FileEdit[];
}

export interface RefactorOptions {
  /** Told why a refactoring was not offered (tests, traces). */
  rejected?: (title: string, why: string) => void;
}

/** pip/poetry/pipenv installs: what the refactorings start from. */
function isInstall(cmd: ShellCommand): boolean {
  return pipCall(cmd)?.sub?.value === 'install' || /^(install|sync)$/.test(toolCall(cmd, 'poetry')?.sub?.value ?? '') || /^(install|sync)$/.test(toolCall(cmd, 'pipenv')?.sub?.value ?? '');
}

/** Starts of the commands SD508 finds installing into an externally managed distro Python (PEP 668). */
function externallyManaged(ctx: DockerfileContext): Set<string> {
  const out = new Set<string>();
  const sd508 = uvRules.find((r) => r.id === 'SD508');
  sd508?.check(ctx, (f) => {
    if ((f.fixes ?? []).some((x) => x.title === 'Add --break-system-packages')) out.add(`${f.range.start.line}:${f.range.start.character}`);
  });
  return out;
}

/** The refactorings for the installs in `range` (a cursor is an empty range). */
export function refactorings(input: CheckInput, range: Range, options: RefactorOptions = {}): Refactoring[] {
  const ctx = dockerfileContext(input);
  if (!ctx) return [];
  const model = ctx.model;
  const lines = (start: number, end: number) => model.positionAt(start).line <= range.end.line && model.positionAt(end).line >= range.start.line;
  const proposals: Proposal[] = [];
  let managed: Set<string> | undefined;
  for (const inst of model.instructions) {
    if (!inst.run || !lines(inst.start, inst.end)) continue;
    const installs = inst.run.commands.filter(isInstall);
    // The installs on the lines of the range (a cursor in the indentation counts), else the RUN's first.
    const under = installs.filter((c) => lines(c.start, c.end));
    const chosen = under.length ? under : installs.slice(0, 1);
    for (const cmd of chosen) {
      managed ??= externallyManaged(ctx);
      const p = model.positionAt(cmd.start);
      let found: Proposal[];
      try {
        found = [...uvPipProposals(ctx, inst, cmd, managed.has(`${p.line}:${p.character}`)), ...uvSyncProposals(ctx, inst, cmd)];
      } catch (e) {
        options.rejected?.('(all)', `internal error: ${(e as Error).message}`); // a bug here must not break the code action menu
        continue;
      }
      proposals.push(...(chosen.length > 1 ? found.map((x) => ({ ...x, title: `${x.title}: ${commandText(cmd)}` })) : found));
    }
  }
  if (proposals.length === 0) return [];
  const before = checkDockerfile(input).findings;
  const out: Refactoring[] = [];
  for (const p of proposals) {
    const why = rejection(input, before, p);
    if (why) options.rejected?.(p.title, why);
    else out.push({ kind: `${REFACTOR_KIND}.${p.id}`, title: p.title, edits: p.edits, ...(p.otherFiles?.length ? { otherFiles: p.otherFiles } : {}) });
  }
  return out;
}

function commandText(cmd: ShellCommand): string {
  const words = cmd.argv.map((w) => w.value).join(' ');
  return words.length > 40 ? `${words.slice(0, 39)}…` : words;
}
