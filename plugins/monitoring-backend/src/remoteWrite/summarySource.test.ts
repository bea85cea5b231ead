import type { ThanosClient } from '../thanos/ThanosClient';
import { SIGNAL_LABEL } from '../thanos/signals';
import { chooseSummarySource, probeRecordingRules } from './summarySource';

const ctx = (setting: 'auto' | 'recorded' | 'raw') => ({
  setting,
  window: '5m',
  holdSeconds: 900,
  now: 1_000_000,
});

describe('chooseSummarySource', () => {
  it('reads recorded series when the group runs now and has run for the hold window', () => {
    const c = chooseSummarySource(ctx('auto'), {
      firstEvaluated: 1_000_000 - 7200,
      lastEvaluated: 1_000_000 - 30,
      unbrokenSince: 1_000_000 - 7200,
    });
    expect(c.series).toEqual({ kind: 'recorded', coveredSeconds: 7200 });
    expect(c.answer.kind).toBe('recorded');
    expect(c.answer.reason).toContain('detected');
    expect(c.answer.reason).toContain('inventory unbroken since 7200 s ago');
  });

  it('covers the inventory from the start of its unbroken chain, not from the first evaluation', () => {
    // Evaluated for two days, but a long outage broke the chain an hour ago: a cluster that went
    // quiet before the outage is in no sticky series, so only the last hour counts as recorded.
    const broken = chooseSummarySource(ctx('auto'), {
      firstEvaluated: 1_000_000 - 2 * 86400,
      lastEvaluated: 1_000_000 - 30,
      unbrokenSince: 1_000_000 - 3600,
    });
    expect(broken.series).toEqual({ kind: 'recorded', coveredSeconds: 3600 });
    // A group without the chain (generated before it) or a chain broken now: the inventory is raw.
    for (const setting of ['auto', 'recorded'] as const) {
      const none = chooseSummarySource(ctx(setting), {
        firstEvaluated: 1_000_000 - 86400,
        lastEvaluated: 1_000_000 - 30,
      });
      expect(none.series).toEqual({ kind: 'recorded', coveredSeconds: 0 });
    }
    const forced = chooseSummarySource(ctx('recorded'), {
      firstEvaluated: 1_000_000 - 86400,
      lastEvaluated: 1_000_000 - 30,
      unbrokenSince: 1_000_000 - 600,
    });
    expect(forced.series).toEqual({ kind: 'recorded', coveredSeconds: 600 });
  });

  it('falls back to raw, saying why: no group, a stopped ruler, a young one', () => {
    expect(chooseSummarySource(ctx('auto'), undefined).answer).toEqual({
      kind: 'raw',
      reason: expect.stringContaining('no recorded fleet series'),
    });
    const stopped = chooseSummarySource(ctx('auto'), {
      firstEvaluated: 1_000_000 - 7200,
      lastEvaluated: 1_000_000 - 600,
    });
    expect(stopped.series.kind).toBe('raw');
    expect(stopped.answer.reason).toContain('last evaluated 600 s ago');
    const young = chooseSummarySource(ctx('auto'), {
      firstEvaluated: 1_000_000 - 600,
      lastEvaluated: 1_000_000 - 10,
    });
    expect(young.series.kind).toBe('raw');
    expect(young.answer.reason).toContain('less than the 1200 s');
  });

  it('follows the configured source', () => {
    expect(chooseSummarySource(ctx('raw'), undefined).series.kind).toBe('raw');
    const forced = chooseSummarySource(ctx('recorded'), undefined);
    expect(forced.series).toEqual({ kind: 'recorded', coveredSeconds: 0 });
    expect(forced.answer.reason).toContain('configured');
  });
});

describe('probeRecordingRules', () => {
  const answer = (values: Record<string, number>) =>
    ({
      query: async () => ({
        result: Object.entries(values).map(([signal, v]) => ({
          metric: { [SIGNAL_LABEL]: signal },
          value: [1_000_000, String(v)],
        })),
      }),
    }) as unknown as ThanosClient;

  it("reads the chain's start beside the heartbeat's first and last evaluation", async () => {
    expect(
      await probeRecordingRules(
        answer({
          first_evaluated: 1000,
          last_evaluated: 4000,
          evaluations: 101,
          unbroken_since: 2500,
        }),
        '5m',
      ),
    ).toEqual({
      firstEvaluated: 1000,
      lastEvaluated: 4000,
      intervalSeconds: 30,
      unbrokenSince: 2500,
    });
    // A group generated before the chain, or a chain broken now: no start.
    const old = await probeRecordingRules(
      answer({ first_evaluated: 1000, last_evaluated: 4000, evaluations: 101 }),
      '5m',
    );
    expect(old).not.toHaveProperty('unbrokenSince');
  });
});
