import { CapacitySeries, startBackfilledStore } from './capacity';
import { centralConfig, PrometheusProcess } from './prometheus';
import { ThanosTsdbStatusFake } from './fakes/thanosTsdbStatus';
import { Timeseries, writeSeries } from './remoteWrite';

/**
 * Where a tenant's series come from, and one cluster whose series explode: a metric with a
 * high-cardinality label (a user id) appearing and growing, as an application exposes it and Receive
 * stores it (one TSDB per tenant; `tenant_id` added to what Query reads, not to the head's series).
 *
 * `startCardinalityFleet` builds what the backend reads: a PromQL store with the history (promtool
 * blocks) and the newest sample of every series (in its head, by remote write), and per tenant a
 * Prometheus whose head holds exactly that tenant's series, behind the Thanos Query TSDB-statistics
 * fake (fakes/thanosTsdbStatus.ts). Prometheus's statistics cover its head only, as Receive's do.
 */

/** A metric a cluster exposes steadily: `series` series of job `job`, one per `label` value. */
export interface SteadyMetric {
  name: string;
  job: string;
  series: number;
  /** The label whose values tell the series apart (default `path`). */
  label?: string;
}

/** A metric whose `label` gains `perHour` new values from `from` (unix seconds), up to `max`. */
export interface ExplodingMetric {
  name: string;
  job: string;
  label: string;
  /** Values before it starts growing (default 0: the metric appears at `from`). */
  initial?: number;
  from: number;
  perHour: number;
  max?: number;
}

export interface CardinalityCluster {
  cluster: string;
  tenant: string;
  steady: SteadyMetric[];
  exploding?: ExplodingMetric;
}

/** Values of an exploding metric's label at unix second t. */
export function explodingValues(e: ExplodingMetric, t: number): number {
  const grown = t < e.from ? 0 : Math.floor((e.perHour * (t - e.from)) / 3600);
  return Math.min(e.max ?? Infinity, (e.initial ?? 0) + grown);
}

/**
 * Every series of the clusters up to unix second `until`, with `tenant_id` as Query sees them
 * (`withTenant`) or as the tenant's head holds them.
 */
export function cardinalitySeries(
  clusters: CardinalityCluster[],
  until: number,
  withTenant: boolean,
): Array<CapacitySeries & { tenant: string }> {
  const out: Array<CapacitySeries & { tenant: string }> = [];
  for (const c of clusters) {
    const own = (job: string) => ({
      cluster: c.cluster,
      job,
      instance: `${job}-0:8080`,
      ...(withTenant ? { tenant_id: c.tenant } : {}),
    });
    for (const m of c.steady)
      for (let i = 0; i < m.series; i++)
        out.push({
          tenant: c.tenant,
          labels: {
            __name__: m.name,
            ...own(m.job),
            [m.label ?? 'path']: `/p${i}`,
          },
          value: t => t % 1000,
        });
    // The agent's own newest-timestamp gauge: the series the backend finds a cluster's tenant from.
    out.push({
      tenant: c.tenant,
      labels: {
        __name__: 'prometheus_remote_storage_highest_timestamp_in_seconds',
        ...own('prometheus-agent'),
        instance: 'prometheus-agent-0',
      },
      value: t => t,
    });
    const e = c.exploding;
    if (!e) continue;
    const total = explodingValues(e, until);
    for (let i = 0; i < total; i++)
      out.push({
        tenant: c.tenant,
        labels: { __name__: e.name, ...own(e.job), [e.label]: `u${i}` },
        // Each value exists from the moment the label has gained it.
        value: t => (i < explodingValues(e, t) ? 1 : NaN),
      });
  }
  return out;
}

export interface CardinalityFleet {
  /** The Thanos Query stand-in: PromQL and `/api/v1/status/tsdb`. */
  url: string;
  store: PrometheusProcess;
  tenants: Record<string, PrometheusProcess>;
  fake: ThanosTsdbStatusFake;
  destroy(): Promise<void>;
}

/** The newest sample of each series present at `t`, for a head. */
function newest(series: CapacitySeries[], t: number): Timeseries[] {
  return series
    .filter(s => !Number.isNaN(s.value(t)))
    .map(s => ({
      labels: s.labels,
      samples: [{ value: s.value(t), timestamp: t * 1000 }],
    }));
}

/**
 * The clusters' history from `start` to `end` (step `stepSeconds`, at most 300 so an instant query
 * finds a sample a day ago) and their newest samples at `end` in the heads.
 */
export async function startCardinalityFleet(
  clusters: CardinalityCluster[],
  opts: { start: number; end: number; stepSeconds: number },
): Promise<CardinalityFleet> {
  const queried = cardinalitySeries(clusters, opts.end, true);
  const store = await startBackfilledStore('cardinality', queried, {
    ...opts,
    end: opts.end - opts.stepSeconds,
  });
  const tenants: Record<string, PrometheusProcess> = {};
  try {
    await writeSeries(`${store.url}/api/v1/write`, newest(queried, opts.end));
    const held = cardinalitySeries(clusters, opts.end, false);
    for (const tenant of [...new Set(clusters.map(c => c.tenant))]) {
      const tsdb = new PrometheusProcess({
        name: `tenant-${tenant}`,
        mode: 'central',
        config: centralConfig('30s'),
      });
      tenants[tenant] = tsdb;
      await tsdb.start();
      await writeSeries(
        `${tsdb.url}/api/v1/write`,
        newest(
          held.filter(s => s.tenant === tenant),
          opts.end,
        ),
      );
    }
  } catch (e) {
    await Promise.all([store, ...Object.values(tenants)].map(p => p.destroy()));
    throw e;
  }
  const fake = new ThanosTsdbStatusFake({
    promqlUrl: store.url,
    tenants: Object.fromEntries(
      Object.entries(tenants).map(([t, p]) => [t, p.url]),
    ),
  });
  await fake.start();
  return {
    url: fake.url,
    store,
    tenants,
    fake,
    async destroy() {
      await fake.stop();
      await Promise.all(
        [store, ...Object.values(tenants)].map(p => p.destroy()),
      );
    },
  };
}
