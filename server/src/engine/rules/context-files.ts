// Reading build-context files that an instruction refers to (requirements files named by
// `-r`). A path inside the image is mapped back to the context by the COPY that put it there,
// falling back to the same relative path, then the same name, in the context folder.
import type { DockerfileContext } from '../context';
import type { DockerfileModel, InstructionModel } from '../parse/dockerfile';
import { contextSources, isUnder, resolvePath, substitute } from '../parse/dockerfile';
import { requirementName } from './commands';

/** The requirement lines a requirements file lists (comments and option lines dropped, `-r` includes followed), or undefined if unreadable. */
export function readRequirementLines(ctx: DockerfileContext, inst: InstructionModel, path: string, depth = 0): string[] | undefined {
  const text = readContextFile(ctx, inst, path);
  if (text === undefined || depth > 5) return undefined;
  const lines: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    const include = /^(-r|--requirement)\s*=?\s*(\S+)/.exec(line);
    if (include) {
      lines.push(...(readRequirementLines(ctx, inst, include[2], depth + 1) ?? []));
      continue;
    }
    if (!line.startsWith('-')) lines.push(line);
  }
  return lines;
}

/** Package names a requirements file lists (following `-r` includes), or undefined if unreadable. */
export function readRequirementNames(ctx: DockerfileContext, inst: InstructionModel, path: string): string[] | undefined {
  return readRequirementLines(ctx, inst, path)?.map((l) => requirementName(l) ?? '').filter(Boolean);
}

/** A COPY/ADD from the context, read once per model: its sources without patterns, its destination. */
interface ContextCopyWords {
  start: number;
  words: string[];
  dest: string;
  toFolder: boolean;
}

const copiesOf = new WeakMap<DockerfileModel, ContextCopyWords[]>();

/** The model's COPY/ADDs from the context, in file order, read once (readContextFile is called per script and command: a scan per call grew with the square of the file). */
function contextCopiesOf(model: DockerfileModel): ContextCopyWords[] {
  let out = copiesOf.get(model);
  if (out) return out;
  out = model.instructions
    .filter((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && !i.flags.has('from'))
    .map((i) => {
      const words = contextSources(i).filter((w) => !/[*?[$]/.test(w));
      const rawDest = substitute(i.args[i.args.length - 1]?.getValue() ?? '', i.env);
      return { start: i.start, words, dest: resolvePath(i.workdir, rawDest).replace(/\/+$/, '') || '/', toFolder: rawDest.endsWith('/') || words.length > 1 };
    });
  copiesOf.set(model, out);
  return out;
}

/**
 * The text of the context file at `path` in the image as `inst` sees it. `copiedOnly`: only through
 * a COPY that put it there, no guesses (a path in the base image's system folders, `/usr/local/bin/…`).
 */
export function readContextFile(ctx: DockerfileContext, inst: InstructionModel, path: string, { copiedOnly = false } = {}): string | undefined {
  if (path.includes('$')) return undefined;
  const inImage = resolvePath(inst.workdir, path);
  // Through the COPYs of the context before it, the latest first (found by review): a folder's file
  // (`COPY . /srv` → /srv/docker/entrypoint.sh is docker/entrypoint.sh), a file copied into a folder
  // (`COPY entrypoint.sh /usr/local/bin/`) or to a name (`COPY docker/run.sh /entrypoint.sh`). Then
  // the guesses: the path at the context's root, the image path there, the file's name.
  const copied = contextCopiesOf(ctx.model)
    .filter((c) => c.start < inst.start)
    .reverse()
    .flatMap(({ words, dest, toFolder }) => {
      if (inImage === dest) return words.length === 1 && !toFolder ? [resolvePath(ctx.contextDir, words[0].replace(/^\/+/, ''))] : [];
      if (!isUnder(inImage, dest)) return [];
      const rel = inImage.slice(dest === '/' ? 1 : dest.length + 1);
      return words.flatMap((w) => {
        const src = resolvePath(ctx.contextDir, w.replace(/^\/+/, ''));
        // A folder's file, or the file itself where it went into the folder under its own name.
        return rel === (w.replace(/\/+$/, '').split('/').pop() ?? '') ? [resolvePath(src, rel), src] : [resolvePath(src, rel)];
      });
    });
  const candidates = copiedOnly ? copied : [
    ...copied,
    resolvePath(ctx.contextDir, path.replace(/^\/+/, '')),
    resolvePath(ctx.contextDir, inImage.replace(/^\/+/, '')),
    resolvePath(ctx.contextDir, inImage.split('/').pop() ?? ''),
  ];
  for (const c of candidates) {
    if (!c.startsWith(ctx.contextDir)) continue;
    const text = ctx.fs.readFile(c);
    if (text !== undefined) return text;
  }
  return undefined;
}

/** A shell script a script runs by its path (`./scripts/tests.sh`, `/app/docker/wait.sh`, `sh ./x.sh`): group 1. Shared by SD105 and Optimize. */
export const CALLED_SCRIPT = /(?:^|[\s;&|(])((?:\.{0,2}\/|\/)?[\w./-]+\.sh)(?=[\s;&|)"']|$)/gm;
