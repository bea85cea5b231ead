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
import { deepMerge } from '../lib/merge';
import {
  baseDir,
  chartVersion,
  clusterName,
  DEFAULT_NAMESPACE,
  httpUrl,
  memoryQuantity,
  metricNameRegex,
  namespaceName,
  overlayDir,
  podFilePath,
  secretKey,
  secretName,
} from '../lib/names';
import { commonOutput, overwriteInput, writeAndReport } from '../lib/run';
import {
  agentBaseValues,
  agentOverlayValues,
  RemoteWriteAuth,
} from '../lib/values';
import { toYaml } from '../lib/yaml';
import { examples } from './createEdgeOverlay.examples';
import { externalLabelsInput, regionInput, tenantInput } from './shared';

export const CREATE_EDGE_ID = 'fleet:overlay:create-edge';

const inputShape = {
  cluster: clusterName.describe(
    'Cluster name (DNS-1123 label); also the `cluster` external label',
  ),
  remoteWriteUrl: httpUrl.describe(
    'Remote-write URL of the central Thanos Receive, e.g. https://receive.example.com/api/v1/receive',
  ),
  tenant: tenantInput,
  region: regionInput,
  externalLabels: externalLabelsInput,
  namespace: namespaceName
    .default(DEFAULT_NAMESPACE)
    .describe('Namespace the agent runs in'),
  chartVersion: chartVersion
    .default(CHARTS.edge.defaultVersion)
    .describe(
      'Version of the prometheus chart (>= 25.0.0); from 26.0.0 it ships Prometheus v3 and the agent runs with --agent',
    ),
  tls: z
    .object({
      caSecretName: secretName
        .optional()
        .describe(
          'Secret with the CA certificate of the receiver; mounted into the agent',
        ),
      caKey: secretKey
        .default('ca.crt')
        .describe('Key of the CA certificate in that Secret'),
      caFile: podFilePath
        .optional()
        .describe('Or: path of a CA file already present in the agent pod'),
      serverName: z
        .string()
        .max(253)
        .optional()
        .describe('Server name for certificate verification (SNI)'),
      insecureSkipVerify: z
        .boolean()
        .default(false)
        .describe(
          'Skip certificate verification (self-signed receivers only; produces a warning)',
        ),
    })
    .default({})
    .refine(
      t => !(t.caSecretName && t.caFile),
      'give either caSecretName or caFile, not both',
    ),
  auth: z
    .object({
      type: z.enum(['none', 'basic', 'bearer']).default('none'),
      secretName: secretName
        .optional()
        .describe(
          'Secret holding the password or token; mounted as files, never inlined',
        ),
      username: z
        .string()
        .max(253)
        .optional()
        .describe('Basic auth user name (not a secret)'),
      passwordKey: secretKey.default('password'),
      tokenKey: secretKey.default('token'),
    })
    .default({})
    .superRefine((a, c) => {
      if (a.type !== 'none' && !a.secretName)
        c.addIssue({
          code: 'custom',
          message: `${a.type} auth needs secretName`,
        });
      if (a.type === 'basic' && !a.username)
        c.addIssue({ code: 'custom', message: 'basic auth needs username' });
    }),
  queue: z
    .object({
      capacity: z.number().int().positive().default(10000),
      maxShards: z.number().int().positive().default(50),
      maxSamplesPerSend: z.number().int().positive().default(2000),
      batchSendDeadline: z
        .string()
        .regex(/^([0-9]+(ms|s|m|h))+$/, 'must be a Prometheus duration')
        .default('5s'),
      retryOnHttp429: z
        .boolean()
        .default(true)
        .describe(
          'queue_config.retry_on_http_429: retry batches Thanos Receive refuses with 429 (tenant above its series limit) instead of dropping them',
        ),
    })
    .default({}),
  dropMetrics: z
    .array(metricNameRegex)
    .default([])
    .describe('Metric name regexes dropped before remote write'),
  memoryRequest: memoryQuantity
    .default('512Mi')
    .describe('Memory request of the agent'),
  memoryLimit: memoryQuantity
    .default('1Gi')
    .describe('Memory limit of the agent'),
  overwrite: overwriteInput,
};
const inputSchema = z.object(inputShape);
export type CreateEdgeInput = z.input<typeof inputSchema>;

/**
 * fleet:overlay:create-edge: a Prometheus agent overlay remote-writing to the central Thanos Receive.
 */
export function createEdgeOverlayAction() {
  return createTemplateAction({
    id: CREATE_EDGE_ID,
    description:
      'Writes deploy/overlays/<cluster>/prometheus-agent/ (Kustomize + prometheus chart in agent mode for its Prometheus major version, remote-writing to Thanos Receive) and deploy/base/prometheus-agent/ if missing',
    examples,
    supportsDryRun: true,
    schema: {
      input: toActionSchema(inputShape),
      output: toActionSchema(commonOutput),
    },
    // The explicit return type keeps TypeScript from inferring through the whole action (TS2589).
    async handler(ctx): Promise<void> {
      const input = parseInput(inputSchema, ctx.input, CREATE_EDGE_ID);
      const planned = await planEdgeOverlay(ctx.workspacePath, input);
      await writeAndReport(ctx, {
        key: `${CREATE_EDGE_ID}:${input.cluster}`,
        files: planned.files,
        overwrite: input.overwrite,
        overlayPath: planned.overlayPath,
        warnings: planned.warnings,
      });
    },
  });
}

/** Computes the files of an edge overlay (pure apart from reading an existing base values.yaml). */
export async function planEdgeOverlay(
  workspacePath: string,
  input: z.output<typeof inputSchema>,
) {
  const warnings: string[] = [];
  if (input.tls.insecureSkipVerify) {
    warnings.push(
      `TLS certificate verification is disabled for ${input.remoteWriteUrl} (insecure_skip_verify); use a CA instead outside of tests`,
    );
  }
  if (new URL(input.remoteWriteUrl).protocol === 'http:') {
    warnings.push(
      `remote write to ${input.remoteWriteUrl} is plain http: samples and credentials travel unencrypted`,
    );
  }

  const base = baseFiles(
    'edge',
    input.chartVersion,
    input.namespace,
    agentBaseValues(input.chartVersion),
  );
  const basePath = `${baseDir('edge')}/values.yaml`;
  const existingBase = await readWorkspaceFile(workspacePath, basePath);
  const baseValues =
    existingBase === undefined
      ? agentBaseValues(input.chartVersion)
      : parseBaseValues(existingBase, basePath);

  const overlayPath = overlayDir(input.cluster, 'edge');
  const values = deepMerge(
    baseValues,
    agentOverlayValues({
      cluster: input.cluster,
      chartVersion: input.chartVersion,
      externalLabels: {
        ...input.externalLabels,
        ...(input.region ? { region: input.region } : {}),
      },
      remoteWriteUrl: input.remoteWriteUrl,
      tenant: input.tenant ?? input.cluster,
      tls: input.tls,
      auth: toAuth(input.auth),
      queue: input.queue,
      dropMetrics: input.dropMetrics,
      memoryRequest: input.memoryRequest,
      memoryLimit: input.memoryLimit,
    }),
  );

  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: input.namespace,
    helmCharts: [helmChartEntry('edge', input.chartVersion, input.namespace)],
  };
  const files = [
    // The base is only created when missing: it is shared by every edge cluster.
    ...(existingBase === undefined ? base : []),
    {
      path: `${overlayPath}/kustomization.yaml`,
      content: toYaml(
        kustomization,
        OVERLAY_HEADER(input.cluster, 'prometheus-agent', baseDir('edge')),
      ),
    },
    {
      path: `${overlayPath}/values.yaml`,
      content: toYaml(
        values,
        `prometheus chart values for the agent of cluster ${input.cluster}:\n` +
          `${baseDir('edge')}/values.yaml merged with this cluster's identity, remote write and memory.`,
      ),
    },
  ];
  return { files, overlayPath, warnings };
}

function toAuth(a: z.output<typeof inputSchema>['auth']): RemoteWriteAuth {
  if (a.type === 'basic') {
    return {
      type: 'basic',
      secretName: a.secretName!,
      username: a.username!,
      passwordKey: a.passwordKey,
    };
  }
  if (a.type === 'bearer')
    return { type: 'bearer', secretName: a.secretName!, tokenKey: a.tokenKey };
  return { type: 'none' };
}
