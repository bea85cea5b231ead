import type { TopSeriesMetric } from '@fleet-monitoring/plugin-monitoring-common';
import type { TaggedSample } from '../thanos/signals';
import {
  byRisk,
  fleetCapacityAnswer,
  secantForecast,
  tenantForecasts,
  withinHorizon,
} from './fleetCapacity';
import type { TenantsCapacitySignal, TopSeriesSignal } from './queries';
import { topSeriesQuery } from './queries';
import {
  driverLabels,
  jobsOf,
  judgeTopSeries,
  parseTsdbStatus,
  topMetrics,
  TsdbStatus,
} from './topSeries';

const status: TsdbStatus = {
  headStats: { numSeries: 1_000 },
  seriesCountByMetricName: [
    { name: 'boom_total', value: 800 },
    { name: 'up', value: 200 },
  ],
  labelValueCountByLabelName: [
    { name: '__name__', value: 2 },
    { name: 'user_id', value: 800 },
    { name: 'cluster', value: 1 },
    { name: 'tenant_id', value: 1 },
    { name: 'path', value: 40 },
    { name: 'bad-name', value: 30 },
    { name: 'instance', value: 3 },
    { name: 'le', value: 2 },
  ],
  seriesCountByLabelValuePair: [
    { name: 'cluster=edge', value: 1_000 },
    { name: 'job=checkout', value: 800 },
    { name: 'job=api', value: 200 },
  ],
};

const sample = (
  labels: Record<string, string>,
  value: number,
): TaggedSample => ({
  labels,
  value,
});

describe('top series', () => {
  it('counts values of the highest-cardinality labels, never the name, cluster, tenant or an invalid name', () => {
    expect(driverLabels(status, 'cluster')).toEqual([
      'user_id',
      'path',
      'instance',
    ]);
  });

  it('reads jobs from the job= label-value pairs', () => {
    expect(jobsOf(status)).toEqual([
      { job: 'checkout', headSeries: 800 },
      { job: 'api', headSeries: 200 },
    ]);
  });

  it('refuses statistics that are not the TSDBStatus shape, as a bad response', () => {
    expect(() => parseTsdbStatus('thanos:x', { headStats: {} })).toThrow(
      /TSDBStatus shape/,
    );
    expect(() =>
      parseTsdbStatus('thanos:x', {
        ...status,
        seriesCountByMetricName: [{ name: 'a' }],
      }),
    ).toThrow(/TSDBStatus shape/);
    expect(parseTsdbStatus('thanos:x', status)).toBe(status);
  });

  it('a name absent a day ago grew from 0; a name the query did not answer has no change', () => {
    const s = new Map<TopSeriesSignal, TaggedSample[]>([
      ['now', [sample({ __name__: 'boom_total' }, 800)]],
      ['ago', []],
      ['driver_0', [sample({ __name__: 'boom_total' }, 800)]],
      ['driver_1', [sample({ __name__: 'boom_total' }, 1)]],
    ]);
    const [boom, up] = topMetrics(status, ['user_id', 'path'], s);
    expect(boom).toEqual({
      name: 'boom_total',
      headSeries: 800,
      share: 0.8,
      seriesNow: 800,
      series1dAgo: 0,
      change1d: 800,
      // One value is no driver.
      drivers: [{ label: 'user_id', values: 800 }],
    });
    expect(up).toEqual({ name: 'up', headSeries: 200, share: 0.2 });
  });

  it('warns of an explosion only past both the absolute and the relative growth', () => {
    const m = (series1dAgo: number, seriesNow: number): TopSeriesMetric => ({
      name: 'x',
      headSeries: seriesNow,
      share: 1,
      seriesNow,
      series1dAgo,
      change1d: seriesNow - series1dAgo,
    });
    expect(judgeTopSeries('t', [m(0, 999)]).reasons).toEqual([]);
    expect(judgeTopSeries('t', [m(10_000, 14_000)]).reasons).toEqual([]);
    const boom = judgeTopSeries('t', [m(2_000, 3_000)]);
    expect(boom.state).toBe('degraded');
    expect(boom.reasons[0]).toMatchObject({
      id: 'capacity-series-explosion',
      value: 1_000,
    });
  });

  it('escapes the names it puts into PromQL', () => {
    const q = topSeriesQuery('cluster', 'a"b', ['x.y', 'z'], ['user_id']);
    expect(q).toContain('__name__=~"x\\\\.y|z"');
    expect(q).toContain('cluster="a\\"b"');
    expect(q).toContain('group by (__name__, user_id)');
    expect(q).toContain('offset 1d');
  });
});

describe('fleet capacity', () => {
  const NOW = 1_800_000_000;
  const by = (tenant: string, value: number) => sample({ tenant }, value);
  const s = new Map<TenantsCapacitySignal, TaggedSample[]>([
    [
      'head_sum',
      [by('full', 20_000), by('grow', 100_000), by('flat', 50_000), by('', 5)],
    ],
    ['limit_tenant', [by('full', 16_000), by('grow', 150_000)]],
    ['limit_default', [sample({}, 1_000_000)]],
    // grow: +5,000 a day over the week and the day, 10 days to its limit.
    ['smoothed', [by('grow', 100_000), by('flat', 50_000), by('full', 20_000)]],
    ['smoothed_1d_ago', [by('grow', 95_000), by('flat', 50_000)]],
    ['smoothed_7d_ago', [by('grow', 65_000), by('flat', 50_000)]],
    ['limited', [by('full', 2)]],
  ]);

  it('forecasts from the secants: the week when known, confidence from the day agreeing', () => {
    expect(secantForecast({ smoothed: 10, now: NOW })).toEqual({
      confidence: 'none',
    });
    // The day's growth alone: medium.
    expect(
      secantForecast({ smoothed: 100, dayAgo: 90, limit: 150, now: NOW }),
    ).toEqual({
      slopePerDay: 10,
      confidence: 'medium',
      daysLeft: 5,
      reachesAt: NOW + 5 * 86_400,
    });
    // A day three times the week's pace: low confidence, the week's slope.
    expect(
      secantForecast({
        smoothed: 100,
        dayAgo: 70,
        weekAgo: 30,
        limit: 170,
        now: NOW,
      }),
    ).toMatchObject({ slopePerDay: 10, confidence: 'low', daysLeft: 7 });
    // Shrinking: no date; over the limit: now.
    expect(
      secantForecast({ smoothed: 100, dayAgo: 110, limit: 150, now: NOW })
        .daysLeft,
    ).toBeUndefined();
    expect(
      secantForecast({ smoothed: 200, dayAgo: 190, limit: 150, now: NOW }),
    ).toMatchObject({ daysLeft: 0, reachesAt: NOW });
  });

  it('one row per tenant; the default limit where a tenant has none; at its limit is at risk whatever the horizon', () => {
    const rows = tenantForecasts(s, NOW);
    expect(rows.map(r => [r.tenant, r.limitSource, r.atRisk])).toEqual([
      ['full', 'tenant', true],
      ['grow', 'tenant', false],
      ['flat', 'default', false],
    ]);
    expect(rows[0]).toMatchObject({ daysLeft: 0, reachesAt: NOW });
    expect(rows[1]).toMatchObject({ daysLeft: 10, confidence: 'high' });
  });

  it('the horizon decides who else is at risk; rows at risk first, soonest first, capped', () => {
    const rows = tenantForecasts(s, NOW);
    expect(withinHorizon(rows[1], 9).atRisk).toBe(false);
    expect(withinHorizon(rows[1], 10).atRisk).toBe(true);
    const answer = fleetCapacityAnswer('central', rows, [], 14, 2);
    expect(answer).toMatchObject({ tenantsTotal: 3, tenantsAtRisk: 2 });
    expect(answer.tenants.map(t => t.tenant)).toEqual(['full', 'grow']);
    expect([...rows].sort(byRisk).map(t => t.tenant)).toEqual([
      'full',
      'grow',
      'flat',
    ]);
  });
});
