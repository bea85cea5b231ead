import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ArgocdFake,
  FakeArgoApp,
  generateArgoApps,
} from '@fleet-monitoring/local-fleet';
import {
  argocdSelectionFromEntity,
  parseLabelSelector,
  formatLabelSelector,
} from '@fleet-monitoring/plugin-monitoring-common';
import request from 'supertest';
import { fleetMonitoringPlugin } from '../plugin';
import { jwtExpiry } from './ArgocdClient';

const fleetApps: FakeArgoApp[] = [
  {
    name: 'thanos-receive',
    project: 'monitoring',
    labels: { 'app.kubernetes.io/part-of': 'fleet' },
    sync: 'OutOfSync',
    health: 'Degraded',
    healthMessage: 'StatefulSet thanos-receive has 1 unavailable replica',
    revision: 'a'.repeat(40),
    operation: {
      phase: 'Failed',
      message: 'one or more objects failed to apply',
    },
    history: [
      { id: 1, revision: '1'.repeat(40), deployedAt: '2026-08-19T10:00:05Z' },
      {
        id: 2,
        revision: '2'.repeat(40),
        deployedAt: '2026-08-21T10:00:05Z',
        username: 'alice',
      },
    ],
    resources: [
      {
        group: 'apps',
        version: 'v1',
        kind: 'StatefulSet',
        namespace: 'monitoring',
        name: 'thanos-receive',
        status: 'OutOfSync',
        health: 'Degraded',
        healthMessage: '1 unavailable',
      },
      {
        version: 'v1',
        kind: 'Service',
        namespace: 'monitoring',
        name: 'thanos-receive',
        status: 'Synced',
        health: 'Healthy',
      },
    ],
    syncWindows: {
      canSync: false,
      active: [{ kind: 'deny', schedule: '0 22 * * *', duration: '8h' }],
    },
  },
  {
    name: 'prometheus-agent',
    project: 'monitoring',
    labels: { 'app.kubernetes.io/part-of': 'fleet' },
    history: [
      { id: 1, revision: 'c'.repeat(40), deployedAt: '2026-08-20T10:00:05Z' },
    ],
  },
  {
    name: 'unrelated',
    project: 'other',
    labels: { 'app.kubernetes.io/part-of': 'shop' },
  },
  ...generateArgoApps(50),
];

const entity = (name: string, annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
});

const entities = [
  entity('fleet', {
    'argocd/app-selector': encodeURIComponent(
      'app.kubernetes.io/part-of=fleet',
    ),
  }),
  entity('single', {
    'argocd/app-name': 'prometheus-agent',
    'argocd/instance-name': 'main',
  }),
  entity('both', {
    'argocd/app-name': 'prometheus-agent',
    'argocd/instance-name': 'main,second,nowhere',
  }),
  entity('bad-selector', { 'argocd/app-selector': 'a=b,,c' }),
  entity('widening', { 'argocd/app-selector': 'app!=' }),
  entity('team-bound', {
    'argocd/app-selector': 'team=payments',
    'argocd/instance-name': 'main',
  }),
  entity('none', {}),
];

let main: ArgocdFake;
let second: ArgocdFake;

beforeAll(async () => {
  main = new ArgocdFake({ apps: fleetApps, users: { backstage: 'pw' } });
  second = new ArgocdFake({
    apps: [{ name: 'prometheus-agent', sync: 'Synced', health: 'Healthy' }],
    tokens: ['second-token'],
  });
  await Promise.all([main.start(), second.start()]);
});
afterAll(async () => {
  await Promise.all([main.stop(), second.stop()]);
});
beforeEach(() => {
  for (const f of [main, second]) {
    f.fault = undefined;
    f.resetCounters();
  }
  main.revokeSessions();
});

async function backend(
  opts: {
    deny?: boolean;
    ttl?: number;
    timeoutMs?: number;
    anonymous?: boolean;
    policy?: { requiredLabels?: string[]; requireProject?: boolean };
  } = {},
) {
  const { server } = await startTestBackend({
    features: [
      ...(opts.anonymous
        ? [
            mockServices.httpAuth.factory({
              defaultCredentials: mockCredentials.none(),
            }),
          ]
        : []),
      fleetMonitoringPlugin,
      mockServices.rootConfig.factory({
        data: {
          fleetMonitoring: {
            // Every answer is checked against the OpenAPI document by the router itself.
            validateResponses: true,
            cache: { ttlSeconds: opts.ttl ?? 0 },
            argocd: [
              {
                name: 'main',
                url: main.url,
                username: 'backstage',
                password: 'pw',
                timeoutMs: opts.timeoutMs ?? 2000,
                ...(opts.policy ? { selectorPolicy: opts.policy } : {}),
              },
              {
                name: 'second',
                url: second.url,
                uiUrl: 'https://argocd-2.example.com',
                token: 'second-token',
                timeoutMs: opts.timeoutMs ?? 2000,
              },
            ],
          },
        },
      }),
      catalogServiceMock.factory({ entities }),
      opts.deny
        ? mockServices.permissions.factory({ result: AuthorizeResult.DENY })
        : mockServices.permissions.factory(),
    ],
  });
  return server;
}

const base = '/api/fleet-monitoring/entity/component/default';

describe('annotations', () => {
  it('decodes, validates and re-encodes the app selector', () => {
    const sel = argocdSelectionFromEntity(entities[0] as any)!;
    expect(sel.selector).toBe('app.kubernetes.io/part-of=fleet');
    expect(
      formatLabelSelector(parseLabelSelector('env in (a, b),!legacy,tier!=x')),
    ).toBe('env in (a,b),!legacy,tier!=x');
    expect(() => parseLabelSelector('a=b&c=d')).toThrow();
    expect(() => parseLabelSelector('a=b,,c')).toThrow(/empty term/);
    expect(() => parseLabelSelector('a=%ZZ')).toThrow();
    expect(argocdSelectionFromEntity(entities[2] as any)!.instances).toEqual([
      'main',
      'second',
      'nowhere',
    ]);
  });

  it('reads a JWT exp without verifying', () => {
    const token = `x.${Buffer.from(JSON.stringify({ exp: 1234 })).toString('base64url')}.y`;
    expect(jwtExpiry(token)).toBe(1234);
    expect(jwtExpiry('not-a-jwt')).toBeUndefined();
  });
});

describe('GET /entity/:kind/:namespace/:name/argocd', () => {
  it('lists the entity apps across instances with health, reasons, links; one list call per instance', async () => {
    const server = await backend();
    const res = await request(server)
      .get(`${base}/fleet/argocd`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    const body = res.body;
    expect(
      body.applications.map((a: any) => `${a.instance}/${a.name}`),
    ).toEqual(['main/prometheus-agent', 'main/thanos-receive']);
    const receive = body.applications.find(
      (a: any) => a.name === 'thanos-receive',
    );
    expect(receive).toMatchObject({
      syncStatus: 'OutOfSync',
      syncState: 'degraded',
      healthStatus: 'Degraded',
      healthState: 'failing',
      state: 'failing',
      operation: { phase: 'Failed', state: 'failing' },
      lastDeployedAt: '2026-08-21T10:00:05Z',
      syncWindows: { canSync: false },
      uiUrl: `${main.url}/applications/argocd/thanos-receive`,
    });
    expect(receive.reasons.map((r: any) => r.id).sort()).toEqual([
      'argocd-degraded',
      'argocd-operation-failed',
      'argocd-out-of-sync',
      'argocd-sync-window-blocked',
    ]);
    expect(
      receive.reasons.find((r: any) => r.id === 'argocd-out-of-sync').hints,
    ).toContain('Sync by hand: argocd app sync thanos-receive');
    expect(body.state).toBe('failing');
    expect(body.instances).toEqual([
      { name: 'main', applications: 2 },
      { name: 'second', applications: 0 },
    ]);
    // main: login + list + syncwindows for the one OutOfSync app; second: one list call.
    expect(main.requests).toEqual([
      'POST /api/v1/session',
      'GET /api/v1/applications',
      'GET /api/v1/applications/thanos-receive/syncwindows',
    ]);
    expect(second.requests).toEqual(['GET /api/v1/applications']);
    // Call counts are a diagnostic for benchmarks, not part of the answer.
    expect(body.upstreamCalls).toBeUndefined();
  });

  it('uses name= for argocd/app-name and follows argocd/instance-name order; unknown instances are reported', async () => {
    const server = await backend();
    const res = await request(server)
      .get(`${base}/both/argocd`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body.applications.map((a: any) => a.instance)).toEqual([
      'main',
      'second',
    ]);
    expect(res.body.applications[1].uiUrl).toBe(
      'https://argocd-2.example.com/applications/argocd/prometheus-agent',
    );
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        upstream: 'argocd:nowhere',
        kind: 'not-configured',
      }),
    ]);
    expect(res.body.state).toBe('unknown');
  });

  it('serves a second request from the cache with 0 upstream calls', async () => {
    const server = await backend({ ttl: 30 });
    const first = await request(server)
      .get(`${base}/single/argocd`)
      .set('Authorization', mockCredentials.user.header());
    expect(main.requests).toHaveLength(2);
    const again = await request(server)
      .get(`${base}/single/argocd`)
      .set('Authorization', mockCredentials.user.header());
    expect(again.body).toEqual(first.body);
    expect(main.requests).toHaveLength(2);
  });

  it('20 concurrent requests needing a login make exactly one login', async () => {
    const server = await backend({ ttl: 0 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        request(server)
          .get(`${base}/${i % 2 ? 'single' : 'fleet'}/argocd`)
          .set('Authorization', mockCredentials.user.header()),
      ),
    );
    expect(results.every(r => r.status === 200)).toBe(true);
    expect(main.logins).toBe(1);
  });

  it('logs in again once when the session is rejected (401), then retries', async () => {
    const server = await backend();
    await request(server)
      .get(`${base}/single/argocd`)
      .set('Authorization', mockCredentials.user.header());
    expect(main.logins).toBe(1);
    main.revokeSessions();
    const res = await request(server)
      .get(`${base}/single/argocd`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.body.applications).toHaveLength(1);
    expect(main.logins).toBe(2);
  });

  it.each([
    ['down', 'unreachable', /^(connection was reset|request failed)/],
    ['slow', 'timeout', /no answer within 300 ms/],
    ['forbidden', 'forbidden', /HTTP 403; the account needs/],
    ['non-json', 'bad-response', /non-JSON/],
  ] as const)(
    'keeps the other instance when one is %s',
    async (fault, kind, message) => {
      const server = await backend({ timeoutMs: 300 });
      second.fault = fault;
      second.slowMs = 1000;
      const res = await request(server)
        .get(`${base}/both/argocd`)
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(200);
      expect(res.body.applications.map((a: any) => a.instance)).toEqual([
        'main',
      ]);
      const err = res.body.errors.find(
        (e: any) => e.upstream === 'argocd:second',
      );
      expect(err.kind).toBe(kind);
      expect(err.message).toMatch(message);
      expect(JSON.stringify(res.body)).not.toContain('second-token');
    },
  );

  it('names a wrong password clearly (401) without leaking it', async () => {
    const server = await backend();
    main.users.backstage = 'changed';
    try {
      const res = await request(server)
        .get(`${base}/single/argocd`)
        .set('Authorization', mockCredentials.user.header());
      expect(res.body.errors[0]).toMatchObject({
        upstream: 'argocd:main',
        kind: 'unauthorized',
        status: 401,
      });
      expect(res.body.errors[0].message).toMatch(
        /failed with HTTP 401; ArgoCD rejected the session; check the username and password/,
      );
      // ArgoCD's own words stay in the log (#19).
      expect(res.body.errors[0].message).not.toMatch(/Invalid username/);
      expect(JSON.stringify(res.body)).not.toMatch(/"pw"|changed/);
    } finally {
      main.users.backstage = 'pw';
    }
  });

  it('reports a static token refused (401) as unauthorized', async () => {
    const server = await backend();
    second.fault = 'unauthorized';
    const res = await request(server)
      .get(`${base}/both/argocd`)
      .set('Authorization', mockCredentials.user.header());
    expect(
      res.body.errors.find((e: any) => e.upstream === 'argocd:second'),
    ).toMatchObject({ kind: 'unauthorized', status: 401 });
    expect(res.body.reasons.map((r: any) => r.id)).toContain(
      'upstream-unauthorized',
    );
  });

  it('rejects bad annotations with 400 and entities without ArgoCD annotations', async () => {
    const server = await backend();
    const bad = await request(server)
      .get(`${base}/bad-selector/argocd`)
      .set('Authorization', mockCredentials.user.header());
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/argocd\/app-selector/);
    const none = await request(server)
      .get(`${base}/none/argocd`)
      .set('Authorization', mockCredentials.user.header());
    expect(none.status).toBe(400);
    expect(main.requests).toHaveLength(0);
  });

  it('refuses selectors that would widen what the plugin reads, before asking ArgoCD (#19)', async () => {
    const server = await backend();
    const widening = await request(server)
      .get(`${base}/widening/argocd`)
      .set('Authorization', mockCredentials.user.header());
    expect(widening.status).toBe(400);
    expect(widening.body.error.message).toMatch(
      /argocd\/app-selector must pin at least one label to a value/,
    );
    const bound = await backend({
      policy: { requiredLabels: ['team'], requireProject: true },
    });
    const unbound = await request(bound)
      .get(`${base}/fleet/argocd`)
      .set('Authorization', mockCredentials.user.header());
    expect(unbound.status).toBe(400);
    expect(unbound.body.error.message).toMatch(
      /must pin one of team to a value on ArgoCD instance "main" \(fleetMonitoring\.argocd\[main\]\.selectorPolicy\.requiredLabels\)/,
    );
    const noProject = await request(bound)
      .get(`${base}/team-bound/argocd`)
      .set('Authorization', mockCredentials.user.header());
    expect(noProject.status).toBe(400);
    expect(noProject.body.error.message).toMatch(
      /requires argocd\/project-name.*selectorPolicy\.requireProject/,
    );
    expect(main.requests).toHaveLength(0);
    // Within the binding the answer is as before.
    const allowed = await backend({ policy: { requiredLabels: ['team'] } });
    const ok = await request(allowed)
      .get(`${base}/team-bound/argocd`)
      .set('Authorization', mockCredentials.user.header());
    expect(ok.status).toBe(200);
  });

  it('requires authentication and the entity permission', async () => {
    const anonymous = await backend({ anonymous: true });
    expect((await request(anonymous).get(`${base}/fleet/argocd`)).status).toBe(
      401,
    );
    const server = await backend();
    const denied = await backend({ deny: true });
    expect(
      (
        await request(denied)
          .get(`${base}/fleet/argocd`)
          .set('Authorization', mockCredentials.user.header())
      ).status,
    ).toBe(403);
    expect(
      (
        await request(server)
          .get(`${base}/missing/argocd`)
          .set('Authorization', mockCredentials.user.header())
      ).status,
    ).toBe(404);
  });

  it('lists the instances in /instances', async () => {
    const server = await backend();
    const res = await request(server)
      .get('/api/fleet-monitoring/instances')
      .set('Authorization', mockCredentials.user.header());
    expect(res.body.argocd.map((i: any) => i.name)).toEqual(['main', 'second']);
  });
});

describe('history route', () => {
  it('returns the history newest first, on demand', async () => {
    const server = await backend();
    const res = await request(server)
      .get(`${base}/fleet/argocd/main/applications/thanos-receive/history`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body.history.map((h: any) => h.id)).toEqual([2, 1]);
    expect(res.body.history[0]).toMatchObject({
      revision: '2'.repeat(40),
      initiatedBy: { username: 'alice' },
    });
    expect(main.requests).toContain('GET /api/v1/applications/thanos-receive');
  });

  it('is no open proxy: apps outside the entity are 404 without asking ArgoCD for them', async () => {
    const server = await backend();
    const other = await request(server)
      .get(`${base}/fleet/argocd/main/applications/unrelated/history`)
      .set('Authorization', mockCredentials.user.header());
    expect(other.status).toBe(404);
    const wrongInstance = await request(server)
      .get(`${base}/single/argocd/second/applications/prometheus-agent/history`)
      .set('Authorization', mockCredentials.user.header());
    expect(wrongInstance.status).toBe(404);
    expect(main.requests.filter(r => r.includes('unrelated'))).toEqual([]);
  });

  it('checks ownership in the named instance only: a hanging unrelated instance is not asked', async () => {
    const server = await backend({ timeoutMs: 5000 });
    second.fault = 'slow';
    second.slowMs = 4000;
    const res = await request(server)
      .get(`${base}/both/argocd/main/applications/prometheus-agent/history`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(second.requests).toEqual([]);
  });

  it('answers 502 naming the upstream when the instance fails', async () => {
    const server = await backend();
    main.fault = 'forbidden';
    const res = await request(server)
      .get(`${base}/single/argocd/main/applications/prometheus-agent/history`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(502);
    expect(res.body.error).toMatchObject({
      upstream: 'argocd:main',
      kind: 'forbidden',
    });
  });
});
