import { InputError } from '@backstage/errors';
import { Entity } from '@backstage/catalog-model';
import {
  ARGOCD_APP_NAME_ANNOTATION,
  ARGOCD_APP_SELECTOR_ANNOTATION,
  argocdSelectionFromEntity,
  ArgocdSelection,
  LabelSelectorError,
} from '@fleet-monitoring/plugin-monitoring-common';
import express from 'express';
import Router from 'express-promise-router';
import type { EntityAccess } from '../service/entityAccess';
import type { ArgocdService } from './ArgocdService';

const ENTITY = '/entity/:kind/:namespace/:name';
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

export function selectionOf(entity: Entity): ArgocdSelection {
  let selection: ArgocdSelection | undefined;
  try {
    selection = argocdSelectionFromEntity(entity);
  } catch (e) {
    if (e instanceof LabelSelectorError) throw new InputError(e.message);
    throw e;
  }
  if (!selection) {
    throw new InputError(
      `Entity has neither ${ARGOCD_APP_NAME_ANNOTATION} nor ${ARGOCD_APP_SELECTOR_ANNOTATION}; add e.g. "${ARGOCD_APP_SELECTOR_ANNOTATION}: app.kubernetes.io/part-of=fleet"`,
    );
  }
  return selection;
}

/** Entity-scoped ArgoCD routes; every one authenticates and checks the entity permission first. */
export function createArgocdRouter(options: {
  access: EntityAccess;
  argocd: ArgocdService;
}): express.Router {
  const { access, argocd } = options;
  const router = Router();

  router.get(`${ENTITY}/argocd`, async (req, res) => {
    const entity = await access.readEntity(req);
    const selection = selectionOf(entity);
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
        const selection = selectionOf(entity);
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
