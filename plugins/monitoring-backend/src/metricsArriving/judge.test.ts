import { evaluateMetricsArriving } from './judge';

describe('evaluateMetricsArriving', () => {
  const c = (over: object) => ({
    cluster: 'edge',
    targetsUp: 2,
    targetsTotal: 2,
    seriesCount: 10,
    lastSampleAgeSeconds: 15,
    ...over,
  });

  it('says no-data when nothing matches anywhere', () => {
    expect(evaluateMetricsArriving([], 300)).toMatchObject({
      state: 'no-data',
      reasons: [{ id: 'metrics-not-arriving' }],
    });
  });

  it('flags stale clusters and down targets', () => {
    expect(evaluateMetricsArriving([c({})], 300).state).toBe('healthy');
    expect(
      evaluateMetricsArriving(
        [c({ lastSampleAgeSeconds: 900 })],
        300,
      ).reasons.map(r => `${r.id}:${r.severity}`),
    ).toEqual(['metrics-stale:warning']);
    expect(evaluateMetricsArriving([c({ targetsUp: 1 })], 300).state).toBe(
      'degraded',
    );
    expect(evaluateMetricsArriving([c({ targetsUp: 0 })], 300).state).toBe(
      'failing',
    );
  });
});
