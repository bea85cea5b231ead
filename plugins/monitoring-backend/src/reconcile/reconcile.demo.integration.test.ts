import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DEMO_AGENT_CLUSTERS,
  DemoFleet,
  startDemoFleet,
  waitFor,
} from '@fleet-monitoring/local-fleet';
import type {
  ReconciledCluster,
  ReconciledFleet,
} from '@fleet-monitoring/plugin-monitoring-common';
import request from 'supertest';
import { fleetMonitoringPlugin } from '../plugin';

jest.setTimeout(300_000);

/**
 * The demo behind `npm start` and the e2e, reconciled: the demo fleet (real agents through Thanos
 * Receive RF 3, synthetic clusters), its GitOps repository (what our scaffolder writes), its
 * ArgoCD Applications and the Kubernetes view of the central cluster, with the backend configured
 * as start.mjs configures it. What the fleet page's reconciled view and the card will show.
 */
describe('the demo fleet, reconciled', () => {
  let demo: DemoFleet;
  let backend: TestBackend;
  const auth = mockCredentials.user.header();

  const resource = (cluster: string): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: cluster,
      namespace: 'default',
      annotations: { 'fleet-monitoring.io/cluster': cluster },
    },
    spec: { type: 'kubernetes-cluster', owner: 'team-platform' },
  });

  beforeAll(async () => {
    demo = await startDemoFleet({ syntheticClusters: 6 });
    backend = await startTestBackend({
      features: [
        fleetMonitoringPlugin,
        mockServices.rootConfig.factory({
          data: {
            integrations: {
              github: [
                {
                  host: 'github.com',
                  apiBaseUrl: demo.github.url,
                  token: demo.github.token,
                },
              ],
            },
            fleetMonitoring: {
              validateResponses: true,
              cache: { ttlSeconds: 0, accessTtlSeconds: 0 },
              thanos: [
                { name: 'demo', baseUrl: demo.queryUrl, timeoutMs: 5000 },
              ],
              gitops: {
                url: 'https://github.com/example/fleet-gitops/tree/main',
              },
              argocd: [
                {
                  name: 'demo',
                  url: demo.argocd.url,
                  token: demo.argocd.token,
                },
              ],
              kubernetes: {
                clusters: [
                  {
                    name: demo.kubernetes.cluster,
                    url: demo.kubernetes.url,
                    serviceAccountToken: demo.kubernetes.token,
                  },
                ],
              },
            },
          },
        }),
        catalogServiceMock.factory({
          entities: DEMO_AGENT_CLUSTERS.map(resource),
        }),
      ],
    });
    await waitFor(
      async () => {
        const f = await reconciled();
        return DEMO_AGENT_CLUSTERS.every(
          c => f.clusters.find(r => r.cluster === c)?.observed?.writers === 1,
        );
      },
      {
        timeoutMs: 90_000,
        intervalMs: 1000,
        what: 'the demo agents to report',
      },
    );
  });

  afterAll(async () => {
    await backend?.stop();
    await demo?.stop();
  });

  async function reconciled(query = ''): Promise<ReconciledFleet> {
    const res = await request(backend.server)
      .get(`/api/fleet-monitoring/fleet/demo/reconciled?limit=200${query}`)
      .set('Authorization', auth);
    expect(res.status).toBe(200);
    return res.body;
  }

  it('joins the real clusters and names what does not add up', async () => {
    const f = await reconciled();
    expect(f.sources.map(s => [s.source, s.status])).toEqual([
      ['catalog', 'ok'],
      ['gitops', 'ok'],
      ['argocd', 'ok'],
      ['remote-write', 'ok'],
      ['receive', 'ok'],
      ['kubernetes', 'ok'],
      ['capacity', 'ok'],
    ]);
    const row = (c: string): ReconciledCluster =>
      f.clusters.find(r => r.cluster === c)!;
    const edge = row('cluster-02-edge');
    expect(edge.knownFrom).toEqual([
      'catalog',
      'gitops',
      'argocd',
      'remote-write',
    ]);
    expect(edge.overlay).toMatchObject({
      path: 'deploy/overlays/cluster-02-edge/prometheus-agent',
      chartVersion: '25.11.0',
      tenant: 'cluster-02-edge',
      externalLabels: { cluster: 'cluster-02-edge' },
      lintErrors: 0,
    });
    expect(edge.argocd.map(a => a.name)).toEqual([
      'cluster-02-edge-prometheus-agent',
    ]);
    // The demo hashring has no tenants list: it routes every tenant.
    expect(edge.receive).toMatchObject({
      tenant: 'cluster-02-edge',
      routed: true,
    });
    // Its tenant grows toward its head-series limit in the demo: the fleet capacity's row joins it.
    expect(edge.receive?.forecast).toBeDefined();
    // The demo's agents are Debian's Prometheus, not the v2.49.1 chart 25.11.0 ships: said so.
    expect(edge.reasons.map(r => r.id)).toContain('reconcile-version-drift');
    // cluster-03-edge's Application is OutOfSync in the demo.
    expect(row('cluster-03-edge').reasons.map(r => r.id)).toContain(
      'reconcile-application-drift',
    );
    // The central's agent pod and its three Applications.
    const central = row('cluster-01-central');
    expect(central.agentPods).toEqual({
      kubernetesCluster: 'cluster-01-central',
      ready: 1,
      total: 1,
    });
    expect(central.argocd).toHaveLength(3);
    // The synthetic clusters send without a catalog entry or an overlay.
    const synthetic = f.clusters.filter(
      c => !DEMO_AGENT_CLUSTERS.includes(c.cluster) && c.remoteWrite,
    );
    expect(synthetic.length).toBeGreaterThan(0);
    const sending = synthetic.filter(s => s.knownFrom.includes('remote-write'));
    expect(sending.length).toBeGreaterThan(0);
    for (const c of sending)
      expect(c.reasons.map(r => r.id)).toEqual(
        expect.arrayContaining([
          'reconcile-not-in-catalog',
          'reconcile-no-overlay',
        ]),
      );
    // The receiver down by its metrics is also not Ready by the API: no disagreement.
    expect(f.fleetReasons.map(r => r.id)).not.toContain(
      'reconcile-sources-disagree',
    );
  });
});
