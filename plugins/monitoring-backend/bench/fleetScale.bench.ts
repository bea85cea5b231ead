/**
 * The fleet at 100,000 clusters (#20): the summary from the fleet recording rules next to today's
 * raw path, in the same run, on the same store; the cache hit of one fleet page and of the whole
 * fleet; the backend's RSS around a load; two replicas sharing Redis and PostgreSQL (one refresh
 * per interval between them, the first answer after a restart).
 *
 * The store is a real Prometheus that evaluates the generated rule group itself (common's
 * fleetRecordingRuleGroup; the ruler's part), fed by the simulator over remote write (RF 1). The
 * backend runs in this process; "direct" sends the same PromQL straight to the store through the
 * same counting Thanos Query facade, read but not parsed.
 *
 * Run: npm run bench -- fleetScale   (BENCH_SCALE_CLUSTERS=100000 by default)
 */
import { cacheServiceFactory } from '@backstage/backend-defaults/cache';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  FleetSimulator,
  planClusters,
  PrometheusProcess,
  ThanosQueryFake,
} from '@fleet-monitoring/local-fleet';
import { startPostgres } from '../src/__testUtils__/postgres';
import { startRedis } from '../src/__testUtils__/redis';
import { fleetMonitoringPlugin } from '../src/plugin';
import {
  destroyStore,
  recordedFleetReady,
  recordedScope,
  RULES_INTERVAL,
  SCOPE,
  storeWithFleetRules,
} from './recordedStore';
import { summaryQueries } from '../src/thanos/queries';

const CLUSTERS = Number(process.env.BENCH_SCALE_CLUSTERS ?? 100_000);
const RUNS = Number(process.env.BENCH_SCALE_RUNS ?? 3);
const HITS = 200;
const AUTH = mockCredentials.user.header();
const TIMEOUT_MS = 600_000;

/** The store, for its log when the bench fails. */
let storeForLog: PrometheusProcess | undefined;

/** The rule group's first evaluation (epoch s): how far back the recorded series reach. */
let firstEvaluated = 0;

const ms = (n: number) => `${n.toFixed(1)} ms`;
const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function time(fn: () => Promise<unknown>, runs: number) {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

async function get(url: string): Promise<string> {
  const res = await fetch(url, { headers: { authorization: AUTH } });
  const body = await res.text();
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${body}`);
  return body;
}

function clusterEntity(cluster: string) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: cluster,
      namespace: 'default',
      annotations: { 'fleet-monitoring.io/cluster': cluster },
    },
    spec: { type: 'kubernetes-cluster', owner: 'team' },
  };
}

/** The store: a real Prometheus with the fleet rule group, and the simulated fleet written in. */
async function startStore() {
  const store = storeWithFleetRules(`scale-${CLUSTERS}`);
  await store.start();
  storeForLog = store;
  const t = performance.now();
  const sim = new FleetSimulator({
    writeUrl: `${store.url}/api/v1/write`,
    clusters: planClusters(CLUSTERS, {
      failing: Math.ceil(CLUSTERS / 50),
      lagging: Math.ceil(CLUSTERS / 50),
      silent: Math.ceil(CLUSTERS / 100),
      'second-queue-broken': Math.ceil(CLUSTERS / 100),
    }),
    historySeconds: 360,
  });
  await sim.writeUntilNow();
  const writeMs = performance.now() - t;
  return { store, sim, writeMs };
}

async function backendFor(
  facadeUrl: string,
  ttlSeconds: number,
): Promise<{ backend: TestBackend; base: string }> {
  const backend = await startTestBackend({
    features: [
      fleetMonitoringPlugin,
      mockServices.rootConfig.factory({
        data: {
          fleetMonitoring: {
            cache: { ttlSeconds },
            thanos: [
              {
                name: 'raw',
                baseUrl: facadeUrl,
                timeoutMs: TIMEOUT_MS,
                summarySource: 'raw',
              },
              {
                name: 'recorded',
                baseUrl: facadeUrl,
                timeoutMs: TIMEOUT_MS,
                summarySource: 'recorded',
              },
            ],
          },
        },
      }),
      catalogServiceMock.factory({ entities: [clusterEntity('sim-0001')] }),
    ],
  });
  const { port } = backend.server.address() as { port: number };
  return { backend, base: `http://127.0.0.1:${port}/api/fleet-monitoring` };
}

/** The backend's queries for one source, sent straight to the store through the facade. */
async function direct(facadeUrl: string, queries: string[]) {
  await Promise.all([
    ...queries.map(async query => {
      const res = await fetch(`${facadeUrl}/api/v1/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          query,
          dedup: 'true',
          partial_response: 'true',
        }),
      });
      const text = await res.text();
      if (!res.ok)
        throw new Error(`direct ${res.status}: ${text.slice(0, 300)}`);
    }),
    fetch(`${facadeUrl}/api/v1/stores`).then(r => r.text()),
  ]);
}

type Row = Array<string | number>;

async function summaryMissRows(
  facade: ThanosQueryFake,
  rows: Row[],
): Promise<void> {
  const { backend, base } = await backendFor(facade.url, 0);
  try {
    for (const source of ['recorded', 'raw'] as const) {
      const url = `${base}/fleet/${source}/summary`;
      let parsed: any;
      try {
        parsed = JSON.parse(await get(url)); // warm: postings, the probe
      } catch (e) {
        rows.push([`summary miss, ${source}`, `failed: ${e}`]);
        continue;
      }
      const before = facade.requests;
      const backendTimes = await time(() => get(url), RUNS);
      const calls = (facade.requests - before) / RUNS;
      // The same queries the backend sends for this source (recorded: with the coverage and interval
      // its probe finds; the probe itself is reused for a minute, so not part of a round).
      const queries =
        source === 'raw'
          ? summaryQueries({ ...SCOPE, source: { kind: 'raw' } })
          : summaryQueries(recordedScope(firstEvaluated));
      const directTimes = await time(() => direct(facade.url, queries), RUNS);
      const body = await get(url);
      const b = quantile(backendTimes, 0.5);
      const d = quantile(directTimes, 0.5);
      rows.push([
        `summary miss, ${CLUSTERS} clusters, RF 1, ${source} (${parsed.source?.kind})`,
        `backend p50 ${ms(b)}`,
        `direct PromQL p50 ${ms(d)}`,
        `ratio ${(b / d).toFixed(2)} (target <= 1.2)`,
        `upstream requests ${calls}`,
        `clusters ${parsed.clusters.length}, ${mib(Buffer.byteLength(body))}`,
      ]);
    }
  } finally {
    await backend.stop();
  }
}

async function cacheRows(facade: ThanosQueryFake, rows: Row[]) {
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const { backend, base } = await backendFor(facade.url, 3600);
  try {
    const whole = `${base}/fleet/recorded/summary`;
    const page = `${whole}?offset=0&limit=100`;
    const filtered = `${whole}?offset=0&limit=100&state=failing&name=sim-0`;
    await get(whole);
    for (const [name, url] of [
      ['one page (100 rows, what the fleet page asks)', page],
      ['one page, name + state filter', filtered],
      ['whole fleet (no paging)', whole],
    ] as const) {
      await get(url);
      const hits = await time(
        () => get(url),
        name.startsWith('whole') ? 20 : HITS,
      );
      rows.push([
        `cache hit, ${CLUSTERS} clusters, ${name}`,
        `p50 ${ms(quantile(hits, 0.5))} (target <= 5 ms)`,
        `p99 ${ms(quantile(hits, 0.99))}`,
        `${(Buffer.byteLength(await get(url)) / 1024).toFixed(1)} KiB`,
        '',
        '',
      ]);
    }
    // A sustained load of page reads; RSS around it.
    global.gc?.();
    const rssLoaded = process.memoryUsage().rss;
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        for (let k = 0; k < 50; k++)
          await get(`${whole}?offset=${(i * 50 + k) * 100}&limit=100`);
      }),
    );
    global.gc?.();
    const rssAfter = process.memoryUsage().rss;
    rows.push([
      `backend RSS, ${CLUSTERS} clusters`,
      `before the backend ${mib(rssBefore)}`,
      `summary cached ${mib(rssLoaded)}`,
      `after 1,000 page reads ${mib(rssAfter)}`,
      '(the simulator shares this process)',
      '',
    ]);
  } finally {
    await backend.stop();
  }
}

/** Two replicas sharing Redis (answers) and PostgreSQL (the scheduler's global task). */
async function replicaRows(facade: ThanosQueryFake, rows: Row[]) {
  const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  const interval = 30;
  const replica = async () => {
    const backend = await startTestBackend({
      features: [
        fleetMonitoringPlugin,
        cacheServiceFactory,
        databaseServiceFactory,
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            backend: {
              cache: { store: 'redis', connection: redis.url },
              database: { client: 'pg', connection: postgres.connection },
            },
            fleetMonitoring: {
              cache: { ttlSeconds: 600 },
              summaryRefresh: {
                intervalSeconds: interval,
                timeoutSeconds: 120,
              },
              thanos: [
                {
                  name: 'central',
                  baseUrl: facade.url,
                  summarySource: 'recorded',
                },
              ],
            },
          },
        }),
        catalogServiceMock.factory({ entities: [] }),
      ],
    });
    const { port } = backend.server.address() as { port: number };
    return {
      backend,
      url: `http://127.0.0.1:${port}/api/fleet-monitoring/fleet/central/summary?offset=0&limit=100`,
    };
  };
  try {
    const stores0 = facade.paths['/api/v1/stores'] ?? 0;
    const a = await replica();
    let b = await replica();
    // Until the first round is in the shared store (both answer it).
    for (;;) {
      const s = JSON.parse(await get(a.url));
      if (!s.stale && s.page?.total > 0) break;
      await new Promise(r => setTimeout(r, 1000));
    }
    const start = Date.now();
    const rounds0 = facade.paths['/api/v1/stores'] ?? 0;
    const hitsA: number[] = [];
    while (Date.now() - start < 3 * interval * 1000) {
      for (const r of [a, b]) {
        const t = performance.now();
        await get(r.url);
        hitsA.push(performance.now() - t);
      }
      await new Promise(r => setTimeout(r, 200));
    }
    const rounds = (facade.paths['/api/v1/stores'] ?? 0) - rounds0;
    hitsA.sort((x, y) => x - y);
    await b.backend.stop();
    const t = performance.now();
    b = await replica();
    const startMs = performance.now() - t;
    const t2 = performance.now();
    const first = JSON.parse(await get(b.url));
    const firstMs = performance.now() - t2;
    rows.push([
      `2 replicas + Redis + PostgreSQL, ${CLUSTERS} clusters, refresh every ${interval} s`,
      `summary rounds in 3 intervals: ${rounds} (target 3, one call set per interval)`,
      `page p50 ${ms(quantile(hitsA, 0.5))} p99 ${ms(quantile(hitsA, 0.99))}`,
      `restart: backend up in ${ms(startMs)}, first answer ${ms(firstMs)} (target < 1 s)`,
      `first answer from the store: ${first.page?.total ?? first.clusters?.length} clusters, stale ${Boolean(first.stale)}`,
      `rounds before measuring ${rounds0 - stores0}`,
    ]);
    await Promise.all([a.backend.stop(), b.backend.stop()]);
  } finally {
    await postgres.stop();
    await redis.stop();
  }
}

async function main() {
  const rows: Row[] = [];
  const { store, writeMs } = await startStore();
  const facade = new ThanosQueryFake({ prometheusUrl: store.url });
  await facade.start();
  try {
    rows.push([
      `store: ${CLUSTERS} clusters written (6 min of history)`,
      `in ${(writeMs / 1000).toFixed(0)} s`,
      '',
      '',
      '',
      '',
    ]);
    const t = performance.now();
    firstEvaluated = await recordedFleetReady(store.url);
    rows.push([
      'rule group evaluated twice over the written fleet',
      `after ${((performance.now() - t) / 1000).toFixed(0)} s`,
      `rule evaluation ${await ruleGroupSeconds(store)}`,
      '',
      '',
      '',
    ]);
    await summaryMissRows(facade, rows);
    await cacheRows(facade, rows);
    await replicaRows(facade, rows);
  } finally {
    await facade.stop();
    await destroyStore(store);
  }
  const widths = rows[0].map((_, i) =>
    Math.max(...rows.map(r => String(r[i] ?? '').length)),
  );
  console.log(`\nFleet at scale (${CLUSTERS} clusters)`);
  for (const r of rows)
    console.log(
      r.map((c, i) => String(c ?? '').padEnd(widths[i] ?? 0)).join(' | '),
    );
}

/** The store's own figure for the group's last evaluation (the ruler's cost per interval). */
async function ruleGroupSeconds(store: PrometheusProcess): Promise<string> {
  const res = await fetch(`${store.url}/api/v1/rules`);
  const body = (await res.json()) as any;
  const g = body.data.groups[0];
  return `${Number(g.evaluationTime).toFixed(1)} s per round (${g.rules.length} rules, every ${RULES_INTERVAL})`;
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    if (storeForLog) console.error(`store log:\n${storeForLog.recentLog(40)}`);
    process.exit(1);
  },
);
