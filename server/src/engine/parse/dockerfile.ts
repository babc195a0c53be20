// The Dockerfile model: stages, what reaches the final image, the environment, user and working
// directory at every instruction, and every RUN as shell commands with document offsets.
import { DockerfileParser, type Instruction, type Dockerfile, type Argument, Run, Env as EnvInstr, Arg, From, JSONInstruction, ModifiableInstruction, type Flag } from 'dockerfile-ast';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { MappedText, parseShell, substitute, type Env, type ShellAssignment, type ShellCommand, type ShellIf } from './shell';

export { substitute };
import { TextCache } from './cache';
import type { Position, Range } from '../types';

export interface Mount {
  type: string;
  target?: string;
  source?: string;
  from?: string;
  options: Map<string, string>;
  start: number;
  end: number;
}

export interface RunModel {
  mounts: Mount[];
  commands: ShellCommand[];
  /** Plain assignment statements at the top level of the shell script (`deps="gcc" && …`). */
  assignments: ShellAssignment[];
  /** `if` statements at the top level of the shell script. */
  conditionals: ShellIf[];
  execForm: boolean;
  heredoc: boolean;
  /** The shell parser reported a syntax error: findings are best effort. */
  hasError: boolean;
}

export interface InstructionModel {
  node: Instruction;
  keyword: string;
  /** The instruction's arguments (flags excluded), parsed once: dockerfile-ast re-tokenizes per call. */
  args: Argument[];
  /** Flags by lower-case name (`from`, `chown`, `mount` …) with their values. */
  flags: Map<string, string[]>;
  stage: StageModel;
  /** Environment in effect for this instruction (ENV and ARG, inherited through FROM <stage>). */
  env: Env;
  user: string;
  home: string;
  workdir: string;
  start: number;
  end: number;
  run?: RunModel;
  /** COPY/ADD in the JSON form: its strings as JSON reads them (blanks kept), sources then destination. */
  jsonWords?: string[];
}

export interface StageModel {
  index: number;
  name?: string;
  /** The FROM image with global ARG defaults substituted. */
  image: string;
  imageStart: number;
  imageEnd: number;
  from: From;
  /** The earlier stage this one is built FROM, if any. */
  parent?: StageModel;
  instructions: InstructionModel[];
  /** The final stage, or a stage the final one is built FROM. */
  reachesFinal: boolean;
  /** Paths that stages reaching the final image copy out of this one (`COPY --from`). */
  copiedPaths: string[];
}

export interface DockerfileModel {
  text: string;
  doc: TextDocument;
  ast: Dockerfile;
  escapeChar: string;
  globalArgs: Map<string, string>;
  stages: StageModel[];
  finalStage?: StageModel;
  instructions: InstructionModel[];
  positionAt(offset: number): Position;
  offsetAt(position: Position): number;
  rangeOf(start: number, end: number): Range;
}

export interface ModelOptions {
  /** Build target: that stage is the final one. */
  target?: string;
}

export function buildModel(text: string, options: ModelOptions = {}): DockerfileModel {
  const doc = TextDocument.create('file:///Dockerfile', 'dockerfile', 0, text);
  const ast = DockerfileParser.parse(text);
  const escapeChar = ast.getEscapeCharacter();
  const model: DockerfileModel = {
    text,
    doc,
    ast,
    escapeChar,
    globalArgs: new Map(),
    stages: [],
    instructions: [],
    positionAt: (o) => doc.positionAt(o),
    offsetAt: (p) => doc.offsetAt(p),
    rangeOf: (s, e) => ({ start: doc.positionAt(s), end: doc.positionAt(e) }),
  };

  let stage: StageModel | undefined;
  let env = new Map<string, string>();
  let user = 'root';
  let workdir = '/';
  const stageState = new Map<StageModel, { env: Map<string, string>; user: string; workdir: string; envNames: Set<string> }>();
  /** Names an ENV set (in this stage or the ones it builds on): an ARG of the same name does not override them. */
  let envNames = new Set<string>();
  /** The first stage of each name (lower case): `FROM <name>` builds on it. */
  const stagesByName = new Map<string, StageModel>();

  for (const node of ast.getInstructions()) {
    const keyword = node.getKeyword().toUpperCase();
    const start = doc.offsetAt(node.getRange().start);
    const end = doc.offsetAt(node.getRange().end);

    if (keyword === 'FROM' && node instanceof From) {
      if (stage) stageState.set(stage, { env, user, workdir, envNames });
      // What getImage/getImageRange/getBuildStage read, from one getArguments() (each re-tokenizes).
      const fromArgs = node.getArguments();
      const imageRange = fromArgs.length > 0 ? fromArgs[0].getRange() : null;
      const rawImage = fromArgs.length > 0 ? fromArgs[0].getValue() : '';
      const image = substitute(rawImage, model.globalArgs);
      const stageRange = fromArgs.length > 2 && fromArgs[1].getValue().toUpperCase() === 'AS' ? fromArgs[2].getRange() : null;
      const name = stageRange ? text.slice(doc.offsetAt(stageRange.start), doc.offsetAt(stageRange.end)) : undefined;
      const parent = stagesByName.get(image.toLowerCase());
      stage = {
        index: model.stages.length,
        name,
        image,
        imageStart: imageRange ? doc.offsetAt(imageRange.start) : start,
        imageEnd: imageRange ? doc.offsetAt(imageRange.end) : end,
        from: node,
        parent,
        instructions: [],
        reachesFinal: false,
        copiedPaths: [],
      };
      model.stages.push(stage);
      if (name !== undefined && !stagesByName.has(name.toLowerCase())) stagesByName.set(name.toLowerCase(), stage);
      const inherited = parent ? stageState.get(parent) : undefined;
      env = new Map(inherited?.env ?? []);
      envNames = new Set(inherited?.envNames ?? []);
      user = inherited?.user ?? 'root';
      workdir = inherited?.workdir ?? '/';
    }

    if (!stage) {
      // Global ARGs before the first FROM.
      // One ARG may declare several names (`ARG PY=3.12 DEBIAN=bookworm`); getProperty() is null then.
      // BuildKit expands global ARGs one name at a time (buildMetaArgs): a value reads the names
      // before it on the same line too (found by review).
      if (node instanceof Arg) {
        for (const { name, value } of argsOf(node)) if (value !== null) model.globalArgs.set(name, substitute(value, model.globalArgs));
      }
      continue;
    }

    // dockerfile-ast tokenizes an instruction again on every getFlags()/getArguments() call: a RUN
    // whose text was seen before takes its flags from the cache, and arguments are read on demand.
    let run: { run: RunModel; flags: Map<string, string[]> } | undefined;
    if (node instanceof Run) run = cachedRunModel(node, model, env, start, end);
    const flags = run?.flags ?? flagsOf(node);
    let args: Argument[] | undefined;
    const inst: InstructionModel = {
      node,
      keyword,
      get args() {
        return (args ??= node.getArguments());
      },
      flags,
      stage,
      env,
      user,
      home: env.get('HOME') ?? homeOf(user),
      workdir,
      start,
      end,
    };
    if (run) inst.run = run.run;
    if ((keyword === 'COPY' || keyword === 'ADD') && (node as JSONInstruction).getOpeningBracket?.() && (node as JSONInstruction).getClosingBracket?.()) {
      const strings = (node as JSONInstruction).getJSONStrings();
      // dockerfile-ast's values drop the blanks inside a string: the document's text, parsed as JSON.
      if (strings.length) inst.jsonWords = strings.map((x) => jsonString(model.text.slice(model.doc.offsetAt(x.getRange().start), model.doc.offsetAt(x.getRange().end))) ?? x.getJSONValue());
    }
    stage.instructions.push(inst);
    model.instructions.push(inst);

    // State after this instruction.
    if (node instanceof EnvInstr) {
      env = new Map(env);
      for (const prop of node.getProperties()) {
        env.set(prop.getName(), substitute(prop.getValue() ?? '', env));
        envNames = new Set(envNames).add(prop.getName());
      }
    } else if (node instanceof Arg) {
      const before = env;
      for (const { name, value } of argsOf(node)) {
        // Docker: "ENV always overrides an ARG of the same name", whichever comes first.
        if (envNames.has(name)) continue;
        if (env === before) env = new Map(env);
        const fallback = model.globalArgs.get(name);
        if (value !== null) env.set(name, substitute(value, before));
        else if (fallback !== undefined) env.set(name, fallback);
      }
    } else if (keyword === 'USER') {
      const arg = inst.args[0]?.getValue();
      if (arg) user = substitute(arg, env).split(':')[0];
    } else if (keyword === 'WORKDIR') {
      const arg = inst.args.map((a) => a.getValue()).join(' ');
      if (arg) workdir = resolvePath(workdir, substitute(arg, env));
    }
  }

  markReach(model, options.target);
  return model;
}

function markReach(model: DockerfileModel, target?: string): void {
  const stages = model.stages;
  if (stages.length === 0) return;
  const final = (target && stages.find((s) => s.name?.toLowerCase() === target.toLowerCase())) || stages[stages.length - 1];
  model.finalStage = final;
  const shipping: StageModel[] = [];
  for (let s: StageModel | undefined = final; s && !s.reachesFinal; s = s.parent) {
    s.reachesFinal = true;
    shipping.push(s);
  }
  // Paths copied out of other stages by the shipping ones, followed through chains of stages.
  const queue: { stage: StageModel; paths: string[] }[] = [];
  const copyFromRefs = (stage: StageModel, only?: string[]) => {
    for (const inst of stage.instructions) {
      if (inst.keyword !== 'COPY') continue;
      const from = inst.flags.get('from')?.[0];
      if (!from) continue;
      const source = /^\d+$/.test(from) ? stages[Number(from)] : stages.find((s) => s.name?.toLowerCase() === from.toLowerCase());
      if (!source || source === stage || source.index > stage.index) continue;
      const args = inst.args.map((a) => a.getValue());
      const paths = args.slice(0, -1).map((p) => resolvePath('/', substitute(p, inst.env)));
      const relevant = only ? paths.filter((p) => only.some((o) => isUnder(p, o) || isUnder(o, p))) : paths;
      if (relevant.length) queue.push({ stage: source, paths: relevant });
    }
  };
  for (const s of shipping) copyFromRefs(s);
  for (let guard = 0; queue.length && guard < 1000; guard++) {
    const { stage, paths } = queue.shift()!;
    const fresh = paths.filter((p) => !stage.copiedPaths.includes(p));
    if (fresh.length === 0) continue;
    for (let s: StageModel | undefined = stage; s; s = s.parent) {
      if (s.reachesFinal) break;
      s.copiedPaths.push(...fresh.filter((p) => !s!.copiedPaths.includes(p)));
      copyFromRefs(s, fresh);
    }
  }
}

/** True when files at `path` in this stage end up in the final image. */
export function shipsPath(stage: StageModel, path: string): boolean {
  return stage.reachesFinal || stage.copiedPaths.some((p) => isUnder(path, p));
}

/** True when something in this stage ends up in the final image. */
export function ships(stage: StageModel): boolean {
  return stage.reachesFinal || stage.copiedPaths.length > 0;
}

export function isUnder(path: string, dir: string): boolean {
  const d = dir.replace(/\/+$/, '');
  return d === '' || path === d || path.startsWith(d + '/');
}

export function resolvePath(base: string, p: string): string {
  const parts = (p.startsWith('/') ? p : `${base}/${p}`).split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

function homeOf(user: string): string {
  if (user === 'root' || user === '0') return '/root';
  if (/^\d+$/.test(user)) return '/';
  return `/home/${user}`;
}


/**
 * RUN models by instruction text, escape character and environment: an edit elsewhere in the file
 * re-uses the shell parse of every RUN it did not touch (offsets are stored relative to the
 * instruction and shifted on the way out). Bounded by count and by text (400k characters: the
 * RUNs of a few hundred typical Dockerfiles; a model holds some tens of bytes per character).
 */
const runCache = new TextCache<{ run: RunModel; flags: Map<string, string[]> }>(1000, 400_000);

/**
 * Environments by content → a short id, so a RUN's cache key does not hold (and hash) the whole
 * environment: ids come from a counter and are never reused, so an evicted environment only
 * costs cache misses. The id of each environment object is computed once (`envIds`).
 */
const envIdsByContent = new TextCache<number>(1000);
let nextEnvId = 0;
const envIds = new WeakMap<Env, number>();

function envId(env: Env): number {
  let id = envIds.get(env);
  if (id === undefined) {
    let content = '';
    for (const [k, v] of env) content += `${k}=${v}\u0001`;
    id = envIdsByContent.getOr(content, () => nextEnvId++);
    envIds.set(env, id);
  }
  return id;
}

function cachedRunModel(node: Run, model: DockerfileModel, env: Env, start: number, end: number): { run: RunModel; flags: Map<string, string[]> } {
  const key = `${model.escapeChar}\u0000${envId(env)}\u0000${model.text.slice(start, end)}`;
  const cached = runCache.get(key);
  // Callers may not change the flags: they are shared with later models of the same text.
  if (cached) return { run: shiftRun(cached.run, start), flags: cached.flags };
  const flagNodes = node.getFlags();
  const made = { run: runModel(node, flagNodes, model, env), flags: flagsOf(node, flagNodes) };
  runCache.set(key, { run: shiftRun(made.run, -start), flags: made.flags });
  return made;
}

/** Flags by lower-case name with their values (`--mount` may repeat). */
function flagsOf(node: Instruction, flagNodes = node instanceof ModifiableInstruction ? node.getFlags() : []): Map<string, string[]> {
  const flags = new Map<string, string[]>();
  for (const f of flagNodes) {
    const name = f.getName().toLowerCase();
    flags.set(name, [...(flags.get(name) ?? []), f.getValue() ?? '']);
  }
  return flags;
}

function shiftRun(run: RunModel, by: number): RunModel {
  return {
    ...run,
    mounts: run.mounts.map((m) => ({ ...m, start: m.start + by, end: m.end + by })),
    commands: run.commands.map((c) => ({ ...c, start: c.start + by, end: c.end + by, argv: c.argv.map((w) => ({ ...w, start: w.start + by, end: w.end + by })) })),
    assignments: run.assignments.map((a) => ({ ...a, start: a.start + by, end: a.end + by })),
    conditionals: run.conditionals.map((c) => ({ ...c, start: c.start + by, end: c.end + by, test: c.test && { ...c.test, start: c.test.start + by, end: c.test.end + by }, ...(c.plainElse !== undefined ? { plainElse: c.plainElse + by } : {}) })),
  };
}

function runModel(node: Run, flagNodes: Flag[], model: DockerfileModel, env: Env): RunModel {
  const doc = model.doc;
  const mounts: Mount[] = [];
  for (const flag of flagNodes) {
    if (flag.getName().toLowerCase() !== 'mount') continue;
    const options = new Map<string, string>();
    // BuildKit takes the quotes off a flag's words: `target="/var/lib/apt/lists"` is that folder.
    for (const opt of flag.getOptions()) options.set(opt.getName().toLowerCase(), (opt.getValue() ?? '').replace(/^"([^"]*)"$|^'([^']*)'$/, '$1$2'));
    const range = flag.getRange();
    mounts.push({
      type: options.get('type') ?? 'bind',
      target: options.get('target') ?? options.get('dst') ?? options.get('destination'),
      source: options.get('source') ?? options.get('src'),
      from: options.get('from'),
      options,
      start: doc.offsetAt(range.start),
      end: doc.offsetAt(range.end),
    });
  }

  const result: RunModel = { mounts, commands: [], assignments: [], conditionals: [], execForm: false, heredoc: false, hasError: false };
  const jsonStrings = (node as JSONInstruction).getJSONStrings();
  if (node.getOpeningBracket() && jsonStrings.length > 0 && node.getClosingBracket()) {
    result.execForm = true;
    result.commands = execCommands(jsonStrings.map((s) => ({ value: s.getJSONValue(), start: doc.offsetAt(s.getRange().start), end: doc.offsetAt(s.getRange().end) })), env, model);
    return result;
  }

  const flags = flagNodes;
  const bodyStart = flags.length ? doc.offsetAt(flags[flags.length - 1].getRange().end) : doc.offsetAt(node.getInstructionRange().end);
  const bodyEnd = doc.offsetAt(node.getRange().end);
  // getHeredocs() re-tokenizes the instruction; a heredoc needs `<<` in its text (any `<` asks).
  const heredocs = model.text.slice(bodyStart, bodyEnd).includes('<') ? node.getHeredocs() : [];
  if (heredocs.length === 0) {
    const parsed = parseShell(joinContinuations(model.text, bodyStart, bodyEnd, model.escapeChar), env);
    result.commands = parsed.commands;
    result.assignments = parsed.assignments;
    result.conditionals = parsed.conditionals;
    result.hasError = parsed.hasError;
    return result;
  }

  // Heredocs: the first line (with its continuations) is the command line; the bodies follow raw.
  result.heredoc = true;
  const first = heredocs[0];
  const bodiesStart = first.getContentRange() ? doc.offsetAt(first.getContentRange()!.start) : doc.offsetAt(first.getStartRange().end);
  const lineEnd = Math.max(bodyStart, model.text.lastIndexOf('\n', bodiesStart - 1));
  const commandLine = joinContinuations(model.text, bodyStart, lineEnd, model.escapeChar);
  const withoutOperators = commandLine.text.replace(/<<-?\s*(["']?)[A-Za-z0-9_.-]+\1/g, '').trim();
  const shellOnly = withoutOperators === '' || /^(\/(usr\/)?bin\/)?(ba|da|a|z)?sh(\s+-[a-z]+)*$/.test(withoutOperators) || /^set(\s+[-+][a-z]+)+$/.test(withoutOperators);
  if (shellOnly) {
    // `RUN <<EOF` (and `RUN bash <<EOF`): each heredoc body is a script.
    for (const h of heredocs) {
      const content = h.getContentRange();
      if (!content) continue;
      const s = doc.offsetAt(content.start);
      const e = doc.offsetAt(content.end);
      const parsed = parseShell(MappedText.exact(model.text.slice(s, e), s), env, 'heredoc');
      for (const c of parsed.commands) {
        c.index = result.commands.length;
        result.commands.push(c);
      }
      result.assignments.push(...parsed.assignments);
      result.conditionals.push(...parsed.conditionals);
      result.hasError ||= parsed.hasError;
    }
    return result;
  }
  // `cat <<EOF > file`, `python <<EOF`: the command line is shell, the bodies are data.
  const full = joinContinuations(model.text, bodyStart, lineEnd, model.escapeChar);
  const rest = MappedText.exact(model.text.slice(lineEnd, bodyEnd), lineEnd);
  const combined = concat(full, rest);
  const parsed = parseShell(combined, env);
  result.commands = parsed.commands;
  result.assignments = parsed.assignments;
  result.conditionals = parsed.conditionals;
  result.hasError = parsed.hasError;
  return result;
}

function concat(a: MappedText, b: MappedText): MappedText {
  const runs: { textStart: number; docStart: number; length: number }[] = [];
  for (let i = 0; i < a.text.length; ) {
    const d = a.toDoc(i);
    let j = i + 1;
    while (j < a.text.length && a.toDoc(j) === d + (j - i)) j++;
    runs.push({ textStart: i, docStart: d, length: j - i });
    i = j;
  }
  runs.push({ textStart: a.text.length, docStart: b.toDoc(0), length: b.text.length });
  return new MappedText(a.text + b.text, runs);
}

/**
 * The shell text of doc[start, end) as Docker hands it to the shell: an escape character at the
 * end of a line joins the next one, and comment lines inside a continuation are dropped.
 */
export function joinContinuations(text: string, start: number, end: number, escapeChar: string): MappedText {
  const runs: { textStart: number; docStart: number; length: number }[] = [];
  let out = '';
  let runStart = start;
  let i = start;
  const flush = (to: number) => {
    if (to > runStart) {
      runs.push({ textStart: out.length, docStart: runStart, length: to - runStart });
      out += text.slice(runStart, to);
    }
  };
  while (i < end) {
    const ch = text[i];
    if (ch === escapeChar) {
      // escape + optional blanks + newline = continuation
      let j = i + 1;
      while (j < end && (text[j] === ' ' || text[j] === '\t')) j++;
      if (j < end && text[j] === '\r') j++;
      if (j < end && text[j] === '\n') {
        flush(i);
        j++;
        // Skip comment lines and empty lines that follow a continuation.
        for (;;) {
          let k = j;
          while (k < end && (text[k] === ' ' || text[k] === '\t')) k++;
          if (k < end && text[k] === '#') {
            const nl = text.indexOf('\n', k);
            j = nl < 0 || nl >= end ? end : nl + 1;
          } else if (k < end && (text[k] === '\n' || (text[k] === '\r' && text[k + 1] === '\n'))) {
            j = text[k] === '\r' ? k + 2 : k + 1;
          } else break;
        }
        runStart = j;
        i = j;
        continue;
      }
      if (escapeChar === '\\') {
        i += 2;
        continue;
      }
    }
    i++;
  }
  flush(Math.min(i, end));
  return new MappedText(out, runs);
}

function execCommands(strings: { value: string; start: number; end: number }[], env: Env, model: DockerfileModel): ShellCommand[] {
  const argv = strings.map((s) => ({ value: s.value, raw: model.text.slice(s.start, s.end), start: s.start, end: s.end, dynamic: false }));
  const name = argv[0].value.split('/').pop() ?? '';
  const cmd: ShellCommand = {
    name,
    argv,
    assignments: new Map(),
    env,
    vars: env,
    start: argv[0].start,
    end: argv[argv.length - 1].end,
    via: 'exec',
    index: 0,
  };
  const commands = [cmd];
  // ["sh", "-c", "script"]: the script is shell again.
  const c = argv.findIndex((w, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(w.value));
  if (/^(ba|da|a|z)?sh$/.test(name) && c > 0 && c + 1 < argv.length) {
    const script = strings[c + 1];
    const inner = parseShell(MappedText.exact(model.text.slice(script.start + 1, script.end - 1), script.start + 1), env, 'sh -c');
    for (const ic of inner.commands) {
      ic.index = commands.length;
      commands.push(ic);
    }
  }
  return commands;
}

/**
 * The names an ARG declares, with their defaults (null: none): `ARG PY=3.12 DEBIAN=bookworm` declares
 * two (dockerfile-ast's getProperty() is null for such a line). [] for other instructions.
 */
export function argDeclarations(inst: InstructionModel): { name: string; value: string | null }[] {
  return inst.node instanceof Arg ? argsOf(inst.node) : [];
}

/** The names an ENV sets, with their values as written. [] for other instructions. */
export function envDeclarations(inst: InstructionModel): { name: string; value: string | null }[] {
  return inst.node instanceof EnvInstr ? inst.node.getProperties().map((p) => ({ name: p.getName(), value: p.getValue() })) : [];
}

/**
 * An ARG's names and defaults. dockerfile-ast reads `ARG A B C` (and `ARG A B=2`) in ENV's legacy
 * form, as A = "B C": ARG has no such form, each word declares a name (found by review).
 */
function argsOf(node: Arg): { name: string; value: string | null }[] {
  const words = node.getArguments().map((a) => a.getValue());
  if (words.length > 1 && !words[0].includes('=')) {
    // The words as BuildKit splits them: blanks outside quotes (`PIP_OPTS="--a --b"` is one).
    const content = (node.getArgumentsContent() ?? '').replace(/\\\r?\n/g, ' ');
    return [...content.matchAll(/([^\s=]+)(?:=((?:"(?:[^"\\]|\\.)*"|'[^']*'|[^\s"']+)*))?/g)].map((m) =>
      m[2] === undefined ? { name: m[1], value: null } : { name: m[1], value: m[2].replace(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g, (_, d: string | undefined, q: string | undefined) => (d !== undefined ? d.replace(/\\(.)/g, '$1') : q ?? '')) },
    );
  }
  return node.getProperties().map((p) => ({ name: p.getName(), value: p.getValue() }));
}

/** The words of a COPY/ADD after its flags, sources then destination (the JSON form read as JSON). */
export function copyWords(inst: InstructionModel): string[] {
  return inst.jsonWords ?? inst.args.map((a) => a.getValue());
}

/**
 * The build-context paths a COPY/ADD names as its sources (not `--from` another stage or image). A
 * heredoc's sources are its inline text (`COPY <<EOF requirements.txt`): none from the context, and
 * its words are the destination and the text (found by review: they were taken for paths).
 */
export function contextSources(inst: InstructionModel): string[] {
  if ((inst.keyword !== 'COPY' && inst.keyword !== 'ADD') || inst.flags.has('from')) return [];
  const words = copyWords(inst);
  if (words.some((w) => w.startsWith('<<'))) return [];
  return words.slice(0, -1);
}

/** The COPY/ADD is written in the JSON form (`COPY ["a b", "/app/"]`). */
export function jsonForm(inst: InstructionModel): boolean {
  return inst.jsonWords !== undefined;
}

function jsonString(raw: string): string | undefined {
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}
