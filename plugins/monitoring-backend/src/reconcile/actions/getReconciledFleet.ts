import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { fleetMonitoringFleetReadPermission } from '@fleet-monitoring/plugin-monitoring-common';
import type { ActionZod } from '../../actions';
import { READ_ONLY } from '../../core/actionSchemas';
import type { EntityAccess } from '../../core/entityAccess';
import { reconcilePage } from '../page';
import type { ReconcileService } from '../ReconcileService';
import { getReconciledFleetExamples } from './getReconciledFleet.examples';

/** What the action takes and answers; the registry lists both as JSON schema. */
export const getReconciledFleetSchema = {
  input: (z: ActionZod) =>
    z.object({
      instance: z
        .string()
        .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
        .optional()
        .describe('Thanos instance; the default one when absent'),
      reason: z
        .array(z.string().regex(/^[a-z0-9-]{1,64}$/))
        .max(40)
        .optional()
        .describe(
          'Only clusters carrying one of these reason ids, e.g. reconcile-broke-after-sync, reconcile-not-in-catalog, reconcile-never-seen; capacity is any capacity-* reason (a tenant at its head-series limit or reaching it within 7 days)',
        ),
      limit: z
        .number()
        .int()
        .min(1)
        .max(200)
        .optional()
        .describe('Clusters to answer, at most 200 (default 50)'),
    }),
  output: (z: ActionZod) =>
    z.object({
      total: z.number().describe('Clusters matching the filter'),
      counts: z
        .record(z.string(), z.number())
        .describe('Clusters per reason id, over the whole fleet'),
      sources: z
        .array(
          z.object({
            source: z.string(),
            status: z.string().describe('ok, failed or not-configured'),
          }),
        )
        .describe(
          'Which sources answered; a failed one leaves its columns unknown',
        ),
      clusters: z
        .array(
          z.object({
            cluster: z.string(),
            state: z.string(),
            knownFrom: z.array(z.string()),
            reasons: z
              .array(z.object({ id: z.string(), message: z.string() }))
              .describe(
                'Each id has a section on the reconciliation troubleshooting page',
              ),
            changedBy: z
              .string()
              .optional()
              .describe(
                'The ArgoCD sync named as the likely cause of a remote-write break',
              ),
          }),
        )
        .describe('The clusters, by name'),
    }),
};

/**
 * `fleet-monitoring:get-reconciled-fleet`: the catalog, GitOps overlays, ArgoCD, remote write and
 * Receive joined per cluster, with ghosts, gaps and drift named (fleet permission).
 */
export function registerGetReconciledFleetAction(
  actionsRegistry: ActionsRegistryService,
  deps: { access: EntityAccess; reconcile: ReconcileService },
) {
  actionsRegistry.register({
    name: 'get-reconciled-fleet',
    title: 'Get the reconciled fleet',
    description:
      'Joins, per cluster, the catalog Resource and owner, the overlay in the GitOps repository, the ArgoCD Applications, the remote-write state, the Receive tenant and limit and the agent pods, and names what does not add up: clusters in the catalog never seen, clusters sending without a catalog entry, overlays without an Application, Applications out of sync, tenants not routed, two clusters under one cluster label, agent version or external labels differing from git, and a remote-write break right after an ArgoCD sync (with the revision).',
    attributes: READ_ONLY,
    examples: getReconciledFleetExamples,
    visibilityPermission: fleetMonitoringFleetReadPermission,
    schema: getReconciledFleetSchema,
    async action({ input, credentials }) {
      await deps.access.authorizeBasic(
        credentials,
        fleetMonitoringFleetReadPermission,
      );
      const page = reconcilePage(await deps.reconcile.fleet(input.instance), {
        reason: input.reason,
        limit: input.limit ?? 50,
      });
      return {
        output: {
          total: page.page.total,
          counts: page.counts.reasons,
          sources: page.sources.map(s => ({
            source: s.source,
            status: s.status,
          })),
          clusters: page.clusters.map(c => ({
            cluster: c.cluster,
            state: c.state,
            knownFrom: c.knownFrom,
            reasons: c.reasons.map(r => ({ id: r.id, message: r.message })),
            ...(c.changedBy
              ? {
                  changedBy: `${c.changedBy.app} synced ${c.changedBy.revision} at ${c.changedBy.deployedAt}${c.changedBy.author ? ` (${c.changedBy.author})` : ''}${c.changedBy.revisionUrl ? ` ${c.changedBy.revisionUrl}` : ''}`,
                }
              : {}),
          })),
        },
      };
    },
  });
}
