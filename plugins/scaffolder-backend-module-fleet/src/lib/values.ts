/**
 * Helm values builders. Every key written here was checked against the real charts' values.yaml
 * (prometheus-community/helm-charts: charts/prometheus, charts/kube-prometheus-stack).
 */
import { InputError } from '@backstage/errors';
import {
  AGENT_CHART_RANGE,
  CLUSTER_LABEL,
  prometheusAgentFlags,
  prometheusMajorOfChart as majorOfChart,
} from '@fleet-monitoring/plugin-monitoring-common';
import { TENANT_HEADER } from './names';

/** Where the agent finds remote-write credentials and CA (mounted from Secrets via server.extraSecretMounts). */
export const AUTH_MOUNT = '/etc/prometheus/remote-write-auth';
export const CA_MOUNT = '/etc/prometheus/remote-write-ca';
export const CLIENT_CERT_MOUNT = '/etc/prometheus/remote-write-client-cert';

/**
 * Major version of the Prometheus a `prometheus` chart version ships; refuses versions whose values
 * were not checked. The rule (and its sources) lives in common's overlay lint, which checks the
 * overlays already in the repository with it.
 */
export function prometheusMajorOfChart(chartVersion: string): 2 | 3 {
  const major = majorOfChart(chartVersion);
  if (!major) {
    throw new InputError(
      `prometheus chart ${chartVersion} is older than ${AGENT_CHART_RANGE.min}.0.0, whose values this action was checked against; use 25.x (Prometheus v2) or >= 26.0.0 (Prometheus v3)`,
    );
  }
  return major;
}

/** Command line of the agent: the chart's default (server) flags replaced by agent-mode ones. */
export function agentFlags(chartVersion: string): string[] {
  return prometheusAgentFlags(prometheusMajorOfChart(chartVersion));
}

/**
 * Base values that turn the `prometheus` chart into a Prometheus AGENT.
 * The chart has no `server.enableAgentMode` key (the reference material's value is silently ignored and a
 * full server renders); what works is overriding the default flags, emptying rule_files (agent mode rejects
 * them; null does not survive kustomize's helm values handling, [] does) and disabling alertmanager (agent
 * mode rejects an `alerting` section, which the chart renders while alertmanager is enabled).
 */
export function agentBaseValues(chartVersion: string) {
  return {
    server: { defaultFlagsOverride: agentFlags(chartVersion) },
    serverFiles: { 'prometheus.yml': { rule_files: [] } },
    alertmanager: { enabled: false },
    'prometheus-pushgateway': { enabled: false },
    'kube-state-metrics': { enabled: true },
    'prometheus-node-exporter': { enabled: true },
  };
}

export type RemoteWriteAuth =
  | { type: 'none' }
  | { type: 'basic'; secretName: string; username: string; passwordKey: string }
  | { type: 'bearer'; secretName: string; tokenKey: string }
  /** Client certificate (kubernetes.io/tls Secret) for an entry point checking certificates. */
  | { type: 'mtls'; secretName: string; certKey: string; keyKey: string };

export type RemoteWriteTls = {
  /** Secret holding the CA certificate, mounted into the pod. */
  caSecretName?: string;
  caKey: string;
  /** Or: a CA file path already present in the pod. */
  caFile?: string;
  serverName?: string;
  insecureSkipVerify: boolean;
};

export type AgentOverlayInput = {
  cluster: string;
  chartVersion: string;
  externalLabels: Record<string, string>;
  remoteWriteUrl: string;
  tenant: string;
  tls: RemoteWriteTls;
  auth: RemoteWriteAuth;
  queue: {
    capacity: number;
    maxShards: number;
    maxSamplesPerSend: number;
    batchSendDeadline: string;
    retryOnHttp429: boolean;
  };
  dropMetrics: string[];
  memoryRequest: string;
  memoryLimit: string;
};

/** Per-cluster values of an edge agent: identity, where and how it remote-writes, its memory. */
export function agentOverlayValues(i: AgentOverlayInput) {
  const secretMounts: Array<Record<string, unknown>> = [];
  const remoteWrite: Record<string, unknown> = {
    name: 'thanos-receive',
    url: i.remoteWriteUrl,
    headers: { [TENANT_HEADER]: i.tenant },
  };
  const tls = remoteWriteTls(i, secretMounts);
  if (Object.keys(tls).length) remoteWrite.tls_config = tls;
  Object.assign(remoteWrite, remoteWriteCredentials(i.auth, secretMounts));
  remoteWrite.queue_config = {
    capacity: i.queue.capacity,
    max_shards: i.queue.maxShards,
    max_samples_per_send: i.queue.maxSamplesPerSend,
    batch_send_deadline: i.queue.batchSendDeadline,
    // Thanos Receive answers 429 when a tenant is above its active-series limit. Prometheus' default
    // (false, v2 and v3) drops such a batch as failed; retrying keeps it in the WAL-backed queue until
    // the limit is raised, showing up as pending/retried instead of lost.
    retry_on_http_429: i.queue.retryOnHttp429,
  };
  if (i.dropMetrics.length) {
    remoteWrite.write_relabel_configs = i.dropMetrics.map(regex => ({
      source_labels: ['__name__'],
      regex,
      action: 'drop',
    }));
  }

  return {
    server: {
      // Set per overlay, not only in the shared base: the base may be older than this overlay's chart.
      defaultFlagsOverride: agentFlags(i.chartVersion),
      global: {
        external_labels: { ...i.externalLabels, [CLUSTER_LABEL]: i.cluster },
      },
      remoteWrite: [remoteWrite],
      resources: {
        requests: { memory: i.memoryRequest },
        limits: { memory: i.memoryLimit },
      },
      ...(secretMounts.length ? { extraSecretMounts: secretMounts } : {}),
    },
  };
}

/** `tls_config`: the receiver's CA and, for an mTLS entry point, the agent's client certificate. */
function remoteWriteTls(
  i: AgentOverlayInput,
  secretMounts: Array<Record<string, unknown>>,
) {
  const tls: Record<string, unknown> = {};
  if (i.tls.caSecretName) {
    secretMounts.push(
      secretMount('remote-write-ca', CA_MOUNT, i.tls.caSecretName),
    );
    tls.ca_file = `${CA_MOUNT}/${i.tls.caKey}`;
  } else if (i.tls.caFile) {
    tls.ca_file = i.tls.caFile;
  }
  if (i.auth.type === 'mtls') {
    secretMounts.push(
      secretMount(
        'remote-write-client-cert',
        CLIENT_CERT_MOUNT,
        i.auth.secretName,
      ),
    );
    tls.cert_file = `${CLIENT_CERT_MOUNT}/${i.auth.certKey}`;
    tls.key_file = `${CLIENT_CERT_MOUNT}/${i.auth.keyKey}`;
  }
  if (i.tls.serverName) tls.server_name = i.tls.serverName;
  if (i.tls.insecureSkipVerify) tls.insecure_skip_verify = true;
  return tls;
}

/** `basic_auth` / `authorization` read from files mounted from a Secret: never inline. */
function remoteWriteCredentials(
  auth: RemoteWriteAuth,
  secretMounts: Array<Record<string, unknown>>,
): Record<string, unknown> {
  if (auth.type === 'basic') {
    secretMounts.push(
      secretMount('remote-write-auth', AUTH_MOUNT, auth.secretName),
    );
    return {
      basic_auth: {
        username: auth.username,
        password_file: `${AUTH_MOUNT}/${auth.passwordKey}`,
      },
    };
  }
  if (auth.type === 'bearer') {
    secretMounts.push(
      secretMount('remote-write-auth', AUTH_MOUNT, auth.secretName),
    );
    return {
      authorization: {
        type: 'Bearer',
        credentials_file: `${AUTH_MOUNT}/${auth.tokenKey}`,
      },
    };
  }
  return {};
}

function secretMount(name: string, mountPath: string, secretName: string) {
  return { name, mountPath, secretName, readOnly: true };
}

/**
 * Grafana values of a central cluster (grafana sub-chart 7.3.x of kube-prometheus-stack 58.0.0):
 * - `testFramework.enabled: false`: the chart's `helm test` Pod is a Helm hook, which `helm template`
 *   (kustomize, ArgoCD) renders as an ordinary Pod to deploy;
 * - Thanos Query as the default datasource (deduplicated, every cluster), the local Prometheus kept
 *   as a second, non-default one (only one default per organisation is allowed).
 */
export function centralGrafanaValues(queryUrl?: string) {
  return {
    testFramework: { enabled: false },
    ...(queryUrl
      ? {
          sidecar: { datasources: { isDefaultDatasource: false } },
          additionalDataSources: [
            {
              name: 'Thanos Query',
              uid: 'thanos-query',
              type: 'prometheus',
              access: 'proxy',
              url: queryUrl,
              isDefault: true,
              jsonData: { prometheusType: 'Thanos' },
            },
          ],
        }
      : {}),
  };
}

/** Fleet-wide kube-prometheus-stack defaults for central clusters. */
export function centralBaseValues() {
  return {
    prometheus: {
      prometheusSpec: {
        // Select every ServiceMonitor/PodMonitor, not only those labelled for this Helm release.
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
      },
    },
    grafana: centralGrafanaValues(),
  };
}

export type CentralOverlayInput = {
  cluster: string;
  externalLabels: Record<string, string>;
  tenant: string;
  /** In-cluster remote-write URL of the local Thanos Receive (ready receivers only). */
  receiveUrl: string;
  /** In-cluster HTTP URL of the central's Thanos Query. */
  queryUrl: string;
  prometheusMemoryRequest: string;
  prometheusMemoryLimit: string;
};

/**
 * Per-cluster kube-prometheus-stack values: the central Prometheus labels itself and writes into the
 * local Receive; Grafana reads through Thanos Query. Grafana's values are repeated here because the
 * shared base may predate them.
 */
export function centralOverlayValues(i: CentralOverlayInput) {
  return {
    prometheus: {
      prometheusSpec: {
        externalLabels: { ...i.externalLabels, [CLUSTER_LABEL]: i.cluster },
        remoteWrite: [
          {
            name: 'thanos-receive',
            url: i.receiveUrl,
            headers: { [TENANT_HEADER]: i.tenant },
          },
        ],
        resources: {
          requests: { memory: i.prometheusMemoryRequest },
          limits: { memory: i.prometheusMemoryLimit },
        },
      },
    },
    grafana: centralGrafanaValues(i.queryUrl),
  };
}
