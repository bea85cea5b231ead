import {
  clusterTenants,
  oneOfMatcher,
  formatMatchers,
  LabelMatcher,
  REMOTE_WRITE_SERIES,
  TENANT_LABEL,
  upstreamMetric,
} from '@fleet-monitoring/plugin-monitoring-common';
import { joinSignals, signals, SIGNAL_LABEL } from '../thanos/signals';
import type { ThanosClient } from '../thanos/ThanosClient';
import type { ObservedFleet } from './sources';

/** The intended-vs-observed query's signals. */
type ObservedSignal = 'build' | 'tenant' | 'head' | 'limit' | 'limit_default';

const HEAD = upstreamMetric('prometheus_tsdb_head_series').name;
const LIMIT = upstreamMetric('thanos_receive_head_series_limit').name;
/** How far back the newest build_info and tenant samples are looked for. */
const WINDOW = '10m';
/**
 * Every Prometheus (agent or server) exports it from its own registry (prometheus/common
 * `version.NewCollector("prometheus")`: labels version, revision, branch, goversion, ...); the
 * self-scrape adds job and instance, the agent its external labels.
 */
const BUILD_INFO = 'prometheus_build_info';
/** A writer whose newest build_info sample is this much older than its cluster's newest has stopped. */
const WRITER_FRESH_SECONDS = 150;
/** How far back a break is looked for, and at what resolution. */
export const BREAK_LOOKBACK_SECONDS = 6 * 3600;
export const BREAK_STEP_SECONDS = 30;
/** Clusters whose break start is looked up per refresh (the rest stay without `changedBy`). */
export const MAX_BREAK_LOOKUPS = 50;

/**
 * One query for the whole fleet: every Prometheus writing under a cluster label
 * (`prometheus_build_info`, whose labels carry the version and the external labels), each
 * cluster's tenant, and each tenant's head series and limit on the receivers.
 */
export function observedQuery(
  clusterLabel: string,
  receiveSelector: LabelMatcher[],
): string {
  const own = formatMatchers(receiveSelector);
  return joinSignals<ObservedSignal>([
    // timestamp(): the newest sample of each writer, so a restarted agent's old series (it
    // stops without a staleness marker) is not counted as a second writer once it is old.
    // Only processes with a remote-write queue (its shards gauge, one per queue): a Prometheus the
    // agent merely scrapes writes nothing under the label itself.
    [
      'build',
      `timestamp(${BUILD_INFO}{${clusterLabel}!=""}) and on (${clusterLabel}, instance) group by (${clusterLabel}, instance) (${REMOTE_WRITE_SERIES.shards}{${clusterLabel}!=""})`,
    ],
    [
      'tenant',
      clusterTenants(
        { clusterLabel, window: WINDOW },
        sel => `last_over_time(${sel}[${WINDOW}])`,
      ),
    ],
    [
      'head',
      `sum by (tenant) (max by (tenant, instance) (${HEAD}{${[own, 'tenant!=""'].filter(Boolean).join(',')}}))`,
    ],
    [
      'limit',
      `max by (tenant) (${LIMIT}{${[own, 'tenant!=""'].filter(Boolean).join(',')}})`,
    ],
    [
      'limit_default',
      `max(${LIMIT}{${[own, 'tenant=""'].filter(Boolean).join(',')}})`,
    ],
  ]);
}

export function parseObserved(
  samples: Parameters<typeof signals>[0],
  clusterLabel: string,
): Omit<ObservedFleet, 'brokeAt'> {
  const s = signals<ObservedSignal>(samples);
  const byCluster = new Map<
    string,
    Array<{ labels: Record<string, string>; at: number }>
  >();
  for (const b of s.get('build') ?? []) {
    const cluster = b.labels[clusterLabel];
    if (!cluster) continue;
    const labels = { ...b.labels };
    delete labels[SIGNAL_LABEL];
    delete labels.__name__;
    const list = byCluster.get(cluster) ?? [];
    list.push({ labels, at: b.value });
    byCluster.set(cluster, list);
  }
  const writers: ObservedFleet['writers'] = {};
  for (const [cluster, list] of byCluster) {
    const newest = Math.max(...list.map(w => w.at));
    writers[cluster] = list
      .filter(w => newest - w.at <= WRITER_FRESH_SECONDS)
      .map(w => ({ labels: w.labels }));
  }
  const tenants: ObservedFleet['tenants'] = {};
  for (const t of s.get('tenant') ?? []) {
    const cluster = t.labels[clusterLabel];
    const tenant = t.labels[TENANT_LABEL];
    if (cluster && tenant) tenants[cluster] = tenant;
  }
  const tenantLimits: ObservedFleet['tenantLimits'] = {};
  const fallback = s.get('limit_default')?.[0]?.value;
  for (const h of s.get('head') ?? [])
    (tenantLimits[h.labels.tenant] ??= {}).headSeries = h.value;
  for (const l of s.get('limit') ?? [])
    (tenantLimits[l.labels.tenant] ??= {}).limit = l.value;
  if (fallback !== undefined)
    for (const t of Object.values(tenants))
      (tenantLimits[t] ??= {}).limit ??= fallback;
  return { writers, tenants, tenantLimits };
}

/**
 * When each cluster's remote write turned bad: the start of the trailing run of steps in which
 * it failed, retried or dropped samples (the agents' own counters), over the last
 * BREAK_LOOKBACK_SECONDS. One range query for up to MAX_BREAK_LOOKUPS clusters.
 */
export async function breakStarts(
  client: Pick<ThanosClient, 'queryRange'>,
  clusterLabel: string,
  clusters: string[],
  now: number,
): Promise<Record<string, number>> {
  if (clusters.length === 0) return {};
  const names = clusters.slice(0, MAX_BREAK_LOOKUPS);
  const sel = `{${oneOfMatcher(clusterLabel, names)}}`;
  // One tagged rate per counter: rate() drops the name, and three same-labelled vectors in one
  // selector are "the same labelset" to Prometheus before v3's delayed name removal.
  const counters = [
    ...REMOTE_WRITE_SERIES.failed,
    ...REMOTE_WRITE_SERIES.retried,
    ...REMOTE_WRITE_SERIES.dropped,
  ];
  const rates = counters
    .map(
      name =>
        `label_replace(rate(${name}${sel}[2m]), "fleet_monitoring_counter", "${name}", "", "")`,
    )
    .join(' or ');
  const bad = `sum by (${clusterLabel}) (${rates}) > 0`;
  const end = Math.floor(now);
  const start = end - BREAK_LOOKBACK_SECONDS;
  const { result } = await client.queryRange(
    bad,
    start,
    end,
    BREAK_STEP_SECONDS,
  );
  const out: Record<string, number> = {};
  for (const series of result) {
    const cluster = series.metric[clusterLabel];
    const times = series.values.map(v => Number(v[0])).sort((a, b) => a - b);
    if (!cluster || times.length === 0) continue;
    // The trailing run of bad steps, walked back while contiguous.
    let first = times[times.length - 1];
    for (let i = times.length - 2; i >= 0; i--) {
      if (first - times[i] > BREAK_STEP_SECONDS) break;
      first = times[i];
    }
    // Bad since before the lookback: when it began is not known.
    if (first - start < BREAK_STEP_SECONDS) continue;
    // The step before was clean: no bad sample in the window ending there, so the trouble began
    // after it. A sync named as the cause finished no later than that.
    out[cluster] = first - BREAK_STEP_SECONDS;
  }
  return out;
}
