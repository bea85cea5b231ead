import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { argocdQuestion } from '../entityQuestions';
import type { EntityAccess } from '../service/entityAccess';
import type { ArgocdService } from './ArgocdService';

const ENTITY = '/entity/:kind/:namespace/:name';
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

/** Entity-scoped ArgoCD routes; every one authenticates and checks the entity permission first. */
export function createArgocdRouter(options: {
  access: EntityAccess;
  argocd: ArgocdService;
}): express.Router {
  const { access, argocd } = options;
  const router = Router();

  router.get(`${ENTITY}/argocd`, async (req, res) => {
    const entity = await access.readEntity(req);
    const selection = argocdQuestion(entity);
    res.json(await argocd.entityApps(selection));
  });

  const appRoute = (suffix: 'history' | 'resources') =>
    router.get(
      `${ENTITY}/argocd/:instance/applications/:app/${suffix}`,
      async (req, res) => {
        const { instance, app } = req.params;
        if (!SEGMENT.test(instance) || !SEGMENT.test(app))
          throw new InputError('Invalid instance or application name');
        const entity = await access.readEntity(req);
        const selection = argocdQuestion(entity);
        res.json(
          suffix === 'history'
            ? await argocd.history(selection, instance, app)
            : await argocd.resources(selection, instance, app),
        );
      },
    );
  appRoute('history');
  appRoute('resources');
  return router;
}
