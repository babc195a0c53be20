// Quick per-file timing of the engine over the corpus (development aid; the benchmark proper is bench/run).
import fs from 'node:fs';
import path from 'node:path';
import { initShellParser, checkDockerfile } from '../server/src/engine';
import { NodeFileSystem, wasmDir } from '../server/src/nodeFs';
import { buildModel } from '../server/src/engine/parse/dockerfile';
import { DockerfileParser } from 'dockerfile-ast';

const corpus = path.resolve(__dirname, '../../shared/corpus');
const rows = fs.readFileSync(path.join(corpus, 'manifest.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')).filter((r) => r[5] === 'dockerfile');
(async () => {
  await initShellParser(wasmDir());
  const nfs = new NodeFileSystem('/');
  const files = rows.map((r) => path.join(corpus, r[4])).map((f) => ({ f, text: fs.readFileSync(f, 'utf8') }));
  const time = (fn: () => void) => { const t = process.hrtime.bigint(); fn(); return Number(process.hrtime.bigint() - t) / 1e6; };
  for (let round = 0; round < 3; round++) {
    const parse: number[] = [], model: number[] = [], full: number[] = [];
    for (const { f, text } of files) {
      parse.push(time(() => DockerfileParser.parse(text)));
      model.push(time(() => buildModel(text)));
      full.push(time(() => checkDockerfile({ file: f, text, fs: nfs })));
    }
    const q = (a: number[], p: number) => [...a].sort((x, y) => x - y)[Math.floor((a.length - 1) * p)].toFixed(2);
    console.log(`round ${round}: parse p50 ${q(parse, .5)} p99 ${q(parse, .99)} | model p50 ${q(model, .5)} p99 ${q(model, .99)} | check p50 ${q(full, .5)} p99 ${q(full, .99)}`);
  }
})();
