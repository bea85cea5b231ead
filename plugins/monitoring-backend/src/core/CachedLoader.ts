import type { CacheService } from '@backstage/backend-plugin-api';
import { fromShared, toShared } from './sharedJson';

/** Longest time a replica serves an answer from its own memory before asking the shared cache. */
const LOCAL_TTL_MS = 5_000;

/**
 * Each shared answer has a small stamp beside it, rewritten with the answer: a replica whose memory
 * copy has expired asks for the stamp, and reads (and parses) the answer again only when it changed.
 * A 100,000-cluster summary is ~22 MB in the store; re-reading it every few seconds is what made a
 * replica's slow requests.
 */
const stampKey = (key: string) => `${key}:stamp`;
let stamps = 0;
/** Unique per stored answer; it starts with the answer's expiry in the shared store. */
const newStamp = (sharedMs: number) =>
  `${Date.now() + sharedMs}:${process.pid}.${++stamps}`;
/** Whether the answer a stamp names is still within its time in the shared store. */
const unexpired = (stamp: string) =>
  Number(stamp.slice(0, stamp.indexOf(':'))) > Date.now();

export interface Loaded<T> {
  value: T;
  /** True when the answer came from a cache, not from the loader. */
  cached: boolean;
}

/**
 * Cache-aside in two levels, with request coalescing:
 * - identical concurrent loads share one upstream call set;
 * - answers go to Backstage's CacheService (memory, Redis, ...) so other replicas reuse them;
 * - each replica also keeps the decoded answer in memory for a few seconds, so a hot answer is not
 *   fetched and parsed again from the shared store on every request.
 *
 * A background refresher can also keep a key warm ({@link CachedLoader.refresh}): it recomputes the
 * answer and keeps it until the next refresh replaces it, so readers never wait on the upstream.
 * A load reads the shared store before it joins a running refresh: a replica that starts while the
 * refresh runs on it serves the stored answer at once, and waits on the round only when the store
 * is cold.
 */
export class CachedLoader {
  private readonly inflight = new Map<string, Promise<Loaded<unknown>>>();
  private readonly refreshing = new Map<string, Promise<Loaded<unknown>>>();
  private readonly local = new Map<
    string,
    { value: unknown; expiresAt: number; storedAt: number; stamp?: string }
  >();

  constructor(
    private readonly cache: CacheService | undefined,
    private readonly ttlSeconds: number,
  ) {}

  /**
   * `cachedView` turns a fresh answer into what later readers get (e.g. with `upstreamQueries: 0`);
   * it runs once per cached answer, so hits return the same object and its serialisation can be reused.
   */
  async load<T>(
    key: string,
    loader: () => Promise<T>,
    cachedView: (value: T) => T = v => v,
  ): Promise<Loaded<T>> {
    // Every key holds answers of one type (keys name their question), so reading one back as T is
    // sound; this is the one place where stored values are typed again.
    if (this.ttlSeconds > 0) {
      const hit = this.local.get(key);
      if (hit && hit.expiresAt > Date.now())
        return { value: hit.value as T, cached: true };
    }
    const running = this.inflight.get(key);
    if (running) return (await running) as Loaded<T>;
    return this.track(key, this.loadOnce(key, loader, cachedView));
  }

  /**
   * Recomputes `key` now (without reading any cache) and keeps the answer for `keepSeconds`, in
   * this replica's memory and in the shared store: long enough to last until the next refresh
   * replaces it. Loads of the key meanwhile are hits, or join this refresh while the key is cold.
   * Rejects with the loader's error; the caller decides whether to {@link CachedLoader.forget}.
   */
  async refresh<T>(
    key: string,
    loader: () => Promise<T>,
    keepSeconds: number,
    cachedView: (value: T) => T = v => v,
  ): Promise<T> {
    const run = async (): Promise<Loaded<T>> => {
      const value = await loader();
      const keepMs = keepSeconds * 1000;
      await this.store(key, value, cachedView, {
        localMs: keepMs,
        sharedMs: keepMs,
      });
      return { value, cached: false };
    };
    return (await this.track(key, run(), this.refreshing)).value;
  }

  /** Drops a key from this replica's memory and the shared store (its answer must not be served). */
  async forget(key: string): Promise<void> {
    this.local.delete(key);
    await this.cache?.delete(stampKey(key)).catch(() => undefined);
    await this.cache?.delete(key).catch(() => undefined);
  }

  /** Registers a running load so identical loads join it; a newer one replaces it. */
  private async track<T>(
    key: string,
    promise: Promise<Loaded<T>>,
    running: Map<string, Promise<Loaded<unknown>>> = this.inflight,
  ): Promise<Loaded<T>> {
    running.set(key, promise);
    try {
      return await promise;
    } finally {
      if (running.get(key) === promise) running.delete(key);
    }
  }

  /**
   * Keeps `value` in memory for `ttlMs`. With `startedAt` (a load that may have raced with others):
   * false, and nothing stored, when an answer stored after `startedAt` is there already, so a slower
   * load never replaces a newer answer or shortens a refreshed one's life.
   */
  private remember(
    key: string,
    value: unknown,
    ttlMs: number,
    startedAt?: number,
    stamp?: string,
  ): boolean {
    const now = Date.now();
    // Drop expired entries now and then so keys of vanished entities do not pile up.
    if (this.local.size > 1000) {
      for (const [k, v] of this.local)
        if (v.expiresAt <= now) this.local.delete(k);
    }
    const current = this.local.get(key);
    if (
      startedAt !== undefined &&
      current &&
      current.expiresAt > now &&
      current.storedAt > startedAt
    )
      return false;
    this.local.set(key, {
      value,
      expiresAt: now + ttlMs,
      storedAt: now,
      stamp,
    });
    return true;
  }

  /**
   * Keeps an answer in this replica's memory and in the shared store. With `startedAt` (a load that
   * may have raced with others) nothing is stored when a newer answer is there already.
   */
  private async store<T>(
    key: string,
    value: T,
    cachedView: (value: T) => T,
    ttl: { localMs: number; sharedMs: number },
    startedAt?: number,
  ): Promise<void> {
    const stamp = newStamp(ttl.sharedMs);
    if (!this.remember(key, cachedView(value), ttl.localMs, startedAt, stamp))
      return;
    // Answers are our API's plain JSON data; the store keeps their JSON text (sharedJson). The
    // stamp goes after the answer: a reader that sees the new stamp finds the new answer.
    const cache = this.cache;
    if (!cache) return;
    await cache
      .set(key, toShared(value), { ttl: ttl.sharedMs })
      .then(() => cache.set(stampKey(key), stamp, { ttl: ttl.sharedMs }))
      .catch(() => undefined);
  }

  private async loadOnce<T>(
    key: string,
    loader: () => Promise<T>,
    cachedView: (value: T) => T,
  ): Promise<Loaded<T>> {
    const startedAt = Date.now();
    const localMs = Math.min(LOCAL_TTL_MS, this.ttlSeconds * 1000);
    if (this.cache && this.ttlSeconds > 0) {
      // A broken cache store must not break health answers; fall through to the upstream.
      // The stamp is read before the answer: a stamp older than the answer read next only costs
      // one more read later, never a stale answer kept as new.
      const stamp = await this.cache.get(stampKey(key)).catch(() => undefined);
      const mine = this.local.get(key);
      if (
        typeof stamp === 'string' &&
        mine?.stamp === stamp &&
        unexpired(stamp)
      ) {
        // The shared answer is the one this replica holds: keep it for another while.
        mine.expiresAt = Date.now() + localMs;
        return { value: mine.value as T, cached: true };
      }
      const hit = await this.cache
        .get(key)
        .then(stored => fromShared<T>(stored))
        .catch(() => undefined);
      if (hit !== undefined) {
        const view = cachedView(hit);
        this.remember(
          key,
          view,
          localMs,
          startedAt,
          typeof stamp === 'string' ? stamp : undefined,
        );
        return { value: view, cached: true };
      }
    }
    // Cold store: a refresh running here will store the answer; wait for it instead of a second round.
    const refreshing = this.refreshing.get(key);
    if (refreshing) return (await refreshing) as Loaded<T>;
    const value = await loader();
    if (this.ttlSeconds > 0) {
      // The shared store keeps it for the TTL; this replica's memory for at most LOCAL_TTL_MS.
      await this.store(
        key,
        value,
        cachedView,
        { localMs, sharedMs: this.ttlSeconds * 1000 },
        startedAt,
      );
    }
    return { value, cached: false };
  }
}
