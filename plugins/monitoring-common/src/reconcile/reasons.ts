import type { ReasonId } from '../health';

/**
 * The reasons of the reconciled fleet (each a section of troubleshooting/reconciliation), in the
 * order a row lists them; the fleet page offers them as filters.
 * @public
 */
export const RECONCILE_REASON_IDS = [
  'reconcile-broke-after-sync',
  'reconcile-not-in-catalog',
  'reconcile-never-seen',
  'reconcile-no-overlay',
  'reconcile-no-application',
  'reconcile-application-drift',
  'reconcile-tenant-not-routed',
  'reconcile-tenant-no-overlay',
  'reconcile-duplicate-cluster-label',
  'reconcile-version-drift',
  'reconcile-label-drift',
  'reconcile-sources-disagree',
] as const satisfies readonly ReasonId[];

/** @public */
export type ReconcileReasonId = (typeof RECONCILE_REASON_IDS)[number];
