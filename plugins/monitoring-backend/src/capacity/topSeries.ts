import {
  HealthReason,
  isValidLabelName,
  RECEIVE_REPLICA_LABEL,
  stateFromReasons,
  TENANT_LABEL,
  TopSeries,
  TopSeriesCost,
  TopSeriesMetric,
} from '@fleet-monitoring/plugin-monitoring-common';
import { fmt } from '../core/format';
import type { TaggedSample } from '../thanos/signals';
import { UpstreamError } from '../upstream/errors';
import type { TopSeriesSignal } from './queries';

/**
 * Where a tenant's series come from: the per-tenant TSDB statistics (Thanos Query's
 * `GET /api/v1/status/tsdb`, v0.40 and later: thanos-io/thanos v0.42.4 `pkg/api/query/v1.go`),
 * read for the tenant through a `match[]` on `tenant_id` (Receive answers only the tenants named by
 * exact matchers on its tenant label) and `limit`, then one bounded PromQL query for the top
 * names' change over a day and their driving labels. Pure parts here; CapacityService asks.
 */

/** Entries asked per list of the statistics (Query's default; 10 names, labels, pairs). */
export const TOP_LIMIT = 10;
/** Highest-cardinality labels whose values are counted per top name. */
export const DRIVER_LABELS = 3;
/** A name that grew by more than this share and EXPLOSION_MIN series in a day is an explosion. */
export const EXPLOSION_RATIO = 0.5;
export const EXPLOSION_MIN = 1_000;

/** The Prometheus `TSDBStatus` Query answers (`web/api/v1`): each list `[{name, value}]`, largest first. */
export interface TsdbStatus {
  headStats: { numSeries: number };
  seriesCountByMetricName: Array<{ name: string; value: number }>;
  labelValueCountByLabelName: Array<{ name: string; value: number }>;
  seriesCountByLabelValuePair: Array<{ name: string; value: number }>;
}

/** The statistics' data checked for the fields read, or a bad-response error naming what is wrong. */
export function parseTsdbStatus(upstream: string, data: unknown): TsdbStatus {
  const d = data as Partial<TsdbStatus> | null;
  const list = (x: unknown) =>
    Array.isArray(x) &&
    x.every(
      e =>
        e &&
        typeof e.name === 'string' &&
        typeof e.value === 'number' &&
        Number.isFinite(e.value),
    );
  if (
    !d ||
    typeof d.headStats?.numSeries !== 'number' ||
    !list(d.seriesCountByMetricName) ||
    !list(d.labelValueCountByLabelName) ||
    !list(d.seriesCountByLabelValuePair)
  ) {
    throw new UpstreamError(
      upstream,
      'bad-response',
      'the TSDB statistics are not in the Prometheus TSDBStatus shape',
    );
  }
  return d as TsdbStatus;
}

/**
 * The labels whose values are counted per top name: the tenant's highest-cardinality labels, but
 * the name itself and the labels every series of the tenant carries once (cluster, tenant, replica).
 */
export function driverLabels(
  status: TsdbStatus,
  clusterLabel: string,
): string[] {
  const skip = new Set([
    '__name__',
    clusterLabel,
    TENANT_LABEL,
    RECEIVE_REPLICA_LABEL,
  ]);
  return status.labelValueCountByLabelName
    .filter(l => !skip.has(l.name) && isValidLabelName(l.name))
    .slice(0, DRIVER_LABELS)
    .map(l => l.name);
}

/** Jobs by head series, from the `job=<value>` entries of the top label-value pairs. */
export function jobsOf(status: TsdbStatus): TopSeries['jobs'] {
  return status.seriesCountByLabelValuePair
    .filter(p => p.name.startsWith('job='))
    .map(p => ({ job: p.name.slice('job='.length), headSeries: p.value }));
}

/** The top names with their share, change over a day and driving labels. */
export function topMetrics(
  status: TsdbStatus,
  drivers: string[],
  s: ReadonlyMap<TopSeriesSignal, TaggedSample[]>,
): TopSeriesMetric[] {
  const total = status.headStats.numSeries;
  const of = (k: TopSeriesSignal, name: string) =>
    s.get(k)?.find(x => x.labels.__name__ === name)?.value;
  return status.seriesCountByMetricName.map(m => {
    const seriesNow = of('now', m.name);
    const ago = of('ago', m.name);
    // No series a day ago is 0, not unknown: the metric appeared within the day.
    const series1dAgo = seriesNow !== undefined ? (ago ?? 0) : ago;
    const driven = drivers
      .map((label, i) => ({ label, values: of(`driver_${i}`, m.name) ?? 0 }))
      .filter(d => d.values > 1)
      .sort((a, b) => b.values - a.values);
    return {
      name: m.name,
      headSeries: m.value,
      share: total > 0 ? Math.round((m.value / total) * 1000) / 1000 : 0,
      ...(seriesNow !== undefined ? { seriesNow } : {}),
      ...(series1dAgo !== undefined ? { series1dAgo } : {}),
      ...(seriesNow !== undefined && series1dAgo !== undefined
        ? { change1d: seriesNow - series1dAgo }
        : {}),
      ...(driven.length > 0 ? { drivers: driven } : {}),
    };
  });
}

/** An explosion: a top name that grew by half again and at least EXPLOSION_MIN series in a day. */
export function judgeTopSeries(
  tenant: string,
  metrics: TopSeriesMetric[],
): { state: TopSeries['state']; reasons: HealthReason[] } {
  const reasons: HealthReason[] = [];
  for (const m of metrics) {
    const change = m.change1d ?? 0;
    if (
      change < EXPLOSION_MIN ||
      change < EXPLOSION_RATIO * (m.series1dAgo ?? 0)
    )
      continue;
    const driver = m.drivers?.[0];
    reasons.push({
      id: 'capacity-series-explosion',
      severity: 'warning',
      message: `${m.name} of tenant "${tenant}" grew by ${fmt(change)} series in a day (${fmt(m.series1dAgo ?? 0)} to ${fmt(m.seriesNow ?? 0)})${driver ? `; its label ${driver.label} has ${fmt(driver.values)} values` : ''}.`,
      value: change,
      threshold: EXPLOSION_MIN,
      hint: driver
        ? `Drop ${m.name} or its ${driver.label} label at the agent (write_relabel_configs), or fix the exporter.`
        : `Drop ${m.name} at the agent (write_relabel_configs), or fix the exporter.`,
    });
  }
  return { state: stateFromReasons(reasons), reasons };
}

/** The answer when the store has no per-tenant statistics (Query before v0.40, or no such route). */
export function statisticsUnavailable(): HealthReason {
  return {
    id: 'capacity-top-series-unavailable',
    severity: 'info',
    message:
      'The store answers 404 to GET /api/v1/status/tsdb: per-tenant TSDB statistics need Thanos Query 0.40 or later.',
    hint: "Upgrade Thanos Query to 0.40 or later, or read the receivers' /api/v1/status/tsdb with the tenant header.",
  };
}

/** What each view costs the store, with the figures of this answer. */
export function topSeriesCosts(
  tenant: string,
  metrics: TopSeriesMetric[],
  drivers: string[],
): TopSeriesCost[] {
  const now = metrics.reduce((n, m) => n + (m.seriesNow ?? 0), 0);
  const ago = metrics.reduce((n, m) => n + (m.series1dAgo ?? 0), 0);
  const costs: TopSeriesCost[] = [
    {
      view: 'top names, jobs and labels',
      upstream: `GET /api/v1/status/tsdb?limit=${TOP_LIMIT}&match[]={${TENANT_LABEL}="${tenant}"}`,
      cost: `each receiver walks its head index of tenant "${tenant}" (postings only, no samples); ${TOP_LIMIT} entries per list come back`,
    },
  ];
  if (metrics.length > 0) {
    costs.push({
      view: 'change over a day',
      upstream: `count by (__name__) of the ${metrics.length} top names, now and offset 1d (one instant query)`,
      cost: `postings and one sample per series of those names only: ${fmt(now)} series now, ${fmt(ago)} a day ago`,
    });
    if (drivers.length > 0)
      costs.push({
        view: 'labels that drive them',
        upstream: `count by (__name__) (group by (__name__, label)) for ${drivers.join(', ')}, in the same query`,
        cost: `the top names' series again once per label: ${fmt(now * drivers.length)} series`,
      });
  }
  return costs;
}
