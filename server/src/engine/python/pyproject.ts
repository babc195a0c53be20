// pyproject.toml read with positions: the dependencies a project declares (PEP 621, PEP 735
// groups, uv's legacy dev-dependencies, poetry's tables), `requires-python`, uv's index and
// source configuration, and `[tool.slimdock]`. Every dependency keeps its range so rules can
// point at it, suppress it and edit it.
import type { AST } from 'toml-eslint-parser';
import type { Range } from '../types';
import { parseRequirement, normalizeName, type Requirement } from './requirement';
import { parseTomlDoc, entryAt, valueAt, nodeRange, isString, type TomlDoc, type TomlError } from './toml';

export type DependencyKind =
  /** `[project] dependencies` */
  | 'project'
  /** `[project.optional-dependencies] <extra>` */
  | 'optional'
  /** `[dependency-groups] <group>` (PEP 735) */
  | 'group'
  /** `[tool.uv] dev-dependencies` (legacy) */
  | 'uv-dev'
  /** `[tool.poetry.dependencies]` */
  | 'poetry'
  /** `[tool.poetry.group.<g>.dependencies]` and the old `[tool.poetry.dev-dependencies]` (group `dev`) */
  | 'poetry-group';

export interface DependencyEntry {
  kind: DependencyKind;
  /** The extra or group name, for the kinds that have one. */
  group?: string;
  /** PEP 508 text for arrays; for poetry `name` plus the version constraint when it is a string. */
  text: string;
  /** The string literal (quotes included), or the whole poetry `name = …` key-value. */
  range: Range;
  /** Source offsets of `range`. */
  start: number;
  end: number;
  /** Parsed requirement (for poetry: name and extras only; the constraint is poetry's syntax). */
  requirement?: Requirement;
  /** For array entries: the array and the position in it (edits need them). */
  array?: AST.TOMLArray;
  index?: number;
}

export interface IncludeGroup {
  group: string;
  include: string;
  range: Range;
}

export interface UvIndex {
  name?: string;
  url: string;
  explicit: boolean;
  default: boolean;
}

export interface Pyproject {
  doc: TomlDoc;
  /** `[project] name`. */
  name?: string;
  /** `[project]` exists (PEP 621 metadata). */
  hasProject: boolean;
  requiresPython?: { value: string; range: Range };
  dependencies: DependencyEntry[];
  includeGroups: IncludeGroup[];
  uv: {
    /** `[tool.uv.sources]`: normalised package name → its source entries. */
    sources: Map<string, Record<string, unknown>[]>;
    indexes: UvIndex[];
    /** `index-url`/`extra-index-url` of `[tool.uv]` and `[tool.uv.pip]`. */
    indexUrls: string[];
    /** `[tool.uv] package`. */
    package?: boolean;
    /** `[tool.uv.pip] torch-backend`. */
    torchBackend?: string;
  };
  poetry?: {
    /** `python = "^3.10"` in `[tool.poetry.dependencies]`. */
    python?: { value: string; range: Range };
    sources: { name?: string; url?: string; priority?: string }[];
    /** Per dependency name (normalised): the poetry value (`"^2.0"` or `{ version, source, … }`). */
    specs: Map<string, unknown>;
  };
  slimdock?: Record<string, unknown>;
}

export type PyprojectResult = { project: Pyproject; error?: undefined } | { project?: undefined; error: TomlError };

export function parsePyproject(text: string): PyprojectResult {
  const { doc, error } = parseTomlDoc(text);
  if (!doc) return { error: error! };
  const v = doc.value;
  const name = valueAt(v, 'project', 'name');
  const project: Pyproject = {
    doc,
    name: typeof name === 'string' ? name : undefined,
    hasProject: typeof valueAt(v, 'project') === 'object',
    dependencies: [],
    includeGroups: [],
    uv: { sources: new Map(), indexes: [], indexUrls: [] },
  };

  const rp = entryAt(doc, 'project', 'requires-python');
  if (rp && isString(rp.value)) project.requiresPython = { value: rp.value.value, range: nodeRange(doc, rp.value) };

  // PEP 508 arrays.
  const arrayEntries = (kv: AST.TOMLKeyValue | undefined, kind: DependencyKind, group?: string) => {
    if (!kv || kv.value.type !== 'TOMLArray') return;
    const array = kv.value;
    array.elements.forEach((el, index) => {
      if (isString(el)) {
        project.dependencies.push({ kind, group, text: el.value, range: nodeRange(doc, el), start: el.range[0], end: el.range[1], requirement: parseRequirement(el.value), array, index });
      } else if (el.type === 'TOMLInlineTable' && group) {
        const inc = el.body.find((b) => b.key.keys.length === 1 && keyNameOf(b) === 'include-group');
        if (inc && isString(inc.value)) project.includeGroups.push({ group, include: inc.value.value, range: nodeRange(doc, el) });
      }
    });
  };
  arrayEntries(entryAt(doc, 'project', 'dependencies'), 'project');
  for (const e of doc.entries) {
    if (e.path.length === 3 && e.path[0] === 'project' && e.path[1] === 'optional-dependencies') arrayEntries(e.node, 'optional', normalizeName(String(e.path[2])));
    else if (e.path.length === 2 && e.path[0] === 'dependency-groups') arrayEntries(e.node, 'group', normalizeName(String(e.path[1])));
  }
  arrayEntries(entryAt(doc, 'tool', 'uv', 'dev-dependencies'), 'uv-dev', 'dev');

  // uv: sources, indexes, legacy index URLs, package.
  const sources = valueAt(v, 'tool', 'uv', 'sources');
  if (sources && typeof sources === 'object') {
    for (const [k, s] of Object.entries(sources as Record<string, unknown>)) {
      const list = (Array.isArray(s) ? s : [s]).filter((x): x is Record<string, unknown> => !!x && typeof x === 'object');
      project.uv.sources.set(normalizeName(k), list);
    }
  }
  const indexes = valueAt(v, 'tool', 'uv', 'index');
  if (Array.isArray(indexes)) {
    for (const ix of indexes) {
      if (!ix || typeof ix !== 'object') continue;
      const o = ix as Record<string, unknown>;
      if (typeof o.url !== 'string') continue;
      project.uv.indexes.push({ name: typeof o.name === 'string' ? o.name : undefined, url: o.url, explicit: o.explicit === true, default: o.default === true });
    }
  }
  for (const path of [['tool', 'uv'], ['tool', 'uv', 'pip']]) {
    for (const key of ['index-url', 'extra-index-url', 'find-links']) {
      const u = valueAt(v, ...path, key);
      for (const x of Array.isArray(u) ? u : [u]) if (typeof x === 'string') project.uv.indexUrls.push(x);
    }
  }
  const pkg = valueAt(v, 'tool', 'uv', 'package');
  if (typeof pkg === 'boolean') project.uv.package = pkg;
  const backend = valueAt(v, 'tool', 'uv', 'pip', 'torch-backend');
  if (typeof backend === 'string') project.uv.torchBackend = backend;

  // poetry
  const poetry = valueAt(v, 'tool', 'poetry');
  if (poetry && typeof poetry === 'object') {
    const p: NonNullable<Pyproject['poetry']> = { sources: [], specs: new Map() };
    const tableEntries = (prefix: string[], kind: DependencyKind, group?: string) => {
      for (const e of doc.entries) {
        if (e.path.length !== prefix.length + 1 || !prefix.every((k, i) => e.path[i] === k)) continue;
        const depName = String(e.path[prefix.length]);
        const value = valueAt(v, ...e.path);
        if (depName.toLowerCase() === 'python') {
          if (kind === 'poetry' && isString(e.node.value)) p.python = { value: e.node.value.value, range: nodeRange(doc, e.node.value) };
          continue;
        }
        const extras = value && typeof value === 'object' && Array.isArray((value as Record<string, unknown>).extras) ? ((value as Record<string, unknown>).extras as unknown[]).map(String) : [];
        const constraint = typeof value === 'string' ? value : typeof (value as Record<string, unknown>)?.version === 'string' ? String((value as Record<string, unknown>).version) : '';
        const text = `${depName}${extras.length ? `[${extras.join(',')}]` : ''}${constraint && constraint !== '*' ? ` ${constraint}` : ''}`;
        const requirement = parseRequirement(`${depName}${extras.length ? `[${extras.join(',')}]` : ''}`);
        if (kind === 'poetry') p.specs.set(normalizeName(depName), value);
        project.dependencies.push({ kind, group, text, range: nodeRange(doc, e.node), start: e.node.range[0], end: e.node.range[1], requirement });
      }
      // `[tool.poetry.dependencies.foo]` written as its own table.
      for (const [key, table] of doc.tables) {
        const path = key.split('.');
        if (path.length !== prefix.length + 1 || !prefix.every((k, i) => path[i] === k)) continue;
        const depName = path[prefix.length];
        const version = valueAt(v, ...path, 'version');
        if (kind === 'poetry') p.specs.set(normalizeName(depName), valueAt(v, ...path));
        const text = `${depName}${typeof version === 'string' && version !== '*' ? ` ${version}` : ''}`;
        project.dependencies.push({ kind, group, text, range: nodeRange(doc, table), start: table.range[0], end: table.range[1], requirement: parseRequirement(depName) });
      }
    };
    tableEntries(['tool', 'poetry', 'dependencies'], 'poetry');
    tableEntries(['tool', 'poetry', 'dev-dependencies'], 'poetry-group', 'dev');
    const groups = valueAt(v, 'tool', 'poetry', 'group');
    if (groups && typeof groups === 'object') for (const g of Object.keys(groups)) tableEntries(['tool', 'poetry', 'group', g, 'dependencies'], 'poetry-group', normalizeName(g));
    const src = valueAt(v, 'tool', 'poetry', 'source');
    if (Array.isArray(src)) {
      for (const s of src) {
        if (!s || typeof s !== 'object') continue;
        const o = s as Record<string, unknown>;
        p.sources.push({ name: str(o.name), url: str(o.url), priority: str(o.priority) });
      }
    }
    project.poetry = p;
  }

  const slimdock = valueAt(v, 'tool', 'slimdock');
  if (slimdock && typeof slimdock === 'object') project.slimdock = slimdock as Record<string, unknown>;
  project.dependencies.sort((a, b) => a.start - b.start);
  return { project };
}

function keyNameOf(kv: AST.TOMLKeyValue): string {
  const k = kv.key.keys[0];
  return k.type === 'TOMLBare' ? k.name : k.value;
}

function str(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}

/** The dependencies that ship with the project (not dev groups): `[project]`, extras, poetry main. */
export function runtimeDependencies(p: Pyproject): DependencyEntry[] {
  return p.dependencies.filter((d) => d.kind === 'project' || d.kind === 'optional' || d.kind === 'poetry');
}

/** `requires-python`, or poetry's `python` constraint. */
export function requiresPythonOf(p: Pyproject): string | undefined {
  return p.requiresPython?.value ?? p.poetry?.python?.value;
}
