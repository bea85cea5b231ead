import type { ActionExamples } from '../../actions';
import type { getThanosHealthSchema } from './getThanosHealth';

/** `fleet-monitoring:get-thanos-health`: Thanos Query with every store endpoint answering. */
export const getThanosHealthExamples: ActionExamples<
  typeof getThanosHealthSchema
> = [
  {
    title: 'A named Thanos Query instance',
    description:
      'Its store endpoints (/api/v1/stores) and partial-response warnings, judged as the Thanos card shows them.',
    input: { instance: 'central' },
    output: {
      instance: 'central',
      isThanos: true,
      state: 'healthy',
      reasons: [],
      warnings: [],
    },
  },
];
