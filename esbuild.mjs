// Bundles the extension client, the language server and the CLI into dist/, and copies the
// tree-sitter wasm files next to them (the server loads them at start-up).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

mkdirSync('dist', { recursive: true });
await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
]);
chmodSync('dist/server.js', 0o755);
chmodSync('dist/cli.js', 0o755);

const wasmDir = path.join(path.dirname(require.resolve('@vscode/tree-sitter-wasm')));
for (const file of ['tree-sitter.wasm', 'tree-sitter-bash.wasm']) {
  copyFileSync(path.join(wasmDir, file), path.join('dist', file));
}
