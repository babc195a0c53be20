// Optimize and the rules it relies on: the known gaps of session 13 and what review round 27
// found. Each case failed before its fix.
import assert from 'node:assert/strict';
import { check } from '../../helpers';
import { run, split } from './review-helpers';

const OPENCV_APP = 'FROM python:3.8\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n';

describe('optimize: found by review, round 27', () => {
  it('installs libsm6, libxext6 and libxrender1 for an OpenCV GUI wheel before 4.3 on the slim final stage (pinned, bounded or locked), not for 4.3 on nor the headless wheel', () => {
    const libs = (pin: string) => {
      const r = run(OPENCV_APP, { 'requirements.txt': `${pin}\nnumpy==1.21.0\n`, 'app.py': '' });
      assert.equal(r.restructured, true, r.notes.join('\n'));
      return /apt-get install -y --no-install-recommends ([^\\\n]*)/.exec(split(r.text).final)?.[1].trim() ?? '';
    };
    assert.equal(libs('opencv-python==4.1.2.30'), 'libglib2.0-0 libsm6 libxext6 libxrender1');
    assert.equal(libs('opencv-contrib-python==3.4.2.17'), 'libglib2.0-0 libsm6 libxext6 libxrender1');
    assert.equal(libs('opencv-python<4.3'), 'libglib2.0-0 libsm6 libxext6 libxrender1');
    assert.equal(libs('opencv-python~=4.2.0'), 'libglib2.0-0 libsm6 libxext6 libxrender1');
    assert.equal(libs('opencv-python==4.5.5.64'), 'libglib2.0-0');
    assert.equal(libs('opencv-python<4.4'), 'libglib2.0-0');
    assert.equal(libs('opencv-python'), 'libglib2.0-0');
    assert.equal(libs('opencv-python-headless==4.1.2.30'), '');
  });

  it('SD203 maps libhdf5-serial-dev (libhdf5-dev\'s transitional name) to the hdf5 run-time libraries', () => {
    const f = check('FROM python:3.12-slim-bookworm AS base\nRUN apt-get update && apt-get install -y --no-install-recommends libgomp1 libhdf5-serial-dev && rm -rf /var/lib/apt/lists/*\n\nFROM base AS deps\nRUN pip install --user h5py==3.11.0\n\nFROM base\nCOPY --from=deps /root/.local /root/.local\nCMD ["python", "-m", "app"]\n').filter((x) => x.rule === 'SD203');
    assert.equal(f.length, 1);
    assert.equal(f[0].fixes[0].title, 'Install libhdf5-103-1 libhdf5-hl-100 here and move libhdf5-serial-dev to the stage built on it (deps): the toolchain only where it builds');
  });

  it('rules read an entrypoint script copied into /usr/local/bin and run by its bare name or full path, never a base image program of the same name', () => {
    const files = { 'docker/docker-entrypoint': '#!/bin/sh\nexport RELEASE=$(git rev-parse --short HEAD)\nexec "$@"\n', '.git/HEAD': 'ref: refs/heads/main\n', 'app.py': '' };
    const rules = (df: string) => check(df, files).filter((f) => f.rule === 'SD402').map((f) => f.message);
    const head = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n';
    assert.deepEqual(rules(`${head}COPY docker/docker-entrypoint /usr/local/bin/\nENTRYPOINT ["docker-entrypoint"]\nCMD ["python", "app.py"]\n`), []);
    assert.deepEqual(rules(`${head}COPY docker/docker-entrypoint /usr/local/bin/docker-entrypoint\nENTRYPOINT ["/usr/local/bin/docker-entrypoint"]\n`), []);
    assert.deepEqual(rules(`${head}COPY docker/docker-entrypoint /usr/local/bin/docker-entrypoint.sh\nENTRYPOINT ["docker-entrypoint.sh"]\n`), []);
    // Not copied there: the base image's program of that name, which slimdock cannot read (.git is still flagged).
    assert.equal(rules(`${head}ENTRYPOINT ["docker-entrypoint"]\n`).length, 1);
    assert.equal(rules(`${head}ENTRYPOINT ["/usr/local/bin/docker-entrypoint"]\n`).length, 1);
  });
});
