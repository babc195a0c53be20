import * as path from 'node:path';
import * as fs from 'node:fs';
import { checkDockerfile, initShellParser } from '../server/src/engine';
import { NodeFileSystem } from '../server/src/nodeFs';
import { applyEdits } from '../server/src/engine/fixes/text';
(async () => {
  await initShellParser(path.dirname(require.resolve('@vscode/tree-sitter-wasm')));
  const file = process.argv[2]; const text = fs.readFileSync(file, 'utf8');
  const r = checkDockerfile({ file, text, fs: new NodeFileSystem('/'), root: process.argv[4] ?? path.dirname(file) });
  for (const f of r.findings.filter((f) => f.rule === (process.argv[3] ?? 'SD203'))) {
    console.log(f.range.start.line + 1, f.message);
    for (const x of f.fixes) { console.log('  fix:', x.title, x.preferred, x.safe); if (process.env.SHOW) console.log(applyEdits(text, x.edits).split('\n').map((l) => '    | ' + l).join('\n')); }
  }
})();
