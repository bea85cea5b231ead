import { ExplodingMetric, explodingValues } from './cardinality';
import { ThanosTsdbStatusFake } from './fakes/thanosTsdbStatus';
import type { LocalFleet } from './fleet';
import { centralConfig, PrometheusProcess } from './prometheus';
import type { Timeseries } from './remoteWrite';

/**
 * The demo's cardinality explosion (#21): one cluster's checkout service starts exposing a counter
 * per user id, so the metric gains label values every minute. Its series go through the demo's
 * Thanos Receive path (the cluster's tenant, every live replica, the deduplicated store) like the
 * cluster's other series, so Thanos Query counts them (the drop-series template's dry-run), and
 * the tenant's TSDB statistics (Query's `GET /api/v1/status/tsdb`, which no local binary serves)
 * come from a Prometheus whose head holds exactly that tenant's series, as a receiver's tenant TSDB
 * does: it federates them from the deduplicated store (`tenant_id` dropped, as Receive keeps the
 * tenant as an external label, not on the head's series). Other tenants have no statistics in the
 * demo: their top-series list is empty.
 */
export const DEMO_EXPLODING_CLUSTER = 'cluster-03-edge';

/** The exploding metric, relative to `startedAt` (unix seconds): 1,500 user ids then 150 an hour. */
export function demoExplodingMetric(startedAt: number): ExplodingMetric {
  return {
    name: 'checkout_requests_by_user_total',
    job: 'checkout',
    label: 'user_id',
    from: startedAt - 10 * 3600,
    perHour: 150,
  };
}

const STEP_SECONDS = 15;

export interface DemoExplosion {
  cluster: string;
  metric: ExplodingMetric;
  /** The TSDB-statistics fake the Query facade sends `/api/v1/status/tsdb` to. */
  statusUrl: string;
  stop(): Promise<void>;
}

/** The exploding metric's series at unix second t: one per user id the label has gained by then. */
function explodingSeries(
  cluster: string,
  e: ExplodingMetric,
  t: number,
): Timeseries[] {
  return Array.from({ length: explodingValues(e, t) }, (_, i) => ({
    labels: {
      __name__: e.name,
      cluster,
      job: e.job,
      instance: `${e.job}-0:8080`,
      namespace: 'shop',
      [e.label]: `u${i}`,
    },
    // A counter of that user's requests: one a minute since its id appeared.
    samples: [
      {
        value: Math.max(
          1,
          Math.floor((t - e.from - (i * 3600) / e.perHour) / 60),
        ),
        timestamp: t * 1000,
      },
    ],
  }));
}

/**
 * Starts the explosion on the demo fleet: writes the series now and every STEP_SECONDS, starts the
 * tenant's head (federating from the deduplicated store) and routes the facade's TSDB statistics to
 * it.
 */
export async function startDemoExplosion(
  fleet: LocalFleet,
  onError: (e: unknown) => void,
  cluster = DEMO_EXPLODING_CLUSTER,
): Promise<DemoExplosion> {
  const facade = fleet.thanosQuery;
  const source = fleet.dedupStore;
  if (!facade || !source)
    throw new Error('the explosion needs the replicated demo fleet');
  const metric = demoExplodingMetric(Math.floor(Date.now() / 1000));
  const write = () =>
    fleet.sink.write([
      {
        tenant: cluster,
        series: explodingSeries(cluster, metric, Math.floor(Date.now() / 1000)),
      },
    ]);
  await write();
  const head = new PrometheusProcess({
    name: `tenant-head-${cluster}`,
    mode: 'central',
    config: {
      ...centralConfig(`${STEP_SECONDS}s`),
      scrape_configs: [
        {
          job_name: 'tenant-head',
          honor_labels: true,
          metrics_path: '/federate',
          params: { 'match[]': [`{tenant_id="${cluster}"}`] },
          static_configs: [{ targets: [new URL(source.url).host] }],
          metric_relabel_configs: [
            { action: 'labeldrop', regex: 'tenant_id|replica' },
          ],
        },
      ],
    },
  });
  await head.start();
  const status = new ThanosTsdbStatusFake({
    promqlUrl: facade.url,
    tenants: { [cluster]: head.url },
  });
  try {
    await status.start();
  } catch (e) {
    await head.destroy();
    throw e;
  }
  facade.tsdbStatusUrl = status.url;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = () => {
    timer = setTimeout(() => {
      write()
        .catch(onError)
        .finally(() => {
          if (!stopped) tick();
        });
    }, STEP_SECONDS * 1000);
  };
  tick();
  return {
    cluster,
    metric,
    statusUrl: status.url,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      facade.tsdbStatusUrl = undefined;
      await status.stop();
      await head.destroy();
    },
  };
}
