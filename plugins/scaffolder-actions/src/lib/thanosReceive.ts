/**
 * Thanos Receive manifests for a central cluster. Names, ports and labels come from the common names
 * module (the backend's Kubernetes view looks for the same ones); paths follow the kube-thanos
 * conventions (hashring file mounted at /var/lib/thanos-receive/hashrings.json).
 */
import {
  HASHRING_CONFIGMAP,
  HASHRING_KEY,
  RECEIVE_NAME,
  RECEIVE_REPLICA_LABEL,
  RECEIVE_WRITE_SERVICE,
  receiverEndpoint,
  TENANT_HEADER,
  THANOS_PORTS,
} from '@fleet-monitoring/plugin-monitoring-common';

export {
  HASHRING_CONFIGMAP,
  RECEIVE_NAME,
  RECEIVE_WRITE_SERVICE,
  THANOS_PORTS as PORTS,
};
/** File name of the hashring in the central overlay, which is also its key in the ConfigMap. */
export const HASHRING_FILE = HASHRING_KEY;
export const HASHRING_MOUNT_DIR = '/var/lib/thanos-receive';
export const OBJSTORE_MOUNT_DIR = '/etc/thanos/objstore';
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
  /** Secret holding the objstore.yml the receivers upload blocks with. */
  objstore: { secretName: string; key: string };
};

/** gRPC addresses of the receiver pods through the headless Service: what the hashring lists. */
export function receiverEndpoints(
  namespace: string,
  replicas: number,
): string[] {
  return Array.from({ length: replicas }, (_, i) =>
    receiverEndpoint(namespace, i),
  );
}

/** In-cluster remote-write URL of the ready receivers. */
export const receiveUrl = (namespace: string) =>
  `http://${RECEIVE_WRITE_SERVICE}.${namespace}.svc.cluster.local:${THANOS_PORTS.remoteWrite}/api/v1/receive`;

export const receiverLabels = {
  'app.kubernetes.io/name': RECEIVE_NAME,
  'app.kubernetes.io/component': 'receive',
};

const port = (name: string, number: number) => ({
  name,
  port: number,
  targetPort: name,
});

export function receiverManifests(i: ReceiverInput): unknown[] {
  const labels = receiverLabels;
  const headless = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: RECEIVE_NAME, labels },
    // Headless: gives every pod the stable DNS name the hashring endpoints use. Unready pods are
    // published too, so receivers can reach each other while they start; writes go through
    // RECEIVE_WRITE_SERVICE, never through this Service.
    spec: {
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: labels,
      ports: [
        port('grpc', THANOS_PORTS.grpc),
        port('http', THANOS_PORTS.http),
        port('remote-write', THANOS_PORTS.remoteWrite),
      ],
    },
  };
  const write = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: RECEIVE_WRITE_SERVICE, labels },
    // Ready receivers only (a receiver is ready once it has loaded the hashring).
    spec: {
      type: 'ClusterIP',
      selector: labels,
      ports: [port('remote-write', THANOS_PORTS.remoteWrite)],
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
                `--grpc-address=0.0.0.0:${THANOS_PORTS.grpc}`,
                `--http-address=0.0.0.0:${THANOS_PORTS.http}`,
                `--remote-write.address=0.0.0.0:${THANOS_PORTS.remoteWrite}`,
                '--tsdb.path=/var/thanos/receive',
                `--tsdb.retention=${i.retention}`,
                // Uploads every 2h block to object storage (upload is on whenever a bucket is configured).
                `--objstore.config-file=${OBJSTORE_MOUNT_DIR}/${i.objstore.key}`,
                `--receive.replication-factor=${i.replicationFactor}`,
                `--receive.hashrings-file=${HASHRING_MOUNT_DIR}/${HASHRING_FILE}`,
                `--receive.hashrings-algorithm=${i.algorithm}`,
                `--receive.tenant-header=${TENANT_HEADER}`,
                `--receive.default-tenant-id=${i.defaultTenant}`,
                `--receive.local-endpoint=$(POD_NAME).${RECEIVE_NAME}.$(POD_NAMESPACE).svc.cluster.local:${THANOS_PORTS.grpc}`,
                // Each replica's copy is labelled apart; Thanos Query deduplicates on this label.
                `--label=${RECEIVE_REPLICA_LABEL}="$(POD_NAME)"`,
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
                { name: 'grpc', containerPort: THANOS_PORTS.grpc },
                { name: 'http', containerPort: THANOS_PORTS.http },
                {
                  name: 'remote-write',
                  containerPort: THANOS_PORTS.remoteWrite,
                },
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
                {
                  name: 'objstore',
                  mountPath: OBJSTORE_MOUNT_DIR,
                  readOnly: true,
                },
              ],
            },
          ],
          volumes: [
            { name: 'hashrings', configMap: { name: HASHRING_CONFIGMAP } },
            { name: 'objstore', secret: { secretName: i.objstore.secretName } },
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
  return [headless, write, statefulSet];
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
              labelSelector: { matchLabels: receiverLabels },
            },
          ],
        },
      },
    },
  };
}
