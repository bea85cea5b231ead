import { fromShared, toShared } from './sharedJson';

describe('sharedJson', () => {
  it('round-trips an answer through the store as one string value', () => {
    const answer = {
      clusters: [{ cluster: ':colon', stats: { lag: 1.5 }, reasons: [] }],
      note: null,
    };
    const stored = toShared(answer) as Record<string, unknown>;
    // One string value: what the cache's serialiser copies as a whole.
    expect(Object.values(stored).map(v => typeof v)).toEqual(['string']);
    expect(fromShared(JSON.parse(JSON.stringify(stored)))).toEqual(answer);
  });

  it('encodes an answer object once for all the keys it is stored under', () => {
    const answer = { clusters: [] };
    expect(toShared(answer)).toBe(toShared(answer));
  });

  it('reads values stored as plain objects by an earlier version', () => {
    expect(fromShared({ clusters: [1] })).toEqual({ clusters: [1] });
    expect(fromShared(undefined)).toBeUndefined();
    expect(fromShared(toShared(null))).toBeNull();
  });
});
