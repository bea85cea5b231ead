import type { Config } from '@backstage/config';
import type { SummarySourceSetting, ThanosInstanceConfig } from './types';

import {
  readBaseUrl,
  readCa,
  readName,
  readNumber,
  requireUniqueNames,
} from './validators';

function readInstance(c: Config): ThanosInstanceConfig {
  const name = readName(c, 'fleetMonitoring.thanos');
  const where = `fleetMonitoring.thanos[${name}]`;
  const headersConfig = c.getOptionalConfig('headers');
  const headers: Record<string, string> = {};
  for (const key of headersConfig?.keys() ?? [])
    headers[key] = headersConfig!.getString(key);
  return {
    name,
    title: c.getOptionalString('title'),
    baseUrl: readBaseUrl(c.getString('baseUrl'), `${where}.baseUrl`),
    headers,
    tenant: c.getOptionalString('tenant'),
    timeoutMs: readNumber(c, 'timeoutMs', 10_000, where, { positive: true }),
    dedup: c.getOptionalBoolean('dedup') ?? true,
    partialResponse: c.getOptionalBoolean('partialResponse') ?? true,
    maxResponseBytes: readNumber(
      c,
      'maxResponseBytes',
      10 * 1024 * 1024,
      where,
      { positive: true },
    ),
    ca: readCa(c, where),
    summarySource: readSummarySource(c, where),
  };
}

const SUMMARY_SOURCES: SummarySourceSetting[] = ['auto', 'recorded', 'raw'];

function readSummarySource(c: Config, where: string): SummarySourceSetting {
  const v = c.getOptionalString('summarySource') ?? 'auto';
  if (!SUMMARY_SOURCES.includes(v as SummarySourceSetting))
    throw new Error(
      `${where}.summarySource must be one of ${SUMMARY_SOURCES.join(', ')}, got "${v}"`,
    );
  return v as SummarySourceSetting;
}

/** `fleetMonitoring.thanos[]`. */
export function readThanosInstances(
  fm: Config | undefined,
): ThanosInstanceConfig[] {
  const instances = (fm?.getOptionalConfigArray('thanos') ?? []).map(
    readInstance,
  );
  requireUniqueNames(instances, 'fleetMonitoring.thanos');
  return instances;
}
