import {
  HealthReason,
  HealthState,
  StoreEndpoint,
  stateFromReasons,
} from '@fleet-monitoring/plugin-monitoring-common';

/**
 * Thanos Query health: store endpoints with errors, partial-response warnings on a probe, and series
 * that come back once per receive replica (deduplication off or on the wrong replica label).
 */
export function evaluateQuery(
  stores: StoreEndpoint[] | undefined,
  warnings: string[],
  duplicatedQueues = 0,
): { state: HealthState; reasons: HealthReason[] } {
  const reasons: HealthReason[] = [];
  if (duplicatedQueues > 0) {
    // Our cards collapse replica copies themselves; other dashboards' sums are multiplied.
    reasons.push({
      id: 'query-dedup-off',
      severity: 'warning',
      message: `Deduplication is off: ${duplicatedQueues} remote-write queues come back more than once (one copy per Thanos Receive replica), so a plain sum by (cluster) counts them several times.`,
      value: duplicatedQueues,
      hint: "Start Thanos Query with --query.replica-label set to the receivers' replica label (e.g. replica), and keep dedup=true.",
    });
  }
  if (stores === undefined) {
    reasons.push({
      id: 'query-not-thanos',
      severity: 'info',
      message:
        'The upstream answers 404 on /api/v1/stores: it is a plain Prometheus, not a Thanos querier, so store checks do not apply.',
    });
  } else {
    const failing = stores.filter(s => s.lastError);
    if (failing.length > 0) {
      const all = failing.length === stores.length;
      const first = failing[0];
      reasons.push({
        id: 'query-store-errors',
        severity: all ? 'critical' : 'warning',
        message: `${failing.length} of ${stores.length} store endpoints report errors, e.g. ${first.type} ${first.name}: ${first.lastError}`,
        value: failing.length,
        threshold: 0,
      });
    }
  }
  const partial = warnings.filter(w => !/No StoreAPIs matched/i.test(w));
  if (partial.length > 0) {
    reasons.push({
      id: 'query-partial-response',
      severity: 'warning',
      message: `Queries return partial data: ${partial[0]}${partial.length > 1 ? ` (+${partial.length - 1} more)` : ''}`,
      value: partial.length,
    });
  }
  return { state: stateFromReasons(reasons), reasons };
}
