import { demoCapacity, DEMO_DOWN_RECEIVER } from './demo';
import {
  capacityOpenMetrics,
  capacitySeries,
  CapacityScenario,
} from './capacity';

const T0 = 1_800_000_000;
const scenario: CapacityScenario = {
  receivers: 4,
  factor: 2,
  tenants: [
    { tenant: 'a', series: t => 1_000 + (t - T0), limit: 5_000 },
    { tenant: 'b', series: () => 400 },
  ],
  memory: { baseBytes: 100, bytesPerSeries: 10, limitBytes: 1e6 },
  restarts: [
    { receiver: 1, at: T0 + 100, downSeconds: 50, recoverSeconds: 100 },
  ],
};

const find = (name: string, labels: Record<string, string>) =>
  capacitySeries(scenario).filter(
    s =>
      s.labels.__name__ === name &&
      Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );

describe('the capacity scenario', () => {
  it('spreads each tenant over the receivers with its replication factor', () => {
    const heads = find('prometheus_tsdb_head_series', { tenant: 'a' });
    expect(heads).toHaveLength(4);
    // 1,000 unique series, each on 2 of 4 receivers: 500 per receiver, 2,000 summed.
    expect(heads.reduce((s, h) => s + h.value(T0), 0)).toBe(2_000);
  });

  it('a restarted receiver is absent while down, then refills its head', () => {
    const [r1] = find('prometheus_tsdb_head_series', {
      tenant: 'b',
      pod: 'thanos-receive-1',
    });
    expect(r1.value(T0 + 99)).toBe(200);
    expect(r1.value(T0 + 120)).toBeNaN();
    expect(r1.value(T0 + 200)).toBe(100);
    expect(r1.value(T0 + 300)).toBe(200);
  });

  it('exports the limits as Receive does: tenant="" for the default, listed tenants with their own', () => {
    const limits = find('thanos_receive_head_series_limit', {
      pod: 'thanos-receive-0',
    }).map(s => [s.labels.tenant, s.value(T0)]);
    expect(limits).toEqual([
      ['', 0],
      ['a', 5_000],
    ]);
  });

  it('emits the pod cgroup (container="") next to the container, and a cpu limit next to memory', () => {
    const ws = find('container_memory_working_set_bytes', {
      pod: 'thanos-receive-0',
    });
    expect(ws.map(s => s.labels.container).sort()).toEqual([
      '',
      'thanos-receive',
    ]);
    const container = ws.find(s => s.labels.container)!;
    // 100 + 10 bytes x (500 + 200 series).
    expect(container.value(T0)).toBe(7_100);
    expect(
      find('kube_pod_container_resource_limits', { pod: 'thanos-receive-0' })
        .map(s => `${s.labels.resource}/${s.labels.unit}`)
        .sort(),
    ).toEqual(['cpu/core', 'memory/byte']);
  });

  it('writes OpenMetrics with one family after the other and no sample while down', () => {
    const text = capacityOpenMetrics(
      find('prometheus_tsdb_head_series', { pod: 'thanos-receive-1' }),
      { start: T0, end: T0 + 300, stepSeconds: 60 },
    );
    const lines = text.split('\n');
    expect(lines[0]).toBe('# TYPE prometheus_tsdb_head_series gauge');
    expect(text.trimEnd().endsWith('# EOF')).toBe(true);
    // t = 120 is inside the restart: 6 steps minus 1, for 2 tenants.
    expect(lines.filter(l => l.startsWith('prometheus_'))).toHaveLength(10);
  });
});

describe("the demo's capacity story", () => {
  const now = 1_800_000_000;
  const series = capacitySeries(demoCapacity(now));
  const value = (name: string, labels: Record<string, string>, t = now) =>
    series
      .filter(
        s =>
          s.labels.__name__ === name &&
          Object.entries(labels).every(([k, v]) => s.labels[k] === v),
      )
      .map(s => s.value(t));

  it("tells the Kubernetes view's story: thanos-receive-1 at 1916Mi of 2Gi, reaching it in 3 days; the down receiver is silent", () => {
    const ws = (t: number) =>
      value(
        'container_memory_working_set_bytes',
        { pod: 'thanos-receive-1', container: 'thanos-receive' },
        t,
      )[0];
    expect(ws(now) / (1916 * 1024 ** 2)).toBeCloseTo(1, 3);
    // The tenant grows too, so the limit comes a little before 3 days.
    expect(ws(now + 3 * 86_400)).toBeGreaterThan(2 * 1024 ** 3);
    expect(ws(now + 2.5 * 86_400)).toBeLessThan(2 * 1024 ** 3);
    expect(
      value('prometheus_tsdb_head_series', {
        pod: `thanos-receive-${DEMO_DOWN_RECEIVER}`,
      }),
    ).toEqual([]);
  });

  it("cluster-02-edge's head series (two receivers answering) reach its limit in about 9 days", () => {
    const sum = (t: number) =>
      value(
        'prometheus_tsdb_head_series',
        { tenant: 'cluster-02-edge' },
        t,
      ).reduce((a, b) => a + b, 0);
    const [limit] = value('thanos_receive_head_series_limit', {
      pod: 'thanos-receive-0',
      tenant: 'cluster-02-edge',
    });
    expect(sum(now + 8.9 * 86_400)).toBeLessThan(limit);
    expect(sum(now + 9.1 * 86_400)).toBeGreaterThan(limit);
  });
});
