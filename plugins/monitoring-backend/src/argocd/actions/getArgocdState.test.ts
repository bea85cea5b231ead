import { ArgocdFake } from '@fleet-monitoring/local-fleet';
import {
  ActionsBackend,
  entity,
  startActionsBackend,
} from '../../__testUtils__/actionsBackend';
import { getArgocdStateExamples } from './getArgocdState.examples';

const ID = 'fleet-monitoring:get-argocd-state';

describe('fleet-monitoring:get-argocd-state', () => {
  const argo = new ArgocdFake({
    apps: [
      { name: 'checkout', sync: 'OutOfSync', health: 'Degraded' },
      { name: 'unrelated', sync: 'Synced', health: 'Healthy' },
    ],
    tokens: ['argo-token'],
  });
  let backend: ActionsBackend;

  beforeAll(async () => {
    await argo.start();
    backend = await startActionsBackend({
      fleetMonitoring: {
        argocd: [{ name: 'main', url: argo.url, token: 'argo-token' }],
      },
      entities: [
        entity('Component', 'checkout', { 'argocd/app-name': 'checkout' }),
        entity('Component', 'plain', {}),
      ],
    });
  });
  afterAll(async () => {
    await backend?.stop();
    await argo.stop();
  });
  afterEach(() => backend.allow());

  it('lists its examples with the action', async () => {
    const { actions } = await backend.actions.list({
      credentials: backend.credentials,
    });
    expect(actions.find(a => a.id === ID)?.examples).toEqual(
      getArgocdStateExamples,
    );
  });

  it.each(getArgocdStateExamples)(
    'answers as its example, from the contract fake: $title',
    async example => {
      const output = await backend.invoke(ID, example.input);
      // The fake's own address stands where the example has the instance's.
      expect(output).toEqual({
        ...example.output,
        applications: example.output.applications.map(app => ({
          ...app,
          uiUrl: `${argo.url}/applications/argocd/${app.name}`,
        })),
      });
      expect(JSON.stringify(output)).not.toContain('argo-token');
      expect(argo.requests.some(r => r.includes('unrelated'))).toBe(false);
    },
  );

  it('checks the entity like the routes: denied, missing or unannotated entities fail clearly', async () => {
    const failure = (entityRef: string) => backend.failure(ID, { entityRef });
    expect(await failure('component:default/nope')).toMatchObject({
      status: 404,
      message: expect.stringMatching(/not found/),
    });
    expect(await failure('component:default/plain')).toMatchObject({
      status: 400,
      message: expect.stringMatching(/argocd\/app-selector/),
    });
    expect(await failure('a:b:c/d/e')).toMatchObject({
      status: 400,
      message: expect.stringMatching(/Invalid entity|entity reference/),
    });
    backend.deny();
    expect(await failure('component:default/checkout')).toMatchObject({
      status: 403,
      message: expect.stringMatching(/Not allowed/),
    });
  });
});
