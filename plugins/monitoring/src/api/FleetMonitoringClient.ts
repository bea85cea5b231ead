// openapi-fetch names its methods after the HTTP verbs (client.GET), which new-cap mistakes for constructors.
/* eslint-disable new-cap */
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import {
  createFleetMonitoringFetchClient,
  type ArgocdEntityApps,
  type ArgocdHistoryResponse,
  type ClusterDetail,
  type EntityCapacity,
  type TopSeries,
  type FleetCapacity,
  type EntityReconciled,
  type FleetMonitoringFetchClient,
  type FleetSummary,
  type GitopsLintResponse,
  type InstancesResponse,
  type KubernetesClusterView,
  type MetricsArriving,
  type ReconciledFleet,
  type ThanosHealth,
} from '@fleet-monitoring/plugin-monitoring-common';
import type {
  FleetMonitoringApi,
  FleetSummaryQuery,
  InstantSample,
  ReconciledFleetQuery,
  InstantVector,
} from './FleetMonitoringApi';

/** Backend plugin id; the backend is served under `discoveryApi.getBaseUrl(PLUGIN_ID)`. */
export const BACKEND_PLUGIN_ID = 'fleet-monitoring';

/** The path parameters of every entity route. */
function entityPath(entity: CompoundEntityRef) {
  return {
    kind: entity.kind.toLocaleLowerCase('en-US'),
    namespace: entity.namespace,
    name: entity.name,
  };
}

/** Answers are defined when the call resolves: non-2xx answers reject with `ResponseError`. */
function answer<T>(result: { data?: T }): T {
  return result.data as T;
}

/**
 * {@link FleetMonitoringApi} over the client typed by the backend's OpenAPI document; `fetchApi`
 * adds the user's Backstage token. Non-2xx answers reject with Backstage's `ResponseError` (the
 * parsed error body is on `.body`).
 *
 * @public
 */
export class FleetMonitoringClient implements FleetMonitoringApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly client: FleetMonitoringFetchClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.client = createFleetMonitoringFetchClient({
      fetchApi: options.fetchApi,
    });
  }

  private async baseUrl(): Promise<string> {
    return this.discoveryApi.getBaseUrl(BACKEND_PLUGIN_ID);
  }

  async getInstances(): Promise<InstancesResponse> {
    return answer(
      await this.client.GET('/instances', { baseUrl: await this.baseUrl() }),
    );
  }

  async getFleetSummary(
    instance: string,
    query?: FleetSummaryQuery,
  ): Promise<FleetSummary> {
    return answer(
      await this.client.GET('/fleet/{instance}/summary', {
        baseUrl: await this.baseUrl(),
        // `state` goes as repeated parameters (state=failing&state=degraded), as the document says.
        params: { path: { instance }, ...(query ? { query } : {}) },
      }),
    );
  }

  async getRemoteWrite(
    entity: CompoundEntityRef,
    options?: { rangeSeconds?: number },
  ): Promise<ClusterDetail> {
    // openapi-fetch reads tuples (`Point`) back as plain arrays; the body is the document's.
    return answer(
      await this.client.GET('/entity/{kind}/{namespace}/{name}/remote-write', {
        baseUrl: await this.baseUrl(),
        params: {
          path: entityPath(entity),
          query: { range: options?.rangeSeconds ?? 3600 },
        },
      }),
    ) as ClusterDetail;
  }

  async getThanosHealth(entity: CompoundEntityRef): Promise<ThanosHealth> {
    return answer(
      await this.client.GET('/entity/{kind}/{namespace}/{name}/thanos', {
        baseUrl: await this.baseUrl(),
        params: { path: entityPath(entity) },
      }),
    );
  }

  async getMetricsArriving(
    entity: CompoundEntityRef,
  ): Promise<MetricsArriving> {
    return answer(
      await this.client.GET(
        '/entity/{kind}/{namespace}/{name}/metrics-arriving',
        {
          baseUrl: await this.baseUrl(),
          params: { path: entityPath(entity) },
        },
      ),
    );
  }

  async getArgocd(entity: CompoundEntityRef): Promise<ArgocdEntityApps> {
    return answer(
      await this.client.GET('/entity/{kind}/{namespace}/{name}/argocd', {
        baseUrl: await this.baseUrl(),
        params: { path: entityPath(entity) },
      }),
    );
  }

  async getArgocdHistory(
    entity: CompoundEntityRef,
    instance: string,
    application: string,
  ): Promise<ArgocdHistoryResponse> {
    return answer(
      await this.client.GET(
        '/entity/{kind}/{namespace}/{name}/argocd/{instance}/applications/{app}/history',
        {
          baseUrl: await this.baseUrl(),
          params: {
            path: { ...entityPath(entity), instance, app: application },
          },
        },
      ),
    );
  }

  async getKubernetes(
    entity: CompoundEntityRef,
  ): Promise<KubernetesClusterView> {
    return answer(
      await this.client.GET('/entity/{kind}/{namespace}/{name}/kubernetes', {
        baseUrl: await this.baseUrl(),
        params: { path: entityPath(entity) },
      }),
    );
  }

  async getGitopsLint(entity: CompoundEntityRef): Promise<GitopsLintResponse> {
    return answer(
      await this.client.GET('/entity/{kind}/{namespace}/{name}/gitops-lint', {
        baseUrl: await this.baseUrl(),
        params: { path: entityPath(entity) },
      }),
    );
  }

  async getCapacity(entity: CompoundEntityRef): Promise<EntityCapacity> {
    return answer(
      await this.client.GET('/entity/{kind}/{namespace}/{name}/capacity', {
        baseUrl: await this.baseUrl(),
        params: { path: entityPath(entity) },
      }),
    );
  }

  async getTopSeries(entity: CompoundEntityRef): Promise<TopSeries> {
    return answer(
      await this.client.GET('/entity/{kind}/{namespace}/{name}/top-series', {
        baseUrl: await this.baseUrl(),
        params: { path: entityPath(entity) },
      }),
    );
  }

  async getFleetCapacity(
    instance: string,
    query?: { days?: number; limit?: number },
  ): Promise<FleetCapacity> {
    return answer(
      await this.client.GET('/fleet/{instance}/capacity', {
        baseUrl: await this.baseUrl(),
        params: { path: { instance }, ...(query ? { query } : {}) },
      }),
    );
  }

  async getReconciledFleet(
    instance: string,
    query?: ReconciledFleetQuery,
  ): Promise<ReconciledFleet> {
    return answer(
      await this.client.GET('/fleet/{instance}/reconciled', {
        baseUrl: await this.baseUrl(),
        // `reason` and `state` go as repeated parameters, as the document says.
        params: { path: { instance }, ...(query ? { query } : {}) },
      }),
    );
  }

  async getEntityReconciled(
    entity: CompoundEntityRef,
  ): Promise<EntityReconciled> {
    return answer(
      await this.client.GET('/entity/{kind}/{namespace}/{name}/reconciled', {
        baseUrl: await this.baseUrl(),
        params: { path: entityPath(entity) },
      }),
    );
  }

  async queryThanos(instance: string, query: string): Promise<InstantVector> {
    const body = answer(
      await this.client.GET('/thanos/{instance}/api/v1/{path}', {
        baseUrl: await this.baseUrl(),
        params: { path: { instance, path: 'query' }, query: { query } },
      }),
    ) as {
      data?: { resultType?: string; result?: unknown };
      warnings?: string[];
    };
    // The pass-through answers with the engine's own envelope; only a vector is shown.
    if (body?.data?.resultType !== 'vector' || !Array.isArray(body.data.result))
      throw new Error(
        `Thanos answered a ${body?.data?.resultType ?? 'malformed'} result, not a vector`,
      );
    return {
      resultType: 'vector',
      result: body.data.result as InstantSample[],
      warnings: body.warnings,
    };
  }
}
