import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { z } from 'zod/v3';
import {
  baseFiles,
  CHARTS,
  helmChartEntry,
  OVERLAY_HEADER,
  parseBaseValues,
} from '../lib/charts';
import { parseInput, toActionSchema } from '../lib/errors';
import { readWorkspaceFile } from '../lib/files';
import {
  edgeRemoteWriteUrl,
  EntryPoint,
  entryPointManifest,
} from '../lib/entryPoint';
import {
  hashringProblems,
  initialHashrings,
  parseHashringFile,
} from '../lib/hashring';
import { deepMerge } from '../lib/merge';
import {
  annotations,
  baseDir,
  chartVersion,
  clusterName,
  DEFAULT_NAMESPACE,
  hostName,
  memoryQuantity,
  namespaceName,
  overlayDir,
  secretKey,
  secretName,
} from '../lib/names';
import { queryManifests, queryUrl } from '../lib/query';
import { commonOutput, overwriteInput, writeAndReport } from '../lib/run';
import {
  DEFAULT_THANOS_IMAGE,
  HASHRING_CONFIGMAP,
  HASHRING_FILE,
  receiverEndpoints,
  receiverManifests,
  receiverPlacementPatch,
  receiveUrl,
  RECEIVE_NAME,
} from '../lib/thanos';
import { centralBaseValues, centralOverlayValues } from '../lib/values';
import { toJson, toYaml, toYamlStream } from '../lib/yaml';
import { examples } from './createCentralOverlay.examples';
import { externalLabelsInput, regionInput, tenantInput } from './shared';

export const CREATE_CENTRAL_ID = 'fleet:overlay:create-central';

const inputShape = {
  cluster: clusterName.describe('Central cluster name (DNS-1123 label)'),
  tenant: tenantInput,
  region: regionInput,
  externalLabels: externalLabelsInput,
  namespace: namespaceName.default(DEFAULT_NAMESPACE),
  chartVersion: chartVersion
    .default(CHARTS.central.defaultVersion)
    .describe('Version of kube-prometheus-stack'),
  prometheusMemoryRequest: memoryQuantity.default('1Gi'),
  prometheusMemoryLimit: memoryQuantity.default('2Gi'),
  receiver: z
    .object({
      replicas: z.number().int().min(1).max(100).default(3),
      replicationFactor: z
        .number()
        .int()
        .min(1)
        .default(3)
        .describe('--receive.replication-factor (3 recommended for HA)'),
      algorithm: z
        .enum(['hashmod', 'ketama'])
        .default('ketama')
        .describe('--receive.hashrings-algorithm'),
      memoryRequest: memoryQuantity.default('2Gi'),
      memoryLimit: memoryQuantity.default('4Gi'),
      storageSize: memoryQuantity
        .default('50Gi')
        .describe('Size of each receiver volume'),
      retention: z
        .string()
        .regex(/^([0-9]+(ms|s|m|h|d|w|y))+$/, 'must be a duration')
        .default('15d'),
      image: z
        .string()
        .regex(/^[a-z0-9][a-z0-9./_:@-]*$/, 'must be an image reference')
        .default(DEFAULT_THANOS_IMAGE)
        .describe('Thanos image of the receivers and of Thanos Query'),
    })
    .default({})
    .refine(
      r => r.replicationFactor <= r.replicas,
      'replicationFactor cannot exceed replicas',
    ),
  objectStorage: z
    .object({
      secretName: secretName.describe(
        'Secret (in the namespace) holding the Thanos objstore config the receivers upload blocks with; not created here',
      ),
      key: secretKey
        .default('objstore.yml')
        .describe('Key of the objstore config in that Secret'),
    })
    .describe('Object storage of the receivers (upload is on)'),
  query: z
    .object({
      replicas: z.number().int().min(1).max(10).default(2),
    })
    .default({})
    .describe(
      'Thanos Query (deduplicates the replicas); Grafana and the Fleet Monitoring backend point at it',
    ),
  // One object with a refinement rather than a union: the scaffolder checks input against the JSON
  // schema first, and a union's error ("not any of subschema 0, 1") would not name the missing field.
  edgeEntryPoint: z
    .object({
      type: z
        .enum(['ingress', 'loadBalancer'])
        .describe(
          'ingress: an Ingress with TLS (needs host and tlsSecretName); loadBalancer: a LoadBalancer Service',
        ),
      host: hostName
        .optional()
        .describe(
          'Ingress host; edges remote-write to https://<host>/api/v1/receive',
        ),
      tlsSecretName: secretName
        .optional()
        .describe(
          'Ingress TLS Secret (tls.crt, tls.key) for that host; not created here',
        ),
      ingressClassName: z
        .string()
        .regex(
          /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
          'must be an IngressClass name',
        )
        .max(253)
        .optional(),
      annotations: annotations.describe(
        'Annotations of the Ingress or Service, e.g. TLS termination at a cloud load balancer',
      ),
    })
    .superRefine((e, c) => {
      if (e.type !== 'ingress') return;
      for (const key of ['host', 'tlsSecretName'] as const) {
        if (!e[key])
          c.addIssue({
            code: 'custom',
            path: [key],
            message: `an ingress entry point needs ${key}`,
          });
      }
    })
    .describe(
      'How edge agents reach the ready receivers from outside: an Ingress with TLS, or a LoadBalancer Service',
    ),
  overwrite: overwriteInput,
};
const inputSchema = z.object(inputShape);
export type CreateCentralInput = z.input<typeof inputSchema>;

/** fleet:overlay:create-central: kube-prometheus-stack plus Thanos Receive for a central cluster. */
export function createCentralOverlayAction() {
  return createTemplateAction({
    id: CREATE_CENTRAL_ID,
    description:
      'Writes deploy/overlays/<cluster>/kube-prometheus-stack/ (kube-prometheus-stack, Thanos Receive uploading to object storage, hashring ConfigMap, Thanos Query deduplicating the replicas, an edge remote-write entry point) and deploy/base/kube-prometheus-stack/ if missing',
    examples,
    supportsDryRun: true,
    schema: {
      input: toActionSchema(inputShape),
      output: toActionSchema({
        ...commonOutput,
        queryUrl: z
          .string()
          .describe('In-cluster URL of Thanos Query (Grafana, the backend)'),
        edgeRemoteWriteUrl: z
          .string()
          .describe(
            'URL edges remote-write to; empty for a LoadBalancer until it has an address',
          ),
      }),
    },
    // The explicit return type keeps TypeScript from inferring through the whole action (TS2589).
    async handler(ctx): Promise<void> {
      const input = parseInput(inputSchema, ctx.input, CREATE_CENTRAL_ID);
      const planned = await planCentralOverlay(ctx.workspacePath, input);
      await writeAndReport(ctx, {
        key: `${CREATE_CENTRAL_ID}:${input.cluster}`,
        files: planned.files,
        overwrite: input.overwrite,
        overlayPath: planned.overlayPath,
        warnings: planned.warnings,
      });
      ctx.output('queryUrl', planned.queryUrl);
      ctx.output('edgeRemoteWriteUrl', planned.edgeRemoteWriteUrl ?? '');
    },
  });
}

export async function planCentralOverlay(
  workspacePath: string,
  input: z.output<typeof inputSchema>,
) {
  const warnings: string[] = [];
  const r = input.receiver;
  if (r.replicationFactor === 1 && r.replicas > 1) {
    warnings.push(
      'replicationFactor 1: losing one receiver loses the samples it holds; 3 is recommended for HA',
    );
  }
  const e = input.edgeEntryPoint;
  const entryPoint: EntryPoint =
    e.type === 'ingress'
      ? {
          type: 'ingress',
          host: e.host!,
          tlsSecretName: e.tlsSecretName!,
          ingressClassName: e.ingressClassName,
          annotations: e.annotations,
        }
      : { type: 'loadBalancer', annotations: e.annotations };
  if (entryPoint.type === 'loadBalancer') {
    warnings.push(
      'edge entry point is a LoadBalancer on the plain-HTTP remote-write port: terminate TLS at the load balancer (annotations) or edges send samples and credentials in clear text',
    );
  }
  const tenant = input.tenant ?? input.cluster;
  const overlayPath = overlayDir(input.cluster, 'central');

  const basePath = `${baseDir('central')}/values.yaml`;
  const existingBase = await readWorkspaceFile(workspacePath, basePath);
  const baseValues =
    existingBase === undefined
      ? centralBaseValues()
      : parseBaseValues(existingBase, basePath);
  const values = deepMerge(
    baseValues,
    centralOverlayValues({
      cluster: input.cluster,
      externalLabels: {
        ...input.externalLabels,
        ...(input.region ? { region: input.region } : {}),
      },
      tenant,
      receiveUrl: receiveUrl(input.namespace),
      queryUrl: queryUrl(input.namespace),
      prometheusMemoryRequest: input.prometheusMemoryRequest,
      prometheusMemoryLimit: input.prometheusMemoryLimit,
    }),
  );

  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: input.namespace,
    helmCharts: [
      helmChartEntry('central', input.chartVersion, input.namespace),
    ],
    resources: [
      'thanos-receiver.yaml',
      'thanos-query.yaml',
      'edge-entrypoint.yaml',
    ],
    configMapGenerator: [
      {
        name: HASHRING_CONFIGMAP,
        files: [HASHRING_FILE],
        // Stable name: Thanos Receive watches the mounted file and reloads it, so a hashring change must
        // not roll every receiver (which a hash-suffixed name would do).
        options: { disableNameSuffixHash: true },
      },
    ],
    patches: [
      {
        path: 'patches.yaml',
        target: { kind: 'StatefulSet', name: RECEIVE_NAME },
      },
    ],
  };

  const hashringPath = `${overlayPath}/${HASHRING_FILE}`;
  // The hashring file belongs to fleet:hashring:register once it exists: never rewritten here, but
  // checked against the receivers this run writes.
  const existingHashrings = await readWorkspaceFile(
    workspacePath,
    hashringPath,
  );
  const hashringExists = existingHashrings !== undefined;
  if (hashringExists) {
    const problems = hashringProblems(
      parseHashringFile(existingHashrings, hashringPath),
      {
        namespace: input.namespace,
        replicas: r.replicas,
        replicationFactor: r.replicationFactor,
        algorithm: r.algorithm,
        endpoints: receiverEndpoints(input.namespace, r.replicas),
      },
    );
    warnings.push(
      ...problems.map(
        p => `${hashringPath} does not fit these receivers: ${p}`,
      ),
    );
  }

  const files = [
    ...(existingBase === undefined
      ? baseFiles(
          'central',
          input.chartVersion,
          input.namespace,
          centralBaseValues(),
        )
      : []),
    {
      path: `${overlayPath}/kustomization.yaml`,
      content: toYaml(
        kustomization,
        OVERLAY_HEADER(
          input.cluster,
          'kube-prometheus-stack + Thanos Receive',
          baseDir('central'),
        ),
      ),
    },
    {
      path: `${overlayPath}/values.yaml`,
      content: toYaml(
        values,
        `kube-prometheus-stack values for central cluster ${input.cluster}.`,
      ),
    },
    {
      path: `${overlayPath}/thanos-receiver.yaml`,
      content: toYamlStream(
        receiverManifests({
          namespace: input.namespace,
          replicas: r.replicas,
          replicationFactor: r.replicationFactor,
          algorithm: r.algorithm,
          defaultTenant: tenant,
          memoryRequest: r.memoryRequest,
          memoryLimit: r.memoryLimit,
          storageSize: r.storageSize,
          retention: r.retention,
          image: r.image,
          objstore: input.objectStorage,
        }),
        `Thanos Receive for ${input.cluster}: ${r.replicas} replicas, replication factor ${r.replicationFactor}, ${r.algorithm} hashring.`,
      ),
    },
    {
      path: `${overlayPath}/thanos-query.yaml`,
      content: toYamlStream(
        queryManifests({
          namespace: input.namespace,
          image: r.image,
          replicas: input.query.replicas,
        }),
        `Thanos Query for ${input.cluster}: reads every receiver and deduplicates their replicas.`,
      ),
    },
    {
      path: `${overlayPath}/edge-entrypoint.yaml`,
      content: toYaml(
        entryPointManifest(entryPoint),
        'Where edge agents remote-write from outside the cluster (ready receivers only).',
      ),
    },
    {
      path: `${overlayPath}/patches.yaml`,
      content: toYaml(
        receiverPlacementPatch(),
        'Per-cluster placement of the receivers (strategic merge patch).',
      ),
    },
    ...(hashringExists
      ? []
      : [
          {
            path: hashringPath,
            content: toJson(
              initialHashrings(
                receiverEndpoints(input.namespace, r.replicas),
                r.algorithm,
              ),
            ),
          },
        ]),
  ];
  return {
    files,
    overlayPath,
    warnings,
    queryUrl: queryUrl(input.namespace),
    edgeRemoteWriteUrl: edgeRemoteWriteUrl(entryPoint),
  };
}
