import type { Config } from '@backstage/config';
import {
  AGENT_SELECTOR,
  HASHRING_CONFIGMAP,
  HASHRING_KEY,
  MONITORING_NAMESPACE,
  RECEIVE_SELECTOR,
  THANOS_PORTS,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { KubernetesClusterConfig, KubernetesSettings } from './types';
import {
  readBaseUrl,
  readCa,
  readName,
  readNumber,
  requireUniqueNames,
} from './validators';

function readCluster(
  c: Config,
  source: KubernetesClusterConfig['source'],
): KubernetesClusterConfig {
  const name = readName(c, source);
  const where = `${source}[${name}]`;
  return {
    name,
    url: readBaseUrl(c.getString('url'), `${where}.url`),
    serviceAccountToken: c.getOptionalString('serviceAccountToken'),
    ca: readCa(c, where),
    skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
    timeoutMs: readNumber(c, 'timeoutMs', 10_000, where, { positive: true }),
    source,
  };
}

/**
 * `fleetMonitoring.kubernetes`, plus the clusters of Backstage's own `kubernetes` section
 * (`clusterLocatorMethods[]` of type `config`, service account auth) that ours does not already name.
 */
export function readKubernetesSettings(
  fm: Config | undefined,
  backstageKubernetes: Config | undefined,
): KubernetesSettings {
  const k = fm?.getOptionalConfig('kubernetes');
  const where = 'fleetMonitoring.kubernetes';
  const clusters = (k?.getOptionalConfigArray('clusters') ?? []).map(c =>
    readCluster(c, 'fleetMonitoring.kubernetes'),
  );
  requireUniqueNames(clusters, where);
  const names = new Set(clusters.map(c => c.name));
  for (const method of backstageKubernetes?.getOptionalConfigArray(
    'clusterLocatorMethods',
  ) ?? []) {
    if (method.getOptionalString('type') !== 'config') continue;
    for (const c of method.getOptionalConfigArray('clusters') ?? []) {
      const authProvider = c.getOptionalString('authProvider');
      if (authProvider && authProvider !== 'serviceAccount') continue; // only a service account token can be used here
      const cluster = readCluster(c, 'kubernetes.clusterLocatorMethods');
      if (!names.has(cluster.name)) {
        names.add(cluster.name);
        clusters.push(cluster);
      }
    }
  }
  return {
    namespace: k?.getOptionalString('namespace') ?? MONITORING_NAMESPACE,
    receiveSelector:
      k?.getOptionalString('receiveSelector') ?? RECEIVE_SELECTOR,
    agentSelector: k?.getOptionalString('agentSelector') ?? AGENT_SELECTOR,
    hashringConfigMap:
      k?.getOptionalString('hashringConfigMap') ?? HASHRING_CONFIGMAP,
    hashringKey: k?.getOptionalString('hashringKey') ?? HASHRING_KEY,
    receiveGrpcPort: readNumber(
      k,
      'receiveGrpcPort',
      THANOS_PORTS.grpc,
      where,
      { positive: true },
    ),
    restartThreshold: readNumber(k, 'restartThreshold', 3, where),
    maxResponseBytes: readNumber(
      k,
      'maxResponseBytes',
      16 * 1024 * 1024,
      where,
      { positive: true },
    ),
    clusters,
  };
}
