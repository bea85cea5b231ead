/**
 * Kubernetes resource quantities ("1536Mi", "123456Ki", "2Gi", "1.5G", "129e6", "500m") as numbers.
 *
 * The grammar is the one of k8s.io/apimachinery pkg/api/resource/quantity.go (the Quantity doc
 * comment; also https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/):
 *
 *   <quantity>        ::= <signedNumber><suffix>
 *   <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
 *   <signedNumber>    ::= <number> | <sign><number>          (<sign> ::= "+" | "-")
 *   <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
 *   <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei
 *   <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E
 *   <decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber>
 *
 * A lone "E" is exa (10^18); "E" followed by digits is an exponent (suffix.go looks the suffix up
 * in the SI tables first). @kubernetes/client-node's `quantityToScalar` is not used: it turns
 * fractions with a binary or large decimal suffix ("1.5Gi") into BigInt and throws, and it knows no
 * exponents. The result is a JavaScript number, exact up to 2^53 (8 PiB), plenty for memory.
 */

const BINARY_SI: Record<string, number> = {
  Ki: 1,
  Mi: 2,
  Gi: 3,
  Ti: 4,
  Pi: 5,
  Ei: 6,
};

/** Powers of ten of the decimal SI suffixes. */
const DECIMAL_SI: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

const QUANTITY =
  /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|[numkMGTPE]?)$/;

/** The value of a quantity (bytes, for memory); throws an Error naming the text when it is none. */
export function parseQuantity(text: string): number {
  const m = QUANTITY.exec(text.trim());
  if (!m) {
    throw new Error(
      `"${text.slice(0, 64)}" is not a Kubernetes quantity (e.g. 512Mi, 2Gi, 1.5G, 129e6)`,
    );
  }
  const [, number, suffix] = m;
  if (suffix in BINARY_SI) {
    return Number(number) * 1024 ** BINARY_SI[suffix];
  }
  // Let Number() scale by the power of ten, so "1.1G" is 1100000000 and not 1100000000.0000002.
  // An exponent is a whole number (suffix.go's interpret: strconv.ParseInt), so "1e1.5" fails above.
  const exponent =
    suffix in DECIMAL_SI ? DECIMAL_SI[suffix] : Number(suffix.slice(1));
  const value = Number(`${number}e${exponent}`);
  if (!Number.isFinite(value)) {
    throw new Error(`"${text.slice(0, 64)}" is out of range`);
  }
  return value;
}

/** parseQuantity, or `undefined` for a missing or malformed quantity. */
export function quantityOrUndefined(
  text: string | undefined,
): number | undefined {
  if (text === undefined) return undefined;
  try {
    return parseQuantity(text);
  } catch {
    return undefined;
  }
}
