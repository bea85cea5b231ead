import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { lintOverlays } from './lint';
import {
  OVERLAY_LINT_PAGE,
  OVERLAY_LINT_RULE_IDS,
  OverlayLintRuleId,
} from './rules';

/**
 * Each rule fires on a bad overlay and stays silent on the good one. The good repository is written
 * by hand in the layout the scaffolder writes (its own output is linted in the scaffolder's tests).
 */
const EDGE = 'deploy/overlays/cluster-02-edge/prometheus-agent';
const CENTRAL = 'deploy/overlays/cluster-01-central/kube-prometheus-stack';
const RECEIVER_LABELS = {
  'app.kubernetes.io/name': 'thanos-receive',
  'app.kubernetes.io/component': 'receive',
};

const y = (v: unknown) => YAML.stringify(v);
const ys = (...v: unknown[]) => v.map(y).join('---\n');

function edgeValues(cluster = 'cluster-02-edge') {
  return {
    server: {
      defaultFlagsOverride: [
        '--enable-feature=agent',
        '--config.file=/etc/config/prometheus.yml',
        '--storage.agent.path=/data',
        '--web.enable-lifecycle',
      ],
      global: { external_labels: { cluster, region: 'eu-1' } },
      remoteWrite: [
        {
          name: 'thanos-receive',
          url: 'https://receive.example.com/api/v1/receive',
          headers: { 'THANOS-TENANT': cluster },
          queue_config: { retry_on_http_429: true },
        },
      ],
    },
    serverFiles: { 'prometheus.yml': { rule_files: [] } },
    alertmanager: { enabled: false },
  };
}

const helmChart = (name: string, version: string) => ({
  name,
  repo: 'https://prometheus-community.github.io/helm-charts',
  version,
  releaseName: name === 'prometheus' ? 'prometheus-agent' : name,
  namespace: 'monitoring',
  valuesFile: 'values.yaml',
});

function receiverStatefulSet(replicas = 3, rf = 3, algorithm = 'ketama') {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: {
      name: 'thanos-receive',
      namespace: 'monitoring',
      labels: RECEIVER_LABELS,
    },
    spec: {
      replicas,
      selector: { matchLabels: RECEIVER_LABELS },
      template: {
        metadata: { labels: RECEIVER_LABELS },
        spec: {
          containers: [
            {
              name: 'thanos-receive',
              args: [
                'receive',
                `--receive.replication-factor=${rf}`,
                `--receive.hashrings-algorithm=${algorithm}`,
              ],
            },
          ],
        },
      },
    },
  };
}

const receiverService = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {
    name: 'thanos-receive',
    namespace: 'monitoring',
    labels: {
      ...RECEIVER_LABELS,
      'fleet-monitoring.io/scraped': 'thanos-receive',
    },
  },
  spec: { clusterIP: 'None', selector: RECEIVER_LABELS },
};

const receiveMonitor = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: { name: 'thanos-receive', namespace: 'monitoring' },
  spec: {
    selector: {
      matchLabels: { 'fleet-monitoring.io/scraped': 'thanos-receive' },
    },
    endpoints: [{ port: 'http' }],
  },
};

const endpoints = (n: number) =>
  Array.from(
    { length: n },
    (_, i) =>
      `thanos-receive-${i}.thanos-receive.monitoring.svc.cluster.local:10901`,
  );

function goodRepo(): Record<string, string> {
  return {
    'README.md': '# fleet',
    'deploy/base/prometheus-agent/kustomization.yaml': y({
      namespace: 'monitoring',
      helmCharts: [helmChart('prometheus', '25.11.0')],
    }),
    'deploy/base/prometheus-agent/values.yaml': y({
      server: {
        defaultFlagsOverride: edgeValues().server.defaultFlagsOverride,
      },
      serverFiles: { 'prometheus.yml': { rule_files: [] } },
      alertmanager: { enabled: false },
    }),
    [`${EDGE}/kustomization.yaml`]: y({
      namespace: 'monitoring',
      helmCharts: [helmChart('prometheus', '25.11.0')],
    }),
    [`${EDGE}/values.yaml`]: y(edgeValues()),
    [`${CENTRAL}/kustomization.yaml`]: y({
      helmCharts: [helmChart('kube-prometheus-stack', '58.0.0')],
      resources: ['thanos-receiver.yaml', 'servicemonitors.yaml'],
      patches: [
        {
          path: 'patches.yaml',
          target: { kind: 'StatefulSet', name: 'thanos-receive' },
        },
      ],
    }),
    [`${CENTRAL}/values.yaml`]: y({
      prometheus: {
        prometheusSpec: {
          externalLabels: { cluster: 'cluster-01-central' },
          remoteWrite: [
            {
              url: 'http://thanos-receive-write.monitoring.svc.cluster.local:19291/api/v1/receive',
              headers: { 'THANOS-TENANT': 'cluster-01-central' },
            },
          ],
        },
      },
    }),
    [`${CENTRAL}/thanos-receiver.yaml`]: ys(
      receiverService,
      receiverStatefulSet(),
    ),
    [`${CENTRAL}/servicemonitors.yaml`]: y(receiveMonitor),
    [`${CENTRAL}/patches.yaml`]: y({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'thanos-receive', namespace: 'monitoring' },
    }),
    [`${CENTRAL}/hashrings.json`]: JSON.stringify([
      { hashring: 'default', endpoints: endpoints(3), algorithm: 'ketama' },
    ]),
  };
}

type Case = {
  rule: OverlayLintRuleId;
  what: string;
  bad: (files: Record<string, string>) => void;
  path?: string;
  message: RegExp;
  severity?: 'error' | 'warning';
};

const editYaml = (
  files: Record<string, string>,
  p: string,
  edit: (v: any) => void,
) => {
  const v = YAML.parse(files[p]);
  edit(v);
  files[p] = y(v);
};

const CASES: Case[] = [
  {
    rule: 'yaml-invalid',
    what: 'a values file that does not parse',
    bad: f => {
      f[`${EDGE}/values.yaml`] = 'server: [unclosed\n';
    },
    path: `${EDGE}/values.yaml`,
    message: /does not parse/,
  },
  {
    rule: 'overlay-layout',
    what: 'an overlay directory without kustomization.yaml',
    bad: f => {
      delete f[`${EDGE}/kustomization.yaml`];
    },
    path: EDGE,
    message: /has no kustomization\.yaml/,
    severity: 'warning',
  },
  {
    rule: 'overlay-layout',
    what: 'a file directly in the cluster directory',
    bad: f => {
      f['deploy/overlays/cluster-02-edge/values.yaml'] = y({});
    },
    path: 'deploy/overlays/cluster-02-edge/values.yaml',
    message: /not inside a component directory/,
    severity: 'warning',
  },
  {
    rule: 'agent-flags',
    what: 'an agent without defaultFlagsOverride',
    bad: f =>
      editYaml(f, `${EDGE}/values.yaml`, v => {
        delete v.server.defaultFlagsOverride;
      }),
    path: `${EDGE}/values.yaml`,
    message: /starts a full Prometheus server/,
  },
  {
    rule: 'agent-flags',
    what: 'the v2 agent flag on a chart that ships Prometheus v3',
    bad: f =>
      editYaml(f, `${EDGE}/kustomization.yaml`, v => {
        v.helmCharts[0].version = '27.0.0';
      }),
    path: `${EDGE}/values.yaml`,
    message: /ships Prometheus v3, which needs --agent/,
  },
  {
    rule: 'agent-flags',
    what: "the chart's default rule files left in",
    bad: f =>
      editYaml(f, 'deploy/base/prometheus-agent/values.yaml', v => {
        delete v.serverFiles;
      }),
    path: 'deploy/base/prometheus-agent/values.yaml',
    message: /rule_files is not \[\]/,
  },
  {
    rule: 'agent-flags',
    what: 'alertmanager left enabled',
    bad: f =>
      editYaml(f, `${EDGE}/values.yaml`, v => {
        v.alertmanager.enabled = true;
      }),
    path: `${EDGE}/values.yaml`,
    message: /alerting section/,
  },
  {
    rule: 'agent-flags',
    what: 'a chart version older than the checked range',
    bad: f =>
      editYaml(f, `${EDGE}/kustomization.yaml`, v => {
        v.helmCharts[0].version = '15.0.0';
      }),
    path: `${EDGE}/values.yaml`,
    message: /was not checked/,
    severity: 'warning',
  },
  {
    rule: 'chart-ignored-key',
    what: "the reference material's server.enableAgentMode",
    bad: f =>
      editYaml(f, 'deploy/base/prometheus-agent/values.yaml', v => {
        v.server.enableAgentMode = true;
      }),
    path: 'deploy/base/prometheus-agent/values.yaml',
    message: /server\.enableAgentMode is set: the prometheus chart has no/,
    severity: 'warning',
  },
  {
    rule: 'remote-write-missing',
    what: 'an agent without remote write',
    bad: f =>
      editYaml(f, `${EDGE}/values.yaml`, v => {
        v.server.remoteWrite = [];
      }),
    path: `${EDGE}/values.yaml`,
    message: /has no server\.remoteWrite/,
  },
  {
    rule: 'remote-write-429',
    what: 'a remote write that drops 429-refused batches',
    bad: f =>
      editYaml(f, `${EDGE}/values.yaml`, v => {
        delete v.server.remoteWrite[0].queue_config;
      }),
    path: `${EDGE}/values.yaml`,
    message: /retry_on_http_429 is not true/,
    severity: 'warning',
  },
  {
    rule: 'tenant-header',
    what: 'a remote write without the tenant header',
    bad: f =>
      editYaml(f, `${EDGE}/values.yaml`, v => {
        delete v.server.remoteWrite[0].headers;
      }),
    path: `${EDGE}/values.yaml`,
    message: /sends no THANOS-TENANT header/,
  },
  {
    rule: 'tenant-header',
    what: "a central writing as another cluster's tenant",
    bad: f =>
      editYaml(f, `${CENTRAL}/values.yaml`, v => {
        v.prometheus.prometheusSpec.remoteWrite[0].headers['THANOS-TENANT'] =
          'shared';
      }),
    path: `${CENTRAL}/values.yaml`,
    message: /writes as tenant "shared", not cluster-01-central/,
    severity: 'warning',
  },
  {
    rule: 'cluster-label',
    what: 'an overlay copied from another cluster',
    bad: f => {
      f['deploy/overlays/cluster-03-edge/prometheus-agent/kustomization.yaml'] =
        f[`${EDGE}/kustomization.yaml`];
      f['deploy/overlays/cluster-03-edge/prometheus-agent/values.yaml'] = y({
        ...edgeValues(),
        server: {
          ...edgeValues().server,
          remoteWrite: edgeValues('cluster-03-edge').server.remoteWrite,
        },
      });
    },
    path: 'deploy/overlays/cluster-03-edge/prometheus-agent/values.yaml',
    message: /cluster is "cluster-02-edge" but the overlay is cluster-03-edge/,
  },
  {
    rule: 'cluster-label',
    what: 'a central without the cluster external label',
    bad: f =>
      editYaml(f, `${CENTRAL}/values.yaml`, v => {
        v.prometheus.prometheusSpec.externalLabels = {};
      }),
    path: `${CENTRAL}/values.yaml`,
    message: /externalLabels\.cluster is not set/,
  },
  {
    rule: 'namespace-transformer',
    what: 'a top-level namespace over kube-prometheus-stack',
    bad: f =>
      editYaml(f, `${CENTRAL}/kustomization.yaml`, v => {
        v.namespace = 'monitoring';
      }),
    path: `${CENTRAL}/kustomization.yaml`,
    message: /kube-system/,
  },
  {
    rule: 'namespace-transformer',
    what: 'a top-level namespace over objects of another namespace',
    bad: f => {
      editYaml(f, `${EDGE}/kustomization.yaml`, v => {
        v.resources = ['rbac.yaml'];
      });
      f[`${EDGE}/rbac.yaml`] = y({
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'reader', namespace: 'kube-system' },
      });
    },
    path: `${EDGE}/kustomization.yaml`,
    message: /moves ServiceAccount\/reader \(kube-system\)/,
  },
  {
    rule: 'hashring-replication',
    what: 'a ketama hashring with fewer endpoints than the replication factor',
    bad: f => {
      f[`${CENTRAL}/hashrings.json`] = JSON.stringify([
        { hashring: 'default', endpoints: endpoints(2), algorithm: 'ketama' },
      ]);
    },
    path: `${CENTRAL}/hashrings.json`,
    message: /amount of endpoints needs to be larger than replication factor/,
  },
  {
    rule: 'hashring-invalid',
    what: 'a tenant in two hashrings',
    bad: f => {
      f[`${CENTRAL}/hashrings.json`] = JSON.stringify([
        { hashring: 'a', tenants: ['t'], endpoints: endpoints(3) },
        { hashring: 'b', tenants: ['t'], endpoints: endpoints(3) },
      ]);
    },
    path: `${CENTRAL}/hashrings.json`,
    message: /listed by hashring "a" and by hashring "b"/,
  },
  {
    rule: 'hashring-invalid',
    what: 'a file that is not a hashring array',
    bad: f => {
      f[`${CENTRAL}/hashrings.json`] = JSON.stringify({ endpoints: [] });
    },
    path: `${CENTRAL}/hashrings.json`,
    message: /not a Thanos hashring file/,
  },
  {
    rule: 'hashring-unknown-endpoint',
    what: 'receivers scaled down by a patch while the hashring lists them',
    bad: f =>
      editYaml(f, `${CENTRAL}/patches.yaml`, v => {
        v.spec = { replicas: 2 };
        // RF 2 so that only the stale endpoint is wrong
        f[`${CENTRAL}/thanos-receiver.yaml`] = ys(
          receiverService,
          receiverStatefulSet(3, 2),
        );
      }),
    path: `${CENTRAL}/hashrings.json`,
    message: /thanos-receive-2\.thanos-receive\.monitoring/,
  },
  {
    rule: 'receive-self-monitoring',
    what: 'a central whose ServiceMonitors are not rendered',
    bad: f =>
      editYaml(f, `${CENTRAL}/kustomization.yaml`, v => {
        v.resources = ['thanos-receiver.yaml'];
      }),
    path: `${CENTRAL}/kustomization.yaml`,
    message: /renders no ServiceMonitor or PodMonitor/,
    severity: 'warning',
  },
];

describe('lintOverlays', () => {
  it('finds nothing in a repository written as the scaffolder writes it', () => {
    const report = lintOverlays(goodRepo());
    expect(report.findings).toEqual([]);
    expect(report.counts).toEqual({ error: 0, warning: 0 });
    expect(report.overlays).toEqual([
      {
        cluster: 'cluster-01-central',
        component: 'kube-prometheus-stack',
        path: CENTRAL,
      },
      {
        cluster: 'cluster-02-edge',
        component: 'prometheus-agent',
        path: EDGE,
      },
    ]);
  });

  it('has a case for every rule', () => {
    expect([...new Set(CASES.map(c => c.rule))].sort()).toEqual(
      [...OVERLAY_LINT_RULE_IDS].sort(),
    );
  });

  it.each(CASES)('$rule fires on $what', c => {
    const files = goodRepo();
    c.bad(files);
    const report = lintOverlays(new Map(Object.entries(files)));
    const mine = report.findings.filter(f => f.rule === c.rule);
    expect(mine).toEqual([
      expect.objectContaining({
        rule: c.rule,
        severity: c.severity ?? 'error',
        path: c.path,
        message: expect.stringMatching(c.message),
        docs: `plugins/overlay-lint/#${c.rule}`,
      }),
    ]);
    expect(report.counts.error + report.counts.warning).toBe(
      report.findings.length,
    );
  });

  it("reads the reference material's layout: an overlay rendering the base, with the seed's values", () => {
    const files: Record<string, string> = {
      'deploy/base/prometheus-agent/kustomization.yaml': y({
        helmCharts: [helmChart('prometheus', '25.11.0')],
      }),
      'deploy/base/prometheus-agent/values.yaml': y({
        server: { enableAgentMode: true },
      }),
      'deploy/overlays/cluster-02-edge/prometheus-agent/kustomization.yaml': y({
        resources: ['../../../base/prometheus-agent'],
        patches: [{ path: 'remote-write-patch.yaml' }],
      }),
      'deploy/overlays/cluster-02-edge/prometheus-agent/remote-write-patch.yaml':
        y({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }),
    };
    const rules = lintOverlays(files).findings.map(f => [f.rule, f.path]);
    const base = 'deploy/base/prometheus-agent/values.yaml';
    expect(rules).toEqual(
      expect.arrayContaining([
        ['chart-ignored-key', base],
        ['agent-flags', base],
        ['remote-write-missing', base],
        ['cluster-label', base],
      ]),
    );
    // The agent-flags finding of the base is also the overlay's (it renders the base's chart).
    expect(
      lintOverlays(files).findings.filter(
        f => f.rule === 'agent-flags' && f.cluster === 'cluster-02-edge',
      ).length,
    ).toBeGreaterThan(0);
  });

  it('ignores components it does not know and files outside deploy/', () => {
    const files = {
      ...goodRepo(),
      'deploy/overlays/cluster-02-edge/fluent-bit/kustomization.yaml': y({
        helmCharts: [{ name: 'fluent-bit', version: '0.43.0' }],
      }),
      'docs/broken.yaml': 'a: [',
    };
    expect(lintOverlays(files).findings).toEqual([]);
  });
});

describe('the lint page of the handbook', () => {
  const page = fs.readFileSync(
    path.resolve(__dirname, '../../../../docs', `${OVERLAY_LINT_PAGE}.md`),
    'utf8',
  );
  it.each(OVERLAY_LINT_RULE_IDS)('has a section with the anchor %s', id => {
    expect(page).toMatch(new RegExp(`^#+ .*\\{#${id}\\}\\s*$`, 'm'));
  });
});
