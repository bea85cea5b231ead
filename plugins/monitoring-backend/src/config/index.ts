import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  CLUSTER_LABEL,
  isValidLabelName,
} from '@fleet-monitoring/plugin-monitoring-common';
import { readArgocdSettings } from './argocd';
import { readGitopsSettings } from './gitops';
import { holdWindowOf } from './holdWindow';
import { readKubernetesSettings } from './kubernetes';
import { readThanosInstances } from './thanos';
import type { FleetMonitoringConfig, PluginConfig, Thresholds } from './types';
import { readNumber } from './validators';

export * from './types';
export { isValidUpstreamName } from './validators';
export { durationSeconds, HOLD_WINDOWS } from './holdWindow';

/**
 * The only place that reads the `fleetMonitoring` section (and the clusters of Backstage's
 * `kubernetes` section). Everything else gets the typed result.
 */

/** @public */
export const DEFAULT_THRESHOLDS: Thresholds = {
  // Prometheus mixin: PrometheusRemoteWriteBehind (120 s), PrometheusRemoteStorageFailures (1 %).
  remoteWrite: {
    lagWarningSeconds: 60,
    lagCriticalSeconds: 120,
    failureRatioCritical: 0.01,
    retriedPerSecondWarning: 0,
    droppedPerSecondWarning: 0,
    pendingSamplesWarning: 10_000,
    staleAfterSeconds: 300,
  },
  // Thanos mixin: ThanosReceiveHttpRequestErrorRateHigh (5 %), ThanosReceiveHttpRequestLatencyHigh
  // (p99 10 s), ThanosReceiveHighForwardRequestFailures (20 %).
  receive: {
    httpErrorRatioCritical: 0.05,
    p99LatencyCriticalSeconds: 10,
    forwardFailureRatioWarning: 0.2,
  },
  metrics: { staleAfterSeconds: 300 },
};

const DURATION = /^\d+(ms|s|m|h|d)$/;

function readThresholds(config: Config | undefined): Thresholds {
  const where = 'fleetMonitoring.thresholds';
  const pick = <T extends object>(section: keyof Thresholds, defaults: T): T =>
    Object.fromEntries(
      Object.entries(defaults).map(([k, v]) => [
        k,
        readNumber(
          config?.getOptionalConfig(section),
          k,
          v as number,
          `${where}.${section}`,
        ),
      ]),
    ) as T;
  return {
    remoteWrite: pick('remoteWrite', DEFAULT_THRESHOLDS.remoteWrite),
    receive: pick('receive', DEFAULT_THRESHOLDS.receive),
    metrics: pick('metrics', DEFAULT_THRESHOLDS.metrics),
  };
}

function readHealth(
  fm: Config | undefined,
  cacheTtlSeconds: number,
): FleetMonitoringConfig {
  const clusterLabel = fm?.getOptionalString('clusterLabel') ?? CLUSTER_LABEL;
  if (!isValidLabelName(clusterLabel)) {
    throw new InputError(
      `fleetMonitoring.clusterLabel "${clusterLabel}" is not a label name`,
    );
  }
  const rateWindow = fm?.getOptionalString('rateWindow') ?? '5m';
  if (!DURATION.test(rateWindow)) {
    throw new InputError(
      `fleetMonitoring.rateWindow "${rateWindow}" is not a duration like 5m`,
    );
  }
  const refresh = fm?.getOptionalConfig('summaryRefresh');
  return {
    clusterLabel,
    rateWindow,
    holdWindow: holdWindowOf(rateWindow),
    cacheTtlSeconds,
    summaryRefresh: {
      intervalSeconds: readNumber(
        refresh,
        'intervalSeconds',
        0,
        'fleetMonitoring.summaryRefresh',
      ),
      timeoutSeconds: readNumber(
        refresh,
        'timeoutSeconds',
        60,
        'fleetMonitoring.summaryRefresh',
        { positive: true },
      ),
    },
    thresholds: readThresholds(fm?.getOptionalConfig('thresholds')),
    thanos: readThanosInstances(fm),
  };
}

/** Reads and validates the whole plugin config; throws InputError naming the bad key. */
export function readPluginConfig(root: Config): PluginConfig {
  const fm = root.getOptionalConfig('fleetMonitoring');
  const cache = fm?.getOptionalConfig('cache');
  const cacheTtlSeconds = readNumber(
    cache,
    'ttlSeconds',
    30,
    'fleetMonitoring.cache',
  );
  return {
    cacheTtlSeconds,
    accessTtlSeconds: readNumber(
      cache,
      'accessTtlSeconds',
      5,
      'fleetMonitoring.cache',
    ),
    validateResponses: fm?.getOptionalBoolean('validateResponses') ?? false,
    health: readHealth(fm, cacheTtlSeconds),
    argocd: readArgocdSettings(fm),
    gitops: readGitopsSettings(fm),
    kubernetes: readKubernetesSettings(
      fm,
      root.getOptionalConfig('kubernetes'),
    ),
  };
}

/**
 * The health part only (kept for callers that need just the Thanos side).
 *
 * @public
 */
export function readFleetMonitoringConfig(root: Config): FleetMonitoringConfig {
  return readPluginConfig(root).health;
}
