/**
 * Scaffolder backend module for Fleet Monitoring: actions that write Kustomize + Helm overlays for
 * Prometheus-agent edge clusters and kube-prometheus-stack + Thanos Receive central clusters, register
 * tenants in the Receive hashring and create the ArgoCD Applications that sync them.
 *
 * @packageDocumentation
 */
export { scaffolderModuleFleet as default } from './module';
export {
  createEdgeOverlayAction,
  CREATE_EDGE_ID,
  type CreateEdgeInput,
} from './actions/createEdgeOverlay';
export {
  createCentralOverlayAction,
  CREATE_CENTRAL_ID,
  type CreateCentralInput,
} from './actions/createCentralOverlay';
export {
  registerHashringAction,
  REGISTER_HASHRING_ID,
} from './actions/registerHashring';
export {
  createArgocdApplicationAction,
  CREATE_ARGOCD_APP_ID,
} from './actions/createArgocdApplication';
export { lintOverlaysAction, LINT_OVERLAYS_ID } from './actions/lintOverlays';
export {
  dropSeriesAction,
  DROP_SERIES_ID,
  type DropSeriesInput,
} from './actions/dropSeries';
export { hashringFileSchema, type HashringFile } from './lib/hashring';
export { planFleet, type FleetPlan } from './plan/fleet';
