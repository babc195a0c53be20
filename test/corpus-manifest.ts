// The real-world corpus beside the repository (../shared/corpus, see its README): where it is,
// and which files of a kind its manifest lists. Tests that use it skip when it is absent.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const CORPUS = path.resolve(__dirname, '..', '..', 'shared', 'corpus');

export function corpusPresent(): boolean {
  return fs.existsSync(path.join(CORPUS, 'manifest.tsv'));
}

/**
 * `local_path` (relative to CORPUS) of every file of `kind` in manifest.tsv — dockerfile,
 * pyproject, uvlock, requirements, dockerignore — de-duplicated, in manifest order; [] without it.
 */
export function corpusPaths(kind: string): string[] {
  if (!corpusPresent()) return [];
  const [header, ...rows] = fs.readFileSync(path.join(CORPUS, 'manifest.tsv'), 'utf8').trimEnd().split('\n');
  const cols = header.split('\t');
  const local = cols.indexOf('local_path');
  const k = cols.indexOf('kind');
  return [...new Set(rows.map((r) => r.split('\t')).filter((c) => c[k] === kind && c[local]).map((c) => c[local]))];
}

/** Inside a `describe`: skips its tests, saying why, when the corpus is not there. */
export function skipWithoutCorpus(): void {
  before(function () {
    if (!corpusPresent()) {
      console.log(`    corpus absent (${CORPUS}): skipped`);
      this.skip();
    }
  });
}
