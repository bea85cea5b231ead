/**
 * A unified diff of two small texts (what a dry-run shows of the file it would change), from a
 * longest-common-subsequence of their lines.
 */

/** Beyond this many lines per side the dry-run says so instead of diffing (quadratic table). */
export const MAX_DIFF_LINES = 3000;
const CONTEXT = 3;

type Op = { kind: ' ' | '-' | '+'; line: string; a: number; b: number };

export function unifiedDiff(
  path: string,
  before: string,
  after: string,
): string {
  if (before === after) return '';
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length > MAX_DIFF_LINES || b.length > MAX_DIFF_LINES)
    return `--- a/${path}\n+++ b/${path}\n(file longer than ${MAX_DIFF_LINES} lines: diff omitted)\n`;
  const ops = lineOps(a, b);
  const hunks: string[] = [];
  let i = 0;
  while (i < ops.length) {
    if (ops[i].kind === ' ') {
      i++;
      continue;
    }
    const start = Math.max(0, i - CONTEXT);
    let end = i;
    // Extend while changes are closer than two contexts apart.
    for (;;) {
      while (end < ops.length && ops[end].kind !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next].kind === ' ') next++;
      if (next < ops.length && next - end <= 2 * CONTEXT) end = next;
      else break;
    }
    end = Math.min(ops.length, end + CONTEXT);
    const slice = ops.slice(start, end);
    const aLen = slice.filter(o => o.kind !== '+').length;
    const bLen = slice.filter(o => o.kind !== '-').length;
    const aStart = slice[0].a + (aLen ? 1 : 0);
    const bStart = slice[0].b + (bLen ? 1 : 0);
    hunks.push(
      `@@ -${aStart},${aLen} +${bStart},${bLen} @@\n${slice
        .map(o => `${o.kind}${o.line}`)
        .join('\n')}`,
    );
    i = end;
  }
  return `--- a/${path}\n+++ b/${path}\n${hunks.join('\n')}\n`;
}

function lineOps(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: common lines of a[i..] and b[j..]
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i][j] =
        a[i] === b[j]
          ? lcs[i + 1][j + 1] + 1
          : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i], a: i, b: j });
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      ops.push({ kind: '+', line: b[j], a: i, b: j });
      j++;
    } else {
      ops.push({ kind: '-', line: a[i], a: i, b: j });
      i++;
    }
  }
  return ops;
}
