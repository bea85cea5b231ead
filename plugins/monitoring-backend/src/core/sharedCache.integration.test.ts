import { cacheServiceFactory } from '@backstage/backend-defaults/cache';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  centralConfig,
  FleetSimulator,
  planClusters,
  PrometheusProcess,
  ThanosQueryFake,
} from '@fleet-monitoring/local-fleet';
import request from 'supertest';
import { startRedis } from '../__testUtils__/redis';
import { fleetMonitoringPlugin } from '../plugin';

jest.setTimeout(60_000);

/** The backend keeps no state of its own: two replicas sharing Redis serve each other's answers. */
describe('two backend instances sharing a Redis cache', () => {
  let central: PrometheusProcess;
  let thanos: ThanosQueryFake;
  let redis: { url: string; stop: () => Promise<void> };
  const backends: TestBackend[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    central = new PrometheusProcess({
      name: 'central',
      mode: 'central',
      config: centralConfig('15s'),
    });
    await central.start();
    await new FleetSimulator({
      writeUrl: `${central.url}/api/v1/write`,
      clusters: planClusters(20, { failing: 2 }),
    }).writeUntilNow();
    thanos = new ThanosQueryFake({ prometheusUrl: central.url });
    await thanos.start();
    for (let i = 0; i < 2; i++) {
      backends.push(
        await startTestBackend({
          features: [
            fleetMonitoringPlugin,
            cacheServiceFactory,
            mockServices.rootConfig.factory({
              data: {
                backend: { cache: { store: 'redis', connection: redis.url } },
                fleetMonitoring: {
                  cache: { ttlSeconds: 60 },
                  thanos: [{ name: 'central', baseUrl: thanos.url }],
                },
              },
            }),
            catalogServiceMock.factory({ entities: [] }),
          ],
        }),
      );
    }
  });

  afterAll(async () => {
    for (const b of backends) await b.stop();
    await thanos?.stop();
    await central?.destroy();
    await redis?.stop();
  });

  it('serves from instance B what instance A computed', async () => {
    const get = (b: TestBackend) =>
      request(b.server)
        .get('/api/fleet-monitoring/fleet/central/summary')
        .set('Authorization', mockCredentials.user.header());
    const before = thanos.requests;
    const a = await get(backends[0]);
    expect(a.status).toBe(200);
    expect(a.body.clusters).toHaveLength(20);
    const afterA = thanos.requests;
    // The recording-rules probe, the first round's four PromQL queries and Thanos Query's /stores
    // (the receivers' tenants), then the held conditions of the two clusters failing now.
    expect(afterA - before).toBe(7);

    const b = await get(backends[1]);
    expect(b.status).toBe(200);
    expect(b.body.generatedAt).toBe(a.body.generatedAt);
    expect(b.body.clusters).toEqual(a.body.clusters);
    expect(thanos.requests).toBe(afterA);
  });
});
