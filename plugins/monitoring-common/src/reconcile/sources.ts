import type { ReconcileSourceName } from '../schema/openapi';

/**
 * Every source of the reconciled fleet, in the order the views list them (the OpenAPI
 * `ReconcileSourceName`; tsc fails here when the schema gains one this list lacks).
 * @public
 */
export const RECONCILE_SOURCES = [
  'catalog',
  'gitops',
  'argocd',
  'remote-write',
  'receive',
  'kubernetes',
  'capacity',
] as const satisfies readonly ReconcileSourceName[];

// Every schema source is listed: a missing one makes this `never` and the assignment fails.
const everySource: Exclude<
  ReconcileSourceName,
  (typeof RECONCILE_SOURCES)[number]
> extends never
  ? true
  : never = true;
void everySource;
