// The DockerfileContext the refactorings read, built as `checkDockerfile` builds it for the rules
// (configuration, build context with compose/inferred folders, model).
import { buildModel, contextSources } from '../parse/dockerfile';
import { MemoizedFileSystem } from '../fs';
import { loadConfig, parentDir } from '../config/config';
import { resolveBuildContext, inferContextDir } from '../buildcontext';
import { MAX_FILE_BYTES, type CheckInput } from '../analyze';
import type { DockerfileContext } from '../context';

/** Undefined when the text is too large or does not parse: nothing is offered then. */
export function dockerfileContext(input: CheckInput): DockerfileContext | undefined {
  const { file, text } = input;
  if (text.length > MAX_FILE_BYTES) return undefined;
  const fs = new MemoizedFileSystem(input.fs);
  const config = input.config ?? loadConfig(fs, parentDir(file), input.root);
  let build = resolveBuildContext(fs, file, { setting: config.buildContext, root: input.root });
  try {
    const model = buildModel(text, { target: build.target });
    if (build.origin === 'dockerfile-folder') {
      const inferred = inferContextDir(fs, file, model.instructions.flatMap(contextSources), input.root ?? '/');
      if (inferred) build = resolveBuildContext(fs, file, { root: input.root, inferred });
    }
    return { file, model, fs, contextDir: build.dir, build, config, devcontainer: /(^|\/)\.devcontainer\//.test(file) };
  } catch {
    return undefined;
  }
}
