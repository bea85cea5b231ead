import http from 'node:http';
import { closeServer, listenOnLoopback } from './loopbackServer';

/**
 * Thanos Query's per-tenant TSDB statistics, which no local binary serves: `GET /api/v1/status/tsdb`
 * as thanos-io/thanos v0.42.4 answers it (`pkg/api/query/v1.go` tsdbStatus, added in v0.40.0;
 * merge rules in `pkg/status/statuspb/custom.go`; the receivers' side in `pkg/status/status.go` and
 * `cmd/thanos/receive.go`). Read at the tag; summarised, nothing copied:
 *
 * - `limit` (integer; below 1 means 10; not an integer is 400 `bad_data`) truncates every list.
 * - `match[]` selectors are passed to the stores; a receiver answers only the tenants named by exact
 *   matchers on its tenant label (`tenant_id`), all of them without one. Bad selector: 400.
 * - The answer is one Prometheus `TSDBStatus` (`headStats`, `seriesCountByMetricName`,
 *   `labelValueCountByLabelName`, `memoryInBytesByLabelName`, `seriesCountByLabelValuePair`, each
 *   `[{name, value}]` sorted by value): the entries of every receiver and tenant merged, counts summed
 *   (so replica copies count once per receiver holding them) except `labelValueCountByLabelName`,
 *   which keeps the maximum.
 * - Before v0.40 Query has no such route (404); Receive has served the same statistics per tenant on
 *   its remote-write port since v0.3x (`pkg/api/status/v1.go`: an array, each item with `tenant`).
 *
 * Each tenant's TSDB is a real Prometheus here (Receive keeps one TSDB per tenant): the fake asks its
 * own `/api/v1/status/tsdb` (head only, like Receive's) and merges as Query does. Every other path is
 * proxied to `promqlUrl`, the store that answers PromQL.
 */
export interface ThanosTsdbStatusFakeOptions {
  /** Prometheus answering every other `/api/v1/*` request. */
  promqlUrl: string;
  /** Each tenant's TSDB: a Prometheus whose head holds exactly that tenant's series. */
  tenants: Record<string, string>;
  /** Receive's `--receive.tenant-label-name` (default `tenant_id`). */
  tenantLabel?: string;
  /** Query before v0.40: the route does not exist (404, like any unknown path). */
  withoutStatusRoute?: boolean;
  port?: number;
}

interface Stat {
  name: string;
  value: number;
}

interface TsdbStatus {
  headStats: {
    numSeries: number;
    numLabelPairs: number;
    chunkCount: number;
    minTime: number;
    maxTime: number;
  };
  seriesCountByMetricName: Stat[];
  labelValueCountByLabelName: Stat[];
  memoryInBytesByLabelName: Stat[];
  seriesCountByLabelValuePair: Stat[];
}

const LISTS = [
  'seriesCountByMetricName',
  'labelValueCountByLabelName',
  'memoryInBytesByLabelName',
  'seriesCountByLabelValuePair',
] as const;

/** Query's default when `limit` is absent or below 1. */
const DEFAULT_LIMIT = 10;

export class ThanosTsdbStatusFake {
  private server?: http.Server;
  port = 0;
  /** Requests to `/api/v1/status/tsdb`, for tests that count the store's cost. */
  statusRequests = 0;

  constructor(readonly options: ThanosTsdbStatusFakeOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
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
  }

  private async handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/api/v1/status/tsdb' && req.method === 'GET') {
      this.statusRequests++;
      if (this.options.withoutStatusRoute) {
        res
          .writeHead(404, { 'content-type': 'text/plain' })
          .end('404 page not found');
        return;
      }
      await this.status(url.searchParams, res);
      return;
    }
    await this.proxy(req, url, res);
  }

  private async status(
    params: URLSearchParams,
    res: http.ServerResponse,
  ): Promise<void> {
    const bad = (error: string) =>
      json(res, 400, { status: 'error', errorType: 'bad_data', error });
    let limit = DEFAULT_LIMIT;
    const rawLimit = params.get('limit');
    if (rawLimit !== null && rawLimit !== '') {
      if (!/^-?\d+$/.test(rawLimit)) {
        bad(`cannot parse "${rawLimit}" to a valid limit`);
        return;
      }
      limit = Number(rawLimit);
      if (limit < 1) limit = DEFAULT_LIMIT;
    }
    const tenantLabel = this.options.tenantLabel ?? 'tenant_id';
    let named: string[] | undefined;
    for (const selector of params.getAll('match[]')) {
      const matchers = parseSelector(selector);
      if (!matchers) {
        bad(`invalid parameter "match[]": ${selector}`);
        return;
      }
      for (const m of matchers) {
        if (m.name !== tenantLabel) continue;
        // A receiver narrows by exact tenant matchers only; any other kind asks every tenant.
        if (m.op !== '=') {
          named = undefined;
          break;
        }
        named = [...(named ?? []), m.value];
      }
    }
    const tenants = Object.keys(this.options.tenants).filter(
      t => !named || named.includes(t),
    );
    const merged = emptyStatus();
    for (const tenant of tenants) {
      const r = await fetch(
        `${this.options.tenants[tenant]}/api/v1/status/tsdb`,
      );
      if (!r.ok)
        throw new Error(`tenant ${tenant}'s TSDB answered ${r.status}`);
      merge(merged, ((await r.json()) as { data: TsdbStatus }).data);
    }
    for (const list of LISTS) merged[list] = merged[list].slice(0, limit);
    json(res, 200, { status: 'success', data: merged });
  }

  private async proxy(
    req: http.IncomingMessage,
    url: URL,
    res: http.ServerResponse,
  ): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers: Record<string, string> = {};
    if (req.headers['content-type'])
      headers['content-type'] = String(req.headers['content-type']);
    const upstream = await fetch(
      `${this.options.promqlUrl}${url.pathname}${url.search}`,
      {
        method: req.method,
        headers,
        body:
          req.method === 'GET' || req.method === 'HEAD'
            ? undefined
            : Buffer.concat(chunks),
      },
    );
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'text/plain',
    });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  }
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, { 'content-type': 'application/json' })
    .end(JSON.stringify(body));
}

function emptyStatus(): TsdbStatus {
  return {
    headStats: {
      numSeries: 0,
      numLabelPairs: 0,
      chunkCount: 0,
      minTime: 0,
      maxTime: 0,
    },
    seriesCountByMetricName: [],
    labelValueCountByLabelName: [],
    memoryInBytesByLabelName: [],
    seriesCountByLabelValuePair: [],
  };
}

/** Query's merge of one more entry: sums, the maximum for label-value counts, sorted by value then name. */
function merge(into: TsdbStatus, from: TsdbStatus): void {
  const h = into.headStats;
  const f = from.headStats;
  h.numSeries += f.numSeries;
  h.numLabelPairs += f.numLabelPairs;
  h.chunkCount += f.chunkCount ?? 0;
  if (h.minTime <= 0 || h.minTime > f.minTime) h.minTime = f.minTime;
  if (h.maxTime < f.maxTime) h.maxTime = f.maxTime;
  for (const list of LISTS) {
    const byName = new Map(into[list].map(s => [s.name, { ...s }]));
    for (const s of from[list] ?? []) {
      const had = byName.get(s.name);
      if (!had) byName.set(s.name, { ...s });
      else
        had.value =
          list === 'labelValueCountByLabelName'
            ? Math.max(had.value, s.value)
            : had.value + s.value;
    }
    into[list] = [...byName.values()].sort(
      (a, b) => b.value - a.value || a.name.localeCompare(b.name),
    );
  }
}

/** `{a="b",c!="d"}` (label matchers only; values in double quotes); undefined when it is not one. */
function parseSelector(
  s: string,
): Array<{ name: string; op: string; value: string }> | undefined {
  const m = /^\s*\{(.*)\}\s*$/.exec(s);
  if (!m) return undefined;
  const out: Array<{ name: string; op: string; value: string }> = [];
  const re =
    /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/y;
  let rest = m[1];
  while (rest.trim() !== '') {
    re.lastIndex = 0;
    const x = re.exec(rest);
    if (!x) return undefined;
    out.push({
      name: x[1],
      op: x[2],
      value: x[3].replace(/\\(.)/g, '$1'),
    });
    rest = rest.slice(re.lastIndex);
  }
  return out.length > 0 ? out : undefined;
}
