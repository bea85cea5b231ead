import type { EntityAccess } from '../core/entityAccess';
import { ENTITY_PATH, FleetMonitoringRouter } from '../core/routing';
import type { SendJson } from '../core/sendJson';
import type { CapacityService } from './CapacityService';
import { entityCapacity } from './entityCapacity';

/**
 * An entity's capacity (a Receive component's receivers, or a cluster's tenant), read with the
 * caller's credentials and the entity permission, like every entity route.
 */
export function addCapacityRoutes(
  router: FleetMonitoringRouter,
  options: { access: EntityAccess; capacity: CapacityService; send: SendJson },
): void {
  const { access, capacity, send } = options;
  router.get(`${ENTITY_PATH}/capacity`, async (req, res) => {
    send(
      req,
      res,
      await entityCapacity(capacity, await access.readEntity(req)),
    );
  });
}
