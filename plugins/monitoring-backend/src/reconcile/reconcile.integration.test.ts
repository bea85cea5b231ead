import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  agentConfig,
  agentPod,
  ArgocdFake,
  FleetSimulator,
  freePort,
  GithubFake,
  KubernetesFake,
  LocalFleet,
  PrometheusProcess,
  receivePod,
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
 * #22 against a real fleet: Prometheus agents (agent mode) remote-writing to a central
 * Prometheus, the GitHub contract fake serving the GitOps repository, the ArgoCD fake holding the
 * Applications (with revision metadata) and the Kubernetes fake of the central cluster. Every
 * ghost and gap class is built from real processes where one can run here (two agents writing
 * under one cluster label, a cluster sending without a catalog entry, a broken remote write after
 * a sync) and from the fakes where none can (Applications, pods, the hashring ConfigMap).
 */

const SYNC = '3f786850e387550fdab836ed7e6dc881de23001b';
const REPO = 'https://github.com/example/fleet-gitops.git';

/** An edge overlay as fleet:create-edge writes it (prometheus chart 25.11.0, agent flags). */
function edgeOverlay(
  cluster: string,
  o: { tenant?: string; imageTag?: string; labels?: Record<string, string> },
): Record<string, string> {
  const dir = `deploy/overlays/${cluster}/prometheus-agent`;
  return {
    [`${dir}/kustomization.yaml`]: JSON.stringify({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      helmCharts: [
        {
          name: 'prometheus',
          repo: 'https://prometheus-community.github.io/helm-charts',
          version: '25.11.0',
          releaseName: 'prometheus-agent',
          namespace: 'monitoring',
          valuesFile: 'values.yaml',
        },
      ],
    }),
    [`${dir}/values.yaml`]: JSON.stringify({
      server: {
        ...(o.imageTag ? { image: { tag: o.imageTag } } : {}),
        defaultFlagsOverride: [
          '--enable-feature=agent',
          '--config.file=/etc/config/prometheus.yml',
          '--storage.agent.path=/data',
          '--web.enable-lifecycle',
        ],
        global: { external_labels: { cluster, ...o.labels } },
        remoteWrite: [
          {
            name: 'thanos-receive',
            url: 'https://receive.example.com/api/v1/receive',
            headers: { 'THANOS-TENANT': o.tenant ?? cluster },
            queue_config: { retry_on_http_429: true },
          },
        ],
      },
      serverFiles: { 'prometheus.yml': { rule_files: [] } },
      alertmanager: { enabled: false },
    }),
  };
}

const HASHRING_TENANTS = [
  'edge-good',
  'edge-broken',
  'edge-twin',
  'edge-drift',
  'edge-orphan',
  'edge-ghost',
  'edge-gone',
];

function centralOverlay(): Record<string, string> {
  const dir = 'deploy/overlays/central/kube-prometheus-stack';
  return {
    [`${dir}/kustomization.yaml`]: JSON.stringify({
      helmCharts: [
        {
          name: 'kube-prometheus-stack',
          version: '58.0.0',
          valuesFile: 'values.yaml',
        },
      ],
    }),
    [`${dir}/values.yaml`]: JSON.stringify({
      prometheus: {
        prometheusSpec: { externalLabels: { cluster: 'central' } },
      },
    }),
    [`${dir}/hashrings.json`]: JSON.stringify([
      {
        hashring: 'edges',
        tenants: HASHRING_TENANTS,
        endpoints: ['thanos-receive-0.thanos-receive.monitoring.svc:10901'],
      },
    ]),
  };
}

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

describe('the reconciled fleet against real agents and the contract fakes', () => {
  let fleet: LocalFleet;
  let twin: PrometheusProcess;
  let simulator: FleetSimulator;
  let github: GithubFake;
  let argocd: ArgocdFake;
  let kubernetes: KubernetesFake;
  let backend: TestBackend;
  let syncedAt: string;
  const afterAllStops: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    fleet = await LocalFleet.start({
      agents: [
        'edge-good',
        'edge-broken',
        'edge-twin',
        'edge-drift',
        'edge-stray',
      ],
      scrapeInterval: '1s',
    });
    // A second agent under edge-twin's cluster label: two clusters with one name.
    const port = await freePort();
    twin = new PrometheusProcess({
      name: 'agent-edge-twin-copy',
      mode: 'agent',
      port,
      baseDir: fleet.baseDir,
      config: agentConfig({
        cluster: 'edge-twin',
        selfPort: port,
        remoteWriteUrl: fleet.writeUrl,
        scrapeInterval: '1s',
      }),
    });
    await twin.start();
    // Thanos Receive's own series: one of three receivers down by its metrics.
    simulator = new FleetSimulator({
      writeUrl: fleet.writeUrl,
      receive: {
        fault: 'healthy',
        job: 'thanos-receive',
        replicas: 3,
        down: [2],
      },
      stepSeconds: 5,
    });
    await simulator.writeUntilNow();
    simulator.startTicking();
    await waitFor(
      async () => {
        const r = await fleet.query('prometheus_build_info');
        return (
          new Set(r.map(s => s.metric.cluster)).size === 5 && r.length === 6
        );
      },
      { timeoutMs: 30_000, what: "every agent's build_info" },
    );
    // What the agents here really are (Debian's Prometheus): the overlays that pin it match.
    const [info] = await fleet.query(
      'prometheus_build_info{cluster="edge-good"}',
    );
    // The image tag a chart would pin: without the distribution's build suffix (Debian's `+ds`).
    const running = `v${info.metric.version.replace(/\+.*$/, '')}`;

    github = new GithubFake([
      {
        owner: 'example',
        repo: 'fleet-gitops',
        files: {
          'README.md': '# fleet-gitops\n',
          ...edgeOverlay('edge-good', { imageTag: running }),
          ...edgeOverlay('edge-broken', { imageTag: running }),
          ...edgeOverlay('edge-twin', { imageTag: running }),
          // The chart's own Prometheus (v2.49.1) and a region label no agent here sends.
          ...edgeOverlay('edge-drift', { labels: { region: 'eu-west' } }),
          ...edgeOverlay('edge-orphan', { imageTag: running }),
          ...edgeOverlay('edge-ghost', { imageTag: running }),
          ...edgeOverlay('edge-unrouted', {
            imageTag: running,
            tenant: 'team-x',
          }),
          ...centralOverlay(),
        },
      },
    ]);
    syncedAt = new Date(Date.now() - 60_000).toISOString();
    const app = (cluster: string, extra: object = {}) => ({
      name: `${cluster}-prometheus-agent`,
      project: 'monitoring',
      repoURL: REPO,
      path: `deploy/overlays/${cluster}/prometheus-agent`,
      sync: 'Synced' as const,
      health: 'Healthy' as const,
      ...extra,
    });
    argocd = new ArgocdFake({
      tokens: ['argo'],
      apps: [
        app('edge-good'),
        app('edge-broken', {
          revision: SYNC,
          history: [
            {
              id: 7,
              revision: SYNC,
              deployStartedAt: syncedAt,
              deployedAt: syncedAt,
              username: 'alice',
              author: 'Alice Example <alice@example.com>',
              message: 'edge-broken: send to the new receiver path',
            },
          ],
        }),
        app('edge-twin'),
        app('edge-drift', { sync: 'OutOfSync' }),
        app('edge-ghost'),
        app('edge-unrouted'),
        {
          ...app('central'),
          name: 'central-kube-prometheus-stack',
          path: 'deploy/overlays/central/kube-prometheus-stack',
        },
      ],
    });
    // The central cluster's pods: all three receivers Ready (the metrics say one is down).
    kubernetes = new KubernetesFake({
      pods: [0, 1, 2].map(i => receivePod(i)),
      configMaps: [],
      tokens: ['kube'],
    });
    const edgeKube = new KubernetesFake({
      pods: [agentPod('prometheus-agent-server-0')],
      configMaps: [],
      tokens: ['kube'],
    });
    await Promise.all([
      github.start(),
      argocd.start(),
      kubernetes.start(),
      edgeKube.start(),
    ]);
    const stopEdgeKube = () => edgeKube.stop();
    afterAllStops.push(stopEdgeKube);

    backend = await startTestBackend({
      features: [
        fleetMonitoringPlugin,
        mockServices.rootConfig.factory({
          data: {
            integrations: {
              github: [{ host: 'github.com', apiBaseUrl: github.url }],
            },
            fleetMonitoring: {
              validateResponses: true,
              cache: { ttlSeconds: 0 },
              rateWindow: '10s',
              thresholds: { remoteWrite: { staleAfterSeconds: 15 } },
              thanos: [
                { name: 'local', baseUrl: fleet.queryUrl, timeoutMs: 5000 },
              ],
              gitops: {
                url: 'https://github.com/example/fleet-gitops/tree/main',
              },
              argocd: [{ name: 'main', url: argocd.url, token: 'argo' }],
              kubernetes: {
                clusters: [
                  {
                    name: 'central',
                    url: kubernetes.url,
                    serviceAccountToken: 'kube',
                    skipTLSVerify: true,
                  },
                  {
                    name: 'edge-good',
                    url: edgeKube.url,
                    serviceAccountToken: 'kube',
                    skipTLSVerify: true,
                  },
                ],
              },
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            'edge-good',
            'edge-broken',
            'edge-twin',
            'edge-drift',
            'edge-ghost',
            'edge-orphan',
            'edge-unrouted',
          ].map(resource),
        }),
      ],
    });
  });

  afterAll(async () => {
    simulator?.stopTicking();
    await backend?.stop();
    await twin?.destroy();
    await fleet?.stop();
    await Promise.all([
      github?.stop(),
      argocd?.stop(),
      kubernetes?.stop(),
      ...afterAllStops.map(f => f()),
    ]);
  });

  async function reconciled(query = ''): Promise<ReconciledFleet> {
    const res = await request(backend.server)
      .get(`/api/fleet-monitoring/fleet/local/reconciled?limit=100${query}`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    return res.body;
  }
  const row = (f: ReconciledFleet, cluster: string): ReconciledCluster => {
    const r = f.clusters.find(c => c.cluster === cluster);
    if (!r)
      throw new Error(
        `no row for ${cluster}: ${f.clusters.map(c => c.cluster)}`,
      );
    return r;
  };
  const ids = (f: ReconciledFleet, cluster: string) =>
    row(f, cluster).reasons.map(r => r.id);

  it('finds and names each ghost and gap class', async () => {
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
    // The healthy one: every column joined, nothing named.
    const good = row(f, 'edge-good');
    expect(good.reasons).toEqual([]);
    expect(good.knownFrom).toEqual([
      'catalog',
      'gitops',
      'argocd',
      'remote-write',
      'kubernetes',
    ]);
    expect(good.agentPods).toEqual({
      kubernetesCluster: 'edge-good',
      ready: 1,
      total: 1,
    });
    expect(good.receive).toMatchObject({
      tenant: 'edge-good',
      routed: true,
      hashring: 'edges',
    });
    expect(good.observed?.writers).toBe(1);

    expect(ids(f, 'edge-ghost')).toEqual(['reconcile-never-seen']);
    expect(ids(f, 'edge-stray')).toEqual(
      expect.arrayContaining([
        'reconcile-not-in-catalog',
        'reconcile-no-overlay',
      ]),
    );
    const snippet = row(f, 'edge-stray').reasons.find(
      r => r.id === 'reconcile-not-in-catalog',
    )!;
    expect(snippet.hints?.[0]).toContain(
      'fleet-monitoring.io/cluster: "edge-stray"',
    );
    expect(ids(f, 'edge-orphan')).toEqual([
      'reconcile-never-seen',
      'reconcile-no-application',
    ]);
    expect(ids(f, 'edge-drift')).toEqual(
      expect.arrayContaining([
        'reconcile-application-drift',
        'reconcile-version-drift',
        'reconcile-label-drift',
      ]),
    );
    expect(ids(f, 'edge-unrouted')).toContain('reconcile-tenant-not-routed');
    expect(ids(f, 'edge-gone')).toEqual(['reconcile-tenant-no-overlay']);
    // Two real agents under edge-twin: their build_info series differ in instance.
    const twins = row(f, 'edge-twin');
    expect(twins.observed?.writers).toBe(2);
    expect(twins.reasons.map(r => r.id)).toEqual([
      'reconcile-duplicate-cluster-label',
    ]);
    expect(twins.reasons[0].message).toContain('instance');
    // Receive's metrics: 2 of 3 up; the Kubernetes API: all three Ready.
    expect(f.fleetReasons.map(r => r.id)).toEqual([
      'reconcile-sources-disagree',
    ]);
    expect(ids(f, 'central')).toContain('reconcile-sources-disagree');
    expect(f.counts.reasons['reconcile-never-seen']).toBeGreaterThanOrEqual(1);
  });

  it('filters by reason on the server, and answers one entity its row', async () => {
    const f = await reconciled('&reason=reconcile-tenant-not-routed');
    expect(f.clusters.map(c => c.cluster)).toEqual(['edge-unrouted']);
    expect(f.page.total).toBe(1);
    expect(f.counts.clusters).toBeGreaterThan(8);
    const entity = await request(backend.server)
      .get(
        '/api/fleet-monitoring/entity/resource/default/edge-ghost/reconciled',
      )
      .set('Authorization', mockCredentials.user.header());
    expect(entity.status).toBe(200);
    expect(entity.body.cluster.cluster).toBe('edge-ghost');
    expect(entity.body.cluster.catalog.entityRef).toBe(
      'resource:default/edge-ghost',
    );
    expect(entity.body.cluster.reasons.map((r: any) => r.id)).toEqual([
      'reconcile-never-seen',
    ]);
  });

  it('names the sync that finished just before a remote-write break as the likely cause', async () => {
    await fleet.breakRemoteWrite('edge-broken');
    let f: ReconciledFleet | undefined;
    await waitFor(
      async () => {
        f = await reconciled('&reason=reconcile-broke-after-sync');
        return f.clusters.some(c => c.cluster === 'edge-broken');
      },
      {
        timeoutMs: 150_000,
        what: 'edge-broken named as broken after a sync',
        intervalMs: 2000,
      },
    );
    const broken = row(f!, 'edge-broken');
    expect(broken.remoteWrite?.state).toMatch(/failing|degraded/);
    expect(broken.remoteWrite?.since).toBe(broken.changedBy?.brokeAt);
    expect(broken.changedBy).toMatchObject({
      instance: 'main',
      app: 'edge-broken-prometheus-agent',
      revision: SYNC,
      deployedAt: new Date(syncedAt).toISOString(),
      initiatedBy: 'alice',
      author: 'Alice Example <alice@example.com>',
      message: 'edge-broken: send to the new receiver path',
      revisionUrl: `https://github.com/example/fleet-gitops/commit/${SYNC}`,
    });
    expect(
      broken.reasons.find(r => r.id === 'reconcile-broke-after-sync')!.message,
    ).toMatch(
      /^remote write turned bad after .* \(its last clean check\), \d+ min after ArgoCD synced edge-broken-prometheus-agent to 3f786850e387: the likely cause \(authored by Alice Example <alice@example.com>\)$/,
    );
    expect(Date.parse(broken.changedBy!.brokeAt!)).toBeGreaterThanOrEqual(
      Date.parse(syncedAt),
    );
    // No other cluster broke: none is blamed on a sync.
    expect(f!.clusters.map(c => c.cluster)).toEqual(['edge-broken']);
    await fleet.repairRemoteWrite('edge-broken');
  });
});
