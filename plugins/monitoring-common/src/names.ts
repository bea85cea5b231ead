/**
 * Names the scaffolder writes into a cluster and the backend (and the docs) look for there: one source,
 * so generated manifests and the Kubernetes view cannot drift apart again.
 * Ports are the Thanos defaults (`cmd/thanos/receive.go`, `query.go`: gRPC 10901, HTTP 10902, remote
 * write 19291).
 */

/**
 * Namespace the fleet's monitoring stack runs in unless told otherwise.
 *
 * @public
 */
export const MONITORING_NAMESPACE = 'monitoring';

/**
 * External label every series of a cluster carries (set by its agent or central Prometheus).
 *
 * @public
 */
export const CLUSTER_LABEL = 'cluster';

/**
 * Header that carries the Thanos tenant (`--receive.tenant-header`).
 *
 * @public
 */
export const TENANT_HEADER = 'THANOS-TENANT';

/** @public */
export const THANOS_PORTS = {
  grpc: 10901,
  http: 10902,
  remoteWrite: 19291,
} as const;

/**
 * Thanos Receive: StatefulSet, headless Service and `app.kubernetes.io/name` of its pods.
 *
 * @public
 */
export const RECEIVE_NAME = 'thanos-receive';
/**
 * ClusterIP Service in front of the READY receivers' remote-write port: what the central Prometheus
 * and the edge entry point (Ingress or LoadBalancer) send to. The headless `thanos-receive` Service
 * also publishes unready pods (their DNS names are the hashring endpoints), so it must not take writes.
 *
 * @public
 */
export const RECEIVE_WRITE_SERVICE = `${RECEIVE_NAME}-write`;
/**
 * Label selector of the receiver pods.
 *
 * @public
 */
export const RECEIVE_SELECTOR = `app.kubernetes.io/name=${RECEIVE_NAME}`;
/**
 * ConfigMap holding the receivers' hashring file, and the file's key in it.
 *
 * @public
 */
export const HASHRING_CONFIGMAP = 'thanos-receive-hashring';
/** @public */
export const HASHRING_KEY = 'hashrings.json';
/**
 * Label each receiver adds to what it stores (`--label=replica="<pod>"`); Thanos Query deduplicates
 * replicated series on it (`--query.replica-label`).
 *
 * @public
 */
export const RECEIVE_REPLICA_LABEL = 'replica';

/**
 * Thanos Query of a central cluster: Deployment, Service and `app.kubernetes.io/name`.
 *
 * @public
 */
export const QUERY_NAME = 'thanos-query';

/**
 * `job` label of each Thanos component's own series, as the central's generated ServiceMonitors set
 * it. The backend's default Receive selector (`job=~".*thanos-receive.*"`) matches `receive`.
 *
 * @public
 */
export const THANOS_JOBS = {
  receive: RECEIVE_NAME,
  query: QUERY_NAME,
  store: 'thanos-store',
  compact: 'thanos-compact',
} as const;

/**
 * Label selector of the Prometheus agent pods (the `prometheus` chart's server).
 *
 * @public
 */
export const AGENT_SELECTOR = 'app.kubernetes.io/name=prometheus';

/**
 * gRPC address of receiver pod `index` through the headless Service: what a hashring lists.
 *
 * @public
 */
export function receiverEndpoint(namespace: string, index: number): string {
  return `${RECEIVE_NAME}-${index}.${RECEIVE_NAME}.${namespace}.svc.cluster.local:${THANOS_PORTS.grpc}`;
}

/**
 * The software template that drops series at a cluster's agent (#21): the capacity card's
 * "drop these" opens it with `formData` `{ cluster, metrics }` (metric names) pre-filled.
 *
 * @public
 */
export const DROP_SERIES_TEMPLATE = 'fleet-drop-series';

/**
 * The template wizard's path for dropping `metrics` of `cluster` (relative to the app's root).
 *
 * @public
 */
export function dropSeriesTemplatePath(
  cluster: string,
  metrics: string[],
  namespace = 'default',
): string {
  const formData = encodeURIComponent(JSON.stringify({ cluster, metrics }));
  return `/create/templates/${encodeURIComponent(namespace)}/${DROP_SERIES_TEMPLATE}?formData=${formData}`;
}
