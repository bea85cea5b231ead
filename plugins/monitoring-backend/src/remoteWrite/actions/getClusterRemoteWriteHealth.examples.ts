import type { ActionExamples } from '../../actions';
import type { getClusterRemoteWriteHealthSchema } from './getClusterRemoteWriteHealth';

/** `fleet-monitoring:get-cluster-remote-write-health`: one cluster entity's remote write. */
export const getClusterRemoteWriteHealthExamples: ActionExamples<
  typeof getClusterRemoteWriteHealthSchema
> = [
  {
    title: 'A cluster whose agent sends everything',
    description:
      'The entity names its cluster in fleet-monitoring.io/cluster; the answer is the card without its graphs.',
    input: { entityRef: 'resource:default/sim-0002' },
    output: {
      cluster: 'sim-0002',
      instance: 'central',
      state: 'healthy',
      reasons: [],
      // Rates that are zero (failed, retried, dropped) are left out.
      stats: {
        lastSeen: 1796396714,
        samplesPerSecond: 1144,
        tenantSamplesPerSecond: 1144,
        pendingSamples: 40,
        lagSeconds: 1,
        shards: 4,
        desiredShards: 3.2,
        maxShards: 50,
      },
    },
  },
];
