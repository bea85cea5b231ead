import type { CacheService } from '@backstage/backend-plugin-api';
import { CachedLoader } from './CachedLoader';

/** A shared store (as Redis would be for several replicas) that counts what is read from it. */
function sharedStore() {
  const entries = new Map<string, { value: unknown; expiresAt: number }>();
  const reads: string[] = [];
  const cache = {
    async get(key: string) {
      reads.push(key);
      const e = entries.get(key);
      return e && e.expiresAt > Date.now() ? e.value : undefined;
    },
    async set(key: string, value: unknown, opts?: { ttl?: number }) {
      entries.set(key, {
        value: structuredClone(value),
        expiresAt: Date.now() + (opts?.ttl ?? 60_000),
      });
    },
    async delete(key: string) {
      entries.delete(key);
    },
    withOptions() {
      return cache;
    },
  } as unknown as CacheService;
  return { cache, reads };
}

describe('CachedLoader across replicas', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('re-reads a shared answer only when it changed, not every few seconds', async () => {
    const { cache, reads } = sharedStore();
    const a = new CachedLoader(cache, 60);
    const b = new CachedLoader(cache, 60);
    let round = 0;
    const compute = async () => ({ round: ++round });

    await a.refresh('summary', compute, 60);
    expect((await b.load('summary', compute)).value).toEqual({ round: 1 });
    const answerReads = () => reads.filter(k => k === 'summary').length;
    expect(answerReads()).toBe(1);

    // B's memory copy expires every 5 s; the answer in the store is the same: only its stamp is read.
    for (let i = 0; i < 5; i++) {
      jest.advanceTimersByTime(6_000);
      const again = await b.load('summary', compute);
      expect(again).toEqual({ value: { round: 1 }, cached: true });
    }
    expect(answerReads()).toBe(1);
    expect(round).toBe(1);

    // A's next round replaces it: B reads the new answer once its memory copy expires.
    await a.refresh('summary', compute, 60);
    jest.advanceTimersByTime(6_000);
    expect((await b.load('summary', compute)).value).toEqual({ round: 2 });
    expect(answerReads()).toBe(2);
  });

  it('does not keep an answer past its time in the shared store', async () => {
    const { cache } = sharedStore();
    const a = new CachedLoader(cache, 10);
    const b = new CachedLoader(cache, 10);
    let round = 0;
    const compute = async () => ({ round: ++round });
    await a.load('k', compute);
    expect((await b.load('k', compute)).value).toEqual({ round: 1 });
    // The stamp is written just after the answer, so a store may hold it a little longer: make it
    // outlive the answer here.
    const stamp = await cache.get('k:stamp');
    expect(typeof stamp).toBe('string');
    await cache.set('k:stamp', stamp!, { ttl: 60_000 });
    // Past the 10 s TTL the stamp names an expired answer: B computes a new one.
    jest.advanceTimersByTime(11_000);
    expect((await b.load('k', compute)).value).toEqual({ round: 2 });
  });

  it('reads the answer again when the store has no stamp (written before stamps)', async () => {
    const { cache, reads } = sharedStore();
    await cache.set('old', { v: 1 }, { ttl: 60_000 });
    const b = new CachedLoader(cache, 60);
    const never = async () => {
      throw new Error('must not compute');
    };
    expect((await b.load('old', never)).value).toEqual({ v: 1 });
    jest.advanceTimersByTime(6_000);
    expect((await b.load('old', never)).value).toEqual({ v: 1 });
    expect(reads.filter(k => k === 'old')).toHaveLength(2);
  });

  it('forgets the stamp with the answer', async () => {
    const { cache } = sharedStore();
    const a = new CachedLoader(cache, 60);
    const b = new CachedLoader(cache, 60);
    let round = 0;
    const compute = async () => ({ round: ++round });
    await a.load('k', compute);
    await b.load('k', compute);
    await a.forget('k');
    jest.advanceTimersByTime(6_000);
    expect((await b.load('k', compute)).value).toEqual({ round: 2 });
  });
});
