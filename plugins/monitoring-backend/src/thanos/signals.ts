/**
 * Signal names: several signals travel in one query, each tagged with a `fleet_monitoring_signal`
 * label; the parsers read them back by name. Each query's names are a union type, so a name that
 * the builder does not send is a tsc error in the parser (and the other way round).
 */

// Not a reserved `__` name: Prometheus may drop those from results.
export const SIGNAL_LABEL = 'fleet_monitoring_signal';

/** inventoryQuery: every cluster seen over the lookback, and its tenant. */
export type InventorySignal = 'last_seen' | 'tenant';
/** ratesQuery: throughput and errors, per cluster or per queue (`_q`), now or held (`_held`). */
export type RateSignal =
  | 'sent'
  | 'sent_q'
  | 'failed_q'
  | 'failure_ratio_q'
  | 'failure_ratio_held_q'
  | 'retried'
  | 'retried_held'
  | 'dropped'
  | 'dropped_held'
  | 'tenant_accepted'
  | 'tenant_refused';
/** gaugesQuery: queue state. */
export type GaugeSignal =
  | 'pending'
  | 'pending_held'
  | 'shards'
  | 'lag'
  | 'lag_q'
  | 'lag_held_q'
  | 'shards_over_q'
  | 'shards_over_held_q'
  | 'shards_max_q'
  | 'desired_q'
  | 'max_q'
  | 'shards_q';
/** lateStatsQuery: the newest stats of clusters whose samples arrive late. */
export type LateSignal =
  'sent' | 'failed' | 'failure_ratio' | 'retried' | 'dropped' | 'pending';
/** clusterSeriesQuery: one cluster's graphs. */
export type ClusterSeriesSignal = 'lag' | 'sent' | 'failed' | 'retried';
/** receiveQuery: Thanos Receive after the Thanos mixin. */
export type ReceiveSignal =
  | 'up'
  | 'instances'
  | 'http_error_ratio'
  | 'p99_latency'
  | 'replication_error_ratio'
  | 'forward_error_ratio'
  | 'hashring_file_errors'
  | 'config_reload_ok'
  | 'head_series_limited'
  | 'replication_factor'
  | 'hashring_nodes'
  | 'min_uploads_3h';
/** metricsArrivingQuery: a service's series per cluster. */
export type ArrivingSignal =
  'series' | 'last_seen' | 'targets_total' | 'targets_up';

/** One tagged expression of a joined query. */
export type SignalPart<S extends string> = [signal: S, expr: string];

function tag(expr: string, signal: string): string {
  return `label_replace(${expr}, "${SIGNAL_LABEL}", "${signal}", "", "")`;
}

/** Several signals in one query: each tagged, joined with `or`. */
export function joinSignals<S extends string>(parts: SignalPart<S>[]): string {
  return parts.map(([signal, expr]) => tag(expr, signal)).join('\nor\n');
}

export interface TaggedSample {
  labels: Record<string, string>;
  value: number;
}

type Samples = Array<{
  metric: Record<string, string>;
  value: [number, string];
}>;

/** Split a joined result back into signal -> samples (non-finite values dropped). */
export function signals<S extends string>(
  samples: Samples,
): ReadonlyMap<S, TaggedSample[]> {
  const out = new Map<S, TaggedSample[]>();
  for (const s of samples) {
    const signal = s.metric[SIGNAL_LABEL] as S | undefined;
    if (!signal) continue;
    const value = Number(s.value[1]);
    if (!Number.isFinite(value)) continue;
    let list = out.get(signal);
    if (!list) out.set(signal, (list = []));
    list.push({ labels: s.metric, value });
  }
  return out;
}

/** Split a joined result back into signal -> group key -> value. */
export function bySignal<S extends string>(
  samples: Samples,
  groupLabel?: string,
): ReadonlyMap<S, Map<string, number>> {
  const out = new Map<S, Map<string, number>>();
  for (const [signal, list] of signals<S>(samples)) {
    const m = new Map<string, number>();
    for (const s of list)
      m.set(groupLabel ? (s.labels[groupLabel] ?? '') : '', s.value);
    out.set(signal, m);
  }
  return out;
}
