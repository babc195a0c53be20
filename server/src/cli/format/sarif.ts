// SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer). One run; the driver lists every
// rule so that `ruleIndex` always points at the rule named by `ruleId`. SARIF forbids nothing
// about null, but GitHub's ingestion rejects some: no value here is ever null.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { allRules, docsUrl, type Finding, type Severity } from '../../engine';
import { estimateSuffix, position, type Formatter } from '../output';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };
export const INFORMATION_URI = 'https://github.com/slimdock/slimdock';
const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

interface ReportingDescriptor {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string };
  helpUri: string;
  defaultConfiguration: { level: 'error' | 'warning' | 'note' };
}

export const sarif: Formatter = ({ cwd, results, version }) => {
  const rules: ReportingDescriptor[] = allRules().map((r) => ({
    id: r.id,
    name: pascalCase(r.title),
    shortDescription: { text: r.title },
    fullDescription: { text: r.docs.summary },
    help: { text: r.docs.why },
    helpUri: docsUrl(r.id),
    defaultConfiguration: { level: LEVEL[r.severity] },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const ruleIndex = (id: string): number => {
    let i = index.get(id);
    if (i === undefined) {
      // A finding from a rule outside the registry (should not happen): describe it minimally.
      i = rules.push({ id, name: id, shortDescription: { text: id }, fullDescription: { text: id }, help: { text: id }, helpUri: docsUrl(id), defaultConfiguration: { level: 'warning' } }) - 1;
      index.set(id, i);
    }
    return i;
  };

  const sarifResults = results.flatMap((r) => {
    const location = artifactLocation(r.file, cwd);
    const lines = r.text?.split(/\r\n|\r|\n/) ?? [];
    const seen = new Map<string, number>();
    return r.findings.map((f) => {
      const { line, column, endLine, endColumn } = position(f);
      const hash = lineHash(f, location.uri, lines[f.range.start.line] ?? '');
      const occurrence = (seen.get(hash) ?? 0) + 1;
      seen.set(hash, occurrence);
      return {
        ruleId: f.rule,
        ruleIndex: ruleIndex(f.rule),
        level: LEVEL[f.severity],
        message: { text: f.message + estimateSuffix(f) },
        locations: [{ physicalLocation: { artifactLocation: location, region: { startLine: line, startColumn: column, endLine, endColumn } } }],
        partialFingerprints: { 'slimdock/v1': `${hash}:${occurrence}` },
        ...(typeof f.estimate?.bytes === 'number' ? { properties: { estimateBytes: f.estimate.bytes } } : {}),
      };
    });
  });

  const log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'slimdock', informationUri: INFORMATION_URI, version, semanticVersion: version, rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd.endsWith(path.sep) ? cwd : cwd + path.sep).href } },
        columnKind: 'utf16CodeUnits',
        results: sarifResults,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
};

/** Relative to the current folder under `%SRCROOT%`; an absolute file URI when outside it. */
function artifactLocation(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  const rel = path.relative(cwd, file);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return { uri: pathToFileURL(file).href };
  return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

/** Stable across runs and unrelated edits: the rule, the file, and the finding's line text. */
function lineHash(f: Finding, uri: string, lineText: string): string {
  return createHash('sha256').update(`${f.rule}\0${uri}\0${lineText.trim()}`).digest('hex').slice(0, 32);
}

/** `pip cache left in the layer` → `PipCacheLeftInTheLayer`. */
function pascalCase(title: string): string {
  return title
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}
