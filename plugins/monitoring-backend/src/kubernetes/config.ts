import fs from 'node:fs';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { HASHRING_CONFIGMAP } from '@fleet-monitoring/plugin-monitoring-common';

export interface KubernetesClusterConfig {
  name: string;
  url: URL;
  serviceAccountToken?: string;
  ca?: string;
  /** Honoured for this cluster only (Backstage `kubernetes` config); never process-wide. */
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
  cacheTtlSeconds: number;
  clusters: KubernetesClusterConfig[];
}

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function readCluster(
  c: Config,
  source: KubernetesClusterConfig['source'],
): KubernetesClusterConfig {
  const name = c.getString('name');
  if (!NAME.test(name))
    throw new InputError(`${source}: cluster name "${name}" is not valid`);
  let url: URL;
  try {
    url = new URL(c.getString('url'));
  } catch {
    throw new InputError(`${source}[${name}].url is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InputError(`${source}[${name}].url must be http(s)`);
  if (url.username || url.password)
    throw new InputError(`${source}[${name}].url must not embed credentials`);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  const caFile = c.getOptionalString('caFile');
  return {
    name,
    url,
    serviceAccountToken: c.getOptionalString('serviceAccountToken'),
    ca:
      c.getOptionalString('caData') ??
      (caFile ? fs.readFileSync(caFile, 'utf8') : undefined),
    skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
    timeoutMs: c.getOptionalNumber('timeoutMs') ?? 10_000,
    source,
  };
}

/**
 * Reads `fleetMonitoring.kubernetes`, and the clusters of Backstage's own `kubernetes` section
 * (`clusterLocatorMethods[]` of type `config`) that our section does not already name.
 */
export function readKubernetesSettings(root: Config): KubernetesSettings {
  const fm = root.getOptionalConfig('fleetMonitoring');
  const k = fm?.getOptionalConfig('kubernetes');
  const clusters = (k?.getOptionalConfigArray('clusters') ?? []).map(c =>
    readCluster(c, 'fleetMonitoring.kubernetes'),
  );
  const names = new Set<string>();
  for (const c of clusters) {
    if (names.has(c.name))
      throw new InputError(
        `fleetMonitoring.kubernetes: duplicate cluster "${c.name}"`,
      );
    names.add(c.name);
  }
  for (const method of root.getOptionalConfigArray(
    'kubernetes.clusterLocatorMethods',
  ) ?? []) {
    if (method.getOptionalString('type') !== 'config') continue;
    for (const c of method.getOptionalConfigArray('clusters') ?? []) {
      const authProvider = c.getOptionalString('authProvider');
      if (authProvider && authProvider !== 'serviceAccount') continue; // we can only use a service account token
      const cluster = readCluster(c, 'kubernetes.clusterLocatorMethods');
      if (!names.has(cluster.name)) {
        names.add(cluster.name);
        clusters.push(cluster);
      }
    }
  }
  return {
    namespace: k?.getOptionalString('namespace') ?? 'monitoring',
    receiveSelector:
      k?.getOptionalString('receiveSelector') ??
      'app.kubernetes.io/name=thanos-receive',
    agentSelector:
      k?.getOptionalString('agentSelector') ??
      'app.kubernetes.io/name=prometheus',
    hashringConfigMap:
      k?.getOptionalString('hashringConfigMap') ?? HASHRING_CONFIGMAP,
    hashringKey: k?.getOptionalString('hashringKey') ?? 'hashrings.json',
    receiveGrpcPort: k?.getOptionalNumber('receiveGrpcPort') ?? 10901,
    restartThreshold: k?.getOptionalNumber('restartThreshold') ?? 3,
    maxResponseBytes:
      k?.getOptionalNumber('maxResponseBytes') ?? 16 * 1024 * 1024,
    cacheTtlSeconds: fm?.getOptionalNumber('cache.ttlSeconds') ?? 30,
    clusters,
  };
}
