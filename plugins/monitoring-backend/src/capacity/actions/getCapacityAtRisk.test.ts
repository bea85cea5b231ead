import {
  CapacityScenario,
  PrometheusProcess,
  startCapacityStore,
} from '@fleet-monitoring/local-fleet';
import {
  ActionsBackend,
  startActionsBackend,
} from '../../__testUtils__/actionsBackend';
import { getCapacityAtRiskExamples } from './getCapacityAtRisk.examples';

jest.setTimeout(120_000);

const ID = 'fleet-monitoring:get-capacity-at-risk';
const DAY = 86_400;
const NOW = Math.floor(Date.now() / 1000);
const START = NOW - 8 * DAY;
const growing = (t: number) => 50_000 + (2_000 * (t - START)) / DAY;

/** The example's fleet: one tenant at its limit, one 10 days from it, one far; a receiver leaking. */
const scenario: CapacityScenario = {
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
  memory: {
    baseBytes: 200e6,
    bytesPerSeries: 6_000,
    limitBytes: 900e6,
    growthPerSecond: { 3: 50e6 / DAY },
    growthFrom: NOW - 2 * DAY,
  },
};

describe('fleet-monitoring:get-capacity-at-risk', () => {
  let store: PrometheusProcess;
  let backend: ActionsBackend;

  beforeAll(async () => {
    store = await startCapacityStore(scenario, {
      start: START,
      end: NOW,
      stepSeconds: 300,
      fine: { lastSeconds: 3600, stepSeconds: 30 },
    });
    backend = await startActionsBackend({
      fleetMonitoring: {
        thanos: [{ name: 'central', baseUrl: store.url, timeoutMs: 20_000 }],
      },
      entities: [],
    });
  });
  afterAll(async () => {
    await backend?.stop();
    await store?.destroy();
  });
  afterEach(() => backend.allow());

  it('lists its examples with the action', async () => {
    const { actions } = await backend.actions.list({
      credentials: backend.credentials,
    });
    expect(actions.find(a => a.id === ID)?.examples).toEqual(
      getCapacityAtRiskExamples,
    );
  });

  it.each(getCapacityAtRiskExamples)(
    'answers as its example: $title',
    async example => {
      const output = (await backend.invoke(
        ID,
        example.input,
      )) as typeof example.output;
      expect(output).toMatchObject({
        instance: example.output.instance,
        days: example.output.days,
        tenantsTotal: example.output.tenantsTotal,
        tenantsAtRisk: example.output.tenantsAtRisk,
      });
      expect(output.tenants.map(t => [t.tenant, t.limitSource])).toEqual(
        example.output.tenants.map(t => [t.tenant, t.limitSource]),
      );
      const days = output.tenants[1].daysLeft!;
      expect(days).toBeGreaterThan(9);
      expect(days).toBeLessThan(11);
      expect(output.receivers.map(r => r.pod)).toEqual(
        example.output.receivers.map(r => r.pod),
      );
    },
  );

  it('a shorter horizon and a row cap answer fewer rows, never more than asked', async () => {
    const week = (await backend.invoke(ID, { days: 7, limit: 1 })) as any;
    expect(week).toMatchObject({ tenantsTotal: 3, tenantsAtRisk: 1 });
    expect(week.tenants.map((t: any) => t.tenant)).toEqual(['edge-full']);
    // The receiver reaches its memory limit in under two days: at risk within a week, not within a day.
    expect(week.receivers.map((r: any) => r.pod)).toEqual(['thanos-receive-3']);
    const day = (await backend.invoke(ID, { days: 0.5 })) as any;
    expect(day.receivers).toEqual([]);
  });

  it('refuses bad input with a clear 4xx error', async () => {
    expect(await backend.failure(ID, { days: -1 })).toMatchObject({
      status: 400,
    });
    expect(await backend.failure(ID, { days: 7, limit: 10_000 })).toMatchObject(
      {
        status: 400,
      },
    );
    expect(await backend.failure(ID, { instance: 'nope' })).toMatchObject({
      status: expect.any(Number),
      message: expect.stringMatching(/nope/),
    });
  });

  it('is hidden from, and refused to, callers without the fleet permission', async () => {
    backend.deny();
    const { actions } = await backend.actions.list({
      credentials: backend.credentials,
    });
    expect(actions.map(a => a.id)).not.toContain(ID);
    // The registry answers as for an action that does not exist: nothing runs.
    expect(await backend.failure(ID, {})).toMatchObject({ status: 404 });
  });
});
