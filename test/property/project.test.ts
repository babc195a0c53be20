// Property: pyproject.toml, uv.lock, requirements files and .dockerignore from the corpus,
// mutated at the byte level, never make a check throw or hang: checkPyproject and
// checkRequirements keep findings, fixes and inlay hints inside the document, and a Dockerfile
// whose context holds the mutated file (configuration, lock, ignore file) checks as robustly.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import fc from 'fast-check';
import { type FileSystem } from '../../server/src/engine';
import { checkPyproject, checkRequirements } from '../../server/src/engine/project';
import { NodeFileSystem } from '../../server/src/nodeFs';
import { corpusFiles, decode, mutations, CORPUS, type CorpusFile } from './corpus';
import { assertFindingsInside, assertFixKeepsText, assertRobust, lineLengths, params, positionInside, stats, timeBound, timed, reportStats } from './invariants';

/** The disk confined to a repository, with one file's text replaced. */
class Overlay implements FileSystem {
  private readonly disk: NodeFileSystem;
  constructor(root: string, private readonly file: string, private readonly text: string) {
    this.disk = new NodeFileSystem(root);
  }
  readFile(p: string) {
    return p === this.file ? this.text : this.disk.readFile(p);
  }
  readDir(p: string) {
    return this.disk.readDir(p);
  }
  stat(p: string) {
    return p === this.file ? 'file' : this.disk.stat(p);
  }
  size(p: string) {
    return p === this.file ? this.text.length : this.disk.size(p);
  }
}

type Check = (f: CorpusFile, text: string, fs: FileSystem) => void;

/** Runs a project check under the time bound and the range/fix invariants. */
function assertProjectRobust(text: string, run: (t: string) => { findings: import('../../server/src/engine').Finding[]; hints?: { position: import('../../server/src/engine').Position }[] }): void {
  stats.inputs++;
  const bound = timeBound(text);
  const { result, ms } = timed(() => run(text), bound);
  assert.ok(ms <= bound, `took ${ms.toFixed(0)} ms (bound ${bound.toFixed(0)} ms)`);
  assertFindingsInside(text, result.findings);
  const lines = lineLengths(text);
  for (const h of result.hints ?? []) assert.ok(positionInside(h.position, lines), `inlay hint at ${JSON.stringify(h.position)} outside the document`);
  const unparsable = (fs: { rule: string; message: string }[]) => fs.some((f) => f.rule === 'SD000' && /Could not parse/.test(f.message));
  for (const f of result.findings) {
    for (const fix of f.fixes.slice(0, 5)) {
      stats.fixes++;
      const where = `${f.rule} line ${f.range.start.line + 1}, fix "${fix.title}"`;
      const after = assertFixKeepsText(text, fix, where);
      const again = run(after);
      assertFindingsInside(after, again.findings);
      if (!unparsable(result.findings)) assert.ok(!unparsable(again.findings), `${where}: the fixed file no longer parses\n--- after\n${after}`);
    }
  }
}

const dockerfiles = corpusFiles('dockerfile');
/** A Dockerfile of the same repository (the one whose context the file belongs to, roughly). */
const dockerfileOf = (f: CorpusFile) => dockerfiles.find((d) => d.root === f.root && path.dirname(d.file).startsWith(path.dirname(f.file))) ?? dockerfiles.find((d) => d.root === f.root);

const checks: Record<string, Check> = {
  pyproject: (f, text, fs) => {
    assertProjectRobust(text, (t) => checkPyproject({ file: f.file, text: t, fs: new Overlay(f.root, f.file, t), root: f.root }));
    const d = dockerfileOf(f);
    if (d) assertRobust(decode(d.bytes), { file: d.file, root: d.root, fs, maxFixes: 0 }); // [tool.slimdock] read from it
  },
  requirements: (f, text) => assertProjectRobust(text, (t) => checkRequirements({ file: f.file, text: t, fs: new Overlay(f.root, f.file, t), root: f.root })),
  uvlock: (f, _text, fs) => {
    const pyproject = path.join(path.dirname(f.file), 'pyproject.toml');
    const source = fs.readFile(pyproject);
    if (source !== undefined) assertProjectRobust(source, (t) => checkPyproject({ file: pyproject, text: t, fs, root: f.root }));
  },
  dockerignore: (f, _text, fs) => {
    const d = dockerfileOf(f);
    if (d) assertRobust(decode(d.bytes), { file: d.file, root: d.root, fs, maxFixes: 0 }); // mutated ignore file
  },
};

for (const [kind, check] of Object.entries(checks)) {
  describe(`property: mutated corpus ${kind} files`, function () {
    this.timeout(120_000);
    reportStats();
    const files = corpusFiles(kind);
    before(function () {
      if (files.length === 0) {
        console.log(`    corpus absent (${CORPUS}): skipped`);
        this.skip();
      }
    });

    // Unmutated lock and ignore files add nothing to the pyproject and Dockerfile checks.
    if (kind === 'pyproject' || kind === 'requirements')
      it('as they are', () => {
        for (const f of files) check(f, decode(f.bytes), new Overlay(f.root, f.file, decode(f.bytes)));
      });

    it('mutated', () => {
      fc.assert(
        fc.property(fc.nat({ max: Math.max(files.length - 1, 0) }), mutations, (i, muts) => {
          const f = files[i];
          const text = decode(muts.reduce((b, m) => m.apply(b), f.bytes));
          check(f, text, new Overlay(f.root, f.file, text));
        }),
        params(kind === 'uvlock' ? 40 : 120, 8),
      );
    });
  });
}
