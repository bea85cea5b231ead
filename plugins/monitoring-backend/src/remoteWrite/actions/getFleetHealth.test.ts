import { planClusters } from '@fleet-monitoring/local-fleet';
import {
  ActionsBackend,
  startActionsBackend,
  startThanosFleet,
} from '../../__testUtils__/actionsBackend';
import { getFleetHealthExamples } from './getFleetHealth.examples';

jest.setTimeout(60_000);

const ID = 'fleet-monitoring:get-fleet-health';

describe('fleet-monitoring:get-fleet-health', () => {
  let fleet: { url: string; stop: () => Promise<void> };
  let backend: ActionsBackend;

  beforeAll(async () => {
    // The example's fleet: three agents, the first failing a quarter of its sends.
    fleet = await startThanosFleet({
      clusters: planClusters(3, { failing: 1 }),
    });
    backend = await startActionsBackend({
      fleetMonitoring: { thanos: [{ name: 'central', baseUrl: fleet.url }] },
      entities: [],
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
      getFleetHealthExamples,
    );
  });

  it.each(getFleetHealthExamples)(
    'answers as its example: $title',
    async example => {
      const output = await backend.invoke(ID, example.input);
      expect(output).toMatchObject({
        instance: example.output.instance,
        counts: example.output.counts,
      });
      // Only the clusters that are not healthy are listed, with the reason of the example.
      const { clusters } = output as typeof example.output;
      expect(clusters.map(c => [c.cluster, c.state])).toEqual(
        example.output.clusters.map(c => [c.cluster, c.state]),
      );
      // The rate in the message moves with the evaluation time; the failing share does not.
      const rate = /\(\d+(\.\d+)?\/s\)/;
      expect(
        clusters[0].reasons.map(r => ({
          ...r,
          message: r.message.replace(rate, '(n/s)'),
        })),
      ).toEqual(
        example.output.clusters[0].reasons.map(r => ({
          ...r,
          message: r.message.replace(rate, '(n/s)'),
        })),
      );
    },
  );

  it('refuses bad input with a clear 4xx error', async () => {
    expect(await backend.failure(ID, { instance: 'nope' })).toMatchObject({
      status: 404,
      message: expect.stringMatching(/nope/),
    });
    expect(await backend.failure(ID, { instance: 42 })).toMatchObject({
      status: 400,
      message: expect.stringMatching(/instance/),
    });
  });

  it('is invisible to callers without the fleet permission', async () => {
    backend.deny();
    const { actions } = await backend.actions.list({
      credentials: backend.credentials,
    });
    expect(actions.map(a => a.id)).not.toContain(ID);
    // The registry answers as for an action that does not exist: nothing runs.
    expect(await backend.failure(ID, {})).toMatchObject({ status: 404 });
  });
});
