export * from './createFleetMonitoringFetchClient';
