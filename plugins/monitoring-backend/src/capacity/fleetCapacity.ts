import type {
  EntityCapacity,
  FleetCapacity,
  ReceiverForecast,
  TenantForecast,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { TaggedSample } from '../thanos/signals';
import { forecastFrom } from './judge';
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
  const m = Object.fromEntries(
    (
      [
        'slope_1d',
        'slope_7d',
        'fit_1d',
        'fit_7d',
        'points_1d',
        'points_7d',
        'limit_tenant',
        'limited',
      ] as const
    ).map(k => [k, byTenant(k)]),
  ) as Record<
    Exclude<TenantsCapacitySignal, 'head_sum' | 'limit_default'>,
    Map<string, number>
  >;
  const limitDefault = s.get('limit_default')?.[0]?.value;
  const rows: TenantForecast[] = [];
  for (const [tenant, headSeries] of head) {
    if (!tenant) continue;
    const own = m.limit_tenant.get(tenant);
    const limit = own ?? limitDefault;
    const f = forecastFrom({
      limit: limit || undefined,
      day: {
        slopePerSecond: m.slope_1d.get(tenant),
        fitNow: m.fit_1d.get(tenant),
        points: m.points_1d.get(tenant),
      },
      week: {
        slopePerSecond: m.slope_7d.get(tenant),
        fitNow: m.fit_7d.get(tenant),
        points: m.points_7d.get(tenant),
      },
      now,
      what: 'head series summed over receivers',
    });
    const atLimit =
      (limit ? headSeries >= limit : false) || (m.limited.get(tenant) ?? 0) > 0;
    rows.push({
      tenant,
      headSeries,
      ...(limit ? { limit, usedRatio: headSeries / limit } : {}),
      limitSource: !limit ? 'none' : own !== undefined ? 'tenant' : 'default',
      ...(f.slopePerDay !== undefined ? { slopePerDay: f.slopePerDay } : {}),
      // At its limit (or refused) is no days left, whatever the line says.
      ...(atLimit
        ? { daysLeft: 0, reachesAt: f.reachesAt ?? now }
        : {
            ...(f.daysLeft !== undefined ? { daysLeft: f.daysLeft } : {}),
            ...(f.reachesAt !== undefined ? { reachesAt: f.reachesAt } : {}),
          }),
      confidence: f.confidence,
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
