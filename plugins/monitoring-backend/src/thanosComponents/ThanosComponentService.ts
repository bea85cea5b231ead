import {
  LabelMatcher,
  ThanosHealth,
  ThanosReceiveStats,
} from '@fleet-monitoring/plugin-monitoring-common';
import { evaluateQuery } from '../health/query';
import { evaluateReceive } from '../health/receive';
import {
  bySignal,
  duplicatesProbeQuery,
  receiveQuery,
} from '../thanos/queries';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { FleetMonitoringConfig } from '../config';
import { ThanosClient } from '../thanos/ThanosClient';
import { reasonForUpstreamError } from '../upstream/reasons';
import type { CachedLoader } from './CachedLoader';
import { loadAnswer } from './loadAnswer';

/** "Is this Thanos component healthy?": Query (stores, partial responses, dedup) or Receive (mixin rules). */
export class ThanosComponentHealthService {
  constructor(
    private readonly config: FleetMonitoringConfig,
    private readonly logger: LoggerService,
    private readonly loader: CachedLoader,
  ) {}

  async thanosHealth(
    client: ThanosClient,
    component: 'receive' | 'query',
    receiveSelector: LabelMatcher[],
  ): Promise<ThanosHealth> {
    const name = client.instance.name;
    return loadAnswer<ThanosHealth>(
      { loader: this.loader, logger: this.logger },
      `thanos:${name}:${component}:${JSON.stringify(receiveSelector)}`,
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
