import type { Request, Response } from 'express';
import type { ErrorResponseBody } from '@fleet-monitoring/plugin-monitoring-common';
import { isUpstreamError } from '../upstream/errors';

/**
 * Runs a route body; an UpstreamError that ends the request becomes a 502/504 answer naming the
 * upstream and the kind of failure (other errors go to Backstage's error handler).
 */
export async function answerUpstreamErrors(
  req: Request,
  res: Response,
  body: () => Promise<unknown>,
) {
  try {
    res.json(await body());
  } catch (e) {
    if (!isUpstreamError(e)) throw e;
    const status = e.info.kind === 'not-found' ? 404 : e.httpStatus;
    const answer: ErrorResponseBody = {
      error: {
        name: e.name,
        message: e.message,
        upstream: e.info.upstream,
        kind: e.info.kind,
      },
      request: { method: req.method, url: req.originalUrl.split('?')[0] },
      response: { statusCode: status },
    };
    res.status(status).json(answer);
  }
}
