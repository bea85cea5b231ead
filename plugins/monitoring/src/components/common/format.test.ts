import { formatRate, formatShards } from './format';

describe('formatShards', () => {
  it('rounds the desired-shards estimate up and never below one, as Prometheus does', () => {
    expect(formatShards(1, 0.02, 200)).toBe('1 shard, enough (max 200)');
    expect(formatShards(4, 3.2, 50)).toBe('4 shards, enough (max 50)');
    expect(formatShards(2, 3.2, 50)).toBe('2 of 4 shards needed (max 50)');
  });

  it('says when the need exceeds max_shards', () => {
    expect(formatShards(50, 61.5, 50)).toBe(
      '50 of 62 shards needed, capped by max (max 50)',
    );
  });

  it('shows what it knows when a figure is missing', () => {
    expect(formatShards(3, undefined, undefined)).toBe('3 shards');
    expect(formatShards(undefined, 0.4, 10)).toBe('1 shard needed (max 10)');
    expect(formatShards(undefined, undefined, 10)).toBe('—');
  });
});

describe('formatRate', () => {
  it('shows zero as 0/s and only a missing value as —', () => {
    expect(formatRate(0)).toBe('0/s');
    expect(formatRate(undefined)).toBe('—');
  });
});
