import type {
  CapacityForecast,
  HealthReason,
  HealthState,
  ReceiverCapacity,
  ReceiverLossCheck,
  TenantCapacity,
} from '@fleet-monitoring/plugin-monitoring-common';
import { stateFromReasons } from '@fleet-monitoring/plugin-monitoring-common';
import { fmt, pct } from '../core/format';

/**
 * The capacity verdicts, pure: forecasts from fitted lines, the tenant's limit, the receivers'
 * memory and the one-receiver-lost check.
 */

/** A forecast this close (days) is a warning; within CRITICAL_DAYS it is critical. */
export const WARNING_DAYS = 7;
export const CRITICAL_DAYS = 1;
/** Points a window needs: 30 min at the day's 10-min step; two days at the week's hourly step. */
const MIN_POINTS_1D = 3;
const MIN_POINTS_7D = 48;

/** A line fitted over one window: slope (per second), value at now, points with data. */
export interface LineFit {
  slopePerSecond?: number;
  fitNow?: number;
  points?: number;
}

const DAY = 86_400;

/**
 * When a fitted line reaches `limit`. The week's fit is used once it has two days of points (a
 * week smooths daily cycles), else the day's; confidence is high when the week is mostly covered and
 * the day's slope agrees with it within 30 % (steady growth), medium when they disagree within a
 * factor two or only the day is known with 12 h of points, low otherwise.
 */
export function forecastFrom(input: {
  limit?: number;
  day: LineFit;
  week?: LineFit;
  now: number;
  what: string;
}): CapacityForecast {
  const { day, week, limit, now } = input;
  const useWeek = week && (week.points ?? 0) >= MIN_POINTS_7D;
  const fit = useWeek ? week : day;
  const window = useWeek ? '7d' : '1d';
  const points = fit.points ?? 0;
  const hoursCovered = useWeek ? points : (points * 10) / 60;
  const base = {
    window: window as CapacityForecast['window'],
    hoursCovered: Math.round(hoursCovered * 10) / 10,
  };
  if (
    (!useWeek && points < MIN_POINTS_1D) ||
    fit.slopePerSecond === undefined ||
    fit.fitNow === undefined
  ) {
    return {
      ...base,
      confidence: 'none',
      basis: `not enough history: the forecast needs ${MIN_POINTS_1D * 10} min of ${input.what}`,
    };
  }
  const slopePerDay = fit.slopePerSecond * DAY;
  let confidence: CapacityForecast['confidence'] = 'low';
  if (useWeek && day.slopePerSecond !== undefined) {
    const ratio =
      fit.slopePerSecond === 0
        ? Infinity
        : Math.abs(day.slopePerSecond / fit.slopePerSecond - 1);
    if (points >= 120 && ratio <= 0.3) confidence = 'high';
    else if (ratio <= 1) confidence = 'medium';
  } else if (!useWeek && points >= 72) confidence = 'medium';
  const basis = `straight line through the ${window === '7d' ? 'hourly' : '10-minute'} values of the last ${window === '7d' ? 'week' : 'day'} (${input.what}, each receiver's maximum over the hour, so a restart does not pull it down)`;
  const out: CapacityForecast = { ...base, slopePerDay, confidence, basis };
  if (limit === undefined || limit <= 0) return out;
  if (fit.fitNow >= limit) return { ...out, daysLeft: 0, reachesAt: now };
  if (fit.slopePerSecond <= 0) return out;
  const seconds = (limit - fit.fitNow) / fit.slopePerSecond;
  return {
    ...out,
    daysLeft: Math.round((seconds / DAY) * 100) / 100,
    reachesAt: Math.round(now + seconds),
  };
}

/**
 * Unique series from the sum over the receivers that answer: each series has min(RF, nodes) copies
 * spread over the hashring's nodes, so the answering receivers hold min(RF, nodes) x answering /
 * nodes of them on average (RF when all answer; with RF 3 on three receivers and one down, 2).
 */
export function uniqueSeries(
  headSum: number,
  rf: number | undefined,
  answering: number | undefined,
  nodes: number | undefined,
): number | undefined {
  if (!rf) return undefined;
  const copies =
    nodes && answering
      ? (Math.min(rf, nodes) * Math.min(answering, nodes)) / nodes
      : rf;
  return Math.round(headSum / Math.max(1, copies));
}

/** The tenant's verdict: at its limit, reaching it soon, or without one. */
export function judgeTenant(t: TenantCapacity): {
  state: HealthState;
  reasons: HealthReason[];
} {
  const reasons: HealthReason[] = [];
  if (t.receivers === 0) {
    return {
      state: 'no-data',
      reasons: [
        {
          id: 'capacity-no-data',
          severity: 'info',
          message: `No receiver reports head series for tenant "${t.tenant}" (prometheus_tsdb_head_series{tenant}).`,
          hint: "Scrape the receivers' own metrics into the store Thanos Query reads.",
        },
      ],
    };
  }
  if (!t.limit) {
    reasons.push({
      id: 'capacity-tenant-no-limit',
      severity: 'info',
      message: `Tenant "${t.tenant}" has no head-series limit: nothing stops a cardinality explosion before the receivers run out of memory.`,
      hint: "Set write.default.head_series_limit or a tenant limit in the receivers' limits file.",
    });
  } else if (t.headSeries >= t.limit || (t.limitedRequestsPerSecond ?? 0) > 0) {
    reasons.push({
      id: 'capacity-tenant-at-limit',
      severity: 'critical',
      message: `Tenant "${t.tenant}" holds ${fmt(t.headSeries)} head series (copies included) against its limit of ${fmt(t.limit)}: Receive refuses its writes with 429.`,
      value: t.headSeries,
      threshold: t.limit,
      hint: 'Drop series at the agent (write_relabel_configs) or raise the limit.',
    });
  } else if (
    t.forecast.daysLeft !== undefined &&
    t.forecast.confidence !== 'none' &&
    t.forecast.daysLeft <= WARNING_DAYS
  ) {
    reasons.push({
      id: 'capacity-tenant-limit-soon',
      severity: t.forecast.daysLeft <= CRITICAL_DAYS ? 'critical' : 'warning',
      message: `Tenant "${t.tenant}" reaches its head-series limit of ${fmt(t.limit)} in ${fmt(t.forecast.daysLeft)} days at its ${t.forecast.window} growth (${fmt(t.forecast.slopePerDay ?? 0)} a day, ${t.forecast.confidence} confidence).`,
      value: t.forecast.daysLeft,
      threshold: WARNING_DAYS,
      hint: 'Find the metric that grows and drop it, or raise the limit before then.',
    });
  }
  return { state: stateFromReasons(reasons), reasons };
}

/**
 * One receiver lost: the hashring without it spreads its head series evenly over the rest (each a
 * 1/(N-1) share), each new series costing what a head series costs that receiver today (working set
 * / head series: fixed overhead included, so it errs on the safe side). With a replication factor
 * of N or more every receiver already holds every series: nothing moves. The receiver whose loss
 * overloads most others is reported.
 */
export function oneReceiverLost(
  receivers: ReceiverCapacity[],
  replicationFactor: number | undefined,
): ReceiverLossCheck | undefined {
  const held = receivers.filter(r => r.headSeries > 0);
  if (held.length < 2) return undefined;
  const n = held.length;
  if ((replicationFactor ?? 1) >= n) {
    const lost = [...held].sort((a, b) => b.headSeries - a.headSeries)[0];
    return { lost: lost.pod, fits: true, ringTooSmall: true, others: [] };
  }
  let worst: ReceiverLossCheck | undefined;
  let worstScore = -Infinity;
  for (const lost of held) {
    const others = held
      .filter(r => r !== lost)
      .map(r => {
        if (r.workingSetBytes === undefined) return undefined;
        const perSeries = r.workingSetBytes / r.headSeries;
        const projectedBytes = Math.round(
          r.workingSetBytes + (lost.headSeries / (n - 1)) * perSeries,
        );
        return {
          pod: r.pod,
          projectedBytes,
          ...(r.memoryLimitBytes !== undefined
            ? { limitBytes: r.memoryLimitBytes }
            : {}),
          fits:
            r.memoryLimitBytes === undefined ||
            projectedBytes < r.memoryLimitBytes,
        };
      })
      .filter((x): x is NonNullable<typeof x> => x !== undefined);
    if (others.length === 0) continue;
    const over = others.filter(o => !o.fits).length;
    const maxRatio = Math.max(
      ...others.map(o => (o.limitBytes ? o.projectedBytes / o.limitBytes : 0)),
    );
    const score = over * 10 + maxRatio;
    if (score > worstScore) {
      worstScore = score;
      worst = { lost: lost.pod, fits: over === 0, ringTooSmall: false, others };
    }
  }
  return worst;
}

/** The receivers' verdict: OOM soon, no memory limit, unknown memory, one lost overloading the rest. */
export function judgeReceivers(
  receivers: ReceiverCapacity[],
  oneLost: ReceiverLossCheck | undefined,
): { state: HealthState; reasons: HealthReason[] } {
  if (receivers.length === 0) {
    return {
      state: 'no-data',
      reasons: [
        {
          id: 'capacity-no-data',
          severity: 'info',
          message:
            'No receiver reports head series (prometheus_tsdb_head_series) for this selector.',
          hint: "Scrape the receivers' own metrics into the store Thanos Query reads.",
        },
      ],
    };
  }
  const reasons: HealthReason[] = [];
  if (receivers.every(r => r.workingSetBytes === undefined)) {
    reasons.push({
      id: 'capacity-memory-unknown',
      severity: 'info',
      message:
        "No working set for the receivers' pods (cAdvisor container_memory_working_set_bytes joined on namespace and pod).",
      hint: "Scrape the kubelet (/metrics/cadvisor) and kube-state-metrics, and keep the pod label on the receivers' own series.",
    });
  }
  for (const r of receivers) {
    if (r.workingSetBytes === undefined) continue;
    if (r.memoryLimitBytes === undefined) {
      reasons.push({
        id: 'capacity-receiver-no-memory-limit',
        severity: 'info',
        message: `Receiver ${r.pod} has no memory limit (kube_pod_container_resource_limits{resource="memory"}): it grows until the node runs out.`,
        hint: 'Give the receive container a memory limit sized for its head series.',
      });
      continue;
    }
    const f = r.oomForecast;
    if (
      f?.daysLeft !== undefined &&
      f.confidence !== 'none' &&
      f.daysLeft <= WARNING_DAYS
    ) {
      reasons.push({
        id: 'capacity-receiver-oom-soon',
        severity: f.daysLeft <= CRITICAL_DAYS ? 'critical' : 'warning',
        message: `Receiver ${r.pod} uses ${pct(r.usedRatio ?? 0)} of its memory limit and reaches it in ${fmt(f.daysLeft)} days at today's growth: then it is OOM-killed and its series move to the others.`,
        value: f.daysLeft,
        threshold: WARNING_DAYS,
        hint: 'Raise the memory limit, add a receiver, or cut the series that grow.',
      });
    }
  }
  if (oneLost && !oneLost.fits) {
    const over = oneLost.others.filter(o => !o.fits).map(o => o.pod);
    reasons.push({
      id: 'capacity-one-receiver-lost',
      severity: 'warning',
      message: `If ${oneLost.lost} is lost, its head series move to the others and ${over.join(', ')} would pass ${over.length > 1 ? 'their' : 'its'} memory limit: an OOM cascade.`,
      value: over.length,
      hint: 'Keep each receiver below (N-2)/(N-1) of its limit, or add a receiver.',
    });
  }
  return { state: stateFromReasons(reasons), reasons };
}
