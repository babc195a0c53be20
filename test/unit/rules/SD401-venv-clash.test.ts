// SD401's fix and a local `.venv/` folder in the build context (found by review, round 17): the
// fix is withheld only where the install writes into the environment the whole-context COPY brings.
// `uv pip install --system` writes into the system Python, and a `.venv` the .dockerignore leaves
// out never reaches the builder: neither blocks the fix.
import assert from 'node:assert/strict';
import { assertFix, check } from '../../helpers';
import { buildModel } from '../../../server/src/engine/parse/dockerfile';
import { pythonInstall } from '../../../server/src/engine/rules/python-tools';

const reqs = { 'requirements.txt': 'flask==3.0.3\n', 'acme/__init__.py': '' };
const venv = { '.venv/pyvenv.cfg': 'home = /usr/local/bin\n', '.venv/bin/python': '' };
const ignored = { ...venv, '.dockerignore': '.git\n.venv\n' };
const project = { 'pyproject.toml': '[project]\nname = "a"\nversion = "1"\ndependencies = ["flask"]\n', 'uv.lock': 'version = 1\n', 'app.py': '' };
const UV = 'ghcr.io/astral-sh/uv:python3.12-bookworm-slim';
const SYSTEM = `FROM ${UV}\nWORKDIR /app\nCOPY . .\nRUN uv pip install --system --no-cache -r requirements.txt\n`;
const INTO_VENV = `FROM ${UV}\nWORKDIR /app\nCOPY . .\nRUN uv pip install --no-cache -r requirements.txt\n`;
// Optimize's system-mode output for /tmp/r17/ctx/c38-slim-copyall, before its SD401 fix.
const OPTIMIZED =
  'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN --mount=from=ghcr.io/astral-sh/uv:0.12.5,source=/uv,target=/bin/uv \\\n    --mount=type=cache,target=/root/.cache/uv \\\n    UV_COMPILE_BYTECODE=0 UV_LINK_MODE=copy uv pip install --system -r requirements.txt\nCMD ["python", "-m", "acme"]\n';

interface Case {
  name: string;
  dockerfile: string;
  files: Record<string, string>;
  /** The fixed file, where the case checks the text. */
  fixed?: string;
}

const offers: Case[] = [
  { name: 'uv pip install --system and a local .venv (the system Python is the target)', dockerfile: SYSTEM, files: { ...reqs, ...venv }, fixed: `FROM ${UV}\nWORKDIR /app\nCOPY requirements.txt .\nRUN uv pip install --system --no-cache -r requirements.txt\nCOPY . .\n` },
  { name: 'uv pip install --system and a .venv the .dockerignore lists', dockerfile: SYSTEM, files: { ...reqs, ...ignored } },
  { name: "Optimize's system-mode output (c38-slim-copyall) with a local .venv", dockerfile: OPTIMIZED, files: { ...reqs, ...venv } },
  { name: "Optimize's system-mode output with a .venv the .dockerignore lists", dockerfile: OPTIMIZED, files: { ...reqs, ...ignored } },
  { name: 'UV_SYSTEM_PYTHON=1 stands for --system', dockerfile: `FROM ${UV}\nENV UV_SYSTEM_PYTHON=1\nWORKDIR /app\nCOPY . .\nRUN uv pip install --no-cache -r requirements.txt\n`, files: { ...reqs, ...venv } },
  { name: 'uv pip install into the folder\'s .venv, which the .dockerignore keeps out of the context', dockerfile: INTO_VENV, files: { ...reqs, ...ignored } },
  { name: 'uv sync with a .venv the .dockerignore lists (uv\'s guide)', dockerfile: `FROM ${UV}\nWORKDIR /app\nCOPY . .\nRUN uv sync --locked --no-cache\n`, files: { ...project, ...ignored } },
  { name: 'poetry install --no-root with a .venv the .dockerignore lists', dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/pypoetry poetry install --no-root --only main\n', files: { 'pyproject.toml': '[tool.poetry]\nname = "a"\n', 'poetry.lock': '# lock\n', ...ignored } },
  { name: 'multi-stage: a builder stage the final one is built FROM, uv pip install --system, a local .venv', dockerfile: `FROM ${UV} AS build\nWORKDIR /app\nCOPY . .\nRUN uv pip install --system --no-cache -r requirements.txt\nFROM build\nCMD ["python", "-m", "acme"]\n`, files: { ...reqs, ...venv }, fixed: `FROM ${UV} AS build\nWORKDIR /app\nCOPY requirements.txt .\nRUN uv pip install --system --no-cache -r requirements.txt\nCOPY . .\nFROM build\nCMD ["python", "-m", "acme"]\n` },
  { name: 'multi-stage: the .venv is ignored and the final stage copies the builder\'s /app', dockerfile: `FROM ${UV} AS build\nWORKDIR /app\nCOPY . .\nRUN uv pip install --no-cache -r requirements.txt\nFROM python:3.12-slim\nCOPY --from=build /app /app\n`, files: { ...reqs, ...ignored } },
];

// A `.venv` the COPY sends, where the install writes: the fix stays withheld.
const withholds: Case[] = [
  { name: 'uv pip install into the folder\'s .venv, which the COPY brings', dockerfile: INTO_VENV, files: { ...reqs, ...venv } },
  { name: 'uv sync into the project\'s .venv, which the COPY brings', dockerfile: `FROM ${UV}\nWORKDIR /app\nCOPY . .\nRUN uv sync --locked --no-cache\n`, files: { ...project, ...venv } },
  { name: '--system with --python naming the copied .venv\'s interpreter', dockerfile: `FROM ${UV}\nWORKDIR /app\nCOPY . .\nRUN uv pip install --system --python /app/.venv/bin/python --no-cache -r requirements.txt\n`, files: { ...reqs, ...venv } },
  { name: 'the .dockerignore lists .venv and an exception line brings part of it back', dockerfile: INTO_VENV, files: { ...reqs, ...venv, '.dockerignore': '.venv\n!.venv/pyvenv.cfg\n' } },
  { name: 'the .dockerignore lists .venv and a later line takes it back', dockerfile: INTO_VENV, files: { ...reqs, ...venv, '.dockerignore': '.venv\n!.venv\n' } },
  { name: 'multi-stage: uv pip install into the copied .venv in a builder the final stage copies from', dockerfile: `FROM ${UV} AS build\nWORKDIR /app\nCOPY . .\nRUN uv pip install --no-cache -r requirements.txt\nFROM python:3.12-slim\nCOPY --from=build /app /app\n`, files: { ...reqs, ...venv } },
];

const sd401 = (c: Case) => check(c.dockerfile, c.files).find((f) => f.rule === 'SD401');

describe('SD401 fix and a local .venv', () => {
  for (const c of offers) {
    it(`offers the fix: ${c.name}`, () => {
      const f = sd401(c);
      assert.ok(f, `SD401 does not fire on:\n${c.dockerfile}`);
      assert.equal(f.fixes.length, 1, `no fix on:\n${c.dockerfile}`);
      const fixed = assertFix('SD401', c);
      if (c.fixed) assert.equal(fixed, c.fixed);
    });
  }
  for (const c of withholds) {
    it(`withholds the fix: ${c.name}`, () => {
      const f = sd401(c);
      assert.ok(f, `SD401 does not fire on:\n${c.dockerfile}`);
      assert.deepEqual(f.fixes, []);
    });
  }
});

describe('uv pip install targets', () => {
  const targets = (dockerfile: string) => {
    const model = buildModel(dockerfile);
    const inst = model.instructions.filter((i) => i.run).pop()!;
    return pythonInstall(inst, inst.run!.commands[0])!.targets;
  };
  it('--system: the system Python, not a .venv of the folder', () => {
    assert.deepEqual(targets('FROM python:3.12-slim\nWORKDIR /app\nRUN uv pip install --system flask\n'), ['/usr/local/lib', '/usr/lib']);
  });
  it('--system skips VIRTUAL_ENV and a virtual environment made earlier on PATH', () => {
    assert.deepEqual(targets('FROM python:3.12-slim\nENV VIRTUAL_ENV=/opt/venv\nRUN python -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\nWORKDIR /app\nRUN uv pip install --system flask\n'), ['/usr/local/lib', '/usr/lib']);
    assert.deepEqual(targets('FROM python:3.12-slim\nENV UV_SYSTEM_PYTHON=true VIRTUAL_ENV=/opt/venv\nWORKDIR /app\nRUN uv pip install flask\n'), ['/usr/local/lib', '/usr/lib']);
  });
  it('without --system: VIRTUAL_ENV, or the system Python and the folder\'s .venv', () => {
    assert.deepEqual(targets('FROM python:3.12-slim\nWORKDIR /app\nRUN uv pip install flask\n'), ['/usr/local/lib', '/usr/lib', '/app/.venv']);
    assert.deepEqual(targets('FROM python:3.12-slim\nENV VIRTUAL_ENV=/opt/venv\nWORKDIR /app\nRUN uv pip install flask\n'), ['/opt/venv', '/app/.venv']);
  });
});
