import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { ClusterDetail } from '@fleet-monitoring/plugin-monitoring-common';
import {
  entityRefSchema,
  READ_ONLY,
  reasonsSchema,
  stateSchema,
  upstreamErrorSchema,
} from '../../core/actionSchemas';
import type { EntityAccess } from '../../core/entityAccess';
import { remoteWriteQuestion } from '../../core/entityQuestions';
import { entityForAction } from '../../core/entityRef';
import type { RemoteWriteService } from '../RemoteWriteService';
import { entityRemoteWrite } from '../entityRemoteWrite';
import { getClusterRemoteWriteHealthExamples } from './getClusterRemoteWriteHealth.examples';
import type { ActionZod } from '../../actions';

/** The action's answer: the cluster's health and figures, without the graphs. */
export function clusterRemoteWriteOutput(detail: ClusterDetail) {
  return {
    cluster: detail.cluster,
    instance: detail.instance,
    state: detail.state,
    reasons: detail.reasons,
    stats: { ...detail.stats },
    error: detail.error,
  };
}

/** What the action takes and answers; the registry lists both as JSON schema. */
export const getClusterRemoteWriteHealthSchema = {
  input: (z: ActionZod) => z.object({ entityRef: entityRefSchema(z) }),
  output: (z: ActionZod) =>
    z.object({
      cluster: z.string(),
      instance: z.string(),
      state: stateSchema(z),
      reasons: reasonsSchema(z),
      stats: z
        .record(z.string(), z.unknown())
        .describe(
          'Remote-write figures (samples/s, failure ratio, lag, shards, ...)',
        ),
      error: upstreamErrorSchema(z).optional(),
    }),
};

/** `fleet-monitoring:get-cluster-remote-write-health`: one cluster entity's remote write. */
export function registerGetClusterRemoteWriteHealthAction(
  actionsRegistry: ActionsRegistryService,
  deps: { access: EntityAccess; remoteWrite: RemoteWriteService },
) {
  actionsRegistry.register({
    name: 'get-cluster-remote-write-health',
    title: "Get a cluster's remote-write health",
    description:
      'Whether a cluster (a catalog entity with the fleet-monitoring.io/cluster annotation) gets its metrics into Thanos: state, reasons with fixes, and the remote-write queue figures.',
    attributes: READ_ONLY,
    examples: getClusterRemoteWriteHealthExamples,
    schema: getClusterRemoteWriteHealthSchema,
    async action({ input, credentials }) {
      const question = remoteWriteQuestion(
        await entityForAction(
          deps.access,
          credentials,
          input.entityRef,
          'resource',
        ),
      );
      const detail = await entityRemoteWrite(deps.remoteWrite, question);
      return { output: clusterRemoteWriteOutput(detail) };
    },
  });
}
