import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Route an edge cluster's tenant to its own hashring over the central receivers",
    example: yaml.stringify({
      steps: [
        {
          id: 'register',
          action: 'fleet:hashring:register',
          name: 'Register the tenant in the hashring',
          input: { centralCluster: 'cluster-01', tenant: 'cluster-02' },
        },
      ],
    }),
  },
  {
    description:
      'Route a tenant to a named hashring with zone-aware endpoints (ketama)',
    example: yaml.stringify({
      steps: [
        {
          id: 'register',
          action: 'fleet:hashring:register',
          name: 'Register the tenant in the hashring',
          input: {
            centralCluster: 'cluster-01',
            tenant: 'team-payments',
            hashring: 'payments',
            algorithm: 'ketama',
            endpoints: [
              {
                address:
                  'thanos-receive-0.thanos-receive.monitoring.svc.cluster.local:10901',
                az: 'a',
              },
              {
                address:
                  'thanos-receive-1.thanos-receive.monitoring.svc.cluster.local:10901',
                az: 'b',
              },
            ],
          },
        },
      ],
    }),
  },
];
