import type { LoggerService } from '@backstage/backend-plugin-api';
import type { UpstreamErrorInfo } from '@fleet-monitoring/plugin-monitoring-common';
import { faultAsData } from '../upstream/faultAsData';
import type { CachedLoader } from './CachedLoader';

/**
 * Loads a question's answer through the cache (`key` from {@link cacheKey}). An upstream fault
 * becomes data (logged once here); any other error is thrown to the error middleware.
 */
export function loadAnswer<T>(
  options: { loader: CachedLoader; logger: LoggerService },
  key: string,
  compute: () => Promise<T>,
  onUpstreamError: (info: UpstreamErrorInfo) => T | Promise<T>,
): Promise<T> {
  return faultAsData(
    async () => (await options.loader.load(key, compute)).value,
    (info, e) => {
      options.logger.warn(`Upstream fault for ${key}: ${e.message}`);
      return onUpstreamError(info);
    },
  );
}
