// A grammar-based generator of Dockerfiles: directives, global ARGs resolved in FROM, named
// stages, ARG/ENV with `${VAR}` and defaults, RUN in shell form (continuations, `&&`/`;`/`||`,
// `sh -c`, `$(…)`), heredoc (`<<EOF`, `<<-EOF`, quoted), exec-form JSON and `--mount` flags, and
// COPY/ADD/USER/WORKDIR/comments, with pip/uv/apt/apk/conda commands carrying random flags. Most
// output is valid; random "noise" (odd case, tabs, stray quotes) keeps the parser honest.
import fc from 'fast-check';

const ident = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,7}$/);
const stageName = fc.constantFrom('builder', 'build', 'base', 'runtime', 'deps', 'final', 'Test');
const image = fc.constantFrom('python:3.12-slim', 'python:3.11', 'python:3.12-alpine', 'ubuntu:24.04', 'debian:bookworm-slim', 'nvidia/cuda:12.4.1-runtime-ubuntu22.04', 'ghcr.io/astral-sh/uv:python3.12-bookworm-slim', 'scratch', 'alpine');
const pyPkg = fc.oneof(
  fc.constantFrom('flask', 'torch', 'numpy', 'pandas', 'opencv-python', 'tensorflow', 'django', 'requests', 'uvicorn[standard]', 'psycopg2', 'pip', 'setuptools', 'wheel', '.', '-e .'),
  fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,9}$/), fc.constantFrom('', '==1.2.3', '>=2', '<3,>=1', '[extra]', '~=0.1')).map(([n, v]) => n + v),
);
const osPkg = fc.oneof(fc.constantFrom('gcc', 'build-essential', 'curl', 'git', 'python3-dev', 'libpq-dev', 'ca-certificates', 'libgl1', 'ffmpeg', 'musl-dev', 'g++'), fc.stringMatching(/^[a-z][a-z0-9.+-]{0,9}$/));
const path = fc.constantFrom('/app', '.', '/root/.cache/pip', '/var/lib/apt/lists/*', '/tmp/x', '${HOME}', '$APP_HOME/src', '/opt/venv', 'src/', 'requirements.txt');
const varRef = ident.chain((n) => fc.constantFrom(`$${n}`, `\${${n}}`, `\${${n}:-x}`, `\${${n}:+y}`, '$HOME', '${PYTHON_VERSION}', '$BASE'));
const value = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_./:-]{0,12}$/), varRef, fc.constantFrom('"a b"', "'c d'", '1', '0', 'off', ''));

const pipFlag = fc.constantFrom('--no-cache-dir', '-r requirements.txt', '--user', '-U', '--upgrade', '--index-url https://download.pytorch.org/whl/cpu', '--extra-index-url https://x/simple', '--no-deps', '--prefix=/install', '-q', '--break-system-packages', '--target /deps', '-c constraints.txt', '--require-hashes', '--compile');
const uvFlag = fc.constantFrom('--system', '--no-cache', '--frozen', '--locked', '--no-dev', '--compile-bytecode', '-r requirements.txt', '--python 3.12', '--no-install-project', '--link-mode=copy');
const aptFlag = fc.constantFrom('-y', '--no-install-recommends', '-qq', '--yes', '-o Dpkg::Options::=--force-confnew', '--fix-missing');

const pip = fc.tuple(fc.constantFrom('pip', 'pip3', 'python -m pip', 'python3 -m pip', '/opt/venv/bin/pip', 'sudo pip', 'PIP_NO_CACHE_DIR=1 pip'), fc.constantFrom('install', 'install', 'install', 'install', 'install', 'uninstall -y', 'download', 'cache purge', 'wheel'), fc.array(fc.oneof(pipFlag, pyPkg), { maxLength: 5 })).map(([p, sub, rest]) => [p, sub, ...rest].join(' '));
const uv = fc.tuple(fc.constantFrom('uv pip install', 'uv sync', 'uv add', 'uv venv', 'uv pip compile pyproject.toml -o requirements.txt', 'uv run python -m app'), fc.array(fc.oneof(uvFlag, pyPkg), { maxLength: 4 })).map(([c, rest]) => [c, ...rest].join(' '));
const apt = fc.oneof(
  fc.tuple(fc.constantFrom('apt-get', 'apt'), fc.array(aptFlag, { maxLength: 3 }), fc.constantFrom('install', 'install', 'update', 'upgrade', 'dist-upgrade', 'purge', 'autoremove', 'clean'), fc.array(fc.oneof(aptFlag, osPkg), { maxLength: 5 })).map(([a, pre, sub, rest]) => [a, ...pre, sub, ...rest].join(' ')),
  fc.constant('rm -rf /var/lib/apt/lists/*'),
);
const apk = fc.tuple(fc.constantFrom('apk add', 'apk add --no-cache', 'apk add --virtual .build-deps', 'apk del .build-deps', 'apk update', 'apk upgrade'), fc.array(osPkg, { maxLength: 4 })).map(([c, rest]) => [c, ...rest].join(' '));
const other = fc.oneof(
  fc.constantFrom('conda install -y numpy', 'conda clean -afy', 'poetry install --no-root', 'poetry config virtualenvs.create false', 'pipenv install --system --deploy', 'python -m venv /opt/venv', 'chown -R app:app /app', 'chmod -R 755 /app', 'git clone https://github.com/x/y', 'curl -fsSL https://x.sh | sh', 'find / -name "*.pyc" -delete', 'true', 'cd /app', 'echo done'),
  fc.tuple(fc.constantFrom('export', 'declare -x'), ident, value).map(([k, n, v]) => `${k} ${n}=${v}`),
  fc.tuple(fc.constantFrom('rm -rf', 'mkdir -p', 'touch', 'ls'), fc.array(path, { minLength: 1, maxLength: 3 })).map(([c, p]) => `${c} ${p.join(' ')}`),
  fc.tuple(ident, value).map(([n, v]) => `echo "${n}=$(cat /etc/${n} 2>/dev/null || echo ${v})"`),
);
const simple = fc.oneof({ weight: 4, arbitrary: pip }, { weight: 2, arbitrary: uv }, { weight: 3, arbitrary: apt }, { weight: 1, arbitrary: apk }, { weight: 2, arbitrary: other });

/** A shell script: commands joined by `&&`, `;`, `||` or `|`, maybe wrapped in `sh -c`/`bash -c`. */
const script = fc
  .tuple(fc.array(simple, { minLength: 1, maxLength: 5 }), fc.array(fc.constantFrom(' && ', ' && ', '; ', ' || ', ' | '), { minLength: 4, maxLength: 4 }))
  .map(([cmds, seps]) => cmds.reduce((s, c, i) => (i === 0 ? c : s + seps[(i - 1) % seps.length] + c), ''));

const mount = fc.oneof(
  fc.constantFrom('--mount=type=cache,target=/root/.cache/pip', '--mount=type=cache,target=/root/.cache/uv', '--mount=type=cache,target=/var/cache/apt,sharing=locked', '--mount=type=cache,id=apk,target=/var/cache/apk'),
  fc.constantFrom('--mount=type=bind,source=requirements.txt,target=/tmp/requirements.txt', '--mount=type=bind,from=ghcr.io/astral-sh/uv:0.5,source=/uv,target=/bin/uv', '--mount=type=secret,id=token', '--mount=from=builder,target=/wheels', '--network=none', '--security=insecure'),
  path.map((p) => `--mount=type=cache,target=${p}`),
);

/** Splits a script over lines with `esc` continuations (sometimes a comment line in between). */
function continued(esc: string) {
  return fc.tuple(script, fc.array(fc.constantFrom('', '', '    ', '\t', `    # a comment\n`), { minLength: 8, maxLength: 8 }), fc.boolean()).map(([s, indents, crlfSpaces]) => {
    let i = 0;
    return s.replace(/ (&&|;|\|\||\|) /g, (m) => ` ${esc}\n${indents[i++ % indents.length]}${m.trim()} `) + (crlfSpaces ? ` ${esc}\n` : '');
  });
}

function run(esc: string) {
  const flags = fc.array(mount, { maxLength: 2 }).map((m) => (m.length ? m.join(' ') + ' ' : ''));
  const shellForm = fc.tuple(flags, fc.oneof(script, continued(esc))).map(([f, s]) => `RUN ${f}${s}`);
  const shDashC = fc.tuple(flags, fc.constantFrom('sh', 'bash', '/bin/sh', 'bash -eux'), script).map(([f, sh, s]) => `RUN ${f}${sh} -c "${s.replace(/"/g, '\\"')}"`);
  const heredoc = fc
    .tuple(flags, fc.constantFrom('EOF', 'EOT', '"EOF"', "'EOF'", 'SCRIPT'), fc.boolean(), fc.array(simple, { minLength: 1, maxLength: 4 }), fc.constantFrom('', 'bash ', 'python3 ', 'set -e\n'))
    .map(([f, tag, dash, cmds, prefix]) => {
      const bare = tag.replace(/["']/g, '');
      const body = cmds.map((c) => (dash ? '\t' : '') + c).join('\n');
      const interp = prefix === 'set -e\n' ? '' : prefix;
      const pre = prefix === 'set -e\n' ? prefix : '';
      return `RUN ${f}${interp}<<${dash ? '-' : ''}${tag}\n${pre}${body}\n${dash ? '\t' : ''}${bare}`;
    });
  const exec = fc
    .tuple(flags, fc.oneof(fc.array(fc.oneof(fc.constantFrom('pip', 'install', '--no-cache-dir', 'uv', 'apt-get', '-y'), pyPkg), { minLength: 1, maxLength: 5 }), script.map((s) => ['sh', '-c', s])))
    .map(([f, argv]) => `RUN ${f}${JSON.stringify(argv)}`);
  return fc.oneof({ weight: 4, arbitrary: shellForm }, { weight: 1, arbitrary: shDashC }, { weight: 2, arbitrary: heredoc }, { weight: 1, arbitrary: exec });
}

function instruction(esc: string, stages: string[]) {
  const from = stages.length ? fc.constantFrom(...stages) : fc.constant('0');
  return fc.oneof(
    { weight: 6, arbitrary: run(esc) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('ENV', 'ARG'), ident, fc.option(value)).map(([k, n, v]) => (v === null ? `${k} ${n}` : `${k} ${n}=${v}`)) },
    { weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom('PIP_NO_CACHE_DIR', 'UV_COMPILE_BYTECODE', 'UV_LINK_MODE', 'PYTHONDONTWRITEBYTECODE', 'APP_HOME', 'HOME', 'UV_CACHE_DIR'), value), { minLength: 1, maxLength: 3 }).map((kv) => `ENV ${kv.map(([k, v]) => `${k}=${v}`).join(' ')}`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('ENV', 'ENV'), ident, value).map(([k, n, v]) => `${k} ${n} ${v}`) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom('COPY', 'ADD', 'COPY --link', 'COPY --chown=app:app', 'COPY --chmod=755'), fc.array(path, { minLength: 1, maxLength: 3 }), path).map(([k, src, dst]) => `${k} ${src.join(' ')} ${dst}`) },
    { weight: 1, arbitrary: fc.tuple(from, path, path).map(([s, a, b]) => `COPY --from=${s} ${a} ${b}`) },
    { weight: 1, arbitrary: fc.constantFrom('COPY --from=ghcr.io/astral-sh/uv:0.5.11 /uv /uvx /bin/', 'ADD https://example.com/x.tar.gz /tmp/', 'COPY ["a b", "/app/"]', 'COPY <<EOF /etc/x.conf\nkey=value\nEOF') },
    { weight: 1, arbitrary: fc.oneof(fc.constantFrom('root', 'app', '1000:1000', 'nobody', '$USER'), value).map((u) => `USER ${u}`) },
    { weight: 1, arbitrary: path.map((p) => `WORKDIR ${p}`) },
    { weight: 1, arbitrary: fc.constantFrom('CMD ["python", "app.py"]', 'ENTRYPOINT ["uv", "run"]', 'EXPOSE 8000', 'HEALTHCHECK CMD curl -f http://localhost || exit 1', 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]', 'LABEL a=b', 'VOLUME /data', 'ONBUILD RUN pip install x', 'STOPSIGNAL SIGTERM') },
    { weight: 1, arbitrary: fc.constantFrom('# a comment', '# slimdock: ignore=SD101', '# hadolint ignore=DL3042,DL3008', '# slimdock: ignore-file=SD301', '#', '') },
  );
}

/** One stage: a FROM line and its instructions. */
function stage(esc: string, index: number, earlier: string[]) {
  const base = earlier.length ? fc.oneof(image, fc.constantFrom(...earlier), fc.constantFrom('${BASE}', '$BASE_IMAGE', 'python:${PYTHON_VERSION}-slim')) : fc.oneof(image, fc.constantFrom('${BASE}', 'python:${PYTHON_VERSION}-slim', '$UNSET'));
  return fc.tuple(base, fc.option(stageName), fc.constantFrom('', '', '--platform=$BUILDPLATFORM '), fc.array(instruction(esc, earlier), { maxLength: 8 })).map(([b, name, platform, body]) => ({
    name: name ? `${name}${index}` : undefined,
    text: [`FROM ${platform}${b}${name ? ` AS ${name}${index}` : ''}`, ...body].join('\n'),
  }));
}

/** Randomly varies what a Dockerfile writer may vary: keyword case, indentation, line ends. */
const noise = fc.record({ lowerKeywords: fc.boolean(), tabs: fc.boolean(), crlf: fc.integer({ min: 0, max: 9 }), trailingNewline: fc.boolean() });

export const dockerfile: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('\\', '\\', '\\', '`'), fc.boolean(), fc.integer({ min: 1, max: 3 }), fc.array(fc.tuple(fc.constantFrom('BASE', 'PYTHON_VERSION', 'BASE_IMAGE', 'UV_VERSION'), fc.constantFrom('python:3.12-slim', '3.11', 'debian:bookworm', '0.5.11', '')), { maxLength: 3 }))
  .chain(([esc, syntax, count, globals]) => {
    const header = [syntax ? '# syntax=docker/dockerfile:1' : '', esc === '`' ? '# escape=`' : '', ...globals.map(([k, v]) => (v ? `ARG ${k}=${v}` : `ARG ${k}`))].filter(Boolean);
    // Stages are generated one after another so later ones can name earlier ones.
    let arb: fc.Arbitrary<{ names: string[]; texts: string[] }> = fc.constant({ names: [], texts: [] });
    for (let i = 0; i < count; i++) {
      arb = arb.chain((acc) => stage(esc, i, acc.names).map((s) => ({ names: s.name ? [...acc.names, s.name] : acc.names, texts: [...acc.texts, s.text] })));
    }
    return fc.tuple(arb, noise).map(([s, n]) => {
      let text = [...header, ...s.texts].join('\n');
      if (n.lowerKeywords) text = text.replace(/^(RUN|FROM|COPY|ENV) /gm, (k) => k.toLowerCase());
      if (n.tabs) text = text.replace(/^ {4}/gm, '\t');
      if (n.crlf === 0) text = text.replace(/\n/g, '\r\n');
      return n.trailingNewline ? text + (n.crlf === 0 ? '\r\n' : '\n') : text;
    });
  });

/** Context files the rules read, sometimes present. */
export const contextFiles: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    'requirements.txt': fc.array(pyPkg, { maxLength: 6 }).map((a) => a.join('\n') + '\n'),
    '.dockerignore': fc.array(fc.constantFrom('.git', '.venv', '__pycache__', '*.pyc', '!src', 'node_modules', '**/*.md', ''), { maxLength: 5 }).map((a) => a.join('\n')),
    'pyproject.toml': fc.array(pyPkg, { maxLength: 4 }).map((deps) => `[project]\nname = "app"\nversion = "0.1.0"\ndependencies = ${JSON.stringify(deps)}\n`),
  },
  { requiredKeys: [] },
);
