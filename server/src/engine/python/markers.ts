// PEP 508 environment markers, evaluated for the one platform slimdock sizes images for:
// linux x86_64, CPython `X.Y`. Three-valued: a marker we cannot read, or one that depends on an
// extra, is `undefined` ("maybe"), and callers keep such edges rather than drop them.

export interface MarkerEnv {
  python: { major: number; minor: number };
  /** Extras that are active (for `extra == 'x'`); undefined: unknown. */
  extras?: Set<string>;
}

type Tri = boolean | undefined;

function variables(env: MarkerEnv): Record<string, string> {
  const v = `${env.python.major}.${env.python.minor}`;
  return {
    sys_platform: 'linux',
    platform_system: 'Linux',
    os_name: 'posix',
    platform_machine: 'x86_64',
    implementation_name: 'cpython',
    platform_python_implementation: 'CPython',
    python_version: v,
    python_full_version: `${v}.0`,
  };
}

const VERSION_VARS = new Set(['python_version', 'python_full_version', 'implementation_version', 'platform_release']);

interface Token {
  kind: 'str' | 'var' | 'op' | '(' | ')' | 'and' | 'or';
  text: string;
}

function tokenize(marker: string): Token[] | undefined {
  const out: Token[] = [];
  const re = /\s*(?:(\()|(\))|'([^']*)'|"([^"]*)"|(===|==|!=|<=|>=|~=|<|>|not\s+in\b|in\b)|(and\b|or\b)|([A-Za-z_][A-Za-z0-9_.]*))/y;
  let i = 0;
  while (i < marker.length) {
    if (/^\s*$/.test(marker.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(marker);
    if (!m) return undefined;
    i = re.lastIndex;
    if (m[1]) out.push({ kind: '(', text: '(' });
    else if (m[2]) out.push({ kind: ')', text: ')' });
    else if (m[3] !== undefined || m[4] !== undefined) out.push({ kind: 'str', text: m[3] ?? m[4] });
    else if (m[5]) out.push({ kind: 'op', text: m[5].replace(/\s+/g, ' ') });
    else if (m[6]) out.push({ kind: m[6] as 'and' | 'or', text: m[6] });
    else out.push({ kind: 'var', text: m[7] });
  }
  return out;
}

/** Evaluates a marker: true, false, or undefined when unknown. An empty marker is true. */
export function evaluateMarker(marker: string | undefined, env: MarkerEnv): Tri {
  if (!marker || !marker.trim()) return true;
  const tokens = tokenize(marker);
  if (!tokens) return undefined;
  const vars = variables(env);
  let pos = 0;
  const fail = Symbol('fail');

  const or = (): Tri | typeof fail => {
    let left = and();
    while (left !== fail && tokens[pos]?.kind === 'or') {
      pos++;
      const right = and();
      if (right === fail) return fail;
      left = left === true || right === true ? true : left === false && right === false ? false : undefined;
    }
    return left;
  };
  const and = (): Tri | typeof fail => {
    let left = atom();
    while (left !== fail && tokens[pos]?.kind === 'and') {
      pos++;
      const right = atom();
      if (right === fail) return fail;
      left = left === false || right === false ? false : left === true && right === true ? true : undefined;
    }
    return left;
  };
  const atom = (): Tri | typeof fail => {
    const t = tokens[pos];
    if (!t) return fail;
    if (t.kind === '(') {
      pos++;
      const v = or();
      if (tokens[pos]?.kind !== ')') return fail;
      pos++;
      return v;
    }
    const l = tokens[pos];
    const op = tokens[pos + 1];
    const r = tokens[pos + 2];
    if (!l || !op || !r || op.kind !== 'op' || (l.kind !== 'str' && l.kind !== 'var') || (r.kind !== 'str' && r.kind !== 'var')) return fail;
    pos += 3;
    return compare(l, op.text, r);
  };

  const compare = (l: Token, op: string, r: Token): Tri => {
    if ((l.kind === 'var' && l.text === 'extra') || (r.kind === 'var' && r.text === 'extra')) {
      if (!env.extras) return undefined;
      const value = l.kind === 'str' ? l.text : r.text;
      const has = env.extras.has(value.toLowerCase().replace(/[-_.]+/g, '-'));
      return op === '==' ? has : op === '!=' ? !has : undefined;
    }
    const value = (t: Token) => (t.kind === 'str' ? t.text : vars[t.text]);
    const a = value(l);
    const b = value(r);
    if (a === undefined || b === undefined) return undefined;
    const versionish = (l.kind === 'var' && VERSION_VARS.has(l.text)) || (r.kind === 'var' && VERSION_VARS.has(r.text));
    if (op === 'in') return b.includes(a);
    if (op === 'not in') return !b.includes(a);
    if (versionish) {
      const c = compareVersions(a, b);
      if (c === undefined) return undefined;
      switch (op) {
        case '==':
        case '===':
          return b.endsWith('.*') ? prefixMatch(a, b) : c === 0;
        case '!=':
          return b.endsWith('.*') ? !prefixMatch(a, b) : c !== 0;
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        case '>=':
          return c >= 0;
        default:
          return undefined;
      }
    }
    if (op === '==' || op === '===') return a === b;
    if (op === '!=') return a !== b;
    return undefined;
  };

  const result = or();
  if (result === fail || pos !== tokens.length) return undefined;
  return result;
}

function releaseOf(v: string): number[] | undefined {
  const m = /^\s*v?(\d+(?:\.\d+)*)/.exec(v.replace(/\.\*$/, ''));
  return m ? m[1].split('.').map(Number) : undefined;
}

/** Compares the release segments of two versions (`3.10` > `3.9`); undefined when not versions. */
export function compareVersions(a: string, b: string): number | undefined {
  const x = releaseOf(a);
  const y = releaseOf(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function prefixMatch(version: string, pattern: string): boolean {
  const p = releaseOf(pattern) ?? [];
  const v = releaseOf(version) ?? [];
  return p.every((n, i) => (v[i] ?? 0) === n);
}
