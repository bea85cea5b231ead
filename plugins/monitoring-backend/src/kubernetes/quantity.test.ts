import { parseQuantity, quantityOrUndefined } from './quantity';

describe('parseQuantity (k8s.io/apimachinery quantity grammar)', () => {
  it.each([
    // What metrics-server and pod specs actually carry.
    ['1536Mi', 1536 * 2 ** 20],
    ['123456Ki', 123456 * 1024],
    ['2Gi', 2 * 2 ** 30],
    ['1Ti', 2 ** 40],
    ['1Pi', 2 ** 50],
    ['3Ei', 3 * 2 ** 60],
    ['129M', 129e6],
    ['1k', 1000],
    ['4G', 4e9],
    ['2T', 2e12],
    ['1P', 1e15],
    ['1E', 1e18],
    ['128974848', 128974848],
    ['0', 0],
    // Fractions (canonical output never has them, but specs may be written so).
    ['1.5Gi', 1610612736],
    ['0.5Mi', 524288],
    ['1.1G', 1.1e9],
    ['1.', 1],
    ['.5k', 500],
    ['500m', 0.5],
    ['100u', 0.0001],
    ['5n', 5e-9],
    // Decimal exponents, including a lone "E" being exa and "E3" an exponent.
    ['129e6', 129e6],
    ['1E3', 1000],
    ['12e+3', 12000],
    ['5e-1', 0.5],
    ['+1Ki', 1024],
    ['-1Ki', -1024],
    [' 64Mi ', 64 * 2 ** 20],
  ])('%s is %d', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value, 12);
  });

  it('keeps integers exact', () => {
    expect(parseQuantity('1.1G')).toBe(1100000000);
    expect(parseQuantity('1961984Ki')).toBe(2009071616);
  });

  it.each([
    '',
    'Mi',
    '1MB',
    '1mi',
    '1KiB',
    '1K',
    '1e',
    '1e1.5',
    '1 Gi',
    '1.5.5Gi',
    'abc',
    '0x10',
    '1Gi ; drop',
  ])('rejects %j with a clear error', text => {
    expect(() => parseQuantity(text)).toThrow(/is not a Kubernetes quantity/);
  });

  it('rejects numbers beyond any range', () => {
    expect(() => parseQuantity('1e400')).toThrow(/out of range/);
  });

  it('quantityOrUndefined tolerates missing and malformed values', () => {
    expect(quantityOrUndefined(undefined)).toBeUndefined();
    expect(quantityOrUndefined('lots')).toBeUndefined();
    expect(quantityOrUndefined('2Gi')).toBe(2 ** 31);
  });
});
