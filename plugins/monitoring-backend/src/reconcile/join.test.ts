import type {
  FleetSummary,
  KubernetesClusterView,
  ThanosHealth,
} from '@fleet-monitoring/plugin-monitoring-common';
import { joinFleet } from './join';
import type { FleetApp, JoinInputs } from './sources';

const at = (iso: string) => Date.parse(iso) / 1000;
const fetchedAt = '2026-12-04T12:00:00Z';
const ok = <T>(value: T) => ({ status: 'ok' as const, value, fetchedAt });
const SHA = 'a'.repeat(40);

function app(cluster: string, extra: Partial<FleetApp> = {}): FleetApp {
  return {
    instance: 'main',
    name: `${cluster}-prometheus-agent`,
    syncStatus: 'Synced',
    healthStatus: 'Healthy',
    repoURL: 'https://github.com/acme/fleet-gitops.git',
    path: `deploy/overlays/${cluster}/prometheus-agent`,
    uiUrl: `https://argocd.example.com/applications/${cluster}`,
    history: [],
    ...extra,
  };
}

const overlay = (cluster: string, extra = {}) => ({
  cluster,
  component: 'prometheus-agent',
  path: `deploy/overlays/${cluster}/prometheus-agent`,
  role: 'edge' as const,
  chartVersion: '25.11.0',
  agentVersion: 'v2.49.1',
  tenant: cluster,
  externalLabels: { cluster },
  ...extra,
});

const writer = (cluster: string, extra: Record<string, string> = {}) => ({
  labels: {
    cluster,
    version: '2.49.1',
    job: 'prometheus',
    instance: 'localhost:9090',
    ...extra,
  },
});

function summary(clusters: FleetSummary['clusters']): FleetSummary {
  return {
    instance: 'default',
    generatedAt: fetchedAt,
    clusters,
    counts: {
      healthy: 0,
      recovering: 0,
      degraded: 0,
      failing: 0,
      'no-data': 0,
      unknown: 0,
    },
  };
}

const rw = (
  cluster: string,
  state: FleetSummary['clusters'][number]['state'] = 'healthy',
) => ({
  cluster,
  state,
  reasons:
    state === 'failing'
      ? [
          {
            id: 'remote-write-failing',
            severity: 'critical' as const,
            message: 'x',
          },
        ]
      : [],
  stats: { lastSeen: at('2026-12-04T12:00:00Z') },
  knownFrom: ['thanos' as const],
});

/** A fleet with one cluster of each ghost and gap class, and one healthy cluster. */
function inputs(over: Partial<JoinInputs> = {}): JoinInputs {
  return {
    instance: 'default',
    catalog: ok([
      { cluster: 'good', entityRef: 'resource:default/good', owner: 'team-a' },
      {
        cluster: 'ghost',
        entityRef: 'resource:default/ghost',
        owner: 'team-a',
      },
      { cluster: 'broken', entityRef: 'resource:default/broken' },
      { cluster: 'unsynced', entityRef: 'resource:default/unsynced' },
      { cluster: 'drifted', entityRef: 'resource:default/drifted' },
      { cluster: 'twins', entityRef: 'resource:default/twins' },
      { cluster: 'unrouted', entityRef: 'resource:default/unrouted' },
      { cluster: 'central', entityRef: 'resource:default/central' },
    ]),
    gitops: ok({
      overlays: [
        overlay('good'),
        overlay('broken'),
        overlay('unsynced'),
        overlay('drifted', {
          agentVersion: 'v3.0.0',
          externalLabels: { cluster: 'drifted', region: 'eu' },
        }),
        overlay('twins'),
        overlay('unrouted', { tenant: 'team-z' }),
        overlay('orphan-overlay'),
      ],
      hashrings: [
        {
          cluster: 'central',
          path: 'deploy/overlays/central/kube-prometheus-stack/hashrings.json',
          hashrings: [
            {
              hashring: 'edges',
              tenants: [
                'good',
                'broken',
                'unsynced',
                'drifted',
                'twins',
                'orphan-overlay',
                'stray',
                'ghost',
              ],
              endpoints: ['a:10901'],
            },
          ],
        },
      ],
      lint: { drifted: { errors: 1, warnings: 0 } },
    }),
    argocd: ok([
      {
        instance: 'main',
        apps: [
          app('good'),
          app('ghost'),
          app('broken', {
            history: [
              { revision: 'b'.repeat(40), deployedAt: '2026-12-04T09:00:00Z' },
              {
                revision: SHA,
                deployedAt: '2026-12-04T11:40:00Z',
                initiatedBy: 'alice',
              },
            ],
          }),
          app('unsynced', {
            syncStatus: 'OutOfSync',
            healthStatus: 'Degraded',
          }),
          app('drifted'),
          app('twins'),
          app('unrouted'),
        ],
      },
    ]),
    remoteWrite: ok(
      summary([
        rw('good'),
        rw('broken', 'failing'),
        rw('unsynced'),
        rw('drifted'),
        rw('twins'),
        rw('unrouted'),
        rw('stray'),
        { ...rw('ghost', 'no-data'), knownFrom: ['catalog'] },
      ]),
    ),
    observed: ok({
      writers: {
        good: [writer('good')],
        broken: [writer('broken')],
        unsynced: [writer('unsynced')],
        drifted: [writer('drifted', { region: 'us' })],
        twins: [
          writer('twins', { instance: '10.0.0.1:9090' }),
          writer('twins', { instance: '10.9.0.7:9090' }),
        ],
        unrouted: [writer('unrouted')],
        stray: [writer('stray')],
      },
      tenants: { good: 'good' },
      tenantLimits: { good: { headSeries: 1200, limit: 50000 } },
      brokeAt: { broken: at('2026-12-04T11:45:00Z') },
    }),
    receive: ok({
      instance: 'default',
      component: 'receive',
      isThanos: true,
      state: 'failing',
      reasons: [],
      warnings: [],
      receive: { instancesUp: 2, instancesTotal: 3 },
    } as ThanosHealth),
    kubernetes: ok([
      {
        cluster: 'central',
        view: {
          cluster: 'central',
          namespace: 'monitoring',
          receivePods: [0, 1, 2].map(i => ({
            name: `thanos-receive-${i}`,
            role: 'receive' as const,
            ready: true,
            restarts: 0,
            containers: [],
            state: 'healthy' as const,
            reasons: [],
          })),
          agentPods: [],
          errors: [],
          generatedAt: fetchedAt,
          state: 'healthy',
          reasons: [],
        } as KubernetesClusterView,
      },
    ]),
    ...over,
  };
}

const ids = (j: ReturnType<typeof joinFleet>, cluster: string) =>
  j.clusters.find(c => c.cluster === cluster)?.reasons.map(r => r.id) ?? [];

describe('joinFleet', () => {
  const j = joinFleet(inputs());

  it('has one row per cluster any source knows', () => {
    expect(j.clusters.map(c => c.cluster)).toEqual(
      [
        'broken',
        'central',
        'drifted',
        'ghost',
        'good',
        'orphan-overlay',
        'stray',
        'team-z',
        'twins',
        'unrouted',
        'unsynced',
      ].filter(c => c !== 'team-z'),
    );
  });

  it('names nothing on the healthy cluster and joins its columns', () => {
    const good = j.clusters.find(c => c.cluster === 'good')!;
    expect(good.reasons).toEqual([]);
    expect(good.state).toBe('healthy');
    expect(good.catalog).toEqual({
      entityRef: 'resource:default/good',
      owner: 'team-a',
    });
    expect(good.overlay).toMatchObject({
      chartVersion: '25.11.0',
      agentVersion: 'v2.49.1',
      tenant: 'good',
    });
    expect(good.argocd).toHaveLength(1);
    expect(good.receive).toEqual({
      tenant: 'good',
      routed: true,
      hashring: 'edges',
      limit: 50000,
      headSeries: 1200,
    });
    expect(good.knownFrom).toEqual([
      'catalog',
      'gitops',
      'argocd',
      'remote-write',
    ]);
  });

  it('in the catalog but never seen', () => {
    expect(ids(j, 'ghost')).toContain('reconcile-never-seen');
    expect(ids(j, 'ghost')).toContain('reconcile-no-overlay');
  });

  it('sending but not in the catalog, with a catalog-info snippet', () => {
    const stray = j.clusters.find(c => c.cluster === 'stray')!;
    const r = stray.reasons.find(x => x.id === 'reconcile-not-in-catalog')!;
    expect(r.hints?.[0]).toContain('fleet-monitoring.io/cluster: "stray"');
    expect(r.hints?.[0]).toContain('kind: Resource');
  });

  it('overlay without an Application', () => {
    expect(ids(j, 'orphan-overlay')).toEqual(['reconcile-no-application']);
  });

  it('Application out of sync or degraded', () => {
    const r = j.clusters.find(c => c.cluster === 'unsynced')!;
    expect(r.reasons.map(x => [x.id, x.severity])).toEqual([
      ['reconcile-application-drift', 'critical'],
    ]);
    expect(r.state).toBe('failing');
  });

  it('tenant in the hashring without an overlay, and an overlay whose tenant is not routed', () => {
    // `ghost` is in the hashring too but its row already exists; `stray` has no overlay.
    expect(ids(j, 'stray')).toContain('reconcile-tenant-no-overlay');
    expect(ids(j, 'unrouted')).toContain('reconcile-tenant-not-routed');
    expect(j.clusters.find(c => c.cluster === 'unrouted')!.receive).toEqual({
      tenant: 'team-z',
      routed: false,
    });
  });

  it('two writers under one cluster label, naming what tells them apart', () => {
    const r = j.clusters.find(c => c.cluster === 'twins')!.reasons[0];
    expect(r.id).toBe('reconcile-duplicate-cluster-label');
    expect(r.message).toContain('differ in instance');
  });

  it('intended vs observed: version and external labels', () => {
    expect(ids(j, 'drifted')).toEqual([
      'reconcile-version-drift',
      'reconcile-label-drift',
    ]);
    const labels = j.clusters.find(c => c.cluster === 'drifted')!.reasons[1]
      .message;
    expect(labels).toContain('region="eu" in git, "us" on the series');
  });

  it('names the sync just before a remote-write break as the likely cause', () => {
    const r = j.clusters.find(c => c.cluster === 'broken')!;
    expect(ids(j, 'broken')).toEqual(['reconcile-broke-after-sync']);
    expect(r.remoteWrite?.since).toBe('2026-12-04T11:45:00.000Z');
    expect(r.changedBy).toEqual({
      instance: 'main',
      app: 'broken-prometheus-agent',
      revision: SHA,
      deployedAt: '2026-12-04T11:40:00.000Z',
      brokeAt: '2026-12-04T11:45:00.000Z',
      initiatedBy: 'alice',
      revisionUrl: `https://github.com/acme/fleet-gitops/commit/${SHA}`,
      uiUrl: 'https://argocd.example.com/applications/broken',
    });
  });

  it('names no sync when the break came long after it', () => {
    const late = joinFleet(
      inputs({
        observed: ok({
          ...(inputs().observed as any).value,
          brokeAt: { broken: at('2026-12-04T13:00:00Z') },
        }),
      }),
    );
    expect(ids(late, 'broken')).toEqual([]);
  });

  it('receivers down by their metrics but Ready by the Kubernetes API', () => {
    expect(j.fleetReasons.map(r => r.id)).toEqual([
      'reconcile-sources-disagree',
    ]);
    expect(ids(j, 'central')).toContain('reconcile-sources-disagree');
  });

  it('a failed source leaves its columns out and makes rows unknown, never a ghost', () => {
    const down = joinFleet(
      inputs({
        remoteWrite: {
          status: 'failed',
          fetchedAt,
          error: {
            upstream: 'thanos:default',
            kind: 'unreachable',
            message: 'connection refused',
          },
        },
        observed: {
          status: 'failed',
          fetchedAt,
          error: {
            upstream: 'thanos:default',
            kind: 'unreachable',
            message: 'connection refused',
          },
        },
      }),
    );
    const ghost = down.clusters.find(c => c.cluster === 'ghost')!;
    expect(ghost.reasons.map(r => r.id)).not.toContain('reconcile-never-seen');
    expect(ghost.remoteWrite).toBeUndefined();
    // What the other sources know still counts (no overlay); a row with nothing else is unknown.
    expect(ghost.state).toBe('degraded');
    expect(down.clusters.find(c => c.cluster === 'good')!.state).toBe(
      'unknown',
    );
    expect(ghost.reasons.map(r => r.id)).toContain('upstream-unreachable');
    expect(down.clusters.length).toBeGreaterThan(5);
  });

  it('no GitOps repository configured: no overlay reasons at all', () => {
    const none = joinFleet(inputs({ gitops: { status: 'not-configured' } }));
    const all = none.clusters.flatMap(c => c.reasons.map(r => r.id));
    expect(all).not.toContain('reconcile-no-overlay');
    expect(all).not.toContain('reconcile-no-application');
    expect(all).not.toContain('reconcile-tenant-no-overlay');
  });

  describe('the fleet capacity joined on the tenant', () => {
    const limitSoon = {
      id: 'capacity-tenant-limit-soon',
      severity: 'warning' as const,
      message: 'Tenant "good" reaches its head-series limit of 50k in 3 days',
      hints: ['Find the metric that grows and drop it'],
    };
    const capacity = ok({
      tenants: {
        good: {
          daysLeft: 3,
          reachesAt: at('2026-12-07T12:00:00Z'),
          confidence: 'high' as const,
          reasons: [limitSoon],
        },
        // A tenant no row writes as joins nothing.
        nobody: { confidence: 'none' as const, reasons: [] },
      },
    });

    it("puts the tenant's forecast and its capacity reason on the row", () => {
      const withCapacity = joinFleet(inputs({ capacity }));
      const good = withCapacity.clusters.find(c => c.cluster === 'good')!;
      expect(good.receive).toEqual({
        tenant: 'good',
        routed: true,
        hashring: 'edges',
        limit: 50000,
        headSeries: 1200,
        forecast: {
          daysLeft: 3,
          reachesAt: at('2026-12-07T12:00:00Z'),
          confidence: 'high',
          atRisk: true,
        },
      });
      expect(good.reasons).toEqual([limitSoon]);
      expect(good.state).toBe('degraded');
      expect(withCapacity.clusters.map(c => c.cluster)).not.toContain('nobody');
      // capacity never makes a cluster known: it only adds to rows with a tenant.
      expect(good.knownFrom).not.toContain('capacity');
    });

    it('a tenant with room has its forecast and no reason', () => {
      const roomy = joinFleet(
        inputs({
          capacity: ok({
            tenants: {
              good: {
                daysLeft: 40,
                confidence: 'medium' as const,
                reasons: [],
              },
            },
          }),
        }),
      );
      const good = roomy.clusters.find(c => c.cluster === 'good')!;
      expect(good.receive?.forecast).toEqual({
        daysLeft: 40,
        confidence: 'medium',
        atRisk: false,
      });
      expect(good.reasons).toEqual([]);
      expect(good.state).toBe('healthy');
    });

    it('the capacity source failing alone: no forecast, its upstream reason, every other column kept', () => {
      const down = joinFleet(
        inputs({
          capacity: {
            status: 'failed',
            fetchedAt,
            error: {
              upstream: 'thanos:default',
              kind: 'timeout',
              message: 'capacity query timed out',
            },
          },
        }),
      );
      const good = down.clusters.find(c => c.cluster === 'good')!;
      expect(good.receive).toEqual({
        tenant: 'good',
        routed: true,
        hashring: 'edges',
        limit: 50000,
        headSeries: 1200,
      });
      expect(good.overlay).toBeDefined();
      expect(good.remoteWrite?.state).toBe('healthy');
      expect(good.state).toBe('unknown');
      expect(good.reasons.map(r => r.id)).toEqual(['upstream-timeout']);
      expect(down.fleetReasons.map(r => r.message)).toContainEqual(
        expect.stringContaining('capacity query timed out'),
      );
      // The other rows' findings stand.
      expect(ids(down, 'orphan-overlay')).toContain('reconcile-no-application');
    });
  });
});
