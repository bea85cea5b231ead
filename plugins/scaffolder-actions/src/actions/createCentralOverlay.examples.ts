import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Central cluster with kube-prometheus-stack and three Thanos receivers (replication factor 3)',
    example: yaml.stringify({
      steps: [
        {
          id: 'central-overlay',
          action: 'fleet:overlay:create-central',
          name: 'Create the central overlay',
          input: { cluster: 'cluster-01', region: 'eu-west-1' },
        },
      ],
    }),
  },
  {
    description:
      'Small central cluster: one receiver, hashmod hashring, more memory',
    example: yaml.stringify({
      steps: [
        {
          id: 'central-overlay',
          action: 'fleet:overlay:create-central',
          name: 'Create the central overlay',
          input: {
            cluster: 'lab-central',
            receiver: {
              replicas: 1,
              replicationFactor: 1,
              algorithm: 'hashmod',
              memoryRequest: '4Gi',
              memoryLimit: '4Gi',
            },
          },
        },
      ],
    }),
  },
];
