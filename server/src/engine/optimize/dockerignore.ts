// The `.dockerignore` entries a multi-stage uv build needs: the local virtual environment must
// not be copied over the one the builder made (uv's guide), and VCS data, bytecode and caches have
// no business in the image. Entries already covered are not repeated; `.git` stays when the
// project takes its version from git (setuptools-scm, hatch-vcs …).
import type { BuildContext } from '../buildcontext';

const ENTRIES = ['.venv', '.git', '__pycache__', '*.pyc'];

/**
 * Lines to add to the `.dockerignore` in force (none when everything is covered already). `keepGit`:
 * the build reads `.git` (rules/context.ts `buildReadsGit`, the same test SD402 makes, or a project
 * the builder builds takes its version from git).
 */
export function missingEntries(build: BuildContext, keepGit: boolean): string[] {
  return ENTRIES.filter((e) => !(e === '.git' && keepGit)).filter((e) => {
    const probe = e === '*.pyc' ? 'x.pyc' : e;
    return !build.ignored(probe);
  });
}

/** The `.dockerignore` text with `entries` appended under a comment. */
export function extendDockerignore(text: string | undefined, entries: string[]): string {
  if (entries.length === 0) return text ?? '';
  const head = text === undefined || text === '' ? '' : text.endsWith('\n') ? text : `${text}\n`;
  return `${head}${head ? '\n' : ''}# Added by slimdock optimize\n${entries.join('\n')}\n`;
}
