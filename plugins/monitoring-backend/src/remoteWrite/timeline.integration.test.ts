import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import {
  planTimeline,
  PrometheusProcess,
  QueuePoint,
  simulateQueue,
  startTimelineStore,
  ThanosQueryFake,
  TimelineClass,
  TimelineCluster,
} from '@fleet-monitoring/local-fleet';
import type {
  ClusterHealth,
  FleetSummary,
  HealthState,
} from '@fleet-monitoring/plugin-monitoring-common';
import request from 'supertest';
import { fleetMonitoringPlugin } from '../plugin';

jest.setTimeout(240_000);

/**
 * Item 1 of #19: one judgement over time. Generated timelines (break, worsen, repair, flap, outage,
 * an outage that never drains), seeded, three hours each, backfilled into a real Prometheus; the
 * backend's fleet summary is asked at many evaluation times along them (the Query fake pins the
 * time, the clock is set to it) and compared with an oracle: the Prometheus mixin's rules
 * (documentation/prometheus-mixin/alerts.libsonnet: PrometheusRemoteStorageFailures,
 * PrometheusRemoteWriteBehind, both critical, `for: 15m`; PrometheusRemoteWriteDesiredShards,
 * warning, `for: 15m`), their expressions evaluated by the same Prometheus as a rule evaluation
 * would (every scrape interval) and their `for:` applied here, plus the generator's ground truth
 * (broken, draining).
 */

const SCRAPE = 15;
const WINDOW = 300; // rateWindow 5m, as the mixin's rules
const FOR = 900; // the mixin's for: 15m (three rate windows)
const START = 1_767_225_600; // 2026-01-01T00:00:00Z, a multiple of every step used
const SECONDS = 3 * 3600;
const SEL = 'job="prometheus-agent"';

// Verbatim from the mixin (prometheusSelector = SEL), for Prometheus >= v2.23 and before.
const MIXIN = {
  failures: {
    critical: true,
    expr: `((rate(prometheus_remote_storage_failed_samples_total{${SEL}}[5m]) or rate(prometheus_remote_storage_samples_failed_total{${SEL}}[5m])) / ((rate(prometheus_remote_storage_failed_samples_total{${SEL}}[5m]) or rate(prometheus_remote_storage_samples_failed_total{${SEL}}[5m])) + (rate(prometheus_remote_storage_succeeded_samples_total{${SEL}}[5m]) or rate(prometheus_remote_storage_samples_total{${SEL}}[5m])))) * 100 > 1`,
  },
  behind: {
    critical: true,
    expr: `(max_over_time(prometheus_remote_storage_highest_timestamp_in_seconds{${SEL}}[5m]) - ignoring(remote_name, url) group_right max_over_time(prometheus_remote_storage_queue_highest_sent_timestamp_seconds{${SEL}}[5m])) > 120`,
  },
  desiredShards: {
    critical: false,
    expr: `(max_over_time(prometheus_remote_storage_shards_desired{${SEL}}[5m]) > max_over_time(prometheus_remote_storage_shards_max{${SEL}}[5m]))`,
  },
} as const;

/** Fixed seeds, several per class: the same timelines on every run. */
const PLAN: Array<[TimelineClass, number[]]> = [
  ['healthy', [1]],
  ['break', [11, 12, 13]],
  ['worsen', [21, 22]],
  ['repair', [31, 32, 33]],
  ['flap', [41, 42, 43]],
  ['outage', [51, 52, 53]],
  ['outage-stuck', [61, 62]],
];

interface ClusterTruth {
  c: TimelineCluster;
  points: Map<number, QueuePoint>;
  /** Times (s from start) the mixin's critical / warning rules fire (for: applied). */
  critical: Set<number>;
  warning: Set<number>;
}

/** Prometheus' `for:`: firing at each evaluation where the expression held for `for:` without a gap. */
function firingTimes(trueAt: Set<number>, grid: number[]): Set<number> {
  const firing = new Set<number>();
  let activeAt: number | undefined;
  for (const t of grid) {
    if (!trueAt.has(t)) {
      activeAt = undefined;
      continue;
    }
    activeAt ??= t;
    if (t - activeAt >= FOR) firing.add(t);
  }
  return firing;
}

describe('one judgement over time: generated timelines against the mixin (real Prometheus)', () => {
  let store: PrometheusProcess;
  let query: ThanosQueryFake;
  let backend: TestBackend;
  const truths = new Map<string, ClusterTruth>();
  const states = new Map<number, Map<string, ClusterHealth>>();
  const grid: number[] = [];
  for (let t = 0; t <= SECONDS; t += SCRAPE) grid.push(t);
  const opts = { start: START, seconds: SECONDS, scrapeSeconds: SCRAPE };

  /** The mixin's rule expression over the whole timeline, as its rule evaluations would see it. */
  async function trueTimes(expr: string): Promise<Map<string, Set<number>>> {
    const params = new URLSearchParams({
      query: expr,
      start: String(START),
      end: String(START + SECONDS),
      step: `${SCRAPE}s`,
    });
    const res = await fetch(`${store.url}/api/v1/query_range`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: params.toString(),
    });
    const body = await res.json();
    expect(body.status).toBe('success');
    const out = new Map<string, Set<number>>();
    for (const s of body.data.result) {
      const set = out.get(s.metric.cluster) ?? new Set<number>();
      for (const [ts] of s.values) set.add(Math.round(ts) - START);
      out.set(s.metric.cluster, set);
    }
    return out;
  }

  async function summaryAt(t: number): Promise<Map<string, ClusterHealth>> {
    query.evaluationTime = START + t;
    jest.setSystemTime((START + t) * 1000);
    const res = await request(backend.server)
      .get('/api/fleet-monitoring/fleet/local/summary')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    const body = res.body as FleetSummary;
    return new Map(body.clusters.map(c => [c.cluster, c]));
  }

  beforeAll(async () => {
    const clusters = PLAN.flatMap(([kind, seeds]) =>
      seeds.map(seed => planTimeline(kind, seed, SECONDS, SCRAPE)),
    );
    store = await startTimelineStore(clusters, opts);
    const crit = new Map<string, Set<number>>();
    const warn = new Map<string, Set<number>>();
    for (const rule of Object.values(MIXIN)) {
      for (const [cluster, times] of await trueTimes(rule.expr)) {
        const target = rule.critical ? crit : warn;
        const fired = firingTimes(times, grid);
        const set = target.get(cluster) ?? new Set<number>();
        fired.forEach(x => set.add(x));
        target.set(cluster, set);
      }
    }
    for (const c of clusters) {
      truths.set(c.cluster, {
        c,
        points: new Map(simulateQueue(c, opts).map(p => [p.t, p])),
        critical: crit.get(c.cluster) ?? new Set(),
        warning: warn.get(c.cluster) ?? new Set(),
      });
    }

    query = new ThanosQueryFake({ prometheusUrl: store.url, stores: [] });
    await query.start();
    // Only Date moves with the evaluation time; every timer stays real.
    jest.useFakeTimers({
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'requestAnimationFrame',
        'cancelAnimationFrame',
        'requestIdleCallback',
        'cancelIdleCallback',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    backend = await startTestBackend({
      features: [
        fleetMonitoringPlugin,
        mockServices.rootConfig.factory({
          data: {
            fleetMonitoring: {
              cache: { ttlSeconds: 0 },
              rateWindow: '5m',
              thanos: [{ name: 'local', baseUrl: query.url, timeoutMs: 10000 }],
            },
          },
        }),
      ],
    });

    // Evaluation times: every minute, and every scrape interval around each change of the oracle
    // or of the ground truth (where a late or early state would show).
    const times = new Set<number>();
    for (let t = WINDOW * 2; t <= SECONDS; t += 60) times.add(t);
    for (const truth of truths.values()) {
      for (const t of grid) {
        const p = truth.points.get(t)!;
        const q = truth.points.get(t - SCRAPE);
        const changed =
          !q ||
          truth.critical.has(t) !== truth.critical.has(t - SCRAPE) ||
          p.broken !== q.broken ||
          p.draining !== q.draining;
        if (!changed || t < WINDOW * 2) continue;
        for (const d of [-30, -15, 0, 15, 30, WINDOW, WINDOW + SCRAPE]) {
          if (t + d <= SECONDS) times.add(t + d);
        }
      }
    }
    for (const t of [...times].sort((a, b) => a - b))
      states.set(t, await summaryAt(t));
  });

  afterAll(async () => {
    jest.useRealTimers();
    await backend?.stop();
    await query?.stop();
    await store?.destroy();
  });

  /** Every evaluation of one cluster: time, its state, the truth then. */
  function along(cluster: string) {
    const truth = truths.get(cluster)!;
    return [...states.entries()].map(([t, m]) => ({
      t,
      health: m.get(cluster)!,
      state: m.get(cluster)!.state as HealthState,
      point: truth.points.get(t)!,
      truth,
    }));
  }

  /** When the last fault (refusing, unreachable, or a backlog) ended at or before `t`. */
  function lastFaultEnd(truth: ClusterTruth, t: number): number | undefined {
    for (let u = t; u >= 0; u -= SCRAPE) {
      const p = truth.points.get(u)!;
      if (p.broken || p.draining) return u + SCRAPE;
    }
    return undefined;
  }

  const describeState = (e: ReturnType<typeof along>[number]) =>
    `${e.health.cluster} at +${e.t}s: ${e.state} [${e.health.reasons.map(r => `${r.id}:${r.severity}`).join(', ')}]; truth broken=${e.point.broken} draining=${e.point.draining}; mixin critical firing=${e.truth.critical.has(e.t)}`;

  it('asks every cluster at many times along its timeline', () => {
    expect(truths.size).toBe(17);
    expect(states.size).toBeGreaterThan(150);
    for (const m of states.values()) expect(m.size).toBe(17);
    // The oracle has something to say: every faulty class fires the mixin somewhere.
    for (const truth of truths.values()) {
      if (truth.c.kind === 'healthy' || truth.c.kind === 'flap') continue;
      expect([truth.c.cluster, truth.critical.size > 0]).toEqual([
        truth.c.cluster,
        true,
      ]);
    }
  });

  it('break: failing within the mixin for: plus one scrape interval, and never recovering while broken', () => {
    const wrong: string[] = [];
    for (const cluster of truths.keys()) {
      for (const e of along(cluster)) {
        if (e.point.broken && e.state === 'recovering')
          wrong.push(`recovering while broken: ${describeState(e)}`);
        const firingSinceAScrape =
          e.truth.critical.has(e.t) && e.truth.critical.has(e.t - SCRAPE);
        if (firingSinceAScrape && !e.point.draining && e.state !== 'failing')
          wrong.push(`mixin fires, not failing: ${describeState(e)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('is never failing where the mixin does not fire (or stopped more than one scrape interval ago)', () => {
    const wrong: string[] = [];
    for (const cluster of truths.keys()) {
      for (const e of along(cluster)) {
        const fired =
          e.truth.critical.has(e.t) || e.truth.critical.has(e.t - SCRAPE);
        if (e.state === 'failing' && !fired)
          wrong.push(`failing, mixin silent: ${describeState(e)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('while a new fault has not held for: yet, shows it as info and healthy (pending), not recovering', () => {
    let pending = 0;
    const wrong: string[] = [];
    for (const cluster of truths.keys()) {
      for (const e of along(cluster)) {
        const fired =
          e.truth.critical.has(e.t) ||
          e.truth.critical.has(e.t - SCRAPE) ||
          e.truth.warning.has(e.t);
        const end = lastFaultEnd(e.truth, e.t - SCRAPE);
        const fresh =
          e.point.broken &&
          !fired &&
          // Nothing of an earlier fault left in the windows.
          (end === undefined || e.t - end > FOR + WINDOW) &&
          e.health.reasons.some(r => r.severity === 'info');
        if (!fresh) continue;
        pending++;
        if (e.state !== 'healthy')
          wrong.push(`pending not healthy: ${describeState(e)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(pending).toBeGreaterThan(10);
  });

  it('repair: healthy within one rate window plus one scrape interval after the fault left', () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const cluster of truths.keys()) {
      for (const e of along(cluster)) {
        if (e.point.broken || e.point.draining) continue;
        const end = lastFaultEnd(e.truth, e.t);
        if (end === undefined || e.t - end >= WINDOW + SCRAPE) {
          checked++;
          if (e.state !== 'healthy')
            wrong.push(`not healthy after the windows: ${describeState(e)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(500);
  });

  it('outage: recovering only for clusters whose backlog really drains, and there while it drains', () => {
    const wrong: string[] = [];
    for (const [cluster, truth] of truths) {
      const evals = along(cluster);
      const recovering = evals.filter(e => e.state === 'recovering');
      for (const e of recovering) {
        // The drain, or its last rate window (the windows that judged it still contain it).
        const drainedRecently = evals.some(
          x => x.point.draining && x.t <= e.t && e.t - x.t <= WINDOW + SCRAPE,
        );
        if (!e.point.draining && !drainedRecently)
          wrong.push(
            `recovering without a draining backlog: ${describeState(e)}`,
          );
      }
      // Drains after its outage: recovering at some point; any other class (a backlog that
      // never drains included) never.
      if ((truth.c.kind === 'outage') !== recovering.length > 0)
        wrong.push(
          `${cluster} (${truth.c.kind}): recovering ${recovering.length} times`,
        );
    }
    expect(wrong).toEqual([]);
  });
});
