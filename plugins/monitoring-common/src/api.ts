/**
 * Shapes of the backend's HTTP API (`/api/fleet-monitoring`). `schema/openapi.yaml` describes the
 * same routes; the router tests validate real responses against it, so these types, the document
 * and the router cannot drift apart silently.
 */
import type { HealthState, SubjectHealth } from './health';

/** What went wrong talking to an upstream. Never carries a credential. */
export type UpstreamErrorKind =
  | 'unreachable'
  | 'timeout'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'http-error'
  | 'bad-response'
  | 'too-large'
  | 'not-configured';

export interface UpstreamErrorInfo {
  /** `thanos:<name>`, `argocd:<name>` or `kubernetes:<cluster>`. */
  upstream: string;
  kind: UpstreamErrorKind;
  status?: number;
  message: string;
}

/** [unix seconds, value] */
export type Point = [number, number];

export interface InstanceInfo {
  name: string;
  /** Human readable title; never the URL's credentials. */
  title?: string;
}

export interface InstancesResponse {
  thanos: InstanceInfo[];
  argocd: InstanceInfo[];
  kubernetes: InstanceInfo[];
}

export interface RemoteWriteStats {
  /** Seconds between the newest sample the agent ingested and the newest it sent. */
  lagSeconds?: number;
  samplesPerSecond?: number;
  failedPerSecond?: number;
  retriedPerSecond?: number;
  droppedPerSecond?: number;
  /** failed / (failed + sent), 0..1. */
  failureRatio?: number;
  pendingSamples?: number;
  shards?: number;
  desiredShards?: number;
  maxShards?: number;
  /** Unix seconds of the newest remote-write self-metric seen centrally. */
  lastSeen?: number;
  /** Seconds since `lastSeen` when the cluster is silent (no-data, or lagging past the lookback). */
  silentForSeconds?: number;
  /** Samples/s Thanos Receive accepts for the cluster's tenant now (receivers' own per-tenant metrics). */
  tenantSamplesPerSecond?: number;
  /** Samples/s Thanos Receive refuses with 429 for the cluster's tenant (head-series limit). */
  tenantRefusedPerSecond?: number;
  /** Per remote-write queue (detail view only), after the mixin's per-queue rules. */
  queues?: QueueStats[];
}

export interface QueueStats {
  /** `remote_name`, or the URL when the queue has no name. */
  name: string;
  url?: string;
  samplesPerSecond?: number;
  failedPerSecond?: number;
  failureRatio?: number;
  lagSeconds?: number;
  shards?: number;
  desiredShards?: number;
  maxShards?: number;
}

/** Where the fleet inventory learnt of a cluster. */
export type ClusterSource = 'thanos' | 'catalog' | 'tenant';

export interface ClusterHealth extends SubjectHealth {
  cluster: string;
  stats: RemoteWriteStats;
  /** Sources that know the cluster; a cluster known only from the catalog or a tenant is never dropped. */
  knownFrom?: ClusterSource[];
  /** While `unknown` during an upstream outage: the state of the last answer we had. */
  lastKnownState?: HealthState;
}

/** Set when the answer is the last known one, served because the upstream failed now. */
export interface StaleAnswer {
  /** When the served answer was computed. */
  generatedAt: string;
  ageSeconds: number;
  /** The upstream that failed, e.g. `thanos:central`. */
  upstream: string;
}

export interface FleetSummary {
  instance: string;
  generatedAt: string;
  clusters: ClusterHealth[];
  counts: Record<HealthState, number>;
  /** Present when the upstream failed: the clusters are the last known ones, each `unknown`. */
  stale?: StaleAnswer;
  error?: UpstreamErrorInfo;
}

export interface ClusterSeries {
  lagSeconds: Point[];
  samplesPerSecond: Point[];
  failedPerSecond: Point[];
  retriedPerSecond: Point[];
}

export interface ClusterDetail extends ClusterHealth {
  instance: string;
  series: ClusterSeries;
  range: { start: number; end: number; step: number };
  error?: UpstreamErrorInfo;
}

export interface ThanosReceiveStats {
  /** 5xx / all on the receive handler, 0..1. */
  httpErrorRatio?: number;
  p99LatencySeconds?: number;
  replicationFailureRatio?: number;
  forwardFailureRatio?: number;
  hashringFileErrorsPerSecond?: number;
  configReloadSuccessful?: boolean;
  headSeriesLimitedPerSecond?: number;
  replicationFactor?: number;
  hashringNodes?: number;
  /** Receivers whose scrape answers (`up == 1`) and all receivers the selector matches. */
  instancesUp?: number;
  instancesTotal?: number;
  /** Fewest block uploads of any running receiver in the last 3 h (mixin ThanosReceiveNoUpload). */
  minUploadsLast3h?: number;
}

export interface StoreEndpoint {
  /** `sidecar`, `store`, `receive`, `rule`, `query`, ... */
  type: string;
  name: string;
  lastCheck?: string;
  lastError: string | null;
  labelSets: Array<Record<string, string>>;
  /** Unix ms; `null` when open-ended (Thanos reports math.MinInt64/MaxInt64). */
  minTime: number | null;
  maxTime: number | null;
}

export interface ThanosHealth extends SubjectHealth {
  instance: string;
  component: 'receive' | 'query';
  /** False when the upstream answers 404 on /api/v1/stores: a plain Prometheus. */
  isThanos: boolean;
  receive?: ThanosReceiveStats;
  stores?: StoreEndpoint[];
  /** Partial-response warnings seen on a probe query. */
  warnings: string[];
  error?: UpstreamErrorInfo;
}

export interface ArrivingByCluster {
  cluster: string;
  targetsUp: number;
  targetsTotal: number;
  seriesCount: number;
  lastSampleAgeSeconds?: number;
}

export interface MetricsArriving extends SubjectHealth {
  instance: string;
  /** The normalised, escaped selector the backend ran. */
  selector: string;
  /** A query the user can paste into Thanos Query to check by hand. */
  query: string;
  clusters: ArrivingByCluster[];
  error?: UpstreamErrorInfo;
}

/** Body of every non-2xx answer (Backstage's standard error shape). */
export interface ErrorResponseBody {
  error: {
    name: string;
    message: string;
    upstream?: string;
    kind?: UpstreamErrorKind;
  };
  request?: { method: string; url: string };
  response: { statusCode: number };
}
