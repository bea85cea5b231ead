import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { EntityCapacity } from '@fleet-monitoring/plugin-monitoring-common';
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
import { entityCapacity } from '../entityCapacity';
import { getCapacityExamples } from './getCapacity.examples';

/** What the action takes and answers; the registry lists both as JSON schema. */
export const getCapacitySchema = {
  input: (z: ActionZod) => z.object({ entityRef: entityRefSchema(z) }),
  output: (z: ActionZod) =>
    z.object({
      subject: z.enum(['cluster', 'receive']),
      instance: z.string(),
      state: stateSchema(z),
      reasons: reasonsSchema(z),
      tenant: z
        .record(z.string(), z.unknown())
        .optional()
        .describe(
          "A cluster's tenant: headSeries (summed over receivers, copies included), activeSeries, limit, growth1d, growth7d, forecast {daysLeft, reachesAt, confidence, basis}",
        ),
      receive: z
        .record(z.string(), z.unknown())
        .optional()
        .describe(
          'A Receive component: receivers [{pod, headSeries, workingSetBytes, memoryLimitBytes, oomForecast}], oneLost {lost, fits, others}',
        ),
      error: upstreamErrorSchema(z).optional(),
    }),
};

/** The action's answer: the capacity card's answer as it is. */
export function capacityOutput(c: EntityCapacity) {
  return {
    subject: c.subject,
    instance: c.instance,
    state: c.state,
    reasons: c.reasons,
    ...(c.tenant ? { tenant: { ...c.tenant } } : {}),
    ...(c.receive ? { receive: { ...c.receive } } : {}),
    ...(c.error ? { error: c.error } : {}),
  };
}

/** `fleet-monitoring:get-capacity`: a cluster's tenant or a Receive component's receivers, with forecasts. */
export function registerGetCapacityAction(
  actionsRegistry: ActionsRegistryService,
  deps: { access: EntityAccess; capacity: CapacityService },
) {
  actionsRegistry.register({
    name: 'get-capacity',
    title: 'Get capacity and its forecast',
    description:
      "Capacity before it breaks. For a cluster entity (fleet-monitoring.io/cluster): its tenant's head series against the Thanos Receive head-series limit, the growth over a day and a week, and the date it reaches the limit. For a Thanos Receive component: each receiver's working set against its memory limit, the date of an OOM at today's growth, and whether the others would fit if one receiver were lost.",
    attributes: READ_ONLY,
    examples: getCapacityExamples,
    schema: getCapacitySchema,
    async action({ input, credentials }) {
      const entity = await entityForAction(
        deps.access,
        credentials,
        input.entityRef,
        'resource',
      );
      return {
        output: capacityOutput(await entityCapacity(deps.capacity, entity)),
      };
    },
  });
}
