import { Timeseries, writeSeries } from './remoteWrite';

/**
 * Synthetic clusters and Thanos Receive replicas, written as real series into the central store.
 *
 * Each simulated metric is a function of time, so history and live ticks are the same model:
 * counters grow at a fixed rate, gauges hold a value. Metric names and labels follow what a Prometheus
 * agent exposes about its remote-write queue and what Thanos Receive exposes about itself
 * (shared/contracts/thanos/NOTES.md).
 */

export type ClusterFault =
  | 'healthy'
  | 'lagging'
  | 'failing'
  | 'retrying'
  | 'dropping'
  | 'shards-maxed'
  | 'silent';

export type ReceiveFault =
  | 'healthy'
  | 'http-errors'
  | 'slow'
  | 'replication-failures'
  | 'forward-failures'
  | 'hashring-file-errors'
  | 'config-reload-failed'
  | 'head-series-limited';

export interface SimulatedCluster {
  name: string;
  fault: ClusterFault;
}

export interface SimulatedService {
  job: string;
  namespace: string;
  clusters: string[];
  /** Targets per cluster; `down` of them report up=0. */
  targets?: number;
  down?: number;
}

/** A series whose value at time t (unix seconds) is `value(t)`. */
interface Model {
  labels: Record<string, string>;
  value: (t: number) => number;
  /** Last second with data (silent clusters stop early). */
  until?: number;
}

const RW_URL = 'https://thanos-receive.monitoring.svc:19291/api/v1/receive';

/** `count` cluster names `sim-0001`... with faults spread as asked; the rest are healthy. */
export function planClusters(
  count: number,
  faults: Partial<Record<ClusterFault, number>> = {},
  prefix = 'sim',
): SimulatedCluster[] {
  const list: ClusterFault[] = [];
  for (const [fault, n] of Object.entries(faults) as [ClusterFault, number][]) {
    for (let i = 0; i < n; i++) list.push(fault);
  }
  const width = String(count).length < 4 ? 4 : String(count).length;
  return Array.from({ length: count }, (_, i) => ({
    name: `${prefix}-${String(i + 1).padStart(width, '0')}`,
    fault: list[i] ?? 'healthy',
  }));
}

function clusterModels(
  c: SimulatedCluster,
  t0: number,
  silentSince: number,
): Model[] {
  const base = {
    cluster: c.name,
    job: 'prometheus-agent',
    instance: 'prometheus-agent-0',
  };
  const queue = { ...base, remote_name: 'central', url: RW_URL };
  const sentRate = 800 + (hash(c.name) % 400);
  const until = c.fault === 'silent' ? silentSince : undefined;
  const counter = (rate: number) => (t: number) => Math.max(0, rate * (t - t0));
  const m = (
    name: string,
    labels: Record<string, string>,
    value: (t: number) => number,
  ): Model => ({
    labels: { __name__: name, ...labels },
    value,
    until,
  });
  return [
    m('up', base, () => 1),
    m('prometheus_remote_storage_samples_total', queue, counter(sentRate)),
    m(
      'prometheus_remote_storage_samples_failed_total',
      queue,
      counter(c.fault === 'failing' ? sentRate * 0.25 : 0),
    ),
    m(
      'prometheus_remote_storage_samples_retried_total',
      queue,
      counter(c.fault === 'retrying' ? 120 : 0),
    ),
    m(
      'prometheus_remote_storage_samples_dropped_total',
      queue,
      counter(c.fault === 'dropping' ? 15 : 0),
    ),
    m('prometheus_remote_storage_samples_pending', queue, () =>
      c.fault === 'retrying' ? 25_000 : 40,
    ),
    m('prometheus_remote_storage_highest_timestamp_in_seconds', base, t => t),
    m(
      'prometheus_remote_storage_queue_highest_sent_timestamp_seconds',
      queue,
      t => (c.fault === 'lagging' ? t - 420 : t - 1),
    ),
    m('prometheus_remote_storage_shards', queue, () =>
      c.fault === 'shards-maxed' ? 50 : 4,
    ),
    m('prometheus_remote_storage_shards_desired', queue, () =>
      c.fault === 'shards-maxed' ? 83 : 3.2,
    ),
    m('prometheus_remote_storage_shards_max', queue, () => 50),
    m('prometheus_remote_storage_shards_min', queue, () => 1),
  ];
}

const LATENCY_BUCKETS = [
  '0.01',
  '0.05',
  '0.1',
  '0.5',
  '1',
  '2.5',
  '5',
  '10',
  '+Inf',
];

/** Share of requests at or below `bound` seconds: healthy ones take ~50 ms, slow ones ~4 s. */
function latencyShare(bound: number, slow: boolean): number {
  if (slow) {
    if (bound >= 5) return 1;
    if (bound >= 2.5) return 0.3;
    return 0.05;
  }
  if (bound >= 0.1) return 1;
  if (bound >= 0.05) return 0.9;
  return 0.2;
}

function receiveModels(
  fault: ReceiveFault,
  t0: number,
  job: string,
  replicas: number,
): Model[] {
  const models: Model[] = [];
  const counter = (rate: number) => (t: number) => Math.max(0, rate * (t - t0));
  for (let r = 0; r < replicas; r++) {
    const base = {
      job,
      instance: `thanos-receive-${r}:10902`,
      namespace: 'monitoring',
    };
    const m = (
      name: string,
      labels: Record<string, string>,
      value: (t: number) => number,
    ) => models.push({ labels: { __name__: name, ...base, ...labels }, value });
    m('up', {}, () => 1);
    const ok = 60;
    const errors = fault === 'http-errors' ? 12 : 0;
    m(
      'http_requests_total',
      { handler: 'receive', code: '200', method: 'post' },
      counter(ok),
    );
    m(
      'http_requests_total',
      { handler: 'receive', code: '500', method: 'post' },
      counter(errors),
    );
    m(
      'http_requests_total',
      { handler: 'receive', code: '409', method: 'post' },
      counter(0.2),
    );
    // Cumulative histogram: healthy requests take ~50 ms, slow ones ~4 s.
    const slow = fault === 'slow';
    for (const le of LATENCY_BUCKETS) {
      const bound = le === '+Inf' ? Infinity : Number(le);
      const share = latencyShare(bound, slow);
      m(
        'http_request_duration_seconds_bucket',
        { handler: 'receive', method: 'post', code: '200', le },
        counter((ok + errors) * share),
      );
    }
    m(
      'http_request_duration_seconds_count',
      { handler: 'receive', method: 'post', code: '200' },
      counter(ok + errors),
    );
    const replErr = fault === 'replication-failures' ? 30 : 0;
    m('thanos_receive_replications_total', { result: 'success' }, counter(120));
    m(
      'thanos_receive_replications_total',
      { result: 'error' },
      counter(replErr),
    );
    const fwdErr = fault === 'forward-failures' ? 25 : 0;
    m(
      'thanos_receive_forward_requests_total',
      { result: 'success' },
      counter(100),
    );
    m(
      'thanos_receive_forward_requests_total',
      { result: 'error' },
      counter(fwdErr),
    );
    m(
      'thanos_receive_hashrings_file_errors_total',
      {},
      counter(fault === 'hashring-file-errors' ? 0.2 : 0),
    );
    m('thanos_receive_hashrings_file_refreshes_total', {}, counter(1 / 300));
    m('thanos_receive_config_last_reload_successful', {}, () =>
      fault === 'config-reload-failed' ? 0 : 1,
    );
    m(
      'thanos_receive_head_series_limited_requests_total',
      { tenant: 'default-tenant' },
      counter(fault === 'head-series-limited' ? 3 : 0),
    );
    m('thanos_receive_replication_factor', {}, () => 3);
    m('thanos_receive_hashring_nodes', { name: 'default' }, () => replicas);
    m('thanos_receive_hashring_tenants', { name: 'default' }, () => 1);
  }
  return models;
}

function serviceModels(s: SimulatedService): Model[] {
  const models: Model[] = [];
  const targets = s.targets ?? 2;
  for (const cluster of s.clusters) {
    for (let i = 0; i < targets; i++) {
      const base = {
        cluster,
        job: s.job,
        namespace: s.namespace,
        instance: `${s.job}-${i}:8080`,
      };
      const isDown = i < (s.down ?? 0);
      models.push({
        labels: { __name__: 'up', ...base },
        value: () => (isDown ? 0 : 1),
      });
      models.push({
        labels: { __name__: 'http_requests_total', ...base, code: '200' },
        value: t => 5 * t,
      });
      models.push({
        labels: { __name__: 'process_resident_memory_bytes', ...base },
        value: () => 64e6,
      });
    }
  }
  return models;
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return Math.abs(h);
}

export interface SimulatorOptions {
  /** remote-write URL of the central store, e.g. http://127.0.0.1:19090/api/v1/write */
  writeUrl: string;
  clusters?: SimulatedCluster[];
  receive?: { fault: ReceiveFault; job?: string; replicas?: number };
  services?: SimulatedService[];
  /** Seconds between samples. */
  stepSeconds?: number;
  /** How far back the first write goes. */
  historySeconds?: number;
}

/**
 * Writes history for every model once, then (with `tick`) one new sample per model. Keeps the
 * per-series position so samples are always appended in order, as a real sender does.
 */
export class FleetSimulator {
  private models: Model[] = [];
  private lastWritten = 0;
  private wroteHistory = false;
  private timer?: NodeJS.Timeout;
  readonly step: number;
  readonly t0: number;

  constructor(private readonly options: SimulatorOptions) {
    this.step = options.stepSeconds ?? 15;
    const now = Math.floor(Date.now() / 1000);
    const history = options.historySeconds ?? 600;
    this.t0 = now - history - 3600;
    // Silent clusters stopped sending 40 minutes ago: inside the 1 h inventory window, outside 5 m.
    const silentSince = now - 40 * 60;
    for (const c of options.clusters ?? [])
      this.models.push(...clusterModels(c, this.t0, silentSince));
    if (options.receive) {
      this.models.push(
        ...receiveModels(
          options.receive.fault,
          this.t0,
          options.receive.job ?? 'thanos-receive',
          options.receive.replicas ?? 3,
        ),
      );
    }
    for (const s of options.services ?? [])
      this.models.push(...serviceModels(s));
    this.lastWritten = now - history - this.step;
  }

  get seriesCount(): number {
    return this.models.length;
  }

  /** Writes every sample from the last written one up to now. */
  async writeUntilNow(): Promise<{ requests: number; samples: number }> {
    const now = Math.floor(Date.now() / 1000);
    const from = this.lastWritten + this.step;
    if (from > now) return { requests: 0, samples: 0 };
    const timestamps: number[] = [];
    for (let t = from; t <= now; t += this.step) timestamps.push(t);
    const series: Timeseries[] = this.models.map(m => ({
      labels: m.labels,
      // Silent clusters get no live samples, only their history before they went quiet.
      samples:
        m.until === undefined
          ? timestamps.map(t => ({ value: m.value(t), timestamp: t * 1000 }))
          : [],
    }));
    if (!this.wroteHistory) {
      // Silent clusters' last minutes before they went quiet.
      for (const m of this.models) {
        if (m.until === undefined) continue;
        const samples = [];
        for (let t = m.until - 300; t <= m.until; t += this.step) {
          samples.push({ value: m.value(t), timestamp: t * 1000 });
        }
        series.push({ labels: m.labels, samples });
      }
      this.wroteHistory = true;
    }
    const result = await writeSeries(this.options.writeUrl, series);
    this.lastWritten = timestamps[timestamps.length - 1];
    return result;
  }

  /** Keeps writing new samples every step (for the dev app). */
  startTicking(onError: (e: unknown) => void = () => {}): void {
    this.timer = setInterval(() => {
      this.writeUntilNow().catch(onError);
    }, this.step * 1000);
    this.timer.unref();
  }

  stopTicking(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
