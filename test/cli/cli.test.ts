// The bundled CLI end to end: exit codes, each output format, folder discovery, rules, explain.
// Fixtures are temporary folders; rules other than SD101 may fire on them as the rule set grows,
// so assertions pick SD101's findings (or severities) rather than counting everything.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules, ruleById } from '../../server/src/engine';
import { escapeData, escapeProperty } from '../../server/src/cli/format/github';
import { fixture, requireBundle, slimdock, REPO, type JsonFinding } from './spawn';

/** Nothing here can cost image bytes: a slim, tagged base and one copied file. */
const CLEAN = 'FROM python:3.12-slim-bookworm\nWORKDIR /app\nCOPY app.py .\nCMD ["python", "app.py"]\n';
/** SD101 (warning) on line 2, columns 5–16 (`pip install`). */
const BLOATED = 'FROM python:3.12-slim-bookworm\nRUN pip install flask==3.0.3\n';

const folders: string[] = [];
function tmp(files: Record<string, string>): string {
  const dir = fixture(files);
  folders.push(dir);
  return dir;
}

function jsonOf(stdout: string): JsonFinding[] {
  const parsed: unknown = JSON.parse(stdout);
  assert.ok(Array.isArray(parsed), 'JSON output is an array');
  return parsed as JsonFinding[];
}

describe('CLI (dist/cli.js)', function () {
  this.timeout(60_000);
  before(requireBundle);
  after(() => {
    for (const d of folders) fs.rmSync(d, { recursive: true, force: true });
  });

  describe('exit codes', () => {
    it('0 on a clean Dockerfile', () => {
      const dir = tmp({ Dockerfile: CLEAN, 'app.py': 'print(1)\n' });
      const r = slimdock(['check', '--format', 'json'], { cwd: dir });
      assert.deepEqual(jsonOf(r.stdout).filter((f) => f.severity === 'error' || f.severity === 'warning'), []);
      assert.equal(r.code, 0, r.stderr);
    });

    it('1 on a bloated Dockerfile (default --fail-on warning)', () => {
      const dir = tmp({ Dockerfile: BLOATED });
      assert.equal(slimdock(['check'], { cwd: dir }).code, 1);
    });

    it('0 with --fail-on error when there are only warnings, 0 with --fail-on none', () => {
      const dir = tmp({ Dockerfile: BLOATED });
      const found = jsonOf(slimdock(['check', '--format', 'json'], { cwd: dir }).stdout);
      assert.ok(found.some((f) => f.severity === 'warning'));
      assert.ok(!found.some((f) => f.severity === 'error'), 'precondition: no error on this file');
      assert.equal(slimdock(['check', '--fail-on', 'error'], { cwd: dir }).code, 0);
      assert.equal(slimdock(['check', '--fail-on=none'], { cwd: dir }).code, 0);
    });

    it('1 with --fail-on error once configuration raises the rule to error', () => {
      const dir = tmp({ Dockerfile: BLOATED, 'pyproject.toml': '[tool.slimdock]\nseverity = { SD101 = "error" }\n' });
      const r = slimdock(['check', '--fail-on', 'error', '--format', 'json'], { cwd: dir });
      assert.equal(jsonOf(r.stdout).find((f) => f.rule === 'SD101')?.severity, 'error');
      assert.equal(r.code, 1);
    });

    const usage: Array<[string, string[], RegExp]> = [
      ['unknown option', ['check', '--frmat', 'json'], /--frmat/],
      ['unknown format', ['check', '--format', 'xml'], /--format must be one of text, json, sarif, github/],
      ['bad --fail-on', ['check', '--fail-on', 'sometimes'], /--fail-on must be one of/],
      ['missing value', ['check', '--format'], /--format/],
      ['unknown command', ['lint'], /unknown command 'lint'/],
      ['no command', [], /missing command/],
      ['optimize without a Dockerfile', ['optimize'], /missing the Dockerfile to optimize/],
      ['optimize with a bad --mode', ['optimize', 'Dockerfile', '--mode', 'conda'], /--mode must be venv or system/],
      ['optimize options before the command', ['--fix', 'optimize', 'Dockerfile'], /after the command word/],
      ['--format outside check', ['rules', '--format', 'json'], /applies to `slimdock check` only/],
    ];
    for (const [name, args, message] of usage) {
      it(`2 on a usage error: ${name}`, () => {
        const r = slimdock(args, { cwd: tmp({ Dockerfile: BLOATED }) });
        assert.equal(r.code, 2);
        assert.match(r.stderr, message);
        assert.equal(r.stdout, '');
      });
    }

    it('optimize is dispatched to its own command: the new file on stdout, the estimate on stderr, exit 0', () => {
      const dir = tmp({ Dockerfile: 'FROM python:3.12\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n', 'requirements.txt': 'flask==3.0.3\n' });
      const r = slimdock(['optimize', 'Dockerfile', '--mode', 'venv'], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^FROM python:3\.12 AS builder$/m);
      assert.match(r.stdout, /^FROM python:3\.12-slim$/m);
      assert.match(r.stderr, /estimated image size/);
      assert.equal(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), 'FROM python:3.12\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n', 'without --write the file stays');
    });

    it('2 on a path that does not exist, naming it, with nothing on stdout', () => {
      const dir = tmp({ Dockerfile: BLOATED });
      const r = slimdock(['check', 'Dockerfile', 'no/such/Dockerfile', '--format', 'json'], { cwd: dir });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /no\/such\/Dockerfile: no such file or folder/);
      assert.equal(r.stdout, '');
    });

    it('--help and --version exit 0', () => {
      const help = slimdock(['--help']);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /Usage: slimdock/);
      const version = slimdock(['--version']);
      assert.equal(version.code, 0);
      assert.equal(version.stdout.trim(), JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version);
    });
  });

  describe('--format json', () => {
    it('has the documented shape and 1-based positions', () => {
      const dir = tmp({ Dockerfile: BLOATED });
      const r = slimdock(['check', '--format', 'json'], { cwd: dir });
      const found = jsonOf(r.stdout);
      for (const f of found) {
        assert.deepEqual(Object.keys(f).sort(), ['column', 'endColumn', 'endLine', 'estimateBytes', 'file', 'fixable', 'line', 'message', 'rule', 'severity']);
        assert.ok(f.estimateBytes === null || (Number.isInteger(f.estimateBytes) && f.estimateBytes > 0));
        assert.equal(typeof f.fixable, 'boolean');
        assert.ok(f.line >= 1 && f.column >= 1);
      }
      const sd101 = found.filter((f) => f.rule === 'SD101');
      assert.equal(sd101.length, 1);
      assert.deepEqual(
        { file: sd101[0].file, severity: sd101[0].severity, line: sd101[0].line, column: sd101[0].column, endLine: sd101[0].endLine, endColumn: sd101[0].endColumn, fixable: sd101[0].fixable },
        { file: 'Dockerfile', severity: 'warning', line: 2, column: 5, endLine: 2, endColumn: 16, fixable: true },
      );
      assert.match(sd101[0].message, /--no-cache-dir/);
    });

    it('counts columns in UTF-16 code units', () => {
      // `é` is one code unit, `😀` two: `pip` starts at UTF-16 offset 18 of its line.
      const dir = tmp({ Dockerfile: 'FROM python:3.12-slim-bookworm\nRUN echo "é😀" && pip install flask==3.0.3\n' });
      const f = jsonOf(slimdock(['check', '--format', 'json'], { cwd: dir }).stdout).find((x) => x.rule === 'SD101');
      assert.deepEqual([f?.line, f?.column, f?.endColumn], [2, 19, 30]);
    });

    it('prints paths relative to the current folder', () => {
      const dir = tmp({ 'svc/api/Dockerfile': BLOATED });
      const fromRoot = jsonOf(slimdock(['check', 'svc', '--format', 'json'], { cwd: dir }).stdout);
      assert.deepEqual([...new Set(fromRoot.map((f) => f.file))], ['svc/api/Dockerfile']);
      const fromApi = jsonOf(slimdock(['check', '.', '--format', 'json'], { cwd: path.join(dir, 'svc', 'api') }).stdout);
      assert.deepEqual([...new Set(fromApi.map((f) => f.file))], ['Dockerfile']);
    });

    it('checks an explicitly named file as a Dockerfile whatever its name', () => {
      const dir = tmp({ 'build.txt': BLOATED, 'requirements.txt': 'flask==3.0.3\n' });
      const found = jsonOf(slimdock(['check', 'build.txt', 'requirements.txt', '--format', 'json'], { cwd: dir }).stdout);
      assert.ok(found.some((f) => f.file === 'build.txt' && f.rule === 'SD101'));
      assert.ok(!found.some((f) => f.file === 'requirements.txt' && f.rule === 'SD101'), 'a requirements file is not read as a Dockerfile');
    });

    it('skips a file over 1 MB with an SD000 notice, and survives binary junk', () => {
      const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
      const dir = tmp({ 'big/Dockerfile': 'FROM python:3.12-slim-bookworm\n' + '# padding\n'.repeat(110_000) });
      fs.mkdirSync(path.join(dir, 'junk'));
      fs.writeFileSync(path.join(dir, 'junk', 'Dockerfile'), junk);
      const r = slimdock(['check', '--format', 'json', '--fail-on', 'none'], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      const found = jsonOf(r.stdout);
      assert.ok(found.some((f) => f.file === 'big/Dockerfile' && f.rule === 'SD000' && /over 1 MB/.test(f.message)));
      assert.ok(!found.some((f) => /Internal error/.test(f.message)));
    });
  });

  describe('--format sarif', () => {
    const files = { Dockerfile: BLOATED, 'info/Dockerfile': BLOATED, 'info/pyproject.toml': '[tool.slimdock]\nseverity = { SD101 = "info" }\n' };

    it('is a SARIF 2.1.0 log GitHub code scanning accepts', () => {
      const dir = tmp(files);
      const r = slimdock(['check', '--format', 'sarif'], { cwd: dir });
      assert.equal(r.code, 1);
      const log = JSON.parse(r.stdout);
      assert.match(log.$schema, /sarif-2\.1\.0/);
      assert.equal(log.version, '2.1.0');
      assert.equal(log.runs.length, 1);
      const driver = log.runs[0].tool.driver;
      assert.equal(driver.name, 'slimdock');
      assert.match(driver.informationUri, /^https:\/\//);
      assert.equal(driver.version, JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version);
      assert.deepEqual(driver.rules.map((x: { id: string }) => x.id), allRules().map((x) => x.id));
      for (const rule of driver.rules) {
        assert.ok(rule.name && /^[A-Za-z0-9]+$/.test(rule.name), `name of ${rule.id}`);
        assert.ok(rule.shortDescription.text && rule.fullDescription.text, `descriptions of ${rule.id}`);
        assert.equal(rule.helpUri, `https://github.com/slimdock/slimdock/blob/main/docs/rules/${rule.id}.md`);
        assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
      }

      const results = log.runs[0].results;
      assert.ok(results.length >= 2);
      for (const res of results) {
        assert.equal(driver.rules[res.ruleIndex].id, res.ruleId, 'ruleIndex points at ruleId');
        assert.ok(['error', 'warning', 'note'].includes(res.level));
        assert.ok(res.message.text.length > 0);
        const loc = res.locations[0].physicalLocation;
        assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
        assert.ok(['Dockerfile', 'info/Dockerfile'].includes(loc.artifactLocation.uri), loc.artifactLocation.uri);
        for (const k of ['startLine', 'startColumn', 'endLine', 'endColumn']) assert.ok(Number.isInteger(loc.region[k]) && loc.region[k] >= 1, k);
        assert.match(Object.values(res.partialFingerprints)[0] as string, /^[0-9a-f]{32}:\d+$/);
      }
      const sd101 = (uri: string) => results.find((x: { ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => x.ruleId === 'SD101' && x.locations[0].physicalLocation.artifactLocation.uri === uri);
      assert.equal(sd101('Dockerfile').level, 'warning');
      assert.equal(sd101('info/Dockerfile').level, 'note', 'info maps to note');
      assert.deepEqual(sd101('Dockerfile').locations[0].physicalLocation.region, { startLine: 2, startColumn: 5, endLine: 2, endColumn: 16 });
      assertNoNulls(log, '$');
    });

    it('keeps fingerprints stable across runs and when lines above move', () => {
      const dir = tmp(files);
      const print = () => {
        const log = JSON.parse(slimdock(['check', '--format', 'sarif', 'Dockerfile'], { cwd: dir }).stdout);
        return log.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'SD101').partialFingerprints;
      };
      const first = print();
      assert.deepEqual(print(), first);
      fs.writeFileSync(path.join(dir, 'Dockerfile'), '# a comment\n\n' + BLOATED);
      assert.deepEqual(print(), first);
      fs.writeFileSync(path.join(dir, 'Dockerfile'), BLOATED.replace('flask', 'django'));
      assert.notDeepEqual(print(), first, 'a different line gives a different fingerprint');
    });
  });

  describe('--format github', () => {
    it('escapes data and properties as the Actions toolkit does', () => {
      assert.equal(escapeData('50% off\r\nnext: a,b'), '50%25 off%0D%0Anext: a,b');
      assert.equal(escapeProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
    });

    it('prints one workflow command per finding, escaped', () => {
      const dir = tmp({
        'we,ird:dir/Dockerfile': 'FROM python:3.12-slim-bookworm\nRUN pip install --cache-dir /c%d flask==3.0.3\n',
        'quiet/Dockerfile': BLOATED,
        'quiet/pyproject.toml': '[tool.slimdock]\nseverity = { SD101 = "info" }\n',
      });
      const r = slimdock(['check', '--format', 'github'], { cwd: dir });
      assert.equal(r.code, 1);
      const lines = r.stdout.trimEnd().split('\n');
      assert.ok(lines.every((l) => /^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=SD\d{3}::./.test(l)), r.stdout);
      const weird = lines.find((l) => l.includes('title=SD101') && l.includes('file=we%2Cird%3Adir/Dockerfile'));
      assert.ok(weird, r.stdout);
      assert.ok(weird.startsWith('::warning file=we%2Cird%3Adir/Dockerfile,line=2,col=5,endLine=2,endColumn=16,title=SD101::'), weird);
      assert.match(weird, /\/c%25d/);
      assert.ok(lines.some((l) => l.startsWith('::notice file=quiet/Dockerfile,line=2,') && l.includes('title=SD101')), 'info maps to notice');
    });
  });

  describe('--format text', () => {
    it('prints findings grouped by file and a summary, without colour when piped', () => {
      const dir = tmp({ 'a/Dockerfile': BLOATED, 'b/Dockerfile': BLOATED, 'c/Dockerfile': CLEAN });
      const r = slimdock(['check'], { cwd: dir });
      assert.equal(r.code, 1);
      assert.ok(!r.stdout.includes('\x1b['), 'no ANSI escapes when stdout is a pipe');
      assert.match(r.stdout, /^a\/Dockerfile:2:5 +warning +SD101 +pip .*--no-cache-dir.*\(≈ [\d.]+ [kMG]?B\)$/m);
      assert.match(r.stdout, /^b\/Dockerfile:2:5 +warning +SD101 /m);
      const blocks = r.stdout.trimEnd().split('\n\n');
      assert.ok(blocks[0].split('\n').every((l) => l.startsWith('a/Dockerfile:')), 'first group is a/Dockerfile');
      assert.ok(blocks[1].split('\n').every((l) => l.startsWith('b/Dockerfile:')), 'second group is b/Dockerfile');
      assert.match(blocks.at(-1)!, /^\d+ findings \((\d+ errors?, )?\d+ warnings?(, .*)?\) in [23] of 3 files; ≈ [\d.]+ [kMG]?B savable$/);
    });

    it('says so when nothing is found', () => {
      const dir = tmp({ Dockerfile: CLEAN, 'app.py': '' });
      const r = slimdock(['check', '--fail-on', 'info'], { cwd: dir });
      // Info or hint findings may appear as rules are added; warnings may not.
      assert.match(r.stdout.trimEnd().split('\n').at(-1)!, /^(No findings in 1 file\.|\d+ findings? \(\d+ (info|hints?)(, \d+ hints?)?\) in 1 of 1 file)$/);
    });

    it('uses colour when FORCE_COLOR is set', () => {
      const dir = tmp({ Dockerfile: BLOATED });
      assert.ok(slimdock(['check'], { cwd: dir, env: { FORCE_COLOR: '1' } }).stdout.includes('\x1b[33mwarning'));
      assert.ok(!slimdock(['check'], { cwd: dir, env: { FORCE_COLOR: '0' } }).stdout.includes('\x1b['));
    });
  });

  describe('file discovery', () => {
    it('walks folders, dot-folders included, and skips VCS data, node_modules and virtualenvs', () => {
      const dir = tmp({
        Dockerfile: BLOATED,
        'Dockerfile.prod': BLOATED,
        'x.Dockerfile': BLOATED,
        '.devcontainer/Dockerfile': BLOATED,
        'svc/Containerfile': BLOATED,
        'deep/a/b/c/Dockerfile': BLOATED,
        'pyproject.toml': '[project]\nname = "x"\nversion = "0"\n',
        'requirements-dev.txt': 'pytest\n',
        // not Dockerfiles
        'Dockerfile.dockerignore': BLOATED,
        'notes.txt': BLOATED,
        // skipped folders
        'node_modules/pkg/Dockerfile': BLOATED,
        '.venv/Dockerfile': BLOATED,
        'venv/Dockerfile': BLOATED,
        'myenv/pyvenv.cfg': 'home = /usr/bin\n',
        'myenv/Dockerfile': BLOATED,
        '.git/Dockerfile': BLOATED,
        '.tox/py312/Dockerfile': BLOATED,
        '.nox/tests/Dockerfile': BLOATED,
        'lib/python3.12/site-packages/pkg/Dockerfile': BLOATED,
      });
      const r = slimdock(['check', '.', 'Dockerfile.prod', '--format', 'json'], { cwd: dir });
      assert.equal(r.code, 1, r.stderr);
      const found = jsonOf(r.stdout).filter((f) => f.rule === 'SD101');
      assert.deepEqual(found.map((f) => f.file).sort(), ['.devcontainer/Dockerfile', 'Dockerfile', 'Dockerfile.prod', 'deep/a/b/c/Dockerfile', 'svc/Containerfile', 'x.Dockerfile'].sort());
    });

    it('exits 0 with a note on stderr when a folder holds nothing to check', () => {
      const dir = tmp({ 'README.md': '# nothing\n' });
      const r = slimdock(['check', '--format', 'json'], { cwd: dir });
      assert.equal(r.code, 0);
      assert.deepEqual(jsonOf(r.stdout), []);
      assert.match(r.stderr, /no Dockerfile/);
    });
  });

  describe('rules and explain', () => {
    it('`rules` lists every rule with its severity and hadolint ids', () => {
      const r = slimdock(['rules']);
      assert.equal(r.code, 0);
      const lines = r.stdout.trimEnd().split('\n');
      assert.equal(lines.length, allRules().length);
      for (const rule of allRules()) {
        const line = lines.find((l) => l.startsWith(rule.id + ' '));
        assert.ok(line, `${rule.id} listed`);
        assert.match(line, new RegExp(`^${rule.id} +${rule.severity} +`));
        assert.ok(line.includes(rule.title));
        for (const h of rule.hadolint ?? []) assert.ok(line.includes(h), `${rule.id} names ${h}`);
      }
    });

    it('`explain SD101` prints the docs page, or the built-in summary without one', () => {
      const r = slimdock(['explain', 'sd101']);
      assert.equal(r.code, 0);
      const page = path.join(REPO, 'docs', 'rules', 'SD101.md');
      if (fs.existsSync(page)) assert.equal(r.stdout.trimEnd(), fs.readFileSync(page, 'utf8').trimEnd());
      else {
        assert.ok(r.stdout.includes(ruleById('SD101')!.docs.summary));
        assert.ok(r.stdout.includes(ruleById('SD101')!.docs.why));
      }
    });

    it('`explain` of an unknown rule exits 2', () => {
      const r = slimdock(['explain', 'SD999']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /unknown rule 'SD999'/);
    });
  });
});

function assertNoNulls(value: unknown, where: string): void {
  assert.notEqual(value, null, `null at ${where}`);
  if (Array.isArray(value)) value.forEach((v, i) => assertNoNulls(v, `${where}[${i}]`));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) assertNoNulls(v, `${where}.${k}`);
}
