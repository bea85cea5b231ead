/**
 * How many series a drop removes, measured on the live data: two instant queries against the Thanos
 * Query instance of the backend config (`fleetMonitoring.thanos[]`, the monitoring backend's
 * setting): the cluster's series matching the rule's regex, and all of the cluster's series.
 * Failures come back as a message (the count informs the review; it never blocks it).
 */
import type { RootConfigService } from '@backstage/backend-plugin-api';
import {
  CLUSTER_LABEL,
  formatMatchers,
} from '@fleet-monitoring/plugin-monitoring-common';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';

/** The part of a `fleetMonitoring.thanos[]` entry this module reads. */
export type ThanosTarget = {
  name: string;
  baseUrl: string;
  headers: Record<string, string>;
  tenant?: string;
  timeoutMs: number;
  ca?: string;
};

/** An answer holds one number per query; anything bigger is not a PromQL API's answer. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/** Reads `fleetMonitoring.thanos[]`: the named instance, else the first. */
export function thanosTarget(
  config: RootConfigService | undefined,
  name?: string,
): ThanosTarget | string {
  const all = config?.getOptionalConfigArray('fleetMonitoring.thanos') ?? [];
  if (all.length === 0)
    return 'no fleetMonitoring.thanos instance is configured in the backend: the series count is unknown';
  const c = name ? all.find(i => i.getString('name') === name) : all[0];
  if (!c)
    return `no fleetMonitoring.thanos instance is named ${JSON.stringify(name)} (configured: ${all
      .map(i => i.getString('name'))
      .join(', ')})`;
  const headersConfig = c.getOptionalConfig('headers');
  const headers: Record<string, string> = {};
  for (const key of headersConfig?.keys() ?? [])
    headers[key] = headersConfig!.getString(key);
  const caData = c.getOptionalString('caData')?.trim();
  const caFile = c.getOptionalString('caFile');
  let ca: string | undefined;
  if (caData)
    ca = caData.includes('-----BEGIN')
      ? caData
      : Buffer.from(caData, 'base64').toString('utf8');
  else if (caFile) {
    try {
      ca = fs.readFileSync(caFile, 'utf8');
    } catch (e) {
      return `cannot read caFile of fleetMonitoring.thanos instance ${c.getString('name')}: ${(e as Error).message}`;
    }
  }
  return {
    name: c.getString('name'),
    baseUrl: c.getString('baseUrl'),
    headers,
    tenant: c.getOptionalString('tenant'),
    timeoutMs: c.getOptionalNumber('timeoutMs') ?? 10_000,
    ca,
  };
}

export type SeriesCount =
  | {
      ok: true;
      removed: number;
      total: number;
      /** The PromQL asked, for the reviewer to run again. */
      query: string;
    }
  | { ok: false; error: string; query: string };

/** The series of `cluster` whose name matches `regex` (PromQL anchors `=~` as relabelling does). */
export function removedQuery(cluster: string, regex: string): string {
  return `count({${formatMatchers([
    { name: CLUSTER_LABEL, op: '=', value: cluster },
    { name: '__name__', op: '=~', value: regex },
  ])}})`;
}

export function totalQuery(cluster: string): string {
  return `count({${formatMatchers([
    { name: CLUSTER_LABEL, op: '=', value: cluster },
  ])}})`;
}

export async function countSeries(
  target: ThanosTarget,
  cluster: string,
  regex: string,
): Promise<SeriesCount> {
  const query = removedQuery(cluster, regex);
  try {
    const [removed, total] = await Promise.all([
      instantCount(target, query),
      instantCount(target, totalQuery(cluster)),
    ]);
    return { ok: true, removed, total, query };
  } catch (e) {
    return {
      ok: false,
      query,
      error: `could not count the series on Thanos instance ${target.name}: ${(e as Error).message}`,
    };
  }
}

/**
 * One instant query whose answer is a single count (empty: zero). Deduplicated (`dedup=true`), so
 * series replicated by Thanos Receive count once; `partial_response=false`, so a store that does not
 * answer fails the count instead of shrinking it.
 */
async function instantCount(t: ThanosTarget, query: string): Promise<number> {
  const url = new URL(
    'api/v1/query',
    t.baseUrl.endsWith('/') ? t.baseUrl : `${t.baseUrl}/`,
  );
  const body = new URLSearchParams({
    query,
    dedup: 'true',
    partial_response: 'false',
  }).toString();
  const res = await post(url, body, t);
  let parsed: any;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    throw new Error(`answered ${res.status} without a PromQL API body`);
  }
  if (parsed?.status !== 'success')
    throw new Error(
      `answered ${res.status}: ${parsed?.errorType ?? 'error'}: ${parsed?.error ?? 'no message'}`,
    );
  const result = parsed.data?.result;
  if (parsed.data?.resultType !== 'vector' || !Array.isArray(result))
    throw new Error('answered something other than a vector');
  if (result.length === 0) return 0;
  const n = Number(result[0].value?.[1]);
  if (!Number.isFinite(n))
    throw new Error('answered a count that is not a number');
  return n;
}

function post(
  url: URL,
  body: string,
  t: ThanosTarget,
): Promise<{ status: number; body: string }> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: {
          ...t.headers,
          ...(t.tenant ? { 'THANOS-TENANT': t.tenant } : {}),
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        ...(t.ca && url.protocol === 'https:' ? { ca: t.ca } : {}),
        timeout: t.timeoutMs,
      },
      res => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_RESPONSE_BYTES) {
            req.destroy(
              new Error(`answer larger than ${MAX_RESPONSE_BYTES} bytes`),
            );
            return;
          }
          chunks.push(c);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`no answer within ${t.timeoutMs} ms`)),
    );
    // A refused connection says what to check rather than Node's errno text.
    req.on('error', e =>
      reject(
        new Error(
          (e as NodeJS.ErrnoException).code === 'ECONNREFUSED'
            ? 'connection refused (is Thanos Query running at the configured baseUrl?)'
            : e.message,
        ),
      ),
    );
    req.end(body);
  });
}
