// Optimize over every real Dockerfile of the corpus (../shared/corpus): a rewritten file parses,
// dockerfile-utils finds no error in it, slimdock finds no warning or error in it that the old file
// did not have (with the .dockerignore edit applied; the old file's own are counted apart), every CMD/ENTRYPOINT/EXPOSE/USER/WORKDIR/ENV/LABEL/HEALTHCHECK/VOLUME
// of the old final stage is still there, and a second run changes nothing. Files left unchanged
// must say why. Prints the counts. Skipped when the corpus is not there.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { checkDockerfile, type FileSystem } from '../../server/src/engine';
import { optimize } from '../../server/src/engine/optimize';
import { OverlayFileSystem } from '../../server/src/engine/optimize/overlay';
import { buildModel } from '../../server/src/engine/parse/dockerfile';
import { applyEdits } from '../../server/src/engine/fixes/text';
import { NodeFileSystem } from '../../server/src/nodeFs';
import { CORPUS, corpusPaths, skipWithoutCorpus } from '../corpus-manifest';

const KEPT = new Set(['CMD', 'ENTRYPOINT', 'EXPOSE', 'USER', 'WORKDIR', 'ENV', 'LABEL', 'HEALTHCHECK', 'VOLUME']);

/** Instruction text with continuations and runs of blanks collapsed. */
function normalized(text: string): string {
  return text.replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ').trim();
}

/** The kept-kind instructions of the final stage and the stages it is built FROM. */
function finalInstructions(text: string): string[] {
  const model = buildModel(text);
  const out: string[] = [];
  for (let s = model.finalStage; s; s = s.parent) for (const i of s.instructions) if (KEPT.has(i.keyword)) out.push(normalized(text.slice(i.start, i.end)));
  return out;
}

/** Why a file was left unchanged, in a few words (the notes say it in full). */
function category(note: string): string {
  const table: [RegExp, string][] = [
    [/nothing to optimize/, 'already lean (no installs, toolchain or heavy base in the final image)'],
    [/installs no Python packages/, 'no Python installs in the final image (only base/toolchain findings)'],
    [/unknown base image/, 'unknown base image'],
    [/has no Python/, 'distro base without an apt/apk Python'],
    [/build argument/, 'base image from a build argument'],
    [/shell logic|pipeline or subshell/, 'install inside shell logic that cannot be split'],
    [/not in the build context|not copied from the build context|through a variable/, 'a file the install needs is not in the build context'],
    [/would fold into the final stage/, 'an intermediate stage shared with other stages'],
    [/compiles/, 'the final stage compiles with its toolchain'],
    [/is not rewritten by Optimize|in the final image\.|not rewritten by Optimize yet|conda at run time|does not stay in the final image|installs at build time in the image/, 'a tool Optimize does not rewrite (uv export, uv/poetry run, pdm, hatch, pipx, micromamba …)'],
    [/uv installs for Python 3\.8/, 'Python older than 3.8 (uv cannot install for it)'],
    [/Windows|scratch|ONBUILD|over 1 MB|no FROM|build target/, 'not a Linux Python image build (Windows, scratch, ONBUILD …)'],
  ];
  return table.find(([re]) => re.test(note))?.[1] ?? note.slice(0, 80);
}

describe('corpus: Optimize over real Dockerfiles', function () {
  this.timeout(120_000);
  skipWithoutCorpus();

  for (const mode of ['venv', 'system'] as const) it(`rewrites safely or leaves the file alone with a reason (--mode ${mode})`, () => {
    const files = corpusPaths('dockerfile');
    assert.ok(files.length > 100, `manifest lists ${files.length} Dockerfiles`);
    const disk = new NodeFileSystem('/');
    const unchanged = new Map<string, number>();
    const kept = new Map<string, string[]>();
    const failures = new Map<string, string[]>();
    const fail = (category: string, file: string, detail: string) => failures.set(category, [...(failures.get(category) ?? []), `${file}: ${detail}`]);
    let optimized = 0;
    const started = Date.now();

    for (const rel of files) {
      const file = path.join(CORPUS, rel);
      const root = path.join(CORPUS, rel.split('/').slice(0, 2).join('/'));
      const text = fs.readFileSync(file, 'utf8');
      let result;
      try {
        result = optimize({ file, text, fs: disk, root, uvVersion: '0.12.5', mode });
      } catch (e) {
        fail('crash', rel, (e as Error).stack ?? String(e));
        continue;
      }
      if (!result.changed) {
        if (result.text !== text) fail('unchanged but text differs', rel, '');
        if (result.notes.length === 0) fail('unchanged without a reason', rel, '');
        const reason = category(result.notes[0] ?? '');
        unchanged.set(reason, (unchanged.get(reason) ?? 0) + 1);
        continue;
      }
      optimized++;
      const overlay = new Map<string, string>();
      for (const fe of result.otherFiles) overlay.set(fe.file, applyEdits(disk.readFile(fe.file) ?? '', fe.edits));
      const after: FileSystem = new OverlayFileSystem(disk, overlay);

      try {
        DockerfileParser.parse(result.text);
      } catch (e) {
        fail('does not parse', rel, (e as Error).message);
      }
      const errors = validate(result.text).filter((d) => d.severity === 1);
      if (errors.length) fail('dockerfile-utils error', rel, errors.map((d) => `${d.range.start.line + 1}: ${d.message}`).join('; '));
      // A warning the old file had too (same rule, same message but for line numbers) is the
      // user's to fix and is counted apart; anything else the rewrite brought in is a failure.
      // (`uv pip install` is the same install as the old `pip install`, rewritten in place.)
      const key = (f: { rule: string; message: string }) => `${f.rule} ${f.message.replace(/\bline(s)? [\d, ]+/g, 'line N').replace(/\d+/g, 'N').replace(/`uv pip install`/g, '`pip install`')}`;
      const serious = (fs: FileSystem, t: string) => checkDockerfile({ file, text: t, fs, root }).findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
      const before = new Set(serious(disk, text).map(key));
      for (const f of serious(after, result.text)) {
        if (before.has(key(f))) kept.set(f.rule, [...(kept.get(f.rule) ?? []), `${rel}: line ${f.range.start.line + 1}`]);
        else fail(`${f.rule} in the output`, rel, `line ${f.range.start.line + 1}: ${f.message}`);
      }
      const now = new Set(finalInstructions(result.text));
      for (const old of finalInstructions(text)) if (!now.has(old)) fail('instruction lost', rel, old);
      const again = optimize({ file, text: result.text, fs: after, root, uvVersion: '0.12.5', mode });
      if (again.changed || again.text !== result.text) fail('not idempotent', rel, again.notes.join('; '));
    }

    console.log(`    --mode ${mode}: ${files.length} Dockerfiles in ${((Date.now() - started) / 1000).toFixed(1)} s: ${optimized} optimized, ${files.length - optimized - (failures.get('crash')?.length ?? 0)} left unchanged`);
    for (const [reason, n] of [...unchanged].sort((x, y) => y[1] - x[1])) console.log(`      ${String(n).padStart(3)}  ${reason}`);
    if (kept.size) console.log(`    warnings the old file had too, kept by the rewrite (not failures):\n${[...kept].map(([r, l]) => `      ${r} ×${l.length}: ${l.join(', ')}`).join('\n')}`);
    const lines = [...failures].map(([category, list]) => `  ${category} (${list.length}):\n${list.slice(0, 8).map((l) => `    ${l}`).join('\n')}`);
    if (lines.length) console.log(`    failures by category:\n${lines.join('\n')}`);
    assert.equal(failures.size, 0, `failures:\n${lines.join('\n')}`);
  });
});
