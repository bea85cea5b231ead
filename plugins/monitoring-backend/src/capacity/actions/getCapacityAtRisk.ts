import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { fleetMonitoringFleetReadPermission } from '@fleet-monitoring/plugin-monitoring-common';
import type { ActionZod } from '../../actions';
import {
  instanceInputSchema,
  READ_ONLY,
  upstreamErrorSchema,
} from '../../core/actionSchemas';
import type { EntityAccess } from '../../core/entityAccess';
import type { CapacityService } from '../CapacityService';
import { DEFAULT_DAYS, MAX_DAYS } from '../fleetCapacity';
import { getCapacityAtRiskExamples } from './getCapacityAtRisk.examples';

/** Rows per answer unless the caller asks for fewer or more (at most ACTION_MAX_ROWS). */
const ACTION_ROWS = 20;
const ACTION_MAX_ROWS = 200;

const confidence = (z: ActionZod) =>
  z.enum(['high', 'medium', 'low', 'none']).optional();

/** What the action takes and answers; the registry lists both as JSON schema. */
export const getCapacityAtRiskSchema = {
  input: (z: ActionZod) =>
    instanceInputSchema(z).extend({
      days: z
        .number()
        .min(0)
        .max(MAX_DAYS)
        .optional()
        .describe(
          `Horizon in days: what runs out within it is at risk; ${DEFAULT_DAYS} when omitted`,
        ),
      limit: z
        .number()
        .int()
        .min(1)
        .max(ACTION_MAX_ROWS)
        .optional()
        .describe(
          `At-risk tenants per answer, soonest first, at most ${ACTION_MAX_ROWS}; ${ACTION_ROWS} when omitted`,
        ),
    }),
  output: (z: ActionZod) =>
    z.object({
      instance: z.string(),
      days: z.number(),
      tenantsTotal: z.number().describe('Tenants the receivers hold'),
      tenantsAtRisk: z
        .number()
        .describe('Tenants at their limit or reaching it within the horizon'),
      tenants: z
        .array(
          z.object({
            tenant: z.string(),
            headSeries: z.number(),
            limit: z.number().optional(),
            limitSource: z.enum(['tenant', 'default', 'none']),
            usedRatio: z.number().optional(),
            slopePerDay: z.number().optional(),
            daysLeft: z.number().optional(),
            reachesAt: z.number().optional(),
            confidence: confidence(z),
            atRisk: z.boolean(),
          }),
        )
        .describe('At-risk tenants only, soonest first (at most `limit`)'),
      receivers: z
        .array(
          z.object({
            pod: z.string(),
            usedRatio: z.number().optional(),
            daysLeft: z.number().optional(),
            confidence: confidence(z),
            atRisk: z.boolean(),
          }),
        )
        .describe('Receivers whose memory runs out within the horizon'),
      error: upstreamErrorSchema(z).optional(),
    }),
};

/** `fleet-monitoring:get-capacity-at-risk`: which tenants or receivers run out within N days (fleet permission). */
export function registerGetCapacityAtRiskAction(
  actionsRegistry: ActionsRegistryService,
  deps: { access: EntityAccess; capacity: CapacityService },
) {
  actionsRegistry.register({
    name: 'get-capacity-at-risk',
    title: 'Get the tenants and receivers that run out soon',
    description:
      'Which Thanos Receive tenants reach their head-series limit, and which receivers their memory limit, within N days at their current growth: tenants at their limit or forecast to reach it (days left, confidence), soonest first, and receivers with an OOM forecast inside the horizon. One query for all tenants, whatever their number.',
    attributes: READ_ONLY,
    examples: getCapacityAtRiskExamples,
    visibilityPermission: fleetMonitoringFleetReadPermission,
    schema: getCapacityAtRiskSchema,
    async action({ input, credentials }) {
      await deps.access.authorizeBasic(
        credentials,
        fleetMonitoringFleetReadPermission,
      );
      const limit = input.limit ?? ACTION_ROWS;
      const fleet = await deps.capacity.fleetCapacity(input.instance, {
        days: input.days ?? DEFAULT_DAYS,
        limit,
      });
      return {
        output: {
          ...fleet,
          tenants: fleet.tenants.filter(t => t.atRisk),
          receivers: fleet.receivers.filter(r => r.atRisk),
        },
      };
    },
  });
}
