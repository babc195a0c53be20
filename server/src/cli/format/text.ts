// For a person at a terminal: one line per finding, grouped by file, and a closing summary.
//   app/Dockerfile:3:5  warning  SD101  pip keeps its download cache … (≈ 12 MB)
import { formatBytes, type Severity } from '../../engine';
import { displayPath, estimateSuffix, position, rank, SEVERITY_ORDER, type Formatter } from '../output';

const ANSI = { red: 31, yellow: 33, blue: 34, cyan: 36, dim: 2, bold: 1 } as const;
const SEVERITY_COLOR: Record<Severity, keyof typeof ANSI> = { error: 'red', warning: 'yellow', info: 'blue', hint: 'cyan' };

export const text: Formatter = ({ cwd, results, color }) => {
  const paint = (style: keyof typeof ANSI, s: string) => (color ? `\x1b[${ANSI[style]}m${s}\x1b[0m` : s);
  const blocks: string[] = [];
  const counts = new Map<Severity, number>();
  let total = 0;
  let filesWithFindings = 0;
  let savable = 0;

  for (const r of results) {
    if (!r.findings.length) continue;
    filesWithFindings++;
    const file = displayPath(r.file, cwd);
    const rows = r.findings.map((f) => {
      const { line, column } = position(f);
      return { where: `${file}:${line}:${column}`, f };
    });
    const width = Math.max(...rows.map((x) => x.where.length));
    blocks.push(
      rows
        .map(({ where, f }) => {
          total++;
          counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
          savable += f.estimate?.bytes ?? 0;
          const severity = paint(SEVERITY_COLOR[f.severity], f.severity.padEnd(7));
          return `${where.padEnd(width)}  ${severity}  ${paint('dim', f.rule)}  ${f.message}${paint('dim', estimateSuffix(f))}`;
        })
        .join('\n'),
    );
  }

  const checked = results.length;
  const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;
  let summary: string;
  if (!total) summary = `No findings in ${files(checked)}.`;
  else {
    const bySeverity = [...SEVERITY_ORDER]
      .sort((a, b) => rank(b) - rank(a))
      .filter((s) => counts.get(s))
      .map((s) => plural(counts.get(s)!, s))
      .join(', ');
    summary = `${plural(total, 'finding')} (${bySeverity}) in ${filesWithFindings} of ${files(checked)}`;
    if (savable > 0) summary += `; ${formatBytes(savable)} savable`;
  }
  blocks.push(paint('bold', summary));
  return blocks.join('\n\n') + '\n';
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 || word === 'info' ? '' : 's'}`;
}
