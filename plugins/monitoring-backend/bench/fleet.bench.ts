/**
 * Fleet summary benchmark: the backend against the same PromQL sent straight to the store, cache
 * hits, request coalescing and a sustained load. Real Prometheus (central store with synthetic
 * clusters written over remote write). The backend under test (backendProcess.ts), the Thanos Query
 * facade (facadeProcess.ts) and the client timing both paths (clientProcess.ts) each run in a
 * process of their own, as Backstage, Thanos Query and a browser do.
 *
 * Run: npm run bench -- fleet   (or node -r @backstage/cli/config/nodeTransform.cjs <this file>)
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import {
  centralConfig,
  defaultStores,
  FleetSimulator,
  planClusters,
  PrometheusProcess,
  ReplicatedSink,
} from '@fleet-monitoring/local-fleet';
import { BackendProcess } from './backendProcess';
import { FacadeProcess } from './facadeProcess';
import { ClientProcess } from './clientProcess';
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { QueryScope } from '../src/thanos/queries';
import { alternate, summaryRounds } from './directSummary';
import {
  destroyStore,
  recordedFleetReady,
  recordedScope,
  SCOPE,
  storeWithFleetRules,
} from './recordedStore';

const ms = (n: number) => `${n.toFixed(2)} ms`;

const AUTH = mockCredentials.user.header();
/** Times both paths of a summary miss from a process of its own (clientProcess.ts). */
const client = new ClientProcess();
const SIZES = (process.env.BENCH_SIZES ?? '10,100,1000').split(',').map(Number);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 30);
const LOAD_CLIENTS = Number(process.env.BENCH_LOAD_CLIENTS ?? 100);
/** Entity route vs fleet summary, both served from cache, at this many concurrent clients. */
const ENTITY_CLIENTS = Number(process.env.BENCH_ENTITY_CLIENTS ?? 200);
const ENTITY_SECONDS = Number(process.env.BENCH_ENTITY_SECONDS ?? 15);
const ENTITY_CLUSTER = 'sim-0001';
/**
 * A summary's requests: four queries and /stores; one more when a cluster has a problem now or is
 * silent; one more when a cluster is known (catalog, receivers' tenants) without a last seen in the
 * inventory's lookback (RemoteWriteService.fillLastSeen). Late clusters add theirs (none here).
 */
const UPSTREAM_TARGET = 'target <= 7';
/** Clusters of the replicated fleet (Thanos Receive RF 3, Query dedup on and off); 0 skips it. */
const REPLICATED = Number(process.env.BENCH_REPLICATED ?? 10_000);

/** The backend under test, in a process of its own (backendProcess.ts), the catalog naming one cluster. */
async function startBackend(config: JsonObject): Promise<BackendProcess> {
  const backend = new BackendProcess({
    config,
    catalogClusters: [ENTITY_CLUSTER],
  });
  await backend.start();
  return backend;
}

interface Env {
  central: PrometheusProcess;
  facade: FacadeProcess;
  backend: BackendProcess;
  base: string;
  clusters: number;
}

async function setup(clusters: number, ttlSeconds: number): Promise<Env> {
  const central = new PrometheusProcess({
    name: `bench-${clusters}`,
    mode: 'central',
    config: centralConfig('15s'),
  });
  await central.start();
  const sim = new FleetSimulator({
    writeUrl: `${central.url}/api/v1/write`,
    clusters: planClusters(clusters, {
      failing: Math.ceil(clusters / 50),
      lagging: Math.ceil(clusters / 50),
      silent: Math.ceil(clusters / 100),
    }),
    historySeconds: 600,
  });
  await sim.writeUntilNow();
  // The facade counts every upstream request; both paths below go through it, so the comparison is
  // fair. It runs in a process of its own, as Thanos Query does (facadeProcess.ts).
  const facade = new FacadeProcess({ prometheusUrl: central.url });
  await facade.start();
  const backend = await startBackend({
    fleetMonitoring: {
      cache: { ttlSeconds },
      thanos: [{ name: 'central', baseUrl: facade.url, timeoutMs: 30_000 }],
    },
  });
  return { central, facade, backend, base: backend.base, clusters };
}

async function teardown(env: Env) {
  await env.backend.stop();
  await env.facade.stop();
  await env.central.destroy();
}

/** Timed calls read the whole body but do not parse it, like the direct path below. */
async function summary(env: Env, parse = false): Promise<any> {
  const res = await fetch(`${env.base}/fleet/central/summary`, {
    headers: { authorization: AUTH },
  });
  if (!res.ok) throw new Error(`summary answered ${res.status}`);
  const text = await res.text();
  return parse ? JSON.parse(text) : text;
}

/** The backend's summary queries straight to the store (directSummary.ts), rounds made once. */
async function direct(
  env: { facade: FacadeProcess },
  dedup = true,
  scope: QueryScope = SCOPE,
): Promise<() => Promise<void>> {
  const rounds = await summaryRounds(env.facade.url, scope, dedup, [
    ENTITY_CLUSTER,
  ]);
  return () => client.sendRounds(env.facade.url, rounds, dedup);
}

interface ReplicatedEnv {
  raw: PrometheusProcess;
  dedup: PrometheusProcess;
  facade: FacadeProcess;
  backend: BackendProcess;
  base: string;
}

/**
 * A replicated fleet: Thanos Receive with replication factor 3 stores every series once per
 * receiver (raw store, with the replica label) and Query's dedup merges them (dedup store); the
 * facade answers with Thanos' dedup semantics and lists every tenant in /stores.
 */
async function setupReplicated(clusters: number): Promise<ReplicatedEnv> {
  const raw = new PrometheusProcess({
    name: `bench-rf3-raw-${clusters}`,
    mode: 'central',
    config: centralConfig('15s'),
  });
  // The fleet recording rules, evaluated on the deduplicated data as Thanos Ruler evaluates them
  // through Query (dedup on).
  const dedup = storeWithFleetRules(`bench-rf3-dedup-${clusters}`);
  await Promise.all([raw.start(), dedup.start()]);
  const sink = new ReplicatedSink(
    `${raw.url}/api/v1/write`,
    `${dedup.url}/api/v1/write`,
    { factor: 3 },
  );
  const sim = new FleetSimulator({
    sink,
    clusters: planClusters(clusters, {
      failing: Math.ceil(clusters / 50),
      lagging: Math.ceil(clusters / 50),
      silent: Math.ceil(clusters / 100),
      'second-queue-broken': Math.ceil(clusters / 100),
    }),
    historySeconds: 360,
  });
  await sim.writeUntilNow();
  const facade = new FacadeProcess({
    prometheusUrl: raw.url,
    dedupPrometheusUrl: dedup.url,
    replicaLabels: ['replica'],
    stores: defaultStores(3, sim.tenants),
  });
  await facade.start();
  const backend = await startBackend({
    fleetMonitoring: {
      cache: { ttlSeconds: 0 },
      thanos: [
        {
          name: 'central',
          baseUrl: facade.url,
          timeoutMs: 60_000,
          summarySource: 'raw',
        },
        {
          name: 'nodedup',
          baseUrl: facade.url,
          timeoutMs: 60_000,
          dedup: false,
          summarySource: 'raw',
        },
        {
          name: 'recorded',
          baseUrl: facade.url,
          timeoutMs: 60_000,
          summarySource: 'recorded',
        },
      ],
    },
  });
  return { raw, dedup, facade, backend, base: backend.base };
}

async function replicatedRows(row: (...cells: Array<string | number>) => void) {
  const env = await setupReplicated(REPLICATED);
  try {
    const firstEvaluated = await recordedFleetReady(env.dedup.url);
    for (const [instance, dedup] of [
      ['central', true],
      ['nodedup', false],
      ['recorded', true],
    ] as const) {
      // The recorded path reads the rule group's series (and the raw ones only for the part of the
      // inventory lookback before the group's first evaluation), as the backend does.
      const scope =
        instance === 'recorded' ? recordedScope(firstEvaluated) : SCOPE;
      const get = async () => {
        const res = await fetch(`${env.base}/fleet/${instance}/summary`, {
          headers: { authorization: AUTH },
        });
        if (!res.ok) throw new Error(`summary answered ${res.status}`);
        return res.text();
      };
      await get();
      const sendDirect = await direct(env, dedup, scope);
      await sendDirect();
      const {
        backend: backendTimes,
        direct: directTimes,
        upstream,
      } = await alternate(
        () => client.get(`${env.base}/fleet/${instance}/summary`, AUTH),
        sendDirect,
        // A recorded miss takes a few hundred ms, and the store's answer time swings between runs
        // by as much (200-450 ms at 10,000 clusters): more runs for a steady median.
        instance === 'recorded' ? 21 : 5,
        () => env.facade.requests(),
      );
      const b = quantile(backendTimes, 0.5);
      const d = quantile(directTimes, 0.5);
      const body = await get();
      const parsed = JSON.parse(body);
      row(
        `RF 3 summary miss, ${REPLICATED} clusters, dedup ${dedup ? 'on' : 'off'}, ${parsed.source?.kind ?? 'raw'} series`,
        `backend p50 ${ms(b)}`,
        `direct p50 ${ms(d)}`,
        `ratio ${(b / d).toFixed(2)} (target <= 1.2)`,
        `upstream queries ${upstream} (${UPSTREAM_TARGET})`,
        `clusters ${parsed.clusters.length}, payload ${(Buffer.byteLength(body) / 1024).toFixed(0)} KiB`,
        // The same fleet judged from either source: the counts per state should match.
        `states ${Object.entries(parsed.counts)
          .filter(([, n]) => Number(n) > 0)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')}${parsed.stale ? ' (stale: upstream failed)' : ''}`,
      );
    }
  } finally {
    await env.backend.stop();
    await env.facade.stop();
    await Promise.all([env.raw.destroy(), destroyStore(env.dedup)]);
  }
}

function runProcess(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', d => (out += d));
    child.on('exit', code =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}`)),
    );
  });
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function time(
  fn: () => Promise<unknown>,
  runs: number,
): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

async function main() {
  await client.start();
  const rows: string[][] = [];
  const row = (...cells: Array<string | number>) =>
    rows.push(cells.map(String));

  let perSet = 0;
  for (const n of SIZES) {
    const env = await setup(n, 0);
    // Warm both paths once (Prometheus caches postings; the first query of any kind is slower).
    await summary(env);
    const sendDirect = await direct(env);
    await sendDirect();
    const {
      backend: backendTimes,
      direct: directTimes,
      upstream: backendQueries,
    } = await alternate(
      () => client.get(`${env.base}/fleet/central/summary`, AUTH),
      sendDirect,
      n >= 10_000 ? 5 : 30,
      () => env.facade.requests(),
    );
    perSet = backendQueries + 1; // and the recording-rules probe, reused for a minute
    const b = quantile(backendTimes, 0.5);
    const d = quantile(directTimes, 0.5);
    const s = await summary(env, true);
    row(
      `summary miss, ${n} clusters`,
      `backend p50 ${ms(b)}`,
      `direct p50 ${ms(d)}`,
      `ratio ${(b / d).toFixed(2)} (target <= 1.2)`,
      `upstream queries ${backendQueries} (${UPSTREAM_TARGET})`,
      `clusters seen ${s.clusters.length}`,
    );
    await teardown(env);
  }

  const big = Math.max(...SIZES);
  const env = await setup(big, 30);
  await summary(env);
  const hits = await time(() => summary(env), 200);
  row(
    `cache hit, ${big} clusters`,
    `p50 ${ms(quantile(hits, 0.5))} (target <= 5 ms)`,
    `p99 ${ms(quantile(hits, 0.99))}`,
    '',
    '',
    '',
  );
  await teardown(env);

  // 50 identical concurrent requests on a cold cache: coalesced into one upstream call set.
  const cold = await setup(big, 30);
  const before = await cold.facade.requests();
  await Promise.all(Array.from({ length: 50 }, () => summary(cold)));
  const calls = (await cold.facade.requests()) - before;
  row(
    '50 concurrent identical requests',
    `upstream requests ${calls}`,
    // A cold backend's set: the recording-rules probe and one summary's requests (measured above).
    `call sets ${calls / perSet} (target 1)`,
    '',
    '',
    '',
  );

  // Sustained load: LOAD_CLIENTS clients in a closed loop for LOAD_SECONDS on the fleet summary,
  // from a separate process (the backend keeps its own event loop; both share the machine's 2 cores).
  const memBefore = await cold.backend.rss();
  const load = JSON.parse(
    await runProcess(process.execPath, [
      path.join(__dirname, 'loadClient.mjs'),
      `${cold.base}/fleet/central/summary`,
      AUTH,
      String(LOAD_CLIENTS),
      String(LOAD_SECONDS),
    ]),
  );
  const memAfter = await cold.backend.rss();
  row(
    `load ${LOAD_CLIENTS} clients x ${LOAD_SECONDS} s, ${big} clusters`,
    `${(load.requests / LOAD_SECONDS).toFixed(0)} req/s`,
    `p50 ${ms(load.p50)} p99 ${ms(load.p99)}`,
    `errors ${load.errors}`,
    `backend rss ${(memBefore / 2 ** 20).toFixed(0)} -> ${(memAfter / 2 ** 20).toFixed(0)} MiB`,
    `upstream requests ${(await cold.facade.requests()) - before}`,
  );
  // Entity route cache hit next to the summary's, same run, same client count: the per-caller
  // entity read and permission decision must not make entity routes the slow ones (target: within
  // 2x of the summary's p99 and throughput).
  const entityUrl = `${cold.base}/entity/resource/default/${ENTITY_CLUSTER}/remote-write`;
  const warm = await fetch(entityUrl, { headers: { authorization: AUTH } });
  if (!warm.ok) throw new Error(`entity route answered ${warm.status}`);
  await warm.text();
  const loadOf = async (url: string) =>
    JSON.parse(
      await runProcess(process.execPath, [
        path.join(__dirname, 'loadClient.mjs'),
        url,
        AUTH,
        String(ENTITY_CLIENTS),
        String(ENTITY_SECONDS),
      ]),
    );
  const summaryHit = await loadOf(`${cold.base}/fleet/central/summary`);
  const entityHit = await loadOf(entityUrl);
  const rate = (l: { requests: number }) => l.requests / ENTITY_SECONDS;
  for (const [name, l] of [
    [
      `summary cache hit, ${ENTITY_CLIENTS} clients x ${ENTITY_SECONDS} s`,
      summaryHit,
    ],
    [
      `entity route cache hit, ${ENTITY_CLIENTS} clients x ${ENTITY_SECONDS} s`,
      entityHit,
    ],
  ] as const) {
    row(
      name,
      `${rate(l).toFixed(0)} req/s`,
      `p50 ${ms(l.p50)} p99 ${ms(l.p99)}`,
      `errors ${l.errors}`,
      '',
      '',
    );
  }
  row(
    'entity route vs summary',
    `p99 ratio ${(entityHit.p99 / summaryHit.p99).toFixed(2)} (target <= 2)`,
    `throughput ratio ${(rate(summaryHit) / rate(entityHit)).toFixed(2)} (target <= 2)`,
    '',
    '',
    '',
  );
  await teardown(cold);

  if (REPLICATED > 0) await replicatedRows(row);

  const widths = rows[0].map((_, i) =>
    Math.max(...rows.map(r => (r[i] ?? '').length)),
  );
  console.log(
    '\nFleet summary benchmark (the backend, the facade, the timing client and the load each in a process of its own)',
  );
  for (const r of rows)
    console.log(r.map((c, i) => c.padEnd(widths[i])).join(' | '));
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
