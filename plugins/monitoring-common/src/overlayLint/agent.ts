/**
 * What makes the `prometheus` chart run a Prometheus AGENT, per chart version. One home for the rule:
 * the scaffolder writes these flags (create-edge) and the lint checks overlays against them.
 *
 * Sources: prometheus-community/helm-charts `prometheus-25.11.0` ships Prometheus v2.49.1,
 * `prometheus-26.0.0` ships v3.0.0; Prometheus v3 dropped `--enable-feature=agent` for `--agent`
 * (prometheus `docs/migration.md`) and, not in agent mode, exits on the agent-only
 * `--storage.agent.path`. The chart has no `server.enableAgentMode` key (its values.yaml at both
 * tags): a value there is ignored and a full server renders.
 */

/**
 * Chart versions the agent values were checked against: 25.x ships Prometheus v2, from 26.0.0 v3.
 * @public
 */
export const AGENT_CHART_RANGE = { min: 25, firstV3: 26 } as const;

/**
 * Major version of the Prometheus a `prometheus` chart version ships; undefined for a version that
 * is not semver or older than {@link AGENT_CHART_RANGE}.min (not checked).
 * @public
 */
export function prometheusMajorOfChart(
  chartVersion: string,
): 2 | 3 | undefined {
  const m = /^v?(\d+)\.\d+\.\d+/.exec(chartVersion.trim());
  if (!m) return undefined;
  const major = Number(m[1]);
  if (major < AGENT_CHART_RANGE.min) return undefined;
  return major >= AGENT_CHART_RANGE.firstV3 ? 3 : 2;
}

/** The flag that turns agent mode on for a Prometheus major version. @public */
export const agentModeFlag = (major: 2 | 3): string =>
  major === 3 ? '--agent' : '--enable-feature=agent';

/**
 * The agent's command line (`server.defaultFlagsOverride`): the chart's default server flags
 * replaced by agent-mode ones.
 * @public
 */
export function prometheusAgentFlags(major: 2 | 3): string[] {
  return [
    agentModeFlag(major),
    '--config.file=/etc/config/prometheus.yml',
    '--storage.agent.path=/data',
    '--web.enable-lifecycle',
  ];
}

/**
 * Keys of the `prometheus` chart's values that the chart does not know, so they change nothing,
 * with what to use instead. The reference material's `server.enableAgentMode` is the one we met.
 * @public
 */
export const IGNORED_AGENT_CHART_KEYS: Record<string, string> = {
  'server.enableAgentMode':
    'the prometheus chart has no server.enableAgentMode (its values.yaml at 25.11.0 and 26.0.0): a full server renders; agent mode comes from server.defaultFlagsOverride',
};
