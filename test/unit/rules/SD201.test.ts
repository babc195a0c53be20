import assert from 'node:assert/strict';
import { ruleCases, assertFix, findingsOf } from '../../helpers';

const S = 'FROM python:3.12-slim\n';

ruleCases('SD201', {
  fires: [
    { name: 'update and install, no removal', dockerfile: `${S}RUN apt-get update && apt-get install -y --no-install-recommends curl\n`, lines: [2] },
    { name: 'apt update', dockerfile: `${S}RUN apt update && apt install -y --no-install-recommends curl\n`, lines: [2] },
    { name: 'removal in a later RUN does not count', dockerfile: `${S}RUN apt-get update\nRUN rm -rf /var/lib/apt/lists/*\n`, lines: [2] },
    { name: 'removal before the update does not count', dockerfile: `${S}RUN rm -rf /var/lib/apt/lists/* && apt-get update\n`, lines: [2] },
    { name: 'heredoc', dockerfile: `${S}RUN <<EOF\nset -e\napt-get update\napt-get install -y --no-install-recommends curl\nEOF\n`, lines: [4] },
    { name: 'exec form', dockerfile: `${S}RUN ["apt-get", "update"]\n`, lines: [2] },
    { name: 'sh -c in exec form', dockerfile: `${S}RUN ["sh", "-c", "apt-get update && apt-get install -y --no-install-recommends curl"]\n`, lines: [2] },
    { name: 'non-root user with sudo', dockerfile: `${S}USER app\nRUN sudo apt-get update && sudo apt-get install -y --no-install-recommends curl\n`, lines: [3] },
    { name: 'cache mount on /var/cache/apt only (the lists are elsewhere)', dockerfile: `${S}RUN --mount=type=cache,target=/var/cache/apt apt-get update\n`, lines: [2] },
    { name: 'two updates in one RUN: one finding', dockerfile: `${S}RUN apt-get update && apt-get install -y --no-install-recommends gnupg && apt-get update\n`, lines: [2] },
    { name: 'continuation lines', dockerfile: `${S}RUN apt-get update \\\n    && apt-get install -y --no-install-recommends \\\n       curl\n`, lines: [2] },
    { name: 'a stage the final one is built FROM', dockerfile: `${S.replace('\n', ' AS base\n')}RUN apt-get update\nFROM base\nCMD ["python"]\n`, lines: [2] },
  ],
  clean: [
    { name: 'rm -rf /var/lib/apt/lists/*', dockerfile: `${S}RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n` },
    { name: 'rm -rf /var/lib/apt/lists', dockerfile: `${S}RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists\n` },
    { name: 'removal with other paths', dockerfile: `${S}RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n && rm -rf /tmp/* /var/lib/apt/lists/* /var/cache/apt/*\n` },
    { name: 'cache mount on the lists', dockerfile: `${S}RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y --no-install-recommends curl\n` },
    { name: 'cache mount on /var/lib/apt', dockerfile: `${S}RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked \\\n    apt-get update && apt-get install -y --no-install-recommends curl\n` },
    // From the corpus (nautobot): BuildKit takes the quotes off the flag's words.
    { name: 'cache mount on the lists, target quoted', dockerfile: `${S}RUN --mount=type=cache,target="/var/lib/apt/lists",sharing=locked apt-get update && apt-get install -y --no-install-recommends curl\n` },
    { name: 'heredoc with removal', dockerfile: `${S}RUN <<EOF\napt-get update\napt-get install -y --no-install-recommends curl\nrm -rf /var/lib/apt/lists/*\nEOF\n` },
    { name: 'sh -c with removal', dockerfile: `${S}RUN sh -c "apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*"\n` },
    { name: 'builder stage not shipped', dockerfile: 'FROM python:3.12 AS build\nRUN apt-get update && apt-get install -y --no-install-recommends gcc\nRUN pip wheel --no-cache-dir -w /wheels psycopg2\nFROM python:3.12-slim\nCOPY --from=build /wheels /wheels\n' },
    { name: 'apt-get install alone (no update)', dockerfile: `${S}RUN apt-get install -y --no-install-recommends curl\n` },
    { name: 'apt-get update in a heredoc written to a file', dockerfile: `${S}RUN cat <<EOF > /setup.sh\napt-get update\nEOF\n` },
    { name: 'echo mentions apt-get update', dockerfile: `${S}RUN echo "run apt-get update first"\n` },
    // From the corpus (saleor): tree-sitter-bash reads a backtick comment to the end of the line.
    { name: 'removal after a backtick comment', dockerfile: `${S}RUN apt-get update \\\n  && apt-get install -y --no-install-recommends \\\n  libxslt1.1 \`# needed by lxml\` \\\n  libpq5 \\\n  && rm -rf /var/lib/apt/lists/*\n` },
    { name: 'a cleanup script of the image', dockerfile: `${S}RUN apt-get update && apt-get install -y --no-install-recommends curl && /tmp/clean-layer.sh\n` },
    { name: 'suppressed by hadolint id', dockerfile: `${S}# hadolint ignore=DL3009\nRUN apt-get update\n` },
    { name: 'suppressed by slimdock id', dockerfile: `${S}# slimdock: ignore=SD201\nRUN apt-get update\n` },
  ],
});

describe('SD201 estimate and fixes', () => {
  it('estimates the measured size of the lists on a Debian base, unknown on Ubuntu', () => {
    const [debian] = findingsOf('SD201', { dockerfile: `${S}RUN apt-get update\n` });
    assert.equal(debian.estimate?.bytes, 19_879_545);
    const [ubuntu] = findingsOf('SD201', { dockerfile: 'FROM ubuntu:24.04\nRUN apt-get update\n' });
    assert.equal(ubuntu.estimate?.bytes, null);
  });
  it('appends the removal at the end of the RUN, keeping continuations', () => {
    const fixed = assertFix('SD201', { dockerfile: `${S}RUN apt-get update \\\n    && apt-get install -y --no-install-recommends \\\n       curl\nCMD ["python"]\n` });
    assert.equal(fixed, `${S}RUN apt-get update \\\n    && apt-get install -y --no-install-recommends \\\n       curl && rm -rf /var/lib/apt/lists/*\nCMD ["python"]\n`);
  });
  it('appends after a trailing semicolon-free heredoc script', () => {
    const fixed = assertFix('SD201', { dockerfile: `${S}RUN <<EOF\nset -e\napt-get update\napt-get install -y --no-install-recommends curl\nEOF\n` });
    assert.equal(fixed, `${S}RUN <<EOF\nset -e\napt-get update\napt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nEOF\n`);
  });
  it('appends inside the script of an exec-form sh -c', () => {
    const fixed = assertFix('SD201', { dockerfile: `${S}RUN ["sh", "-c", "apt-get update && apt-get install -y --no-install-recommends curl"]\n` });
    assert.equal(fixed, `${S}RUN ["sh", "-c", "apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*"]\n`);
  });
  it('appends after a closing fi', () => {
    const fixed = assertFix('SD201', { dockerfile: `${S}RUN apt-get update && if true; then apt-get install -y --no-install-recommends curl; fi\n` });
    assert.equal(fixed, `${S}RUN apt-get update && if true; then apt-get install -y --no-install-recommends curl; fi && rm -rf /var/lib/apt/lists/*\n`);
  });
  it('appends after the redirection of the last command', () => {
    const fixed = assertFix('SD201', { dockerfile: `${S}RUN apt-get update \\
  && echo "ok" >> /etc/motd\n` });
    assert.equal(fixed, `${S}RUN apt-get update \\
  && echo "ok" >> /etc/motd && rm -rf /var/lib/apt/lists/*\n`);
  });
  it('appends after a fi on a continuation line', () => {
    const fixed = assertFix('SD201', { dockerfile: `${S}RUN if [ "$X" = 1 ] ; then \\
  apt-get update && apt-get install -y --no-install-recommends curl; \\
  fi\n` });
    assert.equal(fixed, `${S}RUN if [ "$X" = 1 ] ; then \\
  apt-get update && apt-get install -y --no-install-recommends curl; \\
  fi && rm -rf /var/lib/apt/lists/*\n`);
  });
  it('offers no fix where the script does not end in a command', () => {
    const [f] = findingsOf('SD201', { dockerfile: `${S}RUN apt-get update && cat <<EOF > /etc/motd\nhello\nEOF\n` });
    assert.deepEqual(f.fixes, []);
    const [g] = findingsOf('SD201', { dockerfile: `${S}RUN ["apt-get", "update"]\n` });
    assert.deepEqual(g.fixes, []);
  });
  // From fuzzing: after `exit`/`exec` the removal would never run; a later RUN relying on the lists
  // that cannot take the removal (it ends in `&`) would keep the lists its new update fetched.
  it('offers no fix where the removal would not run, or a relying RUN cannot take it', () => {
    for (const end of ['; exit 0', ' && exec true']) assert.deepEqual(findingsOf('SD201', { dockerfile: `${S}RUN apt-get update && apt-get install -y --no-install-recommends curl${end}\n` })[0].fixes, [], end);
    const [f] = findingsOf('SD201', { dockerfile: `${S}RUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN apt-get install -y --no-install-recommends git &\n` });
    assert.deepEqual(f.fixes, []);
    // An exit that runs only on failure is no end: the removal goes after it.
    assert.equal(assertFix('SD201', { dockerfile: `${S}RUN apt-get update && apt-get install -y --no-install-recommends curl || exit 1\n` }), `${S}RUN apt-get update && apt-get install -y --no-install-recommends curl || exit 1 && rm -rf /var/lib/apt/lists/*\n`);
    assert.equal(assertFix('SD201', { dockerfile: `${S}RUN apt-get update && apt-get install -y --no-install-recommends curl || { echo failed; exit 1; }\n` }), `${S}RUN apt-get update && apt-get install -y --no-install-recommends curl || { echo failed; exit 1; } && rm -rf /var/lib/apt/lists/*\n`);
  });
});

describe('SD201 fix and later installs', () => {
  it('updates the lists again in a later RUN (here or in a stage built on this one) that installs from them without an update of its own', () => {
    const later = `${S}RUN apt-get update && apt-get install -y --no-install-recommends curl\nARG GIT=false\nRUN if [ "$GIT" = true ]; then apt-get install -y --no-install-recommends git; fi\n`;
    const [f] = findingsOf('SD201', { dockerfile: later });
    assert.equal(f.fixes[0].title, 'Remove the apt lists in the same RUN (and update them in the RUN on line 4 that installs from them)');
    assert.equal(assertFix('SD201', { dockerfile: later }), `${S}RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nARG GIT=false\nRUN if [ "$GIT" = true ]; then apt-get update && apt-get install -y --no-install-recommends git; fi && rm -rf /var/lib/apt/lists/*\n`);
    const child = `${S.replace('\n', ' AS base\n')}RUN apt-get update\nFROM base\nRUN apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*\n`;
    assert.equal(assertFix('SD201', { dockerfile: child }).split('\n')[3], 'RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*');
    // An exec-form RUN cannot take the update: no fix.
    assert.deepEqual(findingsOf('SD201', { dockerfile: `${S}RUN apt-get update\nRUN ["apt-get", "install", "-y", "git"]\n` })[0].fixes, []);
    // With its own update, the later RUN does not need them: the usual fix.
    const own = `${S}RUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*\n`;
    assert.equal(findingsOf('SD201', { dockerfile: own })[0].fixes[0].title, 'Remove the apt lists in the same RUN');
  });
});

describe('SD201 fix and scripts', () => {
  it('offers no fix when a later RUN runs a script that installs from the lists without updating (or one it cannot read)', () => {
    const df = `${S}RUN apt-get update && apt-get install -y --no-install-recommends curl\nCOPY install.sh ./\nRUN ./install.sh\n`;
    const fixesWith = (script: string | undefined) => findingsOf('SD201', { dockerfile: df, files: script === undefined ? {} : { 'install.sh': script } })[0].fixes.length;
    assert.equal(fixesWith('#!/bin/sh\napt-get install -y gnupg\n'), 0);
    assert.equal(fixesWith(undefined), 0);
    assert.equal(fixesWith('#!/bin/sh\napt-get update && apt-get install -y gnupg\n'), 1);
    assert.equal(fixesWith('#!/bin/sh\necho hello\n'), 1);
  });
});
