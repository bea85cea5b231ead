import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  ArrivingByCluster,
  checkLabelValue,
  formatMatchers,
  ClusterDetail,
  ClusterHealth,
  FleetSummary,
  HealthReason,
  HealthState,
  LabelMatcher,
  MetricsArriving,
  ReasonId,
  RemoteWriteStats,
  ThanosHealth,
  ThanosReceiveStats,
  UpstreamErrorInfo,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { FleetMonitoringConfig } from '../config';
import { evaluateMetricsArriving } from '../health/metricsArriving';
import { evaluateQuery } from '../health/query';
import { evaluateReceive } from '../health/receive';
import { evaluateRemoteWrite } from '../health/remoteWrite';
import {
  bySignal,
  clusterSeriesQuery,
  gaugesQuery,
  inventoryQuery,
  manualCheckQuery,
  metricsArrivingQuery,
  QueryScope,
  ratesQuery,
  receiveQuery,
} from '../thanos/queries';
import { ThanosClient } from '../thanos/ThanosClient';
import { isUpstreamError } from '../upstream/errors';
import { CachedLoader } from './CachedLoader';

const STATES: HealthState[] = [
  'healthy',
  'degraded',
  'failing',
  'no-data',
  'unknown',
];

/** Upstream fault -> the reason a card shows for an `unknown` state. */
export function reasonForUpstreamError(info: UpstreamErrorInfo): HealthReason {
  return {
    id: reasonIdForUpstreamError(info),
    severity: 'critical',
    message: `${info.upstream}: ${info.message}`,
  };
}

function reasonIdForUpstreamError(info: UpstreamErrorInfo): ReasonId {
  switch (info.kind) {
    case 'timeout':
      return 'upstream-timeout';
    case 'unreachable':
      return 'upstream-unreachable';
    case 'unauthorized':
    case 'forbidden':
      return 'upstream-unauthorized';
    default:
      return 'upstream-error';
  }
}

/**
 * Computes fleet, cluster, Thanos and service health from a Thanos Query instance. Answers are
 * cached per instance and question, and identical concurrent questions share one upstream call set.
 */
export class FleetHealthService {
  private readonly clients = new Map<string, ThanosClient>();
  private readonly loader: CachedLoader;

  constructor(
    private readonly config: FleetMonitoringConfig,
    private readonly logger: LoggerService,
    cache?: CacheService,
  ) {
    for (const instance of config.thanos)
      this.clients.set(instance.name, new ThanosClient(instance));
    this.loader = new CachedLoader(cache, config.cacheTtlSeconds);
  }

  instanceNames(): string[] {
    return [...this.clients.keys()];
  }

  /** The named instance, or the first configured one when no name is given. */
  client(name?: string): ThanosClient {
    const client = name
      ? this.clients.get(name)
      : this.clients.values().next().value;
    if (!client) {
      throw new NotFoundError(
        name
          ? `No Thanos instance named "${name}" is configured (fleetMonitoring.thanos)`
          : 'No Thanos instance is configured (fleetMonitoring.thanos)',
      );
    }
    return client;
  }

  private scope(cluster?: string): QueryScope {
    return {
      clusterLabel: this.config.clusterLabel,
      window: this.config.rateWindow,
      cluster,
    };
  }

  /** Runs `compute` through the cache; upstream faults come back as data, other errors are thrown. */
  private async cached<T extends { upstreamQueries?: number }>(
    key: string,
    compute: () => Promise<T>,
    onUpstreamError: (info: UpstreamErrorInfo) => T,
  ): Promise<T> {
    try {
      const { value } = await this.loader.load(
        `fleet-monitoring:v1:${key}`,
        compute as any,
        (v: any) =>
          v && 'upstreamQueries' in v ? { ...v, upstreamQueries: 0 } : v,
      );
      return value as unknown as T;
    } catch (e) {
      if (!isUpstreamError(e)) throw e;
      this.logger.warn(`Upstream fault for ${key}: ${e.message}`);
      return onUpstreamError(e.info);
    }
  }

  private async remoteWriteStats(client: ThanosClient, scope: QueryScope) {
    const [inventory, rates, gauges] = await Promise.all([
      client.query(inventoryQuery(scope)),
      client.query(ratesQuery(scope)),
      client.query(gaugesQuery(scope)),
    ]);
    const label = scope.clusterLabel;
    const inv = bySignal(inventory.result, label);
    const r = bySignal(rates.result, label);
    const g = bySignal(gauges.result, label);
    const clusters = new Set<string>([
      ...(inv.get('last_seen')?.keys() ?? []),
      ...(r.get('sent')?.keys() ?? []),
    ]);
    const stats = new Map<string, RemoteWriteStats>();
    for (const cluster of clusters) {
      if (cluster === '') continue;
      stats.set(cluster, {
        lastSeen: inv.get('last_seen')?.get(cluster),
        samplesPerSecond: r.get('sent')?.get(cluster),
        failedPerSecond: r.get('failed')?.get(cluster),
        retriedPerSecond: r.get('retried')?.get(cluster),
        droppedPerSecond: r.get('dropped')?.get(cluster),
        failureRatio: r.get('failure_ratio')?.get(cluster),
        pendingSamples: g.get('pending')?.get(cluster),
        shards: g.get('shards')?.get(cluster),
        desiredShards: g.get('shards_desired')?.get(cluster),
        maxShards: g.get('shards_max')?.get(cluster),
        lagSeconds: g.get('lag')?.get(cluster),
      });
    }
    return { stats, queries: 3 };
  }

  private evaluate(cluster: string, stats: RemoteWriteStats): ClusterHealth {
    return evaluateRemoteWrite(
      cluster,
      stats,
      this.config.thresholds.remoteWrite,
      Date.now() / 1000,
    );
  }

  async fleetSummary(instance?: string): Promise<FleetSummary> {
    const client = this.client(instance);
    const name = client.instance.name;
    const empty = (): Record<HealthState, number> =>
      Object.fromEntries(STATES.map(s => [s, 0])) as Record<
        HealthState,
        number
      >;
    return this.cached<FleetSummary>(
      `summary:${name}`,
      async () => {
        const { stats, queries } = await this.remoteWriteStats(
          client,
          this.scope(),
        );
        const clusters = [...stats.entries()]
          .map(([cluster, s]) => this.evaluate(cluster, s))
          .sort((a, b) => a.cluster.localeCompare(b.cluster));
        const counts = empty();
        for (const c of clusters) counts[c.state]++;
        return {
          instance: name,
          generatedAt: new Date().toISOString(),
          clusters,
          counts,
          upstreamQueries: queries,
        };
      },
      error => ({
        instance: name,
        generatedAt: new Date().toISOString(),
        clusters: [],
        counts: empty(),
        upstreamQueries: 0,
        error,
      }),
    );
  }

  async clusterDetail(
    instance: string | undefined,
    cluster: string,
    rangeSeconds = 3600,
  ): Promise<ClusterDetail> {
    checkLabelValue(cluster, 'cluster name');
    const client = this.client(instance);
    const name = client.instance.name;
    const end = Math.floor(Date.now() / 1000);
    const start = end - rangeSeconds;
    // ~120 points per graph whatever the range.
    const step = Math.max(15, Math.round(rangeSeconds / 120));
    const range = { start, end, step };
    const noSeries = {
      lagSeconds: [],
      samplesPerSecond: [],
      failedPerSecond: [],
      retriedPerSecond: [],
    };
    return this.cached<ClusterDetail & { upstreamQueries?: number }>(
      `cluster:${name}:${rangeSeconds}:${JSON.stringify(cluster)}`,
      async () => {
        const scope = this.scope(cluster);
        const [{ stats }, seriesResult] = await Promise.all([
          this.remoteWriteStats(client, scope),
          client.queryRange(
            clusterSeriesQuery({ ...scope, cluster }),
            start,
            end,
            step,
          ),
        ]);
        const health = this.evaluate(cluster, stats.get(cluster) ?? {});
        const pick = (signal: string) =>
          (
            seriesResult.result.find(
              s => s.metric.fleet_monitoring_signal === signal,
            )?.values ?? []
          )
            .map(([ts, v]) => [ts, Number(v)] as [number, number])
            .filter(([, v]) => Number.isFinite(v));
        return {
          ...health,
          instance: name,
          range,
          series: {
            lagSeconds: pick('lag'),
            samplesPerSecond: pick('sent'),
            failedPerSecond: pick('failed'),
            retriedPerSecond: pick('retried'),
          },
        };
      },
      error => ({
        cluster,
        instance: name,
        state: 'unknown',
        reasons: [reasonForUpstreamError(error)],
        stats: {},
        series: noSeries,
        range,
        error,
      }),
    );
  }

  async thanosHealth(
    instance: string | undefined,
    component: 'receive' | 'query',
    receiveSelector: LabelMatcher[],
  ): Promise<ThanosHealth> {
    const client = this.client(instance);
    const name = client.instance.name;
    return this.cached<ThanosHealth & { upstreamQueries?: number }>(
      `thanos:${name}:${component}:${JSON.stringify(receiveSelector)}`,
      async () => {
        if (component === 'query') {
          // A probe over all stores shows partial-response warnings the way users would get them.
          const [stores, probe] = await Promise.all([
            client.stores(),
            client.query('count(up)'),
          ]);
          const health = evaluateQuery(stores, probe.warnings);
          return {
            ...health,
            instance: name,
            component,
            isThanos: stores !== undefined,
            stores,
            warnings: probe.warnings,
          };
        }
        const { result, warnings } = await client.query(
          receiveQuery(receiveSelector, this.config.rateWindow),
        );
        const signals = bySignal(result);
        const value = (signal: string) => signals.get(signal)?.get('');
        const reload = value('config_reload_ok');
        const receive: ThanosReceiveStats = {
          httpErrorRatio: value('http_error_ratio'),
          p99LatencySeconds: value('p99_latency'),
          replicationFailureRatio: value('replication_error_ratio'),
          forwardFailureRatio: value('forward_error_ratio'),
          hashringFileErrorsPerSecond: value('hashring_file_errors'),
          configReloadSuccessful:
            reload === undefined ? undefined : reload === 1,
          headSeriesLimitedPerSecond: value('head_series_limited'),
          replicationFactor: value('replication_factor'),
          hashringNodes: value('hashring_nodes'),
        };
        const health = evaluateReceive(
          receive,
          value('up'),
          this.config.thresholds.receive,
        );
        return {
          ...health,
          instance: name,
          component,
          isThanos: true,
          receive,
          warnings,
        };
      },
      error => ({
        instance: name,
        component,
        isThanos: false,
        state: 'unknown',
        reasons: [reasonForUpstreamError(error)],
        warnings: [],
        error,
      }),
    );
  }

  async metricsArriving(
    instance: string | undefined,
    selector: LabelMatcher[],
  ): Promise<MetricsArriving> {
    const client = this.client(instance);
    const name = client.instance.name;
    const label = this.config.clusterLabel;
    const query = manualCheckQuery(selector, label);
    const selectorText = `{${formatMatchers(selector)}}`;
    return this.cached<MetricsArriving & { upstreamQueries?: number }>(
      `metrics:${name}:${JSON.stringify(selector)}`,
      async () => {
        const { result } = await client.query(
          metricsArrivingQuery(selector, label),
        );
        const signals = bySignal(result, label);
        const now = Date.now() / 1000;
        const names = new Set([
          ...(signals.get('last_seen')?.keys() ?? []),
          ...(signals.get('series')?.keys() ?? []),
        ]);
        const clusters: ArrivingByCluster[] = [...names].sort().map(cluster => {
          const lastSeen = signals.get('last_seen')?.get(cluster);
          return {
            cluster,
            targetsUp: signals.get('targets_up')?.get(cluster) ?? 0,
            targetsTotal: signals.get('targets_total')?.get(cluster) ?? 0,
            seriesCount: signals.get('series')?.get(cluster) ?? 0,
            lastSampleAgeSeconds:
              lastSeen === undefined
                ? undefined
                : Math.max(0, Math.round(now - lastSeen)),
          };
        });
        const health = evaluateMetricsArriving(
          clusters,
          this.config.thresholds.metrics.staleAfterSeconds,
        );
        return {
          ...health,
          instance: name,
          selector: selectorText,
          query,
          clusters,
        };
      },
      error => ({
        instance: name,
        selector: selectorText,
        query,
        clusters: [],
        state: 'unknown',
        reasons: [reasonForUpstreamError(error)],
        error,
      }),
    );
  }
}
