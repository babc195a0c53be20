// RUN bodies as shell commands, parsed by tree-sitter-bash (the @vscode/tree-sitter-wasm build).
// Every word keeps the document offsets it came from, through line continuations, comment
// lines, heredocs and `sh -c "…"` strings.
import { Language, Parser, type Tree, type TreeCursor } from '@vscode/tree-sitter-wasm';

let parser: Parser | undefined;

/**
 * Loads the wasm runtime and the bash grammar. `wasmDir` is the folder holding
 * `tree-sitter.wasm` and `tree-sitter-bash.wasm`. Call once before any analysis.
 */
export async function initShellParser(wasmDir: string): Promise<void> {
  if (parser) return;
  await Parser.init({ locateFile: (file: string) => `${wasmDir}/${file}` });
  const bash = await Language.load(`${wasmDir}/tree-sitter-bash.wasm`);
  const p = new Parser();
  p.setLanguage(bash);
  parser = p;
}

export function shellParserReady(): boolean {
  return parser !== undefined;
}

/** Shell text together with where each of its characters stands in the document. */
export class MappedText {
  /** Sorted runs: text[textStart, textStart+length) came from doc[docStart, …). */
  constructor(
    readonly text: string,
    private readonly runs: { textStart: number; docStart: number; length: number }[],
  ) {}

  static exact(text: string, docStart: number): MappedText {
    return new MappedText(text, [{ textStart: 0, docStart, length: text.length }]);
  }

  /** Document offset of text offset `i` (an end offset maps to just after its character). */
  toDoc(i: number, end = false): number {
    const runs = this.runs;
    if (runs.length === 0) return 0;
    let lo = 0;
    let hi = runs.length - 1;
    const probe = end && i > 0 ? i - 1 : i;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (runs[mid].textStart <= probe) lo = mid;
      else hi = mid - 1;
    }
    const run = runs[lo];
    const within = Math.min(Math.max(probe - run.textStart, 0), run.length);
    return run.docStart + within + (end && i > 0 ? 1 : 0);
  }

  slice(start: number, end: number): MappedText {
    const runs: { textStart: number; docStart: number; length: number }[] = [];
    for (const run of this.runs) {
      const s = Math.max(start, run.textStart);
      const e = Math.min(end, run.textStart + run.length);
      if (s < e) runs.push({ textStart: s - start, docStart: run.docStart + (s - run.textStart), length: e - s });
    }
    return new MappedText(this.text.slice(start, end), runs);
  }
}

/** A shell word: its value with quotes removed, and where it stands in the document. */
export interface Word {
  value: string;
  /** The word's source text, quotes included. */
  raw: string;
  start: number;
  end: number;
  /** Holds an expansion or substitution whose value is not known statically. */
  dynamic: boolean;
}

export type Env = ReadonlyMap<string, string>;

export interface ShellCommand {
  /** argv[0] with wrappers (`sudo`, `env`, `nohup` …) stripped; the basename for paths. */
  name: string;
  argv: Word[];
  /** Inline `VAR=x cmd` assignments (and `env VAR=x`). */
  assignments: Map<string, string>;
  /** Environment the command sees: the instruction's plus `export`s before it plus inline. */
  env: Env;
  /**
   * What the command's words expand with: the inherited environment, `export`s and plain shell
   * assignments before it (`deps="gcc libpq-dev" && apt-get install $deps`); no inline ones
   * (`A=1 cmd $A` expands the old value). The same object as `env` when they do not differ.
   */
  vars: Env;
  /** Variables the script's own plain assignments set before the command (ENV and ARG names too). */
  assigned?: ReadonlySet<string>;
  start: number;
  end: number;
  /** How the command was reached. */
  via: 'shell' | 'exec' | 'sh -c' | 'heredoc';
  /** Position in the RUN, in execution order. */
  index: number;
}

/** A plain assignment statement at the top level of the script (`deps="gcc" && …`), not a command's inline one. */
export interface ShellAssignment {
  names: string[];
  start: number;
  end: number;
}

/** An `if` statement at the top level of the script. */
export interface ShellIf {
  start: number;
  end: number;
  /**
   * The condition, when it is one `[ … ]` / `[[ … ]]` test of strings and variables (no command,
   * no file test): its offsets and the variables it reads.
   */
  test?: { start: number; end: number; vars: string[] };
  /** It has an `elif` or `else` branch. */
  branches: boolean;
  /** Its `then` branch is a list of plain commands (no nested `if`, loop, subshell or pipeline). */
  plain: boolean;
  /** Its one `else` branch (no `elif`), when that is a list of plain commands: where it starts. */
  plainElse?: number;
}

export interface ShellParse {
  commands: ShellCommand[];
  /** Plain assignment statements outside any compound command, subshell or pipeline. */
  assignments: ShellAssignment[];
  /** `if` statements outside any other compound command, subshell or pipeline. */
  conditionals: ShellIf[];
  /** The parser found a syntax error somewhere in the text. */
  hasError: boolean;
}

const WRAPPERS = new Set(['sudo', 'env', 'nohup', 'nice', 'time', 'exec', 'command', 'xargs', 'stdbuf', 'ionice', 'chronic', 'gosu', 'su-exec', 'timeout', 'runuser', 'eatmydata']);
/** xargs options that take a value as the next word (`xargs -a packages.txt apt-get install`). */
const XARGS_VALUE = new Set(['-a', '-d', '-E', '-I', '-L', '-n', '-P', '-s', '--arg-file', '--delimiter', '--max-args', '--max-procs', '--max-lines', '--max-chars', '--replace', '--eof']);
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh']);

/** Parses shell `text`; `env` is what the shell inherits (ENV, ARG). */
export function parseShell(text: MappedText, env: Env, via: ShellCommand['via'] = 'shell'): ShellParse {
  if (!parser) throw new Error('slimdock: initShellParser() was not called');
  // The "comment in backticks" idiom (`pkg \`# why\` \`) is an empty command substitution to the
  // shell; blank it (same length, offsets unchanged) so the parser does not read on past it.
  const source = text.text.includes('`') ? text.text.replace(/`\s*#[^`\n]*`/g, (m) => ' '.repeat(m.length)) : text.text;
  const tree = parser.parse(source);
  if (!tree) return { commands: [], assignments: [], conditionals: [], hasError: true };
  let root: SyntaxNode;
  let hasError: boolean;
  try {
    root = copyTree(tree, source);
    hasError = tree.rootNode.hasError;
  } finally {
    tree.delete();
  }
  const state: WalkState = { text, exported: env, owned: false, commands: [], assignments: [], conditionals: [], via, depth: 0 };
  walk(root, state, true);
  return { commands: state.commands, assignments: state.assignments, conditionals: state.conditionals, hasError };
}

/**
 * A syntax node copied out of the wasm tree. Every read of a tree-sitter `Node` (its type, end,
 * children, field) is a call into wasm that allocates; one cursor walk copies what the walk below
 * reads into plain objects, and the text comes from offsets into the parsed string.
 */
interface SyntaxNode {
  type: string;
  /** The node's source text (of the parsed string). */
  text: string;
  startIndex: number;
  endIndex: number;
  /** Every child, anonymous tokens (`&&`, quotes) included. */
  children: SyntaxNode[];
  namedChildren: SyntaxNode[];
  /** The field this node fills in its parent; read only under `variable_assignment`. */
  field?: string | null;
}

/** Named-ness is a property of the node's symbol: asked of wasm once per symbol. */
const namedByType = new Map<number, boolean>();

function copyTree(tree: Tree, source: string): SyntaxNode {
  const cursor = tree.walk();
  try {
    return copyNode(cursor, tree.language.types, tree.language.fields, source, false).node;
  } finally {
    cursor.delete();
  }
}

function copyNode(cursor: TreeCursor, types: (string | null)[], fields: (string | null)[], source: string, withField: boolean): { node: SyntaxNode; named: boolean } {
  const typeId = cursor.nodeTypeId;
  let named = namedByType.get(typeId);
  if (named === undefined) namedByType.set(typeId, (named = cursor.nodeIsNamed));
  const startIndex = cursor.startIndex;
  const endIndex = cursor.endIndex;
  const node: SyntaxNode = {
    type: types[typeId] || 'ERROR',
    text: source.slice(startIndex, endIndex),
    startIndex,
    endIndex,
    children: [],
    namedChildren: [],
  };
  if (withField) node.field = fields[cursor.currentFieldId] ?? null;
  if (cursor.gotoFirstChild()) {
    const childFields = node.type === 'variable_assignment';
    do {
      const child = copyNode(cursor, types, fields, source, childFields);
      node.children.push(child.node);
      if (child.named) node.namedChildren.push(child.node);
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }
  return { node, named };
}

/** The first child filling `field` (tree-sitter's `childForFieldName`). */
function fieldChild(node: SyntaxNode, field: string): SyntaxNode | undefined {
  return node.children.find((c) => c.field === field);
}

interface WalkState {
  text: MappedText;
  /**
   * The environment commands see: the inherited one until the first `export`, then a copy that
   * exports change. Commands without inline assignments share it (`snapshot`) until the next
   * `export`: the environment holds every ENV and ARG above the RUN, so copying it for every
   * command would grow with the file.
   */
  exported: Env;
  /** `exported` is this walk's own copy (an `export` may change it). */
  owned: boolean;
  /** The environment shared by commands until the next `export`. */
  snapshot?: Env;
  /** Plain assignments of variables the environment does not hold (not exported). */
  shellVars?: Map<string, string>;
  /** `exported` with `shellVars` over it, shared by commands until the next assignment. */
  varsSnapshot?: Env;
  /** Names the script's plain assignments set so far (replaced, not changed, on each new one). */
  assigned?: Set<string>;
  /** Names assigned inside the branches being walked (`branches`). */
  touched?: Set<string>;
  commands: ShellCommand[];
  assignments: ShellAssignment[];
  conditionals: ShellIf[];
  via: ShellCommand['via'];
  depth: number;
}

/** `top`: the node is a statement of the script itself (the program or a list in it). */
function walk(node: SyntaxNode, state: WalkState, top = false): void {
  switch (node.type) {
    case 'command':
      command(node, state);
      return;
    case 'declaration_command':
      declaration(node, state);
      return;
    case 'variable_assignment':
    case 'variable_assignments': {
      const single = node.type === 'variable_assignment';
      const names: string[] = [];
      for (const a of single ? [node] : node.namedChildren) {
        if (a.type !== 'variable_assignment') continue;
        const name = fieldChild(a, 'name')?.text;
        if (!name) continue;
        names.push(name);
        const value = fieldChild(a, 'value');
        assign(state, name, value ? expandValue(name, value, state) : '', false);
      }
      if (top && names.length) state.assignments.push({ names, start: state.text.toDoc(node.startIndex), end: state.text.toDoc(node.endIndex, true) });
      return;
    }
    case 'list': {
      // `a || b`: b runs only when a fails.
      let or = false;
      for (const child of node.children) {
        if (child.type === '||') or = true;
        else if (child.type === '&&' || child.type === ';') or = false;
        else if (child.type !== 'comment' && node.namedChildren.includes(child)) {
          if (or) branches(state, [[child]]);
          else walk(child, state, top);
        }
      }
      return;
    }
    case 'subshell':
    case 'pipeline': {
      // Their assignments stay inside them.
      const saved = save(state);
      for (const child of node.namedChildren) walk(child, state);
      restore(state, saved);
      return;
    }
    case 'if_statement': {
      if (top) state.conditionals.push(conditional(node, state.text));
      // The condition runs; then one branch, or none.
      const then = node.children.findIndex((c) => c.type === 'then');
      const named = (c: SyntaxNode) => node.namedChildren.includes(c) && c.type !== 'comment';
      node.children.slice(1, Math.max(1, then)).filter(named).forEach((c) => walk(c, state));
      const groups: SyntaxNode[][] = [[]];
      for (const c of node.children.slice(then + 1)) {
        if (c.type === 'elif_clause' || c.type === 'else_clause') groups.push(c.namedChildren);
        else if (named(c)) groups[0].push(c);
      }
      branches(state, groups);
      return;
    }
    case 'case_statement':
      branches(state, node.namedChildren.map((c) => (c.type === 'case_item' ? c.namedChildren : [c])));
      return;
    case 'for_statement':
    case 'c_style_for_statement':
    case 'while_statement':
    case 'function_definition': {
      // Run any number of times (a function: when called); a `for` sets its variable, in the body and after it.
      const loopVar = node.type === 'for_statement' ? node.namedChildren.find((c) => c.type === 'variable_name')?.text : undefined;
      if (loopVar) assign(state, loopVar, `\${${loopVar}}`, false);
      branches(state, [node.namedChildren]);
      if (loopVar) assign(state, loopVar, `\${${loopVar}}`, false);
      return;
    }
    case 'heredoc_body':
    case 'comment':
      return;
  }
  const inner = top && node.type === 'program';
  for (const child of node.namedChildren) walk(child, state, inner);
}

type Saved = Pick<WalkState, 'exported' | 'snapshot' | 'shellVars' | 'varsSnapshot' | 'assigned'>;

function save(state: WalkState): Saved {
  // Shared from here on: the next `export` copies it.
  state.owned = false;
  return { exported: state.exported, snapshot: state.snapshot, shellVars: state.shellVars, varsSnapshot: state.varsSnapshot, assigned: state.assigned };
}

function restore(state: WalkState, saved: Saved): void {
  Object.assign(state, saved);
  state.owned = false;
}

/**
 * Branches of which one (or none) runs (`if`/`elif`/`else`, `case`, after `||`; a loop body): each
 * starts from the state before them, and what any of them assigns is unknown after them.
 */
function branches(state: WalkState, groups: SyntaxNode[][]): void {
  const saved = save(state);
  const outer = state.touched;
  const touched = new Set<string>();
  for (const group of groups) {
    restore(state, saved);
    state.touched = touched;
    for (const n of group) walk(n, state);
  }
  restore(state, saved);
  state.touched = outer;
  for (const name of touched) assign(state, name, `\${${name}}`, false);
}

function conditional(node: SyntaxNode, text: MappedText): ShellIf {
  const then = node.children.findIndex((c) => c.type === 'then');
  const body = node.children.slice(then + 1).filter((c) => node.namedChildren.includes(c) && c.type !== 'elif_clause' && c.type !== 'else_clause');
  // `a || b` is not plain: b runs only when a fails.
  const plainNode = (n: SyntaxNode): boolean => n.type === 'command' || n.type === 'comment' || (n.type === 'list' && !n.children.some((c) => c.type === '||') && n.namedChildren.every(plainNode)) || (n.type === 'redirected_statement' && n.namedChildren.every((c) => plainNode(c) || isRedirect(c.type)));
  const out: ShellIf = {
    start: text.toDoc(node.startIndex),
    end: text.toDoc(node.endIndex, true),
    branches: node.namedChildren.some((c) => c.type === 'elif_clause' || c.type === 'else_clause'),
    plain: then >= 0 && body.every(plainNode),
  };
  const elses = node.namedChildren.filter((c) => c.type === 'elif_clause' || c.type === 'else_clause');
  if (elses.length === 1 && elses[0].type === 'else_clause' && elses[0].namedChildren.every(plainNode)) out.plainElse = text.toDoc(elses[0].startIndex);
  const condition = node.children.slice(1, then < 0 ? 1 : then).filter((c) => c.type !== ';' && c.type !== 'comment');
  const test = condition[0];
  if (condition.length !== 1 || test.type !== 'test_command' || !valuesOnly(test)) return out;
  const vars: string[] = [];
  const collect = (n: SyntaxNode): void => {
    if (n.type === 'variable_name') vars.push(n.text);
    n.namedChildren.forEach(collect);
  };
  collect(test);
  out.test = { start: text.toDoc(test.startIndex), end: text.toDoc(test.endIndex, true), vars: [...new Set(vars)] };
  return out;
}

/** A test of strings and variables: nothing it runs, no file it looks at. */
function valuesOnly(node: SyntaxNode): boolean {
  if (RUNTIME.has(node.type) || node.type === 'ERROR') return false;
  if (node.type === 'test_operator' && !/^-[nz]$|^-(eq|ne|lt|le|gt|ge)$/.test(node.text)) return false;
  return node.namedChildren.every(valuesOnly);
}

/**
 * The value of an assignment, with the variables known before it expanded (`"$deps gcc"`); a
 * value only running the script tells (`$(dpkg --print-architecture)`) stays the variable itself.
 */
function expandValue(name: string, value: SyntaxNode, state: WalkState): string {
  const w = wordOf(value, state.text);
  if (!w.dynamic) return w.value;
  if (hasRuntimeValue(value)) return `\${${name}}`;
  return substitute(w.value, varsOf(state));
}

/** Expansions whose value only running the script tells. */
const RUNTIME = new Set(['command_substitution', 'process_substitution', 'arithmetic_expansion']);

function hasRuntimeValue(node: SyntaxNode): boolean {
  return RUNTIME.has(node.type) || node.namedChildren.some(hasRuntimeValue);
}

/** `${VAR}`, `$VAR`, `${VAR:-default}` and `${VAR:+alt}` with the given values. */
export function substitute(text: string, vars: ReadonlyMap<string, string>): string {
  if (!text.includes('$')) return text;
  return text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (all, braced, op, word, bare) => {
    const name = braced ?? bare;
    const value = vars.get(name);
    if (op === ':-' || op === '-') return value === undefined || (op === ':-' && value === '') ? word : value;
    if (op === ':+' || op === '+') return value === undefined || (op === ':+' && value === '') ? '' : word;
    return value ?? all;
  });
}

/**
 * Sets a shell variable: an exported one (ENV, ARG, `export`) changes the environment commands see,
 * another is a shell variable only the expansions see.
 */
function assign(state: WalkState, name: string, value: string, exported: boolean): void {
  state.touched?.add(name);
  if (!exported) state.assigned = new Set(state.assigned ?? []).add(name);
  if (exported || state.exported.has(name)) {
    // Copy on write: neither the inherited environment nor a snapshot commands hold may change.
    if (!state.owned || state.snapshot === state.exported) {
      state.exported = new Map(state.exported);
      state.owned = true;
    }
    (state.exported as Map<string, string>).set(name, value);
    state.snapshot = undefined;
    if (state.shellVars?.has(name)) {
      state.shellVars = new Map(state.shellVars);
      state.shellVars.delete(name);
    }
  } else {
    state.shellVars = new Map(state.shellVars ?? []);
    state.shellVars.set(name, value);
  }
  state.varsSnapshot = undefined;
}

/** The variables expansions see now. */
function varsOf(state: WalkState): Env {
  if (!state.shellVars?.size) return state.snapshot ??= state.exported;
  if (!state.varsSnapshot) {
    const all = new Map(state.exported);
    for (const [k, v] of state.shellVars) all.set(k, v);
    state.varsSnapshot = all;
  }
  return state.varsSnapshot;
}

function declaration(node: SyntaxNode, state: WalkState): void {
  const keyword = node.children[0]?.text;
  if (keyword !== 'export' && keyword !== 'declare' && keyword !== 'typeset') return;
  for (const child of node.namedChildren) {
    if (child.type !== 'variable_assignment') continue;
    const name = fieldChild(child, 'name')?.text;
    const value = fieldChild(child, 'value');
    if (name) assign(state, name, value ? wordOf(value, state.text).value : '', true);
  }
}

function command(node: SyntaxNode, state: WalkState): void {
  const assignments = new Map<string, string>();
  const argv: Word[] = [];
  for (const child of node.namedChildren) {
    if (child.type === 'variable_assignment') {
      const name = fieldChild(child, 'name')?.text;
      const value = fieldChild(child, 'value');
      if (name) assignments.set(name, value ? wordOf(value, state.text).value : '');
    } else if (child.type === 'command_name') {
      const inner = child.namedChildren[0] ?? child;
      argv.push(wordOf(inner, state.text));
    } else if (isRedirect(child.type)) {
      continue;
    } else if (argv.length > 0) {
      argv.push(wordOf(child, state.text));
    }
    // Command substitutions inside arguments run commands too.
    if (child.type !== 'command_name') collectSubstitutions(child, state);
  }
  // Strip wrappers: `sudo -E pip …`, `env A=1 pip …`, `xargs -r pip …`.
  while (argv.length > 1 && WRAPPERS.has(basename(argv[0].value))) {
    const wrapper = basename(argv[0].value);
    argv.shift();
    while (argv.length > 1) {
      const v = argv[0].value;
      if (wrapper === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(v)) {
        const eq = v.indexOf('=');
        assignments.set(v.slice(0, eq), v.slice(eq + 1));
        argv.shift();
      } else if (v.startsWith('-')) {
        argv.shift();
        if (v === '--') break;
        if ((wrapper === 'sudo' || wrapper === 'runuser') && (v === '-u' || v === '-g') && argv.length > 1) argv.shift();
        if (wrapper === 'timeout' && (v === '-s' || v === '--signal' || v === '-k' || v === '--kill-after') && argv.length > 1) argv.shift();
        if (wrapper === 'nice' && v === '-n' && argv.length > 1) argv.shift();
        if (wrapper === 'xargs' && XARGS_VALUE.has(v) && argv.length > 1) argv.shift();
      } else break;
    }
    // `timeout 60 git clone …`, `timeout "$T" curl …`: the duration, then the command; `gosu app curl`: the user, then the command.
    if (wrapper === 'timeout' && argv.length > 1 && /^(\d+(\.\d+)?[smhd]?|\$\{?\w[^}]*\}?)$/.test(argv[0].value)) argv.shift();
    else if ((wrapper === 'gosu' || wrapper === 'su-exec') && argv.length > 1) argv.shift();
  }
  if (argv.length === 0) return;
  let env: Env;
  if (assignments.size === 0) env = state.snapshot ??= state.exported;
  else {
    const own = new Map(state.exported);
    for (const [k, v] of assignments) own.set(k, v);
    env = own;
  }
  const cmd: ShellCommand = {
    name: basename(argv[0].value),
    argv,
    assignments,
    env,
    vars: varsOf(state),
    ...(state.assigned ? { assigned: state.assigned } : {}),
    start: state.text.toDoc(node.startIndex),
    end: state.text.toDoc(node.endIndex, true),
    via: state.via,
    index: state.commands.length,
  };
  state.commands.push(cmd);
  const script = shellDashC(cmd);
  if (script && state.depth < 4) {
    const inner = state.text.slice(script.textStart, script.textEnd);
    const nested = parseInner(inner, env, state.depth + 1);
    for (const c of nested) {
      c.index = state.commands.length;
      state.commands.push(c);
    }
  }
}

function parseInner(text: MappedText, env: Env, depth: number): ShellCommand[] {
  const tree = parser!.parse(text.text);
  if (!tree) return [];
  let root: SyntaxNode;
  try {
    root = copyTree(tree, text.text);
  } finally {
    tree.delete();
  }
  const state: WalkState = { text, exported: env, owned: false, commands: [], assignments: [], conditionals: [], via: 'sh -c', depth };
  walk(root, state);
  return state.commands;
}

/** For `sh -c 'script'`: the script word's text offsets (inside the quotes). */
function shellDashC(cmd: ShellCommand): { textStart: number; textEnd: number } | undefined {
  if (!SHELLS.has(cmd.name)) return undefined;
  for (let i = 1; i < cmd.argv.length - 1; i++) {
    const flag = cmd.argv[i].value;
    if (/^-[a-z]*c[a-z]*$/.test(flag)) {
      const word = cmd.argv[i + 1] as Word & { textStart?: number; textEnd?: number };
      if (word.textStart === undefined || word.textEnd === undefined) return undefined;
      const quoted = /^["']/.test(word.raw) ? 1 : 0;
      return { textStart: word.textStart + quoted, textEnd: word.textEnd - quoted };
    }
  }
  return undefined;
}

function collectSubstitutions(node: SyntaxNode, state: WalkState): void {
  if (node.type === 'command_substitution' || node.type === 'process_substitution') {
    for (const child of node.namedChildren) walk(child, state);
    return;
  }
  for (const child of node.namedChildren) collectSubstitutions(child, state);
}

function isRedirect(type: string): boolean {
  return type === 'file_redirect' || type === 'heredoc_redirect' || type === 'herestring_redirect';
}

const DYNAMIC = new Set(['simple_expansion', 'expansion', ...RUNTIME]);

function wordOf(node: SyntaxNode, text: MappedText): Word {
  const raw = node.text;
  const word: Word & { textStart: number; textEnd: number } = {
    value: unquote(node),
    raw,
    start: text.toDoc(node.startIndex),
    end: text.toDoc(node.endIndex, true),
    dynamic: hasDynamic(node),
    textStart: node.startIndex,
    textEnd: node.endIndex,
  };
  return word;
}

function hasDynamic(node: SyntaxNode): boolean {
  if (DYNAMIC.has(node.type)) return true;
  for (const child of node.namedChildren) if (hasDynamic(child)) return true;
  return false;
}

function unquote(node: SyntaxNode): string {
  switch (node.type) {
    case 'raw_string':
      return node.text.slice(1, -1);
    case 'ansi_c_string':
      return node.text.slice(2, -1);
    case 'string': {
      const t = node.text;
      return t.slice(1, t.endsWith('"') && t.length > 1 ? -1 : undefined).replace(/\\(["\\$`])/g, '$1');
    }
    case 'concatenation': {
      let out = '';
      for (const child of node.children) out += unquote(child);
      return out;
    }
    case 'word':
    case 'number':
      return node.text.replace(/\\(.)/g, '$1');
    default:
      return node.text;
  }
}

export function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i >= 0 ? p.slice(i + 1) : p;
}

/** Commands that set shell variables slimdock does not follow (`. file`, `source`, `eval`, `read`, `printf -v` …). */
export function setsVariables(cmd: ShellCommand): boolean {
  return ['.', 'source', 'eval', 'read', 'getopts', 'mapfile', 'readarray'].includes(cmd.name) || (cmd.name === 'printf' && cmd.argv[1]?.value === '-v');
}
