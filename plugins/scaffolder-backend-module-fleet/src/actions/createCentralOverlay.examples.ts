import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Central cluster: kube-prometheus-stack, three Thanos receivers (replication factor 3) uploading to object storage, Thanos Query, edges writing through an Ingress with TLS and basic auth',
    example: yaml.stringify({
      steps: [
        {
          id: 'central-overlay',
          action: 'fleet:overlay:create-central',
          name: 'Create the central overlay',
          input: {
            cluster: 'cluster-01-central',
            region: 'eu-west-1',
            objectStorage: { secretName: 'thanos-objstore' },
            edgeEntryPoint: {
              type: 'ingress',
              host: 'receive.example.com',
              tlsSecretName: 'receive-example-com-tls',
              ingressClassName: 'nginx',
              auth: 'basic',
              authSecretName: 'receive-htpasswd',
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'Small lab central cluster: one receiver, hashmod hashring, more memory, edges writing to a LoadBalancer that terminates TLS, open on purpose (auth: none, flagged on the catalog entity)',
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
            objectStorage: {
              secretName: 'thanos-objstore',
              key: 'bucket.yaml',
            },
            query: { replicas: 1 },
            edgeEntryPoint: {
              type: 'loadBalancer',
              auth: 'none',
              tls: 'loadBalancer',
              annotations: {
                'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
                'service.beta.kubernetes.io/aws-load-balancer-ssl-cert':
                  'arn:aws:acm:eu-west-1:123456789012:certificate/example',
                'service.beta.kubernetes.io/aws-load-balancer-ssl-ports':
                  'remote-write',
              },
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'Central cluster on Thanos v0.42.4 with client certificates at the Ingress (mTLS), a Store gateway Query reads older blocks from, and a Compactor; the central Prometheus scrapes all four Thanos components',
    example: yaml.stringify({
      steps: [
        {
          id: 'central-overlay',
          action: 'fleet:overlay:create-central',
          name: 'Create the central overlay',
          input: {
            cluster: 'cluster-01-central',
            receiver: { image: 'quay.io/thanos/thanos:v0.42.4' },
            objectStorage: { secretName: 'thanos-objstore' },
            storeGateway: {
              address:
                'dnssrv+_grpc._tcp.thanos-store.monitoring.svc.cluster.local',
              serviceLabels: { 'app.kubernetes.io/name': 'thanos-store' },
            },
            compactor: {
              serviceLabels: { 'app.kubernetes.io/name': 'thanos-compact' },
            },
            edgeEntryPoint: {
              type: 'ingress',
              host: 'receive.example.com',
              tlsSecretName: 'receive-example-com-tls',
              ingressClassName: 'nginx',
              auth: 'mtls',
              authSecretName: 'edge-client-ca',
            },
          },
        },
      ],
    }),
  },
];
