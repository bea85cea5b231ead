import {
  CapacityScenario,
  PrometheusProcess,
  startCapacityStore,
} from '@fleet-monitoring/local-fleet';
import {
  ActionsBackend,
  entity,
  startActionsBackend,
} from '../../__testUtils__/actionsBackend';
import { getCapacityExamples } from './getCapacity.examples';

jest.setTimeout(120_000);

const ID = 'fleet-monitoring:get-capacity';
const DAY = 86_400;
const NOW = Math.floor(Date.now() / 1000);
const START = NOW - 8 * DAY;

/** The examples' fleet: 4 receivers, RF 2, a tenant growing 2,000 series a day, one receiver leaking. */
const scenario: CapacityScenario = {
  receivers: 4,
  factor: 2,
  tenants: [
    {
      tenant: 'edge-growing',
      series: t => 50_000 + (2_000 * (t - START)) / DAY,
      limit: 2 * 86_000,
    },
    { tenant: 'edge-static', series: () => 110_000 },
  ],
  memory: {
    baseBytes: 200e6,
    bytesPerSeries: 6_000,
    limitBytes: 900e6,
    growthPerSecond: { 3: 50e6 / DAY },
    growthFrom: NOW - 2 * DAY,
  },
  clusters: [{ cluster: 'edge-growing', tenant: 'edge-growing' }],
};

describe('fleet-monitoring:get-capacity', () => {
  let store: PrometheusProcess;
  let backend: ActionsBackend;

  beforeAll(async () => {
    store = await startCapacityStore(scenario, {
      start: START,
      end: NOW,
      stepSeconds: 600,
    });
    backend = await startActionsBackend({
      fleetMonitoring: {
        thanos: [{ name: 'central', baseUrl: store.url, timeoutMs: 20_000 }],
      },
      entities: [
        entity('Resource', 'edge-growing', {
          'fleet-monitoring.io/cluster': 'edge-growing',
        }),
        entity('Component', 'thanos-receive', {
          'fleet-monitoring.io/thanos-component': 'receive',
        }),
        entity('Component', 'thanos-query', {
          'fleet-monitoring.io/thanos-component': 'query',
        }),
        entity('Resource', 'no-annotation', {}),
      ],
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
      getCapacityExamples,
    );
  });

  it.each(getCapacityExamples)(
    'answers as its example: $title',
    async example => {
      const output = (await backend.invoke(
        ID,
        example.input,
      )) as typeof example.output;
      expect(output).toMatchObject({
        subject: example.output.subject,
        instance: example.output.instance,
        state: example.output.state,
      });
      // The figures are live; the example names the reasons and the figures the answer carries.
      expect(output.reasons.map(r => `${r.id}:${r.severity}`)).toEqual(
        example.output.reasons.map(r => `${r.id}:${r.severity}`),
      );
      const shape = (x: unknown): unknown => {
        if (Array.isArray(x)) return x.length > 0 ? [shape(x[0])] : [];
        if (x && typeof x === 'object')
          return Object.fromEntries(
            Object.entries(x).map(([k, v]) => [k, shape(v)]),
          );
        return typeof x;
      };
      for (const part of ['tenant', 'receive'] as const)
        expect(shape(output[part])).toEqual(shape(example.output[part]));
    },
  );

  it('refuses bad input with a clear 4xx error', async () => {
    expect(
      await backend.failure(ID, { entityRef: 'resource:default/nope' }),
    ).toMatchObject({ status: 404, message: expect.stringMatching(/nope/) });
    expect(
      await backend.failure(ID, {
        entityRef: 'resource:default/no-annotation',
      }),
    ).toMatchObject({
      status: 400,
      message: expect.stringMatching(/fleet-monitoring\.io\/cluster/),
    });
    expect(
      await backend.failure(ID, {
        entityRef: 'component:default/thanos-query',
      }),
    ).toMatchObject({
      status: 400,
      message: expect.stringMatching(/Thanos Receive/),
    });
  });

  it('checks the entity permission', async () => {
    backend.deny();
    expect(
      (
        await backend.failure(ID, {
          entityRef: 'resource:default/edge-growing',
        })
      ).status,
    ).toBe(403);
  });
});
