// Every fix over every real Dockerfile of the corpus (../shared/corpus), applied to a copy in
// memory: the result parses with the same instructions (per keyword, except the change the fix's
// title documents), the finding is gone from its (moved) line, no rule gains a warning or error;
// and fix-all converges: once its rounds are done, one more changes nothing. Prints the counts.
// A failure here is a bug in a rule's fix. Skipped when the corpus is not there.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDockerfile, MAX_FILE_BYTES, type Finding, type Fix } from '../../server/src/engine';
import { applyEdits, checkFixedText, fixAll, mapLine } from '../../server/src/engine/fixes';
import { OverlayFileSystem } from '../../server/src/lsp/files';
import { NodeFileSystem } from '../../server/src/nodeFs';
import { CORPUS, corpusPaths, skipWithoutCorpus } from '../corpus-manifest';

const ROUNDS = 5;


/** One Dockerfile of the corpus, checked against its repository (the root) with edits overlaid. */
class Project {
  readonly file: string;
  readonly root: string;
  readonly disk: NodeFileSystem;

  constructor(readonly rel: string) {
    this.file = path.posix.join(CORPUS, rel);
    this.root = path.posix.join(CORPUS, rel.split('/').slice(0, 2).join('/')); // repos/<owner__name>
    this.disk = new NodeFileSystem(this.root);
  }

  check(text: string, overlay: Map<string, string> = new Map()): Finding[] {
    const fs = new OverlayFileSystem(this.disk, new Map([...overlay, [this.file, text]]));
    return checkDockerfile({ file: this.file, text, fs, root: this.root }).findings;
  }

  /** The other files after a fix's edits, on top of `overlay`; a problem with the create flag is thrown. */
  otherFiles(fix: Pick<Fix, 'otherFiles'>, overlay: Map<string, string> = new Map()): Map<string, string> {
    const out = new Map(overlay);
    for (const fe of fix.otherFiles ?? []) {
      const current = out.get(fe.file) ?? this.disk.readFile(fe.file);
      if (!!fe.create !== (current === undefined)) throw new Error(`${fe.file}: create is ${!!fe.create} but the file ${current === undefined ? 'does not exist' : 'exists'}`);
      out.set(fe.file, applyEdits(current ?? '', fe.edits));
    }
    return out;
  }
}

const serious = (fs: Finding[]) => {
  const n = new Map<string, number>();
  for (const f of fs) if (f.severity === 'error' || f.severity === 'warning') n.set(f.rule, (n.get(f.rule) ?? 0) + 1);
  return n;
};

describe('corpus: every fix on real Dockerfiles', function () {
  this.timeout(120_000);
  skipWithoutCorpus();

  it('each fix keeps the file whole, removes its finding, adds no warning; fix-all converges', () => {
    const files = corpusPaths('dockerfile');
    assert.ok(files.length > 100, `manifest lists ${files.length} Dockerfiles`);
    const failures: string[] = [];
    const applied = new Map<string, number>();
    let fixes = 0;
    let fixAllRounds = 0;

    for (const rel of files) {
      const p = new Project(rel);
      const text = fs.readFileSync(p.file, 'utf8');
      if (text.length > MAX_FILE_BYTES) continue;
      const before = p.check(text);
      const seriousBefore = serious(before);

      for (const finding of before) {
        const line = finding.range.start.line;
        for (const fix of finding.fixes) {
          fixes++;
          applied.set(finding.rule, (applied.get(finding.rule) ?? 0) + 1);
          const fail = (what: string) => failures.push(`${rel}:${line + 1} ${finding.rule} "${fix.title}": ${what}`);
          try {
            const after = applyEdits(text, fix.edits);
            const broken = checkFixedText(text, after, [fix]);
            if (broken) {
              fail(broken);
              continue;
            }
            const found = p.check(after, p.otherFiles(fix));
            const moved = mapLine(fix.edits, finding.range.start);
            if (found.some((f) => f.rule === finding.rule && f.range.start.line === moved)) fail(`still fires on line ${moved + 1}`);
            const added = [...serious(found)].filter(([rule, n]) => n > (seriousBefore.get(rule) ?? 0)).map(([rule]) => rule);
            if (added.length) fail(`new warning/error: ${added.join(', ')} — ${found.filter((f) => added.includes(f.rule)).map((f) => `${f.range.start.line + 1}: ${f.message}`).join(' | ')}`);
          } catch (e) {
            fail(`throws: ${(e as Error).message}`);
          }
        }
      }

      // Fix-all in rounds, as `check --fix` does: each round's fixes alone already passed above.
      try {
        let current = text;
        let overlay = new Map<string, string>();
        let findings = before;
        let converged = false;
        for (let round = 0; round < ROUNDS && !converged; round++) {
          const set = fixAll(findings);
          if (set.applied.length === 0) {
            converged = true;
            break;
          }
          fixAllRounds++;
          const next = applyEdits(current, set.edits);
          const broken = checkFixedText(current, next, set.applied.map((c) => c.fix));
          if (broken) {
            failures.push(`${rel} fix-all round ${round + 1} (${set.applied.map((c) => c.finding.rule).join(', ')}): ${broken}`);
            converged = true; // reported: no second message about the rounds
            break;
          }
          overlay = p.otherFiles({ otherFiles: set.otherFiles }, overlay);
          current = next;
          findings = p.check(current, overlay);
          // Nothing skipped: the next application must have nothing left to do.
          if (set.skipped.length === 0) {
            const again = fixAll(findings);
            if (again.applied.length) failures.push(`${rel} fix-all is not idempotent: a second application still fixes ${again.applied.map((c) => `${c.finding.rule}@${c.finding.range.start.line + 1} "${c.fix.title}"`).join(', ')}`);
            converged = true;
          }
        }
        if (!converged && fixAll(findings).applied.length) failures.push(`${rel} fix-all does not converge in ${ROUNDS} rounds`);
      } catch (e) {
        failures.push(`${rel} fix-all throws: ${(e as Error).message}`);
      }
    }

    console.log(`    ${fixes} fixes applied over ${files.length} Dockerfiles (${fixAllRounds} fix-all rounds), ${failures.length} failures`);
    for (const [rule, n] of [...applied].sort(([a], [b]) => a.localeCompare(b))) console.log(`      ${rule}  ${String(n).padStart(5)}`);
    for (const f of failures) console.log(`    FAIL ${f}`);
    assert.deepEqual(failures, [], `${failures.length} fixes broke something`);
  });
});
