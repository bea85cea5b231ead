import type {
  ClusterDetail,
  ClusterHealth,
  QueueStats,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { ClusterSeriesSignal } from '../thanos/signals';
import { SIGNAL_LABEL } from '../thanos/signals';
import type { PromMatrixSeries } from '../thanos/ThanosClient';
import type { ClusterObservation, QueueObservation } from './judge';

type Series = ClusterDetail['series'];
type Range = ClusterDetail['range'];

/** The graphs' range for `rangeSeconds` back from now: ~120 points per graph whatever the range. */
export function detailRange(rangeSeconds: number, nowMs = Date.now()): Range {
  const end = Math.floor(nowMs / 1000);
  return {
    start: end - rangeSeconds,
    end,
    step: Math.max(15, Math.round(rangeSeconds / 120)),
  };
}

/** Which graph each signal of clusterSeriesQuery fills. */
const GRAPHS: Record<ClusterSeriesSignal, keyof Series> = {
  lag: 'lagSeconds',
  sent: 'samplesPerSecond',
  failed: 'failedPerSecond',
  retried: 'retriedPerSecond',
};

/** The graphs from a clusterSeriesQuery answer (non-finite points dropped; a missing one is empty). */
export function detailSeries(result: PromMatrixSeries[]): Series {
  const out = {} as Series;
  for (const [signal, graph] of Object.entries(GRAPHS) as Array<
    [ClusterSeriesSignal, keyof Series]
  >) {
    out[graph] = (
      result.find(s => s.metric[SIGNAL_LABEL] === signal)?.values ?? []
    )
      .map(([ts, v]) => [ts, Number(v)] as [number, number])
      .filter(([, v]) => Number.isFinite(v));
  }
  return out;
}

/** A queue as the API shows it: without the hold-down bookkeeping. */
export function publicQueue(q: QueueObservation): QueueStats {
  const {
    name,
    url,
    samplesPerSecond,
    failedPerSecond,
    failureRatio,
    lagSeconds,
    shards,
    desiredShards,
    maxShards,
  } = q;
  return {
    name,
    url,
    samplesPerSecond,
    failedPerSecond,
    failureRatio,
    lagSeconds,
    shards,
    desiredShards,
    maxShards,
  };
}

/** One cluster's detail: its judged health, its queues, and its graphs. */
export function clusterDetail(o: {
  instance: string;
  health: ClusterHealth;
  observation: ClusterObservation;
  range: Range;
  series: PromMatrixSeries[];
}): ClusterDetail {
  return {
    ...o.health,
    stats: {
      ...o.health.stats,
      queues: o.observation.queues.map(publicQueue),
    },
    instance: o.instance,
    range: o.range,
    series: detailSeries(o.series),
  };
}

/** Graphs of a detail the upstream could not answer. */
export function emptySeries(): Series {
  return {
    lagSeconds: [],
    samplesPerSecond: [],
    failedPerSecond: [],
    retriedPerSecond: [],
  };
}
