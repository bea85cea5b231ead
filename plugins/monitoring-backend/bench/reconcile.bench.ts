/**
 * Reconciled fleet benchmark. From the repo root:
 *   N=10000 node -r @backstage/cli/config/nodeTransform.cjs plugins/monitoring-backend/bench/reconcile.bench.ts
 * (N defaults to 10000; N=500 for a quick run.)
 *
 * The joined fleet at N clusters: the repository (N overlays, parsed by the real overlay facts
 * reader and lint), ArgoCD (N Applications with history), the remote-write summary and the
 * Thanos series (N build_info writers, tenants, limits) are answered in-process at that size, each
 * counted, so the numbers are the join's own cost and its upstream calls per refresh, next to the
 * remote-write-only summary page cut from the same summary in the same run. What the real
 * upstreams add per call (HTTP, Thanos' evaluation) is measured by fleetScale.bench.ts and
 * argocd.bench.ts.
 */
import {
  FleetSummary,
  lintOverlays,
  overlayFacts,
} from '@fleet-monitoring/plugin-monitoring-common';
import { CachedLoader } from '../src/core/CachedLoader';
import { fleetPage } from '../src/remoteWrite/fleetPage';
import { reconcilePage } from '../src/reconcile/page';
import { ReconcileService } from '../src/reconcile/ReconcileService';
import type { ReconcileSources } from '../src/reconcile/sources';

const N = Number(process.env.N ?? 10000);
const name = (i: number) => `cluster-${String(i).padStart(5, '0')}`;
const calls: Record<string, number> = {};
const count = (k: string) => {
  calls[k] = (calls[k] ?? 0) + 1;
};

function repository(): Map<string, string> {
  const files = new Map<string, string>();
  for (let i = 0; i < N; i++) {
    const c = name(i);
    const dir = `deploy/overlays/${c}/prometheus-agent`;
    files.set(
      `${dir}/kustomization.yaml`,
      JSON.stringify({
        helmCharts: [
          { name: 'prometheus', version: '25.11.0', valuesFile: 'values.yaml' },
        ],
      }),
    );
    files.set(
      `${dir}/values.yaml`,
      JSON.stringify({
        server: {
          defaultFlagsOverride: ['--enable-feature=agent'],
          global: { external_labels: { cluster: c } },
          remoteWrite: [
            {
              url: 'https://receive.example.com/api/v1/receive',
              headers: { 'THANOS-TENANT': c },
              queue_config: { retry_on_http_429: true },
            },
          ],
        },
        serverFiles: { 'prometheus.yml': { rule_files: [] } },
        alertmanager: { enabled: false },
      }),
    );
  }
  return files;
}

function summary(): FleetSummary {
  return {
    instance: 'default',
    generatedAt: new Date().toISOString(),
    clusters: Array.from({ length: N }, (_, i) => ({
      cluster: name(i),
      state: i % 50 === 0 ? 'failing' : 'healthy',
      reasons: [],
      stats: { lastSeen: Date.now() / 1000 },
      knownFrom: ['thanos'],
    })),
    counts: {
      healthy: 0,
      recovering: 0,
      degraded: 0,
      failing: 0,
      'no-data': 0,
      unknown: 0,
    },
  };
}

async function main() {
  const files = repository();
  const rw = summary();
  const now = Date.now();
  const sources: ReconcileSources = {
    catalog: async () => {
      count('catalog');
      return Array.from({ length: N - 10 }, (_, i) => ({
        cluster: name(i),
        entityRef: `resource:default/${name(i)}`,
      }));
    },
    gitops: async () => {
      count('gitops tree read');
      const facts = overlayFacts(files);
      lintOverlays(files);
      return { ...facts, lint: {} };
    },
    argocd: async () => {
      count('argocd list');
      return [
        {
          instance: 'main',
          apps: Array.from({ length: N - 5 }, (_, i) => ({
            instance: 'main',
            name: `${name(i)}-agent`,
            syncStatus: i % 97 === 0 ? 'OutOfSync' : 'Synced',
            healthStatus: 'Healthy',
            path: `deploy/overlays/${name(i)}/prometheus-agent`,
            repoURL: 'https://github.com/acme/fleet-gitops.git',
            uiUrl: 'https://argocd.example.com',
            history: [
              {
                revision: 'a'.repeat(40),
                deployedAt: new Date(now - 20 * 60_000).toISOString(),
              },
            ],
          })),
        },
      ];
    },
    remoteWrite: async () => {
      count('remote-write summary');
      return rw;
    },
    receive: async () => {
      count('receive health');
      return {
        instance: 'default',
        component: 'receive',
        isThanos: true,
        state: 'healthy',
        reasons: [],
        warnings: [],
        receive: { instancesUp: 3, instancesTotal: 3 },
      };
    },
  };
  const client = {
    instance: { name: 'default' },
    query: async () => {
      count('thanos query');
      return {
        warnings: [],
        result: Array.from({ length: N }, (_, i) => ({
          metric: {
            fleet_monitoring_signal: 'build',
            cluster: name(i),
            version: '2.49.1',
            instance: 'localhost:9090',
          },
          value: [now / 1000, '1'] as [number, string],
        })),
      };
    },
    queryRange: async () => {
      count('thanos query_range');
      return { warnings: [], result: [] };
    },
  };
  const service = new ReconcileService({
    sources,
    loader: new CachedLoader(undefined, 0),
    logger: {
      info() {},
      warn() {},
      error() {},
      debug() {},
      child() {
        return this;
      },
    } as any,
    instances: { client: () => client as any },
    clusterLabel: 'cluster',
    receiveSelector: [],
  });

  let t = performance.now();
  const fleet = await service.fleet();
  const page = reconcilePage(fleet, { limit: 50 });
  const joinedMs = performance.now() - t;
  const joinedCalls = { ...calls };

  t = performance.now();
  fleetPage(await sources.remoteWrite('default'), { limit: 50 });
  const summaryMs = performance.now() - t;

  console.log(
    `clusters: ${N}, rows: ${fleet.clusters.length}, reasons: ${JSON.stringify(page.counts.reasons)}`,
  );
  console.log(
    `joined fleet, one refresh: ${joinedMs.toFixed(0)} ms, upstream calls ${JSON.stringify(joinedCalls)}`,
  );
  console.log(
    `remote-write-only summary page over the same summary: ${summaryMs.toFixed(1)} ms, 1 summary read`,
  );
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
