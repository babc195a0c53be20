// The VS Code client's pure logic: the status item's summary of a file's diagnostics, and the rule
// list of "Show Rule Documentation" read from the shipped docs/rules pages.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe as describeSummary, formatMB, summarize, type DiagnosticLike } from '../../client/src/findings';
import { listRuleDocs, ruleTitle } from '../../client/src/ruleDocs';

const diag = (code: string, line: number, estimateBytes: number | null | undefined, source = 'slimdock'): DiagnosticLike => ({
  source,
  code,
  range: { start: { line } },
  data: estimateBytes === undefined ? { index: 0, version: 1 } : { index: 0, version: 1, rule: code, estimateBytes },
});

describe('client: findings summary', () => {
  it('counts only slimdock diagnostics and sums their estimates', () => {
    const s = summarize([diag('SD101', 3, 40e6), diag('SD201', 5, 120e6), diag('DL3042', 3, null, 'hadolint')]);
    assert.deepEqual(s, { count: 2, bytes: 160e6, unknown: 0 });
  });

  it('counts a rule+line once, with its largest estimate', () => {
    const s = summarize([diag('SD201', 5, 10e6), diag('SD201', 5, 30e6), diag('SD202', 5, 1e6)]);
    assert.deepEqual(s, { count: 3, bytes: 31e6, unknown: 0 });
  });

  it('a known estimate wins over an unknown one on the same rule+line', () => {
    assert.deepEqual(summarize([diag('SD201', 5, null), diag('SD201', 5, 2e6)]), { count: 2, bytes: 2e6, unknown: 0 });
    assert.deepEqual(summarize([diag('SD201', 5, 2e6), diag('SD201', 5, null)]), { count: 2, bytes: 2e6, unknown: 0 });
  });

  it('unknown sizes (null, absent, not a number, negative) add nothing and are counted apart', () => {
    const weird: DiagnosticLike = { source: 'slimdock', code: 'SD103', range: { start: { line: 9 } }, data: { estimateBytes: '5' } };
    const negative = diag('SD104', 1, -5);
    const s = summarize([diag('SD101', 1, null), diag('SD102', 2, undefined), weird, negative, { source: 'slimdock', range: { start: { line: 4 } } }]);
    assert.deepEqual(s, { count: 5, bytes: 0, unknown: 5 });
  });

  it('reads a code given as { value }', () => {
    const a: DiagnosticLike = { source: 'slimdock', code: { value: 'SD101' }, range: { start: { line: 1 } }, data: { estimateBytes: 5e6 } };
    assert.deepEqual(summarize([a, diag('SD101', 1, 5e6)]), { count: 2, bytes: 5e6, unknown: 0 });
  });

  it('formats decimal megabytes like the engine', () => {
    assert.equal(formatMB(0), '≈ 0 MB');
    assert.equal(formatMB(1_234_567), '≈ 1.2 MB');
    assert.equal(formatMB(9_960_000), '≈ 10 MB');
    assert.equal(formatMB(341_600_000), '≈ 342 MB');
  });

  it('describes the summary', () => {
    assert.equal(describeSummary({ count: 0, bytes: 0, unknown: 0 }), 'no findings');
    assert.equal(describeSummary({ count: 1, bytes: 0, unknown: 1 }), '1 finding');
    assert.equal(describeSummary({ count: 3, bytes: 120e6, unknown: 0 }), '3 findings · ≈ 120 MB savable');
  });
});

describe('client: rule documentation list', () => {
  it('reads the title from the page heading', () => {
    assert.equal(ruleTitle('# SD301: Heavy base image for the final stage\n\ntext'), 'Heavy base image for the final stage');
    assert.equal(ruleTitle('# SD101 — pip cache\n'), 'pip cache');
    assert.equal(ruleTitle('no heading here'), undefined);
  });

  it('lists SDnnn.md pages only, sorted, with the id as title when the heading is missing', async () => {
    const pages: Record<string, string> = { 'SD102.md': '# SD102: B', 'SD101.md': '# SD101: A', 'README.md': '# Rules', 'sd103.md': 'none' };
    const list = await listRuleDocs(Object.keys(pages), async (f) => pages[f]);
    assert.deepEqual(list, [
      { id: 'SD101', title: 'A', file: 'SD101.md' },
      { id: 'SD102', title: 'B', file: 'SD102.md' },
      { id: 'SD103', title: 'SD103', file: 'sd103.md' },
    ]);
  });

  it('every shipped docs/rules page has a titled heading', async () => {
    const dir = path.resolve(__dirname, '../../docs/rules');
    const files = fs.readdirSync(dir);
    const list = await listRuleDocs(files, async (f) => fs.readFileSync(path.join(dir, f), 'utf8'));
    assert.ok(list.length > 0, 'docs/rules has pages');
    for (const r of list) assert.notEqual(r.title, r.id, `${r.file} has no "# ${r.id}: title" heading`);
  });
});
