import { InputError } from '@backstage/errors';
import { z } from 'zod/v3';
import { refuseHiddenCharacters } from './hiddenCharacters';

/**
 * Parses action input with the full zod schema (defaults, refinements) and turns failures into
 * InputError; bidi, invisible and look-alike characters are refused first, with their own message.
 */
export function parseInput<T extends z.ZodTypeAny>(
  schema: T,
  input: unknown,
  actionId: string,
): z.output<T> {
  refuseHiddenCharacters(input, actionId);
  const result = schema.safeParse(input);
  if (!result.success) {
    const details = result.error.issues
      .map(i => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`)
      .join('; ');
    throw new InputError(`${actionId}: invalid input: ${details}`);
  }
  return result.data;
}

/**
 * Turns a zod object shape into the `schema.input`/`schema.output` form createTemplateAction wants,
 * so the action's published JSON schema and the handler's own validation come from the same
 * definitions. Typed loosely on purpose: handlers take their typed input from `parseInput`, and
 * letting createTemplateAction infer through these deep shapes exhausts the type checker.
 */
export function toActionSchema(
  shape: z.ZodRawShape,
): Record<string, () => z.ZodTypeAny> {
  return Object.fromEntries(
    Object.entries(shape).map(([k, v]) => [k, () => v]),
  );
}
