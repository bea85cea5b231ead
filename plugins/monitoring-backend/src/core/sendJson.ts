import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';

/** Serialised bodies of cached answers: a hit returns the same object, so it is encoded once. */
const bodies = new WeakMap<object, { body: Buffer; etag: string }>();

/**
 * Sends a JSON answer with an ETag, reusing the encoding of answers served from cache, and answers
 * 304 when the client already has it (cards poll; a 1,000-cluster summary is hundreds of KB).
 * With `validated`, the body goes through `res.json`, where the OpenAPI response validator sees it
 * (express answers the 304 from the same ETag).
 */
export function sendJson(
  req: Request<any, any, any, any, any>,
  res: Response<any, any>,
  value: object,
  options?: { validated?: boolean },
): void {
  let entry = bodies.get(value);
  if (!entry) {
    const body = Buffer.from(JSON.stringify(value));
    entry = {
      body,
      etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
    };
    bodies.set(value, entry);
  }
  res.setHeader('ETag', entry.etag);
  res.setHeader('Cache-Control', 'private, no-cache');
  if (options?.validated) {
    res.json(value);
    return;
  }
  if (req.headers['if-none-match'] === entry.etag) {
    res.status(304).end();
    return;
  }
  res.type('application/json').send(entry.body);
}

/** sendJson bound to the router's response validation setting. */
export type SendJson = (
  req: Request<any, any, any, any, any>,
  res: Response<any, any>,
  value: object,
) => void;

export function jsonSender(options: { validated?: boolean }): SendJson {
  return (req, res, value) => sendJson(req, res, value, options);
}
