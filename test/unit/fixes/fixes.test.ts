// The pure fix helpers: applying edits (order, CRLF), fix-all (overlaps dropped, duplicates
// merged, one fix whole or not at all), the ignore comment (indentation, escape character,
// merging), and the validation `check --fix` runs before writing.
import assert from 'node:assert/strict';
import type { Finding, Fix, TextEdit } from '../../../server/src/engine';
import { applyEdits, checkFixedText, conflicts, fixAll, ignoreEdit, mapLine, sortEdits, withEol } from '../../../server/src/engine/fixes';
import { check } from '../../helpers';

const at = (line: number, character: number) => ({ line, character });
const ins = (line: number, character: number, newText: string): TextEdit => ({ range: { start: at(line, character), end: at(line, character) }, newText });
const rep = (l1: number, c1: number, l2: number, c2: number, newText: string): TextEdit => ({ range: { start: at(l1, c1), end: at(l2, c2) }, newText });

function finding(rule: string, line: number, fixes: Fix[]): Finding {
  return { rule, file: '/ctx/Dockerfile', range: { start: at(line, 0), end: at(line, 1) }, message: `${rule} at ${line}`, severity: 'warning', fixes };
}

describe('fixes: applying edits', () => {
  it('applies edits given in any order, inserts at one position in the order given', () => {
    const text = 'RUN pip install flask\nRUN echo hi\n';
    const out = applyEdits(text, [ins(1, 11, '!'), ins(0, 15, ' --no-cache-dir'), ins(0, 15, ' -q')]);
    assert.equal(out, 'RUN pip install --no-cache-dir -q flask\nRUN echo hi!\n');
  });

  it('sorts edits by position, stable for equal ones', () => {
    const a = ins(2, 0, 'a');
    const b = ins(0, 5, 'b');
    const c = ins(2, 0, 'c');
    assert.deepEqual(sortEdits([a, b, c]), [b, a, c]);
  });

  it('refuses overlapping edits instead of guessing', () => {
    assert.throws(() => applyEdits('abcdef', [rep(0, 0, 0, 4, 'x'), rep(0, 2, 0, 6, 'y')]), /Overlapping/);
  });

  it('keeps CRLF files CRLF: positions count lines by \\r\\n, inserted line breaks follow the file', () => {
    const text = 'FROM python:3.12-slim\r\nRUN pip install flask\r\n';
    const out = applyEdits(text, [ins(1, 15, ' --no-cache-dir'), ins(1, 0, 'ENV A=1\n')]);
    assert.equal(out, 'FROM python:3.12-slim\r\nENV A=1\r\nRUN pip install --no-cache-dir flask\r\n');
    assert.ok(!/[^\r]\n/.test(out), 'no bare LF');
    assert.deepEqual(withEol('a\nb', [ins(0, 0, 'x\ny\n')]), [ins(0, 0, 'x\ny\n')], 'LF files unchanged');
  });

  it('a position past the end of a line stays on that line (before its CRLF)', () => {
    assert.equal(applyEdits('ab\r\ncd', [ins(0, 99, '!')]), 'ab!\r\ncd');
  });

  it('maps a line to where it moves', () => {
    const edits = [ins(1, 0, 'ENV A=1\nENV B=2\n'), rep(3, 0, 4, 0, ''), ins(9, 0, 'X\n')];
    assert.equal(mapLine(edits, at(1, 4)), 3, 'two lines inserted above');
    assert.equal(mapLine(edits, at(6, 0)), 7, 'and one removed');
    assert.equal(mapLine(edits, at(0, 5)), 0);
    // A merge that swallows a blank line: the second RUN's start now follows the new `&&` line.
    const merge = [rep(2, 10, 4, 4, ' \\\n    && ')];
    assert.equal(mapLine(merge, at(4, 0)), 3);
    assert.equal(mapLine(merge, at(6, 0)), 5);
  });
});

describe('fixes: fix-all', () => {
  const safe = (title: string, edits: TextEdit[], extra: Partial<Fix> = {}): Fix => ({ title, edits, safe: true, ...extra });

  it('takes the preferred safe fix, else the first safe one; never an unsafe one', () => {
    const set = fixAll([
      finding('SD101', 0, [safe('mount', [ins(0, 3, ' --mount=x')]), safe('no cache', [ins(0, 15, ' --no-cache-dir')], { preferred: true })]),
      finding('SD406', 1, [{ title: 'merge', edits: [rep(0, 20, 1, 3, ' && ')], preferred: true }]),
      finding('SD201', 2, [{ title: 'unsafe', edits: [ins(2, 0, 'x')] }, safe('safe', [ins(2, 9, ' y')])]),
    ]);
    assert.deepEqual(set.applied.map((c) => c.fix.title), ['no cache', 'safe']);
    assert.deepEqual(set.edits, [ins(0, 15, ' --no-cache-dir'), ins(2, 9, ' y')]);
  });

  it('drops a fix whose edits overlap or touch a taken one, whole', () => {
    const set = fixAll([
      finding('SD101', 0, [safe('a', [rep(0, 4, 0, 15, 'uv pip install')])]),
      finding('SD102', 0, [safe('b', [ins(0, 30, ' x'), ins(0, 15, ' --y')])]), // touches a's end
      finding('SD103', 0, [safe('c', [rep(0, 10, 0, 12, 'z')])]), // inside a
      finding('SD104', 3, [safe('d', [ins(3, 0, 'q')])]),
    ]);
    assert.deepEqual(set.applied.map((c) => c.fix.title), ['a', 'd']);
    assert.deepEqual(set.skipped.map((c) => c.fix.title), ['b', 'c']);
    assert.deepEqual(set.edits, [rep(0, 4, 0, 15, 'uv pip install'), ins(3, 0, 'q')], 'b\'s non-overlapping edit is not applied either');
    assert.ok(!conflicts(rep(0, 0, 0, 4, 'x'), rep(0, 5, 0, 6, 'y')));
  });

  it('applies an edit two fixes share once', () => {
    const env = ins(2, 0, 'ENV UV_LINK_MODE=copy\n');
    const set = fixAll([finding('SD505', 2, [safe('a', [env])]), finding('SD505', 2, [safe('b', [env, ins(2, 20, ' x')])])]);
    assert.deepEqual(set.applied.length, 2);
    assert.deepEqual(set.edits, [env, ins(2, 20, ' x')]);
  });

  it('combines edits to other files per file and keeps the create flag', () => {
    const fe = (text: string, create = false) => ({ file: '/ctx/.dockerignore', edits: [ins(0, 0, text)], create });
    const set = fixAll([
      finding('SD402', 3, [safe('ignore .git', [], { otherFiles: [fe('.git\n', true)] })]),
      finding('SD403', 3, [safe('ignore .env', [], { otherFiles: [fe('.env\n', true)] })]), // same spot: next round
      finding('SD101', 1, [safe('no cache', [ins(1, 15, ' --no-cache-dir')])]),
    ]);
    assert.deepEqual(set.applied.map((c) => c.fix.title), ['ignore .git', 'no cache']);
    assert.deepEqual(set.otherFiles, [fe('.git\n', true)]);
  });

  it('over a real Dockerfile, the combined edits remove every safely fixable finding', () => {
    const text = 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y curl\nRUN pip install flask==3.0.3\n';
    const before = check(text);
    const set = fixAll(before);
    assert.ok(set.applied.length >= 3, `fixes taken: ${set.applied.map((c) => c.finding.rule).join(', ')}`);
    const after = check(applyEdits(text, set.edits));
    for (const { finding: f } of set.applied) assert.ok(!after.some((x) => x.rule === f.rule && x.range.start.line === f.range.start.line), `${f.rule} still there`);
    assert.equal(fixAll(after).applied.length, 0, 'a second fix-all has nothing left to do');
  });
});

describe('fixes: ignore for this line', () => {
  it('inserts the comment above the instruction with its indentation', () => {
    const text = 'FROM python:3.12-slim\n  RUN pip install flask\n';
    assert.deepEqual(ignoreEdit(text, 1, 'SD101'), ins(1, 0, '  # slimdock: ignore=SD101\n'));
  });

  it('goes above the first line of a continued instruction, and suppresses the finding', () => {
    const text = 'FROM python:3.12-slim\nRUN apt-get update && \\\n    pip install flask\n';
    const edit = ignoreEdit(text, 2, 'SD101');
    assert.deepEqual(edit, ins(1, 0, '# slimdock: ignore=SD101\n'));
    assert.ok(check(text).some((f) => f.rule === 'SD101'));
    assert.ok(!check(applyEdits(text, [edit!])).some((f) => f.rule === 'SD101'));
  });

  it('follows the escape character: backtick continues, backslash does not', () => {
    const text = '# escape=`\nFROM python:3.12-slim\nRUN echo C:\\\nRUN pip install `\n    flask\n';
    // Line 4 (`flask`) belongs to the RUN on line 3; line 2's backslash is no continuation.
    assert.deepEqual(ignoreEdit(text, 4, 'SD101'), ins(3, 0, '# slimdock: ignore=SD101\n'));
    const fixed = applyEdits(text, [ignoreEdit(text, 4, 'SD101')!]);
    assert.ok(fixed.startsWith('# escape=`\n'), 'the parser directive stays first');
    assert.ok(check(text).some((f) => f.rule === 'SD101'), 'SD101 fires before');
    assert.ok(!check(fixed).some((f) => f.rule === 'SD101'), 'and not after');
  });

  it('in a CRLF file, the comment ends with CRLF', () => {
    assert.deepEqual(ignoreEdit('FROM python:3.12-slim\r\nRUN pip install flask\r\n', 1, 'SD101'), ins(1, 0, '# slimdock: ignore=SD101\r\n'));
  });

  it('merges into a `# slimdock: ignore=` comment directly above', () => {
    const text = 'FROM python:3.12-slim\n# keep this\n    # slimdock: ignore=SD104, SD103  (reviewed)\nRUN pip install flask\n';
    const edit = ignoreEdit(text, 3, 'SD101')!;
    assert.deepEqual(edit, ins(2, 35, ',SD101'));
    assert.equal(applyEdits(text, [edit]).split('\n')[2], '    # slimdock: ignore=SD104, SD103,SD101  (reviewed)');
    assert.ok(!check(applyEdits(text, [edit])).some((f) => ['SD101', 'SD103', 'SD104'].includes(f.rule)));
  });

  it('does not merge into ignore-file, hadolint, or a comment separated by a blank line', () => {
    for (const above of ['# slimdock: ignore-file=SD406\n', '# hadolint ignore=DL3059\n', '# slimdock: ignore=SD104\n\n']) {
      const text = `FROM python:3.12-slim\n${above}RUN pip install flask\n`;
      const line = text.split('\n').indexOf('RUN pip install flask');
      assert.deepEqual(ignoreEdit(text, line, 'SD101'), ins(line, 0, '# slimdock: ignore=SD101\n'), above);
    }
  });

  it('nothing when the rule is already listed or the line holds no instruction', () => {
    assert.equal(ignoreEdit('FROM a\n# slimdock: ignore=sd101\nRUN x\n', 2, 'SD101'), undefined);
    assert.equal(ignoreEdit('FROM a\n# a comment\n\nRUN x\n', 1, 'SD101'), undefined);
    assert.equal(ignoreEdit('FROM a\n', 5, 'SD101'), undefined);
  });
});

describe('fixes: is the fixed file still whole', () => {
  const text = 'FROM python:3.12-slim\nRUN apt-get update\nRUN rm -rf /var/lib/apt/lists/*\n';

  it('accepts an edit that keeps every instruction', () => {
    assert.equal(checkFixedText(text, text.replace('update', 'update -q'), [{ title: 'Add -q' }]), undefined);
  });

  it('refuses a lost instruction unless the fix says it removes one', () => {
    const merged = 'FROM python:3.12-slim\nRUN apt-get update \\\n    && rm -rf /var/lib/apt/lists/*\n';
    assert.match(checkFixedText(text, merged, [{ title: 'Add -q' }]) ?? '', /RUN instructions lost: 2 → 1/);
    assert.equal(checkFixedText(text, merged, [{ title: 'Move `rm` into the RUN on line 2' }]), undefined);
    assert.match(checkFixedText(text, 'FROM python:3.12-slim\n', [{ title: 'Move `rm` into the RUN on line 2' }]) ?? '', /lost/);
  });

  it('refuses an added instruction the title does not announce, accepts an announced one', () => {
    const withEnv = text.replace('RUN apt', 'ENV A=1\nRUN apt');
    assert.match(checkFixedText(text, withEnv, [{ title: 'Add -q' }]) ?? '', /ENV instructions added/);
    assert.equal(checkFixedText(text, withEnv, [{ title: 'Add ENV A=1 before this RUN' }]), undefined);
  });

  it('refuses a RUN whose shell no longer parses', () => {
    assert.match(checkFixedText(text, text.replace('update', 'update && ('), [{ title: 'x' }]) ?? '', /no longer parses/);
  });
});

describe('fixes: rounds (applySafeFixes)', () => {
  // From fuzzing Optimize: a fix whose edit lands where it does nothing (then, SD109's clean
  // appended inside an unclosed quote) was applied again every round, 12 times over.
  it('undoes and refuses a fix that leaves its finding, and still applies the others', () => {
    const { applySafeFixes } = require('../../../server/src/engine/fixes/rounds') as typeof import('../../../server/src/engine/fixes/rounds');
    const { memoryFs } = require('../optimize/golden') as typeof import('../optimize/golden');
    const text = 'FROM python:3.12\nRUN pip install flask\n';
    const useless = (f: Finding): Fix | undefined => (f.rule === 'SD301' ? { title: 'Add a comment', edits: [ins(1, 0, '# slim?\n')], preferred: true } : undefined);
    const r = applySafeFixes({ file: '/ctx/Dockerfile', text, fs: memoryFs({ Dockerfile: text }), root: '/ctx', otherwise: useless });
    assert.equal(r.text, 'FROM python:3.12\nRUN pip install --no-cache-dir flask\n');
    assert.deepEqual(r.preferred, []);
    assert.equal(r.fixed.get('SD101'), 1);
    assert.deepEqual(r.rejected, ['SD301 "Add a comment" (line 1): it did not remove its finding']);
  });

  it('does not apply a fix inside a RUN the shell parser could not read whole (an unclosed quote)', () => {
    const findings = check('FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && echo "x\n');
    const sd201 = findings.find((f) => f.rule === 'SD201');
    assert.ok(sd201, 'SD201 still reports the lists');
    assert.equal(sd201.fixes.length, 0);
  });
});
