import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  fleetMonitoringFleetReadPermission,
  FleetSummary,
} from '@fleet-monitoring/plugin-monitoring-common';
import {
  instanceInputSchema,
  READ_ONLY,
  reasonsSchema,
  stateSchema,
  upstreamErrorSchema,
} from '../../core/actionSchemas';
import type { EntityAccess } from '../../core/entityAccess';
import type { RemoteWriteService } from '../RemoteWriteService';
import { getFleetHealthExamples } from './getFleetHealth.examples';
import type { ActionZod } from '../../actions';

/** The action's answer: counts for all, and only the clusters that are not healthy. */
export function fleetHealthOutput(summary: FleetSummary) {
  return {
    instance: summary.instance,
    generatedAt: summary.generatedAt,
    counts: summary.counts,
    // Healthy clusters are counted, not listed: the answer stays short for a large fleet.
    clusters: summary.clusters.filter(c => c.state !== 'healthy'),
    error: summary.error,
  };
}

/** What the action takes and answers; the registry lists both as JSON schema. */
export const getFleetHealthSchema = {
  input: (z: ActionZod) => instanceInputSchema(z),
  output: (z: ActionZod) =>
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
};

/** `fleet-monitoring:get-fleet-health`: the fleet's remote-write health (fleet permission). */
export function registerGetFleetHealthAction(
  actionsRegistry: ActionsRegistryService,
  deps: { access: EntityAccess; remoteWrite: RemoteWriteService },
) {
  actionsRegistry.register({
    name: 'get-fleet-health',
    title: 'Get fleet remote-write health',
    description:
      'Remote-write health of every cluster that sends metrics to a Thanos Query instance: counts per state and each unhealthy cluster with its reasons and fixes.',
    attributes: READ_ONLY,
    examples: getFleetHealthExamples,
    visibilityPermission: fleetMonitoringFleetReadPermission,
    schema: getFleetHealthSchema,
    async action({ input, credentials }) {
      await deps.access.authorizeBasic(
        credentials,
        fleetMonitoringFleetReadPermission,
      );
      const summary = await deps.remoteWrite.fleetSummary(input.instance);
      return { output: fleetHealthOutput(summary) };
    },
  });
}
