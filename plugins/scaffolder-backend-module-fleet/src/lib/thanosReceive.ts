/**
 * Thanos Receive manifests for a central cluster, with the production settings of kube-thanos
 * (`jsonnet/kube-thanos/kube-thanos-receive.libsonnet`): a 900 s termination grace period (a receiver
 * flushes its head block and uploads it on shutdown), spread over hosts and zones, and a
 * PodDisruptionBudget that keeps the write quorum. Names, ports and labels come from the common names
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
  THANOS_JOBS,
  THANOS_PORTS,
} from '@fleet-monitoring/plugin-monitoring-common';
import { ThanosVersion, tolerableReceiverLoss } from './thanosVersion';

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
  /** Thanos version of `image` (undefined when its tag is not a version). */
  version: ThanosVersion | undefined;
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

/**
 * Label of the one Service per component that its ServiceMonitor selects (the receivers' headless
 * Service and the write Service share the pod labels, so those cannot tell them apart).
 */
export const SCRAPED_SERVICE_LABEL = 'fleet-monitoring.io/scraped';

/** kube-thanos: receivers get 15 minutes to flush and upload their head block on shutdown. */
export const RECEIVER_GRACE_SECONDS = 900;

const port = (name: string, number: number) => ({
  name,
  port: number,
  targetPort: name,
});

export function receiverManifests(i: ReceiverInput): unknown[] {
  return [
    headlessService(i.namespace),
    writeService(i.namespace),
    receiverStatefulSet(i),
    receiverDisruptionBudget(i),
  ];
}

/**
 * Headless: gives every pod the stable DNS name the hashring endpoints use. Unready pods are published
 * too, so receivers can reach each other while they start (and are scraped while unready); writes go
 * through RECEIVE_WRITE_SERVICE, never through this Service.
 */
function headlessService(namespace: string) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: RECEIVE_NAME,
      namespace,
      labels: {
        ...receiverLabels,
        [SCRAPED_SERVICE_LABEL]: THANOS_JOBS.receive,
      },
    },
    spec: {
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: receiverLabels,
      ports: [
        port('grpc', THANOS_PORTS.grpc),
        port('http', THANOS_PORTS.http),
        port('remote-write', THANOS_PORTS.remoteWrite),
      ],
    },
  };
}

/** Ready receivers only (a receiver is ready once it has loaded the hashring). */
function writeService(namespace: string) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: RECEIVE_WRITE_SERVICE,
      namespace,
      labels: receiverLabels,
    },
    spec: {
      type: 'ClusterIP',
      selector: receiverLabels,
      ports: [port('remote-write', THANOS_PORTS.remoteWrite)],
    },
  };
}

function receiverArgs(i: ReceiverInput): string[] {
  return [
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
  ];
}

function receiverContainer(i: ReceiverInput) {
  const fieldEnv = (name: string, fieldPath: string) => ({
    name,
    valueFrom: { fieldRef: { fieldPath } },
  });
  return {
    name: 'thanos-receive',
    image: i.image,
    args: receiverArgs(i),
    env: [
      fieldEnv('POD_NAME', 'metadata.name'),
      fieldEnv('POD_NAMESPACE', 'metadata.namespace'),
    ],
    ports: [
      { name: 'grpc', containerPort: THANOS_PORTS.grpc },
      { name: 'http', containerPort: THANOS_PORTS.http },
      { name: 'remote-write', containerPort: THANOS_PORTS.remoteWrite },
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
      { name: 'hashrings', mountPath: HASHRING_MOUNT_DIR, readOnly: true },
      { name: 'objstore', mountPath: OBJSTORE_MOUNT_DIR, readOnly: true },
    ],
  };
}

function receiverStatefulSet(i: ReceiverInput) {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: {
      name: RECEIVE_NAME,
      namespace: i.namespace,
      labels: receiverLabels,
    },
    spec: {
      serviceName: RECEIVE_NAME,
      replicas: i.replicas,
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: receiverLabels },
      template: {
        metadata: { labels: receiverLabels },
        spec: {
          terminationGracePeriodSeconds: RECEIVER_GRACE_SECONDS,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 65534,
            fsGroup: 65534,
          },
          containers: [receiverContainer(i)],
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
}

/**
 * Voluntary disruptions (node drains, upgrades) may take down RF - quorum receivers at once: one more
 * and some series cannot reach their quorum, so every request carrying them fails. With RF 1 (or RF 2
 * before Thanos v0.37) that is 0: drains wait until someone moves a receiver by hand.
 */
export function receiverDisruptionBudget(i: ReceiverInput) {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: {
      name: RECEIVE_NAME,
      namespace: i.namespace,
      labels: receiverLabels,
    },
    spec: {
      maxUnavailable: tolerableReceiverLoss(i.replicationFactor, i.version),
      selector: { matchLabels: receiverLabels },
    },
  };
}

/**
 * patches.yaml of the central overlay: placement of the receivers, kept apart from the generated
 * receiver manifest so operators can tune it per cluster. With a replication factor > 1 the copies
 * only protect anything when the replicas run on different nodes (and survive a zone when spread
 * over zones): at most one receiver more on any node than on another (hard), and the same over
 * zones where the nodes have zone labels (soft, so single-zone clusters still schedule).
 */
export function receiverPlacementPatch(namespace: string) {
  const spread = (topologyKey: string, whenUnsatisfiable: string) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable,
    labelSelector: { matchLabels: receiverLabels },
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: RECEIVE_NAME, namespace },
    spec: {
      template: {
        spec: {
          topologySpreadConstraints: [
            spread('kubernetes.io/hostname', 'DoNotSchedule'),
            spread('topology.kubernetes.io/zone', 'ScheduleAnyway'),
          ],
        },
      },
    },
  };
}
