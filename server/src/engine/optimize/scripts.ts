// Console scripts named by their old path. pip (and `uv pip install --system`) put a package's
// scripts in /usr/local/bin; in the virtual-environment layout they are in <venv>/bin, and
// `ENTRYPOINT ["/usr/local/bin/moto_server"]` would name a file that no longer exists. A kept
// CMD/ENTRYPOINT/HEALTHCHECK that names such a script by path gets the venv's path instead.
import type { InstructionModel } from '../parse/dockerfile';
import type { Analysis } from './analyze';

const RUNS_AT_START = new Set(['CMD', 'ENTRYPOINT', 'HEALTHCHECK']);
const SCRIPT_PATH = /\/usr\/local\/bin\/([A-Za-z0-9_.+-]+)/g;
/** What /usr/local/bin holds before any install: the python image's interpreter and tools, uv in uv's images. */
const FROM_BASE = /^(python|pip|idle|pydoc|2to3|wheel|easy_install)[\d.-]*(-config)?$|^(docker-entrypoint\.sh|uv|uvx)$/;

export interface ScriptRewrite {
  replaced: Map<InstructionModel, string>;
  notes: string[];
}

/**
 * The new text of each kept CMD/ENTRYPOINT/HEALTHCHECK of the chain that names a script in
 * /usr/local/bin that the old installs put there: neither the base image's nor made by an
 * instruction of the file (a COPY there, `ln -s`/`mv`/`curl -o` in a RUN).
 */
export function movedScripts(a: Analysis, venv: string): ScriptRewrite {
  const out: ScriptRewrite = { replaced: new Map(), notes: [] };
  const insts = a.chain.flatMap((s) => s.instructions);
  const made = (name: string) =>
    insts.some((i) => {
      if (i.keyword === 'RUN') return a.model.text.slice(i.start, i.end).includes(`/usr/local/bin/${name}`);
      if (i.keyword !== 'COPY' && i.keyword !== 'ADD') return false;
      const args = i.args.map((w) => w.getValue());
      const dest = args[args.length - 1] ?? '';
      if (dest === `/usr/local/bin/${name}`) return true;
      return /^\/usr\/local\/bin\/?$/.test(dest) && args.slice(0, -1).some((s) => s.split('/').pop() === name);
    });
  for (const inst of insts) {
    if (!RUNS_AT_START.has(inst.keyword) || a.removed.has(inst)) continue;
    const text = a.model.text.slice(inst.start, inst.end);
    const moved: string[] = [];
    const next = text.replace(SCRIPT_PATH, (whole, name: string) => {
      if (FROM_BASE.test(name) || made(name)) return whole;
      moved.push(name);
      return `${venv}/bin/${name}`;
    });
    if (!moved.length) continue;
    out.replaced.set(inst, next);
    const line = inst.node.getRange().start.line + 1;
    out.notes.push(`line ${line}: ${inst.keyword} names ${[...new Set(moved)].map((n) => `/usr/local/bin/${n}`).join(', ')}: the installs put ${moved.length > 1 ? 'those scripts' : 'that script'} in ${venv}/bin now, so the ${inst.keyword} names that path.`);
  }
  return out;
}
