/**
 * Fleet Monitoring frontend plugin (legacy frontend system). The new frontend system's plugin is the
 * default export of `@fleet-monitoring/plugin-monitoring/alpha`.
 *
 * @packageDocumentation
 */
export {
  fleetMonitoringPlugin,
  FleetMonitoringPage,
  EntityRemoteWriteCard,
  EntityThanosCard,
  EntityMetricsArrivingCard,
  EntityArgocdCard,
} from './plugin';
export { fleetPageRouteRef } from './routes';
export {
  fleetMonitoringApiRef,
  FleetMonitoringClient,
  FleetMonitoringError,
  isFleetMonitoringError,
} from './api';
export type { FleetMonitoringApi } from './api';
export {
  Sparkline,
  StateBadge,
  ReasonList,
  DEFAULT_DOCS_BASE_URL,
} from './components/common';
export type { SparklineProps } from './components/common';
// Availability checks for EntitySwitch, re-exported so one import is enough.
export {
  isRemoteWriteAvailable,
  isThanosAvailable,
  isMetricsArrivingAvailable,
  isArgocdAvailable,
} from '@fleet-monitoring/plugin-monitoring-common';
