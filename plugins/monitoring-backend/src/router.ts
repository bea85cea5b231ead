import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  InstanceInfo,
  InstancesResponse,
} from '@fleet-monitoring/plugin-monitoring-common';
import express from 'express';
import type { EntityAccess } from './core/entityAccess';
import type { FleetMonitoringRouter } from './core/routing';
import { jsonSender, SendJson } from './core/sendJson';
import { createOpenApiRouter } from './schema/openapi/generated/router';
import {
  addPassThroughRoute,
  PASS_THROUGH_ROUTE,
} from './thanos/passThroughRoute';
import type { ThanosInstances } from './thanos/ThanosInstances';
import { upstreamErrorHandler } from './upstream/errorMiddleware';

export type { FleetMonitoringRouter };

/** One slice's routes (remote write, Thanos components, ...), added to the shared typed router. */
export type AddRoutes = (router: FleetMonitoringRouter, send: SendJson) => void;

export interface RouterOptions {
  logger?: LoggerService;
  access: EntityAccess;
  /** The configured Thanos instances: listed by /instances, asked by the pass-through. */
  instances: Pick<ThanosInstances, 'names' | 'client'>;
  /** Configured ArgoCD instances and Kubernetes clusters, listed by /instances. */
  argocdInstances?: InstanceInfo[];
  kubernetesClusters?: InstanceInfo[];
  /** Each slice's routes; the router is their sum. */
  addRoutes?: AddRoutes[];
  /** Validate every answer against the OpenAPI document too (tests, the dev app). */
  validateResponses?: boolean;
}

/** The plugin's router: the spec-validated router, /instances, the pass-through and every slice. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { access, instances } = options;
  // Requests are validated against the spec before any handler runs (400 naming the field).
  const router = await createOpenApiRouter({
    middleware: [
      express.json({ limit: '64kb' }),
      express.urlencoded({ extended: false, limit: '64kb' }),
    ],
    validatorOptions: {
      validateResponses: options.validateResponses ?? false,
      // The pass-through's Prometheus-style `match[]` lists do not survive express' query parser
      // under their wire names, so its parameters are checked by passThroughParams().
      ignorePaths: PASS_THROUGH_ROUTE,
    },
  });
  const send = jsonSender({ validated: options.validateResponses });

  router.get('/instances', async (req, res) => {
    await access.credentials(req);
    const body: InstancesResponse = {
      thanos: instances
        .names()
        .map(name => ({ name, title: instances.client(name).instance.title })),
      argocd: options.argocdInstances ?? [],
      kubernetes: options.kubernetesClusters ?? [],
    };
    res.json(body);
  });
  addPassThroughRoute(router, { access, instances });
  for (const add of options.addRoutes ?? []) add(router, send);
  router.use(upstreamErrorHandler());
  return router;
}
