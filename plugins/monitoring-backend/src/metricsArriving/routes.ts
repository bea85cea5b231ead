import type { EntityAccess } from '../core/entityAccess';
import { metricsArrivingQuestion } from '../core/entityQuestions';
import { ENTITY_PATH, FleetMonitoringRouter } from '../core/routing';
import type { SendJson } from '../core/sendJson';
import type { MetricsArrivingService } from './MetricsArrivingService';

/** Whether a service entity's metrics arrive. */
export function addMetricsArrivingRoutes(
  router: FleetMonitoringRouter,
  options: {
    access: EntityAccess;
    metricsArriving: MetricsArrivingService;
    send: SendJson;
  },
): void {
  const { access, metricsArriving, send } = options;
  router.get(`${ENTITY_PATH}/metrics-arriving`, async (req, res) => {
    const { instance, selector } = metricsArrivingQuestion(
      await access.readEntity(req),
    );
    send(req, res, await metricsArriving.metricsArriving(instance, selector));
  });
}
