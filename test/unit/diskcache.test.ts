import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiskCache } from '../../server/src/lsp/files';
import { toPosix } from '../../server/src/nodeFs';

describe('DiskCache (the server\'s disk answers across checks)', () => {
  let dir = '';
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    dir = toPosix(fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'slimdock-disk-'))));
    now = 0;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('answers from the cache while fresh, from the disk once the time is up', () => {
    const cache = new DiskCache(2_000, clock);
    const file = `${dir}/requirements.txt`;
    fs.writeFileSync(file, 'flask\n');
    assert.equal(cache.for(dir).readFile(file), 'flask\n');
    fs.writeFileSync(file, 'django\n');
    now = 1_999;
    assert.equal(cache.for(dir).readFile(file), 'flask\n', 'still fresh');
    now = 2_000;
    assert.equal(cache.for(dir).readFile(file), 'django\n');
  });

  it('forgets a changed file, and its folder\'s listing, at once', () => {
    const cache = new DiskCache(60_000, clock);
    const disk = cache.for(dir);
    const file = `${dir}/.dockerignore`;
    assert.equal(disk.stat(file), undefined);
    assert.deepEqual(disk.readDir(dir), []);
    fs.writeFileSync(file, '.git\n');
    assert.equal(disk.stat(file), undefined, 'cached: not yet seen');
    cache.forget(file);
    assert.equal(disk.stat(file), 'file');
    assert.equal(disk.readFile(file), '.git\n');
    assert.deepEqual(disk.readDir(dir), ['.dockerignore']);
  });

  it('reads afresh when asked (a document just opened), and keeps what it read', () => {
    const cache = new DiskCache(60_000, clock);
    const file = `${dir}/pyproject.toml`;
    assert.equal(cache.for(dir).stat(file), undefined);
    fs.writeFileSync(file, '[project]\n');
    assert.equal(cache.for(dir).stat(file), undefined, 'cached');
    assert.equal(cache.for(dir, true).stat(file), 'file');
    assert.equal(cache.for(dir).stat(file), 'file', 'the fresh answer is the cached one now');
  });

  it('stays confined to its root, as the uncached file system is', () => {
    const cache = new DiskCache(60_000, clock);
    const outside = toPosix(fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'slimdock-out-'))));
    try {
      fs.writeFileSync(`${outside}/secret`, 'x');
      fs.symlinkSync(`${outside}/secret`, `${dir}/link`);
      assert.equal(cache.for(dir).readFile(`${outside}/secret`), undefined);
      assert.equal(cache.for(dir).readFile(`${dir}/link`), undefined);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
