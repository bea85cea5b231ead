import {
  HASHRING_CONFIGMAP,
  HASHRING_KEY,
  RECEIVE_REPLICA_LABEL,
  RECEIVE_SELECTOR,
  THANOS_PORTS,
} from '@fleet-monitoring/plugin-monitoring-common';
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
const ingress = {
  type: 'ingress',
  host: 'receive.example.com',
  tlsSecretName: 'receive-tls',
  ingressClassName: 'nginx',
};
const required = {
  objectStorage: { secretName: 'thanos-objstore' },
  edgeEntryPoint: ingress,
};

describe('fleet:overlay:create-central', () => {
  let ws: string;
  beforeEach(() => {
    ws = makeTempDir();
  });
  afterEach(() => removeDir(ws));

  it('writes a working central that renders with kustomize: uploading receivers, deduplicating Query, TLS entry point for the edges', async () => {
    const { outputs } = await runAction(action, ws, {
      cluster: 'cluster-01-central',
      region: 'eu-west-1',
      ...required,
    });
    expect(outputs.overlayPath).toBe(OVERLAY);
    expect(outputs.files.sort()).toEqual(
      [
        'deploy/base/kube-prometheus-stack/kustomization.yaml',
        'deploy/base/kube-prometheus-stack/values.yaml',
        `${OVERLAY}/edge-entrypoint.yaml`,
        `${OVERLAY}/hashrings.json`,
        `${OVERLAY}/kustomization.yaml`,
        `${OVERLAY}/patches.yaml`,
        `${OVERLAY}/thanos-query.yaml`,
        `${OVERLAY}/thanos-receiver.yaml`,
        `${OVERLAY}/values.yaml`,
      ].sort(),
    );
    expect(outputs.edgeRemoteWriteUrl).toBe(
      'https://receive.example.com/api/v1/receive',
    );
    expect(outputs.queryUrl).toBe(
      'http://thanos-query.monitoring.svc.cluster.local:10902',
    );
    expect(
      renderWithKustomize(ws, 'deploy/base/kube-prometheus-stack').length,
    ).toBeGreaterThan(0);
    const docs = renderWithKustomize(ws, OVERLAY);

    // Receivers: object storage from the named Secret, replica label, hashring from the shared ConfigMap.
    const sts = find(docs, 'StatefulSet', 'thanos-receive');
    expect(sts.metadata.namespace).toBe('monitoring');
    expect(sts.spec.replicas).toBe(3);
    const c = sts.spec.template.spec.containers[0];
    expect(c.args).toEqual(
      expect.arrayContaining([
        '--objstore.config-file=/etc/thanos/objstore/objstore.yml',
        '--receive.replication-factor=3',
        '--receive.hashrings-algorithm=ketama',
        '--receive.tenant-header=THANOS-TENANT',
        '--receive.hashrings-file=/var/lib/thanos-receive/hashrings.json',
        '--remote-write.address=0.0.0.0:19291',
        '--grpc-address=0.0.0.0:10901',
        '--http-address=0.0.0.0:10902',
        `--label=${RECEIVE_REPLICA_LABEL}="$(POD_NAME)"`,
      ]),
    );
    expect(sts.spec.template.spec.volumes).toContainEqual({
      name: 'objstore',
      secret: { secretName: 'thanos-objstore' },
    });
    expect(c.volumeMounts).toContainEqual({
      name: 'objstore',
      mountPath: '/etc/thanos/objstore',
      readOnly: true,
    });
    expect(c.resources).toEqual({
      requests: { memory: '2Gi' },
      limits: { memory: '4Gi' },
    });
    expect(
      sts.spec.template.spec.topologySpreadConstraints[0].topologyKey,
    ).toBe('kubernetes.io/hostname');

    // The hashring ConfigMap has the name and key the backend's Kubernetes view reads, stable, mounted.
    const cm = find(docs, 'ConfigMap', HASHRING_CONFIGMAP);
    expect(cm).toBeDefined();
    expect(sts.spec.template.spec.volumes).toContainEqual({
      name: 'hashrings',
      configMap: { name: HASHRING_CONFIGMAP },
    });
    expect(hashringFileSchema.parse(JSON.parse(cm.data[HASHRING_KEY]))).toEqual(
      [
        {
          hashring: 'default',
          algorithm: 'ketama',
          endpoints: [0, 1, 2].map(
            i =>
              `thanos-receive-${i}.thanos-receive.monitoring.svc.cluster.local:10901`,
          ),
        },
      ],
    );

    // Writes only reach ready receivers: the headless peer Service is never a write target.
    const headless = find(docs, 'Service', 'thanos-receive');
    expect(headless.spec).toMatchObject({
      clusterIP: 'None',
      publishNotReadyAddresses: true,
    });
    const write = find(docs, 'Service', 'thanos-receive-write');
    expect(write.spec.clusterIP).toBeUndefined();
    expect(write.spec.publishNotReadyAddresses).toBeUndefined();
    expect(write.spec.selector).toEqual(sts.spec.selector.matchLabels);
    expect(write.spec.ports).toEqual([
      { name: 'remote-write', port: 19291, targetPort: 'remote-write' },
    ]);
    const prom = find(docs, 'Prometheus');
    expect(prom.spec.externalLabels).toEqual({
      cluster: 'cluster-01-central',
      region: 'eu-west-1',
    });
    expect(prom.spec.remoteWrite).toEqual([
      {
        name: 'thanos-receive',
        url: 'http://thanos-receive-write.monitoring.svc.cluster.local:19291/api/v1/receive',
        headers: { 'THANOS-TENANT': 'cluster-01-central' },
      },
    ]);
    expect(prom.spec.serviceMonitorSelector).toEqual({});

    // Edge entry point: Ingress with TLS for the host, to the ready-only write Service.
    const ing = find(docs, 'Ingress', 'thanos-receive-write');
    expect(ing.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['receive.example.com'], secretName: 'receive-tls' }],
      rules: [
        {
          host: 'receive.example.com',
          http: {
            paths: [
              {
                path: '/api/v1/receive',
                pathType: 'Exact',
                backend: {
                  service: {
                    name: 'thanos-receive-write',
                    port: { number: 19291 },
                  },
                },
              },
            ],
          },
        },
      ],
    });

    // Thanos Query deduplicates on the receivers' replica label and finds every receiver.
    const query = find(docs, 'Deployment', 'thanos-query');
    expect(query.spec.template.spec.containers[0].args).toEqual(
      expect.arrayContaining([
        'query',
        `--query.replica-label=${RECEIVE_REPLICA_LABEL}`,
        '--endpoint=dnssrv+_grpc._tcp.thanos-receive.monitoring.svc.cluster.local',
      ]),
    );
    const querySvc = find(docs, 'Service', 'thanos-query');
    expect(querySvc.spec.ports).toContainEqual({
      name: 'http',
      port: 10902,
      targetPort: 'http',
    });
    expect(querySvc.spec.selector).toEqual(query.spec.selector.matchLabels);

    // Grafana: Thanos Query is the default datasource; no helm-test Pod for ArgoCD to deploy.
    expect(docs.filter(d => d.kind === 'Pod')).toEqual([]);
    const ds = YAML.parse(
      find(docs, 'ConfigMap', 'kube-prometheus-stack-grafana-datasource').data[
        'datasource.yaml'
      ],
    ).datasources;
    expect(ds.filter((d: any) => d.isDefault)).toEqual([
      expect.objectContaining({
        name: 'Thanos Query',
        url: 'http://thanos-query.monitoring.svc.cluster.local:10902',
      }),
    ]);
  }, 60_000);

  it("renders what the backend's Kubernetes view looks for by default (the same shared names): hashring ConfigMap and key, receiver pod label, gRPC port", async () => {
    await runAction(action, ws, { cluster: 'cluster-01-central', ...required });
    const docs = renderWithKustomize(ws, OVERLAY);
    // The backend's defaults (config/kubernetes.ts) are these constants; today's literal value:
    expect(HASHRING_CONFIGMAP).toBe('thanos-receive-hashring');
    const cm = find(docs, 'ConfigMap', HASHRING_CONFIGMAP);
    const endpoints = JSON.parse(cm.data[HASHRING_KEY])[0].endpoints;
    const sts = find(docs, 'StatefulSet', 'thanos-receive');
    const [key, value] = RECEIVE_SELECTOR.split('=');
    expect(sts.spec.template.metadata.labels[key]).toBe(value);
    // The view matches an endpoint to a pod by its first DNS label and the configured gRPC port.
    for (const e of endpoints) {
      expect(e).toMatch(
        new RegExp(`^thanos-receive-\\d+\\..*:${THANOS_PORTS.grpc}$`),
      );
    }
  }, 60_000);

  it('the stand-in chart renders the Grafana test Pod without our values (guards the chart fact)', async () => {
    await runAction(action, ws, { cluster: 'c1', ...required });
    const values = path.join(
      ws,
      'deploy/overlays/c1/kube-prometheus-stack/values.yaml',
    );
    const v = YAML.parse(fs.readFileSync(values, 'utf8'));
    delete v.grafana.testFramework;
    fs.writeFileSync(values, YAML.stringify(v));
    const docs = renderWithKustomize(
      ws,
      'deploy/overlays/c1/kube-prometheus-stack',
    );
    expect(find(docs, 'Pod')?.metadata.annotations['helm.sh/hook']).toBe(
      'test-success',
    );
  }, 60_000);

  it('LoadBalancer entry point: a LoadBalancer Service over the ready receivers, and a warning about TLS', async () => {
    const { outputs } = await runAction(action, ws, {
      cluster: 'c1',
      objectStorage: { secretName: 'objstore', key: 'bucket.yaml' },
      edgeEntryPoint: {
        type: 'loadBalancer',
        annotations: {
          'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
        },
      },
    });
    expect(outputs.edgeRemoteWriteUrl).toBe('');
    expect(outputs.warnings).toEqual([
      expect.stringContaining('terminate TLS at the load balancer'),
    ]);
    const docs = renderWithKustomize(ws, outputs.overlayPath);
    const lb = docs.find(
      d => d.kind === 'Service' && d.spec.type === 'LoadBalancer',
    );
    const sts = find(docs, 'StatefulSet', 'thanos-receive');
    expect(lb.spec.selector).toEqual(sts.spec.selector.matchLabels);
    expect(lb.spec.publishNotReadyAddresses).toBeUndefined();
    expect(lb.spec.ports).toEqual([
      { name: 'remote-write', port: 19291, targetPort: 'remote-write' },
    ]);
    expect(lb.metadata.annotations).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
    });
    expect(sts.spec.template.spec.containers[0].args).toContain(
      '--objstore.config-file=/etc/thanos/objstore/bucket.yaml',
    );
    expect(find(docs, 'Ingress')).toBeUndefined();
  }, 60_000);

  it('is idempotent and never rewrites an existing hashrings.json, but warns when it no longer fits the receivers', async () => {
    await runAction(action, ws, { cluster: 'cluster-01-central', ...required });
    const custom = `${JSON.stringify([{ hashring: 'x', tenants: ['t'], endpoints: ['a:10901'] }], null, 2)}\n`;
    fs.writeFileSync(path.join(ws, OVERLAY, 'hashrings.json'), custom);
    const before = readTree(ws);
    const { outputs } = await runAction(action, ws, {
      cluster: 'cluster-01-central',
      ...required,
    });
    expect(outputs.files).toEqual([]);
    expect(readTree(ws)).toEqual(before);
    expect(outputs.warnings).toEqual([
      expect.stringMatching(
        /hashrings\.json does not fit these receivers: hashring "x" \(ketama\) lists 1 endpoint/,
      ),
    ]);
  });

  it('refuses replicationFactor above replicas, a missing object storage or TLS Secret, bad names and bad memory', async () => {
    await expect(
      runAction(action, ws, {
        cluster: 'c1',
        ...required,
        receiver: { replicas: 1, replicationFactor: 3 },
      }),
    ).rejects.toThrow(/replicationFactor cannot exceed replicas/);
    await expect(
      runAction(action, ws, { cluster: 'c1', edgeEntryPoint: ingress }),
    ).rejects.toThrow(/invalid input: objectStorage/);
    await expect(
      runAction(action, ws, {
        cluster: 'c1',
        ...required,
        edgeEntryPoint: { type: 'ingress', host: 'receive.example.com' },
      }),
    ).rejects.toThrow(/edgeEntryPoint.tlsSecretName/);
    await expect(
      runAction(action, ws, {
        cluster: 'c1',
        ...required,
        edgeEntryPoint: { ...ingress, host: 'https://receive.example.com' },
      }),
    ).rejects.toThrow(/edgeEntryPoint.host/);
    await expect(
      runAction(action, ws, { cluster: '../../etc', ...required }),
    ).rejects.toThrow(/invalid input: cluster/);
    await expect(
      runAction(action, ws, {
        cluster: 'c1',
        ...required,
        receiver: { memoryLimit: '4gb' },
      }),
    ).rejects.toThrow(/receiver.memoryLimit/);
    expect(fs.readdirSync(ws)).toEqual([]);
  });

  it('warns when replication factor 1 runs several replicas', async () => {
    const { outputs } = await runAction(action, ws, {
      cluster: 'c1',
      ...required,
      receiver: { replicationFactor: 1 },
    });
    expect(outputs.warnings).toEqual([
      expect.stringContaining('replicationFactor 1'),
    ]);
    const k = YAML.parse(
      fs.readFileSync(
        path.join(
          ws,
          'deploy/overlays/c1/kube-prometheus-stack/kustomization.yaml',
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
