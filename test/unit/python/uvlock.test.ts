import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { MemoryFileSystem } from '../../../server/src/engine';
import { parseUvLock } from '../../../server/src/engine/python/uvlock';
import { LockSizes, lockSizes, wheelRank, pickArtifact, isCudaPackage } from '../../../server/src/engine/python/sizes';
import { CORPUS, corpusPaths, skipWithoutCorpus } from '../../corpus-manifest';

const FIXTURE = path.resolve(__dirname, '../../fixtures/python/transitive-torch');
const lockText = readFileSync(`${FIXTURE}/uv.lock`, 'utf8');

describe('uv.lock parser', () => {
  const { lock, error } = parseUvLock(lockText);
  it('reads the header, packages, sources, edges, wheels and metadata', () => {
    assert.equal(error, undefined);
    assert.ok(lock);
    assert.equal(lock.version, 1);
    assert.equal(lock.requiresPython, '>=3.12');
    assert.equal(lock.packages.length, 11);
    assert.equal(lock.root?.name, 'app');
    assert.deepEqual(lock.root?.source, { kind: 'virtual', value: '.' });
    const torch = lock.byName.get('torch')![0];
    assert.equal(torch.version, '2.6.0');
    assert.deepEqual(torch.source, { kind: 'registry', value: 'https://pypi.org/simple' });
    assert.deepEqual(torch.dependencies.map((d) => [d.name, d.marker ?? '']), [
      ['filelock', ''],
      ['nvidia-cublas-cu12', "platform_machine == 'x86_64' and sys_platform == 'linux'"],
      ['triton', "platform_machine == 'x86_64' and sys_platform == 'linux'"],
    ]);
    assert.equal(torch.wheels.length, 4);
    assert.deepEqual(torch.wheels[1], { url: 'https://files.pythonhosted.org/packages/torch-2.6.0-cp312-cp312-manylinux1_x86_64.whl', filename: 'torch-2.6.0-cp312-cp312-manylinux1_x86_64.whl', size: 767000000 });
    assert.equal(lock.byName.get('fastapi')![0].sdist?.size, 300000);
    assert.deepEqual(lock.root?.devDependencies.get('dev')?.map((d) => d.name), ['pytest']);
    assert.deepEqual(lock.root?.metadata?.requiresDist.map((r) => [r.name, r.specifier]), [['fastapi', '>=0.110'], ['sentence-transformers', '>=3.0']]);
    assert.deepEqual(lock.root?.metadata?.requiresDev.get('dev')?.map((r) => r.name), ['pytest']);
  });

  it('keeps only linux x86_64 and pure wheels when asked, and reads the same otherwise', () => {
    const fast = parseUvLock(lockText, { linuxX86Only: true }).lock!;
    const cublas = fast.byName.get('nvidia-cublas-cu12')![0];
    assert.deepEqual(cublas.wheels.map((w) => w.filename), ['nvidia_cublas_cu12-12.4.5.8-py3-none-manylinux2014_x86_64.whl']);
    assert.equal(fast.packages.length, lock!.packages.length);
  });

  it('reads extras, forks, git/editable/url sources, and requires-dist sources', () => {
    const text = `version = 1
requires-python = ">=3.10"
resolution-markers = ["python_full_version >= '3.11'", "python_full_version < '3.11'"]

[manifest]
members = ["proj", "sub"]

[[package]]
name = "proj"
version = "1.0"
source = { editable = "." }
dependencies = [{ name = "numpy", version = "2.2.0", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version >= '3.11'" }, { name = "numpy", version = "1.26.4", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version < '3.11'" }, { name = "uvicorn", extra = ["standard"] }]

[package.optional-dependencies]
gpu = [{ name = "cupy" }]

[package.metadata]
requires-dist = [{ name = "numpy" }, { name = "lib", git = "https://github.com/o/lib?rev=main" }, { name = "cupy", marker = "extra == 'gpu'" }, { include-group = "x" }]

[[package]]
name = "numpy"
version = "2.2.0"
source = { registry = "https://pypi.org/simple" }
resolution-markers = ["python_full_version >= '3.11'"]

[[package]]
name = "numpy"
version = "1.26.4"
source = { registry = "https://pypi.org/simple" }
resolution-markers = ["python_full_version < '3.11'"]

[[package]]
name = "lib"
version = "0.1"
source = { git = "https://github.com/o/lib?rev=main#abc" }

[[package]]
name = "wheelonly"
version = "1"
source = { url = "https://example.com/wheelonly-1-py3-none-any.whl" }
wheels = [{ url = "https://example.com/wheelonly-1-py3-none-any.whl" }]
`;
    const { lock: l } = parseUvLock(text);
    assert.ok(l);
    assert.deepEqual(l.members, ['proj', 'sub']);
    assert.equal(l.root?.name, 'proj');
    assert.deepEqual(l.root?.dependencies.map((d) => [d.name, d.version ?? '', d.extras.join()]), [['numpy', '2.2.0', ''], ['numpy', '1.26.4', ''], ['uvicorn', '', 'standard']]);
    assert.deepEqual(l.root?.metadata?.requiresDist.map((r) => [r.name, r.source?.git ?? '', r.marker ?? '']), [['numpy', '', ''], ['lib', 'https://github.com/o/lib?rev=main', ''], ['cupy', '', "extra == 'gpu'"]]);
    assert.equal(l.byName.get('lib')![0].source.kind, 'git');
    assert.equal(l.byName.get('wheelonly')![0].wheels[0].size, undefined);
    const s11 = new LockSizes(l, '/x/uv.lock', { major: 3, minor: 11 });
    assert.equal(s11.resolve({ normalized: 'numpy' })?.version, '2.2.0');
    const s10 = new LockSizes(l, '/x/uv.lock', { major: 3, minor: 10 });
    assert.equal(s10.resolve({ normalized: 'numpy' })?.version, '1.26.4');
    assert.equal(s10.resolve({ normalized: 'numpy', version: '2.2.0' })?.version, '2.2.0');
  });

  const bad: [string, string][] = [
    ['not TOML', 'version = = 1'],
    ['truncated', '[[package]]\nname = "a"\nwheels = [\n  { url = "x", size = 1 },\n'],
  ];
  for (const [name, text] of bad) {
    it(`returns an error for ${name}, never a throw`, () => {
      const r = parseUvLock(text);
      assert.equal(r.lock, undefined);
      assert.ok(r.error);
    });
  }
  it('reads an empty lock as no packages', () => {
    assert.deepEqual(parseUvLock('').lock?.packages, []);
  });
  it('ignores packages with the wrong shape', () => {
    const { lock: l } = parseUvLock('[[package]]\nversion = "1"\n[[package]]\nname = "ok"\nwheels = "nope"\ndependencies = [1, { name = 2 }]\n');
    assert.deepEqual(l?.packages.map((p) => [p.name, p.wheels.length, p.dependencies.length]), [['ok', 0, 0]]);
  });
});

describe('wheel choice (linux x86_64)', () => {
  const py = { major: 3, minor: 12 };
  const ranks: [string, number][] = [
    ['x-1-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', 5],
    ['x-1-cp39-abi3-manylinux_2_17_x86_64.whl', 4],
    ['x-1-cp313-abi3-manylinux_2_17_x86_64.whl', -1],
    ['x-1-py3-none-manylinux2014_x86_64.whl', 3],
    ['x-1-py3-none-any.whl', 2],
    ['x-1-py2.py3-none-any.whl', 2],
    ['x-1-cp311-cp311-manylinux_2_17_x86_64.whl', -1],
    ['x-1-cp312-cp312-musllinux_1_2_x86_64.whl', -1],
    ['x-1-cp312-cp312-manylinux_2_17_aarch64.whl', -1],
    ['x-1-cp312-cp312-win_amd64.whl', -1],
    ['x-1-cp312-cp312-macosx_11_0_arm64.whl', -1],
    ['x-1-cp312-cp312t-manylinux_2_17_x86_64.whl', -1],
    ['not-a-wheel.tar.gz', -1],
  ];
  for (const [f, r] of ranks) it(`${f} → ${r}`, () => assert.equal(wheelRank(f, py), r));

  it('prefers the exact tag, then the newer manylinux, else the sdist', () => {
    const pkg = (wheels: [string, number][], sdist?: number) => ({
      name: 'x', normalized: 'x', source: { kind: 'registry' as const, value: 'https://pypi.org/simple' }, resolutionMarkers: [], dependencies: [],
      optionalDependencies: new Map(), devDependencies: new Map(), wheels: wheels.map(([filename, size]) => ({ filename, size })), sdist: sdist === undefined ? undefined : { filename: 'x-1.tar.gz', size: sdist },
    });
    assert.equal(pickArtifact(pkg([['x-1-cp39-abi3-manylinux_2_17_x86_64.whl', 10], ['x-1-cp312-cp312-manylinux_2_17_x86_64.whl', 20], ['x-1-py3-none-any.whl', 30]]), py).bytes, 20);
    assert.equal(pickArtifact(pkg([['x-1-cp312-cp312-manylinux_2_17_x86_64.whl', 20], ['x-1-cp312-cp312-manylinux_2_28_x86_64.whl', 25]]), py).bytes, 25);
    assert.deepEqual(pickArtifact(pkg([['x-1-cp312-cp312-win_amd64.whl', 20]], 99), py), { bytes: 99, filename: 'x-1.tar.gz', kind: 'sdist' });
    assert.deepEqual(pickArtifact(pkg([]), py), { bytes: null, kind: 'none' });
  });
});

describe('closure sizes from uv.lock', () => {
  const fs = new MemoryFileSystem({ '/proj/uv.lock': lockText });
  const sizes = lockSizes(fs, '/proj')!;

  it('sizes for the lowest allowed Python', () => {
    assert.deepEqual(sizes.python, { major: 3, minor: 12 });
  });
  it('adds up a direct dependency with everything it pulls in, once each', () => {
    const st = sizes.directClosure('sentence-transformers', { kind: 'dependencies' })!;
    // 270 000 + torch 767 000 000 (cp312) + transformers 10 000 000 + filelock 16 000 (once) + cublas 360 000 000 (x86_64) + triton 253 000 000
    assert.equal(st.bytes, 1_390_286_000);
    assert.equal(st.packages, 6);
    assert.equal(st.cudaBytes, 1_380_000_000);
    assert.deepEqual([...st.cudaPackages].sort(), ['nvidia-cublas-cu12', 'torch', 'triton']);
    const fastapi = sizes.directClosure('fastapi', { kind: 'dependencies' })!;
    assert.deepEqual([fastapi.bytes, fastapi.packages, fastapi.cudaBytes], [170_000, 2, 0]);
  });
  it('skips edges whose marker excludes Linux', () => {
    const pytest = sizes.directClosure('pytest', { kind: 'group', name: 'dev' })!;
    assert.deepEqual([pytest.bytes, pytest.packages], [340_000, 1]);
  });
  it('sizes the whole project without dev groups', () => {
    const all = sizes.projectClosure();
    assert.equal(all.bytes, 1_390_286_000 + 170_000);
    assert.equal(all.packages, 8);
  });
  it('classifies CUDA packages', () => {
    const mk = (name: string, version: string, registry: string) => ({ name, normalized: name, version, source: { kind: 'registry' as const, value: registry } }) as Parameters<typeof isCudaPackage>[0];
    assert.equal(isCudaPackage(mk('torch', '2.6.0', 'https://pypi.org/simple')), true);
    assert.equal(isCudaPackage(mk('torch', '2.6.0+cpu', 'https://download.pytorch.org/whl/cpu')), false);
    assert.equal(isCudaPackage(mk('torch', '2.6.0', 'https://download.pytorch.org/whl/cpu')), false);
    assert.equal(isCudaPackage(mk('torch', '2.6.0+cu124', 'https://download.pytorch.org/whl/cu124')), true);
    assert.equal(isCudaPackage(mk('nvidia-cudnn-cu12', '9', 'https://pypi.org/simple')), true);
    assert.equal(isCudaPackage(mk('torchvision', '0.21.0', 'https://pypi.org/simple')), false);
  });
  it('is undefined without a lock', () => {
    assert.equal(lockSizes(new MemoryFileSystem({}), '/proj'), undefined);
  });
});

// Every uv.lock of the corpus: parses, quickly, and every package with wheels for linux x86_64 gets a size.
describe('corpus uv.lock files', () => {
  const corpus = CORPUS;
  const locks = corpusPaths('uvlock');
  skipWithoutCorpus();
  it('lists some locks', () => assert.ok(locks.length >= 30, `${locks.length} locks`));
  for (const rel of locks) {
    it(`parses ${rel}`, function () {
      const file = path.join(corpus, rel);
      if (!existsSync(file)) this.skip();
      const text = readFileSync(file, 'utf8');
      const t0 = performance.now();
      const { lock, error } = parseUvLock(text, { linuxX86Only: true });
      const ms = performance.now() - t0;
      assert.equal(error, undefined);
      assert.ok(lock);
      assert.ok(ms < 1000, `${Math.round(ms)} ms for ${text.length} bytes`);
      if (!text.includes('[[package]]')) return; // an empty or header-only placeholder
      assert.ok(lock.packages.length > 0, 'packages');
      const sizes = new LockSizes(lock, file);
      let sized = 0;
      for (const p of lock.packages) {
        const a = sizes.artifact(p);
        // PyPI records every file's size; mirrors and the PyTorch index may not (then: unknown, not 0).
        if (/pypi\.org\/simple/.test(p.source.value) && a.kind !== 'none') assert.ok(a.bytes !== null && a.bytes > 0, `${p.name} ${p.version}: ${a.filename} has no size`);
        assert.ok(a.bytes === null || a.bytes > 0, `${p.name}: ${a.bytes}`);
        if (a.bytes) sized++;
      }
      if (lock.packages.some((p) => /pypi\.org\/simple/.test(p.source.value))) assert.ok(sized > 0);
      const project = sizes.projectClosure();
      assert.ok(project.bytes >= 0 && project.packages <= lock.packages.length);
    });
  }
});
