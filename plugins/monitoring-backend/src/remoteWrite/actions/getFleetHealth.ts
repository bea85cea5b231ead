import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  fleetMonitoringFleetReadPermission,
  FleetSummary,
  HealthState,
  STATE_ORDER,
} from '@fleet-monitoring/plugin-monitoring-common';
import { FLEET_PAGE_MAX, fleetPage } from '../fleetPage';
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

/** Clusters per answer unless the caller asks for fewer or more (at most FLEET_PAGE_MAX). */
const ACTION_PAGE_LIMIT = 100;
const UNHEALTHY = STATE_ORDER.filter(s => s !== 'healthy');

/**
 * The action's answer: counts for the whole fleet, and one page (worst first) of the clusters in
 * the asked states, by default every state but healthy: a fleet of 100,000 clusters answers a
 * page, with `total` saying how many match.
 */
export function fleetHealthOutput(
  summary: FleetSummary,
  query: { offset?: number; limit?: number; state?: HealthState[] } = {},
) {
  const page = fleetPage(summary, {
    offset: query.offset ?? 0,
    limit: query.limit ?? ACTION_PAGE_LIMIT,
    state: query.state?.length ? query.state : UNHEALTHY,
  });
  return {
    instance: summary.instance,
    generatedAt: summary.generatedAt,
    counts: summary.counts,
    total: page.page!.total,
    offset: page.page!.offset,
    clusters: page.clusters,
    error: summary.error,
  };
}

/** What the action takes and answers; the registry lists both as JSON schema. */
export const getFleetHealthSchema = {
  input: (z: ActionZod) =>
    instanceInputSchema(z).extend({
      state: z
        .array(
          z.enum(STATE_ORDER as unknown as [HealthState, ...HealthState[]]),
        )
        .max(STATE_ORDER.length)
        .optional()
        .describe(
          'Only clusters in these states; every state but healthy when omitted',
        ),
      offset: z
        .number()
        .int()
        .min(0)
        .optional()
        .describe(
          'Skip this many matching clusters (worst first); 0 when omitted',
        ),
      limit: z
        .number()
        .int()
        .min(1)
        .max(FLEET_PAGE_MAX)
        .optional()
        .describe(
          `Clusters per answer, at most ${FLEET_PAGE_MAX}; ${ACTION_PAGE_LIMIT} when omitted`,
        ),
    }),
  output: (z: ActionZod) =>
    z.object({
      instance: z.string(),
      generatedAt: z.string(),
      counts: z.record(z.string(), z.number()),
      total: z.number().describe('Clusters that match the states asked for'),
      offset: z.number(),
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
      return { output: fleetHealthOutput(summary, input) };
    },
  });
}
