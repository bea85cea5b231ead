import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { fleetMonitoringFleetReadPermission } from '@fleet-monitoring/plugin-monitoring-common';
import type { EntityAccess } from '../service/entityAccess';
import type { FleetHealthService } from '../service/FleetHealthService';
import {
  instanceInputSchema,
  reasonsSchema,
  stateSchema,
  upstreamErrorSchema,
} from './schemas';

const READ_ONLY = {
  readOnly: true,
  destructive: false,
  idempotent: true,
} as const;

/** Fleet-wide questions: the fleet's remote-write health and a Thanos Query instance's health. */
export function registerFleetActions(options: {
  actionsRegistry: ActionsRegistryService;
  access: EntityAccess;
  health: FleetHealthService;
}) {
  const { actionsRegistry, access, health } = options;

  actionsRegistry.register({
    name: 'get-fleet-health',
    title: 'Get fleet remote-write health',
    description:
      'Remote-write health of every cluster that sends metrics to a Thanos Query instance: counts per state and each unhealthy cluster with its reasons and fixes.',
    attributes: READ_ONLY,
    visibilityPermission: fleetMonitoringFleetReadPermission,
    schema: {
      input: instanceInputSchema,
      output: z =>
        z.object({
          instance: z.string(),
          generatedAt: z.string(),
          counts: z.record(z.string(), z.number()),
          clusters: z.array(
            z.object({
              cluster: z.string(),
              state: stateSchema(z),
              reasons: reasonsSchema(z),
            }),
          ),
          error: upstreamErrorSchema(z).optional(),
        }),
    },
    async action({ input, credentials }) {
      await access.authorizeBasic(
        credentials,
        fleetMonitoringFleetReadPermission,
      );
      const summary = await health.fleetSummary(input.instance);
      return {
        output: {
          instance: summary.instance,
          generatedAt: summary.generatedAt,
          counts: summary.counts,
          // Healthy clusters are counted, not listed: the answer stays short for a large fleet.
          clusters: summary.clusters.filter(c => c.state !== 'healthy'),
          error: summary.error,
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'get-thanos-health',
    title: 'Get Thanos Query health',
    description:
      'Health of a Thanos Query instance: its store endpoints, their errors and partial-response warnings (or that it is a plain Prometheus).',
    attributes: READ_ONLY,
    visibilityPermission: fleetMonitoringFleetReadPermission,
    schema: {
      input: instanceInputSchema,
      output: z =>
        z.object({
          instance: z.string(),
          isThanos: z.boolean(),
          state: stateSchema(z),
          reasons: reasonsSchema(z),
          warnings: z.array(z.string()),
          error: upstreamErrorSchema(z).optional(),
        }),
    },
    async action({ input, credentials }) {
      await access.authorizeBasic(
        credentials,
        fleetMonitoringFleetReadPermission,
      );
      const h = await health.thanosHealth(input.instance, 'query', []);
      return {
        output: {
          instance: h.instance,
          isThanos: h.isThanos,
          state: h.state,
          reasons: h.reasons,
          warnings: h.warnings,
          error: h.error,
        },
      };
    },
  });
}
