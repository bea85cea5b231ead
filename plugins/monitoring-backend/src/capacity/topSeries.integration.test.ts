import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CardinalityCluster,
  CardinalityFleet,
  CapacityScenario,
  explodingValues,
  PrometheusProcess,
  startCapacityStore,
  startCardinalityFleet,
  ThanosTsdbStatusFake,
} from '@fleet-monitoring/local-fleet';
import type {
  FleetCapacity,
  TopSeries,
} from '@fleet-monitoring/plugin-monitoring-common';
import request from 'supertest';
import { fleetMonitoringPlugin } from '../plugin';

jest.setTimeout(180_000);

/**
 * Where a cluster's series come from, against real Prometheus stores: one cluster whose checkout
 * service starts counting requests per user id 12 hours ago (100 new values an hour), its tenant's
 * own head behind the Thanos Query TSDB-statistics fake, a quiet cluster of another tenant, and the
 * store's history for the change over a day. The fleet's capacity reads a backfilled receivers' store.
 */

const NOW = Math.floor(Date.now() / 1000);
const HOUR = 3600;
const DAY = 86_400;

const EXPLODING = {
  name: 'checkout_requests_by_user_total',
  job: 'checkout',
  label: 'user_id',
  from: NOW - 12 * HOUR,
  perHour: 100,
};

const CLUSTERS: CardinalityCluster[] = [
  {
    cluster: 'edge-explode',
    // Not the cluster's name: the backend finds it from the agent's series.
    tenant: 'team-checkout',
    steady: [
      { name: 'http_requests_total', job: 'api', series: 300 },
      {
        name: 'http_request_duration_seconds_bucket',
        job: 'api',
        series: 200,
        label: 'le',
      },
    ],
    exploding: EXPLODING,
  },
  {
    cluster: 'edge-quiet',
    tenant: 'team-quiet',
    steady: [{ name: 'node_cpu_seconds_total', job: 'node', series: 2_000 }],
  },
];

/** Receivers' store for the fleet view: one tenant at its limit, one reaching it in 10 days, one far. */
const START = NOW - 8 * DAY;
const growing = (t: number) => 50_000 + (2_000 * (t - START)) / DAY;
const FLEET: CapacityScenario = {
  receivers: 4,
  factor: 2,
  tenants: [
    {
      tenant: 'edge-growing',
      series: growing,
      limit: 2 * growing(NOW + 10 * DAY),
    },
    { tenant: 'edge-static', series: () => 100_000 },
    { tenant: 'edge-full', series: () => 10_000, limit: 2 * 8_000 },
  ],
  limited: [{ tenant: 'edge-full', perSecond: 3 }],
  countersFrom: START,
  defaultLimit: 1_000_000,
  memory: {
    baseBytes: 200e6,
    bytesPerSeries: 6_000,
    limitBytes: 900e6,
    growthPerSecond: { 3: 50e6 / DAY },
    growthFrom: NOW - 2 * DAY,
  },
};

const entity = (
  kind: string,
  name: string,
  annotations: Record<string, string>,
) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default', annotations },
  spec: {},
});

describe('top series and the fleet capacity against real Prometheus stores', () => {
  let fleet: CardinalityFleet;
  let receivers: PrometheusProcess;
  let old: ThanosTsdbStatusFake;
  let backend: TestBackend;
  let decision: AuthorizeResult.ALLOW | AuthorizeResult.DENY =
    AuthorizeResult.ALLOW;

  beforeAll(async () => {
    [fleet, receivers] = await Promise.all([
      startCardinalityFleet(CLUSTERS, {
        start: NOW - 26 * HOUR,
        end: NOW,
        stepSeconds: 300,
      }),
      startCapacityStore(FLEET, {
        start: START,
        end: NOW,
        stepSeconds: 300,
        fine: { lastSeconds: 3600, stepSeconds: 30 },
      }),
    ]);
    old = new ThanosTsdbStatusFake({
      promqlUrl: fleet.store.url,
      tenants: {},
      withoutStatusRoute: true,
    });
    await old.start();
    backend = await startTestBackend({
      features: [
        fleetMonitoringPlugin,
        mockServices.rootConfig.factory({
          data: {
            fleetMonitoring: {
              validateResponses: true,
              cache: { ttlSeconds: 60 },
              thanos: [
                { name: 'central', baseUrl: fleet.url, timeoutMs: 20_000 },
                {
                  name: 'receivers',
                  baseUrl: receivers.url,
                  timeoutMs: 20_000,
                },
                // Thanos Query before 0.40: no per-tenant statistics route.
                { name: 'old', baseUrl: old.url, timeoutMs: 20_000 },
              ],
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            entity('Resource', 'edge-explode', {
              'fleet-monitoring.io/cluster': 'edge-explode',
            }),
            entity('Resource', 'edge-quiet', {
              'fleet-monitoring.io/cluster': 'edge-quiet',
            }),
            entity('Resource', 'edge-old', {
              'fleet-monitoring.io/cluster': 'edge-explode',
              'fleet-monitoring.io/thanos-instance': 'old',
            }),
            entity('Resource', 'edge-private', {
              'fleet-monitoring.io/cluster': 'edge-quiet',
            }),
            entity('Component', 'thanos-receive', {
              'fleet-monitoring.io/thanos-component': 'receive',
            }),
          ],
        }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.permissions.mock({
          authorize: async reqs => reqs.map(() => ({ result: decision })),
        }).factory,
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await Promise.all([fleet?.destroy(), receivers?.destroy(), old?.stop()]);
  });
  afterEach(() => {
    decision = AuthorizeResult.ALLOW;
  });

  async function topSeries(
    kind: string,
    name: string,
    status = 200,
  ): Promise<TopSeries> {
    const res = await request(backend.server)
      .get(`/api/fleet-monitoring/entity/${kind}/default/${name}/top-series`)
      .set('Authorization', mockCredentials.user.header());
    expect({ status: res.status, body: res.body }).toMatchObject({ status });
    return res.body;
  }

  it('names the exploding metric first, with its growth over the day and the label that drives it', async () => {
    const before = fleet.fake.statusRequests;
    const t = await topSeries('resource', 'edge-explode');
    const exploding = explodingValues(EXPLODING, NOW);
    expect(exploding).toBe(1_200);
    expect(t.tenant).toBe('team-checkout');
    expect(t.metrics[0]).toMatchObject({
      name: EXPLODING.name,
      headSeries: exploding,
      seriesNow: exploding,
      series1dAgo: 0,
      change1d: exploding,
      drivers: [{ label: 'user_id', values: exploding }],
    });
    expect(t.headSeries).toBe(exploding + 300 + 200 + 1);
    // The steady metrics did not change over the day.
    expect(t.metrics.find(m => m.name === 'http_requests_total')).toMatchObject(
      { headSeries: 300, seriesNow: 300, series1dAgo: 300, change1d: 0 },
    );
    expect(t.jobs[0]).toEqual({ job: 'checkout', headSeries: exploding });
    expect(t.labels[0]).toEqual({ label: 'user_id', values: exploding });
    expect(t.state).toBe('degraded');
    expect(t.reasons.map(r => r.id)).toEqual(['capacity-series-explosion']);
    expect(t.reasons[0].message).toContain(EXPLODING.name);
    expect(t.reasons[0].message).toContain('user_id');
    // The other tenant's metrics are not in it.
    expect(t.metrics.map(m => m.name)).not.toContain('node_cpu_seconds_total');
    expect(t.costs.map(c => c.view)).toEqual([
      'top names, jobs and labels',
      'change over a day',
      'labels that drive them',
    ]);
    expect(fleet.fake.statusRequests - before).toBe(1);
    // Cached: a second look costs the store nothing.
    await topSeries('resource', 'edge-explode');
    expect(fleet.fake.statusRequests - before).toBe(1);
  });

  it('a quiet cluster is healthy, its own tenant only', async () => {
    const t = await topSeries('resource', 'edge-quiet');
    expect(t.tenant).toBe('team-quiet');
    expect(t.state).toBe('healthy');
    expect(t.metrics[0]).toMatchObject({
      name: 'node_cpu_seconds_total',
      headSeries: 2_000,
      change1d: 0,
    });
    expect(t.metrics.map(m => m.name)).not.toContain(EXPLODING.name);
  });

  it('says so when the store has no per-tenant statistics (404)', async () => {
    const t = await topSeries('resource', 'edge-old');
    expect(t.state).toBe('unknown');
    expect(t.tenant).toBe('team-checkout');
    expect(t.reasons.map(r => r.id)).toEqual([
      'capacity-top-series-unavailable',
    ]);
    expect(t.metrics).toEqual([]);
  });

  it('refuses a Thanos component (400) and checks the entity permission (403)', async () => {
    expect(
      (await topSeries('component', 'thanos-receive', 400)) as unknown,
    ).toMatchObject({ error: { message: expect.stringMatching(/clusters/) } });
    // An entity not read before (entity access decisions are cached for a while).
    decision = AuthorizeResult.DENY;
    await topSeries('resource', 'edge-private', 403);
  });

  it('lists the tenants at risk within the horizon, soonest first, with the receivers', async () => {
    const get = (query: string, status = 200) =>
      request(backend.server)
        .get(`/api/fleet-monitoring/fleet/receivers/capacity?${query}`)
        .set('Authorization', mockCredentials.user.header())
        .then(res => {
          expect({ status: res.status, body: res.body }).toMatchObject({
            status,
          });
          return res.body as FleetCapacity;
        });
    // First (the fleet permission decision is cached for a while once allowed).
    decision = AuthorizeResult.DENY;
    await get('', 403);
    decision = AuthorizeResult.ALLOW;
    const two = await get('days=14');
    expect(two).toMatchObject({ tenantsTotal: 3, tenantsAtRisk: 2 });
    expect(two.tenants.map(t => [t.tenant, t.atRisk])).toEqual([
      ['edge-full', true],
      ['edge-growing', true],
      ['edge-static', false],
    ]);
    const growingRow = two.tenants[1];
    expect(growingRow.daysLeft).toBeGreaterThan(9);
    expect(growingRow.daysLeft).toBeLessThan(11);
    expect(two.receivers[0]).toMatchObject({
      pod: 'thanos-receive-3',
      atRisk: true,
    });
    // Within a week only the tenant at its limit is at risk; limit caps the rows, not the counts.
    const week = await get('days=7&limit=1');
    expect(week).toMatchObject({ tenantsTotal: 3, tenantsAtRisk: 1 });
    expect(week.tenants.map(t => t.tenant)).toEqual(['edge-full']);
    await get('days=-1', 400);
    await get('limit=100000', 400);
  });
});
