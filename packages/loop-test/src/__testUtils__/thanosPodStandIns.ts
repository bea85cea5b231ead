/**
 * One HTTP server on 127.0.0.1 per Thanos pod the central's ServiceMonitors discover, serving that
 * pod's `/metrics` at the path the ServiceMonitor endpoint names (what podIP:10902 serves in a
 * cluster). Receive pods serve their receiver's metrics from ThanosReceiveFake; Query pods serve
 * Query's own metrics from the upstream metrics table. A pod taken down closes its port, so its
 * scrape fails with "connection refused" and `up` is 0, as for a pod that is gone.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  THANOS_JOBS,
  upstreamMetric,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { ThanosReceiveFake } from '@fleet-monitoring/local-fleet';
import type { DiscoveredTarget } from './serviceMonitorScrapeConfig';

type Metrics = () => Promise<string>;

export const podKey = (t: DiscoveredTarget) =>
  `${t.pod}:${t.containerPort.containerPort}`;

/** Address of a discovered pod with no stand-in: nothing listens there. */
export const NO_POD = '127.0.0.1:1';

export class PodMetricsServer {
  private server?: http.Server;
  port = 0;

  constructor(
    readonly pod: string,
    private readonly path: string,
    private readonly metrics: Metrics,
  ) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return Boolean(this.server);
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = http.createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path !== this.path) {
        res.writeHead(404).end('404 page not found');
        return;
      }
      this.metrics().then(
        text =>
          res
            .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
            .end(text),
        err => res.writeHead(500).end(String(err)),
      );
    });
    // Keep the port across restarts: the scrape config names it.
    await new Promise<void>(resolve =>
      server.listen(this.port, '127.0.0.1', resolve),
    );
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>(resolve => server.close(() => resolve()));
  }
}

/** Query's own series, each checked against the upstream metrics table (name and labels). */
export function queryPodMetrics(opts: {
  version: string;
  /** PromQL requests the Query stand-in has answered (all pods share the one facade). */
  requests: () => number;
}): Metrics {
  const line = (
    name: string,
    labels: Record<string, string>,
    value: number,
  ) => {
    const entry = upstreamMetric(name.replace(/_(bucket|sum|count)$/, ''));
    for (const l of Object.keys(labels)) {
      if (!entry.labels.includes(l) && l !== 'le')
        throw new Error(`${name} has no label ${l} in the upstream table`);
    }
    const ls = Object.entries(labels)
      .map(([k, v]) => `${k}="${v}"`)
      .join(',');
    return `${name}{${ls}} ${value}`;
  };
  return async () =>
    [
      line(
        'thanos_build_info',
        {
          branch: 'HEAD',
          goarch: 'amd64',
          goos: 'linux',
          goversion: 'go1.22.0',
          revision: 'stand-in',
          tags: 'netgo',
          version: opts.version,
        },
        1,
      ),
      line(
        'http_requests_total',
        { code: '200', handler: 'query', method: 'get' },
        opts.requests(),
      ),
      line('thanos_query_concurrent_gate_queries_max', {}, 20),
      line('thanos_query_concurrent_gate_queries_in_flight', {}, 0),
      '',
    ].join('\n');
}

/**
 * What ThanosReceiveFake does not serve yet: the shippers' upload counters. With an objstore config,
 * Receive runs one shipper per tenant TSDB it holds, registered with `tenant` and starting at 0
 * when the TSDB opens; the first block is cut after about 2 h, so within a test every counter is 0
 * (upstream table: thanos_shipper_uploads_total). Without one, there is no shipper and no series.
 */
function receiverShipperMetrics(
  receive: ThanosReceiveFake,
  ordinal: number,
  objectStorage: boolean,
): string {
  const entry = upstreamMetric('thanos_shipper_uploads_total');
  if (!objectStorage || entry.labels.join() !== 'tenant') return '';
  const { sink } = receive.options;
  const held = receive.tenants.filter(tenant =>
    sink.replicasOf(tenant).includes(ordinal),
  );
  if (held.length === 0) return '';
  return [
    `# TYPE ${entry.name} counter`,
    ...held.map(tenant => `${entry.name}{tenant="${tenant}"} 0`),
    '',
  ].join('\n');
}

/**
 * Stand-ins for every discovered Thanos pod: receivers by ordinal (the StatefulSet pod
 * thanos-receive-<i> is receiver i of the fake), Query pods by name.
 */
export async function startThanosPods(
  targets: DiscoveredTarget[],
  opts: {
    receive: ThanosReceiveFake;
    queryVersion: string;
    queryRequests: () => number;
    /** The receivers run with an objstore config (the generated --objstore.config-file). */
    objectStorage: boolean;
  },
): Promise<Map<string, PodMetricsServer>> {
  const pods = new Map<string, PodMetricsServer>();
  for (const t of targets) {
    const key = podKey(t);
    if (pods.has(key)) continue;
    let metrics: Metrics;
    if (t.workload === THANOS_JOBS.receive) {
      metrics = async () => {
        const res = await fetch(
          `${opts.receive.url}/receivers/${t.ordinal}/metrics`,
        );
        if (!res.ok) throw new Error(`receiver ${t.ordinal}: ${res.status}`);
        return (
          (await res.text()) +
          receiverShipperMetrics(opts.receive, t.ordinal, opts.objectStorage)
        );
      };
    } else if (t.workload === THANOS_JOBS.query) {
      metrics = queryPodMetrics({
        version: opts.queryVersion,
        requests: opts.queryRequests,
      });
    } else {
      // Not a Thanos pod: discovered behind some Service, dropped by the ServiceMonitors' relabeling
      // unless a selector is wrong (then its scrape fails visibly: see NO_POD).
      continue;
    }
    const server = new PodMetricsServer(t.pod, t.path, metrics);
    await server.start();
    pods.set(key, server);
  }
  return pods;
}
