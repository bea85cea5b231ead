import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { ArgocdService } from '../argocd/ArgocdService';
import type { EntityAccess } from '../service/entityAccess';
import type { FleetHealthService } from '../service/FleetHealthService';
import { registerEntityActions } from './entityActions';
import { registerFleetActions } from './fleetActions';

/**
 * The plugin's main questions as actions (`fleet-monitoring:<name>`), for AI assistants through the
 * MCP actions backend and for the scaffolder. Read-only; permission-checked like the routes.
 */
export function registerFleetMonitoringActions(options: {
  actionsRegistry: ActionsRegistryService;
  access: EntityAccess;
  health: FleetHealthService;
  argocd: ArgocdService;
}) {
  registerFleetActions(options);
  registerEntityActions(options);
}
