import {
  escapeLabelValue,
  formatMatchers,
  LabelMatcher,
} from '@fleet-monitoring/plugin-monitoring-common';

/**
 * Every PromQL expression the backend sends is built here. Label values only enter through
 * `escapeLabelValue`/`formatMatchers`; label names and windows are validated at config load.
 *
 * Several signals travel in one query: each is tagged with a `signal` label via label_replace and
 * the results are joined with `or`. So the fleet summary is a fixed, small number of queries for any
 * number of clusters (never one per cluster).
 */

// Not a reserved `__` name: Prometheus may drop those from results.
export const SIGNAL_LABEL = 'fleet_monitoring_signal';

export interface QueryScope {
  clusterLabel: string;
  window: string;
  /** Restrict to one cluster (detail view); all clusters when absent. */
  cluster?: string;
}

function tag(expr: string, signal: string): string {
  return `label_replace(${expr}, "${SIGNAL_LABEL}", "${signal}", "", "")`;
}

function join(parts: Array<[string, string]>): string {
  return parts.map(([signal, expr]) => tag(expr, signal)).join('\nor\n');
}

function sel(scope: QueryScope, extra = ''): string {
  const m = scope.cluster !== undefined ? `${scope.clusterLabel}=${escapeLabelValue(scope.cluster)}` : '';
  return `{${[m, extra].filter(Boolean).join(',')}}`;
}

/** Newer Prometheus names first, older ones as fallback (both exist in the wild). */
function rateOf(scope: QueryScope, names: string[]): string {
  return names.map(n => `rate(${n}${sel(scope)}[${scope.window}])`).join(' or ');
}

const SENT = ['prometheus_remote_storage_samples_total', 'prometheus_remote_storage_succeeded_samples_total'];
const FAILED = ['prometheus_remote_storage_samples_failed_total', 'prometheus_remote_storage_failed_samples_total'];
const RETRIED = ['prometheus_remote_storage_samples_retried_total', 'prometheus_remote_storage_retried_samples_total'];
const DROPPED = ['prometheus_remote_storage_samples_dropped_total', 'prometheus_remote_storage_dropped_samples_total'];

/** When each cluster's agent last reported its remote-write state (1 h lookback finds silent ones). */
export function inventoryQuery(scope: QueryScope): string {
  const by = `max by (${scope.clusterLabel})`;
  return join([
    [
      'last_seen',
      `${by} (last_over_time(prometheus_remote_storage_highest_timestamp_in_seconds${sel(scope)}[1h]) or last_over_time(prometheus_remote_storage_queue_highest_timestamp_seconds${sel(scope)}[1h]))`,
    ],
  ]);
}

/** Per-cluster throughput and error rates (Prometheus mixin PrometheusRemoteStorageFailures). */
export function ratesQuery(scope: QueryScope): string {
  const sum = `sum by (${scope.clusterLabel})`;
  const sent = rateOf(scope, SENT);
  const failed = rateOf(scope, FAILED);
  return join([
    ['sent', `${sum} (${sent})`],
    ['failed', `${sum} (${failed})`],
    ['retried', `${sum} (${rateOf(scope, RETRIED)})`],
    ['dropped', `${sum} (${rateOf(scope, DROPPED)})`],
    // Worst queue of the cluster: one broken queue next to a healthy one must still show.
    ['failure_ratio', `max by (${scope.clusterLabel}) ((${failed}) / ((${failed}) + (${sent})))`],
  ]);
}

/**
 * Lag after the mixin's PrometheusRemoteWriteBehind: newest ingested vs newest sent timestamp. Newer
 * Prometheus has a per-queue `queue_highest_timestamp_seconds`; older ones only the global gauge.
 */
function lagExpr(scope: QueryScope): string {
  const w = scope.window;
  const sent = `max_over_time(prometheus_remote_storage_queue_highest_sent_timestamp_seconds${sel(scope)}[${w}])`;
  const newer = `max_over_time(prometheus_remote_storage_queue_highest_timestamp_seconds${sel(scope)}[${w}]) - ${sent}`;
  const older = `max_over_time(prometheus_remote_storage_highest_timestamp_in_seconds${sel(scope)}[${w}]) - ignoring(remote_name, url) group_right ${sent}`;
  return `(${newer}) or (${older})`;
}

/** Queue state gauges (pending, shards after PrometheusRemoteWriteDesiredShards) and lag. */
export function gaugesQuery(scope: QueryScope): string {
  const max = `max by (${scope.clusterLabel})`;
  return join([
    ['pending', `sum by (${scope.clusterLabel}) (prometheus_remote_storage_samples_pending${sel(scope)})`],
    ['shards', `${max} (prometheus_remote_storage_shards${sel(scope)})`],
    ['shards_desired', `${max} (max_over_time(prometheus_remote_storage_shards_desired${sel(scope)}[${scope.window}]))`],
    ['shards_max', `${max} (prometheus_remote_storage_shards_max${sel(scope)})`],
    ['lag', `${max} (${lagExpr(scope)})`],
  ]);
}

/** Time series for one cluster's graphs, all in one range query. */
export function clusterSeriesQuery(scope: QueryScope & { cluster: string }): string {
  const max = `max by (${scope.clusterLabel})`;
  const sum = `sum by (${scope.clusterLabel})`;
  return join([
    ['lag', `${max} (${lagExpr(scope)})`],
    ['sent', `${sum} (${rateOf(scope, SENT)})`],
    ['failed', `${sum} (${rateOf(scope, FAILED)})`],
    ['retried', `${sum} (${rateOf(scope, RETRIED)})`],
  ]);
}

/** Thanos Receive signals after the Thanos mixin's ThanosReceive* alerts, for a component selector. */
export function receiveQuery(matchers: LabelMatcher[], window: string): string {
  const s = formatMatchers(matchers);
  const rate = (metric: string, extra = '') =>
    `sum(rate(${metric}{${[s, extra].filter(Boolean).join(',')}}[${window}]))`;
  return join([
    ['up', `sum(up{${s}})`],
    ['http_error_ratio', `${rate('http_requests_total', 'handler="receive",code=~"5.."')} / ${rate('http_requests_total', 'handler="receive"')}`],
    ['p99_latency', `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{${s},handler="receive"}[${window}])))`],
    ['replication_error_ratio', `${rate('thanos_receive_replications_total', 'result="error"')} / ${rate('thanos_receive_replications_total')}`],
    ['forward_error_ratio', `${rate('thanos_receive_forward_requests_total', 'result="error"')} / ${rate('thanos_receive_forward_requests_total')}`],
    ['hashring_file_errors', rate('thanos_receive_hashrings_file_errors_total')],
    ['config_reload_ok', `min(thanos_receive_config_last_reload_successful{${s}})`],
    ['head_series_limited', rate('thanos_receive_head_series_limited_requests_total')],
    ['replication_factor', `max(thanos_receive_replication_factor{${s}})`],
    ['hashring_nodes', `max(thanos_receive_hashring_nodes{${s}})`],
  ]);
}

/** "Are this service's metrics arriving?": per cluster targets up/total, series count, last sample. */
export function metricsArrivingQuery(matchers: LabelMatcher[], clusterLabel: string): string {
  const s = formatMatchers(matchers);
  const by = `by (${clusterLabel})`;
  return join([
    ['targets_total', `count ${by} (up{${s}})`],
    ['targets_up', `sum ${by} (up{${s}})`],
    ['series', `count ${by} ({${s}})`],
    // Exact when fresh; a 1 h subquery finds clusters that went quiet, with their last sample time.
    ['last_seen', `max ${by} (timestamp(up{${s}})) or max ${by} (max_over_time(timestamp(up{${s}})[1h:1m]))`],
  ]);
}

/** The query a person can paste into Thanos Query to check a service by hand. */
export function manualCheckQuery(matchers: LabelMatcher[], clusterLabel: string): string {
  return `count by (${clusterLabel}) (up{${formatMatchers(matchers)}})`;
}

/** Split a joined result back into signal -> group key -> value. */
export function bySignal(
  samples: Array<{ metric: Record<string, string>; value: [number, string] }>,
  groupLabel?: string,
): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const s of samples) {
    const signal = s.metric[SIGNAL_LABEL];
    if (!signal) continue;
    const key = groupLabel ? s.metric[groupLabel] ?? '' : '';
    const value = Number(s.value[1]);
    if (!Number.isFinite(value)) continue;
    let m = out.get(signal);
    if (!m) out.set(signal, (m = new Map()));
    m.set(key, value);
  }
  return out;
}
