import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { runAction } from '../__testUtils__/context';
import { makeTempDir, removeDir } from '../__testUtils__/render';
import { createArgocdApplicationAction } from './createArgocdApplication';
import { createEdgeOverlayAction } from './createEdgeOverlay';

const action = createArgocdApplicationAction();

describe('fleet:argocd:create-application', () => {
  let ws: string;
  beforeEach(() => {
    ws = makeTempDir();
  });
  afterEach(() => removeDir(ws));

  it('writes an Application syncing the overlay with automated prune/selfHeal and CreateNamespace; cluster-07-edge gets no doubled role', async () => {
    await runAction(createEdgeOverlayAction(), ws, {
      cluster: 'cluster-07-edge',
      remoteWriteUrl: 'https://r.example.com/api/v1/receive',
    });
    const { outputs } = await runAction(action, ws, {
      cluster: 'cluster-07-edge',
      role: 'edge',
      repoUrl: 'https://github.com/example/fleet-gitops',
      destinationName: 'cluster-07-edge',
    });
    expect(outputs).toMatchObject({
      files: ['deploy/argocd/apps/cluster-07-edge-prometheus-agent.yaml'],
      applicationName: 'cluster-07-edge-prometheus-agent',
      overlayPath: 'deploy/overlays/cluster-07-edge/prometheus-agent',
      warnings: [],
    });
    const app = YAML.parse(
      fs.readFileSync(
        path.join(
          ws,
          'deploy/argocd/apps/cluster-07-edge-prometheus-agent.yaml',
        ),
        'utf8',
      ),
    );
    expect(app).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: 'cluster-07-edge-prometheus-agent',
        namespace: 'argocd',
        labels: {
          'fleet-monitoring.io/cluster': 'cluster-07-edge',
          'fleet-monitoring.io/role': 'edge',
        },
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: {
        project: 'default',
        source: {
          repoURL: 'https://github.com/example/fleet-gitops',
          targetRevision: 'HEAD',
          path: 'deploy/overlays/cluster-07-edge/prometheus-agent',
        },
        destination: { name: 'cluster-07-edge', namespace: 'monitoring' },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: ['CreateNamespace=true'],
        },
      },
    });
  });

  it('central: server-side apply for the big CRDs, manual sync, kustomize version; warns when the overlay is missing', async () => {
    const { outputs } = await runAction(action, ws, {
      cluster: 'cluster-01-central',
      role: 'central',
      repoUrl: 'https://github.com/example/fleet-gitops',
      automated: false,
      kustomizeVersion: 'v5.5.0',
    });
    expect(outputs.warnings).toEqual([
      expect.stringContaining('is not in the workspace'),
    ]);
    const app = YAML.parse(
      fs.readFileSync(
        path.join(
          ws,
          'deploy/argocd/apps/cluster-01-central-kube-prometheus-stack.yaml',
        ),
        'utf8',
      ),
    );
    expect(app.spec.syncPolicy).toEqual({
      syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
    });
    expect(app.spec.source.kustomize).toEqual({ version: 'v5.5.0' });
    expect(app.spec.destination).toEqual({
      server: 'https://kubernetes.default.svc',
      namespace: 'monitoring',
    });
  });

  it('refuses non-https repo URLs, bad roles, both destinations, and differing files without overwrite', async () => {
    const base = {
      cluster: 'c1',
      role: 'edge',
      repoUrl: 'https://g.example.com/r',
    };
    await expect(
      runAction(action, ws, { ...base, repoUrl: 'file:///repo' }),
    ).rejects.toThrow(/repoUrl/);
    await expect(
      runAction(action, ws, { ...base, role: 'hub' }),
    ).rejects.toThrow(/role/);
    await expect(
      runAction(action, ws, {
        ...base,
        destinationName: 'x',
        destinationServer: 'https://k.example.com',
      }),
    ).rejects.toThrow(/not both/);
    await runAction(action, ws, base);
    await expect(
      runAction(action, ws, { ...base, project: 'other' }),
    ).rejects.toThrow(/refusing to replace/);
    await runAction(action, ws, { ...base, project: 'other', overwrite: true });
  });

  it('warns when the Application name cannot be an ArgoCD tracking label (> 63 characters) under label tracking only', async () => {
    const long = {
      cluster: 'c'.repeat(50),
      repoUrl: 'https://g.example.com/r',
    };
    const { outputs } = await runAction(action, ws, {
      ...long,
      role: 'edge',
      trackingMethod: 'label',
    });
    expect(outputs.applicationName).toHaveLength(
      50 + '-prometheus-agent'.length,
    );
    expect(outputs.warnings).toContainEqual(
      expect.stringContaining('longer than 63 characters'),
    );
    const annotation = await runAction(action, ws, {
      ...long,
      role: 'central',
    });
    expect(annotation.outputs.warnings).not.toContainEqual(
      expect.stringContaining('longer than 63 characters'),
    );
  });

  it("refuses label tracking for a central (it breaks kube-prometheus-stack's ServiceMonitors), naming the argocd-cm fix; an edge may use it", async () => {
    const central = {
      cluster: 'cluster-01-central',
      role: 'central',
      repoUrl: 'https://g.example.com/r',
    };
    for (const trackingMethod of ['label', 'annotation+label']) {
      await expect(
        runAction(action, ws, { ...central, trackingMethod }),
      ).rejects.toThrow(
        /app\.kubernetes\.io\/instance=cluster-01-central-kube-prometheus-stack.*application\.resourceTrackingMethod: annotation in argocd-cm/,
      );
    }
    expect(fs.readdirSync(ws)).toEqual([]);
    const { outputs } = await runAction(action, ws, central);
    const app = YAML.parse(
      fs.readFileSync(path.join(ws, outputs.applicationPath), 'utf8'),
    );
    expect(app.metadata.name).toBe('cluster-01-central-kube-prometheus-stack');
    expect(
      fs.readFileSync(path.join(ws, outputs.applicationPath), 'utf8'),
    ).toContain('Needs annotation tracking');
    await runAction(action, ws, {
      cluster: 'cluster-02-edge',
      role: 'edge',
      repoUrl: 'https://g.example.com/r',
      trackingMethod: 'label',
    });
  });
});
