import type { ActionExamples } from '../../actions';
import type { getCapacityAtRiskSchema } from './getCapacityAtRisk';

/** `fleet-monitoring:get-capacity-at-risk`: one tenant growing toward its limit, one receiver toward its memory limit. */
export const getCapacityAtRiskExamples: ActionExamples<
  typeof getCapacityAtRiskSchema
> = [
  {
    title: 'What runs out within two weeks',
    description:
      'A tenant at its limit (refused by the limiter), one reaching it in ten days, and a receiver whose working set reaches its memory limit in under two days.',
    input: { days: 14 },
    output: {
      instance: 'central',
      days: 14,
      tenantsTotal: 3,
      tenantsAtRisk: 2,
      tenants: [
        {
          tenant: 'edge-full',
          headSeries: 20_000,
          limit: 16_000,
          limitSource: 'tenant',
          usedRatio: 1.25,
          slopePerDay: 0,
          daysLeft: 0,
          reachesAt: 1_796_100_000,
          confidence: 'high',
          atRisk: true,
        },
        {
          tenant: 'edge-growing',
          headSeries: 132_000,
          limit: 172_000,
          limitSource: 'tenant',
          usedRatio: 0.767,
          slopePerDay: 4_000,
          daysLeft: 10,
          reachesAt: 1_797_000_000,
          confidence: 'high',
          atRisk: true,
        },
      ],
      receivers: [
        {
          pod: 'thanos-receive-3',
          usedRatio: 0.92,
          daysLeft: 1.3,
          confidence: 'medium',
          atRisk: true,
        },
      ],
    },
  },
];
