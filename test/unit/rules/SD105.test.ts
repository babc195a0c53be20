import assert from 'node:assert/strict';
import { ruleCases, assertFix, findingsOf, applyEdits } from '../../helpers';

const UV_PROJECT = '[project]\nname = "app"\nversion = "1"\ndependencies = ["flask"]\n\n[dependency-groups]\ndev = ["pytest", "ruff"]\n';
const POETRY_PROJECT = '[tool.poetry]\nname = "app"\n\n[tool.poetry.dependencies]\npython = "^3.12"\nflask = "*"\n\n[tool.poetry.group.dev.dependencies]\npytest = "*"\n';
const NO_DEV = '[project]\nname = "app"\nversion = "1"\ndependencies = ["flask"]\n';

ruleCases('SD105', {
  fires: [
    { name: 'pytest installed by pip', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.0 pytest==8.0.0\n', lines: [2] },
    { name: 'a script named like the tool is not the tool (found by review: black_scholes.py)', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir black==24.3.0\nCMD ["python", "black_scholes.py"]\n', lines: [2] },
    { name: 'a dev extra whose tools the image does not run', dockerfile: 'FROM python:3.12-slim\nCOPY . .\nRUN pip install --no-cache-dir ".[lint]"\nCMD ["pytest", "-q"]\n', files: { 'pyproject.toml': '[project]\nname = "a"\nversion = "1"\n\n[project.optional-dependencies]\nlint = ["ruff"]\n' }, lines: [3] },
    { name: 'a lint image: the tools it does not run are still flagged', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir ruff==0.4.0 black==24.3.0\nRUN ruff --version\nENTRYPOINT ["ruff", "check", "."]\n', lines: [2] },
    { name: 'a RUN in a stage that is not shipped does not count', dockerfile: 'FROM python:3.12-slim AS test\nRUN python -m pytest\nFROM python:3.12-slim\nRUN pip install --no-cache-dir pytest==8.0.0\n', lines: [4] },
    { name: 'dev requirements file', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements-dev.txt\n', lines: [2] },
    { name: 'requirements/test.txt in a heredoc', dockerfile: 'FROM python:3.12-slim\nRUN <<EOF\npip install --no-cache-dir -r requirements/test.txt\nEOF\n', lines: [3] },
    { name: 'dev extra of the project', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir -e ".[dev]"\n', lines: [2] },
    { name: 'uv sync with a dev group', dockerfile: 'FROM python:3.12-slim\nRUN uv sync --locked\n', files: { 'pyproject.toml': UV_PROJECT }, lines: [2] },
    { name: 'UV_NO_DEV=0 does not turn dev off', dockerfile: 'FROM python:3.12-slim\nENV UV_NO_DEV=0\nRUN uv sync --locked\n', files: { 'pyproject.toml': UV_PROJECT }, lines: [3] },
    { name: 'poetry install with a dev group', dockerfile: 'FROM python:3.12-slim\nRUN poetry install --no-root\n', files: { 'pyproject.toml': POETRY_PROJECT }, lines: [2] },
    { name: 'pipenv install --dev via sh -c', dockerfile: 'FROM python:3.12-slim\nRUN sh -c "pipenv install --system --dev"\n', lines: [2] },
    { name: 'builder venv with pytest copied out', dockerfile: 'FROM python:3.12 AS build\nRUN python -m venv /venv && /venv/bin/pip install --no-cache-dir pytest==8.0.0\nFROM python:3.12-slim\nCOPY --from=build /venv /venv\n', lines: [2] },
    { name: 'exec form', dockerfile: 'FROM python:3.12-slim\nRUN ["pip", "install", "--no-cache-dir", "black==24.1.0"]\n', lines: [2] },
    { name: 'jupyter in an image that runs an app', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.0 jupyterlab==4.2.0\nCMD ["gunicorn", "app:app"]\n', lines: [2] },
    { name: 'a shell running a script is no workbench', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir pytest==8.0.0\nCMD ["bash", "-c", "gunicorn app:app"]\n', lines: [2] },
    { name: 'the build argument defaults to the value the test wants', dockerfile: 'FROM python:3.12-slim\nARG DEBUG=1\nRUN if [ "$DEBUG" = 1 ]; then pip install --no-cache-dir -r requirements.dev.txt; fi\n', lines: [3] },
    { name: 'a condition on a variable the file does not declare', dockerfile: 'FROM python:3.12-slim\nRUN if [ "$DEBUG" = 1 ]; then pip install --no-cache-dir -r requirements.dev.txt; fi\n', lines: [2] },
    { name: 'after the if block closes', dockerfile: 'FROM python:3.12-slim\nARG DEBUG\nRUN if [ "$DEBUG" = 1 ]; then echo debug; fi && pip install --no-cache-dir pytest==8.0.0\n', lines: [3] },
    { name: 'an echo that writes no script', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir pytest==8.0.0 && echo "run pytest later"\n', lines: [2] },
    { name: 'uv project whose image runs another tool', dockerfile: 'FROM python:3.12-slim\nRUN uv sync --locked\nCMD ["uv", "run", "--no-sync", "gunicorn", "app:app"]\n', files: { 'pyproject.toml': UV_PROJECT }, lines: [2] },
    { name: 'pip --group dev', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir --group main --group dev\n', lines: [2] },
  ],
  clean: [
    { name: 'runtime packages only', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.0 gunicorn==22.0.0\n' },
    { name: 'production requirements', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\n' },
    { name: 'requirements-devices.txt is not dev', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements-devices.txt\n' },
    { name: 'uv sync --no-dev', dockerfile: 'FROM python:3.12-slim\nRUN uv sync --locked --no-dev\n', files: { 'pyproject.toml': UV_PROJECT } },
    { name: 'UV_NO_DEV inherited from a parent stage', dockerfile: 'FROM python:3.12-slim AS base\nENV UV_NO_DEV=1\nFROM base\nRUN uv sync --locked\n', files: { 'pyproject.toml': UV_PROJECT } },
    { name: 'uv sync --only-group', dockerfile: 'FROM python:3.12-slim\nRUN uv sync --locked --only-group prod\n', files: { 'pyproject.toml': UV_PROJECT } },
    { name: 'uv sync on a project without dev group', dockerfile: 'FROM python:3.12-slim\nRUN uv sync --locked\n', files: { 'pyproject.toml': NO_DEV } },
    { name: 'uv sync when the project file cannot be read', dockerfile: 'FROM python:3.12-slim\nRUN uv sync --locked\n' },
    { name: 'poetry install --only main', dockerfile: 'FROM python:3.12-slim\nRUN poetry install --only main\n', files: { 'pyproject.toml': POETRY_PROJECT } },
    { name: 'poetry install --without dev', dockerfile: 'FROM python:3.12-slim\nRUN poetry install --without dev\n', files: { 'pyproject.toml': POETRY_PROJECT } },
    { name: 'old poetry --no-dev', dockerfile: 'FROM python:3.12-slim\nRUN poetry install --no-dev\n', files: { 'pyproject.toml': POETRY_PROJECT } },
    { name: 'pipenv install without --dev', dockerfile: 'FROM python:3.12-slim\nRUN pipenv install --system --deploy\n' },
    { name: 'pdm install --prod', dockerfile: 'FROM python:3.12-slim\nRUN pdm install --prod\n', files: { 'pyproject.toml': '[tool.pdm.dev-dependencies]\ntest = ["pytest"]\n' } },
    { name: 'test stage not shipped', dockerfile: 'FROM python:3.12-slim AS test\nRUN pip install --no-cache-dir pytest==8.0.0\nFROM python:3.12-slim\nCMD ["python"]\n' },
    { name: 'a .devcontainer Dockerfile', path: '.devcontainer/Dockerfile', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir pytest==8.0.0 ruff==0.4.0\n' },
    { name: 'Dockerfile.test', path: 'Dockerfile.test', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir pytest==8.0.0\n' },
    { name: 'final stage named dev', dockerfile: 'FROM python:3.12-slim AS dev\nRUN pip install --no-cache-dir pytest==8.0.0\n' },
    { name: 'a local/ compose folder (corpus: cookiecutter-django)', path: 'compose/local/django/Dockerfile', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir pytest==8.0.0\n' },
    { name: 'the entrypoint wraps the tool (corpus: patroni)', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir tox==4.0.0\nENTRYPOINT ["/tox-wrapper.sh"]\n' },
    { name: 'the image runs the tool', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir jupyterlab==4.2.0\nCMD ["jupyter", "lab", "--ip=0.0.0.0"]\n' },
    { name: 'pytest-like names that are not dev tools', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir blackjack==1.0 coveragepy-lcov==0.1\n' },
    { name: 'a workbench image: the command is an interactive shell (corpus: accelerate)', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir jupyter "accelerate[testing]"\nCMD ["/bin/bash"]\n' },
    { name: 'a workbench image in shell form', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir pytest==8.0.0\nENTRYPOINT bash -l\n' },
    { name: 'jupyterlab in an image without a command of its own (corpus: pytorch_geometric)', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir scipy==1.14.0 jupyterlab==4.2.5\n' },
    { name: 'the image writes a launcher that runs the tool, plugins included (corpus: horovod)', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir pytest==8.0.0 pytest-forked==1.6.0\nRUN echo "pytest -v --forked \\$@" > /pytest.sh && chmod +x /pytest.sh\n' },
    { name: 'installed only when a build argument asks (corpus: LibrePhotos)', dockerfile: 'FROM python:3.12-slim\nARG DEBUG\nRUN pip install --no-cache-dir -r requirements.txt\nRUN if [ "$DEBUG" = 1 ] ; then \\\n  pip install --no-cache-dir -r requirements.dev.txt; \\\n  fi\n' },
    { name: 'opt-in test with a default that fails it (corpus: label-studio-ml-backend)', dockerfile: 'FROM python:3.12-slim\nARG TEST_ENV=false\nRUN if [ "$TEST_ENV" = "true" ]; then pip install --no-cache-dir -r requirements-test.txt; fi\n' },
    { name: 'opt-in with && and -n', dockerfile: 'FROM python:3.12-slim\nARG WITH_TESTS\nRUN [ -n "$WITH_TESTS" ] && pip install --no-cache-dir pytest==8.0.0 || true\n' },
    { name: 'opt-in uv sync of the dev group', dockerfile: 'FROM python:3.12-slim\nARG DEV\nRUN if [ "$DEV" = "true" ]; then uv sync --locked; else uv sync --locked --no-dev; fi\n', files: { 'pyproject.toml': UV_PROJECT } },
    { name: 'a benchmark harness (corpus: aider)', path: 'benchmark/Dockerfile', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir -e "/aider[dev]"\n' },
    { name: 'an editable (development-mode) build (corpus: synapse)', path: 'docker/editable.Dockerfile', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir -e ".[dev]"\n' },
    { name: 'uv project whose image runs a tool of its dev group', dockerfile: 'FROM python:3.12-slim\nRUN uv sync --locked\nCMD ["uv", "run", "pytest"]\n', files: { 'pyproject.toml': UV_PROJECT } },
    // Found by review (a test image): a later RUN runs the tool, or the entrypoint runs one a dev requirements file holds.
    { name: 'a RUN of the shipped stage runs the tool (a build-time test)', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.0 pytest==8.0.0\nCOPY . .\nRUN python -m pytest -q\n' },
    { name: 'a RUN runs a tool of the dev group, multi-stage', dockerfile: 'FROM python:3.12-slim AS base\nRUN uv sync --locked\nFROM base\nRUN uv run pytest --version\n', files: { 'pyproject.toml': UV_PROJECT } },
    { name: 'test libraries run inside pytest (found by review: hypothesis)', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir pytest==8.3.3 hypothesis==6.112.0 coverage==7.6.0\nENTRYPOINT ["python", "-m", "pytest"]\n' },
    { name: 'a dev extra of the project holding the tool the image runs', dockerfile: 'FROM python:3.12-slim\nCOPY . .\nRUN pip install --no-cache-dir ".[test]"\nCMD ["pytest", "-q"]\n', files: { 'pyproject.toml': '[project]\nname = "a"\nversion = "1"\n\n[project.optional-dependencies]\ntest = ["pytest"]\n' } },
    { name: 'a script the entrypoint script runs runs the tool (found by review)', dockerfile: 'FROM python:3.12-slim\nCOPY . .\nRUN pip install --no-cache-dir pytest==8.0.0\nENTRYPOINT ["./entrypoint.sh"]\n', files: { 'entrypoint.sh': '#!/bin/sh\n./scripts/tests.sh\n', 'scripts/tests.sh': '#!/bin/sh\npython -m pytest\n' } },
    { name: 'the entrypoint script runs the tools (found by review)', dockerfile: 'FROM python:3.12-slim\nCOPY . .\nRUN pip install --no-cache-dir ruff==0.4.0 pytest==8.0.0\nENTRYPOINT ["./ci.sh"]\n', files: { 'ci.sh': '#!/bin/sh\nset -e\nruff check .\npytest --cov\n' } },
    { name: 'the entrypoint runs a tool of a dev requirements file', dockerfile: 'FROM python:3.12-slim\nCOPY requirements-test.txt .\nRUN pip install --no-cache-dir -r requirements-test.txt\nENTRYPOINT ["python", "-m", "pytest"]\n', files: { 'requirements-test.txt': 'pytest==8.0.0\npytest-cov==5.0.0\n' } },
  ],
});

describe('SD105 fixes', () => {
  it('uv sync gets --no-dev', () => {
    const fixed = assertFix('SD105', { dockerfile: 'FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --locked\n', files: { 'pyproject.toml': UV_PROJECT } });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --no-dev --locked\n');
  });
  it('the uv fix is preferred: Optimize applies it (its rewrite leaves dev groups out too)', () => {
    const f = findingsOf('SD105', { dockerfile: 'FROM python:3.12-slim\nRUN uv sync --locked\n', files: { 'pyproject.toml': UV_PROJECT } })[0];
    assert.equal(f.fixes[0]?.preferred, true);
  });
  it('other default dev groups get --no-group', () => {
    const py = UV_PROJECT + 'lint = ["ruff"]\n\n[tool.uv]\ndefault-groups = ["dev", "lint"]\n';
    const fixed = assertFix('SD105', { dockerfile: 'FROM python:3.12-slim\nRUN uv sync --locked\n', files: { 'pyproject.toml': py } });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN uv sync --no-dev --no-group lint --locked\n');
  });
  it('the image starts with uv run: ENV UV_NO_DEV=1, which uv run reads too (corpus: spotDL, buildkite)', () => {
    const d = 'FROM python:3.12-slim\nWORKDIR /app\nRUN uv sync --locked\nENTRYPOINT ["uv", "run", "--project", "/app", "app"]\n';
    const fixed = assertFix('SD105', { dockerfile: d, files: { 'pyproject.toml': UV_PROJECT } });
    assert.equal(fixed, d.replace('RUN uv sync', 'ENV UV_NO_DEV=1\nRUN uv sync'));
  });
  it('uv run through sh -c counts (corpus: lnbits)', () => {
    const d = 'FROM python:3.12-slim\nRUN uv sync --locked\nCMD ["sh", "-c", "uv run app --port $PORT"]\n';
    assert.equal(assertFix('SD105', { dockerfile: d, files: { 'pyproject.toml': UV_PROJECT } }), d.replace('RUN uv sync', 'ENV UV_NO_DEV=1\nRUN uv sync'));
  });
  it('two syncs of a stage share one ENV UV_NO_DEV=1', () => {
    const d = 'FROM python:3.12-slim\nWORKDIR /app\nRUN uv sync --locked --no-install-project\nRUN uv sync --locked\nCMD ["uv", "run", "app"]\n';
    const findings = findingsOf('SD105', { dockerfile: d, files: { 'pyproject.toml': UV_PROJECT } });
    assert.equal(findings.length, 2);
    assert.deepEqual(findings.map((f) => f.fixes[0].edits), [findings[0].fixes[0].edits, findings[0].fixes[0].edits]);
    assert.equal(applyEdits(d, findings[0].fixes[0].edits), d.replace('RUN uv sync --locked --no-install', 'ENV UV_NO_DEV=1\nRUN uv sync --locked --no-install'));
  });
  it('uv run at start-up, a later uv command asks for a dev group: no ENV, --no-dev not preferred', () => {
    const d = 'FROM python:3.12-slim\nRUN uv sync --locked\nRUN uv sync --locked --group dev --inexact\nCMD ["uv", "run", "app"]\n';
    const f = findingsOf('SD105', { dockerfile: d, files: { 'pyproject.toml': UV_PROJECT } })[0];
    assert.deepEqual(f.fixes.map((x) => [x.preferred, x.edits[0].newText]), [[false, ' --no-dev']]);
  });
  it('uv run at start-up, the sync in a builder stage: --no-dev offered, not preferred', () => {
    const d = 'FROM python:3.12-slim AS build\nWORKDIR /app\nRUN uv sync --locked\nFROM python:3.12-slim\nCOPY --from=build /app /app\nCMD ["uv", "run", "app"]\n';
    const f = findingsOf('SD105', { dockerfile: d, files: { 'pyproject.toml': UV_PROJECT } })[0];
    assert.deepEqual(f.fixes.map((x) => [x.preferred, x.edits[0].newText]), [[false, ' --no-dev']]);
  });
  it('uv run at start-up with a uv too old for UV_NO_DEV: --no-dev offered, not preferred', () => {
    const d = 'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.7.2 /uv /bin/\nRUN uv sync --locked\nCMD ["uv", "run", "app"]\n';
    const f = findingsOf('SD105', { dockerfile: d, files: { 'pyproject.toml': UV_PROJECT } })[0];
    assert.deepEqual(f.fixes.map((x) => x.preferred), [false]);
  });
  it('uv run --no-sync at start-up keeps --no-dev', () => {
    const d = 'FROM python:3.12-slim\nRUN uv sync --locked\nCMD ["uv", "run", "--no-sync", "app"]\n';
    assert.equal(assertFix('SD105', { dockerfile: d, files: { 'pyproject.toml': UV_PROJECT } }), d.replace('uv sync', 'uv sync --no-dev'));
  });
  it('poetry install gets --without dev', () => {
    const fixed = assertFix('SD105', { dockerfile: 'FROM python:3.12-slim\nENV POETRY_VIRTUALENVS_CREATE=false\nRUN poetry install --no-root --no-cache\n', files: { 'pyproject.toml': POETRY_PROJECT } });
    assert.equal(fixed, 'FROM python:3.12-slim\nENV POETRY_VIRTUALENVS_CREATE=false\nRUN poetry install --without dev --no-root --no-cache\n');
  });
  it('poetry keeps its other non-optional groups: --without names the dev ones only', () => {
    const py = POETRY_PROJECT + '\n[tool.poetry.group.server.dependencies]\ngunicorn = "*"\n\n[tool.poetry.group.lint.dependencies]\nruff = "*"\n';
    const fixed = assertFix('SD105', { dockerfile: 'FROM python:3.12-slim\nRUN poetry install --extras cuda\n', files: { 'pyproject.toml': py } });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN poetry install --without dev,lint --extras cuda\n');
  });
  it('poetry before 1.2 gets --no-dev', () => {
    const d = 'FROM python:3.12-slim\nRUN pip install --no-cache-dir poetry==1.1.15\nRUN poetry install --no-root\n';
    assert.equal(assertFix('SD105', { dockerfile: d, files: { 'pyproject.toml': POETRY_PROJECT } }), d.replace('poetry install', 'poetry install --no-dev'));
  });
  it('pip --group dev is removed when another group stays (corpus: bookwyrm)', () => {
    const d = 'FROM python:3.12-slim\nRUN pip install "pip>=25.1.0" && pip install --no-cache-dir --group main --group dev\n';
    assert.equal(assertFix('SD105', { dockerfile: d }), d.replace(' --group dev', ''));
  });
  it('pip --group=test on a continuation line', () => {
    const d = 'FROM python:3.12-slim\nRUN pip install --no-cache-dir \\\n    --group=test \\\n    -r requirements.txt\n';
    assert.equal(assertFix('SD105', { dockerfile: d }), 'FROM python:3.12-slim\nRUN pip install --no-cache-dir \\\n    -r requirements.txt\n');
  });
  it('pip --group dev alone: nothing would be left to install, no fix', () => {
    const f = findingsOf('SD105', { dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir --group dev\n' })[0];
    assert.deepEqual(f.fixes, []);
  });
  it('named dev tools get no fix (the image may use them where slimdock cannot see)', () => {
    const f = findingsOf('SD105', { dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.0 pytest==8.0.0 --group dev\n' })[0];
    assert.deepEqual(f.fixes, []);
  });
  it('pipenv install --dev loses --dev', () => {
    const d = 'FROM python:3.12-slim\nRUN pipenv install --system --dev --deploy\n';
    assert.equal(assertFix('SD105', { dockerfile: d }), 'FROM python:3.12-slim\nRUN pipenv install --system --deploy\n');
  });
  it('pdm install gets --prod, preferred', () => {
    const d = 'FROM python:3.12-slim\nRUN pdm install --no-self\n';
    const files = { 'pyproject.toml': '[tool.pdm.dev-dependencies]\ntest = ["pytest"]\n' };
    assert.equal(assertFix('SD105', { dockerfile: d, files }), 'FROM python:3.12-slim\nRUN pdm install --prod --no-self\n');
    assert.equal(findingsOf('SD105', { dockerfile: d, files })[0].fixes[0].preferred, true);
  });
});

describe('SD105 fixes (exec form)', () => {
  it('poetry install in exec form gets two JSON strings', () => {
    const fixed = assertFix('SD105', { dockerfile: 'FROM python:3.12-slim\nRUN ["poetry", "install", "--no-cache"]\n', files: { 'pyproject.toml': POETRY_PROJECT } });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN ["poetry", "install", "--without", "dev", "--no-cache"]\n');
  });
  it('pip --group dev in exec form', () => {
    const fixed = assertFix('SD105', { dockerfile: 'FROM python:3.12-slim\nRUN ["pip", "install", "--no-cache-dir", "--group", "main", "--group", "dev"]\n' });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN ["pip", "install", "--no-cache-dir", "--group", "main"]\n');
  });
});
