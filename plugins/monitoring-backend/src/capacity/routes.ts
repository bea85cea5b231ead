import type { EntityAccess } from '../core/entityAccess';
import { clusterQuestion, thanosQuestion } from '../core/entityQuestions';
import { ENTITY_PATH, FleetMonitoringRouter } from '../core/routing';
import type { SendJson } from '../core/sendJson';
import { THANOS_COMPONENT_ANNOTATION } from '@fleet-monitoring/plugin-monitoring-common';
import { InputError } from '@backstage/errors';
import { thanosInstanceFromEntity } from '@fleet-monitoring/plugin-monitoring-common';
import type { CapacityService } from './CapacityService';

/**
 * An entity's capacity: a Thanos Receive component entity gets its receivers, any other entity its
 * cluster's tenant (fleet-monitoring.io/cluster). Read with the caller's credentials and the entity
 * permission, like every entity route.
 */
export function addCapacityRoutes(
  router: FleetMonitoringRouter,
  options: { access: EntityAccess; capacity: CapacityService; send: SendJson },
): void {
  const { access, capacity, send } = options;
  router.get(`${ENTITY_PATH}/capacity`, async (req, res) => {
    const entity = await access.readEntity(req);
    if (entity.metadata.annotations?.[THANOS_COMPONENT_ANNOTATION]) {
      const { instance, component, selector } = thanosQuestion(entity);
      if (component !== 'receive')
        throw new InputError(
          `Capacity is shown for Thanos Receive components and clusters; ${THANOS_COMPONENT_ANNOTATION} is "${component}"`,
        );
      send(req, res, await capacity.receiveCapacity(instance, selector));
      return;
    }
    const cluster = clusterQuestion(entity);
    send(
      req,
      res,
      await capacity.clusterCapacity(thanosInstanceFromEntity(entity), cluster),
    );
  });
}
