// The build context of a Dockerfile: which folder it is, which `.dockerignore` applies, and what is
// in it. The folder is the Dockerfile's own, unless the `build-context` setting names another, or a
// compose file in the workspace names this Dockerfile with a `context` (and a `target`).
import ignore from '@balena/dockerignore';
import { parse as parseYaml } from 'yaml';
import type { FileSystem } from './fs';
import { join, parentDir } from './config/config';
import { resolvePath } from './parse/dockerfile';
import { TextCache } from './parse/cache';

export interface BuildContext {
  /** Absolute path of the context folder. */
  dir: string;
  /** The `.dockerignore` in force (`<Dockerfile>.dockerignore` next to the Dockerfile wins). */
  dockerignorePath?: string;
  dockerignoreText?: string;
  /** Build target stage named by a compose file. */
  target?: string;
  /** How the context was decided, for hovers and messages. */
  origin: 'dockerfile-folder' | 'setting' | 'compose' | 'inferred';
  composeFile?: string;
  /** True when `rel` (a path relative to the context) is excluded by the `.dockerignore`. */
  ignored(rel: string): boolean;
  /** What is at `rel` in the context. */
  stat(rel: string): 'file' | 'dir' | undefined;
  /** Names in a context folder. */
  list(rel: string): string[];
}

const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/** `.dockerignore` matchers and parsed compose files by text (the Dockerfiles of a project share them). */
const matchers = new TextCache<ReturnType<typeof ignore>>(256);
const composeDocs = new TextCache<{ doc: unknown }>(256);

export function resolveBuildContext(fs: FileSystem, dockerfile: string, options: { setting?: string; root?: string; inferred?: string } = {}): BuildContext {
  const dfDir = parentDir(dockerfile);
  let dir = dfDir;
  let origin: BuildContext['origin'] = 'dockerfile-folder';
  let target: string | undefined;
  let composeFile: string | undefined;
  const compose = findCompose(fs, dockerfile, options.root ?? '/');
  if (options.setting) {
    dir = resolvePath(dfDir, options.setting);
    origin = 'setting';
  } else if (compose) {
    dir = compose.context;
    target = compose.target;
    composeFile = compose.file;
    origin = 'compose';
  } else if (options.inferred) {
    dir = options.inferred;
    origin = 'inferred';
  }

  const name = dockerfile.slice(dfDir.length + 1);
  const specific = join(dfDir, `${name}.dockerignore`);
  const general = join(dir, '.dockerignore');
  const dockerignorePath = fs.stat(specific) === 'file' ? specific : fs.stat(general) === 'file' ? general : undefined;
  const dockerignoreText = dockerignorePath ? fs.readFile(dockerignorePath) : undefined;
  const matcher = matchers.getOr(dockerignoreText ?? '', () => ignore().add(parseDockerignore(dockerignoreText ?? '')));

  return {
    dir,
    dockerignorePath,
    dockerignoreText,
    target,
    origin,
    composeFile,
    ignored: (rel) => {
      const clean = rel.replace(/^\/+|\/+$/g, '');
      if (!clean || clean === '.') return false;
      try {
        return matcher.ignores(clean);
      } catch {
        return false;
      }
    },
    stat: (rel) => fs.stat(join(dir, rel.replace(/^\/+/, ''))),
    list: (rel) => fs.readDir(rel ? join(dir, rel.replace(/^\/+/, '')) : dir) ?? [],
  };
}

/** `.dockerignore` lines as patterns: comments and blank lines dropped, as Docker reads them. */
export function parseDockerignore(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

interface ComposeMatch {
  file: string;
  context: string;
  target?: string;
}

/** A compose service in this folder or above (up to `root`) that builds `dockerfile`. */
export function findCompose(fs: FileSystem, dockerfile: string, root: string): ComposeMatch | undefined {
  for (let d = parentDir(dockerfile); ; d = parentDir(d)) {
    for (const name of COMPOSE_FILES) {
      const file = join(d, name);
      const text = fs.readFile(file);
      if (text === undefined) continue;
      const match = matchCompose(text, file, dockerfile);
      if (match) return match;
    }
    if (d === root || d === '/' || !d.startsWith(root)) return undefined;
  }
}

function matchCompose(text: string, file: string, dockerfile: string): ComposeMatch | undefined {
  const { doc } = composeDocs.getOr(text, () => {
    try {
      return { doc: parseYaml(text) as unknown };
    } catch {
      return { doc: undefined };
    }
  });
  const services = (doc as { services?: Record<string, unknown> } | null)?.services;
  if (!services || typeof services !== 'object') return undefined;
  const base = parentDir(file);
  for (const service of Object.values(services)) {
    const build = (service as { build?: unknown } | null)?.build;
    if (!build) continue;
    const spec = typeof build === 'string' ? { context: build } : (build as { context?: string; dockerfile?: string; target?: string });
    if (typeof spec.context !== 'string' && spec.context !== undefined) continue;
    const context = resolvePath(base, spec.context ?? '.');
    const df = typeof spec.dockerfile === 'string' ? resolvePath(context, spec.dockerfile) : join(context, 'Dockerfile');
    if (df === dockerfile) return { file, context, target: typeof spec.target === 'string' ? spec.target : undefined };
  }
  return undefined;
}

/**
 * Many projects build with `docker build -f docker/Dockerfile .` from the repository root. When the
 * files a Dockerfile copies are missing next to it but present in a folder above it (up to `root`, at
 * most 4 levels), that folder is the context the author meant. Returns it, or undefined when the
 * Dockerfile's own folder serves as well.
 */
export function inferContextDir(fs: FileSystem, dockerfile: string, sources: string[], root: string): string | undefined {
  const plain = sources.filter((s) => s && !/[*?[$]/.test(s) && !/^(https?:|git@)/.test(s) && s !== '.' && s !== './').map((s) => s.replace(/^\.?\/+/, '').replace(/\/+$/, ''));
  if (plain.length === 0) return undefined;
  const score = (dir: string) => plain.filter((s) => fs.stat(join(dir, s)) !== undefined).length;
  const own = parentDir(dockerfile);
  const ownScore = score(own);
  if (ownScore === plain.length) return undefined;
  let best: { dir: string; score: number } | undefined;
  let d = own;
  for (let level = 0; level < 4 && d !== '/' && d !== root && d.startsWith(root); level++) {
    d = parentDir(d);
    const sc = score(d);
    if (sc > ownScore && (!best || sc > best.score)) best = { dir: d, score: sc };
    if (d === root) break;
  }
  return best?.dir;
}
