// The bundled CLI over every real Dockerfile of the corpus (../shared/corpus): no crash, valid
// JSON, findings only in the files given and only at positions inside them. Prints how often each
// rule fired, to watch rules for noise. Skipped when the corpus is not there.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requireBundle, slimdock, type JsonFinding } from '../cli/spawn';
import { CORPUS, corpusPaths, skipWithoutCorpus } from '../corpus-manifest';

const BATCH = 40;


describe('corpus: the CLI over real Dockerfiles', function () {
  this.timeout(300_000);
  skipWithoutCorpus();

  before(function () {
    requireBundle();
  });

  it('checks every Dockerfile without crashing, with findings inside the files', () => {
    const files = corpusPaths('dockerfile');
    assert.ok(files.length > 100, `manifest lists ${files.length} Dockerfiles`);
    const perRule = new Map<string, number>();
    const perSeverity = new Map<string, number>();

    for (let i = 0; i < files.length; i += BATCH) {
      const batch = files.slice(i, i + BATCH);
      // Run from the corpus folder: the JSON's paths are then the manifest's local paths.
      const r = slimdock(['check', '--format', 'json', '--fail-on', 'none', ...batch], { cwd: CORPUS });
      assert.equal(r.code, 0, `exit code on batch ${i / BATCH + 1}: ${r.stderr}`);
      let findings: JsonFinding[];
      try {
        findings = JSON.parse(r.stdout) as JsonFinding[];
      } catch (e) {
        throw new Error(`batch ${i / BATCH + 1}: output is not JSON (${(e as Error).message})`);
      }
      assert.ok(Array.isArray(findings));

      const inputs = new Set(batch);
      const lines = new Map<string, string[]>();
      for (const f of findings) {
        const where = `${f.file}:${f.line}:${f.column} ${f.rule}`;
        assert.ok(inputs.has(f.file), `${where}: not one of the files given`);
        assert.ok(!(f.rule === 'SD000' && /Internal error/.test(f.message)), `${where}: ${f.message}`);
        if (!lines.has(f.file)) lines.set(f.file, fs.readFileSync(path.join(CORPUS, f.file), 'utf8').split(/\r\n|\r|\n/));
        const text = lines.get(f.file)!;
        // Lines are 1-based; a column may point one past the line's last character (an end).
        const inside = (line: number, column: number) => line >= 1 && line <= text.length && column >= 1 && column <= text[line - 1].length + 1;
        assert.ok(inside(f.line, f.column), `${where}: start outside the file`);
        assert.ok(inside(f.endLine, f.endColumn), `${where}: end (${f.endLine}:${f.endColumn}) outside the file`);
        assert.ok(f.endLine > f.line || (f.endLine === f.line && f.endColumn >= f.column), `${where}: end before start`);
        perRule.set(f.rule, (perRule.get(f.rule) ?? 0) + 1);
        perSeverity.set(f.severity, (perSeverity.get(f.severity) ?? 0) + 1);
      }
    }

    const rows = [...perRule.entries()].sort(([a], [b]) => a.localeCompare(b));
    console.log(`    findings per rule over ${files.length} Dockerfiles:`);
    for (const [rule, n] of rows) console.log(`      ${rule}  ${String(n).padStart(5)}`);
    console.log(`      total  ${[...perSeverity.entries()].map(([s, n]) => `${n} ${s}`).join(', ')}`);
  });
});
