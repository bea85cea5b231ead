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
  annotations,
  chartVersion,
  clusterName,
  DEFAULT_NAMESPACE,
  dnsLabel,
  hostName,
  httpUrl,
  kubernetesLabels,
  memoryQuantity,
  namespaceName,
  secretKey,
  secretName,
  storeApiAddress,
} from '../lib/names';
import { DEFAULT_THANOS_IMAGE } from '../lib/thanosReceive';
import { workspaceReader } from '../lib/workspace';
import { recordingRulesInput } from '../lib/recordingRules';
import { planCentralOverlay } from '../plan/centralOverlay';
import { examples } from './createCentralOverlay.examples';
import { externalLabelsInput, regionInput, tenantInput } from './shared';

/** @public */
export const CREATE_CENTRAL_ID = 'fleet:overlay:create-central';

/** A Thanos component the user runs (not deployed here) that the central Prometheus should scrape. */
const scrapedComponent = (what: string) =>
  z.object({
    namespace: dnsLabel('namespace')
      .optional()
      .describe(`Namespace of the ${what} Service (default: the central's)`),
    serviceLabels: kubernetesLabels.describe(
      `Labels that select the ${what} Service (one Service)`,
    ),
    metricsPort: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Service port name')
      .max(15)
      .default('http')
      .describe('Name of its HTTP port serving /metrics'),
  });

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
        .describe(
          'Thanos image of the receivers and of Thanos Query; its version decides the write quorum (PodDisruptionBudget) and how Query is given its endpoints',
        ),
    })
    .default({})
    .refine(r => r.replicationFactor <= r.replicas, {
      message:
        'replicationFactor cannot exceed replicas (every copy needs its own receiver): lower replicationFactor or raise replicas',
    }),
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
  storeGateway: scrapedComponent('Store gateway')
    .extend({
      address: storeApiAddress.describe(
        'Store API (gRPC) address Query reads older blocks from, e.g. thanos-store.monitoring.svc.cluster.local:10901 or dnssrv+_grpc._tcp.thanos-store.monitoring.svc.cluster.local',
      ),
    })
    .optional()
    .describe(
      "A Thanos Store gateway you run over the same bucket: Query reads it (blocks older than the receivers' retention) and the central Prometheus scrapes it",
    ),
  compactor: scrapedComponent('Compactor')
    .optional()
    .describe('A Thanos Compactor you run: the central Prometheus scrapes it'),
  // One object with refinements rather than a union: the scaffolder checks input against the JSON
  // schema first, and a union's error ("not any of subschema 0, 1") would not name the missing field.
  edgeEntryPoint: z
    .object({
      type: z
        .enum(['ingress', 'loadBalancer'])
        .describe(
          'ingress: an Ingress with TLS (needs host and tlsSecretName); loadBalancer: a LoadBalancer Service (no authentication possible)',
        ),
      auth: z
        .enum(['basic', 'mtls', 'bearer', 'none'])
        .describe(
          'How the entry point checks who writes: basic (htpasswd Secret at the ingress), mtls (client certificates against a CA Secret), bearer (ingress-nginx auth-url), none (an open endpoint: recorded on the catalog entity)',
        ),
      authSecretName: secretName
        .optional()
        .describe(
          'basic: Secret with the htpasswd file (key `auth`); mtls: Secret with the client CA (key `ca.crt`); in the namespace, not created here',
        ),
      authUrl: httpUrl
        .optional()
        .describe(
          'bearer: URL of a service that answers 2xx for a valid Authorization header (ingress-nginx auth-url)',
        ),
      tls: z
        .enum(['loadBalancer', 'none'])
        .optional()
        .describe(
          'loadBalancer type only: loadBalancer when the load balancer terminates TLS (annotations), none for plain HTTP',
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
      'How edge agents reach the ready receivers from outside, and how it authenticates them',
    ),
  recordingRules: recordingRulesInput,
  overwrite: overwriteInput,
};
const inputSchema = z.object(inputShape);
/** @public */
export type CreateCentralInput = z.input<typeof inputSchema>;
export type CentralInput = z.output<typeof inputSchema>;
export { inputSchema as centralInputSchema };

/**
 * fleet:overlay:create-central: kube-prometheus-stack plus Thanos Receive for a central cluster.
 *
 * @public
 */
export function createCentralOverlayAction() {
  return createTemplateAction({
    id: CREATE_CENTRAL_ID,
    description:
      'Writes deploy/overlays/<cluster>/kube-prometheus-stack/ (kube-prometheus-stack; Thanos Receive uploading to object storage with a PodDisruptionBudget keeping the write quorum; hashring ConfigMap; Thanos Query deduplicating the replicas and reading a Store gateway you name; ServiceMonitors for Receive, Query, Store gateway and Compactor; an authenticated edge entry point) and deploy/base/kube-prometheus-stack/ if missing',
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
        edgeAuth: z
          .string()
          .describe(
            'What edges must send (create-edge `auth.type`): basic, mtls, bearer or none',
          ),
        openWriteEndpoint: z
          .boolean()
          .describe(
            'True when anyone who reaches the entry point can write (auth: none); the template records it as the fleet-monitoring.io/open-write-endpoint annotation',
          ),
      }),
    },
    // The explicit return type keeps TypeScript from inferring through the whole action (TS2589).
    async handler(ctx): Promise<void> {
      const input = parseInput(inputSchema, ctx.input, CREATE_CENTRAL_ID);
      const planned = await planCentralOverlay(
        workspaceReader(ctx.workspacePath),
        input,
      );
      await writeAndReport(ctx, {
        key: `${CREATE_CENTRAL_ID}:${input.cluster}`,
        files: planned.files,
        overwrite: input.overwrite,
        overlayPath: planned.overlayPath,
        warnings: planned.warnings,
      });
      ctx.output('queryUrl', planned.queryUrl);
      ctx.output('edgeRemoteWriteUrl', planned.edgeRemoteWriteUrl ?? '');
      ctx.output('edgeAuth', planned.edgeAuth);
      ctx.output('openWriteEndpoint', planned.openWriteEndpoint);
    },
  });
}
