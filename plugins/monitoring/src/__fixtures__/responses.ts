import {
  OOM_KILLED_HINTS,
  type KubernetesClusterView,
} from '@fleet-monitoring/plugin-monitoring-common';
import type {
  ArgocdEntityApps,
  ClusterDetail,
  FleetSummary,
  MetricsArriving,
  ThanosHealth,
} from '@fleet-monitoring/plugin-monitoring-common';

const now = Math.floor(Date.now() / 1000);
const series = (f: (i: number) => number) =>
  Array.from(
    { length: 12 },
    (_, i) => [now - (11 - i) * 300, f(i)] as [number, number],
  );

export const healthyDetail: ClusterDetail = {
  cluster: 'cluster-02-edge',
  instance: 'demo',
  state: 'healthy',
  reasons: [],
  stats: {
    lagSeconds: 1.2,
    samplesPerSecond: 950,
    failedPerSecond: 0,
    retriedPerSecond: 0,
    droppedPerSecond: 0,
    failureRatio: 0,
    pendingSamples: 40,
    shards: 4,
    desiredShards: 3.2,
    maxShards: 50,
    lastSeen: now - 5,
  },
  series: {
    lagSeconds: series(i => 1 + (i % 3)),
    samplesPerSecond: series(i => 900 + i * 5),
    failedPerSecond: series(() => 0),
    retriedPerSecond: series(() => 0),
  },
  range: { start: now - 3600, end: now, step: 60 },
};

export const degradedDetail: ClusterDetail = {
  ...healthyDetail,
  state: 'degraded',
  reasons: [
    {
      id: 'remote-write-retrying',
      severity: 'warning',
      message:
        'The agent retries 120 samples/s: the receiver answers with recoverable errors.',
      value: 120,
      threshold: 0,
    },
    {
      id: 'remote-write-pending',
      severity: 'warning',
      message: '25000 samples are pending (limit 10000).',
    },
  ],
  stats: {
    ...healthyDetail.stats,
    retriedPerSecond: 120,
    pendingSamples: 25000,
  },
};

export const upstreamDownDetail: ClusterDetail = {
  ...healthyDetail,
  state: 'unknown',
  reasons: [
    {
      id: 'upstream-unreachable',
      severity: 'critical',
      message: 'connect ECONNREFUSED 127.0.0.1:19091',
    },
  ],
  stats: {},
  series: {
    lagSeconds: [],
    samplesPerSecond: [],
    failedPerSecond: [],
    retriedPerSecond: [],
  },
  error: {
    upstream: 'thanos:demo',
    kind: 'unreachable',
    message: 'connect ECONNREFUSED 127.0.0.1:19091',
  },
};

export const receiveHealth: ThanosHealth = {
  instance: 'demo',
  component: 'receive',
  isThanos: true,
  state: 'failing',
  reasons: [
    {
      id: 'receive-http-errors',
      severity: 'critical',
      message: '16.7 % of receive requests answer 5xx (limit 5 %).',
    },
  ],
  receive: {
    httpErrorRatio: 0.167,
    p99LatencySeconds: 0.095,
    replicationFailureRatio: 0,
    forwardFailureRatio: 0,
    hashringFileErrorsPerSecond: 0,
    configReloadSuccessful: true,
    headSeriesLimitedPerSecond: 0,
    replicationFactor: 3,
    hashringNodes: 3,
  },
  warnings: [],
};

export const queryHealth: ThanosHealth = {
  instance: 'demo',
  component: 'query',
  isThanos: true,
  state: 'degraded',
  reasons: [
    {
      id: 'query-store-errors',
      severity: 'warning',
      message: '1 of 2 store endpoints report an error.',
    },
  ],
  stores: [
    {
      type: 'receive',
      name: 'thanos-receive-0:10901',
      lastCheck: new Date().toISOString(),
      lastError: null,
      labelSets: [{ replica: '0' }],
      minTime: 0,
      maxTime: null,
    },
    {
      type: 'store',
      name: 'thanos-store-0:10901',
      lastError: 'rpc error: code = Unavailable desc = connection refused',
      labelSets: [],
      minTime: null,
      maxTime: null,
    },
  ],
  warnings: ['receive thanos-receive-1 did not answer in time'],
};

export const notThanosHealth: ThanosHealth = {
  instance: 'demo',
  component: 'query',
  isThanos: false,
  state: 'healthy',
  reasons: [
    {
      id: 'query-not-thanos',
      severity: 'info',
      message: 'The upstream answered 404 on /api/v1/stores.',
    },
  ],
  warnings: [],
};

export const arriving: MetricsArriving = {
  instance: 'demo',
  selector: '{job="checkout",namespace="shop"}',
  query: 'count by (cluster) (up{job="checkout",namespace="shop"})',
  state: 'degraded',
  reasons: [
    {
      id: 'targets-down',
      severity: 'warning',
      message: 'Cluster "cluster-03-edge": 1 of 2 scrape targets are down.',
    },
  ],
  clusters: [
    {
      cluster: 'cluster-02-edge',
      targetsUp: 2,
      targetsTotal: 2,
      seriesCount: 6,
      lastSampleAgeSeconds: 7,
    },
    {
      cluster: 'cluster-03-edge',
      targetsUp: 1,
      targetsTotal: 2,
      seriesCount: 6,
      lastSampleAgeSeconds: 9,
    },
  ],
};

export const nothingArriving: MetricsArriving = {
  ...arriving,
  state: 'no-data',
  reasons: [
    {
      id: 'metrics-not-arriving',
      severity: 'warning',
      message: 'No series match the selector in the last hour, in any cluster.',
    },
  ],
  clusters: [],
};

export const argocdApps: ArgocdEntityApps = {
  state: 'degraded',
  reasons: [
    {
      id: 'argocd-out-of-sync',
      severity: 'warning',
      message: 'cluster-02-edge-agent is OutOfSync with its Git revision.',
      hints: ['See the diff: argocd app diff cluster-02-edge-agent'],
    },
  ],
  query: { selector: 'fleet-monitoring.io/cluster=cluster-02-edge' },
  applications: [
    {
      instance: 'demo',
      name: 'cluster-02-edge-agent',
      namespace: 'argocd',
      project: 'fleet',
      syncStatus: 'OutOfSync',
      syncState: 'degraded',
      healthStatus: 'Healthy',
      healthState: 'healthy',
      revision: '0123456789abcdef0123456789abcdef01234567',
      lastDeployedAt: new Date(Date.now() - 3600_000).toISOString(),
      operation: {
        phase: 'Succeeded',
        state: 'healthy',
        message: 'successfully synced (all tasks run)',
      },
      uiUrl: 'http://127.0.0.1:18080/applications/argocd/cluster-02-edge-agent',
      state: 'degraded',
      reasons: [],
    },
  ],
  instances: [{ name: 'demo', applications: 1 }],
  errors: [],
  generatedAt: new Date().toISOString(),
};

export const fleetSummary: FleetSummary = {
  instance: 'demo',
  generatedAt: new Date().toISOString(),
  counts: {
    healthy: 2,
    recovering: 0,
    degraded: 1,
    failing: 1,
    'no-data': 0,
    unknown: 0,
  },
  clusters: [
    {
      cluster: 'cluster-01-central',
      state: 'healthy',
      reasons: [],
      stats: {
        lagSeconds: 1,
        samplesPerSecond: 1000,
        failureRatio: 0,
        lastSeen: now - 3,
      },
    },
    {
      cluster: 'cluster-02-edge',
      state: 'healthy',
      reasons: [],
      stats: {
        lagSeconds: 2,
        samplesPerSecond: 900,
        failureRatio: 0,
        lastSeen: now - 3,
      },
    },
    {
      cluster: 'sim-0001',
      state: 'degraded',
      reasons: [
        {
          id: 'remote-write-behind',
          severity: 'warning',
          message: 'Lag is 420 s.',
        },
      ],
      stats: {
        lagSeconds: 420,
        samplesPerSecond: 800,
        failureRatio: 0,
        lastSeen: now - 15,
      },
    },
    {
      cluster: 'sim-0002',
      state: 'failing',
      reasons: [
        {
          id: 'remote-write-failing',
          severity: 'critical',
          message: '20 % of samples fail.',
        },
      ],
      stats: {
        lagSeconds: 3,
        samplesPerSecond: 850,
        failureRatio: 0.2,
        lastSeen: now - 15,
      },
    },
  ],
};

const oomAt = new Date(Date.now() - 600_000).toISOString();

/** Shaped like the backend's summarizePod/checkHashring output for the demo fleet's fault. */
export const oomKilledView: KubernetesClusterView = {
  cluster: 'cluster-01-central',
  namespace: 'monitoring',
  state: 'failing',
  reasons: [
    {
      id: 'pod-oom-killed',
      severity: 'critical',
      message: `thanos-receive-1/thanos-receive was OOMKilled (exit code 137) at ${oomAt}; memory limit 2Gi, request 1Gi.`,
      hints: [...OOM_KILLED_HINTS],
    },
    {
      id: 'pod-memory-near-limit',
      severity: 'warning',
      message:
        'thanos-receive-1/thanos-receive uses 1916Mi of its 2Gi memory limit (93.6 %, working set from metrics.k8s.io); at the limit the kernel OOM-kills it.',
      value: 0.936,
      threshold: 0.9,
      hints: [...OOM_KILLED_HINTS],
    },
    {
      id: 'hashring-endpoint-missing',
      severity: 'warning',
      message:
        'Receive pod thanos-receive-2 is not in any hashring of ConfigMap thanos-receive-hashrings (key hashrings.json), so it gets no writes.',
      hints: [
        "Add the pod's endpoint to the hashring (or let thanos-receive-controller regenerate it).",
      ],
    },
  ],
  receivePods: [0, 1, 2].map(i => ({
    name: `thanos-receive-${i}`,
    role: 'receive' as const,
    phase: 'Running',
    ready: true,
    podIP: `10.0.1.${10 + i}`,
    nodeName: 'node-a',
    restarts: i === 1 ? 3 : 0,
    containers: [
      {
        name: 'thanos-receive',
        ready: true,
        restartCount: i === 1 ? 3 : 0,
        state: 'running' as const,
        memoryRequest: '1Gi',
        memoryLimit: '2Gi',
        memoryLimitBytes: 2 * 2 ** 30,
        // Working set from metrics.k8s.io: receive-1 near its limit, receive-2 without a sample.
        ...[
          { memoryUsage: '712704Ki', memoryUsageBytes: 712704 * 1024 },
          { memoryUsage: '1916Mi', memoryUsageBytes: 1916 * 2 ** 20 },
          {},
        ][i],
        oomKilled: i === 1,
        ...(i === 1
          ? {
              lastTerminationReason: 'OOMKilled',
              lastTerminationExitCode: 137,
              lastTerminationAt: oomAt,
            }
          : {}),
      },
    ],
    state: i === 1 ? ('failing' as const) : ('healthy' as const),
    reasons: [],
  })),
  agentPods: [
    {
      name: 'prometheus-agent-0',
      role: 'agent',
      phase: 'Running',
      ready: true,
      restarts: 0,
      containers: [
        {
          name: 'prometheus',
          ready: true,
          restartCount: 0,
          state: 'running',
          memoryRequest: '256Mi',
          memoryLimit: '512Mi',
          memoryLimitBytes: 512 * 2 ** 20,
          memoryUsage: '180224Ki',
          memoryUsageBytes: 180224 * 1024,
          oomKilled: false,
        },
      ],
      state: 'healthy',
      reasons: [],
    },
  ],
  hashring: {
    configMap: 'thanos-receive-hashrings',
    key: 'hashrings.json',
    hashrings: [
      {
        name: 'default',
        endpoints: [
          'thanos-receive-0.thanos-receive.monitoring.svc.cluster.local:10901',
          'thanos-receive-1.thanos-receive.monitoring.svc.cluster.local:10901',
          'thanos-receive-9.thanos-receive.monitoring.svc.cluster.local:10901',
        ],
      },
    ],
    missingPods: ['thanos-receive-2'],
    unknownEndpoints: [
      'thanos-receive-9.thanos-receive.monitoring.svc.cluster.local:10901',
    ],
    state: 'failing',
    reasons: [],
  },
  errors: [],
  generatedAt: new Date().toISOString(),
};
