/**
 * Adds drop rules to every remote_write entry of a Helm values file without rewriting anything
 * else. The `yaml` Document API finds where each entry and its write_relabel_configs sit in the
 * source; new text is spliced in at those offsets, so every byte outside the inserted lines stays as
 * it was (comments, quoting, blank lines, key order). The result is parsed again and must equal the
 * original values plus exactly the new rules, or nothing is written.
 */
import { InputError } from '@backstage/errors';
import { isDeepStrictEqual } from 'node:util';
import YAML, { isAlias, isMap, isSeq, Node, YAMLMap, YAMLSeq } from 'yaml';
import { RelabelRule } from './dropSeries';

/** One insertion into the original text. */
export type Insertion = { offset: number; text: string };

export type RelabelEdit = {
  /** The new file content (equal to the input when nothing was added). */
  text: string;
  insertions: Insertion[];
  /** Per remote_write entry (by index): the rule added, or undefined when it already dropped all. */
  added: Array<RelabelRule | undefined>;
};

const RELABEL_KEY = 'write_relabel_configs';

/**
 * @param path - where the remote_write list is in the values, e.g. ['server', 'remoteWrite']
 * @param ruleFor - the rule to add to an entry given its existing write_relabel_configs (parsed), or
 *   undefined when the entry needs none
 */
export function addRelabelRules(
  source: string,
  shownPath: string,
  path: string[],
  ruleFor: (existing: unknown) => RelabelRule | undefined,
): RelabelEdit {
  const doc = YAML.parseDocument(source, { keepSourceTokens: false });
  if (doc.errors.length) {
    throw new InputError(
      `${shownPath} is not valid YAML: ${doc.errors[0].message}`,
    );
  }
  const list = doc.getIn(path, true);
  if (!isSeq(list) || list.items.length === 0) {
    throw new InputError(
      `${shownPath} has no remote write entries at ${path.join('.')}; is it an edge overlay written by fleet:overlay:create-edge?`,
    );
  }
  const insertions: Insertion[] = [];
  const added: RelabelEdit['added'] = [];
  list.items.forEach((item, index) => {
    const where = `${shownPath}: ${path.join('.')}[${index}]`;
    if (isAlias(item) || !isMap(item)) {
      throw new InputError(
        `${where} is ${isAlias(item) ? 'an alias' : 'not a map'}; edit it by hand (changing an anchor would change every entry using it)`,
      );
    }
    const existingNode = item.get(RELABEL_KEY, true) as Node | undefined;
    const existing = existingNode ? (existingNode as any).toJSON() : undefined;
    const rule = ruleFor(existing);
    added.push(rule);
    if (!rule) return;
    insertions.push(
      existingNode === undefined
        ? insertKey(source, item, rule, where)
        : appendToList(source, existingNode, rule, where),
    );
  });
  const text = splice(source, insertions);
  verify(source, text, path, added, shownPath);
  return { text, insertions, added };
}

/** The column a node starts at. */
function columnOf(source: string, offset: number): number {
  return offset - (source.lastIndexOf('\n', offset - 1) + 1);
}

/** Offset just before the line break (`\n` or `\r\n`) ending the line that holds `offset - 1`. */
function endOfLine(source: string, offset: number): number {
  const nl = source.indexOf('\n', Math.max(0, offset - 1));
  if (nl === -1) return source.length;
  return source[nl - 1] === '\r' ? nl - 1 : nl;
}

/** New lines use the file's own line breaks. */
const eolOf = (source: string) => (source.includes('\r\n') ? '\r\n' : '\n');

const q = (s: string) => JSON.stringify(s);
const flowRule = (r: RelabelRule) =>
  `{source_labels: [${r.source_labels.map(q).join(', ')}], regex: ${q(r.regex)}, action: ${r.action}}`;
const blockRule = (r: RelabelRule, indent: string, eol: string) =>
  [
    `- source_labels: [${r.source_labels.map(q).join(', ')}]`,
    `  regex: ${q(r.regex)}`,
    `  action: ${r.action}`,
  ]
    .map(l => `${indent}${l}`)
    .join(eol);

function rangeOf(node: Node, where: string): [number, number, number] {
  if (!node.range)
    throw new InputError(`${where}: cannot locate it in the file`);
  return node.range;
}

/** A remote_write entry without write_relabel_configs: the key goes after its last line. */
function insertKey(
  source: string,
  item: YAMLMap,
  rule: RelabelRule,
  where: string,
): Insertion {
  const [start, valueEnd] = rangeOf(item, where);
  if (item.flow) {
    const close = valueEnd - 1;
    if (source[close] !== '}')
      throw new InputError(`${where}: unexpected flow mapping layout`);
    return {
      offset: close,
      text: `${item.items.length ? ', ' : ''}${RELABEL_KEY}: [${flowRule(rule)}]`,
    };
  }
  const indent = ' '.repeat(columnOf(source, start));
  const eol = eolOf(source);
  return {
    offset: endOfLine(source, valueEnd),
    text: `${eol}${indent}${RELABEL_KEY}:${eol}${blockRule(rule, `${indent}  `, eol)}`,
  };
}

/** An existing write_relabel_configs list: the rule goes last (relabelling runs in order, on final names). */
function appendToList(
  source: string,
  node: Node,
  rule: RelabelRule,
  where: string,
): Insertion {
  if (!isSeq(node))
    throw new InputError(
      `${where}.${RELABEL_KEY} is not a list; fix it by hand first`,
    );
  const seq = node as YAMLSeq;
  const [start, valueEnd] = rangeOf(seq, `${where}.${RELABEL_KEY}`);
  if (seq.flow) {
    const close = valueEnd - 1;
    if (source[close] !== ']')
      throw new InputError(`${where}: unexpected flow sequence layout`);
    return {
      offset: close,
      text: `${seq.items.length ? ', ' : ''}${flowRule(rule)}`,
    };
  }
  const indent = ' '.repeat(columnOf(source, start));
  const eol = eolOf(source);
  return {
    offset: endOfLine(source, valueEnd),
    text: `${eol}${blockRule(rule, indent, eol)}`,
  };
}

function splice(source: string, insertions: Insertion[]): string {
  let out = source;
  for (const ins of [...insertions].sort((a, b) => b.offset - a.offset))
    out = out.slice(0, ins.offset) + ins.text + out.slice(ins.offset);
  return out;
}

/** The edited file must read as the original plus exactly the added rules. */
function verify(
  before: string,
  after: string,
  path: string[],
  added: RelabelEdit['added'],
  shownPath: string,
) {
  const expected = YAML.parse(before);
  const entries = path.reduce((v, k) => v[k], expected) as any[];
  entries.forEach((entry, i) => {
    const rule = added[i];
    if (rule) entry[RELABEL_KEY] = [...(entry[RELABEL_KEY] ?? []), rule];
  });
  let actual: unknown;
  try {
    actual = YAML.parse(after);
  } catch (e) {
    actual = e;
  }
  if (!isDeepStrictEqual(actual, expected)) {
    throw new InputError(
      `${shownPath}: its layout does not allow adding the rule without rewriting other lines; add it by hand: ${JSON.stringify(added.find(Boolean))}`,
    );
  }
}
