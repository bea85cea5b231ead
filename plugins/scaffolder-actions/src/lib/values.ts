/**
 * Helm values builders. Every key written here was checked against the real charts' values.yaml
 * (prometheus-community/helm-charts: charts/prometheus, charts/kube-prometheus-stack).
 */
import { TENANT_HEADER } from './names';

/** Where the agent finds remote-write credentials and CA (mounted from Secrets via server.extraSecretMounts). */
export const AUTH_MOUNT = '/etc/prometheus/remote-write-auth';
export const CA_MOUNT = '/etc/prometheus/remote-write-ca';

/**
 * Base values that turn the `prometheus` chart into a Prometheus AGENT.
 * The chart has no `server.enableAgentMode` key (the reference material's value is silently ignored and a
 * full server renders); what works is overriding the default flags, emptying rule_files (agent mode rejects
 * them; null does not survive kustomize's helm values handling, [] does) and disabling alertmanager (agent
 * mode rejects an `alerting` section, which the chart renders while alertmanager is enabled).
 */
export function agentBaseValues() {
  return {
    server: {
      defaultFlagsOverride: [
        '--enable-feature=agent',
        '--config.file=/etc/config/prometheus.yml',
        '--storage.agent.path=/data',
        '--web.enable-lifecycle',
      ],
    },
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
  | { type: 'bearer'; secretName: string; tokenKey: string };

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

  const tls: Record<string, unknown> = {};
  if (i.tls.caSecretName) {
    secretMounts.push(
      secretMount('remote-write-ca', CA_MOUNT, i.tls.caSecretName),
    );
    tls.ca_file = `${CA_MOUNT}/${i.tls.caKey}`;
  } else if (i.tls.caFile) {
    tls.ca_file = i.tls.caFile;
  }
  if (i.tls.serverName) tls.server_name = i.tls.serverName;
  if (i.tls.insecureSkipVerify) tls.insecure_skip_verify = true;
  if (Object.keys(tls).length) remoteWrite.tls_config = tls;

  if (i.auth.type === 'basic') {
    secretMounts.push(
      secretMount('remote-write-auth', AUTH_MOUNT, i.auth.secretName),
    );
    remoteWrite.basic_auth = {
      username: i.auth.username,
      password_file: `${AUTH_MOUNT}/${i.auth.passwordKey}`,
    };
  } else if (i.auth.type === 'bearer') {
    secretMounts.push(
      secretMount('remote-write-auth', AUTH_MOUNT, i.auth.secretName),
    );
    remoteWrite.authorization = {
      type: 'Bearer',
      credentials_file: `${AUTH_MOUNT}/${i.auth.tokenKey}`,
    };
  }

  remoteWrite.queue_config = {
    capacity: i.queue.capacity,
    max_shards: i.queue.maxShards,
    max_samples_per_send: i.queue.maxSamplesPerSend,
    batch_send_deadline: i.queue.batchSendDeadline,
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
      global: { external_labels: { ...i.externalLabels, cluster: i.cluster } },
      remoteWrite: [remoteWrite],
      resources: {
        requests: { memory: i.memoryRequest },
        limits: { memory: i.memoryLimit },
      },
      ...(secretMounts.length ? { extraSecretMounts: secretMounts } : {}),
    },
  };
}

function secretMount(name: string, mountPath: string, secretName: string) {
  return { name, mountPath, secretName, readOnly: true };
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
  };
}

export type CentralOverlayInput = {
  cluster: string;
  externalLabels: Record<string, string>;
  tenant: string;
  /** In-cluster remote-write URL of the local Thanos Receive. */
  receiveUrl: string;
  prometheusMemoryRequest: string;
  prometheusMemoryLimit: string;
};

/** Per-cluster kube-prometheus-stack values: the central Prometheus labels itself and writes into the local Receive. */
export function centralOverlayValues(i: CentralOverlayInput) {
  return {
    prometheus: {
      prometheusSpec: {
        externalLabels: { ...i.externalLabels, cluster: i.cluster },
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
  };
}
