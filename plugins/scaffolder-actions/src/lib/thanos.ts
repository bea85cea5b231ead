/**
 * Thanos Receive manifests for a central cluster (ports and paths follow the Thanos Receive defaults and
 * the kube-thanos conventions: gRPC 10901, HTTP 10902, remote write 19291, hashring file mounted at
 * /var/lib/thanos-receive/hashrings.json).
 */
import { TENANT_HEADER } from './names';

export const RECEIVE_NAME = 'thanos-receive';
export const HASHRING_CONFIGMAP = 'thanos-receive-hashrings';
export const HASHRING_FILE = 'hashrings.json';
export const HASHRING_MOUNT_DIR = '/var/lib/thanos-receive';
export const PORTS = { grpc: 10901, http: 10902, remoteWrite: 19291 } as const;
export const DEFAULT_THANOS_IMAGE = 'quay.io/thanos/thanos:v0.35.1';

export type HashringAlgorithm = 'hashmod' | 'ketama';

export type ReceiverInput = {
  namespace: string;
  replicas: number;
  replicationFactor: number;
  algorithm: HashringAlgorithm;
  defaultTenant: string;
  memoryRequest: string;
  memoryLimit: string;
  storageSize: string;
  retention: string;
  image: string;
};

/** gRPC addresses of the receiver pods through the headless Service: what the hashring lists. */
export function receiverEndpoints(
  namespace: string,
  replicas: number,
): string[] {
  return Array.from(
    { length: replicas },
    (_, i) =>
      `${RECEIVE_NAME}-${i}.${RECEIVE_NAME}.${namespace}.svc.cluster.local:${PORTS.grpc}`,
  );
}

/** In-cluster remote-write URL of the receivers. */
export const receiveUrl = (namespace: string) =>
  `http://${RECEIVE_NAME}.${namespace}.svc.cluster.local:${PORTS.remoteWrite}/api/v1/receive`;

const labels = {
  'app.kubernetes.io/name': RECEIVE_NAME,
  'app.kubernetes.io/component': 'receive',
};

export function receiverManifests(i: ReceiverInput): unknown[] {
  const ports = [
    { name: 'grpc', port: PORTS.grpc, targetPort: 'grpc' },
    { name: 'http', port: PORTS.http, targetPort: 'http' },
    {
      name: 'remote-write',
      port: PORTS.remoteWrite,
      targetPort: 'remote-write',
    },
  ];
  const headless = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: RECEIVE_NAME, labels },
    // Headless: gives every pod the stable DNS name the hashring endpoints use.
    spec: {
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: labels,
      ports,
    },
  };
  const statefulSet = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: RECEIVE_NAME, labels },
    spec: {
      serviceName: RECEIVE_NAME,
      replicas: i.replicas,
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 65534,
            fsGroup: 65534,
          },
          containers: [
            {
              name: 'thanos-receive',
              image: i.image,
              args: [
                'receive',
                '--log.level=info',
                `--grpc-address=0.0.0.0:${PORTS.grpc}`,
                `--http-address=0.0.0.0:${PORTS.http}`,
                `--remote-write.address=0.0.0.0:${PORTS.remoteWrite}`,
                '--tsdb.path=/var/thanos/receive',
                `--tsdb.retention=${i.retention}`,
                `--receive.replication-factor=${i.replicationFactor}`,
                `--receive.hashrings-file=${HASHRING_MOUNT_DIR}/${HASHRING_FILE}`,
                `--receive.hashrings-algorithm=${i.algorithm}`,
                `--receive.tenant-header=${TENANT_HEADER}`,
                `--receive.default-tenant-id=${i.defaultTenant}`,
                `--receive.local-endpoint=$(POD_NAME).${RECEIVE_NAME}.$(POD_NAMESPACE).svc.cluster.local:${PORTS.grpc}`,
                '--label=replica="$(POD_NAME)"',
                '--label=receive="true"',
              ],
              env: [
                {
                  name: 'POD_NAME',
                  valueFrom: { fieldRef: { fieldPath: 'metadata.name' } },
                },
                {
                  name: 'POD_NAMESPACE',
                  valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
                },
              ],
              ports: [
                { name: 'grpc', containerPort: PORTS.grpc },
                { name: 'http', containerPort: PORTS.http },
                { name: 'remote-write', containerPort: PORTS.remoteWrite },
              ],
              readinessProbe: {
                httpGet: { path: '/-/ready', port: 'http' },
                periodSeconds: 5,
              },
              livenessProbe: {
                httpGet: { path: '/-/healthy', port: 'http' },
                periodSeconds: 30,
              },
              resources: {
                requests: { memory: i.memoryRequest },
                limits: { memory: i.memoryLimit },
              },
              volumeMounts: [
                { name: 'data', mountPath: '/var/thanos/receive' },
                {
                  name: 'hashrings',
                  mountPath: HASHRING_MOUNT_DIR,
                  readOnly: true,
                },
              ],
            },
          ],
          volumes: [
            { name: 'hashrings', configMap: { name: HASHRING_CONFIGMAP } },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: i.storageSize } },
          },
        },
      ],
    },
  };
  return [headless, statefulSet];
}

/**
 * patches.yaml of the central overlay: placement of the receivers, kept apart from the generated
 * receiver manifest so operators can tune it per cluster. With a replication factor > 1 the copies
 * only protect anything when the replicas run on different nodes.
 */
export function receiverPlacementPatch() {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: RECEIVE_NAME },
    spec: {
      template: {
        spec: {
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: labels },
            },
          ],
        },
      },
    },
  };
}
