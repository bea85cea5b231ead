import { SIGNAL_LABEL } from '../thanos/signals';
import { detailRange, detailSeries, emptySeries } from './clusterDetail';

describe('clusterDetail', () => {
  it('maps each series signal to its graph, dropping non-finite points', () => {
    const series = detailSeries([
      {
        metric: { [SIGNAL_LABEL]: 'lag' },
        values: [
          [1, '2'],
          [2, 'NaN'],
        ],
      },
      { metric: { [SIGNAL_LABEL]: 'sent' }, values: [[1, '5']] },
    ]);
    expect(series).toEqual({
      ...emptySeries(),
      lagSeconds: [[1, 2]],
      samplesPerSecond: [[1, 5]],
    });
  });

  it('asks for about 120 points whatever the range, never finer than 15 s', () => {
    expect(detailRange(3600, 1_000_000_000)).toEqual({
      start: 1_000_000 - 3600,
      end: 1_000_000,
      step: 30,
    });
    expect(detailRange(600, 0).step).toBe(15);
  });
});
