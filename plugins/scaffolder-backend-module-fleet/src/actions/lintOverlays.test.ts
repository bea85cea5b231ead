import { lintOverlays } from '@fleet-monitoring/plugin-monitoring-common';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { runAction } from '../__testUtils__/context';
import { makeTempDir, removeDir } from '../__testUtils__/render';
import { planFleet } from '../plan/fleet';
import { createArgocdApplicationAction } from './createArgocdApplication';
import { createCentralOverlayAction } from './createCentralOverlay';
import { examples as centralExamples } from './createCentralOverlay.examples';
import { createEdgeOverlayAction } from './createEdgeOverlay';
import { examples as edgeExamples } from './createEdgeOverlay.examples';
import { lintOverlaysAction, readDeployTree } from './lintOverlays';
import { examples } from './lintOverlays.examples';
import { registerHashringAction } from './registerHashring';
import { examples as registerExamples } from './registerHashring.examples';

const action = lintOverlaysAction();
const CENTRAL = 'cluster-01-central';
const centralInput = {
  cluster: CENTRAL,
  objectStorage: { secretName: 'thanos-objstore' },
  edgeEntryPoint: { type: 'loadBalancer', auth: 'none', tls: 'none' },
};
const stepsOf = (example: { example: string }) =>
  YAML.parse(example.example).steps as Array<{
    action: string;
    input: Record<string, any>;
  }>;

function writeFiles(ws: string, files: Record<string, string>) {
  for (const [p, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(ws, p)), { recursive: true });
    fs.writeFileSync(path.join(ws, p), content);
  }
}

/** The reference material's layout: a base with `server.enableAgentMode`, an overlay patching it. */
const SEED_REPO = {
  'deploy/base/prometheus-agent/kustomization.yaml': YAML.stringify({
    helmCharts: [
      {
        name: 'prometheus',
        repo: 'https://prometheus-community.github.io/helm-charts',
        version: '25.11.0',
        releaseName: 'prometheus-agent',
        namespace: 'monitoring',
        valuesFile: 'values.yaml',
      },
    ],
  }),
  'deploy/base/prometheus-agent/values.yaml': YAML.stringify({
    server: { enableAgentMode: true },
  }),
  'deploy/overlays/cluster-02-edge/prometheus-agent/kustomization.yaml':
    YAML.stringify({
      resources: ['../../../base/prometheus-agent'],
      patches: [{ path: 'remote-write-patch.yaml' }],
    }),
  'deploy/overlays/cluster-02-edge/prometheus-agent/remote-write-patch.yaml':
    YAML.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x' },
    }),
};

describe('fleet:overlay:lint', () => {
  let ws: string;
  beforeEach(() => {
    ws = makeTempDir();
  });
  afterEach(() => removeDir(ws));

  it('passes what the create actions write: a central, edges on a v2 and a v3 chart, a hashring tenant, Applications', async () => {
    await runAction(createCentralOverlayAction(), ws, {
      ...centralInput,
      receiver: { replicas: 3, replicationFactor: 3, algorithm: 'ketama' },
      storeGateway: {
        address: 'thanos-store.monitoring.svc:10901',
        serviceLabels: { app: 'thanos-store' },
        metricsPort: 'http',
      },
      recordingRules: { deploy: 'thanosRuler' },
    });
    for (const [cluster, chartVersion, auth] of [
      ['cluster-02-edge', '25.11.0', { type: 'none' }],
      [
        'cluster-03-edge',
        '27.0.0',
        { type: 'basic', secretName: 'rw', username: 'edge' },
      ],
    ] as const) {
      await runAction(createEdgeOverlayAction(), ws, {
        cluster,
        chartVersion,
        remoteWriteUrl: 'https://receive.example.com/api/v1/receive',
        auth,
      });
      await runAction(registerHashringAction(), ws, {
        centralCluster: CENTRAL,
        tenant: cluster,
      });
      await runAction(createArgocdApplicationAction(), ws, {
        cluster,
        role: 'edge',
        repoUrl: 'https://github.com/example/fleet-gitops',
      });
    }
    const { outputs } = await runAction(action, ws, {});
    expect(outputs.findings).toEqual([]);
    expect(outputs.counts).toEqual({ error: 0, warning: 0 });
    expect(outputs.overlays).toBe(3);
  });

  it.each([
    ...centralExamples.map(e => ['create-central', e.description, e] as const),
    ...edgeExamples.map(e => ['create-edge', e.description, e] as const),
  ])(
    'passes the overlays of the documented %s example: %s',
    async (_kind, _d, example) => {
      for (const step of stepsOf(example)) {
        const create =
          step.action === 'fleet:overlay:create-central'
            ? createCentralOverlayAction()
            : createEdgeOverlayAction();
        await runAction(create, ws, step.input);
      }
      const report = lintOverlays(await readDeployTree(ws));
      // A documented tenant other than the cluster is allowed and named as a warning, nothing else.
      expect(
        report.findings.filter(
          f => !(f.rule === 'tenant-header' && f.severity === 'warning'),
        ),
      ).toEqual([]);
    },
    60_000,
  );

  it.each(registerExamples.map(e => [e.description, e] as const))(
    'passes the hashring the documented fleet:hashring:register example writes: %s',
    async (_d, example) => {
      for (const step of stepsOf(example)) {
        await runAction(createCentralOverlayAction(), ws, {
          ...centralInput,
          cluster: step.input.centralCluster,
        });
        await runAction(registerHashringAction(), ws, step.input);
      }
      expect(lintOverlays(await readDeployTree(ws)).findings).toEqual([]);
    },
  );

  it('passes a whole fleet planned in memory (planFleet, as the loop test runs it)', async () => {
    const plan = await planFleet({
      central: { ...centralInput, receiver: { replicas: 3 } } as any,
      edges: ['cluster-02-edge', 'cluster-03-edge'].map(cluster => ({
        cluster,
        remoteWriteUrl: 'https://receive.example.com/api/v1/receive',
      })) as any,
    });
    const report = lintOverlays(plan.files);
    expect(report.findings).toEqual([]);
    expect(report.overlays.map(o => o.cluster)).toEqual([
      CENTRAL,
      'cluster-02-edge',
      'cluster-03-edge',
    ]);
  });

  it("fails the step on the reference material's overlay, naming each error with its docs section", async () => {
    writeFiles(ws, SEED_REPO);
    const run = runAction(action, ws, {});
    await expect(run).rejects.toThrow(/fleet:overlay:lint: \d+ error finding/);
    await expect(run).rejects.toThrow(
      /error agent-flags deploy\/base\/prometheus-agent\/values\.yaml: no server\.defaultFlagsOverride.*\(docs: plugins\/overlay-lint\/#agent-flags\)/,
    );
    await expect(run).rejects.toThrow(/remote-write-missing/);
  });

  it('reports without failing with reportOnly, and lints a repository in a sub-directory', async () => {
    writeFiles(
      ws,
      Object.fromEntries(
        Object.entries(SEED_REPO).map(([p, c]) => [`gitops/${p}`, c]),
      ),
    );
    const { outputs, loggedWarnings } = await runAction(action, ws, {
      path: 'gitops',
      reportOnly: true,
    });
    expect(outputs.counts.error).toBeGreaterThan(0);
    expect(outputs.findings).toContainEqual(
      expect.objectContaining({
        rule: 'chart-ignored-key',
        severity: 'warning',
        path: 'deploy/base/prometheus-agent/values.yaml',
      }),
    );
    expect(loggedWarnings.join('\n')).toMatch(/chart-ignored-key/);
    expect(outputs.overlays).toBe(1);
  });

  it('refuses a path outside the workspace and does not follow symlinks out of it', async () => {
    await expect(runAction(action, ws, { path: '../x' })).rejects.toThrow(
      /must be relative to the workspace/,
    );
    const outside = makeTempDir();
    try {
      writeFiles(outside, SEED_REPO);
      fs.mkdirSync(path.join(ws, 'deploy'));
      fs.symlinkSync(
        path.join(outside, 'deploy/overlays'),
        path.join(ws, 'deploy/overlays'),
      );
      const { outputs } = await runAction(action, ws, {});
      expect(outputs.counts).toEqual({ error: 0, warning: 0 });
      expect(outputs.overlays).toBe(0);
    } finally {
      removeDir(outside);
    }
  });

  it.each(examples.map(e => [e.description, e] as const))(
    'runs its documented example: %s',
    async (_d, example) => {
      const [step] = stepsOf(example);
      expect(step.action).toBe('fleet:overlay:lint');
      const root = path.join(ws, step.input.path ?? '.');
      fs.mkdirSync(root, { recursive: true });
      await runAction(createCentralOverlayAction(), root, centralInput);
      const { outputs } = await runAction(action, ws, step.input);
      expect(outputs.counts).toEqual({ error: 0, warning: 0 });
      expect(outputs.overlays).toBe(1);
    },
  );
});
