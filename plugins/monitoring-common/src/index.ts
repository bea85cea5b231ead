/**
 * Shared by the Fleet Monitoring frontend and backend plugins.
 *
 * @packageDocumentation
 */
// Named lists where a module also holds helpers only common itself uses; a whole module where
// every export is read by another package (or is the generated API vocabulary).
export {
  CLUSTER_ANNOTATION,
  THANOS_COMPONENT_ANNOTATION,
  THANOS_SELECTOR_ANNOTATION,
  METRICS_SELECTOR_ANNOTATION,
  OPEN_WRITE_ENDPOINT_ANNOTATION,
  ARGOCD_APP_NAME_ANNOTATION,
  ARGOCD_APP_SELECTOR_ANNOTATION,
  ARGOCD_INSTANCE_NAME_ANNOTATION,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  clusterFromEntity,
  thanosInstanceFromEntity,
  metricsSelectorFromEntity,
  thanosSelectorFromEntity,
  thanosComponentFromEntity,
  isRemoteWriteAvailable,
  isThanosAvailable,
  isMetricsArrivingAvailable,
  isArgocdAvailable,
  isKubernetesAvailable,
} from './annotations';
export type { ThanosComponentKind } from './annotations';
export {
  fleetMonitoringEntityReadPermission,
  fleetMonitoringFleetReadPermission,
  fleetMonitoringQueryPermission,
  fleetMonitoringPermissions,
} from './permissions';
export {
  REASONS,
  REASON_IDS,
  STATE_ORDER,
  SEVERITY_STATE,
  worstState,
  rollUpStates,
  countStates,
  stateFromReasons,
  reasonDocsPath,
} from './health';
export type { TroubleshootingPage, ReasonId } from './health';
export * from './schema/openapi';
export * from './client';
export {
  SelectorError,
  isValidLabelName,
  escapeLabelValue,
  escapeRegex,
  oneOfMatcher,
  checkLabelValue,
  formatMatchers,
  parseSelector,
} from './promql';
export type { MatchOp, LabelMatcher } from './promql';
export {
  LabelSelectorError,
  parseLabelSelector,
  formatLabelSelector,
  matchesLabelSelector,
  argocdSelectionFromEntity,
} from './argocd';
export type {
  LabelSelectorOperator,
  LabelRequirement,
  ArgocdSelection,
} from './argocd';
export * from './kubernetes';
export * from './names';
export {
  UPSTREAM_METRICS,
  upstreamMetric,
  upstreamFamilyOf,
  upstreamHistogramSeries,
  upstreamLabelAllowed,
} from './upstreamMetrics';
export type {
  UpstreamComponent,
  UpstreamMetricType,
  UpstreamSource,
  UpstreamMetric,
  UpstreamMetricName,
} from './upstreamMetrics';
export { hiddenCharacterProblem } from './hiddenCharacters';
export {
  TENANT_LABEL,
  REMOTE_WRITE_SERIES,
  FLEET_QUEUE_SERIES,
  FLEET_TENANT_SERIES,
  queueLabels,
  perQueue,
  clusterTenants,
  lastSeenByTenant,
} from './fleetSeries';
export type {
  FleetSeriesScope,
  FleetQueueSeries,
  FleetTenantSeries,
} from './fleetSeries';
export {
  RECORDED_TENANT_LABEL,
  RECORDED_WINDOW_LABEL,
  RECORDED_INVENTORY_LOOKBACK,
  RECORDED_CHAIN_BRIDGE,
  recordedFleetSeries,
  fleetRecordingGroupName,
  fleetRecordingRuleGroup,
} from './fleetRecordingRules';
export type {
  RecordedFleetSeries,
  RecordedQueueSeries,
  RecordingRule,
  RecordingRuleGroup,
  FleetRecordingRulesOptions,
} from './fleetRecordingRules';
export * from './overlayLint';
export {
  RECONCILE_REASON_IDS,
  RECONCILE_SOURCES,
  PROMETHEUS_CHART_APP_VERSIONS,
  overlayFacts,
  overlayClusterLabel,
  sameVersion,
  hashringOfTenant,
  hashringRouter,
  namedTenants,
  catalogInfoSnippet,
} from './reconcile';
export type {
  ReconcileReasonId,
  OverlayFact,
  OverlayHashring,
} from './reconcile';
