import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  ArgocdEntityApps,
  ArgocdHistoryResponse,
  ClusterDetail,
  FleetSummary,
  InstancesResponse,
  KubernetesClusterView,
  MetricsArriving,
  ThanosHealth,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { FleetMonitoringApi } from './FleetMonitoringApi';

/** Backend plugin id; the backend is served under `discoveryApi.getBaseUrl(PLUGIN_ID)`. */
export const BACKEND_PLUGIN_ID = 'fleet-monitoring';

const seg = (s: string) => encodeURIComponent(s);

function entityPath(entity: CompoundEntityRef): string {
  return `/entity/${seg(entity.kind.toLocaleLowerCase('en-US'))}/${seg(entity.namespace)}/${seg(entity.name)}`;
}

/**
 * {@link FleetMonitoringApi} over HTTP; `fetchApi` adds the user's Backstage token. The only place
 * that knows the backend's routes, so a client generated from the OpenAPI spec can replace it.
 * Non-2xx answers reject with Backstage's `ResponseError` (the parsed error body is on `.body`).
 */
export class FleetMonitoringClient implements FleetMonitoringApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getInstances(): Promise<InstancesResponse> {
    return this.get('/instances');
  }

  getFleetSummary(instance: string): Promise<FleetSummary> {
    return this.get(`/fleet/${seg(instance)}/summary`);
  }

  getRemoteWrite(
    entity: CompoundEntityRef,
    options?: { rangeSeconds?: number },
  ): Promise<ClusterDetail> {
    const range = options?.rangeSeconds ?? 3600;
    return this.get(`${entityPath(entity)}/remote-write?range=${range}`);
  }

  getThanosHealth(entity: CompoundEntityRef): Promise<ThanosHealth> {
    return this.get(`${entityPath(entity)}/thanos`);
  }

  getMetricsArriving(entity: CompoundEntityRef): Promise<MetricsArriving> {
    return this.get(`${entityPath(entity)}/metrics-arriving`);
  }

  getArgocd(entity: CompoundEntityRef): Promise<ArgocdEntityApps> {
    return this.get(`${entityPath(entity)}/argocd`);
  }

  getArgocdHistory(
    entity: CompoundEntityRef,
    instance: string,
    application: string,
  ): Promise<ArgocdHistoryResponse> {
    return this.get(
      `${entityPath(entity)}/argocd/${seg(instance)}/applications/${seg(application)}/history`,
    );
  }

  getKubernetes(entity: CompoundEntityRef): Promise<KubernetesClusterView> {
    return this.get(`${entityPath(entity)}/kubernetes`);
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl(BACKEND_PLUGIN_ID);
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      headers: { Accept: 'application/json' },
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}
