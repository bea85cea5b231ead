import { fleetMonitoringFleetReadPermission } from '@fleet-monitoring/plugin-monitoring-common';
import type { EntityAccess } from '../core/entityAccess';
import { remoteWriteQuestion } from '../core/entityQuestions';
import { ENTITY_PATH, FleetMonitoringRouter } from '../core/routing';
import type { SendJson } from '../core/sendJson';
import { entityRemoteWrite } from './entityRemoteWrite';
import type { RemoteWriteService } from './RemoteWriteService';

/** The fleet summary (fleet permission) and a cluster entity's remote-write detail. */
export function addRemoteWriteRoutes(
  router: FleetMonitoringRouter,
  options: {
    access: EntityAccess;
    remoteWrite: RemoteWriteService;
    send: SendJson;
  },
): void {
  const { access, remoteWrite, send } = options;

  router.get('/fleet/:instance/summary', async (req, res) => {
    await access.requireBasic(req, fleetMonitoringFleetReadPermission);
    send(req, res, await remoteWrite.fleetSummary(req.params.instance));
  });

  router.get(`${ENTITY_PATH}/remote-write`, async (req, res) => {
    const question = remoteWriteQuestion(await access.readEntity(req));
    const range = req.query.range ? Number(req.query.range) : undefined;
    send(req, res, await entityRemoteWrite(remoteWrite, question, range));
  });
}
