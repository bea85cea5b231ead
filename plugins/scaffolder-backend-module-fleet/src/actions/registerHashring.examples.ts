import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Route an edge cluster's tenant to its own hashring over all receivers of the central overlay",
    example: yaml.stringify({
      steps: [
        {
          id: 'register',
          action: 'fleet:hashring:register',
          name: 'Register the tenant in the hashring',
          input: {
            centralCluster: 'cluster-01-central',
            tenant: 'cluster-02-edge',
          },
        },
      ],
    }),
  },
  {
    description:
      'Route a tenant to a named ketama hashring with zone-aware endpoints: as many receivers as the replication factor (3) at least, one per zone',
    example: yaml.stringify({
      steps: [
        {
          id: 'register',
          action: 'fleet:hashring:register',
          name: 'Register the tenant in the hashring',
          input: {
            centralCluster: 'cluster-01-central',
            tenant: 'team-payments',
            hashring: 'payments',
            algorithm: 'ketama',
            endpoints: ['a', 'b', 'c'].map((az, i) => ({
              address: `thanos-receive-${i}.thanos-receive.monitoring.svc.cluster.local:10901`,
              az,
            })),
          },
        },
      ],
    }),
  },
];
