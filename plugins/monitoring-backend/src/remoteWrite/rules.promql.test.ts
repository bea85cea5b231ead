import { parseSelector } from '@fleet-monitoring/plugin-monitoring-common';
import {
  gaugesQuery,
  lateClusterQuery,
  metricsArrivingQuery,
  ratesQuery,
} from '../thanos/queries';
import { SIGNAL_LABEL } from '../thanos/signals';
import {
  InputSeries,
  promtoolExpect,
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
