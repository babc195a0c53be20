// The `.dockerignore` entries a multi-stage uv build needs: the local virtual environment must
// not be copied over the one the builder made (uv's guide), and VCS data, bytecode and caches have
// no business in the image. Entries already covered are not repeated; `.git` stays when the
// project takes its version from git (setuptools-scm, hatch-vcs …).
import type { BuildContext } from '../buildcontext';

const ENTRIES = ['.venv', '.git', '__pycache__', '*.pyc'];
const VCS_VERSIONING = /setuptools[-_]scm|hatch-vcs|versioningit|dunamai|poetry-dynamic-versioning|pdm-backend.*scm|setuptools_git_versioning/;

/** Lines to add to the `.dockerignore` in force (none when everything is covered already). */
export function missingEntries(build: BuildContext, pyprojectText: string | undefined): string[] {
  return ENTRIES.filter((e) => !(e === '.git' && pyprojectText && VCS_VERSIONING.test(pyprojectText))).filter((e) => {
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
