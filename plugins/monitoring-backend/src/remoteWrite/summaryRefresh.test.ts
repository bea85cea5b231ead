import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  centralConfig,
  FleetSimulator,
  planClusters,
  PrometheusProcess,
  ThanosQueryFake,
} from '@fleet-monitoring/local-fleet';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { fleetMonitoringPlugin } from '../plugin';

jest.setTimeout(60_000);

const UPSTREAM_DELAY_MS = 1500;

/**
 * A slow network path to the Thanos Query facade: every request is forwarded after a delay (or
 * answered 503 while `down`), and counted. The upstream itself is the real facade over a real
 * Prometheus.
 */
async function slowPath(target: string) {
  const state = { down: false, requests: 0 };
  const server = http.createServer(async (req, res) => {
    state.requests++;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    await new Promise(r => setTimeout(r, UPSTREAM_DELAY_MS));
    if (state.down) {
      res
        .writeHead(503, { 'content-type': 'text/plain' })
        .end('Service Unavailable');
      return;
    }
    const upstream = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers: req.headers['content-type']
        ? { 'content-type': req.headers['content-type'] }
        : undefined,
      body: req.method === 'POST' ? Buffer.concat(chunks) : undefined,
    });
    res
      .writeHead(upstream.status, {
        'content-type':
          upstream.headers.get('content-type') ?? 'application/json',
      })
      .end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    state,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise(r => server.close(r));
    },
  };
}

async function until<T>(
  what: string,
  get: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 200));
  }
}

describe('fleet summary kept warm in the background (fleetMonitoring.summaryRefresh)', () => {
  let central: PrometheusProcess;
  let thanos: ThanosQueryFake;
  let path: Awaited<ReturnType<typeof slowPath>>;
  const user = mockCredentials.user.header();

  beforeAll(async () => {
    central = new PrometheusProcess({
      name: 'central',
      mode: 'central',
      config: centralConfig('15s'),
    });
    await central.start();
    await new FleetSimulator({
      writeUrl: `${central.url}/api/v1/write`,
      clusters: planClusters(5, { failing: 1 }),
    }).writeUntilNow();
    thanos = new ThanosQueryFake({ prometheusUrl: central.url });
    await thanos.start();
    path = await slowPath(thanos.url);
  });

  afterAll(async () => {
    await path?.stop();
    await thanos?.stop();
    await central?.destroy();
  });

  function backendWith(summaryRefresh?: object): Promise<TestBackend> {
    return startTestBackend({
      features: [
        fleetMonitoringPlugin,
        // Backstage's own scheduler (the test backend's default one runs tasks only when told to).
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            fleetMonitoring: {
              cache: { ttlSeconds: 1 },
              ...(summaryRefresh ? { summaryRefresh } : {}),
              thanos: [
                { name: 'central', baseUrl: path.url, timeoutMs: 10_000 },
              ],
            },
          },
        }),
        catalogServiceMock.factory({ entities: [] }),
      ],
    });
  }

  async function timedSummary(backend: TestBackend) {
    const started = Date.now();
    const res = await request(backend.server)
      .get('/api/fleet-monitoring/fleet/central/summary')
      .set('authorization', user);
    expect(res.status).toBe(200);
    return { ms: Date.now() - started, body: res.body };
  }

  it('without it, a request after the cache TTL waits on the upstream (the baseline)', async () => {
    const backend = await backendWith();
    try {
      await timedSummary(backend);
      await new Promise(r => setTimeout(r, 1200));
      const { ms, body } = await timedSummary(backend);
      expect(body.clusters).toHaveLength(5);
      expect(ms).toBeGreaterThanOrEqual(UPSTREAM_DELAY_MS);
    } finally {
      await backend.stop();
    }
  });

  it('serves every request from memory while the summary keeps moving, reports a failed refresh as an outage, and stops with the backend', async () => {
    const backend = await backendWith({
      intervalSeconds: 1,
      timeoutSeconds: 5,
    });
    try {
      // The first round starts with the backend; a request on the cold cache joins it.
      const first = await timedSummary(backend);
      expect(first.body.clusters).toHaveLength(5);
      expect(first.body.stale).toBeUndefined();

      // Long past the 1 s TTL, requests never wait on the 1.5 s upstream, and the answers are new
      // rounds (computed from the fleet, not the first answer kept forever).
      const times: number[] = [];
      const generated = new Set<string>();
      for (let i = 0; i < 8; i++) {
        await new Promise(r => setTimeout(r, 500));
        const { ms, body } = await timedSummary(backend);
        times.push(ms);
        generated.add(body.generatedAt);
        expect(body.clusters).toHaveLength(5);
        expect(body.counts.failing).toBe(1);
        expect(body.stale).toBeUndefined();
      }
      expect(Math.max(...times)).toBeLessThan(UPSTREAM_DELAY_MS);
      expect(generated.size).toBeGreaterThanOrEqual(2);
      for (const g of generated)
        expect(Date.now() - Date.parse(g)).toBeLessThan(15_000);

      // The upstream fails: the warm summary is dropped once a refresh fails, and the page gets
      // the outage answer (last known clusters, unknown, marked stale), not the old one as current.
      path.state.down = true;
      const outage = await until(
        'the outage answer',
        async () => (await timedSummary(backend)).body,
        b => b.stale !== undefined,
      );
      expect(outage.error.upstream).toBe('thanos:central');
      expect(outage.clusters).toHaveLength(5);
      expect(outage.counts.unknown).toBe(5);

      // Back up: the refresh warms it again.
      path.state.down = false;
      await until(
        'a current summary again',
        async () => (await timedSummary(backend)).body,
        b => b.stale === undefined && b.error === undefined,
      );
    } finally {
      await backend.stop();
    }
    // Stopped with the backend: no refresh reaches the upstream any more.
    await new Promise(r => setTimeout(r, UPSTREAM_DELAY_MS + 500));
    const after = path.state.requests;
    await new Promise(r => setTimeout(r, 3000));
    expect(path.state.requests).toBe(after);
  });
});
