import assert from 'node:assert/strict';
import { ruleCases, assertFix } from '../../helpers';

const F = 'FROM fedora:40\n';

ruleCases('SD205', {
  fires: [
    { name: 'dnf install', dockerfile: `${F}RUN dnf install -y python3\n`, lines: [2] },
    { name: 'yum install', dockerfile: 'FROM centos:7\nRUN yum -y install python3\n', lines: [2] },
    { name: 'microdnf install', dockerfile: 'FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4\nRUN microdnf install -y python3\n', lines: [2] },
    { name: 'zypper install', dockerfile: 'FROM opensuse/leap:15.6\nRUN zypper --non-interactive install python3\n', lines: [2] },
    { name: 'clean in a later RUN does not count', dockerfile: `${F}RUN dnf install -y python3\nRUN dnf clean all\n`, lines: [2] },
    { name: 'heredoc', dockerfile: `${F}RUN <<EOF\ndnf install -y python3\nEOF\n`, lines: [3] },
    { name: 'exec form', dockerfile: `${F}RUN ["dnf", "install", "-y", "python3"]\n`, lines: [2] },
    { name: 'update and install in one RUN: one finding', dockerfile: 'FROM centos:7\nRUN yum update -y && \\\n    yum install -y sudo\n', lines: [2] },
    { name: 'sh -c as a non-root user with sudo', dockerfile: `${F}USER app\nRUN sudo sh -c "dnf install -y python3"\n`, lines: [3] },
  ],
  clean: [
    { name: 'dnf clean all', dockerfile: `${F}RUN dnf install -y python3 && dnf clean all\n` },
    { name: 'yum clean all', dockerfile: 'FROM centos:7\nRUN yum -y install python3 && yum clean all\n' },
    { name: 'microdnf clean all', dockerfile: 'FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4\nRUN microdnf install -y python3 && microdnf clean all\n' },
    { name: 'zypper clean', dockerfile: 'FROM opensuse/leap:15.6\nRUN zypper -n in python3 && zypper clean -a\n' },
    { name: 'zypper cc', dockerfile: 'FROM opensuse/leap:15.6\nRUN zypper -n in python3 && zypper cc\n' },
    { name: 'rm -rf /var/cache/yum', dockerfile: 'FROM centos:7\nRUN yum -y install python3 && rm -rf /var/cache/yum\n' },
    { name: 'rm -rf /var/cache/dnf/*', dockerfile: `${F}RUN dnf install -y python3 && rm -rf /var/cache/dnf/*\n` },
    { name: 'cache mount', dockerfile: `${F}RUN --mount=type=cache,target=/var/cache/dnf dnf install -y python3\n` },
    { name: 'builder stage not shipped', dockerfile: `${F.replace('\n', ' AS build\n')}RUN dnf install -y gcc\nRUN pip wheel --no-cache-dir -w /wheels x\n${F}COPY --from=build /wheels /wheels\n` },
    { name: 'dnf clean packages is not dnf install', dockerfile: `${F}RUN dnf clean packages\n` },
    // From the corpus (conda-forge): the image's own cleanup script.
    { name: 'a cleanup script of the image', dockerfile: 'FROM centos:7\nCOPY scripts/yum_clean_all /opt/docker/bin/\nRUN yum update -y && yum install -y sudo && /opt/docker/bin/yum_clean_all\n' },
    { name: 'suppressed by hadolint id', dockerfile: `${F}# hadolint ignore=DL3040\nRUN dnf install -y python3\n` },
  ],
});

describe('SD205 fixes', () => {
  it('appends dnf clean all', () => {
    const fixed = assertFix('SD205', { dockerfile: `${F}RUN dnf install -y \\\n    python3\n` });
    assert.equal(fixed, `${F}RUN dnf install -y \\\n    python3 && dnf clean all\n`);
  });
  it('appends zypper clean --all', () => {
    const fixed = assertFix('SD205', { dockerfile: 'FROM opensuse/leap:15.6\nRUN zypper -n in python3\n' });
    assert.equal(fixed, 'FROM opensuse/leap:15.6\nRUN zypper -n in python3 && zypper clean --all\n');
  });
  it('appends microdnf clean all inside sh -c', () => {
    const fixed = assertFix('SD205', { dockerfile: `${F}RUN ["sh", "-c", "microdnf install -y python3"]\n` });
    assert.equal(fixed, `${F}RUN ["sh", "-c", "microdnf install -y python3 && microdnf clean all"]\n`);
  });
});
