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
  PrometheusProcess,
  SimulatedCluster,
  waitFor,
} from '@fleet-monitoring/local-fleet';
import {
  fleetRecordingRuleGroup,
  recordedFleetSeries,
  type FleetSummary,
} from '@fleet-monitoring/plugin-monitoring-common';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { fleetMonitoringPlugin } from './plugin';

jest.setTimeout(420_000);

/**
 * Issue #20 item 1 under Thanos Receive replication (factor 3): the stand-in Ruler (a real Debian
 * Prometheus with the generated rule file) reads what Query answers with deduplication on (the
 * Ruler always asks with dedup=true) and remote-writes what it records into Receive, which stores a
 * copy per replica and stamps it with the writer's tenant. Raw with dedup on, recorded with dedup on
 * and recorded with dedup off give the same state and reasons for every cluster.
 */
const WINDOW = '20s';
const SIM: SimulatedCluster[] = [
  { name: 'sim-ok', fault: 'healthy', version: 3 },
  { name: 'sim-failing', fault: 'failing' },
  { name: 'sim-retrying', fault: 'retrying' },
  { name: 'sim-shards', fault: 'shards-maxed' },
  { name: 'sim-silent', fault: 'silent' },
];

function verdicts(s: FleetSummary): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of s.clusters)
    out[c.cluster] = `${c.state}: ${c.reasons
      .map(r => `${r.id}:${r.severity}`)
      .sort()
      .join(', ')}`;
  return out;
}

describe('the fleet summary from recorded series written back through Receive (replication factor 3)', () => {
  let fleet: LocalFleet;
  let ruler: PrometheusProcess;
  let simulator: FleetSimulator | undefined;
  let backend: TestBackend;

  beforeAll(async () => {
    fleet = await LocalFleet.start({
      agents: ['edge-a', 'edge-b'],
      scrapeInterval: '1s',
      replication: { factor: 3 },
      beforeAgents: async f => {
        simulator = new FleetSimulator({
          sink: f.sink,
          clusters: SIM,
          stepSeconds: 5,
        });
        for (const t of simulator.tenants) f.extraTenants.add(t);
        f.refreshStores();
        await simulator.writeUntilNow();
      },
    });
    simulator!.startTicking();
    await fleet.breakRemoteWrite('edge-b');

    const ruleFile = path.join(fleet.baseDir, 'fleet-rules.yml');
    fs.writeFileSync(
      ruleFile,
      JSON.stringify({
        groups: [
          fleetRecordingRuleGroup({ clusterLabel: 'cluster', window: WINDOW }),
        ],
      }),
    );
    ruler = new PrometheusProcess({
      name: 'ruler',
      mode: 'central',
      baseDir: fleet.baseDir,
      config: {
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        rule_files: [ruleFile],
        // What Thanos Query answers with dedup on: the merged store.
        remote_read: [
          { url: `${fleet.dedupStore!.url}/api/v1/read`, read_recent: true },
        ],
        remote_write: [
          {
            url: fleet.receive!.writeUrl,
            queue_config: { batch_send_deadline: '1s' },
          },
        ],
      },
    });
    await ruler.start();

    const instance = (name: string, extra: Record<string, unknown>) => ({
      name,
      baseUrl: fleet.queryUrl,
      timeoutMs: 10000,
      ...extra,
    });
    backend = await startTestBackend({
      features: [
        fleetMonitoringPlugin,
        mockServices.rootConfig.factory({
          data: {
            fleetMonitoring: {
              validateResponses: true,
              cache: { ttlSeconds: 0 },
              rateWindow: WINDOW,
              thresholds: { remoteWrite: { staleAfterSeconds: 30 } },
              thanos: [
                instance('raw', { summarySource: 'raw' }),
                instance('recorded', {}),
                instance('recorded-nodedup', { dedup: false }),
              ],
            },
          },
        }),
        catalogServiceMock.factory({ entities: [] }),
      ],
    });
  });

  afterAll(async () => {
    simulator?.stopTicking();
    await backend?.stop();
    await ruler?.destroy();
    await fleet?.stop();
  });

  async function summary(instance: string): Promise<FleetSummary> {
    const res = await request(backend.server)
      .get(`/api/fleet-monitoring/fleet/${instance}/summary`)
      .set('Authorization', mockCredentials.user.header());
    // The body says why when it is not a 200.
    expect({
      status: res.status,
      body: res.status === 200 ? {} : res.body,
    }).toEqual({
      status: 200,
      body: {},
    });
    return res.body;
  }

  it('stores the recorded series once per replica, and judges every cluster alike with dedup on and off', async () => {
    let last: FleetSummary[] = [];
    await waitFor(
      async () => {
        last = [await summary('recorded'), await summary('recorded-nodedup')];
        return last.every(s => s.source?.kind === 'recorded');
      },
      { timeoutMs: 200_000, intervalMs: 2000, what: 'recorded sources' },
    ).catch(e => {
      throw new Error(
        `${e.message}\nlast: ${JSON.stringify(last.map(s => s.source))}`,
      );
    });
    // Receive holds a copy per replica, stamped with the writer's tenant, not the agent's.
    const failed = recordedFleetSeries(WINDOW).queue.failureRatio;
    const copies = await fetch(
      `${fleet.queryUrl}/api/v1/query?dedup=false&query=${encodeURIComponent(`count by (cluster) (${failed}{cluster="sim-failing"})`)}`,
    ).then(r => r.json());
    expect(Number(copies.data.result[0].value[1])).toBe(3);
    // The sticky inventory reads its own copies back (local, and merged from Receive with its
    // tenant label) and still writes one series per cluster: a copy per replica, no more.
    const names = recordedFleetSeries(WINDOW);
    for (const [series, expected] of [
      [`${names.lastSeen}{cluster="sim-ok"}`, 3],
      [`${names.unbrokenSince}{rate_window="${WINDOW}"}`, 3],
    ] as const) {
      const stored = await fetch(
        `${fleet.queryUrl}/api/v1/query?dedup=false&query=${encodeURIComponent(`count(${series})`)}`,
      ).then(r => r.json());
      expect([series, Number(stored.data.result[0]?.value[1])]).toEqual([
        series,
        expected,
      ]);
    }

    fleet.thanosQuery!.evaluationTime = Math.floor(Date.now() / 1000) - 5;
    let answers: FleetSummary[];
    try {
      answers = await Promise.all(
        ['raw', 'recorded', 'recorded-nodedup'].map(summary),
      );
    } finally {
      fleet.thanosQuery!.evaluationTime = undefined;
    }
    const [raw, recorded, nodedup] = answers;
    expect(raw.source?.kind).toBe('raw');
    expect(recorded.source?.kind).toBe('recorded');
    expect(nodedup.source?.kind).toBe('recorded');
    expect(verdicts(recorded)).toEqual(verdicts(raw));
    expect(verdicts(nodedup)).toEqual(verdicts(raw));
    expect(verdicts(raw)).toMatchObject({
      'edge-a': 'healthy: ',
      'edge-b': 'failing: remote-write-failing:critical',
      'sim-ok': 'healthy: ',
      'sim-failing': 'failing: remote-write-failing:critical',
    });
    // Replica copies do not multiply the figures (a copy too many would read 2 or 3 times as much).
    // Recorded values are up to an evaluation interval and a remote write older than raw ones; a
    // 20 s rate() over samples 5 s apart moves by up to a fifth in between (extrapolation when the
    // newest sample ages): the bound catches multiplied or lost figures, not that jitter.
    const rate = (s: FleetSummary) =>
      s.clusters.find(c => c.cluster === 'sim-ok')!.stats.samplesPerSecond!;
    expect(rate(raw)).toBeGreaterThan(0);
    expect(Math.abs(rate(nodedup) / rate(raw) - 1)).toBeLessThan(0.3);
    expect(Math.abs(rate(recorded) / rate(raw) - 1)).toBeLessThan(0.3);
    // The receivers' per-tenant rate is asked only for silent or refused clusters (the judge reads
    // it nowhere else): a healthy row carries none, from either source.
    for (const s of [raw, recorded, nodedup])
      expect(
        s.clusters.find(c => c.cluster === 'edge-a')!.stats
          .tenantSamplesPerSecond,
      ).toBeUndefined();
  });
});
