// Reads a golden case of test/fixtures/optimize/<case>/: the Dockerfile, its build context (every
// other file but expected.* and options.json) and what Optimize must produce. options.json may
// set `mode` and `dockerfile` (its path in the case, for a Dockerfile in a subfolder).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MemoryFileSystem } from '../../../server/src/engine';
import type { OptimizeMode } from '../../../server/src/engine/optimize';

export const GOLDEN = path.resolve(__dirname, '../../fixtures/optimize');
export const CTX = '/ctx';

export interface GoldenCase {
  name: string;
  /** The Dockerfile's path relative to the case folder (`Dockerfile`, `docker/Dockerfile`). */
  path: string;
  dockerfile: string;
  /** Context files relative to the context (the Dockerfile included). */
  files: Record<string, string>;
  expected: string;
  expectedIgnore?: string;
  mode: OptimizeMode;
}

function walk(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? walk(dir, r) : [r];
  });
}

export function goldenCases(): GoldenCase[] {
  return fs.readdirSync(GOLDEN).sort().map((name) => {
    const dir = path.join(GOLDEN, name);
    const files: Record<string, string> = {};
    for (const rel of walk(dir)) if (!/^expected\.|^options\.json$/.test(rel)) files[rel] = fs.readFileSync(path.join(dir, rel), 'utf8');
    const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), 'utf8') : undefined);
    const options = JSON.parse(read('options.json') ?? '{}') as { mode?: OptimizeMode; dockerfile?: string };
    const at = options.dockerfile ?? 'Dockerfile';
    return { name, path: at, dockerfile: files[at], files, expected: read('expected.Dockerfile') ?? '', expectedIgnore: read('expected.dockerignore'), mode: options.mode ?? 'venv' };
  });
}

export function memoryFs(files: Record<string, string>): MemoryFileSystem {
  const all: Record<string, string> = {};
  for (const [k, v] of Object.entries(files)) all[`${CTX}/${k}`] = v;
  return new MemoryFileSystem(all);
}
