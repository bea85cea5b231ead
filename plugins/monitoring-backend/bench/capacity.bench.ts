/**
 * Capacity views benchmark. From the repo root:
 *   node -r @backstage/cli/config/nodeTransform.cjs plugins/monitoring-backend/bench/capacity.bench.ts [tenants...]
 * (default: 1000 10000; `npm run bench capacity` runs it with the defaults).
 *
 * For each fleet size, a real Prometheus holds what 3 receivers emit for that many tenants (head
 * series per tenant, a tenth of them with their own limit, the default limit, memory), backfilled
 * over 8 days at an hourly step with the last 10 minutes at 60 s (the forecasts smooth over an hour,
 * so hourly history is what they read). A second set of stores holds one cluster whose series
 * explode (5,000 steady series, 3,000 user ids) behind the Thanos Query TSDB-statistics fake. The
 * backend plugin runs in-process; a counting proxy in front of each store counts the upstream
 * requests. Each view is timed cold (no cache: every call asks the store) as the median of 5 calls,
 * then cached.
 */
import http from 'node:http';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  CapacityScenario,
  startCapacityStore,
  startCardinalityFleet,
} from '@fleet-monitoring/local-fleet';
import { fleetMonitoringPlugin } from '../src/plugin';

const DAY = 86_400;
const HOUR = 3600;
const RUNS = 5;

/** A proxy to `target` that counts requests by path. */
async function countingProxy(target: string) {
  const counts = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    counts.set(url.pathname, (counts.get(url.pathname) ?? 0) + 1);
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', async () => {
      try {
        const upstream = await fetch(`${target}${url.pathname}${url.search}`, {
          method: req.method,
          headers: req.headers['content-type']
            ? { 'content-type': String(req.headers['content-type']) }
            : {},
          body: req.method === 'GET' ? undefined : Buffer.concat(chunks),
        });
        res.writeHead(upstream.status, {
          'content-type': upstream.headers.get('content-type') ?? 'text/plain',
        });
        res.end(Buffer.from(await upstream.arrayBuffer()));
      } catch (e) {
        res.writeHead(502).end(String(e));
      }
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    close: () => new Promise<void>(r => server.close(() => r())),
  };
}

function scenario(tenants: number, now: number): CapacityScenario {
  const start = now - 8 * DAY;
  const name = (i: number) => `edge-${String(i).padStart(5, '0')}`;
  return {
    receivers: 3,
    factor: 3,
    defaultLimit: 300_000,
    tenants: Array.from({ length: tenants }, (_, i) => ({
      tenant: name(i),
      // Each grows at its own pace; some will cross the default limit within the week.
      series: (t: number) => 10_000 + (i % 97) * 50 * ((t - start) / DAY),
      ...(i % 10 === 0 ? { limit: 3 * 40_000 } : {}),
    })),
    memory: {
      baseBytes: 500e6,
      bytesPerSeries: 2,
      limitBytes: 64e9,
    },
    clusters: [{ cluster: name(0), tenant: name(0) }],
  };
}

async function time(
  call: () => Promise<Response>,
): Promise<{ ms: number; status: number }> {
  const t0 = performance.now();
  const res = await call();
  await res.arrayBuffer();
  return { ms: performance.now() - t0, status: res.status };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function benchFleet(tenants: number) {
  const now = Math.floor(Date.now() / 1000);
  const t0 = performance.now();
  const store = await startCapacityStore(scenario(tenants, now), {
    start: now - 8 * DAY,
    end: now,
    stepSeconds: HOUR,
    fine: { lastSeconds: 600, stepSeconds: 60 },
  });
  const cardinality = await startCardinalityFleet(
    [
      {
        cluster: 'edge-explode',
        tenant: 'edge-explode',
        steady: [
          { name: 'http_requests_total', job: 'api', series: 3_000 },
          { name: 'node_cpu_seconds_total', job: 'node', series: 2_000 },
        ],
        exploding: {
          name: 'checkout_requests_by_user_total',
          job: 'checkout',
          label: 'user_id',
          from: now - 12 * HOUR,
          perHour: 250,
        },
      },
    ],
    { start: now - 26 * HOUR, end: now, stepSeconds: 300 },
  );
  const setupSeconds = (performance.now() - t0) / 1000;
  const receivers = await countingProxy(store.url);
  const tsdb = await countingProxy(cardinality.url);

  const boot = (ttlSeconds: number) =>
    startTestBackend({
      features: [
        fleetMonitoringPlugin,
        mockServices.rootConfig.factory({
          data: {
            fleetMonitoring: {
              cache: { ttlSeconds },
              thanos: [
                { name: 'central', baseUrl: receivers.url, timeoutMs: 60_000 },
                {
                  name: 'cardinality',
                  baseUrl: tsdb.url,
                  timeoutMs: 60_000,
                },
              ],
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Resource',
              metadata: {
                name: 'edge-00000',
                namespace: 'default',
                annotations: { 'fleet-monitoring.io/cluster': 'edge-00000' },
              },
              spec: {},
            },
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Resource',
              metadata: {
                name: 'edge-explode',
                namespace: 'default',
                annotations: {
                  'fleet-monitoring.io/cluster': 'edge-explode',
                  'fleet-monitoring.io/thanos-instance': 'cardinality',
                },
              },
              spec: {},
            },
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'thanos-receive',
                namespace: 'default',
                annotations: {
                  'fleet-monitoring.io/thanos-component': 'receive',
                },
              },
              spec: {},
            },
          ],
        }),
        mockServices.permissions.factory(),
      ],
    });

  const views: Array<{ view: string; path: string; proxy: typeof receivers }> =
    [
      {
        view: 'fleet capacity (every tenant)',
        path: '/fleet/central/capacity?days=7',
        proxy: receivers,
      },
      {
        view: "a cluster's tenant",
        path: '/entity/resource/default/edge-00000/capacity',
        proxy: receivers,
      },
      {
        view: 'the receivers',
        path: '/entity/component/default/thanos-receive/capacity',
        proxy: receivers,
      },
      {
        view: 'top series (one cluster)',
        path: '/entity/resource/default/edge-explode/top-series',
        proxy: tsdb,
      },
    ];
  const headers = { authorization: mockCredentials.user.header() };
  const rows: string[][] = [];
  for (const [label, ttl] of [
    ['cold', 0],
    ['cached', 60],
  ] as const) {
    const backend = await boot(ttl);
    const base = `http://127.0.0.1:${(backend.server.address() as { port: number }).port}/api/fleet-monitoring`;
    for (const v of views) {
      const call = () => fetch(`${base}${v.path}`, { headers });
      // The cached run fills the cache first; the cold run warms the process alone.
      await (await call()).arrayBuffer();
      const before = v.proxy.total();
      const counted = new Map(v.proxy.counts);
      const ms: number[] = [];
      let status = 0;
      for (let i = 0; i < RUNS; i++) {
        const r = await time(call);
        ms.push(r.ms);
        status = r.status;
      }
      const perCall = (v.proxy.total() - before) / RUNS;
      const paths = [...v.proxy.counts]
        .map(([p, n]) => [p, (n - (counted.get(p) ?? 0)) / RUNS] as const)
        .filter(([, n]) => n > 0)
        .map(([p, n]) => `${n} ${p.replace('/api/v1/', '')}`)
        .join(', ');
      rows.push([
        String(tenants),
        v.view,
        label,
        String(status),
        String(perCall),
        paths || '-',
        median(ms).toFixed(1),
      ]);
    }
    await backend.stop();
  }
  await Promise.all([receivers.close(), tsdb.close()]);
  await Promise.all([store.destroy(), cardinality.destroy()]);
  return { rows, setupSeconds };
}

async function main() {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter(n => Number.isInteger(n) && n > 0);
  const header = [
    'tenants',
    'view',
    'cache',
    'status',
    'upstream/call',
    'requests per call',
    'median ms',
  ];
  const all: string[][] = [];
  for (const n of sizes.length > 0 ? sizes : [1_000, 10_000]) {
    const { rows, setupSeconds } = await benchFleet(n);
    console.log(
      `${n} tenants: stores backfilled and started in ${setupSeconds.toFixed(0)} s`,
    );
    all.push(...rows);
  }
  const widths = header.map((h, i) =>
    Math.max(h.length, ...all.map(r => r[i].length)),
  );
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(header));
  for (const r of all) console.log(line(r));
  const failed = all.filter(r => r[3] !== '200');
  if (failed.length > 0) {
    console.error(`${failed.length} views did not answer 200`);
    process.exit(1);
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
