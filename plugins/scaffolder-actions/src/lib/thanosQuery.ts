/**
 * Thanos Query of a central cluster: reads every receiver over the Store API and deduplicates the
 * replicated series on the receivers' replica label. Without it Query returns each series once per
 * replica and every `sum by (cluster)` is multiplied by the replication factor. Grafana and the
 * Fleet Monitoring backend point at its Service.
 */
import {
  QUERY_NAME,
  RECEIVE_NAME,
  RECEIVE_REPLICA_LABEL,
  THANOS_PORTS,
} from '@fleet-monitoring/plugin-monitoring-common';

export { QUERY_NAME };

/** In-cluster HTTP URL of the central's Thanos Query (Prometheus HTTP API). */
export const queryUrl = (namespace: string) =>
  `http://${QUERY_NAME}.${namespace}.svc.cluster.local:${THANOS_PORTS.http}`;

export type QueryInput = { namespace: string; image: string; replicas: number };

export function queryManifests(i: QueryInput): unknown[] {
  const labels = {
    'app.kubernetes.io/name': QUERY_NAME,
    'app.kubernetes.io/component': 'query',
  };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: QUERY_NAME, labels },
    spec: {
      replicas: i.replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 65534 },
          containers: [
            {
              name: 'thanos-query',
              image: i.image,
              args: [
                'query',
                '--log.level=info',
                `--grpc-address=0.0.0.0:${THANOS_PORTS.grpc}`,
                `--http-address=0.0.0.0:${THANOS_PORTS.http}`,
                `--query.replica-label=${RECEIVE_REPLICA_LABEL}`,
                // Every receiver pod, found through the SRV record of the headless Service's grpc port.
                `--endpoint=dnssrv+_grpc._tcp.${RECEIVE_NAME}.${i.namespace}.svc.cluster.local`,
              ],
              ports: [
                { name: 'grpc', containerPort: THANOS_PORTS.grpc },
                { name: 'http', containerPort: THANOS_PORTS.http },
              ],
              readinessProbe: {
                httpGet: { path: '/-/ready', port: 'http' },
                periodSeconds: 5,
              },
              livenessProbe: {
                httpGet: { path: '/-/healthy', port: 'http' },
                periodSeconds: 30,
              },
            },
          ],
        },
      },
    },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: QUERY_NAME, labels },
    spec: {
      selector: labels,
      ports: [
        { name: 'grpc', port: THANOS_PORTS.grpc, targetPort: 'grpc' },
        { name: 'http', port: THANOS_PORTS.http, targetPort: 'http' },
      ],
    },
  };
  return [deployment, service];
}
