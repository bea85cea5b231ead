import http from 'node:http';
import { decodeWriteRequest, Timeseries } from '../remoteWrite';
import {
  receiverName,
  ReplicatedSink,
  SampleConflictError,
} from '../replication';
import { closeServer, listenOnLoopback } from './loopbackServer';

/**
 * A Thanos Receive hashring for real Prometheus agents (shared/contracts/thanos/NOTES.md, section 2):
 * `POST /api/v1/receive` with the tenant from `THANOS-TENANT`, answered 200 with an empty body, 429
 * `tenant is above active series limit` for a tenant at or over its head-series limit (counted only
 * in `thanos_receive_head_series_limited_requests_total{tenant}`: Thanos answers it before the
 * request is handled, so it never reaches `thanos_receive_write_samples`), 503 when fewer replicas
 * than the write quorum are up. Metrics follow plugins/monitoring-common/src/upstreamMetrics.ts. Accepted series are stored by a ReplicatedSink (one copy per
 * replica receiver plus the merged copy). Each receiver's own metrics are served for scraping at
 * `/receivers/<i>/metrics` (503 while that receiver is down, so its `up` is 0).
 */
export interface ThanosReceiveFakeOptions {
  sink: ReplicatedSink;
  port?: number;
  /** Head-series limit per tenant (`tenant -> limit`); a tenant above it is answered 429. */
  headSeriesLimits?: Record<string, number>;
  /**
   * `--receive.split-tenant-label-name`: the tenant is this label's value on each series, taking
   * precedence over the header. (Debian's Prometheus 2.42 agent sends no `remote_write.headers`,
   * so the local agents are split by their `cluster` external label instead of THANOS-TENANT.)
   */
  splitTenantLabel?: string;
  /** Version the receivers report in `thanos_build_info` (default the image default, 0.35.1). */
  version?: string;
}

type Counts = Map<string, number>;

export class ThanosReceiveFake {
  private server?: http.Server;
  port = 0;
  /** Distinct series seen per tenant (stands in for the tenant TSDB's head series). */
  private readonly headSeries = new Map<string, Set<string>>();
  /** Per receiver: `tenant\0code` -> samples (histogram sum) and requests (count). */
  private readonly samples: Counts[] = [];
  private readonly requests: Counts[] = [];
  private readonly limited: Counts[] = [];
  /** Per receiver: HTTP answers of the receive handler by code (`http_requests_total`). */
  private readonly answers: Array<Map<number, number>> = [];

  constructor(readonly options: ThanosReceiveFakeOptions) {
    for (let i = 0; i < options.sink.receivers; i++) {
      this.samples.push(new Map());
      this.requests.push(new Map());
      this.limited.push(new Map());
      this.answers.push(new Map());
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Remote-write URL for agents (Thanos Receive's path). */
  get writeUrl(): string {
    return `${this.url}/api/v1/receive`;
  }

  /** Tenants that have written at least once (their TSDBs exist). */
  get tenants(): string[] {
    return [...this.headSeries.keys()];
  }

  setDown(receiver: number, down: boolean): void {
    if (down) this.options.sink.down.add(receiver);
    else this.options.sink.down.delete(receiver);
  }

  async start(): Promise<void> {
    ({ server: this.server, port: this.port } = await listenOnLoopback(
      this.options.port ?? 0,
      (req, res) => this.handle(req, res),
      (res, err) =>
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err)),
    ));
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
    this.server = undefined;
  }

  /** The receiver that answers a tenant's request (the first live one of its replicas). */
  private router(tenant: string): number {
    const { sink } = this.options;
    return (
      sink.replicasOf(tenant).find(r => !sink.down.has(r)) ??
      sink.replicasOf(tenant)[0]
    );
  }

  private count(map: Counts, tenant: string, code: number, n: number) {
    const key = `${tenant}\u0000${code}`;
    map.set(key, (map.get(key) ?? 0) + n);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://x');
    const metrics = /^\/receivers\/(\d+)\/metrics$/.exec(url.pathname);
    if (metrics) {
      const i = Number(metrics[1]);
      if (i >= this.options.sink.receivers || this.options.sink.down.has(i)) {
        res
          .writeHead(503, { 'content-type': 'text/plain' })
          .end('Service Unavailable');
        return;
      }
      res
        .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
        .end(this.metricsText(i));
      return;
    }
    if (url.pathname !== '/api/v1/receive' || req.method !== 'POST') {
      res
        .writeHead(404, { 'content-type': 'text/plain' })
        .end('404 page not found');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headerTenant = String(
      req.headers['thanos-tenant'] ?? 'default-tenant',
    );
    let all: Timeseries[];
    try {
      all = await decodeWriteRequest(Buffer.concat(chunks));
    } catch (e) {
      res
        .writeHead(400, { 'content-type': 'text/plain' })
        .end(`decode error: ${e}`);
      return;
    }
    const split = this.options.splitTenantLabel;
    const byTenant = new Map<string, Timeseries[]>();
    for (const s of all) {
      const tenant = (split && s.labels[split]) || headerTenant;
      const list = byTenant.get(tenant) ?? [];
      list.push(s);
      byTenant.set(tenant, list);
    }
    // One answer per request: the worst of its tenants' answers.
    let status = 200;
    let message = '';
    for (const [tenant, series] of byTenant) {
      const [code, text] = await this.writeTenant(tenant, series);
      if (code > status) [status, message] = [code, text];
    }
    const first = byTenant.keys().next().value;
    if (first !== undefined) {
      const answers = this.answers[this.router(first)];
      answers.set(status, (answers.get(status) ?? 0) + 1);
    }
    if (status === 200) res.writeHead(200).end();
    else res.writeHead(status, { 'content-type': 'text/plain' }).end(message);
  }

  private async writeTenant(
    tenant: string,
    series: Timeseries[],
  ): Promise<[number, string]> {
    const n = series.reduce((sum, s) => sum + s.samples.length, 0);
    const router = this.router(tenant);
    const head = this.headSeries.get(tenant) ?? new Set<string>();
    this.headSeries.set(tenant, head);
    const limit = this.options.headSeriesLimits?.[tenant];
    // isUnderLimit refuses once the head series reach the limit (v0.42.4 head_series_limiter.go).
    if (limit !== undefined && head.size >= limit) {
      this.count(this.limited[router], tenant, 0, 1);
      return [429, 'tenant is above active series limit'];
    }
    try {
      await this.options.sink.write([{ tenant, series }]);
    } catch (e) {
      // Conflicts are 409 (dropped by the client), anything else 503 (retried): handler.go v0.42.4.
      const code = e instanceof SampleConflictError ? 409 : 503;
      this.count(this.samples[router], tenant, code, n);
      this.count(this.requests[router], tenant, code, 1);
      return [code, String(e instanceof Error ? e.message : e)];
    }
    for (const s of series) head.add(JSON.stringify(s.labels));
    this.count(this.samples[router], tenant, 200, n);
    this.count(this.requests[router], tenant, 200, 1);
    return [200, ''];
  }

  /** One receiver's own metrics in the Prometheus text format (names from pkg/receive). */
  private metricsText(i: number): string {
    const { sink } = this.options;
    const lines: string[] = [];
    const esc = (v: string) =>
      v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
    const perTenant = (name: string, map: Counts, withCode = true) => {
      for (const [key, v] of map) {
        const [tenant, code] = key.split('\u0000');
        lines.push(
          `${name}{tenant="${esc(tenant)}"${withCode ? `,code="${code}"` : ''}} ${v}`,
        );
      }
    };
    lines.push('# TYPE thanos_receive_write_samples histogram');
    perTenant('thanos_receive_write_samples_sum', this.samples[i]);
    perTenant('thanos_receive_write_samples_count', this.requests[i]);
    lines.push(
      '# TYPE thanos_receive_head_series_limited_requests_total counter',
    );
    perTenant(
      'thanos_receive_head_series_limited_requests_total',
      this.limited[i],
      false,
    );
    // Set to the factor above 1, otherwise to 1 (pkg/receive/handler.go).
    lines.push(
      `thanos_receive_replication_factor ${sink.factor > 1 ? sink.factor : 1}`,
    );
    lines.push('# TYPE http_requests_total counter');
    for (const [code, v] of this.answers[i])
      lines.push(
        `http_requests_total{code="${code}",handler="receive",method="post"} ${v}`,
      );
    lines.push(
      `thanos_build_info{branch="HEAD",goarch="amd64",goos="linux",goversion="go1.24.0",revision="fake",tags="netgo",version="${esc(this.options.version ?? '0.35.1')}"} 1`,
    );
    lines.push(
      `thanos_receive_hashring_nodes{name="default"} ${sink.receivers}`,
    );
    lines.push(`thanos_receive_config_last_reload_successful 1`);
    lines.push(`# receiver ${receiverName(i)}`);
    return `${lines.join('\n')}\n`;
  }
}
