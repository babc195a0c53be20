// package.json `contributes.configuration` and the server's DEFAULT_SETTINGS declare the same
// settings with the same defaults; and the server reads whatever a client sends without trusting it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SETTINGS, normalizeSettings, configFor } from '../../server/src/lsp/settings';
import { DEFAULT_UV_VERSION, MemoryFileSystem } from '../../server/src/engine';

interface Property {
  default?: unknown;
  markdownDescription?: string;
  enum?: unknown[];
  enumDescriptions?: string[];
}

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Property> } };
};
const properties = manifest.contributes.configuration.properties;

/** `slimdock.trace.server` → DEFAULT_SETTINGS.trace.server. */
function defaultAt(key: string): unknown {
  return key
    .replace(/^slimdock\./, '')
    .split('.')
    .reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), DEFAULT_SETTINGS);
}

/** The settings DEFAULT_SETTINGS declares, as package.json keys: objects are settings when package.json says so. */
function serverKeys(o: Record<string, unknown> = DEFAULT_SETTINGS as unknown as Record<string, unknown>, prefix = 'slimdock.'): string[] {
  return Object.entries(o).flatMap(([k, v]) => {
    const key = prefix + k;
    const nested = v && typeof v === 'object' && !Array.isArray(v) && !(key in properties) && Object.keys(v).length > 0;
    return nested ? serverKeys(v as Record<string, unknown>, key + '.') : [key];
  });
}

describe('settings: package.json and the server agree', () => {
  it('declares at least the settings of the brief', () => {
    for (const k of ['slimdock.enable', 'slimdock.severity', 'slimdock.uvVersion', 'slimdock.buildContext', 'slimdock.trace.server']) {
      assert.ok(k in properties, `${k} missing from package.json`);
    }
  });

  for (const [key, prop] of Object.entries(properties)) {
    it(`${key}: same default in package.json and DEFAULT_SETTINGS, and documented`, () => {
      assert.ok('default' in prop, `${key} has no default in package.json`);
      assert.deepEqual(defaultAt(key), prop.default);
      assert.ok(prop.markdownDescription && prop.markdownDescription.length > 20, `${key} needs a markdownDescription`);
      if (prop.enum) assert.equal(prop.enumDescriptions?.length, prop.enum.length, `${key}: one enum description per value`);
    });
  }

  it('every server default is declared in package.json', () => {
    const missing = serverKeys().filter((k) => !(k in properties));
    assert.deepEqual(missing, []);
  });

  it('the uv version default is the engine\'s', () => {
    assert.equal(properties['slimdock.uvVersion'].default, DEFAULT_UV_VERSION);
  });
});

describe('settings: reading what a client sends', () => {
  it('falls back to the defaults for missing or mistyped values', () => {
    assert.deepEqual(normalizeSettings(null), DEFAULT_SETTINGS);
    assert.deepEqual(normalizeSettings({ enable: 'no', severity: [], uvVersion: 3, buildContext: null, trace: 'verbose' }), DEFAULT_SETTINGS);
  });

  it('keeps valid severities (ids upper-cased) and drops invalid ones', () => {
    const s = normalizeSettings({ severity: { sd101: 'off', SD301: 'error', SD302: 'loud', SD303: 1 } });
    assert.deepEqual(s.severity, { SD101: 'off', SD301: 'error' });
  });

  it('editor settings override [tool.slimdock], but a setting left at its default does not', () => {
    const fs = new MemoryFileSystem({
      '/w/pyproject.toml': '[tool.slimdock]\nuv-version = "0.9.0"\nbuild-context = ".."\nseverity = { SD101 = "error", SD301 = "hint" }\n',
    });
    const fromProject = configFor(normalizeSettings({}), fs, '/w', '/w');
    assert.equal(fromProject.uvVersion, '0.9.0');
    assert.equal(fromProject.buildContext, '..');
    assert.deepEqual(fromProject.severity, { SD101: 'error', SD301: 'hint' });

    const overridden = configFor(normalizeSettings({ uvVersion: '0.13.0', buildContext: 'app', severity: { SD101: 'off' } }), fs, '/w', '/w');
    assert.equal(overridden.uvVersion, '0.13.0');
    assert.equal(overridden.buildContext, 'app');
    assert.deepEqual(overridden.severity, { SD101: 'off', SD301: 'hint' });
  });
});
