export { RECONCILE_REASON_IDS } from './reasons';
export type { ReconcileReasonId } from './reasons';
export {
  PROMETHEUS_CHART_APP_VERSIONS,
  overlayFacts,
  overlayClusterLabel,
  sameVersion,
} from './overlayFacts';
export type { OverlayFact, OverlayHashring } from './overlayFacts';
export { hashringOfTenant, hashringRouter, namedTenants } from './routing';
export { catalogInfoSnippet } from './catalogSnippet';
export { RECONCILE_SOURCES } from './sources';
