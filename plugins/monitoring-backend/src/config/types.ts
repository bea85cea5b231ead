/** The `fleetMonitoring` config section as the plugin uses it: validated, with defaults applied. */

/**
 * One Thanos Query instance from `fleetMonitoring.thanos[]`.
 *
 * @public
 */
export interface ThanosInstanceConfig {
  name: string;
  title?: string;
  /** Root of the PromQL HTTP API, always ending in `/`. */
  baseUrl: URL;
  headers: Record<string, string>;
  tenant?: string;
  timeoutMs: number;
  dedup: boolean;
  partialResponse: boolean;
  maxResponseBytes: number;
  ca?: string;
  /** Which series the fleet summary reads (`summarySource`); `auto` when absent. */
  summarySource?: SummarySourceSetting;
}

/**
 * `auto`: the fleet recording rules' series when the probe finds them evaluated, else the raw ones;
 * `recorded` or `raw`: always those.
 *
 * @public
 */
export type SummarySourceSetting = 'auto' | 'recorded' | 'raw';

/**
 * Limits the remote-write judge applies (`fleetMonitoring.thresholds.remoteWrite`).
 *
 * @public
 */
export interface RemoteWriteThresholds {
  lagWarningSeconds: number;
  lagCriticalSeconds: number;
  failureRatioCritical: number;
  retriedPerSecondWarning: number;
  droppedPerSecondWarning: number;
  pendingSamplesWarning: number;
  staleAfterSeconds: number;
}

/**
 * Limits the Thanos Receive judge applies (`fleetMonitoring.thresholds.receive`).
 *
 * @public
 */
export interface ReceiveThresholds {
  httpErrorRatioCritical: number;
  p99LatencyCriticalSeconds: number;
  forwardFailureRatioWarning: number;
}

/** @public */
export interface Thresholds {
  remoteWrite: RemoteWriteThresholds;
  receive: ReceiveThresholds;
  metrics: { staleAfterSeconds: number };
}

/**
 * `fleetMonitoring.summaryRefresh`: the fleet summary kept warm in the background.
 *
 * @public
 */
export interface SummaryRefreshConfig {
  /** Seconds between the starts of two refreshes; 0 turns the background refresh off. */
  intervalSeconds: number;
  /** Upstream timeout of a refresh round, in seconds (nobody waits on it). */
  timeoutSeconds: number;
}

/**
 * The hold-down window (rate window times HOLD_WINDOWS), in the forms its users need.
 *
 * @public
 */
export interface HoldWindow {
  seconds: number;
  /** As a PromQL duration, e.g. `900s`. */
  duration: string;
  /** For messages, e.g. `15 min`. */
  text: string;
}

/**
 * What the health questions (Thanos) need.
 *
 * @public
 */
export interface FleetMonitoringConfig {
  clusterLabel: string;
  rateWindow: string;
  /** Derived from `rateWindow` at load. */
  holdWindow: HoldWindow;
  cacheTtlSeconds: number;
  summaryRefresh: SummaryRefreshConfig;
  thresholds: Thresholds;
  thanos: ThanosInstanceConfig[];
}

/** One ArgoCD instance from `fleetMonitoring.argocd[]`. */
export interface ArgocdInstanceConfig {
  name: string;
  title?: string;
  /** API base URL, always ending in `/`. */
  url: URL;
  /** UI base URL for links (defaults to `url`). */
  uiUrl: URL;
  auth:
    | { type: 'token'; token: string }
    | { type: 'password'; username: string; password: string };
  ca?: string;
  timeoutMs: number;
  maxResponseBytes: number;
  /** What an entity's `argocd/app-selector` must pin on this instance (the admin's binding). */
  selectorPolicy: ArgocdSelectorPolicy;
}

/** The admin's binding of app selectors to entities, per ArgoCD instance. */
export interface ArgocdSelectorPolicy {
  /** The selector must pin one of these labels to a value (`team=payments`); none: any label. */
  requiredLabels: string[];
  /** The entity must also name its project (`argocd/project-name`). */
  requireProject: boolean;
}

export interface ArgocdSettings {
  instances: ArgocdInstanceConfig[];
  /** Sync-window lookups per entity answer (OutOfSync apps only). */
  maxSyncWindowChecks: number;
}

export interface KubernetesClusterConfig {
  name: string;
  /** API server URL, always ending in `/`. */
  url: URL;
  serviceAccountToken?: string;
  ca?: string;
  /** Honoured for this cluster only (as in Backstage's `kubernetes` config); never process-wide. */
  skipTLSVerify: boolean;
  timeoutMs: number;
  /** Where the cluster came from, for messages. */
  source: 'fleetMonitoring.kubernetes' | 'kubernetes.clusterLocatorMethods';
}

export interface KubernetesSettings {
  namespace: string;
  receiveSelector: string;
  agentSelector: string;
  hashringConfigMap: string;
  hashringKey: string;
  receiveGrpcPort: number;
  /** Restarts at or above which a pod is flagged even without a recent termination. */
  restartThreshold: number;
  maxResponseBytes: number;
  clusters: KubernetesClusterConfig[];
}

/** Everything the plugin reads from config, read once at start-up. */
/**
 * `fleetMonitoring.gitops`: the GitOps repository whose overlays the lint reads (UrlReader).
 *
 * @public
 */
export interface GitopsSettings {
  /** Repository (or directory) URL the UrlReader reads, e.g. https://github.com/org/repo/tree/main. */
  url: string;
  /** Most files of deploy/ read; a larger tree is refused. */
  maxFiles: number;
  /** Most bytes of deploy/ read; a larger tree is refused. */
  maxBytes: number;
}

export interface PluginConfig {
  health: FleetMonitoringConfig;
  /** Absent when `fleetMonitoring.gitops` is not configured. */
  gitops?: GitopsSettings;
  argocd: ArgocdSettings;
  kubernetes: KubernetesSettings;
  /** Seconds an upstream answer is reused (`fleetMonitoring.cache.ttlSeconds`); 0 turns caching off. */
  cacheTtlSeconds: number;
  /** Seconds a caller's entity read and permission decisions are reused (`fleetMonitoring.cache.accessTtlSeconds`). */
  accessTtlSeconds: number;
  /** Validate every answer against the OpenAPI document (`fleetMonitoring.validateResponses`). */
  validateResponses: boolean;
}
