/**
 * The health model shared by the backend (which computes it) and the frontend (which shows it).
 *
 * Every subject (a cluster's remote write, a Thanos component, a service's metrics, an ArgoCD app, a
 * pod) gets one state plus the reasons behind it. A reason's `id` is stable: the TechDocs
 * troubleshooting pages carry an anchor with exactly that id, so a card can deep-link the fix.
 */

import type { HealthReason, HealthState } from './schema/openapi';

export interface ReasonDefinition {
  /** Short title, also the heading of the troubleshooting section. */
  title: string;
  /** Troubleshooting page (path under docs/, without `.md`) whose heading carries the id as anchor. */
  page: TroubleshootingPage;
}

/** @public */
export type TroubleshootingPage =
  | 'troubleshooting/remote-write'
  | 'troubleshooting/metrics-missing'
  | 'troubleshooting/thanos-receive'
  | 'troubleshooting/thanos-query'
  | 'troubleshooting/argocd'
  | 'troubleshooting/kubernetes'
  | 'troubleshooting/upstreams'
  | 'troubleshooting/capacity'
  | 'troubleshooting/reconciliation';

/**
 * All reason ids. Adding one here without a docs anchor fails the docs test.
 *
 * @public
 */
export const REASONS = {
  // Remote write (Prometheus mixin: PrometheusRemoteStorageFailures, PrometheusRemoteWriteBehind,
  // PrometheusRemoteWriteDesiredShards) - FAQ Q1.
  'remote-write-failing': {
    title: 'Remote write is failing',
    page: 'troubleshooting/remote-write',
  },
  'remote-write-behind': {
    title: 'Remote write is falling behind',
    page: 'troubleshooting/remote-write',
  },
  'remote-write-retrying': {
    title: 'Remote write is retrying',
    page: 'troubleshooting/remote-write',
  },
  'remote-write-dropping': {
    title: 'Samples are being dropped',
    page: 'troubleshooting/remote-write',
  },
  'remote-write-pending': {
    title: 'Samples are piling up',
    page: 'troubleshooting/remote-write',
  },
  'remote-write-shards-maxed': {
    title: 'Desired shards exceed the maximum',
    page: 'troubleshooting/remote-write',
  },
  // Metrics missing - FAQ Q2.
  'cluster-no-data': {
    title: 'No data from the cluster',
    page: 'troubleshooting/metrics-missing',
  },
  'cluster-never-seen': {
    title: 'The cluster has never sent data',
    page: 'troubleshooting/metrics-missing',
  },
  'tenant-over-limit': {
    title: "Receive refuses the cluster's writes (429)",
    page: 'troubleshooting/remote-write',
  },
  'remote-write-recovering': {
    title: 'Remote write is catching up',
    page: 'troubleshooting/remote-write',
  },
  'metrics-not-arriving': {
    title: "The service's metrics are not arriving",
    page: 'troubleshooting/metrics-missing',
  },
  'metrics-stale': {
    title: "The service's metrics are stale",
    page: 'troubleshooting/metrics-missing',
  },
  'targets-down': {
    title: 'Scrape targets are down',
    page: 'troubleshooting/metrics-missing',
  },
  // Thanos Receive (Thanos mixin: ThanosReceive* alerts) - FAQ Q4 for OOM.
  'receive-http-errors': {
    title: 'Receive answers with 5xx errors',
    page: 'troubleshooting/thanos-receive',
  },
  'receive-high-latency': {
    title: 'Receive is slow to accept writes',
    page: 'troubleshooting/thanos-receive',
  },
  'receive-replication-failures': {
    title: 'Replication is failing',
    page: 'troubleshooting/thanos-receive',
  },
  'receive-forward-failures': {
    title: 'Forwarding between receivers is failing',
    page: 'troubleshooting/thanos-receive',
  },
  'receive-hashring-file-errors': {
    title: 'The hashring file cannot be read',
    page: 'troubleshooting/thanos-receive',
  },
  'receive-config-reload-failed': {
    title: 'The receive configuration did not reload',
    page: 'troubleshooting/thanos-receive',
  },
  'receive-head-series-limited': {
    title: 'Tenants hit the head-series limit',
    page: 'troubleshooting/thanos-receive',
  },
  'receive-no-data': {
    title: 'No metrics from Thanos Receive',
    page: 'troubleshooting/thanos-receive',
  },
  'receive-instance-down': {
    title: 'A receiver is down',
    page: 'troubleshooting/thanos-receive',
  },
  'receive-no-upload': {
    title: 'Receive does not upload blocks',
    page: 'troubleshooting/thanos-receive',
  },
  'receive-down': {
    title: 'Thanos Receive is down',
    page: 'troubleshooting/thanos-receive',
  },
  'open-write-endpoint': {
    title: 'The edge write entry point is open',
    page: 'troubleshooting/thanos-receive',
  },
  // Thanos Query.
  'query-store-errors': {
    title: 'Store endpoints report errors',
    page: 'troubleshooting/thanos-query',
  },
  'query-partial-response': {
    title: 'Queries return partial responses',
    page: 'troubleshooting/thanos-query',
  },
  'query-not-thanos': {
    title: 'The upstream is not a Thanos querier',
    page: 'troubleshooting/thanos-query',
  },
  'query-dedup-off': {
    title: 'Replicated series are not deduplicated',
    page: 'troubleshooting/thanos-query',
  },
  'query-http-errors': {
    title: 'Query answers with 5xx errors',
    page: 'troubleshooting/thanos-query',
  },
  'query-grpc-errors': {
    title: 'gRPC calls of Query fail',
    page: 'troubleshooting/thanos-query',
  },
  'query-dns-failures': {
    title: 'DNS lookups of store endpoints fail',
    page: 'troubleshooting/thanos-query',
  },
  'query-high-latency': {
    title: 'Queries are slow',
    page: 'troubleshooting/thanos-query',
  },
  'query-overload': {
    title: 'Query is at its concurrency limit',
    page: 'troubleshooting/thanos-query',
  },
  // ArgoCD - FAQ Q3.
  'argocd-out-of-sync': {
    title: 'Application is OutOfSync',
    page: 'troubleshooting/argocd',
  },
  'argocd-degraded': {
    title: 'Application is Degraded',
    page: 'troubleshooting/argocd',
  },
  'argocd-missing': {
    title: 'Application resources are missing',
    page: 'troubleshooting/argocd',
  },
  'argocd-operation-failed': {
    title: 'The last sync operation failed',
    page: 'troubleshooting/argocd',
  },
  'argocd-sync-window-blocked': {
    title: 'A sync window blocks syncing',
    page: 'troubleshooting/argocd',
  },
  // Kubernetes - FAQ Q4.
  'pod-oom-killed': {
    title: 'A pod was OOMKilled',
    page: 'troubleshooting/kubernetes',
  },
  'pod-not-ready': {
    title: 'A pod is not ready',
    page: 'troubleshooting/kubernetes',
  },
  'pod-restarting': {
    title: 'A pod keeps restarting',
    page: 'troubleshooting/kubernetes',
  },
  'pod-memory-near-limit': {
    title: 'A pod is close to its memory limit',
    page: 'troubleshooting/kubernetes',
  },
  'pod-metrics-unavailable': {
    title: 'Memory usage is not shown',
    page: 'troubleshooting/kubernetes',
  },
  'hashring-endpoint-missing': {
    title: 'A receive pod is missing from the hashring',
    page: 'troubleshooting/kubernetes',
  },
  'hashring-endpoint-unknown': {
    title: 'The hashring names an endpoint with no pod',
    page: 'troubleshooting/kubernetes',
  },
  // Capacity (issue #21): head-series limits, receiver memory, OOM cascades.
  'capacity-tenant-at-limit': {
    title: 'The tenant is at its head-series limit',
    page: 'troubleshooting/capacity',
  },
  'capacity-tenant-limit-soon': {
    title: 'The tenant will reach its head-series limit soon',
    page: 'troubleshooting/capacity',
  },
  'capacity-tenant-no-limit': {
    title: 'The tenant has no head-series limit',
    page: 'troubleshooting/capacity',
  },
  'capacity-no-data': {
    title: 'No head-series metrics from the receivers',
    page: 'troubleshooting/capacity',
  },
  'capacity-receiver-oom-soon': {
    title: 'A receiver will reach its memory limit soon',
    page: 'troubleshooting/capacity',
  },
  'capacity-receiver-no-memory-limit': {
    title: 'A receiver has no memory limit',
    page: 'troubleshooting/capacity',
  },
  'capacity-memory-unknown': {
    title: "The receivers' memory is not known",
    page: 'troubleshooting/capacity',
  },
  'capacity-one-receiver-lost': {
    title: 'Losing one receiver would overload the others',
    page: 'troubleshooting/capacity',
  },
  'capacity-series-explosion': {
    title: "A metric's series grew fast over the last day",
    page: 'troubleshooting/capacity',
  },
  'capacity-top-series-unavailable': {
    title: 'The per-tenant TSDB statistics cannot be read',
    page: 'troubleshooting/capacity',
  },
  // Reconciliation (issue #22): the catalog, the GitOps overlays, ArgoCD, remote write, Receive and
  // the Kubernetes API joined per cluster; ghosts, gaps and drift between them.
  'reconcile-never-seen': {
    title: 'In the catalog but never seen',
    page: 'troubleshooting/reconciliation',
  },
  'reconcile-not-in-catalog': {
    title: 'Sending but not in the catalog',
    page: 'troubleshooting/reconciliation',
  },
  'reconcile-no-overlay': {
    title: 'No overlay in the GitOps repository',
    page: 'troubleshooting/reconciliation',
  },
  'reconcile-no-application': {
    title: 'Overlay without an ArgoCD Application',
    page: 'troubleshooting/reconciliation',
  },
  'reconcile-application-drift': {
    title: 'The Application is out of sync or degraded',
    page: 'troubleshooting/reconciliation',
  },
  'reconcile-tenant-no-overlay': {
    title: 'A hashring tenant has no overlay',
    page: 'troubleshooting/reconciliation',
  },
  'reconcile-tenant-not-routed': {
    title: "The overlay's tenant is not routed by the hashring",
    page: 'troubleshooting/reconciliation',
  },
  'reconcile-duplicate-cluster-label': {
    title: 'Two clusters write under one cluster label',
    page: 'troubleshooting/reconciliation',
  },
  'reconcile-sources-disagree': {
    title: 'The sources disagree about the receivers',
    page: 'troubleshooting/reconciliation',
  },
  'reconcile-broke-after-sync': {
    title: 'Remote write broke after a sync',
    page: 'troubleshooting/reconciliation',
  },
  'reconcile-version-drift': {
    title: 'The agent runs another version than the overlay says',
    page: 'troubleshooting/reconciliation',
  },
  'reconcile-label-drift': {
    title: "The series' labels differ from the overlay's external labels",
    page: 'troubleshooting/reconciliation',
  },
  // Upstream faults (a state of `unknown` always carries one of these).
  'upstream-unreachable': {
    title: 'The upstream cannot be reached',
    page: 'troubleshooting/upstreams',
  },
  'upstream-timeout': {
    title: 'The upstream timed out',
    page: 'troubleshooting/upstreams',
  },
  'upstream-unauthorized': {
    title: 'The upstream refused our credentials',
    page: 'troubleshooting/upstreams',
  },
  'upstream-error': {
    title: 'The upstream answered with an error',
    page: 'troubleshooting/upstreams',
  },
} as const satisfies Record<string, ReasonDefinition>;

/** @public */
export type ReasonId = keyof typeof REASONS;
/** @public */
export const REASON_IDS = Object.keys(REASONS) as ReasonId[];

export interface SubjectHealth {
  state: HealthState;
  reasons: HealthReason[];
}

/**
 * Every state, best first; the one order used for roll-ups, sorting and counts.
 *
 * @public
 */
export const STATE_ORDER: readonly HealthState[] = [
  'healthy',
  'recovering',
  'unknown',
  'no-data',
  'degraded',
  'failing',
];

/**
 * The worse of two states (failing > degraded > no-data > unknown > recovering > healthy).
 *
 * @public
 */
export function worstState(a: HealthState, b: HealthState): HealthState {
  return STATE_ORDER.indexOf(a) >= STATE_ORDER.indexOf(b) ? a : b;
}

/**
 * The state of a whole made of parts: its worst part (`base` when there are none).
 *
 * @public
 */
export function rollUpStates(
  states: Iterable<HealthState>,
  base: HealthState = 'healthy',
): HealthState {
  let out = base;
  for (const s of states) out = worstState(out, s);
  return out;
}

/**
 * How many subjects are in each state (every state present, zero when none).
 *
 * @public
 */
export function countStates(
  states: Iterable<HealthState>,
): Record<HealthState, number> {
  const counts = Object.fromEntries(STATE_ORDER.map(s => [s, 0])) as Record<
    HealthState,
    number
  >;
  for (const s of states) counts[s]++;
  return counts;
}

/**
 * The state a reason of each severity implies, the one map for backend judges and frontend badges.
 * `info` implies `healthy`: an info reason is worth knowing but is not a fault (a plain Prometheus
 * instead of Thanos, a condition that has not held yet, a cluster without metrics-server), so it
 * never worsens a state; where an info reason goes with another state (`recovering`), the judge sets
 * that state itself.
 *
 * @public
 */
export const SEVERITY_STATE: Record<HealthReason['severity'], HealthState> = {
  critical: 'failing',
  warning: 'degraded',
  info: 'healthy',
};

/**
 * State implied by a set of reasons: critical -> failing, warning -> degraded, else `base`.
 *
 * @public
 */
export function stateFromReasons(
  reasons: HealthReason[],
  base: HealthState = 'healthy',
): HealthState {
  return rollUpStates(
    reasons.map(r => SEVERITY_STATE[r.severity] ?? 'healthy'),
    base,
  );
}

/**
 * Path, relative to the TechDocs root of the plugin set, of a reason's troubleshooting section.
 *
 * @public
 */
export function reasonDocsPath(id: ReasonId): string {
  return `${REASONS[id].page}/#${id}`;
}
