/**
 * How edge agents reach the central receivers from outside the cluster. Both forms send to the
 * ready-only write Service's remote-write port, never to the headless Service.
 * - ingress: TLS terminated by the ingress controller with a certificate from a Secret; the edges'
 *   URL is https://<host>/api/v1/receive.
 * - loadBalancer: a Service of type LoadBalancer on the remote-write port; Thanos answers plain HTTP
 *   there, so TLS has to come from the load balancer (annotations) or the edges send in clear text.
 */
import {
  RECEIVE_WRITE_SERVICE,
  THANOS_PORTS,
} from '@fleet-monitoring/plugin-monitoring-common';
import { receiverLabels } from './thanos';

export type EntryPoint =
  | {
      type: 'ingress';
      host: string;
      tlsSecretName: string;
      ingressClassName?: string;
      annotations: Record<string, string>;
    }
  | { type: 'loadBalancer'; annotations: Record<string, string> };

export const RECEIVE_PATH = '/api/v1/receive';

export function entryPointManifest(e: EntryPoint): unknown {
  if (e.type === 'ingress') {
    return {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: RECEIVE_WRITE_SERVICE,
        ...(Object.keys(e.annotations).length
          ? { annotations: e.annotations }
          : {}),
      },
      spec: {
        ...(e.ingressClassName ? { ingressClassName: e.ingressClassName } : {}),
        tls: [{ hosts: [e.host], secretName: e.tlsSecretName }],
        rules: [
          {
            host: e.host,
            http: {
              paths: [
                {
                  path: RECEIVE_PATH,
                  pathType: 'Exact',
                  backend: {
                    service: {
                      name: RECEIVE_WRITE_SERVICE,
                      port: { number: THANOS_PORTS.remoteWrite },
                    },
                  },
                },
              ],
            },
          },
        ],
      },
    };
  }
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: `${RECEIVE_WRITE_SERVICE}-external`,
      labels: receiverLabels,
      ...(Object.keys(e.annotations).length
        ? { annotations: e.annotations }
        : {}),
    },
    spec: {
      type: 'LoadBalancer',
      selector: receiverLabels,
      ports: [
        {
          name: 'remote-write',
          port: THANOS_PORTS.remoteWrite,
          targetPort: 'remote-write',
        },
      ],
    },
  };
}

/** The remote-write URL edges use, when it is known from the manifest alone (Ingress host). */
export function edgeRemoteWriteUrl(e: EntryPoint): string | undefined {
  return e.type === 'ingress' ? `https://${e.host}${RECEIVE_PATH}` : undefined;
}
