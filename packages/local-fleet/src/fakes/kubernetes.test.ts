import { z } from 'zod';
import {
  agentPod,
  hashringJson,
  KubernetesFake,
  receivePod,
} from './kubernetes';

// Shapes from shared/contracts/kubernetes/NOTES.md (V1PodList, V1ContainerStatus, V1ConfigMap, V1Status).
const Time = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
const Terminated = z
  .object({
    exitCode: z.number().int(),
    reason: z.string().optional(),
    signal: z.number().optional(),
    message: z.string().optional(),
    startedAt: Time.optional(),
    finishedAt: Time.optional(),
    containerID: z.string().optional(),
  })
  .strict();
const State = z
  .object({
    running: z.object({ startedAt: Time.optional() }).strict().optional(),
    waiting: z
      .object({ reason: z.string().optional(), message: z.string().optional() })
      .strict()
      .optional(),
    terminated: Terminated.optional(),
  })
  .strict()
  .refine(
    s => Object.keys(s).length <= 1,
    'a state holds at most one of running/waiting/terminated',
  );
const ContainerStatus = z
  .object({
    name: z.string(),
    ready: z.boolean(),
    started: z.boolean().optional(),
    restartCount: z.number().int(),
    image: z.string(),
    imageID: z.string(),
    containerID: z.string().optional(),
    state: State.optional(),
    lastState: State.optional(),
  })
  .strict();
const Pod = z
  .object({
    metadata: z
      .object({
        name: z.string(),
        namespace: z.string(),
        uid: z.string(),
        labels: z.record(z.string(), z.string()).optional(),
        creationTimestamp: Time,
        ownerReferences: z
          .array(z.object({ kind: z.string(), name: z.string() }).passthrough())
          .optional(),
      })
      .strict(),
    spec: z
      .object({
        nodeName: z.string().optional(),
        containers: z.array(
          z
            .object({
              name: z.string(),
              image: z.string(),
              resources: z
                .object({
                  limits: z.record(z.string(), z.string()).optional(),
                  requests: z.record(z.string(), z.string()).optional(),
                })
                .strict(),
            })
            .strict(),
        ),
      })
      .strict(),
    status: z
      .object({
        phase: z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']),
        reason: z.string().optional(),
        qosClass: z.string(),
        podIP: z.string().optional(),
        conditions: z.array(
          z
            .object({
              type: z.string(),
              status: z.enum(['True', 'False', 'Unknown']),
              lastTransitionTime: Time,
            })
            .strict(),
        ),
        containerStatuses: z.array(ContainerStatus),
      })
      .strict(),
  })
  .strict();
const PodList = z
  .object({
    kind: z.literal('PodList'),
    apiVersion: z.literal('v1'),
    metadata: z
      .object({ resourceVersion: z.string(), continue: z.string().optional() })
      .strict(),
    items: z.array(Pod),
  })
  .strict();
const ConfigMap = z
  .object({
    kind: z.literal('ConfigMap'),
    apiVersion: z.literal('v1'),
    metadata: z
      .object({ name: z.string(), namespace: z.string() })
      .passthrough(),
    data: z.record(z.string(), z.string()),
  })
  .strict();
const Status = z
  .object({
    kind: z.literal('Status'),
    apiVersion: z.literal('v1'),
    metadata: z.object({}).strict(),
    status: z.literal('Failure'),
    message: z.string(),
    reason: z.string(),
    details: z
      .object({
        name: z.string().optional(),
        group: z.string().optional(),
        kind: z.string().optional(),
      })
      .strict()
      .optional(),
    code: z.number().int(),
  })
  .strict();

// k8s.io/metrics pkg/apis/metrics/v1beta1/types.go: PodMetricsList{items: PodMetrics{metadata,
// timestamp, window, containers: ContainerMetrics{name, usage: ResourceList}}}. Usage values are
// quantities (canonical form, e.g. "24612Ki"), window a Go duration string.
const Quantity = z.string().regex(/^\d+(n|u|m|k|M|G|Ki|Mi|Gi)?$/);
const PodMetrics = z
  .object({
    metadata: z
      .object({
        name: z.string(),
        namespace: z.string(),
        creationTimestamp: Time,
        labels: z.record(z.string(), z.string()).optional(),
      })
      .strict(),
    timestamp: Time,
    window: z.string().regex(/^\d+(\.\d+)?(ms|s|m)$/),
    containers: z.array(
      z
        .object({
          name: z.string(),
          usage: z.object({ cpu: Quantity, memory: Quantity }).strict(),
        })
        .strict(),
    ),
  })
  .strict();
const PodMetricsList = z
  .object({
    kind: z.literal('PodMetricsList'),
    apiVersion: z.literal('metrics.k8s.io/v1beta1'),
    metadata: z.object({}).passthrough(),
    items: z.array(PodMetrics),
  })
  .strict();

let fake: KubernetesFake;
beforeAll(async () => {
  fake = new KubernetesFake({
    tokens: ['sa-token'],
    pods: [
      receivePod(0),
      receivePod(1, { restarts: 4, lastOomKilledAt: '2026-08-22T09:41:12Z' }),
      receivePod(2, { oomKilledNow: true, restarts: 5 }),
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
          ]),
        },
      },
    ],
  });
  await fake.start();
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.fault = undefined;
  fake.forbidden.clear();
  fake.metricsApi = true;
});

async function get(path: string, token: string | null = 'sa-token') {
  const res = await fetch(`${fake.url}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, json: await res.json() };
}

describe('KubernetesFake contract (shared/contracts/kubernetes/NOTES.md)', () => {
  it('lists pods by label selector as a PodList', async () => {
    const r = await get(
      `/api/v1/namespaces/monitoring/pods?${new URLSearchParams({ labelSelector: 'app.kubernetes.io/name=thanos-receive,app.kubernetes.io/component=database-write-hashring' })}`,
    );
    expect(r.status).toBe(200);
    PodList.parse(r.json);
    expect(r.json.items.map((p: any) => p.metadata.name)).toEqual([
      'thanos-receive-0',
      'thanos-receive-1',
      'thanos-receive-2',
    ]);
    expect(r.json.items[0]).not.toHaveProperty('kind');
    const all = await get(
      `/api/v1/pods?labelSelector=${encodeURIComponent('app.kubernetes.io/name in (prometheus)')}`,
    );
    PodList.parse(all.json);
    expect(all.json.items).toHaveLength(1);
  });

  it('shows OOMKilled in lastState (restarted) and in state (dead now) with exit code 137', async () => {
    const r = await get(
      '/api/v1/namespaces/monitoring/pods?labelSelector=app.kubernetes.io%2Fname%3Dthanos-receive',
    );
    const [healthy, restarted, dead] = r.json.items.map(
      (p: any) => p.status.containerStatuses[0],
    );
    expect(healthy.lastState).toEqual({});
    expect(restarted.lastState.terminated).toMatchObject({
      reason: 'OOMKilled',
      exitCode: 137,
    });
    expect(dead.state.terminated).toMatchObject({
      reason: 'OOMKilled',
      exitCode: 137,
    });
    expect(dead.ready).toBe(false);
  });

  it('reads the hashring ConfigMap; data values are strings holding JSON', async () => {
    const r = await get(
      '/api/v1/namespaces/monitoring/configmaps/thanos-receive-hashring',
    );
    ConfigMap.parse(r.json);
    expect(JSON.parse(r.json.data['hashrings.json'])[0].endpoints[0]).toBe(
      'thanos-receive-0.thanos-receive.monitoring.svc.cluster.local:10901',
    );
  });

  it('answers Status bodies: 401 without a token, 403 from RBAC, 404 for a missing ConfigMap', async () => {
    const u = await get('/api/v1/namespaces/monitoring/pods', null);
    expect(u.status).toBe(401);
    Status.parse(u.json);
    expect(u.json).toMatchObject({ reason: 'Unauthorized', code: 401 });

    fake.forbidden.add('list pods monitoring');
    const f = await get('/api/v1/namespaces/monitoring/pods');
    expect(f.status).toBe(403);
    Status.parse(f.json);
    expect(f.json.message).toMatch(
      /cannot list resource "pods" in API group "" in the namespace "monitoring"/,
    );

    const n = await get('/api/v1/namespaces/monitoring/configmaps/nope');
    expect(n.status).toBe(404);
    Status.parse(n.json);
    expect(n.json).toMatchObject({
      reason: 'NotFound',
      message: 'configmaps "nope" not found',
      details: { name: 'nope', kind: 'configmaps' },
    });
  });

  it('serves pod metrics (metrics.k8s.io/v1beta1) for running pods with a sample', async () => {
    const r = await get(
      '/apis/metrics.k8s.io/v1beta1/namespaces/monitoring/pods',
    );
    expect(r.status).toBe(200);
    PodMetricsList.parse(r.json);
    // thanos-receive-2 is OOMKilled right now: no running container, no sample.
    expect(
      r.json.items.map((p: any) => [
        p.metadata.name,
        p.containers[0].name,
        p.containers[0].usage.memory,
      ]),
    ).toEqual([
      ['thanos-receive-0', 'thanos-receive', '712704Ki'],
      ['thanos-receive-1', 'thanos-receive', '712704Ki'],
      ['prometheus-agent-0', 'prometheus', '180224Ki'],
    ]);
    expect(r.json.items[0]).not.toHaveProperty('kind');
    const other = await get(
      '/apis/metrics.k8s.io/v1beta1/namespaces/elsewhere/pods',
    );
    expect(other.json.items).toEqual([]);
  });

  it('answers 403 for pod metrics RBAC denies and 404 without metrics-server', async () => {
    fake.forbidden.add('list pods.metrics.k8s.io monitoring');
    const f = await get(
      '/apis/metrics.k8s.io/v1beta1/namespaces/monitoring/pods',
    );
    expect(f.status).toBe(403);
    Status.parse(f.json);
    expect(f.json.message).toBe(
      'pods.metrics.k8s.io is forbidden: User "system:serviceaccount:backstage:fleet-monitoring" cannot list resource "pods" in API group "metrics.k8s.io" in the namespace "monitoring"',
    );
    // The pods themselves are still readable.
    expect((await get('/api/v1/namespaces/monitoring/pods')).status).toBe(200);

    fake.forbidden.clear();
    fake.metricsApi = false;
    const n = await get(
      '/apis/metrics.k8s.io/v1beta1/namespaces/monitoring/pods',
    );
    expect(n.status).toBe(404);
    Status.parse(n.json);
    expect(n.json).toMatchObject({
      reason: 'NotFound',
      message: 'the server could not find the requested resource',
    });
    const u = await get(
      '/apis/metrics.k8s.io/v1beta1/namespaces/monitoring/pods',
      null,
    );
    expect(u.status).toBe(401);
  });

  it('injects faults: down and slow', async () => {
    fake.fault = 'down';
    await expect(get('/api/v1/namespaces/monitoring/pods')).rejects.toThrow();
    fake.fault = 'slow';
    fake.slowMs = 200;
    const t0 = Date.now();
    expect((await get('/api/v1/namespaces/monitoring/pods')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(180);
  });
});
