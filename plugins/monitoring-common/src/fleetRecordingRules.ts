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
  clusterTenants,
  FLEET_QUEUE_SERIES,
  FLEET_TENANT_SERIES,
  FleetQueueSeries,
  FleetTenantSeries,
  newestSample,
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

/** Operation part of each per-queue series' name, for a rate window `w`. */
const QUEUE_NAMES: Record<FleetQueueSeries, (w: string) => string> = {
  delivered: w => `prometheus_remote_storage_samples_delivered:rate${w}`,
  failed: w => `prometheus_remote_storage_samples_failed:rate${w}`,
  failureRatio: w => `prometheus_remote_storage_samples_failed:ratio_rate${w}`,
  retried: w => `prometheus_remote_storage_samples_retried:rate${w}`,
  dropped: w => `prometheus_remote_storage_samples_dropped:rate${w}`,
  pending: () => `prometheus_remote_storage_samples_pending:max`,
  shards: () => `prometheus_remote_storage_shards:max`,
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
  ) as Record<FleetQueueSeries, string>;
  const tenant = Object.fromEntries(
    Object.entries(TENANT_NAMES).map(([k, n]) => [k, `tenant:${n(window)}`]),
  ) as Record<FleetTenantSeries, string>;
  return {
    queue,
    tenant,
    /** Per cluster: the newest sample its agent ingested (the inventory's last seen). */
    lastSeen: `cluster:${S.newestGlobal}:max`,
    /** Per cluster and its agent's tenant (`fleet_tenant`). */
    clusterTenant: `cluster_tenant:${S.newestGlobal}:group`,
    /**
     * `time()` at every evaluation of the group, labelled with its window: the backend's probe
     * (is the group evaluated here, since when, and is it still running).
     */
    heartbeat: 'fleet:fleet_monitoring_recording_rules:time',
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
  const queue = (Object.keys(FLEET_QUEUE_SERIES) as FleetQueueSeries[]).map(
    k => ({ record: names.queue[k], expr: FLEET_QUEUE_SERIES[k](scope) }),
  );
  const tenant = (Object.keys(FLEET_TENANT_SERIES) as FleetTenantSeries[]).map(
    k => ({ record: names.tenant[k], expr: FLEET_TENANT_SERIES[k](o.window) }),
  );
  return {
    name: fleetRecordingGroupName(o.window),
    ...(o.interval ? { interval: o.interval } : {}),
    rules: [
      ...queue,
      { record: names.lastSeen, expr: newestSample(scope) },
      {
        record: names.clusterTenant,
        expr: clusterTenants(scope, undefined, RECORDED_TENANT_LABEL),
      },
      ...tenant,
      {
        record: names.heartbeat,
        expr: 'vector(time())',
        labels: { [RECORDED_WINDOW_LABEL]: o.window },
      },
    ],
  };
}
