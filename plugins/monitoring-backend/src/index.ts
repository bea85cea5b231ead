/**
 * Fleet Monitoring backend plugin: Thanos Query proxy and server-side fleet health.
 *
 * @packageDocumentation
 */
export { fleetMonitoringPlugin as default } from './plugin';
export { readFleetMonitoringConfig, DEFAULT_THRESHOLDS } from './config';
export type {
  FleetMonitoringConfig,
  HoldWindow,
  ReceiveThresholds,
  RemoteWriteThresholds,
  SummaryRefreshConfig,
  SummarySourceSetting,
  ThanosInstanceConfig,
  Thresholds,
} from './config';
