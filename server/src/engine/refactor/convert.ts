// `pip install …` → `uv pip install …`: the word edits shared by SD103's fix and the uv
// refactorings. pip options map to uv's (or are dropped when pip-only), PIP_* settings become
// their UV_* names (uv ignores PIP_* and pip.conf), and the environment stays the one pip used:
// the interpreter named by path, an active venv, `--target/--prefix`, or the system.
import type { DockerfileContext } from '../context';
import type { InstructionModel } from '../parse/dockerfile';
import { resolvePath } from '../parse/dockerfile';
import type { ShellCommand } from '../parse/shell';
import { expandPath, hasOption, mountCovers, requirementName } from '../rules/commands';
import { replaceSpan } from '../rules/edits';
import { lineage } from '../rules/layers';
import { envTrue, venvMadeBy, writesPipConfig, isKeyringPackage, pythonInstall, type PythonInstall } from '../rules/python-tools';
import { readContextFile } from '../rules/context-files';
import type { TextEdit } from '../types';

/** `uv pip install` options that mean the same as pip's (so the words carry over as they are). */
const UV_ACCEPTS = new Set([
  '-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url', '-f',
  '--find-links', '--no-index', '-U', '--upgrade', '--no-deps', '--no-cache-dir', '--no-cache', '-t', '--target', '--prefix',
  '--no-binary', '--only-binary', '--no-build-isolation', '--pre', '--require-hashes', '--break-system-packages',
  '-q', '--quiet', '-v', '--verbose', '--compile', '--reinstall', '--force-reinstall', '--dry-run', '-C', '--config-settings',
  '--system', '--python', '--group',
]);
/** pip options with no uv meaning that the conversion drops (value options: with their value). */
const PIP_ONLY_DROPPED = new Map<string, boolean>([
  ['--disable-pip-version-check', false], ['--no-warn-script-location', false], ['--root-user-action', true],
  ['--no-python-version-warning', false], ['--progress-bar', true], ['--no-color', false], ['--no-input', false],
]);
/** Options whose value is the next word. */
const VALUE_OPTIONS = new Set([
  '-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url', '-f', '--find-links',
  '-t', '--target', '--prefix', '--no-binary', '--only-binary', '-C', '--config-settings', '--python', '--group',
]);
/** pip's environment variables and their uv names (uv ignores PIP_* and pip.conf). */
export const PIP_TO_UV_ENV: [string, string][] = [
  ['PIP_INDEX_URL', 'UV_INDEX_URL'], ['PIP_EXTRA_INDEX_URL', 'UV_EXTRA_INDEX_URL'], ['PIP_FIND_LINKS', 'UV_FIND_LINKS'],
  ['PIP_CONSTRAINT', 'UV_CONSTRAINT'], ['PIP_NO_CACHE_DIR', 'UV_NO_CACHE'], ['PIP_BREAK_SYSTEM_PACKAGES', 'UV_BREAK_SYSTEM_PACKAGES'],
  ['PIP_PRE', 'UV_PRERELEASE'], ['PIP_REQUIRE_HASHES', 'UV_REQUIRE_HASHES'], ['PIP_DEFAULT_TIMEOUT', 'UV_HTTP_TIMEOUT'],
];

/** Where uv keeps its cache for this command. */
export function uvCacheDir(inst: InstructionModel, cmd: ShellCommand): string {
  const set = cmd.env.get('UV_CACHE_DIR');
  if (set) return expandPath(set, inst, cmd.env);
  const xdg = cmd.env.get('XDG_CACHE_HOME');
  if (xdg) return resolvePath('/', `${expandPath(xdg, inst, cmd.env)}/uv`);
  return resolvePath('/', `${cmd.env.get('HOME') ?? inst.home}/.cache/uv`);
}

export interface ConversionOptions {
  /** A cache mount on uv's cache dir comes with the conversion: drop `--no-cache-dir`/`PIP_NO_CACHE_DIR` instead of translating them. */
  cacheMount?: boolean;
  /** The Python is externally managed (PEP 668): add `--break-system-packages` to a `--system` install. */
  breakSystemPackages?: boolean;
}

export interface Conversion {
  edits: TextEdit[];
  /** `UV_X=…` assignments for an ENV line before the RUN (PIP_* settings that came from ENV/ARG). */
  envLines: string[];
}

/** The edits that turn this pip install into `uv pip install`, or undefined when they cannot. */
export function uvConversionEdits(ctx: DockerfileContext, inst: InstructionModel, ins: PythonInstall, options: ConversionOptions = {}): Conversion | undefined {
  const cmd = ins.cmd;
  const exec = cmd.via === 'exec';
  const text = ctx.model.text;
  const edits: TextEdit[] = [];
  const words = ins.call.args;
  /** Removes words[i..last] with the blank before them (or after them, when they start a continuation line). */
  const drop = (i: number, last: number) => {
    const prev = i === 0 ? ins.installWord : words[i - 1];
    const gap = text.slice(prev.end, words[i].start);
    if (exec || !gap.includes('\n')) edits.push(replaceSpan(ctx.model, prev.end, words[last].end, ''));
    else {
      let end = words[last].end;
      while (text[end] === ' ' || text[end] === '\t') end++;
      // Alone on a continuation line: the whole line goes, not just the words.
      const lineStart = text.lastIndexOf('\n', words[i].start - 1) + 1;
      const esc = ctx.model.escapeChar;
      const eol = text.startsWith(`${esc}\r\n`, end) ? end + 3 : text.startsWith(`${esc}\n`, end) ? end + 2 : -1;
      if (eol > 0 && /^[ \t]*$/.test(text.slice(lineStart, words[i].start))) edits.push(replaceSpan(ctx.model, lineStart, eol, ''));
      else edits.push(replaceSpan(ctx.model, words[i].start, end, ''));
    }
  };
  // Words after `install`, with the option each belongs to.
  for (let i = 0; i < words.length; i++) {
    const v = words[i].value;
    if (!v.startsWith('-') || v === '-') continue;
    const name = v.startsWith('--') && v.includes('=') ? v.slice(0, v.indexOf('=')) : v;
    if (PIP_ONLY_DROPPED.has(name)) {
      const withValue = PIP_ONLY_DROPPED.get(name) && !v.includes('=') && i + 1 < words.length;
      drop(i, withValue ? i + 1 : i);
      if (withValue) i++;
      continue;
    }
    if (name === '--no-cache-dir' || name === '--no-cache') {
      if (options.cacheMount) drop(i, i); // the cache mount keeps uv's cache out of the image
      else if (name === '--no-cache-dir') edits.push(replaceSpan(ctx.model, words[i].start, words[i].end, exec ? '"--no-cache"' : '--no-cache')); // uv's own spelling
      continue;
    }
    const short = /^-[A-Za-z]{2,}$/.test(name) && !/^-[rcefit]/.test(name) ? [...name.slice(1)].map((c) => `-${c}`) : [name];
    if (!short.every((o) => UV_ACCEPTS.has(o))) return undefined;
    if (VALUE_OPTIONS.has(name) && !v.includes('=') && v.length === name.length) i++;
  }
  // pip's configuration uv does not read (found by review: a pip.conf's private index was lost):
  // a pip.conf the file puts in place or writes, `pip config set`, PIP_CONFIG_FILE, and settings
  // with no uv name (a client certificate, trusted hosts).
  if (pipConfigured(ctx, inst) || ['PIP_CONFIG_FILE', 'PIP_CERT', 'PIP_CLIENT_CERT', 'PIP_TRUSTED_HOST'].some((k) => cmd.env.has(k))) return undefined;
  // A keyring backend installed for pip's index login, which uv does not use by default (found by review).
  if (lineage(inst.stage).some((i) => i.start <= inst.start && (i.run?.commands ?? []).some((c) => (pythonInstall(i, c)?.args.packages ?? []).some((w) => isKeyringPackage(requirementName(w.value) ?? ''))))) return undefined;
  // Which environment: the interpreter named by path, an active venv (VIRTUAL_ENV; `. venv/bin/activate`
  // before it in the RUN; a venv's bin first on PATH), or the system. uv's `--system` skips virtual
  // environments (found by review: the packages went to /usr/local, the app ran the venv's python).
  // (Not the system's own bin folders: `/usr/bin/python3 -m pip` is the system Python, named below; found by review.)
  const sysPath = /^(\/usr(?:\/local)?|)\/bin\/(?:python|pip)([\d.]*)$/.exec(cmd.argv[0].value);
  const m = sysPath ? null : /^(.+)\/bin\/(pip|python)[\d.]*$/.exec(cmd.argv[0].value);
  // (`. venv/bin/activate` sets VIRTUAL_ENV, which uv reads: neither `--system` nor a path is needed.)
  const activated = (inst.run?.commands ?? []).some((c) => c.index < cmd.index && (c.name === '.' || c.name === 'source') && /\/bin\/activate$/.test(c.argv[1]?.value ?? ''));
  const onPath = m || cmd.env.has('VIRTUAL_ENV') || activated ? undefined : venvOnPath(ctx, inst, cmd);
  // A folder of its own first on PATH that slimdock cannot tell is a venv or not (a base image's
  // /opt/venv, a copied one under another name): no fix, rather than `--system` beside it (found by review).
  if (onPath === 'unknown') return undefined;
  const venv = m ? m[1] : onPath;
  // `--target`/`--prefix` name the place themselves: no `--system` (which would also trip PEP 668).
  const placed = hasOption(ins.args, '--target', '-t', '--prefix');
  const system = !venv && !cmd.env.has('VIRTUAL_ENV') && !activated && !placed;
  // A non-root pip falls back to a user install where site-packages is not writable; uv has no
  // user installs, and `--system` as that user fails: no conversion.
  if (system && inst.user !== 'root' && inst.user !== '0') return undefined;
  // A versioned interpreter by name (`python3.11 -m pip`, `pip3.11`) beside the release's python3:
  // `--system` would take the first python3 on PATH (found by review: the packages went to 3.10).
  // (By the system's path too: `/usr/bin/python3.11 -m pip` is that interpreter, `/usr/bin/pip3` python3's.)
  const versioned = /^(?:python|pip)(3\.\d+)$/.exec(cmd.argv[0].value)?.[1];
  const interpreter = sysPath && /^(3(\.\d+)?)?$/.test(sysPath[2]) ? `${sysPath[1]}/bin/python${sysPath[2] || '3'}` : versioned ? `python${versioned}` : undefined;
  const target = venv ? ['--python', `${venv}/bin/python`] : system && interpreter ? ['--python', interpreter] : system ? ['--system'] : [];
  if (system && options.breakSystemPackages && !hasOption(ins.args, '--break-system-packages')) target.push('--break-system-packages');
  // uv's cache must not land in the image either.
  const cacheHandled = options.cacheMount || hasOption(ins.args, '--no-cache-dir', '--no-cache') || envTrue(cmd.env.get('UV_NO_CACHE')) || cmd.env.has('PIP_NO_CACHE_DIR') || mountCovers(inst, uvCacheDir(inst, cmd));
  // pip picks the best version over all its indexes, uv takes a package from the first index that
  // has it: with an extra index (the PyTorch one hosts old numpy, requests …) pip's choice is uv's
  // unsafe-best-match (found by review: the pins did not resolve). From the command, the
  // environment or a requirements file's own `--extra-index-url` line.
  const extraIndex = words.some((w) => /^--extra-index-url(=|$)/.test(w.value)) || cmd.env.has('PIP_EXTRA_INDEX_URL') || ins.args.requirementFiles.some((f) => requirementsHaveExtraIndex(ctx, inst, f.value));
  const strategy = extraIndex && !words.some((w) => /^--index-strategy(=|$)/.test(w.value)) && !cmd.env.has('UV_INDEX_STRATEGY') ? ['--index-strategy', 'unsafe-best-match'] : [];
  // pip's PIP_FIND_LINKS is a space-separated list, UV_FIND_LINKS a comma-separated one (found by review).
  if (/\s/.test(cmd.env.get('PIP_FIND_LINKS')?.trim() ?? '') && !cmd.env.has('UV_FIND_LINKS')) return undefined;
  const head = ['uv', 'pip', 'install', ...target, ...(cacheHandled ? [] : ['--no-cache']), ...strategy];
  // PIP_* settings: from ENV/ARG as an ENV line; from `export`/inline as inline assignments.
  const envLines: string[] = [];
  const inline: string[] = [];
  for (const [pipVar, uvVar] of PIP_TO_UV_ENV) {
    const value = cmd.env.get(pipVar);
    if (value === undefined || cmd.env.has(uvVar)) continue;
    if (pipVar === 'PIP_NO_CACHE_DIR' && options.cacheMount) continue;
    const uvValue = pipVar === 'PIP_NO_CACHE_DIR' ? '1' : pipVar === 'PIP_PRE' ? 'allow' : undefined;
    if (inst.env.get(pipVar) === value && !cmd.assignments.has(pipVar)) envLines.push(`${uvVar}=${uvValue ?? `\${${pipVar}}`}`);
    else if (exec) return undefined;
    else inline.push(`${uvVar}=${JSON.stringify(uvValue ?? value)}`);
  }
  const replacement = exec ? head.map((w) => JSON.stringify(w)).join(', ') : [...inline, ...head].join(' ');
  edits.push(replaceSpan(ctx.model, cmd.argv[0].start, ins.installWord.end, replacement));
  return { edits, envLines };
}

/** A requirements file, or one it includes (`-r base.txt`), has an `--extra-index-url` line (found by review: nested). */
function requirementsHaveExtraIndex(ctx: DockerfileContext, inst: InstructionModel, path: string, depth = 0): boolean {
  const text = readContextFile(ctx, inst, path);
  if (text === undefined || depth > 5) return false;
  if (/^\s*--extra-index-url\b/m.test(text)) return true;
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
  return [...text.matchAll(/^\s*(?:-r|--requirement)[\s=]+(\S+)/gm)].some((m) => requirementsHaveExtraIndex(ctx, inst, m[1].startsWith('/') ? m[1] : `${dir}${m[1]}`, depth + 1));
}

/**
 * The virtual environment first on PATH (`ENV PATH=/opt/venv/bin:$PATH`) that exists when the
 * command runs: the file made it before (`python -m venv`, `virtualenv`, `uv venv`, in an earlier
 * instruction of the stage's lineage or earlier in the RUN), or copied it from another stage into a
 * folder named as one (`COPY --from=build /opt/venv /opt/venv`). Not any folder with a bin (a user
 * base, CUDA, /app/bin), nor a venv made after the command.
 */
function venvOnPath(ctx: DockerfileContext, inst: InstructionModel, cmd: ShellCommand): string | 'unknown' | undefined {
  const first = (cmd.env.get('PATH') ?? '').split(':')[0];
  const dir = /^(\/.+)\/bin\/?$/.exec(first)?.[1];
  if (!dir || /^\/usr(\/local)?$/.test(dir)) return undefined;
  const makes = (i: InstructionModel, c: ShellCommand) => venvMadeBy(i, c) === dir;
  const before = lineage(inst.stage).filter((i) => i.start < inst.start);
  const made = before.some((i) => {
    if (i.keyword === 'COPY' && i.flags.has('from')) return /(^|\/)\.?venv[^/]*$|virtualenv/.test(dir) && resolvePath(i.workdir, i.args[i.args.length - 1]?.getValue() ?? '').replace(/\/+$/, '') === dir;
    return (i.run?.commands ?? []).some((c) => makes(i, c));
  }) || (inst.run?.commands ?? []).some((c) => c.index < cmd.index && makes(inst, c));
  if (made) return dir;
  // Folders on PATH that are not environments: a user base, CUDA, conda, the system's own.
  if (/\/\.local$|cuda|conda|mamba|^\/(usr|bin|sbin|opt\/homebrew)(\/|$)/.test(dir)) return undefined;
  // Made after the command in the same RUN: the system pip ran.
  if ((inst.run?.commands ?? []).some((c) => c.index > cmd.index && makes(inst, c))) return undefined;
  return 'unknown';
}

/** The file sets up pip's configuration for `inst`: a pip.conf copied or written before it in its stage's lineage (or a folder of pip's config), `pip config`, or one the RUN mounts (a secret at /etc/pip.conf). */
function pipConfigured(ctx: DockerfileContext, inst: InstructionModel): boolean {
  const conf = /(^|\/)pip\.(conf|ini)$|(^|\/)\.config\/pip\/?$|^\/etc\/xdg\/pip\/?$|(^|\/)\.pip\/?$/;
  if ((inst.run?.mounts ?? []).some((m) => conf.test(m.target ?? ''))) return true;
  return lineage(inst.stage).some((i) => {
    // (Its own RUN too: `aws codeartifact login --tool pip && pip install …`; found by review.)
    if (i.start > inst.start) return false;
    if (i.keyword === 'COPY' || i.keyword === 'ADD') return i.args.some((w) => conf.test(w.getValue().replace(/\/+$/, '')));
    return (i.run?.commands ?? []).some((c) => writesPipConfig(c) || (/^pip[\d.]*$/.test(c.name) && c.argv[1]?.value === 'config') || (/^python[\d.]*$/.test(c.name) && c.argv.some((w, k) => w.value === 'pip' && c.argv[k - 1]?.value === '-m' && c.argv[k + 1]?.value === 'config')) || c.argv.some((w) => conf.test(w.value))) || (i.keyword === 'RUN' && />>?\s*["']?\S*pip\.(conf|ini)\b/.test(ctx.model.text.slice(i.start, i.end).replace(/^\s*#.*$/gm, '')));
  });
}

