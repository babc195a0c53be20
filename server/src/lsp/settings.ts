// The editor's `slimdock.*` settings: their defaults (package.json must declare the same ones; a
// test compares them), reading them from whatever the client sends, and turning them into the
// engine's Config on top of `[tool.slimdock]`.
import { applySettings, loadConfig, DEFAULT_UV_VERSION, type Config, type FileSystem, type SeveritySetting } from '../engine';

export type TraceSetting = 'off' | 'messages' | 'verbose';
export type OptimizeModeSetting = 'venv' | 'system';

/** The `slimdock` configuration section, in the shape `workspace/configuration` returns it. */
export interface Settings {
  enable: boolean;
  /** Rule id → level; `off` disables the rule. */
  severity: Record<string, SeveritySetting>;
  /** The uv release that fixes pin (`ghcr.io/astral-sh/uv:<uvVersion>`). */
  uvVersion: string;
  /** Build context folder relative to the Dockerfile's folder; "" = the Dockerfile's folder. */
  buildContext: string;
  /** Read by the client (vscode-languageclient traces the protocol); the server ignores it. */
  trace: { server: TraceSetting };
  /** "Optimize Dockerfile": the layout (copy a venv, or uv pip install --system) and UV_COMPILE_BYTECODE=1. */
  optimize: { mode: OptimizeModeSetting; compileBytecode: boolean };
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze<Settings>({
  enable: true,
  severity: {},
  uvVersion: DEFAULT_UV_VERSION,
  buildContext: '',
  trace: { server: 'off' },
  optimize: { mode: 'venv', compileBytecode: false },
});

const LEVELS = new Set<string>(['off', 'hint', 'info', 'warning', 'error']);
const TRACES = new Set<string>(['off', 'messages', 'verbose']);

/** Settings from an untrusted value (a client may send null, a partial object or wrong types). */
export function normalizeSettings(raw: unknown): Settings {
  const r = isObject(raw) ? raw : {};
  const severity: Record<string, SeveritySetting> = {};
  if (isObject(r.severity)) {
    for (const [id, level] of Object.entries(r.severity)) {
      if (typeof level === 'string' && LEVELS.has(level)) severity[id.toUpperCase()] = level as SeveritySetting;
    }
  }
  const opt = isObject(r.optimize) ? r.optimize : {};
  const trace = isObject(r.trace) && typeof r.trace.server === 'string' && TRACES.has(r.trace.server) ? (r.trace.server as TraceSetting) : DEFAULT_SETTINGS.trace.server;
  return {
    enable: typeof r.enable === 'boolean' ? r.enable : DEFAULT_SETTINGS.enable,
    severity,
    uvVersion: typeof r.uvVersion === 'string' && r.uvVersion.trim() ? r.uvVersion.trim() : DEFAULT_SETTINGS.uvVersion,
    buildContext: typeof r.buildContext === 'string' ? r.buildContext.trim() : DEFAULT_SETTINGS.buildContext,
    trace: { server: trace },
    optimize: {
      mode: opt.mode === 'venv' || opt.mode === 'system' ? opt.mode : DEFAULT_SETTINGS.optimize.mode,
      compileBytecode: typeof opt.compileBytecode === 'boolean' ? opt.compileBytecode : DEFAULT_SETTINGS.optimize.compileBytecode,
    },
  };
}

/**
 * The engine's configuration for a Dockerfile in `dir`: `[tool.slimdock]` and `.hadolint.yaml`
 * (looked up no higher than `root`), then the editor settings on top.
 *
 * `workspace/configuration` cannot tell a default from a value the user set, so a setting left at
 * its default does not override the project file: `uvVersion` only when it differs from the
 * built-in release, `buildContext` only when not empty. Severities are merged rule by rule.
 */
export function configFor(settings: Settings, fs: FileSystem, dir: string, root: string): Config {
  const config = loadConfig(fs, dir, root);
  const section: Record<string, unknown> = { severity: settings.severity };
  if (settings.uvVersion !== DEFAULT_UV_VERSION) section.uvVersion = settings.uvVersion;
  if (settings.buildContext) section.buildContext = settings.buildContext;
  applySettings(config, section, 'editor settings (slimdock.*)');
  return config;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
