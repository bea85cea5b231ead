import {
  ArrivingByCluster,
  formatMatchers,
  LabelMatcher,
  MetricsArriving,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { FleetMonitoringConfig } from '../config';
import { cacheKey } from '../core/cacheKeys';
import type { CachedLoader } from '../core/CachedLoader';
import { loadAnswer } from '../core/loadAnswer';
import { manualCheckQuery, metricsArrivingQuery } from '../thanos/queries';
import { ArrivingSignal, bySignal } from '../thanos/signals';
import type { ThanosInstances } from '../thanos/ThanosInstances';
import { reasonForUpstreamError } from '../upstream/reasons';
import { evaluateMetricsArriving } from './judge';

/** "Are this service's metrics arriving?": per cluster targets, series and the newest matching sample. */
export class MetricsArrivingService {
  constructor(
    private readonly config: FleetMonitoringConfig,
    private readonly logger: LoggerService,
    private readonly loader: CachedLoader,
    private readonly instances: ThanosInstances,
  ) {}

  async metricsArriving(
    instance: string | undefined,
    selector: LabelMatcher[],
  ): Promise<MetricsArriving> {
    const client = this.instances.client(instance);
    const name = client.instance.name;
    const label = this.config.clusterLabel;
    const query = manualCheckQuery(selector, label);
    const selectorText = `{${formatMatchers(selector)}}`;
    return loadAnswer<MetricsArriving>(
      { loader: this.loader, logger: this.logger },
      cacheKey('metrics', name, selector),
      async () => {
        const { result } = await client.query(
          metricsArrivingQuery(selector, label),
        );
        const signals = bySignal<ArrivingSignal>(result, label);
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
