/**
 * Thanos Query of a central cluster: reads every receiver (and the Store gateways the user names) over
 * the Store API and deduplicates the replicated series on the receivers' replica label. Without it
 * Query returns each series once per replica and every `sum by (cluster)` is multiplied by the
 * replication factor; without a Store gateway, blocks older than the receivers' retention are not
 * queryable. Grafana and the Fleet Monitoring backend point at its Service.
 */
import {
  QUERY_NAME,
  RECEIVE_NAME,
  RECEIVE_REPLICA_LABEL,
  THANOS_JOBS,
  THANOS_PORTS,
} from '@fleet-monitoring/plugin-monitoring-common';
import { SCRAPED_SERVICE_LABEL } from './thanosReceive';
import { supportsEndpointSdConfig, ThanosVersion } from './thanosVersion';
import { toYaml } from './yaml';

export { QUERY_NAME };

/** In-cluster HTTP URL of the central's Thanos Query (Prometheus HTTP API). */
export const queryUrl = (namespace: string) =>
  `http://${QUERY_NAME}.${namespace}.svc.cluster.local:${THANOS_PORTS.http}`;

export type QueryInput = {
  namespace: string;
  image: string;
  version: ThanosVersion | undefined;
  replicas: number;
  /** Store API addresses besides the receivers, e.g. a Store gateway (`host:port`, `dnssrv+...`). */
  storeEndpoints: string[];
};

export const queryLabels = {
  'app.kubernetes.io/name': QUERY_NAME,
  'app.kubernetes.io/component': 'query',
};

/** Every receiver pod, through the SRV record of the headless Service's grpc port. */
export const receiversSrv = (namespace: string) =>
  `dnssrv+_grpc._tcp.${RECEIVE_NAME}.${namespace}.svc.cluster.local`;

/**
 * How Query learns its endpoints: `--endpoint.sd-config` from Thanos v0.38.0, where `--endpoint` is
 * deprecated (v0.42.4 `cmd/thanos/query.go`); `--endpoint` before, where sd-config does not exist.
 */
export function queryEndpointArgs(i: QueryInput): string[] {
  const addresses = [receiversSrv(i.namespace), ...i.storeEndpoints];
  if (supportsEndpointSdConfig(i.version)) {
    const config = toYaml({
      endpoints: addresses.map(address => ({ address })),
    });
    return [`--endpoint.sd-config=${config.trimEnd()}`];
  }
  return addresses.map(a => `--endpoint=${a}`);
}

export function queryManifests(i: QueryInput): unknown[] {
  return [queryDeployment(i), queryService(i.namespace)];
}

function queryDeployment(i: QueryInput) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: QUERY_NAME, namespace: i.namespace, labels: queryLabels },
    spec: {
      replicas: i.replicas,
      selector: { matchLabels: queryLabels },
      template: {
        metadata: { labels: queryLabels },
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
                ...queryEndpointArgs(i),
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
}

function queryService(namespace: string) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: QUERY_NAME,
      namespace,
      labels: { ...queryLabels, [SCRAPED_SERVICE_LABEL]: THANOS_JOBS.query },
    },
    spec: {
      selector: queryLabels,
      ports: [
        { name: 'grpc', port: THANOS_PORTS.grpc, targetPort: 'grpc' },
        { name: 'http', port: THANOS_PORTS.http, targetPort: 'http' },
      ],
    },
  };
}
