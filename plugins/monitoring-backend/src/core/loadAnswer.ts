import type { LoggerService } from '@backstage/backend-plugin-api';
import type { UpstreamErrorInfo } from '@fleet-monitoring/plugin-monitoring-common';
import { isUpstreamError } from '../upstream/errors';
import type { CachedLoader } from './CachedLoader';

/**
 * Loads an entity question's answer through the cache. An upstream fault becomes data (the card
 * shows the failing upstream and its fix); any other error is thrown to the error middleware.
 */
export async function loadAnswer<T>(
  options: { loader: CachedLoader; logger: LoggerService },
  key: string,
  compute: () => Promise<T>,
  onUpstreamError: (info: UpstreamErrorInfo) => T,
): Promise<T> {
  try {
    const { value } = await options.loader.load(
      `fleet-monitoring:v2:${key}`,
      compute,
    );
    return value;
  } catch (e) {
    if (!isUpstreamError(e)) throw e;
    options.logger.warn(`Upstream fault for ${key}: ${e.message}`);
    return onUpstreamError(e.info);
  }
}
