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
  ThanosQueryFake,
  waitFor,
} from '@fleet-monitoring/local-fleet';
import {
  fleetRecordingRuleGroup,
  recordedFleetSeries,
  type ClusterHealth,
  type FleetSummary,
} from '@fleet-monitoring/plugin-monitoring-common';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { fleetMonitoringPlugin } from './plugin';

jest.setTimeout(420_000);

/**
 * Issue #20 item 1: the same fleet judged from the agents' raw series and from the fleet recording
 * rules' series gives the same state and reasons for every cluster. A real Debian Prometheus stands
 * in for Thanos Ruler (stateless): it loads the generated rule file (checked by promtool), reads the
 * store over remote read and writes what it records back into the store over remote write, as the
 * Ruler reads Thanos Query and writes into Receive.
 */
const WINDOW = '20s';
const SIM: SimulatedCluster[] = [
  { name: 'sim-ok', fault: 'healthy', version: 2 },
  { name: 'sim-v3', fault: 'healthy', version: 3 },
  { name: 'sim-failing', fault: 'failing' },
  { name: 'sim-retrying', fault: 'retrying' },
  { name: 'sim-dropping', fault: 'dropping' },
  { name: 'sim-shards', fault: 'shards-maxed', version: 3 },
  { name: 'sim-lagging', fault: 'lagging' },
  { name: 'sim-lagging-heavily', fault: 'lagging-heavily' },
  { name: 'sim-backup-broken', fault: 'second-queue-broken' },
  { name: 'sim-silent', fault: 'silent' },
  { name: 'sim-silent-2h', fault: 'silent-2h' },
];

/** State and reasons of every cluster, the part of the answer both paths must agree on. */
function verdicts(s: FleetSummary): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of s.clusters as ClusterHealth[])
    out[c.cluster] = `${c.state}: ${c.reasons
      .map(r => `${r.id}:${r.severity}`)
      .sort()
      .join(', ')}`;
  return out;
}

describe('the fleet summary from recorded series (fleet recording rules) and from raw series', () => {
  let fleet: LocalFleet;
  let ruler: PrometheusProcess;
  let query: ThanosQueryFake;
  let simulator: FleetSimulator;
  let backend: TestBackend;
  let ruleFile: string;

  beforeAll(async () => {
    fleet = await LocalFleet.start({
      agents: ['edge-a', 'edge-b'],
      scrapeInterval: '1s',
    });
    simulator = new FleetSimulator({
      writeUrl: fleet.writeUrl,
      clusters: SIM,
      receive: { fault: 'healthy', job: 'thanos-receive', replicas: 2 },
      stepSeconds: 5,
    });
    await simulator.writeUntilNow();
    simulator.startTicking();
    // A queue that fails every sample on a real agent, from the start.
    await fleet.breakRemoteWrite('edge-b');
    query = new ThanosQueryFake({
      prometheusUrl: fleet.central.url,
      stores: [],
    });
    query.pretendPlainPrometheus = true;
    await query.start();

    ruleFile = path.join(fleet.baseDir, 'fleet-rules.yml');
    fs.writeFileSync(
      ruleFile,
      // JSON is YAML: the rule file as the scaffolder writes it, without a YAML dependency here.
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
        remote_read: [
          { url: `${fleet.central.url}/api/v1/read`, read_recent: true },
        ],
        remote_write: [
          {
            url: fleet.writeUrl,
            queue_config: { batch_send_deadline: '1s' },
          },
        ],
      },
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
                {
                  name: 'raw',
                  baseUrl: query.url,
                  timeoutMs: 10000,
                  summarySource: 'raw',
                },
                { name: 'auto', baseUrl: query.url, timeoutMs: 10000 },
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
    await query?.stop();
    await fleet?.stop();
  });

  async function summary(instance: string): Promise<FleetSummary> {
    const res = await request(backend.server)
      .get(`/api/fleet-monitoring/fleet/${instance}/summary`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    return res.body;
  }

  it('passes promtool check rules', () => {
    const res = spawnSync('promtool', ['check', 'rules', ruleFile], {
      encoding: 'utf8',
    });
    expect(`${res.stdout}${res.stderr}`).toContain('SUCCESS');
    expect(res.status).toBe(0);
  });

  it('reads the raw series while no ruler evaluates the group, and says so', async () => {
    const auto = await summary('auto');
    expect(auto.source).toEqual({
      kind: 'raw',
      reason: expect.stringContaining('no recorded fleet series'),
    });
    expect((await summary('raw')).source).toEqual({
      kind: 'raw',
      reason: expect.stringContaining('configured'),
    });
  });

  it('gives the same states and reasons for every cluster both ways', async () => {
    await ruler.start();
    // The held conditions read back a hold window (3 rate windows) plus one rate window.
    let last: FleetSummary | undefined;
    await waitFor(
      async () => {
        last = await summary('auto');
        return last.source?.kind === 'recorded';
      },
      { timeoutMs: 200_000, intervalMs: 2000, what: 'auto to read recorded' },
    ).catch(e => {
      throw new Error(`${e.message}\nlast: ${JSON.stringify(last?.source)}`);
    });
    expect(last!.source!.reason).toContain('detected');
    // The probe read the sticky inventory's start through Query: the recorded inventory covers
    // the time since, the raw series (offset) the day before it (sim-silent-2h is only there).
    expect(last!.source!.reason).toContain('its inventory unbroken since');
    const names = recordedFleetSeries(WINDOW);
    const recorded = await fleet.query(`count(${names.queue.failureRatio})`);
    expect(Number(recorded[0].value[1])).toBeGreaterThan(0);
    const since = await fleet.query(names.unbrokenSince);
    expect(since).toHaveLength(1);
    // One sticky last-seen series per cluster with a sample in the hour before the ruler started
    // or since: all but sim-silent-2h, quiet for longer (the raw series, offset, list it).
    const sticky = await fleet.query(`group by (cluster) (${names.lastSeen})`);
    expect(sticky.map(s => s.metric.cluster).sort()).toEqual(
      ['edge-a', 'edge-b', ...SIM.map(c => c.name)]
        .filter(c => c !== 'sim-silent-2h')
        .sort(),
    );

    // Both paths at one evaluation time, a few seconds back so the ruler's answer for it has landed.
    query.evaluationTime = Math.floor(Date.now() / 1000) - 5;
    let raw: FleetSummary;
    let auto: FleetSummary;
    try {
      [raw, auto] = await Promise.all([summary('raw'), summary('auto')]);
    } finally {
      query.evaluationTime = undefined;
    }
    expect(raw.source?.kind).toBe('raw');
    expect(auto.source?.kind).toBe('recorded');
    const rawVerdicts = verdicts(raw);
    expect(verdicts(auto)).toEqual(rawVerdicts);
    // The fleet is not trivially healthy: failures, retries, drops, shards, lag and silence show.
    expect(Object.keys(rawVerdicts).sort()).toEqual(
      ['edge-a', 'edge-b', ...SIM.map(c => c.name)].sort(),
    );
    const states = new Set(
      Object.values(rawVerdicts).map(v => v.split(':')[0]),
    );
    expect(rawVerdicts).toMatchObject({
      'edge-a': 'healthy: ',
      'edge-b': 'failing: remote-write-failing:critical',
      'sim-ok': 'healthy: ',
      'sim-dropping': 'degraded: remote-write-dropping:warning',
      'sim-silent-2h': 'no-data: cluster-no-data:warning',
    });
    for (const state of ['healthy', 'failing', 'degraded', 'no-data'])
      expect(states).toContain(state);
    // And the figures agree: delivered samples per second of the healthy clusters. Recorded values
    // are up to an evaluation interval (and a remote write) older than raw ones, and a 20 s rate()
    // moves in between (a real agent's jitter; extrapolation as the newest sample ages): the bound
    // catches a figure multiplied or lost, not that jitter.
    const rate = (s: FleetSummary, c: string) =>
      s.clusters.find(x => x.cluster === c)!.stats.samplesPerSecond!;
    for (const c of ['sim-ok', 'sim-v3', 'edge-a']) {
      expect(rate(auto, c)).toBeGreaterThan(0);
      expect(Math.abs(rate(auto, c) / rate(raw, c) - 1)).toBeLessThan(0.3);
    }
  });
});
