import type { ErrorRequestHandler } from 'express';
import type { ErrorResponseBody } from '@fleet-monitoring/plugin-monitoring-common';
import { isUpstreamError } from './errors';

/**
 * Renders an UpstreamError that ends a request, for every route: 502/504 (404 for an upstream name
 * that is not configured) with the upstream and the kind of failure in Backstage's error body.
 * Other errors go on to Backstage's error handler.
 */
export function upstreamErrorHandler(): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (!isUpstreamError(err) || res.headersSent) {
      next(err);
      return;
    }
    const statusCode = err.httpStatus;
    const body: ErrorResponseBody = {
      error: {
        name: err.name,
        // The user-facing part only: the URL and the upstream's own words stay in the log.
        message: `${err.info.upstream}: ${err.info.message}`,
        upstream: err.info.upstream,
        kind: err.info.kind,
      },
      request: { method: req.method, url: req.originalUrl.split('?')[0] },
      response: { statusCode },
    };
    res.status(statusCode).json(body);
  };
}
