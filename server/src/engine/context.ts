// What a Dockerfile rule sees: the model, the build context through the file system, the
// configuration, and helpers to turn offsets into ranges.
import type { DockerfileModel } from './parse/dockerfile';
import type { FileSystem } from './fs';
import type { Config } from './config/config';
import type { BuildContext } from './buildcontext';

export interface DockerfileContext {
  /** Absolute path of the Dockerfile. */
  file: string;
  model: DockerfileModel;
  fs: FileSystem;
  /** Absolute path of the build context folder. */
  contextDir: string;
  /** The build context: `.dockerignore`, what the context holds, compose target. */
  build: BuildContext;
  config: Config;
  /** The Dockerfile lives under `.devcontainer/`: dev tooling is its purpose. */
  devcontainer: boolean;
}
