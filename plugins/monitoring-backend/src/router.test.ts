import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { mockServices } from '@backstage/backend-test-utils';
import type { FleetSummary } from '@fleet-monitoring/plugin-monitoring-common';
import express from 'express';
import request from 'supertest';
import type { EntityAccess } from './core/entityAccess';
import type { RemoteWriteService } from './remoteWrite/RemoteWriteService';
import { addRemoteWriteRoutes } from './remoteWrite/routes';
import { createRouter } from './router';
import type { ThanosInstances } from './thanos/ThanosInstances';

const summary: FleetSummary = {
  instance: 'central',
  generatedAt: '2026-11-26T10:00:00.000Z',
  clusters: [
    { cluster: 'cluster-01', state: 'healthy', reasons: [], stats: {} },
  ],
  counts: {
    healthy: 1,
    recovering: 0,
    degraded: 0,
    failing: 0,
    'no-data': 0,
    unknown: 0,
  },
};

// The router's own contract checks, without upstreams: what the generated router validates.
async function app(options: { body: object; validateResponses: boolean }) {
  const access = {
    credentials: async () => ({}),
    requireBasic: async () => ({}),
  } as unknown as EntityAccess;
  const remoteWrite = {
    fleetSummary: async () => options.body,
  } as unknown as RemoteWriteService;
  const instances = {
    names: () => ['central'],
  } as unknown as ThanosInstances;
  const router = await createRouter({
    logger: mockServices.logger.mock(),
    access,
    instances,
    addRoutes: [
      (r, send) => addRemoteWriteRoutes(r, { access, remoteWrite, send }),
    ],
    validateResponses: options.validateResponses,
  });
  const middleware = MiddlewareFactory.create({
    config: mockServices.rootConfig(),
    logger: mockServices.rootLogger(),
  });
  return express().use(router).use(middleware.error());
}

describe('generated router', () => {
  it('answers a summary that matches the OpenAPI document', async () => {
    const res = await request(
      await app({ body: summary, validateResponses: true }),
    ).get('/fleet/central/summary');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(summary);
    expect(res.headers.etag).toBeDefined();
  });

  it('answers 304 to a client that has the same summary, also when validating', async () => {
    const server = await app({ body: summary, validateResponses: true });
    const first = await request(server).get('/fleet/central/summary');
    const again = await request(server)
      .get('/fleet/central/summary')
      .set('If-None-Match', first.headers.etag);
    expect(again.status).toBe(304);
  });

  it('refuses to send an answer the document does not allow', async () => {
    const broken = { ...summary, clusters: [{ cluster: 'c', state: 'fine' }] };
    const validated = await request(
      await app({ body: broken, validateResponses: true }),
    ).get('/fleet/central/summary');
    expect(validated.status).not.toBe(200);
    expect(validated.body.error.message).toMatch(/response\/clusters\/0/);
    // Without response validation (production default) the same body goes out as it is.
    const unchecked = await request(
      await app({ body: broken, validateResponses: false }),
    ).get('/fleet/central/summary');
    expect(unchecked.status).toBe(200);
  });

  it('validates requests against the document before any handler runs', async () => {
    const server = await app({ body: summary, validateResponses: false });
    const badInstance = await request(server).get('/fleet/Central!/summary');
    expect(badInstance.status).toBe(400);
    expect(badInstance.body.error.message).toContain('instance');
  });

  it('serves the document it validates against', async () => {
    const res = await request(
      await app({ body: summary, validateResponses: false }),
    ).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toContain('/fleet/{instance}/summary');
  });
});

describe('the fleet in pages (GET /fleet/{instance}/summary?offset&limit&name&state&sort&order)', () => {
  const states = ['healthy', 'degraded', 'failing', 'no-data'] as const;
  // 40 clusters: edge-00..edge-19 and core-00..core-19, states in turn, lag = index.
  const clusters = Array.from({ length: 40 }, (_, i) => ({
    cluster: `${i < 20 ? 'edge' : 'core'}-${String(i % 20).padStart(2, '0')}`,
    state: states[i % 4],
    reasons: [],
    stats: { lagSeconds: i },
  }));
  const fleet: FleetSummary = {
    ...summary,
    clusters: [...clusters].sort((a, b) => a.cluster.localeCompare(b.cluster)),
    counts: {
      healthy: 10,
      recovering: 0,
      degraded: 10,
      failing: 10,
      'no-data': 10,
      unknown: 0,
    },
  };
  let server: express.Express;
  beforeAll(async () => {
    server = await app({ body: fleet, validateResponses: true });
  });
  const get = (query: string) =>
    request(server).get(`/fleet/central/summary${query}`);
  const names = (body: FleetSummary) => body.clusters.map(c => c.cluster);

  it('answers the whole fleet as before when no parameter is given', async () => {
    const res = await get('');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(fleet);
    expect(res.body.page).toBeUndefined();
  });

  it('pages: one page of clusters, the total that matches and the whole fleet counts', async () => {
    const res = await get('?offset=10&limit=5&sort=cluster');
    expect(res.status).toBe(200);
    expect(names(res.body)).toEqual([
      'core-10',
      'core-11',
      'core-12',
      'core-13',
      'core-14',
    ]);
    expect(res.body.page).toEqual({
      offset: 10,
      limit: 5,
      total: 40,
      sort: 'cluster',
      order: 'asc',
    });
    expect(res.body.counts).toEqual(fleet.counts);
    // Past the end: an empty page, still with the total.
    const past = await get('?offset=100&limit=5');
    expect(past.body.clusters).toEqual([]);
    expect(past.body.page.total).toBe(40);
  });

  it('defaults to 50 clusters sorted worst first, the most lagging first within a state', async () => {
    const res = await get('?offset=0');
    expect(res.body.page).toMatchObject({ limit: 50, sort: 'state' });
    expect(res.body.clusters).toHaveLength(40);
    expect(res.body.clusters.slice(0, 3).map((c: any) => c.state)).toEqual([
      'failing',
      'failing',
      'failing',
    ]);
    // failing clusters are i = 2, 6, ..., 38: the most lagging (38 = core-18) first.
    expect(res.body.clusters[0].cluster).toBe('core-18');
    expect(res.body.clusters[39].state).toBe('healthy');
  });

  it('filters by name (case-insensitive) and by several states, counting the matches', async () => {
    const byName = await get('?name=EDGE-1&sort=cluster');
    expect(byName.body.page.total).toBe(10);
    expect(names(byName.body)[0]).toBe('edge-10');
    const byStates = await get('?state=failing&state=degraded&limit=100');
    expect(byStates.body.page.total).toBe(20);
    expect(new Set(byStates.body.clusters.map((c: any) => c.state))).toEqual(
      new Set(['failing', 'degraded']),
    );
    const oneState = await get('?state=healthy&name=core');
    expect(oneState.body.page.total).toBe(5);
    expect(oneState.body.counts).toEqual(fleet.counts);
  });

  it('sorts by a number in either order, ties by name', async () => {
    const desc = await get('?sort=lag&order=desc&limit=2');
    expect(names(desc.body)).toEqual(['core-19', 'core-18']);
    const asc = await get('?sort=lag&order=asc&limit=2');
    expect(names(asc.body)).toEqual(['edge-00', 'edge-01']);
    const byNameDesc = await get('?sort=cluster&order=desc&limit=1');
    expect(names(byNameDesc.body)).toEqual(['edge-19']);
  });

  it('gives each page its own ETag and answers 304 per page', async () => {
    const first = await get('?offset=0&limit=5');
    const second = await get('?offset=5&limit=5');
    expect(first.headers.etag).toBeDefined();
    expect(second.headers.etag).not.toBe(first.headers.etag);
    const again = await get('?offset=5&limit=5').set(
      'If-None-Match',
      second.headers.etag,
    );
    expect(again.status).toBe(304);
    const other = await get('?offset=0&limit=5').set(
      'If-None-Match',
      second.headers.etag,
    );
    expect(other.status).toBe(200);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=ten', 'limit'],
    ['offset=-1', 'offset'],
    ['offset=1.5', 'offset'],
    ['state=fine', 'state'],
    ['state=failing&state=bogus', 'state'],
    ['sort=size', 'sort'],
    ['order=up', 'order'],
    [`name=${'x'.repeat(300)}`, 'name'],
  ])('refuses %s with a 400 naming the field', async (query, field) => {
    const res = await get(`?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(field);
  });
});
