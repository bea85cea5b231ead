import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { ArgocdService } from '../argocd/ArgocdService';
import {
  argocdQuestion,
  metricsArrivingQuestion,
  remoteWriteQuestion,
} from '../entityQuestions';
import type { EntityAccess } from '../service/entityAccess';
import type { FleetHealthService } from '../service/FleetHealthService';
import {
  entityRefSchema,
  reasonsSchema,
  stateSchema,
  upstreamErrorSchema,
} from './schemas';

const READ_ONLY = {
  readOnly: true,
  destructive: false,
  idempotent: true,
} as const;

/**
 * Questions about one catalog entity. Like the entity routes, each reads the entity with the
 * caller's credentials (invisible entities are "not found") and checks the entity permission.
 */
export function registerEntityActions(options: {
  actionsRegistry: ActionsRegistryService;
  access: EntityAccess;
  health: FleetHealthService;
  argocd: ArgocdService;
}) {
  const { actionsRegistry, access, health, argocd } = options;

  const entityOf = (
    credentials: BackstageCredentials,
    ref: string,
    defaultKind: string,
  ): Promise<Entity> => {
    let parsed;
    try {
      parsed = parseEntityRef(ref, {
        defaultKind,
        defaultNamespace: 'default',
      });
    } catch (e) {
      throw new InputError(
        `"${ref}" is not an entity reference: ${(e as Error).message}`,
      );
    }
    return access.entityFor(credentials, parsed);
  };

  actionsRegistry.register({
    name: 'get-cluster-remote-write-health',
    title: "Get a cluster's remote-write health",
    description:
      'Whether a cluster (a catalog entity with the fleet-monitoring.io/cluster annotation) gets its metrics into Thanos: state, reasons with fixes, and the remote-write queue figures.',
    attributes: READ_ONLY,
    schema: {
      input: z => z.object({ entityRef: entityRefSchema(z) }),
      output: z =>
        z.object({
          cluster: z.string(),
          instance: z.string(),
          state: stateSchema(z),
          reasons: reasonsSchema(z),
          stats: z
            .record(z.string(), z.unknown())
            .describe(
              'Remote-write figures (samples/s, failure ratio, lag, shards, ...)',
            ),
          error: upstreamErrorSchema(z).optional(),
        }),
    },
    async action({ input, credentials }) {
      const { instance, cluster } = remoteWriteQuestion(
        await entityOf(credentials, input.entityRef, 'resource'),
      );
      const detail = await health.clusterDetail(instance, cluster);
      return {
        output: {
          cluster: detail.cluster,
          instance: detail.instance,
          state: detail.state,
          reasons: detail.reasons,
          stats: { ...detail.stats },
          error: detail.error,
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'get-metrics-arriving',
    title: "Are a service's metrics arriving?",
    description:
      'Whether the series of a service (a catalog entity with the fleet-monitoring.io/metrics-selector annotation) arrive in Thanos, per cluster: targets up, series count, age of the newest sample.',
    attributes: READ_ONLY,
    schema: {
      input: z => z.object({ entityRef: entityRefSchema(z) }),
      output: z =>
        z.object({
          selector: z.string(),
          query: z.string().describe('A PromQL query to check by hand'),
          state: stateSchema(z),
          reasons: reasonsSchema(z),
          clusters: z.array(
            z.object({
              cluster: z.string(),
              targetsUp: z.number(),
              targetsTotal: z.number(),
              seriesCount: z.number(),
              lastSampleAgeSeconds: z.number().optional(),
            }),
          ),
          error: upstreamErrorSchema(z).optional(),
        }),
    },
    async action({ input, credentials }) {
      const { instance, selector } = metricsArrivingQuestion(
        await entityOf(credentials, input.entityRef, 'component'),
      );
      const m = await health.metricsArriving(instance, selector);
      return {
        output: {
          selector: m.selector,
          query: m.query,
          state: m.state,
          reasons: m.reasons,
          clusters: m.clusters,
          error: m.error,
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'get-argocd-state',
    title: 'Get the ArgoCD state of an entity',
    description:
      'Sync and health of the ArgoCD applications a catalog entity names (argocd/app-name or argocd/app-selector), across the configured ArgoCD instances, with reasons and fixes.',
    attributes: READ_ONLY,
    schema: {
      input: z => z.object({ entityRef: entityRefSchema(z) }),
      output: z =>
        z.object({
          state: stateSchema(z),
          reasons: reasonsSchema(z),
          applications: z.array(
            z.object({
              instance: z.string(),
              name: z.string(),
              syncStatus: z.string(),
              healthStatus: z.string(),
              revision: z.string().optional(),
              lastDeployedAt: z.string().optional(),
              state: stateSchema(z),
              uiUrl: z.string(),
            }),
          ),
          errors: z.array(upstreamErrorSchema(z)),
        }),
    },
    async action({ input, credentials }) {
      const selection = argocdQuestion(
        await entityOf(credentials, input.entityRef, 'component'),
      );
      const apps = await argocd.entityApps(selection);
      return {
        output: {
          state: apps.state,
          reasons: apps.reasons,
          applications: apps.applications,
          errors: apps.errors,
        },
      };
    },
  });
}
