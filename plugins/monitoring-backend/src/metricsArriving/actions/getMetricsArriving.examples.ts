import type { ActionExamples } from '../../actions';
import type { getMetricsArrivingSchema } from './getMetricsArriving';

/** `fleet-monitoring:get-metrics-arriving`: a service with two targets in each of two clusters, one down in each. */
export const getMetricsArrivingExamples: ActionExamples<
  typeof getMetricsArrivingSchema
> = [
  {
    title: "A service's series, per cluster",
    description:
      'The entity gives its series in fleet-monitoring.io/metrics-selector; the query is one to run by hand.',
    input: { entityRef: 'component:default/checkout' },
    output: {
      selector: '{job="checkout",namespace="shop"}',
      query: 'count by (cluster) (up{job="checkout",namespace="shop"})',
      state: 'degraded',
      reasons: [
        {
          id: 'targets-down',
          severity: 'warning',
          message: 'Cluster "sim-0001": 1 of 2 scrape targets are down.',
        },
        {
          id: 'targets-down',
          severity: 'warning',
          message: 'Cluster "sim-0002": 1 of 2 scrape targets are down.',
        },
      ],
      clusters: [
        {
          cluster: 'sim-0001',
          targetsUp: 1,
          targetsTotal: 2,
          seriesCount: 6,
          lastSampleAgeSeconds: 10,
        },
        {
          cluster: 'sim-0002',
          targetsUp: 1,
          targetsTotal: 2,
          seriesCount: 6,
          lastSampleAgeSeconds: 10,
        },
      ],
    },
  },
];
