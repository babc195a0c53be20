// Development aid: where one check of a corpus Dockerfile spends its time, by phase and by rule,
// summed over the corpus (engine caches cleared before every file, as for a file never seen).
// `npx tsx bench/profile-engine.ts [rounds] [cached]`; for call stacks use `npx tsx --cpu-prof …`.
// With `cached` the text caches are kept between rounds (a re-check of unchanged text, as the
// language server does after an edit elsewhere).
import path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { initShellParser, checkDockerfile, MemoizedFileSystem } from '../server/src/engine';
import { buildModel } from '../server/src/engine/parse/dockerfile';
import { clearTextCaches } from '../server/src/engine/parse/cache';
import { loadConfig, parentDir } from '../server/src/engine/config/config';
import { resolveBuildContext, inferContextDir } from '../server/src/engine/buildcontext';
import { collectSuppressions } from '../server/src/engine/suppress';
import { dockerfileRules } from '../server/src/engine/rules/registry';
import { NodeFileSystem } from '../server/src/nodeFs';
import { REPO, corpusFiles, round, time } from './lib';

(async () => {
  const rounds = Number(process.argv[2] ?? 3);
  const cached = process.argv[3] === 'cached';
  await initShellParser(path.join(REPO, 'dist'));
  const files = corpusFiles('dockerfile');
  const totals = new Map<string, number>();
  const add = (k: string, ms: number) => totals.set(k, (totals.get(k) ?? 0) + ms);
  for (let r = 0; r <= rounds; r++) {
    const measured = r > 0; // round 0 warms up
    for (const f of files) {
      // Cached: this file's text was just checked (the caches are bounded: a whole corpus between
      // two checks of a file would evict it).
      if (cached) checkDockerfile({ file: f.file, text: f.text, fs: new NodeFileSystem(f.repoDir), root: f.repoDir });
      else clearTextCaches();
      const fs = new MemoizedFileSystem(new NodeFileSystem(f.repoDir));
      const root = f.repoDir;
      let config!: ReturnType<typeof loadConfig>;
      let build!: ReturnType<typeof resolveBuildContext>;
      let model!: ReturnType<typeof buildModel>;
      const phases: [string, () => void][] = [
        ['parse (dockerfile-ast alone)', () => DockerfileParser.parse(f.text)],
        ['config', () => (config = loadConfig(fs, parentDir(f.file), root))],
        ['build context', () => (build = resolveBuildContext(fs, f.file, { setting: config.buildContext, root }))],
        ['model', () => (model = buildModel(f.text, { target: build.target }))],
        ['infer context', () => {
          if (build.origin !== 'dockerfile-folder') return;
          const sources = model.instructions.filter((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && !i.flags.has('from')).flatMap((i) => i.args.slice(0, -1).map((a) => a.getValue()));
          const inferred = inferContextDir(fs, f.file, sources, root);
          if (inferred) build = resolveBuildContext(fs, f.file, { root, inferred });
        }],
        ['suppressions', () => collectSuppressions(f.text, model.instructions.map((i) => ({ startLine: i.node.getRange().start.line, endLine: i.node.getRange().end.line })))],
      ];
      for (const [name, fn] of phases) {
        const ms = time(fn);
        if (measured) add(name, ms);
      }
      const ctx = { file: f.file, model, fs, contextDir: build.dir, build, config, devcontainer: false };
      for (const rule of dockerfileRules) {
        const ms = time(() => {
          try {
            rule.check(ctx, () => undefined);
          } catch {
            // counted anyway
          }
        });
        if (measured) add(`rule ${rule.id}`, ms);
      }
    }
  }
  const all = [...totals.values()].reduce((a, b) => a + b, 0) - (totals.get('parse (dockerfile-ast alone)') ?? 0);
  console.log(`per file${cached ? ' (text caches kept)' : ''}, mean over ${files.length} files × ${rounds} rounds (check total ${round(all / files.length / rounds, 3)} ms):`);
  for (const [k, v] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${round(v / files.length / rounds, 4).toFixed(4).padStart(9)} ms  ${((100 * v) / all).toFixed(1).padStart(5)}%  ${k}`);
})();
