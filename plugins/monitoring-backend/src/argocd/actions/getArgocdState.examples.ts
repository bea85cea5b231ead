import type { ActionExamples } from '../../actions';
import type { getArgocdStateSchema } from './getArgocdState';

/** `fleet-monitoring:get-argocd-state`: an entity whose application is out of sync and degraded. */
export const getArgocdStateExamples: ActionExamples<
  typeof getArgocdStateSchema
> = [
  {
    title: "An entity's ArgoCD application",
    description:
      'The entity names its application in argocd/app-name (or argocd/app-selector); every configured instance is asked.',
    input: { entityRef: 'component:default/checkout' },
    output: {
      state: 'failing',
      reasons: [
        {
          id: 'argocd-out-of-sync',
          severity: 'warning',
          message: 'checkout is OutOfSync: the live state differs from Git.',
          hints: [
            'Check the changes in the Git repository (target revision vs. the live revision).',
            'Compare desired and live state: argocd app diff checkout',
            'Sync by hand: argocd app sync checkout',
            'Check that the sync policy is automated (spec.syncPolicy.automated).',
          ],
        },
        {
          id: 'argocd-degraded',
          severity: 'critical',
          message: 'checkout is Degraded.',
          hints: [
            'Find the unhealthy resources: argocd app get checkout (or the resources view).',
          ],
        },
      ],
      applications: [
        {
          instance: 'main',
          name: 'checkout',
          syncStatus: 'OutOfSync',
          healthStatus: 'Degraded',
          state: 'failing',
          uiUrl: 'https://argocd.example.com/applications/argocd/checkout',
        },
      ],
      errors: [],
    },
  },
];
