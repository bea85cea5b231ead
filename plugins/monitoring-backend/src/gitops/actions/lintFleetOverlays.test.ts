import { GithubFake } from '@fleet-monitoring/local-fleet';
import {
  ActionsBackend,
  startActionsBackend,
} from '../../__testUtils__/actionsBackend';
import { BAD_EDGE, fixtureRepoFiles } from '../fixtureRepo';
import { lintFleetOverlaysExamples } from './lintFleetOverlays.examples';

const ID = 'fleet-monitoring:lint-fleet-overlays';

describe('fleet-monitoring:lint-fleet-overlays', () => {
  const github = new GithubFake([
    { owner: 'example', repo: 'fleet-gitops', files: fixtureRepoFiles },
  ]);
  let backend: ActionsBackend;

  beforeAll(async () => {
    await github.start();
    backend = await startActionsBackend({
      fleetMonitoring: {
        gitops: { url: 'https://github.com/example/fleet-gitops/tree/main' },
      },
      entities: [],
      rootConfig: {
        integrations: {
          github: [{ host: 'github.com', apiBaseUrl: github.url }],
        },
      },
    });
  });
  afterAll(async () => {
    await backend?.stop();
    await github.stop();
  });
  afterEach(() => backend.allow());

  it('lists its examples with the action', async () => {
    const { actions } = await backend.actions.list({
      credentials: backend.credentials,
    });
    expect(actions.find(a => a.id === ID)?.examples).toEqual(
      lintFleetOverlaysExamples,
    );
  });

  it.each(lintFleetOverlaysExamples)(
    'answers as its example, from the GitHub contract fake: $title',
    async example => {
      expect(await backend.invoke(ID, example.input)).toEqual(example.output);
    },
  );

  it('lints the whole repository without a cluster', async () => {
    const output = (await backend.invoke(ID, {})) as any;
    expect(output.overlays).toBe(2);
    expect(new Set(output.findings.map((f: any) => f.cluster))).toEqual(
      new Set([BAD_EDGE]),
    );
  });

  it('needs the fleet permission and a valid cluster name', async () => {
    expect(await backend.failure(ID, { cluster: '../x' })).toMatchObject({
      status: 400,
    });
    backend.deny();
    // Hidden from callers without the fleet permission, as the other fleet-wide actions are.
    const { actions } = await backend.actions.list({
      credentials: backend.credentials,
    });
    expect(actions.map(a => a.id)).not.toContain(ID);
    expect((await backend.failure(ID, {})).status).toBeGreaterThanOrEqual(400);
  });
});
