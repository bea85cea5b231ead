import type { ActionExamples } from '../../actions';
import type { getFleetHealthSchema } from './getFleetHealth';

/** `fleet-monitoring:get-fleet-health`: a fleet of three agents, one of them failing to send. */
export const getFleetHealthExamples: ActionExamples<
  typeof getFleetHealthSchema
> = [
  {
    title: 'The fleet behind the first configured Thanos instance',
    description:
      'Healthy clusters are only counted; the others are listed worst first with their reasons and fixes, one page at a time (100 unless `limit` says otherwise; `total` says how many match).',
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
      total: 1,
      offset: 0,
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
              value: 0.25,
              threshold: 0.01,
              hint: "Failed samples were refused for good and are not retried: a 4xx answer, including 429 with the default retry_on_http_429: false. Network errors and 5xx are retried (see retries), not failed. Check the queue's URL, credentials and the receiver's answer.",
            },
          ],
        },
      ],
    },
  },
  {
    title: 'One page of the healthy clusters',
    description:
      'Ask for states and a page: here the first healthy cluster by name order within its state, and how many there are.',
    input: { state: ['healthy'], limit: 1 },
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
      total: 2,
      offset: 0,
      clusters: [{ cluster: 'sim-0002', state: 'healthy', reasons: [] }],
    },
  },
];
