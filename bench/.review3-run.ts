import * as fs from 'node:fs';
import * as path from 'node:path';
import { optimize } from '../server/src/engine/optimize';
import { NodeFileSystem } from '../server/src/nodeFs';
import { initShellParser } from '../server/src/engine';
const disk = new NodeFileSystem('/');
const files = process.argv.slice(2);
(async () => {
await initShellParser(path.dirname(require.resolve('@vscode/tree-sitter-wasm')));
const modes = (process.env.MODES ?? 'venv,system').split(',') as ('venv'|'system')[];
for (const file of files) {
  const text = fs.readFileSync(file, 'utf8');
  for (const mode of modes) {
    const r = optimize({ file, text, fs: disk, mode, root: process.env.ROOT ?? (file.startsWith('/work/shared/corpus/repos/') ? file.split('/').slice(0,6).join('/') : undefined), uvVersion: '0.12.5' } as any);
    const out: any = { file, mode, changed: r.changed, restructured: r.restructured, notes: r.notes };
    if (r.restructured) {
      const r2 = optimize({ file, text: r.text, fs: disk, mode, root: process.env.ROOT ?? (file.startsWith('/work/shared/corpus/repos/') ? file.split('/').slice(0,6).join('/') : undefined), uvVersion: '0.12.5' } as any);
      out.idem = r2.text === r.text;
      if (!out.idem) out.second = r2.notes;
    }
    if (process.env.TEXT) out.text = r.text;
    console.log(JSON.stringify(out));
  }
}
})();
