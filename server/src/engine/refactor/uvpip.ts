// `pip install …` → `uv pip install …`, offered on any pip install (not only where SD103 fires):
// uv copied from its pinned image (once per stage), or bind-mounted for this RUN only; and for a
// requirements-based install, the variant with a cache mount on uv's cache dir.
import type { DockerfileContext } from '../context';
import type { InstructionModel } from '../parse/dockerfile';
import type { ShellCommand } from '../parse/shell';
import { addMount, insertAt } from '../rules/edits';
import { mountCovers } from '../rules/commands';
import { lineage } from '../rules/layers';
import { pythonInstall } from '../rules/python-tools';
import type { TextEdit } from '../types';
import { uvConversionEdits, uvCacheDir, type Conversion } from './convert';
import { blockOf } from './blocks';
import type { Candidate } from './validate';

export interface Proposal extends Candidate {
  /** Last part of the code action kind: `refactor.rewrite.slimdock.<id>`. */
  id: string;
  title: string;
}

export function uvImage(ctx: DockerfileContext): string {
  return `ghcr.io/astral-sh/uv:${ctx.config.uvVersion}`;
}

/** uv is already copied into this stage (or one it is built FROM) before `inst`. */
export function uvCopiedBefore(inst: InstructionModel): boolean {
  return lineage(inst.stage).some(
    (i) => i.start < inst.start && i.keyword === 'COPY' && (i.flags.get('from') ?? []).some((f) => /astral-sh\/uv/i.test(f)) && i.args.slice(0, -1).some((a) => /(^|\/)uv$/.test(a.getValue())),
  );
}

/** Edits that come out as text inside `sh -c "…"` must not bring quotes of their own. */
function quotingSafe(cmd: ShellCommand, edits: TextEdit[]): boolean {
  return cmd.via !== 'sh -c' || !edits.some((e) => /["'\\]/.test(e.newText));
}

/**
 * The pip → uv pip refactorings for one command. `externallyManaged`: SD508 says this install
 * goes into a distro Python marked EXTERNALLY-MANAGED.
 */
export function uvPipProposals(ctx: DockerfileContext, inst: InstructionModel, cmd: ShellCommand, externallyManaged: boolean): Proposal[] {
  const ins = pythonInstall(inst, cmd);
  if (!ins || ins.tool !== 'pip') return [];
  if (/^pip2|^python2/.test(cmd.name) || ins.args.options.has('--user')) return []; // uv needs Python 3 and has no user installs
  const a = ins.args;
  if (a.packages.length + a.requirementFiles.length + a.editables.length === 0) return [];
  const image = uvImage(ctx);
  const haveUv = uvCopiedBefore(inst);
  const block = blockOf(ctx.model, inst);
  const copy = haveUv ? '' : `${block.indent}COPY --from=${image} /uv /uvx /bin/\n`;
  const env = (vars: string[]) => (vars.length ? `${block.indent}ENV ${vars.join(' ')}\n` : '');
  const before = (text: string): TextEdit[] => (text ? [insertAt(ctx.model, block.start, text)] : []);
  const out: Proposal[] = [];
  const push = (p: Proposal, conversion: Conversion) => {
    if (quotingSafe(cmd, conversion.edits)) out.push(p);
  };

  const plain = uvConversionEdits(ctx, inst, ins, { breakSystemPackages: externallyManaged });
  if (plain) {
    const envText = env(plain.envLines);
    push({
      id: 'uv-pip',
      title: haveUv ? 'Convert to uv pip install (uv is already in this stage)' : `Convert to uv pip install (uv copied from ${image})`,
      edits: [...before(copy + envText), ...plain.edits],
      adds: { COPY: haveUv ? 0 : 1, ENV: envText ? 1 : 0 },
    }, plain);
    if (!haveUv) {
      push({
        id: 'uv-pip-mount',
        title: `Convert to uv pip install (uv bind-mounted from ${image}, never in the image)`,
        edits: [...before(envText), addMount(ctx.model, inst, `from=${image},source=/uv,target=/bin/uv`), ...plain.edits],
        adds: { ENV: envText ? 1 : 0 },
      }, plain);
    }
  }

  // Requirements files: uv's cache on a cache mount, reused across builds, never in the image.
  if (a.requirementFiles.length) {
    const cached = uvConversionEdits(ctx, inst, ins, { cacheMount: true, breakSystemPackages: externallyManaged });
    const cacheDir = uvCacheDir(inst, cmd);
    const root = inst.user === 'root' || inst.user === '0';
    // A cache mount belongs to root unless told otherwise; a named user's uid is not known here.
    const owner = root ? '' : /^\d+$/.test(inst.user) ? `,uid=${inst.user}` : undefined;
    if (cached && owner !== undefined) {
      const vars = [...cached.envLines, ...(cmd.env.has('UV_LINK_MODE') ? [] : ['UV_LINK_MODE=copy'])];
      const envText = env(vars);
      const mount = mountCovers(inst, cacheDir) ? [] : [addMount(ctx.model, inst, `type=cache,target=${cacheDir}${owner}`)];
      push({
        id: 'uv-pip-cache',
        title: `Convert to uv pip install with a cache mount on ${cacheDir} (uv ${haveUv ? 'already in this stage' : `copied from ${image}`})`,
        edits: [...before(copy + envText), ...mount, ...cached.edits],
        adds: { COPY: haveUv ? 0 : 1, ENV: envText ? 1 : 0 },
      }, cached);
    }
  }
  return out;
}
