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
