// Runs the in-extension-host suite in desktop VS Code through @vscode/test-electron, for machines
// that can download VS Code (this one cannot: the package is not a devDependency). See README.md.
//
//   npm install --no-save @vscode/test-electron && npm run build && npx tsx test/extension-host/run-electron.ts
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSuite, FIXTURE, ROOT } from './build';

interface TestElectron {
  runTests(options: { extensionDevelopmentPath: string; extensionTestsPath: string; launchArgs?: string[]; version?: string; extensionTestsEnv?: Record<string, string> }): Promise<number>;
}

async function main(): Promise<number> {
  // Loaded by name at run time so that the typecheck does not need the package.
  const moduleName = '@vscode/test-electron';
  const { runTests } = require(moduleName) as TestElectron;
  const suite = await buildSuite();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slimdock-eh-electron-'));
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(FIXTURE, workspace, { recursive: true });
  const resultFile = path.join(tmp, 'result.json');
  try {
    const code = await runTests({
      version: process.env.SLIMDOCK_VSCODE_VERSION ?? '1.100.3',
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: suite,
      extensionTestsEnv: { SLIMDOCK_EH_RESULT: resultFile },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--user-data-dir', path.join(tmp, 'user-data')],
    });
    if (fs.existsSync(resultFile)) console.log(fs.readFileSync(resultFile, 'utf8'));
    return code;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(e.stack ?? e.message);
    process.exit(1);
  },
);
