import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Drop two exploding metrics of an edge cluster before remote write (the capacity card pre-fills cluster and metrics)',
    example: yaml.stringify({
      steps: [
        {
          id: 'drop-series',
          action: 'fleet:agent:drop-series',
          name: 'Drop the series',
          input: {
            cluster: 'cluster-02-edge',
            metrics: [
              'http_request_duration_seconds_bucket',
              'app_user_sessions',
            ],
          },
        },
      ],
    }),
  },
  {
    description:
      'Drop every metric of a namespace by prefix, counting on a named Thanos Query instance',
    example: yaml.stringify({
      steps: [
        {
          id: 'drop-series',
          action: 'fleet:agent:drop-series',
          name: 'Drop the series',
          input: {
            cluster: 'cluster-03-edge',
            prefixes: ['go_gc_'],
            thanosInstance: 'production',
          },
        },
      ],
    }),
  },
];
