import {
  fleetRecordingRuleGroup,
  parseSelector,
  recordedFleetSeries,
} from '@fleet-monitoring/plugin-monitoring-common';
import {
  gaugesQuery,
  inventoryQuery,
  lateClusterQuery,
  metricsArrivingQuery,
  ratesQuery,
  recordingRulesProbeQuery,
} from '../thanos/queries';
import { SIGNAL_LABEL } from '../thanos/signals';
import {
  ExprTest,
  InputSeries,
  PromtoolOptions,
  promtoolExpect,
  promtoolExpectAll,
  signalOf,
} from './__testUtils__/promtoolEval';

/*
 * The remote-write queries evaluated by a real PromQL engine (Debian's promtool) over series shaped
 * as Prometheus emits them (storage/remote/queue_manager.go, v2.53.4 and v3.14.0): each expected
 * figure is what a person would compute by hand from the counters.
 */

const scope = {
  clusterLabel: 'cluster',
  window: '5m',
  cluster: 'a',
  lagWarningSeconds: 60,
};
const queue = (name: string, extra = '') =>
  `cluster="a", instance="agent-0", remote_name="${name}", url="https://${name}/api/v1/receive"${extra}`;
const queueLabels = (name: string, signal: string) => ({
  cluster: 'a',
  instance: 'agent-0',
  remote_name: name,
  url: `https://${name}/api/v1/receive`,
  [SIGNAL_LABEL]: signal,
});
const perSecond = (rate: number) => `0+${rate * 15}x80`;

const AS_EXPECTED = 'as expected';

/** promtool's verdict on one signal of a query: AS_EXPECTED, or what it expected and got. */
async function verdict(
  input: InputSeries[],
  at: string,
  query: string,
  signal: string,
  expected: Array<{ labels: Record<string, string>; value: number }>,
): Promise<string> {
  // Rounded to 1/1000: the figures are exact by hand, the engine's floats nearly so.
  const expr = `round(${signalOf(query, signal)}, 0.001)`;
  const r = await promtoolExpect(input, at, expr, expected);
  if (r.ok) return AS_EXPECTED;
  const lines = r.output
    .split('\n')
    .filter(l => /^\s*(exp|got):/.test(l) || /error/i.test(l));
  return `${signal}:\n${lines.join('\n') || r.output}`;
}

describe('remote-write queries on a real PromQL engine', () => {
  it('reads a queue refusing every sample as 100 % failing and 0/s delivered (T4: samples_total counts every attempt)', async () => {
    const input: InputSeries[] = [
      // Refusing everything: every attempt is in samples_total and in samples_failed_total.
      {
        series: `prometheus_remote_storage_samples_total{${queue('central')}}`,
        values: perSecond(1000),
      },
      {
        series: `prometheus_remote_storage_samples_failed_total{${queue('central')}}`,
        values: perSecond(1000),
      },
      {
        series: `prometheus_remote_storage_samples_retried_total{${queue('central')}}`,
        values: perSecond(0),
      },
      // Healthy but retrying: 1000 attempts/s, 200/s of them retried, so 800/s delivered.
      {
        series: `prometheus_remote_storage_samples_total{${queue('backup')}}`,
        values: perSecond(1000),
      },
      {
        series: `prometheus_remote_storage_samples_failed_total{${queue('backup')}}`,
        values: perSecond(0),
      },
      {
        series: `prometheus_remote_storage_samples_retried_total{${queue('backup')}}`,
        values: perSecond(200),
      },
    ];
    const q = ratesQuery(scope);
    expect(
      await verdict(input, '10m', q, 'failure_ratio_q', [
        { labels: queueLabels('central', 'failure_ratio_q'), value: 1 },
      ]),
    ).toBe(AS_EXPECTED);
    expect(
      await verdict(input, '10m', q, 'sent_q', [
        { labels: queueLabels('central', 'sent_q'), value: 0 },
        { labels: queueLabels('backup', 'sent_q'), value: 800 },
      ]),
    ).toBe(AS_EXPECTED);
    expect(
      await verdict(input, '10m', q, 'sent', [
        { labels: { cluster: 'a', [SIGNAL_LABEL]: 'sent' }, value: 800 },
      ]),
    ).toBe(AS_EXPECTED);
  });

  it('sums dropped samples over every reason, replica copies collapsed per queue and reason (R9)', async () => {
    const dropped = (reason: string, replica: string, rate: number) => ({
      series: `prometheus_remote_storage_samples_dropped_total{${queue('central', `, reason="${reason}", replica="${replica}"`)}}`,
      values: perSecond(rate),
    });
    const input = [
      dropped('too_old', 'r0', 10),
      dropped('too_old', 'r1', 10),
      dropped('dropped_series', 'r0', 5),
      dropped('dropped_series', 'r1', 5),
    ];
    expect(
      await verdict(input, '10m', ratesQuery(scope), 'dropped', [
        { labels: { cluster: 'a', [SIGNAL_LABEL]: 'dropped' }, value: 15 },
      ]),
    ).toBe(AS_EXPECTED);
  });

  it('returns per-queue lag only above the threshold (R8: `>` binds tighter than `and`)', async () => {
    const input: InputSeries[] = [
      {
        series: `prometheus_remote_storage_highest_timestamp_in_seconds{cluster="a", instance="agent-0"}`,
        values: '0+15x80',
      },
      {
        series: `prometheus_remote_storage_queue_highest_sent_timestamp_seconds{${queue('central')}}`,
        values: '-5+15x80',
      },
      {
        series: `prometheus_remote_storage_queue_highest_sent_timestamp_seconds{${queue('backup')}}`,
        values: '-120+15x80',
      },
    ];
    expect(
      await verdict(input, '10m', gaugesQuery(scope), 'lag_q', [
        { labels: queueLabels('backup', 'lag_q'), value: 120 },
      ]),
    ).toBe(AS_EXPECTED);
  });

  it("gives a late cluster's whole-window rate when evaluated at its last sample (T2; RemoteWriteService.test checks it is asked at that time)", async () => {
    // 1000/s until 20 min, nothing after: the cluster's last sample is at 1200 s.
    const input: InputSeries[] = [
      {
        series: `prometheus_remote_storage_samples_total{${queue('central')}}`,
        values: '0+15000x80',
      },
      {
        series: `prometheus_remote_storage_samples_failed_total{${queue('central')}}`,
        values: '0+0x80',
      },
      {
        series: `prometheus_remote_storage_samples_retried_total{${queue('central')}}`,
        values: '0+0x80',
      },
    ];
    expect(
      await verdict(input, '1200s', lateClusterQuery(scope), 'sent', [
        { labels: { cluster: 'a', [SIGNAL_LABEL]: 'sent' }, value: 1000 },
      ]),
    ).toBe(AS_EXPECTED);
  });

  it("gives a fresh series' newest sample its own time, not the evaluation time (R2)", async () => {
    // Last samples at 540 s, evaluated at 600 s.
    const target = 'cluster="a", job="checkout", instance="pod-1:8080"';
    const input: InputSeries[] = [
      {
        series: `http_requests_total{${target}, code="200"}`,
        values: '1+1x36',
      },
      { series: `process_cpu_seconds_total{${target}}`, values: '1+1x36' },
      { series: `up{${target}}`, values: '1x36' },
    ];
    const lastSeen = [
      { labels: { cluster: 'a', [SIGNAL_LABEL]: 'last_seen' }, value: 540 },
    ];
    expect(
      await verdict(
        input,
        '10m',
        metricsArrivingQuery(
          parseSelector('__name__="http_requests_total", job="checkout"'),
          'cluster',
        ),
        'last_seen',
        lastSeen,
      ),
    ).toBe(AS_EXPECTED);
    // Two metrics of one target: still no "same labelset" error, still the sample's time.
    expect(
      await verdict(
        input,
        '10m',
        metricsArrivingQuery(parseSelector('job="checkout"'), 'cluster'),
        'last_seen',
        lastSeen,
      ),
    ).toBe(AS_EXPECTED);
    // A metric-level label matches no `up`: still a last-seen time, only "within the lookback".
    expect(
      await verdict(
        input,
        '10m',
        metricsArrivingQuery(
          parseSelector('job="checkout", code="200"'),
          'cluster',
        ),
        'last_seen',
        [{ labels: { cluster: 'a', [SIGNAL_LABEL]: 'last_seen' }, value: 600 }],
      ),
    ).toBe(AS_EXPECTED);
  });
});

describe('held conditions read from the fleet recording rules (range selectors)', () => {
  const recorded = {
    ...scope,
    cluster: undefined,
    hold: '15m',
    source: {
      kind: 'recorded' as const,
      coveredSeconds: 3600,
      intervalSeconds: 15,
    },
  };
  const ratio = (values: string): InputSeries => ({
    series: `cluster_queue:prometheus_remote_storage_samples_failed:ratio_rate5m{${queue('central')}}`,
    values,
  });
  const heartbeat = (values: string): InputSeries => ({
    series: `fleet:fleet_monitoring_recording_rules:time{rate_window="5m"}`,
    values,
  });
  const held = [
    { labels: queueLabels('central', 'failure_ratio_held_q'), value: 0.5 },
  ];

  it('holds when the recorded figure was over the threshold at every evaluation of the for: window', async () => {
    expect(
      await verdict(
        [ratio('0.5x80'), heartbeat('0x80')],
        '20m',
        ratesQuery(recorded),
        'failure_ratio_held_q',
        held,
      ),
    ).toBe(AS_EXPECTED);
  });

  it('does not hold from a ruler younger than the for: window, nor across a missed evaluation', async () => {
    for (const input of [
      [ratio('_x59 0.5x20'), heartbeat('_x59 0x20')],
      [ratio('0.5x40 _ 0.5x39'), heartbeat('0x80')],
    ]) {
      expect(
        await verdict(
          input,
          '20m',
          ratesQuery(recorded),
          'failure_ratio_held_q',
          [],
        ),
      ).toBe(AS_EXPECTED);
    }
  });
});

describe('the fleet recording rules keep the inventory sticky over its lookback (a real rule manager)', () => {
  const group = fleetRecordingRuleGroup({
    clusterLabel: 'cluster',
    window: '5m',
    interval: '5m',
  });
  const names = recordedFleetSeries('5m');
  const ruleExpr = (record: string) =>
    group.rules.find(r => r.record === record)!.expr;
  /** An agent's newest-sample gauge, one sample a minute (`interval: 1m`), its value its own time. */
  const newest = (cluster: string, tenant: string, values: string) => ({
    series: `prometheus_remote_storage_highest_timestamp_in_seconds{cluster="${cluster}", instance="agent-0", tenant_id="${tenant}"}`,
    values,
  });
  const every5m: PromtoolOptions = {
    groups: [group],
    evaluationInterval: '5m',
    interval: '1m',
  };
  const seen = (cluster: string, tenant: string, value: number) => ({
    labels: { __name__: names.lastSeen, cluster, fleet_tenant: tenant },
    value,
  });
  const recorded = {
    clusterLabel: 'cluster',
    window: '5m',
    source: { kind: 'recorded' as const, coveredSeconds: 86400 },
  };
  const inventory = (signal: string) =>
    signalOf(inventoryQuery(recorded), signal);

  async function check(
    input: InputSeries[],
    tests: ExprTest[],
    options: PromtoolOptions,
  ): Promise<string> {
    const r = await promtoolExpectAll(input, tests, options);
    return r.ok ? AS_EXPECTED : r.output;
  }

  it('keeps a cluster that went quiet with its last time until the lookback passes, then lets it go', async () => {
    const input = [
      // Quiet after 2 h (last sample at 7200 s).
      newest('quiet', 't1', '0+60x120'),
      // Reporting throughout.
      newest('steady', 't1', '0+60x1580'),
      // Moves from tenant t1 to t2 after 1 h.
      newest('moved', 't1', '0+60x60'),
      newest('moved', 't2', '_x61 3660+60x1519'),
    ];
    const at = (h: number, m: number) => `${h}h${m}m`;
    expect(
      await check(
        input,
        [
          // The moved cluster only under its new tenant.
          {
            expr: names.lastSeen,
            evalTime: at(3, 0),
            expected: [
              seen('quiet', 't1', 7200),
              seen('steady', 't1', 10800),
              seen('moved', 't2', 10800),
            ],
          },
          // 23 h 50 min after its last sample: still kept, with its tenant.
          {
            expr: names.lastSeen,
            evalTime: at(25, 50),
            expected: [
              seen('quiet', 't1', 7200),
              seen('steady', 't1', 93000),
              seen('moved', 't2', 93000),
            ],
          },
          // More than a day after its last sample: gone.
          {
            expr: names.lastSeen,
            evalTime: at(26, 10),
            expected: [seen('steady', 't1', 94200), seen('moved', 't2', 94200)],
          },
          // The chain has run since the first evaluation.
          {
            expr: names.unbrokenSince,
            evalTime: at(26, 10),
            expected: [
              {
                labels: { __name__: names.unbrokenSince, rate_window: '5m' },
                value: 0,
              },
            ],
          },
          // The backend's probe reads the chain's start.
          {
            expr: signalOf(recordingRulesProbeQuery('5m'), 'unbroken_since'),
            evalTime: at(26, 10),
            expected: [
              { labels: { [SIGNAL_LABEL]: 'unbroken_since' }, value: 0 },
            ],
          },
          // The backend's recorded inventory reads the same, with one short range.
          {
            expr: inventory('last_seen'),
            evalTime: at(25, 50),
            expected: [
              ['quiet', 't1', 7200],
              ['steady', 't1', 93000],
              ['moved', 't2', 93000],
            ].map(([c, t, v]) => ({
              labels: {
                cluster: String(c),
                fleet_tenant: String(t),
                [SIGNAL_LABEL]: 'last_seen',
              },
              value: Number(v),
            })),
          },
          {
            expr: inventory('last_seen'),
            evalTime: at(26, 10),
            expected: [
              ['steady', 't1'],
              ['moved', 't2'],
            ].map(([c, t]) => ({
              labels: {
                cluster: c,
                fleet_tenant: t,
                [SIGNAL_LABEL]: 'last_seen',
              },
              value: 94200,
            })),
          },
        ],
        every5m,
      ),
    ).toBe(AS_EXPECTED);
  });

  it('takes in a cluster whose samples arrive late, older than an instant read reaches', async () => {
    // Its newest sample, stamped 15 min before the evaluation (a draining backlog), and no history.
    const late = [newest('late', 't1', '0+60x15')];
    expect(
      await check(
        late,
        [
          {
            expr: ruleExpr(names.lastSeen),
            evalTime: '30m',
            expected: [
              { labels: { cluster: 'late', fleet_tenant: 't1' }, value: 900 },
            ],
          },
        ],
        { interval: '1m' },
      ),
    ).toBe(AS_EXPECTED);
  });

  /*
   * A ruler gap: what the next evaluation after it writes, from the history the ruler wrote before
   * it (one sample a minute until 20 min, read back as through Receive, with its tenant label).
   */
  const beforeGap: InputSeries[] = [
    {
      series: `${names.unbrokenSince}{rate_window="5m", tenant_id="ruler"}`,
      values: '60x20',
    },
    {
      series: `${names.lastSeen}{cluster="quiet", fleet_tenant="t1", tenant_id="ruler"}`,
      values: '300x20',
    },
    newest('steady', 't2', '0+60x40'),
  ];
  const afterGap = (evalTime: string, kept: boolean, now: number) => [
    {
      expr: ruleExpr(names.unbrokenSince),
      evalTime,
      expected: [{ labels: {}, value: kept ? 60 : now }],
    },
    {
      expr: ruleExpr(names.lastSeen),
      evalTime,
      expected: [
        ...(kept
          ? [{ labels: { cluster: 'quiet', fleet_tenant: 't1' }, value: 300 }]
          : []),
        { labels: { cluster: 'steady', fleet_tenant: 't2' }, value: now },
      ],
    },
  ];

  it('keeps the chain and its start across a ruler gap shorter than the bridge', async () => {
    // Last evaluation at 20 min, the next at 28 min (8 min < 10 min).
    expect(
      await check(beforeGap, afterGap('28m', true, 1680), { interval: '1m' }),
    ).toBe(AS_EXPECTED);
  });

  it('restarts the chain, its start and the quiet clusters, after a gap longer than the bridge', async () => {
    // Next evaluation at 32 min (12 min > 10 min): only what reports now, and since = now.
    expect(
      await check(beforeGap, afterGap('32m', false, 1920), { interval: '1m' }),
    ).toBe(AS_EXPECTED);
  });
});
