import { parseSelector } from '@fleet-monitoring/plugin-monitoring-common';
import { DEFAULT_THANOS_SELECTOR } from '../../core/entityQuestions';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  fleetMonitoringFleetReadPermission,
  ThanosHealth,
} from '@fleet-monitoring/plugin-monitoring-common';
import {
  instanceInputSchema,
  READ_ONLY,
  reasonsSchema,
  stateSchema,
  upstreamErrorSchema,
} from '../../core/actionSchemas';
import type { EntityAccess } from '../../core/entityAccess';
import type { ThanosComponentService } from '../ThanosComponentService';
import { getThanosHealthExamples } from './getThanosHealth.examples';
import type { ActionZod } from '../../actions';

/** The action's answer: Thanos Query's health without the store list. */
export function thanosHealthOutput(h: ThanosHealth) {
  return {
    instance: h.instance,
    isThanos: h.isThanos,
    state: h.state,
    reasons: h.reasons,
    warnings: h.warnings,
    error: h.error,
  };
}

/** What the action takes and answers; the registry lists both as JSON schema. */
export const getThanosHealthSchema = {
  input: (z: ActionZod) => instanceInputSchema(z),
  output: (z: ActionZod) =>
    z.object({
      instance: z.string(),
      isThanos: z.boolean(),
      state: stateSchema(z),
      reasons: reasonsSchema(z),
      warnings: z.array(z.string()),
      error: upstreamErrorSchema(z).optional(),
    }),
};

/** `fleet-monitoring:get-thanos-health`: a Thanos Query instance's health (fleet permission). */
export function registerGetThanosHealthAction(
  actionsRegistry: ActionsRegistryService,
  deps: { access: EntityAccess; thanosComponents: ThanosComponentService },
) {
  actionsRegistry.register({
    name: 'get-thanos-health',
    title: 'Get Thanos Query health',
    description:
      'Health of a Thanos Query instance: its store endpoints, their errors and partial-response warnings (or that it is a plain Prometheus).',
    attributes: READ_ONLY,
    examples: getThanosHealthExamples,
    visibilityPermission: fleetMonitoringFleetReadPermission,
    schema: getThanosHealthSchema,
    async action({ input, credentials }) {
      await deps.access.authorizeBasic(
        credentials,
        fleetMonitoringFleetReadPermission,
      );
      const h = await deps.thanosComponents.thanosHealth(
        input.instance,
        'query',
        parseSelector(DEFAULT_THANOS_SELECTOR.query),
      );
      return { output: thanosHealthOutput(h) };
    },
  });
}
