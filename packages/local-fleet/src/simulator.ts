import { capacitySeries, CapacityScenario } from './capacity';
import { Timeseries } from './remoteWrite';
import { Batch, plainSink, receiverName, SeriesSink } from './replication';

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
  /** Samples arrive 15 min late (past an instant query's lookback), with retries and failures. */
  | 'lagging-heavily'
  | 'failing'
  | 'retrying'
  | 'dropping'
  | 'shards-maxed'
  /** Silent for 40 min (inside the old 1 h inventory window). */
  | 'silent'
  /** Silent for 2 h: its last samples are the oldest in the store. */
  | 'silent-2h'
  /** Silent for 2 days: nothing in the store; only the receivers' tenant list (and the catalog) know it. */
  | 'silent-2d'
  /** A second remote_write queue (`backup`) fails every sample while the first is healthy. */
  | 'second-queue-broken'
  /** The tenant is above its head-series limit: Receive answers 429 for 30 min, nothing lands. */
  | 'tenant-over-limit';

export type ReceiveFault =
  | 'healthy'
  | 'http-errors'
  | 'slow'
  | 'replication-failures'
  | 'forward-failures'
  | 'hashring-file-errors'
  /**
   * A hashrings file that does not parse: Thanos counts it in hashrings_file_errors_total and keeps
   * thanos_receive_config_last_reload_successful at 1 (it is only ever set to 1).
   */
  | 'config-reload-failed'
  | 'head-series-limited'
  /** Running receivers upload no blocks (mixin ThanosReceiveNoUpload). */
  | 'no-upload';

export interface SimulatedCluster {
  name: string;
  fault: ClusterFault;
  /**
   * Prometheus major version of the agent: 2 stands for v2.50+ (dropped samples carry `reason`),
   * 3 for v3.7+ (adds the per-queue newest-sample gauge).
   */
  version?: 2 | 3;
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
  /** Seconds the samples arrive late (a lagging agent sends old samples). */
  delay?: number;
  /** Thanos tenant the series are written for. */
  tenant?: string;
  /** Last timestamp written (per series, so late and silent series append in order). */
  written?: number;
}

const HEAVY_LAG_SECONDS = 900;
const SILENCE: Partial<Record<ClusterFault, number>> = {
  silent: 40 * 60,
  'silent-2h': 2 * 3600,
  'tenant-over-limit': 30 * 60,
};

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
  // Every third agent runs Prometheus 3: the same fleet carries both versions' metric names.
  return Array.from({ length: count }, (_, i) => ({
    name: `${prefix}-${String(i + 1).padStart(width, '0')}`,
    fault: list[i] ?? 'healthy',
    version: i % 3 === 2 ? 3 : 2,
  }));
}

function clusterModels(c: SimulatedCluster, t0: number, now: number): Model[] {
  if (c.fault === 'silent-2d') return [];
  const base = {
    cluster: c.name,
    job: 'prometheus-agent',
    instance: 'prometheus-agent-0',
  };
  const sentRate = 800 + (hash(c.name) % 400);
  const silence = SILENCE[c.fault];
  const until = silence === undefined ? undefined : now - silence;
  const delay = c.fault === 'lagging-heavily' ? HEAVY_LAG_SECONDS : undefined;
  const counter = (rate: number) => (t: number) => Math.max(0, rate * (t - t0));
  const m = (
    name: string,
    labels: Record<string, string>,
    value: (t: number) => number,
  ): Model => ({
    labels: { __name__: name, ...labels },
    value,
    until,
    delay,
    tenant: c.name,
  });
  const queueModels = (
    remoteName: string,
    url: string,
    broken: boolean,
  ): Model[] => {
    const queue = { ...base, remote_name: remoteName, url };
    const f = c.fault;
    const LAG: Partial<Record<ClusterFault, number>> = {
      lagging: 420,
      'lagging-heavily': 60,
    };
    const FAILED_SHARE: Partial<Record<ClusterFault, number>> = {
      failing: 0.25,
      'lagging-heavily': 0.05,
    };
    const lag = LAG[f] ?? 1;
    const failedShare = broken ? 1 : (FAILED_SHARE[f] ?? 0);
    const retried = f === 'retrying' || f === 'lagging-heavily' ? 120 : 0;
    // Prometheus adds every send attempt to samples_total, failed and retried ones included
    // (upstreamMetrics.ts): a queue refusing everything still counts its whole input.
    const attempts = sentRate + retried;
    const models = [
      m('prometheus_remote_storage_samples_total', queue, counter(attempts)),
      m(
        'prometheus_remote_storage_samples_failed_total',
        queue,
        counter(sentRate * failedShare),
      ),
      m(
        'prometheus_remote_storage_samples_retried_total',
        queue,
        counter(retried),
      ),
      m('prometheus_remote_storage_samples_pending', queue, () =>
        f === 'retrying' || f === 'lagging-heavily' ? 25_000 : 40,
      ),
      // Set after every finished send, a non-recoverable error included: a refusing queue is not late.
      m(
        'prometheus_remote_storage_queue_highest_sent_timestamp_seconds',
        queue,
        t => t - lag,
      ),
      m('prometheus_remote_storage_shards', queue, () =>
        f === 'shards-maxed' ? 50 : 4,
      ),
      m('prometheus_remote_storage_shards_desired', queue, () =>
        f === 'shards-maxed' ? 83 : 3.2,
      ),
      m('prometheus_remote_storage_shards_max', queue, () => 50),
      m('prometheus_remote_storage_shards_min', queue, () => 1),
    ];
    // One series per reason, present only once that reason dropped something (a CounterVec).
    if (f === 'dropping') {
      models.push(
        m(
          'prometheus_remote_storage_samples_dropped_total',
          { ...queue, reason: 'too_old' },
          counter(10),
        ),
        m(
          'prometheus_remote_storage_samples_dropped_total',
          { ...queue, reason: 'dropped_series' },
          counter(5),
        ),
      );
    }
    if (c.version === 3)
      models.push(
        m(
          'prometheus_remote_storage_queue_highest_timestamp_seconds',
          queue,
          t => t,
        ),
      );
    return models;
  };
  const models = [
    m('up', base, () => 1),
    m('prometheus_remote_storage_highest_timestamp_in_seconds', base, t => t),
    ...queueModels('central', RW_URL, false),
  ];
  if (c.fault === 'second-queue-broken') {
    models.push(
      ...queueModels(
        'backup',
        'https://backup-receive.example.com/api/v1/receive',
        true,
      ),
    );
  }
  return models;
}

/**
 * What the receivers record about a cluster's tenant (`thanos_receive_write_samples_sum{tenant,code}`,
 * the histogram's sum = samples): the router receiver counts every request it handles. Samples keep
 * arriving for a lagging cluster; nothing new arrives for a silent one. A tenant over its head-series
 * limit is answered 429 before the request is handled: only
 * `thanos_receive_head_series_limited_requests_total{tenant}` counts it, never write_samples.
 */
function tenantModels(
  c: SimulatedCluster,
  t0: number,
  now: number,
  receivers: number,
): Model[] {
  if (c.fault === 'silent-2d') return [];
  const sentRate = 800 + (hash(c.name) % 400);
  const base = {
    job: 'thanos-receive',
    namespace: 'monitoring',
    instance: `${receiverName(hash(c.name) % receivers)}:10902`,
    tenant: c.name,
  };
  const silence = SILENCE[c.fault];
  const stop = silence === undefined ? undefined : now - silence;
  const grow =
    (rate: number, from = t0, to = Infinity) =>
    (t: number) =>
      Math.max(0, rate * (Math.min(t, to) - from));
  const models: Model[] = [];
  const add = (
    name: string,
    labels: Record<string, string>,
    value: (t: number) => number,
  ) =>
    models.push({
      labels: { __name__: name, ...base, ...labels },
      value,
      tenant: 'default-tenant',
    });
  if (c.fault === 'tenant-over-limit') {
    add(
      'thanos_receive_write_samples_sum',
      { code: '200' },
      grow(sentRate, t0, stop),
    );
    add(
      'thanos_receive_head_series_limited_requests_total',
      {},
      grow(2, stop!),
    );
  } else {
    add(
      'thanos_receive_write_samples_sum',
      { code: '200' },
      grow(sentRate, t0, stop),
    );
  }
  return models;
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
  down: number[] = [],
  factor = 3,
  tenants: string[] = [],
  version = '0.35.1',
): Model[] {
  const models: Model[] = [];
  // The receivers holding a tenant's TSDB: `factor` consecutive ones from its hash.
  const holders = (tenant: string) =>
    Array.from(
      { length: Math.min(factor, replicas) },
      (_, k) => (hash(tenant) + k) % replicas,
    );
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
    ) =>
      models.push({
        labels: { __name__: name, ...base, ...labels },
        value,
        tenant: 'default-tenant',
      });
    // A receiver that is down answers no scrape: only `up == 0` is recorded for it.
    if (down.includes(r)) {
      m('up', {}, () => 0);
      continue;
    }
    m('up', {}, () => 1);
    m(
      'thanos_build_info',
      {
        version,
        revision: 'simulated',
        branch: 'HEAD',
        goversion: 'go1.24.0',
        goos: 'linux',
        goarch: 'amd64',
        tags: 'netgo',
      },
      () => 1,
    );
    // Blocks are cut every 2 h in production; the simulated history is minutes long, so uploads are
    // spread over it (an upload every 5 min) to keep "uploads in the last 3 h" meaningful. Receive
    // runs one shipper per tenant TSDB, so the counter carries `tenant`.
    const uploads = (t: number) =>
      fault === 'no-upload' ? 0 : Math.floor((t - t0) / 300);
    for (const tenant of ['default-tenant', ...tenants]) {
      if (holders(tenant).includes(r))
        m('thanos_shipper_uploads_total', { tenant }, uploads);
    }
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
    // A head-series 429 is an HTTP answer like any other (it is only missing from write_samples).
    if (fault === 'head-series-limited')
      m(
        'http_requests_total',
        { handler: 'receive', code: '429', method: 'post' },
        counter(3),
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
    // A file that does not parse counts an error; the reload gauge is only ever set to 1.
    const fileErrors =
      fault === 'hashring-file-errors' || fault === 'config-reload-failed';
    m(
      'thanos_receive_hashrings_file_errors_total',
      {},
      counter(fileErrors ? 0.2 : 0),
    );
    m('thanos_receive_hashrings_file_refreshes_total', {}, counter(1 / 300));
    m('thanos_receive_config_last_reload_successful', {}, () => 1);
    m(
      'thanos_receive_head_series_limited_requests_total',
      { tenant: 'default-tenant' },
      counter(fault === 'head-series-limited' ? 3 : 0),
    );
    // --receive.replication-factor above 1, otherwise 1.
    m('thanos_receive_replication_factor', {}, () => Math.max(1, factor));
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
  /** remote-write URL of a plain central store, e.g. http://127.0.0.1:19090/api/v1/write */
  writeUrl?: string;
  /** Where series go instead (e.g. a ReplicatedSink: Thanos Receive with replication). */
  sink?: SeriesSink;
  clusters?: SimulatedCluster[];
  receive?: {
    fault: ReceiveFault;
    job?: string;
    replicas?: number;
    down?: number[];
    factor?: number;
    /** Thanos version the receivers report in thanos_build_info (default the image default, 0.35.1). */
    version?: string;
  };
  services?: SimulatedService[];
  /** Receivers' head series, limits and memory (capacity.ts), written as the meta-monitoring tenant. */
  capacity?: CapacityScenario;
  /** Seconds between samples. */
  stepSeconds?: number;
  /** How far back the first write goes (default 20 min). */
  historySeconds?: number;
}

/**
 * Writes history for every model once, then (with `tick`) new samples per model. Keeps a per-series
 * position so samples are always appended in order, as a real sender does, including series that
 * arrive late (lagging agents) or stop (silent ones).
 */
export class FleetSimulator {
  private models: Model[] = [];
  private timer?: NodeJS.Timeout;
  private ticking = false;
  private readonly sink: SeriesSink;
  readonly step: number;
  readonly t0: number;
  readonly clusters: SimulatedCluster[];

  constructor(options: SimulatorOptions) {
    if (!options.sink && !options.writeUrl)
      throw new Error('FleetSimulator needs writeUrl or sink');
    this.sink = options.sink ?? plainSink(options.writeUrl!);
    this.step = options.stepSeconds ?? 15;
    this.clusters = options.clusters ?? [];
    const now = Math.floor(Date.now() / 1000);
    // 20 min: longer than the health rules' default hold-down (three 5 m windows).
    const history = options.historySeconds ?? 1200;
    this.t0 = now - history - 3 * 3600;
    const receivers = options.receive?.replicas ?? 3;
    for (const c of this.clusters) {
      this.models.push(
        ...clusterModels(c, this.t0, now),
        ...tenantModels(c, this.t0, now, receivers),
      );
    }
    if (options.receive) {
      this.models.push(
        ...receiveModels(
          options.receive.fault,
          this.t0,
          options.receive.job ?? 'thanos-receive',
          receivers,
          options.receive.down,
          options.receive.factor,
          this.clusters.map(c => c.name),
          options.receive.version,
        ),
      );
    }
    for (const s of options.services ?? [])
      this.models.push(...serviceModels(s));
    if (options.capacity) {
      for (const c of capacitySeries(options.capacity)) {
        // receiveModels already exports the replication factor and the hashring's nodes.
        const name = c.labels.__name__;
        if (
          options.receive &&
          (name === 'thanos_receive_replication_factor' ||
            name === 'thanos_receive_hashring_nodes')
        )
          continue;
        this.models.push({
          ...c,
          tenant: name.startsWith('prometheus_remote_storage_')
            ? c.labels.tenant_id
            : 'default-tenant',
        });
      }
    }
    for (const m of this.models) {
      // Live series start with the history; silent ones with their last minutes before going quiet.
      const start =
        m.until !== undefined && m.until < now - history
          ? m.until - 300
          : now - history - (m.delay ?? 0);
      m.written = start - this.step;
    }
  }

  get seriesCount(): number {
    return this.models.length;
  }

  /** Tenants the simulated clusters write for (the receivers hold a TSDB for each). */
  get tenants(): string[] {
    return this.clusters.map(c => c.name);
  }

  /**
   * Writes every due sample of every series. The oldest samples go first, in their own requests: a
   * fresh Prometheus TSDB only accepts samples older than an hour before its newest one while its
   * head is still empty.
   */
  async writeUntilNow(): Promise<{ requests: number; samples: number }> {
    const now = Math.floor(Date.now() / 1000);
    // One batch per tenant, found by key: a linear search per series is quadratic in the fleet
    // (10,000 tenants x 150,000 series per tick) and starved the stores' CPU.
    const old = new Map<string | undefined, Batch>();
    const fresh = new Map<string | undefined, Batch>();
    const add = (
      list: Map<string | undefined, Batch>,
      tenant: string | undefined,
      ts: Timeseries,
    ) => {
      let b = list.get(tenant);
      if (!b) list.set(tenant, (b = { tenant, series: [] }));
      b.series.push(ts);
    };
    for (const m of this.models) {
      const last = Math.min(now - (m.delay ?? 0), m.until ?? Infinity);
      const samples = [];
      for (let t = m.written! + this.step; t <= last; t += this.step) {
        const value = m.value(t);
        // NaN: nothing scraped then (a restarting receiver of the capacity scenario).
        if (!Number.isNaN(value)) samples.push({ value, timestamp: t * 1000 });
        m.written = t;
      }
      if (samples.length === 0) continue;
      add(samples[0].timestamp < (now - 3000) * 1000 ? old : fresh, m.tenant, {
        labels: m.labels,
        samples,
      });
    }
    const a = await this.sink.write([...old.values()]);
    const b = await this.sink.write([...fresh.values()]);
    return {
      requests: a.requests + b.requests,
      samples: a.samples + b.samples,
    };
  }

  /**
   * Keeps writing new samples every step (for the dev app). A tick starts a step after the previous
   * one finished, never while it is still writing: with a large fleet a write can take longer than a
   * step, and overlapping writes would pile up (memory, CPU) and race on the per-series positions.
   */
  startTicking(onError: (e: unknown) => void = () => {}): void {
    this.ticking = true;
    const next = () => {
      if (!this.ticking) return;
      this.timer = setTimeout(() => {
        this.writeUntilNow().catch(onError).finally(next);
      }, this.step * 1000);
      this.timer.unref();
    };
    next();
  }

  stopTicking(): void {
    this.ticking = false;
    if (this.timer) clearTimeout(this.timer);
  }
}
