/**
 * The per-queue, per-cluster and per-tenant expressions the fleet summary judges, over the agents'
 * own `prometheus_remote_storage_*` series and the receivers' per-tenant series. One home for both
 * ways of reading them: the backend's raw summary queries wrap these expressions, and the fleet
 * recording rules (fleetRecordingRules) record exactly these expressions, so the raw and the
 * recorded path cannot drift apart.
 *
 * Replication: with Thanos Receive replication and Query deduplication off, every series comes back
 * once per receiver, differing only in the replica label. Each queue's series are therefore first
 * collapsed to one value per queue (`max by` the queue's identity: cluster, instance, remote_name,
 * url), which gives the same numbers with dedup on, off, and without replication.
 */
import {
  upstreamFamilyOf,
  upstreamHistogramSeries,
  upstreamMetric,
} from './upstreamMetrics';

/**
 * What a fleet expression is built over: the cluster label, the rate window, and matchers (already
 * escaped, without braces) every selector carries, e.g. one cluster's name.
 * @public
 */
export interface FleetSeriesScope {
  /** The agents' cluster label (an external label). */
  clusterLabel: string;
  /** The range of every rate() and max_over_time(), e.g. `5m`. */
  window: string;
  /** Escaped matchers every selector carries, e.g. `cluster="a"`. */
  matchers?: string;
}

/** Label Thanos Receive puts on every series of a tenant (`--receive.tenant-label-name` default). @public */
export const TENANT_LABEL = 'tenant_id';

/**
 * A series name, checked against the upstream metrics table (a family, or a histogram's
 * `_bucket`/`_sum`/`_count`); throws for a name the table does not have.
 */
const um = (name: string) =>
  upstreamMetric(upstreamFamilyOf(name) ?? name) && name;

// Names from v2.23.0 on (v3 unchanged), then the spellings before v2.23.0, which the mixin still reads.
/**
 * The agents' remote-write series the fleet summary reads (upstream metrics table names).
 * @public
 */
export const REMOTE_WRITE_SERIES = {
  /** Every send attempt, failed and retried ones included (not deliveries). */
  attempted: um('prometheus_remote_storage_samples_total'),
  /** Before v2.23.0: samples of requests that succeeded. */
  succeededLegacy: um('prometheus_remote_storage_succeeded_samples_total'),
  failed: [
    um('prometheus_remote_storage_samples_failed_total'),
    um('prometheus_remote_storage_failed_samples_total'),
  ],
  retried: [
    um('prometheus_remote_storage_samples_retried_total'),
    um('prometheus_remote_storage_retried_samples_total'),
  ],
  dropped: [
    um('prometheus_remote_storage_samples_dropped_total'),
    um('prometheus_remote_storage_dropped_samples_total'),
  ],
  pending: um('prometheus_remote_storage_samples_pending'),
  shards: um('prometheus_remote_storage_shards'),
  shardsDesired: um('prometheus_remote_storage_shards_desired'),
  shardsMax: um('prometheus_remote_storage_shards_max'),
  /** Newest sample the agent ingested: per queue since Prometheus 3.7, global before (and still). */
  newestPerQueue: um(
    'prometheus_remote_storage_queue_highest_timestamp_seconds',
  ),
  newestGlobal: um('prometheus_remote_storage_highest_timestamp_in_seconds'),
  newestSent: um(
    'prometheus_remote_storage_queue_highest_sent_timestamp_seconds',
  ),
  tenantLimited: um('thanos_receive_head_series_limited_requests_total'),
} as const;

const S = REMOTE_WRITE_SERIES;

/** `{matchers}` of the scope, with extra matchers. */
function fleetSelector(s: FleetSeriesScope, extra = ''): string {
  return `{${[s.matchers ?? '', extra].filter(Boolean).join(',')}}`;
}

/** The labels naming one remote-write queue of one agent. @public */
export function queueLabels(s: { clusterLabel: string }): string {
  return `${s.clusterLabel}, instance, remote_name, url`;
}

/** One value per queue, whatever the number of replica copies of its series. @public */
export function perQueue(s: { clusterLabel: string }, expr: string): string {
  return `max by (${queueLabels(s)}) (${expr})`;
}

/**
 * One value per queue of a counter with a `reason` label: replica copies collapsed per queue AND
 * reason first, then the reasons summed (a `max` over reasons would keep only the largest).
 */
function perQueueReasons(s: FleetSeriesScope, expr: string): string {
  return `sum by (${queueLabels(s)}) (max by (${queueLabels(s)}, reason) (${expr}))`;
}

/** Newer Prometheus names first, older ones as fallback (both exist in the wild). */
function rateOf(s: FleetSeriesScope, names: readonly string[]): string {
  return names
    .map(n => `rate(${n}${fleetSelector(s)}[${s.window}])`)
    .join(' or ');
}

/** Per-queue rate of one counter name. */
function queueRate(s: FleetSeriesScope, name: string): string {
  return perQueue(s, `rate(${name}${fleetSelector(s)}[${s.window}])`);
}

/**
 * Samples delivered per queue, as Prometheus counts them: samples_total counts every attempt, so an
 * attempt that failed (non-recoverable) or is retried (recoverable) is taken out again
 * (queue_manager.go: v2.53.4 ~1617, v3.14.0 ~2283). Before v2.23.0, succeeded_samples_total.
 */
function delivered(s: FleetSeriesScope): string {
  const attempted = queueRate(s, S.attempted);
  const zero = `(${attempted} * 0)`;
  const failed = queueRate(s, S.failed[0]);
  const retried = queueRate(s, S.retried[0]);
  return `(clamp_min(${attempted} - (${failed} or ${zero}) - (${retried} or ${zero}), 0) or ${queueRate(s, S.succeededLegacy)})`;
}

/**
 * Share of send attempts that failed for good: failed / samples_total (every attempt). The mixin's
 * PrometheusRemoteStorageFailures divides by failed + samples_total, which counts a failed attempt
 * twice (a queue refusing everything reads 50 %); that sum is right only for the pre-2.23
 * succeeded_samples_total, so it is kept for that spelling alone.
 */
function failureRatio(s: FleetSeriesScope): string {
  const failed = queueRate(s, S.failed[0]);
  const legacyFailed = queueRate(s, S.failed[1]);
  // Parenthesised whole, so a comparison after it (`> 0`) applies to both spellings.
  return `((${failed} / ${queueRate(s, S.attempted)}) or (${legacyFailed} / (${legacyFailed} + ${queueRate(s, S.succeededLegacy)})))`;
}

/**
 * Lag after the mixin's PrometheusRemoteWriteBehind (newest ingested vs newest sent, `max_over_time`
 * on both sides), per queue, for queues that still exist: a queue removed from the config leaves
 * its last sent timestamp behind for a whole window, which must not read as growing lag.
 */
function lag(s: FleetSeriesScope): string {
  const w = s.window;
  const q = queueLabels(s);
  const sel = fleetSelector(s);
  // A queue that never delivered reports 0: no lag to compute, its failures say what is wrong.
  const sent = `(max_over_time(${S.newestSent}${sel}[${w}]) > 0)`;
  const newer = `${perQueue(s, `max_over_time(${S.newestPerQueue}${sel}[${w}])`)} - ${perQueue(s, sent)}`;
  const older = `max by (${q}) (max_over_time(${S.newestGlobal}${sel}[${w}]) - ignoring(remote_name, url) group_right() ${sent})`;
  // Parenthesised whole: a comparison after it must apply to the lag, and `>` binds tighter than
  // `and` (it would compare the sent timestamp instead).
  return `(((${newer}) or (${older})) and on (${q}) ${S.newestSent}${sel})`;
}

/** The mixin's PrometheusRemoteWriteDesiredShards, per queue: desired minus that queue's maximum. */
function shardsOver(s: FleetSeriesScope): string {
  const w = s.window;
  const sel = fleetSelector(s);
  return `(${perQueue(s, `max_over_time(${S.shardsDesired}${sel}[${w}])`)} - ${perQueue(s, `max_over_time(${S.shardsMax}${sel}[${w}])`)})`;
}

/**
 * The per-queue figures of the fleet summary (labels: cluster, instance, remote_name, url).
 * @public
 */
export type FleetQueueSeries =
  | 'delivered'
  | 'failed'
  | 'failureRatio'
  | 'retried'
  | 'dropped'
  | 'pending'
  | 'shards'
  | 'shardsMax'
  | 'shardsOver'
  | 'lag';

/**
 * Each per-queue figure of the fleet summary as an expression over the agents' raw series.
 * @public
 */
export const FLEET_QUEUE_SERIES: Readonly<
  Record<FleetQueueSeries, (s: FleetSeriesScope) => string>
> = {
  delivered,
  failed: (s: FleetSeriesScope) => perQueue(s, rateOf(s, S.failed)),
  failureRatio,
  retried: (s: FleetSeriesScope) => perQueue(s, rateOf(s, S.retried)),
  dropped: (s: FleetSeriesScope) => perQueueReasons(s, rateOf(s, S.dropped)),
  pending: (s: FleetSeriesScope) =>
    perQueue(s, `${S.pending}${fleetSelector(s)}`),
  shards: (s: FleetSeriesScope) =>
    perQueue(s, `${S.shards}${fleetSelector(s)}`),
  shardsMax: (s: FleetSeriesScope) =>
    perQueue(
      s,
      `max_over_time(${S.shardsMax}${fleetSelector(s)}[${s.window}])`,
    ),
  shardsOver,
  lag,
};

/**
 * Which tenant each cluster's series came in with (Receive's `tenant_id`), kept in `labelName`:
 * `tenant_id` itself for the raw inventory; another name for the recorded series, since Receive
 * stamps what the ruler writes with the ruler's own tenant.
 * @public
 */
export function clusterTenants(
  s: FleetSeriesScope,
  over: (selector: string) => string = x => x,
  labelName = TENANT_LABEL,
): string {
  const sel = fleetSelector(s);
  const newest = `${over(`${S.newestGlobal}${sel}`)} or ${over(`${S.newestPerQueue}${sel}`)}`;
  if (labelName === TENANT_LABEL)
    return `group by (${s.clusterLabel}, ${TENANT_LABEL}) (${newest})`;
  return `group by (${s.clusterLabel}, ${labelName}) (label_replace(${newest}, "${labelName}", "$1", "${TENANT_LABEL}", "(.*)"))`;
}

/**
 * The newest sample an agent ingested per cluster and the tenant its series came in with, in one
 * read (the inventory's last seen and its cluster-to-tenant map are the same series): value the
 * newest sample's time, tenant kept in `labelName` as clusterTenants does. A cluster writing to two
 * tenants (a move) answers once per tenant; its last seen is the larger.
 * @public
 */
export function lastSeenByTenant(
  s: FleetSeriesScope,
  over: (selector: string) => string = x => x,
  labelName = TENANT_LABEL,
): string {
  const sel = fleetSelector(s);
  const newest = `${over(`${S.newestGlobal}${sel}`)} or ${over(`${S.newestPerQueue}${sel}`)}`;
  if (labelName === TENANT_LABEL)
    return `max by (${s.clusterLabel}, ${TENANT_LABEL}) (${newest})`;
  return `max by (${s.clusterLabel}, ${labelName}) (label_replace(${newest}, "${labelName}", "$1", "${TENANT_LABEL}", "(.*)"))`;
}

/** The receivers' per-tenant figures of the fleet summary. @public */
export type FleetTenantSeries = 'accepted' | 'refused';

/**
 * The receivers' own per-tenant write rates (label `tenant`): samples accepted (2xx), and requests
 * refused with 429 for the head-series limit (answered before write_samples is observed). `tenants`:
 * a matcher narrowing them (e.g. `tenant=~"a|b"`), none for every tenant.
 * @public
 */
export const FLEET_TENANT_SERIES: Readonly<
  Record<FleetTenantSeries, (window: string, tenants?: string) => string>
> = {
  accepted: (window: string, tenants = '') =>
    `sum by (tenant) (max by (tenant, instance, code) (rate(${upstreamHistogramSeries('thanos_receive_write_samples', 'sum')}{${['code=~"2.."', tenants].filter(Boolean).join(',')}}[${window}])))`,
  refused: (window: string, tenants = '') =>
    `sum by (tenant) (max by (tenant, instance) (rate(${S.tenantLimited}${tenants ? `{${tenants}}` : ''}[${window}])))`,
};
