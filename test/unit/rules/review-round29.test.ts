// Rules: what review round 29 found. Each case failed before its fix.
import assert from 'node:assert/strict';
import { check } from '../../helpers';

describe('rules: found by review, round 29', () => {
  const API = { 'services/api/pyproject.toml': '[project]\nname = "api"\nversion = "1"\n', 'services/api/uv.lock': 'version = 1\n', 'services/api/src/api/__init__.py': '' };
  const sd508 = (df: string, files: Record<string, string> = API) => check(df, files).filter((f) => f.rule === 'SD508').map((f) => f.message);

  it('SD508 sees a uv.lock the build copies from a folder deeper than one level (by name or with its folder), and still reports one that is not there', () => {
    const head = 'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.12.3 /uv /bin/\nWORKDIR /app\n';
    assert.deepEqual(sd508(`${head}COPY services/api/pyproject.toml services/api/uv.lock ./\nRUN uv sync --locked --no-install-project\nCOPY services/api/ ./\nRUN uv sync --locked\n`), []);
    assert.deepEqual(sd508(`${head}COPY services/api /app\nRUN uv sync --locked\n`), []);
    assert.deepEqual(sd508(`FROM python:3.12-slim AS base\nCOPY services/api/ /app/\n\nFROM base\nCOPY --from=ghcr.io/astral-sh/uv:0.12.3 /uv /bin/\nWORKDIR /app\nRUN uv sync --frozen\n`), []);
    // Not there: the lock is missing (firing), copied after the sync, or ignored.
    const noLock = { 'services/api/pyproject.toml': '[project]\nname = "api"\nversion = "1"\n', 'services/api/src/api/__init__.py': '' };
    assert.equal(sd508(`${head}COPY services/api/ ./\nRUN uv sync --locked\n`, noLock).length, 1);
    assert.equal(sd508(`${head}COPY services/api/pyproject.toml ./\nRUN uv sync --locked\nCOPY services/api/uv.lock ./\n`).filter((m) => /needs uv\.lock/.test(m)).length, 1);
    assert.equal(sd508(`${head}COPY services/api/ ./\nRUN uv sync --locked\n`, { ...API, '.dockerignore': '**/uv.lock\n' }).filter((m) => /needs uv\.lock/.test(m)).length, 1);
  });
});

describe('rules: found by review, round 30', () => {
  it('SD508 sees a nested uv.lock copied by a pattern (services/api/uv.lock*), and one that matches nothing is still missing', () => {
    const API = { 'services/api/pyproject.toml': '[project]\nname = "api"\nversion = "1"\n', 'services/api/uv.lock': 'version = 1\n' };
    const df = (src: string) => `FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.12.3 /uv /bin/\nWORKDIR /app\nCOPY services/api/pyproject.toml ${src} ./\nRUN uv sync --frozen\n`;
    const sd508 = (d: string, files: Record<string, string> = API) => check(d, files).filter((f) => f.rule === 'SD508' && /needs uv\.lock/.test(f.message));
    assert.deepEqual(sd508(df('services/api/uv.lock*')), []);
    assert.deepEqual(sd508(df('services/api/uv.*')), []);
    assert.equal(sd508(df('services/api/*.txt'), { ...API, 'services/api/r.txt': '' }).length, 1);
  });
});

describe('rules: SD403 and a .env the image reads, round 30', () => {
  it('offers no fix that leaves out a .env a HEALTHCHECK, CMD or RUN of the file reads; still fires, and still fixes one nothing reads', () => {
    const files = { '.env': 'TOKEN=x\n', 'app.py': '' };
    const sd403 = (tail: string) => check(`FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n${tail}`, files).filter((f) => f.rule === 'SD403');
    for (const tail of ['HEALTHCHECK CMD uv run --env-file .env python -m health\nCMD ["python", "app.py"]\n', 'CMD ["sh", "-c", "set -a && . ./.env && exec python app.py"]\n', 'RUN set -a && . ./.env && python app.py --migrate\nCMD ["python", "app.py"]\n']) {
      const f = sd403(tail);
      assert.equal(f.length, 1, tail);
      assert.deepEqual(f[0].fixes, [], tail);
    }
    assert.equal(sd403('CMD ["python", "app.py"]\n')[0].fixes[0].safe, true);
  });
});
