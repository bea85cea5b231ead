import {
  escapeLabelValue,
  oneOfMatcher,
  formatMatchers,
  LabelMatcher,
  upstreamMetric,
} from '@fleet-monitoring/plugin-monitoring-common';
import { joinSignals, SignalPart } from '../thanos/signals';

/**
 * The capacity questions' PromQL (style of thanos/queries.ts: label values only through
 * escapeLabelValue/formatMatchers, several tagged signals per query).
 *
 * Restarts and resets: the forecasts fit a line through a *smoothed* head series, not the raw gauge.
 * Each receiver's gauge is first taken as its maximum over the last hour (`max_over_time[1h]`), then
 * summed: a receiver that restarts and refills its head within the hour (it is re-sent every series
 * it owns within a scrape interval or two, or replays its WAL) never shows a dip, and a longer outage
 * is one or two of the 168 hourly points of the week's fit. For a series that only grows, the maximum
 * over the hour is its newest value, so the fit of a linear growth is not biased. The line is
 * `deriv` / `predict_linear(..., 0)` over a subquery of that sum (`[1d:10m]` for today's growth, `[7d:1h]` for the week's).
 */

const HEAD = upstreamMetric('prometheus_tsdb_head_series').name;
const LIMIT = upstreamMetric('thanos_receive_head_series_limit').name;
const LIMITED = upstreamMetric(
  'thanos_receive_head_series_limited_requests_total',
).name;
const RF = upstreamMetric('thanos_receive_replication_factor').name;
const NODES = upstreamMetric('thanos_receive_hashring_nodes').name;
const WORKING_SET = upstreamMetric('container_memory_working_set_bytes').name;
const KSM_LIMITS = upstreamMetric('kube_pod_container_resource_limits').name;

/** How far back a restart is smoothed over (see above). */
export const SMOOTHING = '1h';

/** Signals of tenantCapacityQuery. */
export type TenantCapacitySignal =
  | 'head_sum'
  | 'receivers'
  | 'smoothed'
  | 'smoothed_1d_ago'
  | 'smoothed_7d_ago'
  | 'slope_1d'
  | 'slope_7d'
  | 'fit_1d'
  | 'fit_7d'
  | 'points_1d'
  | 'points_7d'
  | 'limit_tenant'
  | 'limit_default'
  | 'replication_factor'
  | 'hashring_nodes'
  | 'limited';

/** Signals of receiversCapacityQuery (per receiver pod). */
export type ReceiversCapacitySignal = 'head_series' | 'replication_factor';

/** Signals of receiversMemoryQuery (per receiver container). */
export type ReceiversMemorySignal =
  | 'working_set'
  | 'memory_limit'
  | 'ws_smoothed'
  | 'ws_slope_1d'
  | 'ws_fit_1d'
  | 'ws_points_1d';

function sel(matchers: string[]): string {
  return `{${matchers.filter(Boolean).join(',')}}`;
}

/**
 * One tenant on the receivers of `selector`: head series summed over receivers (every replica copy
 * counted, as the head-series limiter's default meta-monitoring query counts them), the smoothed
 * sum now, a day and a week ago, its slope and fitted value over a day and a week, the limits, the
 * replication factor and the 429s of the limiter.
 */
export function tenantCapacityQuery(
  selector: LabelMatcher[],
  tenant: string,
): string {
  const own = formatMatchers(selector);
  const head = `${HEAD}${sel([own, `tenant=${escapeLabelValue(tenant)}`])}`;
  // One value per receiver (instance), whatever the number of scrape copies (HA Prometheus pair).
  const smoothed = (offset = '') =>
    `sum by (tenant) (max by (tenant, instance) (max_over_time(${head}[${SMOOTHING}]${offset})))`;
  const s = smoothed();
  const parts: SignalPart<TenantCapacitySignal>[] = [
    ['head_sum', `sum by (tenant) (max by (tenant, instance) (${head}))`],
    ['receivers', `count by (tenant) (max by (tenant, instance) (${head}))`],
    ['smoothed', s],
    ['smoothed_1d_ago', smoothed(' offset 1d')],
    ['smoothed_7d_ago', smoothed(' offset 7d')],
    ['slope_1d', `deriv((${s})[1d:10m])`],
    ['slope_7d', `deriv((${s})[7d:1h])`],
    ['fit_1d', `predict_linear((${s})[1d:10m], 0)`],
    ['fit_7d', `predict_linear((${s})[7d:1h], 0)`],
    ['points_1d', `count_over_time((${s})[1d:10m])`],
    ['points_7d', `count_over_time((${s})[7d:1h])`],
    [
      'limit_tenant',
      `max(${LIMIT}${sel([own, `tenant=${escapeLabelValue(tenant)}`])})`,
    ],
    ['limit_default', `max(${LIMIT}${sel([own, 'tenant=""'])})`],
    ['replication_factor', `max(${RF}${sel([own])})`],
    ['hashring_nodes', `max(${NODES}${sel([own])})`],
    [
      'limited',
      `sum(max by (instance) (rate(${LIMITED}${sel([own, `tenant=${escapeLabelValue(tenant)}`])}[5m])))`,
    ],
  ];
  return joinSignals(parts);
}

/** Head series per receiver pod (all tenants, one value per pod) and the replication factor. */
export function receiversCapacityQuery(selector: LabelMatcher[]): string {
  const own = formatMatchers(selector);
  return joinSignals<ReceiversCapacitySignal>([
    [
      'head_series',
      `sum by (namespace, pod) (max by (namespace, pod, tenant) (${HEAD}${sel([own])}))`,
    ],
    ['replication_factor', `max(${RF}${sel([own])})`],
  ]);
}

/**
 * Working set (cAdvisor) and memory limit (kube-state-metrics) of the receivers' containers, for
 * exactly the pods the receivers' own series name: asking for all containers of the cluster would
 * cost the store every pod's series. The pod cgroup (`container=""`) and the sandbox (`POD`) are
 * left out. The working set is smoothed and fitted over a day like the head series.
 */
export function receiversMemoryQuery(
  pods: Array<{ namespace: string; pod: string }>,
): string {
  const namespaces = [...new Set(pods.map(p => p.namespace))];
  const names = [...new Set(pods.map(p => p.pod))];
  const podSel = [
    oneOfMatcher('namespace', namespaces),
    oneOfMatcher('pod', names),
  ];
  const ws = `${WORKING_SET}${sel([...podSel, 'container!=""', 'container!="POD"'])}`;
  const smoothed = `max by (namespace, pod, container) (max_over_time(${ws}[${SMOOTHING}]))`;
  return joinSignals<ReceiversMemorySignal>([
    ['working_set', `max by (namespace, pod, container) (${ws})`],
    [
      'memory_limit',
      `max by (namespace, pod, container) (${KSM_LIMITS}${sel([...podSel, 'resource="memory"', 'unit="byte"'])})`,
    ],
    ['ws_smoothed', smoothed],
    ['ws_slope_1d', `deriv((${smoothed})[1d:10m])`],
    ['ws_fit_1d', `predict_linear((${smoothed})[1d:10m], 0)`],
    ['ws_points_1d', `count_over_time((${smoothed})[1d:10m])`],
  ]);
}

/** Signals of topSeriesQuery: per metric name, now, a day ago, and values of each driver label. */
export type TopSeriesSignal = 'now' | 'ago' | `driver_${number}`;

/**
 * The top names' change over a day and the labels that drive them, bounded to `names` (the tenant's
 * top names from the TSDB statistics): the store reads the postings and one sample per series of
 * those names only, at now and a day ago, and again once per driver label (distinct values per name).
 */
export function topSeriesQuery(
  clusterLabel: string,
  cluster: string,
  names: string[],
  drivers: string[],
): string {
  const base = [
    oneOfMatcher('__name__', names),
    `${clusterLabel}=${escapeLabelValue(cluster)}`,
  ];
  const parts: SignalPart<TopSeriesSignal>[] = [
    ['now', `count by (__name__) (${sel(base)})`],
    ['ago', `count by (__name__) (${sel(base)} offset 1d)`],
    ...drivers.map((label, i): SignalPart<TopSeriesSignal> => [
      `driver_${i}`,
      `count by (__name__) (group by (__name__, ${label}) (${sel([...base, `${label}!=""`])}))`,
    ]),
  ];
  return joinSignals(parts);
}

/** Signals of tenantsCapacityQuery (one value per tenant, but the default limit). */
export type TenantsCapacitySignal =
  | 'head_sum'
  | 'smoothed'
  | 'smoothed_1d_ago'
  | 'smoothed_7d_ago'
  | 'limit_tenant'
  | 'limit_default'
  | 'limited';

/**
 * Every tenant of the receivers of `selector` in one query, by tenant: the head sums, the smoothed
 * sum now, a day and a week ago (the secants the fleet list forecasts from), the limits and the
 * limiter's refusals. No subquery: the store reads an hour of each receiver x tenant head-series
 * gauge at three instants, whatever the number of tenants' own series. (Least-squares lines through
 * every tenant, as the card fits one, cost 168 + 144 steps each: seconds per thousand tenants.)
 */
export function tenantsCapacityQuery(selector: LabelMatcher[]): string {
  const own = formatMatchers(selector);
  const head = `${HEAD}${sel([own])}`;
  const smoothed = (offset = '') =>
    `sum by (tenant) (max by (tenant, instance) (max_over_time(${head}[${SMOOTHING}]${offset})))`;
  return joinSignals<TenantsCapacitySignal>([
    ['head_sum', `sum by (tenant) (max by (tenant, instance) (${head}))`],
    ['smoothed', smoothed()],
    ['smoothed_1d_ago', smoothed(' offset 1d')],
    ['smoothed_7d_ago', smoothed(' offset 7d')],
    ['limit_tenant', `max by (tenant) (${LIMIT}${sel([own, 'tenant!=""'])})`],
    ['limit_default', `max(${LIMIT}${sel([own, 'tenant=""'])})`],
    [
      'limited',
      `sum by (tenant) (max by (tenant, instance) (rate(${LIMITED}${sel([own])}[5m])))`,
    ],
  ]);
}
