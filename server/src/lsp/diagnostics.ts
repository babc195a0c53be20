// Finding → LSP Diagnostic. The diagnostic's `data` points back at the finding in the
// per-document store, so a code action later looks the fix up instead of re-analysing.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { docsUrl, formatBytes, type Finding, type Severity } from '../engine';

/**
 * What a diagnostic carries: for later requests, the finding's index in the store and the document
 * version; for the VS Code client's status item, the rule id and the estimated bytes (null: unknown).
 */
export interface DiagnosticData {
  index: number;
  version: number;
  rule: string;
  estimateBytes: number | null;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(finding: Finding, index: number, version: number): Diagnostic {
  const estimate = finding.estimate?.bytes != null ? ` (${formatBytes(finding.estimate.bytes)})` : '';
  const data: DiagnosticData = { index, version, rule: finding.rule, estimateBytes: finding.estimate?.bytes ?? null };
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    source: 'slimdock',
    code: finding.rule,
    codeDescription: { href: docsUrl(finding.rule) },
    message: finding.message + estimate,
    data,
  };
}

export function isDiagnosticData(v: unknown): v is DiagnosticData {
  return typeof v === 'object' && v !== null && Number.isInteger((v as DiagnosticData).index) && Number.isInteger((v as DiagnosticData).version);
}
