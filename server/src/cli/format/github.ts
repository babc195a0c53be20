// GitHub Actions workflow commands: each finding becomes an annotation on the pull request.
//   ::warning file=app/Dockerfile,line=3,col=5,endLine=3,endColumn=16,title=SD101::pip keeps …
// Escaping follows the Actions toolkit (actions/toolkit packages/core/src/command.ts).
import type { Severity } from '../../engine';
import { displayPath, estimateSuffix, position, type Formatter } from '../output';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

/** The message part: `%`, CR and LF are encoded. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: as data, plus `:` and `,`, which separate properties. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export const github: Formatter = ({ cwd, results }) => {
  const lines: string[] = [];
  for (const r of results) {
    const file = displayPath(r.file, cwd);
    for (const f of r.findings) {
      const { line, column, endLine, endColumn } = position(f);
      const props = { file, line, col: column, endLine, endColumn, title: f.rule };
      const list = Object.entries(props).map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
      lines.push(`::${COMMAND[f.severity]} ${list}::${escapeData(f.message + estimateSuffix(f))}`);
    }
  }
  return lines.length ? lines.join('\n') + '\n' : '';
};
