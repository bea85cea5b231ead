import { CustomErrorBase } from '@backstage/errors';
import type {
  UpstreamErrorInfo,
  UpstreamErrorKind,
} from '@fleet-monitoring/plugin-monitoring-common';

/**
 * A failure talking to a configured upstream. `info` is what users see: the upstream's configured
 * name, the kind of failure and what was attempted, in our words; never a URL, an upstream's body
 * or stack text. `logDetail` (where it was sent, what the upstream said) is only in the Error's own
 * message, which goes to the log. Neither ever holds request headers, tokens or a query string.
 */
export class UpstreamError extends CustomErrorBase {
  readonly info: UpstreamErrorInfo;

  constructor(
    upstream: string,
    kind: UpstreamErrorKind,
    message: string,
    status?: number,
    logDetail?: string,
  ) {
    super(`${upstream}: ${message}${logDetail ? ` [${logDetail}]` : ''}`);
    this.name = 'UpstreamError';
    this.info = {
      upstream,
      kind,
      message,
      ...(status !== undefined ? { status } : {}),
    };
  }

  static fromInfo(info: UpstreamErrorInfo): UpstreamError {
    return new UpstreamError(
      info.upstream,
      info.kind,
      info.message,
      info.status,
    );
  }

  /**
   * HTTP status our API answers with when this error ends a request: always our own terms, never the
   * upstream's (an upstream 401 is not a Backstage login failure): 504 for a timeout, 404 for an
   * upstream name that is not configured, 502 for everything else.
   */
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

/**
 * Per-upstream advice appended to a status error, e.g. which config key holds the token that a 401
 * rejected. `what` names the call ("listing applications").
 */
export type StatusHint = (
  kind: UpstreamErrorKind,
  status: number,
  what: string,
) => string | undefined;

function kindForStatus(status: number): UpstreamErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  return 'http-error';
}

/**
 * The one mapping from an upstream's HTTP status to an UpstreamError, for every upstream: the kind
 * follows the status, the message says what was attempted, what the upstream said (`detail`, from
 * its error body, capped) and the upstream's own hint.
 */
export function upstreamErrorForStatus(options: {
  upstream: string;
  status: number;
  what: string;
  detail?: string;
  hint?: StatusHint;
}): UpstreamError {
  const { upstream, status, what, hint } = options;
  const kind = kindForStatus(status);
  const detail = options.detail?.trim().replace(/\s+/g, ' ').slice(0, 300);
  const advice = hint?.(kind, status, what);
  const message = `${what} failed with HTTP ${status}${advice ? `; ${advice}` : ''}`;
  return new UpstreamError(
    upstream,
    kind,
    message,
    status,
    detail ? `upstream said: ${detail}` : undefined,
  );
}

/** The human part of a JSON error body (`message` or `error`), or the start of a text body. */
export function errorDetail(
  body: string,
  contentType: string,
): string | undefined {
  if (contentType.includes('json') || body.trimStart().startsWith('{')) {
    try {
      const parsed = JSON.parse(body) as { message?: unknown; error?: unknown };
      const text = parsed?.message || parsed?.error;
      if (typeof text === 'string') return text;
    } catch {
      // fall through to the raw text
    }
  }
  const text = body.slice(0, 120).trim();
  return text || undefined;
}
