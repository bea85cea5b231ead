import { fleetMonitoringFleetReadPermission } from '@fleet-monitoring/plugin-monitoring-common';
import type { EntityAccess } from '../core/entityAccess';
import { ENTITY_PATH, FleetMonitoringRouter } from '../core/routing';
import type { SendJson } from '../core/sendJson';
import type { CapacityService } from './CapacityService';
import { entityCapacity } from './entityCapacity';
import { entityTopSeries } from './entityTopSeries';
import { DEFAULT_DAYS, DEFAULT_ROWS } from './fleetCapacity';

/**
 * An entity's capacity (a Receive component's receivers, or a cluster's tenant) and a cluster's top
 * series, read with the caller's credentials and the entity permission, like every entity route;
 * the fleet's capacity with the fleet permission.
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
  router.get(`${ENTITY_PATH}/top-series`, async (req, res) => {
    send(
      req,
      res,
      await entityTopSeries(capacity, await access.readEntity(req)),
    );
  });
  router.get('/fleet/:instance/capacity', async (req, res) => {
    await access.requireBasic(req, fleetMonitoringFleetReadPermission);
    // The generated router has checked the parameters' ranges (400 naming them).
    const q = req.query;
    send(
      req,
      res,
      await capacity.fleetCapacity(req.params.instance, {
        days: q.days === undefined ? DEFAULT_DAYS : Number(q.days),
        limit: q.limit === undefined ? DEFAULT_ROWS : Number(q.limit),
      }),
    );
  });
}
