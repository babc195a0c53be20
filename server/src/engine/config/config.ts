// Configuration: `[tool.slimdock]` in pyproject.toml, `.hadolint.yaml` ignores, and the editor's
// settings on top. The result is one `Config` the analysis reads.
import { parse as parseYaml } from 'yaml';
import type { FileSystem } from '../fs';
import { TextCache } from '../parse/cache';
import { tomlValues } from '../python/toml';
import type { Severity, SeveritySetting } from '../types';

export const DEFAULT_UV_VERSION = '0.12.5';

export interface Config {
  /** Rules turned off. */
  ignore: string[];
  /** When set, only these rules run (ids or prefixes like `SD1`). */
  select?: string[];
  /** Per-rule severity overrides; `off` disables. */
  severity: Record<string, SeveritySetting>;
  /** hadolint rule ids ignored by `.hadolint.yaml`. */
  hadolintIgnored: string[];
  /** The uv release that fixes pin: `ghcr.io/astral-sh/uv:<uvVersion>`. */
  uvVersion: string;
  /** Build context folder, relative to the Dockerfile's folder. */
  buildContext?: string;
  /** Where the configuration came from, for messages. */
  sources: string[];
  /** Problems reading configuration, reported rather than thrown. */
  problems: string[];
}

export function defaultConfig(): Config {
  return { ignore: [], severity: {}, hadolintIgnored: [], uvVersion: DEFAULT_UV_VERSION, sources: [], problems: [] };
}

const SEVERITIES = new Set(['error', 'warning', 'info', 'hint', 'off']);

/** Reads `[tool.slimdock]` from the pyproject.toml nearest to `dir` (up to `root`) and `.hadolint.yaml`. */
export function loadConfig(fs: FileSystem, dir: string, root = '/'): Config {
  const config = defaultConfig();
  for (let d = dir; ; d = parentDir(d)) {
    const path = join(d, 'pyproject.toml');
    const text = fs.readFile(path);
    if (text !== undefined) {
      readPyprojectConfig(text, path, config);
      break;
    }
    if (d === root || d === '/' || !d.startsWith(root)) break;
  }
  for (let d = dir; ; d = parentDir(d)) {
    const path = [join(d, '.hadolint.yaml'), join(d, '.hadolint.yml')].find((p) => fs.stat(p) === 'file');
    if (path) {
      readHadolintConfig(fs.readFile(path) ?? '', path, config);
      break;
    }
    if (d === root || d === '/' || !d.startsWith(root)) break;
  }
  return config;
}

/** `[tool.slimdock]` by pyproject.toml text: every Dockerfile of a project reads the same file. */
const sections = new TextCache<{ section?: Record<string, unknown>; error?: string }>(256);

export function readPyprojectConfig(text: string, path: string, config: Config): void {
  const parsed = sections.getOr(text, () => {
    const { value, error } = tomlValues(text);
    if (error !== undefined) return { error };
    const section = (value as { tool?: { slimdock?: Record<string, unknown> } })?.tool?.slimdock;
    return { section: section && typeof section === 'object' ? section : undefined };
  });
  if (parsed.error !== undefined) {
    config.problems.push(`${path}: not valid TOML, [tool.slimdock] ignored (${parsed.error})`);
    return;
  }
  const section = parsed.section;
  if (!section) return;
  config.sources.push(`${path} [tool.slimdock]`);
  applySettings(config, section, path);
}

/** Applies settings in the `[tool.slimdock]` shape (also the editor's settings). */
export function applySettings(config: Config, section: Record<string, unknown>, origin: string): void {
  const ids = (v: unknown, key: string) => {
    if (v === undefined) return undefined;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.map((x) => x.toUpperCase());
    config.problems.push(`${origin}: \`${key}\` must be a list of rule ids`);
    return undefined;
  };
  const ignore = ids(section.ignore, 'ignore');
  if (ignore) config.ignore.push(...ignore);
  const select = ids(section.select, 'select');
  if (select) config.select = select;
  const severity = section.severity;
  if (severity && typeof severity === 'object') {
    for (const [id, level] of Object.entries(severity as Record<string, unknown>)) {
      if (typeof level === 'string' && SEVERITIES.has(level)) config.severity[id.toUpperCase()] = level as SeveritySetting;
      else config.problems.push(`${origin}: severity of ${id} must be one of error, warning, info, hint, off`);
    }
  }
  const uv = section['uv-version'] ?? section.uvVersion;
  if (typeof uv === 'string' && uv) config.uvVersion = uv;
  const ctx = section['build-context'] ?? section.buildContext;
  if (typeof ctx === 'string' && ctx) config.buildContext = ctx;
}

function readHadolintConfig(text: string, path: string, config: Config): void {
  try {
    const doc = parseYaml(text) as { ignored?: unknown } | null;
    if (doc && Array.isArray(doc.ignored)) {
      config.hadolintIgnored.push(...doc.ignored.filter((x): x is string => typeof x === 'string').map((x) => x.toUpperCase()));
      config.sources.push(path);
    }
  } catch (e) {
    config.problems.push(`${path}: not valid YAML, ignored (${(e as Error).message})`);
  }
}

/** The severity a rule's findings get under this configuration, or 'off'. */
export function effectiveSeverity(config: Config, id: string, hadolint: string[] | undefined, fallback: Severity): SeveritySetting {
  const set = config.severity[id];
  if (set) return set;
  if (config.ignore.some((x) => matches(id, x))) return 'off';
  if (config.select && !config.select.some((x) => matches(id, x))) return 'off';
  if (hadolint?.some((h) => config.hadolintIgnored.includes(h))) return 'off';
  return fallback;
}

function matches(id: string, pattern: string): boolean {
  return pattern === 'ALL' || id === pattern || (pattern.length < id.length && id.startsWith(pattern));
}

export function parentDir(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

export function join(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}
