import assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../../server/src/engine';
import { scanRequirements, loadRequirementsTree, indexUrlsOf, requirementNamesOf } from '../../../server/src/engine/python/requirements';

/** The text a range covers. */
function cut(text: string, r: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  const lines = text.split('\n');
  if (r.start.line === r.end.line) return lines[r.start.line].slice(r.start.character, r.end.character);
  return [lines[r.start.line].slice(r.start.character), ...lines.slice(r.start.line + 1, r.end.line), lines[r.end.line].slice(0, r.end.character)].join('\n');
}

describe('requirements file scanner', () => {
  const text = [
    '# comment line',
    '--index-url https://download.pytorch.org/whl/cpu',
    '--extra-index-url=https://pypi.org/simple',
    '-f ./wheels',
    '--pre',
    'flask>=3.0  # inline comment',
    'numpy==1.26.4 \\',
    '    --hash=sha256:aaa \\',
    '    --hash=sha256:bbb',
    'Django[bcrypt] ; python_version >= "3.10"',
    'foo#bar',
    '-e ./libs/mylib',
    '--editable=git+https://github.com/o/r.git#egg=rpkg',
    './wheels/thing-1.0-py3-none-any.whl',
    'https://example.com/pkgs/other-2.0.tar.gz#egg=other',
    'pkg @ https://example.com/pkg.zip',
    'torch==2.2.0+cpu',
    '-rbase.txt',
    '--constraint constraints.txt',
    '   ',
    'requests \\',
    '  [socks]',
  ].join('\n');
  const f = scanRequirements(text, '/p/requirements.txt');

  it('reads the global options', () => {
    assert.equal(f.indexUrl, 'https://download.pytorch.org/whl/cpu');
    assert.deepEqual(f.extraIndexUrls, ['https://pypi.org/simple']);
    assert.deepEqual(f.findLinks, ['./wheels']);
    assert.equal(f.pre, true);
    assert.equal(f.noBinary, false);
    assert.equal(scanRequirements('--no-binary psycopg2\npsycopg2==2.9.9\n', '/p/r.txt').noBinary, true);
  });

  it('reads every entry with its kind, name and exact range', () => {
    const got = f.entries.map((e) => [e.kind, e.requirement?.normalized ?? '', cut(text, e.range)]);
    assert.deepEqual(got, [
      ['requirement', 'flask', 'flask>=3.0'],
      ['requirement', 'numpy', 'numpy==1.26.4'],
      ['requirement', 'django', 'Django[bcrypt] ; python_version >= "3.10"'],
      ['requirement', '', 'foo#bar'], // not a valid requirement, but not a comment either
      ['editable', '', './libs/mylib'],
      ['editable', 'rpkg', 'git+https://github.com/o/r.git#egg=rpkg'],
      ['path', 'thing', './wheels/thing-1.0-py3-none-any.whl'],
      ['url', 'other', 'https://example.com/pkgs/other-2.0.tar.gz#egg=other'],
      ['requirement', 'pkg', 'pkg @ https://example.com/pkg.zip'],
      ['requirement', 'torch', 'torch==2.2.0+cpu'],
      ['requirement', 'requests', 'requests \\\n  [socks]'],
    ]);
  });

  it('joins continuations: hashes on the following lines belong to the entry', () => {
    const numpy = f.entries.find((e) => e.requirement?.normalized === 'numpy')!;
    assert.deepEqual(numpy.hashes, ['sha256:aaa', 'sha256:bbb']);
    assert.deepEqual(f.entries.find((e) => e.requirement?.normalized === 'requests')?.requirement?.extras, ['socks']);
  });

  it('treats `#` as a comment only at the start or after whitespace', () => {
    assert.equal(f.entries.find((e) => e.requirement?.normalized === 'flask')?.text, 'flask>=3.0');
    assert.ok(f.entries.some((e) => e.text === 'foo#bar'));
  });

  it('records includes, resolved against the file folder', () => {
    assert.deepEqual(f.includes.map((i) => [i.kind, i.path, i.resolved]), [
      ['requirement', 'base.txt', '/p/base.txt'],
      ['constraint', 'constraints.txt', '/p/constraints.txt'],
    ]);
  });

  it('gives logical lines as suppression spans', () => {
    assert.ok(f.spans.some((s) => s.startLine === 6 && s.endLine === 8));
  });

  it('reads CRLF files', () => {
    const g = scanRequirements('flask\r\n# c\r\nnumpy \\\r\n  --hash=sha256:x\r\n', '/r.txt');
    assert.deepEqual(g.entries.map((e) => [e.text, e.range.start.line, e.hashes]), [['flask', 0, []], ['numpy', 2, ['sha256:x']]]);
  });

  it('survives any bytes', () => {
    for (const t of ['\\', '-r', '--hash', '\u0000\u0001\u0002', '#', '-e', '[[[', 'a\\\n\\\n\\']) assert.doesNotThrow(() => scanRequirements(t, '/x.txt'));
  });
});

describe('requirements includes', () => {
  it('follows -r and -c through the file system, each file once', () => {
    const fs = new MemoryFileSystem({
      '/p/requirements.txt': '-r requirements/base.txt\n-c constraints.txt\nflask\n',
      '/p/requirements/base.txt': '--extra-index-url https://download.pytorch.org/whl/cpu\n-r common.txt\ntorch\n',
      '/p/requirements/common.txt': 'requests\n',
      '/p/constraints.txt': 'urllib3<3\n',
    });
    const tree = loadRequirementsTree(fs, '/p/requirements.txt');
    assert.deepEqual(tree.files.map((x) => x.file), ['/p/requirements.txt', '/p/requirements/base.txt', '/p/requirements/common.txt', '/p/constraints.txt']);
    assert.deepEqual(indexUrlsOf(tree), ['https://download.pytorch.org/whl/cpu']);
    assert.deepEqual(requirementNamesOf(tree).sort(), ['flask', 'requests', 'torch']);
    assert.deepEqual(tree.missing, []);
  });

  it('guards against -r cycles', () => {
    const fs = new MemoryFileSystem({
      '/p/a.txt': '-r b.txt\nflask\n',
      '/p/b.txt': '-r a.txt\n-r ./b.txt\nnumpy\n',
    });
    const tree = loadRequirementsTree(fs, '/p/a.txt');
    assert.deepEqual(tree.files.map((x) => x.file), ['/p/a.txt', '/p/b.txt']);
    assert.equal(tree.cycles.length, 2);
  });

  it('reports missing includes and skips URLs', () => {
    const fs = new MemoryFileSystem({ '/p/a.txt': '-r missing.txt\n-r https://example.com/r.txt\nflask\n' });
    const tree = loadRequirementsTree(fs, '/p/a.txt');
    assert.deepEqual(tree.missing.map((m) => m.include.path), ['missing.txt']);
    assert.equal(tree.files.length, 1);
  });

  it('uses the given text over the file on disk (unsaved edits)', () => {
    const fs = new MemoryFileSystem({ '/p/a.txt': 'flask\n' });
    assert.deepEqual(requirementNamesOf(loadRequirementsTree(fs, '/p/a.txt', 'django\n')), ['django']);
  });
});
