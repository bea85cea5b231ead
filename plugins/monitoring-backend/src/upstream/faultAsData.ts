import type { UpstreamErrorInfo } from '@fleet-monitoring/plugin-monitoring-common';
import { isUpstreamError, UpstreamError } from './errors';

/**
 * Runs `work`; an upstream fault becomes data through `onFault` (the card shows the failing upstream
 * and its fix), any other error is thrown on to the error middleware. The one place that tells the
 * two apart.
 */
export async function faultAsData<T>(
  work: () => Promise<T>,
  onFault: (info: UpstreamErrorInfo, error: UpstreamError) => T | Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (!isUpstreamError(e)) throw e;
    return onFault(e.info, e);
  }
}
