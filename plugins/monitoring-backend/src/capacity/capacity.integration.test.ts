import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  capacitySeries,
  CapacityScenario,
  PrometheusProcess,
  startCapacityStore,
} from '@fleet-monitoring/local-fleet';
import type {
  EntityCapacity,
  ReceiverCapacity,
} from '@fleet-monitoring/plugin-monitoring-common';
import request from 'supertest';
import { fleetMonitoringPlugin } from '../plugin';

jest.setTimeout(180_000);

/**
 * Capacity against a real Prometheus (Debian's) holding eight days of what Thanos Receive, the
 * kubelet's cAdvisor and kube-state-metrics emit, backfilled with promtool: a tenant growing linearly
 * toward its head-series limit, a receiver whose working set grows toward its memory limit, and the
 * same fleet with receiver restarts that empty their heads. The backend is asked through its route.
 */

const DAY = 86_400;
const NOW = Math.floor(Date.now() / 1000);
const START = NOW - 8 * DAY;
const RF = 2;
const RECEIVERS = 4;
/** Unique series of the growing tenant: 50,000 eight days ago, +2,000 a day. */
const PER_DAY = 2_000;
const growing = (t: number) => 50_000 + (PER_DAY * (t - START)) / DAY;
/** Its limit (sum over receivers, copies included) is reached 10 days from now. */
const DAYS_TO_LIMIT = 10;
const LIMIT = RF * growing(NOW + DAYS_TO_LIMIT * DAY);
const MEMORY_LIMIT = 900e6;
const GROWING_RECEIVER = 3;
const LIMITED_PER_SECOND = 3;

function scenario(restarts: CapacityScenario['restarts']): CapacityScenario {
  return {
    receivers: RECEIVERS,
    factor: RF,
    tenants: [
      { tenant: 'edge-growing', series: growing, limit: LIMIT },
      { tenant: 'edge-static', series: () => 100_000 },
      // Over its limit (20,000 head series against 16,000): the limiter refuses 3 requests/s.
      { tenant: 'edge-full', series: () => 10_000, limit: RF * 8_000 },
    ],
    limited: [{ tenant: 'edge-full', perSecond: LIMITED_PER_SECOND }],
    countersFrom: START,
    defaultLimit: 1_000_000,
    memory: {
      baseBytes: 200e6,
      bytesPerSeries: 6_000,
      limitBytes: MEMORY_LIMIT,
      // 50 MB a day on one receiver, from two days ago: toward its limit in a few days.
      growthPerSecond: { [GROWING_RECEIVER]: 50e6 / DAY },
      growthFrom: NOW - 2 * DAY,
    },
    restarts,
    clusters: [
      { cluster: 'edge-growing', tenant: 'edge-growing' },
      { cluster: 'edge-static', tenant: 'edge-static' },
      { cluster: 'edge-full', tenant: 'edge-full' },
    ],
  };
}

/**
 * Restarts that empty a receiver's head and reset its counters: one still refilling now (down 5 min,
 * 15 min to refill, 15 min ago), one inside the last 5 min (a counter reset in the rate window), one
 * 3 h ago, one 2 days ago.
 */
const RESTARTS: CapacityScenario['restarts'] = [
  { receiver: 3, at: NOW - 4 * 60, downSeconds: 60, recoverSeconds: 120 },
  { receiver: 1, at: NOW - 15 * 60, downSeconds: 300, recoverSeconds: 900 },
  { receiver: 0, at: NOW - 3 * 3600, downSeconds: 300, recoverSeconds: 900 },
  { receiver: 2, at: NOW - 2 * DAY, downSeconds: 600, recoverSeconds: 1200 },
];

const entity = (name: string, annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: {},
});

describe('capacity against a real Prometheus with eight days of receiver metrics', () => {
  let steady: PrometheusProcess;
  let restarted: PrometheusProcess;
  let backend: TestBackend;
  let decision: AuthorizeResult.ALLOW | AuthorizeResult.DENY =
    AuthorizeResult.ALLOW;

  beforeAll(async () => {
    // Five-minute samples for eight days, scrape-like 30 s ones over the last hour (rate over 5m).
    const opts = {
      start: START,
      end: NOW,
      stepSeconds: 300,
      fine: { lastSeconds: 3600, stepSeconds: 30 },
    };
    [steady, restarted] = await Promise.all([
      startCapacityStore(scenario([]), opts),
      startCapacityStore(scenario(RESTARTS), opts),
    ]);
    backend = await startTestBackend({
      features: [
        fleetMonitoringPlugin,
        mockServices.rootConfig.factory({
          data: {
            fleetMonitoring: {
              validateResponses: true,
              cache: { ttlSeconds: 0 },
              thanos: [
                { name: 'steady', baseUrl: steady.url, timeoutMs: 20_000 },
                {
                  name: 'restarted',
                  baseUrl: restarted.url,
                  timeoutMs: 20_000,
                },
              ],
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            entity('edge-growing', {
              'fleet-monitoring.io/cluster': 'edge-growing',
              'fleet-monitoring.io/thanos-instance': 'steady',
            }),
            entity('edge-growing-restarted', {
              'fleet-monitoring.io/cluster': 'edge-growing',
              'fleet-monitoring.io/thanos-instance': 'restarted',
            }),
            entity('edge-full', {
              'fleet-monitoring.io/cluster': 'edge-full',
              'fleet-monitoring.io/thanos-instance': 'steady',
            }),
            entity('edge-full-restarted', {
              'fleet-monitoring.io/cluster': 'edge-full',
              'fleet-monitoring.io/thanos-instance': 'restarted',
            }),
            entity('edge-static', {
              'fleet-monitoring.io/cluster': 'edge-static',
              'fleet-monitoring.io/thanos-instance': 'steady',
            }),
            entity('receive', {
              'fleet-monitoring.io/thanos-component': 'receive',
              'fleet-monitoring.io/thanos-instance': 'steady',
            }),
            entity('receive-restarted', {
              'fleet-monitoring.io/thanos-component': 'receive',
              'fleet-monitoring.io/thanos-instance': 'restarted',
            }),
            entity('query', {
              'fleet-monitoring.io/thanos-component': 'query',
            }),
            entity('no-annotation', {}),
            entity('edge-private', {
              'fleet-monitoring.io/cluster': 'edge-growing',
              'fleet-monitoring.io/thanos-instance': 'steady',
            }),
          ],
        }),
        // Requests without a token are anonymous, refused like on every entity route.
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
    await Promise.all([steady?.destroy(), restarted?.destroy()]);
  });

  async function capacity(name: string, status = 200): Promise<EntityCapacity> {
    const res = await request(backend.server)
      .get(`/api/fleet-monitoring/entity/component/default/${name}/capacity`)
      .set('Authorization', mockCredentials.user.header());
    expect({ status: res.status, body: res.body }).toMatchObject({ status });
    return res.body;
  }

  it('forecasts the date the growing tenant reaches its limit within 10 %', async () => {
    const body = await capacity('edge-growing');
    const t = body.tenant!;
    expect(t.tenant).toBe('edge-growing');
    expect(t.receivers).toBe(RECEIVERS);
    expect(t.replicationFactor).toBe(RF);
    // Head series count every copy (what the limiter compares); active series are unique.
    expect(t.headSeries).toBeCloseTo(RF * growing(NOW), -2);
    expect(t.activeSeries! / growing(NOW)).toBeCloseTo(1, 2);
    expect(t.limit).toBe(LIMIT);
    expect(t.limitSource).toBe('tenant');
    // Growth of the head series (copies included) over a day and a week.
    expect(t.growth1d! / (RF * PER_DAY)).toBeCloseTo(1, 1);
    expect(t.growth7d! / (7 * RF * PER_DAY)).toBeCloseTo(1, 1);
    expect(t.forecast.window).toBe('7d');
    expect(t.forecast.confidence).toBe('high');
    expect(Math.abs(t.forecast.daysLeft! - DAYS_TO_LIMIT)).toBeLessThan(
      DAYS_TO_LIMIT * 0.1,
    );
    const truth = NOW + DAYS_TO_LIMIT * DAY;
    expect(Math.abs(t.forecast.reachesAt! - truth)).toBeLessThan(
      DAYS_TO_LIMIT * DAY * 0.1,
    );
    // Ten days away is beyond the warning horizon: healthy.
    expect(body.state).toBe('healthy');
  });

  it('gives the same date across receiver restarts that emptied their heads', async () => {
    // The restarts are really in the data: the raw sum fell by about a quarter within the hour.
    const raw = await fetch(
      `${restarted.url}/api/v1/query?query=${encodeURIComponent(
        'min_over_time(sum(prometheus_tsdb_head_series{tenant="edge-growing"})[1h:1m])',
      )}`,
    ).then(r => r.json());
    const rawMin = Number(raw.data.result[0].value[1]);
    expect(rawMin).toBeLessThan(0.8 * RF * growing(NOW - 3600));

    const [a, b] = await Promise.all([
      capacity('edge-growing'),
      capacity('edge-growing-restarted'),
    ]);
    const steadyDays = a.tenant!.forecast.daysLeft!;
    const restartedDays = b.tenant!.forecast.daysLeft!;
    expect(Math.abs(restartedDays - DAYS_TO_LIMIT)).toBeLessThan(
      DAYS_TO_LIMIT * 0.1,
    );
    expect(Math.abs(restartedDays - steadyDays)).toBeLessThan(
      steadyDays * 0.02,
    );
    // The current figure is not pulled down by the receiver that is still refilling.
    expect(b.tenant!.growth1d! / (RF * PER_DAY)).toBeCloseTo(1, 1);
  });

  it('a tenant without its own limit falls back to the default limit and does not grow', async () => {
    const t = (await capacity('edge-static')).tenant!;
    expect(t.limitSource).toBe('default');
    expect(t.limit).toBe(1_000_000);
    expect(Math.abs(t.forecast.slopePerDay!)).toBeLessThan(1);
    expect(t.forecast.daysLeft).toBeUndefined();
  });

  it("counts the limiter's 429s through a receiver restart (a counter reset) and judges the tenant at its limit", async () => {
    // The reset is really in the data: receiver 3 restarted inside the rate window.
    const resets = await fetch(
      `${restarted.url}/api/v1/query?query=${encodeURIComponent(
        'sum(resets(thanos_receive_head_series_limited_requests_total{tenant="edge-full"}[5m]))',
      )}`,
    ).then(r => r.json());
    expect(Number(resets.data.result[0].value[1])).toBeGreaterThanOrEqual(1);
    const [a, b] = await Promise.all([
      capacity('edge-full'),
      capacity('edge-full-restarted'),
    ]);
    for (const c of [a, b]) {
      expect(c.state).toBe('failing');
      expect(c.reasons.map(r => r.id)).toEqual(['capacity-tenant-at-limit']);
      expect(c.tenant!.limit).toBe(16_000);
      expect(c.tenant!.headSeries).toBeGreaterThanOrEqual(16_000);
    }
    // Receiver 1 of the restarted fleet is still refilling (two thirds of its 5,000).
    expect(a.tenant!.headSeries).toBe(20_000);
    const steadyRate = a.tenant!.limitedRequestsPerSecond!;
    expect(steadyRate / LIMITED_PER_SECOND).toBeCloseTo(1, 1);
    // rate() adds what came after the reset: no negative or collapsed figure (receiver 3 counted
    // nothing while it was down for a fifth of the window: a twentieth of the total, at most).
    const restartedRate = b.tenant!.limitedRequestsPerSecond!;
    expect(restartedRate).toBeGreaterThan(0.9 * steadyRate);
    expect(restartedRate).toBeLessThanOrEqual(steadyRate * 1.01);
  });

  it("forecasts the growing receiver's OOM within 10 %, and the others' not at all", async () => {
    const body = await capacity('receive');
    const receivers = body.receive!.receivers;
    expect(receivers.map(r => r.pod)).toEqual([
      'thanos-receive-0',
      'thanos-receive-1',
      'thanos-receive-2',
      'thanos-receive-3',
    ]);
    for (const r of receivers) {
      expect(r.container).toBe('thanos-receive');
      expect(r.memoryLimitBytes).toBe(MEMORY_LIMIT);
    }
    const growingPod = receivers[GROWING_RECEIVER];
    // Truth: step the scenario's own working set forward until it reaches the limit.
    const ws = capacitySeries(scenario([])).find(
      s =>
        s.labels.__name__ === 'container_memory_working_set_bytes' &&
        s.labels.pod === 'thanos-receive-3' &&
        s.labels.container === 'thanos-receive',
    )!;
    let t = NOW;
    while (ws.value(t) < MEMORY_LIMIT) t += 60;
    const truthDays = (t - NOW) / DAY;
    expect(truthDays).toBeGreaterThan(1);
    expect(truthDays).toBeLessThan(7);
    const f = growingPod.oomForecast!;
    expect(f.window).toBe('1d');
    expect(Math.abs(f.daysLeft! - truthDays)).toBeLessThan(truthDays * 0.1);
    expect(body.reasons).toContainEqual(
      expect.objectContaining({
        id: 'capacity-receiver-oom-soon',
        severity: 'warning',
      }),
    );
    // The others grow only with the tenant: far beyond the warning horizon.
    for (const r of receivers.filter(x => x !== growingPod))
      expect(r.oomForecast!.daysLeft ?? Infinity).toBeGreaterThan(7);
  });

  it('the one-receiver-lost check moves the largest share onto the rest and names who would pass the limit', async () => {
    const body = await capacity('receive');
    const { receivers, oneLost } = body.receive!;
    expect(oneLost).toBeDefined();
    expect(oneLost!.ringTooSmall).toBe(false);
    const lost = receivers.find(r => r.pod === oneLost!.lost)!;
    // Each of the three others takes a third of the lost receiver's head series, at its own cost per series.
    for (const o of oneLost!.others) {
      const r = receivers.find(
        x => x.pod === o.pod,
      )! as Required<ReceiverCapacity>;
      const expected =
        r.workingSetBytes +
        (lost.headSeries / (RECEIVERS - 1)) *
          (r.workingSetBytes / r.headSeries);
      expect(o.projectedBytes / expected).toBeCloseTo(1, 3);
      expect(o.fits).toBe(o.projectedBytes < MEMORY_LIMIT);
    }
    // Every receiver is at about 80 % of its limit: a third of another's series pushes them over.
    expect(oneLost!.fits).toBe(false);
    expect(oneLost!.others.some(o => !o.fits)).toBe(true);
    expect(body.reasons).toContainEqual(
      expect.objectContaining({ id: 'capacity-one-receiver-lost' }),
    );
    expect(body.state).toBe('degraded');
  });

  it('the receivers restarted within the hour still show their full head and memory', async () => {
    const [a, b] = await Promise.all([
      capacity('receive'),
      capacity('receive-restarted'),
    ]);
    const r1 = (c: EntityCapacity) =>
      c.receive!.receivers.find(r => r.pod === 'thanos-receive-1')!;
    // The raw head of receiver 1 is refilling now (about two thirds back)...
    expect(r1(b).headSeries).toBeLessThan(0.9 * r1(a).headSeries);
    // ...but its OOM forecast (smoothed over the hour) is the steady one.
    expect(
      r1(b).oomForecast!.slopePerDay! / r1(a).oomForecast!.slopePerDay!,
    ).toBeCloseTo(1, 1);
  });

  it('refuses a Query component and an entity with neither annotation with a 400 naming the fix', async () => {
    const query = (await capacity('query', 400)) as unknown as {
      error: { message: string };
    };
    expect(query.error.message).toMatch(/Thanos Receive/);
    const none = (await capacity('no-annotation', 400)) as unknown as {
      error: { message: string };
    };
    expect(none.error.message).toMatch(/fleet-monitoring\.io\/cluster/);
  });

  it('answers 401 without credentials and 403 without the entity permission', async () => {
    const path =
      '/api/fleet-monitoring/entity/component/default/edge-growing/capacity';
    expect((await request(backend.server).get(path)).status).toBe(401);
    // An entity not read before (entity access decisions are cached for a while).
    decision = AuthorizeResult.DENY;
    try {
      await capacity('edge-private', 403);
    } finally {
      decision = AuthorizeResult.ALLOW;
    }
  });
});
