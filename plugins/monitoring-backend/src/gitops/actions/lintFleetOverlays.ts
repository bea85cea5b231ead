import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { fleetMonitoringFleetReadPermission } from '@fleet-monitoring/plugin-monitoring-common';
import { READ_ONLY } from '../../core/actionSchemas';
import type { EntityAccess } from '../../core/entityAccess';
import type { GitopsService } from '../GitopsService';
import { lintFleetOverlaysExamples } from './lintFleetOverlays.examples';
import type { ActionZod } from '../../actions';

/** What the action takes and answers; the registry lists both as JSON schema. */
export const lintFleetOverlaysSchema = {
  input: (z: ActionZod) =>
    z.object({
      cluster: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/)
        .optional()
        .describe(
          "Only this cluster's findings (its overlay directory name); the whole repository when absent",
        ),
    }),
  output: (z: ActionZod) =>
    z.object({
      counts: z
        .object({ error: z.number(), warning: z.number() })
        .describe('Findings per severity'),
      findings: z
        .array(
          z.object({
            rule: z
              .string()
              .describe('Rule id; each has a section on the overlay lint page'),
            severity: z.string().describe('error or warning'),
            path: z.string().describe('File in the GitOps repository'),
            cluster: z.string().optional(),
            message: z.string().describe('What is wrong and the fix'),
            docs: z.string().describe('Docs path of the rule'),
          }),
        )
        .describe('Every finding'),
      overlays: z
        .number()
        .describe(
          'Overlay directories read (deploy/overlays/<cluster>/<component>)',
        ),
    }),
};

/** `fleet-monitoring:lint-fleet-overlays`: the overlay lint of the GitOps repository (fleet permission). */
export function registerLintFleetOverlaysAction(
  actionsRegistry: ActionsRegistryService,
  deps: { access: EntityAccess; gitops: GitopsService },
) {
  actionsRegistry.register({
    name: 'lint-fleet-overlays',
    title: 'Lint the fleet overlays in the GitOps repository',
    description:
      'Lints the Kustomize + Helm overlays of every cluster in the configured GitOps repository (deploy/overlays/<cluster>/<component>, deploy/base) with the rules the scaffolder writes by: agent flags for the chart version, keys the chart ignores, retry_on_http_429, tenant header and cluster label equal to the directory, hashring vs replication factor, namespace transformers, Receive self-monitoring. Each finding names its fix.',
    attributes: READ_ONLY,
    examples: lintFleetOverlaysExamples,
    visibilityPermission: fleetMonitoringFleetReadPermission,
    schema: lintFleetOverlaysSchema,
    async action({ input, credentials }) {
      await deps.access.authorizeBasic(
        credentials,
        fleetMonitoringFleetReadPermission,
      );
      const lint = await deps.gitops.lint(input.cluster);
      return {
        output: {
          counts: lint.counts,
          findings: lint.findings,
          overlays: lint.overlays.length,
        },
      };
    },
  });
}
