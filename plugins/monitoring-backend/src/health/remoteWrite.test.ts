import { DEFAULT_THRESHOLDS } from '../config';
import { evaluateRemoteWrite } from './remoteWrite';

const t = DEFAULT_THRESHOLDS.remoteWrite;
const now = 1_800_000_000;
const fresh = { lastSeen: now - 10, samplesPerSecond: 1000, failedPerSecond: 0, retriedPerSecond: 0, droppedPerSecond: 0, failureRatio: 0, pendingSamples: 10, shards: 2, desiredShards: 1.5, maxShards: 50, lagSeconds: 2 };
const ids = (s: Partial<typeof fresh>) => evaluateRemoteWrite('c', { ...fresh, ...s }, t, now).reasons.map(r => `${r.id}:${r.severity}`);
const state = (s: Partial<typeof fresh>) => evaluateRemoteWrite('c', { ...fresh, ...s }, t, now).state;

describe('evaluateRemoteWrite', () => {
  it('is healthy when nothing crosses a threshold', () => {
    expect(state({})).toBe('healthy');
    expect(ids({})).toEqual([]);
  });

  it('has no data when self-metrics are stale or absent, and judges nothing else', () => {
    expect(state({ lastSeen: now - t.staleAfterSeconds - 1, failureRatio: 1 })).toBe('no-data');
    expect(ids({ lastSeen: now - 3600 })).toEqual(['cluster-no-data:warning']);
    expect(evaluateRemoteWrite('c', {}, t, now).state).toBe('no-data');
  });

  it('fails at the mixin failure ratio and warns below it', () => {
    expect(ids({ failureRatio: 0.01, failedPerSecond: 10 })).toEqual(['remote-write-failing:critical']);
    expect(ids({ failureRatio: 0.001, failedPerSecond: 1 })).toEqual(['remote-write-failing:warning']);
    expect(state({ failureRatio: 0.5, failedPerSecond: 500 })).toBe('failing');
  });

  it('grades lag against warning and critical limits', () => {
    expect(ids({ lagSeconds: t.lagWarningSeconds })).toEqual([]);
    expect(ids({ lagSeconds: t.lagWarningSeconds + 1 })).toEqual(['remote-write-behind:warning']);
    expect(ids({ lagSeconds: t.lagCriticalSeconds + 1 })).toEqual(['remote-write-behind:critical']);
  });

  it('warns on retries, drops, pending backlog and maxed shards', () => {
    expect(ids({ retriedPerSecond: 0.5 })).toEqual(['remote-write-retrying:warning']);
    expect(ids({ droppedPerSecond: 0.1 })).toEqual(['remote-write-dropping:warning']);
    expect(ids({ pendingSamples: t.pendingSamplesWarning + 1 })).toEqual(['remote-write-pending:warning']);
    expect(ids({ desiredShards: 60, maxShards: 50 })).toEqual(['remote-write-shards-maxed:warning']);
    expect(state({ retriedPerSecond: 3, pendingSamples: 20_000 })).toBe('degraded');
  });

  it('names the measured value in the message', () => {
    const [r] = evaluateRemoteWrite('edge', { ...fresh, lagSeconds: 420 }, t, now).reasons;
    expect(r.message).toContain('420 s behind');
    expect(r.value).toBe(420);
    expect(r.threshold).toBe(t.lagCriticalSeconds);
  });
});
