// Property: the corpus's real Dockerfiles, mutated at the byte level (truncation, byte flips,
// CRLF and lone CR, BOM, NUL, invalid UTF-8 decoded as Node does, tabs, a 100 k-character line,
// 10,000 continuation lines, unclosed heredocs and quotes, `$(…)` nested 500 deep), check within
// the time bound with every finding and fix inside the document and every fix keeping the text
// outside its edits. Reads go to the file's real build context, confined to its repository.
import fc from 'fast-check';
import { NodeFileSystem } from '../../server/src/nodeFs';
import { corpusFiles, decode, mutations, CORPUS } from './corpus';
import { assertRobust, params, reportStats } from './invariants';

describe('property: mutated corpus Dockerfiles', function () {
  this.timeout(180_000);
  reportStats();
  const files = corpusFiles('dockerfile');

  before(function () {
    if (files.length === 0) {
      console.log(`    corpus absent (${CORPUS}): skipped`);
      this.skip();
    }
  });

  it('every corpus Dockerfile as it is', () => {
    // A few fixes per file: test/corpus/fixes.test.ts applies every one.
    for (const f of files) assertRobust(decode(f.bytes), { file: f.file, root: f.root, fs: new NodeFileSystem(f.root), maxFixes: 3 });
  });

  it('mutated: check, findings and fixes hold their invariants', () => {
    fc.assert(
      fc.property(fc.nat({ max: files.length - 1 }), mutations, (i, muts) => {
        const f = files[i];
        const bytes = muts.reduce((b, m) => m.apply(b), f.bytes);
        const text = decode(bytes);
        // Big inputs: a few fixes suffice (each one re-checks the whole text twice).
        assertRobust(text, { file: f.file, root: f.root, fs: new NodeFileSystem(f.root), maxFixes: text.length > 20_000 ? 3 : 30 });
      }).beforeEach(() => undefined),
      params(300, 25),
    );
  });
});
