import {
  escapeLabelValue,
  escapeRegex,
  oneOfMatcher,
  formatMatchers,
  isValidLabelName,
  parseSelector,
  SelectorError,
} from './promql';

/** Values crafted to break out of a PromQL string or selector. */
const HOSTILE = [
  'x"} or vector(1) or up{a="',
  'x\\"}',
  '\\',
  'a\nb',
  'a\u0000b',
  '"',
  "'",
  '`',
  '} or {',
  '.*',
  'é日本',
  '${jndi:x}',
  '\r\n\t',
];

/** Inverse of escapeLabelValue, following Go's unquote for the escapes we emit. */
function unquote(s: string): string {
  expect(s.startsWith('"') && s.endsWith('"')).toBe(true);
  return s
    .slice(1, -1)
    .replace(/\\(x[0-9a-f]{2}|.)/g, (_, e: string) =>
      e.startsWith('x') && e.length === 3
        ? String.fromCharCode(parseInt(e.slice(1), 16))
        : ((
            { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"' } as Record<
              string,
              string
            >
          )[e] ?? e),
    );
}

describe('escapeLabelValue', () => {
  it.each(HOSTILE)(
    'keeps %j inside one string literal and round-trips',
    value => {
      const quoted = escapeLabelValue(value);
      // No unescaped quote in the middle: the literal cannot be closed early.
      expect(quoted.slice(1, -1)).not.toMatch(/(^|[^\\])(\\\\)*"/);
      expect(quoted).not.toMatch(/[\n\r]/);
      expect(quoted).not.toContain('\u0000');
      expect(unquote(quoted)).toBe(value);
    },
  );
});

describe('oneOfMatcher', () => {
  it('matches each value literally, quoted and escaped', () => {
    expect(oneOfMatcher('tenant', ['a.b', 'c"d'])).toBe(
      'tenant=~"a\\\\.b|c\\"d"',
    );
  });
});

describe('escapeRegex', () => {
  it('matches the literal only', () => {
    const re = new RegExp(`^${escapeRegex('a.b*(c)')}$`);
    expect(re.test('a.b*(c)')).toBe(true);
    expect(re.test('axbbbc')).toBe(false);
  });
});

describe('isValidLabelName', () => {
  it('accepts Prometheus label names and refuses reserved or odd ones', () => {
    expect(isValidLabelName('cluster')).toBe(true);
    expect(isValidLabelName('__name__')).toBe(true);
    expect(isValidLabelName('__address__')).toBe(false);
    expect(isValidLabelName('1abc')).toBe(false);
    expect(isValidLabelName('a-b')).toBe(false);
    expect(isValidLabelName('a"b')).toBe(false);
  });
});

describe('parseSelector', () => {
  it('parses matchers with all operators, braces optional', () => {
    expect(
      parseSelector(
        '{job="checkout", namespace=~"shop|cart",env!="dev", x!~"a.*"}',
      ),
    ).toEqual([
      { name: 'job', op: '=', value: 'checkout' },
      { name: 'namespace', op: '=~', value: 'shop|cart' },
      { name: 'env', op: '!=', value: 'dev' },
      { name: 'x', op: '!~', value: 'a.*' },
    ]);
    expect(parseSelector(`job='a\\'b'`)).toEqual([
      { name: 'job', op: '=', value: "a'b" },
    ]);
  });

  it('re-formats hostile values safely', () => {
    const [m] = parseSelector('job="x\\"} or vector(1) or up{a=\\""');
    expect(m.value).toBe('x"} or vector(1) or up{a="');
    expect(formatMatchers([m])).toBe('job="x\\"} or vector(1) or up{a=\\""');
  });

  it.each([
    ['', 'empty'],
    ['job', 'expected =, !=, =~ or !~'],
    ['job=checkout', 'must be quoted'],
    ['job="checkout', 'not closed'],
    ['{job="a"', 'does not close'],
    ['job="a" or vector(1)', 'expected ","'],
    ['up{job="a"}', 'expected =, !=, =~ or !~'],
    ['__address__="x"', 'reserved label'],
    ['job=""', 'does not match the empty string'],
    ['job=~".*"', 'does not match the empty string'],
    ['job="a\\qb"', 'unsupported escape'],
    ['a="\u0001"', 'control characters'],
    [`job="${'x'.repeat(300)}"`, 'longer than'],
    [Array.from({ length: 20 }, (_, i) => `l${i}="v"`).join(','), 'more than'],
    ['x'.repeat(2000), 'longer than'],
  ])('refuses %j with a clear error', (input, message) => {
    expect(() => parseSelector(input)).toThrow(SelectorError);
    expect(() => parseSelector(input)).toThrow(message);
  });
});
