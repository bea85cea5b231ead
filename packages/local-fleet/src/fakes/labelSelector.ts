/**
 * Kubernetes label-selector matching for the contract fakes (ArgoCD's `selector` parameter and the
 * Kubernetes API's `labelSelector`). Written separately from the backend's own selector handling on
 * purpose, so the fakes do not share the code they test.
 */
/** Matches (=, ==, !=, in, notin, exists, !key); `in` needs the key, `notin` accepts its absence. */
export function labelSelectorMatches(
  selector: string,
  labels: Record<string, string>,
): boolean {
  if (!selector) return true;
  const terms: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  terms.push(cur.trim());
  return terms.every(t => {
    let m = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(t);
    if (m) {
      const vals = m[3].split(',').map(v => v.trim());
      const has = m[1] in labels;
      return m[2] === 'in'
        ? has && vals.includes(labels[m[1]])
        : !has || !vals.includes(labels[m[1]]);
    }
    m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(t);
    if (m) return m[2] === '!=' ? labels[m[1]] !== m[3] : labels[m[1]] === m[3];
    m = /^!(\S+)$/.exec(t);
    if (m) return !(m[1] in labels);
    if (/^\S+$/.test(t)) return t in labels;
    throw new Error(`unable to parse requirement: ${t}`);
  });
}
