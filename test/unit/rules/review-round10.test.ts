// Rules' fixes that `check --fix` applied and that broke the build or overrode the user (found by
// review, session 10). Each case fails without its fix.
import assert from 'node:assert/strict';
import { check, findingsOf, assertFix, applyFileEdits } from '../../helpers';
import { applyEdits } from '../../../server/src/engine/fixes/text';

const S = 'FROM python:3.12-slim\n';

describe('review round 10: fixes that excluded what the build names', () => {
  const ignoreAfter = (rule: string, dockerfile: string, files: Record<string, string>) => {
    const f = check(dockerfile, files).find((x) => x.rule === rule);
    const fix = f?.fixes[0];
    return fix ? applyFileEdits(files, fix)['.dockerignore'] ?? '' : undefined;
  };

  it('SD402 leaves .venv out of its fix when a COPY copies it, and dist when a RUN reads it from the copied context', () => {
    const venv = ignoreAfter('SD402', `${S}COPY .venv /app/.venv\nCOPY . /app\n`, { '.git/HEAD': 'ref: x\n', '.venv/pyvenv.cfg': 'home = /usr/bin\n', 'app.py': '' });
    assert.ok(venv !== undefined, 'SD402 fires for .git');
    assert.doesNotMatch(venv, /^\.venv$/m, venv);
    assert.match(venv, /^\.git$/m, venv);
    const dist = check(`${S}WORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir dist/*.whl\n`, { 'dist/app-1.0-py3-none-any.whl': 'x', 'app.py': '' }).filter((x) => x.rule === 'SD402');
    assert.ok(!dist.some((f) => /built distributions/.test(f.message) || f.fixes.some((x) => (x.otherFiles ?? []).some((e) => e.edits.some((t) => /^dist$/m.test(t.newText))))), dist.map((f) => f.message).join('\n'));
  });

  it('SD403 keeps a secret-looking file the build copies by name, and writes the other files\' names instead of a glob that would take it', () => {
    const files = { '.env.docker': 'A=1\n', '.env.prod': 'SECRET=1\n', 'app.py': '' };
    const ignore = ignoreAfter('SD403', `${S}WORKDIR /app\nCOPY . .\nCOPY .env.docker /app/.env\n`, files);
    assert.ok(ignore !== undefined);
    assert.match(ignore, /^\.env\.prod$/m, ignore);
    assert.doesNotMatch(ignore, /^\.env\.\*$/m, ignore);
    const pem = check(`${S}COPY corp-ca.pem /usr/local/share/ca-certificates/corp-ca.crt\nCOPY . /app\n`, { 'corp-ca.pem': 'x', 'app.py': '' }).filter((x) => x.rule === 'SD403');
    assert.ok(!pem.some((f) => f.fixes.some((x) => (x.otherFiles ?? []).some((e) => e.edits.some((t) => /\*\.pem/.test(t.newText))))), 'no *.pem exclusion');
  });
});

describe('review round 10: fixes that dropped what later steps use, or moved a suppression away', () => {
  it('SD202 keeps git\'s ssh client where the file reaches a host over SSH, git-lfs\'s certificates, and calls R\'s recommends risky', () => {
    const ssh = assertFix('SD202', { dockerfile: `${S}RUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*\nRUN mkdir -p ~/.ssh && ssh-keyscan github.com >> ~/.ssh/known_hosts\n` });
    assert.match(ssh, /apt-get install --no-install-recommends -y ca-certificates openssh-client git /, ssh);
    const lfs = assertFix('SD202', { dockerfile: `${S}RUN apt-get update && apt-get install -y git-lfs && rm -rf /var/lib/apt/lists/*\n` });
    assert.match(lfs, /--no-install-recommends -y ca-certificates git-lfs/, lfs);
    const r = findingsOf('SD202', { dockerfile: `${S}RUN apt-get update && apt-get install -y r-base-core && rm -rf /var/lib/apt/lists/*\n` })[0];
    assert.ok(r.fixes.every((f) => !f.safe && !f.preferred), r.fixes.map((f) => f.title).join('\n'));
  });

  it('SD201\'s fix updates the lists for a later install through xargs -a or eatmydata', () => {
    for (const run of ['xargs -a /tmp/packages.txt apt-get install -y --no-install-recommends', 'eatmydata apt-get install -y --no-install-recommends curl']) {
      const fixed = assertFix('SD201', { dockerfile: `${S}RUN apt-get update && apt-get install -y --no-install-recommends gnupg\nRUN ${run}\n` });
      assert.match(fixed, new RegExp(`\\nRUN apt-get update && ${run.split(' ')[0]} `), fixed);
    }
  });

  it('SD504 and SD103 insert above the comment lines that belong to the RUN', () => {
    const fixed = assertFix('SD504', { dockerfile: `${S}# hadolint ignore=DL3015\nRUN --mount=type=cache,target=/root/.cache/uv uv pip install --system flask\n` });
    assert.equal(fixed, `${S}ENV UV_LINK_MODE=copy\n# hadolint ignore=DL3015\nRUN --mount=type=cache,target=/root/.cache/uv uv pip install --system flask\n`);
    const sd103 = findingsOf('SD103', { dockerfile: `${S}# slimdock: ignore=SD509\nRUN pip install --no-cache-dir flask\n` })[0];
    assert.ok(sd103, 'SD103 fires');
    const converted = applyEdits(`${S}# slimdock: ignore=SD509\nRUN pip install --no-cache-dir flask\n`, sd103.fixes[0].edits);
    assert.match(converted, /\n# slimdock: ignore=SD509\nRUN /, converted);
  });
});

describe('review round 10: quick fixes the editor offers', () => {
  const convert = (dockerfile: string, files: Record<string, string> = {}) => {
    const f = check(dockerfile, files).find((x) => x.rule === 'SD103');
    return f?.fixes[0] ? applyEdits(dockerfile, f.fixes[0].edits) : undefined;
  };

  it('SD103 converts into the venv pip ran in (first on PATH, activated), and not where pip.conf configures pip', () => {
    const onPath = convert(`${S}RUN python -m venv /opt/venv\nENV PATH="/opt/venv/bin:$PATH"\nRUN pip install --no-cache-dir flask\n`);
    assert.match(onPath ?? '', /uv pip install --python \/opt\/venv\/bin\/python/, onPath);
    // Activated: VIRTUAL_ENV is set, which uv reads (after a `cd` too).
    const activated = convert(`${S}RUN python -m venv /srv/venv\nRUN cd /srv && . venv/bin/activate && pip install --no-cache-dir flask\n`);
    assert.match(activated ?? '', /&& uv pip install --no-cache flask/, activated);
    // Not a user base or another bin folder copied in, nor a venv made after the install.
    assert.match(convert(`${S}COPY --from=ghcr.io/acme/base:1 /root/.local /root/.local\nENV PATH=/root/.local/bin:$PATH\nRUN pip install --no-cache-dir gunicorn\n`) ?? '', /uv pip install --system/);
    assert.match(convert(`${S}ENV PATH=/opt/venv/bin:$PATH\nRUN pip install --no-cache-dir virtualenv && virtualenv /opt/venv\n`) ?? '', /uv pip install --system/);
    // A pip.conf mounted as a secret for the install, or copied as pip's config folder.
    assert.equal(convert(`${S}RUN --mount=type=secret,id=pipconf,target=/etc/pip.conf pip install --no-cache-dir flask\n`), undefined);
    assert.equal(convert(`${S}COPY pipconfig/ /root/.config/pip/\nRUN pip install --no-cache-dir flask\n`, { 'pipconfig/pip.conf': '[global]\n' }), undefined);
    // Nor a pip.conf in a label or another stage.
    assert.ok(convert(`FROM python:3.12 AS other\nCOPY pip.conf /etc/pip.conf\n${S}LABEL note="no pip.conf"\nRUN pip install --no-cache-dir flask\n`, { 'pip.conf': '' }));
    assert.equal(convert(`${S}COPY pip.conf /etc/pip.conf\nRUN pip install --no-cache-dir flask\n`, { 'pip.conf': '[global]\nindex-url = https://pypi.corp/simple\n' }), undefined);
  });

  it('SD401 copies a PIP_CONSTRAINT file with the manifests, adds no cache mount under UV_NO_CACHE, and SD402 leaves a re-included .git alone', () => {
    const files = { 'constraints.txt': 'flask==3.0.3\n', 'requirements/prod.txt': 'flask\n', 'main.py': '' };
    const df = `${S}ENV PIP_CONSTRAINT=/app/constraints.txt\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements/prod.txt\nCMD ["python", "main.py"]\n`;
    const f = check(df, files).find((x) => x.rule === 'SD401');
    assert.ok(f, 'SD401 fires');
    assert.ok(f.fixes[0], 'a fix');
    const fixed = applyEdits(df, f.fixes[0].edits);
    assert.match(fixed, /^COPY constraints\.txt \.\nCOPY requirements\/prod\.txt requirements\/\nRUN pip install/m, fixed);
    const uv = { 'pyproject.toml': '[project]\nname = "app"\nversion = "0.1.0"\nrequires-python = ">=3.12"\ndependencies = []\n', 'uv.lock': 'version = 1\nrequires-python = ">=3.12"\n\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "." }\n', 'app/__init__.py': '' };
    const sync = assertFix('SD401', { dockerfile: `${S}COPY --from=ghcr.io/astral-sh/uv:0.4.20 /uv /bin/uv\nENV UV_NO_CACHE=1\nWORKDIR /app\nCOPY . .\nRUN uv sync --locked --no-dev\nCMD ["python", "-m", "app"]\n`, files: uv });
    assert.doesNotMatch(sync, /type=cache/, sync);
    const git = check(`${S}COPY . /app\n`, { '.dockerignore': '*\n!app.py\n!.git\n', '.git/HEAD': 'x', 'app.py': '' }).filter((x) => x.rule === 'SD402');
    assert.equal(git.length, 1);
    assert.ok(git.every((x) => x.fixes.every((fx) => (fx.otherFiles ?? []).every((e) => e.edits.every((t) => !/^\.git$/m.test(t.newText))))), 'no .git appended after !.git');
  });
});

describe('review round 11: regressions of round 10, found by its review', () => {
  it('SD402 still reports bloat a RUN only removes or makes (rm -rf .git, mkdir dist, python -m venv .venv): only an install reading the folder keeps it', () => {
    const fires = (run: string, files: Record<string, string>) => check(`${S}WORKDIR /app\nCOPY . .\nRUN ${run}\n`, { 'app.py': '', ...files }).some((x) => x.rule === 'SD402');
    assert.ok(fires('rm -rf .git', { '.git/HEAD': 'x' }));
    assert.ok(fires('python -m venv .venv', { '.venv/pyvenv.cfg': 'home = /usr/bin\n' }));
    assert.ok(!fires('pip install --no-cache-dir dist/*.whl', { 'dist/a-1-py3-none-any.whl': 'x' }));
    const env = check(`${S}WORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir flask && rm -f .env\n`, { '.env': 'A=1\n', 'app.py': '' }).find((x) => x.rule === 'SD403');
    assert.ok(env && env.fixes.length === 1, 'SD403 keeps its fix when a RUN deletes the file');
  });

  it('SD202 adds openssh-client only for SSH the stage uses (not a comment or another stage), and for keys copied into .ssh or a git+ssh requirement', () => {
    const fixed = (df: string, files: Record<string, string> = {}) => assertFix('SD202', { dockerfile: df, files });
    assert.doesNotMatch(fixed(`${S}# Repo: git@github.com:acme/app.git\nRUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*\n`), /openssh-client/);
    assert.doesNotMatch(fixed(`FROM python:3.12 AS other\nRUN ssh-keyscan github.com >> /k\n${S}RUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*\n`), /openssh-client/);
    assert.match(fixed(`${S}RUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n`, { 'requirements.txt': 'lib @ git+ssh://git@github.com/acme/lib.git\n' }), /openssh-client/);
  });

  it('the dockerignore fix reads a re-include in any spelling (!**/.git)', () => {
    const git = check(`${S}COPY . /app\n`, { '.dockerignore': '*\n!app.py\n!**/.git\n', '.git/HEAD': 'x', 'app.py': '' }).filter((x) => x.rule === 'SD402');
    assert.equal(git.length, 1);
    assert.ok(git.every((x) => x.fixes.every((fx) => (fx.otherFiles ?? []).every((e) => e.edits.every((t) => !/^\.git$/m.test(t.newText))))));
  });
});

describe('review round 12: SD403 and the container\'s start-up', () => {
  it('keeps a .env the CMD reads (uv run --env-file .env) out of its fix', () => {
    const f = check(`${S}WORKDIR /app\nCOPY . .\nCMD ["uv", "run", "--no-sync", "--env-file", ".env", "python", "main.py"]\n`, { '.env': 'A=1\n', '.env.prod': 'B=1\n', 'main.py': '' }).find((x) => x.rule === 'SD403');
    assert.ok(f && f.fixes[0], 'SD403 fires with a fix for .env.prod');
    const text = (f.fixes[0].otherFiles ?? []).flatMap((e) => e.edits.map((t) => t.newText)).join('');
    assert.doesNotMatch(text, /^\.env$/m, text);
    assert.match(text, /^\.env\.(\*|prod)$/m, text);
  });
});

describe('review round 13: a review of rounds 11 and 12', () => {
  it('SD402 keeps a folder any command reads from the copied context (cp dist/*.whl), not a venv a CMD runs from the image', () => {
    const dist = check(`${S}WORKDIR /app\nCOPY . .\nRUN mkdir -p /wheels && cp dist/*.whl /wheels/ && pip install --no-cache-dir /wheels/*.whl\n`, { 'dist/a-1-py3-none-any.whl': 'x', 'app.py': '' }).filter((x) => x.rule === 'SD402');
    assert.ok(!dist.some((f) => /built distributions/.test(f.message)), dist.map((f) => f.message).join('\n'));
    const venv = check(`${S}WORKDIR /app\nCOPY . .\nRUN uv sync --frozen\nCMD [".venv/bin/python", "main.py"]\n`, { '.venv/pyvenv.cfg': 'home = /usr/bin\n', 'main.py': '' }).filter((x) => x.rule === 'SD402');
    assert.ok(venv.some((f) => /sends \.venv/.test(f.message)), 'the host .venv is reported');
  });

  it('SD103 reads a venv made through a variable, and offers no fix beside a folder on PATH it cannot tell is a venv', () => {
    const convert = (dockerfile: string) => {
      const f = check(dockerfile).find((x) => x.rule === 'SD103');
      return f?.fixes[0] ? applyEdits(dockerfile, f.fixes[0].edits) : undefined;
    };
    assert.match(convert(`${S}ENV VENV=/opt/venv\nRUN python -m venv $VENV\nENV PATH=$VENV/bin:$PATH\nRUN pip install --no-cache-dir flask\n`) ?? '', /--python \/opt\/venv\/bin\/python/);
    assert.equal(convert(`${S}ENV PATH=/opt/venv/bin:$PATH\nRUN pip install --no-cache-dir flask\n`), undefined);
    assert.match(convert(`${S}ENV PATH=/root/.local/bin:$PATH\nRUN pip install --no-cache-dir flask\n`) ?? '', /--system/);
  });
});

describe('review round 14: the last small cases', () => {
  it('SD103 sees a ~/.pip folder and `python -m pip config` as pip configuration', () => {
    const convert = (dockerfile: string, files: Record<string, string> = {}) => {
      const f = check(dockerfile, files).find((x) => x.rule === 'SD103');
      return f?.fixes[0] ? applyEdits(dockerfile, f.fixes[0].edits) : undefined;
    };
    assert.equal(convert(`${S}COPY .pip /root/.pip\nRUN pip install --no-cache-dir flask\n`, { '.pip/pip.conf': '[global]\n' }), undefined);
    assert.equal(convert(`${S}RUN python -m pip config set global.index-url https://pypi.corp/simple\nRUN pip install --no-cache-dir flask\n`), undefined);
    assert.ok(convert(`${S}RUN pip install --no-cache-dir flask\n`));
  });
});
