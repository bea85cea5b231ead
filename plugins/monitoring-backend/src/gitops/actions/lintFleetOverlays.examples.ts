import type { ActionExamples } from '../../actions';
import type { lintFleetOverlaysSchema } from './lintFleetOverlays';

/**
 * `fleet-monitoring:lint-fleet-overlays`: one edge overlay written in the reference material's
 * style (`server.enableAgentMode`, no remote write of its own) next to a good one.
 */
export const lintFleetOverlaysExamples: ActionExamples<
  typeof lintFleetOverlaysSchema
> = [
  {
    title: "One cluster's findings",
    description:
      "The overlay of cluster-09-edge still has the reference material's values: the chart ignores server.enableAgentMode, so a full server renders, and nothing is remote-written.",
    input: { cluster: 'cluster-09-edge' },
    output: {
      counts: { error: 3, warning: 1 },
      findings: [
        {
          rule: 'agent-flags',
          severity: 'error',
          path: 'deploy/overlays/cluster-09-edge/prometheus-agent/values.yaml',
          cluster: 'cluster-09-edge',
          message:
            'no server.defaultFlagsOverride: prometheus chart 25.11.0 starts a full Prometheus server, not an agent; set it to the agent flags (--enable-feature=agent, --storage.agent.path=/data, ...)',
          docs: 'plugins/overlay-lint/#agent-flags',
        },
        {
          rule: 'chart-ignored-key',
          severity: 'warning',
          path: 'deploy/overlays/cluster-09-edge/prometheus-agent/values.yaml',
          cluster: 'cluster-09-edge',
          message:
            'server.enableAgentMode is set: the prometheus chart has no server.enableAgentMode (its values.yaml at 25.11.0 and 26.0.0): a full server renders; agent mode comes from server.defaultFlagsOverride',
          docs: 'plugins/overlay-lint/#chart-ignored-key',
        },
        {
          rule: 'cluster-label',
          severity: 'error',
          path: 'deploy/overlays/cluster-09-edge/prometheus-agent/values.yaml',
          cluster: 'cluster-09-edge',
          message:
            'server.global.external_labels.cluster is not set: the series of cluster-09-edge carry no cluster label and the fleet cannot tell them apart',
          docs: 'plugins/overlay-lint/#cluster-label',
        },
        {
          rule: 'remote-write-missing',
          severity: 'error',
          path: 'deploy/overlays/cluster-09-edge/prometheus-agent/values.yaml',
          cluster: 'cluster-09-edge',
          message:
            'the agent of cluster-09-edge has no server.remoteWrite: it scrapes and sends nothing anywhere',
          docs: 'plugins/overlay-lint/#remote-write-missing',
        },
      ],
      overlays: 1,
    },
  },
];
