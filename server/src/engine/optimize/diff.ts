// A unified diff (`diff -u` hunks, three lines of context) between two texts, for
// `slimdock optimize --diff`. Lines are matched by a longest common subsequence; Dockerfiles are
// small (hundreds of lines), so the quadratic table is cheap.

export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string, context = 3): string {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  const ops = diffLines(a, b);
  if (ops.every((o) => o.kind === ' ')) return '';
  const out = [`--- ${oldName}`, `+++ ${newName}`];
  // Group the edit script into hunks: changes plus `context` unchanged lines around them.
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && ops[i].kind === ' ') i++;
    if (i >= ops.length) break;
    let start = Math.max(0, i - context);
    let end = i;
    for (;;) {
      while (end < ops.length && ops[end].kind !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next].kind === ' ') next++;
      if (next < ops.length && next - end <= 2 * context) end = next;
      else {
        end = Math.min(ops.length, end + context);
        break;
      }
    }
    const hunk = ops.slice(start, end);
    const oldStart = hunk[0].a;
    const newStart = hunk[0].b;
    const oldLen = hunk.filter((o) => o.kind !== '+').length;
    const newLen = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${range(oldStart, oldLen)} +${range(newStart, newLen)} @@`);
    for (const o of hunk) out.push(`${o.kind}${o.text}`);
    i = end;
    start = end;
  }
  return out.join('\n') + '\n';
}

interface Op {
  kind: ' ' | '-' | '+';
  text: string;
  /** 0-based line in the old / new text where this op stands. */
  a: number;
  b: number;
}

function range(start: number, len: number): string {
  return len === 0 ? `${start},0` : len === 1 ? `${start + 1}` : `${start + 1},${len}`;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function diffLines(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ kind: ' ', text: a[i], a: i, b: j });
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      ops.push({ kind: '-', text: a[i], a: i, b: j });
      i++;
    } else {
      ops.push({ kind: '+', text: b[j], a: i, b: j });
      j++;
    }
  }
  return ops;
}
