import type { ThanosReceiveStats } from '@fleet-monitoring/plugin-monitoring-common';
import { DEFAULT_THRESHOLDS } from '../config';
import { evaluateReceive, ReceiveObservation } from './judgeReceive';
import { writeQuorum } from './writeQuorum';

const rt = DEFAULT_THRESHOLDS.receive;
const healthyStats: ThanosReceiveStats = {
  httpErrorRatio: 0,
  p99LatencySeconds: 0.1,
  replicationFailureRatio: 0,
  forwardFailureRatio: 0,
  hashringFileErrorsPerSecond: 0,
  configReloadSuccessful: true,
  headSeriesLimitedPerSecond: 0,
  replicationFactor: 3,
  hashringNodes: 3,
  instancesTotal: 3,
};
const holds = {
  httpErrors: '5 min',
  latency: '10 min',
  replication: '5 min',
  hashringFile: '15 min',
  tenantLimited: '5 min',
  isDown: '5 min',
  noUpload: '3 h',
};
const observe = (
  stats: Partial<ThanosReceiveStats> = {},
  o: Partial<ReceiveObservation> = {},
): ReceiveObservation => ({
  stats: { ...healthyStats, ...stats },
  up: 3,
  upRecentMax: 3,
  versions: ['0.35.1'],
  held: {},
  limitedTenants: [],
  noUpload: [],
  holds,
  ...o,
});
const judge = (
  stats: Partial<ThanosReceiveStats> = {},
  o: Partial<ReceiveObservation> = {},
) => evaluateReceive(observe(stats, o), rt);
const ids = (
  stats: Partial<ThanosReceiveStats> = {},
  o: Partial<ReceiveObservation> = {},
) => judge(stats, o).reasons.map(r => `${r.id}:${r.severity}`);

describe('evaluateReceive', () => {
  it('is healthy with clean signals', () => {
    expect(ids()).toEqual([]);
    expect(judge().state).toBe('healthy');
  });

  it('a total Receive outage is critical (ThanosReceiveIsDown), once absent for its hold', () => {
    // No up series at all, none in the hold: absent(up == 1) held.
    const gone = judge({}, { up: undefined, upRecentMax: undefined });
    expect(gone.state).toBe('failing');
    expect(gone.reasons.map(r => `${r.id}:${r.severity}`)).toEqual([
      'receive-down:critical',
    ]);
    // Every receiver scraped as down, held: critical too.
    expect(ids({}, { up: 0, upRecentMax: 0 })).toEqual([
      'receive-down:critical',
      'receive-instance-down:critical',
    ]);
    // Gone a moment ago: not yet held, no data rather than failing.
    const blip = judge({}, { up: undefined, upRecentMax: 3 });
    expect(blip.state).toBe('no-data');
    expect(blip.reasons[0]).toMatchObject({
      id: 'receive-down',
      severity: 'info',
    });
  });

  it('holds each mixin rule for its `for:` and compares with `>` as the mixin does', () => {
    // ThanosReceiveHttpRequestErrorRateHigh: > 5 % for 5m.
    expect(
      ids({ httpErrorRatio: 0.06 }, { held: { httpErrorRatio: 0.055 } }),
    ).toEqual(['receive-http-errors:critical']);
    expect(ids({ httpErrorRatio: 0.06 }, { held: {} })).toEqual([
      'receive-http-errors:info',
    ]);
    expect(
      ids({ httpErrorRatio: 0.05 }, { held: { httpErrorRatio: 0.05 } }),
    ).toEqual(['receive-http-errors:info']);
    // ThanosReceiveHttpRequestLatencyHigh: > 10 s for 10m.
    expect(
      ids({ p99LatencySeconds: 12 }, { held: { p99LatencySeconds: 11 } }),
    ).toEqual(['receive-high-latency:critical']);
    expect(ids({ p99LatencySeconds: 12 })).toEqual([
      'receive-high-latency:info',
    ]);
    expect(
      ids({ p99LatencySeconds: 10 }, { held: { p99LatencySeconds: 10 } }),
    ).toEqual([]);
    // ThanosReceiveHighHashringFileRefreshFailures: > 0 for 15m, warning.
    expect(
      ids(
        { hashringFileErrorsPerSecond: 0.1 },
        { held: { hashringFileErrors: true } },
      ),
    ).toEqual(['receive-hashring-file-errors:warning']);
    expect(ids({ hashringFileErrorsPerSecond: 0.1 })).toEqual([
      'receive-hashring-file-errors:info',
    ]);
  });

  it('reports forward failures as info, as the mixin does, above 20 % or not', () => {
    expect(ids({ forwardFailureRatio: 0.25 })).toEqual([
      'receive-forward-failures:info',
    ]);
    const r = judge({ forwardFailureRatio: 0.25 });
    expect(r.state).toBe('healthy');
    expect(r.reasons[0].threshold).toBe(0.2);
  });

  it('judges replication failures as the mixin does: only with RF > 1, warning above quorum/nodes once held', () => {
    // RF 3 on 3 nodes: the mixin warns above floor((3+1)/2)/3 = 67 % failing replication requests.
    expect(ids({ replicationFailureRatio: 0.2 })).toEqual([
      'receive-replication-failures:info',
    ]);
    expect(
      ids(
        { replicationFailureRatio: 0.7 },
        { held: { replicationFailureRatio: 0.68 } },
      ),
    ).toEqual(['receive-replication-failures:warning']);
    expect(ids({ replicationFailureRatio: 0.7 })).toEqual([
      'receive-replication-failures:info',
    ]);
    expect(
      ids({
        replicationFailureRatio: 0.05,
        replicationFactor: 1,
        hashringNodes: 1,
      }),
    ).toEqual([]);
  });

  it('the head-series 429 is judged per tenant from limited requests, naming the tenants', () => {
    const r = judge(
      { headSeriesLimitedPerSecond: 3 },
      {
        limitedTenants: [
          { tenant: 'edge-b', perSecond: 2, held: true },
          { tenant: 'edge-c', perSecond: 1, held: false },
        ],
      },
    );
    expect(r.reasons.map(x => `${x.id}:${x.severity}`)).toEqual([
      'receive-head-series-limited:warning',
    ]);
    expect(r.reasons[0].message).toContain('edge-b');
    expect(r.reasons[0].message).toContain('edge-c');
    expect(
      ids(
        {},
        { limitedTenants: [{ tenant: 'edge-b', perSecond: 2, held: false }] },
      ),
    ).toEqual(['receive-head-series-limited:info']);
  });

  it('judges a partial outage per series: critical when down > RF - quorum, whatever the receiver count', () => {
    // RF 3 (quorum 2): one down is tolerable, two are not, on 3 receivers as on 6.
    expect(ids({ instancesTotal: 3 }, { up: 2 })).toEqual([
      'receive-instance-down:warning',
    ]);
    expect(ids({ instancesTotal: 3 }, { up: 1 })).toEqual([
      'receive-instance-down:critical',
    ]);
    expect(ids({ instancesTotal: 6, hashringNodes: 6 }, { up: 5 })).toEqual([
      'receive-instance-down:warning',
    ]);
    expect(ids({ instancesTotal: 6, hashringNodes: 6 }, { up: 4 })).toEqual([
      'receive-instance-down:critical',
    ]);
    // RF 1: any receiver down loses the series it owns.
    expect(ids({ instancesTotal: 3, replicationFactor: 1 }, { up: 2 })).toEqual(
      ['receive-instance-down:critical'],
    );
  });

  it('takes the write quorum from the Thanos version: RF 2 has quorum 1 from v0.37, 2 before', () => {
    const rf2 = { instancesTotal: 4, replicationFactor: 2, hashringNodes: 4 };
    expect(ids(rf2, { up: 3, versions: ['0.42.4'] })).toEqual([
      'receive-instance-down:warning',
    ]);
    expect(ids(rf2, { up: 3, versions: ['0.35.1'] })).toEqual([
      'receive-instance-down:critical',
    ]);
    // During a rollout the oldest decides; unknown: the rule before v0.37, and the message says so.
    expect(ids(rf2, { up: 3, versions: ['0.42.4', '0.36.1'] })).toEqual([
      'receive-instance-down:critical',
    ]);
    const unknown = judge(rf2, { up: 3, versions: [] });
    expect(unknown.reasons[0].severity).toBe('critical');
    expect(unknown.reasons[0].message).toContain('assumed before v0.37');
    expect(writeQuorum(2, ['0.37.0']).quorum).toBe(1);
    expect(writeQuorum(2, ['0.36.1']).quorum).toBe(2);
    expect(writeQuorum(3, ['0.42.4']).quorum).toBe(2);
    expect(writeQuorum(5, ['0.42.4']).quorum).toBe(3);
  });

  it('flags no upload per tenant only once it held 3 h (ThanosReceiveNoUpload)', () => {
    const one = { instance: 'thanos-receive-0:10902', tenant: 'edge-a' };
    expect(ids({}, { noUpload: [{ ...one, held: true }] })).toEqual([
      'receive-no-upload:critical',
    ]);
    // A fresh tenant TSDB (counter at 0, first block after 2 h): not yet.
    expect(ids({}, { noUpload: [{ ...one, held: false }] })).toEqual([
      'receive-no-upload:info',
    ]);
    const r = judge(
      {},
      {
        noUpload: [
          { ...one, held: true },
          { ...one, tenant: 'edge-b', held: false },
        ],
      },
    );
    expect(r.reasons[0].message).toContain('tenant edge-a');
    expect(r.reasons[0].message).not.toContain('edge-b');
  });
});
