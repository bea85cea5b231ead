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
      clusterName: 'cluster-02',
      role: 'edge',
      region: 'eu-west-1',
      remoteWriteUrl: 'https://receive.example.com/api/v1/receive',
      tlsMode: 'insecure',
      authType: 'bearer',
      authSecretName: 'rw-token',
      memoryRequest: '512Mi',
      memoryLimit: '1Gi',
      argocdDestination: 'cluster-02',
    });
    expect(status).toBe(200);
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
        l => l.body.stepId === 'fetch-hashring' && l.body.status === 'skipped',
      ),
    ).toBe(true);
    const files = body.directoryContents.map(f => f.path).sort();
    expect(files).toEqual(
      expect.arrayContaining([
        'catalog/clusters/cluster-02.yaml',
        'deploy/argocd/apps/cluster-02-edge.yaml',
        'deploy/base/prometheus-agent/kustomization.yaml',
        'deploy/base/prometheus-agent/values.yaml',
        'deploy/overlays/cluster-02-edge/prometheus-agent/kustomization.yaml',
        'deploy/overlays/cluster-02-edge/prometheus-agent/values.yaml',
      ]),
    );
    expect(
      files.some(
        f => f.startsWith('deploy/overlays/') && f.includes('central'),
      ),
    ).toBe(false);

    const dir = makeTempDir();
    dirs.push(dir);
    writeDirectoryContents(dir, body.directoryContents);
    const docs = renderWithKustomize(
      dir,
      'deploy/overlays/cluster-02-edge/prometheus-agent',
    );
    const cfg = YAML.parse(
      find(docs, 'ConfigMap', 'prometheus-agent-server').data['prometheus.yml'],
    );
    expect(cfg.global.external_labels).toEqual({
      cluster: 'cluster-02',
      region: 'eu-west-1',
    });
    expect(cfg.remote_write[0].tls_config).toEqual({
      insecure_skip_verify: true,
    });
    expect(promtoolCheck(cfg, true).ok).toBe(true);

    const entity = YAML.parse(
      fs.readFileSync(
        path.join(dir, 'catalog/clusters/cluster-02.yaml'),
        'utf8',
      ),
    );
    expect(entity).toMatchObject({
      kind: 'Resource',
      metadata: {
        name: 'cluster-02',
        annotations: {
          'fleet-monitoring.io/cluster': 'cluster-02',
          'argocd/app-name': 'cluster-02-edge',
        },
      },
      spec: { type: 'kubernetes-cluster', owner: 'group:default/platform' },
    });
    const app = YAML.parse(
      fs.readFileSync(
        path.join(dir, 'deploy/argocd/apps/cluster-02-edge.yaml'),
        'utf8',
      ),
    );
    expect(app.spec.source).toEqual({
      repoURL: 'https://github.com/example/fleet-gitops',
      targetRevision: 'main',
      path: 'deploy/overlays/cluster-02-edge/prometheus-agent',
    });
    expect(app.spec.destination).toEqual({
      name: 'cluster-02',
      namespace: 'monitoring',
    });
  }, 120_000);

  it('central cluster: kube-prometheus-stack + Thanos Receive with its hashring', async () => {
    const { status, body } = await dryRun(backend.server, template, {
      ...common,
      clusterName: 'cluster-01',
      role: 'central',
      receiverReplicas: 2,
      replicationFactor: 2,
      hashringAlgorithm: 'hashmod',
      receiverMemory: '3Gi',
    });
    expect(status).toBe(200);
    const dir = makeTempDir();
    dirs.push(dir);
    writeDirectoryContents(dir, body.directoryContents);
    const docs = renderWithKustomize(
      dir,
      'deploy/overlays/cluster-01-central/kube-prometheus-stack',
    );
    const sts = find(docs, 'StatefulSet', 'thanos-receive');
    expect(sts.spec.replicas).toBe(2);
    expect(sts.spec.template.spec.containers[0].args).toEqual(
      expect.arrayContaining([
        '--receive.replication-factor=2',
        '--receive.hashrings-algorithm=hashmod',
      ]),
    );
    expect(sts.spec.template.spec.containers[0].resources.limits.memory).toBe(
      '3Gi',
    );
    const hashrings = hashringFileSchema.parse(
      JSON.parse(
        find(docs, 'ConfigMap', 'thanos-receive-hashrings').data[
          'hashrings.json'
        ],
      ),
    );
    expect(hashrings[0].endpoints).toHaveLength(2);
    expect(find(docs, 'Prometheus').spec.externalLabels).toEqual({
      cluster: 'cluster-01',
    });
    const app = YAML.parse(
      fs.readFileSync(
        path.join(dir, 'deploy/argocd/apps/cluster-01-central.yaml'),
        'utf8',
      ),
    );
    expect(app.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
  }, 120_000);

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
