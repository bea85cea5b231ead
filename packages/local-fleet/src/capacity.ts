import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { centralConfig, PrometheusProcess } from './prometheus';
import { receiverName } from './replication';

/**
 * Capacity of the central receivers as Thanos, the kubelet's cAdvisor and kube-state-metrics emit it
 * (plugins/monitoring-common/src/upstreamMetrics.ts): per-tenant head series on each receiver
 * (`prometheus_tsdb_head_series{tenant}`, one TSDB per tenant), the tenants' head-series limits
 * (`thanos_receive_head_series_limit{tenant}`, `tenant=""` for the default), each receiver's working
 * set (`container_memory_working_set_bytes`, with the pod-level `container=""` series cAdvisor also
 * emits) and its memory limit (`kube_pod_container_resource_limits{resource="memory",unit="byte"}`).
 *
 * Every series is a function of time, so the same scenario feeds the live simulator (remote write,
 * the last hour) and a backfilled store (`startCapacityStore`: days of history through
 * `promtool tsdb create-blocks-from openmetrics`).
 */

/** One tenant: its unique (deduplicated) series over time, and its head-series limit if it has one. */
export interface CapacityTenant {
  tenant: string;
  /** Unique series of the tenant at unix second t (each lives on `factor` receivers). */
  series: (t: number) => number;
  /** Its own limit in the limits file (compared with the sum over receivers, copies included). */
  limit?: number;
}

/** A receiver restart: no scrape while down, then its head (and memory) refill as series are re-sent. */
export interface CapacityRestart {
  receiver: number;
  /** Unix seconds the process stopped. */
  at: number;
  downSeconds: number;
  /** Seconds until the head is back to its share once it is up again. */
  recoverSeconds: number;
}

export interface CapacityScenario {
  tenants: CapacityTenant[];
  /** Receivers in the hashring (default 3). */
  receivers?: number;
  /** Replication factor (default 3). */
  factor?: number;
  /** Receivers that are down: nothing is scraped from them. */
  down?: number[];
  /** write.default.head_series_limit (exported as tenant=""); 0 or absent = no default limit. */
  defaultLimit?: number;
  namespace?: string;
  job?: string;
  memory?: {
    /** Working set of an empty receiver. */
    baseBytes: number;
    /** Working set per head series it holds. */
    bytesPerSeries: number;
    /** The container's memory limit, one for all or per receiver. */
    limitBytes: number | number[];
    /** Extra growth, bytes per second, by receiver index (a receiver growing toward its limit). */
    growthPerSecond?: Record<number, number>;
    /** Unix second the extra growth starts from. */
    growthFrom?: number;
  };
  restarts?: CapacityRestart[];
  /**
   * Tenants over their limit: the receivers answer their writes with 429 and count them in
   * `thanos_receive_head_series_limited_requests_total{tenant}` (requests/s over all receivers). The
   * counter starts at `countersFrom` and again at 0 when its receiver restarts.
   */
  limited?: Array<{ tenant: string; perSecond: number }>;
  /** Unix second the receivers' counters start from (default: the first sample). */
  countersFrom?: number;
  /** Clusters and the tenant their agent writes as: emitted as the agent's newest-timestamp gauge with `tenant_id`. */
  clusters?: Array<{ cluster: string; tenant: string }>;
}

/** A series of the scenario; `value` is NaN while nothing is scraped. */
export interface CapacitySeries {
  labels: Record<string, string>;
  value: (t: number) => number;
  /** Its own sample times (unix s), instead of the backfill's grid (a copy of recorded samples). */
  times?: readonly number[];
}

const CONTAINER = 'thanos-receive';

/** Share of a receiver's head it holds at t after restarts: NaN while down, 0..1 while refilling. */
function restartFactor(
  restarts: CapacityRestart[],
  receiver: number,
  t: number,
): number {
  let f = 1;
  for (const r of restarts) {
    if (r.receiver !== receiver || t < r.at) continue;
    const up = r.at + r.downSeconds;
    if (t < up) return NaN;
    if (t < up + r.recoverSeconds) f = Math.min(f, (t - up) / r.recoverSeconds);
  }
  return f;
}

/** When the receiver's process last started (its counters' zero), or undefined before any restart. */
function lastStart(
  restarts: CapacityRestart[],
  receiver: number,
  t: number,
): number | undefined {
  let last: number | undefined;
  for (const r of restarts)
    if (r.receiver === receiver && r.at + r.downSeconds <= t)
      last = Math.max(last ?? -Infinity, r.at + r.downSeconds);
  return last;
}

/** Every series the scenario's receivers, kubelets and kube-state-metrics expose. */
export function capacitySeries(s: CapacityScenario): CapacitySeries[] {
  const n = s.receivers ?? 3;
  const factor = Math.min(s.factor ?? 3, n);
  const namespace = s.namespace ?? 'monitoring';
  const job = s.job ?? 'thanos-receive';
  const restarts = s.restarts ?? [];
  const out: CapacitySeries[] = [];
  // The hashring spreads each series over `factor` of the `n` receivers: each holds factor/n of it.
  const headOf = (r: number, tenant: CapacityTenant, t: number) =>
    Math.round((tenant.series(t) * factor) / n) * restartFactor(restarts, r, t);
  for (let r = 0; r < n; r++) {
    if (s.down?.includes(r)) continue;
    const pod = receiverName(r);
    const own = { job, namespace, pod, instance: `${pod}:10902` };
    for (const tenant of s.tenants) {
      out.push({
        labels: {
          __name__: 'prometheus_tsdb_head_series',
          ...own,
          tenant: tenant.tenant,
        },
        value: t => headOf(r, tenant, t),
      });
    }
    // Router-ingestor receivers export the limits they load: the default as tenant="", then each
    // tenant listed in the limits file.
    const limits = s.tenants.filter(t => t.limit !== undefined);
    if (s.defaultLimit || limits.length > 0) {
      out.push({
        labels: {
          __name__: 'thanos_receive_head_series_limit',
          ...own,
          tenant: '',
        },
        value: () => s.defaultLimit ?? 0,
      });
      for (const tenant of limits)
        out.push({
          labels: {
            __name__: 'thanos_receive_head_series_limit',
            ...own,
            tenant: tenant.tenant,
          },
          value: () => tenant.limit!,
        });
    }
    for (const l of s.limited ?? []) {
      out.push({
        labels: {
          __name__: 'thanos_receive_head_series_limited_requests_total',
          ...own,
          tenant: l.tenant,
        },
        value: t => {
          if (Number.isNaN(restartFactor(restarts, r, t))) return NaN;
          const from = lastStart(restarts, r, t) ?? s.countersFrom ?? 0;
          return Math.round((l.perSecond / n) * Math.max(0, t - from));
        },
      });
    }
    const up = (v: number) => (t: number) =>
      Number.isNaN(restartFactor(restarts, r, t)) ? NaN : v;
    out.push(
      {
        labels: { __name__: 'thanos_receive_replication_factor', ...own },
        value: up(factor),
      },
      {
        labels: {
          __name__: 'thanos_receive_hashring_nodes',
          ...own,
          name: 'default',
        },
        value: up(n),
      },
    );
    const mem = s.memory;
    if (!mem) continue;
    const uid = `0000000${r}-aaaa-bbbb-cccc-dddddddddddd`;
    const workingSet = (t: number) => {
      const f = restartFactor(restarts, r, t);
      if (Number.isNaN(f)) return NaN;
      const head = s.tenants.reduce((sum, x) => sum + headOf(r, x, t), 0);
      const growth =
        (mem.growthPerSecond?.[r] ?? 0) *
        Math.max(0, t - (mem.growthFrom ?? t));
      return Math.round(mem.baseBytes + mem.bytesPerSeries * head + growth * f);
    };
    // cAdvisor through the kubelet: the container's cgroup and the pod's (container="").
    const kubelet = {
      job: 'kubelet',
      instance: `10.0.0.${r + 1}:10250`,
      namespace,
      pod,
    };
    const cgroup = `/kubepods/burstable/pod${uid}`;
    out.push(
      {
        labels: {
          __name__: 'container_memory_working_set_bytes',
          ...kubelet,
          container: CONTAINER,
          id: `${cgroup}/c0ffee${r}`,
          image: 'quay.io/thanos/thanos:v0.35.1',
          name: `c0ffee${r}`,
        },
        value: workingSet,
      },
      {
        labels: {
          __name__: 'container_memory_working_set_bytes',
          ...kubelet,
          container: '',
          id: cgroup,
          image: '',
          name: '',
        },
        value: t => workingSet(t) + 2_000_000,
      },
    );
    const limit = Array.isArray(mem.limitBytes)
      ? mem.limitBytes[r]
      : mem.limitBytes;
    const ksm = {
      job: 'kube-state-metrics',
      instance: '10.0.0.100:8080',
      namespace,
      pod,
      uid,
      container: CONTAINER,
      node: `node-${r}`,
    };
    out.push(
      {
        labels: {
          __name__: 'kube_pod_container_resource_limits',
          ...ksm,
          resource: 'memory',
          unit: 'byte',
        },
        value: () => limit,
      },
      {
        labels: {
          __name__: 'kube_pod_container_resource_limits',
          ...ksm,
          resource: 'cpu',
          unit: 'core',
        },
        value: () => 2,
      },
    );
  }
  for (const c of s.clusters ?? []) {
    out.push({
      labels: {
        __name__: 'prometheus_remote_storage_highest_timestamp_in_seconds',
        cluster: c.cluster,
        job: 'prometheus-agent',
        instance: 'prometheus-agent-0',
        tenant_id: c.tenant,
      },
      value: t => t,
    });
  }
  return out;
}

/** The scenario as OpenMetrics text with timestamps, one family after the other. */
export function capacityOpenMetrics(
  series: CapacitySeries[],
  opts: CapacityStoreOptions,
): string {
  return [...openMetricsLines(series, opts), ''].join('\n');
}

/**
 * The same text line by line, family after family, so a large backfill (thousands of tenants) is
 * written to its file without ever being one string.
 */
export function* openMetricsLines(
  series: CapacitySeries[],
  opts: CapacityStoreOptions,
): Generator<string> {
  const times: number[] = [];
  const fineFrom = opts.fine ? opts.end - opts.fine.lastSeconds : Infinity;
  for (
    let t = opts.start;
    t < Math.min(fineFrom, opts.end + 1);
    t += opts.stepSeconds
  )
    times.push(t);
  if (opts.fine)
    for (let t = fineFrom; t <= opts.end; t += opts.fine.stepSeconds)
      times.push(t);
  const families = new Map<string, CapacitySeries[]>();
  for (const s of series) {
    const name = s.labels.__name__;
    const list = families.get(name) ?? [];
    list.push(s);
    families.set(name, list);
  }
  for (const [name, members] of families) {
    yield `# TYPE ${name} gauge`;
    for (const s of members) {
      const labels = Object.entries(s.labels)
        .filter(([k]) => k !== '__name__')
        .map(
          ([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`,
        )
        .join(',');
      for (const t of s.times ?? times) {
        const v = s.value(t);
        // OpenMetrics spells infinities +Inf/-Inf (JavaScript prints Infinity).
        const text = String(v)
          .replace('Infinity', 'Inf')
          .replace(/^Inf/, '+Inf');
        if (!Number.isNaN(v)) yield `${name}{${labels}} ${text} ${t}`;
      }
    }
  }
  yield '# EOF';
}

/** Writes openMetricsLines to `file` in chunks. */
function writeOpenMetrics(
  file: string,
  series: CapacitySeries[],
  opts: CapacityStoreOptions,
): void {
  const fd = fs.openSync(file, 'w');
  try {
    let chunk: string[] = [];
    for (const line of openMetricsLines(series, opts)) {
      chunk.push(line);
      if (chunk.length >= 10_000) {
        fs.writeSync(fd, `${chunk.join('\n')}\n`);
        chunk = [];
      }
    }
    fs.writeSync(fd, `${chunk.join('\n')}\n`);
  } finally {
    fs.closeSync(fd);
  }
}

/** The time range of a backfill: one sample per step, and a finer step over the last stretch. */
export interface CapacityStoreOptions {
  start: number;
  end: number;
  stepSeconds: number;
  /** A scrape-like step over the last seconds (rate() over 5m needs samples 30 s apart). */
  fine?: { lastSeconds: number; stepSeconds: number };
  /** More flags for the store's Prometheus (e.g. a benchmark's store that must not compact). */
  storeArgs?: string[];
}

/**
 * A real Prometheus holding the scenario from `start` to `end`, backfilled with promtool: days of
 * history a test can forecast from. `end` should be close to now, or instant queries find nothing.
 */
export async function startCapacityStore(
  scenario: CapacityScenario,
  opts: CapacityStoreOptions,
): Promise<PrometheusProcess> {
  return startBackfilledStore('capacity', capacitySeries(scenario), opts);
}

/** A real Prometheus holding `series` from `start` to `end` (promtool blocks; its head is empty). */
export async function startBackfilledStore(
  name: string,
  series: CapacitySeries[],
  opts: CapacityStoreOptions,
): Promise<PrometheusProcess> {
  const store = new PrometheusProcess({
    name,
    mode: 'central',
    config: centralConfig(`${opts.stepSeconds}s`),
    extraArgs: opts.storeArgs,
  });
  const file = path.join(store.dir, `${name}.om`);
  writeOpenMetrics(file, series, opts);
  execFileSync(
    process.env.PROMTOOL_BIN ?? 'promtool',
    [
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      file,
      path.join(store.dir, 'data'),
    ],
    { stdio: 'pipe' },
  );
  fs.rmSync(file);
  await store.start();
  return store;
}
