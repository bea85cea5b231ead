import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  clusterTenants,
  EntityCapacity,
  escapeLabelValue,
  FleetCapacity,
  LabelMatcher,
  ReceiverCapacity,
  TENANT_LABEL,
  TenantForecast,
  TopSeries,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { FleetMonitoringConfig } from '../config';
import { cacheKey } from '../core/cacheKeys';
import type { CachedLoader } from '../core/CachedLoader';
import { loadAnswer } from '../core/loadAnswer';
import { signals } from '../thanos/signals';
import type { ThanosClient } from '../thanos/ThanosClient';
import type { ThanosInstances } from '../thanos/ThanosInstances';
import { reasonForUpstreamError } from '../upstream/reasons';
import {
  forecastFrom,
  judgeReceivers,
  judgeTenant,
  oneReceiverLost,
  uniqueSeries,
} from './judge';
import {
  fleetCapacityAnswer,
  receiverForecasts,
  tenantForecasts,
} from './fleetCapacity';
import {
  receiversCapacityQuery,
  receiversMemoryQuery,
  ReceiversCapacitySignal,
  ReceiversMemorySignal,
  tenantCapacityQuery,
  TenantCapacitySignal,
  tenantsCapacityQuery,
  TenantsCapacitySignal,
  topSeriesQuery,
  TopSeriesSignal,
} from './queries';
import {
  driverLabels,
  jobsOf,
  judgeTopSeries,
  parseTsdbStatus,
  statisticsUnavailable,
  TOP_LIMIT,
  topMetrics,
  topSeriesCosts,
} from './topSeries';

/** "Will it break soon?": a cluster's tenant against its head-series limit, the receivers against their memory. */
export class CapacityService {
  constructor(
    private readonly config: FleetMonitoringConfig,
    private readonly logger: LoggerService,
    private readonly loader: CachedLoader,
    private readonly instances: ThanosInstances,
    /** The receivers' own series (the Thanos component default selector). */
    private readonly receiveSelector: LabelMatcher[],
  ) {}

  /** A cluster's tenant: found from the tenant label its newest samples came in with. */
  async clusterCapacity(
    instance: string | undefined,
    cluster: string,
  ): Promise<EntityCapacity> {
    const client = this.instances.client(instance);
    const name = client.instance.name;
    return loadAnswer<EntityCapacity>(
      { loader: this.loader, logger: this.logger },
      cacheKey('capacity-cluster', name, cluster),
      async () => {
        const tenant = await this.tenantOf(client, cluster);
        const { result } = await client.query(
          tenantCapacityQuery(this.receiveSelector, tenant),
        );
        const s = signals<TenantCapacitySignal>(result);
        const v = (k: TenantCapacitySignal) => s.get(k)?.[0]?.value;
        const now = Math.floor(Date.now() / 1000);
        const limitTenant = v('limit_tenant');
        const limitDefault = v('limit_default');
        const limit = limitTenant ?? limitDefault;
        const rf = v('replication_factor');
        const headSeries = v('head_sum') ?? 0;
        const smoothed = v('smoothed');
        const growth = (ago: number | undefined) =>
          smoothed !== undefined && ago !== undefined
            ? smoothed - ago
            : undefined;
        const forecast = forecastFrom({
          limit: limit || undefined,
          day: {
            slopePerSecond: v('slope_1d'),
            fitNow: v('fit_1d'),
            points: v('points_1d'),
          },
          week: {
            slopePerSecond: v('slope_7d'),
            fitNow: v('fit_7d'),
            points: v('points_7d'),
          },
          now,
          what: 'head series summed over receivers',
        });
        const tenantCapacity = {
          cluster,
          tenant,
          receivers: v('receivers') ?? 0,
          ...(rf !== undefined ? { replicationFactor: rf } : {}),
          headSeries,
          ...defined(
            'activeSeries',
            uniqueSeries(headSeries, rf, v('receivers'), v('hashring_nodes')),
          ),
          ...(limit ? { limit, usedRatio: headSeries / limit } : {}),
          limitSource: limitSourceOf(limit, limitTenant),
          ...defined('growth1d', growth(v('smoothed_1d_ago'))),
          ...defined('growth7d', growth(v('smoothed_7d_ago'))),
          ...defined('limitedRequestsPerSecond', v('limited')),
          forecast,
        };
        const verdict = judgeTenant(tenantCapacity);
        return {
          subject: 'cluster',
          instance: name,
          ...verdict,
          tenant: tenantCapacity,
        };
      },
      error => ({
        subject: 'cluster',
        instance: name,
        state: 'unknown',
        reasons: [reasonForUpstreamError(error)],
        error,
      }),
    );
  }

  /** The tenant a cluster's newest samples came in with. */
  private async tenantOf(
    client: ThanosClient,
    cluster: string,
  ): Promise<string> {
    const clusterLabel = this.config.clusterLabel;
    const { result: tenants } = await client.query(
      clusterTenants(
        {
          clusterLabel,
          window: '1h',
          matchers: `${clusterLabel}=${escapeLabelValue(cluster)}`,
        },
        sel => `last_over_time(${sel}[1h])`,
      ),
    );
    // Without a tenant label (a plain store), the tenant is the cluster's name by convention.
    return tenants[0]?.metric[TENANT_LABEL] ?? cluster;
  }

  /**
   * Where a cluster's series come from: its tenant's TSDB statistics (one status request), then the
   * top names' change over a day and driving labels (one instant query bounded to those names).
   */
  async topSeries(
    instance: string | undefined,
    cluster: string,
  ): Promise<TopSeries> {
    const client = this.instances.client(instance);
    const name = client.instance.name;
    let tenant = cluster;
    const empty = {
      cluster,
      instance: name,
      metrics: [],
      jobs: [],
      labels: [],
    };
    return loadAnswer<TopSeries>(
      { loader: this.loader, logger: this.logger },
      cacheKey('capacity-top-series', name, cluster),
      async () => {
        tenant = await this.tenantOf(client, cluster);
        const params = new URLSearchParams({ limit: String(TOP_LIMIT) });
        params.append(
          'match[]',
          `{${TENANT_LABEL}=${escapeLabelValue(tenant)}}`,
        );
        const res = await client.raw('status/tsdb', params, 'GET');
        if (res.status === 404) {
          return {
            ...empty,
            tenant,
            state: 'unknown',
            reasons: [statisticsUnavailable()],
            costs: topSeriesCosts(tenant, [], []),
          };
        }
        const status = parseTsdbStatus(
          client.upstream,
          client.unwrap<unknown>(res, '/api/v1/status/tsdb').result,
        );
        const names = status.seriesCountByMetricName.map(m => m.name);
        const drivers = driverLabels(status, this.config.clusterLabel);
        const s =
          names.length > 0
            ? signals<TopSeriesSignal>(
                (
                  await client.query(
                    topSeriesQuery(
                      this.config.clusterLabel,
                      cluster,
                      names,
                      drivers,
                    ),
                  )
                ).result,
              )
            : new Map();
        const metrics = topMetrics(status, drivers, s);
        return {
          cluster,
          tenant,
          instance: name,
          ...judgeTopSeries(tenant, metrics),
          headSeries: status.headStats.numSeries,
          metrics,
          jobs: jobsOf(status),
          labels: status.labelValueCountByLabelName.map(l => ({
            label: l.name,
            values: l.value,
          })),
          costs: topSeriesCosts(tenant, metrics, drivers),
        };
      },
      error => ({
        ...empty,
        tenant,
        state: 'unknown',
        reasons: [reasonForUpstreamError(error)],
        costs: [],
        error,
      }),
    );
  }

  /**
   * Fleet-wide: every tenant of the receivers against its limit (one query for all tenants, cached
   * independently of the horizon) and the receivers' OOM forecasts, at-risk rows first: the fleet
   * page's series/limit and days-to-limit columns, joined on each cluster's tenant.
   */
  async fleetCapacity(
    instance: string | undefined,
    options: { days: number; limit: number },
  ): Promise<FleetCapacity> {
    const client = this.instances.client(instance);
    const name = client.instance.name;
    const tenants = await loadAnswer<{
      rows: TenantForecast[];
      error?: FleetCapacity['error'];
    }>(
      { loader: this.loader, logger: this.logger },
      cacheKey('capacity-tenants', name, this.receiveSelector),
      async () => {
        const { result } = await client.query(
          tenantsCapacityQuery(this.receiveSelector),
        );
        return {
          rows: tenantForecasts(
            signals<TenantsCapacitySignal>(result),
            Math.floor(Date.now() / 1000),
          ),
        };
      },
      error => ({ rows: [], error }),
    );
    const receive = tenants.error
      ? undefined
      : await this.receiveCapacity(name);
    return {
      ...fleetCapacityAnswer(
        name,
        tenants.rows,
        receiverForecasts(receive, options.days),
        options.days,
        options.limit,
      ),
      ...(tenants.error ? { error: tenants.error } : {}),
    };
  }

  /** Every receiver of a Thanos Receive component: head series, memory, OOM forecast, one lost. */
  async receiveCapacity(
    instance: string | undefined,
    selector: LabelMatcher[] = this.receiveSelector,
  ): Promise<EntityCapacity> {
    const client = this.instances.client(instance);
    const name = client.instance.name;
    return loadAnswer<EntityCapacity>(
      { loader: this.loader, logger: this.logger },
      cacheKey('capacity-receive', name, selector),
      async () => {
        const { result } = await client.query(receiversCapacityQuery(selector));
        const s = signals<ReceiversCapacitySignal>(result);
        const rf = s.get('replication_factor')?.[0]?.value;
        const pods = (s.get('head_series') ?? [])
          .filter(x => x.labels.pod && x.labels.namespace)
          .map(x => ({
            namespace: x.labels.namespace,
            pod: x.labels.pod,
            headSeries: x.value,
          }))
          .sort((a, b) => a.pod.localeCompare(b.pod));
        const memory =
          pods.length > 0
            ? signals<ReceiversMemorySignal>(
                (await client.query(receiversMemoryQuery(pods))).result,
              )
            : new Map();
        const now = Math.floor(Date.now() / 1000);
        const receivers: ReceiverCapacity[] = pods.map(p => {
          const mine = (k: ReceiversMemorySignal) =>
            (
              (memory.get(k) ?? []) as Array<{
                labels: Record<string, string>;
                value: number;
              }>
            ).filter(
              x => x.labels.namespace === p.namespace && x.labels.pod === p.pod,
            );
          // The container with the largest working set is the receive container.
          const ws = mine('working_set').sort((a, b) => b.value - a.value)[0];
          if (!ws) return p;
          const container = ws.labels.container;
          const of = (k: ReceiversMemorySignal) =>
            mine(k).find(x => x.labels.container === container)?.value;
          const limit = of('memory_limit');
          return {
            ...p,
            container,
            workingSetBytes: ws.value,
            ...(limit !== undefined
              ? { memoryLimitBytes: limit, usedRatio: ws.value / limit }
              : {}),
            oomForecast: forecastFrom({
              limit,
              day: {
                slopePerSecond: of('ws_slope_1d'),
                fitNow: of('ws_fit_1d'),
                points: of('ws_points_1d'),
              },
              now,
              what: 'working set',
            }),
          };
        });
        const oneLost = oneReceiverLost(receivers, rf);
        const verdict = judgeReceivers(receivers, oneLost);
        return {
          subject: 'receive',
          instance: name,
          ...verdict,
          receive: {
            ...(rf !== undefined ? { replicationFactor: rf } : {}),
            receivers,
            ...(oneLost ? { oneLost } : {}),
          },
        };
      },
      error => ({
        subject: 'receive',
        instance: name,
        state: 'unknown',
        reasons: [reasonForUpstreamError(error)],
        error,
      }),
    );
  }
}

/** Whose limit applies: the tenant's own, the default (tenant=""), or none (absent or 0). */
function limitSourceOf(
  limit: number | undefined,
  tenantLimit: number | undefined,
): 'tenant' | 'default' | 'none' {
  if (!limit) return 'none';
  return tenantLimit !== undefined ? 'tenant' : 'default';
}

function defined<K extends string>(
  key: K,
  value: number | undefined,
): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}
