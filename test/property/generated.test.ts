// Property: any Dockerfile the grammar generator writes (see ./dockerfiles.ts) checks without a
// throw, within the time bound, with every finding and fix inside the document, and every fix
// keeping the text outside its edits and giving a Dockerfile that still parses.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkDockerfile, MemoryFileSystem } from '../../server/src/engine';
import { clearTextCaches } from '../../server/src/engine/parse/cache';
import { dockerfile, contextFiles } from './dockerfiles';
import { assertRobust, params, reportStats } from './invariants';

describe('property: generated Dockerfiles', function () {
  this.timeout(120_000);
  reportStats();

  it('check, findings and fixes hold their invariants', () => {
    fc.assert(
      fc.property(dockerfile, contextFiles, (text, files) => {
        const all: Record<string, string> = { '/ctx/Dockerfile': text };
        for (const [k, v] of Object.entries(files)) all[`/ctx/${k}`] = v;
        assertRobust(text, { fs: new MemoryFileSystem(all) });
      }),
      params(400, 18),
    );
  });

  // The engine caches RUN parses by text, with offsets relative to the instruction: a RUN seen
  // before at another offset (above other lines) must give the same findings as a fresh parse.
  it('a check does not depend on what was checked before (text caches)', () => {
    const check = (text: string) => JSON.stringify(checkDockerfile({ file: '/ctx/Dockerfile', text, fs: new MemoryFileSystem({}), root: '/ctx' }).findings);
    fc.assert(
      fc.property(dockerfile, dockerfile, (a, b) => {
        clearTextCaches();
        const fresh = check(b);
        clearTextCaches();
        check(`${a}\n${b}`); // b's RUNs cached at other offsets (and environments)
        check(a.replace(/RUN /g, 'RUN  '));
        assert.equal(check(b), fresh, 'findings differ once the caches are warm');
      }),
      params(100, 8),
    );
  });
});
