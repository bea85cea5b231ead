import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { mockServices } from '@backstage/backend-test-utils';
import type {
  ReconciledCluster,
  ReconciledFleet,
} from '@fleet-monitoring/plugin-monitoring-common';
import express from 'express';
import request from 'supertest';
import type { EntityAccess } from '../core/entityAccess';
import { createRouter } from '../router';
import type { ThanosInstances } from '../thanos/ThanosInstances';
import type {
  ReconcileService,
  ReconciledFleetAnswer,
} from './ReconcileService';
import { addReconcileRoutes } from './routes';

const reason = (id: string) => ({
  id,
  severity: 'warning' as const,
  message: id,
});

const cluster = (
  name: string,
  reasons: string[],
  extra: Partial<ReconciledCluster> = {},
): ReconciledCluster => ({
  cluster: name,
  state: reasons.length ? 'degraded' : 'healthy',
  reasons: reasons.map(reason),
  knownFrom: ['remote-write'],
  argocd: [],
  ...extra,
});

const fleet: ReconciledFleetAnswer = {
  instance: 'central',
  generatedAt: '2026-12-04T12:00:00.000Z',
  clusters: [
    cluster('edge-full', ['capacity-tenant-at-limit'], {
      receive: {
        tenant: 'edge-full',
        limit: 10000,
        headSeries: 10000,
        forecast: { daysLeft: 0, confidence: 'high', atRisk: true },
      },
    }),
    cluster('edge-ghost', ['reconcile-not-in-catalog']),
    cluster('edge-ok', [], {
      receive: {
        tenant: 'edge-ok',
        forecast: { daysLeft: 40, confidence: 'medium', atRisk: false },
      },
    }),
    cluster(
      'edge-soon',
      ['reconcile-no-overlay', 'capacity-tenant-limit-soon'],
      {
        receive: {
          tenant: 'edge-soon',
          forecast: { daysLeft: 3, confidence: 'low', atRisk: true },
        },
      },
    ),
  ],
  fleetReasons: [],
  sources: [
    { source: 'remote-write', status: 'ok' },
    { source: 'capacity', status: 'ok' },
  ],
};

// The route as the generated router serves it, responses checked against the document.
async function app() {
  const access = {
    requireBasic: async () => ({}),
  } as unknown as EntityAccess;
  const reconcile = {
    fleet: async () => fleet,
  } as unknown as ReconcileService;
  const router = await createRouter({
    logger: mockServices.logger.mock(),
    access,
    instances: { names: () => ['central'] } as unknown as ThanosInstances,
    addRoutes: [
      (r, send) => addReconcileRoutes(r, { access, reconcile, send }),
    ],
    validateResponses: true,
  });
  const middleware = MiddlewareFactory.create({
    config: mockServices.rootConfig(),
    logger: mockServices.rootLogger(),
  });
  return express().use(router).use(middleware.error());
}

describe('GET /fleet/{instance}/reconciled?reason=capacity', () => {
  it('keeps the rows carrying any capacity-* reason, forecast included', async () => {
    const res = await request(await app()).get(
      '/fleet/central/reconciled?reason=capacity',
    );
    expect(res.status).toBe(200);
    const body = res.body as ReconciledFleet;
    expect(body.clusters.map(c => c.cluster)).toEqual([
      'edge-full',
      'edge-soon',
    ]);
    expect(body.clusters[1].receive?.forecast).toEqual({
      daysLeft: 3,
      confidence: 'low',
      atRisk: true,
    });
    expect(body.page.total).toBe(2);
    // The whole fleet's counts, with the group's own.
    expect(body.counts.reasons).toMatchObject({
      capacity: 2,
      'capacity-tenant-at-limit': 1,
      'capacity-tenant-limit-soon': 1,
    });
    expect(body.counts.clusters).toBe(4);
  });

  it('combines with the other reasons (any of them) and other filters', async () => {
    const server = await app();
    const either = await request(server).get(
      '/fleet/central/reconciled?reason=capacity&reason=reconcile-not-in-catalog',
    );
    expect(
      either.body.clusters.map((c: ReconciledCluster) => c.cluster),
    ).toEqual(['edge-full', 'edge-ghost', 'edge-soon']);
    const named = await request(server).get(
      '/fleet/central/reconciled?reason=capacity&name=SOON',
    );
    expect(
      named.body.clusters.map((c: ReconciledCluster) => c.cluster),
    ).toEqual(['edge-soon']);
    // A single capacity reason id still selects only its own rows.
    const one = await request(server).get(
      '/fleet/central/reconciled?reason=capacity-tenant-at-limit',
    );
    expect(one.body.clusters.map((c: ReconciledCluster) => c.cluster)).toEqual([
      'edge-full',
    ]);
  });

  it('refuses a malformed reason with a 400 naming it', async () => {
    const res = await request(await app()).get(
      '/fleet/central/reconciled?reason=Capacity!',
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('reason');
  });
});
