/**
 * The fleet recording rules: one Prometheus rule group that records, per cluster and queue, what the
 * fleet summary judges (fleetSeries' expressions, unchanged), so a fleet of 100,000 clusters is read
 * as one pre-aggregated series per queue instead of raw rate()s over every agent series. Evaluated
 * by Thanos Ruler (stateless, remote-writing into Receive) or any Prometheus-compatible ruler; the
 * scaffolder writes the group, the backend reads the names. One home for the names.
 *
 * Names follow the Prometheus convention `level:metric:operations`
 * (https://prometheus.io/docs/practices/rules/): the level is the labels kept (`cluster_queue`,
 * `cluster`, `tenant`), the rate window is part of the operation (`rate5m`), so a backend whose
 * `rateWindow` differs from the group's finds no series and reads the raw ones.
 */
import {
  FLEET_QUEUE_SERIES,
  FLEET_TENANT_SERIES,
  FleetQueueSeries,
  FleetTenantSeries,
  lastSeenByTenant,
  REMOTE_WRITE_SERIES as S,
} from './fleetSeries';

/**
 * Label of the recorded cluster-to-tenant series holding the agent's tenant: Receive stamps what the
 * ruler writes with the ruler's own `tenant_id`, which would hide the agent's.
 * @public
 */
export const RECORDED_TENANT_LABEL = 'fleet_tenant';
/** Label of the heartbeat naming the rate window the group was generated for. @public */
export const RECORDED_WINDOW_LABEL = 'rate_window';
/**
 * How long the recorded inventory keeps a cluster that went quiet: the backend's inventory lookback
 * (a day), so the sticky last-seen series list every cluster seen in it.
 * @public
 */
export const RECORDED_INVENTORY_LOOKBACK = '1d';
/**
 * How far back the sticky series (and the chain's start) read their own previous value: long enough
 * for a ruler restart or a few missed evaluations (and, in Thanos Ruler's stateless mode, the remote
 * write into Receive before the previous value can be read back), short enough that one read of every
 * cluster stays cheap. A ruler gap longer than this restarts the chain.
 * @public
 */
export const RECORDED_CHAIN_BRIDGE = '10m';

/**
 * How far back each evaluation looks for a cluster's newest sample: an agent's samples can arrive
 * late (a backlog drains), and a sample older than an instant read's 5 minutes when it lands would
 * never enter the sticky series. An hour is what a TSDB head still accepts in order (samples older
 * than half its 2 h block range behind its newest are out of bounds: Prometheus tsdb/head_append.go
 * `appendableMinValidTime`, v2.42.0), so Receive without an out-of-order window holds none later. One or two series per cluster.
 */
const NEWEST_SAMPLE_RANGE = '1h';

/** Seconds of a `<n><unit>` duration the constants above use (s, m, h, d). */
function seconds(d: string): number {
  const m = /^(\d+)([smhd])$/.exec(d);
  if (!m) throw new Error(`not a simple duration: ${d}`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's'];
}

/**
 * The per-queue figures the group records: all the fleet summary reads (a queue's shard count is
 * read only by one cluster's card, from the raw series).
 * @public
 */
export type RecordedQueueSeries = Exclude<FleetQueueSeries, 'shards'>;

/**
 * Problems recorded only where they are above 0, as the summary reads them: a healthy queue or
 * tenant writes no series, so reading them costs the few with a problem, not the fleet. Held over
 * the hold window still means a sample at every evaluation (a dense series' minimum above 0).
 */
const ONLY_ABOVE_ZERO: ReadonlySet<RecordedQueueSeries | FleetTenantSeries> =
  new Set([
    'failed',
    'failureRatio',
    'retried',
    'dropped',
    'shardsOver',
    'refused',
  ]);
const aboveZero = (k: RecordedQueueSeries | FleetTenantSeries) =>
  ONLY_ABOVE_ZERO.has(k) ? ' > 0' : '';

/** Operation part of each per-queue series' name, for a rate window `w`. */
const QUEUE_NAMES: Record<RecordedQueueSeries, (w: string) => string> = {
  delivered: w => `prometheus_remote_storage_samples_delivered:rate${w}`,
  failed: w => `prometheus_remote_storage_samples_failed:rate${w}`,
  failureRatio: w => `prometheus_remote_storage_samples_failed:ratio_rate${w}`,
  retried: w => `prometheus_remote_storage_samples_retried:rate${w}`,
  dropped: w => `prometheus_remote_storage_samples_dropped:rate${w}`,
  pending: () => `prometheus_remote_storage_samples_pending:max`,
  shardsMax: w => `prometheus_remote_storage_shards_max:max_over_time${w}`,
  shardsOver: w =>
    `prometheus_remote_storage_shards_desired_over_max:max_over_time${w}`,
  lag: w => `prometheus_remote_storage_lag_seconds:max_over_time${w}`,
};
const TENANT_NAMES: Record<FleetTenantSeries, (w: string) => string> = {
  accepted: w => `thanos_receive_write_samples_accepted:rate${w}`,
  refused: w => `thanos_receive_head_series_limited_requests:rate${w}`,
};

/**
 * The recorded series' names for one rate window.
 * @public
 */
export function recordedFleetSeries(window: string) {
  const queue = Object.fromEntries(
    Object.entries(QUEUE_NAMES).map(([k, n]) => [
      k,
      `cluster_queue:${n(window)}`,
    ]),
  ) as Record<RecordedQueueSeries, string>;
  const tenant = Object.fromEntries(
    Object.entries(TENANT_NAMES).map(([k, n]) => [k, `tenant:${n(window)}`]),
  ) as Record<FleetTenantSeries, string>;
  return {
    queue,
    tenant,
    /**
     * Per cluster and its agent's tenant (`fleet_tenant`): the newest sample the agent ingested (the
     * inventory's last seen), kept after the cluster went quiet until it is older than the inventory
     * lookback (sticky: one read lists every cluster seen in the lookback, with its tenant).
     */
    lastSeen: `cluster_tenant:${S.newestGlobal}:max_last_over_time${RECORDED_INVENTORY_LOOKBACK}`,
    /**
     * `time()` at every evaluation of the group, labelled with its window: the backend's probe
     * (is the group evaluated here, since when, and is it still running).
     */
    heartbeat: 'fleet:fleet_monitoring_recording_rules:time',
    /**
     * Since when the sticky series' chain has been unbroken (epoch s; no ruler gap longer than
     * RECORDED_CHAIN_BRIDGE), labelled with the window like the heartbeat: the sticky series cover
     * the clusters seen since then, the backend reads the raw series for the lookback before it.
     */
    unbrokenSince: 'fleet:fleet_monitoring_recording_rules:unbroken_since',
  };
}

/** The recorded series' names for one rate window (recordedFleetSeries). @public */
export type RecordedFleetSeries = ReturnType<typeof recordedFleetSeries>;

/** One rule of a Prometheus rule group. @public */
export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

/** A Prometheus rule group (a `groups:` entry of a rule file, or of a PrometheusRule's spec). @public */
export interface RecordingRuleGroup {
  name: string;
  interval?: string;
  rules: RecordingRule[];
}

/** What the fleet rule group is generated for. @public */
export interface FleetRecordingRulesOptions {
  /** The cluster label of the agents' series (the backend's `clusterLabel`). */
  clusterLabel: string;
  /** The backend's `rateWindow`: the range of every rate() and max_over_time(). */
  window: string;
  /** Evaluation interval of the group; the ruler's default when absent. */
  interval?: string;
}

/** Name of the fleet rule group for a rate window. @public */
export function fleetRecordingGroupName(window: string): string {
  return `fleet-monitoring-remote-write-${window}`;
}

/**
 * The rule group recording what the fleet summary reads, for one cluster label and rate window.
 * Each expression is the one the raw summary query wraps (fleetSeries).
 * @public
 */
export function fleetRecordingRuleGroup(
  o: FleetRecordingRulesOptions,
): RecordingRuleGroup {
  const names = recordedFleetSeries(o.window);
  const scope = { clusterLabel: o.clusterLabel, window: o.window };
  const queue = (Object.keys(QUEUE_NAMES) as RecordedQueueSeries[]).map(k => ({
    record: names.queue[k],
    expr: `${FLEET_QUEUE_SERIES[k](scope)}${aboveZero(k)}`,
  }));
  const tenant = (Object.keys(FLEET_TENANT_SERIES) as FleetTenantSeries[]).map(
    k => ({
      record: names.tenant[k],
      expr: `${FLEET_TENANT_SERIES[k](o.window)}${aboveZero(k)}`,
    }),
  );
  return {
    name: fleetRecordingGroupName(o.window),
    ...(o.interval ? { interval: o.interval } : {}),
    rules: [
      ...queue,
      ...stickyInventory(o.clusterLabel, o.window),
      ...tenant,
      {
        record: names.heartbeat,
        expr: 'vector(time())',
        labels: { [RECORDED_WINDOW_LABEL]: o.window },
      },
    ],
  };
}

/**
 * The inventory's rules, "sticky" over the lookback: each evaluation writes the raw newest sample of
 * the clusters reporting now (within NEWEST_SAMPLE_RANGE, so late ones too) with their tenant, or
 * else the rule's own previous value (read back over the bridge) while it is younger than the
 * lookback. So one read of the last value lists every cluster seen in the lookback, when and under
 * which tenant, whatever the ruler's age (a range read over the whole day costs a sample per
 * evaluation per cluster: 576 M at 100,000 clusters), and each evaluation reads the raw series once.
 *
 * A rule reading its own output is legal: the rule manager evaluates a group's rules one after the
 * other and commits each rule's samples before the next (Prometheus rules/manager.go `Group.Eval`,
 * v2.42.0), its query function reading the same storage (cmd/prometheus/main.go: QueryFunc over the
 * fanout storage). Thanos Ruler in stateless mode (v0.35.1 docs/components/rule.md, "Stateless Ruler
 * via Remote Write"; cmd/thanos/rule.go `queryFuncCreator`) asks Thanos Query, deduplicated, and
 * writes through Receive: it reads back the previous evaluation once written, with the labels
 * Receive adds, hence the bridge and the `by` aggregation dropping any label but ours. A series that
 * leaves gets a stale marker, which range reads skip.
 */
function stickyInventory(
  clusterLabel: string,
  window: string,
): RecordingRule[] {
  const names = recordedFleetSeries(window);
  const scope = { clusterLabel, window };
  const c = clusterLabel;
  const bridge = RECORDED_CHAIN_BRIDGE;
  const keepAfter = `time() - ${seconds(RECORDED_INVENTORY_LOOKBACK)}`;
  const own = `max by (${c}, ${RECORDED_TENANT_LABEL}) (last_over_time(${names.lastSeen}[${bridge}]))`;
  const windowLabel = `${RECORDED_WINDOW_LABEL}=${JSON.stringify(window)}`;
  const recent = (selector: string) =>
    `last_over_time(${selector}[${NEWEST_SAMPLE_RANGE}])`;
  return [
    {
      record: names.lastSeen,
      // `or on (cluster)`: a cluster reporting now takes its raw value and tenant (a new tenant
      // drops the old); the rest keep theirs while young.
      expr: `${lastSeenByTenant(scope, recent, RECORDED_TENANT_LABEL)} or on (${c}) (${own} > ${keepAfter})`,
    },
    {
      record: names.unbrokenSince,
      // Its own previous value while the chain holds; restarted at this evaluation after a gap.
      expr: `max(last_over_time(${names.unbrokenSince}{${windowLabel}}[${bridge}])) or vector(time())`,
      labels: { [RECORDED_WINDOW_LABEL]: window },
    },
  ];
}
