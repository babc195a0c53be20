// `slimdock rules` and `slimdock explain SDnnn`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules, docsUrl, ruleById } from '../engine';

export function listRules(): string {
  const rows = allRules().map((r) => [r.id, r.severity, r.title, r.hadolint?.length ? `(${r.hadolint.join(', ')})` : '']);
  const widths = [0, 1].map((c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2]}${r[3] ? '  ' + r[3] : ''}`.trimEnd()).join('\n') + '\n';
}

/** The rule's docs page as text, or its built-in summary; undefined for an unknown id. */
export function explain(id: string): string | undefined {
  const rule = ruleById(id);
  if (!rule) return undefined;
  const page = docsPage(rule.id);
  if (page !== undefined) return page.endsWith('\n') ? page : page + '\n';
  const hadolint = rule.hadolint?.length ? `; hadolint ${rule.hadolint.join(', ')}` : '';
  return `${rule.id}: ${rule.title} (${rule.severity}${hadolint})\n\n${rule.docs.summary}\n\nWhy: ${rule.docs.why}\n\nMore: ${docsUrl(rule.id)}\n`;
}

/**
 * `docs/rules/<id>.md`: next to the bundle (`dist/../docs/rules`), or at the repository root when
 * running from sources (`server/src/cli/../../../docs/rules`).
 */
function docsPage(id: string): string | undefined {
  for (const up of ['..', '../../..']) {
    const file = path.join(__dirname, up, 'docs', 'rules', `${id}.md`);
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      // not there: try the next place
    }
  }
  return undefined;
}
