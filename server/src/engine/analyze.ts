// The engine's entry point for Dockerfiles: text + file system in, findings out.
import { buildModel, contextSources, type DockerfileModel } from './parse/dockerfile';
import { MemoizedFileSystem, type FileSystem } from './fs';
import { loadConfig, effectiveSeverity, parentDir, type Config } from './config/config';
import { collectSuppressions, isSuppressed } from './suppress';
import { dockerfileRules } from './rules/registry';
import type { DockerfileContext } from './context';
import { resolveBuildContext, inferContextDir } from './buildcontext';
import type { Finding, Fix, Severity } from './types';

export const MAX_FILE_BYTES = 1_000_000;

export interface CheckInput {
  /** Absolute path of the Dockerfile (POSIX separators). */
  file: string;
  text: string;
  fs: FileSystem;
  /** Configuration; read from the file system when absent. */
  config?: Config;
  /** Where configuration lookups stop (the workspace root). */
  root?: string;
}

export interface CheckResult {
  findings: Finding[];
  model?: DockerfileModel;
}

export function checkDockerfile(input: CheckInput): CheckResult {
  const { file, text } = input;
  const fs = new MemoizedFileSystem(input.fs);
  const dir = parentDir(file);
  const config = input.config ?? loadConfig(fs, dir, input.root);
  const findings: Finding[] = [];
  const at = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 0 } });

  if (text.length > MAX_FILE_BYTES) {
    findings.push({ rule: 'SD000', file, range: at(0), severity: 'info', message: `File is over 1 MB (${text.length} characters): skipped.`, fixes: [] });
    return { findings };
  }

  let build = resolveBuildContext(fs, file, { setting: config.buildContext, root: input.root });
  let model: DockerfileModel;
  try {
    model = buildModel(text, { target: build.target });
    if (build.origin === 'dockerfile-folder') {
      const inferred = inferContextDir(fs, file, model.instructions.flatMap(contextSources), input.root ?? '/');
      if (inferred) build = resolveBuildContext(fs, file, { root: input.root, inferred });
    }
  } catch (e) {
    findings.push({ rule: 'SD000', file, range: at(0), severity: 'warning', message: `Could not parse this Dockerfile: ${(e as Error).message}`, fixes: [] });
    return { findings };
  }

  const ctx: DockerfileContext = { file, model, fs, contextDir: build.dir, build, config, devcontainer: /(^|\/)\.devcontainer\//.test(file) };
  const spans = model.instructions.map((i) => ({ startLine: i.node.getRange().start.line, endLine: i.node.getRange().end.line }));
  const suppressions = collectSuppressions(text, spans);

  for (const p of config.problems) findings.push({ rule: 'SD000', file, range: at(0), severity: 'info', message: p, fixes: [] });
  for (const inst of model.instructions) {
    if (inst.run?.hasError) {
      findings.push({
        rule: 'SD000',
        file,
        range: model.rangeOf(inst.start, Math.min(inst.end, model.text.indexOf('\n', inst.start) < 0 ? inst.end : model.text.indexOf('\n', inst.start))),
        severity: 'hint',
        message: 'The shell in this RUN did not parse cleanly: findings in it are best effort.',
        fixes: [],
      });
    }
  }

  for (const rule of dockerfileRules) {
    const level = effectiveSeverity(config, rule.id, rule.hadolint, rule.severity);
    if (level === 'off') continue;
    const ids = [rule.id, ...(rule.hadolint ?? [])];
    try {
      rule.check(ctx, (f) => {
        if (isSuppressed(suppressions, f.range.start.line, ids)) return;
        findings.push({
          rule: rule.id,
          file,
          range: f.range,
          message: f.message,
          severity: (f.severity as Severity | undefined) ?? level,
          estimate: f.estimate,
          fixes: (f.fixes ?? []) as Fix[],
        });
      });
    } catch (e) {
      findings.push({ rule: 'SD000', file, range: at(0), severity: 'warning', message: `Internal error in ${rule.id}: ${(e as Error).message}. Please report it.`, fixes: [] });
    }
  }

  // SD000 findings obey the configuration too.
  const sd000 = effectiveSeverity(config, 'SD000', undefined, 'warning');
  const kept = findings.filter((f) => f.rule !== 'SD000' || (sd000 !== 'off' && !isSuppressed(suppressions, f.range.start.line, ['SD000'])));
  kept.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.rule.localeCompare(b.rule));
  return { findings: kept, model };
}
