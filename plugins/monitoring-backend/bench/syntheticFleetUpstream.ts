/**
 * A synthetic fleet upstream for the benches at sizes no store on this machine can hold: an HTTP
 * server answering the fleet summary's PromQL (Prometheus' /api/v1/query envelope) with `clusters`
 * clusters, without evaluating anything. It stands in for the store when what is measured is the
 * backend's cache, its memory, its paged route and the browser, not the PromQL: its answers are
 * shaped like a real store's (one sample per cluster and signal, queue labels on the per-queue
 * signals), 2 % of the clusters failing (held), 1 % behind, the rest healthy.
 *
 * Which answer a query gets is read from the signal names it tags (signals.ts), so the backend's
 * own queries are answered as they are sent. /api/v1/stores answers 404 (a plain Prometheus).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNAL_LABEL } from '../src/thanos/signals';

type Sample = [labels: Record<string, string>, value: number];

/** A synthetic fleet's answers, rebuilt every few seconds so its samples stay fresh. */
export class SyntheticFleetUpstream {
  private server?: http.Server;
  private built = 0;
  private cache = new Map<string, string>();
  /** Requests answered, per path. */
  readonly requests: Record<string, number> = {};

  constructor(
    readonly clusters: number,
    private readonly clusterLabel = 'cluster',
  ) {}

  name(i: number): string {
    return `syn-${String(i).padStart(6, '0')}`;
  }

  get url(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  private queue(i: number): Record<string, string> {
    return {
      [this.clusterLabel]: this.name(i),
      instance: 'prometheus:9090',
      remote_name: 'central',
      url: 'http://receive:19291/api/v1/receive',
    };
  }

  /** The samples of one signal (undefined: the synthetic fleet has none). */
  private samples(signal: string, now: number): Sample[] {
    const out: Sample[] = [];
    const c = (i: number) => ({ [this.clusterLabel]: this.name(i) });
    for (let i = 1; i <= this.clusters; i++) {
      const failing = i % 50 === 0;
      const behind = i % 100 === 1;
      switch (signal) {
        case 'last_seen':
          out.push([{ ...c(i), tenant_id: this.name(i) }, now - 5]);
          break;
        case 'sent':
          out.push([c(i), 800 + (i % 400)]);
          break;
        case 'tenant_accepted':
          out.push([{ tenant: this.name(i) }, 800 + (i % 400)]);
          break;
        case 'pending':
          // Asked above the judge's limit (10,000 by default): only the clusters behind answer.
          if (behind) out.push([c(i), 50_000 + (i % 1000)]);
          break;
        case 'shards':
          out.push([c(i), 1 + (i % 4)]);
          break;
        case 'lag':
          out.push([c(i), behind ? 300 : 2 + (i % 5)]);
          break;
        case 'lag_q':
        case 'lag_held_q':
          if (behind) out.push([this.queue(i), 300]);
          break;
        case 'failure_ratio_q':
        case 'failure_ratio_held_q':
          if (failing) out.push([this.queue(i), 0.2]);
          break;
        case 'failed_q':
          if (failing) out.push([this.queue(i), 160]);
          break;
        default:
      }
    }
    return out;
  }

  private answer(query: string): string {
    const now = Date.now() / 1000;
    if (now - this.built > 5) {
      this.cache.clear();
      this.built = now;
    }
    const signals = [
      ...query.matchAll(new RegExp(`"${SIGNAL_LABEL}", "([a-z_]+)"`, 'g')),
    ].map(m => m[1]);
    const key = signals.join(',');
    let body = this.cache.get(key);
    if (!body) {
      const parts: string[] = [];
      for (const signal of signals) {
        for (const [labels, value] of this.samples(signal, this.built)) {
          parts.push(
            JSON.stringify({
              metric: { ...labels, [SIGNAL_LABEL]: signal },
              value: [this.built, String(value)],
            }),
          );
        }
      }
      body = `{"status":"success","data":{"resultType":"vector","result":[${parts.join(',')}]}}`;
      this.cache.set(key, body);
    }
    return body;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      this.requests[url.pathname] = (this.requests[url.pathname] ?? 0) + 1;
      const chunks: Buffer[] = [];
      req.on('data', d => chunks.push(d));
      req.on('end', () => {
        if (url.pathname !== '/api/v1/query') {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
          return;
        }
        const form = new URLSearchParams(Buffer.concat(chunks).toString());
        const query = form.get('query') ?? url.searchParams.get('query') ?? '';
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(this.answer(query));
      });
    });
    await new Promise<void>(r => this.server!.listen(0, '127.0.0.1', r));
  }

  async stop(): Promise<void> {
    await new Promise(r => this.server?.close(r));
  }
}
