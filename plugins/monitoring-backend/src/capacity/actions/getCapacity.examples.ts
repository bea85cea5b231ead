import type { ActionExamples } from '../../actions';
import type { getCapacitySchema } from './getCapacity';

/** `fleet-monitoring:get-capacity`: a growing tenant, and receivers one of which grows toward its limit. */
export const getCapacityExamples: ActionExamples<typeof getCapacitySchema> = [
  {
    title: "A cluster's tenant growing toward its head-series limit",
    description:
      'Head series are summed over the receivers, replica copies included, as the limiter counts them; the forecast is a straight line through the last week (each receiver at its hourly maximum, so restarts do not move it).',
    input: { entityRef: 'resource:default/edge-growing' },
    output: {
      subject: 'cluster',
      instance: 'central',
      state: 'healthy',
      reasons: [],
      tenant: {
        cluster: 'edge-growing',
        tenant: 'edge-growing',
        receivers: 4,
        replicationFactor: 2,
        headSeries: 132_000,
        activeSeries: 66_000,
        limit: 172_000,
        limitSource: 'tenant',
        usedRatio: 0.767,
        growth1d: 4_000,
        growth7d: 28_000,
        forecast: {
          window: '7d',
          hoursCovered: 168,
          slopePerDay: 4_000,
          confidence: 'high',
          basis:
            "straight line through the hourly values of the last week (head series summed over receivers, each receiver's maximum over the hour, so a restart does not pull it down)",
          daysLeft: 10,
          reachesAt: 1_797_000_000,
        },
      },
    },
  },
  {
    title: 'Receivers, one growing toward its memory limit',
    description:
      "Each receiver's working set against its memory limit with the OOM date at today's growth, and the receiver whose loss would overload the most others.",
    input: { entityRef: 'component:default/thanos-receive' },
    output: {
      subject: 'receive',
      instance: 'central',
      state: 'degraded',
      reasons: [
        {
          id: 'capacity-receiver-oom-soon',
          severity: 'warning',
          message:
            "Receiver thanos-receive-3 uses 92 % of its memory limit and reaches it in 1.3 days at today's growth: then it is OOM-killed and its series move to the others.",
          value: 1.3,
          threshold: 7,
          hint: 'Raise the memory limit, add a receiver, or cut the series that grow.',
        },
        {
          id: 'capacity-one-receiver-lost',
          severity: 'warning',
          message:
            'If thanos-receive-3 is lost, its head series move to the others and thanos-receive-0, thanos-receive-1, thanos-receive-2 would pass their memory limit: an OOM cascade.',
          value: 3,
          hint: 'Keep each receiver below (N-2)/(N-1) of its limit, or add a receiver.',
        },
      ],
      receive: {
        replicationFactor: 2,
        receivers: [
          {
            namespace: 'monitoring',
            pod: 'thanos-receive-3',
            headSeries: 88_000,
            container: 'thanos-receive',
            workingSetBytes: 828_000_000,
            memoryLimitBytes: 900_000_000,
            usedRatio: 0.92,
            oomForecast: {
              window: '1d',
              hoursCovered: 24,
              slopePerDay: 56_000_000,
              confidence: 'medium',
              basis:
                "straight line through the 10-minute values of the last day (working set, each receiver's maximum over the hour, so a restart does not pull it down)",
              daysLeft: 1.3,
              reachesAt: 1_796_200_000,
            },
          },
        ],
        oneLost: {
          lost: 'thanos-receive-3',
          fits: false,
          ringTooSmall: false,
          others: [
            {
              pod: 'thanos-receive-0',
              projectedBytes: 970_000_000,
              limitBytes: 900_000_000,
              fits: false,
            },
          ],
        },
      },
    },
  },
];
