import { ResponseError } from '@backstage/errors';
import type {
  UpstreamErrorInfo,
  UpstreamErrorKind,
} from '@fleet-monitoring/plugin-monitoring-common';

/**
 * The upstream named in a backend error body (`{error: {name, message, upstream, kind}}`), when the
 * backend failed because Thanos, ArgoCD or Kubernetes did. Backstage's ResponseError keeps the
 * parsed body, so no error class of our own is needed.
 *
 * @public
 */
export function upstreamOfError(error: unknown): UpstreamErrorInfo | undefined {
  if (!ResponseError.is(error)) return undefined;
  const body = error.body.error as {
    message?: string;
    upstream?: string;
    kind?: UpstreamErrorKind;
  };
  if (!body?.upstream) return undefined;
  return {
    upstream: body.upstream,
    kind: body.kind ?? 'http-error',
    status: error.statusCode,
    message: body.message ?? error.message,
  };
}

/** HTTP status of a failed backend call, or undefined when it never got an answer. */
export function statusOfError(error: unknown): number | undefined {
  return ResponseError.is(error) ? error.statusCode : undefined;
}

/** The error message the backend wrote (not ResponseError's "Request failed with 404 ..." wrapper). */
export function backendMessage(error: unknown): string {
  if (ResponseError.is(error))
    return String(error.body.error?.message ?? error.message);
  return String((error as Error)?.message ?? error);
}
