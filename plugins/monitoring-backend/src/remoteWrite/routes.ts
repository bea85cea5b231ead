import { finished } from 'node:stream/promises';
import { fleetMonitoringFleetReadPermission } from '@fleet-monitoring/plugin-monitoring-common';
import type { EntityAccess } from '../core/entityAccess';
import { remoteWriteQuestion } from '../core/entityQuestions';
import { ENTITY_PATH, FleetMonitoringRouter } from '../core/routing';
import type { SendJson } from '../core/sendJson';
import { entityRemoteWrite } from './entityRemoteWrite';
import { fleetPage, type FleetPageQuery } from './fleetPage';
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
    // The generated router has checked every parameter against the document (400 naming it);
    // query strings arrive as strings, and a single `state` as one string, not a list.
    const q = req.query;
    const query: FleetPageQuery = {
      offset: q.offset === undefined ? undefined : Number(q.offset),
      limit: q.limit === undefined ? undefined : Number(q.limit),
      name: q.name,
      state:
        q.state === undefined
          ? undefined
          : (([] as string[]).concat(q.state) as FleetPageQuery['state']),
      sort: q.sort,
      order: q.order,
    };
    // A summary computed for this request is shared once its answer is out (or the client gone).
    const answered = finished(res).catch(() => undefined);
    const summary = await remoteWrite.fleetSummary(req.params.instance, {
      answered,
    });
    send(req, res, fleetPage(summary, query));
  });

  router.get(`${ENTITY_PATH}/remote-write`, async (req, res) => {
    const question = remoteWriteQuestion(await access.readEntity(req));
    const range = req.query.range ? Number(req.query.range) : undefined;
    send(req, res, await entityRemoteWrite(remoteWrite, question, range));
  });
}
