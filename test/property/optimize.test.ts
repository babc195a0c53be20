// Property: "Optimize Dockerfile" (engine/optimize) on generated Dockerfiles and on mutated
// corpus files never throws, stays inside the time bound, returns text that still parses (no RUN
// whose shell newly stops parsing), and is idempotent: optimizing its own output changes nothing.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MemoryFileSystem, type FileSystem } from '../../server/src/engine';
import { optimize } from '../../server/src/engine/optimize';
import { buildModel } from '../../server/src/engine/parse/dockerfile';
import { NodeFileSystem } from '../../server/src/nodeFs';
import { corpusFiles, decode, mutations } from './corpus';
import { dockerfile, contextFiles } from './dockerfiles';
import { params, stats, timeBound, timed, reportStats } from './invariants';

const brokenRuns = (text: string) => buildModel(text).instructions.filter((i) => i.run?.hasError).length;

function assertOptimizeRobust(text: string, file: string, root: string, fs: FileSystem): void {
  stats.inputs++;
  // Optimize checks the file and its rewrite: twice a check's bound.
  const bound = 2 * timeBound(text) + 200;
  const { result, ms } = timed(() => optimize({ file, text, fs, root }), bound);
  assert.ok(ms <= bound, `optimize took ${ms.toFixed(0)} ms (bound ${bound.toFixed(0)} ms)`);
  if (!result.changed) {
    assert.equal(result.text, text, 'unchanged, yet the text differs');
    return;
  }
  assert.ok(brokenRuns(result.text) <= brokenRuns(text), `a RUN no longer parses as shell:\n${result.text}`);
  const again = optimize({ file, text: result.text, fs, root });
  assert.equal(again.text, result.text, `not idempotent: optimizing the output changed it\n--- once\n${result.text}\n--- twice\n${again.text}`);
}

describe('property: Optimize Dockerfile', function () {
  this.timeout(120_000);
  reportStats();
  const files = corpusFiles('dockerfile');

  it('generated Dockerfiles', () => {
    fc.assert(
      fc.property(dockerfile, contextFiles, (text, extra) => {
        const all: Record<string, string> = { '/ctx/Dockerfile': text };
        for (const [k, v] of Object.entries(extra)) all[`/ctx/${k}`] = v;
        assertOptimizeRobust(text, '/ctx/Dockerfile', '/ctx', new MemoryFileSystem(all));
      }),
      params(200, 12),
    );
  });

  it('corpus Dockerfiles, as they are and mutated', function () {
    if (files.length === 0) this.skip();
    fc.assert(
      fc.property(fc.nat({ max: files.length - 1 }), fc.option(mutations, { freq: 2 }), (i, muts) => {
        const f = files[i];
        const text = decode((muts ?? []).reduce((b, m) => m.apply(b), f.bytes));
        assertOptimizeRobust(text, f.file, f.root, new NodeFileSystem(f.root));
      }),
      params(150, 12),
    );
  });
});
