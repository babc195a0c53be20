// SD404/SD405: what docker-clean, COPY --chown and chown --from leave unchanged (no finding), and
// the fixes beyond "the later RUN only cleans up" / "the RUN is only the chown".
import assert from 'node:assert/strict';
import { ruleCases, assertFix, check } from '../../helpers';

const UNKNOWN = 'FROM registry.example.invalid/base:1\n';

ruleCases('SD404', {
  fires: [
    { name: 'apt-get clean after an install on a base not known to clean up after apt', dockerfile: `${UNKNOWN}RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nRUN apt-get clean\n`, lines: [3] },
    { name: 'apt-get clean on Ubuntu after docker-clean was removed', dockerfile: 'FROM ubuntu:22.04\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nRUN apt-get purge -y curl && apt-get clean\n', lines: [4] },
    { name: 'apt-get clean after a download-only install on Debian', dockerfile: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --download-only curl && rm -rf /var/lib/apt/lists/*\nRUN apt-get clean\n', lines: [3] },
  ],
  clean: [
    { name: 'apt-get clean after an install on Ubuntu (docker-clean deletes the archives)', dockerfile: 'FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nRUN apt-get purge -y curl && apt-get autoremove -y && apt-get clean\n' },
    { name: 'apt-get clean after an install on python:slim', dockerfile: 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nRUN apt-get clean\n' },
    { name: 'apt-get clean of the archives its own upgrade downloaded', dockerfile: `${UNKNOWN}RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nRUN apt-get update && apt-get upgrade -y && apt-get clean && rm -rf /var/lib/apt/lists/*\n` },
  ],
});

ruleCases('SD405', {
  fires: [
    { name: 'chown to another owner than COPY --chown gave', dockerfile: 'FROM python:3.12-slim\nCOPY --chown=1000:1000 . /app\nRUN chown -R 1001 /app\n', lines: [3] },
    { name: 'chown --from=root over a COPY without --chown (root-owned)', dockerfile: 'FROM python:3.12-slim\nRUN useradd app\nCOPY . /app\nRUN chown --from=root -R app /app\n', lines: [4] },
    { name: 'another group than COPY --chown gave', dockerfile: 'FROM python:3.12-slim\nRUN useradd app\nCOPY --chown=app:app . /app\nRUN chown -R app:staff /app\n', lines: [4] },
    { name: 'a symbolic chmod over COPY --chmod', dockerfile: 'FROM python:3.12-slim\nCOPY --chmod=644 scripts/ /opt/scripts/\nRUN chmod -R +x /opt/scripts\n', lines: [3] },
  ],
  clean: [
    { name: 'chown to the owner COPY --chown gave (nothing changes, nothing is copied up)', dockerfile: 'FROM python:3.12-slim\nCOPY --chown=1001:1001 . /opt/app\nRUN useradd -u 1001 app && mkdir -p /var/log/app && chown -R 1001:1001 /var/log/app /opt/app\n' },
    { name: 'chown of the user alone, COPY gave user and group', dockerfile: 'FROM python:3.12-slim\nRUN useradd app\nCOPY --chown=app:app . /app\nRUN chown -R app /app\n' },
    { name: 'chown --from root:root over files COPY --chown gave to 1000', dockerfile: 'FROM python:3.12-slim\nCOPY --chown=1000:1000 . /usr/src/app\nRUN useradd -u 1000 app && chown --from root:root --changes --recursive app:app /usr/src/app\n' },
    { name: 'chmod to the mode COPY --chmod gave', dockerfile: 'FROM python:3.12-slim\nCOPY --chmod=755 scripts/ /opt/scripts/\nRUN chmod -R 0755 /opt/scripts\n' },
  ],
});

describe('SD404 fixes beyond a cleanup-only RUN', () => {
  const fixOf = (dockerfile: string, files: Record<string, string> = {}) => check(dockerfile, files).find((f) => f.rule === 'SD404')!;

  it('appends the cleanup to every RUN that leaves the files, when the later RUN does more', () => {
    const dockerfile = `${UNKNOWN}RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nRUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*\nRUN apt-get purge -y git && apt-get clean\n`;
    const f = fixOf(dockerfile);
    assert.equal(f.fixes[0].safe, true, 'a package cache: deleting it earlier changes nothing the build reads');
    const fixed = assertFix('SD404', { dockerfile });
    assert.equal(
      fixed,
      `${UNKNOWN}RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* && apt-get clean\nRUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/* && apt-get clean\nRUN apt-get purge -y git && apt-get clean\n`,
    );
  });

  it('moves a cleanup-only RUN only when every deletion in it may go earlier', () => {
    const dockerfile = 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && curl -fsSL -o /tmp/b.tgz https://example.invalid/b.tgz\nRUN tar xzf /tmp/b.tgz -C /opt\nRUN rm -rf /var/lib/apt/lists/* && rm -f /tmp/b.tgz\n';
    const fixes = check(dockerfile).filter((f) => f.rule === 'SD404').flatMap((f) => f.fixes.map((x) => x.title));
    assert.deepEqual(fixes, ['Also run `rm` in the RUN on line 2'], 'the lists go earlier; the archive, read on line 3, does not');
  });

  // The finding stays, with no fix: the deletion cannot move before a RUN that reads what it deletes.
  const noFix: [string, string][] = [
    ['the apt lists removal, before an install that reads them', 'FROM python:3.12-slim\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\nRUN rm -rf /var/lib/apt/lists/*\n'],
    ['the apk index, before an apk add that reads it', 'FROM python:3.12-alpine\nRUN apk update && apk add curl\nRUN apk add git\nRUN rm -rf /var/cache/apk/*\n'],
    ['a download, past a RUN in between that reads it', 'FROM python:3.12-slim\nRUN curl -fsSL -o /tmp/x.tgz https://example.invalid/x.tgz\nRUN tar xzf /tmp/x.tgz -C /opt\nRUN rm -f /tmp/x.tgz\n'],
    ['a folder above a cache, past a RUN that may read the rest of it', 'FROM python:3.12-slim\nRUN pip install flask\nRUN python -c "import flask"\nRUN rm -rf /root/.cache\n'],
  ];
  for (const [name, dockerfile] of noFix) {
    it(`does not move the deletion of ${name}`, () => {
      const f = fixOf(dockerfile);
      assert.ok(f, 'the finding stays');
      assert.equal(f.fixes.length, 0);
    });
  }

  it('bind-mounts a copied file into the RUN that reads and deletes it, instead of copying it', () => {
    const files = { 'requirements.txt': 'flask\n' };
    const dockerfile = 'FROM python:3.12-slim\nCOPY requirements.txt /tmp/\nRUN pip install --no-cache-dir -r /tmp/requirements.txt && rm /tmp/requirements.txt\nCMD ["flask"]\n';
    assert.equal(fixOf(dockerfile, files).fixes[0].safe, undefined, 'preferred, not safe: needs BuildKit and reads the Dockerfile for uses');
    const fixed = assertFix('SD404', { dockerfile, files });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN --mount=type=bind,source=requirements.txt,target=/tmp/requirements.txt \\\n    pip install --no-cache-dir -r /tmp/requirements.txt\nCMD ["flask"]\n');
  });

  it('a RUN whose mounts stand on lines of their own: the new mount gets a line too, with no empty continuation (found by review)', () => {
    const files = { 'dist/mypkg-1.0-py3-none-any.whl': 'x' };
    const dockerfile = 'FROM python:3.12-slim\nCOPY dist/mypkg-1.0-py3-none-any.whl /tmp/\nRUN --mount=from=ghcr.io/astral-sh/uv:0.12.5,source=/uv,target=/bin/uv \\\n    --mount=type=cache,target=/root/.cache/uv \\\n    uv pip install --system /tmp/mypkg-1.0-py3-none-any.whl && rm /tmp/mypkg-1.0-py3-none-any.whl\n';
    assert.equal(
      assertFix('SD404', { dockerfile, files }),
      'FROM python:3.12-slim\nRUN --mount=from=ghcr.io/astral-sh/uv:0.12.5,source=/uv,target=/bin/uv \\\n    --mount=type=cache,target=/root/.cache/uv \\\n    --mount=type=bind,source=dist/mypkg-1.0-py3-none-any.whl,target=/tmp/mypkg-1.0-py3-none-any.whl \\\n    uv pip install --system /tmp/mypkg-1.0-py3-none-any.whl\n',
    );
  });

  it('bind-mounts several files, drops the rm from the middle of the RUN, and mounts writable what the RUN changes', () => {
    const dockerfile = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY install.sh env.lock ./\nRUN chmod +x install.sh \\\n && ./install.sh env.lock \\\n && rm install.sh env.lock && echo done\n';
    const fixed = assertFix('SD404', { dockerfile, files: { 'install.sh': 'echo hi\n', 'env.lock': 'x\n' } });
    assert.equal(
      fixed,
      'FROM python:3.12-slim\nWORKDIR /app\nRUN --mount=type=bind,source=install.sh,target=/app/install.sh,rw \\\n    --mount=type=bind,source=env.lock,target=/app/env.lock \\\n    chmod +x install.sh \\\n && ./install.sh env.lock \\\n && echo done\n',
    );
  });

  it('drops an rm that stands on its own line in the middle of a RUN', () => {
    const dockerfile = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY env.lock /app/env.lock\nRUN pip install --no-cache-dir -r /app/env.lock \\\n && rm /app/env.lock \\\n && echo done\n';
    const fixed = assertFix('SD404', { dockerfile, files: { 'env.lock': 'flask\n' } });
    assert.equal(fixed, 'FROM python:3.12-slim\nWORKDIR /app\nRUN --mount=type=bind,source=env.lock,target=/app/env.lock \\\n    pip install --no-cache-dir -r /app/env.lock \\\n && echo done\n');
  });

  it('mounts a copied folder writable (a build in it writes there; the writes are dropped)', () => {
    const dockerfile = 'FROM python:3.12-slim\nCOPY ./ /src\nRUN pip install --no-cache-dir /src && rm -rf /src\nCMD ["app"]\n';
    const fixed = assertFix('SD404', { dockerfile, files: { 'pyproject.toml': '[project]\nname = "app"\nversion = "1"\n', '.dockerignore': '.git\n' } });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN --mount=type=bind,source=.,target=/src,rw \\\n    pip install --no-cache-dir /src\nCMD ["app"]\n');
  });

  it('keeps the other operands of the rm', () => {
    const dockerfile = 'FROM python:3.12-slim\nCOPY req.txt /tmp/req.txt\nRUN pip install --no-cache-dir -r /tmp/req.txt > /tmp/log.txt && rm -f /tmp/req.txt /tmp/log.txt\n';
    const fixed = assertFix('SD404', { dockerfile, files: { 'req.txt': 'flask\n' } });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN --mount=type=bind,source=req.txt,target=/tmp/req.txt \\\n    pip install --no-cache-dir -r /tmp/req.txt > /tmp/log.txt && rm -f /tmp/log.txt\n');
  });

  it('offers no bind mount when something between the COPY and the RUN reads the file, the COPY sets an owner, or a folder above it is removed', () => {
    const files = { 'requirements.txt': 'flask\n' };
    const between = fixOf('FROM python:3.12-slim\nCOPY requirements.txt /tmp/\nRUN pip install --no-cache-dir -r /tmp/requirements.txt\nRUN rm /tmp/requirements.txt\n', files);
    assert.equal(between.fixes.length, 0);
    const script = fixOf('FROM python:3.12-slim\nCOPY requirements.txt /tmp/\nCOPY setup.sh /opt/\nRUN /opt/setup.sh\nRUN pip install --no-cache-dir -r /tmp/requirements.txt && rm /tmp/requirements.txt\n', { ...files, 'setup.sh': 'x\n' });
    assert.equal(script.fixes.length, 0, 'a script in between may read it');
    const owner = fixOf('FROM python:3.12-slim\nRUN useradd app\nCOPY --chown=app requirements.txt /tmp/\nUSER app\nRUN pip install --user -r /tmp/requirements.txt && rm /tmp/requirements.txt\n', files);
    assert.equal(owner.fixes.length, 0);
    const parent = fixOf('FROM python:3.12-slim\nCOPY requirements.txt /tmp/\nRUN pip install --no-cache-dir -r /tmp/requirements.txt && rm /tmp/requirements.txt && rm -rf /tmp/*\n', files);
    assert.equal(parent.fixes.length, 0, 'rm -rf /tmp/* would hit the mount point');
    const newDir = fixOf('FROM python:3.12-slim\nCOPY requirements.txt /opt/req/requirements.txt\nRUN pip install --no-cache-dir -r /opt/req/requirements.txt && rm /opt/req/requirements.txt\n', files);
    assert.equal(newDir.fixes.length, 0, 'the COPY made /opt/req: a mount would not leave it');
    const existing = fixOf('FROM python:3.12-slim\nWORKDIR /src\nCOPY . /src\nWORKDIR /\nRUN pip install --no-cache-dir /src && rm -rf /src\n', files);
    assert.equal(existing.fixes.length, 0, 'the WORKDIR made /src: the rm took the folder, a mount would leave it');
  });

  it('drops a COPY whose files a later COPY of the build context brings again', () => {
    const dockerfile = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt ./\nRUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*\nCOPY . /app\nRUN python -m compileall -q . && rm requirements.txt\n';
    const fixed = assertFix('SD404', { dockerfile, files: { 'requirements.txt': 'flask\n', '.dockerignore': '.git\n' } });
    assert.equal(fixed, 'FROM python:3.12-slim\nWORKDIR /app\nRUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*\nCOPY . /app\nRUN python -m compileall -q . && rm requirements.txt\n');
  });
});

describe('SD405 fixes beyond a chown-only RUN', () => {
  const fixOf = (dockerfile: string) => check(dockerfile).find((f) => f.rule === 'SD405')!;

  it('reads the owner after `--from OWNER`, not the --from value', () => {
    const f = fixOf('FROM python:3.12-slim\nRUN useradd app\nCOPY . /app\nRUN chown --from root:root -R app:app /app\n');
    assert.match(f.message, /COPY --chown=app:app/);
    assert.equal(f.fixes.length, 0, 'a chown --from has no COPY --chown equivalent');
  });

  it('edits the chown inside a longer RUN: COPY --chown, recursive where nothing was copied, plain over the folders made before', () => {
    const dockerfile = 'FROM python:3.12-slim\nRUN mkdir -p /var/log/app /srv/app/data\nWORKDIR /srv/app\nCOPY . /srv/app\nRUN touch /var/log/app/x.log && chown -R www-data:www-data /var/log/app /srv/app && echo ok\n';
    const fixed = assertFix('SD405', { dockerfile });
    assert.equal(
      fixed,
      'FROM python:3.12-slim\nRUN mkdir -p /var/log/app /srv/app/data\nWORKDIR /srv/app\nCOPY --chown=www-data:www-data . /srv/app\nRUN touch /var/log/app/x.log && chown -R www-data:www-data /var/log/app && chown www-data:www-data /srv/app /srv/app/data && echo ok\n',
    );
  });

  it('keeps a wrapper (sudo) in front of the rewritten call', () => {
    const fixed = assertFix('SD405', { dockerfile: 'FROM python:3.12-slim\nRUN useradd app && mkdir /srv/app\nCOPY . /srv/app\nUSER app\nRUN sudo chown -R app /srv/app && echo ok\n' });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN useradd app && mkdir /srv/app\nCOPY --chown=app . /srv/app\nUSER app\nRUN sudo chown app /srv/app && echo ok\n');
  });

  it('removes the chown from a longer RUN when nothing else needs it', () => {
    const fixed = assertFix('SD405', { dockerfile: 'FROM python:3.12-slim\nRUN useradd app\nCOPY . /srv\nRUN chown -R app /srv && echo done\n' });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN useradd app\nCOPY --chown=app . /srv\nRUN echo done\n');
  });

  it('a RUN wrote under the folder: COPY --chown, and the chown -R stays for its files (found by review: Django\'s collectstatic between)', () => {
    const fixed = assertFix('SD405', { dockerfile: 'FROM python:3.12-slim\nRUN useradd app\nWORKDIR /app\nCOPY . /app\nRUN python setup.py build\nRUN chown -R app /app\n' });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN useradd app\nWORKDIR /app\nCOPY --chown=app . /app\nRUN python setup.py build\nRUN chown -R app /app\n');
    const django = 'FROM python:3.11-slim\nWORKDIR /code\nCOPY . /code/\nRUN python manage.py collectstatic --noinput\nRUN useradd -m appuser && chown -R appuser:appuser /code\nUSER appuser\n';
    assert.equal(fixOf(django).fixes[0].title, 'Use COPY --chown=appuser:appuser; the chown -R stays for the files line 4 writes there; make appuser before it (line 3)');
    assert.equal(assertFix('SD405', { dockerfile: django }), 'FROM python:3.11-slim\nWORKDIR /code\nRUN useradd -m appuser\nCOPY --chown=appuser:appuser . /code/\nRUN python manage.py collectstatic --noinput\nRUN chown -R appuser:appuser /code\nUSER appuser\n');
  });

  it('keeps the chown -R when this RUN wrote under the folder before it', () => {
    const dockerfile = 'FROM python:3.12-slim\nRUN useradd app\nWORKDIR /app\nCOPY . /app\nRUN cp docker/config.py settings/config.py && chown -R app /app\n';
    assert.equal(fixOf(dockerfile).fixes[0].title, 'Use COPY --chown=app; the chown -R stays for the files line 5 writes there');
    assert.equal(assertFix('SD405', { dockerfile }), 'FROM python:3.12-slim\nRUN useradd app\nWORKDIR /app\nCOPY --chown=app . /app\nRUN cp docker/config.py settings/config.py && chown -R app /app\n');
  });

  // From the corpus (taiga): the accounts are made in the middle of the RUN that writes and chowns.
  it('moves the user creation out of the middle of a RUN, comment lines and all, and keeps the chown for what the RUN wrote', () => {
    const dockerfile = [
      'FROM python:3.11-slim',
      'WORKDIR /taiga-back',
      'COPY . /taiga-back',
      'RUN set -eux; \\',
      '    python manage.py collectstatic --no-input; \\',
      '    chmod +x docker/entrypoint.sh; \\',
      '    #  create taiga group and user',
      '    groupadd --system taiga --gid=999; \\',
      '    useradd --system --no-create-home --gid taiga --uid=999 --shell=/bin/bash taiga; \\',
      '    mkdir -p /taiga-back/media/exports; \\',
      '    chown -R taiga:taiga /taiga-back; \\',
      '    rm -rf /root/.cache',
      '',
    ].join('\n');
    assert.equal(
      assertFix('SD405', { dockerfile }),
      [
        'FROM python:3.11-slim',
        'WORKDIR /taiga-back',
        'RUN set -e; groupadd --system taiga --gid=999; \\',
        '    useradd --system --no-create-home --gid taiga --uid=999 --shell=/bin/bash taiga',
        'COPY --chown=taiga:taiga . /taiga-back',
        'RUN set -eux; \\',
        '    python manage.py collectstatic --no-input; \\',
        '    chmod +x docker/entrypoint.sh; \\',
        '    #  create taiga group and user',
        '    mkdir -p /taiga-back/media/exports; \\',
        '    chown -R taiga:taiga /taiga-back; \\',
        '    rm -rf /root/.cache',
        '',
      ].join('\n'),
    );
  });

  // Found by review of the above.
  it('does not move the accounts past what changes them, nor into a home the COPY fills; keeps comments and `set -e`', () => {
    const none: [string, string][] = [
      ['userdel frees the uid first', 'FROM ubuntu:24.04\nCOPY . /app\nRUN userdel -r ubuntu && groupadd -g 1000 app && useradd -u 1000 -g app -m app && chown -R app:app /app\n'],
      ['login.defs edited first', 'FROM python:3.12-slim\nCOPY . /app\nRUN sed -i "s/^UID_MIN.*/UID_MIN 5000/" /etc/login.defs && useradd -m app && chown -R app /app\n'],
      ['the package bringing useradd installed between', 'FROM python:3.12-alpine\nCOPY . /app\nRUN apk add --no-cache shadow\nRUN useradd -u 1000 app && chown -R app /app\n'],
      ['the group a package makes', 'FROM python:3.12-slim\nCOPY . /app\nRUN apt-get update && apt-get install -y --no-install-recommends ssl-cert && rm -rf /var/lib/apt/lists/*\nRUN useradd -m -G ssl-cert web && chown -R web:web /app\n'],
      ['a home that holds the COPY', 'FROM python:3.12-slim\nCOPY . /home/appuser/app\nRUN useradd -m appuser && chown -R appuser:appuser /home/appuser\n'],
      ['gosu before', 'FROM python:3.12-slim\nCOPY . /app\nRUN gosu nobody true && useradd -m app && chown -R app /app\n'],
    ];
    for (const [why, dockerfile] of none) assert.equal(fixOf(dockerfile).fixes.length, 0, why);
    const kept = assertFix('SD405', { dockerfile: 'FROM python:3.12-slim\nCOPY . /app\nRUN set -eux; \\\n    echo setting up; \\\n    useradd -r svc; \\\n    # the data folder\n    mkdir -p /srv/data; \\\n    chown -R svc /app\n' });
    assert.equal(kept, 'FROM python:3.12-slim\nRUN set -e; useradd -r svc\nCOPY --chown=svc . /app\nRUN set -eux; \\\n    echo setting up; \\\n    # the data folder\n    mkdir -p /srv/data\n');
    // A plain user on Debian past a package install (presidio): packages make system accounts only.
    const presidio = assertFix('SD405', { dockerfile: 'FROM python:3.12-slim\nCOPY conf.yaml /app/conf.yaml\nWORKDIR /app\nRUN apt-get update && apt-get install curl --no-install-recommends -y && rm -rf /var/lib/apt/lists/*\nCOPY . /app/\nRUN useradd -m -u 1001 presidio && chown -R presidio:presidio /app\nUSER 1001\n' });
    assert.match(presidio, /^FROM python:3\.12-slim\nRUN useradd -m -u 1001 presidio\nCOPY --chown=presidio:presidio conf\.yaml \/app\/conf\.yaml\n/, presidio);
    // Only `set -eux` would stay: the RUN goes.
    assert.equal(assertFix('SD405', { dockerfile: 'FROM python:3.12-slim\nCOPY . /app\nRUN set -eux; groupadd --system app; useradd --system --gid app app; chown -R app:app /app\n' }), 'FROM python:3.12-slim\nRUN set -e; groupadd --system app; useradd --system --gid app app\nCOPY --chown=app:app . /app\n');
    // errexit as it stands before them (`set +e`), no other option (a SHELL line may come after: dash has no pipefail); comments stay in the RUN, once.
    const plus = assertFix('SD405', { dockerfile: 'FROM python:3.12-slim\nCOPY . /app\nRUN set -euo pipefail; echo building; set +e; groupadd -g 1000 app; useradd -u 1000 -g 1000 -M app; set -e; chown -R app /app\n' });
    assert.match(plus, /^FROM python:3\.12-slim\nRUN groupadd -g 1000 app; useradd -u 1000 -g 1000 -M app\nCOPY --chown=app \. \/app\n/, plus);
    const twice = assertFix('SD405', { dockerfile: 'FROM python:3.12-slim\nCOPY . /app\nRUN groupadd app && \\\n    # the service account\n    useradd -g app app && \\\n    mkdir -p /app/logs && \\\n    chown -R app /app\n' });
    assert.equal(twice.split('# the service account').length, 2, twice);
    // A home the WORKDIR made is there already; Debian's adduser --system makes none; RHEL's useradd makes one; -b names its base.
    assert.ok(fixOf('FROM python:3.12-slim\nWORKDIR /home/app\nCOPY . .\nRUN useradd -m app && chown -R app:app /home/app\n').fixes.length > 0);
    assert.ok(fixOf('FROM python:3.12-slim\nCOPY . /home/app/src\nRUN adduser --system --group app && chown -R app:app /home/app/src\n').fixes.length > 0);
    assert.equal(fixOf('FROM rockylinux:9\nCOPY . /home/appuser/app\nRUN useradd -u 1001 appuser && chown -R appuser /home/appuser/app\n').fixes.length, 0);
    assert.equal(fixOf('FROM python:3.12-slim\nCOPY . /srv/app/code\nRUN useradd -m -b /srv app && chown -R app /srv/app/code\n').fixes.length, 0);
    assert.equal(fixOf('FROM python:3.12-slim\nCOPY . /app\nRUN dpkg -i /app/vendor/agent.deb\nRUN useradd -r app && chown -R app /app\n').fixes.length, 0);
  });

  it('takes the user creation and the chown out together when they end the RUN', () => {
    const fixed = assertFix('SD405', { dockerfile: 'FROM python:3.12-slim\nCOPY . /app\nRUN echo hi && \\\n    useradd -m app && \\\n    chown -R app /app\n' });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN useradd -m app\nCOPY --chown=app . /app\nRUN echo hi\n');
  });

  it('offers no fix over a system folder, or for a parent stage', () => {
    const system = fixOf('FROM python:3.12-slim\nCOPY scripts/ /usr/local/bin/\nRUN chmod -R 755 /usr/local/bin\n');
    assert.equal(system.fixes.length, 0);
    const parent = fixOf('FROM python:3.12-slim AS base\nRUN useradd app\nCOPY a /app/a\nFROM base\nCOPY b /app/b\nRUN chown -R app /app\n');
    assert.equal(parent.fixes.length, 0);
  });

  // From the corpus (presidio, gpt-researcher): `RUN useradd … && chown -R …` after the COPY.
  it('makes the user before the first COPY when the chown\'s RUN makes it (above the COPY\'s comment)', () => {
    const dockerfile = 'FROM python:3.12-slim\nWORKDIR /app\n# the code\nCOPY . /app/\nRUN useradd -m -u 1001 presidio && chown -R presidio:presidio /app\nUSER 1001\n';
    const fixed = assertFix('SD405', { dockerfile });
    assert.equal(fixed, 'FROM python:3.12-slim\nWORKDIR /app\nRUN useradd -m -u 1001 presidio\n# the code\nCOPY --chown=presidio:presidio . /app/\nRUN chown presidio:presidio /app\nUSER 1001\n');
    assert.match(check(dockerfile).find((f) => f.rule === 'SD405')!.fixes[0].title, /; make presidio before it \(line 4\)$/);
  });

  it('moves the user creation out of a longer RUN, continuation lines and all, and keeps the rest', () => {
    const fixed = assertFix('SD405', { dockerfile: 'FROM python:3.12-slim\nWORKDIR /usr/src/app\nCOPY requirements.txt .\nRUN groupadd app && \\\n    useradd -g app app && \\\n    chown -R app:app /usr/src/app && \\\n    mkdir -p /usr/src/app/outputs\nUSER app\n' });
    assert.equal(fixed, 'FROM python:3.12-slim\nWORKDIR /usr/src/app\nRUN groupadd app && \\\n    useradd -g app app\nCOPY --chown=app:app requirements.txt .\nRUN chown app:app /usr/src/app && \\\n    mkdir -p /usr/src/app/outputs\nUSER app\n');
  });

  // From the corpus (splash): the user's own RUN between the COPY and the chown.
  it('moves a RUN that only makes the user above the COPY, and drops the chown\'s RUN', () => {
    const fixed = assertFix('SD405', { dockerfile: 'FROM python:3.12-slim\nCOPY . /app\nRUN groupadd -r splash && useradd --no-log-init --create-home -r -g splash splash\nRUN chown -R splash:splash /app\nUSER splash:splash\n' });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN groupadd -r splash && useradd --no-log-init --create-home -r -g splash splash\nCOPY --chown=splash:splash . /app\nUSER splash:splash\n');
  });

  it('does not move the user creation when that could change the build', () => {
    const cases: [string, string][] = [
      ['a variable in the account words', 'FROM python:3.12-slim\nARG U=app\nCOPY . /app\nRUN useradd -m $U && chown -R app /app\n'],
      ['the COPY runs as another user (useradd would fail there)', 'FROM python:3.12-slim\nUSER nobody\nCOPY . /app\nUSER root\nRUN useradd -m app && chown -R app /app\n'],
      ['another account made in between (the ids given out would change)', 'FROM python:3.12-slim\nCOPY . /app\nRUN useradd -m worker\nRUN useradd -m app && chown -R app /app\n'],
      ['a system account with a package installed in between', 'FROM python:3.12-slim\nCOPY . /app\nRUN apt-get update && apt-get install -y --no-install-recommends postgresql-client && rm -rf /var/lib/apt/lists/*\nRUN useradd -r app && chown -R app /app\n'],
      ['a package installed before it in the RUN (a system account\'s maintainer scripts)', 'FROM python:3.12-slim\nCOPY . /app\nRUN apt-get update && apt-get install -y --no-install-recommends curl && useradd -r app && chown -R app /app\n'],
      ['a command run as another user before it in the RUN', 'FROM python:3.12-slim\nCOPY . /app\nRUN su nobody -s /bin/sh -c true && useradd -m app && chown -R app /app\n'],
      ['other connectors on its two sides (taking it out would join them otherwise)', 'FROM python:3.12-slim\nCOPY . /app\nRUN echo hi; useradd -m app && echo made && chown -R app /app\n'],
      ['the home in the copied folder, made in the middle of the RUN', 'FROM python:3.12-slim\nCOPY . /app\nRUN echo hi && useradd -m -d /app/home app && chown -R app /app\n'],
      ['account commands split by another command', 'FROM python:3.12-slim\nCOPY . /app\nRUN groupadd app && echo hi && useradd -g app app && chown -R app /app\n'],
      ['the home is the copied folder (useradd -m would fill it first)', 'FROM python:3.12-slim\nCOPY . /app\nRUN useradd -m -d /app app && chown -R app /app\n'],
    ];
    for (const [why, dockerfile] of cases) {
      const f = fixOf(dockerfile);
      assert.ok(f, why);
      assert.equal(f.fixes.length, 0, `${why}: ${f.fixes.map((x) => x.title).join('; ')}`);
    }
  });

  it('treats an app folder under /usr/src as the app\'s, not a system folder', () => {
    const fixed = assertFix('SD405', { dockerfile: 'FROM python:3.12-slim\nRUN useradd app\nCOPY . /usr/src/app\nRUN chown -R app /usr/src/app\n' });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN useradd app\nCOPY --chown=app . /usr/src/app\n');
    assert.equal(fixOf('FROM python:3.12-slim\nRUN useradd app\nCOPY lib/ /usr/lib/app/\nRUN chown -R app /usr/lib/app\n').fixes.length, 0);
  });

  it('takes a Debian system user only on a Debian/Ubuntu base', () => {
    const alpine = fixOf('FROM python:3.12-alpine\nCOPY . /srv/app\nRUN chown -R www-data /srv/app\n');
    assert.ok(alpine);
    assert.equal(alpine.fixes.length, 0);
  });
});
