import {
  CardinalityFleet,
  startCardinalityFleet,
} from '@fleet-monitoring/local-fleet';
import {
  ActionsBackend,
  entity,
  startActionsBackend,
} from '../../__testUtils__/actionsBackend';
import { getTopSeriesExamples } from './getTopSeries.examples';

jest.setTimeout(120_000);

const ID = 'fleet-monitoring:get-top-series';
const NOW = Math.floor(Date.now() / 1000);
const HOUR = 3600;

describe('fleet-monitoring:get-top-series', () => {
  let fleet: CardinalityFleet;
  let backend: ActionsBackend;

  beforeAll(async () => {
    // The example's cluster: a checkout service counting requests per user since 12 h ago.
    fleet = await startCardinalityFleet(
      [
        {
          cluster: 'edge-explode',
          tenant: 'edge-explode',
          steady: [{ name: 'http_requests_total', job: 'api', series: 300 }],
          exploding: {
            name: 'checkout_requests_by_user_total',
            job: 'checkout',
            label: 'user_id',
            from: NOW - 12 * HOUR,
            perHour: 100,
          },
        },
      ],
      { start: NOW - 26 * HOUR, end: NOW, stepSeconds: 300 },
    );
    backend = await startActionsBackend({
      fleetMonitoring: {
        thanos: [{ name: 'central', baseUrl: fleet.url, timeoutMs: 20_000 }],
      },
      entities: [
        entity('Resource', 'edge-explode', {
          'fleet-monitoring.io/cluster': 'edge-explode',
        }),
        entity('Component', 'thanos-receive', {
          'fleet-monitoring.io/thanos-component': 'receive',
        }),
        entity('Resource', 'no-annotation', {}),
      ],
    });
  });
  afterAll(async () => {
    await backend?.stop();
    await fleet?.destroy();
  });
  afterEach(() => backend.allow());

  it('lists its examples with the action', async () => {
    const { actions } = await backend.actions.list({
      credentials: backend.credentials,
    });
    expect(actions.find(a => a.id === ID)?.examples).toEqual(
      getTopSeriesExamples,
    );
  });

  it.each(getTopSeriesExamples)(
    'answers as its example: $title',
    async example => {
      const output = (await backend.invoke(
        ID,
        example.input,
      )) as typeof example.output;
      expect(output).toMatchObject({
        cluster: example.output.cluster,
        tenant: example.output.tenant,
        state: example.output.state,
      });
      expect(output.reasons.map(r => `${r.id}:${r.severity}`)).toEqual(
        example.output.reasons.map(r => `${r.id}:${r.severity}`),
      );
      // The example's figures are the live ones for its leading metric.
      expect(output.metrics[0]).toEqual(example.output.metrics[0]);
      expect(output.jobs[0]).toEqual(example.output.jobs[0]);
      expect(output.labels[0]).toEqual(example.output.labels[0]);
      expect(output.costs[0]).toEqual(example.output.costs[0]);
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
        entityRef: 'component:default/thanos-receive',
      }),
    ).toMatchObject({
      status: 400,
      message: expect.stringMatching(/clusters/),
    });
  });

  it('checks the entity permission', async () => {
    backend.deny();
    expect(
      (
        await backend.failure(ID, {
          entityRef: 'resource:default/edge-explode',
        })
      ).status,
    ).toBe(403);
  });
});
