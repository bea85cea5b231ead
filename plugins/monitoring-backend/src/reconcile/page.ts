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

/** Rows per page without a limit (the fleet page's default), and the most one page may hold. */
export const RECONCILE_PAGE_DEFAULT = 50;
export const RECONCILE_PAGE_MAX = 1000;

/**
 * One page of the joined fleet: rows carrying one of `reason` (any when none) in one of `state`,
 * by cluster name; `counts` stay the whole fleet's.
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
  const states = query.state?.length ? new Set<string>(query.state) : undefined;
  const rows = fleet.clusters.filter(
    c =>
      (!q || c.cluster.toLocaleLowerCase('en-US').includes(q)) &&
      (!states || states.has(c.state)) &&
      (!reasons || c.reasons.some(r => reasons.has(r.id))),
  );
  const byReason: Record<string, number> = {};
  for (const c of fleet.clusters)
    for (const id of new Set(c.reasons.map(r => r.id)))
      byReason[id] = (byReason[id] ?? 0) + 1;
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
