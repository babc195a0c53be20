// Readings of OS package-manager commands (apt-get/apt, apk, dnf/yum/microdnf, zypper) and the
// fix helper that appends a command at the end of a RUN. Used by the SD2xx rules in os.ts.
import type { ShellCommand, Word } from '../parse/shell';
import type { DockerfileModel, InstructionModel, StageModel } from '../parse/dockerfile';
import { substitute } from '../parse/dockerfile';
import { installArgs, type PackageArgs } from './commands';
import { insertAt } from './edits';
import type { TextEdit } from '../types';
import type { DockerfileContext } from '../context';
import { rootStage, stagesOf } from './lineage';

/** Every RUN command of the Dockerfile, with its instruction. */
export function* runCommands(ctx: DockerfileContext): Generator<{ inst: InstructionModel; cmd: ShellCommand }> {
  for (const inst of ctx.model.instructions) for (const cmd of inst.run?.commands ?? []) yield { inst, cmd };
}

export type Manager = 'apt' | 'apk' | 'rpm' | 'zypper';

export interface PackageCall {
  manager: Manager;
  /** The command name as written (`apt-get`, `microdnf` …). */
  tool: string;
  cmd: ShellCommand;
  /** The subcommand word (`install`, `add`, `update` …). */
  sub?: Word;
  /** Options anywhere after the tool name, and the package words after the subcommand. */
  args: PackageArgs;
}

const TOOLS: Record<string, Manager> = {
  'apt-get': 'apt', apt: 'apt', aptitude: 'apt',
  apk: 'apk',
  dnf: 'rpm', dnf5: 'rpm', yum: 'rpm', microdnf: 'rpm', tdnf: 'rpm',
  zypper: 'zypper',
};

/** Options that take the next word as their value, per manager. */
const VALUE_OPTIONS: Record<Manager, Set<string>> = {
  apt: new Set(['-o', '--option', '-c', '--config-file', '-t', '--target-release', '--default-release', '-a', '--host-architecture']),
  apk: new Set(['-X', '--repository', '-t', '--virtual', '-p', '--root', '--arch', '--keys-dir', '--repositories-file', '--cache-dir']),
  rpm: new Set(['-c', '--config', '--setopt', '--enablerepo', '--disablerepo', '--repo', '--repoid', '--installroot', '--releasever', '-x', '--exclude', '-d', '--debuglevel', '-e', '--errorlevel', '--forcearch']),
  zypper: new Set(['-R', '--root', '-r', '--repo', '--from', '-t', '--type', '-c', '--config']),
};

/** `apt-get -y install x`, `apk --no-cache add x`, `dnf install -y x`: the manager call, if this is one. */
export function packageCall(cmd: ShellCommand): PackageCall | undefined {
  const manager = TOOLS[cmd.name];
  if (!manager) return undefined;
  // Options may stand before or after the subcommand: the first non-option word is the subcommand.
  const all = installArgs(cmd.argv.slice(1), VALUE_OPTIONS[manager]);
  let [sub, ...packages] = all.packages;
  // `dnf module install x`, `yum group install x`: the second word is the real subcommand.
  if (manager === 'rpm' && sub && (sub.value === 'module' || sub.value === 'group') && packages.length) {
    sub = { ...packages[0], value: `${sub.value} ${packages[0].value}` };
    packages = packages.slice(1);
  }
  return { manager, tool: cmd.name, cmd, sub, args: { ...all, packages } };
}

export function isSub(call: PackageCall, ...names: string[]): boolean {
  return call.sub !== undefined && names.includes(call.sub.value);
}

/**
 * Package names of a call: variables from ENV/ARG/exports are expanded and split, versions and
 * architectures (`gcc=4:12.2`, `libc6:amd64`, `py3-pip~=23`) are dropped. `dynamic` is true
 * when some word could not be resolved (`$(cat packages.txt)`, an unknown variable).
 */
export function packageNames(call: PackageCall): { names: string[]; dynamic: boolean } {
  const names: string[] = [];
  let dynamic = false;
  for (const w of call.args.packages) {
    const value = w.dynamic ? substitute(w.value, call.cmd.vars) : w.value;
    for (const part of value.split(/\s+/)) {
      if (!part) continue;
      if (part.includes('$') || part.includes('`')) {
        dynamic = true;
        continue;
      }
      if (part.startsWith('-')) continue; // an option that came out of a variable
      names.push(part.replace(/[=:~<>].*$/, '').replace(/\.(x86_64|noarch|aarch64)$/, ''));
    }
  }
  return { names: names.filter(Boolean), dynamic };
}

/** A package name on a removal line: exact, or a shell-style glob (`'gcc*'`). */
export function nameMatches(pattern: string, name: string): boolean {
  if (!/[*?[]/.test(pattern)) return pattern === name;
  const re = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  try {
    return new RegExp(`^${re}$`).test(name);
  } catch {
    return false;
  }
}

/** The image a stage finally builds on (following `FROM <stage>`). */
export function rootImage(stage: StageModel): string {
  return rootStage(stage).image.toLowerCase();
}

/** Every instruction that shaped the file system of `inst`: its stage and the stages it is built FROM, in order, up to `inst`. */
export function instructionsBefore(inst: InstructionModel): InstructionModel[] {
  const out: InstructionModel[] = [];
  for (const s of stagesOf(inst.stage)) {
    for (const i of s.instructions) {
      if (i === inst) return [...out, i];
      out.push(i);
    }
  }
  return out;
}

/** The text of an instruction as written (heredoc bodies included). */
export function instructionText(model: DockerfileModel, inst: InstructionModel): string {
  return model.text.slice(inst.start, inst.end);
}

/**
 * An edit that appends `&& <command>` after the last command of a RUN, so it runs in the same
 * layer. Undefined when there is no safe place: an exec-form RUN that is not `sh -c`, a script
 * that ends in something other than a command (a heredoc body written to a file, say).
 */
export function appendToRun(model: DockerfileModel, inst: InstructionModel, command: string): TextEdit | undefined {
  const run = inst.run;
  // A script the shell parser could not read whole (an unclosed quote): the end may be inside it.
  if (!run || run.hasError || run.commands.length === 0) return undefined;
  let pool: ShellCommand[];
  let limit: number;
  if (run.execForm) {
    // ["sh", "-c", "script"]: inside the script string, before its closing quote.
    pool = run.commands.filter((c) => c.via === 'sh -c');
    const outer = run.commands[0];
    const script = outer.argv.find((w, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(outer.argv[i - 1].value));
    if (!pool.length || !script) return undefined;
    limit = script.end - 1;
  } else {
    pool = run.commands.filter((c) => c.via !== 'sh -c');
    limit = inst.end;
  }
  const last = pool.reduce((a, b) => (b.end > a.end ? b : a));
  // After `exit` or `exec` nothing runs: the command would never happen. (Not so after `|| exit 1`,
  // or an exit inside a group the script closes: `|| { echo failed; exit 1; }`.)
  const exits = last.name === 'exit' || /^(exit|exec)\b/.test(model.text.slice(last.start, last.end));
  if (exits && !/\|\|\s*$/.test(model.text.slice(0, last.start)) && !/[})]|\b(fi|done|esac)\b/.test(model.text.slice(last.end, limit))) return undefined;
  // Redirections of the last command (`echo x >> /etc/sudoers`) belong to it: append after them.
  const redirects = /^([ \t]*\d*(>>?|<|>&)[ \t]*[^\s;&|)]+)*/.exec(model.text.slice(last.end, limit))![0];
  const at = last.end + redirects.length;
  const rest = model.text.slice(at, limit);
  // What may follow: blanks, `;` and line continuations; in a `RUN <<EOF` script the closing delimiter.
  // A trailing `# comment` on the last line stays after the appended command.
  const tail = run.heredoc && last.via === 'heredoc' ? /^[ \t;]*(\r?\n[ \t]*)+[A-Za-z0-9_.'"-]+[ \t]*\r?\n?$/ : /^[\s;\\]*([ \t]#[^\n]*)?\s*$/;
  if (tail.test(rest)) return insertAt(model, at, ` && ${command}`);
  // `… fi`, `… done`, `( … )`: after the compound command that closes the script.
  if (!run.heredoc && /^[\s;\\]*((fi|done|esac|\}|\))[\s;\\]*)+$/.test(rest)) {
    const end = at + rest.replace(/[\s;\\]+$/, '').length;
    return insertAt(model, end, ` && ${command}`);
  }
  return undefined;
}
