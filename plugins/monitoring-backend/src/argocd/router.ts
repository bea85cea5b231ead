import { InputError } from '@backstage/errors';
import type { EntityAccess } from '../core/entityAccess';
import { argocdQuestion } from '../core/entityQuestions';
import { ENTITY_PATH as ENTITY, FleetMonitoringRouter } from '../core/routing';
import type { ArgocdService } from './ArgocdService';

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

/** Entity-scoped ArgoCD routes; every one authenticates and checks the entity permission first. */
export function addArgocdRoutes(
  router: FleetMonitoringRouter,
  options: { access: EntityAccess; argocd: ArgocdService },
): void {
  const { access, argocd } = options;

  router.get(`${ENTITY}/argocd`, async (req, res) => {
    const entity = await access.readEntity(req);
    const selection = argocdQuestion(entity);
    res.json(await argocd.entityApps(selection));
  });

  router.get(
    `${ENTITY}/argocd/:instance/applications/:app/history`,
    async (req, res) => {
      const { instance, app } = req.params;
      if (!SEGMENT.test(instance) || !SEGMENT.test(app))
        throw new InputError('Invalid instance or application name');
      const entity = await access.readEntity(req);
      res.json(await argocd.history(argocdQuestion(entity), instance, app));
    },
  );
}
