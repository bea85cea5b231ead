/**
 * The files of a central overlay (fleet:overlay:create-central), planned from the action's input and
 * what the workspace already holds (the shared base's values, an existing hashrings.json). Nothing is
 * written here; `ReadFile` may read a directory or files held in memory.
 */
import { InputError } from '@backstage/errors';
import { THANOS_JOBS } from '@fleet-monitoring/plugin-monitoring-common';
import type { CentralInput } from '../actions/createCentralOverlay';
import {
  baseFiles,
  helmChartEntry,
  OVERLAY_HEADER,
  parseBaseValues,
} from '../lib/charts';
import {
  edgeRemoteWriteUrl,
  EntryPoint,
  entryPointManifest,
  isOpenEntryPoint,
  resolveEntryPoint,
} from '../lib/entryPoint';
import { PlannedFile } from '../lib/files';
import {
  hashringProblems,
  initialHashrings,
  parseHashringFile,
  staleEndpoints,
} from '../lib/hashring';
import { deepMerge } from '../lib/merge';
import {
  prometheusRule,
  RECORDING_RULES_FILE,
  ruleFile,
} from '../lib/recordingRules';
import { RULER_RULES_CONFIGMAP, rulerManifests } from '../lib/thanosRuler';
import { baseDir, overlayDir } from '../lib/names';
import {
  externalComponentMonitor,
  serviceMonitor,
} from '../lib/serviceMonitors';
import { queryLabels, queryManifests, queryUrl } from '../lib/thanosQuery';
import {
  HASHRING_CONFIGMAP,
  HASHRING_FILE,
  receiverEndpoints,
  receiverManifests,
  receiverPlacementPatch,
  receiveUrl,
  RECEIVE_NAME,
  SCRAPED_SERVICE_LABEL,
} from '../lib/thanosReceive';
import {
  thanosVersionOfImage,
  ThanosVersion,
  tolerableReceiverLoss,
  writeQuorum,
} from '../lib/thanosVersion';
import { centralBaseValues, centralOverlayValues } from '../lib/values';
import { ReadFile } from '../lib/workspace';
import { toJson, toYaml, toYamlStream } from '../lib/yaml';

export type CentralPlan = {
  files: PlannedFile[];
  overlayPath: string;
  warnings: string[];
  queryUrl: string;
  edgeRemoteWriteUrl?: string;
  /** What the edges must send: create-edge's `auth.type`. */
  edgeAuth: EntryPoint['auth']['type'];
  openWriteEndpoint: boolean;
};

/** Files of the overlay directory, in the order of the kustomization's resources. */
export const CENTRAL_FILES = {
  receivers: 'thanos-receiver.yaml',
  query: 'thanos-query.yaml',
  entryPoint: 'edge-entrypoint.yaml',
  serviceMonitors: 'servicemonitors.yaml',
  patches: 'patches.yaml',
} as const;

/** Files of the fleet recording rules (input `recordingRules.deploy`), after the others. */
export const RECORDING_FILES = {
  ruler: 'thanos-rule.yaml',
  rules: RECORDING_RULES_FILE,
} as const;

export async function planCentralOverlay(
  read: ReadFile,
  input: CentralInput,
): Promise<CentralPlan> {
  const version = thanosVersionOfImage(input.receiver.image);
  const entryPoint = resolveEntryPoint(input.edgeEntryPoint, input.namespace);
  const overlayPath = overlayDir(input.cluster, 'central');
  const base = await readCentralBase(read);
  const hashring = await checkExistingHashring(read, input, overlayPath);
  const files: PlannedFile[] = [
    ...(base.exists ? [] : base.files(input)),
    ...overlayFiles(input, { overlayPath, version, entryPoint, base }),
    ...(hashring.exists
      ? []
      : [
          {
            path: `${overlayPath}/${HASHRING_FILE}`,
            content: initialHashringFile(input),
          },
        ]),
  ];
  return {
    files,
    overlayPath,
    warnings: [
      ...centralWarnings(input, version, entryPoint),
      ...hashring.warnings,
    ],
    queryUrl: queryUrl(input.namespace),
    edgeRemoteWriteUrl: edgeRemoteWriteUrl(entryPoint),
    edgeAuth: entryPoint.auth.type,
    openWriteEndpoint: isOpenEntryPoint(entryPoint),
  };
}

function centralWarnings(
  input: CentralInput,
  version: ThanosVersion | undefined,
  entryPoint: EntryPoint,
): string[] {
  const r = input.receiver;
  const warnings: string[] = [];
  if (r.replicationFactor === 1 && r.replicas > 1) {
    warnings.push(
      'replicationFactor 1: losing one receiver loses the samples it holds; 3 is recommended for HA',
    );
  }
  if (tolerableReceiverLoss(r.replicationFactor, version) === 0) {
    warnings.push(
      `replication factor ${r.replicationFactor} needs ${writeQuorum(r.replicationFactor, version)} of ${r.replicationFactor} copies (Thanos ${version ? `v${version.major}.${version.minor}` : 'version unknown'}): the receivers' PodDisruptionBudget allows no voluntary disruption, so node drains wait; raise replicationFactor to 3 to drain one receiver at a time`,
    );
  }
  if (!version) {
    warnings.push(
      `${r.image}: no version in the image tag; assumed the oldest behaviour (write quorum RF/2+1, Query --endpoint)`,
    );
  }
  if (isOpenEntryPoint(entryPoint)) {
    warnings.push(
      'edge entry point with auth: none: anyone who reaches it can write into any tenant (the tenant is a header the caller sets); the catalog entity is annotated fleet-monitoring.io/open-write-endpoint',
    );
  }
  if (entryPoint.type === 'loadBalancer' && entryPoint.tls === 'none') {
    warnings.push(
      'edge entry point is a LoadBalancer on the plain-HTTP remote-write port (tls: none): samples travel in clear text',
    );
  }
  return warnings;
}

/** The shared base's values, when the repository has it (fetched into the workspace by the template). */
async function readCentralBase(read: ReadFile) {
  const basePath = `${baseDir('central')}/values.yaml`;
  const text = await read(basePath);
  return {
    exists: text !== undefined,
    values:
      text === undefined
        ? centralBaseValues()
        : parseBaseValues(text, basePath),
    files: (input: CentralInput) =>
      baseFiles(
        'central',
        input.chartVersion,
        input.namespace,
        centralBaseValues(),
      ),
  };
}

/**
 * The hashring file belongs to fleet:hashring:register once it exists: never rewritten here, but
 * checked against the receivers this run writes. Receivers it still lists and this run would remove
 * are refused: writes would be forwarded to pods that no longer exist.
 */
async function checkExistingHashring(
  read: ReadFile,
  input: CentralInput,
  overlayPath: string,
) {
  const path = `${overlayPath}/${HASHRING_FILE}`;
  const text = await read(path);
  if (text === undefined) return { exists: false, warnings: [] };
  const r = input.receiver;
  const receivers = {
    namespace: input.namespace,
    replicas: r.replicas,
    replicationFactor: r.replicationFactor,
    algorithm: r.algorithm,
    endpoints: receiverEndpoints(input.namespace, r.replicas),
  };
  const hashrings = parseHashringFile(text, path);
  const stale = staleEndpoints(hashrings, receivers);
  if (stale.length) {
    throw new InputError(
      `${path} lists endpoint(s) that are not among the ${r.replicas} receivers this run writes: ${stale.join(', ')}; ` +
        `writes would be forwarded to pods that do not exist. Remove them from every hashring first (edit the file; fleet:hashring:register keeps entries), let the receivers reload it, then run create-central with replicas ${r.replicas} again; or keep replicas at the count the hashring lists`,
    );
  }
  return {
    exists: true,
    warnings: hashringProblems(hashrings, receivers).map(
      p => `${path} does not fit these receivers: ${p}`,
    ),
  };
}

function initialHashringFile(input: CentralInput) {
  return toJson(
    initialHashrings(
      receiverEndpoints(input.namespace, input.receiver.replicas),
      input.receiver.algorithm,
    ),
  );
}

/**
 * No top-level `namespace:` here: Kustomize's namespace transformer would also move the Services
 * kube-prometheus-stack renders into kube-system (coredns, kube-proxy, kube-scheduler,
 * kube-controller-manager, kube-etcd), which then select no pods. The chart is placed by
 * `helmCharts[].namespace`, every other object carries its own namespace.
 */
export function centralKustomization(input: CentralInput) {
  const deploy = input.recordingRules?.deploy ?? 'none';
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    helmCharts: [
      helmChartEntry('central', input.chartVersion, input.namespace),
    ],
    resources: [
      CENTRAL_FILES.receivers,
      CENTRAL_FILES.query,
      CENTRAL_FILES.entryPoint,
      CENTRAL_FILES.serviceMonitors,
      ...(deploy === 'thanosRuler' ? [RECORDING_FILES.ruler] : []),
      ...(deploy === 'prometheusRule' ? [RECORDING_FILES.rules] : []),
    ],
    configMapGenerator: [
      {
        name: HASHRING_CONFIGMAP,
        namespace: input.namespace,
        files: [HASHRING_FILE],
        // Stable name: Thanos Receive watches the mounted file and reloads it, so a hashring change must
        // not roll every receiver (which a hash-suffixed name would do).
        options: { disableNameSuffixHash: true },
      },
      // The Ruler reads its rules at start only: the hash suffix rolls it when they change.
      ...(deploy === 'thanosRuler'
        ? [
            {
              name: RULER_RULES_CONFIGMAP,
              namespace: input.namespace,
              files: [RECORDING_FILES.rules],
            },
          ]
        : []),
    ],
    patches: [
      {
        path: CENTRAL_FILES.patches,
        target: { kind: 'StatefulSet', name: RECEIVE_NAME },
      },
    ],
  };
}

/** Receive and Query always; the Store gateway and Compactor when the user runs them. */
export function centralServiceMonitors(input: CentralInput) {
  const ns = input.namespace;
  return [
    serviceMonitor({
      job: THANOS_JOBS.receive,
      namespace: ns,
      selector: { [SCRAPED_SERVICE_LABEL]: THANOS_JOBS.receive },
      port: 'http',
    }),
    serviceMonitor({
      job: THANOS_JOBS.query,
      namespace: ns,
      selector: { ...queryLabels, [SCRAPED_SERVICE_LABEL]: THANOS_JOBS.query },
      port: 'http',
    }),
    ...(input.storeGateway
      ? [externalComponentMonitor('store', input.storeGateway, ns)]
      : []),
    ...(input.compactor
      ? [externalComponentMonitor('compact', input.compactor, ns)]
      : []),
  ];
}

function centralValues(input: CentralInput, baseValues: unknown) {
  return deepMerge(
    baseValues,
    centralOverlayValues({
      cluster: input.cluster,
      externalLabels: {
        ...input.externalLabels,
        ...(input.region ? { region: input.region } : {}),
      },
      tenant: input.tenant ?? input.cluster,
      receiveUrl: receiveUrl(input.namespace),
      queryUrl: queryUrl(input.namespace),
      prometheusMemoryRequest: input.prometheusMemoryRequest,
      prometheusMemoryLimit: input.prometheusMemoryLimit,
    }),
  );
}

function overlayFiles(
  input: CentralInput,
  ctx: {
    overlayPath: string;
    version: ThanosVersion | undefined;
    entryPoint: EntryPoint;
    base: { values: unknown };
  },
): PlannedFile[] {
  const file = (name: string, content: string) => ({
    path: `${ctx.overlayPath}/${name}`,
    content,
  });
  return [
    file(
      'kustomization.yaml',
      toYaml(
        centralKustomization(input),
        OVERLAY_HEADER(
          input.cluster,
          'kube-prometheus-stack + Thanos Receive',
          baseDir('central'),
        ),
      ),
    ),
    file(
      'values.yaml',
      toYaml(
        centralValues(input, ctx.base.values),
        `kube-prometheus-stack values for central cluster ${input.cluster}.`,
      ),
    ),
    ...thanosFiles(input, ctx, file),
    ...recordingRuleFiles(input, file),
  ];
}

/**
 * The fleet recording rules: a Thanos Ruler with the group as its rule file, or the group as a
 * PrometheusRule for a ruler the user runs; nothing by default.
 */
function recordingRuleFiles(
  input: CentralInput,
  file: (name: string, content: string) => PlannedFile,
): PlannedFile[] {
  const rules = input.recordingRules;
  if (!rules || rules.deploy === 'none') return [];
  const what = `Fleet recording rules (rate window ${rules.rateWindow}): what the Fleet Monitoring backend's summary reads per cluster and queue.`;
  if (rules.deploy === 'prometheusRule') {
    return [
      file(
        RECORDING_FILES.rules,
        toYaml(
          prometheusRule(rules, input.namespace),
          `${what}\nFor a ruler you run that reads Thanos Query and writes into Receive, selecting labels ${JSON.stringify(rules.ruleLabels)}.`,
        ),
      ),
    ];
  }
  return [
    file(RECORDING_FILES.rules, toYaml(ruleFile(rules), what)),
    file(
      RECORDING_FILES.ruler,
      toYamlStream(
        rulerManifests({
          namespace: input.namespace,
          image: input.receiver.image,
          queryUrl: queryUrl(input.namespace),
          receiveUrl: receiveUrl(input.namespace),
          evaluationInterval: rules.evaluationInterval,
        }),
        `Thanos Ruler for ${input.cluster} (stateless): evaluates the fleet recording rules against Thanos Query and remote-writes them into Receive.`,
      ),
    ),
  ];
}

/** The Thanos objects of the overlay: receivers, Query, entry point, ServiceMonitors, placement. */
function thanosFiles(
  input: CentralInput,
  ctx: { version: ThanosVersion | undefined; entryPoint: EntryPoint },
  file: (name: string, content: string) => PlannedFile,
): PlannedFile[] {
  const r = input.receiver;
  return [
    file(
      CENTRAL_FILES.receivers,
      toYamlStream(
        receiverManifests({
          namespace: input.namespace,
          version: ctx.version,
          replicas: r.replicas,
          replicationFactor: r.replicationFactor,
          algorithm: r.algorithm,
          defaultTenant: input.tenant ?? input.cluster,
          memoryRequest: r.memoryRequest,
          memoryLimit: r.memoryLimit,
          storageSize: r.storageSize,
          retention: r.retention,
          image: r.image,
          objstore: input.objectStorage,
        }),
        `Thanos Receive for ${input.cluster}: ${r.replicas} replicas, replication factor ${r.replicationFactor}, ${r.algorithm} hashring.`,
      ),
    ),
    file(
      CENTRAL_FILES.query,
      toYamlStream(
        queryManifests({
          namespace: input.namespace,
          image: r.image,
          version: ctx.version,
          replicas: input.query.replicas,
          storeEndpoints: input.storeGateway
            ? [input.storeGateway.address]
            : [],
        }),
        `Thanos Query for ${input.cluster}: reads every receiver${input.storeGateway ? ' and the Store gateway' : ''} and deduplicates their replicas.`,
      ),
    ),
    file(
      CENTRAL_FILES.entryPoint,
      toYaml(
        entryPointManifest(ctx.entryPoint),
        `Where edge agents remote-write from outside the cluster (ready receivers only); auth: ${ctx.entryPoint.auth.type}.`,
      ),
    ),
    file(
      CENTRAL_FILES.serviceMonitors,
      toYamlStream(
        centralServiceMonitors(input),
        'What the central Prometheus scrapes of Thanos itself (the Receive and Query cards read these series).',
      ),
    ),
    file(
      CENTRAL_FILES.patches,
      toYaml(
        receiverPlacementPatch(input.namespace),
        'Per-cluster placement of the receivers (strategic merge patch).',
      ),
    ),
  ];
}
