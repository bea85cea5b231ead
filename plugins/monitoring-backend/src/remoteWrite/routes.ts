import {
  ClusterDetail,
  fleetMonitoringFleetReadPermission,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { EntityAccess } from '../core/entityAccess';
import { remoteWriteQuestion } from '../core/entityQuestions';
import { ENTITY_PATH, FleetMonitoringRouter } from '../core/routing';
import type { SendJson } from '../core/sendJson';
import type { RemoteWriteService } from './RemoteWriteService';

/**
 * A central scaffolded with an open edge entry point (an explicit choice) keeps that choice visible on
 * its card: an info reason with the recipe to close it, which leaves the health state as judged.
 */
function withOpenEndpointFlag(detail: ClusterDetail): ClusterDetail {
  return {
    ...detail,
    reasons: [
      ...detail.reasons,
      {
        id: 'open-write-endpoint',
        severity: 'info',
        message:
          'The edge write entry point of this central accepts writes without authentication (scaffolded with auth: none): anyone who reaches it can write into any tenant.',
        hint: 'Re-run the new-cluster template for the central with edgeEntryPoint.auth basic, mtls or bearer, and give the edges the matching credentials.',
      },
    ],
  };
}

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
    const { instance, cluster, openWriteEndpoint } = remoteWriteQuestion(
      await access.readEntity(req),
    );
    const range = req.query.range ? Number(req.query.range) : undefined;
    const detail = await remoteWrite.clusterDetail(instance, cluster, range);
    send(req, res, openWriteEndpoint ? withOpenEndpointFlag(detail) : detail);
  });
}
