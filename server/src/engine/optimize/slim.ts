// The slim python image has Debian's base system and Python, not the tools of the full image
// (buildpack-deps: curl, wget, git, gpg, ssh, svn, unzip …). When the final stage moves from the full
// image to the slim one, the tools that its kept instructions — and the scripts from the build
// context those run — call, and that the file does not install itself, are installed first.
import { resolvePath, substitute } from '../parse/dockerfile';
import { parseShell, MappedText, type ShellCommand } from '../parse/shell';
import type { BuildContext } from '../buildcontext';
import type { FileSystem } from '../fs';
import { packageCall, packageNames, isSub } from '../rules/os-commands';
import { contextFileText, scriptOf, ctxAbs, contextPathOf, copyCovers } from './context-map';
import { requirementFiles, projectDir, opLineage } from './builder';
import { requirementName } from '../rules/commands';
import { keptCommands, keptText, startupCommands, opDir, type Analysis } from './analyze';
import { lineage as stageLineage } from '../rules/layers';
import { startupScriptTexts } from './scripts';
import { parseRequirement, normalizeName } from '../python/requirement';
import { compareVersions } from '../python/markers';
import { wheelRank } from '../python/sizes';
import { parsePyproject, runtimeDependencies } from '../python/pyproject';
import { parseUvLock, type UvLock, type LockedDependency } from '../python/uvlock';
import { envTrue, optionsOf } from '../rules/python-tools';
import { tomlValues } from '../python/toml';

/** Command → the Debian package that provides it, for the full image's tools slim lacks. */
export const FULL_TOOLS: Record<string, string> = {
  curl: 'curl', wget: 'wget', git: 'git', gpg: 'gnupg', svn: 'subversion', hg: 'mercurial', ssh: 'openssh-client', scp: 'openssh-client',
  'ssh-keygen': 'openssh-client', 'ssh-keyscan': 'openssh-client', unzip: 'unzip', bzip2: 'bzip2', bunzip2: 'bzip2', bzcat: 'bzip2',
  xz: 'xz-utils', unxz: 'xz-utils', xzcat: 'xz-utils', lzma: 'xz-utils', unlzma: 'xz-utils', file: 'file', patch: 'patch',
  // ImageMagick (buildpack-deps installs it): `RUN convert logo.png -resize 32x32 favicon.ico` (found by review).
  convert: 'imagemagick', identify: 'imagemagick', mogrify: 'imagemagick', montage: 'imagemagick', composite: 'imagemagick',
  // procps (buildpack-deps' scm layer): process tools health checks and entrypoints call.
  ps: 'procps', pgrep: 'procps', pkill: 'procps', top: 'procps', free: 'procps', watch: 'procps', vmstat: 'procps', uptime: 'procps',
};
// A word of shell or exec-form text (`["curl", "-f", …]`, `/usr/bin/curl`, `sh -c "wget …"`).
const TOOL_WORD = new RegExp(`(^|[\\s;&|(\`$"'\\[,/])(${Object.keys(FULL_TOOLS).map((t) => t.replace(/[-]/g, '\\-')).join('|')})(?=[\\s;&|)\`"',\\]]|$)`, 'gm');

/** The programs tar runs to (de)compress, from its options and archive names: xz, bzip2. */
function tarCompressors(args: string[]): string[] {
  const out = new Set<string>();
  args.forEach((a, i) => {
    // The old-style first word (`tar xJf`) and short option clusters (`-xJf`).
    const cluster = /^-[A-Za-z]+$/.test(a) || (i === 0 && /^[A-Za-z]+$/.test(a)) ? a.replace(/^-/, '') : '';
    if (cluster.includes('J') || a === '--xz' || a === '--lzma' || /\.(txz|tar\.xz|tar\.lzma)$/.test(a)) out.add('xz');
    if (cluster.includes('j') || a === '--bzip2' || /\.(tbz2?|tar\.bz2)$/.test(a)) out.add('bzip2');
  });
  return [...out];
}

export interface SlimTools {
  packages: string[];
  notes: string[];
  /** Why the slim base cannot be chosen (a script it cannot read may call the full image's tools). */
  blockers: string[];
}

/** What the final stage's kept instructions need from the full image, as apt packages. */
export function toolsSlimLacks(a: Analysis, build: BuildContext, fs: FileSystem): SlimTools {
  const out: SlimTools = { packages: [], notes: [], blockers: [] };
  const installed = new Set<string>();
  const need = (tool: string, line: number, via?: string) => {
    const pkg = FULL_TOOLS[tool];
    if (!pkg || installed.has(pkg) || out.packages.includes(pkg)) return;
    out.packages.push(pkg);
    out.notes.push(`line ${line}: ${via ? `${via} calls` : 'the RUN calls'} ${tool}, which the slim image lacks: the final stage installs ${pkg}.`);
  };
  const entrypoint = a.chain.flatMap((s) => s.instructions).some((i) => i.keyword === 'ENTRYPOINT' && !a.removed.has(i));
  for (const inst of a.chain.flatMap((s) => s.instructions)) {
    if (a.removed.has(inst)) continue;
    const line = inst.node.getRange().start.line + 1;
    if (['CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(inst.keyword)) {
      // The programs it runs, not its words: beside an ENTRYPOINT, a CMD is its arguments
      // (`CMD ["convert", "--input", …]` for `ENTRYPOINT ["python", "cli.py"]`; found by review).
      if (inst.keyword === 'CMD' && entrypoint) continue;
      // (Each command as shell text, read as a script's: the shell model strips `exec`, `env`, `timeout` … for it.)
      for (const argv of startupCommands(a.model.text.slice(inst.start, inst.end))) for (const tool of scriptTools(argv.map(shellWord).join(' '))) need(tool, line, `the ${inst.keyword}`);
      continue;
    }
    // Command substitutions of the kept text (`LATEST=$(curl -fsSL …) && echo "$LATEST" > …`; found by review).
    if (inst.run) for (const tool of substitutions(keptText(a, inst)).flatMap((t) => scriptTools(t, 1))) need(tool, line);
    for (const c of keptCommands(inst, a.plans.get(inst))) {
      const call = packageCall(c);
      if (call && isSub(call, 'install', 'add')) {
        for (const n of packageNames(call).names) installed.add(n);
        continue;
      }
      if (FULL_TOOLS[c.name]) need(c.name, line);
      // tar calls xz or bzip2 for those archives (`tar -xJf`, `tar xjf`, `--xz`; `tar -xf x.tar.xz` finds out by itself).
      if (c.name === 'tar') for (const tool of tarCompressors(c.argv.slice(1).map((w) => w.value))) need(tool, line, 'tar');
      // A script of the build context it runs (`./scripts/get.sh`, `bash get.sh`).
      const script = scriptOf(c);
      if (!script || script.path.includes('$')) continue;
      const text = contextFileText(resolvePath(inst.workdir, script.path), inst, a.chain.flatMap((s) => s.instructions), build, fs);
      if (text === undefined) {
        // Its downloads could fail quietly on slim (no curl, wget, svn …; a script without `set -e`).
        out.blockers.push(unreadable(line, 'RUN', script.word));
        continue;
      }
      for (const tool of scriptTools(text)) need(tool, line, script.path);
    }
  }
  // The start-up scripts (`ENTRYPOINT ["./entrypoint.sh"]` waiting for the database with curl …).
  for (const { inst, word, text } of startupScriptTexts(a, build, fs)) {
    const line = inst.node.getRange().start.line + 1;
    if (text === undefined) {
      out.blockers.push(unreadable(line, inst.keyword, word));
      continue;
    }
    for (const tool of scriptTools(text)) need(tool, line, word);
  }
  return out;
}

function unreadable(line: number, keyword: string, script: string): string {
  return `line ${line}: the ${keyword} runs ${script}, which slimdock cannot read: it may call tools of the full image (${Object.keys(FULL_TOOLS).slice(0, 4).join(', ')} …) that the slim final stage lacks.`;
}

/**
 * The full image's tools a shell script runs: the names of its commands (wrappers such as `timeout`
 * and `env` stripped, `sh -c` code and command substitutions included) and what tar calls, read with
 * the shell parser, not words of its text (found by review: `for file in …`, `echo "watch the logs"`).
 * A script the parser cannot read whole falls back to its words.
 */
function scriptTools(text: string, depth = 0): string[] {
  const parsed = parseShell(MappedText.exact(text, 0), new Map());
  if (parsed.hasError) return [...text.replace(/^\s*#.*$/gm, '').matchAll(TOOL_WORD)].map((m) => m[2]);
  const out: string[] = [];
  for (const c of parsed.commands) {
    if (FULL_TOOLS[c.name]) out.push(c.name);
    if (c.name === 'tar') out.push(...tarCompressors(c.argv.slice(1).map((w) => w.value)));
    out.push(...reachedTools(c));
  }
  // Command substitutions in assignments (`TOKEN="$(curl -fsS …)"`), which the parse leaves as values (found by review).
  if (depth < 2) for (const inner of substitutions(text)) out.push(...scriptTools(inner, depth + 1));
  return out;
}

/**
 * Programs a command reaches through another (found by review): an installer's VCS requirement
 * clones with its client (`pip install "git+${PLUGIN}"` at start-up), and git reaches SSH remotes
 * through ssh (`git clone git@host:…`, `ssh://`, `GIT_SSH_COMMAND=ssh …`); git's ssh client is only
 * a recommendation of its package. A command's words, not text an echo prints or a comment.
 */
function reachedTools(c: ShellCommand): string[] {
  const words = c.argv.slice(1).map((w) => w.value);
  const out: string[] = [];
  if (/^(pip[\d.]*|uv|python[\d.]*|pipx|poetry)$/.test(c.name)) {
    for (const [tool, prefix] of [['git', 'git+'], ['hg', 'hg+'], ['svn', 'svn+']] as const) if (words.some((w) => w.toLowerCase().startsWith(prefix) || w.includes(` @ ${prefix}`))) out.push(tool);
    if (words.some((w) => /^git\+ssh:\/\//i.test(w))) out.push('ssh');
  }
  if (c.name === 'git' && words.some((w) => /^git@[\w.-]+:|^ssh:\/\//.test(w))) out.push('ssh');
  if (/^ssh\b/.test(c.env.get('GIT_SSH_COMMAND') ?? '')) out.push('ssh');
  return out;
}

/** One word of an exec-form command, quoted for the shell where it needs it. */
function shellWord(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/** The code of `$(…)` and backtick substitutions in shell text (one level of nested parentheses). */
function substitutions(text: string): string[] {
  return [...text.matchAll(/\$\(((?:[^()]|\([^()]*\))*)\)|`([^`]*)`/g)].map((m) => m[1] ?? m[2]).filter((t) => t && !t.startsWith('('));
}


/**
 * Packages whose Linux builds load the system's OpenMP runtime (libgomp.so.1) at import: LightGBM's
 * wheels, and llama-cpp-python compiled from source (llama.cpp enables OpenMP). The old image had it
 * through the compiler (gcc depends on it); the slim final stage has no compiler.
 */
const NEEDS_OPENMP = new Set(['lightgbm', 'llama-cpp-python']);

/** The normalized names of the packages the installs name, on their command lines and in their requirement files. */
export function installedRequirementNames(a: Analysis, build: BuildContext, fs: FileSystem): Set<string> {
  const names = new Set<string>();
  for (const op of a.ops) {
    for (const w of op.pkg?.packages ?? []) names.add(requirementName(w.value) ?? '');
    for (const file of requirementFiles(a, op, build, fs)) for (const e of file.entries) if (e.requirement?.name) names.add(requirementName(e.requirement.name) ?? '');
  }
  names.delete('');
  return names;
}

/**
 * Packages that find their C library with `ctypes.util.find_library` only (psycopg without its
 * binary or C extension: libpq; pyzbar: libzbar). On musl (Alpine) that lookup runs gcc, or ld and
 * objdump, against the library's `-dev` link: without them, in a final stage the build packages
 * left, it finds nothing and the import fails (found by review; docker-library/python#111).
 */
const FIND_LIBRARY: Record<string, string> = { psycopg: 'libpq', pyzbar: 'libzbar' };

/** Why the installs need gcc or binutils at run time on musl, or undefined (not where the old final image had neither). */
export function muslFindLibrary(a: Analysis, build: BuildContext, fs: FileSystem): string | undefined {
  // What the old final image kept of gcc and binutils: `apk add --virtual .build-deps gcc …` then
  // `apk del .build-deps` ran without them too (found by review: a needless refusal).
  const have = new Set<string>();
  const groups = new Map<string, string[]>();
  for (const inst of a.chain.flatMap((st) => st.instructions)) {
    for (const c of inst.run?.commands ?? []) {
      const call = packageCall(c);
      if (!call || call.manager !== 'apk') continue;
      const names = packageNames(call).names;
      if (isSub(call, 'add')) {
        const at = c.argv.findIndex((w) => w.value === '--virtual' || w.value === '-t');
        const group = at > 0 ? c.argv[at + 1]?.value : c.argv.find((w) => w.value.startsWith('--virtual='))?.value.slice(10);
        for (const n of names) if (n !== group) have.add(n);
        if (group) groups.set(group, names.filter((n) => n !== group));
      } else if (isSub(call, 'del')) for (const n of names) for (const x of [n, ...(groups.get(n) ?? [])]) have.delete(x);
    }
  }
  if (!['gcc', 'build-base', 'binutils'].some((n) => have.has(n))) return undefined;
  const names = installedRequirementNames(a, build, fs);
  const specs = requirementSpecs(a, build, fs);
  const extras = (name: string) => specs.flatMap((t) => { const r = parseRequirement(t); return r?.normalized === name ? r.extras : []; });
  for (const [name, lib] of Object.entries(FIND_LIBRARY)) {
    if (!names.has(name)) continue;
    if (name === 'psycopg' && (names.has('psycopg-binary') || names.has('psycopg-c') || extras(name).some((e) => e === 'binary' || e === 'c'))) continue;
    return `${name} finds ${lib} with ctypes.util.find_library, which on Alpine (musl) runs gcc, or ld and objdump, against the -dev package: the final stage without the build packages would not find it`;
  }
  return undefined;
}

/** The requirement strings the installs name: on their command lines and in their requirement files. */
function requirementSpecs(a: Analysis, build: BuildContext, fs: FileSystem): string[] {
  return [...a.ops.flatMap((op) => (op.pkg?.packages ?? []).map((w) => w.value)), ...a.ops.flatMap((op) => requirementFiles(a, op, build, fs).flatMap((f) => f.entries.map((e) => e.text)))];
}

/** The OpenMP runtime package the final stage needs (`libgomp1`, `libgomp` on Alpine), when the installs name such a package. */
export function openmpRuntime(a: Analysis, build: BuildContext, fs: FileSystem): string | undefined {
  const names = installedRequirementNames(a, build, fs);
  if (![...names].some((n) => NEEDS_OPENMP.has(n))) return undefined;
  return a.base?.manager === 'apk' ? 'libgomp' : 'libgomp1';
}

/**
 * Python packages that use a C library the full python image has and the slim one lacks. The full
 * image is buildpack-deps: its development packages (libpq-dev, default-libmysqlclient-dev,
 * libxml2-dev, libcurl4-openssl-dev, libkrb5-dev, libdb-dev, libmagickwand-dev, whose ImageMagick
 * brings cairo and pango) and `file` (libmagic) are there. A package built from source there links
 * against the library (`links`: psycopg2 has no Linux wheel, nor mysqlclient, uWSGI, gssapi …); a
 * pure-Python binding opens it with ctypes or cffi when imported (`loads`: python-magic, Wand,
 * WeasyPrint, cairocffi, psycopg without its binary extra). On the slim final stage the import fails
 * (`libpq.so.5: cannot open shared object file`) unless the library is installed there. Names are
 * bookworm's (checked with `apt-cache show`); the same names resolve on trixie, where the time64
 * packages (libcurl4t64, libmagic1t64, libdb5.3t64) provide them. Wand's library is named for
 * ImageMagick 6 (bookworm, bullseye) only.
 */
const FULL_IMAGE_LIBS: Record<string, { how: 'links' | 'loads' | 'runs'; libs: string[] | Record<string, string[]> }> = {
  // GitPython runs the git program (its import fails without it): only when the app names it, not
  // when a lock brings it for another package (MLflow logs the commit with it if git is there).
  gitpython: { how: 'runs', libs: ['git'] },
  // python-gnupg and gnupg run the gpg program.
  'python-gnupg': { how: 'runs', libs: ['gnupg'] },
  gnupg: { how: 'runs', libs: ['gnupg'] },
  // Ansible reaches its hosts with the ssh program (its default connection), which the full image
  // has (buildpack-deps:*-scm) and slim has not (found by review: every host UNREACHABLE).
  'ansible-core': { how: 'runs', libs: ['openssh-client'] },
  ansible: { how: 'runs', libs: ['openssh-client'] },
  psycopg2: { how: 'links', libs: ['libpq5'] },
  'psycopg-c': { how: 'links', libs: ['libpq5'] },
  psycopg: { how: 'loads', libs: ['libpq5'] },
  mysqlclient: { how: 'links', libs: ['libmariadb3'] },
  mariadb: { how: 'links', libs: ['libmariadb3'] },
  uwsgi: { how: 'links', libs: ['libxml2'] },
  pycurl: { how: 'links', libs: ['libcurl4'] },
  gssapi: { how: 'links', libs: ['libkrb5-3', 'libgssapi-krb5-2'] },
  pykerberos: { how: 'links', libs: ['libkrb5-3', 'libgssapi-krb5-2'] },
  kerberos: { how: 'links', libs: ['libkrb5-3', 'libgssapi-krb5-2'] },
  bsddb3: { how: 'links', libs: ['libdb5.3'] },
  pycairo: { how: 'links', libs: ['libcairo2'] },
  'python-magic': { how: 'loads', libs: ['libmagic1'] },
  filemagic: { how: 'loads', libs: ['libmagic1'] },
  'file-magic': { how: 'loads', libs: ['libmagic1'] },
  cairocffi: { how: 'loads', libs: ['libcairo2'] },
  cairosvg: { how: 'loads', libs: ['libcairo2'] },
  weasyprint: { how: 'loads', libs: { '': ['libpango-1.0-0', 'libpangoft2-1.0-0', 'libharfbuzz-subset0'], bookworm: ['libpango-1.0-0', 'libpangoft2-1.0-0', 'libharfbuzz-subset0'], trixie: ['libpango-1.0-0', 'libpangoft2-1.0-0', 'libharfbuzz-subset0'], bullseye: ['libpango-1.0-0', 'libpangoft2-1.0-0'] } },
  wand: { how: 'loads', libs: { bookworm: ['libmagickwand-6.q16-6'], bullseye: ['libmagickwand-6.q16-6'] } },
  // OpenCV's GUI wheels load glib (libgthread-2.0.so.0), which the full image has through its -dev
  // packages; libGL the file installs itself, as it had to there (found by review). Not the headless wheels.
  'opencv-python': { how: 'loads', libs: { '': ['libglib2.0-0'], bookworm: ['libglib2.0-0'], bullseye: ['libglib2.0-0'], trixie: ['libglib2.0-0t64'] } },
  'opencv-contrib-python': { how: 'loads', libs: { '': ['libglib2.0-0'], bookworm: ['libglib2.0-0'], bullseye: ['libglib2.0-0'], trixie: ['libglib2.0-0t64'] } },
  // PyICU has no wheels: it builds against the full image's libicu-dev (found by review).
  pyicu: { how: 'links', libs: { bookworm: ['libicu72'], bullseye: ['libicu67'], trixie: ['libicu76'] } },
};

/**
 * The first release with a Linux wheel for a Python, of packages in SOURCE_BUILD_LIBS: an older
 * exact pin is built from its sdist on that Python, against the full image's libraries (found by
 * review: psycopg2-binary==2.9.3 on 3.11, whose first cp311 wheels came with 2.9.5). Where unsure,
 * the later release: libraries installed for nothing cost megabytes, missing ones an ImportError.
 */
const FIRST_WHEEL: Record<string, Record<string, string>> = {
  'psycopg2-binary': { '3.10': '2.9.2', '3.11': '2.9.5', '3.12': '2.9.9', '3.13': '2.9.10' },
  lxml: { '3.10': '4.6.4', '3.11': '4.9.2', '3.12': '4.9.3', '3.13': '5.3.0' },
  pyyaml: { '3.10': '6.0', '3.11': '6.0.1', '3.12': '6.0.1', '3.13': '6.0.2' },
  pillow: { '3.10': '8.4.0', '3.11': '9.3.0', '3.12': '10.1.0', '3.13': '11.0.0' },
};

/**
 * Packages that have Linux wheels with their libraries inside, and that a build from their sources
 * (`--no-binary lxml`) links against the full image's instead: what the slim final stage then needs.
 * Names as in FULL_IMAGE_LIBS; per release where a soname differs.
 */
const SOURCE_BUILD_LIBS: Record<string, string[] | Record<string, string[]>> = {
  lxml: ['libxml2', 'libxslt1.1'],
  pyyaml: ['libyaml-0-2'],
  'psycopg2-binary': ['libpq5'],
  'psycopg-binary': ['libpq5'],
  // (xcb: the full image has libxcb1-dev through ImageMagick's -dev packages, and Pillow's build links it; found by review.)
  pillow: {
    '': ['libjpeg62-turbo', 'libtiff6', 'libwebp7', 'libwebpmux3', 'libwebpdemux2', 'libfreetype6', 'liblcms2-2', 'libopenjp2-7', 'libxcb1'],
    bookworm: ['libjpeg62-turbo', 'libtiff6', 'libwebp7', 'libwebpmux3', 'libwebpdemux2', 'libfreetype6', 'liblcms2-2', 'libopenjp2-7', 'libxcb1'],
    trixie: ['libjpeg62-turbo', 'libtiff6', 'libwebp7', 'libwebpmux3', 'libwebpdemux2', 'libfreetype6', 'liblcms2-2', 'libopenjp2-7', 'libxcb1'],
    bullseye: ['libjpeg62-turbo', 'libtiff5', 'libwebp6', 'libwebpmux3', 'libwebpdemux2', 'libfreetype6', 'liblcms2-2', 'libopenjp2-7', 'libxcb1'],
  },
  // Pure Python or self-contained when built: nothing of the full image.
  cryptography: [], cffi: [], numpy: [], regex: [], ujson: [], markupsafe: [], simplejson: [], pydantic: [], 'pydantic-core': [], grpcio: [], gevent: [], greenlet: [],
};

export interface FullImageLibraries {
  /** Run-time packages the slim final stage installs. */
  packages: string[];
  notes: string[];
  /** A package whose library slimdock cannot name for this release. */
  blockers: string[];
}

/**
 * The libraries of the full image that the installed packages use (FULL_IMAGE_LIBS), for a final
 * stage that moves from the full python image to the slim one. `manifests` are the project files
 * the builder reads (context-relative): a pyproject's dependencies count, and a uv.lock's packages
 * too (transitive ones included), where a package locked with a Linux wheel needs nothing to link.
 */
export function fullImageLibraries(a: Analysis, build: BuildContext, fs: FileSystem, manifests: string[], codename: string): FullImageLibraries {
  const out: FullImageLibraries = { packages: [], notes: [], blockers: [] };
  // The libraries the final stage does not install yet, with a note that says why (`what` names them).
  const add = (libs: string[], what: (fresh: string) => string) => {
    // (Debian's t64 renames: the file's `libglib2.0-0t64` is the library `libglib2.0-0` names; found by review.)
    const installed = (l: string) => [l, `${l}t64`, l.replace(/t64$/, '')].some((n) => a.installedNames.has(n));
    const fresh = libs.filter((l) => !installed(l) && !a.addedRuntime.includes(l) && !out.packages.includes(l));
    if (!fresh.length) return;
    out.packages.push(...fresh);
    out.notes.push(`${what(fresh.join(', '))}, which the full python image had and the slim one lacks: the final stage installs ${fresh.length > 1 ? 'them' : 'it'}.`);
  };
  const names = installedRequirementNames(a, build, fs);
  const binaryExtra = new Set<string>();
  const specs = requirementSpecs(a, build, fs);
  let lockWheels: Map<string, boolean> | undefined;
  const lockSdists = new Set<string>();
  const pyMatch = /^(\d+)\.(\d+)$/.exec(a.base?.python ?? '');
  const py = pyMatch ? { major: Number(pyMatch[1]), minor: Number(pyMatch[2]) } : undefined;
  const locked = new Set<string>();
  const lockVersions = new Map<string, string>();
  // The dependencies a project declares elsewhere than pyproject.toml (found by review): setup.cfg's
  // install_requires, setup.py's install_requires list, a Pipfile's packages (and its lock's).
  const chosenAll = chosenExtras(a);
  for (const dir of projectFolders(a, build, manifests)) {
    for (const spec of declaredElsewhere(fs, build, dir, chosenAll)) {
      const r = parseRequirement(spec);
      if (r) names.add(r.normalized);
      specs.push(spec);
    }
  }
  for (const m of manifests) {
    const text = fs.readFile(ctxAbs(build, m));
    if (text === undefined) continue;
    if (m.endsWith('pyproject.toml')) {
      const project = parsePyproject(text).project;
      const chosen = chosenExtras(a);
      // The project's dependencies and the extras the installs choose (found by review: an extra not chosen counted).
      for (const d of project ? runtimeDependencies(project).filter((x) => x.kind !== 'optional' || chosen.all || chosen.names.has((x.group ?? '').toLowerCase())) : []) {
        if (d.requirement) names.add(d.requirement.normalized);
        specs.push(d.text);
      }
    } else if (m.endsWith('uv.lock')) {
      const lock = parseUvLock(text).lock;
      lockWheels = new Map();
      // What the syncs install from it (their groups and extras), not every package it lists (found by review).
      const project = fs.readFile(ctxAbs(build, m.replace(/uv\.lock$/, 'pyproject.toml')));
      const defaults = (project ? (tomlValues(project).value as { tool?: { uv?: { 'default-groups'?: unknown } } } | undefined) : undefined)?.tool?.uv?.['default-groups'];
      const installed = lock ? lockedInstalled(lock, a, defaults === 'all' ? 'all' : Array.isArray(defaults) ? defaults.filter((g): g is string => typeof g === 'string') : ['dev']) : new Set<string>();
      for (const p of lock?.packages ?? []) {
        if (!installed.has(p.normalized)) continue;
        locked.add(p.normalized);
        if (p.version) lockVersions.set(p.normalized, p.version);
        // A Linux wheel for the image's Python (`cp312` wheels do not serve 3.13: uv builds the sdist;
        // found by review), or any Linux wheel where that Python is not known.
        lockWheels.set(p.normalized, (lockWheels.get(p.normalized) ?? false) || p.wheels.some((w) => (py ? wheelRank(w.filename, py) >= 3 : /linux/.test(w.filename))));
        if (p.sdist) lockSdists.add(p.normalized);
      }
    }
  }
  const direct = new Set(names);
  // A compiled requirements file (pip-compile, uv pip compile) is a lock: a package it lists `# via`
  // another package, not `via -r …`, came as a dependency (found by review: `gitpython # via wandb`).
  for (const op of a.ops) {
    for (const f of requirementFiles(a, op, build, fs)) {
      const text = fs.readFile(f.file);
      if (!text || !/#\s*via\b/.test(text)) continue;
      for (const e of f.entries) {
        if (!e.requirement) continue;
        const comment = /^[^\n]*((?:\n[ \t]*#[^\n]*)*)/.exec(text.slice(e.end))?.[0] ?? '';
        if (/#\s*via\b/.test(comment) && !/(via|#)\s+-[rc]\s/.test(comment)) direct.delete(e.requirement.normalized);
      }
    }
  }
  for (const n of locked) names.add(n);
  // Built from sources on purpose (`--no-binary lxml`, in a requirements file, PIP_NO_BINARY): they
  // link the full image's libraries (found by review: lxml built from source lost libxslt on slim).
  const noBinary = new Set<string>();
  for (const op of a.ops) {
    op.args.forEach((w, i) => {
      const v = w.value === '--no-binary' ? op.args[i + 1]?.value : w.value.startsWith('--no-binary=') ? w.value.slice(12) : undefined;
      for (const n of v?.split(',') ?? []) if (n.trim()) noBinary.add(n.trim().toLowerCase());
    });
    for (const key of ['PIP_NO_BINARY', 'UV_NO_BINARY_PACKAGE']) for (const n of (op.cmd.env.get(key) ?? '').split(/[\s,]+/)) if (n) noBinary.add(n.toLowerCase());
    if (/^(1|true|yes|on)$/i.test(op.cmd.env.get('UV_NO_BINARY') ?? '')) noBinary.add(':all:');
    for (const f of requirementFiles(a, op, build, fs)) for (const n of f.noBinaryNames ?? []) noBinary.add(n.toLowerCase());
  }
  noBinary.delete(':none:');
  if (noBinary.has(':all:')) {
    out.blockers.push('every package is built from its sources (--no-binary :all:), against the full python image\'s libraries: slimdock cannot tell which of them the slim final stage needs.');
    return out;
  }
  // A locked package with no wheel for the image's Python is built from its sdist all the same (found by review: lxml on 3.13).
  const fromSdist = new Set([...lockSdists].filter((n) => lockWheels?.get(n) === false && SOURCE_BUILD_LIBS[n] !== undefined && !noBinary.has(n)));
  // An exact pin older than the first wheel for the image's Python: built from its sdist too (a
  // locked package's wheels are the lock's to say).
  const oldPins = new Map<string, string>();
  for (const spec of specs) {
    const r = parseRequirement(spec);
    const first = r && a.base?.python ? FIRST_WHEEL[r.normalized]?.[a.base.python] : undefined;
    const pin = r && /^===?\s*(\d[\w.]*)$/.exec(r.specifier.trim())?.[1];
    if (r && first && pin && (compareVersions(pin, first) ?? 0) < 0 && !noBinary.has(r.normalized) && !lockWheels?.has(r.normalized)) oldPins.set(r.normalized, `${pin} has no wheel for Python ${a.base!.python}: the first is ${first}`);
  }
  for (const raw of [...noBinary, ...fromSdist, ...oldPins.keys()].sort()) {
    const name = raw.replace(/[-_.]+/g, '-');
    const why = oldPins.get(raw) ?? (fromSdist.has(raw) ? `uv.lock has no wheel of ${name} for Python ${a.base?.python}` : '--no-binary');
    // (Named or not: a dependency of what is installed is built from its sources all the same. Found by review.)
    if (FULL_IMAGE_LIBS[name]) continue;
    const entry = SOURCE_BUILD_LIBS[name];
    const libs = entry === undefined ? undefined : Array.isArray(entry) ? entry : entry[codename];
    if (!libs) {
      out.blockers.push(`${name} is built from its sources (${why}), against the full python image's libraries: slimdock cannot tell which of them the slim final stage needs${entry ? ` on ${codename || 'the release this tag builds on'}` : ''}.`);
      continue;
    }
    add(libs, (fresh) => `${name} is built from its sources (${why}) against ${fresh}`);
  }
  // `psycopg[binary]` brings its own libpq (the psycopg-binary wheel).
  for (const s of specs) if (parseRequirement(s)?.normalized === 'psycopg' && parseRequirement(s)?.extras.includes('binary')) binaryExtra.add('psycopg');
  if (names.has('psycopg-binary')) binaryExtra.add('psycopg');
  for (const name of [...names].sort()) {
    const entry = FULL_IMAGE_LIBS[name];
    if (!entry || binaryExtra.has(name)) continue;
    if (entry.how === 'links' && lockWheels?.get(name)) continue;
    if (entry.how === 'runs' && !direct.has(name)) continue;
    const libs = Array.isArray(entry.libs) ? entry.libs : entry.libs[codename];
    if (!libs) {
      const releases = new Map<string, string[]>();
      for (const [release, l] of Object.entries(entry.libs)) releases.set(l.join(', '), [...(releases.get(l.join(', ')) ?? []), release]);
      const known = [...releases].map(([l, r]) => `${l} on ${r.join(' and ')}`).join('; ');
      out.blockers.push(`${name} uses a library of the full python image that the slim final stage lacks (${known}), and slimdock does not know its package on ${codename || 'the release this tag builds on'}.`);
      continue;
    }
    add(libs, (fresh) => `${name} ${{ links: 'is built against', loads: 'loads', runs: 'runs' }[entry.how]} ${fresh}`);
  }
  // OpenCV's GUI wheels before 4.3 load the X11 session libraries too (`ImportError: libSM.so.6`),
  // which the full image has through its -dev packages; from 4.3 the wheels carry what they need
  // of X11 (found by review). Only for a version that says so: an `==`/`<` bound below 4.3 or the lock's.
  // The version clauses the requirements give a package (`==4.1.2.30`, `<4.3`).
  const clauses = (name: string) => specs.flatMap((s) => { const r = parseRequirement(s); return r?.normalized === name ? r.specifier.split(',') : []; });
  for (const name of ['opencv-python', 'opencv-contrib-python']) {
    if (!names.has(name)) continue;
    const below = (v: string, orAt = false) => { const d = compareVersions(v, '4.3'); return d !== undefined && (d < 0 || (orAt && d === 0)); };
    const bounds = clauses(name);
    const old = bounds.some((c) => { const m = /^(===?|<=|<|~=)(\d.*)$/.exec(c); return !!m && below(m[2], m[1] === '<'); });
    const lockedVersion = lockVersions.get(name);
    if (old || (lockedVersion !== undefined && below(lockedVersion))) add(['libsm6', 'libxext6', 'libxrender1'], (fresh) => `${name} before 4.3 loads ${fresh}`);
  }
  // The headless wheels 4.13.0.90 shipped xcb libraries that load the system's libxcb.so.1
  // (opencv-python#1183, fixed in 4.13.0.92): pinned or locked at that version (found by review).
  for (const name of ['opencv-python-headless', 'opencv-contrib-python-headless']) {
    if (!names.has(name)) continue;
    const pinned = clauses(name).some((c) => /^===?4\.13\.0\.90$/.test(c));
    if (pinned || lockVersions.get(name) === '4.13.0.90') add(['libxcb1'], (fresh) => `${name} 4.13.0.90 loads ${fresh}`);
  }
  return out;
}

/** Context folders of the projects the installs install: the manifests' and the local paths' (`pip install .`). */
/** Commands that build a project's wheel or sdist in its folder (or the folder they name). */
const BUILDS_PACKAGE = (c: ShellCommand): boolean => {
  const w = c.argv.map((x) => x.value);
  if (/^python[\d.]*$/.test(c.name)) return (w[1] === '-m' && w[2] === 'build') || w.some((x, i) => /(^|\/)setup\.py$/.test(x) && /^(sdist|bdist_wheel|bdist)$/.test(w[i + 1] ?? ''));
  if (/^pip[\d.]*$/.test(c.name)) return w[1] === 'wheel';
  return (/^(hatch|poetry|pdm|flit|uv)$/.test(c.name) && w[1] === 'build') || c.name === 'pyproject-build';
};

/**
 * Manifests (context-relative `pyproject.toml` paths, which may not exist: their folders count for
 * setup.py and setup.cfg) of the projects whose wheel or sdist another stage built and an install
 * reads from it (`COPY --from=build /src/dist/*.whl /tmp/`): their dependencies are installed with
 * it (found by review: psycopg2, built from source on the full image, lost libpq5 on slim).
 */
export function stageProjectManifests(a: Analysis, build: BuildContext): string[] {
  const out = new Set<string>();
  for (const op of a.ops) {
    const lineage = opLineage(a, op);
    const before = lineage.slice(0, Math.max(0, lineage.indexOf(op.inst)));
    for (const w of [...(op.pkg?.packages ?? []), ...(op.pkg?.editables ?? [])]) {
      if (!/^["']?[./]/.test(w.value) || requirementName(w.value)) continue;
      const imagePath = resolvePath(opDir(op), substitute(w.value, op.cmd.env).replace(/\[[^\]]*\]$/, ''));
      const copy = [...before].reverse().find((i) => copyCovers(i, imagePath));
      const from = copy?.flags.get('from')?.[0]?.toLowerCase();
      const stage = from === undefined ? undefined : a.model.stages.find((st) => st.name?.toLowerCase() === from);
      if (!stage) continue;
      const insts = stageLineage(stage);
      for (const inst of insts) {
        let cwd = inst.workdir;
        for (const c of inst.run?.commands ?? []) {
          if (c.name === 'cd' && c.argv[1] && !c.argv[1].dynamic) cwd = resolvePath(cwd, substitute(c.argv[1].value, c.env));
          if (!BUILDS_PACKAGE(c)) continue;
          // The folder it names (`pip wheel -w dist .`, `python -m build ./pkg`), or where it runs.
          const named = c.argv.slice(2).find((x, i, all) => !x.value.startsWith('-') && !/^-(w|o|-wheel-dir|-outdir|-out-dir)$/.test(all[i - 1]?.value ?? '') && /^[./]/.test(x.value));
          const dir = named ? resolvePath(cwd, substitute(named.value, c.env)) : cwd;
          const rel = contextPathOf(resolvePath(dir, 'pyproject.toml'), inst, insts, build) ?? contextPathOf(resolvePath(dir, 'setup.py'), inst, insts, build)?.replace(/setup\.py$/, 'pyproject.toml');
          if (rel !== undefined) out.add(rel);
        }
      }
    }
  }
  return [...out];
}

function projectFolders(a: Analysis, build: BuildContext, manifests: string[]): string[] {
  const out = new Set(manifests.map((m) => (m.includes('/') ? m.slice(0, m.lastIndexOf('/')) : '')));
  for (const op of a.ops) {
    const rel = contextPathOf(projectDir(op), op.inst, opLineage(a, op), build);
    if (rel !== undefined && build.stat(rel === '' ? '.' : rel) !== 'file') out.add(rel);
  }
  return [...out];
}

/**
 * Requirement strings of setup.cfg, setup.py (its literal install_requires list, and the lists of
 * the extras the installs choose in extras_require) and Pipfile/Pipfile.lock in a context folder.
 */
function declaredElsewhere(fs: FileSystem, build: BuildContext, dir: string, chosen: { all: boolean; names: Set<string> }): string[] {
  const read = (name: string) => {
    const rel = dir ? `${dir}/${name}` : name;
    return build.stat(rel) === 'file' && !build.ignored(rel) ? fs.readFile(ctxAbs(build, rel)) : undefined;
  };
  const out: string[] = [];
  const cfg = read('setup.cfg');
  const block = cfg && /^install_requires\s*=[ \t]*(.*(?:\r?\n[ \t]+.*)*)/m.exec(cfg);
  if (block) out.push(...block[1].split(/[\r\n;]+/).map((l) => l.replace(/#.*/, '').trim()).filter(Boolean));
  const py = read('setup.py');
  // The literal list's strings, up to its closing bracket outside them (`"uvicorn[standard]"` holds one).
  const start = py ? /install_requires\s*=\s*\[/.exec(py) : null;
  if (py && start) {
    for (const m of py.slice(start.index + start[0].length).matchAll(/(["'])([^"'\n]*)\1|(\])/g)) {
      if (m[3]) break;
      out.push(m[2]);
    }
  }
  // `extras_require={"postgres": ["psycopg2>=2.9"], …}` (a literal dict of literal lists): the lists
  // of the chosen extras (found by review: `pip install ".[postgres]"` went without libpq5).
  const extras = py ? /extras_require\s*=\s*\{/.exec(py) : null;
  if (py && extras) {
    let key: string | undefined;
    let inList = false;
    for (const m of py.slice(extras.index + extras[0].length).matchAll(/(["'])([^"'\n]*)\1|([[\]}])/g)) {
      if (m[3] === '}' && !inList) break;
      if (m[3] === '[') inList = true;
      else if (m[3] === ']') (inList = false), (key = undefined);
      else if (!inList) key = m[2];
      else if (key !== undefined && (chosen.all || chosen.names.has(normalizeName(key)) || chosen.names.has(key.toLowerCase()))) out.push(m[2]);
    }
  }
  const cfgExtras = cfg && /^\[options\.extras_require\][ \t]*\r?\n((?:(?!\[).*(?:\r?\n|$))*)/m.exec(cfg);
  if (cfgExtras) {
    let key: string | undefined;
    for (const line of cfgExtras[1].split(/\r?\n/)) {
      const kv = /^([A-Za-z0-9_.-]+)\s*=\s*(.*)$/.exec(line);
      if (kv) key = kv[1];
      const value = (kv ? kv[2] : /^\s/.test(line) ? line : '').replace(/#.*/, '').trim();
      if (key !== undefined && value && (chosen.all || chosen.names.has(normalizeName(key)) || chosen.names.has(key.toLowerCase()))) out.push(...value.split(';').map((x) => x.trim()).filter(Boolean));
    }
  }
  // Requirements files the project reads its dependencies from: setup.py's `open("requirements.txt")`,
  // pyproject's `[tool.setuptools.dynamic] dependencies = { file = [...] }` (found by review).
  const files = new Set<string>();
  for (const m of (py ?? '').matchAll(/["']([\w./-]*requirements[\w.-]*\.(?:txt|in))["']/g)) files.add(m[1]);
  const pyproject = read('pyproject.toml');
  const dynamic = pyproject ? tomlValues(pyproject).value : undefined;
  const fromFile = (dynamic as { tool?: { setuptools?: { dynamic?: { dependencies?: { file?: unknown } } } } } | undefined)?.tool?.setuptools?.dynamic?.dependencies?.file;
  for (const f of Array.isArray(fromFile) ? fromFile : typeof fromFile === 'string' ? [fromFile] : []) if (typeof f === 'string') files.add(f);
  for (const f of files) {
    const text = read(f.replace(/^\.\//, ''));
    if (text) out.push(...text.split(/\r?\n/).map((l) => l.replace(/#.*/, '').trim()).filter((l) => l && !l.startsWith('-')));
  }
  const pipfile = read('Pipfile');
  const packages = pipfile ? tomlValues(pipfile).value?.packages : undefined;
  if (packages && typeof packages === 'object') out.push(...Object.keys(packages as object));
  const lock = read('Pipfile.lock');
  if (lock) {
    try {
      const json = JSON.parse(lock) as { default?: Record<string, unknown> };
      if (json.default && typeof json.default === 'object') out.push(...Object.keys(json.default));
    } catch {
      // An unreadable lock names nothing.
    }
  }
  return out;
}

/** Options of uv sync and poetry install that take a value, as optionsOf reads them. */
const SYNC_GROUP_OPTIONS = new Set(['--group', '--only-group', '--no-group', '--extra', '--package', '--project', '--directory']);
const EXTRA_OPTIONS = new Set(['--extra', '-E', '--extras', '--group', '--only-group', '--with', '--without', '--only']);

/** A marker that only holds off Linux (`sys_platform == 'win32'`, `platform_system == "Darwin"`). */
const NOT_LINUX = /(sys_platform|platform_system)\s*==\s*["'](win32|cygwin|darwin|Windows|Darwin)["']/;

/**
 * The packages of a uv.lock the old syncs install: the project's dependencies (unless only groups
 * are asked for), the extras chosen (`--extra`, `--all-extras`), the groups chosen (`--group`,
 * `--only-group`, and `dev` where the builder keeps it: an image that runs dev tooling), and theirs,
 * through every edge whose marker may hold on Linux.
 */
function lockedInstalled(lock: UvLock, a: Analysis, defaultGroups: string[] | 'all' = ['dev']): Set<string> {
  const out = new Set<string>();
  const root = lock.root;
  if (!root) {
    for (const p of lock.packages) out.add(p.normalized);
    return out;
  }
  const chosen = chosenExtras(a);
  const extras = chosen.names;
  const allExtras = chosen.all;
  const groups = new Set<string>();
  let onlyGroups = false;
  for (const op of a.ops) {
    if (op.kind !== 'uv-sync') continue;
    const o = optionsOf(op.args, SYNC_GROUP_OPTIONS);
    for (const g of [...(o.get('--group') ?? []), ...(o.get('--only-group') ?? [])]) groups.add(g);
    if (o.has('--only-group')) onlyGroups = true;
    if (o.has('--all-groups')) for (const g of root.devDependencies.keys()) groups.add(g);
    // uv's default groups (`[tool.uv] default-groups`, `dev` unless said otherwise): the builder leaves
    // out `dev` only (UV_NO_DEV), where the image runs no dev tooling (found by review: a `postgres` group).
    if (!o.has('--no-default-groups') && !o.has('--only-group') && !envTrue(op.cmd.env.get('UV_NO_DEFAULT_GROUPS'))) {
      for (const g of defaultGroups === 'all' ? [...root.devDependencies.keys()] : defaultGroups) if (g !== 'dev') groups.add(g);
    }
    if (a.devRun && !o.has('--no-dev') && !envTrue(op.cmd.env.get('UV_NO_DEV'))) groups.add('dev');
  }
  // The workspace members a sync picks (`--package api`, `--all-packages`): theirs as the root's
  // (found by review: a member's psycopg2 went without libpq5).
  const picked = new Set<string>();
  for (const op of a.ops) {
    if (op.kind !== 'uv-sync') continue;
    for (const name of optionsOf(op.args, SYNC_GROUP_OPTIONS).get('--package') ?? []) picked.add(normalizeName(name));
    if (op.args.some((w) => w.value === '--all-packages')) for (const m of lock.members) picked.add(normalizeName(m));
  }
  const roots = [root, ...[...picked].flatMap((n) => lock.byName.get(n) ?? [])];
  const todo: LockedDependency[] = [];
  for (const r of roots) {
    if (!onlyGroups) todo.push(...r.dependencies);
    for (const [extra, deps] of r.optionalDependencies) if (allExtras || extras.has(extra)) todo.push(...deps);
    for (const g of groups) todo.push(...(r.devDependencies.get(g) ?? []));
  }
  while (todo.length) {
    const d = todo.pop()!;
    if ((d.marker && NOT_LINUX.test(d.marker)) || out.has(`${d.normalized}[${d.extras.join(',')}]`)) continue;
    out.add(`${d.normalized}[${d.extras.join(',')}]`);
    out.add(d.normalized);
    for (const p of lock.byName.get(d.normalized) ?? []) {
      todo.push(...p.dependencies);
      for (const e of d.extras) todo.push(...(p.optionalDependencies.get(e) ?? []));
    }
  }
  return out;
}

/** The project extras the installs choose: `uv sync --extra x`/`--all-extras`, poetry's `-E`/`--extras`/`--all-extras`, `pip install ".[x]"`. */
function chosenExtras(a: Analysis): { all: boolean; names: Set<string> } {
  const names = new Set<string>();
  let all = false;
  for (const op of a.ops) {
    const o = optionsOf(op.args, EXTRA_OPTIONS);
    // An extra from a build argument (`".[${DB_EXTRA}]"`, `--extra $X`) is its default; one slimdock
    // cannot read may be any: every extra counts then (found by review: psycopg2 through
    // `.[${DB_EXTRA}]` went without libpq5).
    const add = (e: string) => {
      const v = substitute(e, op.cmd.env).trim();
      if (v.includes('$')) all = true;
      else if (v) names.add(v.toLowerCase());
    };
    for (const v of [...(o.get('--extra') ?? []), ...(o.get('-E') ?? []), ...(o.get('--extras') ?? [])]) for (const e of substitute(v, op.cmd.env).split(/\s+/)) add(e);
    if (o.has('--all-extras')) all = true;
    for (const w of [...(op.pkg?.packages ?? []), ...(op.pkg?.editables ?? [])]) {
      const m = /^["']?(?:\.|\/|file:)[^[]*\[([^\]]*)\]/.exec(w.value);
      if (m) for (const e of substitute(m[1], op.cmd.env).split(',')) add(e);
    }
  }
  return { all, names };
}
