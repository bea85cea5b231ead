import { DEFAULT_THRESHOLDS } from '../config';
import {
  ClusterObservation,
  evaluateRemoteWrite,
  QueueObservation,
  unknownFromLastKnown,
} from './judge';

const t = DEFAULT_THRESHOLDS.remoteWrite;
const now = 1_800_000_000;
const opts = { hold: '15 min', lookback: '1d' };

function obs(
  over: Partial<ClusterObservation> = {},
  stats: ClusterObservation['stats'] = {},
  queues: QueueObservation[] = [],
): ClusterObservation {
  return {
    cluster: 'c',
    knownFrom: ['thanos'],
    queues,
    ...over,
    stats: {
      lastSeen: now - 10,
      samplesPerSecond: 1000,
      pendingSamples: 10,
      lagSeconds: 2,
      tenantSamplesPerSecond: 1000,
      ...stats,
    },
  };
}
const judge = (o: ClusterObservation) => evaluateRemoteWrite(o, t, now, opts);
const ids = (o: ClusterObservation) =>
  judge(o).reasons.map(r => `${r.id}:${r.severity}`);

describe('evaluateRemoteWrite', () => {
  it('is healthy when nothing crosses a threshold', () => {
    expect(judge(obs()).state).toBe('healthy');
    expect(ids(obs())).toEqual([]);
  });

  it('tells dead from lagging by what the receivers still accept for the tenant', () => {
    const silent = { lastSeen: now - 7200, tenantSamplesPerSecond: undefined };
    const dead = judge(obs({}, silent));
    expect(dead.state).toBe('no-data');
    expect(dead.reasons.map(r => r.id)).toEqual(['cluster-no-data']);
    expect(dead.stats.silentForSeconds).toBe(7200);
    expect(dead.reasons[0].message).toContain('2 h');

    // Same silence, but samples still arrive: far behind, failing, with the last known reasons kept.
    const lagging = judge(
      obs(
        {},
        {
          lastSeen: now - 900,
          retriedPerSecond: 120,
          failedPerSecond: 50,
          failureRatio: 0.05,
          pendingSamples: 25_000,
        },
        [{ name: 'all queues', failureRatio: 0.05 }],
      ),
    );
    expect(lagging.state).toBe('failing');
    expect(lagging.reasons.map(r => `${r.id}:${r.severity}`)).toEqual([
      'remote-write-behind:critical',
      'remote-write-failing:critical',
      'remote-write-retrying:warning',
      'remote-write-pending:warning',
    ]);
    expect(lagging.stats.lagSeconds).toBe(900);
  });

  it('lists a cluster only the catalog or the tenants know as never seen', () => {
    const h = judge(
      obs(
        { knownFrom: ['catalog', 'tenant'] },
        {
          lastSeen: undefined,
          tenantSamplesPerSecond: undefined,
          samplesPerSecond: undefined,
        },
      ),
    );
    expect(h.state).toBe('no-data');
    expect(h.reasons[0].id).toBe('cluster-never-seen');
    expect(h.reasons[0].message).toContain('catalog and tenant');
  });

  it('names a tenant refused with 429 instead of calling it silent', () => {
    const h = judge(
      obs(
        {},
        {
          lastSeen: now - 1800,
          tenantSamplesPerSecond: undefined,
          tenantRefusedPerSecond: 900,
        },
      ),
    );
    expect(h.state).toBe('failing');
    expect(h.reasons.map(r => r.id)).toEqual(['tenant-over-limit']);
  });

  it('judges each queue on its own and names it', () => {
    const h = judge(
      obs({}, {}, [
        { name: 'central', failureRatio: 0 },
        {
          name: 'backup',
          failedPerSecond: 900,
          failureRatio: 1,
          failureRatioHeld: 1,
          lagSeconds: 3600,
          lagHeld: 3500,
        },
      ]),
    );
    expect(h.state).toBe('failing');
    expect(h.reasons.map(r => `${r.id}:${r.severity}`)).toEqual([
      'remote-write-failing:critical',
      'remote-write-behind:critical',
    ]);
    expect(h.reasons[0].message).toContain('queue "backup"');
    // Shards: one queue over its own maximum, whatever another queue's maximum is.
    const shards = judge(
      obs({}, {}, [
        {
          name: 'a',
          shardsOver: 33,
          shardsOverHeld: 30,
          maxShards: 50,
          desiredShards: 83,
        },
      ]),
    );
    expect(shards.reasons.map(r => `${r.id}:${r.severity}`)).toEqual([
      'remote-write-shards-maxed:warning',
    ]);
  });

  it('holds a condition down until it lasted the hold window: pending is info and healthy, never recovering', () => {
    const blip = judge(
      obs({}, { retriedPerSecond: 3, pendingSamples: 20_000 }),
    );
    expect(blip.state).toBe('healthy');
    expect(
      ids(obs({}, { retriedPerSecond: 3, pendingSamples: 20_000 })),
    ).toEqual(['remote-write-retrying:info', 'remote-write-pending:info']);
    expect(blip.reasons[0].message).toContain('not yet for 15 min');

    const sustained = judge(
      obs(
        { retriedHeld: 2, pendingHeld: 15_000 },
        { retriedPerSecond: 3, pendingSamples: 20_000 },
      ),
    );
    expect(sustained.state).toBe('degraded');
    expect(sustained.reasons.map(r => r.id)).toEqual([
      'remote-write-retrying',
      'remote-write-pending',
    ]);

    // A new failure is pending (healthy with an info reason), not "recovering".
    const newFailure = judge(
      obs({}, {}, [{ name: 'q', failureRatio: 0.5, failedPerSecond: 500 }]),
    );
    expect(newFailure.state).toBe('healthy');
    expect(newFailure.reasons.map(r => `${r.id}:${r.severity}`)).toEqual([
      'remote-write-failing:info',
    ]);
    expect(
      judge(
        obs({}, {}, [
          {
            name: 'q',
            failureRatio: 0.5,
            failedPerSecond: 500,
            failureRatioHeld: 0.4,
          },
        ]),
      ).state,
    ).toBe('failing');
  });

  it('is recovering only while a backlog drains, and failing while it grows', () => {
    const behind = (drain?: number): QueueObservation => ({
      name: 'q',
      lagSeconds: 900,
      lagHeld: 300,
      lagDrainPerSecond: drain,
    });
    const held = { retriedHeld: 2, pendingHeld: 15_000 };
    const backlog = { retriedPerSecond: 3, pendingSamples: 20_000 };
    const growing = judge(obs(held, backlog, [behind()]));
    expect(growing.state).toBe('failing');
    const draining = judge(obs(held, backlog, [behind(-1.5)]));
    expect(draining.state).toBe('recovering');
    expect(draining.reasons.map(r => `${r.id}:${r.severity}`)).toEqual([
      'remote-write-behind:info',
      'remote-write-recovering:info',
      'remote-write-recovering:info',
    ]);
    expect(draining.reasons[0].message).toContain('backlog is draining');
    // A queue that still fails is failing, whatever drains beside it.
    const stillFailing = judge(
      obs(held, backlog, [
        behind(-1.5),
        { name: 'r', failureRatio: 0.5, failureRatioHeld: 0.4 },
      ]),
    );
    expect(stillFailing.state).toBe('failing');
  });

  it('grades lag against warning and critical limits per queue', () => {
    const q = (lag: number): QueueObservation => ({
      name: 'q',
      lagSeconds: lag,
      lagHeld: lag,
    });
    expect(ids(obs({}, {}, [q(t.lagWarningSeconds)]))).toEqual([]);
    expect(ids(obs({}, {}, [q(t.lagWarningSeconds + 1)]))).toEqual([
      'remote-write-behind:warning',
    ]);
    expect(ids(obs({}, {}, [q(t.lagCriticalSeconds + 1)]))).toEqual([
      'remote-write-behind:critical',
    ]);
    const [r] = judge(obs({}, {}, [q(420)])).reasons;
    expect(r.message).toContain('420 s behind');
    expect(r.threshold).toBe(t.lagCriticalSeconds);
  });

  it('turns a cluster unknown during an outage and keeps what it was', () => {
    const before = judge(obs({ retriedHeld: 2 }, { retriedPerSecond: 3 }));
    const during = unknownFromLastKnown(before, {
      id: 'upstream-unreachable',
      severity: 'critical',
      message: 'thanos:x: down',
    });
    expect(during.state).toBe('unknown');
    expect(during.lastKnownState).toBe('degraded');
    expect(during.reasons.map(r => `${r.id}:${r.severity}`)).toEqual([
      'upstream-unreachable:critical',
      'remote-write-retrying:info',
    ]);
    // A second outage answer keeps the state from before the first.
    expect(unknownFromLastKnown(during, during.reasons[0]).lastKnownState).toBe(
      'degraded',
    );
  });
});
