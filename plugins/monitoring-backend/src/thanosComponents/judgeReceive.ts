import {
  HealthReason,
  HealthState,
  stateFromReasons,
  ThanosReceiveStats,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { ReceiveThresholds } from '../config';
import { fmt, pct } from '../core/format';

/**
 * Thanos Receive health after the Thanos mixin's alerts: ThanosReceiveHttpRequestErrorRateHigh,
 * ThanosReceiveHttpRequestLatencyHigh, ThanosReceiveHighReplicationFailures (against the write
 * quorum), ThanosReceiveHighForwardRequestFailures, ThanosReceiveHighHashringFileRefreshFailures,
 * ThanosReceiveConfigReloadFailure, ThanosReceiveNoUpload, head-series limiting, and receivers down
 * (a partial outage, judged against the write quorum).
 */
export function evaluateReceive(
  stats: ThanosReceiveStats,
  up: number | undefined,
  t: ReceiveThresholds,
): { state: HealthState; reasons: HealthReason[] } {
  const reasons: HealthReason[] = [];
  if (up === undefined) {
    reasons.push({
      id: 'receive-no-data',
      severity: 'warning',
      message:
        'No Thanos Receive series match the selector: is receive scraped, and is the selector right?',
    });
    return { state: 'no-data', reasons };
  }
  if (stats.httpErrorRatio !== undefined && stats.httpErrorRatio > 0) {
    const critical = stats.httpErrorRatio >= t.httpErrorRatioCritical;
    reasons.push({
      id: 'receive-http-errors',
      severity: critical ? 'critical' : 'warning',
      message: `${pct(stats.httpErrorRatio)} of remote-write requests to receive answer 5xx (limit ${pct(t.httpErrorRatioCritical)}).`,
      value: stats.httpErrorRatio,
      threshold: t.httpErrorRatioCritical,
    });
  }
  if (
    stats.p99LatencySeconds !== undefined &&
    stats.p99LatencySeconds >= t.p99LatencyCriticalSeconds
  ) {
    reasons.push({
      id: 'receive-high-latency',
      severity: 'critical',
      message: `p99 write latency is ${fmt(stats.p99LatencySeconds, 2)} s (limit ${t.p99LatencyCriticalSeconds} s).`,
      value: stats.p99LatencySeconds,
      threshold: t.p99LatencyCriticalSeconds,
    });
  }
  const rf = stats.replicationFactor ?? 0;
  const quorum = Math.floor(rf / 2) + 1;
  const total = stats.instancesTotal;
  if (total !== undefined && up < total) {
    // Writes to a tenant need a quorum of its replicas; with fewer receivers up than that, they fail.
    const upCount = up;
    const critical = upCount === 0 || (rf > 1 ? upCount < quorum : true);
    reasons.push({
      id: 'receive-instance-down',
      severity: critical ? 'critical' : 'warning',
      message: `${total - upCount} of ${total} receivers are down${rf > 1 ? ` (replication factor ${rf}: writes need ${quorum} replicas)` : ''}.`,
      value: total - upCount,
      threshold: 0,
      hint: "kubectl get pods -l app.kubernetes.io/name=thanos-receive; look at the down pod's events and last termination.",
    });
  }
  const ratio = stats.replicationFailureRatio;
  if (rf > 1 && ratio !== undefined && ratio > 0) {
    // The mixin's ThanosReceiveHighReplicationFailures: only with RF > 1, severity warning, when the
    // failure share exceeds floor((RF+1)/2) / hashring nodes (the quorum size over the nodes).
    const nodes =
      stats.hashringNodes && stats.hashringNodes > 0 ? stats.hashringNodes : rf;
    const limit = Math.floor((rf + 1) / 2) / nodes;
    reasons.push({
      id: 'receive-replication-failures',
      severity: ratio > limit ? 'warning' : 'info',
      message: `${pct(ratio)} of replication requests fail (RF ${rf}, ${nodes} nodes; the mixin warns above ${pct(limit)}).`,
      value: ratio,
      threshold: limit,
    });
  }
  if (
    stats.forwardFailureRatio !== undefined &&
    stats.forwardFailureRatio > 0
  ) {
    const over = stats.forwardFailureRatio >= t.forwardFailureRatioWarning;
    reasons.push({
      id: 'receive-forward-failures',
      severity: over ? 'warning' : 'info',
      message: `${pct(stats.forwardFailureRatio)} of forward requests between receivers fail (limit ${pct(t.forwardFailureRatioWarning)}).`,
      value: stats.forwardFailureRatio,
      threshold: t.forwardFailureRatioWarning,
    });
  }
  if ((stats.hashringFileErrorsPerSecond ?? 0) > 0) {
    reasons.push({
      id: 'receive-hashring-file-errors',
      severity: 'warning',
      message: `The hashring file fails to load (${fmt(stats.hashringFileErrorsPerSecond!, 3)} errors/s): receivers may route with a stale ring.`,
      value: stats.hashringFileErrorsPerSecond,
    });
  }
  if (stats.configReloadSuccessful === false) {
    reasons.push({
      id: 'receive-config-reload-failed',
      severity: 'warning',
      message: 'The last configuration reload of a receiver failed.',
    });
  }
  if ((stats.headSeriesLimitedPerSecond ?? 0) > 0) {
    reasons.push({
      id: 'receive-head-series-limited',
      severity: 'warning',
      message: `Writes are refused because tenants exceed the head-series limit (${fmt(stats.headSeriesLimitedPerSecond!, 2)} requests/s).`,
      value: stats.headSeriesLimitedPerSecond,
    });
  }
  if (stats.minUploadsLast3h !== undefined && stats.minUploadsLast3h === 0) {
    reasons.push({
      id: 'receive-no-upload',
      severity: 'critical',
      message:
        'A running receiver uploaded no block to object storage in the last 3 h (mixin ThanosReceiveNoUpload).',
      value: 0,
      hint: "Check --objstore.config-file and the receiver's shipper logs; without uploads data older than the local retention is lost.",
    });
  }
  return { state: stateFromReasons(reasons), reasons };
}
