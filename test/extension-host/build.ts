// Bundles the in-extension-host suite into out/extension-host/ (index.js: the --extensionTestsPath
// entry; tests.js: the tests). `vscode` is the host's; mocha is loaded from node_modules.
import * as path from 'node:path';
import { build } from 'esbuild';

export const ROOT = path.resolve(__dirname, '../..');
export const OUT = path.join(ROOT, 'out', 'extension-host');
/** The module VS Code loads with --extensionTestsPath. */
export const SUITE = path.join(OUT, 'index.js');
/** The folder the tests open (copied to a temp folder first). */
export const FIXTURE = path.join(__dirname, 'fixture');

export async function buildSuite(): Promise<string> {
  await build({
    entryPoints: { index: path.join(__dirname, 'suite', 'index.ts'), tests: path.join(__dirname, 'suite', 'tests.ts') },
    outdir: OUT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return SUITE;
}
