import {
  escapeLabelValue,
  FLEET_QUEUE_SERIES,
  FLEET_TENANT_SERIES,
  FleetQueueSeries,
  FleetTenantSeries,
  formatMatchers,
  LabelMatcher,
  oneOfMatcher,
  lastSeenByTenant,
  perQueue as perQueueOf,
  queueLabels,
  RECORDED_CHAIN_BRIDGE,
  RECORDED_INVENTORY_LOOKBACK,
  RECORDED_TENANT_LABEL,
  RECORDED_WINDOW_LABEL,
  RecordedQueueSeries,
  recordedFleetSeries,
  REMOTE_WRITE_SERIES,
  TENANT_LABEL,
  upstreamFamilyOf,
  upstreamHistogramSeries,
  upstreamMetric,
} from '@fleet-monitoring/plugin-monitoring-common';
import { durationSeconds, mixinHold } from '../config/holdWindow';
import { clockStep, heldForQuery } from '../core/ruleClock';
import {
  ArrivingSignal,
  ClusterSeriesSignal,
  GaugeSignal,
  InventorySignal,
  joinSignals as join,
  QuerySignal,
  RateSignal,
  RecordingProbeSignal,
  ReceiveSignal,
  SignalPart,
} from './signals';

/**
 * Every PromQL expression the backend sends is built here. Label values only enter through
 * `escapeLabelValue`/`formatMatchers`; label names and windows are validated at config load.
 *
 * Several signals travel in one query: each is tagged with a `signal` label via label_replace and
 * the results are joined with `or`. So the fleet summary is a fixed, small number of queries for any
 * number of clusters (never one per healthy cluster: only a cluster whose samples arrive late adds
 * one, evaluated at its last sample, and clusters missing from the inventory one lookup). Signals that only matter when something is wrong are
 * filtered with `> 0` in PromQL, so a healthy fleet answers with one series per cluster, not ten.
 *
 * Replication: with Thanos Receive replication and Query deduplication off, every series comes back
 * once per receiver, differing only in the replica label. Each queue's series are therefore first
 * collapsed to one value per queue (`max by` the queue's identity: cluster, instance, remote_name,
 * url), then summed. That gives the same numbers with dedup on, off, and without replication, and
 * it is also the per-queue view the mixin's rules judge (shards against that queue's own maximum).
 */

/** Label Thanos Receive puts on every series of a tenant (one home: common's fleetSeries). */
export { TENANT_LABEL };
/**
 * How far back the inventory looks for clusters that went quiet: as long as the fleet recording
 * rules keep a quiet cluster in their sticky last-seen series (one home: common).
 */
export const INVENTORY_LOOKBACK = RECORDED_INVENTORY_LOOKBACK;
/**
 * How far back a cluster known from another source (catalog, receivers' tenants) but absent from
 * the inventory is looked up by name: Thanos Receive's default `--tsdb.retention`, so a cluster
 * with a sample still in the store has a last-seen time ("never seen" only when it has none).
 */
export const RETENTION_LOOKBACK = '15d';

export interface QueryScope {
  clusterLabel: string;
  window: string;
  /** Restrict to one cluster (detail view); all clusters when absent. */
  cluster?: string;
  /** Restrict to these clusters (stats of late clusters). */
  clusters?: string[];
  /** Hold-down: a condition counts when it held over this whole duration (the mixin's `for:`). */
  hold?: string;
  /** Lag above which a queue's lag is returned per queue. */
  lagWarningSeconds?: number;
  /** Pending samples above which the fleet summary reads a cluster's backlog (the judge's limit). */
  pendingSamplesWarning?: number;
  /** Which series the fleet summary reads; the agents' raw series when absent. */
  source?: SeriesSource;
}

/**
 * Where the fleet summary's figures come from: the agents' raw series, or the fleet recording rules'
 * series (common's fleetRecordingRules), whose sticky inventory has been unbroken for
 * `coveredSeconds` (the inventory reads the raw series for the part of its lookback before that).
 */
export type SeriesSource =
  | { kind: 'raw' }
  | {
      kind: 'recorded';
      /** Seconds since the recorded inventory's chain started (its `unbroken_since`); 0: none. */
      coveredSeconds: number;
      /** Seconds between the group's evaluations, when the probe saw at least two. */
      intervalSeconds?: number;
    };

/** The cluster matchers of a scope, without braces. */
function clusterMatchers(scope: QueryScope): string {
  if (scope.cluster !== undefined)
    return `${scope.clusterLabel}=${escapeLabelValue(scope.cluster)}`;
  if (scope.clusters) return oneOfMatcher(scope.clusterLabel, scope.clusters);
  return '';
}

function sel(scope: QueryScope, extra = ''): string {
  return `{${[clusterMatchers(scope), extra].filter(Boolean).join(',')}}`;
}

/** The scope of common's fleet expressions (fleetSeries). */
function seriesScope(scope: QueryScope) {
  return {
    clusterLabel: scope.clusterLabel,
    window: scope.window,
    matchers: clusterMatchers(scope),
  };
}

/** The labels naming one remote-write queue of one agent. */
function queueBy(scope: QueryScope): string {
  return queueLabels(scope);
}

/** One value per queue, whatever the number of replica copies of its series. */
function perQueue(scope: QueryScope, expr: string): string {
  return perQueueOf(scope, expr);
}

/**
 * A per-queue figure of the fleet summary: the raw expression, or its recorded series (collapsed
 * per queue too: with dedup off, what the ruler wrote through Receive comes back once per replica).
 * A figure the group does not record is read raw.
 */
function queueSeries(scope: QueryScope, k: FleetQueueSeries): string {
  const recorded: Partial<Record<FleetQueueSeries, string>> | undefined =
    scope.source?.kind === 'recorded'
      ? recordedFleetSeries(scope.window).queue
      : undefined;
  const name = recorded?.[k];
  if (!name) return FLEET_QUEUE_SERIES[k](seriesScope(scope));
  return perQueue(scope, `${name}${sel(scope)}`);
}

/** The receivers' per-tenant rate, raw or recorded, of every tenant or the ones named. */
function tenantSeries(
  scope: QueryScope,
  k: FleetTenantSeries,
  tenants?: readonly string[],
): string {
  const named = tenants ? oneOfMatcher('tenant', tenants) : '';
  if (scope.source?.kind !== 'recorded')
    return FLEET_TENANT_SERIES[k](scope.window, named);
  return `max by (tenant) (${recordedFleetSeries(scope.window).tenant[k]}${named ? `{${named}}` : ''})`;
}

/** Sum of the per-queue values for each cluster. */
function perCluster(scope: QueryScope, expr: string): string {
  return `sum by (${scope.clusterLabel}) (${perQueue(scope, expr)})`;
}

/** Newer Prometheus names first, older ones as fallback (both exist in the wild). */
function rateOf(scope: QueryScope, names: readonly string[]): string {
  return names
    .map(n => `rate(${n}${sel(scope)}[${scope.window}])`)
    .join(' or ');
}

export function holdOf(scope: QueryScope): string {
  return scope.hold ?? scope.window;
}

/** Subquery step of the hold-down: the rule clock's resolution (core/ruleClock.ts). */
function holdStep(scope: QueryScope): string {
  return `${clockStep(durationSeconds(holdOf(scope)))}s`;
}

/**
 * Lowest value of `expr` over the hold window (the mixin's `for:`): above a threshold only when it
 * held throughout, read by the rule clock (core/ruleClock.ts).
 */
function held(scope: QueryScope, expr: string): string {
  return heldForQuery(expr, durationSeconds(holdOf(scope)));
}

/**
 * `held()` of a per-queue figure. From recorded series the ruler has already sampled the figure at
 * each evaluation, so the window is read with range selectors instead of re-evaluating a subquery
 * (the summary's costliest part): held when the recorded series has a sample at every evaluation of
 * the group in the window (counted on the group's heartbeat) and its lowest is above the threshold.
 * The window reaches one evaluation before the hold, so a condition holds no earlier than the mixin
 * says; a missed evaluation makes it not held, as a `for:` restarts.
 */
function heldSeries(scope: QueryScope, k: RecordedQueueSeries): string {
  const s = scope.source;
  if (s?.kind !== 'recorded' || !s.intervalSeconds)
    return held(scope, queueSeries(scope, k));
  const hold = durationSeconds(holdOf(scope));
  const range = `[${hold + Math.ceil(s.intervalSeconds)}s]`;
  const names = recordedFleetSeries(scope.window);
  const series = `${names.queue[k]}${sel(scope)}`;
  const evaluations = `scalar(max(count_over_time(${heartbeatOf(scope.window)}${range})))`;
  // And enough of them to span the hold: a ruler younger than the hold has held nothing yet.
  const spanning = Math.floor(hold / s.intervalSeconds) + 1;
  return perQueue(
    scope,
    `min_over_time(${series}${range}) and count_over_time(${series}${range}) >= ${evaluations} and count_over_time(${series}${range}) >= ${spanning}`,
  );
}

/** The fleet rule group's heartbeat for a rate window. */
function heartbeatOf(window: string): string {
  return `${recordedFleetSeries(window).heartbeat}{${RECORDED_WINDOW_LABEL}=${escapeLabelValue(window)}}`;
}

/**
 * A series name, checked against the upstream metrics table (a family, or a histogram's
 * `_bucket`/`_sum`/`_count`); throws for a name the table does not have.
 */
const um = (name: string) =>
  upstreamMetric(upstreamFamilyOf(name) ?? name) && name;

// The agents' series, named once in common's fleetSeries (checked against the upstream table there).
const {
  failed: FAILED,
  retried: RETRIED,
  shards: SHARDS,
  shardsDesired: SHARDS_DESIRED,
  shardsMax: SHARDS_MAX,
} = REMOTE_WRITE_SERIES;

/** `last_over_time` of a selector over `range`, `offset` seconds back. */
const lastOver =
  (range: string, offset = 0) =>
  (selector: string) =>
    `last_over_time(${selector}[${range}]${offset > 0 ? ` offset ${offset}s` : ''})`;

/**
 * Seconds of the inventory lookback the recorded series cover (0: read it all raw): since their
 * chain started, and no further back than they keep a quiet cluster.
 */
function recordedCover(scope: QueryScope, lookback: string): number {
  const s = scope.source;
  if (s?.kind !== 'recorded') return 0;
  return Math.min(
    Math.floor(s.coveredSeconds),
    durationSeconds(lookback),
    durationSeconds(RECORDED_INVENTORY_LOOKBACK),
  );
}

/**
 * Every cluster Thanos has seen over a long lookback: when its agent last reported, under which
 * tenant its series came in (so the receivers' per-tenant metrics can be read per cluster), in one
 * signal (value the last seen, the tenant a label). From recorded series, the sticky series (which
 * keep a quiet cluster for the lookback) are read over one short range, the chain's bridge, whatever
 * the ruler's age: one value per cluster, not a day of evaluations. The part of the lookback before
 * the chain started is read from the raw series (`offset`): a cluster that went quiet before then is
 * still listed, and a chain as old as the lookback costs no raw read at all. Where both parts know a
 * cluster it answers twice; the newer time is its last seen (forEachSeen).
 */
export function inventoryQuery(
  scope: QueryScope,
  lookback = INVENTORY_LOOKBACK,
): string {
  const c = scope.clusterLabel;
  const covered = recordedCover(scope, lookback);
  const rest = durationSeconds(lookback) - covered;
  const parts: string[] = [];
  if (covered > 0) {
    const lastSeen = recordedFleetSeries(scope.window).lastSeen;
    // Within the lookback: a cluster the ruler let go stays in a range read until the bridge passes.
    parts.push(
      `max by (${c}, ${RECORDED_TENANT_LABEL}) (${lastOver(RECORDED_CHAIN_BRIDGE)(`${lastSeen}${sel(scope)}`)}) > time() - ${durationSeconds(lookback)}`,
    );
  }
  if (rest > 0) {
    const over =
      covered === 0 ? lastOver(lookback) : lastOver(`${rest}s`, covered);
    parts.push(lastSeenByTenant(seriesScope(scope), over));
  }
  return join<InventorySignal>([['last_seen', parts.join(' or ')]]);
}

/** Per-queue figures, raw or recorded (one builder each, in common's fleetSeries). */
const deliveredPerQueue = (s: QueryScope) => queueSeries(s, 'delivered');
const failureRatio = (s: QueryScope) => queueSeries(s, 'failureRatio');
const droppedPerQueue = (s: QueryScope) => queueSeries(s, 'dropped');
const retriedPerQueue = (s: QueryScope) => queueSeries(s, 'retried');
const pendingPerQueue = (s: QueryScope) => queueSeries(s, 'pending');

/**
 * Conditions the fleet summary reads held over the hold window (the mixin's `for:`), whether a
 * queue's lag drains, and the shard maximum of queues that want more: asked only for the clusters where the judge reads them, i.e. where the
 * condition is true now (summaryHeldQuery), so the costliest parts of the summary (subqueries over
 * the hold window) cover the few clusters with a problem, not the fleet.
 */
export type HeldSignal =
  | 'failure_ratio_held_q'
  | 'retried_held'
  | 'dropped_held'
  | 'pending_held'
  | 'lag_held_q'
  | 'shards_over_held_q'
  | 'lag_drain_q'
  | 'shards_max_q';

/** The clusters to ask each held signal for (a signal without clusters is not asked). */
export type HeldClusters = Partial<Record<HeldSignal, readonly string[]>>;

/** Throughput and error rates now (mixin PrometheusRemoteStorageFailures, per queue). */
function rateNowParts(scope: QueryScope): SignalPart<RateSignal>[] {
  const c = scope.clusterLabel;
  return [
    ['sent', `sum by (${c}) (${deliveredPerQueue(scope)})`],
    ['failed_q', `${queueSeries(scope, 'failed')} > 0`],
    ['failure_ratio_q', `${failureRatio(scope)} > 0`],
    ['retried', `sum by (${c}) (${retriedPerQueue(scope)}) > 0`],
    ['dropped', `sum by (${c}) (${droppedPerQueue(scope)}) > 0`],
    ...tenantRateParts(scope),
  ];
}

/**
 * The receivers' own per-tenant write metrics: what the central side sees arriving right now,
 * independent of the agent's self-metrics (which travel through the very queue they measure); every
 * tenant's, or the ones named. The head-series 429 is answered before write_samples is observed:
 * requests/s, per tenant.
 */
function tenantRateParts(
  scope: QueryScope,
  tenants?: readonly string[],
): SignalPart<RateSignal>[] {
  return [
    ['tenant_accepted', tenantSeries(scope, 'accepted', tenants)],
    ['tenant_refused', `${tenantSeries(scope, 'refused', tenants)} > 0`],
  ];
}

/**
 * What the receivers accept and refuse for one cluster's tenants (its own name and those the
 * inventory maps to it), the same signals the fleet reads, so a silent cluster is judged alike on
 * its card and in the fleet; asked once the cluster's inventory names them, instead of every
 * tenant's (~11 MB at 100,000 clusters).
 */
export function clusterTenantRatesQuery(
  scope: QueryScope,
  tenants: readonly string[],
): string {
  return join(tenantRateParts(scope, [...new Set(tenants)].sort()));
}

/** Each rate problem held over the hold window. */
function rateHeldParts(
  scope: QueryScope,
): SignalPart<RateSignal & HeldSignal>[] {
  const c = scope.clusterLabel;
  return [
    ['failure_ratio_held_q', `${heldSeries(scope, 'failureRatio')} > 0`],
    ['retried_held', `sum by (${c}) (${heldSeries(scope, 'retried')}) > 0`],
    ['dropped_held', `sum by (${c}) (${heldSeries(scope, 'dropped')}) > 0`],
  ];
}

/** The receivers' per-tenant rates among the rate signals. */
const TENANT_SIGNALS: ReadonlySet<RateSignal> = new Set([
  'tenant_accepted',
  'tenant_refused',
]);

/**
 * Throughput and error rates (mixin PrometheusRemoteStorageFailures, per queue), each problem both
 * now and held over the hold window, and what the receivers accept or refuse per tenant now
 * (every tenant's: not with `tenants: false`).
 */
export function ratesQuery(
  scope: QueryScope,
  { tenants = true }: { tenants?: boolean } = {},
): string {
  const parts: SignalPart<RateSignal>[] = [
    ...rateNowParts(scope).filter(
      ([signal]) => tenants || !TENANT_SIGNALS.has(signal),
    ),
    ...rateHeldParts(scope),
  ];
  if (scope.cluster !== undefined)
    parts.push(['sent_q', deliveredPerQueue(scope)]);
  return join(parts);
}

/**
 * Lag after the mixin's PrometheusRemoteWriteBehind, per queue, for queues that still exist
 * (common's fleetSeries), raw or recorded.
 */
function lagExpr(scope: QueryScope): string {
  return queueSeries(scope, 'lag');
}

/**
 * A queue's backlog drains (a repair is observed): its lag is at least a tenth below its peak of the
 * last rate window, that peak was above the warning limit, and the lag does not grow now (slope over
 * the last few subquery steps). Value: the slope (s/s, negative). Only draining queues answer.
 */
function lagDrainExpr(scope: QueryScope): string {
  const seconds = durationSeconds(scope.window);
  const step = Math.max(1, Math.floor(seconds / 10));
  const lag = lagExpr(scope);
  const peak = `max_over_time((${lag})[${seconds}s:${step}s])`;
  const slope = `deriv((${lag})[${4 * step}s:${step}s])`;
  return `(${slope} <= 0) and on (${queueBy(scope)}) ((${lag}) < 0.9 * ${peak}) and on (${queueBy(scope)}) (${peak} > ${scope.lagWarningSeconds ?? 0})`;
}

/** The mixin's PrometheusRemoteWriteDesiredShards, per queue: desired minus that queue's maximum. */
function shardsOverExpr(scope: QueryScope): string {
  return queueSeries(scope, 'shardsOver');
}

/** Queue state gauges now: pending, shards (per queue against its own maximum) and lag. */
function gaugeNowParts(scope: QueryScope): SignalPart<GaugeSignal>[] {
  const c = scope.clusterLabel;
  const lagLimit = scope.lagWarningSeconds ?? 0;
  return [
    ['pending', `sum by (${c}) (${pendingPerQueue(scope)}) > 0`],
    ['shards', `max by (${c}) (${queueSeries(scope, 'shards')})`],
    ['lag', `max by (${c}) (${lagExpr(scope)})`],
    ['lag_q', `${lagExpr(scope)} > ${lagLimit}`],
    ['shards_over_q', `${shardsOverExpr(scope)} > 0`],
  ];
}

/** Each gauge problem held over the hold window, and the queues whose backlog drains. */
function gaugeHeldParts(
  scope: QueryScope,
): SignalPart<GaugeSignal & HeldSignal>[] {
  const c = scope.clusterLabel;
  const q = queueBy(scope);
  const lagLimit = scope.lagWarningSeconds ?? 0;
  return [
    ['pending_held', `sum by (${c}) (${heldSeries(scope, 'pending')}) > 0`],
    ['lag_held_q', `${heldSeries(scope, 'lag')} > ${lagLimit}`],
    ['lag_drain_q', lagDrainExpr(scope)],
    ['shards_over_held_q', `${heldSeries(scope, 'shardsOver')} > 0`],
    // The maximum of the queues that want more (only they are shown with it).
    [
      'shards_max_q',
      `${queueSeries(scope, 'shardsMax')} and on (${q}) ${shardsOverExpr(scope)} > 0`,
    ],
  ];
}

/** Queue state gauges: pending, shards (per queue against its own maximum) and lag, now and held. */
export function gaugesQuery(scope: QueryScope): string {
  const parts: SignalPart<GaugeSignal>[] = [
    ...gaugeNowParts(scope),
    ...gaugeHeldParts(scope),
  ];
  if (scope.cluster !== undefined) {
    parts.push(
      ['desired_q', perQueue(scope, `${SHARDS_DESIRED}${sel(scope)}`)],
      ['max_q', perQueue(scope, `${SHARDS_MAX}${sel(scope)}`)],
      ['shards_q', perQueue(scope, `${SHARDS}${sel(scope)}`)],
    );
  }
  return join(parts);
}

/**
 * The fleet summary's first round: the inventory and every condition now, in four queries of
 * similar cost, so a store evaluates them side by side (one PromQL query runs on one core).
 */
export function summaryNowQueries(scope: QueryScope): string[] {
  const c = scope.clusterLabel;
  // Every answered sample costs the store, the wire and the backend's parse (~2 us each at
  // 100,000 clusters), so the fleet asks only for what its table shows or its judge reads: a
  // cluster's backlog only where it is over the judge's limit (the card reads every cluster's), and
  // no shard count (the table has no column for it; the card reads the queues' shards).
  const pending: SignalPart<GaugeSignal> = [
    'pending',
    `sum by (${c}) (${pendingPerQueue(scope)}) > ${scope.pendingSamplesWarning ?? 0}`,
  ];
  const gauges = gaugeNowParts(scope).filter(
    ([signal]) => signal !== 'shards' && signal !== 'pending',
  );
  const lagParts = new Set<GaugeSignal>(['lag', 'lag_q']);
  // What the receivers accept per tenant is read only for silent and refused clusters (the judge
  // reads it nowhere else): asked in the second round, summaryArrivingQuery.
  const rates = rateNowParts(scope).filter(
    ([signal]) => signal !== 'tenant_accepted',
  );
  return [
    inventoryQuery(scope),
    join(rates),
    join([pending, ...gauges.filter(([signal]) => !lagParts.has(signal))]),
    join(gauges.filter(([signal]) => lagParts.has(signal))),
  ];
}

/**
 * Above this many clusters a held signal is asked for the whole fleet: a matcher naming them would
 * cost the store more than it saves (the judge reads a held value only where its condition is true
 * now, so extra answers change nothing).
 */
export const MAX_NAMED_CLUSTERS = 5000;

/**
 * The fleet summary's second round in one query: the held signals (summaryHeldQuery) and what the
 * receivers accept for the tenants that need it (summaryArrivingQuery); undefined when neither has
 * anything to ask.
 */
export function summarySecondQuery(
  scope: QueryScope,
  heldClusters: HeldClusters,
  tenants: readonly string[],
): string | undefined {
  const parts = [
    summaryHeldQuery(scope, heldClusters),
    summaryArrivingQuery(scope, tenants),
  ].filter((q): q is string => q !== undefined);
  return parts.length > 0 ? parts.join('\nor\n') : undefined;
}

/**
 * The fleet summary's second round, beside the held signals: what the receivers accept for the
 * tenants of the clusters the first round found silent or refused (the judge tells a lagging cluster
 * from a dead one, and a refused tenant partly from wholly, by it); every tenant's when there are
 * more than MAX_NAMED_CLUSTERS. Undefined when no tenant needs it.
 */
export function summaryArrivingQuery(
  scope: QueryScope,
  tenants: readonly string[],
): string | undefined {
  if (tenants.length === 0) return undefined;
  const named =
    tenants.length > MAX_NAMED_CLUSTERS ? undefined : [...tenants].sort();
  return join<RateSignal>([
    ['tenant_accepted', tenantSeries(scope, 'accepted', named)],
  ]);
}

/**
 * The fleet summary's second round: each held signal for the clusters where its condition is true
 * now (found in the first round's answers); undefined when no cluster needs any.
 */
export function summaryHeldQuery(
  scope: QueryScope,
  clusters: HeldClusters,
): string | undefined {
  const parts: SignalPart<HeldSignal>[] = [];
  const builders: Array<(s: QueryScope) => SignalPart<HeldSignal>[]> = [
    rateHeldParts,
    gaugeHeldParts,
  ];
  for (const build of builders) {
    for (const [signal] of build(scope)) {
      const names = clusters[signal];
      if (!names || names.length === 0) continue;
      const narrowed: QueryScope =
        names.length > MAX_NAMED_CLUSTERS
          ? scope
          : { ...scope, clusters: [...names].sort() };
      const part = build(narrowed).find(([s]) => s === signal)!;
      parts.push(part);
    }
  }
  return parts.length > 0 ? join(parts) : undefined;
}

/**
 * A late cluster (its newest self-metrics older than an instant query's lookback) is judged on the
 * same rates and gauges, evaluated at its last sample (the caller passes `lastSeen` as the query's
 * time): full windows, every queue with its shards, lag and failures, not a nearly empty window.
 */
export function lateClusterQuery(
  scope: QueryScope & { cluster: string },
): string {
  // Without the receivers' per-tenant rates: they are of that past moment, observeLate does not
  // read them, and they are every tenant's (~11 MB and ~30 s a query at 100,000 clusters, each
  // late cluster asking).
  return `${ratesQuery(scope, { tenants: false })}\nor\n${gaugesQuery(scope)}`;
}

/**
 * The probe's signals: signals.ts' RecordingProbeSignal and the recorded inventory's chain start
 * (epoch s). Kept here until signals.ts, edited elsewhere, can take it.
 */
export type RecordingProbeAnswer = RecordingProbeSignal | 'unbroken_since';

/**
 * Probe of the fleet recording rules on an instance: the first and the last evaluation of the group
 * for this rate window within the inventory lookback (the heartbeat's values are evaluation times),
 * and since when its sticky inventory has been unbroken (absent when the chain is broken now, or
 * the group predates it). Two series, so it stays cheap at any fleet size.
 */
export function recordingRulesProbeQuery(
  window: string,
  lookback = INVENTORY_LOOKBACK,
): string {
  const heartbeat = heartbeatOf(window);
  const since = `${recordedFleetSeries(window).unbrokenSince}{${RECORDED_WINDOW_LABEL}=${escapeLabelValue(window)}}`;
  return join<RecordingProbeAnswer>([
    ['first_evaluated', `min(min_over_time(${heartbeat}[${lookback}]))`],
    ['last_evaluated', `max(max_over_time(${heartbeat}[${lookback}]))`],
    // Per copy (with dedup off each replica holds one): how many evaluations, for the interval.
    ['evaluations', `max(count_over_time(${heartbeat}[${lookback}]))`],
    // The latest start of any copy: the shortest coverage (two rulers would each have a chain).
    [
      'unbroken_since',
      `max(last_over_time(${since}[${RECORDED_CHAIN_BRIDGE}]))`,
    ],
  ]);
}

/**
 * Probe for Thanos Query: how many remote-write queues come back more than once, i.e. replica copies
 * that deduplication did not merge (0 when dedup works or nothing is replicated).
 */
export function duplicatesProbeQuery(clusterLabel: string): string {
  return `count(count by (${clusterLabel}, instance, remote_name, url) (${SHARDS_MAX}) > 1) or vector(0)`;
}

/** Time series for one cluster's graphs, all in one range query. */
export function clusterSeriesQuery(
  scope: QueryScope & { cluster: string },
): string {
  const max = `max by (${scope.clusterLabel})`;
  return join<ClusterSeriesSignal>([
    ['lag', `${max} (${lagExpr(scope)})`],
    ['sent', `sum by (${scope.clusterLabel}) (${deliveredPerQueue(scope)})`],
    ['failed', perCluster(scope, rateOf(scope, FAILED))],
    ['retried', perCluster(scope, rateOf(scope, RETRIED))],
  ]);
}

/** The mixin's `for:` of each Receive and Query alert (mixin/alerts/{receive,query}.libsonnet). */
export const MIXIN_FOR = {
  receiveHttpErrors: '5m',
  receiveLatency: '10m',
  receiveReplication: '5m',
  receiveHashringFile: '15m',
  receiveTenantLimited: '5m',
  receiveIsDown: '5m',
  receiveNoUpload: '3h',
  queryHttpErrors: '5m',
  queryGrpcErrors: '5m',
  queryDns: '15m',
  queryLatency: '10m',
  queryOverload: '15m',
} as const;

/** Scope for `held()` with a mixin alert's hold, scaled to our rate window (3h kept as written). */
function mixinScope(window: string, alert: keyof typeof MIXIN_FOR): QueryScope {
  const hold = mixinHold(MIXIN_FOR[alert], window, alert === 'receiveNoUpload');
  return { clusterLabel: '', window, hold: hold.duration };
}

/**
 * Thanos Receive signals after the Thanos mixin's ThanosReceive* alerts, for a component selector,
 * each condition now and held for the mixin's `for:` (`_held`). Sums are taken per receiver first
 * (`max by (instance, ...)`), so replica copies of the receivers' own series do not multiply the
 * ratios' parts.
 */
export function receiveQuery(matchers: LabelMatcher[], window: string): string {
  const s = formatMatchers(matchers);
  const m = (extra = '') => `{${[s, extra].filter(Boolean).join(',')}}`;
  const rate = (metric: string, extra = '', by = '') =>
    `sum(max by (instance${by}) (rate(${um(metric)}${m(extra)}[${window}])))`;
  const h = (alert: keyof typeof MIXIN_FOR, expr: string) =>
    held(mixinScope(window, alert), expr);
  const upNow = `sum(max by (instance) (up${m()}))`;
  const httpErrors = `${rate('http_requests_total', 'handler="receive",code=~"5.."', ', code')} / ${rate('http_requests_total', 'handler="receive"', ', code')}`;
  // ThanosReceiveHttpRequestLatencyHigh: p99 above the limit while there is traffic.
  const p99 = `histogram_quantile(0.99, sum by (le) (max by (instance, le, code, method) (rate(${upstreamHistogramSeries('http_request_duration_seconds', 'bucket')}${m('handler="receive"')}[${window}])))) and on () ${rate(upstreamHistogramSeries('http_request_duration_seconds', 'count'), 'handler="receive"', ', code, method')} > 0`;
  const replication = `${rate('thanos_receive_replications_total', 'result="error"', ', result')} / ${rate('thanos_receive_replications_total', '', ', result')}`;
  const fileErrors = rate('thanos_receive_hashrings_file_errors_total');
  // ThanosReceiveTenantLimitedByHeadSeries, per tenant (requests/s refused with 429).
  const limited = `sum by (tenant) (max by (instance, tenant) (rate(${um('thanos_receive_head_series_limited_requests_total')}${m()}[${window}]))) > 0`;
  // ThanosReceiveNoUpload, per receiver AND tenant (a sum by instance hides a tenant never shipped).
  const uploads = `max by (instance, tenant) (increase(${um('thanos_shipper_uploads_total')}${m()}[3h]))`;
  const noUpload = `(${uploads} == 0) and on (instance) (max by (instance) (up${m()}) == 1)`;
  return join<ReceiveSignal>([
    ['up', upNow],
    ['instances', `count(max by (instance) (up${m()}))`],
    // ThanosReceiveIsDown is absent(up == 1) for 5m: the most receivers up at any point of the hold.
    [
      'up_recent_max',
      `max_over_time((${upNow})[${holdOf(mixinScope(window, 'receiveIsDown'))}:${holdStep(mixinScope(window, 'receiveIsDown'))}])`,
    ],
    // The write quorum depends on the version (RF 2: 1 from v0.37.0, 2 before).
    [
      'version',
      `count by (version) (max by (instance, version) (${um('thanos_build_info')}${m()}))`,
    ],
    ['http_error_ratio', httpErrors],
    ['http_error_ratio_held', h('receiveHttpErrors', httpErrors)],
    ['p99_latency', p99],
    ['p99_latency_held', h('receiveLatency', p99)],
    ['replication_error_ratio', replication],
    ['replication_error_ratio_held', h('receiveReplication', replication)],
    [
      'forward_error_ratio',
      `${rate('thanos_receive_forward_requests_total', 'result="error"', ', result')} / ${rate('thanos_receive_forward_requests_total', '', ', result')}`,
    ],
    ['hashring_file_errors', fileErrors],
    // errors / refreshes > 0 is errors > 0 (a refresh-less error divides by 0: +Inf, still > 0).
    [
      'hashring_file_errors_held',
      `${h('receiveHashringFile', fileErrors)} > 0`,
    ],
    [
      'config_reload_ok',
      `min(${um('thanos_receive_config_last_reload_successful')}${m()})`,
    ],
    [
      'head_series_limited',
      rate('thanos_receive_head_series_limited_requests_total', '', ', tenant'),
    ],
    ['limited_tenant', limited],
    ['limited_tenant_held', h('receiveTenantLimited', limited)],
    [
      'replication_factor',
      `max(${um('thanos_receive_replication_factor')}${m()})`,
    ],
    ['hashring_nodes', `max(${um('thanos_receive_hashring_nodes')}${m()})`],
    [
      'min_uploads_3h',
      `min(${uploads} and on (instance) max by (instance) (up${m()}) == 1)`,
    ],
    ['no_upload', noUpload],
    ['no_upload_held', h('receiveNoUpload', noUpload)],
  ]);
}

/** gRPC codes the mixin's ThanosQueryGrpcServerErrorRate counts as server errors. */
const GRPC_SERVER_ERRORS =
  'Unknown|ResourceExhausted|Internal|Unavailable|DataLoss|DeadlineExceeded';

/**
 * Thanos Query's own series after the mixin's thanos-query alerts, for a component selector: the
 * HTTP error ratio and p99 per handler (query, query_range), gRPC server and client error ratios,
 * DNS failures of endpoint lookups, and the concurrency gate's headroom; each now and held.
 */
export function queryComponentQuery(
  matchers: LabelMatcher[],
  window: string,
): string {
  const s = formatMatchers(matchers);
  const m = (extra = '') => `{${[s, extra].filter(Boolean).join(',')}}`;
  const r = (metric: string, extra: string, by: string) =>
    `max by (instance, ${by}) (rate(${metric}${m(extra)}[${window}]))`;
  const h = (alert: keyof typeof MIXIN_FOR, expr: string) =>
    held(mixinScope(window, alert), expr);
  const handlers = 'handler=~"query|query_range"';
  const http = um('http_requests_total');
  const httpErrors = `sum by (handler) (${r(http, `${handlers},code=~"5.."`, 'handler, code, method')}) / sum by (handler) (${r(http, handlers, 'handler, code, method')})`;
  const ratio = (handled: string, started: string, codes: string) =>
    `sum(${r(um(handled), codes, 'grpc_code, grpc_method, grpc_service, grpc_type')}) / sum(${r(um(started), '', 'grpc_method, grpc_service, grpc_type')})`;
  const grpcServer = ratio(
    'grpc_server_handled_total',
    'grpc_server_started_total',
    `grpc_code=~"${GRPC_SERVER_ERRORS}"`,
  );
  const grpcClient = ratio(
    'grpc_client_handled_total',
    'grpc_client_started_total',
    'grpc_code!="OK"',
  );
  // The mixin reads thanos_query_store_apis_dns_*, which no tag from v0.38.0 emits (upstream table).
  const dns = `sum(max by (instance) (rate(${um('thanos_query_endpoints_dns_failures_total')}${m()}[${window}]))) / sum(max by (instance) (rate(${um('thanos_query_endpoints_dns_lookups_total')}${m()}[${window}])))`;
  const duration = (part: 'bucket' | 'count') =>
    upstreamHistogramSeries('http_request_duration_seconds', part);
  const p99 = `histogram_quantile(0.99, sum by (handler, le) (${r(duration('bucket'), handlers, 'handler, code, method, le')})) and on (handler) sum by (handler) (${r(duration('count'), handlers, 'handler, code, method')}) > 0`;
  // ThanosQueryOverload: max_over_time(gate max) - avg_over_time(in flight) < 1, per querier.
  const headroom = `max by (instance) (max_over_time(${um('thanos_query_concurrent_gate_queries_max')}${m()}[${window}])) - max by (instance) (avg_over_time(${um('thanos_query_concurrent_gate_queries_in_flight')}${m()}[${window}]))`;
  return join<QuerySignal>([
    ['http_error_ratio', httpErrors],
    ['http_error_ratio_held', h('queryHttpErrors', httpErrors)],
    ['grpc_server_error_ratio', grpcServer],
    ['grpc_server_error_ratio_held', h('queryGrpcErrors', grpcServer)],
    ['grpc_client_error_ratio', grpcClient],
    ['grpc_client_error_ratio_held', h('queryGrpcErrors', grpcClient)],
    ['dns_failure_ratio', dns],
    ['dns_failure_ratio_held', h('queryDns', dns)],
    ['p99_latency', p99],
    ['p99_latency_held', h('queryLatency', p99)],
    ['gate_headroom', `min(${headroom})`],
    ['overloaded_held', `count(${h('queryOverload', `(${headroom}) < 1`)})`],
  ]);
}

/**
 * "Are this service's metrics arriving?": per cluster targets up/total, series count, and the newest
 * matching sample (of any matching series, not of `up`: a selector may name metric-level labels).
 */
export function metricsArrivingQuery(
  matchers: LabelMatcher[],
  clusterLabel: string,
): string {
  const s = formatMatchers(matchers);
  const up = upSelector(matchers);
  const by = `by (${clusterLabel})`;
  const newest = newestSampleSelectors(matchers);
  const parts: SignalPart<ArrivingSignal>[] = [
    ['series', `count ${by} ({${s}})`],
    // Exact when fresh; a 1 h subquery finds clusters that went quiet, with their last sample time.
    [
      'last_seen',
      [
        ...newest.map(n => `max ${by} (timestamp(${n}))`),
        ...newest.map(n => `max ${by} (max_over_time(timestamp(${n})[1h:1m]))`),
      ].join(' or '),
    ],
  ];
  if (up) {
    // One value per target (job, instance), so replica copies of `up` are not counted as targets.
    const target = `max by (${clusterLabel}, job, instance) (${up})`;
    parts.unshift(
      ['targets_total', `count ${by} (${target})`],
      ['targets_up', `sum ${by} (${target})`],
    );
  }
  return join(parts);
}

/**
 * A bare selector whose `timestamp()` is each sample's own time (on any other expression it is the
 * evaluation time: promql/engine.go v2.53.4 ~1491, v3.14.0 ~2110), and whose series stay distinct
 * once timestamp() drops the metric name (else "vector cannot contain metrics with the same
 * labelset"): the selector itself when it names one metric, otherwise the targets' `up` (written at
 * every scrape of them; one series per target). A selector with metric-level labels matches no
 * `up`: for it the name is kept in a label, and its age is then only "within the lookback". In order
 * of preference, joined with `or` per cluster.
 */
function newestSampleSelectors(matchers: LabelMatcher[]): string[] {
  const s = formatMatchers(matchers);
  if (matchers.some(m => m.name === '__name__' && m.op === '='))
    return [`{${s}}`];
  const named = `label_replace({${s}}, "fleet_monitoring_metric", "$1", "__name__", "(.+)")`;
  const up = upSelector(matchers);
  return up ? [up, named] : [named];
}

/**
 * `up{...}` for the selector's target-level matchers, or undefined when the selector names a metric
 * (`__name__`): `up` cannot also carry another metric name, and such selectors say nothing of targets.
 */
function upSelector(matchers: LabelMatcher[]): string | undefined {
  if (matchers.some(m => m.name === '__name__')) return undefined;
  return `up{${formatMatchers(matchers)}}`;
}

/** The query a person can paste into Thanos Query to check a service by hand. */
export function manualCheckQuery(
  matchers: LabelMatcher[],
  clusterLabel: string,
): string {
  const up = upSelector(matchers);
  return up
    ? `count by (${clusterLabel}) (${up})`
    : `count by (${clusterLabel}) ({${formatMatchers(matchers)}})`;
}
