import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { JsonValue } from '@backstage/types';
import {
  checkLabelValue,
  CLUSTER_ANNOTATION,
  ClusterDetail,
  ClusterHealth,
  countStates,
  FleetSummary,
  HealthReason,
  QueueStats,
  SelectorError,
  UpstreamErrorInfo,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { FleetMonitoringConfig } from '../config';
import { applyLateStats, observeFleet } from '../health/observe';
import {
  ClusterObservation,
  evaluateRemoteWrite,
  QueueObservation,
  unknownFromLastKnown,
} from '../health/remoteWrite';
import {
  clusterSeriesQuery,
  durationSeconds,
  gaugesQuery,
  INVENTORY_LOOKBACK,
  inventoryQuery,
  lateStatsQuery,
  QueryScope,
  ratesQuery,
} from '../thanos/queries';
import { ThanosClient } from '../thanos/ThanosClient';
import { isUpstreamError } from '../upstream/errors';
import { reasonForUpstreamError } from '../upstream/reasons';
import type { ClusterCatalog } from './catalogClusters';
import { CachedLoader } from './CachedLoader';

/** How long the last good fleet summary is kept to answer with during an upstream outage. */
const LAST_KNOWN_TTL_MS = 24 * 3600_000;
/** Hold-down = this many rate windows (the mixin: `for: 15m` on `[5m]` windows). */
const HOLD_WINDOWS = 3;

/** The scope the fleet summary queries with (also what the benchmark's direct path sends). */
export function summaryScope(
  config: FleetMonitoringConfig,
  cluster?: string,
): QueryScope {
  return {
    clusterLabel: config.clusterLabel,
    window: config.rateWindow,
    hold: `${durationSeconds(config.rateWindow) * HOLD_WINDOWS}s`,
    lagWarningSeconds: config.thresholds.remoteWrite.lagWarningSeconds,
    cluster,
  };
}

/** Internal hook (benchmarks, metrics): upstream requests a computed answer needed. Not in responses. */
export type UpstreamQueriesHook = (
  question: string,
  instance: string,
  queries: number,
) => void;

export interface RemoteWriteHealthOptions {
  config: FleetMonitoringConfig;
  logger: LoggerService;
  loader: CachedLoader;
  cache?: CacheService;
  catalog?: ClusterCatalog;
  onUpstreamQueries?: UpstreamQueriesHook;
}

/** A cluster that looks healthy right after an upstream outage is still catching up. */
function markRecovering(c: ClusterHealth, reason: HealthReason): ClusterHealth {
  if (c.state !== 'healthy' || !c.knownFrom?.includes('thanos')) return c;
  return { ...c, state: 'recovering', reasons: [reason, ...c.reasons] };
}

/** A queue as the API shows it: without the hold-down bookkeeping. */
function publicQueue(q: QueueObservation): QueueStats {
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

/** A cluster name from the `fleet-monitoring.io/cluster` annotation, or a 400 that says how to fix it. */
export function clusterNameFromAnnotation(value: string): string {
  try {
    return checkLabelValue(value, 'the cluster name');
  } catch (e) {
    if (!(e instanceof SelectorError)) throw e;
    throw new InputError(
      `Annotation ${CLUSTER_ANNOTATION} is not a usable cluster name: ${e.message}. ` +
        `Set it to the value of the agent's cluster external label, e.g. "${CLUSTER_ANNOTATION}: cluster-02-edge".`,
    );
  }
}

/**
 * The remote-write questions: the fleet summary (every known cluster, a fixed number of queries for
 * any fleet size) and one cluster's detail. During an upstream outage the summary is the last known
 * one, every cluster `unknown`, marked stale; never an empty fleet while any source knows a cluster.
 */
export class RemoteWriteHealthService {
  private readonly lastKnown = new Map<string, FleetSummary>();
  /** Per instance: when the upstream started failing, and when it answered again. */
  private readonly downSince = new Map<string, number>();
  private readonly recoveredAt = new Map<string, number>();

  constructor(private readonly o: RemoteWriteHealthOptions) {}

  private scope(cluster?: string): QueryScope {
    return summaryScope(this.o.config, cluster);
  }

  private judge(o: ClusterObservation, now: number): ClusterHealth {
    const { config } = this.o;
    const hold = durationSeconds(config.rateWindow) * HOLD_WINDOWS;
    return evaluateRemoteWrite(o, config.thresholds.remoteWrite, now, {
      hold: hold >= 120 ? `${hold / 60} min` : `${hold} s`,
      lookback: INVENTORY_LOOKBACK,
    });
  }

  private async catalogNames(): Promise<string[]> {
    if (!this.o.catalog) return [];
    try {
      return await this.o.catalog.clusterNames();
    } catch (e) {
      // The catalog is one source among three; a failure there must not hide Thanos' clusters.
      this.o.logger.warn(
        `Fleet inventory: could not list catalog clusters: ${e}`,
      );
      return [];
    }
  }

  /** Observations of every known cluster (or one), with late clusters' stats filled in. */
  private async observe(
    client: ThanosClient,
    cluster?: string,
  ): Promise<{ list: ClusterObservation[]; queries: number }> {
    const scope = this.scope(cluster);
    const [inventory, rates, gauges, stores, catalogClusters] =
      await Promise.all([
        client.query(inventoryQuery(scope)),
        client.query(ratesQuery(scope)),
        client.query(gaugesQuery(scope)),
        cluster === undefined
          ? client
              .stores()
              .catch(e => (isUpstreamError(e) ? undefined : Promise.reject(e)))
          : undefined,
        cluster === undefined ? this.catalogNames() : [],
      ]);
    let queries = cluster === undefined ? 4 : 3;
    const list = observeFleet({
      clusterLabel: scope.clusterLabel,
      inventory: inventory.result,
      rates: rates.result,
      gauges: gauges.result,
      stores,
      catalogClusters,
    });
    if (cluster !== undefined && !list.some(o => o.cluster === cluster)) {
      list.push({ cluster, stats: {}, queues: [], knownFrom: ['catalog'] });
    }
    // Silent clusters whose samples still arrive (lagging): their newest stats, in one more query.
    const now = Date.now() / 1000;
    const stale = this.o.config.thresholds.remoteWrite.staleAfterSeconds;
    const late = list.filter(
      o =>
        o.stats.lastSeen !== undefined &&
        now - o.stats.lastSeen > stale &&
        (o.stats.tenantSamplesPerSecond ?? 0) > 0,
    );
    if (late.length > 0) {
      const answer = await client.query(
        lateStatsQuery({ ...this.scope(), clusters: late.map(o => o.cluster) }),
      );
      queries++;
      applyLateStats(late, answer.result, scope.clusterLabel);
    }
    return { list, queries };
  }

  private lastKnownKey(instance: string) {
    return `fleet-monitoring:v2:last-summary:${instance}`;
  }

  private async remember(summary: FleetSummary) {
    this.lastKnown.set(summary.instance, summary);
    await this.o.cache
      ?.set(
        this.lastKnownKey(summary.instance),
        summary as unknown as JsonValue,
        { ttl: LAST_KNOWN_TTL_MS },
      )
      .catch(() => undefined);
  }

  private async recall(instance: string): Promise<FleetSummary | undefined> {
    const local = this.lastKnown.get(instance);
    if (local) return local;
    return (await this.o.cache
      ?.get(this.lastKnownKey(instance))
      .catch(() => undefined)) as FleetSummary | undefined;
  }

  private summaryKey(instance: string) {
    return `fleet-monitoring:v2:summary:${instance}`;
  }

  /** One summary round: every known cluster judged now (and remembered as the last known fleet). */
  private async computeSummary(client: ThanosClient): Promise<FleetSummary> {
    const name = client.instance.name;
    const { list, queries } = await this.observe(client);
    this.o.onUpstreamQueries?.('summary', name, queries);
    const now = Date.now() / 1000;
    const recovering = this.afterOutage(name, now);
    const clusters = list
      .map(o => this.judge(o, now))
      .map(c => (recovering ? markRecovering(c, recovering) : c))
      .sort((a, b) => a.cluster.localeCompare(b.cluster));
    const summary: FleetSummary = {
      instance: name,
      generatedAt: new Date().toISOString(),
      clusters,
      counts: countStates(clusters.map(c => c.state)),
    };
    await this.remember(summary);
    return summary;
  }

  private upstreamFault(name: string, e: { message: string }) {
    this.o.logger.warn(
      `Upstream fault for the fleet summary of ${name}: ${e.message}`,
    );
    if (!this.downSince.has(name)) this.downSince.set(name, Date.now());
  }

  async fleetSummary(client: ThanosClient): Promise<FleetSummary> {
    const name = client.instance.name;
    try {
      const { value } = await this.o.loader.load(this.summaryKey(name), () =>
        this.computeSummary(client),
      );
      return value;
    } catch (e) {
      if (!isUpstreamError(e)) throw e;
      this.upstreamFault(name, e);
      return this.outageSummary(name, e.info);
    }
  }

  /**
   * Background refresh (see SummaryRefresher): computes the summary now with `client` and keeps it
   * for `keepSeconds`, so requests are served from memory until the next refresh replaces it. When
   * the round fails the kept summary is dropped at once: requests then ask the upstream themselves
   * and answer as during any outage (last known clusters, `unknown`, marked stale), never with an
   * old summary presented as current.
   */
  async refreshFleetSummary(
    client: ThanosClient,
    keepSeconds: number,
  ): Promise<FleetSummary | undefined> {
    const name = client.instance.name;
    const key = this.summaryKey(name);
    try {
      return await this.o.loader.refresh(
        key,
        () => this.computeSummary(client),
        keepSeconds,
      );
    } catch (e) {
      await this.o.loader.forget(key);
      if (!isUpstreamError(e)) throw e;
      this.upstreamFault(name, e);
      return undefined;
    }
  }

  /**
   * Right after an outage of the upstream, samples from the outage are still being replayed by the
   * agents: for one hold-down window, what looks healthy is called recovering (until what was
   * missing has arrived), instead of healthy-then-degraded.
   */
  private afterOutage(
    name: string,
    nowSeconds: number,
  ): HealthReason | undefined {
    if (this.downSince.has(name)) {
      this.downSince.delete(name);
      this.recoveredAt.set(name, nowSeconds * 1000);
    }
    const at = this.recoveredAt.get(name);
    const hold = durationSeconds(this.o.config.rateWindow) * HOLD_WINDOWS;
    if (at === undefined || nowSeconds - at / 1000 > hold) return undefined;
    return {
      id: 'remote-write-recovering',
      severity: 'info',
      message: `Thanos Query answered again at ${new Date(at).toISOString()} after an outage; agents are still sending what they buffered (for up to ${hold} s).`,
    };
  }

  /** The last known clusters (or, without one, the catalog's), each `unknown`, marked stale. */
  private async outageSummary(
    name: string,
    error: UpstreamErrorInfo,
  ): Promise<FleetSummary> {
    const reason = reasonForUpstreamError(error);
    const last = await this.recall(name);
    const now = Date.now();
    let clusters: ClusterHealth[];
    if (last) {
      clusters = last.clusters.map(c => unknownFromLastKnown(c, reason));
    } else {
      clusters = (await this.catalogNames()).map(cluster => ({
        cluster,
        state: 'unknown' as const,
        reasons: [reason],
        stats: {},
        knownFrom: ['catalog' as const],
      }));
    }
    return {
      instance: name,
      generatedAt: new Date(now).toISOString(),
      clusters,
      counts: countStates(clusters.map(c => c.state)),
      ...(last
        ? {
            stale: {
              generatedAt: last.generatedAt,
              ageSeconds: Math.max(
                0,
                Math.round((now - Date.parse(last.generatedAt)) / 1000),
              ),
              upstream: error.upstream,
            },
          }
        : {}),
      error,
    };
  }

  async clusterDetail(
    client: ThanosClient,
    clusterAnnotation: string,
    rangeSeconds = 3600,
  ): Promise<ClusterDetail> {
    const cluster = clusterNameFromAnnotation(clusterAnnotation);
    const name = client.instance.name;
    const end = Math.floor(Date.now() / 1000);
    const start = end - rangeSeconds;
    // ~120 points per graph whatever the range.
    const step = Math.max(15, Math.round(rangeSeconds / 120));
    const range = { start, end, step };
    try {
      const { value } = await this.o.loader.load(
        `fleet-monitoring:v2:cluster:${name}:${rangeSeconds}:${JSON.stringify(cluster)}`,
        async (): Promise<ClusterDetail> => {
          const scope = this.scope(cluster);
          const [{ list, queries }, seriesResult] = await Promise.all([
            this.observe(client, cluster),
            client.queryRange(
              clusterSeriesQuery({ ...scope, cluster }),
              start,
              end,
              step,
            ),
          ]);
          this.o.onUpstreamQueries?.('cluster', name, queries + 1);
          const obs = list.find(o => o.cluster === cluster)!;
          const health = this.judge(obs, Date.now() / 1000);
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
            stats: {
              ...health.stats,
              queues: obs.queues.map(publicQueue),
            },
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
      );
      return value;
    } catch (e) {
      if (!isUpstreamError(e)) throw e;
      this.o.logger.warn(
        `Upstream fault for cluster ${cluster} on ${name}: ${e.message}`,
      );
      const last = (await this.recall(name))?.clusters.find(
        c => c.cluster === cluster,
      );
      const reason = reasonForUpstreamError(e.info);
      const base: ClusterHealth = last
        ? unknownFromLastKnown(last, reason)
        : { cluster, state: 'unknown', reasons: [reason], stats: {} };
      return {
        ...base,
        instance: name,
        series: {
          lagSeconds: [],
          samplesPerSecond: [],
          failedPerSecond: [],
          retriedPerSecond: [],
        },
        range,
        error: e.info,
      };
    }
  }
}
