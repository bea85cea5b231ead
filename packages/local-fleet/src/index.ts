export { LocalFleet } from './fleet';
export type { LocalFleetOptions } from './fleet';
export {
  PrometheusProcess,
  prometheusBinary,
  agentConfig,
  centralConfig,
} from './prometheus';
export { FleetSimulator, planClusters } from './simulator';
export {
  capacityOpenMetrics,
  capacitySeries,
  startBackfilledStore,
  startCapacityStore,
} from './capacity';
export {
  cardinalitySeries,
  explodingValues,
  startCardinalityFleet,
} from './cardinality';
export type {
  CardinalityCluster,
  CardinalityFleet,
  ExplodingMetric,
  SteadyMetric,
} from './cardinality';
export { ThanosTsdbStatusFake } from './fakes/thanosTsdbStatus';
export type { ThanosTsdbStatusFakeOptions } from './fakes/thanosTsdbStatus';
export type {
  CapacityRestart,
  CapacityScenario,
  CapacitySeries,
  CapacityStoreOptions,
  CapacityTenant,
} from './capacity';
export type {
  ClusterFault,
  ReceiveFault,
  SimulatedCluster,
  SimulatedService,
  SimulatorOptions,
} from './simulator';
export { writeSeries, decodeWriteRequest } from './remoteWrite';
export {
  plainSink,
  ReplicatedSink,
  receiverName,
  writeQuorum,
} from './replication';
export type { Batch, SeriesSink, ReplicationOptions } from './replication';
export { ThanosReceiveFake } from './fakes/thanosReceive';
export type { ThanosReceiveFakeOptions } from './fakes/thanosReceive';
export type { Timeseries, Sample } from './remoteWrite';
export { freePort, waitFor } from './ports';
export {
  ThanosQueryFake,
  defaultStores,
  dedupApplies,
} from './fakes/thanosQuery';
export type {
  FakeStoreEndpoint,
  ThanosQueryFakeOptions,
} from './fakes/thanosQuery';
export {
  startDemoFleet,
  demoArgoApps,
  demoKubernetes,
  DEMO_AGENT_CLUSTERS,
  DEMO_DOWN_RECEIVER,
} from './demo';
export type { DemoFleet, DemoFleetOptions } from './demo';
export * from './fakes/argocd';
export * from './fakes/kubernetes';
export { GithubFake } from './fakes/github';
export type {
  GithubFakeRepo,
  GithubFakePullRequest,
  GithubFakeOptions,
} from './fakes/github';
export {
  planTimeline,
  seededRandom,
  simulateQueue,
  startTimelineStore,
  timelineOpenMetrics,
} from './timeline';
export type {
  QueuePoint,
  TimelineClass,
  TimelineCluster,
  TimelineOptions,
  TimelinePhase,
} from './timeline';
export { DEMO_GITOPS_FILES, DEMO_GITOPS_INPUTS } from './demoGitops';
export { DEMO_EXPLODING_CLUSTER, demoExplodingMetric } from './demoExplosion';
