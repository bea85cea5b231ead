export { LocalFleet } from './fleet';
export type { LocalFleetOptions } from './fleet';
export { PrometheusProcess, prometheusBinary, agentConfig, centralConfig } from './prometheus';
export { FleetSimulator, planClusters } from './simulator';
export type {
  ClusterFault,
  ReceiveFault,
  SimulatedCluster,
  SimulatedService,
  SimulatorOptions,
} from './simulator';
export { writeSeries } from './remoteWrite';
export type { Timeseries, Sample } from './remoteWrite';
export { freePort, waitFor } from './ports';
