import { GithubFake } from './fakes/github';
import { DemoExplosion, startDemoExplosion } from './demoExplosion';
import { DEMO_GITOPS_FILES } from './demoGitops';
import { LocalFleet } from './fleet';
import { FleetSimulator, planClusters } from './simulator';
import { ArgocdFake, FakeArgoApp } from './fakes/argocd';
import {
  KubernetesFake,
  agentPod,
  hashringJson,
  receivePod,
} from './fakes/kubernetes';
import {
  HASHRING_KEY,
  HASHRING_CONFIGMAP,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { ThanosQueryFake } from './fakes/thanosQuery';

export interface DemoFleetOptions {
  centralPort?: number;
  queryPort?: number;
  argocdPort?: number;
  kubernetesPort?: number;
  githubPort?: number;
  /** Synthetic clusters written next to the real agents. */
  syntheticClusters?: number;
  log?: (line: string) => void;
}

export interface DemoFleet {
  /** Thanos-Query-like PromQL API (real Prometheus behind a facade that adds /api/v1/stores). */
  queryUrl: string;
  centralUrl: string;
  fleet: LocalFleet;
  thanosQuery: ThanosQueryFake;
  /** ArgoCD contract fake holding the demo's Applications (demo data, not a real ArgoCD). */
  argocd: { fake: ArgocdFake; url: string; token: string };
  /**
   * Kubernetes API contract fake of the central cluster (demo data): three receivers, the one that
   * is down in the metrics OOM-killed and in CrashLoopBackOff, another near its memory limit, an
   * agent, the hashring ConfigMap, and pod metrics (metrics.k8s.io).
   */
  kubernetes: {
    fake: KubernetesFake;
    url: string;
    token: string;
    cluster: string;
  };
  simulator: FleetSimulator;
  /**
   * GitHub API contract fake holding the demo GitOps repository `example/fleet-gitops` (what our
   * scaffolder writes for the demo's clusters); pull requests need `token`.
   */
  github: { fake: GithubFake; url: string; token: string };
  /** cluster-03-edge's cardinality explosion and its tenant's TSDB statistics (demoExplosion.ts). */
  explosion: DemoExplosion;
  stop(): Promise<void>;
}

/** Real agents of the demo (names from the reference's example layout). */
export const DEMO_AGENT_CLUSTERS = [
  'cluster-01-central',
  'cluster-02-edge',
  'cluster-03-edge',
];

const DEMO_ARGOCD_TOKEN = 'demo-argocd-token';
const DEMO_KUBERNETES_TOKEN = 'demo-kubernetes-token';
const DEMO_GITHUB_TOKEN = 'demo-github-token';

/** The receiver that is down in every fake of the demo (Receive metrics, Query's /stores, Kubernetes). */
export const DEMO_DOWN_RECEIVER = 2;

/** The receivers' memory limit (2Gi) and thanos-receive-1's working set now (1916Mi), as demoKubernetes has them. */
const DEMO_RECEIVER_MEMORY_LIMIT = 2 * 1024 ** 3;
const DEMO_RECEIVER_1_WORKING_SET = 1916 * 1024 ** 2;

/**
 * The demo's capacity story (one of each): cluster-02-edge's tenant grows toward its head-series
 * limit (about 9 days left), thanos-receive-1's working set grows toward its memory limit (about 3
 * days; the Kubernetes view has it at 93.6 %), and thanos-receive-2 is down (with replication factor 3
 * on three receivers every receiver holds every series: losing one moves nothing).
 */
export function demoCapacity(now = Math.floor(Date.now() / 1000)) {
  const perDay = 864;
  // Each up receiver holds every series (RF 3): 62,000 head series at 8 kB plus 150 MB.
  const steady = 150e6 + 8_000 * 62_000;
  // thanos-receive-1 is where the Kubernetes view has it (1916Mi of 2Gi) and reaches 2Gi in 3 days.
  const oomPerSecond =
    (DEMO_RECEIVER_MEMORY_LIMIT - DEMO_RECEIVER_1_WORKING_SET) / (3 * 86_400);
  return {
    receivers: 3,
    factor: 3,
    down: [DEMO_DOWN_RECEIVER],
    tenants: [
      {
        tenant: 'cluster-02-edge',
        series: (t: number) => 30_000 + (perDay / 86_400) * (t - now),
        // The limiter compares the sum over the receivers that answer: two of three here, each
        // holding every series.
        limit: 2 * (30_000 + 9 * perDay),
      },
      { tenant: 'cluster-03-edge', series: () => 12_000 },
      { tenant: 'cluster-01-central', series: () => 20_000 },
    ],
    defaultLimit: 500_000,
    memory: {
      baseBytes: 150e6,
      bytesPerSeries: 8_000,
      limitBytes: DEMO_RECEIVER_MEMORY_LIMIT,
      growthPerSecond: { 1: oomPerSecond },
      growthFrom: now - (DEMO_RECEIVER_1_WORKING_SET - steady) / oomPerSecond,
    },
  };
}

/**
 * The central cluster's pods and hashring, as the Kubernetes view reads them (demo data). One story
 * with the metrics: the receiver the Receive card counts as down is OOM-killed over and over and now
 * in CrashLoopBackOff (not Ready, no memory sample); the one that took over its share of the hashring
 * is growing towards its own limit.
 */
export function demoKubernetes(port?: number): KubernetesFake {
  const minutesAgo = (m: number) =>
    new Date(Date.now() - m * 60_000).toISOString();
  const receivers = [0, 1, 2].map(i => {
    if (i === DEMO_DOWN_RECEIVER)
      return receivePod(i, {
        restarts: 6,
        lastOomKilledAt: minutesAgo(3),
        waitingReason: 'CrashLoopBackOff',
        memoryUsage: undefined,
      });
    if (i === 1)
      // At 93.6 % of its 2Gi limit: pod-memory-near-limit.
      return receivePod(i, { restarts: 0, memoryUsage: '1916Mi' });
    return receivePod(i, { restarts: 0 });
  });
  return new KubernetesFake({
    pods: [...receivers, agentPod('prometheus-agent-server-0')],
    configMaps: [
      {
        namespace: 'monitoring',
        name: HASHRING_CONFIGMAP,
        data: { [HASHRING_KEY]: hashringJson(receivers.map(p => p.name)) },
      },
    ],
    tokens: [DEMO_KUBERNETES_TOKEN],
    port,
  });
}

/** The Applications that deploy the demo fleet, named as catalog-info.yaml annotates them. */
export function demoArgoApps(now = Date.now()): FakeArgoApp[] {
  const at = (minutesAgo: number) =>
    new Date(now - minutesAgo * 60_000).toISOString();
  const history = () => [
    {
      id: 1,
      revision: 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0',
      deployedAt: at(60 * 24),
      deployStartedAt: at(60 * 24 + 1),
      automated: true,
    },
    {
      id: 2,
      revision: '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c',
      deployedAt: at(90),
      deployStartedAt: at(91),
      username: 'platform-bot',
      automated: false,
    },
  ];
  const app = (
    name: string,
    path: string,
    over: Partial<FakeArgoApp> = {},
  ): FakeArgoApp => ({
    name,
    project: 'monitoring',
    repoURL: 'https://git.example.com/platform/fleet-deploy.git',
    path,
    targetRevision: 'main',
    destination: {
      server: 'https://kubernetes.default.svc',
      namespace: 'monitoring',
    },
    sync: 'Synced',
    health: 'Healthy',
    revision: '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c',
    operation: {
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
      startedAt: at(91),
      finishedAt: at(90),
    },
    history: history(),
    ...over,
  });
  return [
    app(
      'cluster-01-central-kube-prometheus-stack',
      'deploy/overlays/cluster-01-central/kube-prometheus-stack',
    ),
    app(
      'cluster-01-central-thanos-receive',
      'deploy/overlays/cluster-01-central/kube-prometheus-stack',
    ),
    app(
      'cluster-01-central-thanos-query',
      'deploy/overlays/cluster-01-central/kube-prometheus-stack',
    ),
    app(
      'cluster-02-edge-prometheus-agent',
      'deploy/overlays/cluster-02-edge/prometheus-agent',
    ),
    app(
      'cluster-03-edge-prometheus-agent',
      'deploy/overlays/cluster-03-edge/prometheus-agent',
      {
        sync: 'OutOfSync',
        resources: [
          {
            version: 'v1',
            kind: 'ConfigMap',
            namespace: 'monitoring',
            name: 'prometheus-agent-server',
            status: 'OutOfSync',
            health: 'Healthy',
          },
        ],
        syncWindows: { canSync: true },
      },
    ),
  ];
}

/**
 * The demo fleet behind `npm start` and the end-to-end test: real Prometheus agents remote-writing
 * through Thanos Receive (replication factor 3, one receiver down) into real Prometheus stores,
 * synthetic clusters with the faults production fleets show (2 h and 2 d silences, heavy lag, a
 * broken second queue, a tenant over its limit, Prometheus 2 and 3 names), a `checkout` service,
 * and the Thanos Query facade with dedup.
 */
export async function startDemoFleet(
  options: DemoFleetOptions = {},
): Promise<DemoFleet> {
  const log = options.log ?? (() => {});
  let simulator: FleetSimulator | undefined;
  // Production-shaped: Thanos Receive with replication factor 3 (one of three receivers down),
  // Query deduplicating on `replica`, and the faults real fleets show.
  const fleet = await LocalFleet.start({
    agents: DEMO_AGENT_CLUSTERS,
    scrapeInterval: '5s',
    centralPort: options.centralPort,
    queryPort: options.queryPort,
    replication: { factor: 3, down: [DEMO_DOWN_RECEIVER] },
    beforeAgents: async f => {
      simulator = new FleetSimulator({
        sink: f.sink,
        clusters: planClusters(options.syntheticClusters ?? 24, {
          lagging: 1,
          'lagging-heavily': 1,
          failing: 1,
          retrying: 1,
          dropping: 1,
          'shards-maxed': 1,
          silent: 1,
          'silent-2h': 1,
          'silent-2d': 1,
          'second-queue-broken': 1,
          'tenant-over-limit': 1,
        }),
        receive: {
          fault: 'healthy',
          job: 'thanos-receive',
          replicas: 3,
          down: [DEMO_DOWN_RECEIVER],
        },
        services: [
          {
            job: 'checkout',
            namespace: 'shop',
            clusters: ['cluster-02-edge', 'cluster-03-edge'],
            targets: 2,
          },
        ],
        capacity: demoCapacity(),
        stepSeconds: 15,
      });
      for (const t of simulator.tenants) f.extraTenants.add(t);
      f.refreshStores();
      // History first: the 2-hours-silent cluster's samples must be the oldest in the stores.
      await simulator.writeUntilNow();
    },
  });
  log(
    `central stores on ${fleet.central.url} (one copy per replica) and ${fleet.dedupStore?.url} (deduplicated), agents: ${DEMO_AGENT_CLUSTERS.join(', ')}`,
  );
  const sim = simulator!;
  sim.startTicking(e => log(`simulator: ${e}`));
  const thanosQuery = fleet.thanosQuery!;
  log(
    `Thanos Query facade on ${thanosQuery.url}, Thanos Receive on ${fleet.receive?.writeUrl}`,
  );
  const argocd = new ArgocdFake({
    apps: demoArgoApps(),
    tokens: [DEMO_ARGOCD_TOKEN],
    port: options.argocdPort,
  });
  await argocd.start();
  log(`ArgoCD contract fake (demo data) on ${argocd.url}`);
  const kubernetes = demoKubernetes(options.kubernetesPort);
  await kubernetes.start();
  // The GitOps repository the "new cluster" template reads its existing base and overlays from
  // (fetch:plain through Backstage's GithubUrlReader) and opens its pull request against.
  const github = new GithubFake(
    [
      {
        owner: 'example',
        repo: 'fleet-gitops',
        files: {
          'README.md':
            '# fleet-gitops (demo)\n\nKustomize overlays per cluster under deploy/overlays/.\n',
          ...DEMO_GITOPS_FILES,
        },
      },
    ],
    { tokens: [DEMO_GITHUB_TOKEN] },
  );
  await github.start(options.githubPort);
  log(`GitHub API contract fake (demo repository) on ${github.url}`);
  const explosion = await startDemoExplosion(fleet, e =>
    log(`explosion: ${e}`),
  );
  log(
    `${explosion.cluster} sends ${explosion.metric.name} (a label per user id); its tenant's TSDB statistics on ${explosion.statusUrl}`,
  );
  log(
    `Kubernetes API contract fake of cluster-01-central (demo data) on ${kubernetes.url}`,
  );
  return {
    queryUrl: thanosQuery.url,
    centralUrl: fleet.central.url,
    fleet,
    thanosQuery,
    argocd: { fake: argocd, url: argocd.url, token: DEMO_ARGOCD_TOKEN },
    kubernetes: {
      fake: kubernetes,
      url: kubernetes.url,
      token: DEMO_KUBERNETES_TOKEN,
      cluster: 'cluster-01-central',
    },
    simulator: sim,
    github: { fake: github, url: github.url, token: DEMO_GITHUB_TOKEN },
    explosion,
    async stop() {
      sim.stopTicking();
      await explosion.stop();
      await github.stop();
      await kubernetes.stop();
      await argocd.stop();
      await fleet.stop();
    },
  };
}
