import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkDockerfile } from '../../server/src/engine';
import { NodeFileSystem } from '../../server/src/nodeFs';

describe('NodeFileSystem', () => {
  let dir: string;
  before(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'slimdock-nodefs-')));
    fs.mkdirSync(path.join(dir, '.venv/lib/python3.12'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.venv/pyvenv.cfg'), 'home = /usr/bin\n');
    fs.writeFileSync(path.join(dir, '.venv/lib/python3.12/big.so'), Buffer.alloc(100_000));
    fs.symlinkSync('lib', path.join(dir, '.venv/lib64'));
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM python:3.12-slim\nCOPY . /app\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('treats a symbolic link as an entry of its own, as a build context sends it (lib64 -> lib counted once)', () => {
    const nfs = new NodeFileSystem(dir);
    assert.equal(nfs.stat(path.join(dir, '.venv/lib64')), 'file');
    assert.equal(nfs.stat(path.join(dir, '.venv/lib')), 'dir');
    const file = path.join(dir, 'Dockerfile');
    const f = checkDockerfile({ file, text: fs.readFileSync(file, 'utf8'), fs: nfs, root: dir }).findings.find((x) => x.rule === 'SD402');
    assert.ok(f, 'SD402 reports the .venv');
    assert.ok(f.estimate!.bytes! >= 100_000 && f.estimate!.bytes! < 150_000, `the venv once, not twice: ${f.estimate!.bytes}`);
  });

  it('reads nothing outside its root, links included', () => {
    fs.symlinkSync('/etc/hostname', path.join(dir, 'outside'));
    const nfs = new NodeFileSystem(dir);
    assert.equal(nfs.readFile(path.join(dir, 'outside')), undefined);
    assert.equal(nfs.readFile('/etc/hostname'), undefined);
  });
});
