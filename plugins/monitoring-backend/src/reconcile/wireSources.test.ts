import type {
  FleetCapacity,
  TenantForecast,
} from '@fleet-monitoring/plugin-monitoring-common';
import {
  FLEET_JUDGE_DAYS,
  judgeTenantForecast,
} from '../capacity/fleetCapacity';
import { isUpstreamError } from '../upstream/errors';
import { reconcileSources, type SliceServices } from './wireSources';

// The capacity source as plugin.ts wires it: the capacity slice's fleet rows and its own judge.
const row = (
  tenant: string,
  extra: Partial<TenantForecast>,
): TenantForecast => ({
  tenant,
  headSeries: 9000,
  limit: 10000,
  usedRatio: 0.9,
  limitSource: 'tenant',
  confidence: 'high',
  atRisk: false,
  ...extra,
});

function sources(answer: Partial<FleetCapacity>) {
  const asked: Array<{ days: number; limit: number }> = [];
  const services = {
    gitops: { configured: false },
    argocd: { instanceNames: () => [] },
    kubernetes: { clusterNames: () => [] },
    capacity: {
      fleetCapacity: async (
        _instance: string | undefined,
        options: { days: number; limit: number },
      ) => {
        asked.push(options);
        return {
          instance: 'default',
          days: options.days,
          tenantsTotal: 0,
          tenantsAtRisk: 0,
          tenants: [],
          receivers: [],
          ...answer,
        };
      },
    },
    capacityJudge: { days: FLEET_JUDGE_DAYS, reasons: judgeTenantForecast },
  } as unknown as SliceServices;
  return { read: reconcileSources(services).capacity!, asked };
}

describe('the capacity source of the join', () => {
  it("judges every tenant with the capacity slice's thresholds", async () => {
    const { read, asked } = sources({
      tenants: [
        row('full', { headSeries: 10000, daysLeft: 0, usedRatio: 1 }),
        row('soon', { daysLeft: 3, reachesAt: 1_800_000_000 }),
        row('tomorrow', { daysLeft: 0.5 }),
        row('roomy', { daysLeft: 30, confidence: 'medium' }),
        row('unsure', { daysLeft: 2, confidence: 'none' }),
        row('unlimited', { limit: undefined, limitSource: 'none' }),
      ],
    });
    const { tenants } = await read('default');
    // Every tenant, not a page of the riskiest.
    expect(asked).toEqual([
      { days: FLEET_JUDGE_DAYS, limit: Number.MAX_SAFE_INTEGER },
    ]);
    const verdict = (t: string) =>
      tenants[t].reasons.map(r => `${r.id}:${r.severity}`);
    expect(verdict('full')).toEqual(['capacity-tenant-at-limit:critical']);
    expect(verdict('soon')).toEqual(['capacity-tenant-limit-soon:warning']);
    expect(verdict('tomorrow')).toEqual([
      'capacity-tenant-limit-soon:critical',
    ]);
    expect(verdict('roomy')).toEqual([]);
    expect(verdict('unsure')).toEqual([]);
    // No limit is the card's information, not a risk on the fleet row.
    expect(verdict('unlimited')).toEqual([]);
    expect(tenants.soon).toMatchObject({
      daysLeft: 3,
      reachesAt: 1_800_000_000,
      confidence: 'high',
    });
    expect(tenants.soon.reasons[0].message).toContain('3 days');
    expect(tenants.soon.reasons[0].hints?.[0]).toMatch(/drop it/);
  });

  it("a fleet capacity answered as an error is the source's failure", async () => {
    const { read } = sources({
      error: {
        upstream: 'thanos:default',
        kind: 'unreachable',
        message: 'connection refused',
      },
    });
    const failure = await read('default').catch(e => e);
    expect(isUpstreamError(failure)).toBe(true);
    expect(failure.info.kind).toBe('unreachable');
  });

  it('is not read when the capacity slice is not wired', () => {
    const services = {
      gitops: { configured: false },
      argocd: { instanceNames: () => [] },
      kubernetes: { clusterNames: () => [] },
    } as unknown as SliceServices;
    expect(reconcileSources(services).capacity).toBeUndefined();
  });
});
