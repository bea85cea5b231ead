import {
  ArrivingByCluster,
  formatMatchers,
  LabelMatcher,
  MetricsArriving,
  UpstreamErrorInfo,
} from '@fleet-monitoring/plugin-monitoring-common';
import { evaluateMetricsArriving } from '../health/metricsArriving';
import {
  bySignal,
  manualCheckQuery,
  metricsArrivingQuery,
} from '../thanos/queries';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { FleetMonitoringConfig } from '../config';
import { ThanosClient } from '../thanos/ThanosClient';
import { isUpstreamError } from '../upstream/errors';
import { reasonForUpstreamError } from '../upstream/reasons';
import { CachedLoader } from './CachedLoader';

/** "Are this service's metrics arriving?": per cluster targets, series and the newest matching sample. */
export class MetricsArrivingService {
  constructor(
    private readonly config: FleetMonitoringConfig,
    private readonly logger: LoggerService,
    private readonly loader: CachedLoader,
  ) {}

  /** Runs `compute` through the cache; upstream faults come back as data, other errors are thrown. */
  private async cached<T>(
    key: string,
    compute: () => Promise<T>,
    onUpstreamError: (info: UpstreamErrorInfo) => T,
  ): Promise<T> {
    try {
      const { value } = await this.loader.load(
        `fleet-monitoring:v2:${key}`,
        compute,
      );
      return value;
    } catch (e) {
      if (!isUpstreamError(e)) throw e;
      this.logger.warn(`Upstream fault for ${key}: ${e.message}`);
      return onUpstreamError(e.info);
    }
  }

  async metricsArriving(
    client: ThanosClient,
    selector: LabelMatcher[],
  ): Promise<MetricsArriving> {
    const name = client.instance.name;
    const label = this.config.clusterLabel;
    const query = manualCheckQuery(selector, label);
    const selectorText = `{${formatMatchers(selector)}}`;
    return this.cached<MetricsArriving>(
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
