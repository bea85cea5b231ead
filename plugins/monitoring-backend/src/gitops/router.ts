import { fleetMonitoringFleetReadPermission } from '@fleet-monitoring/plugin-monitoring-common';
import type { EntityAccess } from '../core/entityAccess';
import { clusterQuestion } from '../core/entityQuestions';
import { ENTITY_PATH as ENTITY, FleetMonitoringRouter } from '../core/routing';
import type { GitopsService } from './GitopsService';

/**
 * `GET /gitops/lint`: the overlay lint of the GitOps repository (fleet permission);
 * `GET /entity/.../gitops-lint`: the findings of the entity's cluster (entity permission).
 */
export function addGitopsRoutes(
  router: FleetMonitoringRouter,
  options: { access: EntityAccess; gitops: GitopsService },
): void {
  const { access, gitops } = options;
  router.get('/gitops/lint', async (req, res) => {
    await access.requireBasic(req, fleetMonitoringFleetReadPermission);
    // The generated router has checked `cluster` against the document's pattern (400 naming it).
    res.json(await gitops.lint(req.query.cluster));
  });

  router.get(`${ENTITY}/gitops-lint`, async (req, res) => {
    const entity = await access.readEntity(req);
    res.json(await gitops.lint(clusterQuestion(entity)));
  });
}
