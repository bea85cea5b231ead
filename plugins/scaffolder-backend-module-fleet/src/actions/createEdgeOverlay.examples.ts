import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Prometheus agent for an edge cluster, remote-writing over TLS with a CA from a Secret',
    example: yaml.stringify({
      steps: [
        {
          id: 'edge-overlay',
          action: 'fleet:overlay:create-edge',
          name: 'Create the edge overlay',
          input: {
            cluster: 'cluster-02-edge',
            region: 'eu-west-1',
            remoteWriteUrl: 'https://receive.example.com/api/v1/receive',
            tls: { caSecretName: 'thanos-receive-ca' },
          },
        },
      ],
    }),
  },
  {
    description:
      'Agent with basic auth from a Secret, a tenant, queue tuning, dropped metrics and memory limits',
    example: yaml.stringify({
      steps: [
        {
          id: 'edge-overlay',
          action: 'fleet:overlay:create-edge',
          name: 'Create the edge overlay',
          input: {
            cluster: 'cluster-03-edge',
            tenant: 'team-payments',
            remoteWriteUrl: 'https://receive.example.com/api/v1/receive',
            auth: {
              type: 'basic',
              secretName: 'remote-write-credentials',
              username: 'cluster-03-edge',
            },
            queue: {
              capacity: 20000,
              maxShards: 30,
              maxSamplesPerSend: 5000,
              batchSendDeadline: '10s',
            },
            dropMetrics: [
              'go_gc_.*',
              'apiserver_request_duration_seconds_bucket',
            ],
            memoryRequest: '768Mi',
            memoryLimit: '1536Mi',
          },
        },
      ],
    }),
  },
  {
    description:
      'Agent writing to a receiver with a self-signed certificate (skips verification: the action warns)',
    example: yaml.stringify({
      steps: [
        {
          id: 'edge-overlay',
          action: 'fleet:overlay:create-edge',
          name: 'Create the edge overlay',
          input: {
            cluster: 'lab-01',
            remoteWriteUrl: 'https://receive.lab.internal/api/v1/receive',
            tls: { insecureSkipVerify: true },
            auth: { type: 'bearer', secretName: 'remote-write-token' },
          },
        },
      ],
    }),
  },
  {
    description:
      'Agent on the prometheus chart 26.x (Prometheus v3: runs with --agent) with basic auth',
    example: yaml.stringify({
      steps: [
        {
          id: 'edge-overlay',
          action: 'fleet:overlay:create-edge',
          name: 'Create the edge overlay',
          input: {
            cluster: 'cluster-04-edge',
            chartVersion: '26.0.0',
            remoteWriteUrl: 'https://receive.example.com/api/v1/receive',
            auth: {
              type: 'basic',
              secretName: 'remote-write-credentials',
              username: 'cluster-04-edge',
            },
          },
        },
      ],
    }),
  },
];
