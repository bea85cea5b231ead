import type {
  FleetSummary,
  HintedReason,
  KubernetesClusterView,
  OverlayFact,
  OverlayHashring,
  ReconcileSourceName,
  ThanosHealth,
  UpstreamErrorInfo,
} from '@fleet-monitoring/plugin-monitoring-common';

/**
 * What the join reads from each source, in plain JSON (cached as one answer). plugin.ts wires
 * each to its slice's public service, so this slice imports no other slice.
 */

/** A catalog Resource carrying fleet-monitoring.io/cluster. */
export interface CatalogCluster {
  cluster: string;
  entityRef: string;
  owner?: string;
  title?: string;
}

/** The GitOps repository: its overlays, the central overlays' hashrings, lint counts per cluster. */
export interface GitopsFacts {
  overlays: OverlayFact[];
  hashrings: OverlayHashring[];
  lint: Record<string, { errors: number; warnings: number }>;
}

/** One ArgoCD Application with the history the join needs. */
export interface FleetApp {
  instance: string;
  name: string;
  namespace?: string;
  project?: string;
  syncStatus: string;
  healthStatus: string;
  revision?: string;
  repoURL?: string;
  path?: string;
  destinationName?: string;
  uiUrl: string;
  /** status.history, newest first. */
  history: Array<{
    revision?: string;
    deployedAt?: string;
    initiatedBy?: string;
  }>;
  lastSyncedAt?: string;
}

/** Every Application of one ArgoCD instance, or why they could not be read. */
export interface ArgocdFleet {
  instance: string;
  apps: FleetApp[];
  error?: UpstreamErrorInfo;
}

/** One Prometheus process writing under a cluster label (a prometheus_build_info series). */
export interface ObservedWriter {
  labels: Record<string, string>;
}

/** What the Thanos series say beyond the remote-write summary. */
export interface ObservedFleet {
  /** prometheus_build_info series per cluster label value. */
  writers: Record<string, ObservedWriter[]>;
  /** The tenant label each cluster's newest samples came in with. */
  tenants: Record<string, string>;
  /** Per tenant: head series (one value per receiver, summed) and the head-series limit. */
  tenantLimits: Record<string, { headSeries?: number; limit?: number }>;
  /** When each listed cluster's remote write turned bad (unix seconds), where the series show it. */
  brokeAt: Record<string, number>;
}

/** A tenant's head-series forecast and the capacity judge's verdict on it (capacity-tenant-* reasons). */
export interface TenantCapacityFact {
  daysLeft?: number;
  /** unix seconds the forecast reaches the limit */
  reachesAt?: number;
  confidence: 'high' | 'medium' | 'low' | 'none';
  /** At its limit or reaching it within the judge's horizon: the reasons say which. */
  reasons: HintedReason[];
}

/** The fleet capacity (one query for every tenant), by tenant. */
export interface CapacityFacts {
  tenants: Record<string, TenantCapacityFact>;
}

/** One configured Kubernetes cluster's view, or why it could not be read. */
export interface KubernetesFleet {
  cluster: string;
  view?: KubernetesClusterView;
  error?: UpstreamErrorInfo;
}

/** A source's answer: its value, or the error that kept it from us (`undefined`: not configured). */
export type SourceAnswer<T> =
  | { status: 'ok'; value: T; fetchedAt: string }
  | { status: 'failed'; error: UpstreamErrorInfo; fetchedAt: string }
  | { status: 'not-configured' };

/** Everything the join reads, each source answered on its own. */
export interface JoinInputs {
  instance: string;
  catalog: SourceAnswer<CatalogCluster[]>;
  gitops: SourceAnswer<GitopsFacts>;
  argocd: SourceAnswer<ArgocdFleet[]>;
  remoteWrite: SourceAnswer<FleetSummary>;
  observed: SourceAnswer<ObservedFleet>;
  receive: SourceAnswer<ThanosHealth>;
  kubernetes: SourceAnswer<KubernetesFleet[]>;
  /** Absent: not read (the rows carry no forecast). */
  capacity?: SourceAnswer<CapacityFacts>;
}

/** The sources as plugin.ts wires them; each may throw an UpstreamError. */
export interface ReconcileSources {
  catalog(): Promise<CatalogCluster[]>;
  /** undefined when no GitOps repository is configured. */
  gitops?: () => Promise<GitopsFacts>;
  /** One entry per configured ArgoCD instance (none: not configured). */
  argocd?: () => Promise<ArgocdFleet[]>;
  remoteWrite(instance: string): Promise<FleetSummary>;
  receive(instance: string): Promise<ThanosHealth>;
  /** undefined when no Kubernetes cluster is configured. */
  kubernetes?: () => Promise<KubernetesFleet[]>;
  /** Every tenant's head-series forecast with its verdict; undefined when not wired. */
  capacity?: (instance: string) => Promise<CapacityFacts>;
  /** ArgoCD revision metadata (author, message); undefined when the API does not give it. */
  revisionMetadata?: (
    instance: string,
    app: FleetApp,
    revision: string,
  ) => Promise<{ author?: string; message?: string } | undefined>;
}

export const SOURCE_OF_INPUT: Record<
  Exclude<keyof JoinInputs, 'instance' | 'observed'>,
  ReconcileSourceName
> = {
  catalog: 'catalog',
  gitops: 'gitops',
  argocd: 'argocd',
  remoteWrite: 'remote-write',
  receive: 'receive',
  kubernetes: 'kubernetes',
  capacity: 'capacity',
};
