// A script of the build context that the kept final stage runs (a RUN, CMD, ENTRYPOINT or
// HEALTHCHECK, or a script one of those runs in turn) and that compiles (make, gcc, cc, g++, c++,
// cmake, ninja …) needs the build toolchain in the final image, as the same command in the
// Dockerfile does: on python:3.12 (buildpack-deps) it had it, on python:3.12-slim it fails with
// `make: not found`. Optimize refuses, naming the script and its line, in both modes. Not where the
// compiler is only named (a comment, an echo, `makemigrations`), nor where the script installs
// the toolchain itself (its install stays with it: slimdock does not rewrite scripts).
import assert from 'node:assert/strict';
import { optimize, type OptimizeInput, type OptimizeResult } from '../../../server/src/engine/optimize';
import { memoryFs, CTX } from './golden';

function run(dockerfile: string, files: Record<string, string> = {}, options: Partial<OptimizeInput> = {}): OptimizeResult {
  return optimize({ file: `${CTX}/Dockerfile`, text: dockerfile, fs: memoryFs({ ...files, Dockerfile: dockerfile }), root: CTX, uvVersion: '0.12.5', ...options });
}

const APP = {
  'requirements.txt': 'flask==3.0.3\ngunicorn==22.0.0\nalembic==1.13.2\n',
  'app/__init__.py': '',
  'app/wsgi.py': '',
  Makefile: 'assets:\n\tpython -m app.build_assets\nmigrate:\n\talembic upgrade head\nserve:\n\tgunicorn -b 0.0.0.0:8000 app.wsgi:app\n',
};
/** The old file, on the full image, with `tail` as its last lines (line 6 on). */
const dockerfile = (tail: string) => `FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n${tail}`;
/** The reasons a file was not restructured, each as `not rewritten: …` (the first one also carries the safe fixes applied). */
const reasons = (r: OptimizeResult) => r.notes.map((n) => n.replace(/^could not restructure: (.*); applied \d+ (safe|preferred) fix.*$/s, 'not rewritten: $1.'));
const GUNICORN = 'CMD ["gunicorn", "-b", "0.0.0.0:8000", "app.wsgi:app"]\n';

/** One line of data: the old file's last lines, the scripts, and (firing) the refusal expected in both modes. */
interface Case {
  name: string;
  tail: string;
  files: Record<string, string>;
  reason?: RegExp;
}

const FIRES: Case[] = [
  {
    name: 'a RUN runs a script that runs make (c66)',
    tail: `RUN ./scripts/build-assets.sh\n${GUNICORN}`,
    files: { 'scripts/build-assets.sh': '#!/bin/sh\nset -e\nmake assets\n' },
    reason: /^not rewritten: line 6: the RUN runs \.\/scripts\/build-assets\.sh, which runs make \(line 3 of the script\): that needs the build toolchain in the final image\.$/,
  },
  {
    name: 'the ENTRYPOINT runs a script that ends with exec make (c64)',
    tail: 'ENTRYPOINT ["./docker-entrypoint.sh"]\n',
    files: { 'docker-entrypoint.sh': '#!/usr/bin/env bash\nset -euo pipefail\nalembic upgrade head\nexec make serve\n' },
    reason: /^not rewritten: line 6: the ENTRYPOINT runs \.\/docker-entrypoint\.sh, which runs make \(line 4 of the script\): that needs the build toolchain in the final image\.$/,
  },
  {
    name: 'a script the ENTRYPOINT script runs calls gcc',
    tail: 'ENTRYPOINT ["./docker-entrypoint.sh"]\n',
    files: {
      'docker-entrypoint.sh': '#!/bin/sh\nset -e\n./scripts/build-ext.sh\nexec gunicorn -b 0.0.0.0:8000 app.wsgi:app\n',
      'scripts/build-ext.sh': '#!/bin/sh\n# the extension, for this machine\ngcc -O2 -shared -fPIC -o /tmp/ext.so native/ext.c\n',
    },
    reason: /^not rewritten: line 6: the ENTRYPOINT runs \.\/scripts\/build-ext\.sh \(run by \.\/docker-entrypoint\.sh\), which runs gcc \(line 3 of the script\): that needs the build toolchain in the final image\.$/,
  },
  {
    name: 'a script a RUN script runs calls g++',
    tail: `RUN sh scripts/build.sh\n${GUNICORN}`,
    files: {
      'scripts/build.sh': '#!/bin/sh\nset -e\nsh ./scripts/native.sh\npython -m app.build_assets\n',
      'scripts/native.sh': '#!/bin/sh\ng++ -O2 -shared -fPIC -o app/fast.so native/fast.cpp\n',
    },
    reason: /^not rewritten: line 6: the RUN runs \.\/scripts\/native\.sh \(run by scripts\/build\.sh\), which runs g\+\+ \(line 2 of the script\): that needs the build toolchain in the final image\.$/,
  },
  {
    name: 'a HEALTHCHECK script runs cc',
    tail: `HEALTHCHECK --interval=30s CMD ./healthcheck.sh\n${GUNICORN}`,
    files: { 'healthcheck.sh': '#!/bin/sh\n[ -x /tmp/probe ] || cc -o /tmp/probe probe.c\nexec /tmp/probe\n' },
    reason: /^not rewritten: line 6: the HEALTHCHECK runs \.\/healthcheck\.sh, which runs cc \(line 2 of the script\): that needs the build toolchain in the final image\.$/,
  },
  {
    name: 'a CMD runs a script through sh that runs c++',
    tail: 'CMD ["sh", "start.sh"]\n',
    files: { 'start.sh': '#!/bin/sh\nset -e\nc++ -O2 -o /tmp/fast native/fast.cpp\nexec gunicorn -b 0.0.0.0:8000 app.wsgi:app\n' },
    reason: /^not rewritten: line 6: the CMD runs start\.sh, which runs c\+\+ \(line 3 of the script\): that needs the build toolchain in the final image\.$/,
  },
  {
    name: 'a RUN script runs cmake, then ninja',
    tail: `RUN bash build.sh\n${GUNICORN}`,
    files: { 'build.sh': '#!/bin/bash\nset -e\n\ncmake -S native -B build -G Ninja\nninja -C build\n' },
    reason: /^not rewritten: line 6: the RUN runs build\.sh, which runs cmake \(line 4 of the script\): that needs the build toolchain in the final image\.$/,
  },
  {
    name: 'a start-up script runs make in a command substitution',
    tail: 'ENTRYPOINT ["/app/docker-entrypoint.sh"]\n',
    files: { 'docker-entrypoint.sh': '#!/bin/sh\nset -e\nVERSION=$(make -s version)\nexport VERSION\nexec gunicorn -b 0.0.0.0:8000 app.wsgi:app\n' },
    reason: /^not rewritten: line 6: the ENTRYPOINT runs \/app\/docker-entrypoint\.sh, which runs make \(line 3 of the script\): that needs the build toolchain in the final image\.$/,
  },
  {
    // The toolchain the RUN installs goes to the builder stage: the script would not find it.
    name: 'a RUN installs make for the script it runs (the install moves to the builder)',
    tail: `RUN apt-get update && apt-get install -y make && rm -rf /var/lib/apt/lists/*\nRUN ./scripts/build-assets.sh\n${GUNICORN}`,
    files: { 'scripts/build-assets.sh': '#!/bin/sh\nset -e\nmake assets\n' },
    reason: /line 7: the RUN runs \.\/scripts\/build-assets\.sh, which runs make \(line 3 of the script\): that needs the build toolchain in the final image\./,
  },
  {
    // A function the script calls (found by review round 18: one it never calls does not count, below).
    name: 'an ENTRYPOINT script calls a function of its own that runs make',
    tail: 'ENTRYPOINT ["./docker-entrypoint.sh"]\n',
    files: { 'docker-entrypoint.sh': '#!/bin/bash\nrebuild_ext() {\n  make -C native clean all\n}\nrebuild_ext\nexec "$@"\n' },
    reason: /which runs make \(line 3 of the script\)/,
  },
];

const QUIET: Case[] = [
  {
    name: 'make inside a function the script never calls (found by review round 18)',
    tail: 'ENTRYPOINT ["./docker-entrypoint.sh"]\n',
    files: { 'docker-entrypoint.sh': '#!/bin/bash\nrebuild_ext() {\n  make -C native clean all\n}\nfunction lint {\n  gcc --version\n}\nexec "$@"\n' },
  },
  {
    name: 'the compilers only in comments and strings',
    tail: 'ENTRYPOINT ["./docker-entrypoint.sh"]\n',
    files: {
      'docker-entrypoint.sh': '#!/bin/sh\n# run `make assets` before the first deploy; gcc is not needed here\nset -e\necho "build with: make serve (cmake, ninja and g++ are optional)"\nprintf \'%s\\n\' "cc"\nexec gunicorn -b 0.0.0.0:8000 app.wsgi:app\n',
    },
  },
  {
    name: 'a RUN script that installs build-essential itself, then makes',
    tail: `RUN ./scripts/build-assets.sh\n${GUNICORN}`,
    files: { 'scripts/build-assets.sh': '#!/bin/sh\nset -e\napt-get update\napt-get install -y --no-install-recommends build-essential\nmake assets\nrm -rf /var/lib/apt/lists/*\n' },
  },
  {
    name: 'an ENTRYPOINT script that installs gcc itself, then compiles',
    tail: 'ENTRYPOINT ["./docker-entrypoint.sh"]\n',
    files: { 'docker-entrypoint.sh': '#!/bin/sh\nset -e\napt-get update && apt-get install -y --no-install-recommends gcc libc6-dev\ngcc -O2 -shared -fPIC -o /tmp/ext.so native/ext.c\nexec gunicorn -b 0.0.0.0:8000 app.wsgi:app\n' },
  },
  {
    name: 'make only inside other words (makemigrations, makemessages, make-assets)',
    tail: 'ENTRYPOINT ["./docker-entrypoint.sh"]\n',
    files: { 'docker-entrypoint.sh': '#!/bin/sh\nset -e\npython manage.py makemigrations --check\npython manage.py makemessages -a\npython -m app.make-assets\nexec gunicorn -b 0.0.0.0:8000 app.wsgi:app\n' },
  },
  {
    name: 'a RUN script that only asks whether a compiler is there',
    tail: `RUN ./scripts/info.sh\n${GUNICORN}`,
    files: { 'scripts/info.sh': '#!/bin/sh\ncommand -v gcc > /dev/null || echo "no compiler: pure-Python wheels only"\npython -m app.build_assets\n' },
  },
  {
    // A Python script a RUN runs by its path is not read as shell (`make = …` is no command).
    name: 'a Python script a RUN runs names make and cc as variables',
    tail: `RUN ./tools/build.py\n${GUNICORN}`,
    files: { 'tools/build.py': '#!/usr/bin/env python3\nimport subprocess\nmake = "assets"\ncc = None\nprint(make, cc)\n' },
  },
];

describe('optimize: a script the final stage runs that compiles', () => {
  for (const mode of ['venv', 'system'] as const) {
    for (const c of FIRES) {
      it(`refuses (--mode ${mode}): ${c.name}`, () => {
        const r = run(dockerfile(c.tail), { ...APP, ...c.files }, { mode });
        assert.equal(r.restructured, false, r.text);
        assert.ok(reasons(r).some((n) => c.reason!.test(n)), r.notes.join('\n'));
      });
    }
    for (const c of QUIET) {
      it(`rewrites (--mode ${mode}): ${c.name}`, () => {
        const r = run(dockerfile(c.tail), { ...APP, ...c.files }, { mode });
        assert.ok(!r.notes.some((n) => /build toolchain/.test(n)), r.notes.join('\n'));
        assert.equal(r.restructured, true, r.notes.join('\n'));
        assert.match(r.text, /^FROM python:3\.12-slim$/m);
      });
    }
  }
});
