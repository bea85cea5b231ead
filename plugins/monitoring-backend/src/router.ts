import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  ErrorResponseBody,
  fleetMonitoringFleetReadPermission,
  fleetMonitoringQueryPermission,
  InstanceInfo,
  InstancesResponse,
} from '@fleet-monitoring/plugin-monitoring-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  metricsArrivingQuestion,
  remoteWriteQuestion,
  thanosQuestion,
} from './entityQuestions';
import { sendJson } from './sendJson';
import { EntityAccess } from './service/entityAccess';
import { FleetHealthService } from './service/FleetHealthService';
import {
  PASS_THROUGH_PARAMS,
  PASS_THROUGH_PATHS,
  PassThroughPath,
} from './thanos/ThanosClient';
import { upstreamErrorHandler } from './upstream/errorMiddleware';

export interface RouterOptions {
  logger: LoggerService;
  access: EntityAccess;
  health: FleetHealthService;
  /** Configured ArgoCD instances and Kubernetes clusters, listed by /instances. */
  argocdInstances?: InstanceInfo[];
  kubernetesClusters?: InstanceInfo[];
  /** Extra routers (ArgoCD, Kubernetes) mounted on the same base path. */
  extraRouters?: express.Router[];
}

const ENTITY = '/entity/:kind/:namespace/:name';

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { access, health } = options;
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  router.get('/instances', async (req, res) => {
    await access.credentials(req);
    const body: InstancesResponse = {
      thanos: health
        .instanceNames()
        .map(name => ({ name, title: health.client(name).instance.title })),
      argocd: options.argocdInstances ?? [],
      kubernetes: options.kubernetesClusters ?? [],
    };
    res.json(body);
  });

  router.get('/fleet/:instance/summary', async (req, res) => {
    await access.requireBasic(req, fleetMonitoringFleetReadPermission);
    sendJson(req, res, await health.fleetSummary(req.params.instance));
  });

  router.get('/thanos/:instance/health', async (req, res) => {
    await access.requireBasic(req, fleetMonitoringFleetReadPermission);
    sendJson(
      req,
      res,
      await health.thanosHealth(req.params.instance, 'query', []),
    );
  });

  const rangeSchema = z.object({
    range: z.coerce
      .number()
      .int()
      .min(300)
      .max(7 * 86400)
      .optional(),
  });

  router.get(`${ENTITY}/remote-write`, async (req, res) => {
    const query = rangeSchema.safeParse(req.query);
    if (!query.success)
      throw new InputError(`Invalid range: ${query.error.issues[0].message}`);
    const { instance, cluster } = remoteWriteQuestion(
      await access.readEntity(req),
    );
    sendJson(
      req,
      res,
      await health.clusterDetail(instance, cluster, query.data.range),
    );
  });

  router.get(`${ENTITY}/thanos`, async (req, res) => {
    const { instance, component, selector } = thanosQuestion(
      await access.readEntity(req),
    );
    sendJson(
      req,
      res,
      await health.thanosHealth(instance, component, selector),
    );
  });

  router.get(`${ENTITY}/metrics-arriving`, async (req, res) => {
    const { instance, selector } = metricsArrivingQuestion(
      await access.readEntity(req),
    );
    sendJson(req, res, await health.metricsArriving(instance, selector));
  });

  // Restricted pass-through: configured instances only, read-only PromQL paths only, allow-listed
  // parameters only, GET/POST only; the instance's secrets are added server-side. It answers in our
  // own terms: the caller's query errors (400/422 from the engine) pass through, every other upstream
  // failure is a 502/504 naming the upstream (an upstream 401 is not a Backstage login failure).
  router.all(
    '/thanos/:instance/api/v1/:path',
    express.urlencoded({ extended: false, limit: '64kb' }),
    async (req, res) => {
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
      const client = health.client(req.params.instance);
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

  for (const extra of options.extraRouters ?? []) router.use(extra);
  router.use(upstreamErrorHandler());
  return router;
}

/** Largest value of one pass-through parameter (a long `match[]` must not be cut short). */
const MAX_PARAM_LENGTH = 16_384;

/**
 * The allow-listed parameters of a pass-through request (query string and form body). Parameters
 * outside the allow-list are not forwarded; a repeated single-valued parameter or a value over
 * 16 KB is a 400, never silently dropped or narrowed.
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
        continue;
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
