import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  FleetSimulator,
  planClusters,
  PrometheusProcess,
  centralConfig,
  ThanosQueryFake,
  freePort,
} from '@fleet-monitoring/local-fleet';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { fleetMonitoringPlugin } from './plugin';

jest.setTimeout(60_000);

const SECRET = 'Bearer s3cret-token-value';

function entity(
  kind: string,
  name: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'x', owner: 'team', lifecycle: 'production' },
  };
}

const entities = [
  entity('Resource', 'sim-0001', { 'fleet-monitoring.io/cluster': 'sim-0001' }),
  entity('Resource', 'sim-0004', { 'fleet-monitoring.io/cluster': 'sim-0004' }),
  // The same cluster as a central scaffolded with an open edge entry point (auth: none).
  entity('Resource', 'sim-0001-open', {
    'fleet-monitoring.io/cluster': 'sim-0001',
    'fleet-monitoring.io/open-write-endpoint': 'true',
  }),
  entity('Resource', 'no-annotation', {}),
  entity('Resource', 'evil', {
    'fleet-monitoring.io/cluster': 'x"} or vector(1) or up{a="',
  }),
  entity('Component', 'receive', {
    'fleet-monitoring.io/thanos-component': 'receive',
    'fleet-monitoring.io/thanos-selector': 'job="thanos-receive"',
  }),
  // Its own selector: without one it asks what /thanos/:instance/health asks (the same cached answer).
  entity('Component', 'query', {
    'fleet-monitoring.io/thanos-component': 'query',
    'fleet-monitoring.io/thanos-selector': 'job="thanos-query"',
  }),
  entity('Component', 'checkout', {
    'fleet-monitoring.io/metrics-selector': 'job="checkout",namespace="shop"',
  }),
  entity('Component', 'ghost', {
    'fleet-monitoring.io/metrics-selector': 'job="ghost"',
  }),
  entity('Component', 'bad-selector', {
    'fleet-monitoring.io/metrics-selector': 'job="a"} or vector(1)',
  }),
  entity('Component', 'down', {
    'fleet-monitoring.io/metrics-selector': 'job="x"',
    'fleet-monitoring.io/thanos-instance': 'down',
  }),
];

/** Answers 401 (JSON) under /locked/ and a plain-text 503 (a Prometheus still starting) under /starting/. */
async function failingUpstream(): Promise<{
  url: string;
  stop: () => Promise<void>;
}> {
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/locked/')) {
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end('{"error":"invalid token"}');
    } else {
      res
        .writeHead(503, { 'content-type': 'text/plain' })
        .end('Service Unavailable');
    }
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise(r => server.close(r));
    },
  };
}

describe('fleet-monitoring backend plugin (real Prometheus behind a Thanos Query facade)', () => {
  let central: PrometheusProcess;
  let thanos: ThanosQueryFake;
  let backend: TestBackend;
  let failing: { url: string; stop: () => Promise<void> };
  let decision: AuthorizeResult.ALLOW | AuthorizeResult.DENY =
    AuthorizeResult.ALLOW;
  const user = mockCredentials.user.header();

  beforeAll(async () => {
    const closedPort = await freePort();
    central = new PrometheusProcess({
      name: 'central',
      mode: 'central',
      config: centralConfig('15s'),
    });
    await central.start();
    const simulator = new FleetSimulator({
      writeUrl: `${central.url}/api/v1/write`,
      clusters: planClusters(6, {
        failing: 1,
        lagging: 1,
        retrying: 1,
        silent: 1,
      }),
      receive: {
        fault: 'replication-failures',
        job: 'thanos-receive',
        replicas: 3,
      },
      services: [
        {
          job: 'checkout',
          namespace: 'shop',
          clusters: ['sim-0005', 'sim-0006'],
          targets: 2,
          down: 1,
        },
      ],
    });
    await simulator.writeUntilNow();
    thanos = new ThanosQueryFake({ prometheusUrl: central.url });
    await thanos.start();
    failing = await failingUpstream();
    backend = await startTestBackend({
      features: [
        fleetMonitoringPlugin,
        mockServices.rootConfig.factory({
          data: {
            fleetMonitoring: {
              // Every answer is checked against the OpenAPI document by the router itself.
              validateResponses: true,
              // Permission decisions flip between tests; the per-caller decision cache has its own test.
              cache: { accessTtlSeconds: 0 },
              thanos: [
                {
                  name: 'central',
                  baseUrl: thanos.url,
                  headers: { Authorization: SECRET },
                  tenant: 'team-a',
                },
                {
                  name: 'down',
                  baseUrl: `http://127.0.0.1:${closedPort}`,
                  timeoutMs: 1000,
                },
                { name: 'tiny', baseUrl: thanos.url, maxResponseBytes: 64 },
                // An upstream that refuses our credentials, and one still starting (plain-text 503).
                { name: 'locked', baseUrl: `${failing.url}/locked` },
                { name: 'starting', baseUrl: `${failing.url}/starting` },
              ],
            },
          },
        }),
        // Requests without a token are anonymous, so the default auth policy must refuse them.
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        catalogServiceMock.factory({ entities }),
        mockServices.permissions.mock({
          authorize: async reqs => reqs.map(() => ({ result: decision })),
        }).factory,
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await thanos?.stop();
    await failing?.stop();
    await central?.destroy();
  });

  afterEach(() => {
    decision = AuthorizeResult.ALLOW;
  });

  const get = (path: string) =>
    request(backend.server)
      .get(`/api/fleet-monitoring${path}`)
      .set('Authorization', user);

  it('refuses requests without Backstage credentials', async () => {
    const res = await request(backend.server).get(
      '/api/fleet-monitoring/fleet/central/summary',
    );
    expect(res.status).toBe(401);
  });

  it('lists instances by name only', async () => {
    const res = await get('/instances');
    expect(res.status).toBe(200);
    expect(res.body.thanos.map((i: any) => i.name)).toEqual([
      'central',
      'down',
      'tiny',
      'locked',
      'starting',
    ]);
    expect(JSON.stringify(res.body)).not.toContain('127.0.0.1');
  });

  it('summarises the fleet in two rounds of batched queries, then from the cache', async () => {
    const before = thanos.requests;
    const res = await get('/fleet/central/summary');
    expect(res.status).toBe(200);
    const states = Object.fromEntries(
      res.body.clusters.map((c: any) => [c.cluster, c.state]),
    );
    expect(states).toEqual({
      'sim-0001': 'failing', // failing: 25 % of send attempts fail
      'sim-0002': 'failing', // lagging: 420 s behind
      'sim-0003': 'degraded', // retrying
      'sim-0004': 'no-data', // silent for 40 min
      'sim-0005': 'healthy',
      'sim-0006': 'healthy',
      // Known from a catalog Resource only: listed as never seen, its name kept as a label value.
      'x"} or vector(1) or up{a="': 'no-data',
    });
    expect(res.body.counts).toMatchObject({
      healthy: 2,
      degraded: 1,
      failing: 2,
      'no-data': 2,
    });
    // The probe for the fleet recording rules (none here: raw series, said in `source`), the first
    // round's four PromQL queries (inventory and every condition now) and Thanos Query's /stores
    // (the receivers' tenants), then side by side the held conditions of the clusters failing now
    // and one lookup over the store's retention for the cluster known from the catalog only.
    expect(res.body.source.kind).toBe('raw');
    expect(thanos.requests - before).toBe(8);
    // Secrets and tenant go upstream, server-side.
    expect(thanos.lastHeaders.authorization).toBe(SECRET);
    expect(thanos.lastHeaders['thanos-tenant']).toBe('team-a');

    const again = await get('/fleet/central/summary');
    expect(thanos.requests - before).toBe(8);
    // Polling cards get 304 while the cached answer has not changed.
    const etag = again.headers.etag;
    expect(etag).toBeTruthy();
    const notModified = await get('/fleet/central/summary').set(
      'If-None-Match',
      etag,
    );
    expect(notModified.status).toBe(304);
  });

  it('needs the fleet permission for fleet views', async () => {
    decision = AuthorizeResult.DENY;
    const res = await get('/fleet/central/summary');
    expect(res.status).toBe(403);
  });

  it('answers 404 for an instance that is not configured', async () => {
    const res = await get('/fleet/nope/summary');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('No Thanos instance named "nope"');
  });

  it('reports an unreachable upstream as unknown, naming it, without secrets', async () => {
    const res = await get('/entity/component/default/down/metrics-arriving');
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('unknown');
    expect(res.body.error).toMatchObject({
      upstream: 'thanos:down',
      kind: 'unreachable',
    });
    expect(res.body.reasons[0].id).toBe('upstream-unreachable');
  });

  it("gives one cluster's detail with graphs", async () => {
    const res = await get(
      '/entity/resource/default/sim-0001/remote-write?range=900',
    );
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('failing');
    expect(res.body.reasons.map((r: any) => r.id)).toContain(
      'remote-write-failing',
    );
    expect(res.body.series.samplesPerSecond.length).toBeGreaterThan(5);
    // failed / samples_total: samples_total counts every attempt (queue_manager.go), so a queue
    // failing a quarter of its attempts reads 25 % (the mixin's failed / (failed + total) said 20 %).
    expect(res.body.stats.failureRatio).toBeCloseTo(0.25, 2);
  });

  it('flags an open edge write entry point on the card without changing the judged state', async () => {
    const plain = await get('/entity/resource/default/sim-0001/remote-write');
    const open = await get(
      '/entity/resource/default/sim-0001-open/remote-write',
    );
    expect(open.status).toBe(200);
    expect(open.body.state).toBe(plain.body.state);
    expect(plain.body.reasons.map((r: any) => r.id)).not.toContain(
      'open-write-endpoint',
    );
    expect(open.body.reasons).toContainEqual(
      expect.objectContaining({ id: 'open-write-endpoint', severity: 'info' }),
    );
  });

  it('keeps a hostile cluster annotation inside the label value', async () => {
    const res = await get('/entity/resource/default/evil/remote-write');
    expect(res.status).toBe(200);
    // Escaped, the selector matches nothing: no data, not every series of the store.
    expect(res.body.state).toBe('no-data');
    expect(res.body.error).toBeUndefined();
  });

  it('says which annotation is missing or malformed', async () => {
    const missing = await get(
      '/entity/resource/default/no-annotation/remote-write',
    );
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('fleet-monitoring.io/cluster');
    const bad = await get(
      '/entity/component/default/bad-selector/metrics-arriving',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain(
      'fleet-monitoring.io/metrics-selector',
    );
    const range = await get(
      '/entity/resource/default/sim-0001/remote-write?range=abc',
    );
    expect(range.status).toBe(400);
  });

  it('hides entities the caller cannot see and checks the entity permission', async () => {
    expect(
      (await get('/entity/resource/default/unknown/remote-write')).status,
    ).toBe(404);
    expect(
      (await get('/entity/resource/default/..%2F..%2Fetc/remote-write')).status,
    ).toBe(400);
    decision = AuthorizeResult.DENY;
    expect(
      (await get('/entity/resource/default/sim-0001/remote-write')).status,
    ).toBe(403);
  });

  it('computes Thanos Receive health from its own series', async () => {
    const res = await get('/entity/component/default/receive/thanos');
    expect(res.status).toBe(200);
    expect(res.body.reasons.map((r: any) => r.id)).toEqual([
      'receive-replication-failures',
    ]);
    expect(res.body.receive.replicationFactor).toBe(3);
  });

  it('reads Thanos Query stores, partial responses, and plain Prometheus', async () => {
    const healthy = await get('/entity/component/default/query/thanos');
    expect(healthy.body).toMatchObject({ state: 'healthy', isThanos: true });
    expect(
      healthy.body.stores.find((s: any) => s.type === 'receive').maxTime,
    ).toBeNull();

    thanos.stores[0].lastError =
      'rpc error: code = Unavailable desc = connection refused';
    thanos.partialResponseWarnings = [
      'receive series from Addr: thanos-store-0:10901: rpc error',
    ];
    const partial = await get('/thanos/central/health');
    thanos.stores[0].lastError = null;
    thanos.partialResponseWarnings = [];
    expect(partial.body.reasons.map((r: any) => r.id).sort()).toEqual([
      'query-partial-response',
      'query-store-errors',
    ]);

    thanos.pretendPlainPrometheus = true;
    const plain = await get('/thanos/tiny/health');
    thanos.pretendPlainPrometheus = false;
    // tiny caps responses at 64 bytes: the probe query is too large -> a clear error, not a crash.
    expect(plain.body.state).toBe('unknown');
    expect(plain.body.error.kind).toBe('too-large');
  });

  it("tells whether a service's metrics arrive, per cluster", async () => {
    const res = await get(
      '/entity/component/default/checkout/metrics-arriving',
    );
    expect(
      res.body.clusters.map((c: any) => [
        c.cluster,
        c.targetsUp,
        c.targetsTotal,
      ]),
    ).toEqual([
      ['sim-0005', 1, 2],
      ['sim-0006', 1, 2],
    ]);
    expect(res.body.reasons.map((r: any) => r.id)).toEqual([
      'targets-down',
      'targets-down',
    ]);
    expect(res.body.query).toBe(
      'count by (cluster) (up{job="checkout",namespace="shop"})',
    );
    const ghost = await get('/entity/component/default/ghost/metrics-arriving');
    expect(ghost.body).toMatchObject({
      state: 'no-data',
      reasons: [{ id: 'metrics-not-arriving' }],
    });
  });

  describe('PromQL pass-through', () => {
    it('forwards read-only queries with server-side secrets', async () => {
      const res = await get('/thanos/central/api/v1/query?query=count(up)');
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('success');
      expect(thanos.lastHeaders.authorization).toBe(SECRET);
      expect(res.headers['set-cookie']).toBeUndefined();
      const post = await request(backend.server)
        .post('/api/fleet-monitoring/thanos/central/api/v1/series')
        .set('Authorization', user)
        .type('form')
        .send({ 'match[]': 'up' });
      expect(post.status).toBe(200);
    });

    it.each([
      ['/thanos/central/api/v1/admin/tsdb/delete_series', 404],
      ['/thanos/central/api/v1/status/config', 404],
      ['/thanos/central/api/v1/..%2F..%2F-%2Fquit', 400],
      ['/thanos/central/api/v1/stores', 400],
      ['/thanos/http:%2F%2Fevil.example/api/v1/query?query=up', 404],
      ['/thanos/central/api/v1/query', 400],
    ])('refuses %s', async (path, status) => {
      const res = await get(path);
      expect(res.status).toBe(status);
    });

    it('refuses methods other than GET and POST with 405 and Allow', async () => {
      for (const method of ['delete', 'put'] as const) {
        const res = await request(backend.server)
          [method]('/api/fleet-monitoring/thanos/central/api/v1/query')
          .set('Authorization', user);
        expect(res.status).toBe(405);
        expect(res.headers.allow).toBe('GET, POST');
      }
    });

    it('refuses repeated, unknown or oversize parameters instead of dropping them', async () => {
      const before = thanos.requests;
      const repeated = await get(
        '/thanos/central/api/v1/query?query=up&query=count(up)',
      );
      expect(repeated.status).toBe(400);
      expect(repeated.body.error.message).toContain(
        '"query" is given more than once',
      );
      const unknown = await get('/thanos/central/api/v1/query?query=up&evil=1');
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toContain(
        'Parameter "evil" is not allowed',
      );
      const long = `up{job=~"${'a|'.repeat(8200)}b"}`;
      const oversize = await request(backend.server)
        .post('/api/fleet-monitoring/thanos/central/api/v1/series')
        .set('Authorization', user)
        .type('form')
        .send({ 'match[]': long });
      expect(oversize.status).toBe(400);
      expect(oversize.body.error.message).toContain('longer than 16384');
      expect(thanos.requests).toBe(before);
      // Many match[] values are one list parameter, not a repetition.
      const many = await get(
        '/thanos/central/api/v1/series?match[]=up&match[]=prometheus_build_info',
      );
      expect(many.status).toBe(200);
    });

    it("answers an upstream 401 or 503 as our 502 naming the upstream, never as the upstream's status", async () => {
      const unauthorized = await get('/thanos/locked/api/v1/query?query=up');
      const unavailable = await get('/thanos/starting/api/v1/query?query=up');
      expect(unauthorized.body.error.upstream).toBe('thanos:locked');
      expect(unavailable.body.error.upstream).toBe('thanos:starting');
      expect(unavailable.body.error.message).toContain('503');
      for (const res of [unauthorized, unavailable]) {
        expect(res.status).toBe(502);
      }
      expect(unauthorized.body.error.kind).toBe('unauthorized');
      expect(unavailable.body.error).toMatchObject({ kind: 'http-error' });
    });

    it('needs the query permission', async () => {
      decision = AuthorizeResult.DENY;
      expect((await get('/thanos/central/api/v1/query?query=up')).status).toBe(
        403,
      );
    });

    it('caps response size and names the upstream', async () => {
      const res = await get('/thanos/tiny/api/v1/query?query=up');
      expect(res.status).toBe(502);
      expect(res.body.error).toMatchObject({
        upstream: 'thanos:tiny',
        kind: 'too-large',
      });
      expect(JSON.stringify(res.body)).not.toContain('s3cret');
    });

    it('answers 504 when the upstream is unreachable... or 502', async () => {
      const res = await get('/thanos/down/api/v1/query?query=up');
      expect([502, 504]).toContain(res.status);
      expect(res.body.error.upstream).toBe('thanos:down');
    });
  });
});
