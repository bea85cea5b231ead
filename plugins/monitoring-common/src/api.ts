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
}

export interface ClusterHealth extends SubjectHealth {
  cluster: string;
  stats: RemoteWriteStats;
}

export interface FleetSummary {
  instance: string;
  generatedAt: string;
  clusters: ClusterHealth[];
  counts: Record<HealthState, number>;
  /** PromQL queries sent upstream to compute this answer (0 when served from cache). */
  upstreamQueries: number;
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
  error: { name: string; message: string; upstream?: string; kind?: UpstreamErrorKind };
  request?: { method: string; url: string };
  response: { statusCode: number };
}
