import type { ActionExamples } from '../../actions';
import type { getFleetHealthSchema } from './getFleetHealth';

/** `fleet-monitoring:get-fleet-health`: a fleet of three agents, one of them failing to send. */
export const getFleetHealthExamples: ActionExamples<
  typeof getFleetHealthSchema
> = [
  {
    title: 'The fleet behind the first configured Thanos instance',
    description:
      'Healthy clusters are only counted; each other cluster is listed with its reasons and fixes.',
    input: {},
    output: {
      instance: 'central',
      generatedAt: '2026-12-04T15:00:00.000Z',
      counts: {
        healthy: 2,
        recovering: 0,
        degraded: 0,
        failing: 1,
        'no-data': 0,
        unknown: 0,
      },
      clusters: [
        {
          cluster: 'sim-0001',
          state: 'failing',
          reasons: [
            {
              id: 'remote-write-failing',
              severity: 'critical',
              message:
                'queue "central": 25 % of samples fail to send (285.7/s); limit 1 %.',
            },
          ],
        },
      ],
    },
  },
];
