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
import { RuleState, RuleWindows, ruleVerdict } from '../core/ruleClock';

/** One remote-write queue with its conditions now and held over the hold-down window. */
export interface QueueObservation extends QueueStats {
  failureRatioHeld?: number;
  lagHeld?: number;
  /** Desired minus maximum shards (max_over_time on both, as the mixin), now and held. */
  shardsOver?: number;
  shardsOverHeld?: number;
  /** Present when the queue's backlog drains (lag below its recent peak, not growing): the slope, s/s. */
  lagDrainPerSecond?: number;
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
 * Each condition is one rule of the rule clock (core/ruleClock.ts), with the hold window as its
 * `for:`: pending (present, not held yet) is an info reason and healthy; firing is its severity;
 * a backlog that drains after a repair (lag, pending samples, retries) is `recovering`. A
 * condition that grows is never recovering.
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
  const state = rollUpStates([stateFromReasons(reasons), ...problems.states]);
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
 * Each condition as a rule of the rule clock: its severity once held (or `sustained`, for late
 * stats that already lasted), info before, info and recovering while its backlog drains. Collects
 * the health each rule implies.
 */
class RuleJudge {
  readonly states: HealthState[] = [];
  constructor(
    private readonly sustained: boolean,
    private readonly hold: string,
  ) {}

  judge(
    held: boolean,
    severity: ReasonSeverity,
    draining = false,
  ): [ReasonSeverity, string, RuleState] {
    const w: RuleWindows = {
      now: true,
      heldFor: this.sustained || held,
      draining: !this.sustained && draining,
    };
    const v = ruleVerdict(w, severity, this.hold)!;
    this.states.push(v.health);
    return [v.severity, v.note, v.state];
  }
}

/**
 * The mixin-style conditions. With `sustained`, every present condition counts at its severity
 * (late stats); otherwise only those that held over the hold window do.
 */
function problemReasons(
  obs: ClusterObservation,
  t: RemoteWriteThresholds,
  sustained: boolean,
  hold = '',
): { reasons: HealthReason[]; states: HealthState[] } {
  const j = new RuleJudge(sustained, hold);
  // A backlog drains when a queue's lag falls from its recent peak and does not grow.
  const draining = obs.queues.some(q => q.lagDrainPerSecond !== undefined);
  const reasons = [
    ...obs.queues.flatMap(q => [
      queueFailingReason(q, t, j),
      queueBehindReason(q, t, j),
      queueShardsReason(q, j),
    ]),
    retriedReason(obs, t, j, draining),
    droppedReason(obs, t, j),
    pendingReason(obs, t, j, draining),
  ].filter((r): r is HealthReason => r !== undefined);
  return { reasons, states: j.states };
}

/** PrometheusRemoteStorageFailures, per queue. */
function queueFailingReason(
  q: QueueObservation,
  t: RemoteWriteThresholds,
  j: RuleJudge,
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
  j: RuleJudge,
): HealthReason | undefined {
  const lag = q.lagSeconds;
  if (lag === undefined || !(lag > t.lagWarningSeconds)) return undefined;
  const critical = lag > t.lagCriticalSeconds;
  const limit = critical ? t.lagCriticalSeconds : t.lagWarningSeconds;
  const [severity, note] = j.judge(
    (q.lagHeld ?? 0) > limit,
    critical ? 'critical' : 'warning',
    q.lagDrainPerSecond !== undefined,
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
  j: RuleJudge,
): HealthReason | undefined {
  if (q.shardsOver === undefined || !(q.shardsOver > 0)) return undefined;
  // A draining backlog wants more shards: part of the backlog, not a fault of its own.
  const [severity, note] = j.judge(
    (q.shardsOverHeld ?? 0) > 0,
    'warning',
    q.lagDrainPerSecond !== undefined,
  );
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
  j: RuleJudge,
  draining: boolean,
): HealthReason | undefined {
  const retried = obs.stats.retriedPerSecond ?? 0;
  if (!(retried > t.retriedPerSecondWarning)) return undefined;
  const [severity, note, rule] = j.judge(
    (obs.retriedHeld ?? 0) > t.retriedPerSecondWarning,
    'warning',
    draining,
  );
  return {
    id:
      rule === 'draining' ? 'remote-write-recovering' : 'remote-write-retrying',
    severity,
    message: `Samples are being retried (${fmt(retried, 2)}/s): the receiver failed or was unreachable recently${note}.`,
    value: retried,
    threshold: t.retriedPerSecondWarning,
  };
}

function droppedReason(
  obs: ClusterObservation,
  t: RemoteWriteThresholds,
  j: RuleJudge,
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
  j: RuleJudge,
  draining: boolean,
): HealthReason | undefined {
  const pendingSamples = obs.stats.pendingSamples ?? 0;
  if (!(pendingSamples > t.pendingSamplesWarning)) return undefined;
  const [severity, note, rule] = j.judge(
    (obs.pendingHeld ?? 0) > t.pendingSamplesWarning,
    'warning',
    draining,
  );
  return {
    id:
      rule === 'draining' ? 'remote-write-recovering' : 'remote-write-pending',
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
