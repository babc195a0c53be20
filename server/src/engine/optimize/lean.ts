// "Nothing to optimize": the final image installs no Python packages itself (uv bind-mounted for
// one `uv pip install --system` is the system-mode shape and counts as lean), carries no build
// toolchain (SD203) and builds on a slim base (SD301). Optimize's own output is lean by
// construction, which is what makes it idempotent.
import type { DockerfileModel, InstructionModel } from '../parse/dockerfile';
import type { ShellCommand } from '../parse/shell';
import type { Finding } from '../types';
import { pipCall, uvCall } from '../rules/commands';
import { toolCall, condaCall } from '../rules/python-tools';
import { rootStage } from '../rules/lineage';

function installs(inst: InstructionModel, cmd: ShellCommand): boolean {
  const pip = pipCall(cmd);
  if (pip && ['install', 'wheel'].includes(pip.sub?.value ?? '')) return true;
  const uv = uvCall(cmd);
  if (uv?.sub?.value === 'sync') return true;
  if (uv?.sub?.value === 'pip' && ['install', 'sync'].includes(uv.args[0]?.value ?? '')) {
    // uv bind-mounted for this RUN only (system mode) leaves nothing of uv in the image.
    return !(inst.run?.mounts ?? []).some((m) => /astral-sh\/uv/.test(m.from ?? ''));
  }
  if (['install', 'sync'].includes(toolCall(cmd, 'poetry')?.sub?.value ?? '') || ['install', 'sync'].includes(toolCall(cmd, 'pipenv')?.sub?.value ?? '')) return true;
  if (['install', 'create', 'env', 'update'].includes(condaCall(cmd)?.sub?.value ?? '')) return true;
  return /^python/.test(cmd.name) && cmd.argv.some((w, i) => /setup\.py$/.test(w.value) && ['install', 'develop'].includes(cmd.argv[i + 1]?.value ?? ''));
}

/** Why the file is already lean, or undefined when Optimize has work to do. */
export function leanReason(model: DockerfileModel, findings: Finding[]): string | undefined {
  const shipping = model.instructions.filter((i) => i.stage.reachesFinal);
  if (shipping.some((inst) => (inst.run?.commands ?? []).some((c) => installs(inst, c)))) return undefined;
  if (findings.some((f) => f.rule === 'SD203' || f.rule === 'SD301')) return undefined;
  // A -devel base SD301 does not flag (its packages compile with nvcc at run time) is not slim.
  const base = model.finalStage ? rootStage(model.finalStage).image : '';
  const why = /-devel\b/.test(base) ? `its base (${base}) is one SD301 does not flag` : 'builds on a slim base';
  // (System mode's output: it does install, with uv mounted for the RUN; found by review: it was said to install nothing.)
  const mountedUv = shipping.some((inst) => (inst.run?.commands ?? []).some((c) => uvCall(c)?.sub?.value === 'pip'));
  return `nothing to optimize: the final image ${mountedUv ? 'installs its Python packages with uv mounted for the RUN only' : 'installs no Python packages itself'}, carries no build toolchain and ${why}.`;
}
