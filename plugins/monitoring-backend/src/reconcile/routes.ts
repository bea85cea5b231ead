import {
  fleetMonitoringFleetReadPermission,
  thanosInstanceFromEntity,
  type EntityReconciled,
  type HealthState,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { EntityAccess } from '../core/entityAccess';
import { clusterQuestion } from '../core/entityQuestions';
import { ENTITY_PATH, FleetMonitoringRouter } from '../core/routing';
import type { SendJson } from '../core/sendJson';
import { reconcilePage } from './page';
import { entityRow, type ReconcileService } from './ReconcileService';

/** The joined fleet (fleet permission) and one cluster entity's row (entity permission). */
export function addReconcileRoutes(
  router: FleetMonitoringRouter,
  options: {
    access: EntityAccess;
    reconcile: ReconcileService;
    send: SendJson;
  },
): void {
  const { access, reconcile, send } = options;
  router.get('/fleet/:instance/reconciled', async (req, res) => {
    await access.requireBasic(req, fleetMonitoringFleetReadPermission);
    // Checked against the document by the generated router (400 naming the parameter).
    const q = req.query;
    const list = (v: string | string[] | undefined) =>
      v === undefined ? undefined : ([] as string[]).concat(v);
    const fleet = await reconcile.fleet(req.params.instance);
    send(
      req,
      res,
      reconcilePage(fleet, {
        offset: q.offset === undefined ? undefined : Number(q.offset),
        limit: q.limit === undefined ? undefined : Number(q.limit),
        name: q.name,
        reason: list(q.reason),
        state: list(q.state) as HealthState[] | undefined,
      }),
    );
  });

  router.get(`${ENTITY_PATH}/reconciled`, async (req, res) => {
    const entity = await access.readEntity(req);
    const cluster = clusterQuestion(entity);
    const fleet = await reconcile.fleet(thanosInstanceFromEntity(entity));
    const row = entityRow(fleet, cluster);
    const body: EntityReconciled = {
      instance: fleet.instance,
      generatedAt: fleet.generatedAt,
      cluster: row,
      sources: fleet.sources,
      // Only the fleet's findings that concern this cluster: the rest is the fleet view's.
      fleetReasons: fleet.fleetReasons.filter(f =>
        row.reasons.some(r => r.id === f.id && r.message === f.message),
      ),
    };
    send(req, res, body);
  });
}
