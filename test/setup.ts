// Loaded by mocha before every test file: the shell parser needs its wasm once per process.
import path from 'node:path';
import { initShellParser } from '../server/src/engine';

export const mochaHooks = {
  async beforeAll() {
    await initShellParser(path.dirname(require.resolve('@vscode/tree-sitter-wasm')));
  },
};
