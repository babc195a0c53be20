// SD401's fix, "copy the dependency manifests first", applied and re-checked with assertFix
// (the finding is gone, no new warning or error), with the exact text expected.
import assert from 'node:assert/strict';
import { assertFix, check } from '../../helpers';

const reqs = { 'requirements.txt': 'flask==3.0.3\n', 'app.py': 'print(1)\n' };
const sd401 = (dockerfile: string, files: Record<string, string>) => check(dockerfile, files).find((f) => f.rule === 'SD401');

describe('SD401 fix: copy the dependency manifests first', () => {
  it('requirements: copies the file and moves the install before the whole-context COPY', () => {
    const dockerfile = 'FROM python:3.12-slim\nWORKDIR /app\n# the sources\nCOPY . .\n# dependencies\nRUN pip install --no-cache-dir -r requirements.txt\nCMD ["python", "app.py"]\n';
    const fixed = assertFix('SD401', { dockerfile, files: reqs });
    assert.equal(fixed, 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n# dependencies\nRUN pip install --no-cache-dir -r requirements.txt\n# the sources\nCOPY . .\nCMD ["python", "app.py"]\n');
  });

  it('requirements with includes and a WORKDIR after an absolute COPY; continuation lines travel verbatim', () => {
    const files = { 'requirements/base.txt': 'flask==3.0.3\n', 'requirements/prod.txt': '-r base.txt\ngunicorn==22.0.0\n', 'app.py': 'x\n' };
    const dockerfile = 'FROM python:3.12-slim\nCOPY . /srv/app\nWORKDIR /srv/app\nRUN pip install --no-cache-dir \\\n    -r requirements/prod.txt\nEXPOSE 8000\n';
    const fixed = assertFix('SD401', { dockerfile, files });
    assert.equal(fixed, 'FROM python:3.12-slim\nWORKDIR /srv/app\nCOPY requirements/prod.txt requirements/base.txt requirements/\nRUN pip install --no-cache-dir \\\n    -r requirements/prod.txt\nCOPY . /srv/app\nEXPOSE 8000\n');
  });

  it('exec form, a non-root USER and a LABEL between: the COPY moves down past them, they keep their order', () => {
    const dockerfile = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY --chown=app . .\nLABEL org.opencontainers.image.title=app\nUSER app\nRUN ["pip", "install", "--no-cache-dir", "-r", "requirements.txt"]\nCMD ["python", "app.py"]\n';
    const fixed = assertFix('SD401', { dockerfile, files: reqs });
    assert.equal(fixed, 'FROM python:3.12-slim\nWORKDIR /app\nLABEL org.opencontainers.image.title=app\nUSER app\nCOPY requirements.txt .\nRUN ["pip", "install", "--no-cache-dir", "-r", "requirements.txt"]\nCOPY --chown=app . .\nCMD ["python", "app.py"]\n');
  });

  it('uv sync: split like uv\'s pattern, dependencies from bind-mounted manifests before the COPY', () => {
    const files = { 'pyproject.toml': '[project]\nname = "a"\nversion = "1"\ndependencies = ["flask"]\n', 'uv.lock': 'version = 1\n', 'app.py': 'x\n' };
    const dockerfile = 'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/\nENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-dev\n';
    const fixed = assertFix('SD401', { dockerfile, files });
    assert.equal(
      fixed,
      'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/\nENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1\nWORKDIR /app\n' +
        'RUN --mount=type=cache,target=/root/.cache/uv \\\n    --mount=type=bind,source=uv.lock,target=uv.lock \\\n    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\\n    uv sync --locked --no-dev --no-install-project\n' +
        'COPY . .\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-dev\n',
    );
  });

  it('poetry install --no-root moves with pyproject.toml and poetry.lock; the escape character is kept', () => {
    const files = { 'pyproject.toml': '[tool.poetry]\nname = "a"\n', 'poetry.lock': '# lock\n', 'app.py': 'x\n' };
    const dockerfile = '# escape=`\nFROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/pypoetry pip install --no-cache-dir poetry==1.8.3 && `\n    poetry install --no-root --only main\n';
    const fixed = assertFix('SD401', { dockerfile, files });
    assert.equal(fixed, '# escape=`\nFROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nRUN --mount=type=cache,target=/root/.cache/pypoetry pip install --no-cache-dir poetry==1.8.3 && `\n    poetry install --no-root --only main\nCOPY . .\n');
  });

  it('uv sync without --no-dev and without a cache mount: the dependencies step gets both (the sync after the COPY adds dev)', () => {
    const files = { 'pyproject.toml': '[project]\nname = "a"\nversion = "1"\n', 'uv.lock': 'version = 1\n', 'app.py': 'x\n' };
    const dockerfile = 'FROM python:3.12-alpine\nRUN pip install --no-cache-dir uv==0.5.0\nWORKDIR /app\n# sources\nCOPY . .\nRUN uv sync\n';
    const fixed = assertFix('SD401', { dockerfile, files });
    assert.equal(fixed, 'FROM python:3.12-alpine\nRUN pip install --no-cache-dir uv==0.5.0\nWORKDIR /app\nRUN --mount=type=cache,target=/root/.cache/uv \\\n    --mount=type=bind,source=uv.lock,target=uv.lock \\\n    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\\n    uv sync --no-dev --no-install-project\n# sources\nCOPY . .\nRUN uv sync\n');
  });

  it('poetry install with the project: --no-root first, the install stays after the COPY', () => {
    const files = { 'pyproject.toml': '[tool.poetry]\nname = "a"\n', 'poetry.lock': '# lock\n', 'app.py': 'x\n' };
    const dockerfile = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/pypoetry poetry install --only main\n';
    const fixed = assertFix('SD401', { dockerfile, files });
    assert.equal(fixed, 'FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nRUN --mount=type=cache,target=/root/.cache/pypoetry poetry install --no-root --only main\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/pypoetry poetry install --only main\n');
  });

  it('pipenv install --system --deploy moves with Pipfile and Pipfile.lock', () => {
    const files = { Pipfile: '[packages]\nflask = "*"\n', 'Pipfile.lock': '{}\n', 'app.py': 'x\n' };
    const dockerfile = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pipenv install --system --deploy && rm -rf /root/.cache/pipenv\n';
    const fixed = assertFix('SD401', { dockerfile, files });
    assert.equal(fixed, 'FROM python:3.12-slim\nWORKDIR /app\nCOPY Pipfile Pipfile.lock ./\nRUN pipenv install --system --deploy && rm -rf /root/.cache/pipenv\nCOPY . .\n');
  });

  // Not offered where moving could change the build.
  const noFix: [string, string, Record<string, string>][] = [
    ['pip install . needs the sources', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\n', reqs],
    ['a RUN between may need the copied files', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN chmod +x entrypoint.sh\nRUN pip install --no-cache-dir -r requirements.txt\n', reqs],
    ['the install RUN also runs the app code', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt && python manage.py collectstatic\n', reqs],
    ['a requirements file installs a local path', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\n', { 'requirements.txt': '-e .\nflask\n' }],
    ['the requirements file is not in the context', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\n', { 'app.py': 'x\n' }],
    ['WORKDIR between and a relative COPY destination', 'FROM python:3.12-slim\nCOPY . .\nWORKDIR /app\nRUN pip install --no-cache-dir -r /requirements.txt\n', reqs],
    ['poetry install whose cache stays in the layer (the copy would repeat it)', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN poetry install --only main\n', { 'pyproject.toml': '[tool.poetry]\nname = "a"\n', 'poetry.lock': '# lock\n' }],
    ['uv sync without uv before the COPY', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install uv==0.5.0 && uv sync --locked --no-cache\n', { 'pyproject.toml': '[project]\nname="a"\n', 'uv.lock': 'version = 1\n' }],
  ];
  for (const [name, dockerfile, files] of noFix) {
    it(`no fix: ${name}`, () => {
      const f = sd401(dockerfile, files);
      assert.ok(f, `SD401 does not fire on:\n${dockerfile}`);
      assert.deepEqual(f.fixes, []);
    });
  }
});
