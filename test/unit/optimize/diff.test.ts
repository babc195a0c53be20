// The unified diff of `slimdock optimize --diff`.
import assert from 'node:assert/strict';
import { unifiedDiff } from '../../../server/src/engine/optimize/diff';

describe('optimize: unified diff', () => {
  it('is empty for equal texts', () => assert.equal(unifiedDiff('a\nb\n', 'a\nb\n', 'a/x', 'b/x'), ''));

  it('writes hunks with three lines of context, deletions before insertions', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'].join('\n') + '\n';
    const after = ['1', '2', '3', '4', 'five', '6', '7', '8', '9', '10'].join('\n') + '\n';
    assert.equal(unifiedDiff(before, after, 'a/D', 'b/D'), '--- a/D\n+++ b/D\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n');
  });

  it('separates changes far apart into hunks and counts a new file from 0,0', () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n') + '\n';
    const after = before.replace('l1\n', 'L1\n').replace('l18\n', 'L18\n');
    const d = unifiedDiff(before, after, 'a', 'b');
    assert.equal((d.match(/^@@/gm) ?? []).length, 2);
    assert.equal(unifiedDiff('', 'x\ny\n', '/dev/null', 'b/f'), '--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+x\n+y\n');
  });
});
