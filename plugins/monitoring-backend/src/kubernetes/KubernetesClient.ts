import http from 'node:http';
import https from 'node:https';
import {
  ApiException,
  CoreV1Api,
  createConfiguration,
  HttpMethod,
  KubeConfig,
  type PodMetricsList,
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
import { parseQuantity } from './quantity';

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

const CORE_RBAC =
  'RBAC denies it; grant the service account get/list on pods and get on the hashring ConfigMap';
const METRICS_RBAC =
  'RBAC denies it; grant the service account get/list on pods in API group metrics.k8s.io (apiGroups: ["metrics.k8s.io"], resources: ["pods"])';

/** Advice for status errors of a cluster's API server. */
function kubernetesHint(cluster: KubernetesClusterConfig, forbidden: string) {
  return (kind: string): string | undefined => {
    if (kind === 'unauthorized') {
      return `the API server rejected the service account token; check serviceAccountToken of cluster ${cluster.name} (${cluster.source})`;
    }
    if (kind === 'forbidden') return forbidden;
    return undefined;
  };
}

/**
 * One container's usage in a PodMetrics item. The shape is k8s.io/metrics
 * pkg/apis/metrics/v1beta1/types.go (PodMetricsList.items[] = PodMetrics {metadata, timestamp,
 * window, containers[] = ContainerMetrics {name, usage: ResourceList}}; "The memory usage is the
 * memory working set"), as @kubernetes/client-node's `PodMetricsList` (dist/metrics.d.ts) types it
 * and its `Metrics.getPodMetrics` requests it: GET /apis/metrics.k8s.io/v1beta1/namespaces/{ns}/pods.
 */
export interface ContainerUsage {
  /** The working set as reported, a Kubernetes quantity (e.g. "1916Mi"). */
  memory: string;
}

/** Per pod name, per container name: what the resource metrics API reported. */
export type PodUsageByName = Map<string, Map<string, ContainerUsage>>;

/** Checks the parts of a PodMetricsList we read; anything else is not this API's answer. */
function usageByPod(body: unknown): PodUsageByName {
  const list = body as Partial<PodMetricsList> | null;
  if (!list || typeof list !== 'object' || !Array.isArray(list.items)) {
    throw new Error('the answer is not a PodMetricsList (no "items" array)');
  }
  const out: PodUsageByName = new Map();
  for (const item of list.items) {
    const name = item?.metadata?.name;
    if (typeof name !== 'string' || !Array.isArray(item.containers)) {
      throw new Error(
        'a PodMetrics item has no metadata.name or no containers array',
      );
    }
    const containers = new Map<string, ContainerUsage>();
    for (const c of item.containers) {
      // A container without a memory sample is left out, not guessed.
      if (typeof c?.name !== 'string' || typeof c.usage?.memory !== 'string')
        continue;
      // A quantity that does not parse is an answer we cannot trust: say so rather than guess.
      let bytes: number;
      try {
        bytes = parseQuantity(c.usage.memory);
      } catch (e) {
        throw new Error(
          `memory usage of ${name}/${c.name}: ${(e as Error).message}`,
        );
      }
      if (bytes < 0) {
        throw new Error(
          `memory usage of ${name}/${c.name} is negative (${c.usage.memory})`,
        );
      }
      containers.set(c.name, { memory: c.usage.memory });
    }
    out.set(name, containers);
  }
  return out;
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
  private readonly kc: KubeConfig;
  private readonly server: ServerConfiguration<{}>;
  private readonly transport: PromiseHttpLibrary;

  constructor(
    readonly cluster: KubernetesClusterConfig,
    maxResponseBytes: number,
  ) {
    this.upstream = `kubernetes:${cluster.name}`;
    const kc = new KubeConfig();
    this.kc = kc;
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
    this.server = new ServerConfiguration(
      cluster.url.toString().replace(/\/$/, ''),
      {},
    );
    this.transport = limitedTransport(
      this.upstream,
      cluster.timeoutMs,
      maxResponseBytes,
    );
    this.core = new CoreV1Api(
      createConfiguration({
        baseServer: this.server,
        authMethods: { default: kc },
        httpApi: wrapHttpLibrary(this.transport),
      }),
    );
  }

  /** Runs one call; every failure becomes an UpstreamError naming the cluster and the call. */
  private async call<T>(
    what: string,
    fn: () => Promise<T>,
    forbiddenHint = CORE_RBAC,
  ): Promise<T> {
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
          hint: kubernetesHint(this.cluster, forbiddenHint),
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

  /**
   * Memory working set of every pod in the namespace from the resource metrics API
   * (metrics.k8s.io/v1beta1, served by metrics-server), the source Backstage's own Kubernetes plugin
   * and `kubectl top` use. client-node's `Metrics` class sends it with its own fetch, outside our
   * timeout and size cap, so the same request goes through this cluster's transport and
   * authentication instead. One call for the namespace rather than one per selector: PodMetrics
   * carry no pod spec, and the pods lists say which ones we show. A 404 (no metrics API served)
   * surfaces as an UpstreamError of kind `not-found`, like every other status.
   */
  listPodMetrics(namespace: string): Promise<PodUsageByName> {
    const what = `reading pod metrics (metrics.k8s.io/v1beta1) in namespace ${namespace}`;
    return this.call(
      what,
      async () => {
        const request = this.server.makeRequestContext(
          `/apis/metrics.k8s.io/v1beta1/namespaces/${encodeURIComponent(namespace)}/pods`,
          HttpMethod.GET,
        );
        request.setHeaderParam('Accept', 'application/json');
        await this.kc.applySecurityAuthentication(request);
        const res = await this.transport.send(request);
        const text = await res.body.text();
        if (res.httpStatusCode !== 200) {
          throw new ApiException(
            res.httpStatusCode,
            'metrics.k8s.io',
            text,
            res.headers,
          );
        }
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          throw new Error('the answer is not JSON');
        }
        return usageByPod(body);
      },
      METRICS_RBAC,
    );
  }
}
