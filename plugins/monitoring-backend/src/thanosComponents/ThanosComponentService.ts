import {
  LabelMatcher,
  ThanosHealth,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { FleetMonitoringConfig } from '../config';
import { cacheKey } from '../core/cacheKeys';
import type { CachedLoader } from '../core/CachedLoader';
import { loadAnswer } from '../core/loadAnswer';
import { mixinHold } from '../config/holdWindow';
import {
  duplicatesProbeQuery,
  MIXIN_FOR,
  queryComponentQuery,
  receiveQuery,
} from '../thanos/queries';
import {
  bySignal,
  QuerySignal,
  ReceiveSignal,
  signals as taggedSignals,
} from '../thanos/signals';
import type { ThanosInstances } from '../thanos/ThanosInstances';
import { reasonForUpstreamError } from '../upstream/reasons';
import { evaluateQuery, HeldValue, QueryObservation } from './judgeQuery';
import { evaluateReceive, ReceiveObservation } from './judgeReceive';

type Samples = Parameters<typeof taggedSignals>[0];

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
    selector: LabelMatcher[],
  ): Promise<ThanosHealth> {
    const client = this.instances.client(instance);
    const name = client.instance.name;
    return loadAnswer<ThanosHealth>(
      { loader: this.loader, logger: this.logger },
      cacheKey('thanos', name, component, selector),
      async () => {
        if (component === 'query') {
          // A probe over all stores shows partial-response warnings the way users would get them.
          const [stores, probe, own] = await Promise.all([
            client.stores(),
            client.query(duplicatesProbeQuery(this.config.clusterLabel)),
            client.query(queryComponentQuery(selector, this.config.rateWindow)),
          ]);
          const duplicated = Number(probe.result[0]?.value[1] ?? 0);
          const health = evaluateQuery(
            stores,
            probe.warnings,
            Number.isFinite(duplicated) ? duplicated : 0,
            this.queryObservation(own.result),
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
          receiveQuery(selector, this.config.rateWindow),
        );
        const receive = this.receiveObservation(result);
        const health = evaluateReceive(receive, this.config.thresholds.receive);
        return {
          ...health,
          instance: name,
          component,
          isThanos: true,
          receive: receive.stats,
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

  private hold(alert: keyof typeof MIXIN_FOR): string {
    return mixinHold(
      MIXIN_FOR[alert],
      this.config.rateWindow,
      alert === 'receiveNoUpload',
    ).text;
  }

  private receiveObservation(result: Samples): ReceiveObservation {
    const signals = bySignal<ReceiveSignal>(result);
    const tagged = taggedSignals<ReceiveSignal>(result);
    const value = (signal: ReceiveSignal) => signals.get(signal)?.get('');
    const reload = value('config_reload_ok');
    const labelsOf = (signal: ReceiveSignal, label: string) =>
      new Set((tagged.get(signal) ?? []).map(x => x.labels[label] ?? ''));
    const limitedHeld = labelsOf('limited_tenant_held', 'tenant');
    const key = (l: Record<string, string>) => `${l.instance}\u0000${l.tenant}`;
    const noUploadHeld = new Set(
      (tagged.get('no_upload_held') ?? []).map(x => key(x.labels)),
    );
    return {
      stats: {
        httpErrorRatio: value('http_error_ratio'),
        p99LatencySeconds: value('p99_latency'),
        replicationFailureRatio: value('replication_error_ratio'),
        forwardFailureRatio: value('forward_error_ratio'),
        hashringFileErrorsPerSecond: value('hashring_file_errors'),
        configReloadSuccessful: reload === undefined ? undefined : reload === 1,
        headSeriesLimitedPerSecond: value('head_series_limited'),
        replicationFactor: value('replication_factor'),
        hashringNodes: value('hashring_nodes'),
        instancesUp: value('up'),
        instancesTotal: value('instances'),
        minUploadsLast3h: value('min_uploads_3h'),
      },
      up: value('up'),
      upRecentMax: value('up_recent_max'),
      versions: [...labelsOf('version', 'version')].filter(Boolean),
      held: {
        httpErrorRatio: value('http_error_ratio_held'),
        p99LatencySeconds: value('p99_latency_held'),
        replicationFailureRatio: value('replication_error_ratio_held'),
        hashringFileErrors: value('hashring_file_errors_held') !== undefined,
      },
      limitedTenants: (tagged.get('limited_tenant') ?? []).map(x => ({
        tenant: x.labels.tenant ?? '',
        perSecond: x.value,
        held: limitedHeld.has(x.labels.tenant ?? ''),
      })),
      noUpload: (tagged.get('no_upload') ?? []).map(x => ({
        instance: x.labels.instance ?? '',
        tenant: x.labels.tenant ?? '',
        held: noUploadHeld.has(key(x.labels)),
      })),
      holds: {
        httpErrors: this.hold('receiveHttpErrors'),
        latency: this.hold('receiveLatency'),
        replication: this.hold('receiveReplication'),
        hashringFile: this.hold('receiveHashringFile'),
        tenantLimited: this.hold('receiveTenantLimited'),
        isDown: this.hold('receiveIsDown'),
        noUpload: this.hold('receiveNoUpload'),
      },
    };
  }

  private queryObservation(result: Samples): QueryObservation {
    const tagged = taggedSignals<QuerySignal>(result);
    const one = (
      now: QuerySignal,
      held: QuerySignal,
    ): HeldValue | undefined => {
      const v = tagged.get(now)?.[0]?.value;
      return v === undefined
        ? undefined
        : { now: v, held: tagged.get(held)?.[0]?.value };
    };
    const perHandler = (now: QuerySignal, held: QuerySignal) => {
      const out: Record<string, HeldValue> = {};
      const heldBy = new Map(
        (tagged.get(held) ?? []).map(x => [x.labels.handler ?? '', x.value]),
      );
      for (const x of tagged.get(now) ?? []) {
        const handler = x.labels.handler ?? '';
        out[handler] = { now: x.value, held: heldBy.get(handler) };
      }
      return out;
    };
    return {
      httpErrorRatio: perHandler('http_error_ratio', 'http_error_ratio_held'),
      grpcServerErrorRatio: one(
        'grpc_server_error_ratio',
        'grpc_server_error_ratio_held',
      ),
      grpcClientErrorRatio: one(
        'grpc_client_error_ratio',
        'grpc_client_error_ratio_held',
      ),
      dnsFailureRatio: one('dns_failure_ratio', 'dns_failure_ratio_held'),
      p99Latency: perHandler('p99_latency', 'p99_latency_held'),
      gateHeadroom: tagged.get('gate_headroom')?.[0]?.value,
      overloadHeld: (tagged.get('overloaded_held')?.[0]?.value ?? 0) > 0,
      holds: {
        errors: this.hold('queryHttpErrors'),
        dns: this.hold('queryDns'),
        latency: this.hold('queryLatency'),
        overload: this.hold('queryOverload'),
      },
    };
  }
}
