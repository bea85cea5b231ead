import { createApiRef } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  ClusterDetail,
  FleetSortKey,
  FleetSummary,
  GitopsLintResponse,
  EntityCapacity,
  TopSeries,
  FleetCapacity,
  EntityReconciled,
  HealthState,
  InstancesResponse,
  KubernetesClusterView,
  MetricsArriving,
  ReconciledFleet,
  ThanosHealth,
} from '@fleet-monitoring/plugin-monitoring-common';
import type {
  ArgocdEntityApps,
  ArgocdHistoryResponse,
} from '@fleet-monitoring/plugin-monitoring-common';

/**
 * One page of the fleet as the backend cuts it (`GET /fleet/{instance}/summary` query parameters):
 * `offset` and `limit` (at most 1000), a case-insensitive `name` substring, `state`s, `sort` key and
 * `order`.
 *
 * @public
 */
export interface FleetSummaryQuery {
  /** Clusters to skip after filtering and sorting. */
  offset?: number;
  /** Clusters per page, 1 to 1000 (the backend's default: 50). */
  limit?: number;
  /** Case-insensitive substring of the cluster name. */
  name?: string;
  /** Only these states; none means all. */
  state?: HealthState[];
  /** Default `state`: worst first, the most lagging first within a state. */
  sort?: FleetSortKey;
  /** Ascending (default) or descending. */
  order?: 'asc' | 'desc';
}

/**
 * One page of the reconciled fleet (`GET /fleet/{instance}/reconciled` query parameters): `offset`
 * and `limit` (at most 1000), a case-insensitive `name` substring, reason ids and states.
 *
 * @public
 */
export interface ReconciledFleetQuery {
  /** Rows to skip after filtering. */
  offset?: number;
  /** Rows per page, 1 to 1000 (the backend's default: 50). */
  limit?: number;
  /** Case-insensitive substring of the cluster name. */
  name?: string;
  /** Only rows carrying one of these reason ids; none means all. */
  reason?: string[];
  /** Only rows in these states; none means all. */
  state?: HealthState[];
}

/**
 * Talks to the Fleet Monitoring backend (`/api/fleet-monitoring`). Every method is one request; a
 * non-2xx answer rejects with `ResponseError` from `@backstage/errors`.
 *
 * @public
 */
export interface FleetMonitoringApi {
  /** Configured Thanos, ArgoCD and Kubernetes instances. */
  getInstances(): Promise<InstancesResponse>;
  /**
   * The clusters of a Thanos instance with their remote-write state. With `query`, one page of
   * them, filtered and sorted by the backend (`page.total` is how many match, `counts` are the
   * whole fleet's); without, every cluster.
   */
  getFleetSummary(
    instance: string,
    query?: FleetSummaryQuery,
  ): Promise<FleetSummary>;
  /** Remote-write health and time series of the entity's cluster. */
  getRemoteWrite(
    entity: CompoundEntityRef,
    options?: { rangeSeconds?: number },
  ): Promise<ClusterDetail>;
  /** Health of the Thanos component the entity is. */
  getThanosHealth(entity: CompoundEntityRef): Promise<ThanosHealth>;
  /** Whether the entity's series reach the central store. */
  getMetricsArriving(entity: CompoundEntityRef): Promise<MetricsArriving>;
  /** The entity's ArgoCD applications. */
  getArgocd(entity: CompoundEntityRef): Promise<ArgocdEntityApps>;
  /** Deploy history of one application, fetched on demand. */
  getArgocdHistory(
    entity: CompoundEntityRef,
    instance: string,
    application: string,
  ): Promise<ArgocdHistoryResponse>;
  /** Receive and agent pods of the entity's cluster, and the hashring compared with them. */
  getKubernetes(entity: CompoundEntityRef): Promise<KubernetesClusterView>;
  /** The overlay lint findings of the entity's cluster in the GitOps repository. */
  getGitopsLint(entity: CompoundEntityRef): Promise<GitopsLintResponse>;
  /** Capacity: a cluster's tenant against its head-series limit, or a Receive component's receivers against their memory. */
  getCapacity(entity: CompoundEntityRef): Promise<EntityCapacity>;
  /** Where a cluster's series come from: its tenant's top metric names, jobs and labels, with the change over a day. */
  getTopSeries(entity: CompoundEntityRef): Promise<TopSeries>;
  /**
   * Every Receive tenant of an instance against its head-series limit with the days left, and the
   * receivers' OOM forecasts, at risk within `days` first (fleet permission); at most `limit` tenants.
   */
  getFleetCapacity(
    instance: string,
    query?: { days?: number; limit?: number },
  ): Promise<FleetCapacity>;
  /**
   * One page of the reconciled fleet: one row per cluster known to any source (catalog, GitOps
   * overlays, ArgoCD, remote write, Receive, Kubernetes), with the sources' status and the fleet's
   * counts.
   */
  getReconciledFleet(
    instance: string,
    query?: ReconciledFleetQuery,
  ): Promise<ReconciledFleet>;
  /** The reconciled row of the entity's cluster, with the sources' status. */
  getEntityReconciled(entity: CompoundEntityRef): Promise<EntityReconciled>;
  /**
   * Runs an instant PromQL query through the backend's pass-through (permission
   * `fleet-monitoring.query`; the instance's credentials stay on the server).
   */
  queryThanos(instance: string, query: string): Promise<InstantVector>;
}

/**
 * One sample of an instant query's vector result.
 *
 * @public
 */
export interface InstantSample {
  metric: Record<string, string>;
  /** [unix seconds, value as Prometheus writes it] */
  value: [number, string];
}

/**
 * The `data` of a Prometheus instant query with a vector result.
 *
 * @public
 */
export interface InstantVector {
  resultType: 'vector';
  result: InstantSample[];
  /** Partial-response and other warnings the engine sent with the answer. */
  warnings?: string[];
}

/** @public */
export const fleetMonitoringApiRef = createApiRef<FleetMonitoringApi>({
  id: 'plugin.fleet-monitoring.service',
});
