/**
 * The backend under test in a process of its own, as Backstage runs beside Thanos Query: the
 * bench's own process holds what it made the fleet from (a stored fleet's exported series, the
 * synthetic upstream), a heap the backend's garbage collector would otherwise walk during every
 * miss, and its RSS would count as the backend's.
 */
import type { JsonObject } from '@backstage/types';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { fleetMonitoringPlugin } from '../src/plugin';
import { BenchChild, serveBenchChild } from './benchChild';

const CHILD_ENV = 'FLEET_BENCH_BACKEND';

export interface BackendOptions {
  /** The root config (`fleetMonitoring`). */
  config: JsonObject;
  /** The clusters the catalog names (one Resource each, annotated with its cluster). */
  catalogClusters: string[];
}

function clusterEntity(cluster: string) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: cluster,
      namespace: 'default',
      annotations: { 'fleet-monitoring.io/cluster': cluster },
    },
    spec: { type: 'kubernetes-cluster', owner: 'team' },
  };
}

type Question = { start: BackendOptions } | 'rss';

export class BackendProcess {
  private readonly child = new BenchChild<Question, string | number>(
    __filename,
    { [CHILD_ENV]: '1' },
  );
  /** The plugin's base URL, `.../api/fleet-monitoring`. */
  base = '';

  constructor(private readonly options: BackendOptions) {}

  async start(): Promise<void> {
    await this.child.start();
    this.base = String(await this.child.ask({ start: this.options }));
  }

  /** The backend process's RSS in bytes, after a full collection when the bench exposes gc. */
  async rss(): Promise<number> {
    return Number(await this.child.ask('rss'));
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}

if (require.main === module && process.env[CHILD_ENV]) {
  serveBenchChild(async (q: Question) => {
    if (q === 'rss') {
      global.gc?.();
      return process.memoryUsage().rss;
    }
    const backend = await startTestBackend({
      features: [
        fleetMonitoringPlugin,
        mockServices.rootConfig.factory({ data: q.start.config }),
        catalogServiceMock.factory({
          entities: q.start.catalogClusters.map(clusterEntity),
        }),
      ],
    });
    const { port } = backend.server.address() as { port: number };
    return `http://127.0.0.1:${port}/api/fleet-monitoring`;
  });
}
