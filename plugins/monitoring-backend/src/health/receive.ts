import {
  HealthReason,
  HealthState,
  stateFromReasons,
  ThanosReceiveStats,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { ReceiveThresholds } from '../config';
import { fmt, pct } from './format';

/**
 * Thanos Receive health after the Thanos mixin's alerts: ThanosReceiveHttpRequestErrorRateHigh,
 * ThanosReceiveHttpRequestLatencyHigh, ThanosReceiveHighReplicationFailures (against the write
 * quorum), ThanosReceiveHighForwardRequestFailures, ThanosReceiveHighHashringFileRefreshFailures,
 * ThanosReceiveConfigReloadFailure, and head-series limiting.
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
      message: 'No Thanos Receive series match the selector: is receive scraped, and is the selector right?',
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
  if (stats.p99LatencySeconds !== undefined && stats.p99LatencySeconds >= t.p99LatencyCriticalSeconds) {
    reasons.push({
      id: 'receive-high-latency',
      severity: 'critical',
      message: `p99 write latency is ${fmt(stats.p99LatencySeconds, 2)} s (limit ${t.p99LatencyCriticalSeconds} s).`,
      value: stats.p99LatencySeconds,
      threshold: t.p99LatencyCriticalSeconds,
    });
  }
  const ratio = stats.replicationFailureRatio;
  if (ratio !== undefined && ratio > 0) {
    // A write succeeds when a quorum of floor(RF/2)+1 replicas accepts it; the mixin alerts when the
    // failure share exceeds what the quorum tolerates: floor((RF+1)/2) / hashring nodes.
    const rf = stats.replicationFactor && stats.replicationFactor > 0 ? stats.replicationFactor : 1;
    const nodes = stats.hashringNodes && stats.hashringNodes > 0 ? stats.hashringNodes : rf;
    const tolerated = Math.floor((rf + 1) / 2) / nodes;
    const critical = rf > 1 ? ratio > tolerated : true;
    reasons.push({
      id: 'receive-replication-failures',
      severity: critical ? 'critical' : 'warning',
      message: `${pct(ratio)} of replication requests fail (RF ${rf}, ${nodes} nodes; quorum tolerates ${pct(tolerated)}).`,
      value: ratio,
      threshold: tolerated,
    });
  }
  if (stats.forwardFailureRatio !== undefined && stats.forwardFailureRatio > 0) {
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
  return { state: stateFromReasons(reasons), reasons };
}
