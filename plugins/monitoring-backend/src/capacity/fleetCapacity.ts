import type {
  EntityCapacity,
  FleetCapacity,
  HealthReason,
  ReceiverForecast,
  TenantForecast,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { TaggedSample } from '../thanos/signals';
import { judgeTenant, WARNING_DAYS } from './judge';
import type { TenantsCapacitySignal } from './queries';

/**
 * Fleet-wide capacity: every tenant against its head-series limit with its days left, and the
 * receivers' OOM forecasts, at-risk rows first. Pure; CapacityService asks the store.
 */

/** Horizon (days) unless asked otherwise; at most MAX_DAYS. */
export const DEFAULT_DAYS = 7;
export const MAX_DAYS = 365;
/** Tenant rows answered unless asked otherwise; at most MAX_ROWS. */
export const DEFAULT_ROWS = 100;
export const MAX_ROWS = 1000;

const DAY = 86_400;

/**
 * A tenant's forecast from secants of its smoothed head series (each receiver's hourly maximum,
 * summed): the week's growth (now minus a week ago, over 7 days) when a week ago is known, else the
 * day's. Confidence as the card's: high when the day's slope is within 30 % of the week's, medium
 * within a factor two or with a day only, low otherwise; none without a day of history. On a steady
 * growth the secant and the card's least-squares line agree; the fleet list is the screen, the
 * card the diagnosis.
 */
export function secantForecast(input: {
  smoothed?: number;
  dayAgo?: number;
  weekAgo?: number;
  limit?: number;
  now: number;
}): Pick<
  TenantForecast,
  'slopePerDay' | 'daysLeft' | 'reachesAt' | 'confidence'
> {
  const { smoothed, dayAgo, weekAgo, limit, now } = input;
  if (smoothed === undefined || (dayAgo === undefined && weekAgo === undefined))
    return { confidence: 'none' };
  const day = dayAgo !== undefined ? smoothed - dayAgo : undefined;
  const week = weekAgo !== undefined ? (smoothed - weekAgo) / 7 : undefined;
  const slopePerDay = week ?? day!;
  let confidence: TenantForecast['confidence'] = 'medium';
  if (week !== undefined && day !== undefined) {
    let ratio = Math.abs(day / week - 1);
    if (week === 0) ratio = day === 0 ? 0 : Infinity;
    if (ratio <= 0.3) confidence = 'high';
    else if (ratio > 1) confidence = 'low';
  }
  const out = { slopePerDay, confidence };
  if (!limit) return out;
  if (smoothed >= limit) return { ...out, daysLeft: 0, reachesAt: now };
  if (slopePerDay <= 0) return out;
  const days = (limit - smoothed) / slopePerDay;
  return {
    ...out,
    daysLeft: Math.round(days * 100) / 100,
    reachesAt: Math.round(now + days * DAY),
  };
}

function limitSourceOf(
  limit: number | undefined,
  own: number | undefined,
): TenantForecast['limitSource'] {
  if (!limit) return 'none';
  return own !== undefined ? 'tenant' : 'default';
}

/**
 * One row per tenant from tenantsCapacityQuery's signals. `atRisk` is set for a tenant at its limit
 * (or refused by the limiter) only: the horizon is applied on read (withinHorizon), so one cached
 * set of rows answers every horizon.
 */
export function tenantForecasts(
  s: ReadonlyMap<TenantsCapacitySignal, TaggedSample[]>,
  now: number,
): TenantForecast[] {
  const byTenant = (k: TenantsCapacitySignal) =>
    new Map((s.get(k) ?? []).map(x => [x.labels.tenant ?? '', x.value]));
  const head = byTenant('head_sum');
  const smoothed = byTenant('smoothed');
  const dayAgo = byTenant('smoothed_1d_ago');
  const weekAgo = byTenant('smoothed_7d_ago');
  const ownLimit = byTenant('limit_tenant');
  const limited = byTenant('limited');
  const limitDefault = s.get('limit_default')?.[0]?.value;
  const rows: TenantForecast[] = [];
  for (const [tenant, headSeries] of head) {
    if (!tenant) continue;
    const own = ownLimit.get(tenant);
    const limit = own ?? limitDefault;
    const atLimit =
      (limit ? headSeries >= limit : false) || (limited.get(tenant) ?? 0) > 0;
    const f = secantForecast({
      smoothed: smoothed.get(tenant),
      dayAgo: dayAgo.get(tenant),
      weekAgo: weekAgo.get(tenant),
      limit: limit || undefined,
      now,
    });
    rows.push({
      tenant,
      headSeries,
      ...(limit ? { limit, usedRatio: headSeries / limit } : {}),
      limitSource: limitSourceOf(limit, own),
      ...f,
      // At its limit (or refused) is no days left, whatever the line says.
      ...(atLimit ? { daysLeft: 0, reachesAt: f.reachesAt ?? now } : {}),
      atRisk: atLimit,
    });
  }
  return rows;
}

/** A row at risk within `days`: at its limit, or its forecast reaches it by then. */
export function withinHorizon(t: TenantForecast, days: number): TenantForecast {
  const soon =
    t.confidence !== undefined &&
    t.confidence !== 'none' &&
    t.daysLeft !== undefined &&
    t.daysLeft <= days;
  return soon && !t.atRisk ? { ...t, atRisk: true } : t;
}

/** At risk first, then the soonest to run out, then the fullest; ties by name. */
export function byRisk(a: TenantForecast, b: TenantForecast): number {
  return (
    Number(b.atRisk) - Number(a.atRisk) ||
    (a.daysLeft ?? Infinity) - (b.daysLeft ?? Infinity) ||
    (b.usedRatio ?? 0) - (a.usedRatio ?? 0) ||
    a.tenant.localeCompare(b.tenant)
  );
}

/** Each receiver with a memory forecast, at risk when its OOM comes within `days`. */
export function receiverForecasts(
  receive: EntityCapacity | undefined,
  days: number,
): ReceiverForecast[] {
  return (receive?.receive?.receivers ?? []).map(r => {
    const f = r.oomForecast;
    return {
      pod: r.pod,
      ...(r.usedRatio !== undefined ? { usedRatio: r.usedRatio } : {}),
      ...(f?.daysLeft !== undefined ? { daysLeft: f.daysLeft } : {}),
      ...(f ? { confidence: f.confidence } : {}),
      atRisk:
        (r.usedRatio ?? 0) >= 1 ||
        (f !== undefined &&
          f.confidence !== 'none' &&
          f.daysLeft !== undefined &&
          f.daysLeft <= days),
    };
  });
}

/** The fleet's answer: `limit` tenant rows by risk, with the totals over all tenants. */
export function fleetCapacityAnswer(
  instance: string,
  tenants: TenantForecast[],
  receivers: ReceiverForecast[],
  days: number,
  limit: number,
): FleetCapacity {
  const judged = tenants.map(t => withinHorizon(t, days));
  const sorted = judged.sort(byRisk);
  return {
    instance,
    days,
    tenantsTotal: sorted.length,
    tenantsAtRisk: sorted.filter(t => t.atRisk).length,
    tenants: sorted.slice(0, limit),
    receivers: [...receivers].sort(
      (a, b) =>
        Number(b.atRisk) - Number(a.atRisk) ||
        (a.daysLeft ?? Infinity) - (b.daysLeft ?? Infinity) ||
        a.pod.localeCompare(b.pod),
    ),
  };
}

/**
 * A fleet row's capacity-tenant-* reasons (at its limit, or reaching it within the judge's
 * WARNING_DAYS), from the card's own judge so the thresholds live in one place. The fleet's
 * forecast is tenantForecasts' secant: the week's when a week ago is known (high or low confidence
 * always had one), else the day's. daysLeft 0 is at the limit or refused by the limiter.
 */
export function judgeTenantForecast(t: TenantForecast): HealthReason[] {
  const atLimit = t.daysLeft === 0;
  const { reasons } = judgeTenant({
    cluster: t.tenant,
    tenant: t.tenant,
    receivers: 1,
    headSeries: t.headSeries,
    ...(t.limit ? { limit: t.limit } : {}),
    limitSource: t.limitSource,
    ...(atLimit ? { limitedRequestsPerSecond: 1 } : {}),
    forecast: {
      confidence: t.confidence ?? 'none',
      window: t.confidence === 'high' || t.confidence === 'low' ? '7d' : '1d',
      basis: 'secant of the hourly maxima summed over receivers',
      ...(t.slopePerDay !== undefined ? { slopePerDay: t.slopePerDay } : {}),
      ...(t.daysLeft !== undefined ? { daysLeft: t.daysLeft } : {}),
      ...(t.reachesAt !== undefined ? { reachesAt: t.reachesAt } : {}),
    },
  });
  return reasons.filter(
    r =>
      r.id === 'capacity-tenant-at-limit' ||
      r.id === 'capacity-tenant-limit-soon',
  );
}

/** The horizon of judgeTenantForecast, for asking fleetCapacity with the same one. */
export const FLEET_JUDGE_DAYS = WARNING_DAYS;
