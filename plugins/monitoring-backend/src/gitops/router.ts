import { fleetMonitoringFleetReadPermission } from '@fleet-monitoring/plugin-monitoring-common';
import type { EntityAccess } from '../core/entityAccess';
import type { FleetMonitoringRouter } from '../core/routing';
import type { GitopsService } from './GitopsService';

/** `GET /gitops/lint`: the overlay lint of the GitOps repository (fleet permission). */
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
}
