// What runs at start-up (CMD, ENTRYPOINT, HEALTHCHECK), adapted to the new layout:
// - console scripts named by their old path: pip (and `uv pip install --system`) put a package's
//   scripts in /usr/local/bin; in the virtual-environment layout they are in <venv>/bin, and
//   `ENTRYPOINT ["/usr/local/bin/moto_server"]` would name a file that no longer exists;
// - `uv run …` / `poetry run …`: the tool stays in the builder, and the environment it would pick
//   is on PATH in the final stage, so the command runs directly (uv's Docker guide does the same).
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
export function movedScripts(a: Analysis, venv: string, before: ScriptRewrite = { replaced: new Map(), notes: [] }): ScriptRewrite {
  const out: ScriptRewrite = { replaced: new Map(before.replaced), notes: [...before.notes] };
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
    const text = out.replaced.get(inst) ?? a.model.text.slice(inst.start, inst.end);
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

/** `uv run` options that only choose or freeze the environment the builder already made. */
const UV_RUN = /^(?:uv|\/\S*\/uv)\s+run\s+((?:(?:--no-sync|--frozen|--locked|--no-dev|--offline|--quiet|-q|--no-project)\s+|--project(?:=|\s+)[^\s"']+\s+)*)(?=[^\s-])/;
const POETRY_RUN = /^(?:poetry|\/\S*\/poetry)\s+run\s+(?=[^\s-])/;
/** Shell text with `uv run [env options]` / `poetry run` dropped where a command starts (the start, after `&&`, `||`, `;`, `exec`). */
function dropRunTool(text: string): string {
  return text.replace(/(^|&&|\|\||;|\bexec\b)(\s*)((?:uv|poetry|\/\S*\/(?:uv|poetry))\s+run\s+[^&|;]*)/g, (whole, sep: string, blank: string, rest: string) => {
    const m = UV_RUN.exec(rest) ?? POETRY_RUN.exec(rest);
    return m ? `${sep}${blank}${rest.slice(m[0].length)}` : whole;
  });
}

/**
 * The new text of each kept CMD/ENTRYPOINT/HEALTHCHECK that starts a command with `uv run` or
 * `poetry run` (exec form, shell form, or inside `sh -c '…'`), without it. Options that pick
 * something else (`--with`, `--env-file`, `--directory`, `--python` …) keep the text as it is (the
 * caller then refuses the rewrite, as for any packaging tool at run time).
 */
export function withoutRunTool(a: Analysis): ScriptRewrite {
  const out: ScriptRewrite = { replaced: new Map(), notes: [] };
  for (const inst of a.chain.flatMap((s) => s.instructions)) {
    if (!RUNS_AT_START.has(inst.keyword) || a.removed.has(inst)) continue;
    const text = a.model.text.slice(inst.start, inst.end);
    if (!/\b(uv|poetry)\b/.test(text)) continue;
    const open = text.search(/\[\s*"/);
    let next = text;
    if (open >= 0 && text.trimEnd().endsWith(']')) {
      let words: unknown;
      try {
        words = JSON.parse(text.slice(open).replace(/\\\r?\n/g, ' '));
      } catch {
        continue;
      }
      if (!Array.isArray(words) || !words.every((w) => typeof w === 'string')) continue;
      const joined = dropRunTool((words as string[]).map((w) => (/\s/.test(w) ? '\u0000' : w)).join(' '));
      let list = words as string[];
      if (joined !== list.map((w) => (/\s/.test(w) ? '\u0000' : w)).join(' ')) {
        // Only the words before the command went: keep the rest as they were.
        const dropped = joined.split(' ').length;
        list = list.slice(list.length - dropped);
      }
      list = list.map((w) => (/\s/.test(w) ? dropRunTool(w) : w));
      next = `${text.slice(0, open)}[${list.map((w) => JSON.stringify(w)).join(', ')}]`;
      if (JSON.stringify(list) === JSON.stringify(words)) next = text;
    } else {
      const keyword = /^\s*\S+\s+(CMD\s+)?/i.exec(text)?.[0] ?? '';
      next = keyword + dropRunTool(text.slice(keyword.length));
    }
    if (next === text) continue;
    out.replaced.set(inst, next);
    out.notes.push(`line ${inst.node.getRange().start.line + 1}: the ${inst.keyword} ran its command through \`${/\bpoetry\b/.test(text) ? 'poetry' : 'uv'} run\`; the tool stays in the builder stage and the environment is on PATH, so the command runs directly.`);
  }
  return out;
}
