import { chooseSummarySource } from './summarySource';

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
    });
    expect(c.series).toEqual({ kind: 'recorded', coveredSeconds: 7200 });
    expect(c.answer.kind).toBe('recorded');
    expect(c.answer.reason).toContain('detected');
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
