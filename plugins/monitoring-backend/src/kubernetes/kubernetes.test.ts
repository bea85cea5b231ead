import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  agentPod,
  FakePodSpec,
  hashringJson,
  KubernetesFake,
  receivePod,
  selfSignedCertificate,
} from '@fleet-monitoring/local-fleet';
import { OOM_KILLED_HINTS } from '@fleet-monitoring/plugin-monitoring-common';
import type { V1Pod } from '@kubernetes/client-node';
import request from 'supertest';
import { readPluginConfig } from '../config';
import { fleetMonitoringPlugin } from '../plugin';
import { KubernetesClient } from './KubernetesClient';
import {
  checkHashring,
  parseHashrings,
  podForEndpoint,
  summarizePod,
} from './evaluate';

describe('evaluation', () => {
  const fake = new KubernetesFake({ tokens: ['t'] });
  let client: KubernetesClient;
  beforeAll(async () => {
    await fake.start();
    client = new KubernetesClient(
      {
        name: 'eval',
        url: new URL(`${fake.url}/`),
        serviceAccountToken: 't',
        skipTLSVerify: false,
        timeoutMs: 2000,
        source: 'fleetMonitoring.kubernetes',
      },
      1 << 20,
    );
  });
  afterAll(() => fake.stop());

  /** The pod as @kubernetes/client-node hands it to us (timestamps as Dates), read from the fake. */
  async function read(spec: FakePodSpec): Promise<V1Pod> {
    fake.pods = [spec];
    const list = await client.listPods('monitoring', 'app.kubernetes.io/name');
    return list.items[0];
  }

  it('flags OOMKilled in lastState and in state with the FAQ hints', async () => {
    const last = summarizePod(
      await read(
        receivePod(1, { restarts: 1, lastOomKilledAt: '2026-08-22T09:41:12Z' }),
      ),
      'receive',
      3,
      Date.parse('2026-08-22T10:00:00Z'),
    );
    expect(last.reasons.map(r => r.id)).toEqual([
      'pod-oom-killed',
      'pod-restarting',
    ]);
    expect(last.reasons[0].message).toMatch(
      /exit code 137.*memory limit 2Gi, request 1Gi/,
    );
    expect(last.reasons[0].hints?.[0]).toMatch(/2Gi -> 4Gi/);
    expect(last.containers[0]).toMatchObject({
      lastTerminationReason: 'OOMKilled',
      lastTerminationExitCode: 137,
      lastTerminationAt: '2026-08-22T09:41:12.000Z',
      memoryLimit: '2Gi',
      oomKilled: true,
    });
    const now = summarizePod(
      await read(receivePod(2, { oomKilledNow: true })),
      'receive',
      3,
    );
    expect(now.reasons.map(r => r.id)).toEqual([
      'pod-oom-killed',
      'pod-not-ready',
    ]);
    expect(now.state).toBe('failing');
  });

  it('does not call exit code 137 alone OOM; flags restarts above the threshold', async () => {
    const pod = await read(receivePod(0, { restarts: 5 }));
    pod.status!.containerStatuses![0].lastState = {
      terminated: {
        exitCode: 137,
        reason: 'Error',
        finishedAt: new Date('2026-01-01T00:00:00Z'),
      },
    };
    const s = summarizePod(pod, 'receive', 3);
    expect(s.reasons.map(r => r.id)).toEqual(['pod-restarting']);
    expect(s.state).toBe('degraded');
  });

  it('adds memory usage from the metrics API and flags a working set at 90 % of the limit', async () => {
    const pod = await read(receivePod(0));
    const usage = (memory: string) => new Map([['thanos-receive', { memory }]]);
    const near = summarizePod(pod, 'receive', 3, Date.now(), usage('1916Mi'));
    expect(near.containers[0]).toMatchObject({
      memoryLimit: '2Gi',
      memoryLimitBytes: 2 * 2 ** 30,
      memoryUsage: '1916Mi',
      memoryUsageBytes: 1916 * 2 ** 20,
    });
    expect(near.reasons.map(r => r.id)).toEqual(['pod-memory-near-limit']);
    expect(near.reasons[0]).toMatchObject({
      severity: 'warning',
      value: 0.936,
      threshold: 0.9,
      hints: [...OOM_KILLED_HINTS],
    });
    expect(near.reasons[0].message).toBe(
      'thanos-receive-0/thanos-receive uses 1916Mi of its 2Gi memory limit (93.6 %, working set from metrics.k8s.io); at the limit the kernel OOM-kills it.',
    );
    expect(near.state).toBe('degraded');
    // At exactly 90 % it counts (900Mi of 1000Mi); one Ki less does not.
    const limited = await read(receivePod(0, { memoryLimit: '1000Mi' }));
    expect(
      summarizePod(limited, 'receive', 3, Date.now(), usage('900Mi')).reasons,
    ).toHaveLength(1);
    const below = summarizePod(
      limited,
      'receive',
      3,
      Date.now(),
      usage('921599Ki'),
    );
    expect(below.reasons).toEqual([]);
    expect(below.containers[0].memoryUsageBytes).toBe(921599 * 1024);
    // Another container's usage, or none at all, leaves usage out; the limit is still in bytes.
    const other = summarizePod(
      pod,
      'receive',
      3,
      Date.now(),
      new Map([['sidecar', { memory: '1Gi' }]]),
    );
    expect(other.containers[0]).not.toHaveProperty('memoryUsage');
    expect(other.containers[0].memoryLimitBytes).toBe(2 ** 31);
    // No limit: nothing to be near.
    const unlimited = await read(receivePod(0, { memoryLimit: undefined }));
    expect(
      summarizePod(unlimited, 'receive', 3, Date.now(), usage('64Gi')).reasons,
    ).toEqual([]);
  });

  it('reads pod metrics through the cluster transport and refuses a malformed quantity', async () => {
    fake.pods = [
      receivePod(0),
      agentPod(),
      receivePod(1, { memoryUsage: undefined }),
    ];
    const usage = await client.listPodMetrics('monitoring');
    expect([...usage.keys()]).toEqual([
      'thanos-receive-0',
      'prometheus-agent-0',
    ]);
    expect(usage.get('prometheus-agent-0')?.get('prometheus')).toEqual({
      memory: '180224Ki',
    });
    fake.pods = [receivePod(0, { memoryUsage: '12 parsecs' })];
    await expect(client.listPodMetrics('monitoring')).rejects.toMatchObject({
      info: {
        upstream: 'kubernetes:eval',
        kind: 'bad-response',
        message: expect.stringMatching(
          /pod metrics .*memory usage of thanos-receive-0\/thanos-receive: "12 parsecs" is not a Kubernetes quantity/,
        ),
      },
    });
    fake.pods = [receivePod(0, { memoryUsage: '-5Mi' })];
    await expect(client.listPodMetrics('monitoring')).rejects.toMatchObject({
      info: { kind: 'bad-response' },
    });
  });

  it('matches hashring endpoints by pod DNS name or pod IP', () => {
    const pods = [
      { name: 'thanos-receive-0', podIP: '10.0.1.10' },
      { name: 'thanos-receive-1', podIP: '10.0.1.11' },
    ];
    expect(
      podForEndpoint(
        'thanos-receive-0.thanos-receive.monitoring.svc.cluster.local:10901',
        pods,
      ),
    ).toBe('thanos-receive-0');
    expect(podForEndpoint('thanos-receive-1.thanos-receive:10901', pods)).toBe(
      'thanos-receive-1',
    );
    expect(podForEndpoint('10.0.1.11:10901', pods)).toBe('thanos-receive-1');
    expect(podForEndpoint('thanos-receive-10.x:10901', pods)).toBeUndefined();
    const rings = parseHashrings(
      JSON.stringify([
        {
          hashring: 'a',
          endpoints: [
            '10.0.1.10:10901',
            { address: 'thanos-receive-9.svc:10901' },
          ],
        },
      ]),
    );
    const check = checkHashring('monitoring/h', 'hashrings.json', rings, pods);
    expect(check.missingPods).toEqual(['thanos-receive-1']);
    expect(check.unknownEndpoints).toEqual(['thanos-receive-9.svc:10901']);
    expect(check.reasons.map(r => r.id)).toEqual([
      'hashring-endpoint-missing',
      'hashring-endpoint-unknown',
    ]);
    expect(() => parseHashrings('{"endpoints":[]}')).toThrow(/array/);
  });

  it('reads clusters from our config and from Backstage kubernetes.clusterLocatorMethods', () => {
    const { kubernetes: s } = readPluginConfig(
      new ConfigReader({
        fleetMonitoring: {
          // Every answer is checked against the OpenAPI document by the router itself.
          validateResponses: true,
          kubernetes: {
            hashringKey: 'h.json',
            clusters: [
              {
                name: 'a',
                url: 'https://a.example.com',
                serviceAccountToken: 't',
              },
            ],
          },
        },
        kubernetes: {
          clusterLocatorMethods: [
            { type: 'catalog' },
            {
              type: 'config',
              clusters: [
                { name: 'a', url: 'https://dup' },
                {
                  name: 'b',
                  url: 'https://b.example.com',
                  serviceAccountToken: 'u',
                  skipTLSVerify: true,
                },
                { name: 'c', url: 'https://c', authProvider: 'google' },
              ],
            },
          ],
        },
      }),
    );
    expect(
      s.clusters.map(c => [c.name, c.url.host, c.skipTLSVerify, c.source]),
    ).toEqual([
      ['a', 'a.example.com', false, 'fleetMonitoring.kubernetes'],
      ['b', 'b.example.com', true, 'kubernetes.clusterLocatorMethods'],
    ]);
    expect(s.hashringKey).toBe('h.json');
    expect(s.hashringConfigMap).toBe('thanos-receive-hashring');
  });
});

describe('GET /entity/:kind/:namespace/:name/kubernetes', () => {
  let edge: KubernetesFake;
  let core: KubernetesFake;
  // Both API servers speak HTTPS with their own self-signed CA, as real ones do.
  const edgeTls = selfSignedCertificate();
  const coreTls = selfSignedCertificate();
  beforeAll(async () => {
    edge = new KubernetesFake({
      tls: edgeTls,
      tokens: ['edge-token'],
      pods: [
        receivePod(0),
        receivePod(1, { restarts: 4, lastOomKilledAt: '2026-08-22T09:41:12Z' }),
        // 1916Mi of 2Gi: near its limit.
        receivePod(2, { memoryUsage: '1916Mi' }),
        agentPod(),
      ],
      configMaps: [
        {
          namespace: 'monitoring',
          name: 'thanos-receive-hashring',
          data: {
            'hashrings.json': hashringJson([
              'thanos-receive-0',
              'thanos-receive-1',
              'thanos-receive-3',
            ]),
          },
        },
      ],
    });
    core = new KubernetesFake({
      tls: coreTls,
      tokens: ['core-token'],
      pods: [receivePod(0)],
    });
    await Promise.all([edge.start(), core.start()]);
  });
  afterAll(() => Promise.all([edge.stop(), core.stop()]));
  beforeEach(() => {
    for (const f of [edge, core]) {
      f.fault = undefined;
      f.forbidden.clear();
      f.metricsApi = true;
      f.requests = [];
    }
  });

  const resource = (name: string, annotations: Record<string, string>) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'kubernetes-cluster', owner: 'team-a' },
  });

  async function backend(opts: { deny?: boolean; dead?: string } = {}) {
    const { server } = await startTestBackend({
      features: [
        fleetMonitoringPlugin,
        mockServices.rootConfig.factory({
          data: {
            fleetMonitoring: {
              // Every answer is checked against the OpenAPI document by the router itself.
              validateResponses: true,
              cache: { ttlSeconds: 0 },
              kubernetes: {
                clusters: [
                  {
                    name: 'edge',
                    url: edge.url,
                    serviceAccountToken: 'edge-token',
                    caData: edgeTls.cert,
                    timeoutMs: 500,
                  },
                  // The edge server, but trusting the wrong CA: TLS must fail for this cluster only.
                  {
                    name: 'untrusted',
                    url: edge.url,
                    serviceAccountToken: 'edge-token',
                    caData: coreTls.cert,
                  },
                  // The same, with verification skipped for this cluster only.
                  {
                    name: 'insecure',
                    url: edge.url,
                    serviceAccountToken: 'edge-token',
                    skipTLSVerify: true,
                  },
                ],
              },
            },
            kubernetes: {
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'core',
                      url: core.url,
                      serviceAccountToken: 'core-token',
                      // Backstage's kubernetes config carries caData base64-encoded.
                      caData: Buffer.from(coreTls.cert).toString('base64'),
                    },
                    {
                      name: 'dead',
                      url: opts.dead ?? 'http://127.0.0.1:1',
                      serviceAccountToken: 'x',
                    },
                  ],
                },
              ],
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            resource('edge', { 'fleet-monitoring.io/cluster': 'edge' }),
            resource('core', { 'fleet-monitoring.io/cluster': 'core' }),
            resource('dead', { 'fleet-monitoring.io/cluster': 'dead' }),
            resource('unknown', { 'fleet-monitoring.io/cluster': 'nope' }),
            resource('plain', {}),
            resource('untrusted', {
              'fleet-monitoring.io/cluster': 'untrusted',
            }),
            resource('insecure', { 'fleet-monitoring.io/cluster': 'insecure' }),
          ],
        }),
        opts.deny
          ? mockServices.permissions.factory({ result: AuthorizeResult.DENY })
          : mockServices.permissions.factory(),
      ],
    });
    return server;
  }
  const base = '/api/fleet-monitoring/entity/resource/default';
  const auth = () => mockCredentials.user.header();

  it('shows receive and agent pods, OOMKilled with hints, and the hashring differences', async () => {
    const server = await backend();
    const res = await request(server)
      .get(`${base}/edge/kubernetes`)
      .set('Authorization', auth());
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body.receivePods.map((p: any) => p.name)).toEqual([
      'thanos-receive-0',
      'thanos-receive-1',
      'thanos-receive-2',
    ]);
    expect(body.agentPods.map((p: any) => p.name)).toEqual([
      'prometheus-agent-0',
    ]);
    const oom = body.receivePods[1];
    expect(oom.reasons.map((r: any) => r.id)).toContain('pod-oom-killed');
    expect(oom.reasons[0].hints).toHaveLength(4);
    expect(body.hashring.missingPods).toEqual(['thanos-receive-2']);
    expect(body.hashring.unknownEndpoints).toEqual([
      'thanos-receive-3.thanos-receive.monitoring.svc.cluster.local:10901',
    ]);
    expect(body.reasons.map((r: any) => r.id)).toEqual(
      expect.arrayContaining([
        'pod-oom-killed',
        'pod-restarting',
        'hashring-endpoint-missing',
        'hashring-endpoint-unknown',
      ]),
    );
    expect(body.state).toBe('failing');
    expect(edge.requests.sort()).toEqual([
      'GET /api/v1/namespaces/monitoring/configmaps/thanos-receive-hashring',
      'GET /api/v1/namespaces/monitoring/pods',
      'GET /api/v1/namespaces/monitoring/pods',
      'GET /apis/metrics.k8s.io/v1beta1/namespaces/monitoring/pods',
    ]);
  });

  it('shows memory usage vs limit from metrics.k8s.io and flags the receiver near its limit', async () => {
    const server = await backend();
    const res = await request(server)
      .get(`${base}/edge/kubernetes`)
      .set('Authorization', auth());
    expect(res.status).toBe(200);
    const [r0, , r2] = res.body.receivePods;
    expect(r0.containers[0]).toMatchObject({
      memoryRequest: '1Gi',
      memoryLimit: '2Gi',
      memoryLimitBytes: 2147483648,
      memoryUsage: '712704Ki',
      memoryUsageBytes: 712704 * 1024,
    });
    expect(r0.reasons).toEqual([]);
    expect(r2.containers[0]).toMatchObject({
      memoryUsage: '1916Mi',
      memoryUsageBytes: 1916 * 2 ** 20,
    });
    expect(r2.reasons.map((r: any) => r.id)).toEqual(['pod-memory-near-limit']);
    expect(r2.reasons[0].hints).toEqual([...OOM_KILLED_HINTS]);
    expect(r2.state).toBe('degraded');
    expect(res.body.reasons.map((r: any) => r.id)).toContain(
      'pod-memory-near-limit',
    );
    expect(res.body.agentPods[0].containers[0].memoryUsage).toBe('180224Ki');
    expect(res.body.errors).toEqual([]);
  });

  it('without metrics-server (404) shows everything else and an info note, no error', async () => {
    const server = await backend();
    edge.metricsApi = false;
    const res = await request(server)
      .get(`${base}/edge/kubernetes`)
      .set('Authorization', auth());
    expect(res.status).toBe(200);
    expect(res.body.errors).toEqual([]);
    expect(res.body.receivePods).toHaveLength(3);
    for (const p of [...res.body.receivePods, ...res.body.agentPods]) {
      expect(p.containers[0]).not.toHaveProperty('memoryUsage');
      expect(p.containers[0]).toHaveProperty('memoryLimitBytes');
    }
    const note = res.body.reasons.find(
      (r: any) => r.id === 'pod-metrics-unavailable',
    );
    expect(note).toMatchObject({ severity: 'info' });
    expect(note.message).toMatch(
      /edge serves no resource metrics API.*404.*metrics-server/,
    );
    expect(res.body.reasons.map((r: any) => r.id)).not.toContain(
      'pod-memory-near-limit',
    );
    // The OOM kill and the hashring still decide the state.
    expect(res.body.state).toBe('failing');
  });

  it('when RBAC denies pod metrics (403) names it in errors[] and keeps the state of the pods', async () => {
    const server = await backend();
    edge.forbidden.add('list pods.metrics.k8s.io monitoring');
    const res = await request(server)
      .get(`${base}/edge/kubernetes`)
      .set('Authorization', auth());
    expect(res.status).toBe(200);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0]).toMatchObject({
      upstream: 'kubernetes:edge',
      kind: 'forbidden',
      status: 403,
    });
    expect(res.body.errors[0].message).toMatch(
      /reading pod metrics \(metrics.k8s.io\/v1beta1\) in namespace monitoring failed with HTTP 403; RBAC denies it; grant the service account get\/list on pods in API group metrics.k8s.io/,
    );
    expect(res.body.receivePods).toHaveLength(3);
    expect(res.body.receivePods[0].containers[0]).not.toHaveProperty(
      'memoryUsage',
    );
    expect(res.body.reasons.map((r: any) => r.id)).not.toContain(
      'upstream-unauthorized',
    );
    expect(res.body.state).toBe('failing');
    // A cluster whose only finding would be the missing usage stays healthy, not unknown.
    core.setConfigMap('monitoring', 'thanos-receive-hashring', {
      'hashrings.json': hashringJson(['thanos-receive-0']),
    });
    core.forbidden.add('list pods.metrics.k8s.io monitoring');
    try {
      const denied = await request(server)
        .get(`${base}/core/kubernetes`)
        .set('Authorization', auth());
      expect(denied.body.errors.map((e: any) => e.kind)).toEqual(['forbidden']);
      expect(denied.body.reasons).toEqual([]);
      expect(denied.body.state).toBe('healthy');
    } finally {
      core.configMaps.delete('monitoring/thanos-receive-hashring');
    }
  });

  it('uses a cluster from Backstage kubernetes config; a missing ConfigMap is a specific 404 error', async () => {
    const server = await backend();
    const res = await request(server)
      .get(`${base}/core/kubernetes`)
      .set('Authorization', auth());
    expect(res.status).toBe(200);
    expect(res.body.receivePods).toHaveLength(1);
    expect(res.body.hashring.error).toMatchObject({
      upstream: 'kubernetes:core',
      kind: 'not-found',
    });
    expect(res.body.hashring.error.message).toMatch(
      /reading ConfigMap monitoring\/thanos-receive-hashring failed with HTTP 404/,
    );
  });

  it('names RBAC denials (403) and keeps what could be read', async () => {
    const server = await backend();
    edge.forbidden.add('list pods monitoring');
    const res = await request(server)
      .get(`${base}/edge/kubernetes`)
      .set('Authorization', auth());
    expect(res.status).toBe(200);
    expect(res.body.errors[0]).toMatchObject({
      upstream: 'kubernetes:edge',
      kind: 'forbidden',
      status: 403,
    });
    expect(res.body.errors[0].message).toMatch(/RBAC denies it; grant/);
    // The API server's own words stay in the log (#19).
    expect(res.body.errors[0].message).not.toMatch(/cannot list resource/);
    expect(res.body.state).toBe('unknown');
    expect(res.body.reasons.map((r: any) => r.id)).toContain(
      'upstream-unauthorized',
    );
  });

  it('reports an unreachable cluster and a token the API rejects', async () => {
    const server = await backend();
    const dead = await request(server)
      .get(`${base}/dead/kubernetes`)
      .set('Authorization', auth());
    expect(dead.status).toBe(200);
    expect(dead.body.state).toBe('unknown');
    expect(dead.body.errors[0]).toMatchObject({
      upstream: 'kubernetes:dead',
      kind: 'unreachable',
    });
    expect(dead.body.errors[0].message).toMatch(/^connection refused$/);
    // No URL reaches the user (#19); it is in the log.
    expect(JSON.stringify(dead.body)).not.toMatch(/127\.0\.0\.1|http:\/\//);
    edge.fault = 'unauthorized';
    const unauth = await request(server)
      .get(`${base}/edge/kubernetes`)
      .set('Authorization', auth());
    expect(unauth.body.errors[0]).toMatchObject({ kind: 'unauthorized' });
    expect(JSON.stringify(unauth.body)).not.toContain('edge-token');
    // The other cluster still answers.
    const core2 = await request(server)
      .get(`${base}/core/kubernetes`)
      .set('Authorization', auth());
    expect(core2.body.receivePods).toHaveLength(1);
  });

  it('uses TLS settings per cluster: the right CA passes, a wrong CA fails, skipTLSVerify only where set', async () => {
    const server = await backend();
    const untrusted = await request(server)
      .get(`${base}/untrusted/kubernetes`)
      .set('Authorization', auth());
    expect(untrusted.status).toBe(200);
    expect(untrusted.body.state).toBe('unknown');
    expect(untrusted.body.errors[0]).toMatchObject({
      upstream: 'kubernetes:untrusted',
      kind: 'unreachable',
    });
    expect(untrusted.body.errors[0].message).toMatch(
      /TLS handshake failed .*check the CA bundle/,
    );
    const insecure = await request(server)
      .get(`${base}/insecure/kubernetes`)
      .set('Authorization', auth());
    expect(insecure.body.receivePods).toHaveLength(3);
    expect(insecure.body.errors).toEqual([]);
  });

  it('times out slow clusters with a clear error', async () => {
    const server = await backend();
    edge.fault = 'slow';
    edge.slowMs = 1500;
    const res = await request(server)
      .get(`${base}/edge/kubernetes`)
      .set('Authorization', auth());
    expect(res.body.errors[0]).toMatchObject({
      upstream: 'kubernetes:edge',
      kind: 'timeout',
    });
  });

  it('404 for an unconfigured cluster, 400 without the cluster annotation, 403 when denied', async () => {
    const server = await backend();
    expect(
      (
        await request(server)
          .get(`${base}/unknown/kubernetes`)
          .set('Authorization', auth())
      ).status,
    ).toBe(404);
    expect(
      (
        await request(server)
          .get(`${base}/plain/kubernetes`)
          .set('Authorization', auth())
      ).status,
    ).toBe(400);
    const denied = await backend({ deny: true });
    expect(
      (
        await request(denied)
          .get(`${base}/edge/kubernetes`)
          .set('Authorization', auth())
      ).status,
    ).toBe(403);
    const res = await request(server)
      .get('/api/fleet-monitoring/instances')
      .set('Authorization', auth());
    expect(res.body.kubernetes.map((c: any) => c.name)).toEqual([
      'edge',
      'untrusted',
      'insecure',
      'core',
      'dead',
    ]);
  });
});
