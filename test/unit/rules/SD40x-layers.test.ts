import assert from 'node:assert/strict';
import { ruleCases, assertFix } from '../../helpers';

ruleCases('SD404', {
  fires: [
    { name: 'apt lists removed a layer later', dockerfile: 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN rm -rf /var/lib/apt/lists/*\n', lines: [3] },
    { name: 'pip cache purged later', dockerfile: 'FROM python:3.12-slim\nRUN pip install flask\nRUN pip cache purge\n', lines: [3] },
    { name: 'downloaded archive deleted later', dockerfile: 'FROM python:3.12-slim\nRUN curl -fsSL -o /tmp/x.tar.gz https://example.invalid/x.tar.gz && tar xzf /tmp/x.tar.gz -C /opt\nRUN rm /tmp/x.tar.gz\n', lines: [3] },
    { name: 'copied file deleted later in a heredoc', dockerfile: 'FROM python:3.12-slim\nCOPY wheels/ /tmp/wheels/\nRUN pip install --no-cache-dir /tmp/wheels/*.whl\nRUN <<EOF\nrm -rf /tmp/wheels\nEOF\n', lines: [5] },
    { name: 'uv cache without a mount, removed later', dockerfile: 'FROM python:3.12-slim\nRUN uv pip install --system flask\nRUN rm -rf /root/.cache\n', lines: [3] },
    { name: 'conda clean in a later layer of a child stage', dockerfile: 'FROM continuumio/miniconda3:24.1.2-0 AS base\nRUN conda install -y numpy\nFROM base\nRUN conda clean -afy\n', lines: [4] },
  ],
  clean: [
    { name: 'same RUN', dockerfile: 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n' },
    { name: 'nothing created before', dockerfile: 'FROM python:3.12-slim\nRUN rm -rf /var/lib/apt/lists/*\n' },
    { name: 'builder not shipped', dockerfile: 'FROM python:3.12 AS b\nRUN pip install flask\nRUN pip cache purge\nFROM python:3.12-slim\n' },
    { name: 'removal of something else', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\nRUN rm -rf /app/tests\n' },
    { name: 'cache mount, nothing left behind', dockerfile: 'FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir flask\nRUN rm -rf /root/.cache/pip\n' },
    { name: 'uv cache in a cache mount, emptied later', dockerfile: 'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.9.5 /uv /bin/\nRUN --mount=type=cache,target=/root/.cache/uv uv pip install --system flask\nRUN rm -rf /root/.cache\n' },
    { name: 'uv with UV_NO_CACHE inherited from the parent stage', dockerfile: 'FROM python:3.12-slim AS base\nENV UV_NO_CACHE=1\nFROM base\nRUN uv pip install --system flask\nRUN rm -rf /root/.cache/uv\n' },
    { name: 'removed in its own RUN, then purge and remove again later', dockerfile: 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends wget && rm -rf /var/lib/apt/lists/*\nRUN apt-get purge -y --auto-remove wget && rm -rf /var/lib/apt/lists/*\n' },
    { name: 'download deleted in its own RUN, deleted again in a child stage', dockerfile: 'FROM python:3.12-slim AS base\nRUN curl -fsSL -o /tmp/x.tgz https://example.invalid/x.tgz && tar xzf /tmp/x.tgz -C /opt && rm /tmp/x.tgz\nFROM base\nRUN rm -f /tmp/x.tgz\n' },
    { name: 'recreated and removed in the same later RUN', dockerfile: 'FROM python:3.12-slim\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\nRUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*\n' },
  ],
});

ruleCases('SD405', {
  fires: [
    { name: 'chown -R after COPY', dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app\nRUN chown -R app:app /app\n', lines: [4] },
    { name: 'chmod -R over a copied folder', dockerfile: 'FROM python:3.12-slim\nCOPY scripts/ /usr/local/bin/\nRUN chmod -R +x /usr/local/bin\n', lines: [3] },
    { name: 'inside a chain, non-root user set later', dockerfile: 'FROM python:3.12-slim\nCOPY . /srv\nRUN useradd -m app && chown -R app /srv\nUSER app\n', lines: [3] },
    { name: 'over files copied in the parent stage', dockerfile: 'FROM python:3.12-slim AS base\nCOPY . /app\nFROM base\nRUN chown --recursive 1000:1000 /app\n', lines: [4] },
  ],
  clean: [
    { name: 'COPY --chown', dockerfile: 'FROM python:3.12-slim\nCOPY --chown=app:app . /app\n' },
    { name: 'chown of a folder nothing copied into', dockerfile: 'FROM python:3.12-slim\nCOPY . /app\nRUN mkdir /data && chown -R app /data\n' },
    { name: 'not recursive', dockerfile: 'FROM python:3.12-slim\nCOPY . /app\nRUN chown app /app\n' },
    { name: 'builder stage', dockerfile: 'FROM python:3.12 AS b\nCOPY . /app\nRUN chown -R app /app\nFROM python:3.12-slim\n' },
    { name: 'chown before the copy', dockerfile: 'FROM python:3.12-slim\nRUN mkdir /app && chown -R app /app\nCOPY --chown=app . /app\n' },
  ],
});

ruleCases('SD406', {
  fires: [
    { name: 'two RUNs', dockerfile: 'FROM python:3.12-slim\nRUN echo a\nRUN echo b\n', lines: [3] },
    { name: 'three RUNs: one finding', dockerfile: 'FROM python:3.12-slim\nRUN echo a\nRUN echo b\nRUN echo c\n', lines: [3] },
    { name: 'final stage built from a stage', dockerfile: 'FROM python:3.12-slim AS base\nRUN echo a\nRUN echo b\nFROM base\n', lines: [3] },
  ],
  clean: [
    { name: 'separated by ENV', dockerfile: 'FROM python:3.12-slim\nRUN echo a\nENV X=1\nRUN echo b\n' },
    { name: 'builder only', dockerfile: 'FROM python:3.12 AS b\nRUN echo a\nRUN echo b\nFROM python:3.12-slim\n' },
    { name: 'different cache mounts', dockerfile: 'FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\nRUN echo b\n' },
    { name: 'heredoc RUN', dockerfile: 'FROM python:3.12-slim\nRUN echo a\nRUN <<EOF\necho b\nEOF\n' },
    { name: 'file-level ignore', dockerfile: '# slimdock: ignore-file=SD406\nFROM python:3.12-slim\nRUN echo a\nRUN echo b\n' },
  ],
});

describe('SD404–SD406 fixes', () => {
  it('moves a later cleanup into the creating RUN', () => {
    const fixed = assertFix('SD404', { dockerfile: 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN rm -rf /var/lib/apt/lists/*\nCMD ["x"]\n' });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n    && rm -rf /var/lib/apt/lists/*\nCMD ["x"]\n');
  });
  it('replaces chown -R with COPY --chown', () => {
    const fixed = assertFix('SD405', { dockerfile: 'FROM python:3.12-slim\nRUN useradd -m app\nCOPY . /app\nRUN chown -R app:app /app\nUSER app\n' });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN useradd -m app\nCOPY --chown=app:app . /app\nUSER app\n');
  });
  it('keeps a non-recursive chown of a folder that existed before the COPY (the WORKDIR)', () => {
    const fixed = assertFix('SD405', { dockerfile: 'FROM python:3.12-slim\nRUN groupadd app && useradd -g app app\nWORKDIR /app\nCOPY . /app\nRUN chown -R app:app /app\nUSER app\n' });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN groupadd app && useradd -g app app\nWORKDIR /app\nCOPY --chown=app:app . /app\nRUN chown app:app /app\nUSER app\n');
  });
  it('offers no COPY --chown for a user created after the COPY that cannot be made first, or an owner from a variable', () => {
    const { check } = require('../../helpers') as typeof import('../../helpers');
    // (`useradd splash && chown …` alone moves above the COPY: SD404-SD405-fixes.test.ts.)
    const later = check('FROM python:3.12-slim\nCOPY . /app\nRUN mkdir -p /data; useradd splash && chown -R splash:splash /app\n').find((x) => x.rule === 'SD405')!;
    assert.ok(later, 'the finding stays');
    assert.equal(later.fixes.length, 0);
    const variable = check('FROM python:3.12-slim\nCOPY . /app\nRUN chown -R ${NB_USER} /app\nARG NB_USER=app\n').find((x) => x.rule === 'SD405')!;
    assert.equal(variable.fixes.length, 0);
  });
  it('merges consecutive RUNs', () => {
    const fixed = assertFix('SD406', { dockerfile: 'FROM python:3.12-slim\nRUN echo a\nRUN echo b\n' });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN echo a \\\n    && echo b\n');
  });
  it('does not offer a merge after cd', () => {
    const { check } = require('../../helpers') as typeof import('../../helpers');
    const f = check('FROM python:3.12-slim\nRUN cd /tmp\nRUN make\n').find((x) => x.rule === 'SD406')!;
    assert.equal(f.fixes.length, 0);
  });
});
