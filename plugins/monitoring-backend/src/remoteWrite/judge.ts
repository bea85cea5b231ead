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
  const { stats } = obs;
  const age =
    stats.lastSeen === undefined
      ? undefined
      : Math.max(0, nowSeconds - stats.lastSeen);
  const refused = tenantRefusedReason(stats);
  const reasons: HealthReason[] = refused ? [refused] : [];
  if (age === undefined || age > t.staleAfterSeconds)
    return silentClusterHealth(obs, t, opts, age, reasons, Boolean(refused));
  const problems = problemReasons(obs, t, false, opts.hold);
  reasons.push(...problems.reasons);
  const state = rollUpStates([
    stateFromReasons(reasons),
    problems.pending ? 'recovering' : 'healthy',
  ]);
  return {
    cluster: obs.cluster,
    stats,
    knownFrom: obs.knownFrom,
    state,
    reasons,
  };
}

/** Thanos Receive refusing the cluster's tenant with 429 (its head-series limit). */
function tenantRefusedReason(
  stats: RemoteWriteStats,
): HealthReason | undefined {
  if (!((stats.tenantRefusedPerSecond ?? 0) > 0)) return undefined;
  const arriving = (stats.tenantSamplesPerSecond ?? 0) > 0;
  return {
    id: 'tenant-over-limit',
    severity: arriving ? 'warning' : 'critical',
    message: `Thanos Receive refuses ${fmt(stats.tenantRefusedPerSecond!, 2)} write requests/s of this cluster's tenant with 429: the tenant is above its head-series limit${arriving ? ' (some writes still succeed)' : ''}.`,
    value: stats.tenantRefusedPerSecond,
    hint: "Raise the tenant's head_series_limit in the receive limits config, or drop series with write_relabel_configs. Prometheus 2 and 3 alike drop 429-refused samples (counted as failed) unless queue_config.retry_on_http_429 is true.",
  };
}

/**
 * A cluster whose self-metrics are older than the stale limit (or absent): lagging when its tenant
 * still receives samples, refused when Receive answers 429, otherwise no data.
 */
function silentClusterHealth(
  obs: ClusterObservation,
  t: RemoteWriteThresholds,
  opts: JudgeOptions,
  silentFor: number | undefined,
  reasons: HealthReason[],
  refused: boolean,
): ClusterHealth {
  const { cluster, stats } = obs;
  const base = { cluster, stats, knownFrom: obs.knownFrom };
  const statsOut: RemoteWriteStats = {
    ...stats,
    ...(silentFor !== undefined
      ? { silentForSeconds: Math.round(silentFor) }
      : {}),
  };
  const arriving = (stats.tenantSamplesPerSecond ?? 0) > 0;
  if (arriving && !refused) {
    // Lagging, not dead: samples still arrive, just older than an instant query looks back.
    const lag = Math.max(silentFor ?? 0, stats.lagSeconds ?? 0);
    reasons.push(behindSilentReason(stats, t, opts, silentFor, lag));
    // What the last known self-metrics said, judged without hold-down (they already lasted this long).
    reasons.push(...problemReasons(obs, t, true).reasons);
    return {
      ...base,
      stats: { ...statsOut, lagSeconds: lag },
      state: stateFromReasons(reasons),
      reasons,
    };
  }
  if (refused)
    return {
      ...base,
      stats: statsOut,
      state: stateFromReasons(reasons),
      reasons,
    };
  reasons.push(silenceReason(obs, t, opts, silentFor));
  return { ...base, stats: statsOut, state: 'no-data', reasons };
}

function behindSilentReason(
  stats: RemoteWriteStats,
  t: RemoteWriteThresholds,
  opts: JudgeOptions,
  silentFor: number | undefined,
  lag: number,
): HealthReason {
  return {
    id: 'remote-write-behind',
    severity: 'critical',
    message:
      silentFor === undefined
        ? `Samples arrive for this cluster's tenant (${fmt(stats.tenantSamplesPerSecond!)}/s) but none of its remote-write metrics is newer than ${opts.lookback}: remote write is far behind.`
        : `Remote write is about ${fmtAge(lag)} behind: the newest samples arriving now are that old, while the receivers still accept ${fmt(stats.tenantSamplesPerSecond!)} samples/s for its tenant.`,
    value: lag,
    threshold: t.lagCriticalSeconds,
    hint: "Check the agent's remote_write queue (shards, retries, failures) and the network path to Thanos Receive.",
  };
}

/** Nothing of the cluster arrives: never seen in the inventory, or silent for longer than the limit. */
function silenceReason(
  obs: ClusterObservation,
  t: RemoteWriteThresholds,
  opts: JudgeOptions,
  silentFor: number | undefined,
): HealthReason {
  if (silentFor === undefined)
    return {
      id: 'cluster-never-seen',
      severity: 'warning',
      message: `No remote-write metrics from cluster "${obs.cluster}" in the last ${opts.lookback}, and no samples arrive for it (known from ${obs.knownFrom.join(' and ')}).`,
      hint: 'Is the agent deployed and running, and does its external label match the cluster name?',
    };
  return {
    id: 'cluster-no-data',
    severity: 'warning',
    message: `No remote-write metrics from cluster "${obs.cluster}" for ${fmtAge(silentFor)} (limit ${fmtAge(t.staleAfterSeconds)}), and the receivers see no samples from it.`,
    value: silentFor,
    threshold: t.staleAfterSeconds,
    hint: 'Is the agent running, and can it reach Thanos Receive?',
  };
}

/**
 * Severity of a condition by whether it held over the hold window (the mixin's `for:`): at its
 * severity when held (or `sustained`, for late stats that already lasted), otherwise info with a
 * "not yet" note, and the cluster counts as pending (recovering).
 */
class HoldJudge {
  pending = false;
  constructor(
    private readonly sustained: boolean,
    private readonly hold: string,
  ) {}

  judge(held: boolean, severity: ReasonSeverity): [ReasonSeverity, string] {
    if (this.sustained || held) return [severity, ''];
    this.pending = true;
    return ['info', ` (not yet for ${this.hold}, the hold-down)`];
  }
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
  const j = new HoldJudge(sustained, hold);
  const reasons = [
    ...obs.queues.flatMap(q => [
      queueFailingReason(q, t, j),
      queueBehindReason(q, t, j),
      queueShardsReason(q, j),
    ]),
    retriedReason(obs, t, j),
    droppedReason(obs, t, j),
    pendingReason(obs, t, j),
  ].filter((r): r is HealthReason => r !== undefined);
  return { reasons, pending: j.pending };
}

/** PrometheusRemoteStorageFailures, per queue. */
function queueFailingReason(
  q: QueueObservation,
  t: RemoteWriteThresholds,
  j: HoldJudge,
): HealthReason | undefined {
  const ratio = q.failureRatio ?? 0;
  if (!(ratio > 0 || (q.failedPerSecond ?? 0) > 0)) return undefined;
  const critical = ratio >= t.failureRatioCritical;
  const heldOver =
    (q.failureRatioHeld ?? 0) >=
    (critical ? t.failureRatioCritical : Number.MIN_VALUE);
  const [severity, note] = j.judge(heldOver, critical ? 'critical' : 'warning');
  return {
    id: 'remote-write-failing',
    severity,
    message: `${queueName(q)}: ${pct(ratio)} of samples fail to send${q.failedPerSecond !== undefined ? ` (${fmt(q.failedPerSecond)}/s)` : ''}; limit ${pct(t.failureRatioCritical)}${note}.`,
    value: ratio,
    threshold: t.failureRatioCritical,
    hint: "Failed samples were refused for good and are not retried: a 4xx answer, including 429 with the default retry_on_http_429: false. Network errors and 5xx are retried (see retries), not failed. Check the queue's URL, credentials and the receiver's answer.",
  };
}

/** PrometheusRemoteWriteBehind, per queue. */
function queueBehindReason(
  q: QueueObservation,
  t: RemoteWriteThresholds,
  j: HoldJudge,
): HealthReason | undefined {
  const lag = q.lagSeconds;
  if (lag === undefined || !(lag > t.lagWarningSeconds)) return undefined;
  const critical = lag > t.lagCriticalSeconds;
  const limit = critical ? t.lagCriticalSeconds : t.lagWarningSeconds;
  const [severity, note] = j.judge(
    (q.lagHeld ?? 0) > limit,
    critical ? 'critical' : 'warning',
  );
  return {
    id: 'remote-write-behind',
    severity,
    message: `${queueName(q)} is ${fmt(lag)} s behind the newest sample (limit ${limit} s)${note}.`,
    value: lag,
    threshold: limit,
  };
}

/** PrometheusRemoteWriteDesiredShards: the queue against its own maximum. */
function queueShardsReason(
  q: QueueObservation,
  j: HoldJudge,
): HealthReason | undefined {
  if (q.shardsOver === undefined || !(q.shardsOver > 0)) return undefined;
  const [severity, note] = j.judge((q.shardsOverHeld ?? 0) > 0, 'warning');
  return {
    id: 'remote-write-shards-maxed',
    severity,
    message: `${queueName(q)} wants ${fmt(q.desiredShards ?? (q.maxShards ?? 0) + q.shardsOver)} shards but may use at most ${fmt(q.maxShards ?? 0)}${note}.`,
    value: q.desiredShards,
    threshold: q.maxShards,
    hint: 'Raise queue_config.max_shards for this queue, or find why sending is slow.',
  };
}

function retriedReason(
  obs: ClusterObservation,
  t: RemoteWriteThresholds,
  j: HoldJudge,
): HealthReason | undefined {
  const retried = obs.stats.retriedPerSecond ?? 0;
  if (!(retried > t.retriedPerSecondWarning)) return undefined;
  const [severity, note] = j.judge(
    (obs.retriedHeld ?? 0) > t.retriedPerSecondWarning,
    'warning',
  );
  return {
    id:
      severity === 'info' ? 'remote-write-recovering' : 'remote-write-retrying',
    severity,
    message: `Samples are being retried (${fmt(retried, 2)}/s): the receiver failed or was unreachable recently${note}.`,
    value: retried,
    threshold: t.retriedPerSecondWarning,
  };
}

function droppedReason(
  obs: ClusterObservation,
  t: RemoteWriteThresholds,
  j: HoldJudge,
): HealthReason | undefined {
  const dropped = obs.stats.droppedPerSecond ?? 0;
  if (!(dropped > t.droppedPerSecondWarning)) return undefined;
  const [severity, note] = j.judge(
    (obs.droppedHeld ?? 0) > t.droppedPerSecondWarning,
    'warning',
  );
  return {
    id: 'remote-write-dropping',
    severity,
    message: `Samples are dropped before sending (${fmt(dropped, 2)}/s): relabelling or a full WAL${note}.`,
    value: dropped,
    threshold: t.droppedPerSecondWarning,
  };
}

function pendingReason(
  obs: ClusterObservation,
  t: RemoteWriteThresholds,
  j: HoldJudge,
): HealthReason | undefined {
  const pendingSamples = obs.stats.pendingSamples ?? 0;
  if (!(pendingSamples > t.pendingSamplesWarning)) return undefined;
  const [severity, note] = j.judge(
    (obs.pendingHeld ?? 0) > t.pendingSamplesWarning,
    'warning',
  );
  return {
    id:
      severity === 'info' ? 'remote-write-recovering' : 'remote-write-pending',
    severity,
    message: `${fmt(pendingSamples)} samples are waiting to be sent (limit ${fmt(t.pendingSamplesWarning)})${note}.`,
    value: pendingSamples,
    threshold: t.pendingSamplesWarning,
  };
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
