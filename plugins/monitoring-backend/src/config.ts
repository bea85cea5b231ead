import fs from 'node:fs';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { isValidLabelName } from '@fleet-monitoring/plugin-monitoring-common';

/** Everything read from the `fleetMonitoring` config section, in one place, with defaults applied. */

export interface ThanosInstanceConfig {
  name: string;
  title?: string;
  baseUrl: URL;
  headers: Record<string, string>;
  tenant?: string;
  timeoutMs: number;
  dedup: boolean;
  partialResponse: boolean;
  maxResponseBytes: number;
  ca?: string;
}

export interface RemoteWriteThresholds {
  lagWarningSeconds: number;
  lagCriticalSeconds: number;
  failureRatioCritical: number;
  retriedPerSecondWarning: number;
  droppedPerSecondWarning: number;
  pendingSamplesWarning: number;
  staleAfterSeconds: number;
}

export interface ReceiveThresholds {
  httpErrorRatioCritical: number;
  p99LatencyCriticalSeconds: number;
  forwardFailureRatioWarning: number;
}

export interface Thresholds {
  remoteWrite: RemoteWriteThresholds;
  receive: ReceiveThresholds;
  metrics: { staleAfterSeconds: number };
}

export interface FleetMonitoringConfig {
  clusterLabel: string;
  rateWindow: string;
  cacheTtlSeconds: number;
  thresholds: Thresholds;
  thanos: ThanosInstanceConfig[];
}

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

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DURATION = /^\d+(ms|s|m|h|d)$/;

function readNumber(config: Config | undefined, key: string, fallback: number): number {
  const v = config?.getOptionalNumber(key);
  if (v === undefined) return fallback;
  if (!Number.isFinite(v) || v < 0) {
    throw new InputError(`fleetMonitoring: ${key} must be a non-negative number`);
  }
  return v;
}

function readThresholds(config: Config | undefined): Thresholds {
  const t = DEFAULT_THRESHOLDS;
  const rw = config?.getOptionalConfig('remoteWrite');
  const rc = config?.getOptionalConfig('receive');
  const mc = config?.getOptionalConfig('metrics');
  const pick = <T extends object>(c: Config | undefined, defaults: T): T =>
    Object.fromEntries(
      Object.entries(defaults).map(([k, v]) => [k, readNumber(c, k, v as number)]),
    ) as T;
  return {
    remoteWrite: pick(rw, t.remoteWrite),
    receive: pick(rc, t.receive),
    metrics: pick(mc, t.metrics),
  };
}

function readThanosInstance(c: Config): ThanosInstanceConfig {
  const name = c.getString('name');
  if (!NAME.test(name)) {
    throw new InputError(`fleetMonitoring.thanos: instance name "${name}" must be a DNS-1123 label`);
  }
  const raw = c.getString('baseUrl');
  let baseUrl: URL;
  try {
    baseUrl = new URL(raw.endsWith('/') ? raw : `${raw}/`);
  } catch {
    throw new InputError(`fleetMonitoring.thanos[${name}].baseUrl is not a URL`);
  }
  if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') {
    throw new InputError(`fleetMonitoring.thanos[${name}].baseUrl must be http(s)`);
  }
  if (baseUrl.username || baseUrl.password) {
    throw new InputError(
      `fleetMonitoring.thanos[${name}].baseUrl must not embed credentials; use headers`,
    );
  }
  const headersConfig = c.getOptionalConfig('headers');
  const headers: Record<string, string> = {};
  for (const key of headersConfig?.keys() ?? []) headers[key] = headersConfig!.getString(key);
  const caFile = c.getOptionalString('caFile');
  return {
    name,
    title: c.getOptionalString('title'),
    baseUrl,
    headers,
    tenant: c.getOptionalString('tenant'),
    timeoutMs: readNumber(c, 'timeoutMs', 10_000),
    dedup: c.getOptionalBoolean('dedup') ?? true,
    partialResponse: c.getOptionalBoolean('partialResponse') ?? true,
    maxResponseBytes: readNumber(c, 'maxResponseBytes', 10 * 1024 * 1024),
    ca: caFile ? fs.readFileSync(caFile, 'utf8') : undefined,
  };
}

export function readFleetMonitoringConfig(root: Config): FleetMonitoringConfig {
  const config = root.getOptionalConfig('fleetMonitoring');
  const clusterLabel = config?.getOptionalString('clusterLabel') ?? 'cluster';
  if (!isValidLabelName(clusterLabel)) {
    throw new InputError(`fleetMonitoring.clusterLabel "${clusterLabel}" is not a label name`);
  }
  const rateWindow = config?.getOptionalString('rateWindow') ?? '5m';
  if (!DURATION.test(rateWindow)) {
    throw new InputError(`fleetMonitoring.rateWindow "${rateWindow}" is not a duration like 5m`);
  }
  const thanos = (config?.getOptionalConfigArray('thanos') ?? []).map(readThanosInstance);
  const names = new Set<string>();
  for (const t of thanos) {
    if (names.has(t.name)) throw new InputError(`fleetMonitoring.thanos: duplicate name "${t.name}"`);
    names.add(t.name);
  }
  return {
    clusterLabel,
    rateWindow,
    cacheTtlSeconds: readNumber(config, 'cache.ttlSeconds', 30),
    thresholds: readThresholds(config?.getOptionalConfig('thresholds')),
    thanos,
  };
}
