/**
 * The fleet recording rules in a central overlay (issue #20): the rule group the Fleet Monitoring
 * backend reads its summary from at scale (common's fleetRecordingRules, the same builders as the
 * backend's raw queries), deployed either with a Thanos Ruler of its own (stateless: it queries
 * Thanos Query and remote-writes what it records into Receive) or as a PrometheusRule for a ruler
 * the user already runs. Off by default: the overlay is unchanged.
 */
import {
  CLUSTER_LABEL,
  fleetRecordingRuleGroup,
  RECORDED_CHAIN_BRIDGE,
  RecordingRuleGroup,
} from '@fleet-monitoring/plugin-monitoring-common';
import { z } from 'zod/v3';
import { kubernetesLabels } from './names';

/** File of the overlay holding the group (a rule file, or the PrometheusRule). */
export const RECORDING_RULES_FILE = 'fleet-recording-rules.yaml';
/** Labels of the PrometheusRule when the user names none. */
export const DEFAULT_RULE_LABELS = {
  'fleet-monitoring.io/recording-rules': 'fleet',
};
export const PROMETHEUS_RULE_NAME = 'fleet-monitoring-recording-rules';

const duration = (what: string) =>
  z
    .string()
    .regex(/^[1-9][0-9]*(s|m|h)$/, `${what} must be a duration such as 5m`);

const UNIT_SECONDS = { s: 1, m: 60, h: 3600 } as const;
/** Seconds of a duration that passed `duration()` (a number and one of s, m, h). */
function seconds(d: string): number {
  return Number(d.slice(0, -1)) * UNIT_SECONDS[d.slice(-1) as 's' | 'm' | 'h'];
}

/** The `recordingRules` input of fleet:overlay:create-central. */
export const recordingRulesInput = z
  .object({
    deploy: z
      .enum(['none', 'thanosRuler', 'prometheusRule'])
      .default('none')
      .describe(
        "none: no recording rules (the backend reads the agents' raw series); thanosRuler: a Thanos Ruler in the central's namespace (stateless: queries Thanos Query, remote-writes into Receive) with the fleet rule group; prometheusRule: the group as a PrometheusRule (monitoring.coreos.com/v1) for a ruler you run that reads Thanos Query",
      ),
    rateWindow: duration('rateWindow')
      .default('5m')
      .describe(
        "The Fleet Monitoring backend's fleetMonitoring.rateWindow: the range of every rate() in the group, and part of its series' names",
      ),
    clusterLabel: z
      .string()
      .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a Prometheus label name')
      .default(CLUSTER_LABEL)
      .describe(
        "The agents' cluster label (the backend's fleetMonitoring.clusterLabel)",
      ),
    evaluationInterval: duration('evaluationInterval')
      .default('1m')
      .describe('How often the group is evaluated (the ruler --eval-interval)'),
    ruleLabels: kubernetesLabels
      .default(DEFAULT_RULE_LABELS)
      .describe(
        "prometheusRule only: labels your ruler's ruleSelector picks. Not the central Prometheus' (release: kube-prometheus-stack): it does not hold the agents' series",
      ),
  })
  .superRefine((i, c) => {
    // The sticky inventory reads its own previous value back over the chain's bridge: an interval
    // that does not fit twice in it breaks the chain at the first missed evaluation, and the
    // backend then reads the day's inventory from the raw series.
    if (seconds(i.evaluationInterval) * 2 > seconds(RECORDED_CHAIN_BRIDGE))
      c.addIssue({
        code: 'custom',
        path: ['evaluationInterval'],
        message: `evaluationInterval must be at most half of ${RECORDED_CHAIN_BRIDGE} (the sticky inventory series read their previous value back over ${RECORDED_CHAIN_BRIDGE}; one missed evaluation must not break them)`,
      });
  })
  .default({})
  .describe(
    'Fleet recording rules: one pre-aggregated series per cluster and queue for the fleet summary, instead of raw rate()s over every agent series (for large fleets)',
  );

export type RecordingRulesInput = z.output<typeof recordingRulesInput>;

/** The fleet rule group for this input. */
export function recordingRuleGroup(i: RecordingRulesInput): RecordingRuleGroup {
  return fleetRecordingRuleGroup({
    clusterLabel: i.clusterLabel,
    window: i.rateWindow,
    interval: i.evaluationInterval,
  });
}

/** A Prometheus rule file holding the group (what Thanos Ruler's --rule-file reads). */
export function ruleFile(i: RecordingRulesInput) {
  return { groups: [recordingRuleGroup(i)] };
}

/** The group as a PrometheusRule, for the Prometheus Operator's rulers (ThanosRuler, Prometheus). */
export function prometheusRule(i: RecordingRulesInput, namespace: string) {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: PROMETHEUS_RULE_NAME,
      namespace,
      labels: i.ruleLabels,
    },
    spec: ruleFile(i),
  };
}
