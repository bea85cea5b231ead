import { cacheServiceFactory } from '@backstage/backend-defaults/cache';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
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
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { startPostgres } from '../__testUtils__/postgres';
import { startRedis } from '../__testUtils__/redis';
import { fleetMonitoringPlugin } from '../plugin';
import { SUMMARY_REFRESH_TASK } from './summaryRefresh';

jest.setTimeout(120_000);

const INTERVAL_SECONDS = 2;

/**
 * A counting path to the Thanos Query facade. Rounds are counted by Thanos Query's /api/v1/stores
 * (one per summary round). While `held`, requests wait until released: an answer given meanwhile
 * cannot have come from the upstream.
 */
async function countingPath(target: string) {
  const state = { requests: 0, rounds: 0, held: false };
  let release: () => void = () => {};
  let released = Promise.resolve();
  const server = http.createServer(async (req, res) => {
    state.requests++;
    if (req.url?.startsWith('/api/v1/stores')) state.rounds++;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (state.held) await released;
    try {
      const upstream = await fetch(`${target}${req.url}`, {
        method: req.method,
        headers: req.headers['content-type']
          ? { 'content-type': req.headers['content-type'] }
          : undefined,
        body: req.method === 'POST' ? Buffer.concat(chunks) : undefined,
      });
      res
        .writeHead(upstream.status, {
          'content-type':
            upstream.headers.get('content-type') ?? 'application/json',
        })
        .end(Buffer.from(await upstream.arrayBuffer()));
    } catch {
      res.destroy();
    }
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    state,
    hold() {
      state.held = true;
      released = new Promise(r => {
        release = r;
      });
    },
    release() {
      state.held = false;
      release();
    },
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise(r => server.close(r));
    },
  };
}

async function until<T>(
  what: string,
  get: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 100));
  }
}

/**
 * Item 3 of #20: replicas sharing Redis (the answers) and PostgreSQL (the scheduler's task table)
 * refresh the fleet summary once per interval between them, and each serves the stored summary.
 */
describe('summary refresh across two replicas (Redis + PostgreSQL)', () => {
  let central: PrometheusProcess;
  let thanos: ThanosQueryFake;
  let path: Awaited<ReturnType<typeof countingPath>>;
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let postgres: Awaited<ReturnType<typeof startPostgres>>;
  const running = new Set<TestBackend>();
  const user = mockCredentials.user.header();

  beforeAll(async () => {
    [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
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
    path = await countingPath(thanos.url);
  });

  afterAll(async () => {
    path?.release();
    for (const b of running) await b.stop();
    await path?.stop();
    await thanos?.stop();
    await central?.destroy();
    await postgres?.stop();
    await redis?.stop();
  });

  async function replica(): Promise<TestBackend> {
    const backend = await startTestBackend({
      features: [
        fleetMonitoringPlugin,
        cacheServiceFactory,
        databaseServiceFactory,
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            backend: {
              cache: { store: 'redis', connection: redis.url },
              database: { client: 'pg', connection: postgres.connection },
            },
            fleetMonitoring: {
              cache: { ttlSeconds: 60 },
              summaryRefresh: {
                intervalSeconds: INTERVAL_SECONDS,
                timeoutSeconds: 20,
              },
              thanos: [{ name: 'central', baseUrl: path.url }],
            },
          },
        }),
        catalogServiceMock.factory({ entities: [] }),
      ],
    });
    running.add(backend);
    return backend;
  }

  async function stop(backend: TestBackend) {
    running.delete(backend);
    await backend.stop();
  }

  const summary = async (backend: TestBackend) => {
    const res = await request(backend.server)
      .get('/api/fleet-monitoring/fleet/central/summary')
      .set('authorization', user);
    expect(res.status).toBe(200);
    return res.body;
  };

  /** The task as the scheduler keeps it in the shared database (any replica reads the same row). */
  const taskState = async (backend: TestBackend) => {
    const res = await request(backend.server)
      .get('/api/fleet-monitoring/.backstage/scheduler/v1/tasks')
      .set('authorization', user);
    expect(res.status).toBe(200);
    const task = res.body.tasks.find(
      (t: { taskId: string }) => t.taskId === SUMMARY_REFRESH_TASK,
    );
    expect(task.scope).toBe('global');
    return task.taskState;
  };

  it('runs one round per interval between the replicas, serves the stored summary from both, and after a restart at once', async () => {
    const a = await replica();
    let b = await replica();

    // The first round, run by whichever replica claimed the task, ends in the shared store.
    await until(
      'the first round',
      () => taskState(b),
      s => s?.lastRunEndedAt !== undefined,
    );
    expect(path.state.rounds).toBe(1);

    // Both replicas answer from the store, not the upstream: with every upstream call held, the
    // answers still come, and they are the stored round.
    path.hold();
    const fromA = await summary(a);
    const fromB = await summary(b);
    expect(fromA.clusters).toHaveLength(20);
    expect(fromB.clusters).toHaveLength(20);
    expect(fromB.counts).toEqual(fromA.counts);
    path.release();

    // Over several intervals, with both replicas serving requests all along: one round per
    // interval between them. The scheduler plans a global task's runs at least the interval apart
    // (next = previous plan + interval, or now if later) and one replica claims each; a run may
    // start up to one poll (<= the interval) after its plan, hence the one extra. Two replicas
    // refreshing on their own (scope 'local') run about twice as many and fail this.
    const rounds0 = path.state.rounds;
    const started = Date.now();
    while (path.state.rounds - rounds0 < 6) {
      await Promise.all([summary(a), summary(b)]);
      await new Promise(r => setTimeout(r, 100));
    }
    const windowSeconds = (Date.now() - started) / 1000;
    const rounds = path.state.rounds - rounds0;
    expect(rounds).toBeLessThanOrEqual(
      Math.floor(windowSeconds / INTERVAL_SECONDS) + 2,
    );

    // A replica restarts: its first answer comes while every upstream call is held, so it is no
    // round of its own (a round that had all its answers before the hold may still land in the
    // store meanwhile): the stored summary, computed before the restarted replica was asked.
    await stop(b);
    path.hold();
    b = await replica();
    const asked = Date.now();
    const afterRestart = await summary(b);
    expect(afterRestart.clusters).toHaveLength(20);
    expect(afterRestart.stale).toBeUndefined();
    expect(Date.parse(afterRestart.generatedAt)).toBeLessThanOrEqual(asked);
    path.release();
  });
});
