import { SIGNAL_LABEL } from '../thanos/signals';
import type { ClusterObservation } from './judge';
import { FleetObserver, observeFleet, observeLate } from './observeFleet';

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
        sample('last_seen', { cluster: 'a', tenant_id: 'tenant-a' }, 100),
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

  it("reads a receiver's tenant as its inventory cluster's, else as a cluster of that name, else not at all", () => {
    const list = observeFleet({
      clusterLabel: 'cluster',
      // Tenant `b` belongs to cluster `a`, though a cluster named `b` exists too.
      inventory: [sample('last_seen', { cluster: 'a', tenant_id: 'b' }, 100)],
      rates: [
        sample('tenant_accepted', { tenant: 'b' }, 7),
        sample('tenant_accepted', { tenant: 'c' }, 5),
        sample('tenant_refused', { tenant: 'nobody' }, 2),
      ],
      gauges: [],
      catalogClusters: ['b', 'c'],
    });
    const byName = Object.fromEntries(list.map(o => [o.cluster, o]));
    expect(Object.keys(byName).sort()).toEqual(['a', 'b', 'c']);
    expect(byName.a.stats.tenantSamplesPerSecond).toBe(7);
    expect(byName.a.knownFrom).toEqual(['thanos']);
    expect(byName.b.knownFrom).toEqual(['catalog']);
    expect(byName.b.stats.tenantSamplesPerSecond).toBeUndefined();
    expect(byName.c.stats.tenantSamplesPerSecond).toBe(5);
    expect(list.some(o => o.stats.tenantRefusedPerSecond !== undefined)).toBe(
      false,
    );
  });

  it('takes a cluster known to both inventory parts at its newest time, under every tenant it wrote to', () => {
    // The recorded part (`fleet_tenant`) knows it since the chain started; the raw part before it
    // (`tenant_id`) saw it earlier under the tenant it left.
    const list = observeFleet({
      clusterLabel: 'cluster',
      inventory: [
        sample('last_seen', { cluster: 'moved', fleet_tenant: 'new' }, 900),
        sample('last_seen', { cluster: 'moved', tenant_id: 'old' }, 300),
        sample('last_seen', { cluster: 'plain' }, 500),
      ],
      rates: [
        sample('tenant_accepted', { tenant: 'new' }, 40),
        sample('tenant_accepted', { tenant: 'old' }, 2),
      ],
      gauges: [],
    });
    const byName = Object.fromEntries(list.map(o => [o.cluster, o]));
    expect(Object.keys(byName).sort()).toEqual(['moved', 'plain']);
    expect(byName.moved.stats.lastSeen).toBe(900);
    // Known from the inventory twice, listed once.
    expect(byName.moved.knownFrom).toEqual(['thanos']);
    expect(byName.plain.stats.lastSeen).toBe(500);
    // Both tenants are the moved cluster's: neither is taken for a cluster of its own.
    expect(byName.moved.stats.tenantSamplesPerSecond).toBeGreaterThan(0);
  });

  it("asks the receivers' accepted rate for silent clusters' tenants and refused tenants only", () => {
    const now = 10_000;
    const observer = new FleetObserver({
      clusterLabel: 'cluster',
      inventory: [
        sample(
          'last_seen',
          { cluster: 'fresh', tenant_id: 'fresh-t' },
          now - 5,
        ),
        sample(
          'last_seen',
          { cluster: 'quiet', tenant_id: 'quiet-t' },
          now - 900,
        ),
      ],
      rates: [],
      gauges: [],
      stores: [
        {
          name: 'r0',
          type: 'receive',
          labelSets: [{ tenant_id: 'fresh-t' }, { tenant_id: 'gone' }],
        } as never,
      ],
      catalogClusters: ['catalog-only'],
    });
    expect(
      observer
        .tenantsToAsk(now, 600, [
          sample('tenant_refused', { tenant: 'refused-t' }, 2),
          sample('tenant_refused', { tenant: 'default-tenant' }, 1),
          sample('sent', { cluster: 'fresh' }, 10),
        ])
        .sort(),
    ).toEqual(['catalog-only', 'gone', 'quiet', 'quiet-t', 'refused-t']);
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

  it('reads a failure ratio extrapolated a hair over 1 as every attempt failing', () => {
    const q = { cluster: 'a', instance: 'i', remote_name: 'q1' };
    const [o] = observeFleet({
      clusterLabel: 'cluster',
      inventory: [],
      rates: [
        sample('failure_ratio_q', q, 1.0004),
        sample('failure_ratio_held_q', q, 1.02),
      ],
      gauges: [],
    });
    expect(o.queues[0]).toMatchObject({ failureRatio: 1, failureRatioHeld: 1 });
    expect(o.stats.failureRatio).toBe(1);
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

describe('observeLate', () => {
  it("keeps a late cluster's queues by name with shards, lag and failures (T3), and what is known now", () => {
    const o: ClusterObservation = {
      cluster: 'a',
      stats: { lastSeen: 1000, tenantSamplesPerSecond: 900 },
      queues: [],
      knownFrom: ['thanos'],
    };
    const q = (name: string) => ({
      cluster: 'a',
      instance: 'agent-0',
      remote_name: name,
      url: `https://${name}/api/v1/receive`,
    });
    observeLate(
      o,
      [
        sample('sent', { cluster: 'a' }, 1000),
        sample('sent_q', q('central'), 1000),
        sample('sent_q', q('backup'), 0),
        sample('failed_q', q('backup'), 1000),
        sample('failure_ratio_q', q('backup'), 1),
        sample('lag_q', q('central'), 1800),
        sample('shards_over_q', q('central'), 33),
        sample('max_q', q('central'), 50),
        sample('desired_q', q('central'), 83),
        // A receiver's per-tenant rate of that past moment is not what arrives now.
        sample('tenant_accepted', { tenant: 'a' }, 5),
        sample('sent', { cluster: 'b' }, 7),
      ],
      'cluster',
    );
    expect(o.stats).toMatchObject({
      lastSeen: 1000,
      tenantSamplesPerSecond: 900,
      samplesPerSecond: 1000,
      failedPerSecond: 1000,
      failureRatio: 1,
      desiredShards: 83,
      maxShards: 50,
    });
    expect(o.queues.map(x => x.name).sort()).toEqual(['backup', 'central']);
    expect(o.queues).not.toContainEqual(
      expect.objectContaining({ name: 'all queues' }),
    );
    expect(o.queues.find(x => x.name === 'central')).toMatchObject({
      lagSeconds: 1800,
      shardsOver: 33,
      desiredShards: 83,
      maxShards: 50,
    });
  });
});
