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
      // The clusters of the asked states (by default all but healthy), with the example's reasons.
      const { clusters, total, offset } = output as typeof example.output;
      expect({ total, offset }).toEqual({
        total: example.output.total,
        offset: example.output.offset,
      });
      expect(clusters.map(c => [c.cluster, c.state])).toEqual(
        example.output.clusters.map(c => [c.cluster, c.state]),
      );
      if (
        clusters.length === 0 ||
        example.output.clusters[0].reasons.length === 0
      )
        return;
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

  it('pages: total counts every match, offset and limit cut the list', async () => {
    const all = (await backend.invoke(ID, {
      state: ['healthy', 'failing'],
    })) as { total: number; clusters: Array<{ cluster: string }> };
    expect(all.total).toBe(3);
    // Worst first: the failing cluster leads.
    expect(all.clusters.map(c => c.cluster)).toEqual([
      'sim-0001',
      'sim-0002',
      'sim-0003',
    ]);
    const second = (await backend.invoke(ID, {
      state: ['healthy', 'failing'],
      offset: 1,
      limit: 1,
    })) as typeof all;
    expect(second.total).toBe(3);
    expect(second.clusters.map(c => c.cluster)).toEqual(['sim-0002']);
  });

  it('refuses bad paging input with a clear 400', async () => {
    for (const input of [
      { limit: 0 },
      { limit: 1001 },
      { offset: -1 },
      { state: ['on-fire'] },
    ]) {
      expect(await backend.failure(ID, input)).toMatchObject({
        status: 400,
        message: expect.stringMatching(/limit|offset|state/),
      });
    }
  });

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
