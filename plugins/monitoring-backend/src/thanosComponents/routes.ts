import {
  fleetMonitoringFleetReadPermission,
  parseSelector,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { EntityAccess } from '../core/entityAccess';
import {
  DEFAULT_THANOS_SELECTOR,
  thanosQuestion,
} from '../core/entityQuestions';
import { ENTITY_PATH, FleetMonitoringRouter } from '../core/routing';
import type { SendJson } from '../core/sendJson';
import type { ThanosComponentService } from './ThanosComponentService';

/** A Thanos Query instance's health (fleet permission) and a Thanos component entity's health. */
export function addThanosComponentRoutes(
  router: FleetMonitoringRouter,
  options: {
    access: EntityAccess;
    thanosComponents: ThanosComponentService;
    send: SendJson;
  },
): void {
  const { access, thanosComponents, send } = options;

  router.get('/thanos/:instance/health', async (req, res) => {
    await access.requireBasic(req, fleetMonitoringFleetReadPermission);
    send(
      req,
      res,
      await thanosComponents.thanosHealth(
        req.params.instance,
        'query',
        parseSelector(DEFAULT_THANOS_SELECTOR.query),
      ),
    );
  });

  router.get(`${ENTITY_PATH}/thanos`, async (req, res) => {
    const { instance, component, selector } = thanosQuestion(
      await access.readEntity(req),
    );
    send(
      req,
      res,
      await thanosComponents.thanosHealth(instance, component, selector),
    );
  });
}
