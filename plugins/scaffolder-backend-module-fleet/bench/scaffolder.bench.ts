/* eslint-disable no-console */
/**
 * Benchmark of the fleet scaffolder actions.
 * Run from the repo root: node -r @backstage/cli/config/nodeTransform.cjs plugins/scaffolder-backend-module-fleet/bench/scaffolder.bench.ts
 *
 * - overlay generation: the edge and central action handlers writing a complete overlay (base included)
 *   into a fresh workspace; median over 50 runs; target <= 50 ms.
 * - template dry-run: templates/new-cluster through the real scaffolder backend's /v2/dry-run (test
 *   backend, in-memory catalog); median over 10 runs after one warm-up; target <= 3 s.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCentralOverlayAction } from '../src/actions/createCentralOverlay';
import { createEdgeOverlayAction } from '../src/actions/createEdgeOverlay';
import {
  dryRun,
  loadTemplate,
  startScaffolder,
} from '../src/__testUtils__/dryRunBackend';

// startTestBackend's mocks expect jest globals; give them a minimal stand-in outside jest.
const g = globalThis as any;
if (!g.jest) {
  const fn = (impl?: (...a: any[]) => any) => {
    const f: any = (...a: any[]) => (f._impl ? f._impl(...a) : undefined);
    f._impl = impl;
    f.mockImplementation = (i: any) => {
      f._impl = i;
      return f;
    };
    f.mockResolvedValue = (v: any) =>
      f.mockImplementation(() => Promise.resolve(v));
    f.mockReturnValue = (v: any) => f.mockImplementation(() => v);
    return f;
  };
  g.jest = { fn };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? s[(s.length - 1) / 2]
    : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const silentCtx = (workspacePath: string, input: Record<string, unknown>) =>
  ({
    workspacePath,
    input,
    logger: {
      info() {},
      warn() {},
      error() {},
      debug() {},
      child() {
        return this;
      },
    },
    output() {},
    async checkpoint(o: { fn: () => unknown }) {
      return o.fn();
    },
  }) as any;

async function timeOverlay(runs: number) {
  const edge = createEdgeOverlayAction();
  const central = createCentralOverlayAction();
  const edgeTimes: number[] = [];
  const centralTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-bench-'));
    try {
      let t = performance.now();
      await edge.handler(
        silentCtx(ws, {
          cluster: `edge-${i}`,
          remoteWriteUrl: 'https://receive.example.com/api/v1/receive',
          tls: { caSecretName: 'ca' },
          auth: { type: 'basic', secretName: 'rw', username: 'u' },
          dropMetrics: ['go_gc_.*'],
        }),
      );
      edgeTimes.push(performance.now() - t);
      t = performance.now();
      await central.handler(
        silentCtx(ws, {
          cluster: `central-${i}`,
          objectStorage: { secretName: 'thanos-objstore' },
          edgeEntryPoint: {
            type: 'ingress',
            host: 'receive.example.com',
            tlsSecretName: 'receive-tls',
            auth: 'basic',
            authSecretName: 'receive-htpasswd',
          },
        }),
      );
      centralTimes.push(performance.now() - t);
    } finally {
      fs.rmSync(ws, { recursive: true, force: true });
    }
  }
  return { edge: median(edgeTimes), central: median(centralTimes) };
}

async function timeDryRun(runs: number) {
  const backend = await startScaffolder();
  try {
    const template = loadTemplate();
    const values = {
      owner: 'group:default/platform',
      repoUrl: 'github.com?owner=example&repo=fleet-gitops',
      clusterName: 'cluster-02-edge',
      role: 'edge',
      remoteWriteUrl: 'https://receive.example.com/api/v1/receive',
    };
    const once = async () => {
      const t = performance.now();
      const res = await dryRun(backend.server, template, values);
      if (res.status !== 200)
        throw new Error(
          `dry-run failed: ${res.status} ${JSON.stringify(res.body)}`,
        );
      return performance.now() - t;
    };
    await once(); // warm-up
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await once());
    return median(times);
  } finally {
    await backend.stop();
  }
}

async function main() {
  const overlay = await timeOverlay(50);
  const dry = await timeDryRun(10);
  const rows = [
    ['edge overlay generation (median of 50)', overlay.edge, 50],
    ['central overlay generation (median of 50)', overlay.central, 50],
    ['template dry-run via scaffolder backend (median of 10)', dry, 3000],
  ] as const;
  console.log('| benchmark | median ms | target ms | ok |');
  console.log('|---|---:|---:|---|');
  for (const [name, ms, target] of rows) {
    console.log(
      `| ${name} | ${ms.toFixed(1)} | ${target} | ${ms <= target ? 'yes' : 'NO'} |`,
    );
  }
  process.exitCode = rows.every(([, ms, target]) => ms <= target) ? 0 : 1;
}

main()
  .catch(e => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() =>
    setTimeout(() => process.exit(process.exitCode ?? 0), 100).unref(),
  );
