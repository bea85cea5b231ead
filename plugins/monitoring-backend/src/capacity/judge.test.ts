import type {
  ReceiverCapacity,
  TenantCapacity,
} from '@fleet-monitoring/plugin-monitoring-common';
import {
  forecastFrom,
  judgeReceivers,
  judgeTenant,
  oneReceiverLost,
  uniqueSeries,
} from './judge';

const NOW = 1_800_000_000;
const DAY = 86_400;

describe('forecastFrom', () => {
  it('takes the week once it has two days of points, and dates the crossing', () => {
    const f = forecastFrom({
      limit: 2_000,
      day: { slopePerSecond: 100 / DAY, fitNow: 1_000, points: 144 },
      week: { slopePerSecond: 100 / DAY, fitNow: 1_000, points: 168 },
      now: NOW,
      what: 'x',
    });
    expect(f).toMatchObject({
      window: '7d',
      confidence: 'high',
      daysLeft: 10,
      reachesAt: NOW + 10 * DAY,
      slopePerDay: 100,
    });
  });

  it('lowers the confidence when the day disagrees with the week, and uses the day alone before that', () => {
    const week = { slopePerSecond: 100 / DAY, fitNow: 1_000, points: 168 };
    const disagree = (ratio: number) =>
      forecastFrom({
        limit: 2_000,
        day: { ...week, slopePerSecond: (ratio * 100) / DAY, points: 144 },
        week,
        now: NOW,
        what: 'x',
      }).confidence;
    expect(disagree(1.2)).toBe('high');
    expect(disagree(1.8)).toBe('medium');
    expect(disagree(3)).toBe('low');
    const dayOnly = forecastFrom({
      limit: 2_000,
      day: { slopePerSecond: 100 / DAY, fitNow: 1_000, points: 10 },
      week: { slopePerSecond: 100 / DAY, fitNow: 1_000, points: 10 },
      now: NOW,
      what: 'x',
    });
    expect(dayOnly).toMatchObject({ window: '1d', confidence: 'low' });
  });

  it('gives no date without history, without growth or without a limit; at the limit it is now', () => {
    const base = { now: NOW, what: 'x' };
    expect(
      forecastFrom({ ...base, limit: 10, day: { points: 1 } }).confidence,
    ).toBe('none');
    expect(
      forecastFrom({
        ...base,
        limit: 2_000,
        day: { slopePerSecond: -1, fitNow: 1_000, points: 144 },
      }).daysLeft,
    ).toBeUndefined();
    expect(
      forecastFrom({
        ...base,
        day: { slopePerSecond: 1, fitNow: 1_000, points: 144 },
      }).daysLeft,
    ).toBeUndefined();
    expect(
      forecastFrom({
        ...base,
        limit: 900,
        day: { slopePerSecond: 1, fitNow: 1_000, points: 144 },
      }),
    ).toMatchObject({ daysLeft: 0, reachesAt: NOW });
  });
});

const tenant = (over: Partial<TenantCapacity>): TenantCapacity => ({
  cluster: 'c',
  tenant: 'c',
  receivers: 3,
  headSeries: 1_000,
  limitSource: 'tenant',
  limit: 10_000,
  forecast: { confidence: 'high', basis: '', daysLeft: 30 },
  ...over,
});

describe('judgeTenant', () => {
  it('is critical at the limit or when the limiter refuses, warning within a week, critical within a day', () => {
    const ids = (t: TenantCapacity) =>
      judgeTenant(t).reasons.map(r => `${r.id}:${r.severity}`);
    expect(judgeTenant(tenant({})).state).toBe('healthy');
    expect(ids(tenant({ headSeries: 10_000 }))).toEqual([
      'capacity-tenant-at-limit:critical',
    ]);
    expect(ids(tenant({ limitedRequestsPerSecond: 0.5 }))).toEqual([
      'capacity-tenant-at-limit:critical',
    ]);
    const soon = (daysLeft: number, confidence = 'high' as const) =>
      ids(tenant({ forecast: { confidence, basis: '', daysLeft } }));
    expect(soon(5)).toEqual(['capacity-tenant-limit-soon:warning']);
    expect(soon(0.5)).toEqual(['capacity-tenant-limit-soon:critical']);
    expect(soon(8)).toEqual([]);
  });

  it('says when there is no limit, and no-data when no receiver holds the tenant', () => {
    expect(
      judgeTenant(tenant({ limit: undefined, limitSource: 'none' })).reasons[0]
        .id,
    ).toBe('capacity-tenant-no-limit');
    expect(judgeTenant(tenant({ receivers: 0 }))).toMatchObject({
      state: 'no-data',
      reasons: [{ id: 'capacity-no-data' }],
    });
  });
});

const receiver = (
  pod: string,
  headSeries: number,
  workingSetBytes: number,
  memoryLimitBytes?: number,
): ReceiverCapacity => ({
  namespace: 'monitoring',
  pod,
  headSeries,
  workingSetBytes,
  ...(memoryLimitBytes ? { memoryLimitBytes } : {}),
});

describe('oneReceiverLost', () => {
  it("spreads the lost receiver's head evenly and prices it at each receiver's cost per series", () => {
    const check = oneReceiverLost(
      [
        receiver('r0', 3_000, 300, 1_000),
        receiver('r1', 3_000, 300, 1_000),
        receiver('r2', 6_000, 600, 1_000),
      ],
      1,
    )!;
    // Losing r2 moves 3,000 series to each of r0 and r1 (+300 bytes each): 600 < 1,000.
    // Losing r0 moves 1,500 to r2 (+150 bytes): 750. Every case fits; the worst ratio is reported.
    expect(check.fits).toBe(true);
    expect(check.ringTooSmall).toBe(false);
    expect(check.lost).toBe('r0');
    expect(check.others.find(o => o.pod === 'r2')!.projectedBytes).toBe(750);
  });

  it('names the receivers that would pass their limit', () => {
    const check = oneReceiverLost(
      [
        receiver('r0', 3_000, 800, 1_000),
        receiver('r1', 3_000, 800, 1_000),
        receiver('r2', 3_000, 800, 1_000),
      ],
      2,
    )!;
    expect(check.fits).toBe(false);
    expect(check.others.every(o => !o.fits)).toBe(true);
    const verdict = judgeReceivers([], check);
    expect(verdict.state).toBe('no-data');
    const full = judgeReceivers([receiver('r0', 3_000, 800, 1_000)], check);
    expect(full.reasons.map(r => r.id)).toEqual(['capacity-one-receiver-lost']);
    expect(full.state).toBe('degraded');
  });

  it('moves nothing when every receiver already holds every series (replication factor >= receivers)', () => {
    const check = oneReceiverLost(
      [receiver('r0', 3_000, 990, 1_000), receiver('r1', 3_000, 990, 1_000)],
      2,
    )!;
    expect(check).toMatchObject({ fits: true, ringTooSmall: true, others: [] });
  });
});

describe('judgeReceivers', () => {
  it('warns of an OOM within a week, notes a receiver without a limit, and unknown memory', () => {
    const r = {
      ...receiver('r0', 1_000, 800, 1_000),
      usedRatio: 0.8,
      oomForecast: { confidence: 'medium' as const, basis: '', daysLeft: 3 },
    };
    const v = judgeReceivers([r, receiver('r1', 1_000, 500)], undefined);
    expect(v.reasons.map(x => `${x.id}:${x.severity}`)).toEqual([
      'capacity-receiver-oom-soon:warning',
      'capacity-receiver-no-memory-limit:info',
    ]);
    expect(v.state).toBe('degraded');
    const unknown = judgeReceivers(
      [{ namespace: 'monitoring', pod: 'r0', headSeries: 10 }],
      undefined,
    );
    expect(unknown.reasons.map(x => x.id)).toEqual(['capacity-memory-unknown']);
    expect(unknown.state).toBe('healthy');
  });
});

describe('uniqueSeries', () => {
  it('divides the sum by the copies the answering receivers hold', () => {
    // RF 2 on 4 receivers, all answering: 2 copies.
    expect(uniqueSeries(2_000, 2, 4, 4)).toBe(1_000);
    // RF 2 on 4, one down: the three answering hold 1.5 copies on average.
    expect(uniqueSeries(1_500, 2, 3, 4)).toBe(1_000);
    // RF 3 on 3, one down (the demo): each answering receiver holds everything.
    expect(uniqueSeries(60_000, 3, 2, 3)).toBe(30_000);
    // Without the hashring's size, the replication factor; without that, nothing.
    expect(uniqueSeries(3_000, 3, undefined, undefined)).toBe(1_000);
    expect(uniqueSeries(3_000, undefined, 3, 3)).toBeUndefined();
  });
});
