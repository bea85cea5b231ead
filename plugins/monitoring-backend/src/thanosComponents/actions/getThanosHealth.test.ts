import { planClusters } from '@fleet-monitoring/local-fleet';
import {
  ActionsBackend,
  startActionsBackend,
  startThanosFleet,
} from '../../__testUtils__/actionsBackend';
import { getThanosHealthExamples } from './getThanosHealth.examples';

jest.setTimeout(60_000);

const ID = 'fleet-monitoring:get-thanos-health';

describe('fleet-monitoring:get-thanos-health', () => {
  let fleet: { url: string; stop: () => Promise<void> };
  let backend: ActionsBackend;

  beforeAll(async () => {
    fleet = await startThanosFleet({ clusters: planClusters(2) });
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
      getThanosHealthExamples,
    );
  });

  it.each(getThanosHealthExamples)(
    'answers as its example: $title',
    async example => {
      expect(await backend.invoke(ID, example.input)).toEqual(example.output);
    },
  );

  it('refuses bad input with a clear 4xx error', async () => {
    expect(await backend.failure(ID, { instance: 'nope' })).toMatchObject({
      status: 404,
      message: expect.stringMatching(/nope/),
    });
    expect(await backend.failure(ID, { instance: ['central'] })).toMatchObject({
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
