import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  FleetSimulator,
  LocalFleet,
  waitFor,
} from '@fleet-monitoring/local-fleet';
import type {
  ClusterHealth,
  FleetSummary,
  ThanosHealth,
} from '@fleet-monitoring/plugin-monitoring-common';
import request from 'supertest';
import { fleetMonitoringPlugin } from './plugin';
import {
  joinSignals,
  SIGNAL_LABEL,
  signals,
  type SignalAnswer,
} from './thanos/signals';
import { scanSignalVector } from './thanos/vectorScan';

jest.setTimeout(180_000);

/**
 * The backend against a real fleet: Prometheus agents (agent mode) remote-writing to a central
 * Prometheus with the remote-write receiver, and real faults: a broken remote-write target, a stopped
 * agent, a stopped central store.
 */
describe('fleet health against real Prometheus agents', () => {
  let fleet: LocalFleet;
  let backend: TestBackend;
  let simulator: FleetSimulator;

  beforeAll(async () => {
    fleet = await LocalFleet.start({
      agents: ['edge-a', 'edge-b', 'edge-c'],
      scrapeInterval: '1s',
    });
    simulator = new FleetSimulator({
      writeUrl: fleet.writeUrl,
      receive: { fault: 'http-errors', job: 'thanos-receive', replicas: 2 },
      // Fresh samples every 5 s: the 20 s rate window needs them.
      stepSeconds: 5,
    });
    await simulator.writeUntilNow();
    simulator.startTicking();
    backend = await startTestBackend({
      features: [
        fleetMonitoringPlugin,
        mockServices.rootConfig.factory({
          data: {
            fleetMonitoring: {
              // Every answer is checked against the OpenAPI document by the router itself.
              validateResponses: true,
              cache: { ttlSeconds: 0 },
              // Hold-down is three rate windows (60 s here), like the mixin's `for:` on [5m].
              rateWindow: '20s',
              thresholds: { remoteWrite: { staleAfterSeconds: 15 } },
              thanos: [
                { name: 'local', baseUrl: fleet.queryUrl, timeoutMs: 3000 },
              ],
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'receive',
                namespace: 'default',
                annotations: {
                  'fleet-monitoring.io/thanos-component': 'receive',
                },
              },
              spec: {},
            },
          ],
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    simulator?.stopTicking();
    await fleet?.stop();
  });

  async function summary(): Promise<FleetSummary> {
    const res = await request(backend.server)
      .get('/api/fleet-monitoring/fleet/local/summary')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    return res.body;
  }

  async function waitForCluster(
    cluster: string,
    predicate: (c: ClusterHealth) => boolean,
    what: string,
  ): Promise<ClusterHealth> {
    let last: ClusterHealth | undefined;
    await waitFor(
      async () => {
        last = (await summary()).clusters.find(c => c.cluster === cluster);
        return Boolean(last && predicate(last));
      },
      {
        timeoutMs: 150_000,
        intervalMs: 1000,
        what: `${cluster} ${what} (last: ${JSON.stringify(() => last)})`,
      },
    ).catch(e => {
      throw new Error(`${e.message}\nlast seen: ${JSON.stringify(last)}`);
    });
    return last!;
  }

  it('sees every agent healthy once they remote-write', async () => {
    for (const cluster of ['edge-a', 'edge-b', 'edge-c']) {
      const c = await waitForCluster(
        cluster,
        // The lag is waited for too: the agent counts samples_total when a send is attempted and
        // sets its newest sent timestamp once the request returns (storage/remote/queue_manager.go,
        // sendSamplesWithBackoff), so its first scrapes can count samples sent with no sent
        // timestamp yet: no lag to compute, a healthy start (CI caught it once).
        x =>
          x.state === 'healthy' &&
          (x.stats.samplesPerSecond ?? 0) > 0 &&
          x.stats.lagSeconds !== undefined,
        'healthy',
      );
      expect(c.stats.lagSeconds).toBeLessThan(60);
      // The fleet asks only for what its table shows or its judge reads: no shard count, and a
      // backlog only over the judge's limit (the entity card reads both for its cluster).
      expect(c.stats.shards).toBeUndefined();
      expect(c.stats.pendingSamples).toBeUndefined();
    }
  });

  it("reads the real store's joined answers straight into signals, as parsing them would", async () => {
    // What the summary reads: per-cluster and per-queue series (instance, remote_name, url) of
    // the agents, tagged and joined as the backend joins them.
    const query = joinSignals([
      [
        'sent',
        'sum by (cluster) (rate(prometheus_remote_storage_samples_total[1m]))',
      ],
      [
        'lag_q',
        'prometheus_remote_storage_queue_highest_sent_timestamp_seconds',
      ],
    ]);
    const res = await fetch(`${fleet.queryUrl}/api/v1/query`, {
      method: 'POST',
      body: new URLSearchParams({ query }),
    });
    const text = await res.text();
    const scanned = scanSignalVector(text);
    expect(scanned).toBeDefined();
    const parsed = signals(JSON.parse(text).data.result);
    const plain = (split: SignalAnswer) =>
      [...split].map(([signal, list]) => [
        signal,
        list.map(({ labels, value }) => {
          const { [SIGNAL_LABEL]: _, ...rest } = labels;
          return { labels: rest, value };
        }),
      ]);
    expect(plain(scanned!.result)).toEqual(plain(parsed));
    expect(scanned!.result.get('sent')?.length).toBeGreaterThanOrEqual(3);
    expect(scanned!.result.get('lag_q')?.[0].labels.url).toMatch(/^http/);
  });

  it('turns a broken remote-write target into failed samples -> failing once it held', async () => {
    await fleet.breakRemoteWrite('edge-b');
    const c = await waitForCluster(
      'edge-b',
      x => x.state === 'failing',
      'failing',
    );
    expect(c.reasons.map(r => r.id)).toContain('remote-write-failing');
    // The second queue is named; the first one keeps delivering.
    expect(
      c.reasons.find(r => r.id === 'remote-write-failing')?.message,
    ).toContain('queue "broken"');
    expect(c.stats.failedPerSecond).toBeGreaterThan(0);
    await fleet.repairRemoteWrite('edge-b');
  });

  it('reports a silent cluster as no-data', async () => {
    await fleet.agent('edge-c').stop();
    const c = await waitForCluster(
      'edge-c',
      x => x.state === 'no-data',
      'no-data',
    );
    expect(c.reasons.map(r => r.id)).toEqual(['cluster-no-data']);
  });

  it('keeps the last known clusters as unknown while the store is down, then shows the catch-up as a pending retry, not a fault', async () => {
    const before = await summary();
    await fleet.stopCentral();
    const down = await summary();
    expect(down.error).toMatchObject({ upstream: 'thanos:local' });
    expect(down.stale?.upstream).toBe('thanos:local');
    expect(down.clusters.map(c => c.cluster)).toEqual(
      before.clusters.map(c => c.cluster),
    );
    expect(down.clusters.every(c => c.state === 'unknown')).toBe(true);
    await new Promise(r => setTimeout(r, 12_000));
    await fleet.startCentral();
    // A 12 s outage is shorter than the hold-down (the rule clock's for:): the retries it left are
    // pending, an info reason on a healthy cluster, never degraded. No backlog above the lag
    // warning built up, so nothing drains and nothing is "recovering" (core/ruleClock.ts).
    // The first answers after the restart may still be the stale last-known list; wait for a fresh
    // one that sees the retries.
    const c = await waitForCluster(
      'edge-a',
      x =>
        x.reasons.some(r => r.id === 'remote-write-retrying') &&
        (x.stats.retriedPerSecond ?? 0) > 0,
      'the retries after the outage',
    );
    expect(c.state).toBe('healthy');
    expect(
      c.reasons.find(r => r.id === 'remote-write-retrying')?.severity,
    ).toBe('info');
  });

  it('turns simulated receive 5xx into a Thanos reason', async () => {
    // The store outage above left a gap in the receive series: the 5xx condition has to hold for the
    // hold-down (three 20 s windows) again before it fires, as the mixin's `for:` would.
    let body: ThanosHealth | undefined;
    await waitFor(
      async () => {
        const res = await request(backend.server)
          .get('/api/fleet-monitoring/entity/component/default/receive/thanos')
          .set('Authorization', mockCredentials.user.header());
        body = res.body;
        return body?.state === 'failing';
      },
      { timeoutMs: 150_000, intervalMs: 2_000, what: 'receive 5xx to fire' },
    );
    if (!body) throw new Error('no answer');
    expect(body.reasons.map(r => r.id)).toEqual(['receive-http-errors']);
    expect(body.receive?.httpErrorRatio).toBeGreaterThan(0.1);
  });
});
