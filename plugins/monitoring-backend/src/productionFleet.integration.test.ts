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
  LocalFleet,
  PrometheusProcess,
  SimulatedCluster,
  ThanosQueryFake,
  waitFor,
} from '@fleet-monitoring/local-fleet';
import type {
  ClusterHealth,
  FleetSummary,
  HealthState,
} from '@fleet-monitoring/plugin-monitoring-common';
import request from 'supertest';
import { fleetMonitoringPlugin } from './plugin';

jest.setTimeout(240_000);

/**
 * The backend against a production-shaped fleet: real Prometheus agents writing through Thanos
 * Receive with replication factor 3 (one receiver down, one tenant over its head-series limit),
 * Thanos Query's dedup semantics on and off, simulated clusters silent for 2 h and 2 d and one
 * lagging past the lookback, and a plain store with replication factor 1 for comparison.
 */
const SIM: SimulatedCluster[] = [
  { name: 'sim-ok', fault: 'healthy', version: 2 },
  { name: 'sim-v3', fault: 'healthy', version: 3 },
  { name: 'sim-silent-2h', fault: 'silent-2h' },
  { name: 'sim-silent-2d', fault: 'silent-2d' },
  { name: 'sim-lagging', fault: 'lagging-heavily' },
];

const entity = (
  kind: string,
  name: string,
  annotations: Record<string, string>,
) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default', annotations },
  spec: {},
});

describe('fleet health on a production-shaped fleet (replication, several queues, long silences)', () => {
  let fleet: LocalFleet;
  let rf1: PrometheusProcess;
  /** rf1 behind a facade that answers /stores 404 like plain Prometheus, so it can be pinned in time. */
  let rf1Query: ThanosQueryFake;
  const simulators: FleetSimulator[] = [];
  let backend: TestBackend;

  beforeAll(async () => {
    fleet = await LocalFleet.start({
      agents: ['edge-a', 'edge-b', 'edge-c'],
      scrapeInterval: '1s',
      replication: { factor: 3, down: [2], headSeriesLimits: { 'edge-c': 20 } },
      beforeAgents: async f => {
        const sim = new FleetSimulator({
          sink: f.sink,
          clusters: SIM,
          stepSeconds: 5,
        });
        // The 2-day-silent cluster's tenant is still held by the receivers; Thanos has no series.
        for (const t of sim.tenants) f.extraTenants.add(t);
        f.refreshStores();
        await sim.writeUntilNow();
        simulators.push(sim);
      },
    });
    rf1 = new PrometheusProcess({
      name: 'rf1',
      mode: 'central',
      config: centralConfig('5s'),
    });
    await rf1.start();
    rf1Query = new ThanosQueryFake({ prometheusUrl: rf1.url, stores: [] });
    rf1Query.pretendPlainPrometheus = true;
    await rf1Query.start();
    const plain = new FleetSimulator({
      writeUrl: `${rf1.url}/api/v1/write`,
      clusters: SIM.filter(c => c.fault === 'healthy'),
      stepSeconds: 5,
    });
    await plain.writeUntilNow();
    simulators.push(plain);
    for (const s of simulators) s.startTicking();

    backend = await startTestBackend({
      features: [
        fleetMonitoringPlugin,
        mockServices.rootConfig.factory({
          data: {
            fleetMonitoring: {
              // Every answer is checked against the OpenAPI document by the router itself.
              validateResponses: true,
              cache: { ttlSeconds: 0 },
              rateWindow: '30s',
              thresholds: { remoteWrite: { staleAfterSeconds: 60 } },
              thanos: [
                { name: 'dedup', baseUrl: fleet.queryUrl, timeoutMs: 5000 },
                {
                  name: 'raw',
                  baseUrl: fleet.queryUrl,
                  timeoutMs: 5000,
                  dedup: false,
                },
                { name: 'rf1', baseUrl: rf1Query.url, timeoutMs: 5000 },
              ],
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            entity('Resource', 'sim-silent-2d', {
              'fleet-monitoring.io/cluster': 'sim-silent-2d',
            }),
            entity('Resource', 'newline', {
              'fleet-monitoring.io/cluster': 'edge-a\nedge-b',
            }),
            entity('Resource', 'long', {
              'fleet-monitoring.io/cluster': 'c'.repeat(300),
            }),
            entity('Component', 'receive', {
              'fleet-monitoring.io/thanos-component': 'receive',
              'fleet-monitoring.io/thanos-selector': 'job="thanos-receive"',
              'fleet-monitoring.io/thanos-instance': 'dedup',
            }),
            entity('Component', 'by-name', {
              'fleet-monitoring.io/metrics-selector':
                '__name__="prometheus_remote_storage_samples_total",job="prometheus-agent"',
              'fleet-monitoring.io/thanos-instance': 'dedup',
            }),
          ],
        }),
      ],
    });
  });

  afterAll(async () => {
    for (const s of simulators) s.stopTicking();
    await backend?.stop();
    await fleet?.stop();
    await rf1Query?.stop();
    await rf1?.destroy();
  });

  const get = (path: string) =>
    request(backend.server)
      .get(`/api/fleet-monitoring${path}`)
      .set('Authorization', mockCredentials.user.header());

  async function summary(instance = 'dedup'): Promise<FleetSummary> {
    const res = await get(`/fleet/${instance}/summary`);
    expect(res.status).toBe(200);
    return res.body;
  }

  async function waitForCluster(
    cluster: string,
    predicate: (c: ClusterHealth) => boolean,
    what: string,
    timeoutMs = 60_000,
  ): Promise<ClusterHealth> {
    let last: ClusterHealth | undefined;
    await waitFor(
      async () => {
        last = (await summary()).clusters.find(c => c.cluster === cluster);
        return Boolean(last && predicate(last));
      },
      { timeoutMs, intervalMs: 1000, what: `${cluster} ${what}` },
    ).catch(e => {
      throw new Error(`${e.message}\nlast seen: ${JSON.stringify(last)}`);
    });
    return last!;
  }

  it('lists clusters silent for 2 hours and 2 days, with how long they have been silent', async () => {
    const s = await summary();
    const byName = new Map(s.clusters.map(c => [c.cluster, c]));
    const twoHours = byName.get('sim-silent-2h')!;
    expect(twoHours.state).toBe('no-data');
    expect(twoHours.reasons.map(r => r.id)).toEqual(['cluster-no-data']);
    expect(twoHours.stats.silentForSeconds).toBeGreaterThan(7000);
    expect(twoHours.stats.silentForSeconds).toBeLessThan(7800);
    const twoDays = byName.get('sim-silent-2d')!;
    expect(twoDays.state).toBe('no-data');
    expect(twoDays.reasons.map(r => r.id)).toEqual(['cluster-never-seen']);
    expect(twoDays.knownFrom).toEqual(
      expect.arrayContaining(['tenant', 'catalog']),
    );
    expect(s.counts['no-data']).toBeGreaterThanOrEqual(2);
  });

  it('keeps a heavily lagging cluster failing, with every reason, not no-data', async () => {
    const c = (await summary()).clusters.find(
      x => x.cluster === 'sim-lagging',
    )!;
    expect(c.state).toBe('failing');
    const ids = c.reasons.map(r => `${r.id}:${r.severity}`);
    expect(ids).toEqual(
      expect.arrayContaining([
        'remote-write-behind:critical',
        'remote-write-failing:critical',
        'remote-write-retrying:warning',
        'remote-write-pending:warning',
      ]),
    );
    expect(c.stats.lagSeconds).toBeGreaterThan(600);
    expect(c.stats.tenantSamplesPerSecond).toBeGreaterThan(0);
  });

  it('gives the same rates under replication factor 3 with dedup on and off as with factor 1', async () => {
    // The stores are fed by moving simulators, and a 30 s rate() drops by 1/30 of the rate for every
    // second its newest sample is older than 1.1 steps (5.5 s). Answers taken at different moments
    // differ (814 vs 730.75 under load), so every store is asked at one evaluation time: the newest
    // sample time all stores have, where each holds a sample at most one step (5 s) old.
    const newestIn = async (baseUrl: string, extra = '') => {
      const body = await fetch(
        `${baseUrl}/api/v1/query?${extra}query=${encodeURIComponent('min(timestamp(prometheus_remote_storage_samples_total{cluster=~"sim-ok|sim-v3"}))')}`,
      ).then(r => r.json());
      return Number(body.data.result[0].value[1]);
    };
    const at = Math.min(
      await newestIn(fleet.queryUrl),
      await newestIn(fleet.queryUrl, 'dedup=false&'),
      await newestIn(rf1.url),
    );
    fleet.thanosQuery!.evaluationTime = at;
    rf1Query.evaluationTime = at;
    try {
      // The raw view really holds one copy per live replica (receiver 2 is down: two of three), so
      // a plain sum over it is doubled; our rates are not.
      const raw = await fetch(
        `${fleet.queryUrl}/api/v1/query?dedup=false&query=${encodeURIComponent('sum(rate(prometheus_remote_storage_samples_total{cluster="sim-ok"}[30s]))')}`,
      ).then(r => r.json());
      const plainSum = Number(raw.data.result[0].value[1]);

      const rate = async (instance: string, cluster: string) =>
        (await summary(instance)).clusters.find(c => c.cluster === cluster)
          ?.stats.samplesPerSecond;
      for (const cluster of ['sim-ok', 'sim-v3']) {
        const one = await rate('rf1', cluster);
        expect(one).toBeGreaterThan(700);
        expect(await rate('dedup', cluster)).toBeCloseTo(one!, 6);
        expect(await rate('raw', cluster)).toBeCloseTo(one!, 6);
      }
      expect(plainSum / (await rate('rf1', 'sim-ok'))!).toBeCloseTo(2, 3);
    } finally {
      fleet.thanosQuery!.evaluationTime = undefined;
      rf1Query.evaluationTime = undefined;
    }
    // The Thanos Query card says deduplication is off where it is.
    const off = await get('/thanos/raw/health');
    expect(off.body.reasons.map((r: { id: string }) => r.id)).toContain(
      'query-dedup-off',
    );
    const on = await get('/thanos/dedup/health');
    expect(on.body.reasons.map((r: { id: string }) => r.id)).not.toContain(
      'query-dedup-off',
    );
  });

  it('names a tenant Thanos Receive refuses with 429, and the receiver that is down', async () => {
    const c = await waitForCluster(
      'edge-c',
      x => x.reasons.some(r => r.id === 'tenant-over-limit'),
      'refused with 429',
    );
    expect(c.state).toBe('failing');
    expect(c.stats.tenantRefusedPerSecond).toBeGreaterThan(0);
    const receive = await get('/entity/component/default/receive/thanos');
    expect(receive.status).toBe(200);
    expect(
      receive.body.reasons.map(
        (r: { id: string; severity: string }) => `${r.id}:${r.severity}`,
      ),
    ).toContain('receive-instance-down:warning');
    expect(receive.body.receive).toMatchObject({
      instancesUp: 2,
      instancesTotal: 3,
      replicationFactor: 3,
    });
  });

  it('names a broken second queue while the first stays healthy', async () => {
    await waitForCluster('edge-b', x => x.state === 'healthy', 'healthy first');
    await fleet.breakRemoteWrite('edge-b');
    const c = await waitForCluster(
      'edge-b',
      x => x.state === 'failing',
      'failing after the hold-down',
      180_000,
    );
    const failing = c.reasons.filter(r => r.id === 'remote-write-failing');
    expect(failing).toHaveLength(1);
    expect(failing[0].message).toContain('queue "broken"');
    expect(c.reasons.some(r => r.message.includes('queue "central"'))).toBe(
      false,
    );
    await fleet.repairRemoteWrite('edge-b');
  });

  it('keeps the list as unknown during a store outage, then recovers from a 30 s blip without flapping', async () => {
    await waitForCluster(
      'edge-a',
      x => x.state === 'healthy',
      'healthy before the blip',
    );
    const before = await summary();
    await fleet.stopCentral();
    const down = await summary();
    expect(down.error?.upstream).toBe('thanos:dedup');
    expect(down.stale).toMatchObject({
      upstream: 'thanos:dedup',
      generatedAt: before.generatedAt,
    });
    expect(down.clusters.map(c => c.cluster)).toEqual(
      before.clusters.map(c => c.cluster),
    );
    expect(new Set(down.clusters.map(c => c.state))).toEqual(
      new Set(['unknown']),
    );
    expect(
      down.clusters.find(c => c.cluster === 'edge-a')?.lastKnownState,
    ).toBe('healthy');
    expect(down.counts.unknown).toBe(before.clusters.length);

    await new Promise(r => setTimeout(r, 30_000));
    await fleet.startCentral();
    const seen: HealthState[] = [];
    const trace: string[] = [];
    const restarted = Date.now();
    const until = restarted + 130_000;
    while (Date.now() < until) {
      const s = await summary();
      const a = s.clusters.find(c => c.cluster === 'edge-a')!;
      trace.push(
        `+${Math.round((Date.now() - restarted) / 1000)}s ${s.error ? `error ${s.error.upstream}` : a.state} ${a.reasons.map(r => r.id).join(',')} lastSeen=${a.stats.lastSeen ?? '-'}`,
      );
      if (!s.error) seen.push(a.state);
      await new Promise(r => setTimeout(r, 2000));
    }
    const steps = seen.filter((s, i) => i === 0 || s !== seen[i - 1]);
    // Catching up is "recovering", never degraded or failing, and healthy does not flip back.
    const ok = steps.every(s => s === 'recovering' || s === 'healthy');
    // eslint-disable-next-line no-console
    if (!ok || steps[steps.length - 1] !== 'healthy')
      console.warn(trace.join('\n'));
    expect(ok).toBe(true);
    expect(steps.indexOf('recovering')).toBeLessThanOrEqual(0);
    expect(steps[steps.length - 1]).toBe('healthy');
  });

  it('answers 400 naming the annotation and the fix for hostile cluster annotations', async () => {
    for (const name of ['newline', 'long']) {
      const res = await get(`/entity/resource/default/${name}/remote-write`);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('fleet-monitoring.io/cluster');
      expect(res.body.error.message).toContain('e.g.');
    }
    // A selector naming the metric is valid PromQL and answers per cluster.
    const byName = await get(
      '/entity/component/default/by-name/metrics-arriving',
    );
    expect(byName.status).toBe(200);
    expect(
      byName.body.clusters.map((c: { cluster: string }) => c.cluster),
    ).toEqual(expect.arrayContaining(['edge-a', 'sim-ok']));
    const edgeA = byName.body.clusters.find(
      (c: { cluster: string }) => c.cluster === 'edge-a',
    );
    expect(edgeA.lastSampleAgeSeconds).toBeLessThan(30);
    expect(edgeA.targetsTotal).toBe(0);
  });
});
