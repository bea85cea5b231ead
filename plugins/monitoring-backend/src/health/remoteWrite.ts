import {
  ClusterHealth,
  HealthReason,
  RemoteWriteStats,
  stateFromReasons,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { RemoteWriteThresholds } from '../config';
import { fmt, pct } from './format';

/**
 * Remote-write health of one cluster, after the Prometheus mixin's alerts:
 * PrometheusRemoteStorageFailures (failure ratio), PrometheusRemoteWriteBehind (lag),
 * PrometheusRemoteWriteDesiredShards (desired > max shards), plus retries, drops, pending samples,
 * and staleness (no self-metrics for a while means we know nothing: no-data, not healthy).
 */
export function evaluateRemoteWrite(
  cluster: string,
  stats: RemoteWriteStats,
  t: RemoteWriteThresholds,
  nowSeconds: number,
): ClusterHealth {
  const reasons: HealthReason[] = [];
  const age = stats.lastSeen === undefined ? undefined : nowSeconds - stats.lastSeen;
  if (age === undefined || age > t.staleAfterSeconds) {
    reasons.push({
      id: 'cluster-no-data',
      severity: 'warning',
      message:
        age === undefined
          ? `No remote-write metrics from cluster "${cluster}" in the last hour.`
          : `No remote-write metrics from cluster "${cluster}" for ${fmt(age / 60)} min (limit ${fmt(t.staleAfterSeconds / 60)} min).`,
      value: age,
      threshold: t.staleAfterSeconds,
    });
    return { cluster, state: 'no-data', reasons, stats };
  }

  const ratio = stats.failureRatio ?? 0;
  if (ratio >= t.failureRatioCritical) {
    reasons.push({
      id: 'remote-write-failing',
      severity: 'critical',
      message: `${pct(ratio)} of samples fail to send (${fmt(stats.failedPerSecond ?? 0)}/s; limit ${pct(t.failureRatioCritical)}).`,
      value: ratio,
      threshold: t.failureRatioCritical,
    });
  } else if ((stats.failedPerSecond ?? 0) > 0) {
    reasons.push({
      id: 'remote-write-failing',
      severity: 'warning',
      message: `Some samples fail to send (${fmt(stats.failedPerSecond!)}/s, ${pct(ratio)}).`,
      value: ratio,
      threshold: t.failureRatioCritical,
    });
  }

  const lag = stats.lagSeconds;
  if (lag !== undefined && lag > t.lagWarningSeconds) {
    const critical = lag > t.lagCriticalSeconds;
    reasons.push({
      id: 'remote-write-behind',
      severity: critical ? 'critical' : 'warning',
      message: `Remote write is ${fmt(lag)} s behind the newest sample (limit ${critical ? t.lagCriticalSeconds : t.lagWarningSeconds} s).`,
      value: lag,
      threshold: critical ? t.lagCriticalSeconds : t.lagWarningSeconds,
    });
  }

  const retried = stats.retriedPerSecond ?? 0;
  if (retried > t.retriedPerSecondWarning) {
    reasons.push({
      id: 'remote-write-retrying',
      severity: 'warning',
      message: `Samples are being retried (${fmt(retried, 2)}/s): the receiver failed or was unreachable recently.`,
      value: retried,
      threshold: t.retriedPerSecondWarning,
    });
  }

  const dropped = stats.droppedPerSecond ?? 0;
  if (dropped > t.droppedPerSecondWarning) {
    reasons.push({
      id: 'remote-write-dropping',
      severity: 'warning',
      message: `Samples are dropped before sending (${fmt(dropped, 2)}/s): relabelling or a full WAL.`,
      value: dropped,
      threshold: t.droppedPerSecondWarning,
    });
  }

  const pending = stats.pendingSamples ?? 0;
  if (pending > t.pendingSamplesWarning) {
    reasons.push({
      id: 'remote-write-pending',
      severity: 'warning',
      message: `${fmt(pending)} samples are waiting to be sent (limit ${fmt(t.pendingSamplesWarning)}).`,
      value: pending,
      threshold: t.pendingSamplesWarning,
    });
  }

  if (
    stats.desiredShards !== undefined &&
    stats.maxShards !== undefined &&
    stats.desiredShards > stats.maxShards
  ) {
    reasons.push({
      id: 'remote-write-shards-maxed',
      severity: 'warning',
      message: `The queue wants ${fmt(stats.desiredShards)} shards but may use at most ${fmt(stats.maxShards)}.`,
      value: stats.desiredShards,
      threshold: stats.maxShards,
    });
  }

  return { cluster, state: stateFromReasons(reasons), reasons, stats };
}
