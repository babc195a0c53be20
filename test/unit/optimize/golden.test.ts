// Golden cases of Optimize (test/fixtures/optimize/<case>/): the output equals expected.Dockerfile
// (and expected.dockerignore), optimizing it again changes nothing, slimdock finds no warning or
// error in it, and dockerfile-ast / dockerfile-utils read it without an error.
import assert from 'node:assert/strict';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { checkDockerfile, type FileEdit } from '../../../server/src/engine';
import { optimize, type OptimizeResult } from '../../../server/src/engine/optimize';
import { applyEdits } from '../../../server/src/engine/fixes/text';
import { goldenCases, memoryFs, CTX } from './golden';

const UV = '0.12.5';

describe('optimize: golden cases', () => {
  const cases = goldenCases();
  it('has at least 15 cases', () => assert.ok(cases.length >= 15, `${cases.length} cases`));

  for (const c of cases) {
    describe(c.name, () => {
      const file = `${CTX}/${c.path}`;
      const run = (text: string, files: Record<string, string>) => optimize({ file, text, fs: memoryFs({ ...files, [c.path]: text }), root: CTX, mode: c.mode, uvVersion: UV });
      // Computed once the shell parser is ready (mocha's root hook), shared by the checks below.
      let result: OptimizeResult;
      let ignoreEdit: FileEdit | undefined;
      let after: Record<string, string>;
      before(() => {
        result = run(c.dockerfile, c.files);
        ignoreEdit = result.otherFiles.find((f) => f.file === `${CTX}/.dockerignore`);
        after = { ...c.files, [c.path]: result.text, ...(ignoreEdit ? { '.dockerignore': applyEdits(c.files['.dockerignore'] ?? '', ignoreEdit.edits) } : {}) };
      });

      it('produces expected.Dockerfile', () => {
        assert.equal(result.changed, true, result.notes.join('\n'));
        assert.equal(result.restructured, true);
        assert.equal(result.text, c.expected);
      });

      it('writes the .dockerignore it needs', () => {
        assert.ok(ignoreEdit, 'no .dockerignore edit');
        assert.equal(ignoreEdit!.create ?? false, !('.dockerignore' in c.files));
        assert.match(after['.dockerignore'], /^\*\*\/\.venv$/m);
        if (c.expectedIgnore !== undefined) assert.equal(after['.dockerignore'], c.expectedIgnore);
      });

      it('is idempotent', () => {
        const again = run(result.text, after);
        assert.equal(again.changed, false, `second run changed the file:\n${again.text}`);
        assert.equal(again.text, result.text);
        assert.deepEqual(again.otherFiles, []);
      });

      it('has no warning or error', () => {
        const findings = checkDockerfile({ file, text: result.text, fs: memoryFs(after), root: CTX }).findings;
        const serious = findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => `${f.rule} line ${f.range.start.line + 1}: ${f.message}`);
        assert.deepEqual(serious, []);
      });

      it('parses with dockerfile-ast and validates with dockerfile-utils', () => {
        const ast = DockerfileParser.parse(result.text);
        assert.ok(ast.getFROMs().length >= 1);
        const errors = validate(result.text).filter((d) => d.severity === 1).map((d) => `${d.range.start.line + 1}: ${d.message}`);
        assert.deepEqual(errors, []);
      });

      it('estimates before and after', () => {
        assert.ok(result.before.basis.length > 20 && result.after.basis.length > 20);
        if (result.before.bytes !== null && result.after.bytes !== null) assert.ok(result.after.bytes <= result.before.bytes, `${result.after.bytes} > ${result.before.bytes}`);
      });
    });
  }
});
