import type { UpstreamErrorKind } from '@fleet-monitoring/plugin-monitoring-common';
import { Agent, type Dispatcher } from 'undici';
import { UpstreamError } from '../upstream/errors';
import {
  dispatcherFor,
  parseJsonBody,
  upstreamRequest,
  UpstreamResponse,
} from '../upstream/http';
import type { KubernetesClusterConfig } from './config';
import type { K8sConfigMap, K8sPodList, K8sStatus } from './types';

/**
 * The two core/v1 reads we need (pods by label selector, one ConfigMap), per cluster, with the same
 * timeout, size cap and error naming as every other upstream.
 *
 * Why not @kubernetes/client-node here: 2.0.x loads undici 8, which needs Node >= 22.19 and fails to
 * load on the Node 20 this project supports (createZstdDecompress is missing). The requests below are
 * exactly the ones its CoreV1Api sends (listNamespacedPod / readNamespacedConfigMap), and the
 * per-cluster TLS options mirror its KubeConfig (caData, skipTLSVerify per cluster).
 */
export class KubernetesClient {
  readonly upstream: string;
  calls = 0;
  private readonly dispatcher?: Dispatcher;

  constructor(
    readonly cluster: KubernetesClusterConfig,
    private readonly maxBytes: number,
  ) {
    this.upstream = `kubernetes:${cluster.name}`;
    if (cluster.skipTLSVerify) {
      // Only this cluster's connections skip verification; the process default stays strict.
      this.dispatcher = new Agent({
        connect: {
          rejectUnauthorized: false,
          ...(cluster.ca ? { ca: cluster.ca } : {}),
        },
      });
    } else {
      this.dispatcher = dispatcherFor(cluster.ca);
    }
  }

  private async get<T>(
    path: string,
    query: URLSearchParams | undefined,
    what: string,
  ): Promise<T> {
    const url = new URL(path, this.cluster.url);
    if (query) url.search = query.toString();
    this.calls++;
    const res = await upstreamRequest({
      upstream: this.upstream,
      url,
      headers: this.cluster.serviceAccountToken
        ? { authorization: `Bearer ${this.cluster.serviceAccountToken}` }
        : {},
      timeoutMs: this.cluster.timeoutMs,
      maxBytes: this.maxBytes,
      dispatcher: this.dispatcher,
    });
    if (res.status !== 200) this.fail(res, what);
    return parseJsonBody<T>(this.upstream, res);
  }

  private fail(res: UpstreamResponse, what: string): never {
    let status: K8sStatus | undefined;
    try {
      status = JSON.parse(res.body.toString('utf8'));
    } catch {
      status = undefined;
    }
    const detail = status?.message ? `: ${status.message.slice(0, 300)}` : '';
    let kind: UpstreamErrorKind = 'http-error';
    let message = `${what} failed with HTTP ${res.status}${detail}`;
    if (res.status === 401) {
      kind = 'unauthorized';
      message = `the Kubernetes API rejected the service account token while ${what} (401${detail}); check serviceAccountToken of cluster ${this.cluster.name} (${this.cluster.source})`;
    } else if (res.status === 403) {
      kind = 'forbidden';
      message = `RBAC denies ${what} (403${detail}); grant the service account get/list on pods and get on the hashring ConfigMap`;
    } else if (res.status === 404) {
      kind = 'not-found';
      message = `${what}: not found (404${detail})`;
    }
    throw new UpstreamError(this.upstream, kind, message, res.status);
  }

  listPods(namespace: string, labelSelector: string): Promise<K8sPodList> {
    return this.get<K8sPodList>(
      `api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
      new URLSearchParams({ labelSelector }),
      `listing pods "${labelSelector}" in namespace ${namespace}`,
    );
  }

  readConfigMap(namespace: string, name: string): Promise<K8sConfigMap> {
    return this.get<K8sConfigMap>(
      `api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps/${encodeURIComponent(name)}`,
      undefined,
      `reading ConfigMap ${namespace}/${name}`,
    );
  }
}
