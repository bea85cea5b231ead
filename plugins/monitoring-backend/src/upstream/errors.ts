import { CustomErrorBase } from '@backstage/errors';
import type { UpstreamErrorInfo, UpstreamErrorKind } from '@fleet-monitoring/plugin-monitoring-common';

/**
 * A failure talking to a configured upstream. The message names the upstream and the cause and is
 * safe to show and log: it never contains request headers, tokens or the URL's query string.
 */
export class UpstreamError extends CustomErrorBase {
  readonly info: UpstreamErrorInfo;

  constructor(upstream: string, kind: UpstreamErrorKind, message: string, status?: number) {
    super(`${upstream}: ${message}`);
    this.name = 'UpstreamError';
    this.info = { upstream, kind, message, ...(status !== undefined ? { status } : {}) };
  }

  /** HTTP status our API answers with when this error ends a request. */
  get httpStatus(): number {
    switch (this.info.kind) {
      case 'timeout':
        return 504;
      case 'not-configured':
        return 404;
      default:
        return 502;
    }
  }
}

export function isUpstreamError(e: unknown): e is UpstreamError {
  return e instanceof UpstreamError;
}
