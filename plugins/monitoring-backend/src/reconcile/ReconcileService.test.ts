import { mockServices } from '@backstage/backend-test-utils';
import { CachedLoader } from '../core/CachedLoader';
import { UpstreamError } from '../upstream/errors';
import { ReconcileService } from './ReconcileService';
import type { ReconcileSources } from './sources';

function service(sources: Partial<ReconcileSources>, calls: string[] = []) {
  const client = {
    instance: { name: 'default' },
    query: async () => {
      calls.push('query');
      return { warnings: [], result: [] };
    },
    queryRange: async () => {
      calls.push('query_range');
      return { warnings: [], result: [] };
    },
  };
  return new ReconcileService({
    sources: {
      catalog: async () => [
        { cluster: 'edge-1', entityRef: 'resource:default/edge-1' },
      ],
      remoteWrite: async () => ({
        instance: 'default',
        generatedAt: new Date().toISOString(),
        clusters: [],
        counts: {
          healthy: 0,
          recovering: 0,
          degraded: 0,
          failing: 0,
          'no-data': 0,
          unknown: 0,
        },
      }),
      receive: async () => {
        throw new UpstreamError('thanos:default', 'timeout', 'timed out');
      },
      ...sources,
    },
    loader: new CachedLoader(undefined, 0),
    logger: mockServices.logger.mock(),
    instances: { client: () => client as any },
    clusterLabel: 'cluster',
    receiveSelector: [],
  });
}

describe('ReconcileService', () => {
  it('answers with the other sources when one throws something that is no upstream error', async () => {
    const fleet = await service({
      catalog: async () => {
        throw new Error('catalog exploded');
      },
      gitops: async () => ({
        overlays: [
          {
            cluster: 'edge-2',
            component: 'prometheus-agent',
            path: 'deploy/overlays/edge-2/prometheus-agent',
            externalLabels: { cluster: 'edge-2' },
          },
        ],
        hashrings: [],
        lint: {},
      }),
    }).fleet();
    expect(fleet.sources.map(s => [s.source, s.status])).toEqual([
      ['catalog', 'failed'],
      ['gitops', 'ok'],
      ['argocd', 'not-configured'],
      ['remote-write', 'ok'],
      ['receive', 'failed'],
      ['kubernetes', 'not-configured'],
      ['capacity', 'not-configured'],
    ]);
    expect(fleet.sources[0].error).toEqual({
      upstream: 'catalog:backstage',
      kind: 'bad-response',
      message: 'reading the catalog failed (see the backend log)',
    });
    // The overlay's row is still there, unknown, with both failures named once each.
    const row = fleet.clusters.find(c => c.cluster === 'edge-2')!;
    expect(row.state).toBe('unknown');
    expect(row.reasons.map(r => r.id)).toEqual([
      'upstream-error',
      'upstream-timeout',
    ]);
  });

  it('reads the fleet capacity once per refresh, and lists its failure alone', async () => {
    const asked: string[] = [];
    const fleet = await service({
      receive: async () => ({}) as any,
      capacity: async instance => {
        asked.push(instance);
        throw new UpstreamError('thanos:default', 'timeout', 'timed out');
      },
    }).fleet();
    expect(asked).toEqual(['default']);
    expect(fleet.sources.map(s => [s.source, s.status])).toEqual([
      ['catalog', 'ok'],
      ['gitops', 'not-configured'],
      ['argocd', 'not-configured'],
      ['remote-write', 'ok'],
      ['receive', 'ok'],
      ['kubernetes', 'not-configured'],
      ['capacity', 'failed'],
    ]);
    expect(fleet.sources[6].error?.kind).toBe('timeout');
    const row = fleet.clusters.find(c => c.cluster === 'edge-1')!;
    expect(row.catalog?.entityRef).toBe('resource:default/edge-1');
    // The other sources' finding stands beside the capacity's failure.
    expect(row.reasons.map(r => r.id)).toEqual([
      'reconcile-never-seen',
      'upstream-timeout',
    ]);
  });

  it('asks for break starts only when a cluster is broken', async () => {
    const calls: string[] = [];
    await service({}, calls).fleet();
    expect(calls).toEqual(['query']);
  });
});
