import type {
  ActionsRegistryActionExample,
  ActionsRegistryService,
} from '@backstage/backend-plugin-api/alpha';
import { registerGetArgocdStateAction } from './argocd/actions/getArgocdState';
import type { ArgocdService } from './argocd/ArgocdService';
import { registerGetCapacityAction } from './capacity/actions/getCapacity';
import { registerGetCapacityAtRiskAction } from './capacity/actions/getCapacityAtRisk';
import { registerGetTopSeriesAction } from './capacity/actions/getTopSeries';
import type { CapacityService } from './capacity/CapacityService';
import type { EntityAccess } from './core/entityAccess';
import { registerLintFleetOverlaysAction } from './gitops/actions/lintFleetOverlays';
import type { GitopsService } from './gitops/GitopsService';
import { registerGetMetricsArrivingAction } from './metricsArriving/actions/getMetricsArriving';
import type { MetricsArrivingService } from './metricsArriving/MetricsArrivingService';
import { registerGetClusterRemoteWriteHealthAction } from './remoteWrite/actions/getClusterRemoteWriteHealth';
import { registerGetFleetHealthAction } from './remoteWrite/actions/getFleetHealth';
import type { RemoteWriteService } from './remoteWrite/RemoteWriteService';
import { registerGetReconciledFleetAction } from './reconcile/actions/getReconciledFleet';
import type { ReconcileService } from './reconcile/ReconcileService';
import { registerGetThanosHealthAction } from './thanosComponents/actions/getThanosHealth';
import type { ThanosComponentService } from './thanosComponents/ThanosComponentService';

/** The zod the actions registry hands to an action's schema factories (its own copy). */
export type ActionZod = Parameters<
  Parameters<ActionsRegistryService['register']>[0]['schema']['input']
>[0];

/** Documented calls of an action, typed by its own input and output schemas; each gives its answer. */
export type ActionExamples<
  S extends Pick<
    Parameters<ActionsRegistryService['register']>[0]['schema'],
    'input' | 'output'
  >,
> = Array<
  Required<
    ActionsRegistryActionExample<
      ReturnType<S['input']>,
      ReturnType<S['output']>
    >
  >
>;

/**
 * The plugin's main questions as actions (`fleet-monitoring:<name>`), for AI assistants through the
 * MCP actions backend and for the scaffolder. Read-only; permission-checked like the routes: the
 * fleet-wide ones need the fleet permission, the entity ones read the entity with the caller's
 * credentials and check the entity permission.
 */
export function registerFleetMonitoringActions(
  actionsRegistry: ActionsRegistryService,
  deps: {
    access: EntityAccess;
    remoteWrite: RemoteWriteService;
    thanosComponents: ThanosComponentService;
    metricsArriving: MetricsArrivingService;
    argocd: ArgocdService;
    gitops: GitopsService;
    capacity: CapacityService;
    reconcile: ReconcileService;
  },
) {
  registerGetFleetHealthAction(actionsRegistry, deps);
  registerGetThanosHealthAction(actionsRegistry, deps);
  registerGetClusterRemoteWriteHealthAction(actionsRegistry, deps);
  registerGetMetricsArrivingAction(actionsRegistry, deps);
  registerGetArgocdStateAction(actionsRegistry, deps);
  registerLintFleetOverlaysAction(actionsRegistry, deps);
  registerGetCapacityAction(actionsRegistry, deps);
  registerGetReconciledFleetAction(actionsRegistry, deps);
  registerGetTopSeriesAction(actionsRegistry, deps);
  registerGetCapacityAtRiskAction(actionsRegistry, deps);
}
