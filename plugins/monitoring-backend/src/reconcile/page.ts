import type {
  HealthState,
  ReconciledFleet,
} from '@fleet-monitoring/plugin-monitoring-common';
import { countStates } from '@fleet-monitoring/plugin-monitoring-common';
import type { ReconciledFleetAnswer } from './ReconcileService';

export interface ReconcilePageQuery {
  offset?: number;
  limit?: number;
  name?: string;
  reason?: string[];
  state?: HealthState[];
}

/** `reason=capacity`: rows with any capacity-* reason (the tenant at or near its limit). */
export const CAPACITY = 'capacity';
const CAPACITY_PREFIX = 'capacity-';

/** Rows per page without a limit (the fleet page's default), and the most one page may hold. */
export const RECONCILE_PAGE_DEFAULT = 50;
export const RECONCILE_PAGE_MAX = 1000;

/**
 * One page of the joined fleet: rows carrying one of `reason` (any when none; `capacity` is any
 * capacity-* reason) in one of `state`, by cluster name; `counts` stay the whole fleet's, with
 * `capacity` counting the rows carrying any capacity-* reason.
 */
export function reconcilePage(
  fleet: ReconciledFleetAnswer,
  query: ReconcilePageQuery,
): ReconciledFleet {
  const offset = query.offset ?? 0;
  const limit = Math.min(
    query.limit ?? RECONCILE_PAGE_DEFAULT,
    RECONCILE_PAGE_MAX,
  );
  const q = (query.name ?? '').trim().toLocaleLowerCase('en-US');
  const reasons = query.reason?.length ? new Set(query.reason) : undefined;
  const matches = (id: string) =>
    reasons!.has(id) ||
    (reasons!.has(CAPACITY) && id.startsWith(CAPACITY_PREFIX));
  const states = query.state?.length ? new Set<string>(query.state) : undefined;
  const rows = fleet.clusters.filter(
    c =>
      (!q || c.cluster.toLocaleLowerCase('en-US').includes(q)) &&
      (!states || states.has(c.state)) &&
      (!reasons || c.reasons.some(r => matches(r.id))),
  );
  const byReason: Record<string, number> = {};
  for (const c of fleet.clusters) {
    const ids = new Set(c.reasons.map(r => r.id));
    for (const id of ids) byReason[id] = (byReason[id] ?? 0) + 1;
    if ([...ids].some(id => id.startsWith(CAPACITY_PREFIX)))
      byReason[CAPACITY] = (byReason[CAPACITY] ?? 0) + 1;
  }
  return {
    instance: fleet.instance,
    generatedAt: fleet.generatedAt,
    clusters: rows.slice(offset, offset + limit),
    counts: {
      clusters: fleet.clusters.length,
      states: countStates(fleet.clusters.map(c => c.state)),
      reasons: byReason,
    },
    sources: fleet.sources,
    fleetReasons: fleet.fleetReasons,
    page: { offset, limit, total: rows.length },
  };
}
