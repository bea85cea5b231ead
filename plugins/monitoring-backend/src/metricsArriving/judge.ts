import {
  ArrivingByCluster,
  HealthReason,
  HealthState,
  stateFromReasons,
} from '@fleet-monitoring/plugin-monitoring-common';
import { fmt } from '../core/format';

/** "Are this service's metrics arriving?" per cluster: nothing, stale, targets down, or fine. */
export function evaluateMetricsArriving(
  clusters: ArrivingByCluster[],
  staleAfterSeconds: number,
): { state: HealthState; reasons: HealthReason[] } {
  const reasons: HealthReason[] = [];
  if (clusters.length === 0) {
    reasons.push({
      id: 'metrics-not-arriving',
      severity: 'warning',
      message: 'No series match the selector in the last hour, in any cluster.',
    });
    return { state: 'no-data', reasons };
  }
  const stale = clusters.filter(
    c =>
      c.lastSampleAgeSeconds === undefined ||
      c.lastSampleAgeSeconds > staleAfterSeconds,
  );
  for (const c of stale) {
    reasons.push({
      id: 'metrics-stale',
      // Degraded, as the troubleshooting page says: the series exist, their newest sample is old.
      severity: 'warning',
      message: `Cluster "${c.cluster}": the newest sample is ${c.lastSampleAgeSeconds === undefined ? 'unknown' : `${fmt(c.lastSampleAgeSeconds / 60)} min`} old (limit ${fmt(staleAfterSeconds / 60)} min).`,
      value: c.lastSampleAgeSeconds,
      threshold: staleAfterSeconds,
    });
  }
  for (const c of clusters) {
    // No target counts when the selector names a metric (`__name__`): nothing to say about targets.
    if (stale.includes(c) || c.targetsTotal === 0) continue;
    const down = c.targetsTotal - c.targetsUp;
    if (down > 0) {
      reasons.push({
        id: 'targets-down',
        severity: down === c.targetsTotal ? 'critical' : 'warning',
        message: `Cluster "${c.cluster}": ${down} of ${c.targetsTotal} scrape targets are down.`,
        value: down,
        threshold: 0,
      });
    }
  }
  return { state: stateFromReasons(reasons), reasons };
}
