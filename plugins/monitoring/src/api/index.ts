export { fleetMonitoringApiRef } from './FleetMonitoringApi';
export type {
  FleetMonitoringApi,
  FleetSummaryQuery,
  InstantSample,
  ReconciledFleetQuery,
  InstantVector,
} from './FleetMonitoringApi';
export {
  FleetMonitoringClient,
  BACKEND_PLUGIN_ID,
} from './FleetMonitoringClient';
export {
  upstreamOfError,
  statusOfError,
  backendMessage,
} from './upstreamError';
