import type { ClusterDetail } from '@fleet-monitoring/plugin-monitoring-common';
import type { remoteWriteQuestion } from '../core/entityQuestions';
import type { RemoteWriteService } from './RemoteWriteService';

/**
 * A cluster entity's remote-write answer, the one path for the card's route and the action (and so
 * the MCP tool): the cluster's judged detail plus what the entity itself declares.
 */
export async function entityRemoteWrite(
  remoteWrite: RemoteWriteService,
  question: ReturnType<typeof remoteWriteQuestion>,
  rangeSeconds?: number,
): Promise<ClusterDetail> {
  const detail = await remoteWrite.clusterDetail(
    question.instance,
    question.cluster,
    rangeSeconds,
  );
  return question.openWriteEndpoint ? withOpenEndpointFlag(detail) : detail;
}

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
