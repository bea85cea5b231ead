import type { ThanosReceiveStats } from '@fleet-monitoring/plugin-monitoring-common';
import { DEFAULT_THRESHOLDS } from '../config';
import { evaluateReceive } from './judgeReceive';

const rt = DEFAULT_THRESHOLDS.receive;
const healthyReceive: ThanosReceiveStats = {
  httpErrorRatio: 0,
  p99LatencySeconds: 0.1,
  replicationFailureRatio: 0,
  forwardFailureRatio: 0,
  hashringFileErrorsPerSecond: 0,
  configReloadSuccessful: true,
  headSeriesLimitedPerSecond: 0,
  replicationFactor: 3,
  hashringNodes: 3,
};
const receiveIds = (
  s: Partial<ThanosReceiveStats>,
  up: number | undefined = 3,
) =>
  evaluateReceive({ ...healthyReceive, ...s }, up, rt).reasons.map(
    r => `${r.id}:${r.severity}`,
  );

describe('evaluateReceive', () => {
  it('is healthy with clean signals and has no data without series', () => {
    expect(receiveIds({})).toEqual([]);
    expect(evaluateReceive(healthyReceive, undefined, rt).state).toBe(
      'no-data',
    );
  });

  it('follows the Thanos mixin thresholds', () => {
    expect(receiveIds({ httpErrorRatio: 0.06 })).toEqual([
      'receive-http-errors:critical',
    ]);
    expect(receiveIds({ httpErrorRatio: 0.01 })).toEqual([
      'receive-http-errors:warning',
    ]);
    expect(receiveIds({ p99LatencySeconds: 12 })).toEqual([
      'receive-high-latency:critical',
    ]);
    expect(receiveIds({ forwardFailureRatio: 0.25 })).toEqual([
      'receive-forward-failures:warning',
    ]);
    expect(receiveIds({ hashringFileErrorsPerSecond: 0.1 })).toEqual([
      'receive-hashring-file-errors:warning',
    ]);
    expect(receiveIds({ configReloadSuccessful: false })).toEqual([
      'receive-config-reload-failed:warning',
    ]);
    expect(receiveIds({ headSeriesLimitedPerSecond: 1 })).toEqual([
      'receive-head-series-limited:warning',
    ]);
  });

  it('judges replication failures as the mixin does: only with RF > 1, warning above quorum/nodes', () => {
    // RF 3 on 3 nodes: the mixin warns above floor((3+1)/2)/3 = 67 % failing replication requests.
    expect(receiveIds({ replicationFailureRatio: 0.2 })).toEqual([
      'receive-replication-failures:info',
    ]);
    expect(receiveIds({ replicationFailureRatio: 0.7 })).toEqual([
      'receive-replication-failures:warning',
    ]);
    // RF 1 has no replication: the rule does not apply.
    expect(
      receiveIds({
        replicationFailureRatio: 0.05,
        replicationFactor: 1,
        hashringNodes: 1,
      }),
    ).toEqual([]);
  });

  it('reports a partial receiver outage against the write quorum', () => {
    expect(receiveIds({ instancesTotal: 3 }, 2)).toEqual([
      'receive-instance-down:warning',
    ]);
    expect(receiveIds({ instancesTotal: 3 }, 1)).toEqual([
      'receive-instance-down:critical',
    ]);
    expect(receiveIds({ instancesTotal: 3 }, 3)).toEqual([]);
  });

  it('flags running receivers that uploaded no block in 3 h (ThanosReceiveNoUpload)', () => {
    expect(receiveIds({ minUploadsLast3h: 0 })).toEqual([
      'receive-no-upload:critical',
    ]);
    expect(receiveIds({ minUploadsLast3h: 2 })).toEqual([]);
  });
});
