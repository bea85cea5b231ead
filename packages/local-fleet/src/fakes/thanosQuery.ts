import http from 'node:http';
import { closeServer, listenOnLoopback } from './loopbackServer';

/**
 * A Thanos Query facade for what no local binary can serve (shared/contracts/thanos/NOTES.md):
 * `GET /api/v1/stores` and partial-response warnings. PromQL itself is answered by the real central
 * Prometheus behind it; the facade only adds Thanos's own behaviour on top.
 */

export interface FakeStoreEndpoint {
  type: 'sidecar' | 'store' | 'receive' | 'rule' | 'query';
  name: string;
  labelSets: Array<Record<string, string>>;
  lastError?: string | null;
  /** Unix ms; `open` writes math.MinInt64/MaxInt64 as Thanos does for unbounded ranges. */
  minTime?: number | 'open';
  maxTime?: number | 'open';
}

export interface ThanosQueryFakeOptions {
  /** Base URL of the real Prometheus that answers PromQL (with replication: every replica's copy). */
  prometheusUrl: string;
  /**
   * Base URL of the Prometheus holding the same data merged across replicas (see replication.ts).
   * Requests that deduplicate on `storedReplicaLabel` are answered from it.
   */
  dedupPrometheusUrl?: string;
  /** The replica label the stored copies carry (Receive's `--label=replica=...`), default `replica`. */
  storedReplicaLabel?: string;
  /** `--query.replica-label` flags: default replica labels when a request names none. */
  replicaLabels?: string[];
  port?: number;
  stores?: FakeStoreEndpoint[];
}

const MIN_INT64 = '-9223372036854775808';
const MAX_INT64 = '9223372036854775807';

/**
 * Store endpoints of a receive hashring: each receiver announces one label set per tenant TSDB it
 * holds (its external labels plus `tenant_id`), so idle tenants stay listed until their retention ends.
 * Receivers in `down` carry the error Query's endpoint check records for an unreachable receiver.
 */
export function defaultStores(
  replicas = 3,
  tenants: string[] = [],
  down: number[] = [],
): FakeStoreEndpoint[] {
  return [
    ...Array.from({ length: replicas }, (_, i) => ({
      type: 'receive' as const,
      name: `thanos-receive-${i}.thanos-receive.monitoring.svc.cluster.local:10901`,
      labelSets: ['default-tenant', ...tenants].map(tenant => ({
        receive: 'true',
        replica: `thanos-receive-${i}`,
        tenant_id: tenant,
      })),
      lastError: down.includes(i)
        ? `rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp: connect: connection refused"`
        : null,
      minTime: Date.now() - 2 * 3600_000,
      maxTime: 'open' as const,
    })),
    {
      type: 'store',
      name: 'thanos-store-0.thanos-store.monitoring.svc.cluster.local:10901',
      labelSets: [
        {
          receive: 'true',
          replica: 'thanos-receive-0',
          tenant_id: 'default-tenant',
        },
      ],
      minTime: Date.now() - 30 * 86400_000,
      maxTime: Date.now() - 2 * 3600_000,
    },
  ];
}

export class ThanosQueryFake {
  private server?: http.Server;
  stores: FakeStoreEndpoint[];
  /** Warnings added to PromQL answers when partial_response is on (a failing StoreAPI). */
  partialResponseWarnings: string[] = [];
  /** Answer /api/v1/stores with 404 like a plain Prometheus would. */
  pretendPlainPrometheus = false;
  /**
   * Test control: answer every instant query at this unix time, as a client passing `time=` would
   * be answered. Lets a test compare several stores fed by moving simulators at one evaluation time
   * instead of at the slightly different moments its requests happen to arrive.
   */
  evaluationTime?: number;
  /**
   * Where `GET /api/v1/status/tsdb` goes: Thanos Query's per-tenant TSDB statistics, which a plain
   * Prometheus cannot answer (fakes/thanosTsdbStatus.ts). Unset: the Prometheus behind answers.
   */
  tsdbStatusUrl?: string;
  port = 0;
  /** Headers of the last request (tests check that configured secrets are sent upstream). */
  lastHeaders: http.IncomingHttpHeaders = {};
  requests = 0;
  /** Requests per path (a summary round asks /api/v1/stores once). */
  paths: Record<string, number> = {};

  constructor(private readonly options: ThanosQueryFakeOptions) {
    this.stores = options.stores ?? defaultStores();
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    ({ server: this.server, port: this.port } = await listenOnLoopback(
      this.options.port ?? 0,
      (req, res) => this.handle(req, res),
      (res, err) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            status: 'error',
            errorType: 'internal',
            error: String(err),
          }),
        );
      },
    ));
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
    this.server = undefined;
  }

  /** Which Prometheus answers: the merged copy when the request deduplicates on the stored replica label. */
  private backendFor(params: URLSearchParams): string {
    const { dedupPrometheusUrl, prometheusUrl } = this.options;
    if (!dedupPrometheusUrl) return prometheusUrl;
    const stored = this.options.storedReplicaLabel ?? 'replica';
    return dedupApplies(params, this.options.replicaLabels ?? [stored], stored)
      ? dedupPrometheusUrl
      : prometheusUrl;
  }

  /** The /stores body, with int64 bounds written as raw JSON numbers (beyond JS precision). */
  storesBody(): string {
    const groups: Record<string, string[]> = {};
    for (const s of this.stores) {
      const bound = (v: number | 'open' | undefined, open: string) =>
        v === undefined || v === 'open' ? open : String(Math.trunc(v));
      const json =
        `{"name":${JSON.stringify(s.name)},"lastCheck":${JSON.stringify(new Date().toISOString())},` +
        `"lastError":${s.lastError ? JSON.stringify(s.lastError) : 'null'},` +
        `"labelSets":${JSON.stringify(s.labelSets)},` +
        `"minTime":${bound(s.minTime, MIN_INT64)},"maxTime":${bound(s.maxTime, MAX_INT64)}}`;
      (groups[s.type] ??= []).push(json);
    }
    const data = Object.entries(groups).map(
      ([k, v]) => `${JSON.stringify(k)}:[${v.join(',')}]`,
    );
    return `{"status":"success","data":{${data.join(',')}}}`;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://x');
    this.lastHeaders = req.headers;
    this.requests++;
    this.paths[url.pathname] = (this.paths[url.pathname] ?? 0) + 1;
    if (url.pathname === '/-/healthy' || url.pathname === '/-/ready') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
      return;
    }
    if (url.pathname === '/api/v1/stores') {
      if (this.pretendPlainPrometheus || req.method !== 'GET') {
        res
          .writeHead(404, { 'content-type': 'text/plain' })
          .end('404 page not found');
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(this.storesBody());
      return;
    }
    if (url.pathname === '/api/v1/status/tsdb' && this.tsdbStatusUrl) {
      const status = await fetch(
        `${this.tsdbStatusUrl}${url.pathname}${url.search}`,
        { method: req.method },
      );
      res
        .writeHead(status.status, {
          'content-type': status.headers.get('content-type') ?? 'text/plain',
        })
        .end(Buffer.from(await status.arrayBuffer()));
      return;
    }
    const body = await readBody(req);
    const params = new URLSearchParams(url.search);
    if (
      req.headers['content-type']?.includes('application/x-www-form-urlencoded')
    ) {
      new URLSearchParams(body.toString()).forEach((v, k) =>
        params.append(k, v),
      );
    }
    // Thanos-only parameters are validated as Go bools, as Thanos does (400 bad_data otherwise).
    for (const key of ['dedup', 'partial_response']) {
      const v = params.get(key);
      if (
        v !== null &&
        !/^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(v)
      ) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            status: 'error',
            errorType: 'bad_data',
            error: `cannot parse "${key}" param: invalid boolean "${v}"`,
          }),
        );
        return;
      }
    }
    if (this.evaluationTime !== undefined && url.pathname === '/api/v1/query')
      params.set('time', String(this.evaluationTime));
    const partial = !/^(0|f|F|FALSE|false|False)$/.test(
      params.get('partial_response') ?? 'true',
    );
    const isPromQL =
      /^\/api\/v1\/(query|query_range|series|labels|label\/[^/]+\/values)$/.test(
        url.pathname,
      );
    const backend = this.backendFor(params);
    if (isPromQL && this.partialResponseWarnings.length > 0 && !partial) {
      res.writeHead(422, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
      });
      res.end(
        JSON.stringify({
          status: 'error',
          errorType: 'execution',
          error: this.partialResponseWarnings[0],
        }),
      );
      return;
    }
    // PromQL goes upstream as a form POST (all params in one place); anything else as a plain GET.
    const upstream = await (
      isPromQL
        ? fetch(`${backend}${url.pathname}`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: params.toString(),
          })
        : fetch(`${backend}${url.pathname}${url.search}`)
    ).catch(() => undefined);
    if (!upstream) {
      res
        .writeHead(503, { 'content-type': 'text/plain' })
        .end('Service Unavailable');
      return;
    }
    const text = await upstream.text();
    if (isPromQL && upstream.ok && this.partialResponseWarnings.length > 0) {
      const envelope = JSON.parse(text);
      envelope.warnings = [
        ...(envelope.warnings ?? []),
        ...this.partialResponseWarnings,
      ];
      res.writeHead(200, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
      });
      res.end(JSON.stringify(envelope));
      return;
    }
    res.writeHead(upstream.status, {
      'content-type':
        upstream.headers.get('content-type') ?? 'application/json',
    });
    res.end(text);
  }
}

/** Thanos' `dedup` and `replicaLabels[]` semantics, as the querier applies them (pkg/query). */
export function dedupApplies(
  params: URLSearchParams,
  defaultReplicaLabels: string[],
  storedReplicaLabel: string,
): boolean {
  // dedup defaults to true; it has an effect only with replica labels, from the request or the flag.
  const dedup = !/^(0|f|F|FALSE|false|False)$/.test(
    params.get('dedup') ?? 'true',
  );
  const requested = params.getAll('replicaLabels[]');
  const labels = requested.length > 0 ? requested : defaultReplicaLabels;
  return dedup && labels.includes(storedReplicaLabel);
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
