import http from 'node:http';
import https from 'node:https';
import {
  ApiException,
  CoreV1Api,
  createConfiguration,
  KubeConfig,
  type PromiseHttpLibrary,
  type RequestContext,
  ResponseContext,
  ServerConfiguration,
  type V1ConfigMap,
  type V1PodList,
  wrapHttpLibrary,
} from '@kubernetes/client-node';
import type { KubernetesClusterConfig } from '../config';
import {
  errorDetail,
  isUpstreamError,
  UpstreamError,
  upstreamErrorForStatus,
} from '../upstream/errors';
import { failureToUpstreamError, readCapped } from '../upstream/http';

/**
 * client-node's transport with our limits: the same request and the TLS agent that client-node's
 * KubeConfig builds for this cluster (CA, skipTLSVerify, per cluster), sent with a timeout and a
 * response size cap, and network failures named like every other upstream's.
 */
function limitedTransport(
  upstream: string,
  timeoutMs: number,
  maxBytes: number,
): PromiseHttpLibrary {
  return {
    async send(request: RequestContext): Promise<ResponseContext> {
      const url = new URL(request.getUrl());
      const timeout = AbortSignal.timeout(timeoutMs);
      const body = request.getBody();
      try {
        const res = await new Promise<http.IncomingMessage>(
          (resolve, reject) => {
            const req = (url.protocol === 'https:' ? https : http).request(
              url,
              {
                method: request.getHttpMethod(),
                headers: request.getHeaders(),
                agent: request.getAgent(),
                signal: timeout,
              },
            );
            req.on('response', resolve);
            req.on('error', reject);
            req.end(typeof body === 'string' ? body : undefined);
          },
        );
        const status = res.statusCode ?? 0;
        const data = await readCapped(upstream, res, maxBytes, status);
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) {
          if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        }
        return new ResponseContext(status, headers, {
          text: async () => data.toString('utf8'),
          binary: async () => data,
        });
      } catch (e) {
        throw failureToUpstreamError(upstream, url, e, {
          aborted: timeout.aborted,
          ms: timeoutMs,
        });
      }
    },
  };
}

/** Advice for status errors of a cluster's API server. */
function kubernetesHint(cluster: KubernetesClusterConfig) {
  return (kind: string): string | undefined => {
    if (kind === 'unauthorized') {
      return `the API server rejected the service account token; check serviceAccountToken of cluster ${cluster.name} (${cluster.source})`;
    }
    if (kind === 'forbidden') {
      return 'RBAC denies it; grant the service account get/list on pods and get on the hashring ConfigMap';
    }
    return undefined;
  };
}

/**
 * The two core/v1 reads we need (pods by label selector, one ConfigMap) for one cluster, through
 * @kubernetes/client-node's CoreV1Api with a per-cluster KubeConfig (server, CA, skipTLSVerify,
 * service account token), as Backstage's own kubernetes backend builds it.
 */
export class KubernetesClient {
  readonly upstream: string;
  calls = 0;
  private readonly core: CoreV1Api;

  constructor(
    readonly cluster: KubernetesClusterConfig,
    maxResponseBytes: number,
  ) {
    this.upstream = `kubernetes:${cluster.name}`;
    const kc = new KubeConfig();
    kc.loadFromClusterAndUser(
      {
        name: cluster.name,
        server: cluster.url.toString().replace(/\/$/, ''),
        ...(cluster.ca
          ? { caData: Buffer.from(cluster.ca).toString('base64') }
          : {}),
        // client-node refuses http: servers unless this flag is set; plain HTTP (e.g. `kubectl proxy`)
        // has no TLS to verify, so for http: it changes nothing else.
        skipTLSVerify:
          cluster.skipTLSVerify || cluster.url.protocol === 'http:',
      },
      {
        name: 'fleet-monitoring',
        ...(cluster.serviceAccountToken
          ? { token: cluster.serviceAccountToken }
          : {}),
      },
    );
    this.core = new CoreV1Api(
      createConfiguration({
        baseServer: new ServerConfiguration(
          cluster.url.toString().replace(/\/$/, ''),
          {},
        ),
        authMethods: { default: kc },
        httpApi: wrapHttpLibrary(
          limitedTransport(this.upstream, cluster.timeoutMs, maxResponseBytes),
        ),
      }),
    );
  }

  /** Runs one call; every failure becomes an UpstreamError naming the cluster and the call. */
  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    this.calls++;
    try {
      return await fn();
    } catch (e) {
      if (isUpstreamError(e)) throw e;
      if (e instanceof ApiException) {
        const body = typeof e.body === 'string' ? e.body : undefined;
        throw upstreamErrorForStatus({
          upstream: this.upstream,
          status: e.code,
          what,
          detail: body ? errorDetail(body, 'application/json') : undefined,
          hint: kubernetesHint(this.cluster),
        });
      }
      // A 200 whose body client-node cannot deserialise.
      throw new UpstreamError(
        this.upstream,
        'bad-response',
        `${what}: ${(e as Error).message.slice(0, 200)}`,
      );
    }
  }

  listPods(namespace: string, labelSelector: string): Promise<V1PodList> {
    return this.call(
      `listing pods "${labelSelector}" in namespace ${namespace}`,
      () => this.core.listNamespacedPod({ namespace, labelSelector }),
    );
  }

  readConfigMap(namespace: string, name: string): Promise<V1ConfigMap> {
    return this.call(`reading ConfigMap ${namespace}/${name}`, () =>
      this.core.readNamespacedConfigMap({ name, namespace }),
    );
  }
}
