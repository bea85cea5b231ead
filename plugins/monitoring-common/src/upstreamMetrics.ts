/**
 * One home for what upstream emits: every metric a health rule or query reads (or, marked `planned`,
 * will read for issue #18), who emits it, its labels, when it is and is not emitted or incremented,
 * and where that was read in the upstream source at its tag. PromQL builders take metric names from
 * here; the local simulator and fakes emit only what this table says.
 *
 * Labels listed are the ones the emitter itself sets. The scrape adds target labels (`job`,
 * `instance`, plus relabelled ones such as `namespace`), an agent adds its external labels (our
 * `cluster`), and Thanos Receive adds `tenant_id` and its replica label to what it stores: see
 * {@link UPSTREAM_ADDED_LABELS}.
 */

/** @public */
export type UpstreamComponent =
  | 'prometheus-scrape'
  | 'prometheus-agent-v2'
  | 'prometheus-agent-v3'
  | 'thanos-receive'
  | 'thanos-query'
  | 'thanos-store'
  | 'thanos-compact'
  /** The kubelet's embedded cAdvisor (`/metrics/cadvisor`): container metrics. */
  | 'kubelet-cadvisor'
  | 'kube-state-metrics';

/** @public */
export type UpstreamMetricType = 'counter' | 'gauge' | 'histogram';

/** Where a fact was read: a file of a repository at a tag. @public */
export interface UpstreamSource {
  repo:
    | 'prometheus/prometheus'
    | 'thanos-io/thanos'
    | 'prometheus/client_golang'
    | 'google/cadvisor'
    | 'kubernetes/kube-state-metrics';
  tag: string;
  path: string;
  /** Approximate line, to find the spot again. */
  line?: number;
}

/** @public */
export interface UpstreamMetric {
  type: UpstreamMetricType;
  /** Components that emit it, with the first version that does where it matters. */
  emittedBy: readonly UpstreamComponent[];
  /** Versions, in words: from which release, renamed or removed when. */
  versions: string;
  /** Labels the emitter sets itself (for a histogram, `le` is implied on `_bucket`). */
  labels: readonly string[];
  /** When the series exists and when it is incremented or set. */
  emitted: string;
  /** What it does not count or when it is absent: the traps. */
  notEmitted?: string;
  sources: readonly UpstreamSource[];
  /** Rule, query or mixin alert that reads it; `planned:` names the issue item that will. */
  readBy: readonly string[];
}

const P = 'prometheus/prometheus' as const;
const T = 'thanos-io/thanos' as const;
const QM = 'storage/remote/queue_manager.go';
const queueLabels = ['remote_name', 'url'] as const;
const queueSources = (v2: number, v3: number, v314: number) => [
  { repo: P, tag: 'v2.53.4', path: QM, line: v2 },
  { repo: P, tag: 'v3.0.0', path: QM, line: v3 },
  { repo: P, tag: 'v3.14.0', path: QM, line: v314 },
];
const QUEUE_VERSIONS =
  'Prometheus v2.23.0 and later, v3 unchanged (v3.0.0 to v3.14.0 renamed nothing here)';
const AGENTS = ['prometheus-agent-v2', 'prometheus-agent-v3'] as const;
const receiveHandler = (tag: string, line: number) => ({
  repo: T,
  tag,
  path: 'pkg/receive/handler.go',
  line,
});
const receiveConfig = (tag: string, line: number) => ({
  repo: T,
  tag,
  path: 'pkg/receive/config.go',
  line,
});
const HTTP_METRICS = {
  repo: T,
  tag: 'v0.42.4',
  path: 'pkg/extprom/http/metrics.go',
  line: 53,
};

/**
 * The table. Keys are metric family names (a histogram's series add `_bucket`, `_sum`, `_count`).
 * @public
 */
export const UPSTREAM_METRICS = {
  up: {
    type: 'gauge',
    emittedBy: ['prometheus-scrape'],
    versions: 'every Prometheus (and agent) version',
    labels: [],
    emitted:
      'Written by the scraping Prometheus for every target of every scrape: 1 if the scrape succeeded, 0 if not. Carries only target labels (job, instance, relabelled ones).',
    notEmitted:
      'Absent for a target that service discovery no longer finds (mixin ThanosReceiveIsDown is absent(up == 1), critical).',
    sources: [
      { repo: P, tag: 'v3.14.0', path: 'scrape/scrape.go' },
      {
        repo: T,
        tag: 'v0.42.4',
        path: 'mixin/alerts/absent.libsonnet',
        line: 23,
      },
    ],
    readBy: [
      'receiveHealthQuery up/instances',
      'metricsArrivingQuery',
      'ThanosReceiveNoUpload',
    ],
  },

  // --- Prometheus agent: remote-write queue (per queue: remote_name, url) ---
  prometheus_remote_storage_samples_total: {
    type: 'counter',
    emittedBy: AGENTS,
    versions: `${QUEUE_VERSIONS}; before v2.23.0 the spelling was prometheus_remote_storage_succeeded_samples_total`,
    labels: queueLabels,
    emitted:
      'Every send attempt adds its samples before the request is made, failed and retried attempts included (v2: sendSamplesWithBackoff attempt; v3.14: recordBatchAttempt per try). It is attempts, not deliveries: a queue refusing everything grows it at its full input rate.',
    notEmitted:
      'Not reduced by failures: delivered = samples_total - samples_failed_total - samples_retried_total.',
    sources: queueSources(1617, 1782, 2283),
    readBy: [
      'ratesQuery sent (delivered = samples_total - failed - retried)',
      'failureRatio (failed / samples_total)',
      'mixin PrometheusRemoteStorageFailures (divides by failed + samples_total: 50 % for a queue refusing everything)',
    ],
  },
  prometheus_remote_storage_succeeded_samples_total: {
    type: 'counter',
    emittedBy: ['prometheus-agent-v2'],
    versions:
      'Prometheus before v2.23.0 only (v2.22.0 is the last tag with it); renamed samples_total',
    labels: queueLabels,
    emitted: 'Samples of requests that succeeded (old semantics).',
    sources: [{ repo: P, tag: 'v2.22.0', path: QM }],
    readBy: ['ratesQuery sent (legacy spelling)'],
  },
  prometheus_remote_storage_samples_failed_total: {
    type: 'counter',
    emittedBy: AGENTS,
    versions: `${QUEUE_VERSIONS}; before v2.23.0: prometheus_remote_storage_failed_samples_total`,
    labels: queueLabels,
    emitted:
      'Samples of a request that ended in a non-recoverable error (4xx other than 429-with-retry, and 429 with the default retry_on_http_429: false). Exists from queue start at 0.',
    notEmitted:
      'Recoverable errors (5xx, network errors, 429 with retry_on_http_429: true) are retried and counted in samples_retried_total instead.',
    sources: [
      { repo: P, tag: 'v2.53.4', path: QM, line: 133 },
      { repo: P, tag: 'v3.14.0', path: QM, line: 1717 },
      { repo: P, tag: 'v3.14.0', path: 'storage/remote/client.go' },
    ],
    readBy: ['ratesQuery failed_q', 'failureRatio'],
  },
  prometheus_remote_storage_failed_samples_total: {
    type: 'counter',
    emittedBy: ['prometheus-agent-v2'],
    versions: 'Prometheus before v2.23.0 only',
    labels: queueLabels,
    emitted: 'Old spelling of samples_failed_total.',
    sources: [{ repo: P, tag: 'v2.22.0', path: QM }],
    readBy: ['ratesQuery failed (legacy spelling)'],
  },
  prometheus_remote_storage_samples_retried_total: {
    type: 'counter',
    emittedBy: AGENTS,
    versions: `${QUEUE_VERSIONS}; before v2.23.0: prometheus_remote_storage_retried_samples_total`,
    labels: queueLabels,
    emitted:
      'Samples of each attempt that failed recoverably and is retried (onRetry); the retry is again counted in samples_total.',
    sources: queueSources(1632, 1802, 2296),
    readBy: ['ratesQuery retried'],
  },
  prometheus_remote_storage_retried_samples_total: {
    type: 'counter',
    emittedBy: ['prometheus-agent-v2'],
    versions: 'Prometheus before v2.23.0 only',
    labels: queueLabels,
    emitted: 'Old spelling of samples_retried_total.',
    sources: [{ repo: P, tag: 'v2.22.0', path: QM }],
    readBy: ['ratesQuery retried (legacy spelling)'],
  },
  prometheus_remote_storage_samples_dropped_total: {
    type: 'counter',
    emittedBy: AGENTS,
    versions:
      'Prometheus v2.23.0 and later; the `reason` label from v2.50.0 (v2.49.1, shipped by chart prometheus-25.11.0, has none); v3.14.0 adds reason nhcb_in_rw1_not_supported. Before v2.23.0: prometheus_remote_storage_dropped_samples_total',
    labels: [...queueLabels, 'reason'],
    emitted:
      'Samples dropped before sending, per reason: too_old (older than sample_age_limit), dropped_series (relabelled away), unintentionally_dropped_series (series record missing). A CounterVec: a reason series appears only once that reason has dropped a sample.',
    notEmitted:
      'Absent (not 0) on a queue that never dropped; one series per reason, so sum over reason, never max.',
    sources: [
      { repo: P, tag: 'v2.53.4', path: QM, line: 189 },
      { repo: P, tag: 'v2.50.0', path: QM },
      { repo: P, tag: 'v3.14.0', path: QM, line: 63 },
    ],
    readBy: ['ratesQuery dropped (summed over reason)'],
  },
  prometheus_remote_storage_dropped_samples_total: {
    type: 'counter',
    emittedBy: ['prometheus-agent-v2'],
    versions: 'Prometheus before v2.23.0 only (no reason label)',
    labels: queueLabels,
    emitted: 'Old spelling of samples_dropped_total.',
    sources: [{ repo: P, tag: 'v2.22.0', path: QM }],
    readBy: ['ratesQuery dropped (legacy spelling)'],
  },
  prometheus_remote_storage_samples_pending: {
    type: 'gauge',
    emittedBy: AGENTS,
    versions: `${QUEUE_VERSIONS}; before v2.23.0: prometheus_remote_storage_pending_samples`,
    labels: queueLabels,
    emitted: 'Samples enqueued in the shards and not yet sent.',
    sources: queueSources(239, 242, 257),
    readBy: ['gaugesQuery pending', 'lateClusterQuery'],
  },
  prometheus_remote_storage_queue_highest_sent_timestamp_seconds: {
    type: 'gauge',
    emittedBy: AGENTS,
    versions: 'Prometheus v2 and v3',
    labels: queueLabels,
    emitted:
      'Set after every finished send, successful or not: a non-recoverable error advances it too (v3.14.0 ~1840, before the error is returned). Only a context cancel (resharding) leaves it.',
    notEmitted:
      'A queue that drops everything with 4xx still advances it: lag does not show refusal.',
    sources: queueSources(1645, 1815, 1840),
    readBy: ['gaugesQuery lag_q'],
  },
  prometheus_remote_storage_queue_highest_timestamp_seconds: {
    type: 'gauge',
    emittedBy: ['prometheus-agent-v3'],
    versions: 'Prometheus v3.7.0 and later (absent in v3.6.0 and every v2)',
    labels: queueLabels,
    emitted: 'Newest sample timestamp enqueued to this queue.',
    sources: [
      { repo: P, tag: 'v3.7.0', path: QM, line: 237 },
      { repo: P, tag: 'v3.14.0', path: QM, line: 240 },
    ],
    readBy: ['inventoryQuery last_seen', 'gaugesQuery lag_q'],
  },
  prometheus_remote_storage_highest_timestamp_in_seconds: {
    type: 'gauge',
    emittedBy: AGENTS,
    versions:
      'Prometheus v2 and v3 (v3.14.0 still emits it, documented as deprecated in favour of queue_highest_timestamp_seconds)',
    labels: [],
    emitted:
      'Newest sample timestamp appended to remote storage, one per process (no queue labels).',
    sources: [
      { repo: P, tag: 'v2.53.4', path: 'storage/remote/write.go', line: 99 },
      { repo: P, tag: 'v3.14.0', path: 'storage/remote/write.go', line: 104 },
    ],
    readBy: ['inventoryQuery last_seen', 'gaugesQuery lag_q'],
  },
  prometheus_remote_storage_shards: {
    type: 'gauge',
    emittedBy: AGENTS,
    versions: QUEUE_VERSIONS,
    labels: queueLabels,
    emitted: 'Shards currently running.',
    sources: queueSources(267, 270, 285),
    readBy: ['gaugesQuery shards'],
  },
  prometheus_remote_storage_shards_desired: {
    type: 'gauge',
    emittedBy: AGENTS,
    versions: QUEUE_VERSIONS,
    labels: queueLabels,
    emitted:
      'Shards the queue computes it needs; above shards_max the queue cannot keep up.',
    sources: queueSources(288, 291, 306),
    readBy: ['gaugesQuery shards_over'],
  },
  prometheus_remote_storage_shards_max: {
    type: 'gauge',
    emittedBy: AGENTS,
    versions: QUEUE_VERSIONS,
    labels: queueLabels,
    emitted: 'queue_config.max_shards.',
    sources: queueSources(274, 277, 292),
    readBy: ['gaugesQuery shards_over', 'queueCountQuery'],
  },
  prometheus_remote_storage_shards_min: {
    type: 'gauge',
    emittedBy: AGENTS,
    versions: QUEUE_VERSIONS,
    labels: queueLabels,
    emitted: 'queue_config.min_shards.',
    sources: queueSources(281, 284, 299),
    readBy: ['planned: #18 item 4 (mixin shards rules)'],
  },

  // --- Thanos Receive ---
  thanos_build_info: {
    type: 'gauge',
    emittedBy: [
      'thanos-receive',
      'thanos-query',
      'thanos-store',
      'thanos-compact',
    ],
    versions:
      'every Thanos version (client_golang version collector, program "thanos")',
    labels: [
      'version',
      'revision',
      'branch',
      'goversion',
      'goos',
      'goarch',
      'tags',
    ],
    emitted:
      'Always 1; `version` is the VERSION file without "v" (e.g. "0.35.1", "0.42.4").',
    sources: [
      { repo: T, tag: 'v0.42.4', path: 'cmd/thanos/main.go', line: 84 },
      {
        repo: 'prometheus/client_golang',
        tag: 'v1.23.2',
        path: 'prometheus/collectors/version/version.go',
      },
    ],
    readBy: [
      'receiveQuery version (write quorum by version: RF 2 needs 1 from v0.37.0, 2 before; thanosComponents/writeQuorum.ts)',
    ],
  },
  thanos_receive_write_samples: {
    type: 'histogram',
    emittedBy: ['thanos-receive'],
    versions: 'Thanos v0.35.1 to v0.42.4',
    labels: ['code', 'tenant'],
    emitted:
      'Observed once per tenant of a request after handleRequest, on the receiver that answered the HTTP request; `code` is the answer (200, 409, 400, 500, 503 when the write quorum fails); `_sum` is samples.',
    notEmitted:
      'Never code="429": the head-series limit answers 429 before the request is handled (v0.35.1 ~495, v0.42.4 ~548); nor for any request refused earlier (tenant, size or request limits, not ready).',
    sources: [receiveHandler('v0.35.1', 603), receiveHandler('v0.42.4', 658)],
    readBy: ['ratesQuery tenant_accepted'],
  },
  thanos_receive_head_series_limited_requests_total: {
    type: 'counter',
    emittedBy: ['thanos-receive'],
    versions:
      'Thanos v0.35.1 to v0.42.4 (only with a head-series limit configured, meta-monitoring limiter)',
    labels: ['tenant'],
    emitted:
      'Incremented once per remote-write request refused with 429 "tenant is above active series limit" (head series of the tenant >= its limit) (requests, not samples), on the receiver that answered.',
    notEmitted:
      'The refused request leaves no trace in thanos_receive_write_samples; a fully limited tenant has no 2xx either.',
    sources: [
      {
        repo: T,
        tag: 'v0.35.1',
        path: 'pkg/receive/head_series_limiter.go',
        line: 54,
      },
      {
        repo: T,
        tag: 'v0.42.4',
        path: 'pkg/receive/head_series_limiter.go',
        line: 168,
      },
      {
        repo: T,
        tag: 'v0.42.4',
        path: 'mixin/alerts/receive.libsonnet',
        line: 179,
      },
    ],
    readBy: [
      'capacity tenantCapacityQuery limited (requests refused now, per tenant)',
      'receiveQuery head_series_limited, limited_tenant (per tenant, held 5m)',
      'ratesQuery tenant_refused (the 429 rule per tenant, requests/s)',
      'ThanosReceiveTenantLimitedByHeadSeries',
    ],
  },
  thanos_receive_head_series_limit: {
    type: 'gauge',
    emittedBy: ['thanos-receive'],
    versions:
      'Thanos v0.35.1 to v0.42.4, only on a receiver in router or router-ingestor mode whose limits file (--receive.limits-config-file, hidden flag) sets a non-zero write.default.head_series_limit or a tenant head_series_limit',
    labels: ['tenant'],
    emitted:
      'Set once when the limits config loads: tenant="" carries write.default.head_series_limit, and every tenant listed under write.tenants carries its own limit (the default when it sets none). 0 means unlimited. The limiter compares it with the answer of write.global.meta_monitoring_limit_query, by default `sum(prometheus_tsdb_head_series) by (tenant)` over every receiver (replica copies included), asked with dedup on; a tenant is refused (429) once that sum >= its limit.',
    notEmitted:
      'No series for a tenant not listed in the limits file: its limit is the tenant="" series. Absent altogether without a limit (the no-op limiter registers nothing) and on ingestor-only receivers.',
    sources: [
      {
        repo: T,
        tag: 'v0.35.1',
        path: 'pkg/receive/head_series_limiter.go',
        line: 48,
      },
      {
        repo: T,
        tag: 'v0.42.4',
        path: 'pkg/receive/head_series_limiter.go',
        line: 50,
      },
      { repo: T, tag: 'v0.42.4', path: 'pkg/receive/limiter.go', line: 175 },
      {
        repo: T,
        tag: 'v0.42.4',
        path: 'pkg/receive/limiter_config.go',
        line: 45,
      },
      { repo: T, tag: 'v0.42.4', path: 'cmd/thanos/receive.go', line: 1142 },
    ],
    readBy: ['capacity tenantCapacityQuery limit_tenant, limit_default'],
  },
  prometheus_tsdb_head_series: {
    type: 'gauge',
    emittedBy: ['thanos-receive'],
    versions:
      'Thanos v0.35.1 to v0.42.4 (the Prometheus TSDB head gauge, per tenant TSDB of the multi-TSDB)',
    labels: ['tenant'],
    emitted:
      'Series in the head block of one tenant TSDB on one receiver. Receive opens one TSDB per tenant with a registerer wrapped in tenant="<id>" (multitsdb startTSDB, WrapRegistererWith), so each receiver exposes one series per tenant it holds. With replication factor RF every series lives on RF receivers: the sum over receivers counts each series RF times, which is what the head-series limiter compares with the limit.',
    notEmitted:
      'Series leave the head only at head compaction (about every 2 h), so churned series still count until then. A restarted receiver starts from what it replays from its WAL (from 0 without one) and the gauge is absent while it is down.',
    sources: [
      { repo: T, tag: 'v0.35.1', path: 'pkg/receive/multitsdb.go', line: 612 },
      { repo: T, tag: 'v0.42.4', path: 'pkg/receive/multitsdb.go', line: 936 },
      { repo: P, tag: 'v2.53.4', path: 'tsdb/head.go' },
      {
        repo: T,
        tag: 'v0.42.4',
        path: 'pkg/receive/limiter_config.go',
        line: 45,
      },
    ],
    readBy: [
      'capacity tenantCapacityQuery (head series, growth, forecast to the limit)',
      'capacity receiversCapacityQuery (head series per receiver)',
    ],
  },
  container_memory_working_set_bytes: {
    type: 'gauge',
    emittedBy: ['kubelet-cadvisor'],
    versions:
      'cAdvisor v0.49.1 to v0.52.1 as embedded in the kubelet (/metrics/cadvisor)',
    labels: ['container', 'id', 'image', 'name', 'namespace', 'pod'],
    emitted:
      "Working set of a cgroup (usage minus inactive file pages): what the kernel's OOM killer weighs against the container's memory limit. cAdvisor sets id, name, image; the kubelet's containerPrometheusLabelsFunc (pkg/kubelet/server/server.go) adds container, pod, namespace from the container's io.kubernetes.* labels.",
    notEmitted:
      'The pod-level cgroup comes as a series with container="" (and the sandbox, on older runtimes, container="POD"): filter them out or a pod counts twice.',
    sources: [
      {
        repo: 'google/cadvisor',
        tag: 'v0.49.1',
        path: 'metrics/prometheus.go',
        line: 427,
      },
      {
        repo: 'google/cadvisor',
        tag: 'v0.52.1',
        path: 'metrics/prometheus.go',
        line: 439,
      },
    ],
    readBy: [
      'capacity receiversCapacityQuery working_set, OOM forecast, one receiver lost',
    ],
  },
  kube_pod_container_resource_limits: {
    type: 'gauge',
    emittedBy: ['kube-state-metrics'],
    versions:
      'kube-state-metrics v2.0.0 to v2.19.1 (replaces the v1 kube_pod_container_resource_limits_memory_bytes)',
    labels: [
      'container',
      'namespace',
      'node',
      'pod',
      'resource',
      'uid',
      'unit',
    ],
    emitted:
      'One series per container and resource with a limit: resource="memory" with unit="byte", resource="cpu" with unit="core". namespace, pod, uid are the pod family labels.',
    notEmitted:
      'No series for a container without a limit (then nothing OOM-kills it at a limit: the node runs out instead).',
    sources: [
      {
        repo: 'kubernetes/kube-state-metrics',
        tag: 'v2.0.0',
        path: 'internal/store/pod.go',
        line: 872,
      },
      {
        repo: 'kubernetes/kube-state-metrics',
        tag: 'v2.19.1',
        path: 'internal/store/pod.go',
        line: 222,
      },
    ],
    readBy: ['capacity receiversCapacityQuery memory_limit'],
  },
  thanos_receive_replications_total: {
    type: 'counter',
    emittedBy: ['thanos-receive'],
    versions: 'Thanos v0.35.1 to v0.42.4',
    labels: ['result'],
    emitted:
      'Per replication: result="success" when the write quorum is met, "error" otherwise; both series exist from start at 0.',
    sources: [receiveHandler('v0.35.1', 182), receiveHandler('v0.42.4', 212)],
    readBy: [
      'receiveHealthQuery replication_error_ratio',
      'ThanosReceiveHighReplicationFailures',
    ],
  },
  thanos_receive_forward_requests_total: {
    type: 'counter',
    emittedBy: ['thanos-receive'],
    versions: 'Thanos v0.35.1 to v0.42.4',
    labels: ['result'],
    emitted:
      'Per forward to another receiver: result="success" or "error"; both series exist from start at 0.',
    sources: [receiveHandler('v0.35.1', 176), receiveHandler('v0.42.4', 206)],
    readBy: [
      'receiveHealthQuery forward_error_ratio',
      'ThanosReceiveHighForwardRequestFailures (severity info)',
    ],
  },
  thanos_receive_replication_factor: {
    type: 'gauge',
    emittedBy: ['thanos-receive'],
    versions: 'Thanos v0.35.1 to v0.42.4',
    labels: [],
    emitted:
      '--receive.replication-factor when above 1, otherwise 1 (never 0).',
    sources: [receiveHandler('v0.35.1', 217), receiveHandler('v0.42.4', 253)],
    readBy: ['receiveHealthQuery replication_factor'],
  },
  thanos_receive_hashring_nodes: {
    type: 'gauge',
    emittedBy: ['thanos-receive'],
    versions: 'Thanos v0.35.1 to v0.42.4',
    labels: ['name'],
    emitted:
      'Endpoints per hashring after each successful load of the hashrings file.',
    sources: [receiveConfig('v0.35.1', 162), receiveConfig('v0.42.4', 234)],
    readBy: [
      'receiveHealthQuery hashring_nodes',
      'capacity tenantCapacityQuery hashring_nodes (unique series with a receiver down)',
    ],
  },
  thanos_receive_hashring_tenants: {
    type: 'gauge',
    emittedBy: ['thanos-receive'],
    versions: 'Thanos v0.35.1 to v0.42.4',
    labels: ['name'],
    emitted: 'Tenants listed per hashring (0 for a catch-all hashring).',
    sources: [receiveConfig('v0.35.1', 168), receiveConfig('v0.42.4', 240)],
    readBy: ['planned: #18 item 4 (hashring view)'],
  },
  thanos_receive_hashrings_file_errors_total: {
    type: 'counter',
    emittedBy: ['thanos-receive'],
    versions: 'Thanos v0.35.1 to v0.42.4',
    labels: [],
    emitted:
      'A hashrings file that cannot be read or parsed, on a watch event or refresh.',
    notEmitted:
      'A file that parses into an invalid ring does not count here: the receiver process ends (v0.42.4 cmd/thanos/receive.go ~662).',
    sources: [receiveConfig('v0.35.1', 265), receiveConfig('v0.42.4', 337)],
    readBy: [
      'receiveHealthQuery hashring_file_errors',
      'ThanosReceiveHighHashringFileRefreshFailures',
    ],
  },
  thanos_receive_hashrings_file_refreshes_total: {
    type: 'counter',
    emittedBy: ['thanos-receive'],
    versions: 'Thanos v0.35.1 to v0.42.4',
    labels: [],
    emitted:
      'Every periodic re-read of the hashrings file (--receive.hashrings-file-refresh-interval, 5m).',
    sources: [receiveConfig('v0.35.1', 261), receiveConfig('v0.42.4', 333)],
    readBy: ['ThanosReceiveHighHashringFileRefreshFailures'],
  },
  thanos_receive_config_last_reload_successful: {
    type: 'gauge',
    emittedBy: ['thanos-receive'],
    versions: 'Thanos v0.35.1 to v0.42.4',
    labels: [],
    emitted: 'Only ever set to 1, after a successful load.',
    notEmitted:
      'Never 0: a failed parse shows in hashrings_file_errors_total, an invalid ring ends the process.',
    sources: [receiveConfig('v0.35.1', 280), receiveConfig('v0.42.4', 352)],
    readBy: [
      'receiveQuery config_reload_ok (stat only: the gauge is never 0)',
      'ThanosReceiveConfigReloadFailure',
    ],
  },
  thanos_shipper_uploads_total: {
    type: 'counter',
    emittedBy: ['thanos-receive'],
    versions: 'Thanos v0.35.1 to v0.42.4',
    labels: ['tenant'],
    emitted:
      'One per block uploaded; in Receive, one shipper per tenant TSDB, registered with tenant="<id>" (multitsdb WrapRegistererWith), starting at 0 when the tenant TSDB opens; the first block is cut after about 2 h.',
    notEmitted:
      'Absent without --objstore.config(-file): no shipper is created. Mixin ThanosReceiveNoUpload holds for 3h.',
    sources: [
      { repo: T, tag: 'v0.42.4', path: 'pkg/shipper/shipper.go', line: 56 },
      { repo: T, tag: 'v0.35.1', path: 'pkg/receive/multitsdb.go', line: 612 },
      { repo: T, tag: 'v0.42.4', path: 'pkg/receive/multitsdb.go', line: 936 },
      {
        repo: T,
        tag: 'v0.42.4',
        path: 'mixin/alerts/receive.libsonnet',
        line: 138,
      },
    ],
    readBy: [
      'receiveQuery no_upload (per receiver and tenant, held 3h)',
      'ThanosReceiveNoUpload',
    ],
  },

  // --- HTTP and gRPC layer (Receive and Query) ---
  http_requests_total: {
    type: 'counter',
    emittedBy: ['thanos-receive', 'thanos-query'],
    versions: 'Thanos v0.35.1 to v0.42.4',
    labels: ['code', 'handler', 'method'],
    emitted:
      'Every HTTP answer, by handler (Receive: "receive", "otlp"; Query: "query", "query_range", ...), status code and lower-case method (promhttp). A head-series 429 is here with code="429".',
    sources: [HTTP_METRICS],
    readBy: [
      'receiveHealthQuery http_error_ratio',
      'ThanosReceiveHttpRequestErrorRateHigh',
      'queryComponentQuery http_error_ratio (ThanosQueryHttpRequestQuery(Range)ErrorRateHigh)',
    ],
  },
  http_request_duration_seconds: {
    type: 'histogram',
    emittedBy: ['thanos-receive', 'thanos-query'],
    versions: 'Thanos v0.35.1 to v0.42.4',
    labels: ['code', 'handler', 'method'],
    emitted: 'Latency of every HTTP answer.',
    sources: [{ ...HTTP_METRICS, line: 31 }],
    readBy: [
      'receiveHealthQuery p99_latency',
      'queryComponentQuery p99_latency (ThanosQueryInstantLatencyHigh, ThanosQueryRangeLatencyHigh)',
    ],
  },
  grpc_server_handled_total: {
    type: 'counter',
    emittedBy: ['thanos-query', 'thanos-receive', 'thanos-store'],
    versions: 'Thanos v0.35.1 to v0.42.4 (go-grpc-middleware server metrics)',
    labels: ['grpc_code', 'grpc_method', 'grpc_service', 'grpc_type'],
    emitted: 'Every finished gRPC call served.',
    sources: [
      { repo: T, tag: 'v0.42.4', path: 'pkg/server/grpc/grpc.go', line: 62 },
    ],
    readBy: [
      'queryComponentQuery grpc_server_error_ratio (ThanosQueryGrpcServerErrorRate)',
    ],
  },
  grpc_server_started_total: {
    type: 'counter',
    emittedBy: ['thanos-query', 'thanos-receive', 'thanos-store'],
    versions: 'Thanos v0.35.1 to v0.42.4',
    labels: ['grpc_method', 'grpc_service', 'grpc_type'],
    emitted: 'Every gRPC call started.',
    sources: [
      { repo: T, tag: 'v0.42.4', path: 'pkg/server/grpc/grpc.go', line: 62 },
    ],
    readBy: [
      'queryComponentQuery grpc_server_error_ratio (ThanosQueryGrpcServerErrorRate)',
    ],
  },
  grpc_client_handled_total: {
    type: 'counter',
    emittedBy: ['thanos-query', 'thanos-receive'],
    versions: 'Thanos v0.35.1 to v0.42.4 (go-grpc-middleware client metrics)',
    labels: ['grpc_code', 'grpc_method', 'grpc_service', 'grpc_type'],
    emitted: 'Every finished gRPC call made (Query to its StoreAPIs).',
    sources: [
      { repo: T, tag: 'v0.42.4', path: 'pkg/extgrpc/client.go', line: 107 },
    ],
    readBy: [
      'queryComponentQuery grpc_client_error_ratio (ThanosQueryGrpcClientErrorRate)',
    ],
  },
  grpc_client_started_total: {
    type: 'counter',
    emittedBy: ['thanos-query', 'thanos-receive'],
    versions: 'Thanos v0.35.1 to v0.42.4',
    labels: ['grpc_method', 'grpc_service', 'grpc_type'],
    emitted: 'Every gRPC call started by the client.',
    sources: [
      { repo: T, tag: 'v0.42.4', path: 'pkg/extgrpc/client.go', line: 107 },
    ],
    readBy: [
      'queryComponentQuery grpc_client_error_ratio (ThanosQueryGrpcClientErrorRate)',
    ],
  },

  // --- Thanos Query ---
  thanos_query_concurrent_gate_queries_max: {
    type: 'gauge',
    emittedBy: ['thanos-query'],
    versions: 'Thanos v0.35.1 to v0.42.4',
    labels: [],
    emitted:
      '--query.max-concurrent (gate "queries", prefix thanos_query_concurrent_).',
    sources: [
      { repo: T, tag: 'v0.42.4', path: 'cmd/thanos/query.go', line: 581 },
      { repo: T, tag: 'v0.42.4', path: 'pkg/gate/gate.go', line: 109 },
    ],
    readBy: ['queryComponentQuery gate_headroom (ThanosQueryOverload)'],
  },
  thanos_query_concurrent_gate_queries_in_flight: {
    type: 'gauge',
    emittedBy: ['thanos-query'],
    versions: 'Thanos v0.35.1 to v0.42.4',
    labels: [],
    emitted: 'Queries currently holding the gate.',
    sources: [{ repo: T, tag: 'v0.42.4', path: 'pkg/gate/gate.go', line: 115 }],
    readBy: ['queryComponentQuery gate_headroom (ThanosQueryOverload)'],
  },
  thanos_query_endpoints_dns_lookups_total: {
    type: 'counter',
    emittedBy: ['thanos-query'],
    versions: 'Thanos v0.35.1 to v0.42.4 (--endpoint with dns+/dnssrv+)',
    labels: [],
    emitted: 'DNS lookups for --endpoint addresses.',
    notEmitted:
      'The mixin ThanosQueryHighDNSFailures reads thanos_query_store_apis_dns_*: in v0.35.1 that is only the deprecated --store flag, and no tag from v0.38.0 emits it at all; --endpoint-group lookups are thanos_query_endpoint_groups_dns_*.',
    sources: [
      { repo: T, tag: 'v0.35.1', path: 'cmd/thanos/query.go', line: 497 },
      { repo: T, tag: 'v0.42.4', path: 'cmd/thanos/endpointset.go', line: 334 },
      {
        repo: T,
        tag: 'v0.42.4',
        path: 'pkg/discovery/dns/provider.go',
        line: 70,
      },
    ],
    readBy: [
      'queryComponentQuery dns_failure_ratio (ThanosQueryHighDNSFailures, on the name Thanos emits)',
    ],
  },
  thanos_query_endpoints_dns_failures_total: {
    type: 'counter',
    emittedBy: ['thanos-query'],
    versions: 'Thanos v0.35.1 to v0.42.4',
    labels: [],
    emitted: 'Failed DNS lookups for --endpoint addresses.',
    sources: [
      { repo: T, tag: 'v0.42.4', path: 'cmd/thanos/endpointset.go', line: 334 },
      {
        repo: T,
        tag: 'v0.42.4',
        path: 'pkg/discovery/dns/provider.go',
        line: 74,
      },
    ],
    readBy: [
      'queryComponentQuery dns_failure_ratio (ThanosQueryHighDNSFailures)',
    ],
  },

  // --- Compactor ---
  thanos_compact_halted: {
    type: 'gauge',
    emittedBy: ['thanos-compact'],
    versions: 'Thanos v0.35.1 to v0.42.4',
    labels: [],
    emitted:
      '1 when the compactor halted on an error it will not retry (mixin ThanosCompactHalted).',
    sources: [
      { repo: T, tag: 'v0.42.4', path: 'cmd/thanos/compact.go' },
      { repo: T, tag: 'v0.42.4', path: 'mixin/alerts/compact.libsonnet' },
    ],
    readBy: [
      'planned: #18 item 4 / first list item 15 (Compactor alerts when one exists)',
    ],
  },
} as const satisfies Record<string, UpstreamMetric>;

/** @public */
export type UpstreamMetricName = keyof typeof UPSTREAM_METRICS;

/** Labels added on the way to the store, not by the emitter. @public */
export const UPSTREAM_ADDED_LABELS = {
  /** Set by the scrape (target labels) and kept by relabelling. */
  scrape: ['job', 'instance', 'namespace', 'pod'],
  /** An agent's external labels (the scaffolder's `cluster`). */
  external: ['cluster'],
  /** Thanos Receive on what it stores: `--receive.tenant-label-name`, and its `--label` replica label. */
  receiveStored: ['tenant_id', 'replica', 'receive'],
} as const;

/** The table entry of a metric; throws for a name the table does not have. @public */
export function upstreamMetric(
  name: string,
): UpstreamMetric & { name: string } {
  const entry = (UPSTREAM_METRICS as Record<string, UpstreamMetric>)[name];
  if (!entry) throw new Error(`${name} is not in the upstream metrics table`);
  return { name, ...entry };
}

/**
 * The metric family a series name belongs to (`x_bucket` of histogram `x` is `x`), or undefined if
 * the table does not have it.
 * @public
 */
export function upstreamFamilyOf(
  series: string,
): UpstreamMetricName | undefined {
  const table = UPSTREAM_METRICS as Record<string, UpstreamMetric>;
  if (table[series]) return series as UpstreamMetricName;
  const m = /^(.*)_(bucket|sum|count)$/.exec(series);
  if (m && table[m[1]]?.type === 'histogram') return m[1] as UpstreamMetricName;
  return undefined;
}

/** Series name of a histogram's part, checked against the table (e.g. `_sum` of write_samples). @public */
export function upstreamHistogramSeries(
  name: UpstreamMetricName,
  part: 'bucket' | 'sum' | 'count',
): string {
  if (UPSTREAM_METRICS[name].type !== 'histogram')
    throw new Error(`${name} is not a histogram`);
  return `${name}_${part}`;
}

/**
 * Whether `label` may appear on a series of `series` as stored: the emitter's own labels, `le` on a
 * histogram bucket, and labels added by the scrape, external labels and Receive.
 * @public
 */
export function upstreamLabelAllowed(series: string, label: string): boolean {
  const family = upstreamFamilyOf(series);
  if (!family) return false;
  const entry: UpstreamMetric = UPSTREAM_METRICS[family];
  if (label === '__name__' || entry.labels.includes(label)) return true;
  if (label === 'le' && series.endsWith('_bucket')) return true;
  return Object.values(UPSTREAM_ADDED_LABELS).some(list =>
    (list as readonly string[]).includes(label),
  );
}
