import {
  UPSTREAM_METRICS,
  upstreamFamilyOf,
  upstreamLabelAllowed,
} from '@fleet-monitoring/plugin-monitoring-common';
import { demoCapacity, demoKubernetes, DEMO_DOWN_RECEIVER } from './demo';
import { ThanosReceiveFake } from './fakes/thanosReceive';
import { writeSeries, Timeseries } from './remoteWrite';
import { Batch, ReplicatedSink, SeriesSink } from './replication';
import {
  ClusterFault,
  FleetSimulator,
  ReceiveFault,
  SimulatorOptions,
} from './simulator';

/**
 * The simulator and the fakes emit only what plugins/monitoring-common/src/upstreamMetrics.ts says
 * upstream emits, with its labels and its counting rules.
 */

const CLUSTER_FAULTS: ClusterFault[] = [
  'healthy',
  'lagging',
  'lagging-heavily',
  'failing',
  'retrying',
  'dropping',
  'shards-maxed',
  'silent',
  'silent-2h',
  'silent-2d',
  'second-queue-broken',
  'tenant-over-limit',
];
const RECEIVE_FAULTS: ReceiveFault[] = [
  'healthy',
  'http-errors',
  'slow',
  'replication-failures',
  'forward-failures',
  'hashring-file-errors',
  'config-reload-failed',
  'head-series-limited',
  'no-upload',
];
/** Jobs of SimulatedService: stand-ins for a user's own application, not upstream components. */
const APP_JOBS = new Set(['checkout']);

class CapturingSink implements SeriesSink {
  readonly series: Timeseries[] = [];
  async write(batches: Batch[]) {
    for (const b of batches) this.series.push(...b.series);
    return { requests: batches.length, samples: 0 };
  }
}

async function simulate(
  options: Omit<SimulatorOptions, 'sink'>,
): Promise<Timeseries[]> {
  const sink = new CapturingSink();
  await new FleetSimulator({
    sink,
    stepSeconds: 60,
    historySeconds: 600,
    ...options,
  }).writeUntilNow();
  return sink.series;
}

/** name -> value at the newest sample, for series whose labels include `match`. */
function newest(
  series: Timeseries[],
  name: string,
  match: Record<string, string> = {},
): number[] {
  return series
    .filter(
      s =>
        s.labels.__name__ === name &&
        Object.entries(match).every(([k, v]) => s.labels[k] === v),
    )
    .map(s => s.samples[s.samples.length - 1].value);
}

function offTable(series: Array<Record<string, string>>): string[] {
  const problems = new Set<string>();
  for (const labels of series) {
    const name = labels.__name__;
    if (!upstreamFamilyOf(name)) {
      problems.add(`${name}: not in the table`);
      continue;
    }
    for (const l of Object.keys(labels))
      if (!upstreamLabelAllowed(name, l))
        problems.add(`${name}: label ${l} not in the table`);
  }
  return [...problems].sort();
}

describe('the simulator emits only what the upstream metrics table says', () => {
  it('every metric name and label, for every cluster and receive fault', async () => {
    const all: Timeseries[] = [];
    for (const fault of RECEIVE_FAULTS) {
      all.push(
        ...(await simulate({
          clusters: CLUSTER_FAULTS.map((f, i) => ({
            name: `c-${f}`,
            fault: f,
            version: i % 2 ? 3 : 2,
          })),
          receive: { fault, replicas: 3, down: [2] },
          services: [
            { job: 'checkout', namespace: 'shop', clusters: ['c-healthy'] },
          ],
          capacity: demoCapacity(),
        })),
      );
    }
    const upstream = all.filter(s => !APP_JOBS.has(s.labels.job));
    expect(upstream.length).toBeGreaterThan(100);
    expect(offTable(upstream.map(s => s.labels))).toEqual([]);
  });

  it('a refusing queue counts every attempt and still advances its sent timestamp', async () => {
    const series = await simulate({
      clusters: [{ name: 'c', fault: 'second-queue-broken', version: 2 }],
    });
    const backup = { remote_name: 'backup' };
    const total = newest(
      series,
      'prometheus_remote_storage_samples_total',
      backup,
    )[0];
    const failed = newest(
      series,
      'prometheus_remote_storage_samples_failed_total',
      backup,
    )[0];
    expect(total).toBeGreaterThan(0);
    // Every attempt failed: failed equals attempts (delivered = total - failed = 0).
    expect(failed).toBeCloseTo(total, 6);
    const sent = newest(
      series,
      'prometheus_remote_storage_queue_highest_sent_timestamp_seconds',
      backup,
    )[0];
    expect(sent).toBeGreaterThan(Date.now() / 1000 - 120);
  });

  it('retries are attempts too: samples_total = input + retried', async () => {
    const [ok, retrying] = await Promise.all(
      (['healthy', 'retrying'] as ClusterFault[]).map(f =>
        simulate({ clusters: [{ name: 'same-name', fault: f, version: 2 }] }),
      ),
    );
    const total = (s: Timeseries[]) =>
      newest(s, 'prometheus_remote_storage_samples_total')[0];
    const retried = newest(
      retrying,
      'prometheus_remote_storage_samples_retried_total',
    )[0];
    expect(retried).toBeGreaterThan(0);
    expect(total(retrying)).toBeCloseTo(total(ok) + retried, 3);
  });

  it('dropped samples carry a reason, and only reasons that dropped something exist', async () => {
    const dropping = await simulate({
      clusters: [{ name: 'c', fault: 'dropping', version: 2 }],
    });
    const reasons = dropping
      .filter(
        s =>
          s.labels.__name__ ===
          'prometheus_remote_storage_samples_dropped_total',
      )
      .map(s => s.labels.reason)
      .sort();
    expect(reasons).toEqual(['dropped_series', 'too_old']);
    const healthy = await simulate({
      clusters: [{ name: 'c', fault: 'healthy', version: 2 }],
    });
    expect(
      newest(healthy, 'prometheus_remote_storage_samples_dropped_total'),
    ).toEqual([]);
  });

  it('a tenant over its head-series limit is counted in limited requests, never as write_samples 429, with no 2xx after', async () => {
    const series = await simulate({
      clusters: [{ name: 'over', fault: 'tenant-over-limit' }],
    });
    expect(
      series.filter(
        s =>
          s.labels.__name__ === 'thanos_receive_write_samples_sum' &&
          s.labels.code === '429',
      ),
    ).toEqual([]);
    expect(
      newest(series, 'thanos_receive_head_series_limited_requests_total', {
        tenant: 'over',
      })[0],
    ).toBeGreaterThan(0);
    // Accepted samples stop growing once the limit is hit (30 min ago).
    const accepted = series.find(
      s =>
        s.labels.__name__ === 'thanos_receive_write_samples_sum' &&
        s.labels.code === '200',
    )!;
    const values = accepted.samples.map(s => s.value);
    expect(new Set(values).size).toBe(1);
  });

  it('receivers report thanos_build_info{version} and uploads per tenant they hold', async () => {
    const series = await simulate({
      clusters: [
        { name: 'a', fault: 'healthy' },
        { name: 'b', fault: 'healthy' },
      ],
      receive: { fault: 'healthy', replicas: 3, factor: 3, version: '0.42.4' },
    });
    const build = series.filter(s => s.labels.__name__ === 'thanos_build_info');
    expect(build.map(s => s.labels.version)).toEqual([
      '0.42.4',
      '0.42.4',
      '0.42.4',
    ]);
    const uploads = series.filter(
      s => s.labels.__name__ === 'thanos_shipper_uploads_total',
    );
    // RF 3 of 3 receivers: every receiver holds every tenant (default-tenant, a, b).
    expect(uploads).toHaveLength(9);
    expect(new Set(uploads.map(s => s.labels.tenant))).toEqual(
      new Set(['default-tenant', 'a', 'b']),
    );
    // config-reload-failed is what Thanos shows for a file that does not parse: errors, gauge 1.
    const reload = await simulate({
      receive: { fault: 'config-reload-failed', replicas: 1 },
    });
    expect(
      newest(reload, 'thanos_receive_config_last_reload_successful'),
    ).toEqual([1]);
    expect(
      newest(reload, 'thanos_receive_hashrings_file_errors_total')[0],
    ).toBeGreaterThan(0);
  });
});

/** A ReplicatedSink that stores nothing: the receive fake's own metrics are under test. */
class NullReplicatedSink extends ReplicatedSink {
  async write() {
    return { requests: 0, samples: 0 };
  }
}

function parseExposition(text: string): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? \S+$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = { __name__: m[1] };
    for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[k] = v;
    out.push(labels);
  }
  return out;
}

describe('the Thanos Receive fake emits only what the table says', () => {
  let fake: ThanosReceiveFake;
  beforeAll(async () => {
    fake = new ThanosReceiveFake({
      sink: new NullReplicatedSink('http://unused', 'http://unused', {
        factor: 1,
        receivers: 1,
      }),
      headSeriesLimits: { limited: 2 },
      version: '0.42.4',
    });
    await fake.start();
  });
  afterAll(() => fake.stop());

  const series = (name: string, n: number): Timeseries[] =>
    Array.from({ length: n }, (_, i) => ({
      labels: { __name__: `app_metric_${i}`, job: name },
      samples: [{ value: 1, timestamp: Date.now() }],
    }));

  it('answers 429 at the head-series limit and counts it only as a limited request', async () => {
    await writeSeries(fake.writeUrl, series('ok', 3), {
      'THANOS-TENANT': 'fine',
    });
    await writeSeries(fake.writeUrl, series('a', 2), {
      'THANOS-TENANT': 'limited',
    });
    await expect(
      writeSeries(fake.writeUrl, series('a', 2), {
        'THANOS-TENANT': 'limited',
      }),
    ).rejects.toThrow(/429 .*tenant is above active series limit/);
    const text = await (await fetch(`${fake.url}/receivers/0/metrics`)).text();
    const metrics = parseExposition(text);
    expect(offTable(metrics)).toEqual([]);
    expect(text).toContain(
      'thanos_receive_head_series_limited_requests_total{tenant="limited"} 1',
    );
    expect(text).not.toMatch(
      /thanos_receive_write_samples_\w+\{[^}]*code="429"/,
    );
    expect(text).toContain(
      'thanos_receive_write_samples_sum{tenant="limited",code="200"} 2',
    );
    expect(text).toContain(
      'http_requests_total{code="429",handler="receive",method="post"} 1',
    );
    expect(text).toContain('version="0.42.4"');
    // Replication factor 1 is reported as 1, never 0.
    expect(text).toContain('thanos_receive_replication_factor 1\n');
    expect(Object.keys(UPSTREAM_METRICS)).toContain('thanos_build_info');
  });
});

describe('the demo tells one story across the fakes', () => {
  it('the receiver that is down in the metrics is not Ready in Kubernetes, the others are', async () => {
    const k8s = demoKubernetes();
    await k8s.start();
    try {
      const token = 'demo-kubernetes-token';
      const res = await fetch(
        `${k8s.url}/api/v1/namespaces/monitoring/pods?labelSelector=${encodeURIComponent('app.kubernetes.io/name=thanos-receive')}`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      expect(res.status).toBe(200);
      const pods = (await res.json()).items as Array<{
        metadata: { name: string };
        status: {
          conditions: Array<{ type: string; status: string }>;
          containerStatuses: Array<{
            restartCount: number;
            state: { waiting?: { reason?: string } };
          }>;
        };
      }>;
      const ready = Object.fromEntries(
        pods.map(p => [
          p.metadata.name,
          p.status.conditions.find(c => c.type === 'Ready')?.status,
        ]),
      );
      expect(ready).toEqual({
        'thanos-receive-0': 'True',
        'thanos-receive-1': 'True',
        [`thanos-receive-${DEMO_DOWN_RECEIVER}`]: 'False',
      });
      const down = pods.find(
        p => p.metadata.name === `thanos-receive-${DEMO_DOWN_RECEIVER}`,
      )!;
      expect(down.status.containerStatuses[0].state.waiting?.reason).toBe(
        'CrashLoopBackOff',
      );
      expect(down.status.containerStatuses[0].restartCount).toBeGreaterThan(0);
    } finally {
      await k8s.stop();
    }
  });
});
