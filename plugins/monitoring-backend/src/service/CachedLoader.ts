import type { CacheService } from '@backstage/backend-plugin-api';
import type { JsonValue } from '@backstage/types';

/** Longest time a replica serves an answer from its own memory before asking the shared cache. */
const LOCAL_TTL_MS = 5_000;

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
 */
export class CachedLoader {
  private readonly inflight = new Map<string, Promise<Loaded<unknown>>>();
  private readonly local = new Map<
    string,
    { value: unknown; expiresAt: number }
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
    const promise = this.loadOnce(key, loader, cachedView);
    this.inflight.set(key, promise);
    try {
      return await promise;
    } finally {
      this.inflight.delete(key);
    }
  }

  private remember(key: string, value: unknown) {
    const now = Date.now();
    // Drop expired entries now and then so keys of vanished entities do not pile up.
    if (this.local.size > 1000) {
      for (const [k, v] of this.local)
        if (v.expiresAt <= now) this.local.delete(k);
    }
    this.local.set(key, {
      value,
      expiresAt: now + Math.min(LOCAL_TTL_MS, this.ttlSeconds * 1000),
    });
  }

  private async loadOnce<T>(
    key: string,
    loader: () => Promise<T>,
    cachedView: (value: T) => T,
  ): Promise<Loaded<T>> {
    if (this.cache && this.ttlSeconds > 0) {
      // A broken cache store must not break health answers; fall through to the upstream.
      const hit = await this.cache.get(key).catch(() => undefined);
      if (hit !== undefined) {
        const view = cachedView(hit as T);
        this.remember(key, view);
        return { value: view, cached: true };
      }
    }
    const value = await loader();
    if (this.ttlSeconds > 0) {
      this.remember(key, cachedView(value));
      // Answers are our API's plain JSON data; the store keeps them as JSON.
      if (this.cache) {
        await this.cache
          .set(key, value as unknown as JsonValue, {
            ttl: this.ttlSeconds * 1000,
          })
          .catch(() => undefined);
      }
    }
    return { value, cached: false };
  }
}
