// Optimize: session 15's known gaps and review. Each case failed before its fix.
import assert from 'node:assert/strict';
import { check } from '../../helpers';
import { run, split } from './review-helpers';

const PROJECT = { 'pyproject.toml': '[project]\nname = "myapp"\nversion = "1"\n[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n', 'myapp/__init__.py': '' };
/** An sdist another stage makes, copied into /tmp, installed and deleted with the folder's contents (jertel/elastalert2's shape). */
const SDIST = (apt: string) =>
  `FROM python:3.12-slim AS build\nCOPY . /src\nRUN cd /src && pip install build && python -m build --sdist --outdir /src/dist\n\nFROM python:3.12-slim\nCOPY --from=build /src/dist/*.tar.gz /tmp/\nRUN ${apt}pip install /tmp/*.tar.gz && rm -rf /tmp/*\nCMD ["myapp"]\n`;

describe('optimize: found by review, round 29', () => {
  it('system mode in place: the sdist another stage made is mounted from it, not copied into a layer, and the rm that emptied its folder stays', () => {
    const r = run(SDIST(''), PROJECT, { mode: 'system' });
    const { final } = split(r.text);
    assert.doesNotMatch(final, /^COPY --from=build/m, final);
    assert.match(final, /--mount=type=bind,from=build,source=\/src\/dist,target=\/tmp,rw \\\n +UV_COMPILE_BYTECODE=0 UV_LINK_MODE=copy uv pip install --system \/tmp\/\*\.tar\.gz && rm -rf \/tmp\/\*$/m, final);
    assert.ok(r.notes.some((n) => /line 6: COPY removed: the install at line 7 mounts what it copied from stage build instead/.test(n)), r.notes.join('\n'));
    assert.deepEqual(check(r.text, PROJECT).filter((f) => f.severity === 'warning' || f.severity === 'error').map((f) => f.rule), []);
    // Optimize again: nothing to do, and it says how the final image installs.
    const again = run(r.text, PROJECT, { mode: 'system' });
    assert.equal(again.text, r.text);
    assert.match(again.notes[0], /installs its Python packages with uv mounted for the RUN only/);
    // Something else written there first: the mount would hide it, so the file is not rewritten (the COPY is not dropped without its mount).
    const touched = run(SDIST('touch /tmp/marker && '), PROJECT, { mode: 'system' });
    assert.equal(touched.restructured, false);
    assert.match(touched.notes[0], /line 7: \/tmp\/\*\.tar\.gz came from another stage by a COPY whose folder the RUN empties, and slimdock cannot mount it from there instead/, touched.notes.join('\n'));
    assert.match(touched.text, /^COPY --from=build \/src\/dist\/\*\.tar\.gz \/tmp\/$/m);
  });

  it('system mode with build packages: an sdist another stage made is not installed offline from the builder\'s wheels (its build backend is not there): the virtual-environment layout is used', () => {
    const r = run(SDIST('apt-get update && apt-get install -y gcc libffi-dev && rm -rf /var/lib/apt/lists/* && '), PROJECT, { mode: 'system' });
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.ok(r.notes.some((n) => /system mode: line 7 installs \/tmp\/\*\.tar\.gz, sources another stage made, which the final stage cannot build offline from the builder's wheels: the virtual-environment layout is used/.test(n)), r.notes.join('\n'));
    assert.doesNotMatch(r.text, /--no-index --find-links \/wheels/);
    const { builder, final } = split(r.text);
    assert.match(builder, /--mount=type=bind,from=build,source=\/src\/dist,target=\/tmp,rw \\\n +uv pip install \/tmp\/\*\.tar\.gz$/m, builder);
    assert.doesNotMatch(final, /^COPY --from=build /m, final);
    assert.deepEqual(check(r.text, PROJECT).filter((f) => f.severity === 'warning' || f.severity === 'error').map((f) => f.rule), []);
  });

  it('system mode: a wheel another stage made is still installed offline from the builder\'s wheels', () => {
    const df = 'FROM python:3.12-slim AS build\nCOPY . /src\nRUN pip wheel --no-deps --wheel-dir /src/dist /src\n\nFROM python:3.12-slim\nCOPY --from=build /src/dist/*.whl /tmp/\nRUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/* && pip install /tmp/*.whl && rm -rf /tmp/*\nCMD ["myapp"]\n';
    const r = run(df, PROJECT, { mode: 'system' });
    assert.equal(r.restructured, true, r.notes.join('\n'));
    assert.ok(!r.notes.some((n) => /virtual-environment layout is used/.test(n)), r.notes.join('\n'));
    // The COPY went (the rm emptied its folder): the offline install mounts the wheel from that stage.
    const { final } = split(r.text);
    assert.doesNotMatch(final, /^COPY --from=build/m, final);
    assert.match(final, /--mount=type=bind,from=build,source=\/src\/dist,target=\/tmp,rw \\\n +apt-get update .* uv pip install --system --no-index --find-links \/wheels \/tmp\/\*\.whl && rm -rf \/tmp\/\*$/m, final);
    assert.deepEqual(check(r.text, PROJECT).filter((f) => f.severity === 'warning' || f.severity === 'error').map((f) => f.rule), []);
  });
});

describe('optimize: notes of a file left alone, round 29', () => {
  it('says a final image that installs only a packaging tool (pypa/pipenv\'s image) installs that tool, not "no Python packages"', () => {
    const r = run('ARG PYVERSION=3.12\nFROM python:${PYVERSION}\nARG VERSION=2024.4.0\nRUN pip install --no-cache-dir pipenv=="${VERSION}"\n');
    assert.equal(r.restructured, false);
    assert.match(r.notes[0], /the final image installs only packaging tools \(pipenv\), no application packages: there is nothing for a builder stage to do/);
    const none = run('FROM python:3.12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nCMD ["python"]\n');
    assert.match(none.notes[0], /the final image installs no Python packages: there is nothing for a builder stage to do/);
  });
});
