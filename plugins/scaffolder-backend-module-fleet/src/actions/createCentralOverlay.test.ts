import {
  CLUSTER_LABEL,
  HASHRING_CONFIGMAP,
  HASHRING_KEY,
  RECEIVE_REPLICA_LABEL,
  RECEIVE_SELECTOR,
  THANOS_JOBS,
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
import { planFleet } from '../plan/fleet';
import { createCentralOverlayAction } from './createCentralOverlay';

const action = createCentralOverlayAction();
const OVERLAY = 'deploy/overlays/cluster-01-central/kube-prometheus-stack';
const ingress = {
  type: 'ingress',
  host: 'receive.example.com',
  tlsSecretName: 'receive-tls',
  ingressClassName: 'nginx',
  auth: 'basic',
  authSecretName: 'receive-htpasswd',
} as const;
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
        `${OVERLAY}/servicemonitors.yaml`,
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
        auth: 'none',
        tls: 'none',
        annotations: {
          'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
        },
      },
    });
    expect(outputs.edgeRemoteWriteUrl).toBe('');
    expect(outputs.openWriteEndpoint).toBe(true);
    expect(outputs.edgeAuth).toBe('none');
    expect(outputs.warnings).toEqual([
      expect.stringContaining('auth: none: anyone who reaches it can write'),
      expect.stringContaining('plain-HTTP remote-write port (tls: none)'),
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
    const receiver0 =
      'thanos-receive-0.thanos-receive.monitoring.svc.cluster.local:10901';
    const custom = `${JSON.stringify([{ hashring: 'x', tenants: ['t'], endpoints: [receiver0] }], null, 2)}\n`;
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
    ).rejects.toThrow(
      /replicationFactor cannot exceed replicas .*: lower replicationFactor or raise replicas/,
    );
    await expect(
      runAction(action, ws, { cluster: 'c1', edgeEntryPoint: ingress }),
    ).rejects.toThrow(/invalid input: objectStorage/);
    await expect(
      runAction(action, ws, {
        cluster: 'c1',
        ...required,
        edgeEntryPoint: {
          type: 'ingress',
          host: 'receive.example.com',
          auth: 'none',
        },
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
      expect.stringContaining(
        'PodDisruptionBudget allows no voluntary disruption',
      ),
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

  /** The Services a ServiceMonitor selects: same namespace(s), every selector label, the named port. */
  const selectedServices = (docs: any[], sm: any) =>
    docs.filter(
      d =>
        d.kind === 'Service' &&
        sm.spec.namespaceSelector.matchNames.includes(d.metadata.namespace) &&
        Object.entries(sm.spec.selector.matchLabels).every(
          ([k, v]) => d.metadata.labels?.[k] === v,
        ) &&
        d.spec.ports.some((p: any) => p.name === sm.spec.endpoints[0].port),
    );
  const jobOf = (sm: any) =>
    sm.spec.endpoints[0].relabelings.find((r: any) => r.targetLabel === 'job')
      .replacement;

  it("monitors itself (S1): ServiceMonitors for Receive and Query on their http port, with the job names the backend's default selectors match, picked by the chart's Prometheus", async () => {
    await runAction(action, ws, { cluster: 'cluster-01-central', ...required });
    const docs = renderWithKustomize(ws, OVERLAY);
    const monitors = docs.filter(
      d => d.kind === 'ServiceMonitor' && d.metadata.name.startsWith('thanos-'),
    );
    expect(monitors.map(m => m.apiVersion)).toEqual([
      'monitoring.coreos.com/v1',
      'monitoring.coreos.com/v1',
    ]);
    const receive = find(docs, 'ServiceMonitor', THANOS_JOBS.receive);
    const query = find(docs, 'ServiceMonitor', THANOS_JOBS.query);
    // The backend's default Receive selector is job=~".*thanos-receive.*" (entityQuestions.ts).
    expect(jobOf(receive)).toMatch(/^.*thanos-receive.*$/);
    expect(jobOf(query)).toBe('thanos-query');
    for (const sm of [receive, query]) {
      expect(sm.metadata.namespace).toBe('monitoring');
      expect(sm.metadata.labels.release).toBe('kube-prometheus-stack');
      expect(sm.spec.endpoints[0]).toMatchObject({
        port: 'http',
        path: '/metrics',
      });
    }
    // Each selects exactly one Service, whose http port is Thanos' HTTP port (where /metrics is).
    const [receiveSvc] = selectedServices(docs, receive);
    expect(selectedServices(docs, receive)).toHaveLength(1);
    expect(receiveSvc.metadata.name).toBe('thanos-receive');
    expect(receiveSvc.spec.ports).toContainEqual({
      name: 'http',
      port: THANOS_PORTS.http,
      targetPort: 'http',
    });
    expect(selectedServices(docs, query).map(d => d.metadata.name)).toEqual([
      'thanos-query',
    ]);
    // The central's Prometheus selects every ServiceMonitor (the base widens the selector).
    expect(find(docs, 'Prometheus').spec.serviceMonitorSelector).toEqual({});
  }, 60_000);

  it('production receivers after kube-thanos (S1, S8): 900 s grace, spread over hosts (hard) and zones, a PodDisruptionBudget keeping the write quorum per Thanos version', async () => {
    await runAction(action, ws, { cluster: 'cluster-01-central', ...required });
    let docs = renderWithKustomize(ws, OVERLAY);
    const sts = find(docs, 'StatefulSet', 'thanos-receive');
    expect(sts.spec.template.spec.terminationGracePeriodSeconds).toBe(900);
    expect(sts.spec.template.spec.topologySpreadConstraints).toEqual([
      expect.objectContaining({
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'DoNotSchedule',
        maxSkew: 1,
      }),
      expect.objectContaining({
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'ScheduleAnyway',
      }),
    ]);
    const pdb = find(docs, 'PodDisruptionBudget', 'thanos-receive');
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(pdb.metadata.namespace).toBe('monitoring');
    expect(pdb.spec.selector.matchLabels).toEqual(
      sts.spec.selector.matchLabels,
    );
    // RF 3, quorum 2: one receiver may be drained at a time.
    expect(pdb.spec.maxUnavailable).toBe(1);

    // RF 2: quorum 2 on v0.35.1 (RF/2+1), 1 from v0.37.0 (handler.go writeQuorum).
    const rf2 = (image: string) => ({
      cluster: 'cluster-01-central',
      ...required,
      receiver: { replicas: 3, replicationFactor: 2, image },
      overwrite: true,
    });
    const old = await runAction(
      action,
      ws,
      rf2('quay.io/thanos/thanos:v0.35.1'),
    );
    docs = renderWithKustomize(ws, OVERLAY);
    expect(find(docs, 'PodDisruptionBudget').spec.maxUnavailable).toBe(0);
    expect(old.outputs.warnings).toContainEqual(
      expect.stringContaining('raise replicationFactor to 3'),
    );
    await runAction(action, ws, rf2('quay.io/thanos/thanos:v0.37.0'));
    docs = renderWithKustomize(ws, OVERLAY);
    expect(find(docs, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
  }, 120_000);

  it('Query reads a Store gateway the user names (S8), with --endpoint up to v0.37 and --endpoint.sd-config from v0.38; Store gateway and Compactor are scraped', async () => {
    const store = {
      address: 'dnssrv+_grpc._tcp.thanos-store.storage.svc.cluster.local',
      namespace: 'storage',
      serviceLabels: { 'app.kubernetes.io/name': 'thanos-store' },
    };
    const compactor = {
      serviceLabels: { app: 'compactor' },
      metricsPort: 'metrics',
    };
    await runAction(action, ws, {
      cluster: 'cluster-01-central',
      ...required,
      storeGateway: store,
      compactor,
    });
    let docs = renderWithKustomize(ws, OVERLAY);
    const args = () =>
      find(docs, 'Deployment', 'thanos-query').spec.template.spec.containers[0]
        .args;
    expect(args()).toEqual(
      expect.arrayContaining([
        '--endpoint=dnssrv+_grpc._tcp.thanos-receive.monitoring.svc.cluster.local',
        `--endpoint=${store.address}`,
      ]),
    );
    expect(
      args().some((a: string) => a.startsWith('--endpoint.sd-config')),
    ).toBe(false);
    const storeSm = find(docs, 'ServiceMonitor', 'thanos-store');
    expect(jobOf(storeSm)).toBe(THANOS_JOBS.store);
    expect(storeSm.metadata.namespace).toBe('monitoring');
    expect(storeSm.spec.namespaceSelector.matchNames).toEqual(['storage']);
    expect(storeSm.spec.selector.matchLabels).toEqual(store.serviceLabels);
    const compactSm = find(docs, 'ServiceMonitor', 'thanos-compact');
    expect(jobOf(compactSm)).toBe(THANOS_JOBS.compact);
    expect(compactSm.spec.endpoints[0].port).toBe('metrics');
    expect(compactSm.spec.namespaceSelector.matchNames).toEqual(['monitoring']);

    await runAction(action, ws, {
      cluster: 'cluster-01-central',
      ...required,
      receiver: { image: 'quay.io/thanos/thanos:v0.42.4' },
      storeGateway: store,
      overwrite: true,
    });
    docs = renderWithKustomize(ws, OVERLAY);
    const sd = args().filter((a: string) => a.startsWith('--endpoint'));
    expect(sd).toHaveLength(1);
    expect(YAML.parse(sd[0].slice('--endpoint.sd-config='.length))).toEqual({
      endpoints: [
        {
          address:
            'dnssrv+_grpc._tcp.thanos-receive.monitoring.svc.cluster.local',
        },
        { address: store.address },
      ],
    });
    expect(find(docs, 'ServiceMonitor', 'thanos-compact')).toBeUndefined();
  }, 120_000);

  it("safe as written (S2): no namespace transformer, so kube-prometheus-stack's kube-system Services stay in kube-system while every object of ours is in the central's namespace", async () => {
    await runAction(action, ws, {
      cluster: 'cluster-01-central',
      ...required,
      namespace: 'observability',
    });
    const k = YAML.parse(
      fs.readFileSync(path.join(ws, OVERLAY, 'kustomization.yaml'), 'utf8'),
    );
    expect(k.namespace).toBeUndefined();
    const base = YAML.parse(
      fs.readFileSync(
        path.join(ws, 'deploy/base/kube-prometheus-stack/kustomization.yaml'),
        'utf8',
      ),
    );
    expect(base.namespace).toBeUndefined();
    for (const dir of [OVERLAY, 'deploy/base/kube-prometheus-stack']) {
      const docs = renderWithKustomize(ws, dir);
      const kubeSystem = docs.filter(
        d => d.metadata?.namespace === 'kube-system',
      );
      expect(
        kubeSystem.map(d => `${d.kind}/${d.metadata.name}`).sort(),
      ).toEqual(
        [
          'coredns',
          'kube-controller-manager',
          'kube-etcd',
          'kube-proxy',
          'kube-scheduler',
        ].map(c => `Service/kube-prometheus-stack-${c}`),
      );
      const others = docs.filter(
        d =>
          d.metadata?.namespace !== 'kube-system' &&
          d.kind !== 'CustomResourceDefinition',
      );
      expect(others.length).toBeGreaterThan(5);
      for (const d of others)
        expect([d.kind, d.metadata.name, d.metadata.namespace]).toEqual([
          d.kind,
          d.metadata.name,
          'observability',
        ]);
    }
  }, 120_000);

  it('the edge entry point authenticates (S3): basic auth, client certificates or a bearer check at the ingress; open only by auth: none, which the output records', async () => {
    const run = (edgeEntryPoint: Record<string, unknown>) =>
      runAction(action, ws, {
        cluster: 'cluster-01-central',
        ...required,
        edgeEntryPoint: { ...ingress, ...edgeEntryPoint },
        overwrite: true,
      });
    const ingressAnnotations = () =>
      find(renderWithKustomize(ws, OVERLAY), 'Ingress').metadata.annotations;

    let r = await run({ auth: 'basic', authSecretName: 'receive-htpasswd' });
    expect(r.outputs).toMatchObject({
      edgeAuth: 'basic',
      openWriteEndpoint: false,
    });
    expect(ingressAnnotations()).toMatchObject({
      'nginx.ingress.kubernetes.io/auth-type': 'basic',
      'nginx.ingress.kubernetes.io/auth-secret': 'receive-htpasswd',
    });
    r = await run({ auth: 'mtls', authSecretName: 'edge-client-ca' });
    expect(r.outputs.edgeAuth).toBe('mtls');
    expect(ingressAnnotations()).toMatchObject({
      'nginx.ingress.kubernetes.io/auth-tls-secret':
        'monitoring/edge-client-ca',
      'nginx.ingress.kubernetes.io/auth-tls-verify-client': 'on',
    });
    r = await run({
      auth: 'bearer',
      authUrl: 'https://auth.example.com/check',
    });
    expect(r.outputs.edgeAuth).toBe('bearer');
    expect(ingressAnnotations()).toMatchObject({
      'nginx.ingress.kubernetes.io/auth-url': 'https://auth.example.com/check',
    });
    // A user annotation cannot switch the authentication off.
    r = await run({
      auth: 'basic',
      authSecretName: 'receive-htpasswd',
      annotations: { 'nginx.ingress.kubernetes.io/auth-type': 'none' },
    });
    expect(ingressAnnotations()['nginx.ingress.kubernetes.io/auth-type']).toBe(
      'basic',
    );
    r = await run({ auth: 'none' });
    expect(r.outputs).toMatchObject({
      edgeAuth: 'none',
      openWriteEndpoint: true,
    });
    expect(ingressAnnotations()).toBeUndefined();
    expect(r.outputs.warnings).toContainEqual(
      expect.stringContaining('fleet-monitoring.io/open-write-endpoint'),
    );
  }, 120_000);

  it('refuses an entry point that cannot authenticate or says nothing, naming the fix (S3, S6)', async () => {
    const refuse = (edgeEntryPoint: Record<string, unknown>, message: RegExp) =>
      expect(
        runAction(action, ws, { cluster: 'c1', ...required, edgeEntryPoint }),
      ).rejects.toThrow(message);
    await refuse(
      { ...ingress, auth: undefined },
      /edgeEntryPoint\.auth: Required/,
    );
    await refuse(
      { ...ingress, auth: 'basic', authSecretName: undefined },
      /edgeEntryPoint\.authSecretName: auth basic needs the Secret holding the htpasswd file/,
    );
    await refuse(
      { ...ingress, auth: 'bearer' },
      /edgeEntryPoint\.authUrl: auth bearer needs/,
    );
    await refuse(
      { type: 'loadBalancer', auth: 'basic', authSecretName: 'x' },
      /cannot check basic credentials.*use type: ingress with auth: basic, or auth: none/,
    );
    await refuse(
      { type: 'loadBalancer', auth: 'none' },
      /edgeEntryPoint\.tls: .*say which with tls: loadBalancer .* or tls: none/,
    );
    expect(fs.readdirSync(ws)).toEqual([]);
  });

  it('refuses to shrink the receivers while hashrings.json still lists the removed ones (S5), naming the fix; accepts once the file no longer does', async () => {
    await runAction(action, ws, { cluster: 'cluster-01-central', ...required });
    const before = readTree(ws);
    await expect(
      runAction(action, ws, {
        cluster: 'cluster-01-central',
        ...required,
        receiver: { replicas: 2, replicationFactor: 2 },
        overwrite: true,
      }),
    ).rejects.toThrow(
      /lists endpoint\(s\) that are not among the 2 receivers this run writes: thanos-receive-2\.thanos-receive\.monitoring\.svc\.cluster\.local:10901; .*Remove them from every hashring first/,
    );
    expect(readTree(ws)).toEqual(before);
    const file = path.join(ws, OVERLAY, 'hashrings.json');
    const rings = JSON.parse(fs.readFileSync(file, 'utf8'));
    rings[0].endpoints = rings[0].endpoints.slice(0, 2);
    fs.writeFileSync(file, JSON.stringify(rings));
    const { outputs } = await runAction(action, ws, {
      cluster: 'cluster-01-central',
      ...required,
      receiver: { replicas: 2, replicationFactor: 2 },
      overwrite: true,
    });
    expect(outputs.files).toContain(`${OVERLAY}/thanos-receiver.yaml`);
    expect(outputs.files).not.toContain(`${OVERLAY}/hashrings.json`);
  });

  it('refuses names and inputs with bidi, invisible or look-alike characters with a clear InputError (#19)', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [
        { cluster: '\u202ecluster-01-central\u202c' },
        /cluster contains the bidirectional control character U\+202E at position 0/,
      ],
      [
        { cluster: 'cluster\u200b-01' },
        /cluster contains the invisible character U\+200B at position 7/,
      ],
      [
        { cluster: 'clust\u0435r-01' },
        /cluster mixes Latin letters with U\+0435 at position 5/,
      ],
      [
        { cluster: 'c1', tenant: 'team\u2066a' },
        /tenant contains the bidirectional control character U\+2066/,
      ],
      [
        { cluster: 'c1', externalLabels: { env: 'prod\u200d' } },
        /externalLabels\.env contains the invisible character U\+200D/,
      ],
      [
        {
          cluster: 'c1',
          edgeEntryPoint: { ...ingress, host: 'rec\u0435ive.example.com' },
        },
        /edgeEntryPoint\.host mixes Latin letters/,
      ],
    ];
    for (const [input, message] of cases) {
      const err = await runAction(action, ws, { ...required, ...input }).catch(
        e => e,
      );
      expect(err.name).toBe('InputError');
      expect(err.message).toMatch(message);
      expect(err.message).toMatch(/type the value again without it/);
    }
    expect(fs.readdirSync(ws)).toEqual([]);
  });

  it("plans a whole fleet in memory (planFleet): the same files the actions write, the ServiceMonitors parsed, each edge agent's remote write with the credentials the entry point checks", async () => {
    const plan = await planFleet({
      central: { cluster: 'cluster-01-central', ...required },
      edges: ['cluster-02-edge', 'cluster-03-edge'].map(cluster => ({
        cluster,
        remoteWriteUrl: 'https://receive.example.com/api/v1/receive',
        auth: { type: 'basic', secretName: 'rw-basic', username: cluster },
      })),
    });
    await runAction(action, ws, { cluster: 'cluster-01-central', ...required });
    for (const [p, content] of Object.entries(readTree(ws)))
      expect(plan.files.get(p)).toBe(content);
    expect(plan.central.serviceMonitors.map(jobOf)).toEqual([
      'thanos-receive',
      'thanos-query',
    ]);
    expect(
      plan.central.manifests
        .filter(d => d.kind === 'Service')
        .map(d => d.metadata.name),
    ).toEqual(['thanos-receive', 'thanos-receive-write', 'thanos-query']);
    expect(
      plan.edges.map(
        e => e.values.server.global.external_labels[CLUSTER_LABEL],
      ),
    ).toEqual(['cluster-02-edge', 'cluster-03-edge']);
    expect(plan.edges[0].values.server.remoteWrite[0]).toMatchObject({
      url: 'https://receive.example.com/api/v1/receive',
      basic_auth: {
        username: 'cluster-02-edge',
        password_file: '/etc/prometheus/remote-write-auth/password',
      },
    });
    // The second edge reuses the base the first one planned (one shared base).
    expect(
      [...plan.files.keys()].filter(p =>
        p.startsWith('deploy/base/prometheus-agent/'),
      ),
    ).toHaveLength(2);
  });
});
