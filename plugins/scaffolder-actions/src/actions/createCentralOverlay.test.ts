import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { runAction } from '../__testUtils__/context';
import {
  find,
  makeTempDir,
  readTree,
  removeDir,
  renderWithKustomize,
} from '../__testUtils__/render';
import { hashringFileSchema } from '../lib/hashring';
import { createCentralOverlayAction } from './createCentralOverlay';

const action = createCentralOverlayAction();
const OVERLAY = 'deploy/overlays/cluster-01-central/kube-prometheus-stack';

describe('fleet:overlay:create-central', () => {
  let ws: string;
  beforeEach(() => {
    ws = makeTempDir();
  });
  afterEach(() => removeDir(ws));

  it('writes kube-prometheus-stack + Thanos Receive that render with kustomize', async () => {
    const { outputs } = await runAction(action, ws, {
      cluster: 'cluster-01',
      region: 'eu-west-1',
    });
    expect(outputs.overlayPath).toBe(OVERLAY);
    expect(outputs.files.sort()).toEqual(
      [
        'deploy/base/kube-prometheus-stack/kustomization.yaml',
        'deploy/base/kube-prometheus-stack/values.yaml',
        `${OVERLAY}/hashrings.json`,
        `${OVERLAY}/kustomization.yaml`,
        `${OVERLAY}/patches.yaml`,
        `${OVERLAY}/thanos-receiver.yaml`,
        `${OVERLAY}/values.yaml`,
      ].sort(),
    );
    expect(
      renderWithKustomize(ws, 'deploy/base/kube-prometheus-stack').length,
    ).toBeGreaterThan(0);
    const docs = renderWithKustomize(ws, OVERLAY);

    const prom = find(docs, 'Prometheus');
    expect(prom.metadata.namespace).toBe('monitoring');
    expect(prom.spec.externalLabels).toEqual({
      cluster: 'cluster-01',
      region: 'eu-west-1',
    });
    expect(prom.spec.remoteWrite).toEqual([
      {
        name: 'thanos-receive',
        url: 'http://thanos-receive.monitoring.svc.cluster.local:19291/api/v1/receive',
        headers: { 'THANOS-TENANT': 'cluster-01' },
      },
    ]);
    expect(prom.spec.serviceMonitorSelector).toEqual({});

    const sts = find(docs, 'StatefulSet', 'thanos-receive');
    expect(sts.spec.replicas).toBe(3);
    const c = sts.spec.template.spec.containers[0];
    expect(c.args).toEqual(
      expect.arrayContaining([
        '--receive.replication-factor=3',
        '--receive.hashrings-algorithm=ketama',
        '--receive.tenant-header=THANOS-TENANT',
        '--receive.hashrings-file=/var/lib/thanos-receive/hashrings.json',
        '--remote-write.address=0.0.0.0:19291',
        '--grpc-address=0.0.0.0:10901',
        '--http-address=0.0.0.0:10902',
      ]),
    );
    expect(c.resources).toEqual({
      requests: { memory: '2Gi' },
      limits: { memory: '4Gi' },
    });
    expect(c.ports.map((p: any) => p.containerPort)).toEqual([
      10901, 10902, 19291,
    ]);
    expect(c.volumeMounts).toContainEqual({
      name: 'hashrings',
      mountPath: '/var/lib/thanos-receive',
      readOnly: true,
    });
    // patches.yaml applied
    expect(
      sts.spec.template.spec.topologySpreadConstraints[0].topologyKey,
    ).toBe('kubernetes.io/hostname');

    // hashring ConfigMap generated from hashrings.json under a stable name, mounted by the StatefulSet
    const cm = find(docs, 'ConfigMap', 'thanos-receive-hashrings');
    expect(sts.spec.template.spec.volumes).toContainEqual({
      name: 'hashrings',
      configMap: { name: cm.metadata.name },
    });
    const hashrings = hashringFileSchema.parse(
      JSON.parse(cm.data['hashrings.json']),
    );
    expect(hashrings).toEqual([
      {
        hashring: 'default',
        algorithm: 'ketama',
        endpoints: [0, 1, 2].map(
          i =>
            `thanos-receive-${i}.thanos-receive.monitoring.svc.cluster.local:10901`,
        ),
      },
    ]);
    expect(find(docs, 'Service', 'thanos-receive').spec.clusterIP).toBe('None');
  }, 60_000);

  it('is idempotent and never rewrites an existing hashrings.json', async () => {
    await runAction(action, ws, { cluster: 'cluster-01' });
    const custom = `${JSON.stringify([{ hashring: 'x', tenants: ['t'], endpoints: ['a:10901'] }], null, 2)}\n`;
    fs.writeFileSync(path.join(ws, OVERLAY, 'hashrings.json'), custom);
    const before = readTree(ws);
    const { outputs } = await runAction(action, ws, { cluster: 'cluster-01' });
    expect(outputs.files).toEqual([]);
    expect(readTree(ws)).toEqual(before);
  });

  it('refuses replicationFactor above replicas, bad names and bad memory', async () => {
    await expect(
      runAction(action, ws, {
        cluster: 'c1',
        receiver: { replicas: 1, replicationFactor: 3 },
      }),
    ).rejects.toThrow(/replicationFactor cannot exceed replicas/);
    await expect(
      runAction(action, ws, { cluster: '../../etc' }),
    ).rejects.toThrow(/invalid input: cluster/);
    await expect(
      runAction(action, ws, {
        cluster: 'c1',
        receiver: { memoryLimit: '4gb' },
      }),
    ).rejects.toThrow(/receiver.memoryLimit/);
    expect(fs.readdirSync(ws)).toEqual([]);
  });

  it('warns when replication factor 1 runs several replicas', async () => {
    const { outputs } = await runAction(action, ws, {
      cluster: 'c1',
      receiver: { replicationFactor: 1 },
    });
    expect(outputs.warnings).toEqual([
      expect.stringContaining('replicationFactor 1'),
    ]);
    const k = YAML.parse(
      fs.readFileSync(
        path.join(
          ws,
          'deploy/overlays/c1-central/kube-prometheus-stack/kustomization.yaml',
        ),
        'utf8',
      ),
    );
    expect(k.helmCharts[0]).toMatchObject({
      name: 'kube-prometheus-stack',
      version: '58.0.0',
      includeCRDs: true,
    });
  });
});
