import type { CacheService } from '@backstage/backend-plugin-api';
import type { JsonValue } from '@backstage/types';

/** Longest time a replica serves an answer from its own memory before asking the shared cache. */
const LOCAL_TTL_MS = 5_000;

/**
 * Cache-aside in two levels, with request coalescing:
 * - identical concurrent loads share one upstream call set;
 * - answers go to Backstage's CacheService (memory, Redis, ...) so other replicas reuse them;
 * - each replica also keeps the decoded answer in memory for a few seconds, so a hot answer is not
 *   fetched and parsed again from the shared store on every request.
 */
export class CachedLoader {
  private readonly inflight = new Map<string, Promise<{ value: JsonValue; cached: boolean }>>();
  private readonly local = new Map<string, { value: JsonValue; expiresAt: number }>();

  constructor(
    private readonly cache: CacheService | undefined,
    private readonly ttlSeconds: number,
  ) {}

  /**
   * `cachedView` turns a fresh answer into what later readers get (e.g. with `upstreamQueries: 0`);
   * it runs once per cached answer, so hits return the same object and its serialisation can be reused.
   */
  async load<T extends JsonValue>(
    key: string,
    loader: () => Promise<T>,
    cachedView: (value: T) => T = v => v,
  ): Promise<{ value: T; cached: boolean }> {
    if (this.ttlSeconds > 0) {
      const hit = this.local.get(key);
      if (hit && hit.expiresAt > Date.now()) return { value: hit.value as T, cached: true };
    }
    const running = this.inflight.get(key);
    if (running) return (await running) as { value: T; cached: boolean };
    const promise = this.loadOnce(key, loader, cachedView);
    this.inflight.set(key, promise);
    try {
      return (await promise) as { value: T; cached: boolean };
    } finally {
      this.inflight.delete(key);
    }
  }

  private remember<T extends JsonValue>(key: string, value: T) {
    const now = Date.now();
    // Drop expired entries now and then so keys of vanished entities do not pile up.
    if (this.local.size > 1000) {
      for (const [k, v] of this.local) if (v.expiresAt <= now) this.local.delete(k);
    }
    this.local.set(key, { value, expiresAt: now + Math.min(LOCAL_TTL_MS, this.ttlSeconds * 1000) });
  }

  private async loadOnce<T extends JsonValue>(key: string, loader: () => Promise<T>, cachedView: (value: T) => T) {
    if (this.cache && this.ttlSeconds > 0) {
      // A broken cache store must not break health answers; fall through to the upstream.
      const hit = await this.cache.get<T>(key).catch(() => undefined);
      if (hit !== undefined) {
        const view = cachedView(hit);
        this.remember(key, view);
        return { value: view, cached: true };
      }
    }
    const value = await loader();
    if (this.ttlSeconds > 0) {
      this.remember(key, cachedView(value));
      if (this.cache) await this.cache.set(key, value, { ttl: this.ttlSeconds * 1000 }).catch(() => undefined);
    }
    return { value, cached: false };
  }
}
