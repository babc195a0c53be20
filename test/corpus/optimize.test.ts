// Optimize over every real Dockerfile of the corpus (../shared/corpus). Every output (restructured,
// or only safe-fixed) parses, has no dockerfile-utils error and no slimdock warning or error that
// the old file did not have (with the .dockerignore edit applied; the old file's own are counted
// apart, but a restructured output has none at all), keeps every CMD/ENTRYPOINT/EXPOSE/USER/WORKDIR/ENV/LABEL/HEALTHCHECK/VOLUME of the old
// final stage, and a second run changes nothing. A file that is not restructured says why first.
// Prints the counts per reason, and the warnings/errors `check` still finds in every output, by
// rule and by reason. Skipped when the corpus is not there.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { checkDockerfile, type FileSystem } from '../../server/src/engine';
import { optimize } from '../../server/src/engine/optimize';
import { PatchedFileSystem } from '../../server/src/engine/fs';
import { buildModel } from '../../server/src/engine/parse/dockerfile';
import { applyEdits } from '../../server/src/engine/fixes/text';
import { NodeFileSystem } from '../../server/src/nodeFs';
import { CORPUS, corpusPaths, skipWithoutCorpus } from '../corpus-manifest';

const KEPT = new Set(['CMD', 'ENTRYPOINT', 'EXPOSE', 'USER', 'WORKDIR', 'ENV', 'LABEL', 'HEALTHCHECK', 'VOLUME']);

/**
 * Instruction text with continuations (blanks after the backslash too) and runs of blanks collapsed,
 * a console script's folder written as `<bin>` (Optimize points `/usr/local/bin/moto_server` at the
 * venv's copy) and without `uv run`/`poetry run` and their environment options (the command runs
 * directly: scripts.ts); JSON arrays with one blank after each comma, a continuation at the end of
 * the file as a blank.
 */
function normalized(text: string): string {
  const options = '--no-sync|--frozen|--locked|--no-dev|--offline|--quiet|-q|--no-project';
  return text
    .replace(/\\[ \t]*(\r?\n|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/"\s*,\s*"/g, '", "')
    .replace(/\/usr\/local\/bin\/|\/[\w./-]*venv\/bin\//g, '<bin>/')
    .replace(new RegExp(`"(uv|poetry)", ?"run", ?((("${options}")|"--project", ?"[^"]*"), ?)*`, 'g'), '')
    .replace(new RegExp(`\\b(uv|poetry) run ((${options}|--project[= ]\\S+) )*`, 'g'), '');
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
    [/installs no Python packages|installs only packaging tools/, 'no Python installs in the final image (only base/toolchain findings)'],
    [/unknown base image/, 'unknown base image'],
    [/NGC's PyTorch images|on pytorch\/pytorch\S* the packages go|is on pytorch\/pytorch\S* already/, 'a PyTorch image the wheel builder cannot serve (NGC, already -runtime, user/source/JIT installs)'],
    [/has no Python/, 'distro base without an apt/apk Python'],
    [/besides the release's python3/, 'a second distro Python next to the release\'s python3'],
    [/build argument/, 'base image from a build argument'],
    [/shell logic|pipeline or subshell/, 'install inside shell logic that cannot be split'],
    [/installs after `cd /, 'an install that reads files after a cd in its RUN'],
    [/holds a variable slimdock cannot read|go to the builder stage\.$/, 'a package list in a variable slimdock cannot read, or that a kept command reads'],
    [/adds a package repository|adds a PPA/, 'a build package after a package repository (or PPA) the file adds'],
    [/the install goes into \S+, the environment line/, 'an install into an environment copied from another stage'],
    [/would not be stable/, 'a rewrite a second Optimize would change again'],
    [/not in the build context|not copied from the build context|through a variable/, 'a file the install needs is not in the build context'],
    [/would fold (\S+ )?into the final stage/, 'an intermediate stage shared with a stage the final stage uses'],
    [/compiles/, 'the final stage compiles with its toolchain'],
    [/into the system Python's dist-packages/, 'a distro Python module from apt, which a virtual environment would not see'],
    [/is not rewritten by Optimize|in the final image[.;]|not rewritten by Optimize yet|conda at run time|does not stay in the final image|installs at build time in the image/, 'a tool Optimize does not rewrite (uv export, uv/poetry run, pdm, hatch, pipx, micromamba …)'],
    [/the packages move to/, 'a kept instruction uses the old interpreter\'s site-packages'],
    [/is changed in the image before the install/, 'a requirements file the image changes before the install reads it'],
    [/uses a library of the full python image/, 'a library of the full python image the slim stage lacks, with no known package name'],
    [/uv installs for Python 3\.8/, 'Python older than 3.8 (uv cannot install for it)'],
    [/which slimdock cannot read: it may call tools of the full image/, 'a RUN script slimdock cannot read (slim may lack the tools it calls)'],
    [/^(not rewritten: )?the (CMD|ENTRYPOINT|HEALTHCHECK) at line \d+ runs \S+, which (slimdock cannot read|calls \/usr\/local\/bin|runs `)/, 'a start-up script the new layout would break, or that slimdock cannot read'],
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
    const fixedOnly = new Map<string, number>();
    /** Warnings/errors in the outputs: per rule, per category (restructured or why not). */
    const leftByRule = new Map<string, string[]>();
    const leftByCategory = new Map<string, number>();
    const count = <K>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);
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
      const restructured = result.restructured;
      if (result.changed && !restructured && !/^could not restructure: .+; applied \d+ (safe|preferred) fix/s.test(result.notes[0] ?? '')) fail('safe-fixed without the reason first', rel, result.notes[0] ?? '');
      const reason = restructured ? 'restructured' : category((result.notes[0] ?? '').replace(/^could not restructure: /, ''));
      if (!result.changed) {
        if (result.text !== text) fail('unchanged but text differs', rel, '');
        if (result.otherFiles.length) fail('unchanged but other files edited', rel, result.otherFiles.map((f) => f.file).join(', '));
        if (result.notes.length === 0) fail('unchanged without a reason', rel, '');
        count(unchanged, reason);
      } else if (restructured) optimized++;
      else count(fixedOnly, reason);
      const overlay = new Map<string, string>();
      for (const fe of result.otherFiles) overlay.set(fe.file, applyEdits(disk.readFile(fe.file) ?? '', fe.edits));
      const after: FileSystem = new PatchedFileSystem(disk, overlay);
      const serious = (fs: FileSystem, t: string) => checkDockerfile({ file, text: t, fs, root }).findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
      const left = serious(after, result.text);
      for (const f of left) {
        leftByRule.set(f.rule, [...(leftByRule.get(f.rule) ?? []), rel]);
        count(leftByCategory, reason);
      }
      if (!result.changed) continue;

      try {
        DockerfileParser.parse(result.text);
      } catch (e) {
        fail('does not parse', rel, (e as Error).message);
      }
      // An error the old file had too (a Jinja template, a COPY dockerfile-utils reads stricter
      // than BuildKit) is not the rewrite's; one it brought in is a failure.
      const oldErrors = new Set(validate(text).filter((d) => d.severity === 1).map((d) => d.message));
      const errors = validate(result.text).filter((d) => d.severity === 1 && !oldErrors.has(d.message));
      if (errors.length) fail('dockerfile-utils error', rel, errors.map((d) => `${d.range.start.line + 1}: ${d.message}`).join('; '));
      // A warning the old file had too (same rule, same message but for line numbers) is the
      // user's to fix and is counted apart; anything else the rewrite brought in is a failure.
      // (`uv pip install` is the same install as the old `pip install`, rewritten in place.)
      const key = (f: { rule: string; message: string }) => `${f.rule} ${f.message.replace(/\bline(s)? [\d, ]+/g, 'line N').replace(/\d+/g, 'N').replace(/`uv pip install`/g, '`pip install`')}`;
      const before = new Set(serious(disk, text).map(key));
      for (const f of left) {
        // A restructured output is clean: even a warning the old file had is a failure there.
        if (restructured) fail(`${f.rule} in a restructured output`, rel, `line ${f.range.start.line + 1}: ${f.message}`);
        else if (before.has(key(f))) kept.set(f.rule, [...(kept.get(f.rule) ?? []), `${rel}: line ${f.range.start.line + 1}`]);
        else fail(`${f.rule} in the output`, rel, `line ${f.range.start.line + 1}: ${f.message}`);
      }
      const now = new Set(finalInstructions(result.text));
      for (const old of finalInstructions(text)) if (!now.has(old)) fail('instruction lost', rel, old);
      const again = optimize({ file, text: result.text, fs: after, root, uvVersion: '0.12.5', mode });
      if (again.changed || again.text !== result.text) fail('not idempotent', rel, again.notes.join('; '));
    }

    const sum = (m: Map<string, number>) => [...m.values()].reduce((x, y) => x + y, 0);
    console.log(`    --mode ${mode}: ${files.length} Dockerfiles in ${((Date.now() - started) / 1000).toFixed(1)} s: ${optimized} restructured, ${sum(fixedOnly)} not restructured but safe-fixed, ${sum(unchanged)} left unchanged`);
    console.log('    not restructured, by reason (safe-fixed + unchanged):');
    for (const reason of [...new Set([...fixedOnly.keys(), ...unchanged.keys()])].sort((x, y) => (fixedOnly.get(y) ?? 0) + (unchanged.get(y) ?? 0) - (fixedOnly.get(x) ?? 0) - (unchanged.get(x) ?? 0))) {
      const f = fixedOnly.get(reason) ?? 0;
      const u = unchanged.get(reason) ?? 0;
      console.log(`      ${String(f + u).padStart(3)}  ${reason} (${f} + ${u})`);
    }
    const outputs = new Set([...leftByRule.values()].flat()).size;
    console.log(`    warnings/errors \`check\` still finds: ${sum(leftByCategory)} in ${outputs} of ${files.length} outputs; by rule:`);
    for (const [rule, list] of [...leftByRule].sort((x, y) => y[1].length - x[1].length)) console.log(`      ${rule} ×${list.length} (${new Set(list).size} files)`);
    console.log('    … by category:');
    for (const [c, n] of [...leftByCategory].sort((x, y) => y[1] - x[1])) console.log(`      ${String(n).padStart(3)}  ${c}`);
    if (kept.size) console.log(`    of these, in changed outputs and already in the old file (not failures): ${[...kept].sort((x, y) => y[1].length - x[1].length).map(([r, l]) => `${r} ×${l.length}`).join(', ')}`);
    const lines = [...failures].map(([category, list]) => `  ${category} (${list.length}):\n${list.slice(0, 8).map((l) => `    ${l}`).join('\n')}`);
    if (lines.length) console.log(`    failures by category:\n${lines.join('\n')}`);
    assert.equal(failures.size, 0, `failures:\n${lines.join('\n')}`);
  });
});
