import assert from 'node:assert/strict';
import { parseRequirement, normalizeName, normalizeSpecifier, normalizeVersion, markerExtras } from '../../../server/src/engine/python/requirement';
import { evaluateMarker } from '../../../server/src/engine/python/markers';
import { parseVersionRange, sameRange, lowestPython } from '../../../server/src/engine/python/pyversion';

describe('PEP 508 requirements', () => {
  const cases: [string, Partial<ReturnType<typeof parseRequirement>> | undefined][] = [
    ['flask', { name: 'flask', normalized: 'flask', extras: [], specifier: '', marker: '' }],
    ['Flask_Login>=0.6.3', { normalized: 'flask-login', specifier: '>=0.6.3' }],
    ['fastapi[standard, all] >= 0.112 , <1', { normalized: 'fastapi', extras: ['standard', 'all'], specifier: '>=0.112,<1' }],
    ['requests (>=2.0)', { normalized: 'requests', specifier: '>=2.0' }],
    ["pywin32; sys_platform == 'win32'", { normalized: 'pywin32', specifier: '', marker: "sys_platform == 'win32'" }],
    ['torch==2.1.0+cpu ; python_version < "3.12"', { normalized: 'torch', specifier: '==2.1.0+cpu', marker: 'python_version < "3.12"' }],
    ['pkg @ https://example.com/pkg-1.0.tar.gz ; os_name == "posix"', { normalized: 'pkg', url: 'https://example.com/pkg-1.0.tar.gz', marker: 'os_name == "posix"' }],
    ['kserve[llm] @ file:///${PROJECT_ROOT}/../kserve', { normalized: 'kserve', extras: ['llm'], url: 'file:///${PROJECT_ROOT}/../kserve' }],
    ['zope.interface~=6.0', { normalized: 'zope-interface', specifier: '~=6.0' }],
    ['', undefined],
    ['-r other.txt', undefined],
    ['./local/path', undefined],
    ['pkg @ ', undefined],
  ];
  for (const [text, want] of cases) {
    it(`parses ${JSON.stringify(text)}`, () => {
      const got = parseRequirement(text);
      if (!want) return assert.equal(got, undefined);
      assert.ok(got);
      for (const [k, v] of Object.entries(want)) assert.deepEqual((got as unknown as Record<string, unknown>)[k], v, k);
    });
  }
  it('keeps the name offsets', () => {
    const r = parseRequirement('  opencv-python>=4')!;
    assert.equal('  opencv-python>=4'.slice(r.nameStart, r.nameEnd), 'opencv-python');
  });
  it('normalises names (PEP 503)', () => {
    assert.equal(normalizeName('Foo.Bar__baz'), 'foo-bar-baz');
  });
  it('normalises specifiers and versions as uv writes them', () => {
    assert.equal(normalizeSpecifier('>= 00.11.0'), normalizeSpecifier('>=0.11'));
    assert.notEqual(normalizeSpecifier('~=1.0.0'), normalizeSpecifier('~=1.0'));
    assert.equal(normalizeSpecifier('<2027, >=2025.09.26'), normalizeSpecifier('>=2025.9.26,<2027'));
    assert.equal(normalizeVersion('1.0-alpha1'), '1.0a1');
    assert.equal(normalizeVersion('1.0.post'), '1.0.post0');
    assert.equal(normalizeVersion('3.12.*'), '3.12.*');
    assert.equal(normalizeVersion('2.1.0+cpu'), '2.1.0+cpu');
  });
  it('reads the extras a marker selects', () => {
    assert.deepEqual(markerExtras("python_version >= '3.10' and extra == 'GPU_Support'"), ['gpu-support']);
  });
});

describe('markers on linux x86_64', () => {
  const py312 = { python: { major: 3, minor: 12 } };
  const cases: [string, boolean | undefined][] = [
    ["sys_platform == 'win32'", false],
    ["sys_platform == 'darwin'", false],
    ["platform_system == 'Windows'", false],
    ["sys_platform != 'win32'", true],
    ["platform_machine == 'x86_64' and sys_platform == 'linux'", true],
    ["platform_machine == 'aarch64' and sys_platform == 'linux'", false],
    ["python_full_version < '3.13'", true],
    ["python_version < '3.10'", false],
    ["python_version >= '3.9' or sys_platform == 'win32'", true],
    ["(sys_platform == 'darwin' or sys_platform == 'win32') and python_version > '3'", false],
    ["platform_python_implementation != 'PyPy' and sys_platform != 'cygwin'", true],
    ["'linux' in sys_platform", true],
    ["python_version == '3.12.*'", true],
    ["extra == 'gpu'", undefined],
    ["extra == 'gpu' or sys_platform == 'linux'", true],
    ["extra == 'gpu' and sys_platform == 'win32'", false],
    ['this is not a marker', undefined],
    ['', true],
  ];
  for (const [m, want] of cases) it(`${m || '(empty)'} → ${want}`, () => assert.equal(evaluateMarker(m, py312), want));
  it('follows the Python version', () => {
    assert.equal(evaluateMarker("python_full_version >= '3.12'", { python: { major: 3, minor: 11 } }), false);
  });
});

describe('requires-python ranges', () => {
  const same: [string, string][] = [
    ['>=3.11,<3.12', '==3.11.*'],
    ['>=3.10,<4.0', '>=3.10, <4.0'],
    ['<3.14,>=3.10', '>=3.10, <3.14'],
    ['>= 3.10', '>=3.10'],
    ['~=3.10', '>=3.10,<4'],
    ['^3.10', '>=3.10,<4.0'],
  ];
  for (const [a, b] of same) it(`${a} is ${b}`, () => assert.ok(sameRange(parseVersionRange(a)!, parseVersionRange(b)!)));
  const differ: [string, string][] = [
    ['>=3.11,<3.14', '>=3.10, <3.12'],
    ['>=3.10', '>=3.11'],
    ['>=3.10', '>3.10'],
    ['==3.12.*', '==3.13.*'],
  ];
  for (const [a, b] of differ) it(`${a} is not ${b}`, () => assert.ok(!sameRange(parseVersionRange(a)!, parseVersionRange(b)!)));
  it('finds the lowest allowed Python, 3.12 by default', () => {
    assert.deepEqual(lowestPython('>=3.10, <3.13'), { major: 3, minor: 10 });
    assert.deepEqual(lowestPython('==3.11.*'), { major: 3, minor: 11 });
    assert.deepEqual(lowestPython('<3.13'), { major: 3, minor: 12 });
    assert.deepEqual(lowestPython(undefined), { major: 3, minor: 12 });
    assert.deepEqual(lowestPython('not a spec'), { major: 3, minor: 12 });
  });
});
