import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  HashringCheck,
  HealthState,
  HintedReason,
  KubernetesClusterView,
  PodSummary,
  UpstreamErrorInfo,
  worstState,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { V1ConfigMap } from '@kubernetes/client-node';
import type { KubernetesSettings } from '../config';
import { CachedLoader } from '../service/CachedLoader';
import { isUpstreamError } from '../upstream/errors';
import { reasonForUpstreamError } from '../upstream/reasons';
import { checkHashring, parseHashrings, summarizePod } from './evaluate';
import { KubernetesClient } from './KubernetesClient';

/** Pods of Thanos Receive and the Prometheus agent, and the receive hashring, per cluster. */
export class KubernetesService {
  private readonly clients = new Map<string, KubernetesClient>();
  private readonly loader: CachedLoader;

  constructor(
    readonly settings: KubernetesSettings,
    cacheTtlSeconds: number,
    private readonly logger: LoggerService,
    cache?: CacheService,
  ) {
    for (const c of settings.clusters) {
      this.clients.set(
        c.name,
        new KubernetesClient(c, settings.maxResponseBytes),
      );
    }
    this.loader = new CachedLoader(cache, cacheTtlSeconds);
  }

  clusterNames(): string[] {
    return [...this.clients.keys()];
  }

  /** Calls made to each cluster's API: the benchmarks' hook, not part of any answer. */
  stats(): Record<string, { calls: number }> {
    return Object.fromEntries(
      [...this.clients].map(([n, c]) => [n, { calls: c.calls }]),
    );
  }

  /** Runs one read; an upstream failure is logged, collected and answered with `undefined`. */
  private async attempt<T>(
    errors: UpstreamErrorInfo[],
    fn: () => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await fn();
    } catch (e) {
      if (!isUpstreamError(e)) throw e;
      this.logger.warn(`Kubernetes: ${e.message}`);
      errors.push(e.info);
      return undefined;
    }
  }

  async clusterView(
    cluster: string,
    namespaceOverride?: string,
  ): Promise<KubernetesClusterView> {
    const client = this.clients.get(cluster);
    if (!client) {
      throw new NotFoundError(
        `No Kubernetes cluster named "${cluster}" is configured (fleetMonitoring.kubernetes.clusters or kubernetes.clusterLocatorMethods)`,
      );
    }
    const namespace = namespaceOverride ?? this.settings.namespace;
    const { value } = await this.loader.load(
      `fleet-monitoring:kubernetes:v2:${cluster}:${namespace}`,
      () => this.loadView(client, namespace),
    );
    return value;
  }

  private async loadView(
    client: KubernetesClient,
    namespace: string,
  ): Promise<KubernetesClusterView> {
    const s = this.settings;
    const errors: UpstreamErrorInfo[] = [];
    const configMapErrors: UpstreamErrorInfo[] = [];
    const [receive, agents, configMap] = await Promise.all([
      this.attempt(errors, () => client.listPods(namespace, s.receiveSelector)),
      this.attempt(errors, () => client.listPods(namespace, s.agentSelector)),
      this.attempt(configMapErrors, () =>
        client.readConfigMap(namespace, s.hashringConfigMap),
      ),
    ]);
    errors.push(...configMapErrors);
    const receivePods = (receive?.items ?? []).map(p =>
      summarizePod(p, 'receive', s.restartThreshold),
    );
    const agentPods = (agents?.items ?? []).map(p =>
      summarizePod(p, 'agent', s.restartThreshold),
    );
    const hashring = this.hashringCheck(
      namespace,
      configMap,
      configMapErrors[0],
      receive ? receivePods : undefined,
    );

    const reasons: HintedReason[] = [
      ...receivePods.flatMap(p => p.reasons),
      ...agentPods.flatMap(p => p.reasons),
      ...(hashring?.reasons ?? []),
      ...errors.filter(e => e !== hashring?.error).map(reasonForUpstreamError),
    ];
    let state = [...receivePods, ...agentPods].reduce<HealthState>(
      (acc, p) => worstState(acc, p.state),
      'healthy',
    );
    if (hashring) state = worstState(state, hashring.state);
    if (errors.length) state = worstState(state, 'unknown');
    if (!receive && !agents) state = 'unknown';
    else if (receivePods.length + agentPods.length === 0)
      state = worstState(state, 'no-data');
    return {
      cluster: client.cluster.name,
      namespace,
      state,
      reasons,
      receivePods,
      agentPods,
      ...(hashring ? { hashring } : {}),
      errors,
      generatedAt: new Date().toISOString(),
    };
  }

  /** The hashring ConfigMap compared with the live receive pods (when both could be read). */
  private hashringCheck(
    namespace: string,
    configMap: V1ConfigMap | undefined,
    error: UpstreamErrorInfo | undefined,
    receivePods: PodSummary[] | undefined,
  ): HashringCheck | undefined {
    const s = this.settings;
    const where = `${namespace}/${s.hashringConfigMap}`;
    const base = {
      configMap: where,
      key: s.hashringKey,
      hashrings: [],
      missingPods: [],
      unknownEndpoints: [],
    };
    if (error) {
      return {
        ...base,
        state: 'unknown',
        reasons: [reasonForUpstreamError(error)],
        error,
      };
    }
    const text = configMap?.data?.[s.hashringKey];
    if (text === undefined) {
      return {
        ...base,
        state: 'unknown',
        reasons: [
          {
            id: 'receive-hashring-file-errors',
            severity: 'warning',
            message: `ConfigMap ${where} has no key "${s.hashringKey}".`,
          },
        ],
      };
    }
    if (!receivePods) return undefined;
    try {
      return checkHashring(
        where,
        s.hashringKey,
        parseHashrings(text),
        receivePods,
      );
    } catch (e) {
      return {
        ...base,
        state: 'failing',
        reasons: [
          {
            id: 'receive-hashring-file-errors',
            severity: 'critical',
            message: `The hashring in ${where} key ${s.hashringKey} is not valid: ${(e as Error).message}`,
          },
        ],
      };
    }
  }
}
