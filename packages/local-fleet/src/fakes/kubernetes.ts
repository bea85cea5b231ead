import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { labelSelectorMatches } from './labelSelector';
import { closeServer, listenOnLoopback } from './loopbackServer';

/**
 * A contract fake of the Kubernetes core/v1 API for what Fleet Monitoring reads
 * (shared/contracts/kubernetes/NOTES.md): `GET /api/v1/namespaces/{ns}/pods?labelSelector=`,
 * `GET /api/v1/pods?labelSelector=`, `GET /api/v1/namespaces/{ns}/configmaps/{name}`, and the
 * resource metrics API that metrics-server adds, `GET /apis/metrics.k8s.io/v1beta1/namespaces/{ns}/pods`
 * (a PodMetricsList, shape from k8s.io/metrics pkg/apis/metrics/v1beta1/types.go). Errors are
 * `Status` objects (401 Unauthorized, 403 Forbidden naming the RBAC verb, 404 NotFound with details).
 */

export interface FakePodSpec {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  podIP?: string;
  ready?: boolean;
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  restarts?: number;
  container?: string;
  memoryRequest?: string;
  memoryLimit?: string;
  /** The previous run was OOMKilled (lastState.terminated). */
  lastOomKilledAt?: string;
  /** The container is dead right now, OOMKilled and not yet restarted (state.terminated). */
  oomKilledNow?: boolean;
  /** Current waiting reason, e.g. CrashLoopBackOff. */
  waitingReason?: string;
  /**
   * Memory working set the metrics API reports for the container, a quantity as metrics-server
   * writes it (e.g. "712704Ki"). Without it the pod has no PodMetrics item, as for a pod
   * metrics-server has no sample of yet.
   */
  memoryUsage?: string;
}

export type KubernetesFault = 'down' | 'slow' | 'unauthorized';

export interface KubernetesFakeOptions {
  pods?: FakePodSpec[];
  configMaps?: Array<{
    namespace: string;
    name: string;
    data: Record<string, string>;
  }>;
  /** Accepted bearer tokens; empty accepts none. */
  tokens?: string[];
  /** Service account name used in 403 messages. */
  serviceAccount?: string;
  port?: number;
  /** Serve HTTPS with this key and certificate (see selfSignedCertificate), as real API servers do. */
  tls?: { key: string; cert: string };
  /** Serve the metrics.k8s.io API (metrics-server installed); default true. */
  metricsApi?: boolean;
}

/**
 * A throw-away key and self-signed certificate for 127.0.0.1 (openssl), so a test can give one
 * cluster the CA and check that another, without it, is refused.
 */
export function selfSignedCertificate(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    return {
      key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'),
      cert: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A kube-thanos style receive pod. */
export function receivePod(
  i: number,
  extra: Partial<FakePodSpec> = {},
): FakePodSpec {
  return {
    name: `thanos-receive-${i}`,
    labels: {
      'app.kubernetes.io/name': 'thanos-receive',
      'app.kubernetes.io/component': 'database-write-hashring',
    },
    podIP: `10.0.1.${10 + i}`,
    container: 'thanos-receive',
    memoryRequest: '1Gi',
    memoryLimit: '2Gi',
    // About 34 % of the limit: a receiver with headroom.
    memoryUsage: '712704Ki',
    ...extra,
  };
}

export function agentPod(
  name = 'prometheus-agent-0',
  extra: Partial<FakePodSpec> = {},
): FakePodSpec {
  return {
    name,
    labels: {
      'app.kubernetes.io/name': 'prometheus',
      'app.kubernetes.io/component': 'agent',
    },
    podIP: '10.0.2.10',
    container: 'prometheus',
    memoryRequest: '256Mi',
    memoryLimit: '512Mi',
    memoryUsage: '180224Ki',
    ...extra,
  };
}

/** Hashring file content naming receive pods by their stable DNS names. */
export function hashringJson(
  pods: string[],
  namespace = 'monitoring',
  service = 'thanos-receive',
): string {
  return JSON.stringify([
    {
      hashring: 'default',
      endpoints: pods.map(
        p => `${p}.${service}.${namespace}.svc.cluster.local:10901`,
      ),
    },
  ]);
}

export class KubernetesFake {
  private server?: http.Server;
  pods: FakePodSpec[];
  configMaps: Map<string, Record<string, string>>;
  tokens: Set<string>;
  /**
   * `<verb> <resource> <namespace>` combinations RBAC denies, e.g. `list pods monitoring`;
   * `list pods.metrics.k8s.io monitoring` denies the pod metrics.
   */
  forbidden = new Set<string>();
  /** Whether the metrics.k8s.io API is served (metrics-server installed); a 404 when not. */
  metricsApi: boolean;
  fault?: KubernetesFault;
  slowMs = 5_000;
  port = 0;
  requests: string[] = [];
  private readonly serviceAccount: string;
  private readonly tls?: { key: string; cert: string };

  constructor(options: KubernetesFakeOptions = {}) {
    this.pods = options.pods ?? [];
    this.configMaps = new Map(
      (options.configMaps ?? []).map(c => [`${c.namespace}/${c.name}`, c.data]),
    );
    this.tokens = new Set(options.tokens ?? []);
    this.serviceAccount =
      options.serviceAccount ??
      'system:serviceaccount:backstage:fleet-monitoring';
    this.port = options.port ?? 0;
    this.tls = options.tls;
    this.metricsApi = options.metricsApi ?? true;
  }

  get url(): string {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  setConfigMap(namespace: string, name: string, data: Record<string, string>) {
    this.configMaps.set(`${namespace}/${name}`, data);
  }

  async start(): Promise<void> {
    ({ server: this.server, port: this.port } = await listenOnLoopback(
      this.port,
      (req, res) => this.handle(req, res),
      (res, err) => this.status(res, 500, 'InternalError', String(err)),
      this.tls,
    ));
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
    this.server = undefined;
  }

  private send(res: http.ServerResponse, code: number, body: unknown) {
    const text = JSON.stringify(body);
    res.writeHead(code, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  /** A meta/v1 Status failure. */
  private status(
    res: http.ServerResponse,
    code: number,
    reason: string,
    message: string,
    details?: { name?: string; group?: string; kind?: string },
  ) {
    this.send(res, code, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    this.requests.push(`${req.method} ${url.pathname}`);
    if (this.fault === 'down') {
      req.socket.destroy();
      return;
    }
    // unref: a stopped fake must not keep the test process alive for a slow answer nobody awaits.
    if (this.fault === 'slow')
      await new Promise(r => setTimeout(r, this.slowMs).unref());
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    if (this.fault === 'unauthorized' || !token || !this.tokens.has(token)) {
      this.status(res, 401, 'Unauthorized', 'Unauthorized');
      return;
    }
    if (req.method !== 'GET') {
      this.status(
        res,
        405,
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
      );
      return;
    }

    let m = /^\/api\/v1\/(?:namespaces\/([^/]+)\/)?pods$/.exec(url.pathname);
    if (m) {
      const ns = m[1] ? decodeURIComponent(m[1]) : undefined;
      if (this.forbidden.has(`list pods ${ns ?? '*'}`)) {
        this.status(
          res,
          403,
          'Forbidden',
          `pods is forbidden: User "${this.serviceAccount}" cannot list resource "pods" in API group "" ${ns ? `in the namespace "${ns}"` : 'at the cluster scope'}`,
          { kind: 'pods' },
        );
        return;
      }
      let items;
      try {
        const selector = url.searchParams.get('labelSelector') ?? '';
        items = this.pods.filter(
          p =>
            (!ns || (p.namespace ?? 'monitoring') === ns) &&
            labelSelectorMatches(selector, p.labels ?? {}),
        );
      } catch (e) {
        this.status(
          res,
          400,
          'BadRequest',
          `unable to parse requirement: ${(e as Error).message}`,
        );
        return;
      }
      this.send(res, 200, {
        kind: 'PodList',
        apiVersion: 'v1',
        metadata: { resourceVersion: '123456' },
        items: items.map(p => this.renderPod(p)),
      });
      return;
    }
    m = /^\/apis\/metrics\.k8s\.io\/v1beta1\/namespaces\/([^/]+)\/pods$/.exec(
      url.pathname,
    );
    // Without metrics-server the API group is not registered: the generic 404 below.
    if (m && this.metricsApi) {
      const ns = decodeURIComponent(m[1]);
      if (this.forbidden.has(`list pods.metrics.k8s.io ${ns}`)) {
        this.status(
          res,
          403,
          'Forbidden',
          `pods.metrics.k8s.io is forbidden: User "${this.serviceAccount}" cannot list resource "pods" in API group "metrics.k8s.io" in the namespace "${ns}"`,
          { group: 'metrics.k8s.io', kind: 'pods' },
        );
        return;
      }
      this.send(res, 200, {
        kind: 'PodMetricsList',
        apiVersion: 'metrics.k8s.io/v1beta1',
        metadata: {},
        items: this.pods
          .filter(p => (p.namespace ?? 'monitoring') === ns)
          .flatMap(p => this.renderPodMetrics(p) ?? []),
      });
      return;
    }
    m = /^\/api\/v1\/namespaces\/([^/]+)\/configmaps\/([^/]+)$/.exec(
      url.pathname,
    );
    if (m) {
      const [ns, name] = [decodeURIComponent(m[1]), decodeURIComponent(m[2])];
      if (this.forbidden.has(`get configmaps ${ns}`)) {
        this.status(
          res,
          403,
          'Forbidden',
          `configmaps "${name}" is forbidden: User "${this.serviceAccount}" cannot get resource "configmaps" in API group "" in the namespace "${ns}"`,
          { name, kind: 'configmaps' },
        );
        return;
      }
      const data = this.configMaps.get(`${ns}/${name}`);
      if (!data) {
        this.status(res, 404, 'NotFound', `configmaps "${name}" not found`, {
          name,
          kind: 'configmaps',
        });
        return;
      }
      this.send(res, 200, {
        kind: 'ConfigMap',
        apiVersion: 'v1',
        metadata: {
          name,
          namespace: ns,
          uid: `cm-${name}`,
          resourceVersion: '4711',
          creationTimestamp: '2026-08-01T00:00:00Z',
        },
        data,
      });
      return;
    }
    this.status(
      res,
      404,
      'NotFound',
      'the server could not find the requested resource',
    );
  }

  /**
   * A PodMetrics item as metrics-server serialises it in a list (no kind/apiVersion; memory is the
   * working set): only for a running container with a sample, as metrics-server has none for a
   * dead or not yet started one.
   */
  renderPodMetrics(p: FakePodSpec) {
    const running =
      (p.phase ?? 'Running') === 'Running' &&
      !p.oomKilledNow &&
      !p.waitingReason;
    if (!running || p.memoryUsage === undefined) return undefined;
    const now = new Date();
    return {
      metadata: {
        name: p.name,
        namespace: p.namespace ?? 'monitoring',
        creationTimestamp: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        labels: p.labels ?? {},
      },
      timestamp: new Date(now.getTime() - 7_000)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
      window: '15.01s',
      containers: [
        {
          name: p.container ?? 'main',
          usage: { cpu: '23456789n', memory: p.memoryUsage },
        },
      ],
    };
  }

  /** The container's current state: OOM-killed, waiting (e.g. CrashLoopBackOff) or running. */
  private containerState(p: FakePodSpec, now: string) {
    if (p.oomKilledNow) {
      return {
        terminated: {
          exitCode: 137,
          reason: 'OOMKilled',
          startedAt: now,
          finishedAt: '2026-08-22T09:41:12Z',
          containerID: `containerd://${p.name}`,
        },
      };
    }
    if (p.waitingReason) {
      return {
        waiting: {
          reason: p.waitingReason,
          message: 'back-off 5m0s restarting failed container',
        },
      };
    }
    return { running: { startedAt: now } };
  }

  /** A v1 Pod as the API server serialises it (list items carry no kind/apiVersion). */
  renderPod(p: FakePodSpec) {
    const ns = p.namespace ?? 'monitoring';
    const container = p.container ?? 'main';
    const ready = p.ready ?? !(p.oomKilledNow || p.waitingReason);
    const now = '2026-08-22T09:00:00Z';
    const state = this.containerState(p, now);
    const lastState = p.lastOomKilledAt
      ? {
          terminated: {
            exitCode: 137,
            reason: 'OOMKilled',
            startedAt: '2026-08-22T08:00:00Z',
            finishedAt: p.lastOomKilledAt,
            containerID: `containerd://${p.name}-old`,
          },
        }
      : {};
    const resources: Record<string, Record<string, string>> = {};
    if (p.memoryRequest)
      resources.requests = { memory: p.memoryRequest, cpu: '100m' };
    if (p.memoryLimit) resources.limits = { memory: p.memoryLimit };
    return {
      metadata: {
        name: p.name,
        namespace: ns,
        uid: `uid-${p.name}`,
        labels: p.labels ?? {},
        creationTimestamp: '2026-08-20T10:00:00Z',
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'StatefulSet',
            name: p.name.replace(/-\d+$/, ''),
            uid: 'sts',
            controller: true,
          },
        ],
      },
      spec: {
        nodeName: 'node-1',
        containers: [
          {
            name: container,
            image: 'quay.io/thanos/thanos:v0.39.2',
            resources,
          },
        ],
      },
      status: {
        phase: p.phase ?? 'Running',
        qosClass: 'Burstable',
        podIP: p.podIP,
        conditions: [
          { type: 'Initialized', status: 'True', lastTransitionTime: now },
          {
            type: 'Ready',
            status: ready ? 'True' : 'False',
            lastTransitionTime: now,
          },
          {
            type: 'ContainersReady',
            status: ready ? 'True' : 'False',
            lastTransitionTime: now,
          },
          { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
        ],
        containerStatuses: [
          {
            name: container,
            ready,
            started: !p.oomKilledNow,
            restartCount: p.restarts ?? 0,
            image: 'quay.io/thanos/thanos:v0.39.2',
            imageID: 'quay.io/thanos/thanos@sha256:0000',
            containerID: `containerd://${p.name}`,
            state,
            lastState,
          },
        ],
      },
    };
  }
}
