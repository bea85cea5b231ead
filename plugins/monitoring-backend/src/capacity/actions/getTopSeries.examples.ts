import type { ActionExamples } from '../../actions';
import type { getTopSeriesSchema } from './getTopSeries';

/** `fleet-monitoring:get-top-series`: a cluster whose checkout service started counting per user. */
export const getTopSeriesExamples: ActionExamples<typeof getTopSeriesSchema> = [
  {
    title: 'A cluster with a cardinality explosion',
    description:
      'The exploding metric leads the list; it had no series a day ago, and its user_id label has as many values as it has series. The warning names it and the label to drop.',
    input: { entityRef: 'resource:default/edge-explode' },
    output: {
      cluster: 'edge-explode',
      tenant: 'edge-explode',
      instance: 'central',
      state: 'degraded',
      reasons: [
        {
          id: 'capacity-series-explosion',
          severity: 'warning',
          message:
            'checkout_requests_by_user_total of tenant "edge-explode" grew by 1,200 series in a day (0 to 1,200); its label user_id has 1,200 values.',
          value: 1200,
          threshold: 1000,
          hint: 'Drop checkout_requests_by_user_total or its user_id label at the agent (write_relabel_configs), or fix the exporter.',
        },
      ],
      headSeries: 1501,
      metrics: [
        {
          name: 'checkout_requests_by_user_total',
          headSeries: 1200,
          share: 0.799,
          seriesNow: 1200,
          series1dAgo: 0,
          change1d: 1200,
          drivers: [{ label: 'user_id', values: 1200 }],
        },
      ],
      jobs: [{ job: 'checkout', headSeries: 1200 }],
      labels: [{ label: 'user_id', values: 1200 }],
      costs: [
        {
          view: 'top names, jobs and labels',
          upstream:
            'GET /api/v1/status/tsdb?limit=10&match[]={tenant_id="edge-explode"}',
          cost: 'each receiver walks its head index of tenant "edge-explode" (postings only, no samples); 10 entries per list come back',
        },
      ],
    },
  },
];
