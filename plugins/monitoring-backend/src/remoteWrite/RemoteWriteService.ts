import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  ClusterDetail,
  ClusterHealth,
  countStates,
  FleetSummary,
  UpstreamErrorInfo,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { FleetMonitoringConfig } from '../config';
import { afterAnswer } from '../core/afterAnswer';
import { cacheKey } from '../core/cacheKeys';
import type { CachedLoader } from '../core/CachedLoader';
import type { ClusterCatalog } from '../core/catalogClusters';
import { loadAnswer } from '../core/loadAnswer';
import { fromShared, toShared } from '../core/sharedJson';
import {
  clusterSeriesQuery,
  clusterTenantRatesQuery,
  gaugesQuery,
  inventoryQuery,
  lateClusterQuery,
  QueryScope,
  ratesQuery,
  RETENTION_LOOKBACK,
  SeriesSource,
  summaryNowQueries,
  summarySecondQuery,
} from '../thanos/queries';
import { forEachSeen, mergeSignals } from '../thanos/signals';
import { PromVectorSample, ThanosClient } from '../thanos/ThanosClient';
import type { ThanosInstances } from '../thanos/ThanosInstances';
import { faultAsData } from '../upstream/faultAsData';
import { reasonForUpstreamError } from '../upstream/reasons';
import { clusterDetail, detailRange, emptySeries } from './clusterDetail';
import {
  ClusterObservation,
  evaluateRemoteWrite,
  unknownFromLastKnown,
} from './judge';
import { byName } from './fleetPage';
import { heldQuestions } from './heldQuestions';
import { clusterTenants, FleetObserver, observeLate } from './observeFleet';
import {
  ChosenSource,
  chooseSummarySource,
  probeRecordingRules,
  RecordingProbe,
} from './summarySource';

/** How long the last good fleet summary is kept to answer with during an upstream outage. */
const LAST_KNOWN_TTL_MS = 24 * 3600_000;

/** The scope the fleet summary queries with (also what the benchmark's direct path sends). */
export function summaryScope(
  config: FleetMonitoringConfig,
  cluster?: string,
): QueryScope {
  return {
    clusterLabel: config.clusterLabel,
    window: config.rateWindow,
    hold: config.holdWindow.duration,
    lagWarningSeconds: config.thresholds.remoteWrite.lagWarningSeconds,
    pendingSamplesWarning: config.thresholds.remoteWrite.pendingSamplesWarning,
    cluster,
  };
}

/** Internal hook (benchmarks, metrics): upstream requests a computed answer needed. Not in responses. */
export type UpstreamQueriesHook = (
  question: string,
  instance: string,
  queries: number,
) => void;

export interface RemoteWriteServiceOptions {
  config: FleetMonitoringConfig;
  logger: LoggerService;
  instances: ThanosInstances;
  loader: CachedLoader;
  cache?: CacheService;
  catalog?: ClusterCatalog;
  onUpstreamQueries?: UpstreamQueriesHook;
}

/** The last known clusters (or, without one, the catalog's), each `unknown`, marked stale. */
function outageSummary(
  name: string,
  error: UpstreamErrorInfo,
  last: FleetSummary | undefined,
  catalogClusters: string[],
): FleetSummary {
  const reason = reasonForUpstreamError(error);
  const now = Date.now();
  const clusters: ClusterHealth[] = last
    ? last.clusters.map(c => unknownFromLastKnown(c, reason))
    : catalogClusters.map(cluster => ({
        cluster,
        state: 'unknown' as const,
        reasons: [reason],
        stats: {},
        knownFrom: ['catalog' as const],
      }));
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

/**
 * At most this many late clusters are asked for their own figures at their last sample, one query
 * each (the first by name, the same on every refresh). A fleet-wide event, receivers accepting
 * samples while every agent's self-metrics fall behind, would otherwise send one query per cluster
 * at once: 100,000 on a 100,000-cluster fleet. The others are judged behind from what is known now,
 * without their queues' figures; each one's own card still asks for them.
 */
export const LATE_CLUSTERS_ASKED = 20;

/** How long a recording-rules probe decides the summary's source (a ruler's usual interval). */
const PROBE_REUSE_SECONDS = 60;

/**
 * "Is this cluster's remote write healthy?": the fleet summary (every known cluster, a fixed number
 * of queries for any fleet size, plus one per late cluster up to LATE_CLUSTERS_ASKED and one lookup
 * for clusters missing from the inventory) and one cluster's detail, judged from the same sources by
 * the same code. During an upstream outage the summary is the last known one, every cluster
 * `unknown`, marked stale; never an empty fleet while any source knows a cluster.
 */
export class RemoteWriteService {
  private readonly lastKnown = new Map<string, FleetSummary>();
  /** The last recording-rules probe per instance, and when it was made (epoch s). */
  private readonly probes = new Map<
    string,
    { probe: RecordingProbe | undefined; at: number }
  >();

  constructor(private readonly o: RemoteWriteServiceOptions) {}

  private judge(o: ClusterObservation, now: number): ClusterHealth {
    const { config } = this.o;
    return evaluateRemoteWrite(o, config.thresholds.remoteWrite, now, {
      hold: config.holdWindow.text,
      lookback: RETENTION_LOOKBACK,
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

  /**
   * Observations of every known cluster (or one), with late clusters' stats filled in. One cluster
   * is observed from the same sources as in the fleet (receivers' tenants and rates, catalog), so
   * it is judged the same whether asked alone or in the fleet.
   *
   * The whole fleet is asked in two rounds: the inventory and every condition now (four queries
   * side by side), then, side by side again, each held condition and the lag drain only for the
   * clusters where the judge reads them (heldQuestions.ts; none for a healthy fleet), the last
   * sample of clusters missing from the inventory, and the late clusters' own figures.
   */
  private async observe(
    client: ThanosClient,
    cluster?: string,
    source?: SeriesSource,
  ): Promise<{ list: ClusterObservation[]; queries: number }> {
    const scope = { ...summaryScope(this.o.config, cluster), source };
    const whole = cluster === undefined;
    const first = whole
      ? summaryNowQueries(scope)
      : [
          inventoryQuery(scope),
          ratesQuery(scope, { tenants: false }),
          gaugesQuery(scope),
        ];
    const [inventory, ...conditions] = first.map(q => client.querySignals(q));
    // One cluster's receiver rates are its tenants' only, named by its inventory (asked as soon as
    // that answers, beside the slower conditions), not every tenant's.
    if (!whole)
      conditions.push(
        inventory.then(({ result }) =>
          client.querySignals(
            clusterTenantRatesQuery(
              scope,
              clusterTenants(result, scope.clusterLabel, cluster),
            ),
          ),
        ),
      );
    // The clusters known first (inventory, receivers' tenants, catalog): collected as soon as those
    // three are in, while the store still answers the conditions (the slower queries), and enough
    // to ask the second round, which is sent before the rates are applied.
    const known = Promise.all([
      inventory,
      // Stores name the receivers' tenants; a Prometheus without them is no fault here.
      faultAsData(
        () => client.stores(),
        () => undefined,
      ),
      this.catalogNames(),
    ]).then(
      ([{ result }, stores, catalogNames]) =>
        new FleetObserver({
          clusterLabel: scope.clusterLabel,
          inventory: result,
          rates: [],
          gauges: [],
          stores,
          catalogClusters: whole
            ? catalogNames
            : catalogNames.filter(c => c === cluster),
        }),
    );
    const [observer, answers] = await Promise.all([
      known,
      Promise.all(conditions),
    ]);
    const now = mergeSignals(answers.map(a => a.result));
    const second = whole
      ? summarySecondQuery(
          scope,
          heldQuestions(
            now,
            scope.clusterLabel,
            this.o.config.thresholds.remoteWrite,
          ),
          observer.tenantsToAsk(
            Date.now() / 1000,
            this.o.config.thresholds.remoteWrite.staleAfterSeconds,
            now,
          ),
        )
      : undefined;
    const secondAnswer =
      second === undefined ? undefined : client.querySignals(second);
    // Awaited below; handled here too, so a failure while the fleet is assembled is not unhandled.
    secondAnswer?.catch(() => undefined);
    observer.add(now);
    const list = observer.observations.filter(
      o => whole || o.cluster === cluster,
    );
    if (cluster !== undefined && list.length === 0) {
      list.push({ cluster, stats: {}, queues: [], knownFrom: ['catalog'] });
    }
    // Late: silent with a last seen in the lookback, judged at it if its samples still arrive.
    const lateCandidates = this.lateCandidates(list);
    const [secondResult, older] = await Promise.all([
      secondAnswer,
      this.fillLastSeen(client, list),
    ]);
    if (secondResult) observer.add(secondResult.result);
    const late = await this.lateAnswers(client, lateCandidates);
    observer.finish();
    for (const [o, answer] of late)
      observeLate(o, answer, this.o.config.clusterLabel);
    // The inventory, each condition (a cluster's own tenants' rates among them) and /stores first.
    const queries =
      1 + conditions.length + 1 + (secondResult ? 1 : 0) + older + late.length;
    return { list, queries };
  }

  /**
   * Clusters known from the catalog or the receivers' tenants but not in the inventory's lookback:
   * their last sample within the store's retention, in one more query restricted to their names.
   */
  private async fillLastSeen(
    client: ThanosClient,
    list: ClusterObservation[],
  ): Promise<number> {
    const unseen = list.filter(o => o.stats.lastSeen === undefined);
    if (unseen.length === 0) return 0;
    const scope = summaryScope(this.o.config);
    const answer = await client.querySignals(
      inventoryQuery(
        { ...scope, clusters: unseen.map(o => o.cluster) },
        RETENTION_LOOKBACK,
      ),
    );
    const unseenByName = new Map(unseen.map(o => [o.cluster, o]));
    forEachSeen(answer.result, scope.clusterLabel, (cluster, lastSeen) => {
      const o = unseenByName.get(cluster);
      if (o)
        o.stats.lastSeen = Math.max(o.stats.lastSeen ?? lastSeen, lastSeen);
    });
    return 1;
  }

  /** Clusters silent now with a last seen in the inventory: late if their samples still arrive. */
  private lateCandidates(list: ClusterObservation[]): ClusterObservation[] {
    const now = Date.now() / 1000;
    const stale = this.o.config.thresholds.remoteWrite.staleAfterSeconds;
    return list.filter(
      o => o.stats.lastSeen !== undefined && now - o.stats.lastSeen > stale,
    );
  }

  /**
   * Silent clusters whose samples still arrive (lagging): their own rates and gauges at their last
   * sample, one query per late cluster (each at its own evaluation time; at most
   * LATE_CLUSTERS_ASKED of them), for observeLate.
   */
  private async lateAnswers(
    client: ThanosClient,
    candidates: ClusterObservation[],
  ): Promise<Array<[ClusterObservation, PromVectorSample[]]>> {
    const late = candidates
      .filter(o => (o.stats.tenantSamplesPerSecond ?? 0) > 0)
      .sort(byName)
      .slice(0, LATE_CLUSTERS_ASKED);
    return Promise.all(
      late.map(async o => {
        const scope = {
          ...summaryScope(this.o.config, o.cluster),
          cluster: o.cluster,
        };
        const answer = await client.query(
          lateClusterQuery(scope),
          o.stats.lastSeen,
        );
        return [o, answer.result] as [ClusterObservation, PromVectorSample[]];
      }),
    );
  }

  /**
   * Keeps the summary as the last known fleet: in memory now, in the shared cache once the answer
   * that asked for it is out (serialising a large fleet takes a while, and only a later outage
   * reads it).
   */
  private remember(summary: FleetSummary, answered?: Promise<unknown>): void {
    this.lastKnown.set(summary.instance, summary);
    const { cache } = this.o;
    if (!cache) return;
    // Encoding the whole fleet blocks this thread (~70 ms at 100,000 clusters): after the answer.
    afterAnswer(answered, () => {
      cache
        .set(cacheKey('last-summary', summary.instance), toShared(summary), {
          ttl: LAST_KNOWN_TTL_MS,
        })
        .catch(() => undefined);
    });
  }

  private async recall(instance: string): Promise<FleetSummary | undefined> {
    const local = this.lastKnown.get(instance);
    if (local) return local;
    return this.o.cache
      ?.get(cacheKey('last-summary', instance))
      .then(stored => fromShared<FleetSummary>(stored))
      .catch(() => undefined);
  }

  /**
   * Which series the fleet summary reads on this instance (summarySource.ts): raw, or the fleet
   * recording rules' series when configured or detected by a one-series probe. A failed probe reads
   * the raw series (the summary's own queries then say what is wrong with the upstream).
   */
  private async summarySource(
    client: ThanosClient,
  ): Promise<{ chosen: ChosenSource; queries: number }> {
    const { config } = this.o;
    const ctx = {
      setting: client.instance.summarySource ?? 'auto',
      window: config.rateWindow,
      holdSeconds: config.holdWindow.seconds,
      now: Date.now() / 1000,
    };
    if (ctx.setting === 'raw')
      return { chosen: chooseSummarySource(ctx, undefined), queries: 0 };
    const { probe, at, queries } = await this.recordingProbe(client);
    if (probe === 'failed' && ctx.setting === 'auto') {
      const reason = 'the probe for the fleet recording rules failed';
      return {
        chosen: { series: { kind: 'raw' }, answer: { kind: 'raw', reason } },
        queries,
      };
    }
    const found = probe === 'failed' ? undefined : probe;
    // Judged as of the probe: a reused probe neither ages the ruler nor stretches its coverage.
    return { chosen: chooseSummarySource({ ...ctx, now: at }, found), queries };
  }

  /**
   * The recording-rules probe, reused for PROBE_REUSE_SECONDS: it would otherwise be a round trip
   * in series before every summary round, and whether a ruler runs changes far more slowly. A
   * failed probe is not reused.
   */
  private async recordingProbe(client: ThanosClient): Promise<{
    probe: RecordingProbe | undefined | 'failed';
    at: number;
    queries: number;
  }> {
    const name = client.instance.name;
    const now = Date.now() / 1000;
    const kept = this.probes.get(name);
    if (kept && now - kept.at < PROBE_REUSE_SECONDS)
      return { ...kept, queries: 0 };
    const probe = await faultAsData<RecordingProbe | undefined | 'failed'>(
      () => probeRecordingRules(client, this.o.config.rateWindow),
      () => 'failed',
    );
    if (probe === 'failed') this.probes.delete(name);
    else this.probes.set(name, { probe, at: now });
    return { probe, at: now, queries: 1 };
  }

  /** One summary round: every known cluster judged now (and remembered as the last known fleet). */
  private async computeSummary(
    client: ThanosClient,
    answered?: Promise<unknown>,
  ): Promise<FleetSummary> {
    const name = client.instance.name;
    const source = await this.summarySource(client);
    const observed = await this.observe(
      client,
      undefined,
      source.chosen.series,
    );
    const list = observed.list;
    const queries = observed.queries + source.queries;
    this.o.onUpstreamQueries?.('summary', name, queries);
    const now = Date.now() / 1000;
    // No fleet-wide "recovering" after an upstream outage: a cluster is recovering when its own
    // backlog drains (the rule clock), the same in its row, its card, its action and MCP tool.
    const clusters = list.map(o => this.judge(o, now)).sort(byName);
    const summary: FleetSummary = {
      instance: name,
      generatedAt: new Date().toISOString(),
      clusters,
      counts: countStates(clusters.map(c => c.state)),
      source: source.chosen.answer,
    };
    this.remember(summary, answered);
    return summary;
  }

  /**
   * The fleet summary of an instance (the first configured one without a name). `answered`: when
   * the answer that asks for it has been sent (a summary computed for it is shared after that).
   */
  async fleetSummary(
    instance?: string,
    options: { answered?: Promise<unknown> } = {},
  ): Promise<FleetSummary> {
    const client = this.o.instances.client(instance);
    const name = client.instance.name;
    return loadAnswer(
      this.o,
      cacheKey('summary', name),
      () => this.computeSummary(client, options.answered),
      async error => {
        const last = await this.recall(name);
        const catalog = last ? [] : await this.catalogNames();
        return outageSummary(name, error, last, catalog);
      },
    );
  }

  /**
   * Background refresh (see summaryRefresh): computes the summary now with `client` and keeps it
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
    const key = cacheKey('summary', name);
    return faultAsData(
      async () => {
        try {
          return await this.o.loader.refresh(
            key,
            () => this.computeSummary(client),
            keepSeconds,
          );
        } catch (e) {
          await this.o.loader.forget(key);
          throw e;
        }
      },
      (_info, e) => {
        this.o.logger.warn(`Upstream fault for ${key}: ${e.message}`);
        return undefined;
      },
    );
  }

  /** One cluster's detail; `cluster` is the validated name from the entity question. */
  async clusterDetail(
    instance: string | undefined,
    cluster: string,
    rangeSeconds = 3600,
  ): Promise<ClusterDetail> {
    const client = this.o.instances.client(instance);
    const name = client.instance.name;
    const range = detailRange(rangeSeconds);
    return loadAnswer(
      this.o,
      cacheKey('cluster', name, String(rangeSeconds), cluster),
      async () => {
        const scope = summaryScope(this.o.config, cluster);
        const [{ list, queries }, series] = await Promise.all([
          this.observe(client, cluster),
          client.queryRange(
            clusterSeriesQuery({ ...scope, cluster }),
            range.start,
            range.end,
            range.step,
          ),
        ]);
        this.o.onUpstreamQueries?.('cluster', name, queries + 1);
        const observation = list.find(o => o.cluster === cluster)!;
        const health = this.judge(observation, Date.now() / 1000);
        const result = series.result;
        return clusterDetail({
          instance: name,
          health,
          observation,
          range,
          series: result,
        });
      },
      async error => {
        const last = (await this.recall(name))?.clusters.find(
          c => c.cluster === cluster,
        );
        const reason = reasonForUpstreamError(error);
        const base: ClusterHealth = last
          ? unknownFromLastKnown(last, reason)
          : { cluster, state: 'unknown', reasons: [reason], stats: {} };
        return { ...base, instance: name, series: emptySeries(), range, error };
      },
    );
  }
}
