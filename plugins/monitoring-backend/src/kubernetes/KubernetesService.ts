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
import { CachedLoader } from '../core/CachedLoader';
import { cacheKey } from '../core/cacheKeys';
import { isUpstreamError } from '../upstream/errors';
import { reasonForUpstreamError } from '../upstream/reasons';
import { checkHashring, parseHashrings, summarizePod } from './evaluate';
import { KubernetesClient, PodUsageByName } from './KubernetesClient';

/** What the resource metrics read gave: usage per pod, or why there is none. */
interface PodMetricsResult {
  usage?: PodUsageByName;
  /** Why there is no usage when that is no fault (the info reason `pod-metrics-unavailable`). */
  note?: HintedReason;
  error?: UpstreamErrorInfo;
}

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
      cacheKey('kubernetes', cluster, namespace),
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
    const [receive, agents, configMap, metrics] = await Promise.all([
      this.attempt(errors, () => client.listPods(namespace, s.receiveSelector)),
      this.attempt(errors, () => client.listPods(namespace, s.agentSelector)),
      this.attempt(configMapErrors, () =>
        client.readConfigMap(namespace, s.hashringConfigMap),
      ),
      this.podMetrics(client, namespace),
    ]);
    errors.push(...configMapErrors);
    const now = Date.now();
    const receivePods = (receive?.items ?? []).map(p =>
      summarizePod(
        p,
        'receive',
        s.restartThreshold,
        now,
        metrics.usage?.get(p.metadata?.name ?? ''),
      ),
    );
    const agentPods = (agents?.items ?? []).map(p =>
      summarizePod(
        p,
        'agent',
        s.restartThreshold,
        now,
        metrics.usage?.get(p.metadata?.name ?? ''),
      ),
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
      ...(metrics.note ? [metrics.note] : []),
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
    // Named in errors[] (the card shows it), but after the state: without usage the pods' health is
    // still known, only the near-limit check is skipped, so it does not make the view unknown. When
    // no pods list could be read either, the pods' errors already say why and this adds only noise.
    if (metrics.error && (receive || agents)) errors.push(metrics.error);
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

  /**
   * Memory usage of the namespace's pods (metrics.k8s.io). Never fails the view: a cluster without
   * metrics-server answers 404 for the whole API group, which is a normal setup (a kind cluster, for
   * one), not a fault; a user would still wonder why the usage column is
   * empty, so it gets an info note (no change of state) that links the section on installing
   * metrics-server. Any other failure (403 from RBAC, 503 from a registered but unavailable
   * metrics-server, a timeout) is a fault of the setup and is named in errors[].
   */
  private async podMetrics(
    client: KubernetesClient,
    namespace: string,
  ): Promise<PodMetricsResult> {
    try {
      return { usage: await client.listPodMetrics(namespace) };
    } catch (e) {
      if (!isUpstreamError(e)) throw e;
      if (e.info.kind === 'not-found') {
        return {
          note: {
            id: 'pod-metrics-unavailable',
            severity: 'info',
            message: `Cluster ${client.cluster.name} serves no resource metrics API (metrics.k8s.io/v1beta1 answered 404), so memory usage is not shown; install metrics-server to see it.`,
          },
        };
      }
      this.logger.warn(`Kubernetes: ${e.message}`);
      return { error: e.info };
    }
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
