/**
 * A GitOps repository for the tests (the layout the scaffolder writes): a good edge overlay
 * (cluster-02-edge) and one still in the reference material's style (cluster-09-edge:
 * `server.enableAgentMode`, no flags, no identity, no remote write). Written as JSON, which is YAML.
 */
const YAML = { stringify: (v: unknown) => `${JSON.stringify(v, null, 2)}\n` };
const chart = {
  name: 'prometheus',
  repo: 'https://prometheus-community.github.io/helm-charts',
  version: '25.11.0',
  releaseName: 'prometheus-agent',
  namespace: 'monitoring',
  valuesFile: 'values.yaml',
};
const agentBase = {
  server: {
    defaultFlagsOverride: [
      '--enable-feature=agent',
      '--config.file=/etc/config/prometheus.yml',
      '--storage.agent.path=/data',
      '--web.enable-lifecycle',
    ],
  },
  serverFiles: { 'prometheus.yml': { rule_files: [] } },
  alertmanager: { enabled: false },
};
const kustomization = YAML.stringify({
  apiVersion: 'kustomize.config.k8s.io/v1beta1',
  kind: 'Kustomization',
  namespace: 'monitoring',
  helmCharts: [chart],
});

export const GOOD_EDGE = 'cluster-02-edge';
export const BAD_EDGE = 'cluster-09-edge';

export const fixtureRepoFiles: Record<string, string> = {
  'README.md': '# fleet-gitops\n',
  'deploy/base/prometheus-agent/kustomization.yaml': kustomization,
  'deploy/base/prometheus-agent/values.yaml': YAML.stringify(agentBase),
  [`deploy/overlays/${GOOD_EDGE}/prometheus-agent/kustomization.yaml`]:
    kustomization,
  [`deploy/overlays/${GOOD_EDGE}/prometheus-agent/values.yaml`]: YAML.stringify(
    {
      ...agentBase,
      server: {
        ...agentBase.server,
        global: { external_labels: { cluster: GOOD_EDGE } },
        remoteWrite: [
          {
            name: 'thanos-receive',
            url: 'https://receive.example.com/api/v1/receive',
            headers: { 'THANOS-TENANT': GOOD_EDGE },
            queue_config: { retry_on_http_429: true },
          },
        ],
      },
    },
  ),
  [`deploy/overlays/${BAD_EDGE}/prometheus-agent/kustomization.yaml`]:
    kustomization,
  [`deploy/overlays/${BAD_EDGE}/prometheus-agent/values.yaml`]: YAML.stringify({
    server: { enableAgentMode: true },
    serverFiles: { 'prometheus.yml': { rule_files: [] } },
    alertmanager: { enabled: false },
  }),
};
