import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import {
  find,
  makeTempDir,
  promtoolCheck,
  removeDir,
  renderWithKustomize,
} from '../__testUtils__/render';
import {
  HASHRING_CONFIGMAP,
  RECEIVE_REPLICA_LABEL,
} from '@fleet-monitoring/plugin-monitoring-common';
import { hashringFileSchema } from '../lib/hashring';
import {
  dryRun,
  loadTemplate,
  startScaffolder,
  writeDirectoryContents,
} from '../__testUtils__/dryRunBackend';

/**
 * End to end: the real scaffolder backend runs templates/new-cluster/template.yaml as a dry-run with our
 * module; the files it returns are written out and rendered with kustomize + helm.
 */
describe('templates/new-cluster through the real scaffolder backend (dry-run)', () => {
  let backend: Awaited<ReturnType<typeof startScaffolder>>;
  const template = loadTemplate();
  const dirs: string[] = [];

  beforeAll(async () => {
    backend = await startScaffolder();
  }, 60_000);
  afterAll(async () => {
    await backend?.stop();
    dirs.forEach(removeDir);
  });

  const common = {
    owner: 'group:default/platform',
    repoUrl: 'github.com?owner=example&repo=fleet-gitops',
    baseBranch: 'main',
  };

  it('edge cluster: agent overlay, ArgoCD app and catalog entity that render and validate', async () => {
    const { status, body } = await dryRun(backend.server, template, {
      ...common,
      clusterName: 'cluster-02-edge',
      role: 'edge',
      region: 'eu-west-1',
      chartVersion: '26.0.0',
      remoteWriteUrl: 'https://receive.example.com/api/v1/receive',
      tlsMode: 'insecure',
      authType: 'bearer',
      authSecretName: 'rw-token',
      memoryRequest: '512Mi',
      memoryLimit: '1Gi',
      argocdDestination: 'cluster-02-edge',
    });
    expect(status).toBe(200);
    expect(JSON.stringify(body.output)).toContain(
      'Edge cluster: no central endpoints.',
    );
    const messages = body.log.map(l => l.body.message).join('\n');
    expect(messages).toContain('insecure_skip_verify');
    // The PR step is skipped on dry-runs (no GitHub module, no network needed).
    expect(
      body.log.some(
        l => l.body.stepId === 'publish' && l.body.status === 'skipped',
      ),
    ).toBe(true);
    expect(
      body.log.some(
        l => l.body.stepId === 'fetch-central' && l.body.status === 'skipped',
      ),
    ).toBe(true);
    const files = body.directoryContents.map(f => f.path).sort();
    expect(files).toEqual(
      expect.arrayContaining([
        'catalog/clusters/cluster-02-edge.yaml',
        'deploy/argocd/apps/cluster-02-edge-prometheus-agent.yaml',
        'deploy/base/prometheus-agent/kustomization.yaml',
        'deploy/base/prometheus-agent/values.yaml',
        'deploy/overlays/cluster-02-edge/prometheus-agent/kustomization.yaml',
        'deploy/overlays/cluster-02-edge/prometheus-agent/values.yaml',
      ]),
    );
    expect(files.filter(f => f.includes('kube-prometheus-stack'))).toEqual([]);

    const dir = makeTempDir();
    dirs.push(dir);
    writeDirectoryContents(dir, body.directoryContents);
    const docs = renderWithKustomize(
      dir,
      'deploy/overlays/cluster-02-edge/prometheus-agent',
    );
    expect(
      find(docs, 'Deployment').spec.template.spec.containers[0].args,
    ).toContain('--agent');
    const cfg = YAML.parse(
      find(docs, 'ConfigMap', 'prometheus-agent-server').data['prometheus.yml'],
    );
    expect(cfg.global.external_labels).toEqual({
      cluster: 'cluster-02-edge',
      region: 'eu-west-1',
    });
    expect(cfg.remote_write[0].queue_config.retry_on_http_429).toBe(true);
    expect(cfg.remote_write[0].tls_config).toEqual({
      insecure_skip_verify: true,
    });
    expect(promtoolCheck(cfg, true).ok).toBe(true);

    const entity = YAML.parse(
      fs.readFileSync(
        path.join(dir, 'catalog/clusters/cluster-02-edge.yaml'),
        'utf8',
      ),
    );
    expect(entity).toMatchObject({
      kind: 'Resource',
      metadata: {
        name: 'cluster-02-edge',
        annotations: {
          'fleet-monitoring.io/cluster': 'cluster-02-edge',
          'argocd/app-name': 'cluster-02-edge-prometheus-agent',
        },
      },
      spec: { type: 'kubernetes-cluster', owner: 'group:default/platform' },
    });
    const app = YAML.parse(
      fs.readFileSync(
        path.join(
          dir,
          'deploy/argocd/apps/cluster-02-edge-prometheus-agent.yaml',
        ),
        'utf8',
      ),
    );
    expect(app.spec.source).toEqual({
      repoURL: 'https://github.com/example/fleet-gitops',
      targetRevision: 'main',
      path: 'deploy/overlays/cluster-02-edge/prometheus-agent',
    });
    expect(app.spec.destination).toEqual({
      name: 'cluster-02-edge',
      namespace: 'monitoring',
    });
  }, 120_000);

  it('central cluster: receivers uploading to the named bucket Secret, their hashring, Thanos Query and an Ingress for the edges', async () => {
    const { status, body } = await dryRun(backend.server, template, {
      ...common,
      clusterName: 'cluster-01-central',
      role: 'central',
      receiverReplicas: 2,
      replicationFactor: 2,
      hashringAlgorithm: 'hashmod',
      receiverMemory: '3Gi',
      objstoreSecretName: 'thanos-objstore',
      edgeEntryPoint: 'ingress',
      ingressHost: 'receive.example.com',
      ingressTlsSecretName: 'receive-tls',
      edgeAuth: 'basic',
      edgeAuthSecretName: 'receive-htpasswd',
      storeGatewayAddress:
        'dnssrv+_grpc._tcp.thanos-store.monitoring.svc.cluster.local',
      recordingRules: 'thanosRuler',
    });
    expect(status).toBe(200);
    expect(JSON.stringify(body.output)).toContain(
      'Edges authenticate with `basic`',
    );
    const outputText = JSON.stringify(body.output);
    expect(outputText).toContain(
      'Edge agents remote-write to `https://receive.example.com/api/v1/receive`',
    );
    expect(outputText).toContain(
      'http://thanos-query.monitoring.svc.cluster.local:10902',
    );
    const dir = makeTempDir();
    dirs.push(dir);
    writeDirectoryContents(dir, body.directoryContents);
    const docs = renderWithKustomize(
      dir,
      'deploy/overlays/cluster-01-central/kube-prometheus-stack',
    );
    const sts = find(docs, 'StatefulSet', 'thanos-receive');
    expect(sts.spec.replicas).toBe(2);
    // The fleet recording rules' Ruler, with the group for the default 5m window.
    expect(
      find(docs, 'Deployment', 'thanos-rule').spec.template.spec.containers[0]
        .args,
    ).toContain('--rule-file=/etc/thanos/rules/*.yaml');
    expect(
      docs.find(
        d =>
          d.kind === 'ConfigMap' &&
          d.metadata.name.startsWith('thanos-rule-fleet-rules-'),
      ).data['fleet-recording-rules.yaml'],
    ).toContain('fleet-monitoring-remote-write-5m');
    expect(sts.spec.template.spec.containers[0].args).toEqual(
      expect.arrayContaining([
        '--receive.replication-factor=2',
        '--receive.hashrings-algorithm=hashmod',
        '--objstore.config-file=/etc/thanos/objstore/objstore.yml',
      ]),
    );
    expect(sts.spec.template.spec.containers[0].resources.limits.memory).toBe(
      '3Gi',
    );
    const hashrings = hashringFileSchema.parse(
      JSON.parse(
        find(docs, 'ConfigMap', HASHRING_CONFIGMAP).data['hashrings.json'],
      ),
    );
    expect(hashrings[0].endpoints).toHaveLength(2);
    expect(
      find(docs, 'Deployment', 'thanos-query').spec.template.spec.containers[0]
        .args,
    ).toContain(`--query.replica-label=${RECEIVE_REPLICA_LABEL}`);
    expect(find(docs, 'Ingress').spec.tls).toEqual([
      { hosts: ['receive.example.com'], secretName: 'receive-tls' },
    ]);
    expect(find(docs, 'Ingress').metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/auth-type': 'basic',
      'nginx.ingress.kubernetes.io/auth-secret': 'receive-htpasswd',
    });
    expect(
      find(docs, 'Deployment', 'thanos-query').spec.template.spec.containers[0]
        .args,
    ).toContain(
      '--endpoint=dnssrv+_grpc._tcp.thanos-store.monitoring.svc.cluster.local',
    );
    expect(
      docs
        .filter(
          d =>
            d.kind === 'ServiceMonitor' &&
            d.metadata.name.startsWith('thanos-'),
        )
        .map(d => d.metadata.name)
        .sort(),
    ).toEqual(['thanos-query', 'thanos-receive', 'thanos-store']);
    const entity = YAML.parse(
      fs.readFileSync(
        path.join(dir, 'catalog/clusters/cluster-01-central.yaml'),
        'utf8',
      ),
    );
    expect(
      entity.metadata.annotations['fleet-monitoring.io/open-write-endpoint'],
    ).toBeUndefined();
    expect(find(docs, 'Prometheus').spec.externalLabels).toEqual({
      cluster: 'cluster-01-central',
    });
    const app = YAML.parse(
      fs.readFileSync(
        path.join(
          dir,
          'deploy/argocd/apps/cluster-01-central-kube-prometheus-stack.yaml',
        ),
        'utf8',
      ),
    );
    expect(app.spec.source.path).toBe(
      'deploy/overlays/cluster-01-central/kube-prometheus-stack',
    );
    expect(app.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
  }, 120_000);

  it('an open entry point is an explicit choice recorded on the catalog entity; the shared base and the live hashring come from the repository and are never rewritten (S3, S7)', async () => {
    const tunedBase =
      '# tuned by the platform team\nprometheus:\n  prometheusSpec:\n    retention: 3d\n    serviceMonitorSelectorNilUsesHelmValues: false\n';
    backend.repo.set(
      'deploy/base/kube-prometheus-stack/values.yaml',
      tunedBase,
    );
    backend.repo.set(
      'deploy/base/kube-prometheus-stack/kustomization.yaml',
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n# tuned\n',
    );
    try {
      const { status, body } = await dryRun(backend.server, template, {
        ...common,
        clusterName: 'lab-central',
        role: 'central',
        receiverReplicas: 1,
        replicationFactor: 1,
        objstoreSecretName: 'thanos-objstore',
        edgeEntryPoint: 'loadBalancer',
        edgeAuth: 'none',
        loadBalancerTls: 'none',
      });
      expect(status).toBe(200);
      const dir = makeTempDir();
      dirs.push(dir);
      writeDirectoryContents(dir, body.directoryContents);
      const entity = YAML.parse(
        fs.readFileSync(
          path.join(dir, 'catalog/clusters/lab-central.yaml'),
          'utf8',
        ),
      );
      expect(
        entity.metadata.annotations['fleet-monitoring.io/open-write-endpoint'],
      ).toBe('true');
      // The fetched base is what the pull request carries (unchanged: no diff), not fresh defaults.
      expect(
        fs.readFileSync(
          path.join(dir, 'deploy/base/kube-prometheus-stack/values.yaml'),
          'utf8',
        ),
      ).toBe(tunedBase);
      const values = YAML.parse(
        fs.readFileSync(
          path.join(
            dir,
            'deploy/overlays/lab-central/kube-prometheus-stack/values.yaml',
          ),
          'utf8',
        ),
      );
      expect(values.prometheus.prometheusSpec.retention).toBe('3d');
      const messages = body.log.map(l => l.body.message).join('\n');
      expect(messages).toContain('auth: none');
    } finally {
      backend.repo.clear();
    }
  }, 120_000);

  it('a central re-run that would drop receivers the repository hashring still lists is refused (S5)', async () => {
    const overlay = 'deploy/overlays/cluster-01-central/kube-prometheus-stack';
    backend.repo.set(
      `${overlay}/hashrings.json`,
      JSON.stringify([
        {
          hashring: 'default',
          endpoints: [0, 1, 2].map(
            i =>
              `thanos-receive-${i}.thanos-receive.monitoring.svc.cluster.local:10901`,
          ),
        },
      ]),
    );
    try {
      const { status, body } = await dryRun(backend.server, template, {
        ...common,
        clusterName: 'cluster-01-central',
        role: 'central',
        receiverReplicas: 2,
        replicationFactor: 2,
        objstoreSecretName: 'thanos-objstore',
        edgeEntryPoint: 'ingress',
        ingressHost: 'receive.example.com',
        ingressTlsSecretName: 'receive-tls',
        edgeAuth: 'mtls',
        edgeAuthSecretName: 'edge-ca',
      });
      expect(status).toBe(400);
      expect(JSON.stringify(body)).toMatch(
        /thanos-receive-2\.thanos-receive\.monitoring\.svc\.cluster\.local:10901; writes would be forwarded to pods that do not exist/,
      );
    } finally {
      backend.repo.clear();
    }
  }, 60_000);

  it('central cluster without an Ingress host is refused with the field named', async () => {
    const { status, body } = await dryRun(backend.server, template, {
      ...common,
      clusterName: 'cluster-01-central',
      role: 'central',
      objstoreSecretName: 'thanos-objstore',
      edgeEntryPoint: 'ingress',
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { name: 'InputError' } });
    expect(JSON.stringify(body)).toMatch(
      /edgeEntryPoint\.host: an ingress entry point needs host/,
    );
  }, 60_000);

  it('refuses bad input through the API', async () => {
    const { status, body } = await dryRun(backend.server, template, {
      ...common,
      clusterName: 'Bad_Name',
      role: 'edge',
      remoteWriteUrl: 'https://r.example.com/api/v1/receive',
    });
    expect(status).toBe(400);
    expect(JSON.stringify(body)).toContain('clusterName');
  }, 60_000);
});
