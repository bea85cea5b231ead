export { lintOverlays } from './lint';
export {
  OVERLAY_LINT_PAGE,
  OVERLAY_LINT_RULES,
  OVERLAY_LINT_RULE_IDS,
  overlayLintDocsPath,
} from './rules';
export type {
  OverlayLintFinding,
  OverlayLintReport,
  OverlayLintRuleId,
  OverlayLintSeverity,
} from './rules';
export {
  AGENT_CHART_RANGE,
  IGNORED_AGENT_CHART_KEYS,
  agentModeFlag,
  prometheusAgentFlags,
  prometheusMajorOfChart,
} from './agent';
export { hashringProblems, staleHashringEndpoints } from './hashring';
export type {
  HashringEndpoint,
  HashringEntry,
  HashringProblem,
  HashringReceivers,
} from './hashring';
export { isReceiverStatefulSet, receiversFromManifests } from './receivers';
export type { ReceiversOfOverlay } from './receivers';
export { FLEET_COMPONENTS, baseDir, componentOf, overlayDir } from './layout';
export type { FleetRole } from './layout';
