import assert from 'node:assert/strict';
import { ruleCases, assertFix } from '../../helpers';

ruleCases('SD110', {
  fires: [
    { name: 'psycopg2', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir psycopg2==2.9.9\n', lines: [2] },
    { name: 'psycopg2 via uv pip in sh -c', dockerfile: 'FROM python:3.12-slim\nRUN sh -c "uv pip install --system psycopg2"\n', lines: [2] },
    { name: 'heredoc', dockerfile: 'FROM python:3.12-slim\nRUN <<EOF\npip install --no-cache-dir flask psycopg2\nEOF\n', lines: [3] },
    { name: 'exec form', dockerfile: 'FROM python:3.12-slim\nRUN ["pip", "install", "psycopg2"]\n', lines: [2] },
    { name: 'in the stage the final one is built FROM', dockerfile: 'FROM python:3.12-slim AS base\nRUN pip install --no-cache-dir psycopg2\nFROM base\nCMD ["python"]\n', lines: [2] },
  ],
  clean: [
    { name: 'psycopg2-binary', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir psycopg2-binary==2.9.9\n' },
    { name: 'psycopg[binary]', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir "psycopg[binary]"\n' },
    { name: 'builder stage compiles, final copies the result', dockerfile: 'FROM python:3.12 AS build\nRUN pip install --no-cache-dir --prefix=/install psycopg2\nFROM python:3.12-slim\nCOPY --from=build /install /usr/local\n' },
    { name: 'builder venv copied', dockerfile: 'FROM python:3.12 AS build\nRUN python -m venv /venv && /venv/bin/pip install psycopg2\nFROM python:3.12-slim\nCOPY --from=build /venv /venv\n' },
    { name: 'package names that only look alike', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir psycopg2cffi psycopg2-pool\n' },
    { name: 'object property names are not table entries', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir constructor toString\n' },
  ],
});

describe('SD110 fixes', () => {
  it('renames psycopg2 to psycopg2-binary, keeping the pin', () => {
    const fixed = assertFix('SD110', { dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.0 psycopg2==2.9.9\n' });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.0 psycopg2-binary==2.9.9\n');
  });
  it('renames in exec form', () => {
    const fixed = assertFix('SD110', { dockerfile: 'FROM python:3.12-slim\nRUN ["pip", "install", "--no-cache-dir", "psycopg2"]\n' });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN ["pip", "install", "--no-cache-dir", "psycopg2-binary"]\n');
  });
});
