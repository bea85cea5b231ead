import {
  fleetRecordingGroupName,
  SummarySource,
} from '@fleet-monitoring/plugin-monitoring-common';
import { durationSeconds } from '../config/holdWindow';
import type { SummarySourceSetting } from '../config/types';
import {
  INVENTORY_LOOKBACK,
  RecordingProbeAnswer,
  recordingRulesProbeQuery,
  SeriesSource,
} from '../thanos/queries';
import { bySignal } from '../thanos/signals';
import type { ThanosClient } from '../thanos/ThanosClient';

/** What the probe found: the fleet group's first and last evaluation in the lookback (epoch s). */
export interface RecordingProbe {
  firstEvaluated: number;
  lastEvaluated: number;
  /** Mean seconds between evaluations (at least two seen). */
  intervalSeconds?: number;
  /**
   * Since when the group's sticky inventory has been unbroken (epoch s): the clusters seen since
   * then are in it. Absent when its chain is broken now, or the group predates it.
   */
  unbrokenSince?: number;
}

/** The series the summary reads, and what the answer says about it. */
export interface ChosenSource {
  series: SeriesSource;
  answer: SummarySource;
}

export interface SourceContext {
  setting: SummarySourceSetting;
  window: string;
  /** The hold-down the held conditions read back over. */
  holdSeconds: number;
  now: number;
}

/**
 * Recorded series count as current while the group's last evaluation is this recent: a rate window,
 * and at least two minutes (a ruler's usual one-minute interval, one evaluation missed).
 */
export function freshLimitSeconds(window: string): number {
  return Math.max(durationSeconds(window), 120);
}

const ago = (s: number) => `${Math.round(s)} s ago`;

/**
 * Raw or recorded, from the instance's setting and the probe. `auto` reads the recorded series only
 * when the group for this rate window is evaluated now and has been for the hold window plus a rate
 * window (what the held conditions read back over); `recorded` reads them whatever the probe says.
 */
export function chooseSummarySource(
  ctx: SourceContext,
  probe: RecordingProbe | undefined,
): ChosenSource {
  const group = `rule group ${fleetRecordingGroupName(ctx.window)}`;
  const raw = (reason: string): ChosenSource => ({
    series: { kind: 'raw' },
    answer: { kind: 'raw', reason },
  });
  const covered = probe ? Math.max(0, ctx.now - probe.firstEvaluated) : 0;
  // The inventory's recorded part covers only the unbroken chain: a cluster that went quiet before
  // a long ruler outage is in no sticky series, so the raw series are read for the time before it.
  const inventoryCovered =
    probe?.unbrokenSince === undefined
      ? 0
      : Math.max(0, ctx.now - probe.unbrokenSince);
  if (ctx.setting === 'raw')
    return raw("configured: summarySource raw (the agents' own series)");
  if (ctx.setting === 'recorded') {
    return {
      series: {
        kind: 'recorded',
        coveredSeconds: inventoryCovered,
        intervalSeconds: probe?.intervalSeconds,
      },
      answer: {
        kind: 'recorded',
        reason: probe
          ? `configured: summarySource recorded; the ${group} was last evaluated ${ago(ctx.now - probe.lastEvaluated)}`
          : `configured: summarySource recorded, but the ${group} was not evaluated in the last ${INVENTORY_LOOKBACK}`,
      },
    };
  }
  if (!probe)
    return raw(
      `no recorded fleet series: the ${group} was not evaluated on this instance in the last ${INVENTORY_LOOKBACK}`,
    );
  const age = ctx.now - probe.lastEvaluated;
  if (age > freshLimitSeconds(ctx.window))
    return raw(
      `the ${group} was last evaluated ${ago(age)} (more than ${freshLimitSeconds(ctx.window)} s): its ruler has stopped`,
    );
  const needed = ctx.holdSeconds + durationSeconds(ctx.window);
  if (covered < needed)
    return raw(
      `the ${group} has been evaluated for ${Math.round(covered)} s, less than the ${needed} s the held conditions read back over`,
    );
  return {
    series: {
      kind: 'recorded',
      coveredSeconds: inventoryCovered,
      intervalSeconds: probe.intervalSeconds,
    },
    answer: {
      kind: 'recorded',
      reason: `detected: the ${group} was last evaluated ${ago(age)}, first ${ago(covered)}; ${
        inventoryCovered > 0
          ? `its inventory unbroken since ${ago(inventoryCovered)}`
          : 'no unbroken recorded inventory (read raw)'
      }`,
    },
  };
}

/** The probe's answer, or undefined when the group is not evaluated on the instance. */
export async function probeRecordingRules(
  client: ThanosClient,
  window: string,
): Promise<RecordingProbe | undefined> {
  const answer = await client.query(recordingRulesProbeQuery(window));
  const found = bySignal<RecordingProbeAnswer>(answer.result);
  const first = found.get('first_evaluated')?.get('');
  const last = found.get('last_evaluated')?.get('');
  if (first === undefined || last === undefined) return undefined;
  const evaluations = found.get('evaluations')?.get('') ?? 0;
  const since = found.get('unbroken_since')?.get('');
  return {
    firstEvaluated: first,
    lastEvaluated: last,
    ...(since !== undefined ? { unbrokenSince: since } : {}),
    // The mean over the lookback: a pause in the ruler lengthens it, which only widens the window
    // the held conditions read (later, never earlier).
    intervalSeconds:
      evaluations >= 2 ? (last - first) / (evaluations - 1) : undefined,
  };
}
