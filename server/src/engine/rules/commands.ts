// Shared readings of shell commands: which command is pip (in all its spellings), which words
// are options, packages, requirement files; path helpers for caches and removals.
import type { ShellCommand, Word } from '../parse/shell';
import type { InstructionModel } from '../parse/dockerfile';
import { isUnder, resolvePath, substitute } from '../parse/dockerfile';

export interface Invocation {
  cmd: ShellCommand;
  /** The subcommand word (`install`), when there is one. */
  sub?: Word;
  /** Words after the subcommand. */
  args: Word[];
}

/** `pip`, `pip3`, `pip3.12`, `python -m pip`, `python3.11 -m pip`: the words after `pip`. */
export function pipCall(cmd: ShellCommand): Invocation | undefined {
  let i: number;
  if (/^pip(\d+(\.\d+)?)?$/.test(cmd.name)) i = 1;
  else if (/^python(\d+(\.\d+)?)?$/.test(cmd.name)) {
    const m = cmd.argv.findIndex((w, k) => k > 0 && w.value === '-m');
    if (m < 0 || cmd.argv[m + 1]?.value !== 'pip') return undefined;
    i = m + 2;
  } else return undefined;
  return subcommand(cmd, i, PIP_GLOBAL_VALUE_OPTIONS);
}

/** `uv pip install …`, `uv sync …`: the words after `uv` (sub = `pip` or `sync` …). */
export function uvCall(cmd: ShellCommand): Invocation | undefined {
  if (cmd.name !== 'uv') return undefined;
  return subcommand(cmd, 1, new Set(['--cache-dir', '--directory', '--project', '--config-file', '--python', '-p', '--color']));
}

function subcommand(cmd: ShellCommand, from: number, valueOptions: Set<string>): Invocation {
  const argv = cmd.argv;
  let i = from;
  while (i < argv.length && argv[i].value.startsWith('-')) {
    if (valueOptions.has(argv[i].value)) i++;
    i++;
  }
  if (i >= argv.length) return { cmd, args: [] };
  return { cmd, sub: argv[i], args: argv.slice(i + 1) };
}

const PIP_GLOBAL_VALUE_OPTIONS = new Set(['--log', '--proxy', '--retries', '--timeout', '--exists-action', '--trusted-host', '--cert', '--client-cert', '--cache-dir', '--python', '--keyring-provider', '--use-feature', '--use-deprecated', '--progress-bar']);

/** pip install options that take a value as the next word. */
export const PIP_INSTALL_VALUE_OPTIONS = new Set([
  '-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url',
  '-f', '--find-links', '--cache-dir', '-t', '--target', '--prefix', '--root', '--src', '--platform',
  '--python-version', '--implementation', '--abi', '--no-binary', '--only-binary', '--progress-bar',
  '--trusted-host', '--log', '--proxy', '--retries', '--timeout', '--exists-action', '--cert',
  '--client-cert', '--upgrade-strategy', '-C', '--config-settings', '--global-option', '--report',
  '--python', '--group', '--keyring-provider', '--use-feature',
]);

export interface PackageArgs {
  /** Option words: `--no-cache-dir`, `-r` … (the value, if any, in `values`). */
  options: Map<string, Word[]>;
  /** Package requirement words (`flask==3.0`, `torch`, `.[dev]`). */
  packages: Word[];
  requirementFiles: Word[];
  constraintFiles: Word[];
  editables: Word[];
}

/** A URL pip or uv fetches (`https://…`, `git+ssh://…`), not a local path (`vendor`, `file:///wheels`). */
export function isRemoteUrl(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) && !/^file:/i.test(value);
}

/** Options of `uv pip install` that take a value (on top of pip's). */
export const UV_PIP_VALUE_OPTIONS = new Set([
  '-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url', '--index',
  '--default-index', '-f', '--find-links', '--cache-dir', '-t', '--target', '--prefix', '--python', '-p', '--extra',
  '--group', '--override', '--overrides', '--build-constraint', '--build-constraints', '-b', '--requirements', '--constraints', '--config-file', '--excludes', '--exclude', '--no-binary', '--only-binary', '--index-strategy',
  '--keyring-provider', '--resolution', '--prerelease', '--exclude-newer', '--link-mode', '--python-version',
  '--python-platform', '--torch-backend', '-P', '--upgrade-package', '--reinstall-package', '--config-setting', '-C',
  '--no-build-isolation-package', '--refresh-package', '--allow-insecure-host', '--trusted-host', '--directory', '--project',
]);

/** Splits the words after `install` into options, packages and requirement files. */
export function installArgs(args: Word[], valueOptions: Set<string> = PIP_INSTALL_VALUE_OPTIONS): PackageArgs {
  const out: PackageArgs = { options: new Map(), packages: [], requirementFiles: [], constraintFiles: [], editables: [] };
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    const v = w.value;
    if (v.startsWith('-') && v.length > 1) {
      let name = v;
      let value: Word | undefined;
      const eq = v.indexOf('=');
      if (v.startsWith('--') && eq > 0) {
        name = v.slice(0, eq);
        value = { ...w, value: v.slice(eq + 1) };
      } else if (!v.startsWith('--') && v.length > 2 && valueOptions.has(v.slice(0, 2))) {
        name = v.slice(0, 2); // -rrequirements.txt
        value = { ...w, value: v.slice(2) };
      } else if (valueOptions.has(v) && i + 1 < args.length) {
        value = args[++i];
      }
      const list = out.options.get(name) ?? [];
      if (value) list.push(value);
      out.options.set(name, list);
      if (value && (name === '-r' || name === '--requirement' || name === '--requirements')) out.requirementFiles.push(value);
      if (value && (name === '-c' || name === '--constraint' || name === '--constraints')) out.constraintFiles.push(value);
      if (value && (name === '-e' || name === '--editable')) out.editables.push(value);
      continue;
    }
    out.packages.push(w);
  }
  return out;
}

/** The words of `pip install …` or `uv pip install …`, read; undefined for any other command. */
export function pipInstallArgs(cmd: ShellCommand): PackageArgs | undefined {
  const pip = pipCall(cmd);
  if (pip) return pip.sub?.value === 'install' ? installArgs(pip.args) : undefined;
  const uv = uvCall(cmd);
  return uv?.sub?.value === 'pip' && uv.args[0]?.value === 'install' ? installArgs(uv.args.slice(1), UV_PIP_VALUE_OPTIONS) : undefined;
}

export function hasOption(a: PackageArgs, ...names: string[]): boolean {
  return names.some((n) => a.options.has(n));
}

/** `Flask[async]>=3.0 ; python_version<"3.13"` → `flask`; undefined for paths, URLs, `.`. */
export function requirementName(spec: string): string | undefined {
  const s = spec.trim();
  if (!s || s.startsWith('.') || s.startsWith('/') || s.includes('://') || s.startsWith('$')) return undefined;
  const at = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*@/.exec(s);
  if (at) return at[1].toLowerCase();
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(s);
  if (!m) return undefined;
  if (/\.(whl|tar\.gz|zip)$/i.test(s)) return undefined;
  return m[1].toLowerCase().replace(/[-_.]+/g, '-');
}

/** Expands `~` and `$HOME` in a path word as the shell would for this instruction. */
export function expandPath(value: string, inst: InstructionModel, env: ReadonlyMap<string, string>): string {
  let v = value;
  const home = env.get('HOME') ?? inst.home;
  if (v === '~' || v.startsWith('~/')) v = home + v.slice(1);
  v = v.replace(/\$\{?HOME\}?/g, home);
  v = v.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (all, name) => env.get(name) ?? all);
  return resolvePath(inst.workdir, v);
}

/** True when `cmd` is an `rm` that removes `path` (or a folder above it, or its contents). */
export function removes(cmd: ShellCommand, path: string, inst: InstructionModel): boolean {
  if (cmd.name !== 'rm') return false;
  for (const w of cmd.argv.slice(1)) {
    if (w.value.startsWith('-')) continue;
    const target = expandPath(w.value.replace(/\/\*+$/, '').replace(/\/+$/, ''), inst, cmd.env);
    if (isUnder(path, target)) return true;
  }
  return false;
}

/** True when a cache or tmpfs mount of this RUN covers `path` (targets expand ENV/ARG as BuildKit does). */
export function mountCovers(inst: InstructionModel, path: string): boolean {
  return (inst.run?.mounts ?? []).some((m) => (m.type === 'cache' || m.type === 'tmpfs') && m.target !== undefined && isUnder(path, resolvePath(inst.workdir, expandHome(substitute(m.target, inst.env), inst))));
}

function expandHome(p: string, inst: InstructionModel): string {
  return p === '~' || p.startsWith('~/') ? inst.home + p.slice(1) : p.replace(/\$\{?HOME\}?/g, inst.home);
}
