import assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../server/src/engine';
import { resolveBuildContext } from '../../server/src/engine/buildcontext';

describe('build context', () => {
  it('is the Dockerfile folder by default, with its .dockerignore', () => {
    const fs = new MemoryFileSystem({ '/w/app/Dockerfile': 'FROM x', '/w/app/.dockerignore': '.git\n# comment\n.venv/\n*.pyc\n!keep.pyc\n' });
    const ctx = resolveBuildContext(fs, '/w/app/Dockerfile', { root: '/w' });
    assert.equal(ctx.dir, '/w/app');
    assert.equal(ctx.origin, 'dockerfile-folder');
    assert.equal(ctx.ignored('.git'), true);
    assert.equal(ctx.ignored('.venv'), true);
    assert.equal(ctx.ignored('a.pyc'), true);
    assert.equal(ctx.ignored('keep.pyc'), false, 'negation pattern re-includes');
    assert.equal(ctx.ignored('src/main.py'), false);
  });

  it('prefers <Dockerfile>.dockerignore next to the Dockerfile', () => {
    const fs = new MemoryFileSystem({ '/w/Dockerfile.prod': 'FROM x', '/w/Dockerfile.prod.dockerignore': 'secrets', '/w/.dockerignore': '.git' });
    const ctx = resolveBuildContext(fs, '/w/Dockerfile.prod');
    assert.equal(ctx.dockerignorePath, '/w/Dockerfile.prod.dockerignore');
    assert.equal(ctx.ignored('secrets'), true);
    assert.equal(ctx.ignored('.git'), false);
  });

  it('follows a compose service that names the Dockerfile, with its target', () => {
    const fs = new MemoryFileSystem({
      '/w/compose.yaml': 'services:\n  api:\n    build:\n      context: .\n      dockerfile: docker/api/Dockerfile\n      target: runtime\n',
      '/w/docker/api/Dockerfile': 'FROM x',
      '/w/.dockerignore': 'node_modules',
    });
    const ctx = resolveBuildContext(fs, '/w/docker/api/Dockerfile', { root: '/w' });
    assert.equal(ctx.dir, '/w');
    assert.equal(ctx.target, 'runtime');
    assert.equal(ctx.origin, 'compose');
    assert.equal(ctx.ignored('node_modules'), true);
  });

  it('the short compose form `build: ./dir` and the setting', () => {
    const fs = new MemoryFileSystem({ '/w/docker-compose.yml': 'services:\n  web:\n    build: ./web\n', '/w/web/Dockerfile': 'FROM x' });
    assert.equal(resolveBuildContext(fs, '/w/web/Dockerfile', { root: '/w' }).dir, '/w/web');
    assert.equal(resolveBuildContext(fs, '/w/web/Dockerfile', { root: '/w', setting: '..' }).dir, '/w');
  });

  it('survives a broken compose file and a missing .dockerignore', () => {
    const fs = new MemoryFileSystem({ '/w/compose.yaml': 'services: [: bad', '/w/Dockerfile': 'FROM x' });
    const ctx = resolveBuildContext(fs, '/w/Dockerfile', { root: '/w' });
    assert.equal(ctx.dir, '/w');
    assert.equal(ctx.dockerignorePath, undefined);
    assert.equal(ctx.ignored('.git'), false);
  });
});

describe('inferred build context', () => {
  const { inferContextDir } = require('../../server/src/engine/buildcontext') as typeof import('../../server/src/engine/buildcontext');
  it('is the folder above when the copied files live there (docker build -f docker/Dockerfile .)', () => {
    const fs = new MemoryFileSystem({ '/w/docker/Dockerfile': 'x', '/w/requirements.txt': 'flask', '/w/src/app.py': 'x' });
    assert.equal(inferContextDir(fs, '/w/docker/Dockerfile', ['requirements.txt', 'src/'], '/w'), '/w');
  });
  it('stays next to the Dockerfile when the files are there', () => {
    const fs = new MemoryFileSystem({ '/w/app/Dockerfile': 'x', '/w/app/requirements.txt': 'flask', '/w/requirements.txt': 'x' });
    assert.equal(inferContextDir(fs, '/w/app/Dockerfile', ['requirements.txt'], '/w'), undefined);
  });
  // Found by review: a heredoc COPY's destination and text were taken for paths in the context.
  it('reads no sources from a heredoc COPY: check and check --fix stay in the Dockerfile\'s folder', () => {
    const { checkDockerfile } = require('../../server/src/engine') as typeof import('../../server/src/engine');
    const dockerfile = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY <<EOF requirements.txt\ncelery==5.4.0\nEOF\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["celery", "worker"]\n';
    const fs = new MemoryFileSystem({ '/w/services/worker/Dockerfile': dockerfile, '/w/services/worker/tasks.py': 'x', '/w/requirements.txt': 'x', '/w/.git/HEAD': 'x', '/w/node_modules/a/index.js': 'x' });
    const findings = checkDockerfile({ file: '/w/services/worker/Dockerfile', text: dockerfile, fs, root: '/w' }).findings;
    assert.deepEqual(findings.filter((f) => f.rule === 'SD402').map((f) => f.message), []);
  });
  it('never looks above the workspace root, and ignores globs and variables', () => {
    const fs = new MemoryFileSystem({ '/w/Dockerfile': 'x', '/requirements.txt': 'x' });
    assert.equal(inferContextDir(fs, '/w/Dockerfile', ['requirements.txt', '*.py', '$APP'], '/w'), undefined);
  });
});
