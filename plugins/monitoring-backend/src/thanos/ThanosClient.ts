import type { StoreEndpoint } from '@fleet-monitoring/plugin-monitoring-common';
import type { ThanosInstanceConfig } from '../config';
import { UpstreamError } from '../upstream/errors';
import { UpstreamClient, UpstreamResponse } from '../upstream/http';
import { signals, type SignalAnswer } from './signals';
import { scanSignalVector } from './vectorScan';

export interface PromVectorSample {
  metric: Record<string, string>;
  value: [number, string];
}
export interface PromMatrixSeries {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

interface PromEnvelope<T> {
  status: 'success' | 'error';
  data?: T;
  errorType?: string;
  error?: string;
  warnings?: string[];
}

export interface QueryResult<T> {
  result: T;
  warnings: string[];
}

/** Read-only endpoints of the PromQL HTTP API the pass-through may reach. Nothing else is proxied. */
export const PASS_THROUGH_PATHS = [
  'query',
  'query_range',
  'series',
  'labels',
] as const;
export type PassThroughPath = (typeof PASS_THROUGH_PATHS)[number];

/** Parameters the pass-through forwards; any other parameter is a 400. */
export const PASS_THROUGH_PARAMS = new Set([
  'query',
  'time',
  'start',
  'end',
  'step',
  'timeout',
  'limit',
  'match[]',
  'dedup',
  'partial_response',
  'max_source_resolution',
  'lookback_delta',
  'replicaLabels[]',
]);

/** Thanos reports open-ended store ranges as math.MinInt64/MaxInt64, beyond JS number precision. */
function timeBound(v: unknown): number | null {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) && Math.abs(n) < Number.MAX_SAFE_INTEGER ? n : null;
}

/** Advice for status errors of a Thanos Query instance. */
function thanosHint(kind: string): string | undefined {
  if (kind === 'unauthorized' || kind === 'forbidden')
    return "check the instance's headers";
  if (kind === 'not-found') return 'is baseUrl the root of the PromQL API?';
  return undefined;
}

/**
 * Client for one configured Thanos Query (or Prometheus-compatible) instance. Sends the instance's
 * headers, tenant and Thanos defaults server-side.
 */
export class ThanosClient extends UpstreamClient {
  constructor(readonly instance: ThanosInstanceConfig) {
    super({
      upstream: `thanos:${instance.name}`,
      baseUrl: instance.baseUrl,
      timeoutMs: instance.timeoutMs,
      maxResponseBytes: instance.maxResponseBytes,
      tls: { ca: instance.ca },
      hint: thanosHint,
    });
  }

  private headers(): Record<string, string> {
    return {
      ...this.instance.headers,
      ...(this.instance.tenant
        ? { 'THANOS-TENANT': this.instance.tenant }
        : {}),
    };
  }

  async raw(
    path: string,
    params: URLSearchParams,
    method: 'GET' | 'POST' = 'POST',
    signal?: AbortSignal,
  ): Promise<UpstreamResponse> {
    return this.send(`api/v1/${path}`, {
      method,
      query: method === 'GET' ? params : undefined,
      form: method === 'POST' ? params : undefined,
      headers: this.headers(),
      signal,
    });
  }

  private withDefaults(params: Record<string, string>): URLSearchParams {
    const p = new URLSearchParams(params);
    if (!p.has('dedup')) p.set('dedup', String(this.instance.dedup));
    if (!p.has('partial_response'))
      p.set('partial_response', String(this.instance.partialResponse));
    return p;
  }

  private async envelope<T>(
    path: string,
    params: URLSearchParams,
  ): Promise<QueryResult<T>> {
    const res = await this.raw(path, params);
    return this.unwrap<T>(res, `/api/v1/${path}`);
  }

  unwrap<T>(res: UpstreamResponse, what = 'the query'): QueryResult<T> {
    // Prometheus answers 503 with plain text while starting or stopping: not JSON.
    if (
      res.status === 401 ||
      res.status === 403 ||
      res.status === 404 ||
      (res.status >= 400 && !res.contentType.includes('json'))
    ) {
      throw this.statusError(res, what);
    }
    const body = this.parseJson<PromEnvelope<T>>(res);
    if (body.status !== 'success') {
      const kind = body.errorType === 'timeout' ? 'timeout' : 'http-error';
      throw new UpstreamError(
        this.upstream,
        kind,
        `${what} failed (${body.errorType ?? 'error'})`,
        res.status,
        body.error,
      );
    }
    return { result: body.data as T, warnings: body.warnings ?? [] };
  }

  async query(
    query: string,
    time?: number,
  ): Promise<QueryResult<PromVectorSample[]>> {
    const res = await this.raw('query', this.queryParams(query, time));
    return this.vector(res);
  }

  /**
   * A joined query (signals.ts) split by signal. Read straight into the split when the answer has
   * the compact shape Prometheus and Thanos write (vectorScan.ts), else parsed as JSON and split:
   * the same samples either way, fewer objects on the way for a fleet-sized answer.
   */
  async querySignals<S extends string>(
    query: string,
    time?: number,
  ): Promise<QueryResult<SignalAnswer<S>>> {
    const res = await this.raw('query', this.queryParams(query, time));
    if (res.status === 200 && res.contentType.includes('json')) {
      const scanned = scanSignalVector(res.body.toString('utf8'));
      if (scanned) return scanned as unknown as QueryResult<SignalAnswer<S>>;
    }
    const { result, warnings } = this.vector(res);
    return { result: signals<S>(result), warnings };
  }

  private queryParams(query: string, time?: number): URLSearchParams {
    const params: Record<string, string> = { query };
    if (time !== undefined) params.time = String(time);
    return this.withDefaults(params);
  }

  private vector(res: UpstreamResponse): QueryResult<PromVectorSample[]> {
    const { result, warnings } = this.unwrap<{
      resultType: string;
      result: PromVectorSample[];
    }>(res, '/api/v1/query');
    if (result.resultType !== 'vector') {
      throw new UpstreamError(
        this.upstream,
        'bad-response',
        `expected a vector, got ${result.resultType}`,
      );
    }
    return { result: result.result, warnings };
  }

  async queryRange(
    query: string,
    start: number,
    end: number,
    step: number,
  ): Promise<QueryResult<PromMatrixSeries[]>> {
    const { result, warnings } = await this.envelope<{
      resultType: string;
      result: PromMatrixSeries[];
    }>(
      'query_range',
      this.withDefaults({
        query,
        start: String(start),
        end: String(end),
        step: String(step),
      }),
    );
    if (result.resultType !== 'matrix') {
      throw new UpstreamError(
        this.upstream,
        'bad-response',
        `expected a matrix, got ${result.resultType}`,
      );
    }
    return { result: result.result, warnings };
  }

  /**
   * Thanos Query's store endpoints. `undefined` when the upstream answers 404: it is a plain
   * Prometheus, not a Thanos querier (a fact, not a failure).
   */
  async stores(): Promise<StoreEndpoint[] | undefined> {
    const res = await this.raw('stores', new URLSearchParams(), 'GET');
    if (res.status === 404) return undefined;
    const { result } = this.unwrap<
      Record<string, Array<Record<string, unknown>>>
    >(res, '/api/v1/stores');
    const out: StoreEndpoint[] = [];
    for (const [type, endpoints] of Object.entries(result ?? {})) {
      for (const e of endpoints ?? []) {
        out.push({
          type,
          name: String(e.name ?? ''),
          lastCheck: typeof e.lastCheck === 'string' ? e.lastCheck : undefined,
          lastError:
            typeof e.lastError === 'string' && e.lastError !== ''
              ? e.lastError
              : null,
          labelSets: Array.isArray(e.labelSets)
            ? (e.labelSets as Array<Record<string, string>>)
            : [],
          minTime: timeBound(e.minTime),
          maxTime: timeBound(e.maxTime),
        });
      }
    }
    return out;
  }
}
