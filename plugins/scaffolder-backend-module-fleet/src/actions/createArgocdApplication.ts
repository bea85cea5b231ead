import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { z } from 'zod/v3';
import {
  applicationManifest,
  applicationPath,
  ARGOCD_NAMESPACE,
} from '../lib/argocd';
import { parseInput, toActionSchema } from '../lib/actionSchema';
import { CHARTS } from '../lib/charts';
import { readWorkspaceFile } from '../lib/files';
import {
  appName,
  clusterName,
  DEFAULT_NAMESPACE,
  dnsLabel,
  httpUrl,
  namespaceName,
  overlayDir,
} from '../lib/names';
import {
  commonOutput,
  overwriteInput,
  writeAndReport,
} from '../lib/actionOutput';
import { toYaml } from '../lib/yaml';
import { examples } from './createArgocdApplication.examples';

/** @public */
export const CREATE_ARGOCD_APP_ID = 'fleet:argocd:create-application';

const inputShape = {
  cluster: clusterName,
  role: z
    .enum(['edge', 'central'])
    .describe(
      'edge: prometheus-agent overlay; central: kube-prometheus-stack overlay',
    ),
  repoUrl: httpUrl.describe('Git repository ArgoCD syncs from (https)'),
  targetRevision: z
    .string()
    .regex(/^[A-Za-z0-9._/-]+$/, 'must be a branch, tag or commit')
    .default('HEAD'),
  project: dnsLabel('ArgoCD project').default('default'),
  destinationServer: httpUrl
    .optional()
    .describe('API server URL of the target cluster (default: in-cluster)'),
  destinationName: dnsLabel('destination name')
    .optional()
    .describe('Or: the cluster name registered in ArgoCD'),
  namespace: namespaceName
    .default(DEFAULT_NAMESPACE)
    .describe('Destination namespace'),
  argocdNamespace: namespaceName
    .default(ARGOCD_NAMESPACE)
    .describe('Namespace of the Application object'),
  automated: z.boolean().default(true).describe('Automated sync'),
  prune: z.boolean().default(true),
  selfHeal: z.boolean().default(true),
  kustomizeVersion: z
    .string()
    .regex(/^v[0-9]+\.[0-9]+\.[0-9]+$/, 'must look like v5.5.0')
    .optional()
    .describe(
      'Selects kustomize.path.<version> / kustomize.buildOptions.<version> from argocd-cm',
    ),
  trackingMethod: z
    .enum(['annotation', 'label', 'annotation+label'])
    .default('annotation')
    .describe(
      "application.resourceTrackingMethod in the syncing ArgoCD's argocd-cm (annotation is the default from ArgoCD 3.0). Label tracking rewrites app.kubernetes.io/instance, which kube-prometheus-stack's ServiceMonitors select on, so a central needs annotation tracking",
    ),
  overwrite: overwriteInput,
};
const inputSchema = z
  .object(inputShape)
  .refine(
    i => !(i.destinationServer && i.destinationName),
    'give destinationServer or destinationName, not both',
  );
export type CreateArgocdApplicationInput = z.input<typeof inputSchema>;

/**
 * fleet:argocd:create-application: the ArgoCD Application that syncs a cluster's overlay.
 *
 * @public
 */
export function createArgocdApplicationAction() {
  return createTemplateAction({
    id: CREATE_ARGOCD_APP_ID,
    description:
      'Writes deploy/argocd/apps/<cluster>-<component>.yaml (component: prometheus-agent or kube-prometheus-stack), an ArgoCD Application syncing deploy/overlays/<cluster>/<component> (needs kustomize.buildOptions: --enable-helm in argocd-cm)',
    examples,
    supportsDryRun: true,
    schema: {
      input: toActionSchema(inputShape),
      output: toActionSchema({
        ...commonOutput,
        applicationName: z.string(),
        applicationPath: z.string(),
      }),
    },
    // The explicit return type keeps TypeScript from inferring through the whole action (TS2589).
    async handler(ctx): Promise<void> {
      const input = parseInput(inputSchema, ctx.input, CREATE_ARGOCD_APP_ID);
      const overlayPath = overlayDir(input.cluster, input.role);
      ctx.logger.info(
        'ArgoCD renders helmCharts only with `kustomize.buildOptions: --enable-helm` in argocd-cm',
      );
      const name = appName(input.cluster, input.role);
      refuseLabelTracking(input.role, input.trackingMethod, name);
      const warnings = await applicationWarnings(
        ctx.workspacePath,
        input,
        overlayPath,
        name,
      );
      const path = applicationPath(input.cluster, input.role);
      const manifest = applicationManifest({
        cluster: input.cluster,
        role: input.role,
        overlayPath,
        repoUrl: input.repoUrl,
        targetRevision: input.targetRevision,
        project: input.project,
        destination: {
          server: input.destinationName
            ? undefined
            : (input.destinationServer ?? 'https://kubernetes.default.svc'),
          name: input.destinationName,
          namespace: input.namespace,
        },
        automated: input.automated,
        prune: input.prune,
        selfHeal: input.selfHeal,
        kustomizeVersion: input.kustomizeVersion,
        argocdNamespace: input.argocdNamespace,
      });
      await writeAndReport(ctx, {
        key: `${CREATE_ARGOCD_APP_ID}:${input.cluster}:${input.role}`,
        files: [
          {
            path,
            content: toYaml(
              manifest,
              [
                `ArgoCD Application for ${name}; a parent app-of-apps can point at deploy/argocd/apps.`,
                ...(input.role === 'central'
                  ? [
                      'Needs annotation tracking (argocd-cm application.resourceTrackingMethod: annotation, the default from ArgoCD 3.0).',
                    ]
                  : []),
                'Needs `kustomize.buildOptions: --enable-helm` in argocd-cm (the overlay uses helmCharts).',
              ].join('\n'),
            ),
          },
        ],
        overwrite: input.overwrite,
        overlayPath,
        warnings,
      });
      ctx.output('applicationName', name);
      ctx.output('applicationPath', path);
    },
  });
}

/**
 * With label tracking ArgoCD sets `app.kubernetes.io/instance: <Application name>` on every object it
 * syncs. kube-prometheus-stack's ServiceMonitors (kube-state-metrics, node-exporter, Grafana, the
 * operator) select their Services on `app.kubernetes.io/instance: <Helm release>`, so with an
 * Application named `<cluster>-kube-prometheus-stack` they lose their targets
 * (prometheus-community/helm-charts#3375, #3128). The Application cannot be named after the release
 * (one per cluster in one ArgoCD namespace), so a central needs annotation tracking (ArgoCD's default
 * from 3.0, docs/operator-manual/upgrading/2.14-3.0.md). An edge's chart selects no ServiceMonitors.
 */
function refuseLabelTracking(
  role: 'edge' | 'central',
  method: 'annotation' | 'label' | 'annotation+label',
  name: string,
) {
  if (role !== 'central' || method === 'annotation') return;
  throw new InputError(
    `trackingMethod ${method}: ArgoCD would set app.kubernetes.io/instance=${name} on kube-prometheus-stack's Services, and the chart's ServiceMonitors (selecting app.kubernetes.io/instance=${CHARTS.central.releaseName}) would lose their targets; set application.resourceTrackingMethod: annotation in argocd-cm (the default from ArgoCD 3.0) and pass trackingMethod: annotation`,
  );
}

/** What is worth a look before the Application syncs: a missing overlay, a name label tracking cannot carry. */
async function applicationWarnings(
  workspacePath: string,
  input: z.output<typeof inputSchema>,
  overlayPath: string,
  name: string,
): Promise<string[]> {
  const warnings: string[] = [];
  if (
    !(await readWorkspaceFile(
      workspacePath,
      `${overlayPath}/kustomization.yaml`,
    ))
  ) {
    warnings.push(
      `${overlayPath}/kustomization.yaml is not in the workspace; the Application will not sync until it exists in the repository`,
    );
  }
  if (name.length > 63 && input.trackingMethod !== 'annotation') {
    warnings.push(
      `Application name ${name} is longer than 63 characters: ArgoCD's label tracking (app.kubernetes.io/instance) cannot carry it; use annotation tracking (application.resourceTrackingMethod: annotation, the default since ArgoCD 3.0) or a shorter cluster name`,
    );
  }
  return warnings;
}
