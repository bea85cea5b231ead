import { planClusters } from '@fleet-monitoring/local-fleet';
import {
  ActionsBackend,
  entity,
  startActionsBackend,
  startThanosFleet,
} from '../../__testUtils__/actionsBackend';
import { getClusterRemoteWriteHealthExamples } from './getClusterRemoteWriteHealth.examples';

jest.setTimeout(60_000);

const ID = 'fleet-monitoring:get-cluster-remote-write-health';

describe('fleet-monitoring:get-cluster-remote-write-health', () => {
  let fleet: { url: string; stop: () => Promise<void> };
  let backend: ActionsBackend;

  beforeAll(async () => {
    fleet = await startThanosFleet({
      clusters: planClusters(2, { failing: 1 }),
    });
    backend = await startActionsBackend({
      fleetMonitoring: { thanos: [{ name: 'central', baseUrl: fleet.url }] },
      entities: [
        entity('Resource', 'sim-0002', {
          'fleet-monitoring.io/cluster': 'sim-0002',
        }),
        entity('Resource', 'no-annotation', {}),
        entity('Resource', 'hidden-character', {
          'fleet-monitoring.io/cluster': 'sim\u202e0002',
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
      getClusterRemoteWriteHealthExamples,
    );
  });

  it.each(getClusterRemoteWriteHealthExamples)(
    'answers as its example: $title',
    async example => {
      const output = await backend.invoke(ID, example.input);
      expect(output).toMatchObject({
        cluster: example.output.cluster,
        instance: example.output.instance,
        state: example.output.state,
        reasons: example.output.reasons,
      });
      // The figures are live; the example names the ones the answer carries.
      const { stats } = output as typeof example.output;
      for (const key of Object.keys(example.output.stats))
        expect(typeof stats[key as keyof typeof stats]).toBe('number');
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
    // A name that would show differently from what it is (#19): refused, naming the annotation.
    expect(
      await backend.failure(ID, {
        entityRef: 'resource:default/hidden-character',
      }),
    ).toMatchObject({
      status: 400,
      message: expect.stringMatching(/fleet-monitoring\.io\/cluster/),
    });
    expect(await backend.failure(ID, {})).toMatchObject({
      status: 400,
      message: expect.stringMatching(/entityRef/),
    });
  });

  it("checks the entity permission like the cluster's card", async () => {
    backend.deny();
    expect(
      await backend.failure(ID, { entityRef: 'resource:default/sim-0002' }),
    ).toMatchObject({ status: 403 });
  });
});
