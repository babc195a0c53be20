// Optimize: what review round 24 found (a review of round 23's changes, and full application
// Dockerfiles). Each case failed before its fix.
import assert from 'node:assert/strict';
import { buildModel, argDeclarations } from '../../../server/src/engine/parse/dockerfile';
import type { OptimizeResult } from '../../../server/src/engine/optimize';
import { check } from '../../helpers';
import { run, split, REQS, TAIL } from './review-helpers';

const ignoreOf = (r: OptimizeResult) => r.otherFiles.map((f) => f.edits.map((e) => e.newText).join('')).join('');

describe('optimize: found by review, round 24', () => {
  it('an ARG of several names without defaults declares each (dockerfile-ast reads it as ENV\'s legacy form)', () => {
    const model = buildModel('FROM python:3.12-slim\nARG PIP_INDEX_URL PIP_TRUSTED_HOST PIP_EXTRA_INDEX_URL\nARG A B=2\n');
    assert.deepEqual(argDeclarations(model.instructions[1]).map((d) => [d.name, d.value]), [['PIP_INDEX_URL', null], ['PIP_TRUSTED_HOST', null], ['PIP_EXTRA_INDEX_URL', null]]);
    assert.deepEqual(argDeclarations(model.instructions[2]).map((d) => [d.name, d.value]), [['A', null], ['B', '2']]);
    // As on three lines: the extra index from --build-arg is not handed on, so the rewrite is refused.
    const r = run('FROM python:3.12-slim-bookworm\nARG PIP_INDEX_URL PIP_TRUSTED_HOST PIP_EXTRA_INDEX_URL\n' + TAIL, REQS);
    assert.equal(r.restructured, false);
    assert.match(r.notes[0], /takes a value from --build-arg/);
  });

  it('global ARGs expand one name at a time (BuildKit\'s meta args): a whole image built from the one before it', () => {
    const model = buildModel('ARG PY=3.12 BASE=python:${PY}-bookworm\nFROM ${BASE}\n');
    assert.equal(model.stages[0].image, 'python:3.12-bookworm');
    const r = run('ARG PYTHON_VERSION=3.12 BASE_IMAGE=python:${PYTHON_VERSION}-bookworm\nFROM ${BASE_IMAGE}\n' + TAIL, REQS);
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.match(r.text, /^FROM python:3\.12-bookworm AS builder$/m);
    assert.match(split(r.text).final, /^FROM python:3\.12-slim-bookworm$/m);
  });

  it('a frontend pinned to 1.0 by digest is refused too, and no fix adds a mount there', () => {
    const r = run('# syntax=docker/dockerfile:1.0@sha256:4ed4d3f7f3e5ad3e2ba2ea1d9ab4b9dd0bd9f3e5d0f1b54f6bfbb5d3ee2c34fd\nFROM python:3.12\n' + TAIL.replace(' --no-cache-dir', ''), REQS);
    assert.equal(r.changed, false, r.text);
    assert.match(r.notes[0], /no RUN --mount/);
  });

  it('refuses a chgrp/chmod of the environment before its installs (no COPY flag says it); keeps a chown after them', () => {
    for (const cmds of ['chgrp -R 0 /opt/venv && chmod -R g=u /opt/venv', 'chmod -R g+w /opt/venv && chown -R svc /opt/venv']) {
      const r = run(`FROM python:3.12\nRUN python -m venv /opt/venv && ${cmds}\nENV PATH=/opt/venv/bin:$PATH\n${TAIL}`, REQS);
      assert.equal(r.restructured, false, cmds);
      assert.match(r.notes[0], /`ch(grp|mod)` of the environment the old file made/, cmds);
    }
    const after = run('FROM python:3.12-slim\nRUN python -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nRUN adduser --disabled-password --gecos "" appuser && chown -R appuser:appuser /opt/venv\nCOPY . .\nUSER appuser\nCMD ["python", "app.py"]\n', REQS);
    assert.equal(after.restructured, true, after.notes.join('\n'));
    assert.match(split(after.text).final, /^RUN adduser --disabled-password --gecos "" appuser && chown -R appuser:appuser \/opt\/venv$/m);
  });

  it('adds no *.pyc entry where a COPY names .pyc files by a glob', () => {
    const r = run('FROM python:3.11\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY build/lib/*.pyc ./\nCMD ["python", "main.pyc"]\n', { ...REQS, 'build/lib/main.pyc': 'x' });
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.doesNotMatch(ignoreOf(r), /\*\.pyc/);
  });

  it('keeps an environment the old file made under a chown -R folder at its path where a kept instruction names a program in it', () => {
    const project = '[project]\nname = "svc"\nversion = "1"\ndependencies = ["gunicorn"]\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n';
    const r = run('FROM python:3.11-bookworm\nRUN useradd -m app\nWORKDIR /app\nRUN python -m venv /app/venv\nENV PATH="/app/venv/bin:$PATH"\nCOPY . /app\nRUN pip install --no-cache-dir /app\nRUN chown -R app:app /app\nUSER app\nCMD ["/app/venv/bin/gunicorn", "svc.wsgi:app"]\n', { 'pyproject.toml': project, 'svc/__init__.py': '' });
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.match(split(r.text).builder, /^ENV UV_PROJECT_ENVIRONMENT=\/app\/venv$/m);
    assert.match(split(r.text).final, /^COPY --from=builder --chown=app:app \/app\/venv \/app\/venv$/m);
  });

  it('rewrites a shell running installs joined by && (bash -c "pip install -U pip && pip install -r …"), not one with ; or ||', () => {
    const df = (script: string) => `FROM python:3.11\nWORKDIR /app\nCOPY requirements.txt .\nRUN bash -c "${script}"\nCOPY . .\nCMD ["python", "app.py"]\n`;
    const r = run(df('pip install --no-cache-dir --upgrade pip && pip install --no-cache-dir -r requirements.txt'), REQS);
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.match(r.text, /^ {4}uv pip install -r requirements\.txt$/m);
    assert.equal(run(df('pip install -r requirements.txt || true'), REQS).restructured, false);
  });

  it('says nothing of python3-pip\'s setuptools where the old installs went into a venv (it never saw them)', () => {
    const r = run('FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip python3-venv && rm -rf /var/lib/apt/lists/*\nRUN python3 -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\n' + TAIL.replace('python"', 'python3"'), REQS);
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.ok(!r.notes.some((n) => /setuptools/.test(n)), r.notes.join('\n'));
  });

  it('SD403 keeps the .env files a start-up script builds a name for (". /srv/.env.${APP_ENV:-production}"), found through COPY . /srv', () => {
    const files = { '.env.production': 'A=1\n', '.env.staging': 'A=2\n', 'run.py': '', 'requirements.txt': 'flask\n', 'docker/entrypoint.sh': '#!/bin/sh\nset -a\n. "/srv/.env.${APP_ENV:-production}"\nset +a\nexec "$@"\n' };
    const [f] = check('FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nENTRYPOINT ["sh", "/srv/docker/entrypoint.sh"]\nCMD ["python", "run.py"]\n', files).filter((x) => x.rule === 'SD403');
    assert.ok(f, 'SD403 fires');
    assert.equal(f.fixes.length, 0, JSON.stringify(f.fixes));
  });

  it('takes a project copied file by file after a requirements install (the usual dependencies-first layout)', () => {
    const files = { ...REQS, 'pyproject.toml': '[project]\nname = "pkg"\nversion = "1"\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n', 'src/pkg/__init__.py': '' };
    for (const mode of ['venv', 'system'] as const) {
      const r = run('FROM python:3.10-slim\nWORKDIR /app\nCOPY requirements.txt ./\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY pyproject.toml ./\nCOPY src ./src\nRUN pip install --no-cache-dir .\nCMD ["python", "-m", "pkg"]\n', files, { mode });
      assert.ok(r.changed && !/is not copied from the build context/.test(r.notes.join('\n')), `${mode}: ${r.notes.join('\n')}`);
    }
    const venv = run('FROM python:3.10\nWORKDIR /app\nCOPY setup.py requirements.txt ./\nCOPY pkg ./pkg\nRUN pip install --no-cache-dir -r requirements.txt && pip install --no-cache-dir -e .\nCMD ["python", "-m", "pkg"]\n', { ...REQS, 'setup.py': 'from setuptools import setup\nsetup(name="pkg")\n', 'pkg/__init__.py': '' });
    assert.equal(venv.restructured, true, venv.notes.join('\n'));
    assert.match(split(venv.text).builder, /uv pip install -e \.$/m);
  });

  it('keeps python3-distutils (python3-pip and python3-dev brought it) on a distro final stage up to bookworm/jammy, not on trixie', () => {
    const df = (base: string) => `FROM ${base}\nRUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip python3-dev gcc && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip3 install --break-system-packages --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python3", "app.py"]\n`;
    const bookworm = run(df('debian:bookworm-slim'), REQS);
    assert.equal(bookworm.restructured, true, bookworm.notes.join('\n'));
    assert.match(split(bookworm.text).final, /python3 python3-distutils/);
    const trixie = run(df('debian:trixie-slim'), REQS);
    assert.doesNotMatch(trixie.text, /distutils/);
  });

  it('a poetry environment in the project folder a kept chown -R gives to the app user is copied with that owner', () => {
    const files = { 'pyproject.toml': '[tool.poetry]\nname = "a"\nversion = "1"\n[tool.poetry.dependencies]\npython = "^3.12"\ndjango = "*"\n', 'poetry.lock': '# lock\n', 'manage.py': '' };
    const r = run('FROM python:3.12-slim\nRUN pip install --no-cache-dir "poetry==1.8.3"\nRUN useradd -m -u 1000 django\nWORKDIR /code\nENV POETRY_VIRTUALENVS_IN_PROJECT=true\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install --no-root --only main --no-cache\nCOPY . .\nRUN chown -R django:django /code\nUSER django\nCMD ["/code/.venv/bin/gunicorn", "config.wsgi"]\n', files);
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.match(split(r.text).final, /^COPY --from=builder --chown=django:django \/code\/\.venv \/code\/\.venv$/m);
  });
});
