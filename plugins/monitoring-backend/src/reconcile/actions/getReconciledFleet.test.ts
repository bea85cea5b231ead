import { ArgocdFake, GithubFake } from '@fleet-monitoring/local-fleet';
import {
  ActionsBackend,
  startActionsBackend,
} from '../../__testUtils__/actionsBackend';
import {
  BAD_EDGE,
  fixtureRepoFiles,
  GOOD_EDGE,
} from '../../gitops/fixtureRepo';
import { getReconciledFleetExamples } from './getReconciledFleet.examples';

const ID = 'fleet-monitoring:get-reconciled-fleet';

/**
 * The GitHub contract fake serves the fixture repository (two edge overlays), the ArgoCD fake
 * syncs only one of them, the catalog has one cluster, and Thanos cannot be reached: the join
 * still answers from the sources that did, names the overlay without an Application, and makes
 * the rows unknown instead of calling them ghosts.
 */
describe('fleet-monitoring:get-reconciled-fleet', () => {
  const github = new GithubFake([
    { owner: 'example', repo: 'fleet-gitops', files: fixtureRepoFiles },
  ]);
  const argocd = new ArgocdFake({
    tokens: ['t'],
    apps: [
      {
        name: `${GOOD_EDGE}-prometheus-agent`,
        repoURL: 'https://github.com/example/fleet-gitops.git',
        path: `deploy/overlays/${GOOD_EDGE}/prometheus-agent`,
        sync: 'Synced',
        health: 'Healthy',
      },
    ],
  });
  let backend: ActionsBackend;

  beforeAll(async () => {
    await Promise.all([github.start(), argocd.start()]);
    backend = await startActionsBackend({
      fleetMonitoring: {
        thanos: [
          { name: 'default', baseUrl: 'http://127.0.0.1:1', timeoutMs: 2000 },
        ],
        gitops: { url: 'https://github.com/example/fleet-gitops/tree/main' },
        argocd: [{ name: 'main', url: argocd.url, token: 't' }],
      },
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Resource',
          metadata: {
            name: GOOD_EDGE,
            namespace: 'default',
            annotations: { 'fleet-monitoring.io/cluster': GOOD_EDGE },
          },
          spec: { type: 'kubernetes-cluster', owner: 'team-a' },
        },
      ],
      rootConfig: {
        integrations: {
          github: [{ host: 'github.com', apiBaseUrl: github.url }],
        },
      },
    });
  });
  afterAll(async () => {
    await backend?.stop();
    await Promise.all([github.stop(), argocd.stop()]);
  });
  afterEach(() => backend.allow());

  it('lists its examples with the action', async () => {
    const { actions } = await backend.actions.list({
      credentials: backend.credentials,
    });
    expect(actions.find(a => a.id === ID)?.examples).toEqual(
      getReconciledFleetExamples,
    );
  });

  it.each(getReconciledFleetExamples)(
    'answers as its example, from the fakes: $title',
    async example => {
      expect(await backend.invoke(ID, example.input)).toEqual(example.output);
    },
  );

  it('joins the sources that answered and names the overlay without an Application', async () => {
    const out = (await backend.invoke(ID, {})) as any;
    expect(out.clusters.map((c: any) => c.cluster)).toEqual([
      GOOD_EDGE,
      BAD_EDGE,
    ]);
    const bad = out.clusters.find((c: any) => c.cluster === BAD_EDGE);
    expect(bad.reasons.map((r: any) => r.id)).toContain(
      'reconcile-no-application',
    );
    expect(bad.knownFrom).toEqual(['gitops']);
    const good = out.clusters.find((c: any) => c.cluster === GOOD_EDGE);
    expect(good.knownFrom).toEqual(['catalog', 'gitops', 'argocd']);
    // Thanos is down: no cluster is called a ghost, every row is unknown.
    expect(good.reasons.map((r: any) => r.id)).not.toContain(
      'reconcile-never-seen',
    );
    expect(good.state).toBe('unknown');
    expect(out.sources).toEqual(
      expect.arrayContaining([
        { source: 'gitops', status: 'ok' },
        { source: 'argocd', status: 'ok' },
        { source: 'remote-write', status: 'failed' },
        { source: 'kubernetes', status: 'not-configured' },
      ]),
    );
  });

  it('needs the fleet permission', async () => {
    backend.deny();
    const { actions } = await backend.actions.list({
      credentials: backend.credentials,
    });
    expect(actions.map(a => a.id)).not.toContain(ID);
  });
});
