import type { RemoteWriteThresholds } from '../config/types';
import type { HeldClusters, HeldSignal } from '../thanos/queries';
import {
  GaugeSignal,
  JoinedAnswer,
  RateSignal,
  signals,
  TaggedSample,
} from '../thanos/signals';

/**
 * Which clusters the fleet summary's second round asks each held signal for: those where the judge
 * (judge.ts) reads it, i.e. where its condition is true now. A held value is only read for a reason
 * present now (the rule clock: not true now is inactive, whatever held), so asking the rest of the
 * fleet would change no state or reason; it only costs the store the hold window's subqueries.
 *
 * - failures held: a queue fails now (a failure ratio or failed samples);
 * - retries, drops, pending held: the cluster's figure is above its warning limit now;
 * - lag and desired shards held: a queue is behind, or wants more shards, now;
 * - the shard maximum of queues that want more: a queue wants more shards now;
 * - lag drain: any of the conditions whose reason a draining backlog turns into "recovering"
 *   (lag, shards, retries, pending) is true now.
 */
export function heldQuestions(
  now: JoinedAnswer,
  clusterLabel: string,
  t: RemoteWriteThresholds,
): HeldClusters {
  const bySignal = signals<RateSignal | GaugeSignal>(now);
  const clustersOf = (
    names: Array<RateSignal | GaugeSignal>,
    above = -Infinity,
  ): Set<string> => {
    const out = new Set<string>();
    for (const name of names) {
      for (const s of bySignal.get(name) ?? ([] as TaggedSample[])) {
        const cluster = s.labels[clusterLabel];
        if (cluster && s.value > above) out.add(cluster);
      }
    }
    return out;
  };
  const failing = clustersOf(['failure_ratio_q', 'failed_q'], 0);
  const retried = clustersOf(['retried'], t.retriedPerSecondWarning);
  const dropped = clustersOf(['dropped'], t.droppedPerSecondWarning);
  const pending = clustersOf(['pending'], t.pendingSamplesWarning);
  const behind = clustersOf(['lag_q'], t.lagWarningSeconds);
  const shardsOver = clustersOf(['shards_over_q'], 0);
  const backlog = new Set([...behind, ...shardsOver, ...retried, ...pending]);
  const out: Record<HeldSignal, Set<string>> = {
    failure_ratio_held_q: failing,
    retried_held: retried,
    dropped_held: dropped,
    pending_held: pending,
    lag_held_q: behind,
    shards_over_held_q: shardsOver,
    lag_drain_q: backlog,
    shards_max_q: shardsOver,
  };
  return Object.fromEntries(
    Object.entries(out)
      .filter(([, set]) => set.size > 0)
      .map(([k, set]) => [k, [...set]]),
  ) as HeldClusters;
}
