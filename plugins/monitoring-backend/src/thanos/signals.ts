/**
 * Signal names: several signals travel in one query, each tagged with a `fleet_monitoring_signal`
 * label; the parsers read them back by name. Each query's names are a union type, so a name that
 * the builder does not send is a tsc error in the parser (and the other way round).
 */

import {
  RECORDED_TENANT_LABEL,
  TENANT_LABEL,
} from '@fleet-monitoring/plugin-monitoring-common';

// Not a reserved `__` name: Prometheus may drop those from results.
export const SIGNAL_LABEL = 'fleet_monitoring_signal';

/** inventoryQuery: every cluster seen over the lookback, with its tenant (forEachSeen). */
export type InventorySignal = 'last_seen';
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
  | 'lag_drain_q'
  | 'shards_over_q'
  | 'shards_over_held_q'
  | 'shards_max_q'
  | 'desired_q'
  | 'max_q'
  | 'shards_q';
/** clusterSeriesQuery: one cluster's graphs. */
export type ClusterSeriesSignal = 'lag' | 'sent' | 'failed' | 'retried';
/** receiveQuery: Thanos Receive after the Thanos mixin, now and held for the mixin's `for:`. */
export type ReceiveSignal =
  | 'up'
  | 'instances'
  | 'up_recent_max'
  | 'version'
  | 'http_error_ratio'
  | 'http_error_ratio_held'
  | 'p99_latency'
  | 'p99_latency_held'
  | 'replication_error_ratio'
  | 'replication_error_ratio_held'
  | 'forward_error_ratio'
  | 'hashring_file_errors'
  | 'hashring_file_errors_held'
  | 'config_reload_ok'
  | 'head_series_limited'
  | 'limited_tenant'
  | 'limited_tenant_held'
  | 'replication_factor'
  | 'hashring_nodes'
  | 'min_uploads_3h'
  | 'no_upload'
  | 'no_upload_held';
/** queryComponentQuery: Thanos Query's own series after the mixin's thanos-query alerts. */
export type QuerySignal =
  | 'http_error_ratio'
  | 'http_error_ratio_held'
  | 'grpc_server_error_ratio'
  | 'grpc_server_error_ratio_held'
  | 'grpc_client_error_ratio'
  | 'grpc_client_error_ratio_held'
  | 'dns_failure_ratio'
  | 'dns_failure_ratio_held'
  | 'p99_latency'
  | 'p99_latency_held'
  | 'gate_headroom'
  | 'overloaded_held';
/** recordingRulesProbeQuery: the fleet recording rules' first and last evaluation (epoch seconds). */
export type RecordingProbeSignal =
  'first_evaluated' | 'last_evaluated' | 'evaluations';
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

/** A joined query's answer split by signal: each signal's samples, in answer order. */
export type SignalAnswer<S extends string = string> = ReadonlyMap<
  S,
  TaggedSample[]
>;

/** A joined query's answer as it came (samples) or already split (ThanosClient.querySignals). */
export type JoinedAnswer = Samples | SignalAnswer;

/** The signals of several joined answers (each signal is asked in one of them). */
export function mergeSignals(answers: SignalAnswer[]): SignalAnswer {
  const out = new Map<string, TaggedSample[]>();
  for (const answer of answers) {
    for (const [signal, list] of answer) {
      const known = out.get(signal);
      out.set(signal, known ? known.concat(list) : list);
    }
  }
  return out;
}

/** Splits made, per answer: the fleet summary reads its first round's answer twice. */
const splits = new WeakMap<Samples, ReadonlyMap<string, TaggedSample[]>>();

/**
 * Split a joined result back into signal -> samples (non-finite values dropped). An answer is split
 * once (a 100,000-cluster answer has ~500,000 samples); the lists are shared: read, never change them.
 */
export function signals<S extends string>(
  samples: JoinedAnswer,
): ReadonlyMap<S, TaggedSample[]> {
  if (!Array.isArray(samples)) return samples as SignalAnswer<S>;
  const known = splits.get(samples);
  if (known) return known as ReadonlyMap<S, TaggedSample[]>;
  const out = new Map<S, TaggedSample[]>();
  splits.set(samples, out);
  // A joined answer comes signal by signal (`or` appends each part's series): the list of the
  // sample before is usually this one's too, found without hashing the name again.
  let last: string | undefined;
  let list: TaggedSample[] = [];
  for (const s of samples) {
    const signal = s.metric[SIGNAL_LABEL] as S | undefined;
    if (!signal) continue;
    const value = Number(s.value[1]);
    if (!Number.isFinite(value)) continue;
    if (signal !== last) {
      const existing = out.get(signal);
      if (existing) list = existing;
      else out.set(signal, (list = []));
      last = signal;
    }
    list.push({ labels: s.metric, value });
  }
  return out;
}

/** Split a joined result back into signal -> group key -> value. */
export function bySignal<S extends string>(
  samples: JoinedAnswer,
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

/**
 * inventoryQuery's answer, sample by sample: a cluster, when it was last seen, and the tenant it
 * wrote to (raw series: Receive's `tenant_id`; recorded: `fleet_tenant`). A cluster can come more
 * than once (two tenants, or in both the recorded and the raw part): its last seen is the newest.
 */
export function forEachSeen(
  samples: JoinedAnswer,
  clusterLabel: string,
  visit: (cluster: string, lastSeen: number, tenant?: string) => void,
): void {
  // The backend reads the inventory already split (ThanosClient.querySignals); a list of samples
  // is split here like any joined answer.
  for (const { labels, value } of signals(samples).get('last_seen') ?? []) {
    const cluster = labels[clusterLabel];
    if (cluster)
      visit(
        cluster,
        value,
        labels[TENANT_LABEL] || labels[RECORDED_TENANT_LABEL] || undefined,
      );
  }
}
