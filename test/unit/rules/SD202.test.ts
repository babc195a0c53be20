import assert from 'node:assert/strict';
import { ruleCases, assertFix, findingsOf } from '../../helpers';

const S = 'FROM python:3.12-slim\n';
const CLEAN = ' && rm -rf /var/lib/apt/lists/*';

ruleCases('SD202', {
  fires: [
    { name: 'apt-get install -y', dockerfile: `${S}RUN apt-get update && apt-get install -y curl${CLEAN}\n`, lines: [2] },
    { name: 'apt install', dockerfile: `${S}RUN apt install -y curl\n`, lines: [2] },
    { name: 'option before the subcommand', dockerfile: `${S}RUN apt-get -y install curl\n`, lines: [2] },
    { name: 'heredoc', dockerfile: `${S}RUN <<EOF\napt-get install -y curl\nEOF\n`, lines: [3] },
    { name: 'exec form', dockerfile: `${S}RUN ["apt-get", "install", "-y", "curl"]\n`, lines: [2] },
    { name: 'sh -c', dockerfile: `${S}RUN sh -c "apt-get install -y curl"\n`, lines: [2] },
    { name: 'non-root user with sudo', dockerfile: `${S}USER app\nRUN sudo apt-get install -y curl\n`, lines: [3] },
    { name: 'flag on another command of the stage does not count', dockerfile: `${S}RUN apt-get install -y --no-install-recommends curl\nRUN apt-get install -y git\n`, lines: [3] },
    { name: 'Install-Recommends=true', dockerfile: `${S}RUN apt-get install -y -o APT::Install-Recommends=true curl\n`, lines: [2] },
  ],
  clean: [
    { name: '--no-install-recommends', dockerfile: `${S}RUN apt-get install -y --no-install-recommends curl\n` },
    { name: '--no-install-recommends before install', dockerfile: `${S}RUN apt-get -y --no-install-recommends install curl\n` },
    { name: '-o APT::Install-Recommends=false', dockerfile: `${S}RUN apt-get install -y -o APT::Install-Recommends=false curl\n` },
    { name: '-oAPT::Install-Recommends=0', dockerfile: `${S}RUN apt-get install -y -oAPT::Install-Recommends=0 curl\n` },
    { name: 'apt config written in the same RUN', dockerfile: `${S}RUN echo 'APT::Install-Recommends "0";' > /etc/apt/apt.conf.d/99norec && apt-get install -y curl\n` },
    { name: 'apt config written in an earlier RUN', dockerfile: `${S}RUN echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/99norec\nRUN apt-get install -y curl\n` },
    { name: 'apt config written in the parent stage', dockerfile: `${S.replace('\n', ' AS base\n')}RUN printf 'APT::Install-Recommends "0";\\n' > /etc/apt/apt.conf.d/99norec\nFROM base\nRUN apt-get install -y curl\n` },
    { name: 'builder stage not shipped', dockerfile: 'FROM python:3.12 AS build\nRUN apt-get install -y gcc\nRUN pip wheel --no-cache-dir -w /wheels psycopg2\nFROM python:3.12-slim\nCOPY --from=build /wheels /wheels\n' },
    { name: 'apt-get update only', dockerfile: `${S}RUN apt-get update${CLEAN}\n` },
    { name: 'apt-get remove', dockerfile: `${S}RUN apt-get remove -y curl\n` },
    { name: 'pip install', dockerfile: `${S}RUN pip install --no-cache-dir apt-get\n` },
    { name: 'suppressed by hadolint id', dockerfile: `${S}# hadolint ignore=DL3015\nRUN apt-get install -y curl\n` },
  ],
});

describe('SD202 estimate and fixes', () => {
  it('estimates what the Recommends add from the table, unknown when no package is known', () => {
    const [gcc] = findingsOf('SD202', { dockerfile: `${S}RUN apt-get install -y gcc\n` });
    assert.ok(gcc.estimate?.bytes && gcc.estimate.bytes > 10e6, `gcc recommends: ${gcc.estimate?.bytes}`);
    const [unknown] = findingsOf('SD202', { dockerfile: `${S}RUN apt-get install -y not-a-debian-package\n` });
    assert.equal(unknown.estimate?.bytes, null);
  });
  it('inserts --no-install-recommends after install', () => {
    const fixed = assertFix('SD202', { dockerfile: `${S}RUN apt-get update && apt-get install -y \\\n    curl${CLEAN}\n` });
    assert.equal(fixed, `${S}RUN apt-get update && apt-get install --no-install-recommends -y \\\n    ca-certificates curl${CLEAN}\n`);
  });
  it('inserts it in exec form', () => {
    const fixed = assertFix('SD202', { dockerfile: `${S}RUN ["apt-get", "install", "-y", "curl"]\n` });
    assert.equal(fixed, `${S}RUN ["apt-get", "install", "--no-install-recommends", "-y", "ca-certificates", "curl"]\n`);
  });
  // From the corpus (elastalert2, patroni): gcc without build-essential.
  it('installs a compiler\'s libc6-dev by name; SD203 names the compiler alone before and after', () => {
    const dockerfile = `${S}RUN apt-get update && apt-get install -y gcc libffi-dev${CLEAN}\n`;
    const fixed = assertFix('SD202', { dockerfile });
    assert.equal(fixed, `${S}RUN apt-get update && apt-get install --no-install-recommends -y libc6-dev gcc libffi-dev${CLEAN}\n`);
    assert.match(findingsOf('SD203', { dockerfile: fixed })[0].message, /: gcc, libffi-dev\. /);
  });
  it('inserts it in sh -c', () => {
    const fixed = assertFix('SD202', { dockerfile: `${S}RUN sh -c "apt-get install -y curl"\n` });
    assert.equal(fixed, `${S}RUN sh -c "apt-get install --no-install-recommends -y ca-certificates curl"\n`);
  });
  it('installs ca-certificates by name for https clients and a compiler\'s libc6-dev; dropping what later builds use (apt pip\'s build-essential, mpich\'s libmpich-dev) is offered, not safe nor preferred', () => {
    const fixes = (pkgs: string) => findingsOf('SD202', { dockerfile: `${S}RUN apt-get update && apt-get install -y ${pkgs}${CLEAN}\n` })[0].fixes.map((f) => `${f.title}|${f.safe}|${f.preferred}`);
    assert.deepEqual(fixes('wget ca-certificates'), ['Add --no-install-recommends|true|true']);
    assert.deepEqual(fixes('wget'), ['Add --no-install-recommends (and install ca-certificates, which came as a recommendation)|true|true']);
    assert.deepEqual(fixes('gcc'), ['Add --no-install-recommends (and install libc6-dev, which came as a recommendation)|true|true']);
    assert.deepEqual(fixes('curl gfortran'), ['Add --no-install-recommends (and install ca-certificates and libc6-dev, which came as recommendations)|true|true']);
    assert.deepEqual(fixes('gcc libc6-dev'), ['Add --no-install-recommends|true|true']);
    // g++ and build-essential depend on libc6-dev: nothing to add.
    assert.deepEqual(fixes('gcc g++'), ['Add --no-install-recommends|true|true']);
    assert.deepEqual(fixes('build-essential gfortran'), ['Add --no-install-recommends|true|true']);
    // A compiler purged later in the RUN: libc6-dev installed by name would outlive it.
    assert.deepEqual(
      findingsOf('SD202', { dockerfile: `${S}RUN apt-get update && apt-get install -y gcc && pip install psycopg2 && apt-get purge -y gcc${CLEAN}\n` })[0].fixes.map((f) => `${f.title}|${f.safe}|${f.preferred}`),
      ["Add --no-install-recommends: gcc's recommended libc6-dev go too|false|false"],
    );
    // From the corpus (LibrePhotos, text-generation-webui): one of apt pip's two named is not enough.
    assert.deepEqual(fixes('python3-pip python3-dev ca-certificates'), ["Add --no-install-recommends: python3-pip's recommended build-essential go too|false|false"]);
    assert.deepEqual(fixes('python3-pip build-essential ca-certificates'), ["Add --no-install-recommends: python3-pip's recommended python3-dev go too|false|false"]);
    assert.deepEqual(fixes('python3-pip build-essential python3-dev ca-certificates'), ['Add --no-install-recommends|true|true']);
    // On bionic (and xenial, stretch, buster) apt pip only recommends setuptools and wheel too.
    const bionic = (pkgs: string) => findingsOf('SD202', { dockerfile: `FROM ubuntu:18.04\nRUN apt-get update && apt-get install -y ${pkgs}${CLEAN}\n` })[0].fixes.map((f) => `${f.title}|${f.safe}|${f.preferred}`);
    assert.deepEqual(bionic('python3-pip build-essential python3-dev ca-certificates'), ["Add --no-install-recommends: python3-pip's recommended python3-setuptools, python3-wheel go too|false|false"]);
    assert.deepEqual(bionic('python3-pip build-essential python3-dev python3-setuptools python3-wheel ca-certificates'), ['Add --no-install-recommends|true|true']);
    // cmake recommends the compiler and make it drives; build-essential brings both.
    assert.deepEqual(fixes('cmake'), ["Add --no-install-recommends: cmake's recommended gcc, make go too|false|false"]);
    assert.deepEqual(fixes('cmake build-essential'), ['Add --no-install-recommends|true|true']);
    assert.deepEqual(fixes('python3-pip ca-certificates'), ["Add --no-install-recommends: python3-pip's recommended build-essential, python3-dev go too|false|false"]);
    assert.deepEqual(fixes('mpich'), ["Add --no-install-recommends: mpich's recommended libmpich-dev go too|false|false"]);
    // ImageMagick's PDF and extra coders (found by review: Wand's PDF reading broke).
    assert.deepEqual(fixes('imagemagick'), ["Add --no-install-recommends: imagemagick's recommended ghostscript, libmagickcore-6.q16-6-extra go too|false|false"]);
    assert.deepEqual(fixes('imagemagick ghostscript libmagickcore-6.q16-6-extra'), ['Add --no-install-recommends|true|true']);
    assert.deepEqual(fixes('libmagickwand-6.q16-6'), ["Add --no-install-recommends: libmagickwand-6.q16-6's recommended ghostscript go too|false|false"]);
    assert.deepEqual(fixes('libmagickwand-dev'), ["Add --no-install-recommends: libmagickwand-dev's recommended ghostscript go too|false|false"]);
  });
});
