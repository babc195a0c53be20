// Hover over a finding: the rule's title, what and why, the estimate with its basis, and the docs link.
import { MarkupKind, type Hover } from 'vscode-languageserver';
import { docsUrl, formatBytes, ruleById, type Finding } from '../engine';

export function findingMarkdown(f: Finding): string {
  const rule = ruleById(f.rule);
  const parts = [`**${f.rule}** ${rule?.title ?? ''}`.trim()];
  if (rule) parts.push(rule.docs.summary, rule.docs.why);
  if (f.estimate) parts.push(`Estimate: ${formatBytes(f.estimate.bytes)} — ${f.estimate.basis}`);
  parts.push(`[${f.rule} documentation](${docsUrl(f.rule)})`);
  return parts.join('\n\n');
}

/** One hover for all findings at a position (several rules can flag the same command). */
export function hoverFor(findings: Finding[]): Hover | null {
  if (findings.length === 0) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: findings.map(findingMarkdown).join('\n\n---\n\n') },
    range: findings[0].range,
  };
}
