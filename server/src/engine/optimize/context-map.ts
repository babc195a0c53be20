// Where a file the old build used came from in the build context: followed back through the
// COPY/ADD instructions (and bind mounts) that put it at its place in the image. Optimize needs
// this to bind-mount requirement files and manifests into the builder.
import type { InstructionModel } from '../parse/dockerfile';
import { globMatch } from '../regexp';

export { globMatch };
import { copyWords, isUnder, resolvePath, substitute } from '../parse/dockerfile';
import type { BuildContext } from '../buildcontext';
import type { FileSystem } from '../fs';
import type { ShellCommand } from '../parse/shell';

/** A COPY/ADD from the build context, read: sources relative to the context, absolute destination. */
export interface ContextCopy {
  inst: InstructionModel;
  sources: string[];
  dest: string;
  /** The destination is a folder (ends in `/`, several sources, or `.`). */
  destIsDir: boolean;
}

export function contextCopy(inst: InstructionModel): ContextCopy | undefined {
  if (inst.flags.has('from')) return undefined;
  const t = copyTarget(inst);
  if (!t || t.args.some((x) => x.startsWith('<<'))) return undefined;
  const sources = t.args.slice(0, -1).filter((s) => !/^(https?|git):|^git@/.test(s)).map((s) => s.replace(/^\.?\/+/, '').replace(/\/+$/, '').replace(/^\.$/, ''));
  return { inst, sources, dest: t.dest, destIsDir: t.destIsDir };
}

/** Where a COPY/ADD puts its files: the destination, whether it is a folder (`/` at the end, several sources, the WORKDIR), its words. */
export function copyTarget(inst: InstructionModel): { dest: string; destIsDir: boolean; args: string[] } | undefined {
  if (inst.keyword !== 'COPY' && inst.keyword !== 'ADD') return undefined;
  const args = copyWords(inst).map((x) => substitute(x, inst.env));
  if (args.length < 2) return undefined;
  const destRaw = args[args.length - 1];
  const dest = resolvePath(inst.workdir, destRaw);
  return { dest, destIsDir: /\/$/.test(destRaw) || args.length > 2 || dest === inst.workdir, args };
}

/** The COPY/ADD writes at `path` or into a folder above it. */
export function copyCovers(inst: InstructionModel, path: string): boolean {
  const t = copyTarget(inst);
  if (!t || !isUnder(path, t.dest)) return false;
  if (!t.destIsDir || path === t.dest || inst.flags.has('parents')) return true;
  // Sources that are all patterns in their last part (`/src/dist/*.whl`) put only the names they
  // match into the folder: not `/tmp/requirements.txt` (found by review: it was taken for the
  // other stage's file).
  const sources = t.args.slice(0, -1).map((x) => x.replace(/\/+$/, ''));
  if (!sources.every((x) => /[*?[]/.test(basename(x)) && !/[*?[]/.test(x.slice(0, -basename(x).length)))) return true;
  const first = path.slice(t.dest.length).replace(/^\/+/, '').split('/')[0];
  return sources.some((x) => globMatch(basename(x), first));
}

function basename(p: string): string {
  return p.split('/').pop() ?? p;
}

/**
 * The context path (relative, '' for the root) of what sits at `imagePath` when `at` runs, or
 * undefined when no COPY or bind mount brought it there.
 */
export function contextPathOf(imagePath: string, at: InstructionModel, lineage: InstructionModel[], build: BuildContext): string | undefined {
  for (const m of at.run?.mounts ?? []) {
    if (m.type !== 'bind' || m.from || !m.target) continue;
    const target = resolvePath(at.workdir, m.target);
    if (isUnder(imagePath, target)) return joinRel((m.source ?? '').replace(/^\.?\/+/, ''), imagePath.slice(target.length));
  }
  const before = lineage.slice(0, Math.max(0, lineage.indexOf(at)));
  for (let i = before.length - 1; i >= 0; i--) {
    const copy = contextCopy(before[i]);
    if (!copy) {
      // What a later COPY --from put there is not the context's file.
      if (before[i].keyword === 'COPY' && before[i].flags.has('from') && copyCovers(before[i], imagePath)) return undefined;
      continue;
    }
    // `COPY --parents services/*/requirements.txt ./`: each source keeps its path under dest (found
    // by review). (Not with a `./` pivot in a source, which cuts the kept path there.)
    if (copy.inst.flags.has('parents')) {
      if (!isUnder(imagePath, copy.dest) || copy.sources.some((s) => s.includes('/./'))) continue;
      const rel = imagePath.slice(copy.dest.length).replace(/^\/+/, '').split('/');
      for (const src of [...copy.sources].reverse()) {
        const parts = src.split('/');
        if (src === '' || rel.length < parts.length || !parts.every((seg, k) => globMatch(seg, rel[k]))) continue;
        if (rel.length === parts.length || build.stat(rel.slice(0, parts.length).join('/')) === 'dir') return rel.join('/');
      }
      continue;
    }
    for (const src of [...copy.sources].reverse()) {
      const isDir = src === '' || build.stat(src) === 'dir';
      if (isDir) {
        // `COPY . /app`, `COPY src/ /app/src/`: the folder's contents land at dest.
        if (isUnder(imagePath, copy.dest)) return joinRel(src, imagePath.slice(copy.dest.length));
        continue;
      }
      if (/[*?[]/.test(src)) {
        const dir = src.includes('/') ? src.slice(0, src.lastIndexOf('/')) : '';
        if (imagePath === `${copy.dest}/${basename(imagePath)}` && globMatch(basename(src), basename(imagePath))) return joinRel(dir, basename(imagePath));
        continue;
      }
      if (!copy.destIsDir && imagePath === copy.dest) return src;
      if (imagePath === resolvePath(copy.dest, basename(src))) return src;
    }
  }
  return undefined;
}

function joinRel(dir: string, rest: string): string {
  const r = rest.replace(/^\/+/, '');
  if (!dir) return r;
  return r ? `${dir.replace(/\/+$/, '')}/${r}` : dir;
}

/** The absolute path of a context-relative one ('' is the context folder). */
export function ctxAbs(build: BuildContext, rel: string): string {
  return rel ? `${build.dir.replace(/\/+$/, '')}/${rel}` : build.dir;
}

/** A program, not a script of the app: in a system bin folder, conda's, a virtual environment's or ~/.local's. */
const PROGRAM_PATH = /^(\/usr(\/local)?)?\/s?bin\/[^/]+$|^\/opt\/conda\/bin\/|venv[^/]*\/bin\/[^/]+$|\/\.local\/bin\/[^/]+$/;

/**
 * The script a command's words run, or undefined: `bash x.sh` / `sh -e x.sh` / `bash -o pipefail
 * x.sh` → x.sh (not `sh -c '…'`: that is code), `./x.sh`, `/opt/app/start`, `./bin/start` → itself; a
 * program (`/usr/bin/find`, `/opt/venv/bin/python`) or a bare command name is not one.
 */
export function scriptWord(words: readonly string[]): string | undefined {
  const first = words[0];
  if (!first) return undefined;
  if (/^(\S*\/)?(ba|da|z|a)?sh$/.test(first)) {
    for (let i = 1; i < words.length; i++) {
      const w = words[i];
      if (w === '-o' || w === '+o' || w === '--rcfile' || w === '--init-file') i++;
      else if (/^-[a-z]*c[a-z]*$/.test(w)) return undefined;
      else if (!/^[-+]/.test(w)) return w;
    }
    return undefined;
  }
  if (!first.includes('/') && !first.endsWith('.sh')) return undefined;
  return PROGRAM_PATH.test(first) && !first.endsWith('.sh') ? undefined : first;
}

/** The script a command runs (scriptWord); `path` has the command's variables substituted. */
export function scriptOf(cmd: ShellCommand): { word: string; path: string } | undefined {
  const word = scriptWord(cmd.argv.map((w) => w.value));
  return word === undefined ? undefined : { word, path: substitute(word, cmd.vars) };
}

/** The text of the context file at `imagePath` when `at` runs (see contextPathOf); undefined when none was copied there or it is not a file. */
export function contextFileText(imagePath: string, at: InstructionModel, lineage: InstructionModel[], build: BuildContext, fs: FileSystem): string | undefined {
  const rel = contextPathOf(imagePath, at, lineage, build);
  return rel !== undefined && build.stat(rel) === 'file' ? fs.readFile(ctxAbs(build, rel)) : undefined;
}
