import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { MetricsArriving } from '@fleet-monitoring/plugin-monitoring-common';
import {
  entityRefSchema,
  READ_ONLY,
  reasonsSchema,
  stateSchema,
  upstreamErrorSchema,
} from '../../core/actionSchemas';
import type { EntityAccess } from '../../core/entityAccess';
import { metricsArrivingQuestion } from '../../core/entityQuestions';
import { entityForAction } from '../../core/entityRef';
import type { MetricsArrivingService } from '../MetricsArrivingService';
import { getMetricsArrivingExamples } from './getMetricsArriving.examples';
import type { ActionZod } from '../../actions';

/** The action's answer: the card's answer without the instance name. */
export function metricsArrivingOutput(m: MetricsArriving) {
  return {
    selector: m.selector,
    query: m.query,
    state: m.state,
    reasons: m.reasons,
    clusters: m.clusters,
    error: m.error,
  };
}

/** What the action takes and answers; the registry lists both as JSON schema. */
export const getMetricsArrivingSchema = {
  input: (z: ActionZod) => z.object({ entityRef: entityRefSchema(z) }),
  output: (z: ActionZod) =>
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
};

/** `fleet-monitoring:get-metrics-arriving`: whether a service entity's series arrive. */
export function registerGetMetricsArrivingAction(
  actionsRegistry: ActionsRegistryService,
  deps: { access: EntityAccess; metricsArriving: MetricsArrivingService },
) {
  actionsRegistry.register({
    name: 'get-metrics-arriving',
    title: "Are a service's metrics arriving?",
    description:
      'Whether the series of a service (a catalog entity with the fleet-monitoring.io/metrics-selector annotation) arrive in Thanos, per cluster: targets up, series count, age of the newest sample.',
    attributes: READ_ONLY,
    examples: getMetricsArrivingExamples,
    schema: getMetricsArrivingSchema,
    async action({ input, credentials }) {
      const { instance, selector } = metricsArrivingQuestion(
        await entityForAction(
          deps.access,
          credentials,
          input.entityRef,
          'component',
        ),
      );
      const m = await deps.metricsArriving.metricsArriving(instance, selector);
      return { output: metricsArrivingOutput(m) };
    },
  });
}
