// The real files of ../shared/corpus (see its README) and byte-level mutations of them: what
// an editor may hand the server mid-typing, or what a broken checkout holds.
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';

import { CORPUS, corpusPaths } from '../corpus-manifest';

export { CORPUS };

export interface CorpusFile {
  /** Absolute path on disk. */
  file: string;
  /** The repository folder (`repos/<owner>__<repo>`): the root reads are confined to. */
  root: string;
  bytes: Buffer;
}

/** The corpus files of one `kind` (dockerfile, pyproject, uvlock, requirements, dockerignore); [] without the corpus. */
export function corpusFiles(kind: string): CorpusFile[] {
  return corpusPaths(kind).map((rel) => {
    const file = path.join(CORPUS, rel);
    return { file, root: path.join(CORPUS, rel.split('/').slice(0, 2).join('/')), bytes: fs.readFileSync(file) };
  });
}

/** Node's decoding (invalid sequences become U+FFFD), as the CLI and the server read a file. */
export const decode = (b: Buffer): string => b.toString('utf8');

export type Mutation = (b: Buffer) => Buffer;

const at = (b: Buffer, r: number) => Math.floor(r * (b.length + 1));
const splice = (b: Buffer, i: number, del: number, ins: Buffer | string) => Buffer.concat([b.subarray(0, i), typeof ins === 'string' ? Buffer.from(ins, 'utf8') : ins, b.subarray(i + del)]);
/** An offset at the start of a line (r picks which). */
const lineStart = (b: Buffer, r: number) => {
  const i = at(b, r);
  const nl = b.lastIndexOf(0x0a, i - 1);
  return nl < 0 ? 0 : nl + 1;
};
const RUN_AT = (b: Buffer, r: number, body: string) => splice(b, lineStart(b, r), 0, body);

/** Each mutation the brief names, parameterised by a random fraction `r` (where) and a byte `x`. */
export const mutation: fc.Arbitrary<{ name: string; apply: Mutation }> = fc
  .tuple(
    fc.constantFrom('truncate', 'flip', 'flips', 'crlf', 'cr', 'bom', 'nul', 'invalid-utf8', 'tabs', 'long-line', 'continuations', 'unclosed-heredoc', 'unclosed-quote', 'nested-subst', 'nested-subst-open', 'delete-span', 'duplicate-span'),
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.integer({ min: 0, max: 255 }),
    fc.double({ min: 0, max: 1, noNaN: true }),
  )
  .map(([name, r, x, r2]) => {
    const apply: Mutation = (b) => {
      switch (name) {
        case 'truncate':
          return b.subarray(0, at(b, r));
        case 'flip':
          return b.length ? splice(b, Math.min(at(b, r), b.length - 1), 1, Buffer.from([x])) : b;
        case 'flips': {
          const out = Buffer.from(b);
          for (let i = 0; i < out.length; i += 1 + Math.floor(r * 97)) out[i] ^= x || 1;
          return out;
        }
        case 'crlf':
          return Buffer.from(decode(b).replace(/\r?\n/g, '\r\n'), 'utf8');
        case 'cr':
          return Buffer.from(decode(b).replace(/\r?\n/g, '\r'), 'utf8');
        case 'bom':
          return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]);
        case 'nul':
          return splice(b, at(b, r), 0, Buffer.from([0, 0, 0]));
        case 'invalid-utf8':
          // A lone continuation byte, a truncated sequence, an encoded surrogate, an overlong form.
          return splice(b, at(b, r), 0, Buffer.from([[0x80], [0xc3], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xff, 0xfe]][x % 5]));
        case 'tabs':
          return Buffer.from(decode(b).replace(/ {2,4}/g, '\t'), 'utf8');
        case 'long-line':
          return RUN_AT(b, r, `RUN pip install ${'x'.repeat(100_000)}\n`);
        case 'continuations':
          return RUN_AT(b, r, `RUN apt-get install -y \\\n${'  pkg \\\n'.repeat(10_000)}  last\n`);
        case 'unclosed-heredoc':
          return RUN_AT(b, r, ['RUN <<EOF\npip install flask\n', 'RUN <<-"EOT" bash\n\tapt-get install -y gcc\n', 'COPY <<EOF /x\nhello\n'][x % 3]);
        case 'unclosed-quote':
          return RUN_AT(b, r, ['RUN pip install "flask\n', "RUN echo 'a && pip install x\n", 'RUN ["pip", "install\n', 'RUN sh -c "pip install $(echo \n'][x % 4]);
        case 'nested-subst':
          return RUN_AT(b, r, `RUN echo ${'$('.repeat(500)}x${')'.repeat(500)}\n`);
        case 'nested-subst-open':
          return RUN_AT(b, r, `RUN pip install ${['$(', '`', '${', '"$('][x % 4].repeat(500)}x\n`);
        case 'delete-span': {
          const i = at(b, Math.min(r, r2));
          return splice(b, i, at(b, Math.max(r, r2)) - i, '');
        }
        case 'duplicate-span': {
          const i = at(b, Math.min(r, r2));
          return splice(b, i, 0, b.subarray(i, at(b, Math.max(r, r2))));
        }
      }
      return b;
    };
    const label = `${name}(${r.toFixed(3)},${x})`;
    // fast-check prints this in a counterexample (instead of the function's source).
    return { name: label, apply, [fc.toStringMethod]: () => label };
  });

/** One to three mutations in a row. */
export const mutations = fc.array(mutation, { minLength: 1, maxLength: 3 });
