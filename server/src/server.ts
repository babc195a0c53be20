// slimdock's language server: LSP wiring only. Documents in, engine findings out as diagnostics,
// hovers and code actions. Conversion lives in ./lsp; analysis in ./engine.
// Transport: `--stdio` (other editors), `--node-ipc` (the VS Code client); vscode-languageserver
// picks it from the command line.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  CodeLensRefreshRequest,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkDockerfile, checkPyproject, checkRequirements, docsUrl, initShellParser, type Finding, type InlayHintInfo } from './engine';
import { baselineWasmOnly, wasmDir } from './nodeFs';
import { DEFAULT_SETTINGS, normalizeSettings, configFor, type Settings } from './lsp/settings';
import { CONTEXT_FILES_GLOB, DiskCache, checkedKind, dependsOn, documentPath, fileSystemFor, fileUriToPath, rootFor } from './lsp/files';
import { toDiagnostic } from './lsp/diagnostics';
import { FindingStore } from './lsp/store';
import { hoverFor } from './lsp/hover';
import { clientSupport, codeActionProvider, codeActions, COMMANDS, type ClientSupport } from './lsp/codeActions';
import { refactorings } from './engine/refactor';
import type { CheckInput } from './engine';
import { Optimizer, OPTIMIZE_REQUEST, type OptimizeParams } from './lsp/optimize';
import { IdleCollector } from './lsp/idle';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const store = new FindingStore();
/** Returns the garbage of a burst of checks once the editor goes quiet (see lsp/idle.ts). */
const idle = new IdleCollector();
/** The disk's answers, kept for 2 s across checks; a watched file's change drops them at once. */
const disk = new DiskCache();
/** Documents opened since their last check: that check reads the disk afresh. */
const justOpened = new Set<string>();

// Load the shell parser now, off the first keystroke's path; every check awaits it.
baselineWasmOnly();
const parserReady: Promise<void> = initShellParser(wasmDir()).catch((e: unknown) => {
  connection.console.error(`slimdock: could not load the shell parser (${String(e)}); RUN bodies are not analysed.`);
});

let pullConfiguration = false;
let dynamicConfigurationRegistration = false;
let dynamicWatchRegistration = false;
let folderNotifications = false;
let workspaceFolders: string[] = [];
/** Settings pushed by a client that cannot answer `workspace/configuration`. */
let pushedSettings: Settings = { ...DEFAULT_SETTINGS };
const settingsCache = new Map<string, Promise<Settings>>();
/** Bumped on every settings change: a check that started before it publishes nothing. */
let settingsGeneration = 0;
/** Per Dockerfile URI: the paths its last check read or looked for. */
const dependencies = new Map<string, ReadonlySet<string>>();
/** Per URI: the latest check still running (a code action for its version waits for it). */
const running = new Map<string, Promise<void>>();
let support: ClientSupport = clientSupport({});

let inlayHintRefresh = false;
/** Per pyproject.toml URI: the size hints of its last check, with the version they belong to. */
const hints = new Map<string, { version: number; hints: InlayHintInfo[] }>();

connection.onInitialize((params): InitializeResult => {
  const caps = params.capabilities;
  support = clientSupport(caps);
  pullConfiguration = !!caps.workspace?.configuration;
  inlayHintRefresh = !!caps.workspace?.inlayHint?.refreshSupport;
  codeLensRefresh = !!caps.workspace?.codeLens?.refreshSupport;
  dynamicConfigurationRegistration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
  dynamicWatchRegistration = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  workspaceFolders = folders.map(fileUriToPath).filter((p): p is string => !!p);
  const result: InitializeResult = {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      inlayHintProvider: true,
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: codeActionProvider(support),
      executeCommandProvider: { commands: Object.values(COMMANDS) },
    },
    serverInfo: { name: 'slimdock' },
  };
  folderNotifications = !!caps.workspace?.workspaceFolders;
  if (folderNotifications) {
    result.capabilities.workspace = { workspaceFolders: { supported: true, changeNotifications: true } };
  }
  return result;
});

connection.onInitialized(() => {
  if (dynamicConfigurationRegistration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'slimdock' });
  if (dynamicWatchRegistration) {
    // Files a Dockerfile's findings depend on: re-check its dependents when one changes on disk.
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: CONTEXT_FILES_GLOB }] });
  }
  if (folderNotifications) {
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const removed = new Set(e.removed.map((f) => fileUriToPath(f.uri)));
      workspaceFolders = workspaceFolders.filter((f) => !removed.has(f));
      workspaceFolders.push(...e.added.map((f) => fileUriToPath(f.uri)).filter((p): p is string => !!p));
      disk.clear();
      checkAll();
    });
  }
});

function settingsFor(uri: string): Promise<Settings> {
  if (!pullConfiguration) return Promise.resolve(pushedSettings);
  let s = settingsCache.get(uri);
  if (!s) {
    s = connection.workspace.getConfiguration({ scopeUri: uri, section: 'slimdock' }).then(normalizeSettings, () => ({ ...DEFAULT_SETTINGS }));
    settingsCache.set(uri, s);
  }
  return s;
}

connection.onDidChangeConfiguration((change) => {
  settingsCache.clear();
  settingsGeneration++;
  if (!pullConfiguration) pushedSettings = normalizeSettings((change.settings as { slimdock?: unknown } | null)?.slimdock);
  checkAll();
  optimizer.invalidate();
});

/** Starts a check and remembers it until it ends. */
function schedule(doc: TextDocument): void {
  const p = check(doc);
  running.set(doc.uri, p);
  void p.finally(() => {
    if (running.get(doc.uri) === p) running.delete(doc.uri);
    idle.worked();
  });
}

async function check(doc: TextDocument): Promise<void> {
  const { uri, version } = doc;
  const generation = settingsGeneration;
  try {
    const settings = await settingsFor(uri);
    await parserReady;
    // A newer version or newer settings: the check they triggered publishes instead.
    if (documents.get(uri)?.version !== version || generation !== settingsGeneration) return;
    if (!settings.enable) {
      store.delete(uri);
      void connection.sendDiagnostics({ uri, version, diagnostics: [] });
      return;
    }
    const file = documentPath(uri);
    const onDisk = !!fileUriToPath(uri);
    const root = onDisk ? rootFor(file, workspaceFolders) : '/';
    const fs = fileSystemFor(uri, root, documents.all(), disk, justOpened.delete(uri));
    const config = configFor(settings, fs, path.posix.dirname(file), root);
    const input = { file, text: doc.getText(), fs, config, root };
    let findings: Finding[];
    const kind = checkedKind(doc.languageId, uri);
    if (kind === 'pyproject') {
      const result = checkPyproject(input);
      findings = result.findings;
      hints.set(uri, { version, hints: result.hints });
      if (inlayHintRefresh) void connection.languages.inlayHint.refresh();
    } else if (kind === 'requirements') findings = checkRequirements(input).findings;
    else findings = checkDockerfile(input).findings;
    store.set(uri, version, findings);
    dependencies.set(uri, fs.touched);
    void connection.sendDiagnostics({ uri, version, diagnostics: findings.map((f, i) => toDiagnostic(f, i, version)) });
  } catch (e) {
    connection.console.error(`slimdock: checking ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
}

const checked = (doc: TextDocument) => checkedKind(doc.languageId, doc.uri) !== undefined;

/** Re-checks every open document slimdock checks (settings or workspace folders changed). */
function checkAll(): void {
  for (const doc of documents.all()) if (checked(doc)) schedule(doc);
}

/** Re-checks the open documents whose last check read (or looked for) one of these files. */
function checkDependents(uris: string[]): void {
  const files = uris.map(fileUriToPath).filter((p): p is string => !!p);
  for (const doc of documents.all()) {
    if (uris.includes(doc.uri)) continue;
    const deps = dependencies.get(doc.uri);
    if (deps && checked(doc) && files.some((f) => dependsOn(deps, f))) schedule(doc);
  }
}

documents.onDidChangeContent(({ document }) => {
  if (checked(document)) schedule(document);
  // Other documents may read this one (a Dockerfile its requirements.txt, a pyproject.toml its
  // Dockerfiles): its unsaved text is what they see now.
  checkDependents([document.uri]);
});

documents.onDidOpen(({ document }) => justOpened.add(document.uri));

documents.onDidClose(({ document }) => {
  settingsCache.delete(document.uri);
  justOpened.delete(document.uri);
  checkDependents([document.uri]); // back to the disk's text
  if (!checked(document)) return;
  store.delete(document.uri);
  hints.delete(document.uri);
  dependencies.delete(document.uri);
  void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
});

connection.languages.inlayHint.on(async ({ textDocument, range }) => {
  const doc = documents.get(textDocument.uri);
  if (!doc) return [];
  if (hints.get(doc.uri)?.version !== doc.version) await running.get(doc.uri); // its check is still running
  const entry = hints.get(doc.uri);
  if (!entry || entry.version !== doc.version) return [];
  return entry.hints
    .filter((h) => h.position.line >= range.start.line && h.position.line <= range.end.line)
    .map((h) => ({ position: h.position, label: h.label, tooltip: h.tooltip, paddingLeft: true }));
});

connection.onDidChangeWatchedFiles(({ changes }) => {
  for (const c of changes) {
    const file = fileUriToPath(c.uri);
    if (file) disk.forget(file);
  }
  checkDependents(changes.map((c) => c.uri));
  optimizer.invalidate();
});

connection.onHover(({ textDocument, position }) => {
  const doc = documents.get(textDocument.uri);
  if (!doc) return null;
  return hoverFor(store.at(doc.uri, doc.version, position));
});

connection.onCodeAction(async (params) => {
  const uri = params.textDocument.uri;
  const doc = documents.get(uri);
  if (!doc) return null;
  if (!store.get(uri, doc.version)) await running.get(uri); // the check of this version is still running
  if (documents.get(uri)?.version !== doc.version) return null; // edited meanwhile: a newer request follows
  const refactor = await refactorInput(doc);
  if (documents.get(uri)?.version !== doc.version) return null;
  return codeActions(params, {
    uri,
    version: doc.version,
    text: doc.getText(),
    findings: store.get(uri, doc.version),
    // Other files a fix edits: only next to a document on disk; an open one by its own URI and version.
    uriOf: (file) => (fileUriToPath(uri) ? (openDocumentAt(file)?.uri ?? pathToFileURL(file).href) : undefined),
    versionOf: (other) => documents.get(other)?.version ?? null,
    refactorings: refactor && ((range) => refactorings(refactor, range)),
  }, support);
});

/** What the refactorings of a Dockerfile read (as its check does), or undefined for other documents. */
async function refactorInput(doc: TextDocument): Promise<CheckInput | undefined> {
  if (checkedKind(doc.languageId, doc.uri) !== 'dockerfile') return undefined;
  const settings = await settingsFor(doc.uri);
  await parserReady;
  if (!settings.enable) return undefined;
  const file = documentPath(doc.uri);
  const root = fileUriToPath(doc.uri) ? rootFor(file, workspaceFolders) : '/';
  const fs = fileSystemFor(doc.uri, root, documents.all(), disk);
  return { file, text: doc.getText(), fs, config: configFor(settings, fs, path.posix.dirname(file), root), root };
}

function openDocumentAt(file: string): TextDocument | undefined {
  return documents.all().find((d) => fileUriToPath(d.uri) === file);
}

connection.onExecuteCommand(async ({ command, arguments: args }) => {
  if (command === COMMANDS.showDocumentation && typeof args?.[0] === 'string') {
    await connection.window.showDocument({ uri: docsUrl(args[0]), external: true });
  } else if (command === COMMANDS.applyEdit && args?.[0]) {
    await connection.workspace.applyEdit(args[0]);
  }
});

// "Optimize Dockerfile": the `slimdock/optimize` request and the CodeLens on the first FROM. The
// rewrite runs when asked (after the version's diagnostics), cached per document version.
let codeLensRefresh = false;
const optimizer = new Optimizer({
  document: (uri) => documents.get(uri),
  settings: settingsFor,
  idle: async (uri) => {
    await parserReady;
    await running.get(uri);
  },
  context: (uri) => {
    const file = documentPath(uri);
    const root = fileUriToPath(uri) ? rootFor(file, workspaceFolders) : '/';
    return {
      file,
      root,
      fs: fileSystemFor(uri, root, documents.all(), disk),
      uriOf: (other) => (fileUriToPath(uri) ? (openDocumentAt(other)?.uri ?? pathToFileURL(other).href) : undefined),
      versionOf: (other) => documents.get(other)?.version ?? null,
    };
  },
  support: () => support,
  refresh: () => {
    if (codeLensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type);
  },
});
connection.onRequest(OPTIMIZE_REQUEST, (params: OptimizeParams) => optimizer.request(params));
connection.onCodeLens(({ textDocument }, token) => optimizer.codeLenses(textDocument.uri, token));
// A Dockerfile's result depends on the unsaved text of the files it reads (requirements, .dockerignore …).
documents.onDidChangeContent(({ document }) => {
  if (checkedKind(document.languageId, document.uri) !== 'dockerfile') optimizer.invalidate();
});
documents.onDidClose(({ document }) => {
  optimizer.forget(document.uri);
  optimizer.invalidate(); // the disk's text of it again
});

documents.listen(connection);
connection.listen();
