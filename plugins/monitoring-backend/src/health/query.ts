import {
  HealthReason,
  HealthState,
  StoreEndpoint,
  stateFromReasons,
} from '@fleet-monitoring/plugin-monitoring-common';

/** Thanos Query health: store endpoints with errors, and partial-response warnings on a probe. */
export function evaluateQuery(
  stores: StoreEndpoint[] | undefined,
  warnings: string[],
): { state: HealthState; reasons: HealthReason[] } {
  const reasons: HealthReason[] = [];
  if (stores === undefined) {
    reasons.push({
      id: 'query-not-thanos',
      severity: 'info',
      message: 'The upstream answers 404 on /api/v1/stores: it is a plain Prometheus, not a Thanos querier, so store checks do not apply.',
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
