// What runs at start-up (CMD, ENTRYPOINT, HEALTHCHECK), adapted to the new layout:
// - console scripts named by their old path: pip (and `uv pip install --system`) put a package's
//   scripts in /usr/local/bin; in the virtual-environment layout they are in <venv>/bin, and
//   `ENTRYPOINT ["/usr/local/bin/moto_server"]` would name a file that no longer exists;
// - `uv run …` / `poetry run …`: the tool stays in the builder, and the environment it would pick
//   is on PATH in the final stage, so the command runs directly (uv's Docker guide does the same).
import { resolvePath, substitute, type InstructionModel } from '../parse/dockerfile';
import type { BuildContext } from '../buildcontext';
import type { FileSystem } from '../fs';
import type { ShellCommand } from '../parse/shell';
import { startupCommands, keptCommands, keptText, opDir, scriptToolchain, type Analysis, type PyOp } from './analyze';
import { tomlValues } from '../python/toml';
import { contextSources } from '../parse/dockerfile';
import { devToolUse, devToolRun, usesTool } from '../rules/python';
import { CALLED_SCRIPT } from '../rules/context-files';
import { envTrue } from '../rules/python-tools';
import { contextFileText, contextPathOf, copyTarget, ctxAbs, scriptOf, scriptWord } from './context-map';
import { intoVirtualEnv } from './builder';
import { escapeRegExp } from '../regexp';

const RUNS_AT_START = new Set(['CMD', 'ENTRYPOINT', 'HEALTHCHECK']);
/** `sudo -E -u app gunicorn …`: sudo running Python or a common Python console script by its bare name. */
// (Its options combined too, `-Eu app`; and `"$@"`, the CMD, which names the app's program: found by review.)
const SUDO_PYTHON = /\bsudo(?:\s+(?:-[EHnPkSi]*[ugCh]\s+\S+|-[EHnPkSi]+|--preserve-env(?:=\S+)?|--user=\S+))*\s+(?:(?:python[\d.]*|pip[\d.]*|gunicorn|uvicorn|celery|flask|django-admin|alembic|daphne|hypercorn|uwsgi|streamlit|jupyter|airflow)\b|"?\$(?:@|\{@\})"?)/;
const SCRIPT_PATH = /\/usr\/local\/bin\/([A-Za-z0-9_.+-]+)/g;
/** A login shell (`bash -lc`, `sh --login`, `su - web`, `runuser -l web`): /etc/profile sets PATH anew. */
const LOGIN_SHELL = /(?:^|[\s;&|(`"'])(?:(?:\/\S*\/)?(?:ba|da|z)?sh\s+(?:-[a-km-zA-Z]*l[a-zA-Z]*|--login)(?=\s|$)|(?:su|runuser)\s+(?:-|-l|--login)(?=\s|$))/m;

/** A Python script run by its path in a shell script (`/app/scripts/prestart.py`, `./manage.py`). */
const CALLED_PY = /(?:^|[;&|(!]|\b(?:exec|then|do|else|nohup|until|while|if|time|command)|\btimeout\s+\S+|\b(?:gosu|su-exec)\s+\S+)[ \t]*((?:\.{0,2}\/|\/)[\w./-]+\.py)(?=[\s;&|)"']|$)/gm;

/**
 * The system Python by its path (`python`), as a whole word (`word`), and its pip by its path
 * (`pip`: it installs where the virtual environment's Python does not look): the python image's in
 * /usr/local/bin; on a distro base its own in /usr/bin too (found by review on debian and ubuntu bases).
 */
function systemInterpreter(distro: boolean): { python: RegExp; word: RegExp; pip: RegExp } {
  const bin = distro ? '\\/usr(?:\\/local)?\\/bin' : '\\/usr\\/local\\/bin';
  return { python: new RegExp(`${bin}\\/python[\\d.]*(?![\\w.+-])`), word: new RegExp(`^${bin}\\/python[\\d.]*$`), pip: new RegExp(`${bin}\\/pip[\\d.]*(?![\\w.+-])`) };
}
/** A path into the system Python's site-packages (or a distro's dist-packages). */
const SITE_PACKAGES = /\/usr\/(?:local\/)?lib\/python3[\d.]*\/(?:site|dist)-packages\b[^\s;"']*/;
/** What /usr/local/bin holds before any install: the python image's interpreter and tools, uv in uv's images. */
const FROM_BASE = /^(python|pip|idle|pydoc|2to3|wheel|easy_install)[\d.-]*(-config)?$|^(docker-entrypoint\.sh|uv|uvx)$/;

export interface ScriptRewrite {
  replaced: Map<InstructionModel, string>;
  notes: string[];
  /** Instructions kept as they are, with the reason their run tool cannot go (the caller refuses). */
  kept?: Map<InstructionModel, string>;
}

/** The old installs went into the user's site (`pip install --user`, PIP_USER). */
function userInstalls(a: Analysis): boolean {
  return a.ops.some((o) => o.args.some((w) => w.value === '--user') || envTrue(o.cmd.env.get('PIP_USER')));
}

/** `~/.local/bin/gunicorn` by its path (`/root/.local/bin/…`, `/home/app/.local/bin/…`). */
const USER_BIN = /(?:~|\$\{?HOME\}?|\/root|\/home\/[\w.-]+)\/\.local\/bin\/([A-Za-z0-9_.+-]+)/g;

/**
 * Where the old installs went into the user's site (`pip install --user`, PIP_USER): each kept
 * CMD/ENTRYPOINT/HEALTHCHECK that names a console script by its `~/.local/bin` path names `bin`'s
 * instead (the environment's, or /usr/local/bin in the system layout). Found by review.
 */
export function userScripts(a: Analysis, bin: string, before: ScriptRewrite): ScriptRewrite {
  const out: ScriptRewrite = { replaced: new Map(before.replaced), notes: [...before.notes] };
  if (!userInstalls(a)) return out;
  for (const inst of a.chain.flatMap((s) => s.instructions)) {
    if (!RUNS_AT_START.has(inst.keyword) || a.removed.has(inst)) continue;
    const text = out.replaced.get(inst) ?? a.model.text.slice(inst.start, inst.end);
    const moved: string[] = [];
    const next = text.replace(USER_BIN, (whole, name: string) => {
      // A file the Dockerfile copies there itself stays where it is (found by review).
      const home = /^\/(root|home\/[\w.-]+)\//.exec(whole)?.[0].replace(/\/$/, '') ?? (inst.user === 'root' ? '/root' : `/home/${inst.user}`);
      if (madeInImage(a, name, [], `${home}/.local/bin`)) return whole;
      moved.push(whole);
      return `${bin}/${name}`;
    });
    if (!moved.length) continue;
    out.replaced.set(inst, next);
    out.notes.push(`line ${inst.node.getRange().start.line + 1}: ${inst.keyword} names ${[...new Set(moved)].join(', ')}: the installs put ${moved.length > 1 ? 'those scripts' : 'that script'} in ${bin} now, so the ${inst.keyword} names that path.`);
  }
  return out;
}

/**
 * The new text of each kept CMD/ENTRYPOINT/HEALTHCHECK of the chain that names a script in
 * /usr/local/bin that the old installs put there: neither the base image's nor made by an
 * instruction of the file (a COPY there, `ln -s`/`mv`/`curl -o` in a RUN).
 */
export function movedScripts(a: Analysis, venv: string, before: ScriptRewrite = { replaced: new Map(), notes: [] }): ScriptRewrite {
  const out: ScriptRewrite = { replaced: new Map(before.replaced), notes: [...before.notes] };
  const insts = a.chain.flatMap((s) => s.instructions);
  for (const inst of insts) {
    if (!RUNS_AT_START.has(inst.keyword) || a.removed.has(inst)) continue;
    const text = out.replaced.get(inst) ?? a.model.text.slice(inst.start, inst.end);
    const moved: string[] = [];
    // A distro's interpreter by its path (`ENTRYPOINT ["/usr/bin/python3", "-m", "uvicorn"]`): the environment's (found by review).
    const distro = a.base?.kind === 'distro' ? text.replace(/(?<![\w./-])\/usr\/bin\/(python3(?:\.\d+)?)(?![\w.+-])/g, (_w, name: string) => {
      moved.push(name);
      return `${venv}/bin/${name}`;
    }) : text;
    const next = distro.replace(SCRIPT_PATH, (whole, name: string) => {
      // The interpreter by its path runs without the environment's packages: the environment's one (found by review).
      // (And pip by its path, which the environment then gets: index.ts adds it where something runs pip.)
      if (/^(python|pip)[\d.]*$/.test(name) && !madeInImage(a, name)) {
        moved.push(name);
        return `${venv}/bin/${name}`;
      }
      if (FROM_BASE.test(name) || madeInImage(a, name)) return whole;
      moved.push(name);
      return `${venv}/bin/${name}`;
    });
    if (!moved.length) continue;
    out.replaced.set(inst, next);
    const line = inst.node.getRange().start.line + 1;
    out.notes.push(`line ${line}: ${inst.keyword} names ${[...new Set(moved)].map((n) => `${a.base?.kind === 'distro' && /^python3/.test(n) && !text.includes(`/usr/local/bin/${n}`) ? '/usr/bin' : '/usr/local/bin'}/${n}`).join(', ')}: the installs put ${moved.length > 1 ? 'those scripts' : /^python/.test(moved[0]) ? 'the packages' : 'that script'} in ${venv}${/^python/.test(moved[0]) && moved.length === 1 ? `, whose ${venv}/bin/${moved[0]} sees them` : '/bin'} now, so the ${inst.keyword} names that path.`);
  }
  return out;
}

/** True when `i` is a COPY/ADD that puts a file named `name` in /usr/local/bin. */
function copiesToLocalBin(i: InstructionModel, name: string, dir = '/usr/local/bin'): boolean {
  const t = copyTarget(i);
  if (!t) return false;
  return t.dest === `${dir}/${name}` || (t.dest.replace(/\/+$/, '') === dir && t.args.slice(0, -1).some((s) => s.split('/').pop() === name));
}
/**
 * A file the Dockerfile itself puts at `dir/name` (a COPY there, a RUN that names the path other
 * than as the target of a link: `ln -sf /usr/local/bin/python3 /usr/bin/python3` makes nothing
 * there; found by review).
 */
/** `curl -fsSL -o /usr/local/bin/tini …`, `wget -O /usr/local/bin/x …`: the command downloads a file to `path`. */
function downloadsTo(c: ShellCommand, path: string): boolean {
  const options = c.name === 'curl' ? /^(-[a-zA-Z]*o|--output)$/ : c.name === 'wget' ? /^(-[a-zA-Z]*O|--output-document)$/ : undefined;
  if (!options) return false;
  return c.argv.some((w, k) => (options.test(w.value) && c.argv[k + 1]?.value === path) || w.value === `--output=${path}` || w.value === `--output-document=${path}` || (c.name === 'wget' ? w.value === `-O${path}` : w.value === `-o${path}`));
}

/** The RUN downloads the program `name` into `dir` itself (found by review: tini fetched with curl was read as a configuration naming it). */
function downloadedBy(i: InstructionModel, name: string, dir = '/usr/local/bin'): boolean {
  return (i.run?.commands ?? []).some((c) => downloadsTo(c, `${dir}/${name}`));
}

function madeInImage(a: Analysis, name: string, except: readonly InstructionModel[] = [], dir = '/usr/local/bin'): boolean {
  const path = `${dir}/${name}`;
  return a.chain.flatMap((s) => s.instructions).some((i) => {
    if (except.includes(i)) return false;
    if (i.keyword !== 'RUN') return copiesToLocalBin(i, name, dir);
    if (downloadedBy(i, name, dir)) return true;
    // `mv /tmp/ffmpeg-*-static/ffmpeg /usr/local/bin/`: a file of that name moved or copied into the folder (found by review).
    const into = (i.run?.commands ?? []).some((c) => {
      if (!/^(mv|cp|install|ln)$/.test(c.name)) return false;
      const ops = c.argv.slice(1).filter((w) => !w.value.startsWith('-')).map((w) => w.value);
      return ops.length > 1 && ops[ops.length - 1].replace(/\/+$/, '') === dir && ops.slice(0, -1).some((src) => src.split('/').pop() === name);
    });
    if (into) return true;
    const mentions = a.model.text.slice(i.start, i.end).split(path).length - 1;
    const linkTargets = (i.run?.commands ?? []).filter((c) => c.name === 'ln' && c.argv.slice(1).filter((w) => !w.value.startsWith('-')).length > 1 && c.argv.slice(1).find((w) => !w.value.startsWith('-'))?.value === path).length;
    return mentions > linkTargets;
  });
}

/** `uv run` options that only choose or freeze the environment the builder already made. */
const UV_RUN = /^(?:uv|\/\S*\/uv)\s+run\s+((?:(?:--no-sync|--frozen|--locked|--no-dev|--offline|--quiet|-q|--no-project)\s+|--project(?:=|\s+)[^\s"']+\s+)*)(?=[^\s-])/;
const POETRY_RUN = /^(?:poetry|\/\S*\/poetry)\s+run\s+(?=[^\s-])/;
const PIPENV_RUN = /^(?:pipenv|\/\S*\/pipenv)\s+run\s+(?=[^\s-])/;
/** Shell text with `uv run [env options]` / `poetry run` / `pipenv run` (when `pipenv` is true) dropped where a command starts (the start, after `&&`, `||`, `;`, `exec`). */
function dropRunTool(text: string, pipenv: boolean, aliases: ReadonlySet<string> = new Set()): string {
  return text.replace(/(^|&&|\|\||;|\bexec\b)(\s*)((?:uv|poetry|pipenv|\/\S*\/(?:uv|poetry|pipenv))\s+run\s+[^&|;]*)/g, (whole, sep: string, blank: string, rest: string) => {
    const uv = UV_RUN.exec(rest);
    const p = pipenv ? PIPENV_RUN.exec(rest) : null;
    const m = uv ?? POETRY_RUN.exec(rest) ?? (p && !aliases.has(rest.slice(p[0].length).split(/\s/)[0].replace(/^["']|["']$/g, '')) ? p : null);
    if (!m) return whole;
    // `uv run main.py` runs the script with the environment's python (found by review: `CMD main.py`).
    const command = rest.slice(m[0].length);
    return `${sep}${blank}${uv && /^(['"]?)[^\s'"]+\.py\1(\s|$)/.test(command) ? 'python ' : ''}${command}`;
  });
}

/**
 * The new text of each kept CMD/ENTRYPOINT/HEALTHCHECK that starts a command with `uv run`,
 * `poetry run` or `pipenv run` (exec form, shell form, or inside `sh -c '…'`), without it. Options
 * that pick something else (`--with`, `--env-file`, `--directory`, `--python` …) keep the text as it
 * is (the caller then refuses the rewrite, as for any packaging tool at run time). `pipenv run` also
 * loads a `.env` file: it stays where one may be there (`dotenv`), and the caller refuses.
 */
export function withoutRunTool(a: Analysis, build: BuildContext, fs: FileSystem): ScriptRewrite {
  const out: ScriptRewrite = { replaced: new Map(), notes: [] };
  const pipenv = pipenvRun(a, build, fs);
  const drop = (t: string) => dropRunTool(t, pipenv.droppable, pipenv.scripts);
  for (const inst of a.chain.flatMap((s) => s.instructions)) {
    if (!RUNS_AT_START.has(inst.keyword) || a.removed.has(inst)) continue;
    const text = a.model.text.slice(inst.start, inst.end);
    if (!/\b(uv|poetry|pipenv)\b/.test(text)) continue;
    // `uv run report.py` with inline metadata (`# /// script`, PEP 723): uv runs it in an environment
    // of its own, with the packages the script declares, not the project's (found by review).
    // (Short options and global ones too, `uv --quiet run -q x.py`, and an option's value, `--python 3.12`: found by review.)
    // (Only options that take a value take the next word: `--frozen python x.py` runs python; found by review.)
    const inline = [...text.matchAll(/\buv["',\s]+(?:(?:--(?:directory|project|config-file|cache-dir|color)["',\s]+[^\s"',]+|-[\w-]+)["',\s]+)*run["',\s]+(?:(?:--(?:with|with-editable|with-requirements|python|project|directory|env-file|extra|group|only-group|no-group|package|index|config-file|cache-dir|color)|-[pw])(?:=[^\s"',]+|["',\s]+[^\s"',]+)["',\s]+|-{1,2}[\w-]+(?:=[^\s"',]+)?["',\s]+)*["']?([\w./@+-]+\.py)\b/g)].map((m) => m[1]).find((py) => /^# \/\/\/ script[ \t]*$/m.test(contextFileText(resolvePath(inst.workdir, py), inst, a.chain.flatMap((st) => st.instructions), build, fs) ?? ''));
    if (inline) {
      (out.kept ??= new Map()).set(inst, `the ${inst.keyword} at line ${inst.node.getRange().start.line + 1} runs \`uv run ${inline}\`, a script with inline metadata (\`# /// script\`): uv runs it in an environment of the packages it declares, which the project's environment does not hold.`);
      continue;
    }
    const open = text.search(/\[\s*"/);
    let next = text;
    if (open >= 0 && text.trimEnd().endsWith(']')) {
      let words: unknown;
      try {
        words = JSON.parse(text.slice(open).replace(/\\\r?\n/g, ' '));
      } catch {
        continue;
      }
      if (!Array.isArray(words) || !words.every((w) => typeof w === 'string')) continue;
      const joined = drop((words as string[]).map((w) => (/\s/.test(w) ? '\u0000' : w)).join(' '));
      let list = words as string[];
      if (joined !== list.map((w) => (/\s/.test(w) ? '\u0000' : w)).join(' ')) {
        // Only the words before the command went: keep the rest as they were (and `python` before a
        // script uv ran, which dropRunTool put in front).
        const kept = joined.split(' ').length;
        const script = joined.startsWith('python ') && list[list.length - kept] !== 'python';
        list = script ? ['python', ...list.slice(list.length - kept + 1)] : list.slice(list.length - kept);
      }
      list = list.map((w) => (/\s/.test(w) ? drop(w) : w));
      next = `${text.slice(0, open)}[${list.map((w) => JSON.stringify(w)).join(', ')}]`;
      if (JSON.stringify(list) === JSON.stringify(words)) next = text;
    } else {
      // (A HEALTHCHECK's options before its CMD, `HEALTHCHECK --interval=30s CMD uv run …`: found by review.)
      const keyword = /^\s*\S+\s+(?:(?:--\S+(?:\s|\\\r?\n)+)*CMD\s+)?/i.exec(text)?.[0] ?? '';
      next = keyword + drop(text.slice(keyword.length));
    }
    if (next === text) continue;
    const tool = /\bpoetry\b/.test(text) ? 'poetry' : /\bpipenv\b/.test(text) ? 'pipenv' : 'uv';
    // `uv run` syncs first: where every sync of the old file left the project out
    // (`--no-install-project`), it installed the project at start-up, which the image run directly
    // would not have (found by review: `scraper` not found).
    const syncs = a.ops.filter((o) => o.kind === 'uv-sync');
    // (A package only: a virtual project, without [build-system] or with `package = false`, is never installed; found by review.)
    const pyproject = syncs.length ? contextFileText(resolvePath(opDir(syncs[0]), 'pyproject.toml'), syncs[0].inst, a.chain.flatMap((st) => st.instructions), build, fs) ?? '' : '';
    const isPackage = /^\s*package\s*=\s*true\b/m.test(pyproject) || (/^\s*\[build-system\]/m.test(pyproject) && !/^\s*package\s*=\s*false\b/m.test(pyproject));
    if (tool === 'uv' && isPackage && syncs.every((o) => o.args.some((w) => w.value === '--no-install-project')) && !/--no-sync\b|--no-project\b|UV_NO_SYNC/.test(text) && !envTrue(inst.env.get('UV_NO_SYNC'))) {
      (out.kept ??= new Map()).set(inst, `the ${inst.keyword} at line ${inst.node.getRange().start.line + 1} runs \`uv run\`, which installed the project at start-up (the old syncs left it out with --no-install-project): run directly, the image would not have it.`);
      continue;
    }
    out.replaced.set(inst, next);
    out.notes.push(`line ${inst.node.getRange().start.line + 1}: the ${inst.keyword} ran its command through \`${tool} run\`; the tool stays in the builder stage and the environment is on PATH, so the command runs directly${tool === 'pipenv' ? ' (pipenv run also read a .env file of the project folder: the image has none, and one mounted there at run time is not read now: pass its variables with --env-file)' : ''}.`);
  }
  return out;
}

/**
 * Whether `pipenv run` may be dropped: a pipenv project, and no `.env` file pipenv would read in the
 * image (one a location names, one in the build context or a copied folder, one a COPY or RUN puts
 * there: found by review; not one a RUN deletes), unless PIPENV_DONT_LOAD_ENV; with the Pipfile's
 * `[scripts]`, which `pipenv run serve` runs and no program is.
 */
function pipenvRun(a: Analysis, build: BuildContext, fs: FileSystem): { droppable: boolean; scripts: Set<string> } {
  const op = a.ops.find((o) => o.kind === 'pipenv');
  if (!op) return { droppable: false, scripts: new Set() };
  const model = a.model;
  const isEnv = (v: string) => /(^|\/)\.env$/.test(v);
  const sent = (rel: string) => build.stat(rel) === 'file' && !build.ignored(rel);
  const inImage = a.chain.some((st) => st.instructions.some((i) => {
    const t = copyTarget(i);
    if (t) return isEnv(t.args[t.args.length - 1]) || contextSources(i).some((src) => { const rel = src.replace(/^(\.\/)+/, '').replace(/\/+$/, ''); return sent(rel && rel !== '.' ? `${rel}/.env` : '.env'); });
    if (!i.run) return false;
    return i.run.commands.some((c) => /^(cp|mv|ln|install|touch|tee)$/.test(c.name) && c.argv.slice(1).some((w) => isEnv(w.value))) || /(^|[^>])>>?[ \t]*["']?[^\s"';&|>]*\.env(?![\w.-])/.test(model.text.slice(i.start, i.end));
  }));
  const loads = !/^(1|true|yes|on)$/i.test(op.cmd.env.get('PIPENV_DONT_LOAD_ENV') ?? '') && (op.cmd.env.has('PIPENV_DOTENV_LOCATION') || inImage || (build.stat('.env') !== undefined && !build.ignored('.env')));
  const pipfile = contextPathOf(resolvePath(opDir(op), 'Pipfile'), op.inst, a.chain.flatMap((st) => st.instructions), build);
  const scripts = pipfile ? tomlValues(fs.readFile(ctxAbs(build, pipfile)) ?? '').value?.scripts : undefined;
  return { droppable: !loads, scripts: new Set(scripts && typeof scripts === 'object' ? Object.keys(scripts) : []) };
}

/**
 * The scripts a kept CMD/ENTRYPOINT/HEALTHCHECK runs (`./entrypoint.sh`, `/docker-entrypoint.sh`,
 * `bash start.sh`, `/opt/app/startup`, a name COPY put in /usr/local/bin), with the instruction and
 * their image path (variables substituted; after `cd dir &&`, relative to dir).
 */
function startupScripts(a: Analysis, build?: BuildContext): { inst: InstructionModel; path: string; word: string; optional?: boolean }[] {
  const out: { inst: InstructionModel; path: string; word: string; optional?: boolean }[] = [];
  for (const inst of a.chain.flatMap((s) => s.instructions)) {
    if (!RUNS_AT_START.has(inst.keyword) || a.removed.has(inst)) continue;
    let cwd = inst.workdir;
    for (const raw of startupCommands(a.model.text.slice(inst.start, inst.end))) {
      const words = raw.map((w) => substitute(w, inst.env));
      if (words[0] === 'cd' && words[1]) {
        cwd = resolvePath(cwd, words[1]);
        continue;
      }
      // A Python script run by the interpreter from PATH (`python /app/boot.py`): the environment's
      // python runs it, but what it starts by path (`os.execv("/usr/local/bin/gunicorn", …)`) moves;
      // read where the build context has it (found by review), not asked for otherwise.
      if (/^python[\d.]*$/.test(words[0]) && /^[\w./@+-]+\.py$/.test(words[1] ?? '')) {
        out.push({ inst, word: raw[1] ?? words[1], path: resolvePath(cwd, words[1]), optional: true });
        continue;
      }
      // A bare name as the command is looked up on PATH, not in the working folder (`ENTRYPOINT
      // ["entrypoint.sh"]` after `COPY entrypoint.sh /usr/local/bin/`; found by review).
      const word = (!words[0].includes('/') ? copiedToPath(a, words[0], inst, build) : undefined) ?? scriptWord(words) ?? copiedToPath(a, words[0], inst, build);
      // A path and nothing else (the shell-form split also cuts inside quoted code: `python -c "…; urlopen('http://…')"`).
      if (!word || !/^[\w./@+-]+$/.test(word)) continue;
      out.push({ inst, word: raw[words.indexOf(word)] ?? word, path: resolvePath(cwd, word) });
    }
  }
  return out;
}

/**
 * `/usr/local/bin/start` when a COPY of the file puts a script of that name there (`COPY start.sh
 * /usr/local/bin/start`; run as `start`), or in another folder of the PATH the command runs with
 * (`COPY bin/ /app/bin/` with `ENV PATH=/app/bin:$PATH`; found by review), the first one in its order.
 */
function copiedToPath(a: Analysis, name: string, inst?: InstructionModel, build?: BuildContext): string | undefined {
  if (!/^[\w.+-]+$/.test(name)) return undefined;
  const dirs = (inst?.env.get('PATH') ?? '').split(':').filter((d) => d.startsWith('/') && !d.includes('$'));
  const copies = a.chain.flatMap((s) => s.instructions).filter((i) => !i.flags.has('from') && (i.keyword === 'COPY' || i.keyword === 'ADD'));
  // (A folder of the context copied there holds it: `COPY bin/ /app/bin/`.)
  const inFolder = (i: InstructionModel, d: string) =>
    !!build && copyTarget(i)?.dest.replace(/\/+$/, '') === d &&
    contextSources(i).some((src) => { const rel = src.replace(/^(\.\/)+/, '').replace(/\/+$/, ''); return !!rel && !/[*?[$]/.test(rel) && build.stat(rel) === 'dir' && build.stat(`${rel}/${name}`) === 'file'; });
  for (const dir of [...dirs, '/usr/local/bin']) {
    const d = dir.replace(/\/+$/, '') || '/';
    if (copies.some((i) => copiesToLocalBin(i, name, d) || inFolder(i, d))) return `${d}/${name}`;
  }
  return undefined;
}

/**
 * What a RUN writes into the script `name`: the words of the `echo`/`printf` whose output goes there
 * (`\n` as line breaks), not the rest of the RUN (found by review: a `pip install` beside it read as
 * the script's); the whole RUN when it writes the script some other way.
 */
function writtenText(a: Analysis, run: InstructionModel, name: string): string {
  const into = new RegExp(`^[ \\t]*\\d?>>?[ \\t]*\\S*\\b${escapeRegExp(name)}\\b`);
  const parts = (run.run?.commands ?? []).filter((c) => (c.name === 'echo' || c.name === 'printf') && into.test(a.model.text.slice(c.end, c.end + 256)));
  if (!parts.length) return a.model.text.slice(run.start, run.end);
  return parts.map((c) => c.argv.slice(1).filter((w) => !/^-[neE]+$/.test(w.value)).map((w) => w.value).join(' ').replace(/\\n/g, '\n')).join('\n');
}

/**
 * The start-up scripts with their text: from the build context, or written by a RUN of the file
 * (`echo … >> /opt/app/run.sh`: the text of those RUNs, `writers`); undefined when slimdock cannot read it.
 */
export function startupScriptTexts(a: Analysis, build: BuildContext, fs: FileSystem): StartupScript[] {
  // Read once per analysis (one build context and file system each): several checks ask.
  let scripts = startupScriptsOf.get(a);
  if (!scripts) startupScriptsOf.set(a, (scripts = readStartupScripts(a, build, fs)));
  return scripts;
}
/** `python`: a Python script the interpreter from PATH runs (its `#!` line is not used; it is not shell). */
/** `path`: where it is in the image; `callers`: the texts of the start-up scripts that ran it (calledScripts). */
type StartupScript = { inst: InstructionModel; word: string; path?: string; text?: string; writers: InstructionModel[]; python?: boolean; callers?: string[] };
const startupScriptsOf = new WeakMap<Analysis, StartupScript[]>();

function readStartupScripts(a: Analysis, build: BuildContext, fs: FileSystem): StartupScript[] {
  const lineage = a.chain.flatMap((s) => s.instructions);
  const direct = startupScripts(a, build).flatMap(({ inst, word, path, optional }) => {
    const name = path.split('/').pop()!;
    const writes = new RegExp(`(>>?|\\btee(\\s+-a)?)\\s*\\S*\\b${escapeRegExp(name)}\\b`);
    const fromContext = contextFileText(path, inst, lineage, build, fs);
    if (optional) return fromContext === undefined ? [] : [{ inst, word, path, writers: [], text: fromContext, python: true }];
    const writers = fromContext === undefined ? lineage.filter((i) => i.keyword === 'RUN' && writes.test(a.model.text.slice(i.start, i.end))) : [];
    return [{ inst, word, path, writers, text: fromContext ?? (writers.map((i) => writtenText(a, i, name)).join('\n') || undefined), python: false }];
  });
  // The shell scripts those run in turn (`/app/docker/wait-for-services.sh`, `sh ./scripts/migrate.sh`),
  // two levels down, where the build context has them (found by review: a wait loop with curl one
  // script further). One slimdock cannot read is left out: it may be the base image's.
  const out: StartupScript[] = direct.map(({ inst, word, path, text, writers, python }) => ({ inst, word, path, text, writers, python }));
  const seen = new Set(direct.map((d) => d.path));
  // (Not what a Python script names: it is no shell script.)
  const level = direct.filter((d) => d.text !== undefined && !d.python).map((d) => ({ inst: d.inst, word: d.word, text: d.text!, path: d.path, callers: [] }));
  out.push(...calledScripts(level, lineage, build, fs, seen).map((s) => ({ ...s, writers: [] })));
  return out;
}

/** A script of the build context a script runs, with the texts of the scripts that ran it (outermost first). */
type CalledScript = { inst: InstructionModel; word: string; text: string; path: string; callers: string[] };

/**
 * The scripts `scripts` run in turn, two levels down, where the build context has them (`word` says
 * which ran it: `./wait.sh (run by ./entrypoint.sh)`): by a path, a Python script by its path (its
 * `#!` line picks the interpreter), or next to the script itself. `seen`: image paths already read.
 */
function calledScripts(scripts: CalledScript[], lineage: InstructionModel[], build: BuildContext, fs: FileSystem, seen: Set<string>): CalledScript[] {
  const out: CalledScript[] = [];
  let level = scripts;
  for (let depth = 0; depth < 2 && level.length; depth++) {
    const next: CalledScript[] = [];
    for (const { inst, word, text, path: self, callers } of level) {
      const body = text.replace(/^\s*#.*$/gm, '');
      // By a path, or next to the script itself (`"$(dirname "$0")/wait.sh"`, `${0%/*}/wait.sh`; found by review).
      const called = [
        ...[...body.matchAll(CALLED_SCRIPT)].map((m) => ({ word: m[1], path: resolvePath(inst.workdir, m[1]) })),
        // A Python script run by its path (`/app/scripts/prestart.py`): its `#!` line picks the
        // interpreter (found by review). Not one the interpreter from PATH runs (`python x.py`).
        ...[...body.matchAll(CALLED_PY)].filter((m) => !/(^|[\s/;&|(])python[\d.]*(\s+-\S+)*\s+$/.test(body.slice(Math.max(0, m.index! - 40), m.index! + m[0].indexOf(m[1])))).map((m) => ({ word: m[1], path: resolvePath(inst.workdir, m[1]) })),
        ...[...body.matchAll(/(?:\$\(\s*dirname\s+"?\$\{?0\}?"?\s*\)|\$\(\s*cd\s+"?\$\(\s*dirname\s+"?\$\{?0\}?"?\s*\)"?\s*&&\s*pwd\s*\)|\$\{0%\/\*\})"?\/([\w./-]+\.sh)/g)].map((m) => ({ word: m[1], path: resolvePath(self.slice(0, self.lastIndexOf('/')) || '/', m[1]) })),
      ];
      for (const m of called) {
        const path = m.path;
        if (seen.has(path)) continue;
        seen.add(path);
        const nested = contextFileText(path, inst, lineage, build, fs);
        if (nested === undefined) continue;
        const entry = { inst, word: `${m.word} (run by ${word})`, text: nested, path, callers: [...callers, text] };
        out.push(entry);
        next.push(entry);
      }
    }
    level = next;
  }
  return out;
}

/**
 * What a start-up script of the app does that the new layout breaks, one reason each: a run tool
 * the final image no longer has (`poetry run`, `pipenv run`, `uv run` …), or, in the
 * virtual-environment layout, a console script named by its /usr/local/bin path (it moves to the
 * environment's bin). A script slimdock cannot read (not copied from the build context, nor written
 * by a RUN of the file) may do either: in the virtual-environment layout (unless the old installs
 * were in a virtual environment already: nothing moves), or where the old final image had such a
 * tool, the rewrite is refused. And, in either layout, a script the final stage runs (a RUN's too)
 * that compiles (compilingScripts).
 */
export function startupScriptBlockers(a: Analysis, build: BuildContext, fs: FileSystem, layout: 'venv' | 'system', venv: string): string[] {
  const out: string[] = [];
  const { python: SYSTEM_PYTHON, word: SYSTEM_PYTHON_WORD, pip: SYSTEM_PIP } = systemInterpreter(a.base?.kind === 'distro');
  // Instructions a reason was given for already (not said twice: found by review).
  const said = new Set<InstructionModel>();
  const lineage = a.chain.flatMap((s) => s.instructions);
  // pip at start-up in `text` (a script's, or a command's own shell code) that a virtual environment
  // breaks: as a non-root user the installs did not run as, or a user install (--user, PIP_USER).
  // Said as "`<the command>` as <who>: why" (cut with an ellipsis: found by review).
  const finalUser = lineage[lineage.length - 1]?.user ?? 'root';
  const nonRoot = !/^(root|0)(:.*)?$/.test(finalUser) && !a.ops.every((o) => o.inst.user === finalUser);
  // (System mode takes installs as root only: no hint to try it otherwise; found by review.)
  const rootInstalls = a.ops.every((o) => /^(root|0)(:.*)?$/.test(o.inst.user ?? 'root'));
  const userPip = (text: string, pipUser: string | undefined): string | undefined => {
    const pip = /(?:^|[\s;&|(])(?:\S*\/)?(?:pip[\d.]*|python[\d.]*\s+-m\s+pip)\s+install\b[^;&|\n]*/m.exec(text)?.[0].trim();
    if (!pip || !(nonRoot || /--user\b/.test(pip) || envTrue(pipUser))) return undefined;
    const shown = pip.length > 60 ? `${pip.slice(0, 59)}…` : pip;
    return `\`${shown}\` as ${/^(root|0)(:.*)?$/.test(finalUser) ? 'a user install' : `USER ${finalUser}`}: a virtual environment's pip neither installs for the user (--user, PIP_USER) nor falls back to the user's site as the system pip did${rootInstalls ? ' (try --mode system)' : ''}.`;
  };
  // uv in the old final image (copied in, or pip-installed; not a uv base image, which stays; not
  // deleted again, `rm -f /usr/local/bin/uv`): the rewrite takes it away.
  const uvCopied = lineage.some((i) => i.keyword === 'COPY' && /(^|\/)astral-sh\/uv(:|@|$)/.test(i.flags.get('from')?.[0] ?? ''));
  const uvDeleted = lineage.some((i) => i.run?.commands.some((c) => c.name === 'rm' && c.argv.some((w) => /(^|\/)bin\/uv$/.test(w.value))));
  const uvLost = !a.base?.hasUv && (uvCopied || a.toolSpecs.has('uv')) && !uvDeleted;
  const runTools = uvLost || a.ops.some((o) => o.kind === 'poetry' || o.kind === 'pipenv') || ['poetry', 'pipenv', 'pdm', 'hatch'].some((t) => a.toolSpecs.has(t));
  // Console scripts were in a virtual environment already (`uv sync` into the project's, a venv's
  // pip): the new one keeps them out of /usr/local/bin alike. (`UV_PROJECT_ENVIRONMENT=/usr/local
  // uv sync` is a system install.)
  const systemSync = (o: PyOp) => /^\/usr(\/local)?\/?$/.test(o.cmd.env.get('UV_PROJECT_ENVIRONMENT') ?? '');
  const moves = layout === 'venv' && !a.ops.every((o) => (o.kind === 'uv-sync' && !systemSync(o)) || intoVirtualEnv(o));
  // A login shell (`SHELL ["/bin/bash", "-l", "-c"]`) reads /etc/profile, which sets PATH anew: the
  // environment's bin would not be on it for the RUNs and shell-form commands after (found by review).
  // The same at start-up: `CMD ["bash", "-lc", "gunicorn …"]`, `su - web -c …` in an entrypoint (found by review).
  if (moves) {
    for (const inst of lineage) {
      if (inst.keyword === 'SHELL' ? !inst.stage.reachesFinal : !RUNS_AT_START.has(inst.keyword) || a.removed.has(inst)) continue;
      // (The instruction as words: the exec form's quotes and commas out, `sh -c` code kept.)
      const words = a.model.text.slice(inst.start, inst.end).replace(/\\\r?\n/g, ' ').replace(/[",[\]]/g, ' ');
      if (LOGIN_SHELL.test(words)) out.push(`the ${inst.keyword} at line ${inst.node.getRange().start.line + 1} starts a login shell, whose /etc/profile sets PATH anew: the system Python, which does not see the packages the virtual environment holds, would run.`);
    }
  }
  // A kept RUN that runs the interpreter by its path (`RUN /usr/local/bin/python -c "import pandas"`).
  if (moves) {
    for (const inst of lineage) {
      if (inst.keyword !== 'RUN' || a.removed.has(inst)) continue;
      const c = keptCommands(inst, a.plans.get(inst)).find((x) => /^python[\d.]*$/.test(x.name) && x.argv.some((w) => SYSTEM_PYTHON_WORD.test(w.value)));
      if (c) {
        out.push(`the RUN at line ${inst.node.getRange().start.line + 1} runs ${c.argv.find((w) => SYSTEM_PYTHON_WORD.test(w.value))!.value}: the system Python, which does not see the packages the virtual environment holds.`);
        said.add(inst);
      }
    }
  }
  // A folder that a COPY from a replaced stage brought (`COPY --from=wheels /wheels /wheels`), read at
  // start-up (`pip install --no-index --find-links /wheels $OPTIONAL`): that COPY goes with the stage
  // (found by review: the wheelhouse was gone).
  const gone = lineage.filter((i) => i.keyword === 'COPY' && a.removed.has(i) && a.absorbed.some((st) => st.name?.toLowerCase() === i.flags.get('from')?.[0]?.toLowerCase()));
  for (const { inst, word, text } of gone.length ? startupScriptTexts(a, build, fs) : []) {
    const body = (text ?? '').replace(/^\s*#.*$/gm, '');
    const copy = gone.find((c) => { const d = copyTarget(c)?.dest; return !!d && d !== '/' && new RegExp(`(^|[\\s"'=:])${escapeRegExp(d)}(/|$|[\\s"';)])`, 'm').test(body); });
    if (copy) out.push(`the ${inst.keyword} at line ${inst.node.getRange().start.line + 1} runs ${word}, which reads ${copyTarget(copy)!.dest}: the COPY at line ${copy.node.getRange().start.line + 1} brought it from stage ${copy.flags.get('from')![0]}, which the builder stage replaces.`);
  }
  // After `pip install --user`, a start-up script that names a console script by its ~/.local/bin
  // path: the installs put it elsewhere now, in either layout, and a script is not rewritten.
  const user = userInstalls(a);
  for (const { inst, word, text, writers, python } of startupScriptTexts(a, build, fs)) {
    const line = inst.node.getRange().start.line + 1;
    const local = user && text !== undefined ? new RegExp(USER_BIN.source).exec(text.replace(/^\s*#.*$/gm, '')) : null;
    if (local) {
      out.push(`the ${inst.keyword} at line ${line} runs ${word}, which calls ${local[0]}: after pip install --user that was where the installs put it, and the rewrite puts it elsewhere (change the script to call ${local[1]} from PATH, then optimize).`);
      continue;
    }
    if (text === undefined) {
      if (moves) out.push(`the ${inst.keyword} at line ${line} runs ${word}, which slimdock cannot read: it may call a program by its /usr/local/bin path, which the virtual environment moves to ${venv}/bin, or a tool the final image no longer has.`);
      else if (runTools) out.push(`the ${inst.keyword} at line ${line} runs ${word}, which slimdock cannot read: it may run poetry, pipenv or uv, which the old final image had and the new one has not.`);
      continue;
    }
    const body = text.replace(/^\s*#.*$/gm, '');
    // A Python script python runs counts for what it starts by a path only: not the run tools its
    // docstrings may show, nor a login shell, nor its `#!` line (found by review).
    const tool = python ? null : /\b(poetry|pipenv|pdm|hatch|uv)\s+run\b|\buvx\s/.exec(body);
    if (tool) {
      out.push(`the ${inst.keyword} at line ${line} runs ${word}, which runs \`${tool[0].trim()}\`: that tool does not stay in the final image (run the command from the environment directly, then optimize).`);
      continue;
    }
    // uv itself at start-up (`uv pip install $EXTRA_PACKAGES`), where the rewrite takes uv away (found by review).
    const uvUse = !python && uvLost ? /\buv\s+(pip|sync|add|tool|venv|export)\b/.exec(body) : null;
    if (uvUse) {
      out.push(`the ${inst.keyword} at line ${line} runs ${word}, which runs \`${uvUse[0]}\`: uv does not stay in the final image.`);
      continue;
    }
    if (!moves) continue;
    // The environment's packages by the system Python's site-packages path (`alembic -c
    // /usr/local/lib/python3.12/site-packages/billing/alembic.ini`; found by review).
    const site = SITE_PACKAGES.exec(body);
    if (site) {
      out.push(`the ${inst.keyword} at line ${line} runs ${word}, which uses ${site[0]}: the packages move to ${venv}, so that path would no longer hold them.`);
      continue;
    }
    // pip at start-up as a user other than root: a virtual environment's pip takes no --user
    // (PIP_USER too) and does not fall back to the user's site as the system pip did, and the
    // environment is root's unless the installs ran as that user (then it is copied with that owner; found by review).
    const pip = python ? undefined : userPip(body, lineage[lineage.length - 1]?.env.get('PIP_USER'));
    if (pip) {
      out.push(`the ${inst.keyword} at line ${line} runs ${word}, which runs ${pip}`);
      continue;
    }
    // sudo's secure_path sets PATH anew: a program of the environment run through it is not found (found by review).
    const sudo = python ? null : SUDO_PYTHON.exec(body);
    if (sudo) {
      out.push(`the ${inst.keyword} at line ${line} runs ${word}, which runs \`${sudo[0].trim()}\`: sudo sets PATH to its secure_path, without the virtual environment's ${venv}/bin.`);
      continue;
    }
    if (!python && LOGIN_SHELL.test(body)) {
      out.push(`the ${inst.keyword} at line ${line} runs ${word}, which starts a login shell (${LOGIN_SHELL.exec(body)![0].trim()}), whose /etc/profile sets PATH anew: the system Python, which does not see the packages the virtual environment holds, would run.`);
      continue;
    }
    // `#!/usr/local/bin/python3`, `exec /usr/local/bin/python app.py`: the system Python, without the environment's packages.
    const interpreter = SYSTEM_PYTHON.exec(`${python ? '' : /^#!.*/.exec(text)?.[0] ?? ''}\n${body}`) ?? SYSTEM_PIP.exec(body);
    if (interpreter) {
      out.push(`the ${inst.keyword} at line ${line} runs ${word}, which runs ${interpreter[0]}: the system Python, which does not see the packages the virtual environment holds.`);
      continue;
    }
    // (The RUN that writes the script names the path in its text: that does not put a program there.)
    const moved = [...body.matchAll(SCRIPT_PATH)].map((m) => m[1]).find((n) => !FROM_BASE.test(n) && !madeInImage(a, n, writers));
    if (moved) out.push(`the ${inst.keyword} at line ${line} runs ${word}, which calls /usr/local/bin/${moved}: the virtual environment puts it in ${venv}/bin.`);
  }
  // pip at start-up in the CMD/ENTRYPOINT's own shell code (`CMD ["sh", "-c", "pip install … && exec
  // …"]`, `CMD pip install --user …; python -m bot`), as in a start-up script above (found by review).
  if (moves) {
    for (const inst of lineage) {
      if (!['CMD', 'ENTRYPOINT'].includes(inst.keyword) || a.removed.has(inst) || said.has(inst)) continue;
      const pip = userPip(a.model.text.slice(inst.start, inst.end).replace(/\\\r?\n/g, ' ').replace(/[",[\]]/g, ' '), inst.env.get('PIP_USER'));
      if (pip) {
        out.push(`the ${inst.keyword} at line ${inst.node.getRange().start.line + 1} runs ${pip}`);
        said.add(inst);
      }
    }
  }
  // (After the start-up scripts, which say more.) Configuration the image puts in place that names
  // the old layout's paths: a supervisord program, a crontab, a uWSGI ini (`command=/usr/local/bin/gunicorn`,
  // `*/5 * * * * /usr/local/bin/python report.py`), copied or written by a RUN: slimdock does not
  // rewrite them (found by review). Not documentation (a README), nor a program the image puts in
  // /usr/local/bin itself (`COPY bin/ /usr/local/bin/`, a download unpacked there).
  if (moves) {
    const filled = localBinFilled(a, build);
    for (const inst of lineage) {
      if (a.removed.has(inst) || !inst.stage.reachesFinal || said.has(inst)) continue;
      for (const text of [...configTexts(a, inst, build, fs), ...namedConfigTexts(a, inst, build, fs)]) {
        // (An nginx `alias …/site-packages/django/contrib/admin/static/`: found by review.)
        const site = SITE_PACKAGES.exec(text)?.[0];
        // A cron job the RUN writes (`echo "… python report.py" >> /etc/crontab`): cron runs it with
        // its own PATH, not the image's, so a bare `python` or console script is the system's (found by review).
        if (inst.keyword === 'RUN' && /(>>?\s*["']?\/etc\/(crontab|cron\.d\/)|\|\s*crontab\b)/.test(text) && /(^|[\s"'])(python[\d.]*|pip[\d.]*|celery|flask|gunicorn|django-admin)(?=\s)/.test(text)) {
          out.push(`the RUN at line ${inst.node.getRange().start.line + 1} writes a cron job that runs a Python program by name: cron runs it with its own PATH, not the image's, so it would be the system Python's.`);
          break;
        }
        // (A kept RUN's own text is sitePackagesKept's, in index.ts.)
        if (site && (inst.keyword === 'COPY' || inst.keyword === 'ADD')) {
          out.push(`the ${inst.keyword} at line ${inst.node.getRange().start.line + 1} copies a configuration that names ${site}: the packages move to ${venv}, so that path would no longer hold them.`);
          break;
        }
        const named =
          SYSTEM_PYTHON.exec(text)?.[0] ??
          SYSTEM_PIP.exec(text)?.[0] ??
          (filled === 'unknown' ? undefined : [...text.matchAll(SCRIPT_PATH)].map((m) => m[1]).filter((n) => !FROM_BASE.test(n) && !filled.has(n) && !madeInImage(a, n, [inst]) && !downloadedBy(inst, n)).map((n) => `/usr/local/bin/${n}`)[0]);
        if (!named) continue;
        const interpreter = /\/(python|pip)[\d.]*$/.test(named);
        const what = RUNS_AT_START.has(inst.keyword) ? 'starts with a configuration that names' : inst.keyword === 'RUN' ? 'writes or loads a configuration that names' : 'copies a configuration that names';
        out.push(`the ${inst.keyword} at line ${inst.node.getRange().start.line + 1} ${what} ${named}: ${interpreter ? 'the system Python, which does not see the packages the virtual environment holds' : `the virtual environment puts it in ${venv}/bin`}.`);
        break;
      }
    }
  }
  // In either layout: a script the final stage runs that compiles (compilingScripts).
  out.push(...compilingScripts(a, build, fs));
  return out;
}

/**
 * The scripts the final stage runs that compile (scriptToolchain: make, gcc, cc …), one reason each:
 * like a compiler the Dockerfile runs itself (analyze.ts: checkCompiles, checkStartupCompiles), they
 * need the build toolchain in the final image, which goes to the builder stage (and python:X-slim
 * lacks). Its RUNs' scripts (runScriptTexts), then its start-up ones (startupScriptTexts), with those
 * they run in turn. Not a script that installs the toolchain itself, nor one run by such a script or
 * after a RUN's script did: slimdock does not rewrite scripts, so those installs stay.
 */
function compilingScripts(a: Analysis, build: BuildContext, fs: FileSystem): string[] {
  const out: string[] = [];
  let installed = false;
  const scripts: StartupScript[] = [...runScriptTexts(a, build, fs).map((s) => ({ ...s, writers: [] })), ...startupScriptTexts(a, build, fs).filter((s) => !s.python)];
  for (const { inst, word, text, path, callers, writers } of scripts) {
    if (text === undefined || !shellScript(text, path ?? word)) continue;
    const { compiles, installs } = scriptToolchain(text);
    if (compiles && !installed && !(callers ?? []).some((c) => scriptToolchain(c).installs)) {
      // (A script a RUN writes: its text is that RUN's, and has no lines of its own.)
      const where = writers.length ? '' : ` (line ${compiles.line} of the script)`;
      out.push(`line ${inst.node.getRange().start.line + 1}: the ${inst.keyword} runs ${word}, which runs ${compiles.tool}${where}: that needs the build toolchain in the final image.`);
    }
    if (installs && inst.keyword === 'RUN') installed = true;
  }
  return out;
}

/** A shell script by its `#!` line (sh, bash …), or, without one, by its name (not `.py`). */
function shellScript(text: string, path: string): boolean {
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(text);
  if (!shebang) return !/\.py$/.test(path);
  const program = (/\/env$/.test(shebang[1]) ? shebang[2] ?? '' : shebang[1]).split('/').pop()!;
  return /^(sh|bash|dash|ash|ksh|zsh)$/.test(program);
}

/**
 * The scripts of the build context the kept RUNs of the final stage run (`RUN ./scripts/build.sh`,
 * `RUN bash build.sh`), found and read as toolsSlimLacks does, with the scripts those run in turn
 * (calledScripts). One slimdock cannot read is left out (toolsSlimLacks refuses it on the full image).
 */
function runScriptTexts(a: Analysis, build: BuildContext, fs: FileSystem): CalledScript[] {
  const lineage = a.chain.flatMap((s) => s.instructions);
  const out: CalledScript[] = [];
  for (const inst of lineage) {
    if (inst.keyword !== 'RUN' || a.removed.has(inst)) continue;
    for (const c of keptCommands(inst, a.plans.get(inst))) {
      const script = scriptOf(c);
      if (!script || script.path.includes('$')) continue;
      const path = resolvePath(inst.workdir, script.path);
      const text = contextFileText(path, inst, lineage, build, fs);
      if (text === undefined) continue;
      const entry = { inst, word: script.word, text, path, callers: [] };
      out.push(entry, ...calledScripts([entry], lineage, build, fs, new Set([path])));
    }
  }
  return out;
}

/**
 * The configuration files a kept CMD/ENTRYPOINT/HEALTHCHECK or RUN hands a process manager, read
 * from the build context (found by review: files a whole-context COPY brings were not read):
 * `supervisord -c FILE`, `uwsgi --ini FILE`, `crontab FILE`, `honcho start` / `foreman start`
 * (their Procfile, or `-f FILE`), `circusd FILE`. Comments out.
 */
function namedConfigTexts(a: Analysis, inst: InstructionModel, build: BuildContext, fs: FileSystem): string[] {
  let commands: string[][];
  if (RUNS_AT_START.has(inst.keyword)) commands = startupCommands(a.model.text.slice(inst.start, inst.end)).map((ws) => ws.map((w) => substitute(w, inst.env)));
  else if (inst.keyword === 'RUN') commands = keptCommands(inst, a.plans.get(inst)).map((c) => c.argv.map((w) => substitute(w.value, c.env)));
  else return [];
  const lineage = a.chain.flatMap((s) => s.instructions);
  const out: string[] = [];
  for (const words of commands) {
    const program = (words[0] ?? '').split('/').pop()!;
    const valueOf = (...names: string[]) => {
      const k = words.findIndex((w) => names.includes(w));
      if (k > 0) return words[k + 1];
      return words.find((w) => names.some((n) => n.startsWith('--') && w.startsWith(`${n}=`)))?.replace(/^[^=]*=/, '');
    };
    let file: string | undefined;
    if (program === 'supervisord' || program === 'supervisorctl') file = valueOf('-c', '--configuration');
    // (`--ini deploy/uwsgi.ini:prod` names a section of the file.)
    else if (program === 'uwsgi') file = (valueOf('--ini') ?? words.slice(1).find((w) => /\.ini(:[\w-]+)?$/.test(w)))?.replace(/(\.ini):[\w-]+$/, '$1');
    else if (program === 'circusd') file = words.slice(1).find((w) => /\.ini$/.test(w));
    // (`crontab -u root FILE`: -u takes the user.)
    else if (program === 'crontab') file = words.slice(1).find((w, k, rest) => !w.startsWith('-') && rest[k - 1] !== '-u');
    else if ((program === 'honcho' || program === 'foreman') && words.includes('start')) file = valueOf('-f', '--procfile') ?? 'Procfile';
    if (!file || !/^[\w./@+-]+$/.test(file)) continue;
    const text = contextFileText(resolvePath(inst.workdir, file), inst, lineage, build, fs);
    if (text === undefined) continue;
    const body = text.replace(/^\s*[#;].*$/gm, '').replace(/\s#\s.*$/gm, '');
    // A crontab's jobs run with its own PATH, not the image's: one naming /usr/local/bin finds the
    // system Python and the old console scripts there (found by review).
    const cronPath = program === 'crontab' && /^\s*PATH\s*=.*\/usr\/local\/bin/m.test(body) && /^\s*(@\w+|[\d*,/-]+(\s+[\d*,/-]+){4})\s+.*\bpython[\d.]*\b/m.test(body);
    out.push(cronPath ? `${body}\n/usr/local/bin/python` : body);
  }
  return out;
}

/** Documentation, not configuration: what it says is not run. */
const DOCUMENT = /\.(md|markdown|rst|txt|html?|adoc|pdf|ipynb)$/i;
/** Where configuration that starts programs lives: /etc (cron, supervisor, init), a bin folder; a `#!` line counts there. */
const RUNS_FROM = /^\/etc\/|\/bin\//;

/**
 * The configuration text `inst` puts in the image, comments out (a `#!` line kept where it is run
 * from): a file or folder it copies from the context (not documentation), a heredoc it copies, or what
 * a RUN writes into /etc or a crontab (and the words of the commands it runs, but echo/printf/cat's
 * and removals).
 */
function configTexts(a: Analysis, inst: InstructionModel, build: BuildContext, fs: FileSystem): string[] {
  const strip = (text: string, runs: boolean) => text.replace(runs ? /^\s*[#;](?!!).*$/gm : /^\s*[#;].*$/gm, '').replace(/\s#\s.*$/gm, '');
  const out: string[] = [];
  if (inst.keyword === 'RUN') {
    const commands = keptCommands(inst, a.plans.get(inst));
    // (Not what only writes text or handles files: `mv /tmp/trivy /usr/local/bin/trivy` makes a program there.)
    out.push(commands.filter((c) => !/^(rm|echo|printf|cat|tee|mv|cp|chmod|chown|install|touch|mkdir)$/.test(c.name)).map((c) => c.argv.map((w) => w.value).join(' ')).join('\n'));
    const text = keptText(a, inst);
    if (/(>>?|\btee(\s+-a)?)\s*["']?\/etc\/|\bcrontab\b/.test(text)) out.push(strip(text, true));
    return out;
  }
  if ((inst.keyword !== 'COPY' && inst.keyword !== 'ADD') || inst.flags.has('from')) return out;
  const words = inst.args.map((w) => w.getValue());
  // (`COPY <<EOF /etc/cron.d/job`: the parser reads the heredoc's lines as more words; the destination follows the marker.)
  const heredoc = words[0]?.startsWith('<<');
  const dest = resolvePath(inst.workdir, (heredoc ? words[1] : words[words.length - 1]) ?? '');
  const runs = RUNS_FROM.test(dest);
  if (heredoc) return runs ? [strip(a.model.text.slice(inst.start, inst.end), true)] : out;
  let budget = 50;
  // (Documentation by its name, but where programs are run from a name says nothing: `crontab.txt` in /etc/cron.d.)
  const read = (rel: string) => {
    if (budget-- <= 0 || (DOCUMENT.test(rel) && !runs) || (fs.size?.(ctxAbs(build, rel)) ?? 0) > 262144) return;
    const text = fs.readFile(ctxAbs(build, rel));
    if (text !== undefined) out.push(strip(text, runs));
  };
  for (const src of contextSources(inst)) {
    const rel = src.replace(/^(\.\/)+/, '').replace(/^\/+/, '').replace(/\/+$/, '');
    if (!rel || /[*?[$]/.test(rel)) continue;
    const kind = build.stat(rel);
    if (kind === 'file') read(rel);
    // A folder of configuration (`COPY supervisor/ /etc/supervisor/conf.d/`), one level down.
    else if (kind === 'dir' && runs) for (const name of build.list(rel)) if (build.stat(`${rel}/${name}`) === 'file') read(`${rel}/${name}`);
  }
  return out;
}

/**
 * The names of the programs the image puts in /usr/local/bin itself (a file or a folder of the
 * context copied there, a file of another stage or image), or `unknown` when something puts names
 * there that slimdock cannot list (a download unpacked or moved there, a folder of another image).
 */
function localBinFilled(a: Analysis, build: BuildContext): Set<string> | 'unknown' {
  const names = new Set<string>();
  for (const i of a.chain.flatMap((s) => s.instructions)) {
    if (i.keyword === 'COPY' || i.keyword === 'ADD') {
      const words = i.args.map((w) => w.getValue());
      const dest = resolvePath(i.workdir, words[words.length - 1] ?? '').replace(/\/+$/, '');
      const intoBin = dest === '/usr/local/bin';
      if (!intoBin && !dest.startsWith('/usr/local/bin/')) continue;
      for (const src of words.slice(0, -1)) {
        const base = src.replace(/\/+$/, '').split('/').pop() ?? '';
        if (!intoBin) names.add(dest.split('/').pop()!);
        else if (i.flags.has('from')) {
          if (/[*?[]/.test(base) || src.endsWith('/')) return 'unknown';
          names.add(base);
        } else {
          const rel = src.replace(/^(\.\/)+/, '').replace(/^\/+/, '').replace(/\/+$/, '');
          const kind = build.stat(rel);
          if (kind === 'dir') for (const n of build.list(rel)) names.add(n);
          else if (kind === 'file') names.add(base);
          else return 'unknown';
        }
      }
    } else if (i.keyword === 'RUN' && /(-C|--directory|-P|--directory-prefix)[\s=]+\/usr\/local\/bin\/?(\s|$)|\bmv\s+\S+\s+\/usr\/local\/bin\/?(\s|$)/.test(a.model.text.slice(i.start, i.end))) return 'unknown';
  }
  return names;
}

/**
 * Whether the image uses a dev tool (by package name), as SD105 reads it (CMD/ENTRYPOINT, launcher
 * scripts it writes, RUNs of shipped stages) and in the start-up scripts slimdock can read; and, when
 * it uses one, why (a notebook server, a lint or test image: the dev packages, files and groups the
 * old file installed stay).
 */
export function devToolsUse(a: Analysis, build: BuildContext, fs: FileSystem): { used: (name: string) => boolean; reason?: string } {
  const inFile = devToolUse(a.model);
  const scripts = startupScriptTexts(a, build, fs).map((s) => (s.text ?? '').replace(/^\s*#.*$/gm, '')).join('\n');
  const used = (name: string) => inFile(name) || usesTool(scripts, name);
  const tool = devToolRun(used);
  return { used, reason: tool && `the image runs ${tool} (its CMD, ENTRYPOINT, a RUN or a start-up script)` };
}

/**
 * Kept `ENV PATH=…` instructions after the first install that set PATH without `$PATH` (`ENV
 * PATH=/app/bin:/usr/local/sbin:/usr/local/bin:…`): they would take the environment's bin off it.
 * Their new text puts `venv/bin` first (found by review).
 */
export function pathResets(a: Analysis, venv: string, before: ScriptRewrite): ScriptRewrite {
  const out: ScriptRewrite = { replaced: new Map(before.replaced), notes: [...before.notes] };
  const first = Math.min(...a.ops.map((o) => o.inst.start));
  for (const inst of a.chain.flatMap((st) => st.instructions)) {
    if (inst.keyword !== 'ENV' || a.removed.has(inst) || inst.start < first) continue;
    const text = out.replaced.get(inst) ?? a.model.text.slice(inst.start, inst.end);
    const m = /(^ENV\s+PATH\s+|[\s"]PATH=["']?)(?!\S*\$\{?PATH\b)(\S)/.exec(text);
    if (!m || text.includes(`${venv}/bin`) || /\$\{?PATH\b/.test(text)) continue;
    const at = m.index + m[1].length;
    out.replaced.set(inst, `${text.slice(0, at)}${venv}/bin:${text.slice(at)}`);
    out.notes.push(`line ${inst.node.getRange().start.line + 1}: the ENV sets PATH anew: ${venv}/bin goes first in it, so the environment stays on PATH.`);
  }
  return out;
}
