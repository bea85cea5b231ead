import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { ArgocdEntityApps } from '@fleet-monitoring/plugin-monitoring-common';
import {
  entityRefSchema,
  READ_ONLY,
  reasonsSchema,
  stateSchema,
  upstreamErrorSchema,
} from '../../core/actionSchemas';
import type { EntityAccess } from '../../core/entityAccess';
import { argocdQuestion } from '../../core/entityQuestions';
import { entityForAction } from '../../core/entityRef';
import type { ArgocdService } from '../ArgocdService';
import { getArgocdStateExamples } from './getArgocdState.examples';
import type { ActionZod } from '../../actions';

/** The action's answer: the entity's applications with their state, and the instances that failed. */
export function argocdStateOutput(apps: ArgocdEntityApps) {
  return {
    state: apps.state,
    reasons: apps.reasons,
    applications: apps.applications,
    errors: apps.errors,
  };
}

/** What the action takes and answers; the registry lists both as JSON schema. */
export const getArgocdStateSchema = {
  input: (z: ActionZod) => z.object({ entityRef: entityRefSchema(z) }),
  output: (z: ActionZod) =>
    z.object({
      state: stateSchema(z),
      reasons: reasonsSchema(z),
      applications: z.array(
        z.object({
          instance: z.string(),
          name: z.string(),
          syncStatus: z.string(),
          healthStatus: z.string(),
          revision: z.string().optional(),
          lastDeployedAt: z.string().optional(),
          state: stateSchema(z),
          uiUrl: z.string(),
        }),
      ),
      errors: z.array(upstreamErrorSchema(z)),
    }),
};

/** `fleet-monitoring:get-argocd-state`: sync and health of the applications an entity names. */
export function registerGetArgocdStateAction(
  actionsRegistry: ActionsRegistryService,
  deps: { access: EntityAccess; argocd: ArgocdService },
) {
  actionsRegistry.register({
    name: 'get-argocd-state',
    title: 'Get the ArgoCD state of an entity',
    description:
      'Sync and health of the ArgoCD applications a catalog entity names (argocd/app-name or argocd/app-selector), across the configured ArgoCD instances, with reasons and fixes.',
    attributes: READ_ONLY,
    examples: getArgocdStateExamples,
    schema: getArgocdStateSchema,
    async action({ input, credentials }) {
      const selection = argocdQuestion(
        await entityForAction(
          deps.access,
          credentials,
          input.entityRef,
          'component',
        ),
      );
      const apps = await deps.argocd.entityApps(selection);
      return { output: argocdStateOutput(apps) };
    },
  });
}
