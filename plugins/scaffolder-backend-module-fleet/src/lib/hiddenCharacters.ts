import { InputError } from '@backstage/errors';
import { hiddenCharacterProblem } from '@fleet-monitoring/plugin-monitoring-common';

/**
 * Inputs end up as names people read (cluster names, tenants, labels, hosts, Secret names). A value
 * with a bidirectional control, an invisible character or a letter that only looks Latin can sit next
 * to the real name and pass for it (`\u202ecluster-02-edge\u202c`), so every string input is checked
 * before the schema, with a message that says which character and where. The check itself is
 * common's, shared with the backend's annotation checks.
 */

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
