// "Optimize Dockerfile" over LSP: the custom request `slimdock/optimize` (the engine's rewrite of
// an open Dockerfile as one WorkspaceEdit) and the CodeLens on its first FROM. The rewrite runs
// several checks, so it never runs on a keystroke's path: the lens is computed when the editor
// asks for it, after that version's diagnostics are out, and cached per document version.
import type { CancellationToken, CodeLens, WorkspaceEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_UV_VERSION, formatBytes, type Estimate, type FileSystem } from '../engine';
import { optimize, type OptimizeMode } from '../engine/optimize';
import { buildModel } from '../engine/parse/dockerfile';
import { workspaceEdit, type ClientSupport, type DocumentState } from './codeActions';
import { isDockerfileDocument } from './files';
import type { Settings } from './settings';

export const OPTIMIZE_REQUEST = 'slimdock/optimize';
/** The client's command (client/src/optimize.ts) the lens runs, with the document URI. */
export const OPTIMIZE_COMMAND = 'slimdock.optimize';

export interface OptimizeParams {
  uri: string;
  /** Overrides `slimdock.optimize.mode`. */
  mode?: OptimizeMode;
  /** Overrides `slimdock.optimize.compileBytecode`. */
  compileBytecode?: boolean;
}

export interface OptimizeResponse {
  uri: string;
  /** The document version the text and the edit were made from. */
  version: number;
  /** The whole optimized Dockerfile. */
  text: string;
  /** One edit: the Dockerfile replaced at `version`, and the `.dockerignore` created or extended. */
  edits: WorkspaceEdit;
  before: Estimate;
  after: Estimate;
  /** `≈ 1.1 GB → ≈ 152 MB`, or undefined when either size is unknown. */
  sizes?: string;
  notes: string[];
  changed: boolean;
  /** Rewritten into a multi-stage build; false when only the safe fixes were applied. */
  restructured: boolean;
}

/** What the server knows that a rewrite needs. */
export interface OptimizeHost {
  document(uri: string): TextDocument | undefined;
  settings(uri: string): Promise<Settings>;
  /** Resolves once the shell parser is loaded and the check of the document's current version ended. */
  idle(uri: string): Promise<void>;
  /** The files the rewrite reads (the open documents over the disk), its root, and URIs of other files. */
  context(uri: string): { file: string; root: string; fs: FileSystem; uriOf(path: string): string | undefined; versionOf(uri: string): number | null };
  support(): ClientSupport;
  /** Asks the client for the lenses again (`workspace/codeLens/refresh`), when it can. */
  refresh(): void;
}

interface Cached {
  version: number;
  epoch: number;
  /** Computed with the fix rounds for a file that cannot be restructured (see `cached`). */
  complete: boolean;
  result: Promise<OptimizeResponse | null>;
}

export class Optimizer {
  /** Bumped when anything besides the document's own text may change a result (settings, other files). */
  private epoch = 0;
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly host: OptimizeHost) {}

  /** Settings or another file changed: cached results may be stale. */
  invalidate(): void {
    this.epoch++;
    const had = this.cache.size > 0;
    this.cache.clear();
    if (had) this.host.refresh();
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  /** `slimdock/optimize`: null for a document that is not open or not a Dockerfile. */
  async request(params: OptimizeParams): Promise<OptimizeResponse | null> {
    const doc = this.host.document(params.uri);
    if (!doc || !isDockerfileDocument(doc.languageId, doc.uri)) return null;
    await this.host.idle(doc.uri);
    const current = this.host.document(params.uri) ?? doc;
    // Without overrides the answer is the one the lens showed, when it is still current.
    if (params.mode === undefined && params.compileBytecode === undefined) return this.cached(current, true);
    return this.run(current, params);
  }

  /** `textDocument/codeLens`: "Optimize Dockerfile (≈ before → ≈ after)" on the first FROM, when the rewrite changes something. */
  async codeLenses(uri: string, token?: CancellationToken): Promise<CodeLens[]> {
    const doc = this.host.document(uri);
    if (!doc || !isDockerfileDocument(doc.languageId, doc.uri)) return [];
    const { version } = doc;
    // Diagnostics first; then let queued notifications (the next keystroke) run before the rewrite.
    await this.host.idle(uri);
    await new Promise((resolve) => setImmediate(resolve));
    if (token?.isCancellationRequested || this.host.document(uri)?.version !== version) return [];
    if (!(await this.host.settings(uri)).enable) return []; // slimdock is off in this folder (the command still works)
    const result = await this.cached(doc, false);
    // The lens offers the rewrite; a file Optimize can only apply safe fixes to has Fix All for that.
    if (!result?.restructured) return [];
    const from = firstFromLine(doc.getText());
    if (from === undefined) return [];
    const title = `slimdock: Optimize Dockerfile${result.sizes ? ` (${result.sizes})` : ''}`;
    return [{ range: { start: { line: from, character: 0 }, end: { line: from, character: 0 } }, command: { title, command: OPTIMIZE_COMMAND, arguments: [uri] } }];
  }

  /**
   * The rewrite of the document's current version, computed once. The lens asks without the fix
   * rounds for files that cannot be restructured (`complete` false); such an answer is the whole
   * answer when the file was restructured, else the command computes the complete one.
   */
  private cached(doc: TextDocument, complete: boolean): Promise<OptimizeResponse | null> {
    const hit = this.cache.get(doc.uri);
    if (hit && hit.version === doc.version && hit.epoch === this.epoch) {
      if (!complete || hit.complete) return hit.result;
      return hit.result.then((r) => (r?.restructured ? r : this.store(doc, true)), () => this.store(doc, true));
    }
    return this.store(doc, complete);
  }

  private store(doc: TextDocument, complete: boolean): Promise<OptimizeResponse | null> {
    const entry: Cached = { version: doc.version, epoch: this.epoch, complete, result: this.run(doc, { uri: doc.uri }, complete) };
    this.cache.set(doc.uri, entry);
    // A failed rewrite is not remembered: the next request tries again.
    entry.result.catch(() => this.cache.get(doc.uri) === entry && this.cache.delete(doc.uri));
    return entry.result;
  }

  private async run(doc: TextDocument, params: OptimizeParams, complete = true): Promise<OptimizeResponse | null> {
    const settings = await this.host.settings(doc.uri);
    const ctx = this.host.context(doc.uri);
    const result = optimize({
      file: ctx.file,
      text: doc.getText(),
      fs: ctx.fs,
      root: ctx.root,
      mode: params.mode === 'venv' || params.mode === 'system' ? params.mode : settings.optimize.mode,
      // Settings left at their defaults do not override the project ([tool.slimdock] uv-version)
      // or the old file (its UV_COMPILE_BYTECODE), as in settings.ts and the CLI.
      uvVersion: settings.uvVersion !== DEFAULT_UV_VERSION ? settings.uvVersion : undefined,
      compileBytecode: typeof params.compileBytecode === 'boolean' ? params.compileBytecode : settings.optimize.compileBytecode ? true : undefined,
      fixWhenNotRestructured: complete,
    });
    return toResponse(doc, result, ctx, this.host.support());
  }
}

/** The engine's result as the client gets it: one WorkspaceEdit, at the document's version. */
export function toResponse(
  doc: TextDocument,
  result: ReturnType<typeof optimize>,
  ctx: Pick<DocumentState, 'uriOf' | 'versionOf'>,
  support: ClientSupport,
): OptimizeResponse {
  const text = doc.getText();
  const state: DocumentState = { uri: doc.uri, version: doc.version, text, findings: [], uriOf: ctx.uriOf, versionOf: ctx.versionOf };
  const whole = result.changed ? [{ range: { start: { line: 0, character: 0 }, end: doc.positionAt(text.length) }, newText: result.text }] : [];
  const notes = [...result.notes];
  let edits = workspaceEdit(state, whole, result.otherFiles, support);
  if (!edits) {
    // This client cannot create or edit the other file: the Dockerfile alone, and say what is missing.
    edits = workspaceEdit(state, whole, [], support)!;
    for (const fe of result.otherFiles) notes.push(`${fe.file} was not ${fe.create ? 'created' : 'changed'} (this editor cannot apply that edit): ${fe.edits.map((e) => e.newText.trim()).join(' ')}`);
  }
  const known = result.before.bytes !== null && result.after.bytes !== null;
  return {
    uri: doc.uri,
    version: doc.version,
    text: result.text,
    edits,
    before: result.before,
    after: result.after,
    sizes: known ? `${formatBytes(result.before.bytes)} → ${formatBytes(result.after.bytes)}` : undefined,
    notes,
    changed: result.changed,
    restructured: result.restructured,
  };
}

/** The 0-based line of the first FROM, if any. */
function firstFromLine(text: string): number | undefined {
  try {
    return buildModel(text).stages[0]?.from.getRange().start.line;
  } catch {
    return undefined;
  }
}
