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
import { CachedLoader } from '../service/CachedLoader';
import { reasonForUpstreamError } from '../service/FleetHealthService';
import { isUpstreamError } from '../upstream/errors';
import type { KubernetesSettings } from './config';
import { checkHashring, parseHashrings, summarizePod } from './evaluate';
import { KubernetesClient } from './KubernetesClient';

/** Pods of Thanos Receive and the Prometheus agent, and the receive hashring, per cluster. */
export class KubernetesService {
  private readonly clients = new Map<string, KubernetesClient>();
  private readonly loader: CachedLoader;

  constructor(
    readonly settings: KubernetesSettings,
    private readonly logger: LoggerService,
    cache?: CacheService,
  ) {
    for (const c of settings.clusters)
      this.clients.set(
        c.name,
        new KubernetesClient(c, settings.maxResponseBytes),
      );
    this.loader = new CachedLoader(cache, settings.cacheTtlSeconds);
  }

  clusterNames(): string[] {
    return [...this.clients.keys()];
  }

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
    const s = this.settings;
    const namespace = namespaceOverride ?? s.namespace;
    const { value, cached } = await this.loader.load(
      `fleet-monitoring:kubernetes:v1:${cluster}:${namespace}`,
      async () => {
        const before = client.calls;
        const errors: UpstreamErrorInfo[] = [];
        const [receive, agents, configMap] = await Promise.all([
          this.attempt(errors, () =>
            client.listPods(namespace, s.receiveSelector),
          ),
          this.attempt(errors, () =>
            client.listPods(namespace, s.agentSelector),
          ),
          client.readConfigMap(namespace, s.hashringConfigMap).then(
            ok => ({ ok, err: undefined as unknown }),
            err => ({ ok: undefined, err: err as unknown }),
          ),
        ]);
        const receivePods: PodSummary[] = (receive?.items ?? []).map(p =>
          summarizePod(p, 'receive', s.restartThreshold),
        );
        const agentPods: PodSummary[] = (agents?.items ?? []).map(p =>
          summarizePod(p, 'agent', s.restartThreshold),
        );

        let hashring: HashringCheck | undefined;
        const hashringBase = {
          configMap: `${namespace}/${s.hashringConfigMap}`,
          key: s.hashringKey,
          hashrings: [],
          missingPods: [],
          unknownEndpoints: [],
        };
        try {
          if (configMap.err) throw configMap.err;
          {
            const text = configMap.ok?.data?.[s.hashringKey];
            if (text === undefined) {
              hashring = {
                ...hashringBase,
                state: 'unknown',
                reasons: [
                  {
                    id: 'receive-hashring-file-errors',
                    severity: 'warning',
                    message: `ConfigMap ${namespace}/${s.hashringConfigMap} has no key "${s.hashringKey}".`,
                  },
                ],
              };
            } else if (receive) {
              hashring = checkHashring(
                `${namespace}/${s.hashringConfigMap}`,
                s.hashringKey,
                parseHashrings(text),
                receivePods,
              );
            }
          }
        } catch (e) {
          if (isUpstreamError(e)) {
            this.logger.warn(`Kubernetes: ${e.message}`);
            errors.push(e.info);
            hashring = {
              ...hashringBase,
              state: 'unknown',
              reasons: [reasonForUpstreamError(e.info)],
              error: e.info,
            };
          } else {
            hashring = {
              ...hashringBase,
              state: 'failing',
              reasons: [
                {
                  id: 'receive-hashring-file-errors',
                  severity: 'critical',
                  message: `The hashring in ${namespace}/${s.hashringConfigMap} key ${s.hashringKey} is not valid: ${(e as Error).message}`,
                },
              ],
            };
          }
        }

        const reasons: HintedReason[] = [
          ...receivePods.flatMap(p => p.reasons),
          ...agentPods.flatMap(p => p.reasons),
          ...(hashring?.reasons ?? []),
          ...errors
            .filter(e => e !== hashring?.error)
            .map(reasonForUpstreamError),
        ];
        let state: HealthState = [
          ...receivePods,
          ...agentPods,
        ].reduce<HealthState>((acc, p) => worstState(acc, p.state), 'healthy');
        if (hashring) state = worstState(state, hashring.state);
        if (errors.length) state = worstState(state, 'unknown');
        if (!receive && !agents) state = 'unknown';
        else if (receivePods.length + agentPods.length === 0)
          state = worstState(state, 'no-data');
        const view: KubernetesClusterView = {
          cluster,
          namespace,
          state,
          reasons,
          receivePods,
          agentPods,
          ...(hashring
            ? { hashring: JSON.parse(JSON.stringify(hashring)) }
            : {}),
          errors,
          upstreamCalls: client.calls - before,
          generatedAt: new Date().toISOString(),
        };
        return view as any;
      },
    );
    const result = value as unknown as KubernetesClusterView;
    return cached ? { ...result, upstreamCalls: 0 } : result;
  }
}
