import assert from 'node:assert/strict';
import { ruleCases, findingsOf } from '../../helpers';

const S = 'FROM python:3.12-slim\n';

ruleCases('SD206', {
  fires: [
    { name: 'apt-get upgrade', dockerfile: `${S}RUN apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*\n`, lines: [2] },
    { name: 'apt-get -y dist-upgrade', dockerfile: `${S}RUN apt-get -y dist-upgrade\n`, lines: [2] },
    { name: 'apt full-upgrade', dockerfile: `${S}RUN apt full-upgrade -y\n`, lines: [2] },
    { name: 'heredoc', dockerfile: `${S}RUN <<EOF\napt-get upgrade -y\nEOF\n`, lines: [3] },
    { name: 'exec form', dockerfile: `${S}RUN ["apt-get", "upgrade", "-y"]\n`, lines: [2] },
    { name: 'sh -c as a non-root user with sudo', dockerfile: `${S}USER app\nRUN sudo sh -c "apt-get upgrade -y"\n`, lines: [3] },
  ],
  clean: [
    { name: 'apt-get install', dockerfile: `${S}RUN apt-get install -y --no-install-recommends curl\n` },
    { name: 'apt-get install --only-upgrade is not a full upgrade', dockerfile: `${S}RUN apt-get install -y --no-install-recommends --only-upgrade openssl\n` },
    { name: 'pip install --upgrade', dockerfile: `${S}RUN pip install --no-cache-dir --upgrade pip\n` },
    { name: 'builder stage not shipped', dockerfile: `FROM python:3.12 AS build\nRUN apt-get upgrade -y\nRUN pip wheel --no-cache-dir -w /wheels x\n${S}COPY --from=build /wheels /wheels\n` },
    { name: 'echo of the words', dockerfile: `${S}RUN echo "apt-get upgrade"\n` },
    { name: 'suppressed by hadolint id', dockerfile: `${S}# hadolint ignore=DL3005\nRUN apt-get upgrade -y\n` },
  ],
});

describe('SD206 details', () => {
  it('is info with an unknown size', () => {
    const [f] = findingsOf('SD206', { dockerfile: `${S}RUN apt-get upgrade -y\n` });
    assert.equal(f.severity, 'info');
    assert.equal(f.estimate?.bytes, null);
  });
});
