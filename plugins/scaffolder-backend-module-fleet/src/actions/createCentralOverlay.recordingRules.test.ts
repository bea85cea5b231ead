import {
  recordedFleetSeries,
  THANOS_PORTS,
} from '@fleet-monitoring/plugin-monitoring-common';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { runAction } from '../__testUtils__/context';
import {
  find,
  makeTempDir,
  promtoolCheckRules,
  removeDir,
  renderWithKustomize,
} from '../__testUtils__/render';
import { createCentralOverlayAction } from './createCentralOverlay';

const action = createCentralOverlayAction();
const OVERLAY = 'deploy/overlays/cluster-01-central/kube-prometheus-stack';
const required = {
  cluster: 'cluster-01-central',
  objectStorage: { secretName: 'thanos-objstore' },
  edgeEntryPoint: {
    type: 'ingress',
    host: 'receive.example.com',
    tlsSecretName: 'receive-tls',
    auth: 'basic',
    authSecretName: 'receive-htpasswd',
  },
} as const;

describe('fleet:overlay:create-central recordingRules (#20 item 2)', () => {
  let ws: string;
  beforeEach(() => {
    ws = makeTempDir();
  });
  afterEach(() => removeDir(ws));

  it('adds nothing by default', async () => {
    const { outputs } = await runAction(action, ws, required);
    expect(outputs.files.filter((f: string) => /rule/.test(f))).toEqual([]);
    const docs = renderWithKustomize(ws, OVERLAY);
    expect(docs.some(d => d.kind === 'PrometheusRule')).toBe(false);
    expect(find(docs, 'Deployment', 'thanos-rule')).toBeUndefined();
  });

  it('thanosRuler: a stateless Thanos Ruler querying Thanos Query, writing into Receive, with the generated group (kustomize renders, promtool accepts)', async () => {
    const { outputs } = await runAction(action, ws, {
      ...required,
      recordingRules: {
        deploy: 'thanosRuler',
        rateWindow: '2m',
        evaluationInterval: '30s',
      },
    });
    expect(outputs.files).toEqual(
      expect.arrayContaining([
        `${OVERLAY}/fleet-recording-rules.yaml`,
        `${OVERLAY}/thanos-rule.yaml`,
      ]),
    );
    const text = fs.readFileSync(
      path.join(ws, OVERLAY, 'fleet-recording-rules.yaml'),
      'utf8',
    );
    const check = promtoolCheckRules(text);
    expect(check.output).toContain('SUCCESS');
    expect(check.ok).toBe(true);
    const group = YAML.parse(text).groups[0];
    expect(group.name).toBe('fleet-monitoring-remote-write-2m');
    expect(group.interval).toBe('30s');
    const names = recordedFleetSeries('2m');
    expect(group.rules.map((r: { record: string }) => r.record)).toEqual(
      expect.arrayContaining([
        names.queue.failed,
        names.queue.lag,
        names.lastSeen,
        names.unbrokenSince,
        names.tenant.accepted,
        names.heartbeat,
      ]),
    );
    expect(names.queue.failed).toBe(
      'cluster_queue:prometheus_remote_storage_samples_failed:rate2m',
    );

    const docs = renderWithKustomize(ws, OVERLAY);
    const ruler = find(docs, 'Deployment', 'thanos-rule');
    expect(ruler.metadata.namespace).toBe('monitoring');
    expect(ruler.spec.replicas).toBe(1);
    expect(ruler.spec.strategy).toEqual({ type: 'Recreate' });
    const c = ruler.spec.template.spec.containers[0];
    expect(c.image).toBe('quay.io/thanos/thanos:v0.35.1');
    expect(c.args[0]).toBe('rule');
    expect(c.args).toEqual(
      expect.arrayContaining([
        '--query=http://thanos-query.monitoring.svc.cluster.local:10902',
        '--rule-file=/etc/thanos/rules/*.yaml',
        '--eval-interval=30s',
        `--http-address=0.0.0.0:${THANOS_PORTS.http}`,
      ]),
    );
    const rw = c.args.find((a: string) =>
      a.startsWith('--remote-write.config='),
    );
    expect(YAML.parse(rw.slice('--remote-write.config='.length))).toEqual({
      remote_write: [
        {
          url: 'http://thanos-receive-write.monitoring.svc.cluster.local:19291/api/v1/receive',
          name: 'thanos-receive',
        },
      ],
    });
    // The rules ConfigMap is generated from the file, hash-suffixed, and the ruler mounts that name.
    const cm = docs.find(
      d =>
        d.kind === 'ConfigMap' &&
        d.metadata.name.startsWith('thanos-rule-fleet-rules-'),
    );
    expect(YAML.parse(cm.data['fleet-recording-rules.yaml'])).toEqual(
      YAML.parse(text),
    );
    expect(ruler.spec.template.spec.volumes).toContainEqual({
      name: 'rules',
      configMap: { name: cm.metadata.name },
    });
    expect(find(docs, 'Service', 'thanos-rule').spec.ports[0].port).toBe(
      THANOS_PORTS.http,
    );
  });

  it("prometheusRule: the group as a PrometheusRule for the user's ruler, selected by its labels, not the central Prometheus'", async () => {
    await runAction(action, ws, {
      ...required,
      recordingRules: {
        deploy: 'prometheusRule',
        ruleLabels: { 'ruler.example.com/fleet': 'yes' },
      },
    });
    const docs = renderWithKustomize(ws, OVERLAY);
    const rule = find(
      docs,
      'PrometheusRule',
      'fleet-monitoring-recording-rules',
    );
    expect(rule.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(rule.metadata).toMatchObject({
      namespace: 'monitoring',
      labels: { 'ruler.example.com/fleet': 'yes' },
    });
    expect(rule.metadata.labels.release).toBeUndefined();
    expect(rule.spec.groups[0].name).toBe('fleet-monitoring-remote-write-5m');
    const check = promtoolCheckRules(YAML.stringify(rule.spec));
    expect(check.output).toContain('SUCCESS');
    expect(check.ok).toBe(true);
    expect(find(docs, 'Deployment', 'thanos-rule')).toBeUndefined();
  });

  it('refuses a rate window or label that is not one', async () => {
    await expect(
      runAction(action, ws, {
        ...required,
        recordingRules: { deploy: 'thanosRuler', rateWindow: '5 minutes' },
      }),
    ).rejects.toThrow(/rateWindow must be a duration/);
    await expect(
      runAction(action, ws, {
        ...required,
        recordingRules: { deploy: 'ruler' },
      }),
    ).rejects.toThrow(/deploy/);
  });

  it('refuses an evaluation interval the sticky inventory could not bridge over one missed evaluation', async () => {
    await expect(
      runAction(action, ws, {
        ...required,
        recordingRules: { deploy: 'thanosRuler', evaluationInterval: '6m' },
      }),
    ).rejects.toThrow(/evaluationInterval must be at most half of 10m/);
    const { outputs } = await runAction(action, ws, {
      ...required,
      recordingRules: { deploy: 'thanosRuler', evaluationInterval: '5m' },
    });
    expect(outputs.files).toContain(`${OVERLAY}/thanos-rule.yaml`);
  });
});
