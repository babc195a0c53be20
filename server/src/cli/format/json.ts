// A JSON array of findings, the shape SPEC §6 fixes: 1-based lines and columns, `estimateBytes`
// null when unknown, `fixable` when a safe fix exists. Nothing else goes to stdout.
import { displayPath, estimateBytes, isFixable, position, type Formatter } from '../output';

export const json: Formatter = ({ cwd, results }) => {
  const out = results.flatMap((r) =>
    r.findings.map((f) => ({
      file: displayPath(r.file, cwd),
      rule: f.rule,
      severity: f.severity,
      ...position(f),
      message: f.message,
      estimateBytes: estimateBytes(f),
      fixable: isFixable(f),
    })),
  );
  return JSON.stringify(out, null, 2) + '\n';
};
