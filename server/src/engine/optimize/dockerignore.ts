// The `.dockerignore` entries a multi-stage uv build needs: the local virtual environment must
// not be copied over the one the builder made (uv's guide), and VCS data, bytecode and caches have
// no business in the image. Entries already covered are not repeated; `.git` stays when the
// project takes its version from git (setuptools-scm, hatch-vcs …).
import ignore from '@balena/dockerignore';
import type { BuildContext } from '../buildcontext';

// Docker matches a pattern without `**/` at the context root only: a project in a folder of the
// context (`COPY backend/ /app`) has its `.venv` and caches there (found by review: the host's
// backend/.venv was copied under the builder's environment).
const ENTRIES = ['**/.venv', '.git', '**/__pycache__', '**/*.pyc'];

/**
 * Lines to add to the `.dockerignore` in force (none when everything is covered already). `keepGit`:
 * the build reads `.git` (rules/context.ts `buildReadsGit`, the same test SD402 makes, or a project
 * the builder builds takes its version from git).
 */
export function missingEntries(build: BuildContext, keepGit: boolean, folders: string[] = [], named: string[] = []): string[] {
  return ENTRIES.filter((e) => !(e === '.git' && keepGit)).filter((e) => !excludesNamed(build, e, named)).filter((e) => {
    const name = e.replace(/^\*\*\//, '').replace('*', 'x');
    // Covered when ignored at the root and below it (`.venv` alone covers the root only), and in
    // the folders the build copies (an allow-list, `*` then `!backend`, brings backend/.venv back).
    if (name === e) return !build.ignored(name);
    return ![name, `x/${name}`, ...folders.map((f) => `${f}/${name}`)].every((p) => build.ignored(p));
  });
}

/**
 * True when `entry` would leave out what a COPY names by a narrower path than the whole context:
 * the path itself (`COPY .venv /app/.venv`, a venv built in CI), or, for `*.pyc`, bytecode outside
 * `__pycache__` in a named folder (a sourceless `dist/` of .pyc files, which Python does not write
 * there). Both would break or empty the COPY (found by review). A named folder's own `.venv` and
 * caches are still left out (`COPY backend/ .` must not bring the host's backend/.venv). Up to 2,000
 * entries under the named folders are looked at.
 */
function excludesNamed(build: BuildContext, entry: string, named: string[]): boolean {
  const m = ignore().add([entry]);
  if (named.some((p) => m.ignores(p))) return true;
  if (entry !== '**/*.pyc') return false;
  let budget = 2000;
  const walk = (rel: string): boolean => {
    if (budget-- <= 0 || build.ignored(rel) || /(^|\/)__pycache__$/.test(rel)) return false;
    if (m.ignores(rel)) return true;
    return build.stat(rel) === 'dir' && build.list(rel).some((n) => walk(`${rel}/${n}`));
  };
  return named.some((p) => walk(p));
}

/** The `.dockerignore` text with `entries` appended under a comment. */
export function extendDockerignore(text: string | undefined, entries: string[]): string {
  if (entries.length === 0) return text ?? '';
  const head = text === undefined || text === '' ? '' : text.endsWith('\n') ? text : `${text}\n`;
  return `${head}${head ? '\n' : ''}# Added by slimdock optimize\n${entries.join('\n')}\n`;
}
