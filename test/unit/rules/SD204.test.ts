import assert from 'node:assert/strict';
import { ruleCases, assertFix } from '../../helpers';

const A = 'FROM python:3.12-alpine\n';

ruleCases('SD204', {
  fires: [
    { name: 'apk add', dockerfile: `${A}RUN apk add curl\n`, lines: [2] },
    { name: 'apk update && apk add', dockerfile: `${A}RUN apk update && apk add --virtual .deps curl\n`, lines: [2] },
    { name: 'removal in a later RUN does not count', dockerfile: `${A}RUN apk add curl\nRUN rm -rf /var/cache/apk/*\n`, lines: [2] },
    { name: 'heredoc', dockerfile: `${A}RUN <<EOF\napk add curl\nEOF\n`, lines: [3] },
    { name: 'exec form', dockerfile: `${A}RUN ["apk", "add", "curl"]\n`, lines: [2] },
    { name: 'sh -c', dockerfile: `${A}RUN sh -c 'apk add curl'\n`, lines: [2] },
    { name: 'non-root user with sudo', dockerfile: `${A}USER app\nRUN sudo apk add curl\n`, lines: [3] },
  ],
  clean: [
    { name: '--no-cache', dockerfile: `${A}RUN apk add --no-cache curl\n` },
    { name: '--no-cache before add', dockerfile: `${A}RUN apk --no-cache add curl\n` },
    { name: 'cache mount', dockerfile: `${A}RUN --mount=type=cache,target=/var/cache/apk apk add curl\n` },
    { name: 'cache mount on /etc/apk/cache', dockerfile: `${A}RUN --mount=type=cache,target=/etc/apk/cache apk add curl\n` },
    { name: 'rm -rf /var/cache/apk/* in the same RUN', dockerfile: `${A}RUN apk add curl && rm -rf /var/cache/apk/*\n` },
    { name: 'builder stage not shipped', dockerfile: `${A.replace('\n', ' AS build\n')}RUN apk add gcc\nRUN pip wheel --no-cache-dir -w /wheels x\n${A}COPY --from=build /wheels /wheels\n` },
    { name: 'apk del', dockerfile: `${A}RUN apk del curl\n` },
    { name: 'apt-get is not apk', dockerfile: 'FROM python:3.12-slim\nRUN apt-get install -y --no-install-recommends curl\n' },
    { name: 'suppressed by hadolint id', dockerfile: `${A}# hadolint ignore=DL3019\nRUN apk add curl\n` },
  ],
});

describe('SD204 fixes', () => {
  it('inserts --no-cache after add', () => {
    const fixed = assertFix('SD204', { dockerfile: `${A}RUN apk add \\\n    curl\n` });
    assert.equal(fixed, `${A}RUN apk add --no-cache \\\n    curl\n`);
  });
  it('inserts it in exec form', () => {
    const fixed = assertFix('SD204', { dockerfile: `${A}RUN ["apk", "add", "curl"]\n` });
    assert.equal(fixed, `${A}RUN ["apk", "add", "--no-cache", "curl"]\n`);
  });
});
