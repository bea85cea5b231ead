import {
  LabelMatcher,
  ThanosHealth,
  ThanosReceiveStats,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { FleetMonitoringConfig } from '../config';
import { cacheKey } from '../core/cacheKeys';
import type { CachedLoader } from '../core/CachedLoader';
import { loadAnswer } from '../core/loadAnswer';
import { duplicatesProbeQuery, receiveQuery } from '../thanos/queries';
import { bySignal, ReceiveSignal } from '../thanos/signals';
import type { ThanosInstances } from '../thanos/ThanosInstances';
import { reasonForUpstreamError } from '../upstream/reasons';
import { evaluateQuery } from './judgeQuery';
import { evaluateReceive } from './judgeReceive';

/** "Is this Thanos component healthy?": Query (stores, partial responses, dedup) or Receive (mixin rules). */
export class ThanosComponentService {
  constructor(
    private readonly config: FleetMonitoringConfig,
    private readonly logger: LoggerService,
    private readonly loader: CachedLoader,
    private readonly instances: ThanosInstances,
  ) {}

  async thanosHealth(
    instance: string | undefined,
    component: 'receive' | 'query',
    receiveSelector: LabelMatcher[],
  ): Promise<ThanosHealth> {
    const client = this.instances.client(instance);
    const name = client.instance.name;
    return loadAnswer<ThanosHealth>(
      { loader: this.loader, logger: this.logger },
      cacheKey('thanos', name, component, receiveSelector),
      async () => {
        if (component === 'query') {
          // A probe over all stores shows partial-response warnings the way users would get them.
          const [stores, probe] = await Promise.all([
            client.stores(),
            client.query(duplicatesProbeQuery(this.config.clusterLabel)),
          ]);
          const duplicated = Number(probe.result[0]?.value[1] ?? 0);
          const health = evaluateQuery(
            stores,
            probe.warnings,
            Number.isFinite(duplicated) ? duplicated : 0,
          );
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
        const signals = bySignal<ReceiveSignal>(result);
        const value = (signal: ReceiveSignal) => signals.get(signal)?.get('');
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
          instancesUp: value('up'),
          instancesTotal: value('instances'),
          minUploadsLast3h: value('min_uploads_3h'),
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
}
