// `textDocument/codeAction`: the menu vscode-eslint users know. Per slimdock diagnostic: its fixes
// (the preferred one first), "Fix all SDnnn in this file", "Ignore SDnnn for this line", "Show
// documentation for SDnnn"; `source.fixAll.slimdock` (every safe fix, one edit); and the
// refactorings on the install under the cursor (`refactor.rewrite.slimdock.*`, with or without a
// diagnostic there). Every answer is made for the document's current version: never a stale edit.
import {
  CodeActionKind,
  CreateFile,
  TextDocumentEdit,
  type ClientCapabilities,
  type CodeAction,
  type CodeActionOptions,
  type CodeActionParams,
  type Command,
  type Diagnostic,
  type Range,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { docsUrl, type FileEdit, type Finding, type Fix, type TextEdit } from '../engine';
import { fixAll, ignoreEdit, withEol } from '../engine/fixes';
import { REFACTOR_KIND, type Refactoring } from '../engine/refactor';
import { isDiagnosticData } from './diagnostics';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.slimdock`;
export { REFACTOR_KIND };

/** Commands the server executes (`workspace/executeCommand`); names apart from the client's own. */
export const COMMANDS = {
  /** [ruleId]: opens the rule's documentation page with `window/showDocument`. */
  showDocumentation: 'slimdock.server.showDocumentation',
  /** [WorkspaceEdit]: applies it with `workspace/applyEdit` (clients without code action literals). */
  applyEdit: 'slimdock.server.applyEdit',
} as const;

/** What the client can take, read once from its capabilities. */
export interface ClientSupport {
  literals: boolean;
  documentChanges: boolean;
  createFiles: boolean;
  showDocument: boolean;
}

export function clientSupport(caps: ClientCapabilities): ClientSupport {
  const edit = caps.workspace?.workspaceEdit;
  return {
    literals: !!caps.textDocument?.codeAction?.codeActionLiteralSupport,
    documentChanges: !!edit?.documentChanges,
    createFiles: !!edit?.documentChanges && !!edit.resourceOperations?.includes('create'),
    showDocument: !!caps.window?.showDocument?.support,
  };
}

/** The `codeActionProvider` capability: kinds only for clients that understand them. */
export function codeActionProvider(support: ClientSupport): boolean | CodeActionOptions {
  return support.literals ? { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, REFACTOR_KIND], resolveProvider: false } : true;
}

/** The document the request is about, at its current version. */
export interface DocumentState {
  uri: string;
  version: number;
  text: string;
  /** The findings computed for `version` (undefined: none yet, the check is still running). */
  findings: readonly Finding[] | undefined;
  /** The URI of another file a fix edits (a `.dockerignore`), undefined when it cannot be edited. */
  uriOf(path: string): string | undefined;
  /** The version of an open document, null when it is not open. */
  versionOf(uri: string): number | null;
  /** The refactorings for a range (Dockerfiles only), computed when asked for. */
  refactorings?(range: Range): Refactoring[];
}

export function codeActions(params: CodeActionParams, doc: DocumentState, support: ClientSupport): (CodeAction | Command)[] {
  const findings = doc.findings ?? [];
  // Fix-all takes a finding's preferred safe fix, else its first safe one, among those this
  // client can apply (a new .dockerignore needs resource operations).
  const applicable = (fix: Fix) => (fix.otherFiles ?? []).every((fe) => doc.uriOf(fe.file) && (!fe.create || support.createFiles));
  const choose = (f: Finding) => f.fixes.find((x) => x.safe && x.preferred && applicable(x)) ?? f.fixes.find((x) => x.safe && applicable(x));
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
  const actions: CodeAction[] = [];
  const seen = new Set<string>();
  const add = (a: CodeAction, key = a.title) => {
    if (seen.has(key)) return;
    seen.add(key);
    actions.push(a);
  };
  const perRule: CodeAction[] = [];
  const addPerRule = (a: CodeAction) => {
    if (seen.has(a.title)) return;
    seen.add(a.title);
    perRule.push(a);
  };

  if (wants(CodeActionKind.QuickFix)) {
    for (const d of params.context.diagnostics) {
      const finding = findingOf(d, doc);
      if (!finding) continue;
      for (const fix of finding.fixes) {
        const edit = workspaceEdit(doc, fix.edits, fix.otherFiles ?? [], support);
        if (!edit) continue;
        const key = `${finding.rule}:${JSON.stringify(edit)}`;
        add({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: fix.preferred || undefined, edit }, key);
      }
      const rule = finding.rule;
      const ofRule = findings.filter((f) => f.rule === rule && choose(f));
      if (ofRule.length >= 2) {
        const set = fixAll(ofRule, choose);
        const edit = workspaceEdit(doc, set.edits, set.otherFiles, support);
        if (edit) addPerRule({ title: `Fix all ${rule} in this file`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit });
      }
      const ignore = ignoreEdit(doc.text, finding.range.start.line, rule);
      if (ignore) {
        const edit = workspaceEdit(doc, [ignore], [], support)!;
        add({ title: `Ignore ${rule} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit }, `ignore:${rule}:${JSON.stringify(ignore)}`);
      }
      addPerRule({ title: `Show documentation for ${rule}`, kind: CodeActionKind.QuickFix, diagnostics: [d], command: docsCommand(rule, support) });
    }
  }

  // Refactorings, last: not the same edit again when a quick fix above already offers it (SD103's).
  const refactors: CodeAction[] = [];
  const wantsRefactor = !only || only.some((k) => k === REFACTOR_KIND || REFACTOR_KIND.startsWith(`${k}.`) || k.startsWith(`${REFACTOR_KIND}.`));
  if (doc.refactorings && wantsRefactor) {
    const quick = new Set(actions.flatMap((a) => [a.title, JSON.stringify(a.edit)]));
    for (const r of doc.refactorings(params.range)) {
      if (!wants(r.kind)) continue;
      const edit = workspaceEdit(doc, r.edits, r.otherFiles ?? [], support);
      if (!edit || quick.has(r.title) || quick.has(JSON.stringify(edit))) continue;
      refactors.push({ title: r.title, kind: r.kind, edit });
    }
  }

  if (wants(FIX_ALL_KIND)) {
    const set = fixAll(findings, choose);
    const edit = set.applied.length ? workspaceEdit(doc, set.edits, set.otherFiles, support) : undefined;
    if (edit) add({ title: 'Fix all auto-fixable slimdock problems', kind: FIX_ALL_KIND, edit });
  }

  const all = [...actions, ...perRule, ...refactors];
  if (support.literals) return all;
  // Old clients take commands only: each action becomes "apply this edit" run by the server.
  return all.map((a) => (a.edit ? { title: a.title, command: COMMANDS.applyEdit, arguments: [a.edit] } : a.command!));
}

/** The finding behind a slimdock diagnostic, if the diagnostic was made for the current version. */
function findingOf(d: Diagnostic, doc: DocumentState): Finding | undefined {
  if (d.source !== 'slimdock' || !isDiagnosticData(d.data) || d.data.version !== doc.version) return undefined;
  const f = doc.findings?.[d.data.index];
  return f && f.rule === d.code ? f : undefined;
}

function docsCommand(rule: string, support: ClientSupport): Command {
  const title = `Show documentation for ${rule}`;
  // Without window/showDocument, VS Code's own `vscode.open` opens a URL given as a string.
  return support.showDocument ? { title, command: COMMANDS.showDocumentation, arguments: [rule] } : { title, command: 'vscode.open', arguments: [docsUrl(rule)] };
}

/**
 * One WorkspaceEdit: versioned `documentChanges` when the client takes them (with `CreateFile`
 * for a new `.dockerignore`), else `changes`. Undefined when the client cannot apply it (a file to
 * create without resource operations, another file of a document that is not on disk).
 */
export function workspaceEdit(doc: DocumentState, edits: readonly TextEdit[], otherFiles: readonly FileEdit[], support: ClientSupport): WorkspaceEdit | undefined {
  const others: { uri: string; fe: FileEdit }[] = [];
  for (const fe of otherFiles) {
    const uri = doc.uriOf(fe.file);
    if (!uri || (fe.create && !support.createFiles)) return undefined;
    others.push({ uri, fe });
  }
  const own = withEol(doc.text, edits);
  if (support.documentChanges) {
    const changes: (TextDocumentEdit | CreateFile)[] = [];
    if (own.length) changes.push(TextDocumentEdit.create({ uri: doc.uri, version: doc.version }, own));
    for (const { uri, fe } of others) {
      if (fe.create) changes.push(CreateFile.create(uri, { ignoreIfExists: true }));
      changes.push(TextDocumentEdit.create({ uri, version: fe.create ? null : doc.versionOf(uri) }, fe.edits));
    }
    return { documentChanges: changes };
  }
  const changes: Record<string, TextEdit[]> = {};
  if (own.length) changes[doc.uri] = own;
  for (const { uri, fe } of others) changes[uri] = [...(changes[uri] ?? []), ...fe.edits];
  return { changes };
}
