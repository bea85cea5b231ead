import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { runAction } from '../__testUtils__/context';
import {
  find,
  makeTempDir,
  promtoolCheck,
  readTree,
  removeDir,
  renderWithKustomize,
} from '../__testUtils__/render';
import { createEdgeOverlayAction } from './createEdgeOverlay';

const action = createEdgeOverlayAction();
const OVERLAY = 'deploy/overlays/cluster-02-edge/prometheus-agent';
const full = {
  cluster: 'cluster-02-edge',
  region: 'eu-west-1',
  tenant: 'team-a',
  remoteWriteUrl: 'https://receive.example.com/api/v1/receive',
  tls: { caSecretName: 'receive-ca', serverName: 'receive.example.com' },
  auth: {
    type: 'basic',
    secretName: 'rw-credentials',
    username: 'cluster-02-edge',
  },
  queue: {
    capacity: 20000,
    maxShards: 30,
    maxSamplesPerSend: 5000,
    batchSendDeadline: '10s',
  },
  dropMetrics: ['go_gc_.*', 'apiserver_request_duration_seconds_bucket'],
  memoryRequest: '768Mi',
  memoryLimit: '1536Mi',
};

describe('fleet:overlay:create-edge', () => {
  let ws: string;
  beforeEach(() => {
    ws = makeTempDir();
  });
  afterEach(() => removeDir(ws));

  it('writes base + overlay that render with kustomize into a Prometheus agent', async () => {
    const { outputs } = await runAction(action, ws, full);
    expect(outputs.overlayPath).toBe(OVERLAY);
    expect(outputs.files).toEqual([
      'deploy/base/prometheus-agent/kustomization.yaml',
      'deploy/base/prometheus-agent/values.yaml',
      `${OVERLAY}/kustomization.yaml`,
      `${OVERLAY}/values.yaml`,
    ]);
    expect(outputs.dryRun).toBe(false);

    // The generated kustomization points at the public chart repo only, no test files.
    const k = YAML.parse(
      fs.readFileSync(path.join(ws, OVERLAY, 'kustomization.yaml'), 'utf8'),
    );
    expect(k.helmCharts[0]).toMatchObject({
      name: 'prometheus',
      repo: 'https://prometheus-community.github.io/helm-charts',
      version: '25.11.0',
      valuesFile: 'values.yaml',
    });

    for (const dir of ['deploy/base/prometheus-agent', OVERLAY]) {
      expect(renderWithKustomize(ws, dir).length).toBeGreaterThan(0);
    }
    const docs = renderWithKustomize(ws, OVERLAY);
    const deploy = find(docs, 'Deployment');
    const container = deploy.spec.template.spec.containers[0];
    expect(container.args).toEqual([
      '--enable-feature=agent',
      '--config.file=/etc/config/prometheus.yml',
      '--storage.agent.path=/data',
      '--web.enable-lifecycle',
    ]);
    expect(container.resources).toEqual({
      requests: { memory: '768Mi' },
      limits: { memory: '1536Mi' },
    });
    expect(container.volumeMounts).toContainEqual({
      name: 'remote-write-auth',
      mountPath: '/etc/prometheus/remote-write-auth',
      readOnly: true,
    });
    expect(deploy.metadata.namespace).toBe('monitoring');
    // alertmanager and pushgateway are off, cluster metrics exporters on.
    const subcharts = docs
      .filter(d => d.metadata.labels?.['fleet-test/subchart'])
      .map(d => d.metadata.labels['fleet-test/subchart']);
    expect(subcharts.sort()).toEqual([
      'kube-state-metrics',
      'prometheus-node-exporter',
    ]);

    const cfg = YAML.parse(
      find(docs, 'ConfigMap', 'prometheus-agent-server').data['prometheus.yml'],
    );
    expect(cfg.rule_files).toEqual([]);
    expect(cfg.alerting).toBeUndefined();
    expect(cfg.global.external_labels).toEqual({
      cluster: 'cluster-02-edge',
      region: 'eu-west-1',
    });
    expect(cfg.remote_write).toEqual([
      {
        name: 'thanos-receive',
        url: 'https://receive.example.com/api/v1/receive',
        headers: { 'THANOS-TENANT': 'team-a' },
        tls_config: {
          ca_file: '/etc/prometheus/remote-write-ca/ca.crt',
          server_name: 'receive.example.com',
        },
        basic_auth: {
          username: 'cluster-02-edge',
          password_file: '/etc/prometheus/remote-write-auth/password',
        },
        queue_config: {
          capacity: 20000,
          max_shards: 30,
          max_samples_per_send: 5000,
          batch_send_deadline: '10s',
          retry_on_http_429: true,
        },
        write_relabel_configs: [
          { source_labels: ['__name__'], regex: 'go_gc_.*', action: 'drop' },
          {
            source_labels: ['__name__'],
            regex: 'apiserver_request_duration_seconds_bucket',
            action: 'drop',
          },
        ],
      },
    ]);
    // No secret material anywhere in the tree: only file references.
    expect(JSON.stringify(readTree(ws))).not.toMatch(/password:|credentials:/);

    // The config the agent will run passes promtool in agent mode. The test chart's scrape job is static on
    // purpose: Debian's promtool 2.42 is built without kubernetes_sd, so the real chart's in-cluster jobs
    // cannot be checked here; what we generate (global, remote_write with TLS/auth/queue/relabel) is.
    const check = promtoolCheck(cfg, true);
    expect(check.output).toContain('SUCCESS');
    expect(check.ok).toBe(true);
  }, 60_000);

  it('would fail promtool --agent without the agent values (guards the chart facts)', () => {
    const serverStyle = {
      rule_files: ['/etc/config/alerting_rules.yml'],
      scrape_configs: [],
    };
    expect(promtoolCheck(serverStyle, true).ok).toBe(false);
  });

  it('a chart shipping Prometheus v3 (26.0.0) gets --agent, also over a base written for 25.x', async () => {
    await runAction(action, ws, full); // base at 25.11.0 (v2 flags)
    const { outputs } = await runAction(action, ws, {
      ...full,
      cluster: 'cluster-04-edge',
      chartVersion: '26.0.0',
    });
    expect(outputs.files).toEqual([
      'deploy/overlays/cluster-04-edge/prometheus-agent/kustomization.yaml',
      'deploy/overlays/cluster-04-edge/prometheus-agent/values.yaml',
    ]);
    const docs = renderWithKustomize(ws, outputs.overlayPath);
    const container = find(docs, 'Deployment').spec.template.spec.containers[0];
    expect(container.image).toBe('quay.io/prometheus/prometheus:v3.0.0');
    expect(container.args).toEqual([
      '--agent',
      '--config.file=/etc/config/prometheus.yml',
      '--storage.agent.path=/data',
      '--web.enable-lifecycle',
    ]);
    const cfg = YAML.parse(
      find(docs, 'ConfigMap', 'prometheus-agent-server').data['prometheus.yml'],
    );
    expect(cfg.remote_write[0].queue_config.retry_on_http_429).toBe(true);
    expect(promtoolCheck(cfg, true).ok).toBe(true);
    // The 25.x overlay next to it keeps the v2 flag.
    const v2 = renderWithKustomize(ws, OVERLAY);
    expect(
      find(v2, 'Deployment').spec.template.spec.containers[0].args[0],
    ).toBe('--enable-feature=agent');
  }, 60_000);

  it('refuses prometheus chart versions older than 25.0.0 (not checked against)', async () => {
    await expect(
      runAction(action, ws, { ...full, chartVersion: '15.18.0' }),
    ).rejects.toThrow(/prometheus chart 15\.18\.0 is older than 25\.0\.0/);
    expect(fs.readdirSync(ws)).toEqual([]);
  });

  it('a cluster named cluster-07-edge gets overlays/cluster-07-edge/prometheus-agent (no doubled role)', async () => {
    const { outputs } = await runAction(action, ws, {
      cluster: 'cluster-07-edge',
      remoteWriteUrl: 'https://receive.example.com/api/v1/receive',
    });
    expect(outputs.overlayPath).toBe(
      'deploy/overlays/cluster-07-edge/prometheus-agent',
    );
    expect(
      Object.keys(readTree(ws)).filter(f => f.includes('edge-edge')),
    ).toEqual([]);
  });

  it('bearer token and insecure TLS: token from a file, a warning for skipped verification', async () => {
    const { outputs, loggedWarnings } = await runAction(action, ws, {
      cluster: 'lab-01',
      remoteWriteUrl: 'https://receive.lab.internal/api/v1/receive',
      tls: { insecureSkipVerify: true },
      auth: { type: 'bearer', secretName: 'rw-token' },
    });
    expect(outputs.warnings).toEqual([
      expect.stringContaining('insecure_skip_verify'),
    ]);
    expect(loggedWarnings).toEqual(outputs.warnings);
    const docs = renderWithKustomize(ws, outputs.overlayPath);
    const cfg = YAML.parse(
      find(docs, 'ConfigMap', 'prometheus-agent-server').data['prometheus.yml'],
    );
    expect(cfg.remote_write[0].authorization).toEqual({
      type: 'Bearer',
      credentials_file: '/etc/prometheus/remote-write-auth/token',
    });
    expect(cfg.remote_write[0].tls_config).toEqual({
      insecure_skip_verify: true,
    });
    expect(cfg.global.external_labels).toEqual({ cluster: 'lab-01' });
    expect(cfg.remote_write[0].queue_config.retry_on_http_429).toBe(true);
    expect(promtoolCheck(cfg, true).ok).toBe(true);
  }, 60_000);

  it('client certificate (mTLS entry point): cert and key files from a mounted kubernetes.io/tls Secret next to the CA, never inline; promtool accepts the config', async () => {
    const { outputs } = await runAction(action, ws, {
      cluster: 'cluster-02-edge',
      remoteWriteUrl: 'https://receive.example.com/api/v1/receive',
      tls: { caSecretName: 'receive-ca' },
      auth: { type: 'mtls', secretName: 'edge-client-cert' },
    });
    expect(outputs.warnings).toEqual([]);
    const docs = renderWithKustomize(ws, outputs.overlayPath);
    const cfg = YAML.parse(
      find(docs, 'ConfigMap', 'prometheus-agent-server').data['prometheus.yml'],
    );
    expect(cfg.remote_write[0].tls_config).toEqual({
      ca_file: '/etc/prometheus/remote-write-ca/ca.crt',
      cert_file: '/etc/prometheus/remote-write-client-cert/tls.crt',
      key_file: '/etc/prometheus/remote-write-client-cert/tls.key',
    });
    expect(cfg.remote_write[0].basic_auth).toBeUndefined();
    const pod = find(docs, 'Deployment').spec.template.spec;
    expect(pod.volumes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          secret: expect.objectContaining({ secretName: 'edge-client-cert' }),
        }),
      ]),
    );
    expect(promtoolCheck(cfg, true).ok).toBe(true);
  }, 60_000);

  it('warns about plain http remote write', async () => {
    const { outputs } = await runAction(action, ws, {
      cluster: 'c1',
      remoteWriteUrl: 'http://10.0.0.1:19291/api/v1/receive',
    });
    expect(outputs.warnings).toEqual([
      expect.stringContaining('plain http'),
      expect.stringContaining('auth none: the agent sends no credentials'),
    ]);
  });

  it('is idempotent: a second run writes nothing and leaves identical files', async () => {
    await runAction(action, ws, full);
    const before = readTree(ws);
    const { outputs } = await runAction(action, ws, full);
    expect(outputs.files).toEqual([]);
    expect(readTree(ws)).toEqual(before);
  });

  it('refuses to replace a differing file unless overwrite is set', async () => {
    await runAction(action, ws, full);
    const changed = { ...full, memoryLimit: '2Gi' };
    await expect(runAction(action, ws, changed)).rejects.toThrow(
      /refusing to replace.*values\.yaml.*overwrite: true/,
    );
    // nothing was written by the refused run
    expect(
      fs.readFileSync(path.join(ws, OVERLAY, 'values.yaml'), 'utf8'),
    ).toContain('1536Mi');
    const { outputs } = await runAction(action, ws, {
      ...changed,
      overwrite: true,
    });
    expect(outputs.files).toEqual([`${OVERLAY}/values.yaml`]);
    expect(
      fs.readFileSync(path.join(ws, OVERLAY, 'values.yaml'), 'utf8'),
    ).toContain('memory: 2Gi');
  });

  it('dry-run computes and reports without modifying existing files', async () => {
    await runAction(action, ws, full);
    const before = readTree(ws);
    const { outputs } = await runAction(
      action,
      ws,
      { ...full, memoryLimit: '2Gi' },
      { isDryRun: true },
    );
    expect(outputs.dryRun).toBe(true);
    expect(outputs.files).toEqual([]);
    expect(outputs.warnings).toEqual([
      expect.stringContaining(
        `${OVERLAY}/values.yaml exists with different content`,
      ),
    ]);
    expect(readTree(ws)).toEqual(before);
  });

  it('starts from an existing, customised base values.yaml', async () => {
    fs.mkdirSync(path.join(ws, 'deploy/base/prometheus-agent'), {
      recursive: true,
    });
    fs.writeFileSync(
      path.join(ws, 'deploy/base/prometheus-agent/values.yaml'),
      YAML.stringify({
        server: { global: { scrape_interval: '30s' } },
        alertmanager: { enabled: false },
      }),
    );
    const { outputs } = await runAction(action, ws, full);
    expect(outputs.files).not.toContain(
      'deploy/base/prometheus-agent/values.yaml',
    );
    const values = YAML.parse(
      fs.readFileSync(path.join(ws, OVERLAY, 'values.yaml'), 'utf8'),
    );
    expect(values.server.global).toEqual({
      scrape_interval: '30s',
      external_labels: { cluster: 'cluster-02-edge', region: 'eu-west-1' },
    });
  });

  describe('bad input', () => {
    it.each([
      '../x',
      'a/b',
      'UPPER',
      'x'.repeat(64),
      '-lead',
      'trail-',
      '',
      'a..b',
      '/abs',
    ])('refuses cluster name %j', async cluster => {
      await expect(runAction(action, ws, { ...full, cluster })).rejects.toThrow(
        /invalid input: cluster/,
      );
      expect(fs.readdirSync(ws)).toEqual([]);
    });

    it.each([
      'file:///etc/passwd',
      'ftp://receive.example.com/',
      ['javascript', 'alert(1)'].join(':'),
      'receive.example.com',
      '',
    ])('refuses remote write URL %j', async remoteWriteUrl => {
      await expect(
        runAction(action, ws, { ...full, remoteWriteUrl }),
      ).rejects.toThrow(/invalid input: remoteWriteUrl/);
    });

    it.each(['512m', '1 Gi', 'lots', '-1Gi', '1.2.3Gi'])(
      'refuses memory %j',
      async memoryLimit => {
        await expect(
          runAction(action, ws, { ...full, memoryLimit }),
        ).rejects.toThrow(/invalid input: memoryLimit/);
      },
    );

    it('refuses auth without a Secret and basic auth without a user', async () => {
      await expect(
        runAction(action, ws, { ...full, auth: { type: 'bearer' } }),
      ).rejects.toThrow(/needs secretName/);
      await expect(
        runAction(action, ws, {
          ...full,
          auth: { type: 'basic', secretName: 's' },
        }),
      ).rejects.toThrow(/needs username/);
    });

    it('refuses a CA path with .. and a bad drop regex', async () => {
      await expect(
        runAction(action, ws, { ...full, tls: { caFile: '/etc/../../x' } }),
      ).rejects.toThrow(/tls/);
      await expect(
        runAction(action, ws, { ...full, dropMetrics: ['(unclosed'] }),
      ).rejects.toThrow(/dropMetrics/);
    });

    it('refuses to write through a symlink that leaves the workspace', async () => {
      const outside = makeTempDir('fleet-outside-');
      try {
        fs.symlinkSync(outside, path.join(ws, 'deploy'));
        await expect(runAction(action, ws, full)).rejects.toThrow(
          /leaves the workspace through a symlink/,
        );
        expect(fs.readdirSync(outside)).toEqual([]);
      } finally {
        removeDir(outside);
      }
    });
  });
});
