// Python installer rules (SD101–SD111): pip, poetry, pipenv, pdm, conda and what they leave
// in the image.
import type { DockerfileRule } from './rule';
import type { DockerfileContext } from '../context';
import type { InstructionModel } from '../parse/dockerfile';
import { shipsPath, resolvePath } from '../parse/dockerfile';
import type { ShellCommand } from '../parse/shell';
import { pipCall, installArgs, hasOption, requirementName, expandPath, removes, mountCovers } from './commands';
import { insertOptionAfter, addMount } from './edits';
import { estimateFromSum, sumSizes, wheelSize, wheelBasis } from '../estimates';
import { readRequirementNames } from './context-files';
import type { Estimate } from '../types';

/** Every RUN command in a stage, with its instruction. */
export function* runCommands(ctx: DockerfileContext): Generator<{ inst: InstructionModel; cmd: ShellCommand }> {
  for (const inst of ctx.model.instructions) {
    if (!inst.run) continue;
    for (const cmd of inst.run.commands) yield { inst, cmd };
  }
}

/** Where pip keeps its cache for this command: PIP_CACHE_DIR, XDG_CACHE_HOME/pip, ~/.cache/pip. */
export function pipCacheDir(inst: InstructionModel, cmd: ShellCommand, cacheDirOption?: string): string {
  const env = cmd.env;
  if (cacheDirOption) return expandPath(cacheDirOption, inst, env);
  const set = env.get('PIP_CACHE_DIR');
  if (set) return expandPath(set, inst, env);
  const xdg = env.get('XDG_CACHE_HOME');
  if (xdg) return resolvePath('/', `${expandPath(xdg, inst, env)}/pip`);
  return resolvePath('/', `${env.get('HOME') ?? inst.home}/.cache/pip`);
}

/** Download size of what a pip/uv install names directly (packages and requirement files). */
export function installEstimate(ctx: DockerfileContext, inst: InstructionModel, packages: string[], requirementFiles: string[], what: string): Estimate {
  const names = packages.map(requirementName).filter((n): n is string => !!n);
  for (const f of requirementFiles) names.push(...(readRequirementNames(ctx, inst, f) ?? []));
  const sum = sumSizes([...new Set(names)], wheelSize);
  return estimateFromSum(what, sum, `the download size of the ${sum.known} directly named package(s) (${wheelBasis()}); their dependencies add more.`);
}

const SD101: DockerfileRule = {
  id: 'SD101',
  title: 'pip cache left in the layer',
  severity: 'warning',
  hadolint: ['DL3042'],
  docs: {
    summary: '`pip install` keeps every downloaded wheel in its cache directory, and the cache ships in the image.',
    why: 'pip caches each wheel it downloads under `~/.cache/pip`; in an image layer that copy is dead weight, often 30–50 % of the installed size.',
  },
  check(ctx, report) {
    for (const { inst, cmd } of runCommands(ctx)) {
      const call = pipCall(cmd);
      if (!call || call.sub?.value !== 'install') continue;
      const args = installArgs(call.args);
      if (hasOption(args, '--no-cache-dir', '--no-cache')) continue;
      if (cmd.env.has('PIP_NO_CACHE_DIR')) continue; // pip turns the cache off for any boolean value, 0 and false included
      const globalCacheDir = cmd.argv.find((w, i) => i > 0 && cmd.argv[i - 1].value === '--cache-dir')?.value;
      const cacheDir = pipCacheDir(inst, cmd, args.options.get('--cache-dir')?.[0]?.value ?? globalCacheDir);
      if (cacheDir === '/dev/null') continue;
      if (!shipsPath(inst.stage, cacheDir)) continue;
      if (mountCovers(inst, cacheDir)) continue;
      const later = inst.run!.commands.filter((c) => c.index > cmd.index);
      if (later.some((c) => removes(c, cacheDir, inst) || isPipCachePurge(c))) continue;
      const exec = cmd.via === 'exec';
      report({
        range: ctx.model.rangeOf(cmd.start, call.sub.end),
        message: `pip keeps its download cache (${cacheDir}) in this layer: add --no-cache-dir or a cache mount.`,
        estimate: installEstimate(ctx, inst, args.packages.map((w) => w.value), args.requirementFiles.map((w) => w.value), 'pip cache'),
        fixes: [
          { title: 'Add --no-cache-dir', edits: [insertOptionAfter(ctx.model, call.sub, '--no-cache-dir', exec)], preferred: true, safe: true },
          ...(exec ? [] : [{ title: `Add a cache mount on ${cacheDir}`, edits: [addMount(ctx.model, inst, `type=cache,target=${cacheDir}`)] }]),
        ],
      });
    }
  },
};

function isPipCachePurge(cmd: ShellCommand): boolean {
  const call = pipCall(cmd);
  return !!call && call.sub?.value === 'cache' && (call.args[0]?.value === 'purge' || call.args[0]?.value === 'remove');
}

export const pythonRules: DockerfileRule[] = [SD101];
