import { planClusters } from '@fleet-monitoring/local-fleet';
import {
  ActionsBackend,
  entity,
  startActionsBackend,
  startThanosFleet,
} from '../../__testUtils__/actionsBackend';
import { getMetricsArrivingExamples } from './getMetricsArriving.examples';

jest.setTimeout(60_000);

const ID = 'fleet-monitoring:get-metrics-arriving';

describe('fleet-monitoring:get-metrics-arriving', () => {
  let fleet: { url: string; stop: () => Promise<void> };
  let backend: ActionsBackend;

  beforeAll(async () => {
    // The example's service: two targets in each of two clusters, one down in each.
    fleet = await startThanosFleet({
      clusters: planClusters(2),
      services: [
        {
          job: 'checkout',
          namespace: 'shop',
          clusters: ['sim-0001', 'sim-0002'],
          targets: 2,
          down: 1,
        },
      ],
    });
    backend = await startActionsBackend({
      fleetMonitoring: { thanos: [{ name: 'central', baseUrl: fleet.url }] },
      entities: [
        entity('Component', 'checkout', {
          'fleet-monitoring.io/metrics-selector':
            'job="checkout",namespace="shop"',
        }),
        entity('Component', 'plain', {}),
        entity('Component', 'bad-selector', {
          'fleet-monitoring.io/metrics-selector': 'job="a"} or vector(1)',
        }),
      ],
    });
  });
  afterAll(async () => {
    await backend?.stop();
    await fleet?.stop();
  });
  afterEach(() => backend.allow());

  it('lists its examples with the action', async () => {
    const { actions } = await backend.actions.list({
      credentials: backend.credentials,
    });
    expect(actions.find(a => a.id === ID)?.examples).toEqual(
      getMetricsArrivingExamples,
    );
  });

  it.each(getMetricsArrivingExamples)(
    'answers as its example: $title',
    async example => {
      const output = await backend.invoke(ID, example.input);
      expect(output).toMatchObject({
        selector: example.output.selector,
        query: example.output.query,
        state: example.output.state,
        reasons: example.output.reasons,
      });
      // Sample ages are live; targets and series are the fleet's.
      expect((output as typeof example.output).clusters).toMatchObject(
        example.output.clusters.map(({ lastSampleAgeSeconds: _a, ...c }) => c),
      );
    },
  );

  it('refuses bad input with a clear 4xx error', async () => {
    expect(
      await backend.failure(ID, { entityRef: 'component:default/plain' }),
    ).toMatchObject({
      status: 400,
      message: expect.stringMatching(/fleet-monitoring\.io\/metrics-selector/),
    });
    expect(
      await backend.failure(ID, {
        entityRef: 'component:default/bad-selector',
      }),
    ).toMatchObject({
      status: 400,
      message: expect.stringMatching(/metrics-selector|selector/),
    });
    expect(await backend.failure(ID, { entityRef: 'x' })).toMatchObject({
      status: 400,
      message: expect.stringMatching(/entityRef/),
    });
  });

  it('checks the entity permission like the card', async () => {
    backend.deny();
    expect(
      await backend.failure(ID, { entityRef: 'component:default/checkout' }),
    ).toMatchObject({ status: 403 });
  });
});
