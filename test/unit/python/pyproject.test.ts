import assert from 'node:assert/strict';
import { parsePyproject, runtimeDependencies, requiresPythonOf } from '../../../server/src/engine/python/pyproject';

const slice = (text: string, r: { start: { line: number; character: number }; end: { line: number; character: number } }) => {
  const lines = text.split('\n');
  if (r.start.line === r.end.line) return lines[r.start.line].slice(r.start.character, r.end.character);
  return [lines[r.start.line].slice(r.start.character), ...lines.slice(r.start.line + 1, r.end.line), lines[r.end.line].slice(0, r.end.character)].join('\n');
};

const PEP621 = `[project]
name = "My_App"
requires-python = ">=3.11"
dependencies = [
  "fastapi[standard]>=0.112",  # web
  'torch ; sys_platform == "linux"',
]

[project.optional-dependencies]
GPU = ["nvidia-ml-py"]

[dependency-groups]
dev = ["pytest>=8", { include-group = "lint" }]
lint = ["ruff"]

[tool.uv]
dev-dependencies = ["mypy"]
package = false

[[tool.uv.index]]
name = "pytorch-cpu"
url = "https://download.pytorch.org/whl/cpu"
explicit = true

[tool.uv.sources]
torch = [{ index = "pytorch-cpu" }]
mylib = { path = "libs/mylib", editable = true }

[tool.slimdock]
ignore = ["SD605"]
`;

describe('pyproject.toml parser', () => {
  const { project } = parsePyproject(PEP621);
  it('reads [project]', () => {
    assert.ok(project);
    assert.equal(project.name, 'My_App');
    assert.equal(project.requiresPython?.value, '>=3.11');
    assert.equal(slice(PEP621, project.requiresPython!.range), '">=3.11"');
    assert.equal(requiresPythonOf(project), '>=3.11');
  });
  it('gives every dependency its kind, group, range and requirement', () => {
    const deps = project!.dependencies.map((d) => [d.kind, d.group ?? '', d.requirement?.normalized, slice(PEP621, d.range)]);
    assert.deepEqual(deps, [
      ['project', '', 'fastapi', '"fastapi[standard]>=0.112"'],
      ['project', '', 'torch', `'torch ; sys_platform == "linux"'`],
      ['optional', 'gpu', 'nvidia-ml-py', '"nvidia-ml-py"'],
      ['group', 'dev', 'pytest', '"pytest>=8"'],
      ['group', 'lint', 'ruff', '"ruff"'],
      ['uv-dev', 'dev', 'mypy', '"mypy"'],
    ]);
    assert.deepEqual(project!.dependencies[0].requirement?.extras, ['standard']);
    assert.equal(project!.dependencies[1].requirement?.marker, 'sys_platform == "linux"');
    assert.deepEqual(runtimeDependencies(project!).map((d) => d.requirement?.normalized), ['fastapi', 'torch', 'nvidia-ml-py']);
  });
  it('reads include-group entries', () => {
    assert.deepEqual(project!.includeGroups.map((g) => [g.group, g.include]), [['dev', 'lint']]);
  });
  it('reads [tool.uv]: indexes, sources, package', () => {
    assert.deepEqual(project!.uv.indexes, [{ name: 'pytorch-cpu', url: 'https://download.pytorch.org/whl/cpu', explicit: true, default: false }]);
    assert.deepEqual(project!.uv.sources.get('torch'), [{ index: 'pytorch-cpu' }]);
    assert.deepEqual(project!.uv.sources.get('mylib'), [{ path: 'libs/mylib', editable: true }]);
    assert.equal(project!.uv.package, false);
  });
  it('reads [tool.slimdock]', () => {
    assert.deepEqual(project!.slimdock, { ignore: ['SD605'] });
  });

  it('reads poetry projects: main, groups, old dev-dependencies, sources, table-form entries', () => {
    const text = `[tool.poetry]
name = "svc"

[tool.poetry.dependencies]
python = "^3.10"
Django = "^5.0"
celery = { version = "^5.3", extras = ["redis"] }
torch = { version = "^2.2", source = "pytorch-cpu" }

[tool.poetry.dependencies.psycopg2]
version = "^2.9"

[tool.poetry.group.dev.dependencies]
pytest = "*"

[tool.poetry.dev-dependencies]
black = "^24"

[[tool.poetry.source]]
name = "pytorch-cpu"
url = "https://download.pytorch.org/whl/cpu"
priority = "explicit"
`;
    const { project: p } = parsePyproject(text);
    assert.ok(p);
    assert.equal(p.hasProject, false);
    assert.equal(p.poetry?.python?.value, '^3.10');
    assert.equal(requiresPythonOf(p), '^3.10');
    assert.deepEqual(
      p.dependencies.map((d) => [d.kind, d.group ?? '', d.text]),
      [
        ['poetry', '', 'Django ^5.0'],
        ['poetry', '', 'celery[redis] ^5.3'],
        ['poetry', '', 'torch ^2.2'],
        ['poetry', '', 'psycopg2 ^2.9'],
        ['poetry-group', 'dev', 'pytest'],
        ['poetry-group', 'dev', 'black ^24'],
      ],
    );
    assert.deepEqual(p.dependencies[1].requirement?.extras, ['redis']);
    assert.equal(slice(text, p.dependencies[0].range), 'Django = "^5.0"');
    assert.deepEqual(p.poetry?.sources, [{ name: 'pytorch-cpu', url: 'https://download.pytorch.org/whl/cpu', priority: 'explicit' }]);
    assert.deepEqual(p.poetry?.specs.get('torch'), { version: '^2.2', source: 'pytorch-cpu' });
  });

  it('reads dotted keys and quoted keys', () => {
    const text = 'project.name = "x"\nproject.dependencies = ["a", "b"]\n[tool."uv"]\nindex = [{ url = "https://x/simple", default = true }]\n';
    const { project: p } = parsePyproject(text);
    assert.deepEqual(p?.dependencies.map((d) => d.requirement?.normalized), ['a', 'b']);
    assert.deepEqual(p?.uv.indexes, [{ name: undefined, url: 'https://x/simple', explicit: false, default: true }]);
  });

  const invalid: [string, string, number][] = [
    ['unterminated array', '[project]\ndependencies = [\n  "a",\n', 3],
    ['duplicate key', '[project]\nname = "a"\nname = "b"\n', 2],
    ['duplicate table', '[project]\n[project]\n', 1],
    ['garbage', '\u0000\u0001 = = =', 0],
    ['a Jinja template', '[project]\nname = "{{ cookiecutter.slug }}"\n{% if x %}\ndependencies = []\n{% endif %}\n', 2],
  ];
  for (const [name, text, line] of invalid) {
    it(`gives an error value for invalid TOML (${name}), never a throw`, () => {
      const r = parsePyproject(text);
      assert.equal(r.project, undefined);
      assert.ok(r.error && r.error.message.length > 5, 'a message');
      assert.equal(r.error!.range.start.line, line);
    });
  }

  it('handles an empty file', () => {
    const r = parsePyproject('');
    assert.deepEqual(r.project?.dependencies, []);
    assert.equal(r.project?.hasProject, false);
  });
});
