// One case per bug the fuzzers found (test/property/*.test.ts), each with its minimal input.
// A case names the property it broke; the fix lives in the rule or parser named.
import assert from 'node:assert/strict';
import { checkDockerfile, MemoryFileSystem } from '../../server/src/engine';
import { applyEdits } from '../../server/src/engine/fixes';
import { optimize } from '../../server/src/engine/optimize';
import { buildModel } from '../../server/src/engine/parse/dockerfile';
import { checkPyproject, checkRequirements } from '../../server/src/engine/project';
import { assertFindingsInside, assertRobust } from './invariants';

const check = (text: string) => checkDockerfile({ file: '/ctx/Dockerfile', text, fs: new MemoryFileSystem({ '/ctx/Dockerfile': text }), root: '/ctx' }).findings;

describe('regressions found by the property tests', () => {
  // Found on the corpus (jupyterhub examples/postgres/hub/Dockerfile). SD406's "Merge with the RUN
  // above" replaced the text up to the second RUN's commands[0], which is the command inside
  // `$(…)` (substitutions run first, so they come first): `useradd -m -G shadow -p $(` was deleted.
  // Fixed in rules/layers.ts (commit 2848948: the merge starts at the RUN's first argument).
  it('SD406 merge keeps a command whose argument holds $(…)', () => {
    const text = 'FROM python:3.12-slim\nRUN apt-get install -y libpq-dev \\\n    && pip3 install psycopg2\n\nRUN useradd -m -G shadow -p $(openssl passwd -1 rhea) rhea\n';
    const sd406 = check(text).find((f) => f.rule === 'SD406');
    assert.ok(sd406, 'SD406 fires');
    const merge = sd406.fixes.find((f) => /^Merge/.test(f.title));
    assert.ok(merge, 'SD406 offers the merge');
    assert.match(applyEdits(text, merge.edits), /&& useradd -m -G shadow -p \$\(openssl passwd -1 rhea\) rhea\n$/);
    assertRobust(text); // every fix keeps the text outside its edits and the RUNs still parse
  });

  // Found by mutating corpus pyproject.toml files (lone CR line ends). The TOML parser counts
  // only LF as a line break, LSP counts CR too: "Could not parse" landed past the line's end.
  // Fix (python/toml.ts, not ours): the error's position from its offset with LSP's line breaks
  // (\r\n, \r, \n), as vscode-languageserver-textdocument counts them; clamp to the line.
  it('pyproject.toml with lone CR line ends: the parse error lies inside the document', () => {
    for (const text of ['a = 1\rb = ', '[project]\rname = "x"\rdependencies = [\r', '[project]\nname = "x"\rversion = 1 2\n']) {
      const { findings } = checkPyproject({ file: '/p/pyproject.toml', text, fs: new MemoryFileSystem({}), root: '/p' });
      assert.ok(findings.some((f) => f.rule === 'SD000'), 'SD000 reports the parse error');
      assertFindingsInside(text, findings);
    }
  });

  // Found by the generated Dockerfiles (test/property/optimize.test.ts). Optimize writes `\`
  // line continuations even under `# escape=\``: there `\` continues nothing, the RUN ends at it
  // and `uv pip install flask` becomes an instruction of its own (UV). Fix (engine/optimize, not
  // ours): continue lines with the file's escape character.
  it('requirements file with lone CR line ends: fix edits lie inside the document', () => {
    const text = '# comment\rflask==3.0.3\ropencv-contrib-python==4.10.0.84\r';
    const fs = new MemoryFileSystem({ '/w/requirements.txt': text, '/w/Dockerfile': 'FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n' });
    const findings = checkRequirements({ file: '/w/requirements.txt', text, fs, root: '/w' }).findings;
    const sd108 = findings.find((f) => f.rule === 'SD108');
    assert.ok(sd108 && sd108.fixes.length > 0, 'SD108 fires with its fix');
    assert.equal(sd108.range.start.line, 2);
    assertFindingsInside(text, findings);
    assert.equal(applyEdits(text, sd108.fixes[0].edits), '# comment\rflask==3.0.3\ropencv-contrib-python-headless==4.10.0.84\r');
  });

  it('Optimize keeps the # escape= character in the lines it writes', () => {
    const text = '# escape=`\nFROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n';
    const result = optimize({ file: '/ctx/Dockerfile', text, fs: new MemoryFileSystem({ '/ctx/Dockerfile': text }), root: '/ctx' });
    const keywords = buildModel(result.text).instructions.map((i) => i.keyword);
    assert.ok(keywords.every((k) => ['FROM', 'COPY', 'ENV', 'RUN', 'WORKDIR', 'CMD', 'ARG'].includes(k)), `instructions: ${keywords.join(' ')}\n${result.text}`);
    assert.equal(buildModel(result.text).instructions.filter((i) => i.run?.hasError).length, 0, `a RUN does not parse:\n${result.text}`);
  });
});
