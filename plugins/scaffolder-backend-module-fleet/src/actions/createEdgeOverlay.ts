import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { z } from 'zod/v3';
import { CHARTS } from '../lib/charts';
import {
  commonOutput,
  overwriteInput,
  writeAndReport,
} from '../lib/actionOutput';
import { parseInput, toActionSchema } from '../lib/actionSchema';
import {
  chartVersion,
  clusterName,
  DEFAULT_NAMESPACE,
  httpUrl,
  memoryQuantity,
  metricNameRegex,
  namespaceName,
  podFilePath,
  secretKey,
  secretName,
} from '../lib/names';
import { workspaceReader } from '../lib/workspace';
import { planEdgeOverlay } from '../plan/edgeOverlay';
import { examples } from './createEdgeOverlay.examples';
import { externalLabelsInput, regionInput, tenantInput } from './shared';

/** @public */
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
      type: z
        .enum(['none', 'basic', 'bearer', 'mtls'])
        .default('none')
        .describe(
          "What the central's entry point checks (create-central's edgeAuth output): basic, bearer, mtls (client certificate) or none",
        ),
      secretName: secretName
        .optional()
        .describe(
          'Secret holding the password (basic), token (bearer) or client certificate (mtls: kubernetes.io/tls, tls.crt and tls.key); mounted as files, never inlined',
        ),
      username: z
        .string()
        .max(253)
        .optional()
        .describe('Basic auth user name (not a secret)'),
      passwordKey: secretKey.default('password'),
      tokenKey: secretKey.default('token'),
      certKey: secretKey.default('tls.crt'),
      keyKey: secretKey.default('tls.key'),
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
/** @public */
export type CreateEdgeInput = z.input<typeof inputSchema>;
export type EdgeInput = z.output<typeof inputSchema>;
export { inputSchema as edgeInputSchema };

/**
 * fleet:overlay:create-edge: a Prometheus agent overlay remote-writing to the central Thanos Receive.
 *
 * @public
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
      const planned = await planEdgeOverlay(
        workspaceReader(ctx.workspacePath),
        input,
      );
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
