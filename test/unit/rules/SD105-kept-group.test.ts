// SD105 and the dependency groups Optimize keeps on purpose (found by review, round 17): an image
// whose command runs a dev tool (a test, lint, docs or notebook image) keeps the groups its
// `uv sync` / `poetry install` chooses, Optimize says so, and `check --fail-on warning` on its output
// must not then report them. One decision for both (devToolRun); a group one of whose packages the
// image runs is needed too, whether it is a default group or one named by `--group` / `--with`.
import assert from 'node:assert/strict';
import { ruleCases, check, CONTEXT } from '../../helpers';
import { optimize } from '../../../server/src/engine/optimize';
import { MemoryFileSystem } from '../../../server/src/engine';

const lock = 'version = 1\nrequires-python = ">=3.12"\n\n[[package]]\nname = "svc"\nversion = "0.1.0"\nsource = { virtual = "." }\n';
// The groups of /tmp/r17/uv/c08_groupnames.
const GROUPS = '[project]\nname = "svc"\nversion = "0.1.0"\nrequires-python = ">=3.12"\ndependencies = ["flask==3.1.0"]\n\n[tool.uv]\npackage = false\n\n[dependency-groups]\ndev = ["pytest==8.3.4"]\ntest = ["hypothesis==6.123.0"]\nlint = ["ruff==0.8.4"]\ndocs = ["mkdocs==1.6.1", "mkdocs-material==9.5.49"]\n';
const TEST_ONLY = '[project]\nname = "svc"\nversion = "0.1.0"\nrequires-python = ">=3.12"\ndependencies = ["flask==3.1.0"]\n\n[dependency-groups]\ntest = ["pytest==8.3.4"]\ntests = ["locust==2.32.0"]\n';
const POETRY = '[tool.poetry]\nname = "app"\n\n[tool.poetry.dependencies]\npython = "^3.12"\nflask = "*"\n\n[tool.poetry.group.test]\noptional = true\n\n[tool.poetry.group.test.dependencies]\npytest = "*"\n';
const uv = (pyproject: string) => ({ 'pyproject.toml': pyproject, 'uv.lock': lock, 'app.py': '' });
const SYNC = 'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.6.3 /uv /bin/uv\nWORKDIR /app\nCOPY . .\nRUN uv sync --locked --group test\n';
// Optimize's venv-mode shape: the groups in a builder stage, the environment copied out.
const BUILDER =
  'FROM python:3.12-slim AS builder\nCOPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/\nENV UV_COMPILE_BYTECODE=0 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=0\nWORKDIR /app\n' +
  'RUN --mount=type=cache,target=/root/.cache/uv \\\n    --mount=type=bind,source=uv.lock,target=uv.lock \\\n    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\\n    uv sync --locked --no-install-project --no-editable --group test\n' +
  'COPY . /app\nRUN --mount=type=cache,target=/root/.cache/uv \\\n    uv sync --locked --group test\n\nFROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCOPY --from=builder /app/.venv /app/.venv\nENV PATH="/app/.venv/bin:$PATH"\n';

ruleCases('SD105', {
  fires: [
    { name: '--group test where the image runs no dev tool', dockerfile: `${SYNC}CMD ["gunicorn", "app:app"]\n`, files: uv(TEST_ONLY), lines: [5] },
    { name: 'the default dev group where the image runs the app', dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN uv sync --locked\nCMD ["python", "app.py"]\n', files: uv(GROUPS), lines: [4] },
    { name: 'multi-stage: the groups in a builder, copied out, the image runs the app', dockerfile: `${BUILDER}CMD ["python", "-m", "svc"]\n`, files: uv(GROUPS), lines: [8, 11] },
    { name: 'a stage that is not shipped runs pytest: it does not count', dockerfile: `FROM python:3.12-slim AS test\nRUN python -m pytest\n${SYNC.replace('FROM python:3.12-slim\n', 'FROM python:3.12-slim AS app\n')}CMD ["gunicorn", "app:app"]\n`, files: uv(TEST_ONLY), lines: [7] },
    { name: 'a script named like the tool is not the tool', dockerfile: `${SYNC}CMD ["python", "pytest_report.py"]\n`, files: uv(TEST_ONLY), lines: [5] },
    // Named packages stay per tool, as Optimize keeps them (only the ones the image runs).
    { name: 'named tools the image does not run, beside one it runs', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir pytest==8.0.0 black==24.3.0\nCMD ["python", "-m", "pytest"]\n', lines: [2] },
  ],
  clean: [
    { name: '--group test holding pytest, CMD python -m pytest', dockerfile: `${SYNC}CMD ["python", "-m", "pytest"]\n`, files: uv(TEST_ONLY) },
    { name: '--group tests holding the tool the image runs (locust: no dev tool by name)', dockerfile: SYNC.replace('--group test', '--group tests') + 'CMD ["locust", "-f", "locustfile.py"]\n', files: uv(TEST_ONLY) },
    { name: '--group test holding a pytest plugin, the default dev group pytest, CMD python -m pytest', dockerfile: `${SYNC}CMD ["python", "-m", "pytest"]\n`, files: uv(GROUPS) },
    { name: 'the image runs a dev tool (mkdocs serve): the groups it syncs stay, as Optimize keeps them (c08_groupnames)', dockerfile: `${SYNC}CMD ["mkdocs", "serve"]\n`, files: uv(GROUPS) },
    { name: 'the entrypoint script runs pytest', dockerfile: `${SYNC}ENTRYPOINT ["./run_tests.sh"]\n`, files: { ...uv(GROUPS), 'run_tests.sh': '#!/bin/sh\nexec pytest -q\n' } },
    { name: 'multi-stage: the groups in a builder, copied out, CMD python -m pytest', dockerfile: `${BUILDER}CMD ["python", "-m", "pytest"]\n`, files: uv(GROUPS) },
    { name: 'multi-stage: the groups in a builder, the image runs mkdocs (Optimize\'s output for c08_groupnames)', dockerfile: `${BUILDER}CMD ["mkdocs","serve"]\n`, files: uv(GROUPS) },
    { name: 'poetry install --with test holding pytest, CMD pytest', dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN poetry install --with test --no-root\nCMD ["pytest"]\n', files: { 'pyproject.toml': POETRY, 'poetry.lock': '# lock\n' } },
  ],
});

describe('SD105 after Optimize keeps a group on purpose', () => {
  const files = { ...uv(GROUPS), 'run_tests.sh': '#!/bin/sh\nexec pytest -q\n' };
  for (const cmd of ['["python","-m","pytest"]', '["mkdocs","serve"]']) {
    for (const mode of ['venv', 'system'] as const) {
      it(`uv sync --group test, CMD ${cmd}, ${mode} mode: the rewrite keeps the group, check reports no SD105`, () => {
        const dockerfile = `${SYNC}CMD ${cmd}\n`;
        const all: Record<string, string> = { [`${CONTEXT}/Dockerfile`]: dockerfile };
        for (const [k, v] of Object.entries(files)) all[`${CONTEXT}/${k}`] = v;
        const r = optimize({ file: `${CONTEXT}/Dockerfile`, text: dockerfile, fs: new MemoryFileSystem(all), root: CONTEXT, uvVersion: '0.12.5', mode });
        assert.match(r.text, /uv sync --locked.* --group test$/m, r.text);
        assert.ok(r.notes.some((n) => /the dev tools it runs stay in the image/.test(n)), r.notes.join('\n'));
        assert.deepEqual(check(r.text, files).filter((f) => f.rule === 'SD105').map((f) => `${f.range.start.line + 1}: ${f.message}`), [], r.text);
      });
    }
  }
});
