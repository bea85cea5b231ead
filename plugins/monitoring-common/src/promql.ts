/**
 * Label names, label values and selectors that come from annotations or requests end up inside PromQL.
 * This module is the only way they get there: it validates names, escapes values and parses selector
 * annotations into matchers, so no input can close a string and inject its own PromQL.
 */

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  name: string;
  op: MatchOp;
  value: string;
}

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

export function isValidLabelName(name: string): boolean {
  return (
    name === '__name__' || (LABEL_NAME.test(name) && !name.startsWith('__'))
  );
}

/**
 * Escapes a label value for a double-quoted PromQL string. PromQL strings follow Go's escaping, so
 * backslash, quote and control characters are escaped; everything else passes through as UTF-8.
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

/** Escapes a literal string so that it matches itself inside a RE2 regex (for `=~`). */
export function escapeRegex(value: string): string {
  return value.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/** A checked label value (e.g. a cluster name from an annotation): non-empty, bounded, printable. */
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

/** `{a="b",c=~"d"}` without the braces, so callers can add their own matchers. */
export function formatMatchers(matchers: LabelMatcher[]): string {
  return matchers.map(formatMatcher).join(',');
}

/**
 * Parses a selector such as `job="checkout", namespace=~"shop|cart"` (braces optional) into matchers.
 * Only label matchers are accepted: no metric names, functions or operators.
 */
export function parseSelector(input: string): LabelMatcher[] {
  if (typeof input !== 'string')
    throw new SelectorError('selector must be a string');
  let text = input.trim();
  if (text.length === 0) throw new SelectorError('selector is empty');
  if (text.length > MAX_SELECTOR_LENGTH) {
    throw new SelectorError(
      `selector is longer than ${MAX_SELECTOR_LENGTH} characters`,
    );
  }
  if (text.startsWith('{')) {
    if (!text.endsWith('}'))
      throw new SelectorError('selector opens "{" but does not close it');
    text = text.slice(1, -1);
  }
  const matchers: LabelMatcher[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  for (;;) {
    skipSpace();
    if (i >= text.length) break;
    const nameMatch = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(i));
    if (!nameMatch) {
      throw new SelectorError(`expected a label name at position ${i + 1}`);
    }
    const name = nameMatch[0];
    i += name.length;
    skipSpace();
    const opMatch = /^(=~|!~|!=|=)/.exec(text.slice(i));
    if (!opMatch)
      throw new SelectorError(`expected =, !=, =~ or !~ after "${name}"`);
    const op = opMatch[0] as MatchOp;
    i += op.length;
    skipSpace();
    const quote = text[i];
    if (quote !== '"' && quote !== "'") {
      throw new SelectorError(`the value of "${name}" must be quoted`);
    }
    i++;
    let value = '';
    let closed = false;
    while (i < text.length) {
      const ch = text[i];
      if (ch === '\\') {
        const next = text[i + 1];
        if (next === undefined) break;
        const map: Record<string, string> = {
          n: '\n',
          t: '\t',
          r: '\r',
          '\\': '\\',
          '"': '"',
          "'": "'",
        };
        if (!(next in map))
          throw new SelectorError(
            `unsupported escape "\\${next}" in "${name}"`,
          );
        value += map[next];
        i += 2;
        continue;
      }
      if (ch === quote) {
        closed = true;
        i++;
        break;
      }
      value += ch;
      i++;
    }
    if (!closed)
      throw new SelectorError(`the value of "${name}" is not closed`);
    if (name.startsWith('__') && name !== '__name__') {
      throw new SelectorError(`reserved label "${name}" is not allowed`);
    }
    checkLabelValue(value === '' ? ' ' : value, `value of "${name}"`);
    matchers.push({ name, op, value });
    if (matchers.length > MAX_MATCHERS) {
      throw new SelectorError(
        `selector has more than ${MAX_MATCHERS} matchers`,
      );
    }
    skipSpace();
    if (i >= text.length) break;
    if (text[i] !== ',')
      throw new SelectorError(`expected "," at position ${i + 1}`);
    i++;
  }
  if (matchers.length === 0)
    throw new SelectorError('selector has no matchers');
  // Prometheus refuses selectors where every matcher matches the empty string.
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
  return matchers;
}

function safeRegexMatchesEmpty(re: string): boolean {
  try {
    return new RegExp(`^(?:${re})$`).test('');
  } catch {
    return false;
  }
}
