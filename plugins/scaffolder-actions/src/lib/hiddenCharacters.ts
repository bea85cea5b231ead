import { InputError } from '@backstage/errors';

/**
 * Inputs end up as names people read (cluster names, tenants, labels, hosts, Secret names). A value
 * with a bidirectional control, an invisible character or a letter that only looks Latin can sit next
 * to the real name and pass for it (`\u202ecluster-02-edge\u202c`), so every string input is checked
 * before the schema, with a message that says which character and where.
 */

/** Bidi controls (Unicode UAX #9 explicit formatting characters and marks). */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
/** Characters that render as nothing: zero-width, joiners, word joiner, BOM, soft hyphen, tag chars. */
const INVISIBLE =
  /[\u00AD\u034F\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200D\u2060-\u2064\u206A-\u206F\u3164\uFEFF\uFFA0\u{E0000}-\u{E007F}]/u;
/** Other control characters (C0 except tab/newline, DEL, C1): matching them is the point. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
/**
 * Letters of scripts with Latin look-alikes (Cyrillic, Greek, Armenian, Cherokee) and fullwidth Latin:
 * refused in a value that also has Latin letters (a mixed-script name is the usual spoof; a value
 * written entirely in Greek or Cyrillic is left alone).
 */
const LOOKALIKE =
  /[\u0370-\u03FF\u0400-\u052F\u0530-\u058F\u13A0-\u13FF\uFF01-\uFF5E]/u;
const LATIN = /[A-Za-z]/;

export function hiddenCharacterProblem(value: string): string | undefined {
  for (const [index, ch] of Array.from(value).entries()) {
    const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    if (BIDI.test(ch))
      return `contains the bidirectional control character ${code} at position ${index}`;
    if (INVISIBLE.test(ch))
      return `contains the invisible character ${code} at position ${index}`;
    if (CONTROL.test(ch))
      return `contains the control character ${code} at position ${index}`;
    if (LOOKALIKE.test(ch) && LATIN.test(value))
      return `mixes Latin letters with ${code} at position ${index}, which looks like a Latin letter`;
  }
  return undefined;
}

/** Throws an InputError naming the first string field (keys included) with such a character. */
export function refuseHiddenCharacters(input: unknown, actionId: string) {
  const problem = findProblem(input, []);
  if (problem) {
    throw new InputError(
      `${actionId}: invalid input: ${problem.path || 'input'} ${problem.message}; type the value again without it (names must read the same as they compare)`,
    );
  }
}

function findProblem(
  value: unknown,
  path: string[],
): { path: string; message: string } | undefined {
  if (typeof value === 'string') {
    const message = hiddenCharacterProblem(value);
    return message ? { path: path.join('.'), message } : undefined;
  }
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const p = findProblem(v, [...path, String(i)]);
      if (p) return p;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const keyProblem = hiddenCharacterProblem(k);
      if (keyProblem)
        return {
          path: [...path, JSON.stringify(k)].join('.'),
          message: `key ${keyProblem}`,
        };
      const p = findProblem(v, [...path, k]);
      if (p) return p;
    }
  }
  return undefined;
}
