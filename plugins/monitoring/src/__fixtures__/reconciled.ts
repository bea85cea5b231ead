import { RECONCILE_SOURCES } from '@fleet-monitoring/plugin-monitoring-common';
import type {
  EntityReconciled,
  ReconciledCluster,
  ReconciledFleet,
  ReconcileSourceStatus,
} from '@fleet-monitoring/plugin-monitoring-common';

/** Every source answered. */
export const allSourcesOk: ReconcileSourceStatus[] = RECONCILE_SOURCES.map(
  source => ({ source, status: 'ok' }),
);

const REVISION = '4f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c';

/** cluster-02-edge: its remote write broke 6 minutes after an ArgoCD sync. */
export const brokenEdge: ReconciledCluster = {
  cluster: 'cluster-02-edge',
  state: 'failing',
  knownFrom: ['catalog', 'gitops', 'argocd', 'remote-write', 'receive'],
  catalog: {
    entityRef: 'resource:default/cluster-02-edge',
    owner: 'group:default/platform-team',
  },
  overlay: {
    path: 'deploy/overlays/cluster-02-edge/prometheus-agent',
    component: 'prometheus-agent',
    chartVersion: '25.11.0',
    agentVersion: 'v2.50.1',
    tenant: 'cluster-02-edge',
    externalLabels: { cluster: 'cluster-02-edge' },
    lintErrors: 1,
    lintWarnings: 0,
  },
  argocd: [
    {
      instance: 'demo',
      name: 'prometheus-agent-cluster-02-edge',
      syncStatus: 'OutOfSync',
      healthStatus: 'Degraded',
      revision: REVISION,
      lastSyncedAt: '2026-12-04T17:00:00Z',
      path: 'deploy/overlays/cluster-02-edge/prometheus-agent',
      uiUrl:
        'https://argocd.example.com/applications/argocd/prometheus-agent-cluster-02-edge',
    },
  ],
  remoteWrite: {
    state: 'failing',
    reasons: ['remote-write-failing'],
    lastSeen: 1_796_400_000,
  },
  receive: {
    tenant: 'cluster-02-edge',
    routed: true,
    hashring: 'default',
    limit: 113_328,
    headSeries: 90_000,
    forecast: {
      daysLeft: 4.24,
      reachesAt: 1_796_900_000,
      confidence: 'medium',
      atRisk: true,
    },
  },
  agentPods: { kubernetesCluster: 'edge', ready: 0, total: 1 },
  observed: { writers: 1, versions: ['2.50.1'] },
  changedBy: {
    instance: 'demo',
    app: 'prometheus-agent-cluster-02-edge',
    revision: REVISION,
    deployedAt: '2026-12-04T17:00:00Z',
    brokeAt: '2026-12-04T17:06:00Z',
    author: 'alice@example.com',
    message: 'Raise max_shards',
    revisionUrl: `https://github.com/example/gitops/commit/${REVISION}`,
    uiUrl:
      'https://argocd.example.com/applications/argocd/prometheus-agent-cluster-02-edge',
  },
  reasons: [
    {
      id: 'reconcile-broke-after-sync',
      severity: 'warning',
      message:
        'remote write turned bad at 2026-12-04T17:06:00Z, 6 min after ArgoCD synced prometheus-agent-cluster-02-edge to 4f1c2d3e4f5a: the likely cause',
    },
    {
      id: 'reconcile-application-drift',
      severity: 'warning',
      message: 'prometheus-agent-cluster-02-edge is OutOfSync and Degraded',
    },
    {
      id: 'capacity-tenant-limit-soon',
      severity: 'warning',
      message:
        'Tenant "cluster-02-edge" reaches its head-series limit of 113,328 in 4.24 days at its 1d growth (5,500 a day, medium confidence).',
    },
  ],
};

export const entityReconciled = (
  cluster: ReconciledCluster = brokenEdge,
  sources: ReconcileSourceStatus[] = allSourcesOk,
): EntityReconciled => ({
  instance: 'demo',
  generatedAt: '2026-12-04T17:10:00Z',
  cluster,
  sources,
  fleetReasons: [],
});

/** A cluster that sends but has no catalog Resource (a ghost), with the snippet to register it. */
export const ghost: ReconciledCluster = {
  cluster: 'sim-0009',
  state: 'degraded',
  knownFrom: ['remote-write'],
  argocd: [],
  remoteWrite: { state: 'healthy', reasons: [] },
  reasons: [
    {
      id: 'reconcile-not-in-catalog',
      severity: 'warning',
      message:
        'sim-0009 sends metrics but no catalog Resource carries fleet-monitoring.io/cluster: sim-0009; nobody owns it in Backstage',
      hints: [
        'Register this catalog-info.yaml:\napiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: sim-0009\n',
      ],
    },
  ],
};

/** In the catalog, never seen by Thanos, no overlay either. */
export const neverSeen: ReconciledCluster = {
  cluster: 'cluster-03-lab',
  state: 'degraded',
  knownFrom: ['catalog'],
  catalog: {
    entityRef: 'resource:default/cluster-03-lab',
    owner: 'group:default/lab-team',
  },
  argocd: [],
  reasons: [
    {
      id: 'reconcile-never-seen',
      severity: 'warning',
      message:
        'resource:default/cluster-03-lab names cluster cluster-03-lab, but Thanos has no series with cluster="cluster-03-lab"',
    },
    {
      id: 'reconcile-no-overlay',
      severity: 'warning',
      message: 'no overlay under deploy/overlays/cluster-03-lab/',
    },
  ],
};

export const healthyCentral: ReconciledCluster = {
  cluster: 'cluster-01-central',
  state: 'healthy',
  knownFrom: ['catalog', 'gitops', 'argocd', 'remote-write', 'receive'],
  catalog: {
    entityRef: 'resource:default/cluster-01-central',
    owner: 'group:default/platform-team',
  },
  overlay: {
    path: 'deploy/overlays/cluster-01-central/prometheus-agent',
    component: 'prometheus-agent',
    chartVersion: '25.11.0',
    agentVersion: 'v2.50.1',
    tenant: 'cluster-01-central',
    externalLabels: { cluster: 'cluster-01-central' },
    lintErrors: 0,
    lintWarnings: 0,
  },
  argocd: [
    {
      instance: 'demo',
      name: 'prometheus-agent-cluster-01-central',
      syncStatus: 'Synced',
      healthStatus: 'Healthy',
      revision: REVISION,
      uiUrl:
        'https://argocd.example.com/applications/argocd/prometheus-agent-cluster-01-central',
    },
  ],
  remoteWrite: { state: 'healthy', reasons: [] },
  receive: {
    tenant: 'cluster-01-central',
    routed: true,
    headSeries: 40_000,
    forecast: { confidence: 'high', atRisk: false },
  },
  agentPods: { kubernetesCluster: 'central', ready: 1, total: 1 },
  reasons: [],
};

/** The whole reconciled fleet of the fixtures, worst first. */
export const reconciledClusters: ReconciledCluster[] = [
  brokenEdge,
  ghost,
  neverSeen,
  healthyCentral,
];

/** The counts a backend would send for `clusters` (the whole fleet), `capacity` as one group. */
export function reconciledCounts(
  clusters: ReconciledCluster[],
): ReconciledFleet['counts'] {
  const states: Record<string, number> = {};
  const reasons: Record<string, number> = {};
  for (const c of clusters) {
    states[c.state] = (states[c.state] ?? 0) + 1;
    const ids = new Set(c.reasons.map(r => r.id));
    for (const id of ids) reasons[id] = (reasons[id] ?? 0) + 1;
    if ([...ids].some(id => id.startsWith('capacity-')))
      reasons.capacity = (reasons.capacity ?? 0) + 1;
  }
  return { clusters: clusters.length, states, reasons };
}
