import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { ActionZod } from '../../actions';
import {
  entityRefSchema,
  READ_ONLY,
  reasonsSchema,
  stateSchema,
  upstreamErrorSchema,
} from '../../core/actionSchemas';
import type { EntityAccess } from '../../core/entityAccess';
import { entityForAction } from '../../core/entityRef';
import type { CapacityService } from '../CapacityService';
import { entityTopSeries } from '../entityTopSeries';
import { getTopSeriesExamples } from './getTopSeries.examples';

const stat = (z: ActionZod) =>
  z.object({ label: z.string(), values: z.number() });

/** What the action takes and answers; the registry lists both as JSON schema. */
export const getTopSeriesSchema = {
  input: (z: ActionZod) => z.object({ entityRef: entityRefSchema(z) }),
  output: (z: ActionZod) =>
    z.object({
      cluster: z.string(),
      tenant: z.string(),
      instance: z.string(),
      state: stateSchema(z),
      reasons: reasonsSchema(z),
      headSeries: z
        .number()
        .optional()
        .describe("The tenant's head series summed over receivers"),
      metrics: z
        .array(
          z.object({
            name: z.string(),
            headSeries: z.number(),
            share: z.number(),
            seriesNow: z.number().optional(),
            series1dAgo: z.number().optional(),
            change1d: z.number().optional(),
            drivers: z.array(stat(z)).optional(),
          }),
        )
        .describe(
          'Top metric names by head series, with their change over a day and the labels with the most values in each',
        ),
      jobs: z.array(z.object({ job: z.string(), headSeries: z.number() })),
      labels: z.array(stat(z)),
      costs: z
        .array(
          z.object({
            view: z.string(),
            upstream: z.string(),
            cost: z.string(),
          }),
        )
        .describe('What each part of the answer cost the store'),
      error: upstreamErrorSchema(z).optional(),
    }),
};

/** `fleet-monitoring:get-top-series`: where a cluster's series come from (entity permission). */
export function registerGetTopSeriesAction(
  actionsRegistry: ActionsRegistryService,
  deps: { access: EntityAccess; capacity: CapacityService },
) {
  actionsRegistry.register({
    name: 'get-top-series',
    title: "Get a cluster's top series",
    description:
      "Where a cluster's series come from: its tenant's top metric names, jobs and labels by head series (the per-tenant TSDB statistics of Thanos Query 0.40+), each top name's change over the last day and the labels with the most values in it, and what each view cost the store. Use it to find the metric to drop when a tenant nears its head-series limit.",
    attributes: READ_ONLY,
    examples: getTopSeriesExamples,
    schema: getTopSeriesSchema,
    async action({ input, credentials }) {
      const entity = await entityForAction(
        deps.access,
        credentials,
        input.entityRef,
        'resource',
      );
      const t = await entityTopSeries(deps.capacity, entity);
      return { output: { ...t } };
    },
  });
}
