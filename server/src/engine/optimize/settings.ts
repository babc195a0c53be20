// What decides which packages an install gets besides its own words: index and resolver settings
// in the environment (which may differ from one install to the next), pip's configuration files,
// pip options uv has no equivalent for, the interpreter pip ran under. The builder sets its
// environment once, runs uv, and makes its own virtual environment: where it could not reproduce
// one of these, Optimize does not rewrite the file (a found gap, not a guess).
import { opDir, type Analysis, type PyOp } from './analyze';
import { argDeclarations, substitute, resolvePath } from '../parse/dockerfile';
import { pipCall, requirementName } from '../rules/commands';
import { venvMadeBy, uvBinaryChoice, writesPipConfig, isKeyringPackage } from '../rules/python-tools';
import { normalizeName } from '../python/requirement';
import type { BuildContext } from '../buildcontext';
import type { FileSystem } from '../fs';
import { requirementFiles, projectDir, opLineage } from './builder';
import { contextPathOf, ctxAbs } from './context-map';
import { systemCompiles } from './system';

/** Environment variables that change what pip or uv installs, or from where. */
const RESOLVER_ENV = /^(PIP_(INDEX_URL|EXTRA_INDEX_URL|TRUSTED_HOST|FIND_LINKS|NO_INDEX|PRE|CONSTRAINT|ONLY_BINARY|NO_BINARY|REQUIRE_HASHES|CONFIG_FILE|UPGRADE_STRATEGY)|UV_(INDEX_URL|EXTRA_INDEX_URL|INDEX|DEFAULT_INDEX|FIND_LINKS|INDEX_STRATEGY|PRERELEASE|CONSTRAINT|OVERRIDE|NO_BINARY|ONLY_BINARY|INSECURE_HOST|NO_INDEX))$/;

/**
 * pip settings uv has no variable for (or the builder does not translate): what they change would
 * be lost. System mode's builder runs pip wheel, which reads them, except those naming a file the
 * builder does not have (a constraints file, a configuration file).
 */
const PIP_ONLY_ENV: Record<'venv' | 'system', RegExp> = {
  // PIP_NO_DEPS: uv would resolve and install the dependencies pip left out (found by review: a
  // freeze-style file that pins a conflicting set fails to resolve).
  venv: /^PIP_(CONSTRAINT|ONLY_BINARY|NO_BINARY|CONFIG_FILE|NO_DEPS|NO_DEPENDENCIES)$/,
  system: /^PIP_(CONSTRAINT|CONFIG_FILE|NO_DEPS|NO_DEPENDENCIES)$/,
};

/** uv's index settings: pip does not read them. */
const UV_INDEX_ENV = /^UV_(INDEX_URL|EXTRA_INDEX_URL|INDEX|DEFAULT_INDEX|FIND_LINKS|NO_INDEX|INDEX_STRATEGY)$/;

/** pip options that change the install and that the builder's command (uv, or pip wheel in system mode) does not carry. */
const PIP_ONLY_OPTIONS = new Set(['--cert', '--client-cert', '--proxy', '--ignore-requires-python', '--global-option', '--install-option', '--root', '--platform', '--python-version', '--implementation', '--abi', '--src']);

/** pip's configuration files (`/etc/pip.conf`, `~/.config/pip/pip.conf`, `~/.pip/pip.conf`, `pip.ini`). */
const PIP_CONF = /(^|\/)pip\.(conf|ini)$/;

function lineOf(op: PyOp): number {
  return op.inst.node.getRange().start.line + 1;
}

/** The resolver settings an install ran with, `K=V` sorted: ENV, ARG and inline alike. */
function settingsOf(op: PyOp): string {
  return [...op.cmd.env].filter(([k]) => RESOLVER_ENV.test(k)).map(([k, v]) => `${k}=${v}`).sort().join(' ');
}

/** Why the installs' settings cannot be carried over to the builder, one reason each. */
export function settingBlockers(a: Analysis, mode: 'venv' | 'system', build: BuildContext, fs: FileSystem): string[] {
  const out: string[] = [];
  const ops = a.ops.filter((o) => o.action !== 'uninstall');
  if (!ops.length) return out;
  // One environment for the builder: installs that ran with other settings (an index switched
  // between them, `PIP_INDEX_URL=… pip install` on one command) would all get the last one's.
  const first = ops[0];
  const other = ops.find((o) => settingsOf(o) !== settingsOf(first));
  if (other) out.push(`lines ${lineOf(first)} and ${lineOf(other)} install with different index settings (${settingsOf(first) || 'none'}; ${settingsOf(other) || 'none'}): the builder sets them once for all its installs.`);
  for (const op of ops) {
    const env = op.cmd.env;
    const pipInstall = op.kind === 'pip';
    // (pip reads a yes/no option's variable with strtobool: PIP_NO_DEPS=0 is off; found by review.)
    // (PIP_NO_BINARY/PIP_ONLY_BINARY uv reads as its own variables, but for a mix of `:all:` and names: found by review.
    // `PIP_ONLY_BINARY=:all:` beside a local project is the builder's to refuse, in both modes: translatedPipEnv.)
    const translatable = (k: string) => (k === 'PIP_NO_BINARY' || k === 'PIP_ONLY_BINARY') && uvBinaryChoice(k, env.get(k) ?? '') !== undefined;
    const pipOnly = [...env.keys()].find((k) => PIP_ONLY_ENV[mode].test(k) && !(/^PIP_NO_DEP(S|ENDENCIES)$/.test(k) && /^(0|false|no|off|n|f)$/i.test((env.get(k) ?? '').trim())) && !translatable(k));
    // (uv reads constraints from UV_CONSTRAINT, but the builder does not bring the file along yet: found by review, the reason said otherwise.)
    // (Said of the rewritten install, not a builder system mode may not have: found by review.)
    if (pipOnly && pipInstall) out.push(`line ${lineOf(op)}: ${pipOnly} changes what pip installs, and ${pipOnly === 'PIP_CONSTRAINT' ? 'slimdock does not carry it over to uv (UV_CONSTRAINT) with its file yet' : /^PIP_(NO|ONLY)_BINARY$/.test(pipOnly) ? "uv's variables cannot say this value (:all: or :none: beside names, or a part that is no package name)" : 'uv has no such setting'}: the rewritten install would run without it.`);
    // pip reads PIP_NO_BUILD_ISOLATION backwards (pypa/pip#5735): `0`/`false` turns isolation off,
    // which the builder's uv would keep on; `1` keeps it, as uv does (found by review).
    const isolation = env.get('PIP_NO_BUILD_ISOLATION');
    if (pipInstall && mode === 'venv' && isolation !== undefined && /^(0|false|no|off)$/i.test(isolation.trim())) out.push(`line ${lineOf(op)}: PIP_NO_BUILD_ISOLATION=${isolation} builds without isolation (pip reads it backwards), which the builder's uv would not: use --no-build-isolation on the install instead.`);
    // A pip install with uv's index variables set: pip ignored them, uv would follow them. A uv
    // install with them, in system mode: the builder's pip wheel would ignore them.
    const uvIndex = [...env.keys()].find((k) => UV_INDEX_ENV.test(k));
    if (uvIndex && (pipInstall ? mode === 'venv' : mode === 'system')) out.push(`line ${lineOf(op)}: ${uvIndex} is set, which ${pipInstall ? 'pip ignored and the builder\'s uv would follow' : 'the builder\'s pip wheel would ignore'}.`);
    if (env.has('PYTHONUSERBASE')) out.push(`line ${lineOf(op)}: PYTHONUSERBASE (${env.get('PYTHONUSERBASE')}) puts user installs and their scripts in a folder of its own, which the rewrite would not fill.`);
    // `--no-binary x` and `--only-binary :all:` together: pip lets the later one win, uv the one
    // naming the package (pyyaml would be built from its sdist). On the command line or in the files.
    // `uv pip sync requirements.txt`: its files are words of their own, which the builder does not
    // mount (found by review: "File not found"). In place (system mode) they are where the COPY put them.
    if (op.kind === 'uv-pip' && op.action === 'sync') out.push(`line ${lineOf(op)}: uv pip sync is not rewritten into a builder stage yet (its requirements files would not be there).`);
    // uv's own interpreter choices the builder cannot keep (found by review): managed Pythons
    // (`uv python install`, UV_PYTHON_PREFERENCE=only-managed, which UV_PYTHON_DOWNLOADS=0 forbids the
    // builder), and UV_PYTHON asking for another version than the base image's.
    const preference = op.cmd.env.get('UV_PYTHON_PREFERENCE');
    if (preference && /^only-managed$/.test(preference)) out.push(`line ${lineOf(op)}: UV_PYTHON_PREFERENCE=only-managed takes a Python uv installs itself, which the builder (UV_PYTHON_DOWNLOADS=0, on the base image's Python) does not.`);
    const wanted = op.cmd.env.get('UV_PYTHON');
    if (wanted && otherPython(wanted, a.base?.python)) out.push(`line ${lineOf(op)}: UV_PYTHON=${wanted} asks for another Python than the base image's ${a.base!.python}, which the builder would not download.`);
    const legacy = legacyBuildImport(a, op, build, fs);
    if (legacy) out.push(`line ${lineOf(op)}: the project's setup.py imports ${legacy}, and it has no pyproject.toml: pip built it in the image's environment, where ${legacy} was installed; uv builds in isolation, with setuptools only.`);
    const files = requirementFiles(a, op, build, fs);
    // `-e git+https://…#egg=x` in a file: pip clones it editable; uv takes editables from local
    // folders only and refuses the file (found by review).
    const vcsEditable = files.flatMap((f) => f.entries).find((e) => e.kind === 'editable' && /^(git|hg|svn|bzr)\+/i.test(e.text));
    if (vcsEditable) out.push(`line ${lineOf(op)}: the requirements file installs ${vcsEditable.text} editable, which uv does not do (editables from local folders only).`);
    // `llama-cpp-python==0.2.79 --config-settings=cmake.args=…` on its line: pip takes an option per
    // requirement, uv only `--hash` (it fails on the file; found by review). System mode's pip wheel reads them, uv's offline install of the file does not.
    const perLine = files.flatMap((f) => f.entries).find((e) => e.options.length > 0);
    if (perLine) out.push(`line ${lineOf(op)}: the requirements file gives ${perLine.text} an option of its own (${perLine.options[0]}), which uv does not read in a requirements file (only --hash).`);
    const noBinary = op.pkg?.options.has('--no-binary') || files.some((f) => f.noBinary);
    const onlyBinary = op.pkg?.options.has('--only-binary') || files.some((f) => f.onlyBinary);
    if (pipInstall && mode === 'venv' && noBinary && onlyBinary) out.push(`line ${lineOf(op)}: the install has both --no-binary and --only-binary, which pip and uv resolve in different orders.`);
    const option = pipInstall ? [...(op.pkg?.options.keys() ?? [])].find((o) => PIP_ONLY_OPTIONS.has(o)) : undefined;
    if (option) out.push(`line ${lineOf(op)}: pip's ${option} has no equivalent in the builder's uv command.`);
    // `python3.11 -m pip` on a python:3.12 image: the packages went to 3.11, the builder's
    // environment would be made with the image's default Python.
    const version = /^(?:python|pip)(\d\.\d+)$/.exec(op.cmd.name)?.[1];
    if (version && a.base?.python && version !== a.base.python) out.push(`line ${lineOf(op)}: ${op.cmd.name} installs for Python ${version}, not the image's ${a.base.python}: the builder's environment would be made with ${a.base.python}.`);
  }
  // `uv python install`, and `uv venv --python 3.11` on a python:3.12 image: the builder makes its
  // environment with the image's Python (found by review).
  for (const inst of a.chain.flatMap((st) => st.instructions)) {
    for (const c of inst.run?.commands ?? []) {
      const uvArgs = c.name === 'uv' ? c.argv.slice(1).map((w) => w.value) : [];
      if (uvArgs[0] === 'python' && uvArgs[1] === 'install') out.push(`line ${inst.node.getRange().start.line + 1}: uv python install puts a Python of uv's own in the image, which the builder does not use.`);
      const py = uvArgs[0] === 'venv' ? uvArgs.findIndex((w) => w === '--python' || w === '-p' || /^--python=/.test(w)) : -1;
      const version = py < 0 ? undefined : uvArgs[py].includes('=') ? uvArgs[py].split('=')[1] : uvArgs[py + 1];
      if (version && otherPython(version, a.base?.python)) out.push(`line ${inst.node.getRange().start.line + 1}: uv venv --python ${version} makes the environment with another Python than the image's ${a.base!.python}, which the builder's would use.`);
    }
  }
  // `python3.11 -m venv /venv` on a python:3.12 image: the builder makes its environment with 3.12.
  for (const inst of a.chain.flatMap((st) => st.instructions)) {
    for (const c of inst.run?.commands ?? []) {
      const version = /^python(\d\.\d+)$/.exec(c.name)?.[1];
      const makesVenv = venvMadeBy(inst, c) !== undefined;
      if (version && makesVenv && a.base?.python && version !== a.base.python) out.push(`line ${inst.node.getRange().start.line + 1}: ${c.name} makes the virtual environment with Python ${version}, not the image's ${a.base.python}, which the builder's would use.`);
    }
  }
  // `ARG PIP_EXTRA_INDEX_URL` with no default, for --build-arg: uv ignores PIP_*, and only
  // PIP_INDEX_URL is handed on to uv (UV_INDEX_URL=${PIP_INDEX_URL:-…}). Also where system mode's
  // uv installs in place (found by review: a private index dropped); its pip wheel reads them.
  if (mode === 'venv' || (a.base && !systemCompiles(a))) {
    const last = ops[ops.length - 1];
    // (Not where every install hands it on itself: `--extra-index-url "$PIP_EXTRA_INDEX_URL"`; found by review.)
    // (As an option's own value, `--extra-index-url "$X"`; not inside `${X:+…}`, whose option uv's rewrite does not read.)
    const named = (name: string) => ops.every((o) => { const t = a.model.text.slice(o.cmd.start, o.cmd.end); return new RegExp(`(^|\\s)--[\\w-]+[= ]["']?\\$\\{?${name}\\}?["']?(\\s|$)`).test(t) && !new RegExp(`\\$\\{${name}:`).test(t); });
    // (An ARG without a default: one with a default is in the install's environment, read above.)
    for (const i of a.model.instructions) {
      if (i.start >= last.inst.start) break;
      const d = argDeclarations(i).find((x) => x.value === null && /^PIP_(?!INDEX_URL$)\w+$/.test(x.name) && RESOLVER_ENV.test(x.name) && !last.cmd.env.has(x.name) && !named(x.name));
      if (!d) continue;
      out.push(`line ${i.node.getRange().start.line + 1}: ARG ${d.name} takes a value from --build-arg that pip reads and uv would not.`);
      break;
    }
  }
  // pip's configuration: a pip.conf the file puts in place or writes, `pip config set …`, or a tool
  // that writes it (`aws codeartifact login --tool pip` runs pip config; found by review).
  const lastInstall = ops[ops.length - 1].inst.start;
  for (const inst of a.chain.flatMap((s) => s.instructions)) {
    if (inst.start > lastInstall) break;
    const conf =
      ((inst.keyword === 'COPY' || inst.keyword === 'ADD') && (PIP_CONF.test(substitute(inst.args[inst.args.length - 1]?.getValue() ?? '', inst.env).replace(/\/+$/, '')) || inst.args.slice(0, -1).some((w) => PIP_CONF.test(w.getValue())))) ||
      (inst.run?.commands.some((c) => pipCall(c)?.sub?.value === 'config' || writesPipConfig(c)) ?? false) ||
      (inst.run !== undefined && /pip\.(conf|ini)\b/.test(a.model.text.slice(inst.start, inst.end)) && !inst.run.commands.every((c) => c.name === 'rm'));
    if (conf) {
      out.push(`line ${inst.node.getRange().start.line + 1}: the file sets up pip's configuration (pip.conf, pip config), which slimdock does not carry over to the rewritten installs (uv does not read it).`);
      break;
    }
  }
  // A keyring backend the file installs for pip to log in to an index with (Artifact Registry,
  // CodeArtifact): uv does not use it unless told (--keyring-provider subprocess, a username in the
  // URL; found by review: the private index answered 401).
  const keyring = a.ops.find((o) => o.inst.start <= lastInstall && (o.pkg?.packages ?? []).some((w) => isKeyringPackage(requirementName(w.value) ?? '')))
    ?? (a.toolSpecs.has('keyring') ? a.ops[0] : undefined);
  if (keyring) out.push(`line ${lineOf(keyring)}: the file installs a keyring backend, which pip logs in to a package index with; uv does not use it by default (--keyring-provider subprocess and a username in the index URL would be needed).`);
  // Git and SSH authentication the installs used (a host key, a token in `url.….insteadOf`, a netrc):
  // the builder's installs would run without it, and the final stage would keep it, secret and all
  // (found by review: "Host key verification failed" on a git+ssh requirement). In the stages the
  // builder replaces too. A secret or SSH mount of the install's own RUN is carried instead.
  for (const inst of [...a.absorbed.flatMap((s) => s.instructions), ...a.chain.flatMap((s) => s.instructions)]) {
    if (inst.start > lastInstall) continue;
    // Where a COPY puts its files: the destination, or each source's name in it (`COPY .netrc /root/`).
    const words = (inst.keyword === 'COPY' || inst.keyword === 'ADD') && !inst.flags.has('from') ? inst.args.map((w) => substitute(w.getValue(), inst.env)) : [];
    const dest = words.length > 1 ? resolvePath(inst.workdir, words[words.length - 1]) : '';
    const intoDir = words.length > 2 || /(^|\/)\.?$/.test(words[words.length - 1] ?? '');
    // (A destination without a slash may be a folder that exists, `COPY .netrc /root`: both readings count.)
    const inside = words.slice(0, -1).map((w) => `${dest.replace(/\/+$/, '')}/${w.replace(/\/+$/, '').split('/').pop()}`);
    const targets = words.length > 1 ? (intoDir ? inside : [dest, ...inside]) : [];
    const script = inst.run ? a.model.text.slice(Math.max(inst.start, ...inst.run.mounts.map((m) => m.end)), inst.end).replace(/^\s*#.*$/gm, '') : '';
    const auth =
      targets.some((p) => GIT_AUTH_DEST.test(p) || (intoDir && /(^|\/)\.ssh$/.test(dest.replace(/\/+$/, '')))) ||
      (inst.run?.commands.some((c) => c.name === 'ssh-keyscan' || c.name === 'ssh-add' || (c.name === 'git' && c.argv[1]?.value === 'config' && c.argv.some((w) => GIT_AUTH_KEY.test(w.value)))) ?? false) ||
      (inst.run !== undefined && GIT_AUTH_TEXT.test(script) && !inst.run.commands.every((c) => c.name === 'rm'));
    if (auth) {
      out.push(`line ${inst.node.getRange().start.line + 1}: the file sets up git or SSH authentication (a host key, git credentials, a netrc) before the installs, which the builder's installs would not have.`);
      break;
    }
    // A certificate authority the file adds to the trust store (a corporate proxy or index), copied
    // or downloaded there: the builder's TLS would not trust it. (`update-ca-certificates` alone only
    // refreshes the distro's; a server certificate in /etc/ssl/certs is no authority.)
    // (Elsewhere too where the installs' TLS settings name it: `SSL_CERT_FILE=/etc/ssl/certs/corp.pem`.)
    const tls = new Set(ops.flatMap((o) => TLS_ENV.map((k) => o.cmd.env.get(k)).filter((v): v is string => !!v).map((v) => v.replace(/\/+$/, ''))));
    const ca = targets.some((p) => TRUST_STORE.test(p) || tls.has(p) || [...tls].some((t) => p.startsWith(`${t}/`))) || (inst.run !== undefined && /\/usr\/local\/share\/ca-certificates\/\S|\/etc\/pki\/ca-trust\/source\/anchors\/\S/.test(script));
    if (ca) {
      out.push(`line ${inst.node.getRange().start.line + 1}: the file adds a certificate authority before the installs, which the builder's installs would not trust.`);
      break;
    }
  }
  return [...new Set(out)];
}

/** Where git and ssh read credentials and host keys (a COPY's target). */
const GIT_AUTH_DEST = /(^|\/)\.ssh\/|^\/etc\/ssh\/ssh_known_hosts$|(^|\/)[._]netrc$|(^|\/)\.gitconfig$|^\/etc\/gitconfig$|(^|\/)\.git-credentials$/;
/** The variables that point pip, requests, uv and OpenSSL at certificate files or folders. */
const TLS_ENV = ['SSL_CERT_FILE', 'SSL_CERT_DIR', 'REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE', 'PIP_CERT'];
/** The trust stores update-ca-certificates and update-ca-trust read. */
const TRUST_STORE = /^\/usr\/local\/share\/ca-certificates\/.|^\/etc\/pki\/ca-trust\/source\/anchors\/./;
/** The same, written to by a RUN's script (comments left out). */
const GIT_AUTH_TEXT = /(^|[\s/'"=])(\.ssh\/|\.netrc\b|\.gitconfig\b|\.git-credentials\b|\/etc\/gitconfig\b)/;
/** git settings that authenticate: a token in a URL rewrite, a credential helper, an extra header, an SSH command. */
const GIT_AUTH_KEY = /^(url\..*\.insteadof|credential(\..*)?\.\w+|http\.(.*\.)?(extraheader|sslverify|sslcainfo|sslcapath)|core\.sshcommand)$/i;

/** Distributions whose import name differs from their name. */
const MODULE_DIST: Record<string, string> = { skbuild: 'scikit-build', setuptools_scm: 'setuptools-scm', google: 'protobuf', yaml: 'pyyaml', pil: 'pillow', cv2: 'opencv-python', sklearn: 'scikit-learn' };

/** Modules a setup.py may import that the isolated build has (setuptools, and Python's own). */
const ISOLATED_BUILD_HAS = new Set(
  ('setuptools distutils pkg_resources _distutils_hack os sys io re glob json codecs pathlib platform subprocess shutil sysconfig ' +
    'warnings textwrap ast itertools functools typing __future__ importlib string time datetime tempfile fnmatch contextlib ' +
    'collections configparser site struct logging argparse math hashlib errno stat ctypes multiprocessing tokenize runpy ' +
    'types inspect copy pprint zipfile tarfile urllib email locale traceback operator enum dataclasses abc shlex imp pkgutil ' +
    'unittest threading base64 random atexit').split(' '),
);

/**
 * A module beside the isolated build's (Cython, numpy, pybind11 …) that the setup.py of a project
 * the install builds from its sources imports, when the project has no pyproject.toml to declare it:
 * pip (legacy, no isolation) found it installed in the image, uv's isolated build would not
 * (found by review: `ModuleNotFoundError: No module named 'Cython'`). Only a module the file
 * installed before the build counts (pip found nothing else either), not the project's own modules
 * (`versioneer.py`); `--no-build-isolation` builds in the environment, as pip did.
 */
function legacyBuildImport(a: Analysis, op: PyOp, build: BuildContext, fs: FileSystem): string | undefined {
  if (op.args.some((w) => w.value === '--no-build-isolation')) return undefined;
  const local = (v: string) => /^(\.|\/|file:)/.test(v) || (/\//.test(v) && !/^[a-z][\w+.-]*:\/\//i.test(v) && !/@/.test(v));
  const dirs = new Set<string>();
  if (op.kind === 'setup-py') dirs.add(projectDir(op));
  for (const w of [...(op.pkg?.packages ?? []), ...(op.pkg?.editables ?? [])]) if (local(w.value) && !/\.(whl|tar\.gz|zip)$/.test(w.value)) dirs.add(resolvePath(opDir(op), substitute(w.value, op.cmd.env).replace(/^file:(\/\/)?/, '').replace(/\[[^\]]*\]$/, '')));
  for (const e of requirementFiles(a, op, build, fs).flatMap((f) => f.entries)) if ((e.kind === 'editable' || e.kind === 'path') && local(e.text)) dirs.add(resolvePath(opDir(op), e.text.replace(/\[[^\]]*\]$/, '')));
  if (!dirs.size) return undefined;
  // What the file installed before this install: what pip's build found in the image. A module it
  // did not install, pip's build did not have either (the old build failed, or guarded the import).
  const before = new Set<string>();
  for (const o of a.ops.slice(0, a.ops.indexOf(op))) {
    for (const w of o.pkg?.packages ?? []) before.add(normalizeName(requirementName(w.value) ?? ''));
    for (const e of requirementFiles(a, o, build, fs).flatMap((f) => f.entries)) if (e.requirement?.name) before.add(normalizeName(e.requirement.name));
  }
  // (And the distro's packages of them the file installs, `python3-numpy`, `cython3`; a PyTorch image's torch.)
  for (const inst of a.chain.flatMap((st) => st.instructions)) {
    if (inst.start > op.inst.start) break;
    for (const n of inst.run?.commands.flatMap((c) => (/^(apt-get|apt|apk)$/.test(c.name) ? c.argv.slice(1).map((w) => w.value) : [])) ?? []) {
      const m = /^(?:python3-|py3-)([\w.-]+)$|^(cython)3$/.exec(n);
      if (m) before.add(normalizeName(m[1] ?? m[2]));
    }
  }
  if (a.base?.kind === 'pytorch') before.add('torch');
  const installedBefore = (module: string) => [module, MODULE_DIST[module.toLowerCase()] ?? ''].some((n) => n && before.has(normalizeName(n)));
  for (const dir of dirs) {
    const at = (name: string) => contextPathOf(resolvePath(dir, name), op.inst, opLineage(a, op), build);
    const setup = at('setup.py');
    const pyproject = at('pyproject.toml');
    if (setup === undefined || (pyproject !== undefined && build.stat(pyproject) === 'file')) continue;
    const text = fs.readFile(ctxAbs(build, setup));
    if (text === undefined) continue;
    for (const m of text.matchAll(/^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import|import[ \t]+([\w., \t]+))/gm)) {
      const names = m[1] ? [m[1]] : m[2].split(',').map((x) => x.trim().split(/\s+/)[0]);
      for (const name of names) {
        const top = name.split('.')[0];
        if (!top || ISOLATED_BUILD_HAS.has(top) || !installedBefore(top)) continue;
        if ([`${top}.py`, top].some((n) => { const own = at(n); return own !== undefined && !!build.stat(own); })) continue;
        return top;
      }
    }
  }
  return undefined;
}

/**
 * A Python request (`3.11`, `python3.11`, `cpython@3.11`, `/usr/local/bin/python3.11`) for another
 * minor version than the image's. Not a bare `python3`, a path without a version, a range (`>=3.11`):
 * the image's Python may answer those (found by review).
 */
function otherPython(request: string, image: string | undefined): boolean {
  if (!image || /^[<>=~!]/.test(request.trim())) return false;
  const m = /(\d+)\.(\d+)/.exec(request);
  return !!m && `${m[1]}.${m[2]}` !== image;
}
