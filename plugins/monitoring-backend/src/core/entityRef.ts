import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { EntityAccess } from './entityAccess';

/**
 * The entity an action's `entityRef` names, read like the entity routes do: with the caller's
 * credentials (invisible entities are "not found") and the entity permission checked. A reference
 * that does not parse is a 400.
 */
export function entityForAction(
  access: EntityAccess,
  credentials: BackstageCredentials,
  ref: string,
  defaultKind: string,
): Promise<Entity> {
  let parsed;
  try {
    parsed = parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' });
  } catch (e) {
    throw new InputError(
      `"${ref}" is not an entity reference: ${(e as Error).message}`,
    );
  }
  return access.entityFor(credentials, parsed);
}
