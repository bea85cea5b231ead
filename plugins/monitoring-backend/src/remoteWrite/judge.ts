import {
  ClusterHealth,
  ClusterSource,
  HealthReason,
  HealthState,
  QueueStats,
  RemoteWriteStats,
  ReasonSeverity,
  rollUpStates,
  stateFromReasons,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { RemoteWriteThresholds } from '../config';
import { fmt, pct } from '../core/format';

/** One remote-write queue with its conditions now and held over the hold-down window. */
export interface QueueObservation extends QueueStats {
  failureRatioHeld?: number;
  lagHeld?: number;
  /** Desired minus maximum shards (max_over_time on both, as the mixin), now and held. */
  shardsOver?: number;
  shardsOverHeld?: number;
}

/** What the central side knows of one cluster, before judging it. */
export interface ClusterObservation {
  cluster: string;
  stats: RemoteWriteStats;
  queues: QueueObservation[];
  retriedHeld?: number;
  droppedHeld?: number;
  pendingHeld?: number;
  knownFrom: ClusterSource[];
}

export interface JudgeOptions {
  /** Hold-down window, e.g. `15m` (for messages) and in seconds. */
  hold: string;
  /** Inventory lookback, e.g. `1d` (for messages). */
  lookback: string;
}

const queueName = (q: QueueStats) => `queue "${q.name}"`;

/**
 * Remote-write health of one cluster, after the Prometheus mixin's alerts:
 * PrometheusRemoteStorageFailures (failure ratio per queue), PrometheusRemoteWriteBehind (lag per
 * queue), PrometheusRemoteWriteDesiredShards (each queue against its own maximum), plus retries,
 * drops and pending samples.
 *
 * Hold-down like the mixin's `for:`: a condition raises its severity only when it held over the
 * whole hold window. A condition that is present now but has not held yet (a blip, a backlog
 * draining after an outage) is reported with severity info and the state `recovering`.
 *
 * Silence: the agent's self-metrics travel through the queue they describe, so a heavily lagging
 * agent and a dead one both look silent. The receivers' per-tenant write metrics tell them apart:
 * samples still arriving for the tenant mean "falling behind" (failing, with the last known reasons);
 * nothing arriving means no-data; samples refused with 429 mean the tenant is over its limit.
 */
export function evaluateRemoteWrite(
  obs: ClusterObservation,
  t: RemoteWriteThresholds,
  nowSeconds: number,
  opts: JudgeOptions,
): ClusterHealth {
  const { cluster, stats } = obs;
  const reasons: HealthReason[] = [];
  const base = { cluster, stats, knownFrom: obs.knownFrom };
  const age =
    stats.lastSeen === undefined
      ? undefined
      : Math.max(0, nowSeconds - stats.lastSeen);
  const arriving = (stats.tenantSamplesPerSecond ?? 0) > 0;
  const refused = (stats.tenantRefusedPerSecond ?? 0) > 0;

  if (refused) {
    reasons.push({
      id: 'tenant-over-limit',
      severity: arriving ? 'warning' : 'critical',
      message: `Thanos Receive refuses ${fmt(stats.tenantRefusedPerSecond!, 2)} write requests/s of this cluster's tenant with 429: the tenant is above its head-series limit${arriving ? ' (some writes still succeed)' : ''}.`,
      value: stats.tenantRefusedPerSecond,
      hint: "Raise the tenant's head_series_limit in the receive limits config, or drop series with write_relabel_configs. Prometheus 2 and 3 alike drop 429-refused samples (counted as failed) unless queue_config.retry_on_http_429 is true.",
    });
  }

  if (age === undefined || age > t.staleAfterSeconds) {
    const silentFor = age;
    const statsOut: RemoteWriteStats = {
      ...stats,
      ...(silentFor !== undefined
        ? { silentForSeconds: Math.round(silentFor) }
        : {}),
    };
    if (arriving && !refused) {
      // Lagging, not dead: samples still arrive, just older than an instant query looks back.
      const lag = Math.max(silentFor ?? 0, stats.lagSeconds ?? 0);
      reasons.push({
        id: 'remote-write-behind',
        severity: 'critical',
        message:
          silentFor === undefined
            ? `Samples arrive for this cluster's tenant (${fmt(stats.tenantSamplesPerSecond!)}/s) but none of its remote-write metrics is newer than ${opts.lookback}: remote write is far behind.`
            : `Remote write is about ${fmtAge(lag)} behind: the newest samples arriving now are that old, while the receivers still accept ${fmt(stats.tenantSamplesPerSecond!)} samples/s for its tenant.`,
        value: lag,
        threshold: t.lagCriticalSeconds,
        hint: "Check the agent's remote_write queue (shards, retries, failures) and the network path to Thanos Receive.",
      });
      // What the last known self-metrics said, judged without hold-down (they already lasted this long).
      reasons.push(...problemReasons(obs, t, true).reasons);
      return {
        ...base,
        stats: { ...statsOut, lagSeconds: lag },
        state: stateFromReasons(reasons),
        reasons,
      };
    }
    if (refused) {
      return {
        ...base,
        stats: statsOut,
        state: stateFromReasons(reasons),
        reasons,
      };
    }
    reasons.push(
      silentFor === undefined
        ? {
            id: 'cluster-never-seen',
            severity: 'warning',
            message: `No remote-write metrics from cluster "${cluster}" in the last ${opts.lookback}, and no samples arrive for it (known from ${obs.knownFrom.join(' and ')}).`,
            hint: 'Is the agent deployed and running, and does its external label match the cluster name?',
          }
        : {
            id: 'cluster-no-data',
            severity: 'warning',
            message: `No remote-write metrics from cluster "${cluster}" for ${fmtAge(silentFor)} (limit ${fmtAge(t.staleAfterSeconds)}), and the receivers see no samples from it.`,
            value: silentFor,
            threshold: t.staleAfterSeconds,
            hint: 'Is the agent running, and can it reach Thanos Receive?',
          },
    );
    return { ...base, stats: statsOut, state: 'no-data', reasons };
  }

  const problems = problemReasons(obs, t, false, opts.hold);
  reasons.push(...problems.reasons);
  const state = rollUpStates([
    stateFromReasons(reasons),
    problems.pending ? 'recovering' : 'healthy',
  ]);
  return { ...base, state, reasons };
}

/**
 * The mixin-style conditions. With `sustained`, every present condition counts at its severity
 * (late stats); otherwise only those that held over the hold window do, and the rest are `pending`.
 */
function problemReasons(
  obs: ClusterObservation,
  t: RemoteWriteThresholds,
  sustained: boolean,
  hold = '',
): { reasons: HealthReason[]; pending: boolean } {
  const reasons: HealthReason[] = [];
  let pending = false;
  const notYet = ` (not yet for ${hold}, the hold-down)`;
  /** Severity by whether the condition held; info and `pending` when only present now. */
  const judge = (
    heldValue: number | undefined,
    severity: ReasonSeverity,
  ): [ReasonSeverity, string] => {
    if (sustained || (heldValue ?? 0) > 0) return [severity, ''];
    pending = true;
    return ['info', notYet];
  };
  const { stats } = obs;

  for (const q of obs.queues) {
    const ratio = q.failureRatio ?? 0;
    if (ratio > 0 || (q.failedPerSecond ?? 0) > 0) {
      const critical = ratio >= t.failureRatioCritical;
      const heldOver =
        (q.failureRatioHeld ?? 0) >=
        (critical ? t.failureRatioCritical : Number.MIN_VALUE);
      const [severity, note] = judge(
        heldOver ? 1 : 0,
        critical ? 'critical' : 'warning',
      );
      reasons.push({
        id: 'remote-write-failing',
        severity,
        message: `${queueName(q)}: ${pct(ratio)} of samples fail to send${q.failedPerSecond !== undefined ? ` (${fmt(q.failedPerSecond)}/s)` : ''}; limit ${pct(t.failureRatioCritical)}${note}.`,
        value: ratio,
        threshold: t.failureRatioCritical,
        hint: "Failed samples were refused for good and are not retried: a 4xx answer, including 429 with the default retry_on_http_429: false. Network errors and 5xx are retried (see retries), not failed. Check the queue's URL, credentials and the receiver's answer.",
      });
    }
    const lag = q.lagSeconds;
    if (lag !== undefined && lag > t.lagWarningSeconds) {
      const critical = lag > t.lagCriticalSeconds;
      const limit = critical ? t.lagCriticalSeconds : t.lagWarningSeconds;
      const [severity, note] = judge(
        (q.lagHeld ?? 0) > limit ? 1 : 0,
        critical ? 'critical' : 'warning',
      );
      reasons.push({
        id: 'remote-write-behind',
        severity,
        message: `${queueName(q)} is ${fmt(lag)} s behind the newest sample (limit ${limit} s)${note}.`,
        value: lag,
        threshold: limit,
      });
    }
    if (q.shardsOver !== undefined && q.shardsOver > 0) {
      const [severity, note] = judge(q.shardsOverHeld, 'warning');
      reasons.push({
        id: 'remote-write-shards-maxed',
        severity,
        message: `${queueName(q)} wants ${fmt(q.desiredShards ?? (q.maxShards ?? 0) + q.shardsOver)} shards but may use at most ${fmt(q.maxShards ?? 0)}${note}.`,
        value: q.desiredShards,
        threshold: q.maxShards,
        hint: 'Raise queue_config.max_shards for this queue, or find why sending is slow.',
      });
    }
  }

  const retried = stats.retriedPerSecond ?? 0;
  if (retried > t.retriedPerSecondWarning) {
    const [severity, note] = judge(
      (obs.retriedHeld ?? 0) > t.retriedPerSecondWarning ? 1 : 0,
      'warning',
    );
    reasons.push({
      id:
        severity === 'info'
          ? 'remote-write-recovering'
          : 'remote-write-retrying',
      severity,
      message: `Samples are being retried (${fmt(retried, 2)}/s): the receiver failed or was unreachable recently${note}.`,
      value: retried,
      threshold: t.retriedPerSecondWarning,
    });
  }
  const dropped = stats.droppedPerSecond ?? 0;
  if (dropped > t.droppedPerSecondWarning) {
    const [severity, note] = judge(
      (obs.droppedHeld ?? 0) > t.droppedPerSecondWarning ? 1 : 0,
      'warning',
    );
    reasons.push({
      id: 'remote-write-dropping',
      severity,
      message: `Samples are dropped before sending (${fmt(dropped, 2)}/s): relabelling or a full WAL${note}.`,
      value: dropped,
      threshold: t.droppedPerSecondWarning,
    });
  }
  const pendingSamples = stats.pendingSamples ?? 0;
  if (pendingSamples > t.pendingSamplesWarning) {
    const [severity, note] = judge(
      (obs.pendingHeld ?? 0) > t.pendingSamplesWarning ? 1 : 0,
      'warning',
    );
    reasons.push({
      id:
        severity === 'info'
          ? 'remote-write-recovering'
          : 'remote-write-pending',
      severity,
      message: `${fmt(pendingSamples)} samples are waiting to be sent (limit ${fmt(t.pendingSamplesWarning)})${note}.`,
      value: pendingSamples,
      threshold: t.pendingSamplesWarning,
    });
  }
  return { reasons, pending };
}

function fmtAge(seconds: number): string {
  if (seconds >= 2 * 86400) return `${fmt(seconds / 86400)} d`;
  if (seconds >= 2 * 3600) return `${fmt(seconds / 3600)} h`;
  if (seconds >= 120) return `${fmt(seconds / 60)} min`;
  return `${fmt(seconds)} s`;
}

/** The state to show while the upstream is down: unknown, remembering what it was. */
export function unknownFromLastKnown(
  c: ClusterHealth,
  reason: HealthReason,
): ClusterHealth {
  const lastKnownState: HealthState =
    c.state === 'unknown' ? (c.lastKnownState ?? 'unknown') : c.state;
  return {
    ...c,
    state: 'unknown',
    lastKnownState,
    reasons: [
      reason,
      ...c.reasons
        .filter(r => !r.id.startsWith('upstream-'))
        .map(r => ({ ...r, severity: 'info' as const })),
    ],
  };
}
