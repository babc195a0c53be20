// requirements*.txt / *.in, read the way pip reads them: `\` continuations joined, comments
// (`#` at the start or after whitespace) dropped, the requirement being everything before the
// first word that starts with `-`. Every entry keeps its range in the file; `-r`/`-c` includes
// are followed through the FileSystem with cycles guarded.
import type { FileSystem } from '../fs';
import type { Range } from '../types';
import type { Span } from '../suppress';
import { parseRequirement, normalizeName, type Requirement } from './requirement';

export type EntryKind = 'requirement' | 'editable' | 'path' | 'url';

export interface RequirementsEntry {
  kind: EntryKind;
  /** The requirement as written (for `-e`, the path or URL after it). */
  text: string;
  range: Range;
  /** Offsets of `range` in the file. */
  start: number;
  end: number;
  /** Parsed PEP 508 requirement; for paths and URLs only when a name is known (`#egg=`, wheel file name). */
  requirement?: Requirement;
  hashes: string[];
  /** Other per-requirement options (`--config-settings …`). */
  options: string[];
}

export interface IncludeLine {
  kind: 'requirement' | 'constraint';
  /** As written. */
  path: string;
  /** Absolute path, or undefined for URLs. */
  resolved?: string;
  range: Range;
}

export interface RequirementsFile {
  file: string;
  entries: RequirementsEntry[];
  includes: IncludeLine[];
  indexUrl?: string;
  extraIndexUrls: string[];
  findLinks: string[];
  noIndex: boolean;
  /** The file sets `--no-binary` (pip and uv read it from the file: a build from sources). */
  noBinary: boolean;
  /** The names it gives `--no-binary` (`:all:`, `lxml,pillow`), when it sets it. */
  noBinaryNames?: string[];
  /** Hosts it trusts (`--trusted-host`): uv ignores that option in a requirements file. */
  trustedHosts?: string[];
  /** An `--only-binary` line. */
  onlyBinary?: boolean;
  pre: boolean;
  /** Logical lines (continuations joined), for suppression comments. */
  spans: Span[];
}

/** Options that take a value, and so consume the next word when not written `--opt=value`. */
const VALUE_OPTIONS = new Set([
  '-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url', '-f', '--find-links',
  '--hash', '--trusted-host', '--no-binary', '--only-binary', '--use-feature', '--config-settings', '--global-option', '--install-option', '-Z',
]);

interface Segment {
  /** Offset in the logical line where this physical line starts. */
  logical: number;
  /** The physical line (0-based). */
  line: number;
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 12 || c === 11;
const isCommentLine = (t: string) => /^\s*#/.test(t);

/** Scans one requirements file (no includes followed). */
export function scanRequirements(text: string, file: string): RequirementsFile {
  const out: RequirementsFile = { file, entries: [], includes: [], extraIndexUrls: [], findLinks: [], noIndex: false, noBinary: false, pre: false, spans: [] };
  const dir = file.slice(0, Math.max(file.lastIndexOf('/'), 0)) || '/';

  // Physical lines with their offsets.
  const lines: { start: number; text: string }[] = [];
  const re = /([^\r\n]*)(\r\n|\r|\n|$)/g;
  for (let m = re.exec(text); m && m.index < text.length; m = re.exec(text)) {
    // A UTF-8 byte order mark opening the file is not part of its first line (pip reads past it).
    const bom = m.index === 0 && m[1].startsWith('\ufeff') ? 1 : 0;
    lines.push({ start: m.index + bom, text: m[1].slice(bom) });
    if (m[2] === '') break;
  }

  for (let i = 0; i < lines.length; i++) {
    // Join continuations: a line ending in `\` (not a comment line) goes on with the next one.
    const first = i;
    const segments: Segment[] = [];
    let logical = '';
    for (;;) {
      const t = lines[i].text;
      const continued = t.endsWith('\\') && i + 1 < lines.length && !isCommentLine(t);
      segments.push({ logical: logical.length, line: i });
      logical += continued ? t.slice(0, -1) : t;
      if (!continued) break;
      i++;
    }
    out.spans.push({ startLine: first, endLine: i });
    // Logical offset → file offset and position (physical lines are `lines` indexes).
    const segOf = (offset: number) => {
      let s = segments[0];
      for (let k = 1; k < segments.length && segments[k].logical <= offset; k++) s = segments[k];
      return s;
    };
    const toPhysical = (offset: number) => {
      const s = segOf(offset);
      return lines[s.line].start + offset - s.logical;
    };
    const lineRange = (start: number, end: number): Range => {
      const a = segOf(start);
      const b = segOf(end);
      return { start: { line: a.line, character: start - a.logical }, end: { line: b.line, character: end - b.logical } };
    };

    // Drop the comment: `#` at the start or after whitespace (pip's rule: `a#b` is not a comment).
    let cut = logical.length;
    for (let k = logical.indexOf('#'); k >= 0; k = logical.indexOf('#', k + 1)) {
      if (k === 0 || logical.charCodeAt(k - 1) === 32 || logical.charCodeAt(k - 1) === 9) {
        cut = k;
        break;
      }
    }
    const body = logical.slice(0, cut);

    // Words with their offsets.
    const words: { text: string; start: number; end: number }[] = [];
    for (let k = 0; k < body.length; ) {
      while (k < body.length && isSpace(body.charCodeAt(k))) k++;
      const start = k;
      while (k < body.length && !isSpace(body.charCodeAt(k))) k++;
      if (k > start) words.push({ text: body.slice(start, k), start, end: k });
    }
    if (words.length === 0) continue;

    // The requirement: words up to the first option.
    let k = 0;
    while (k < words.length && !words[k].text.startsWith('-')) k++;
    const reqWords = words.slice(0, k);
    const opts = words.slice(k);
    const options: { name: string; value?: string; start: number; end: number }[] = [];
    for (let j = 0; j < opts.length; j++) {
      const w = opts[j];
      let name = w.text;
      let value: string | undefined;
      const eq = w.text.indexOf('=');
      if (w.text.startsWith('--') && eq > 0) {
        name = w.text.slice(0, eq);
        value = w.text.slice(eq + 1);
      } else if (/^-[rcefi]./.test(w.text) && !w.text.startsWith('--')) {
        name = w.text.slice(0, 2); // -rfile.txt
        value = w.text.slice(2);
      } else if (VALUE_OPTIONS.has(name) && j + 1 < opts.length) {
        value = opts[++j].text;
      }
      options.push({ name, value, start: w.start, end: opts[j].end });
    }

    if (reqWords.length) {
      const start = reqWords[0].start;
      const end = reqWords[reqWords.length - 1].end;
      const reqText = body.slice(start, end);
      const what = classify(reqText);
      out.entries.push({
        kind: what.kind,
        text: what.text,
        requirement: what.requirement,
        range: lineRange(start, end),
        start: toPhysical(start),
        end: toPhysical(end),
        hashes: options.filter((o) => o.name === '--hash' && o.value).map((o) => o.value!),
        options: options.filter((o) => o.name !== '--hash').map((o) => (o.value !== undefined ? `${o.name}=${o.value}` : o.name)),
      });
      continue;
    }
    for (const o of options) {
      const v = o.value;
      switch (o.name) {
        case '-r':
        case '--requirement':
        case '-c':
        case '--constraint':
          if (v) out.includes.push({ kind: /^-r|^--requirement/.test(o.name) ? 'requirement' : 'constraint', path: v, resolved: /^[a-z]+:\/\//i.test(v) ? undefined : resolve(dir, v), range: lineRange(o.start, o.end) });
          break;
        case '-e':
        case '--editable':
          if (v) {
            const vStart = body.lastIndexOf(v, o.end);
            const what = classify(v);
            out.entries.push({ text: what.text, requirement: what.requirement, kind: 'editable', range: lineRange(vStart, vStart + v.length), start: toPhysical(vStart), end: toPhysical(vStart + v.length), hashes: [], options: [] });
          }
          break;
        case '-i':
        case '--index-url':
          if (v) out.indexUrl = v;
          break;
        case '--extra-index-url':
          if (v) out.extraIndexUrls.push(v);
          break;
        case '-f':
        case '--find-links':
          if (v) out.findLinks.push(v);
          break;
        case '--no-index':
          out.noIndex = true;
          break;
        case '--pre':
          out.pre = true;
          break;
        case '--no-binary':
          out.noBinary = true;
          if (v) (out.noBinaryNames ??= []).push(...v.split(',').map((n) => n.trim()).filter(Boolean));
          break;
        case '--only-binary':
          out.onlyBinary = true;
          break;
        case '--trusted-host':
          if (v) (out.trustedHosts ??= []).push(v);
          break;
        default: // --prefer-binary …: nothing slimdock needs
      }
    }
  }
  return out;
}

/** What a requirement word is: a PEP 508 requirement, a URL, or a local path (with the name when it shows). */
function classify(text: string): Pick<RequirementsEntry, 'kind' | 'text' | 'requirement'> {
  const head = text.split(';')[0];
  // The common case first: a plain requirement, no path or URL in sight.
  if (!head.includes('/') && !head.includes(':') && !/\.(whl|tar\.gz|zip|tgz)\s*$|^\.{1,2}$/.test(head)) return { kind: 'requirement', text, requirement: parseRequirement(text) };
  if (/^[A-Za-z0-9._-]+\s*(\[[^\]]*\])?\s*@/.test(text)) return { kind: 'requirement', text, requirement: parseRequirement(text) };
  const egg = text.includes('egg=') ? /[#&]egg=([A-Za-z0-9._-]+)/.exec(text)?.[1] : undefined;
  const wheel = text.endsWith('.whl') ? /([A-Za-z0-9_.]+)-[0-9][^/-]*(-[^/-]+)?-[^/-]+-[^/-]+-[^/-]+\.whl$/.exec(text)?.[1] : undefined;
  const requirement = egg ?? wheel ? parseRequirement((egg ?? wheel)!) : undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^git\+/.test(text)) return { kind: 'url', text, requirement };
  return { kind: 'path', text, requirement };
}

function resolve(dir: string, rel: string): string {
  const parts = rel.startsWith('/') ? [] : dir.split('/').filter(Boolean);
  for (const p of rel.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return `/${parts.join('/')}`;
}

export interface RequirementsTree {
  /** The file itself first, then what it includes (depth first), each once. */
  files: RequirementsFile[];
  /** Includes whose file could not be read. */
  missing: { from: string; include: IncludeLine }[];
  /** Includes that lead back to a file already read. */
  cycles: { from: string; include: IncludeLine }[];
}

/** Reads a requirements file and everything it includes with `-r`/`-c`. */
export function loadRequirementsTree(fs: FileSystem, file: string, text?: string, maxFiles = 50): RequirementsTree {
  const tree: RequirementsTree = { files: [], missing: [], cycles: [] };
  const seen = new Set<string>();
  const visit = (path: string, body: string | undefined, chain: Set<string>) => {
    if (body === undefined || tree.files.length >= maxFiles) return;
    seen.add(path);
    const f = scanRequirements(body, path);
    tree.files.push(f);
    for (const inc of f.includes) {
      if (!inc.resolved) continue;
      if (chain.has(inc.resolved)) {
        tree.cycles.push({ from: path, include: inc });
        continue;
      }
      if (seen.has(inc.resolved)) continue;
      const t = fs.readFile(inc.resolved);
      if (t === undefined) tree.missing.push({ from: path, include: inc });
      else visit(inc.resolved, t, new Set([...chain, inc.resolved]));
    }
  };
  visit(file, text ?? fs.readFile(file), new Set([file]));
  return tree;
}

/** Every index URL a tree of requirements files names (`-i`, `--extra-index-url`, `-f`). */
export function indexUrlsOf(tree: RequirementsTree): string[] {
  return tree.files.flatMap((f) => [...(f.indexUrl ? [f.indexUrl] : []), ...f.extraIndexUrls, ...f.findLinks]);
}

/** Normalised names of the requirements in a tree (constraints files excluded). */
export function requirementNamesOf(tree: RequirementsTree): string[] {
  const constraintFiles = new Set(tree.files.flatMap((f) => f.includes.filter((i) => i.kind === 'constraint').map((i) => i.resolved)));
  return tree.files.filter((f) => !constraintFiles.has(f.file)).flatMap((f) => f.entries.map((e) => e.requirement?.normalized).filter((n): n is string => !!n));
}

export { normalizeName };
