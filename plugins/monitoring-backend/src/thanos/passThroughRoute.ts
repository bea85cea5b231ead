import { InputError } from '@backstage/errors';
import {
  ErrorResponseBody,
  fleetMonitoringQueryPermission,
} from '@fleet-monitoring/plugin-monitoring-common';
import express from 'express';
import type { EntityAccess } from '../core/entityAccess';
import type { FleetMonitoringRouter } from '../core/routing';
import {
  PASS_THROUGH_PARAMS,
  PASS_THROUGH_PATHS,
  PassThroughPath,
} from './ThanosClient';
import type { ThanosInstances } from './ThanosInstances';

/** Matched against the validator's view of the path (mount path, then this router's path). */
export const PASS_THROUGH_ROUTE = /\/thanos\/[^/]+\/api\/v1\/[^/]*$/;

/** The PromQL pass-through (permission fleet-monitoring.query). */
export function addPassThroughRoute(
  router: FleetMonitoringRouter,
  options: {
    access: EntityAccess;
    instances: Pick<ThanosInstances, 'client'>;
  },
): void {
  const { access, instances } = options;
  // Restricted pass-through: configured instances only, read-only PromQL paths only, allow-listed
  // parameters only, GET/POST only; the instance's secrets are added server-side. It answers in our
  // own terms: the caller's query errors (400/422 from the engine) pass through, every other upstream
  // failure is a 502/504 naming the upstream (an upstream 401 is not a Backstage login failure).
  router.all(
    '/thanos/:instance/api/v1/:path',
    async (req: express.Request, res: express.Response) => {
      if (req.method !== 'GET' && req.method !== 'POST') {
        res.setHeader('Allow', 'GET, POST');
        const body: ErrorResponseBody = {
          error: {
            name: 'MethodNotAllowedError',
            message: `Method ${req.method} is not allowed; use GET or POST`,
          },
          request: { method: req.method, url: req.originalUrl.split('?')[0] },
          response: { statusCode: 405 },
        };
        res.status(405).json(body);
        return;
      }
      const path = req.params.path as PassThroughPath;
      if (!PASS_THROUGH_PATHS.includes(path)) {
        throw new InputError(
          `Path /api/v1/${req.params.path} is not allowed; allowed: ${PASS_THROUGH_PATHS.join(', ')}`,
        );
      }
      await access.requireBasic(req, fleetMonitoringQueryPermission);
      const client = instances.client(req.params.instance);
      const params = passThroughParams(req);
      if (
        (path === 'query' || path === 'query_range') &&
        !params.get('query')
      ) {
        throw new InputError('Missing "query" parameter');
      }
      const upstream = await client.raw(path, params, 'POST');
      const isJson = upstream.contentType.includes('json');
      if (
        upstream.status === 200 ||
        (isJson && (upstream.status === 400 || upstream.status === 422))
      ) {
        res
          .status(upstream.status)
          .type(isJson ? 'application/json' : 'text/plain')
          .send(upstream.body);
        return;
      }
      // Throws the upstream's error (status or PromQL envelope, e.g. a query timeout -> 504).
      client.unwrap(upstream, `/api/v1/${path}`);
      throw client.statusError(upstream, `/api/v1/${path}`);
    },
  );
}

/** Largest value of one pass-through parameter (a long `match[]` must not be cut short). */
const MAX_PARAM_LENGTH = 16_384;

/**
 * The allow-listed parameters of a pass-through request (query string and form body). A parameter
 * outside the allow-list, a repeated single-valued parameter or a value over 16 KB is a 400, never
 * silently dropped or narrowed.
 */
function passThroughParams(req: express.Request): URLSearchParams {
  const params = new URLSearchParams();
  const add = (source: unknown) => {
    for (const [k, v] of Object.entries(
      (source ?? {}) as Record<string, unknown>,
    )) {
      const list = Array.isArray(v) ? v : [v];
      const key = k.endsWith('[]') || !Array.isArray(v) ? k : `${k}[]`;
      if (!PASS_THROUGH_PARAMS.has(key)) {
        if (PASS_THROUGH_PARAMS.has(k))
          throw new InputError(`Parameter "${k}" is given more than once`);
        throw new InputError(
          `Parameter "${k}" is not allowed; allowed: ${[...PASS_THROUGH_PARAMS].join(', ')}`,
        );
      }
      for (const item of list) {
        if (typeof item !== 'string')
          throw new InputError(`Parameter "${k}" must be a plain string`);
        if (item.length > MAX_PARAM_LENGTH) {
          throw new InputError(
            `Parameter "${k}" is longer than ${MAX_PARAM_LENGTH} characters`,
          );
        }
        if (!key.endsWith('[]') && params.has(key))
          throw new InputError(`Parameter "${k}" is given more than once`);
        params.append(key, item);
      }
    }
  };
  add(req.query);
  if (req.method === 'POST' && req.is('application/x-www-form-urlencoded'))
    add(req.body);
  return params;
}
