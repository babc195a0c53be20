// PEP 508 requirements, small: `name[extra1,extra2] (>=1.0,<2) ; marker` or `name @ url ; marker`.
// Enough to name, compare and rename what a project depends on; not a resolver.

export interface Requirement {
  /** The name as written. */
  name: string;
  /** PEP 503 normalised: lower case, runs of `-_.` as one `-`. */
  normalized: string;
  /** Normalised extras, in the order written. */
  extras: string[];
  /** Version specifier without spaces (`>=1.0,<2`), '' when none. */
  specifier: string;
  /** `name @ url`: the URL (or path). */
  url?: string;
  /** Marker text after `;`, trimmed, '' when none. */
  marker: string;
  /** Offsets of the name within the parsed text. */
  nameStart: number;
  nameEnd: number;
}

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

const NAME = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/;

/** Parses one requirement; undefined when the text does not start with a project name. */
export function parseRequirement(text: string): Requirement | undefined {
  const m = NAME.exec(text);
  if (!m) return undefined;
  const name = m[1];
  const nameStart = m[0].length - name.length;
  let rest = text.slice(m[0].length);
  let extras: string[] = [];
  const ex = /^\s*\[([^\]]*)\]/.exec(rest);
  if (ex) {
    extras = ex[1].split(',').map((s) => normalizeName(s.trim())).filter(Boolean);
    rest = rest.slice(ex[0].length);
  }
  // The marker starts at the first `;`. A URL may hold `;` only when followed by non-space, so
  // PEP 508 requires whitespace before the `;` after a URL.
  let url: string | undefined;
  let marker = '';
  const at = /^\s*@\s*/.exec(rest);
  if (at) {
    rest = rest.slice(at[0].length);
    const sep = /\s+;/.exec(rest);
    url = (sep ? rest.slice(0, sep.index) : rest).trim();
    if (sep) marker = rest.slice(sep.index + sep[0].length).trim();
    if (!url) return undefined;
    return { name, normalized: normalizeName(name), extras, specifier: '', url, marker, nameStart, nameEnd: nameStart + name.length };
  }
  const semi = rest.indexOf(';');
  if (semi >= 0) {
    marker = rest.slice(semi + 1).trim();
    rest = rest.slice(0, semi);
  }
  let spec = rest.trim();
  if (spec.startsWith('(') && spec.endsWith(')')) spec = spec.slice(1, -1);
  spec = spec.replace(/\s+/g, '');
  // Anything left that is not a version clause list means this was not a requirement.
  if (spec && !/^(~=|==|!=|<=|>=|<|>|===)[^,]*(,(~=|==|!=|<=|>=|<|>|===)[^,]*)*$/.test(spec)) return undefined;
  return { name, normalized: normalizeName(name), extras, specifier: spec, marker, nameStart, nameEnd: nameStart + name.length };
}

/** Specifier clauses with normalised versions, sorted: `<2,>=1.0` and `>= 01.0, <2` compare equal. */
export function normalizeSpecifier(spec: string): string {
  return spec
    .replace(/\s+/g, '')
    .split(',')
    .filter(Boolean)
    .map((c) => {
      const m = /^(~=|===|==|!=|<=|>=|<|>)(.*)$/.exec(c);
      if (!m) return c;
      const v = normalizeVersion(m[2]);
      // 1.0 and 1.0.0 are the same version (not for ~=, where the length matters, nor wildcards).
      return m[1] + (m[1] === '~=' || v.endsWith('.*') ? v : v.replace(/^(\d+(?:\.\d+)*?)(?:\.0+)+(?=$|[a-z+])/, '$1'));
    })
    .sort()
    .join(',');
}

/** PEP 440 normal form, roughly: `v01.02` → `1.2`, `1.0-alpha1` → `1.0a1`, `1.0.post` → `1.0.post0`. */
export function normalizeVersion(v: string): string {
  const s = v.trim().toLowerCase().replace(/^v/, '');
  const m = /^(\d+(?:\.\d+)*)(.*)$/.exec(s);
  if (!m) return s;
  const release = m[1].split('.').map((x) => String(Number(x))).join('.');
  const rest = m[2];
  if (rest === '.*') return `${release}.*`;
  const r = /^(?:[-_.]?(alpha|beta|preview|pre|rc|a|b|c)[-_.]?(\d*))?(?:[-_.]?(post|rev|r)[-_.]?(\d*)|-(\d+))?(?:[-_.]?(dev)[-_.]?(\d*))?(\+.*)?$/.exec(rest);
  if (!r) return release + rest;
  const pre = r[1] ? `${{ alpha: 'a', a: 'a', beta: 'b', b: 'b' }[r[1] as 'a'] ?? 'rc'}${Number(r[2] || 0)}` : '';
  const post = r[3] ? `.post${Number(r[4] || 0)}` : r[5] ? `.post${Number(r[5])}` : '';
  const dev = r[6] ? `.dev${Number(r[7] || 0)}` : '';
  return release + pre + post + dev + (r[8] ?? '');
}

/** The names of the extras a marker selects: `extra == 'gpu'` → ['gpu']. */
export function markerExtras(marker: string): string[] {
  const out: string[] = [];
  const re = /\bextra\s*==\s*["']([^"']+)["']|["']([^"']+)["']\s*==\s*extra\b/g;
  for (let m = re.exec(marker); m; m = re.exec(marker)) out.push(normalizeName(m[1] ?? m[2]));
  return out;
}
