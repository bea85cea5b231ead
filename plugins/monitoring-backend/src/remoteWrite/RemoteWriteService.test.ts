import type { CacheService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { readFleetMonitoringConfig } from '../config';
import { CachedLoader } from '../core/CachedLoader';
import type { PromVectorSample, ThanosClient } from '../thanos/ThanosClient';
import type { ThanosInstances } from '../thanos/ThanosInstances';
import { SIGNAL_LABEL, signals } from '../thanos/signals';
import { UpstreamError } from '../upstream/errors';
import { LATE_CLUSTERS_ASKED, RemoteWriteService } from './RemoteWriteService';

const sample = (
  signal: string,
  labels: Record<string, string>,
  value: number,
): PromVectorSample => ({
  metric: { [SIGNAL_LABEL]: signal, ...labels },
  value: [0, String(value)],
});

const queue = {
  cluster: 'lagging',
  instance: 'agent-0',
  remote_name: 'central',
  url: 'https://central/api/v1/receive',
};

/**
 * A Thanos Query stand-in answering by question: the inventory (1 d, or the retention lookback for
 * named clusters), the rates (the receivers' per-tenant rates included) and gauges, and each query
 * evaluated at a given time. Records every query with its evaluation time.
 */
function fakeThanos(now: number, lagging = ['lagging']) {
  const calls: Array<{ query: string; time?: number }> = [];
  const lastSeen = now - 1800;
  const answer = (query: string, time?: number): PromVectorSample[] => {
    if (query.includes('"last_seen"')) {
      if (query.includes('[15d]'))
        return [sample('last_seen', { cluster: 'quiet-2d' }, now - 2 * 86400)];
      return lagging.map(cluster =>
        sample('last_seen', { cluster, tenant_id: cluster }, lastSeen),
      );
    }
    // At its last sample a lagging cluster's queue was far behind and over its shards.
    const cluster = lagging.find(c => query.includes(`cluster="${c}"`));
    if (time === lastSeen && cluster) {
      const q = { ...queue, cluster };
      return [
        sample('sent', { cluster }, 1000),
        sample('sent_q', q, 1000),
        sample('lag_q', q, 900),
        sample('shards_over_q', q, 33),
        sample('max_q', q, 50),
        sample('desired_q', q, 83),
      ];
    }
    if (time !== undefined) return [];
    if (query.includes('"tenant_accepted"'))
      return lagging.map(tenant => sample('tenant_accepted', { tenant }, 1000));
    return [];
  };
  const client = {
    instance: { name: 'default' },
    calls,
    lastSeen,
    async query(query: string, time?: number) {
      calls.push({ query, time });
      return { result: answer(query, time), warnings: [] };
    },
    // As ThanosClient splits an answer (through whatever `query` a test puts in place).
    async querySignals(query: string, time?: number) {
      const { result, warnings } = await client.query(query, time);
      return { result: signals(result), warnings };
    },
    async queryRange() {
      return { result: [], warnings: [] };
    },
    async stores() {
      return [];
    },
  };
  return client;
}

function service(
  client: ReturnType<typeof fakeThanos>,
  catalog: string[],
  cache?: CacheService,
) {
  const config = readFleetMonitoringConfig(
    new ConfigReader({
      fleetMonitoring: {
        thanos: [{ name: 'default', baseUrl: 'http://127.0.0.1:1' }],
      },
    }),
  );
  return new RemoteWriteService({
    config,
    logger: mockServices.logger.mock(),
    instances: {
      client: () => client as unknown as ThanosClient,
    } as unknown as ThanosInstances,
    loader: new CachedLoader(undefined, 0),
    catalog: { clusterNames: async () => catalog },
    cache,
  });
}

describe('RemoteWriteService', () => {
  it('judges a lagging cluster the same alone and in the fleet (T1), from its own figures at its last sample (T2, T3)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const client = fakeThanos(now);
    const rw = service(client, []);
    const row = (await rw.fleetSummary()).clusters.find(
      c => c.cluster === 'lagging',
    )!;
    const own = await rw.clusterDetail(undefined, 'lagging');
    const ids = (c: { reasons: Array<{ id: string; severity: string }> }) =>
      c.reasons.map(r => `${r.id}:${r.severity}`);
    expect({ state: row.state, reasons: ids(row) }).toEqual({
      state: 'failing',
      reasons: expect.arrayContaining([
        'remote-write-behind:critical',
        'remote-write-shards-maxed:warning',
      ]),
    });
    expect({ state: own.state, reasons: ids(own) }).toEqual({
      state: row.state,
      reasons: ids(row),
    });
    // The late cluster's figures are asked for at its last sample, and keep the queue's name.
    const late = client.calls.filter(c => c.time !== undefined);
    expect(late.map(c => c.time)).toEqual([client.lastSeen, client.lastSeen]);
    expect(row.stats.samplesPerSecond).toBe(1000);
    expect(row.reasons.map(r => r.message).join(' ')).toContain(
      'queue "central"',
    );
    expect(row.reasons.map(r => r.message).join(' ')).not.toContain(
      'all queues',
    );
  });

  it('asks a bounded number of late clusters for their own figures, and judges every late cluster behind', async () => {
    // Receivers accepting samples while every agent's self-metrics fall behind: one query per
    // late cluster would be 100,000 at once on a 100,000-cluster fleet.
    const now = Math.floor(Date.now() / 1000);
    const names = Array.from(
      { length: 50 },
      (_, i) => `late-${String(i).padStart(2, '0')}`,
    );
    const client = fakeThanos(now, names);
    const { clusters } = await service(client, []).fleetSummary();
    const asked = client.calls.filter(c => c.time !== undefined);
    expect(asked).toHaveLength(LATE_CLUSTERS_ASKED);
    // The same ones on every refresh: the first by name.
    expect(asked.map(c => names.find(n => c.query.includes(`"${n}"`)))).toEqual(
      names.slice(0, LATE_CLUSTERS_ASKED),
    );
    expect(clusters).toHaveLength(50);
    for (const c of clusters) {
      expect(c.state).toBe('failing');
      expect(c.reasons.map(x => x.id)).toContain('remote-write-behind');
    }
    // Those asked carry their queues' figures at their last sample.
    expect(clusters[0].reasons.map(x => x.id)).toContain(
      'remote-write-shards-maxed',
    );
  });

  it('sends the held round only for what is true now, and answers a failed held round as an outage', async () => {
    const now = Math.floor(Date.now() / 1000);
    const client = fakeThanos(now);
    const answer = client.query.bind(client);
    let heldFails = false;
    client.query = async (query: string, time?: number) => {
      if (query.includes('"failure_ratio_held_q"')) {
        client.calls.push({ query, time });
        if (heldFails)
          throw new UpstreamError('thanos:default', 'timeout', 'slow');
        return { result: [], warnings: [] };
      }
      // A queue of the lagging cluster fails now: its failure ratio held is asked for.
      if (query.includes('"failure_ratio_q"') && time === undefined)
        return {
          result: [sample('failure_ratio_q', queue, 0.5)],
          warnings: [],
        };
      return answer(query, time);
    };
    const rw = service(client, []);
    // The fleet's held round (the late cluster's own figures, asked at its last sample, are not).
    const held = () =>
      client.calls.filter(
        c => c.query.includes('"failure_ratio_held_q"') && c.time === undefined,
      );
    const ok = await rw.fleetSummary();
    expect(held()).toHaveLength(1);
    expect(held()[0].query).toContain('lagging');
    expect(ok.error).toBeUndefined();
    heldFails = true;
    const failed = await rw.fleetSummary();
    expect(held()).toHaveLength(2);
    expect(failed.error).toMatchObject({ kind: 'timeout' });
    expect(failed.stale).toBeDefined();
    expect(failed.clusters.every(c => c.state === 'unknown')).toBe(true);
  });

  it("asks what the receivers accept only for silent or refused clusters' tenants, in the second round", async () => {
    const now = Math.floor(Date.now() / 1000);
    const client = fakeThanos(now);
    const answer = client.query.bind(client);
    // A fresh cluster beside the lagging one.
    client.query = async (query: string, time?: number) => {
      const a = await answer(query, time);
      if (query.includes('"last_seen"') && !query.includes('[15d]'))
        a.result.push(
          sample('last_seen', { cluster: 'fresh', tenant_id: 'fresh-t' }, now),
        );
      return a;
    };
    const row = (await service(client, []).fleetSummary()).clusters.find(
      c => c.cluster === 'lagging',
    )!;
    const asked = client.calls.filter(
      c => c.query.includes('"tenant_accepted"') && c.time === undefined,
    );
    expect(asked).toHaveLength(1);
    expect(asked[0].query).toContain('tenant=~"lagging"');
    expect(asked[0].query).not.toContain('fresh');
    // And the fleet's first round asked for the rates without it.
    expect(
      client.calls.some(
        c =>
          c.time === undefined &&
          c.query.includes('"sent"') &&
          c.query.includes('tenant_accepted'),
      ),
    ).toBe(false);
    // Still told from a dead cluster: its samples arrive, so it is behind, judged at its last sample.
    expect(row.stats.tenantSamplesPerSecond).toBe(1000);
    expect(row.reasons.map(r => r.id)).toContain('remote-write-behind');
  });

  it("asks one cluster's card for its own tenants' receiver rates only, and judges it as the fleet does", async () => {
    const now = Math.floor(Date.now() / 1000);
    const client = fakeThanos(now);
    const answer = client.query.bind(client);
    // The lagging cluster writes as tenant team-a, which Receive refuses with 429; another
    // tenant is refused too. Tenant rates answer for the tenants named, or every tenant's.
    const tenantRates = [
      sample('tenant_refused', { tenant: 'team-a' }, 2),
      sample('tenant_accepted', { tenant: 'team-a' }, 1000),
      sample('tenant_refused', { tenant: 'other' }, 5),
    ];
    client.query = async (query: string, time?: number) => {
      if (time === undefined && query.includes('"last_seen"')) {
        client.calls.push({ query, time });
        const seen = sample(
          'last_seen',
          { cluster: 'lagging', tenant_id: 'team-a' },
          client.lastSeen,
        );
        return { result: query.includes('[15d]') ? [] : [seen], warnings: [] };
      }
      if (time === undefined && /"tenant_(accepted|refused)"/.test(query)) {
        const a = await answer(query, time);
        const named = /tenant=~"([^"]*)"/.exec(query)?.[1].split('|');
        a.result.push(
          ...tenantRates.filter(
            r =>
              query.includes(`"${r.metric[SIGNAL_LABEL]}"`) &&
              (!named || named.includes(r.metric.tenant)),
          ),
        );
        return a;
      }
      return answer(query, time);
    };
    const rw = service(client, []);
    const row = (await rw.fleetSummary()).clusters.find(
      c => c.cluster === 'lagging',
    )!;
    client.calls.length = 0;
    const own = await rw.clusterDetail(undefined, 'lagging');
    const asked = client.calls.filter(
      c => c.time === undefined && /"tenant_(accepted|refused)"/.test(c.query),
    );
    // Its own name and the tenant its inventory names, in one query beside the conditions.
    expect(asked).toHaveLength(1);
    expect(asked[0].query).toContain('tenant=~"lagging|team-a"');
    // Every receiver series it reads is narrowed to them.
    const selectors = asked[0].query.match(/thanos_receive_\w+(\{[^}]*\})?/g)!;
    expect(selectors.length).toBeGreaterThan(1);
    for (const sel of selectors)
      expect(sel).toContain('tenant=~"lagging|team-a"');
    expect(own.stats.tenantRefusedPerSecond).toBe(2);
    const ids = (c: { reasons: Array<{ id: string; severity: string }> }) =>
      c.reasons.map(r => `${r.id}:${r.severity}`);
    expect(ids(own)).toContain('tenant-over-limit:warning');
    expect({ state: own.state, reasons: ids(own) }).toEqual({
      state: row.state,
      reasons: ids(row),
    });
  });

  it('shares the last known fleet once the answer that computed it is out, not before', async () => {
    // Encoding a whole fleet blocks the thread, and a compressed answer is written on a later turn.
    const now = Math.floor(Date.now() / 1000);
    const cache = mockServices.cache.mock();
    cache.set.mockResolvedValue(undefined);
    const rw = service(fakeThanos(now), [], cache);
    const turn = () => new Promise(resolve => setImmediate(resolve));
    let send!: () => void;
    const answered = new Promise<void>(resolve => (send = resolve));
    await rw.fleetSummary(undefined, { answered });
    await turn();
    await turn();
    expect(cache.set).not.toHaveBeenCalled();
    send();
    await turn();
    await turn();
    expect(cache.set).toHaveBeenCalledWith(
      expect.stringContaining('last-summary'),
      expect.anything(),
      expect.anything(),
    );
    // Asked without an answer to wait for (an action, the reconciled fleet): shared at once.
    cache.set.mockClear();
    await rw.fleetSummary();
    await turn();
    expect(cache.set).toHaveBeenCalledTimes(1);
  });

  it('gives a cluster whose last sample is 2 days old a last-seen time, not "never seen" (T5)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const rw = service(fakeThanos(now), ['quiet-2d', 'never']);
    const clusters = (await rw.fleetSummary()).clusters;
    const quiet = clusters.find(c => c.cluster === 'quiet-2d')!;
    expect(quiet.reasons.map(r => r.id)).toEqual(['cluster-no-data']);
    expect(quiet.stats.silentForSeconds).toBeGreaterThanOrEqual(2 * 86400);
    const never = clusters.find(c => c.cluster === 'never')!;
    expect(never.reasons.map(r => r.id)).toEqual(['cluster-never-seen']);
    expect(never.reasons[0].message).toContain('15d');
  });

  it('probes for the fleet recording rules once a minute, not before every summary round', async () => {
    const now = Math.floor(Date.now() / 1000);
    const client = fakeThanos(now);
    const rw = service(client, []);
    const probes = () =>
      client.calls.filter(c => c.query.includes('first_evaluated')).length;
    const first = await rw.fleetSummary();
    expect(probes()).toBe(1);
    // No ruler here: the summary reads the raw series and says why.
    expect(first.source).toMatchObject({ kind: 'raw' });
    await rw.fleetSummary();
    await rw.fleetSummary();
    expect(probes()).toBe(1);
    jest.useFakeTimers({
      doNotFake: [
        'nextTick',
        'setImmediate',
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
        'queueMicrotask',
      ],
    });
    try {
      jest.setSystemTime(Date.now() + 61_000);
      await rw.fleetSummary();
      expect(probes()).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
