import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type {
  ClusterDetail,
  FleetSummary,
  LabelMatcher,
  MetricsArriving,
  ThanosHealth,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { FleetMonitoringConfig } from '../config';
import { ThanosClient } from '../thanos/ThanosClient';
import { reasonForUpstreamError } from '../upstream/reasons';
import type { ClusterCatalog } from './catalogClusters';
import { CachedLoader } from './CachedLoader';
import { MetricsArrivingService } from './MetricsArrivingService';
import {
  RemoteWriteHealthService,
  UpstreamQueriesHook,
} from './RemoteWriteHealthService';
import { ThanosComponentHealthService } from './ThanosComponentHealthService';

/** Kept for callers that import it from here; the one definition is in upstream/reasons. */
export { reasonForUpstreamError };

export interface FleetHealthOptions {
  /** Cluster names the catalog knows (joined into the fleet inventory). */
  catalog?: ClusterCatalog;
  /** Internal hook: upstream requests per computed answer (benchmarks); never part of a response. */
  onUpstreamQueries?: UpstreamQueriesHook;
}

/**
 * The health questions asked of Thanos Query instances, one service per question (remote write,
 * Thanos components, metrics arriving). Answers are cached per instance and question, and identical
 * concurrent questions share one upstream call set.
 */
export class FleetHealthService {
  private readonly clients = new Map<string, ThanosClient>();
  private readonly remoteWrite: RemoteWriteHealthService;
  private readonly thanos: ThanosComponentHealthService;
  private readonly arriving: MetricsArrivingService;

  constructor(
    config: FleetMonitoringConfig,
    logger: LoggerService,
    cache?: CacheService,
    options: FleetHealthOptions = {},
  ) {
    for (const instance of config.thanos)
      this.clients.set(instance.name, new ThanosClient(instance));
    const loader = new CachedLoader(cache, config.cacheTtlSeconds);
    this.remoteWrite = new RemoteWriteHealthService({
      config,
      logger,
      loader,
      cache,
      catalog: options.catalog,
      onUpstreamQueries: options.onUpstreamQueries,
    });
    this.thanos = new ThanosComponentHealthService(config, logger, loader);
    this.arriving = new MetricsArrivingService(config, logger, loader);
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

  fleetSummary(instance?: string): Promise<FleetSummary> {
    return this.remoteWrite.fleetSummary(this.client(instance));
  }

  /**
   * Recomputes an instance's fleet summary with `client` (e.g. one with a longer timeout) and keeps
   * it warm for `keepSeconds`; `undefined` when the upstream failed (the warm summary is dropped).
   */
  refreshFleetSummary(
    client: ThanosClient,
    keepSeconds: number,
  ): Promise<FleetSummary | undefined> {
    return this.remoteWrite.refreshFleetSummary(client, keepSeconds);
  }

  /** `clusterAnnotation` is the entity's raw annotation value; a bad one answers 400 naming it. */
  clusterDetail(
    instance: string | undefined,
    clusterAnnotation: string,
    rangeSeconds = 3600,
  ): Promise<ClusterDetail> {
    return this.remoteWrite.clusterDetail(
      this.client(instance),
      clusterAnnotation,
      rangeSeconds,
    );
  }

  thanosHealth(
    instance: string | undefined,
    component: 'receive' | 'query',
    receiveSelector: LabelMatcher[],
  ): Promise<ThanosHealth> {
    return this.thanos.thanosHealth(
      this.client(instance),
      component,
      receiveSelector,
    );
  }

  metricsArriving(
    instance: string | undefined,
    selector: LabelMatcher[],
  ): Promise<MetricsArriving> {
    return this.arriving.metricsArriving(this.client(instance), selector);
  }
}
