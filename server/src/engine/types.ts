// The engine's vocabulary: positions, findings, fixes, rules. No LSP or VS Code types here;
// positions are 0-based lines and UTF-16 columns, the same convention LSP uses, so the
// adapters translate without arithmetic.

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

/** An edit to a file other than the one the finding is in (a `.dockerignore`, say). */
export interface FileEdit {
  file: string;
  edits: TextEdit[];
  /** The file does not exist yet and the edit creates it. */
  create?: boolean;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  otherFiles?: FileEdit[];
  /** The fix the lightbulb offers first. */
  preferred?: boolean;
  /** Safe fixes are applied by fix-all and `check --fix`. */
  safe?: boolean;
}

/** What a finding costs in image bytes, and how that figure was made. */
export interface Estimate {
  /** null when the size is unknown: never invent a number. */
  bytes: number | null;
  /** One sentence: where the number comes from. */
  basis: string;
}

export interface Finding {
  rule: string;
  file: string;
  range: Range;
  message: string;
  severity: Severity;
  estimate?: Estimate;
  fixes: Fix[];
}

export type FileKind = 'dockerfile' | 'pyproject' | 'requirements' | 'uvlock' | 'dockerignore';

export interface RuleDocs {
  /** One sentence: what the rule flags. */
  summary: string;
  /** Why it matters, with numbers. */
  why: string;
}

export interface Rule<Ctx> {
  id: string;
  title: string;
  severity: Severity;
  /** hadolint rules this one covers: `# hadolint ignore=` for them is honoured. */
  hadolint?: string[];
  docs: RuleDocs;
  check(ctx: Ctx, report: Report): void;
}

export interface Report {
  (finding: Omit<Finding, 'rule' | 'file' | 'severity' | 'fixes'> & { fixes?: Fix[]; severity?: Severity }): void;
}
