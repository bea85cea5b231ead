/**
 * Fleet Monitoring frontend plugin. The default export is the plugin for Backstage's new frontend
 * system (`createApp({ features: [fleetMonitoringPlugin] })`); legacy apps import
 * `@fleet-monitoring/plugin-monitoring/legacy`.
 *
 * @packageDocumentation
 */
export { default } from './plugin';
export {
  fleetMonitoringApi,
  fleetPage,
  remoteWriteCard,
  thanosCard,
  metricsArrivingCard,
  argocdCard,
  kubernetesCard,
  gitopsLintCard,
  capacityCard,
  reconcileCard,
} from './plugin';
export { isCapacityAvailable } from './components/CapacityCard/available';
export { isReconcileAvailable } from './components/ReconcileCard/available';
export { fleetPageRouteRef } from './routes';
export {
  fleetMonitoringApiRef,
  FleetMonitoringClient,
  upstreamOfError,
} from './api';
export type {
  FleetMonitoringApi,
  FleetSummaryQuery,
  InstantSample,
  InstantVector,
  ReconciledFleetQuery,
} from './api';
export {
  TimeSeriesChart,
  StateBadge,
  ReasonList,
  DEFAULT_DOCS_BASE_URL,
} from './components/common';
export type { TimeSeriesChartProps } from './components/common';
// Availability checks, re-exported so one import is enough.
export {
  isRemoteWriteAvailable,
  isThanosAvailable,
  isMetricsArrivingAvailable,
  isArgocdAvailable,
  isKubernetesAvailable,
} from '@fleet-monitoring/plugin-monitoring-common';
