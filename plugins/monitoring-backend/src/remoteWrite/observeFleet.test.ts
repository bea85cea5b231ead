import { SIGNAL_LABEL } from '../thanos/signals';
import { applyLateStats, observeFleet } from './observeFleet';

const sample = (
  signal: string,
  labels: Record<string, string>,
  value: number | string,
) => ({
  metric: { [SIGNAL_LABEL]: signal, ...labels },
  value: [0, String(value)] as [number, string],
});

describe('observeFleet', () => {
  it('joins inventory, tenants and catalog into one observation per cluster', () => {
    const list = observeFleet({
      clusterLabel: 'cluster',
      inventory: [
        sample('last_seen', { cluster: 'a' }, 100),
        sample('tenant', { cluster: 'a', tenant_id: 'tenant-a' }, 1),
      ],
      rates: [
        sample('sent', { cluster: 'a' }, 50),
        sample('tenant_accepted', { tenant: 'tenant-a' }, 49),
        sample('tenant_refused', { tenant: 'default-tenant' }, 3),
      ],
      gauges: [sample('lag', { cluster: 'a' }, 7)],
      stores: [
        {
          name: 'r0',
          type: 'receive',
          labelSets: [{ tenant_id: 'tenant-a' }, { tenant_id: 'quiet' }],
        } as never,
      ],
      catalogClusters: ['b'],
    });
    const byName = Object.fromEntries(list.map(o => [o.cluster, o]));
    expect(Object.keys(byName).sort()).toEqual(['a', 'b', 'quiet']);
    expect(byName.a.knownFrom).toEqual(['thanos', 'tenant']);
    expect(byName.a.stats).toMatchObject({
      lastSeen: 100,
      samplesPerSecond: 50,
      lagSeconds: 7,
      tenantSamplesPerSecond: 49,
    });
    expect(byName.b.knownFrom).toEqual(['catalog']);
    expect(byName.quiet.knownFrom).toEqual(['tenant']);
  });

  it('builds queues from per-queue signals and rolls them up per cluster', () => {
    const q = (name: string) => ({
      cluster: 'a',
      instance: 'i',
      remote_name: name,
    });
    const [o] = observeFleet({
      clusterLabel: 'cluster',
      inventory: [],
      rates: [
        sample('failed_q', q('q1'), 2),
        sample('failed_q', q('q2'), 3),
        sample('failure_ratio_q', q('q1'), 0.1),
        sample('failure_ratio_q', q('q2'), 0.3),
      ],
      gauges: [
        sample('shards_over_q', q('q2'), 4),
        sample('shards_max_q', q('q2'), 10),
      ],
    });
    expect(o.queues.map(x => x.name)).toEqual(['q1', 'q2']);
    expect(o.stats).toMatchObject({
      failedPerSecond: 5,
      failureRatio: 0.3,
      desiredShards: 14,
      maxShards: 10,
    });
  });

  it('ignores samples without a cluster and non-finite values', () => {
    const list = observeFleet({
      clusterLabel: 'cluster',
      inventory: [],
      rates: [sample('sent', {}, 1), sample('sent', { cluster: 'a' }, 'NaN')],
      gauges: [],
    });
    expect(list).toEqual([]);
  });
});

describe('applyLateStats', () => {
  it("fills a late cluster's stats, dropping zeros that say nothing", () => {
    const list = [
      { cluster: 'a', stats: {}, queues: [], knownFrom: ['thanos' as const] },
    ];
    applyLateStats(
      list,
      [
        sample('sent', { cluster: 'a' }, 10),
        sample('retried', { cluster: 'a' }, 0),
        sample('failed', { cluster: 'a' }, 1),
        sample('failure_ratio', { cluster: 'a' }, 0.5),
      ],
      'cluster',
    );
    expect(list[0].stats).toEqual({
      samplesPerSecond: 10,
      retriedPerSecond: undefined,
      failedPerSecond: 1,
      failureRatio: 0.5,
    });
    expect(list[0].queues).toEqual([
      { name: 'all queues', failureRatio: 0.5, failedPerSecond: 1 },
    ]);
  });
});
