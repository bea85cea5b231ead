/**
 * Label names, label values and selectors that come from annotations or requests end up inside PromQL.
 * This module is the only way they get there: it validates names, escapes values and parses selector
 * annotations into matchers, so no input can close a string and inject its own PromQL.
 */

/** @public */
export type MatchOp = '=' | '!=' | '=~' | '!~';

/** @public */
export interface LabelMatcher {
  name: string;
  op: MatchOp;
  value: string;
}

/** @public */
export class SelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorError';
  }
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
export const MAX_SELECTOR_LENGTH = 1024;
export const MAX_MATCHERS = 16;
export const MAX_LABEL_VALUE_LENGTH = 256;

/** @public */
export function isValidLabelName(name: string): boolean {
  return (
    name === '__name__' || (LABEL_NAME.test(name) && !name.startsWith('__'))
  );
}

/**
 * Escapes a label value for a double-quoted PromQL string. PromQL strings follow Go's escaping, so
 * backslash, quote and control characters are escaped; everything else passes through as UTF-8.
 *
 * @public
 */
export function escapeLabelValue(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f)
      out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `"${out}"`;
}

/**
 * Escapes a literal string so that it matches itself inside a RE2 regex (for `=~`).
 *
 * @public
 */
export function escapeRegex(value: string): string {
  return value.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/**
 * A matcher for a label that is any of `values` taken literally (`label=~"a|b"`; Prometheus anchors
 * the regex, and answers an alternation of literals from the postings of each).
 *
 * @public
 */
export function oneOfMatcher(label: string, values: readonly string[]): string {
  return `${label}=~${escapeLabelValue(values.map(escapeRegex).join('|'))}`;
}

/**
 * A checked label value (e.g. a cluster name from an annotation): non-empty, bounded, printable.
 *
 * @public
 */
export function checkLabelValue(value: string, what = 'label value'): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new SelectorError(`${what} must not be empty`);
  }
  if (value.length > MAX_LABEL_VALUE_LENGTH) {
    throw new SelectorError(
      `${what} is longer than ${MAX_LABEL_VALUE_LENGTH} characters`,
    );
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new SelectorError(`${what} contains control characters`);
  }
  return value;
}

export function formatMatcher(m: LabelMatcher): string {
  return `${m.name}${m.op}${escapeLabelValue(m.value)}`;
}

/**
 * `{a="b",c=~"d"}` without the braces, so callers can add their own matchers.
 *
 * @public
 */
export function formatMatchers(matchers: LabelMatcher[]): string {
  return matchers.map(formatMatcher).join(',');
}

/** The selector text without its optional braces, once its size is checked. */
function selectorBody(input: string): string {
  if (typeof input !== 'string')
    throw new SelectorError('selector must be a string');
  const text = input.trim();
  if (text.length === 0) throw new SelectorError('selector is empty');
  if (text.length > MAX_SELECTOR_LENGTH) {
    throw new SelectorError(
      `selector is longer than ${MAX_SELECTOR_LENGTH} characters`,
    );
  }
  if (!text.startsWith('{')) return text;
  if (!text.endsWith('}'))
    throw new SelectorError('selector opens "{" but does not close it');
  return text.slice(1, -1);
}

/** The selector text and the position of the next character to read. */
interface Cursor {
  text: string;
  i: number;
}

const skipSpace = (c: Cursor) => {
  while (c.i < c.text.length && /\s/.test(c.text[c.i])) c.i++;
};

const atEnd = (c: Cursor) => c.i >= c.text.length;

function readLabelName(c: Cursor): string {
  const nameMatch = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(c.text.slice(c.i));
  if (!nameMatch) {
    throw new SelectorError(`expected a label name at position ${c.i + 1}`);
  }
  c.i += nameMatch[0].length;
  return nameMatch[0];
}

function readMatchOp(c: Cursor, name: string): MatchOp {
  const opMatch = /^(=~|!~|!=|=)/.exec(c.text.slice(c.i));
  if (!opMatch)
    throw new SelectorError(`expected =, !=, =~ or !~ after "${name}"`);
  c.i += opMatch[0].length;
  return opMatch[0] as MatchOp;
}

/** The escapes a quoted label value may use. */
const VALUE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/** A single- or double-quoted label value, unescaped. */
function readQuotedValue(c: Cursor, name: string): string {
  const quote = c.text[c.i];
  if (quote !== '"' && quote !== "'") {
    throw new SelectorError(`the value of "${name}" must be quoted`);
  }
  c.i++;
  let value = '';
  while (c.i < c.text.length) {
    const ch = c.text[c.i];
    if (ch === '\\') {
      const next = c.text[c.i + 1];
      if (next === undefined) break;
      if (!(next in VALUE_ESCAPES))
        throw new SelectorError(`unsupported escape "\\${next}" in "${name}"`);
      value += VALUE_ESCAPES[next];
      c.i += 2;
      continue;
    }
    c.i++;
    if (ch === quote) return value;
    value += ch;
  }
  throw new SelectorError(`the value of "${name}" is not closed`);
}

/** One `name op "value"` matcher, with its name and value checked. */
function readMatcher(c: Cursor): LabelMatcher {
  const name = readLabelName(c);
  skipSpace(c);
  const op = readMatchOp(c, name);
  skipSpace(c);
  const value = readQuotedValue(c, name);
  if (name.startsWith('__') && name !== '__name__') {
    throw new SelectorError(`reserved label "${name}" is not allowed`);
  }
  checkLabelValue(value === '' ? ' ' : value, `value of "${name}"`);
  return { name, op, value };
}

/** The comma-separated matchers of a selector body, at most MAX_MATCHERS. */
function readMatchers(text: string): LabelMatcher[] {
  const c: Cursor = { text, i: 0 };
  const matchers: LabelMatcher[] = [];
  for (;;) {
    skipSpace(c);
    if (atEnd(c)) break;
    matchers.push(readMatcher(c));
    if (matchers.length > MAX_MATCHERS) {
      throw new SelectorError(
        `selector has more than ${MAX_MATCHERS} matchers`,
      );
    }
    skipSpace(c);
    if (atEnd(c)) break;
    if (c.text[c.i] !== ',')
      throw new SelectorError(`expected "," at position ${c.i + 1}`);
    c.i++;
  }
  return matchers;
}

/** Prometheus refuses selectors where every matcher matches the empty string. */
function checkMatchesSomething(matchers: LabelMatcher[]): void {
  if (matchers.length === 0)
    throw new SelectorError('selector has no matchers');
  const hasNonEmpty = matchers.some(
    m =>
      (m.op === '=' && m.value !== '') ||
      (m.op === '=~' && !safeRegexMatchesEmpty(m.value)),
  );
  if (!hasNonEmpty) {
    throw new SelectorError(
      'selector needs at least one matcher that does not match the empty string',
    );
  }
}

/**
 * Parses a selector such as `job="checkout", namespace=~"shop|cart"` (braces optional) into matchers.
 * Only label matchers are accepted: no metric names, functions or operators.
 *
 * @public
 */
export function parseSelector(input: string): LabelMatcher[] {
  const matchers = readMatchers(selectorBody(input));
  checkMatchesSomething(matchers);
  return matchers;
}

function safeRegexMatchesEmpty(re: string): boolean {
  try {
    return new RegExp(`^(?:${re})$`).test('');
  } catch {
    return false;
  }
}
