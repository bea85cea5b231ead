import type { CacheService } from '@backstage/backend-plugin-api';
import type { JsonValue } from '@backstage/types';

/**
 * Cache-aside with request coalescing: identical concurrent loads share one upstream call, and
 * results go to Backstage's CacheService (memory, Redis, ...) so other backend replicas reuse them.
 */
export class CachedLoader {
  private readonly inflight = new Map<string, Promise<{ value: JsonValue; cached: boolean }>>();

  constructor(
    private readonly cache: CacheService | undefined,
    private readonly ttlSeconds: number,
  ) {}

  async load<T extends JsonValue>(
    key: string,
    loader: () => Promise<T>,
  ): Promise<{ value: T; cached: boolean }> {
    const running = this.inflight.get(key);
    if (running) return (await running) as { value: T; cached: boolean };
    const promise = this.loadOnce(key, loader);
    this.inflight.set(key, promise);
    try {
      return (await promise) as { value: T; cached: boolean };
    } finally {
      this.inflight.delete(key);
    }
  }

  private async loadOnce<T extends JsonValue>(key: string, loader: () => Promise<T>) {
    if (this.cache && this.ttlSeconds > 0) {
      // A broken cache store must not break health answers; fall through to the upstream.
      const hit = await this.cache.get<T>(key).catch(() => undefined);
      if (hit !== undefined) return { value: hit, cached: true };
    }
    const value = await loader();
    if (this.cache && this.ttlSeconds > 0) {
      await this.cache.set(key, value, { ttl: this.ttlSeconds * 1000 }).catch(() => undefined);
    }
    return { value, cached: false };
  }
}
