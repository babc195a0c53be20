// The `.dockerignore` entries a multi-stage uv build needs: the local virtual environment must
// not be copied over the one the builder made (uv's guide), and VCS data, bytecode and caches have
// no business in the image. Entries already covered are not repeated; `.git` stays when the
// project takes its version from git (setuptools-scm, hatch-vcs …).
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
export function missingEntries(build: BuildContext, keepGit: boolean, folders: string[] = []): string[] {
  return ENTRIES.filter((e) => !(e === '.git' && keepGit)).filter((e) => {
    const name = e.replace(/^\*\*\//, '').replace('*', 'x');
    // Covered when ignored at the root and below it (`.venv` alone covers the root only), and in
    // the folders the build copies (an allow-list, `*` then `!backend`, brings backend/.venv back).
    if (name === e) return !build.ignored(name);
    return ![name, `x/${name}`, ...folders.map((f) => `${f}/${name}`)].every((p) => build.ignored(p));
  });
}

/** The `.dockerignore` text with `entries` appended under a comment. */
export function extendDockerignore(text: string | undefined, entries: string[]): string {
  if (entries.length === 0) return text ?? '';
  const head = text === undefined || text === '' ? '' : text.endsWith('\n') ? text : `${text}\n`;
  return `${head}${head ? '\n' : ''}# Added by slimdock optimize\n${entries.join('\n')}\n`;
}
