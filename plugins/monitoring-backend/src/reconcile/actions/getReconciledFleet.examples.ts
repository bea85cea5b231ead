import type { ActionExamples } from '../../actions';
import type { getReconciledFleetSchema } from './getReconciledFleet';

/**
 * `fleet-monitoring:get-reconciled-fleet`: the fixture GitOps repository has two edge overlays,
 * ArgoCD syncs one, and Thanos cannot be reached: the overlay without an Application is named,
 * and no cluster is called a ghost while the series cannot be read.
 */
export const getReconciledFleetExamples: ActionExamples<
  typeof getReconciledFleetSchema
> = [
  {
    title: 'Overlays no Application syncs',
    description:
      'cluster-09-edge has an overlay in git but no ArgoCD Application: changes to it reach no cluster. Thanos is unreachable, so the remote-write and Receive columns are unknown rather than empty.',
    input: { reason: ['reconcile-no-application'] },
    output: {
      total: 1,
      counts: { 'upstream-unreachable': 2, 'reconcile-no-application': 1 },
      sources: [
        { source: 'catalog', status: 'ok' },
        { source: 'gitops', status: 'ok' },
        { source: 'argocd', status: 'ok' },
        { source: 'remote-write', status: 'failed' },
        { source: 'receive', status: 'failed' },
        { source: 'kubernetes', status: 'not-configured' },
        { source: 'capacity', status: 'failed' },
      ],
      clusters: [
        {
          cluster: 'cluster-09-edge',
          state: 'degraded',
          knownFrom: ['gitops'],
          reasons: [
            {
              id: 'reconcile-no-application',
              message:
                'deploy/overlays/cluster-09-edge/prometheus-agent is in git but no ArgoCD Application syncs it: changes to it reach no cluster',
            },
            {
              id: 'upstream-unreachable',
              message: 'thanos:default: connection refused',
            },
          ],
        },
      ],
    },
  },
];
