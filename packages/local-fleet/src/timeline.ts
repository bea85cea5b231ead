import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { centralConfig, PrometheusProcess } from './prometheus';

/**
 * Generated remote-write timelines: hours of one agent queue's self-metrics per cluster, written as
 * OpenMetrics with timestamps and backfilled into a real Prometheus with
 * `promtool tsdb create-blocks-from openmetrics`, so a test can ask the backend at any time along
 * them in seconds. Every series is one the agents emit (the upstream table: prometheus
 * `storage/remote/queue_manager.go`), counted as Prometheus v2.23+ counts them: samples_total
 * counts every attempt, failed ones (4xx, dropped for good) and retried ones (unreachable, 5xx) too.
 *
 * The backfill holds each sample at its own timestamp: what the store answers at `t` is what the
 * agent's self-scrape said at `t`, as for self-metrics that reach the store on time (e.g. through a
 * second, healthy queue). A queue's own lag is what the timeline is about.
 */

/** What a timeline does to its cluster's queue. */
export type TimelineClass =
  | 'healthy'
  /** Refuses a share of samples for good (4xx) from a time on, never repaired. */
  | 'break'
  /** Refuses a share that grows over time, never repaired. */
  | 'worsen'
  /** Refuses a share for a while, then is repaired. */
  | 'repair'
  /** Refuses samples in short bursts. */
  | 'flap'
  /** The receiver is unreachable for a while (retries, backlog); afterwards the queue drains it. */
  | 'outage'
  /** The same outage, but afterwards the queue sends slower than samples come in: it never drains. */
  | 'outage-stuck';

/** One interval of a queue's behaviour, in seconds from the timeline's start. */
export interface TimelinePhase {
  from: number;
  to: number;
  /** Share of attempts refused for good at `from` (and at `to`, linear in between). */
  failShare?: [number, number];
  /** The receiver cannot be reached: every attempt is retried, nothing is sent. */
  unreachable?: boolean;
}

export interface TimelineCluster {
  cluster: string;
  kind: TimelineClass;
  seed: number;
  phases: TimelinePhase[];
  /** After the last outage: sending speed relative to the ingest rate (drains when > 1). */
  drainFactor: number;
  /** Samples per second the agent ingests. */
  ingestPerSecond: number;
}

export interface TimelineOptions {
  /** Unix seconds of the first sample (a multiple of the scrape interval). */
  start: number;
  /** Length in seconds. */
  seconds: number;
  scrapeSeconds: number;
  clusterLabel?: string;
}

/** A small seeded generator (mulberry32): the same seed gives the same timeline, always. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seconds, rounded to the scrape interval. */
const on = (x: number, step: number) => Math.round(x / step) * step;

/**
 * One cluster's timeline of class `kind` from `seed`: a healthy first half hour (full windows before
 * anything happens), then its fault at seeded times and sizes, all within `seconds`.
 */
export function planTimeline(
  kind: TimelineClass,
  seed: number,
  seconds: number,
  scrapeSeconds: number,
): TimelineCluster {
  const rnd = seededRandom(seed);
  const at = (lo: number, hi: number) =>
    on(lo + rnd() * (hi - lo), scrapeSeconds);
  const phases: TimelinePhase[] = [];
  let drainFactor = 1;
  const start = at(1800, 2400);
  switch (kind) {
    case 'break': {
      const share = 0.05 + rnd() * 0.6;
      phases.push({ from: start, to: seconds, failShare: [share, share] });
      break;
    }
    case 'worsen':
      phases.push({
        from: start,
        to: seconds,
        failShare: [0.02 + rnd() * 0.03, 0.6 + rnd() * 0.4],
      });
      break;
    case 'repair': {
      const share = 0.05 + rnd() * 0.9;
      phases.push({
        from: start,
        to: start + at(1200, 2700),
        failShare: [share, share],
      });
      break;
    }
    case 'flap': {
      let t = start;
      const share = 0.1 + rnd() * 0.8;
      while (t < seconds - 1800) {
        const burst = at(30, 240);
        phases.push({ from: t, to: t + burst, failShare: [share, share] });
        t += burst + at(60, 900);
      }
      break;
    }
    case 'outage':
    case 'outage-stuck':
      phases.push({
        from: start,
        to: start + at(900, 2400),
        unreachable: true,
      });
      drainFactor = kind === 'outage' ? 1.5 + rnd() * 2.5 : 0.5 + rnd() * 0.4;
      break;
    default:
      break;
  }
  return {
    cluster: `${kind}-${seed}`,
    kind,
    seed,
    phases,
    drainFactor,
    ingestPerSecond: on(500 + rnd() * 1500, 1),
  };
}

/** One point of a queue's state: what its self-scrape reports at `t` (seconds from start). */
export interface QueuePoint {
  t: number;
  attempted: number;
  failed: number;
  retried: number;
  pending: number;
  highestTs: number;
  sentTs: number;
  shards: number;
  desiredShards: number;
  maxShards: number;
  /** Ground truth: a fault acts now (refusing, unreachable, or a backlog that does not drain). */
  broken: boolean;
  /** Ground truth: repaired, and the backlog it left shrinks. */
  draining: boolean;
}

const MAX_SHARDS = 10;
/** Seconds between an ingested sample and its sending, when all is well. */
const SEND_DELAY = 2;

/** Steps a queue through its timeline (times relative to the start; timestamps absolute). */
export function simulateQueue(
  c: TimelineCluster,
  opts: TimelineOptions,
): QueuePoint[] {
  const dt = opts.scrapeSeconds;
  const r = c.ingestPerSecond;
  const lastOutageEnd = Math.max(
    -1,
    ...c.phases.filter(p => p.unreachable).map(p => p.to),
  );
  let attempted = 0;
  let failed = 0;
  let retried = 0;
  let sentTs = opts.start - SEND_DELAY;
  const points: QueuePoint[] = [];
  for (let t = 0; t <= opts.seconds; t += dt) {
    const now = opts.start + t;
    const phase = c.phases.find(p => t >= p.from && t < p.to);
    const behind = now - SEND_DELAY - sentTs;
    let broken = false;
    let draining = false;
    if (phase?.unreachable) {
      // Every send is retried with backoff; nothing new is sent.
      const tries = r * dt * 0.5;
      attempted += tries;
      retried += tries;
      broken = true;
    } else {
      // Sends at the drain speed after the outage until caught up, at the ingest speed otherwise.
      const speed =
        t >= lastOutageEnd && lastOutageEnd >= 0 ? c.drainFactor : 1;
      const canSend = Math.min(behind, speed * dt);
      sentTs += canSend;
      const sent = canSend * r;
      attempted += sent;
      if (phase?.failShare) {
        const [a, b] = phase.failShare;
        const share =
          a + ((b - a) * (t - phase.from)) / (phase.to - phase.from);
        failed += sent * share;
        broken = true;
      }
      const left = now - SEND_DELAY - sentTs;
      if (left > dt) {
        if (c.drainFactor > 1) draining = true;
        else broken = true;
      }
    }
    const lag = now - SEND_DELAY - sentTs;
    const desired = Math.min(
      MAX_SHARDS * 4,
      Math.max(1, Math.ceil(1 + lag / 30)),
    );
    points.push({
      t,
      attempted,
      failed,
      retried,
      pending: Math.min(Math.max(0, lag) * r, 25_000 * MAX_SHARDS),
      highestTs: now,
      sentTs,
      shards: Math.min(desired, MAX_SHARDS),
      desiredShards: desired,
      maxShards: MAX_SHARDS,
      broken,
      draining,
    });
  }
  return points;
}

/** The OpenMetrics text of every cluster's queue series over the timeline. */
export function timelineOpenMetrics(
  clusters: TimelineCluster[],
  opts: TimelineOptions,
): string {
  const label = opts.clusterLabel ?? 'cluster';
  const families = new Map<string, string[]>();
  const add = (name: string, lines: string[]) =>
    families.set(name, [...(families.get(name) ?? []), ...lines]);
  for (const c of clusters) {
    const pts = simulateQueue(c, opts);
    const instance = `${c.cluster}-agent:9090`;
    const agent = `${label}="${c.cluster}",instance="${instance}",job="prometheus-agent"`;
    const queue = `${agent},remote_name="thanos",url="http://thanos-receive:19291/api/v1/receive"`;
    const series = (
      name: string,
      labels: string,
      value: (p: QueuePoint) => number,
    ) =>
      add(
        name,
        pts.map(p => `${name}{${labels}} ${value(p)} ${opts.start + p.t}`),
      );
    series('prometheus_remote_storage_samples_total', queue, p =>
      Math.round(p.attempted),
    );
    series('prometheus_remote_storage_samples_failed_total', queue, p =>
      Math.round(p.failed),
    );
    series('prometheus_remote_storage_samples_retried_total', queue, p =>
      Math.round(p.retried),
    );
    series('prometheus_remote_storage_samples_dropped_total', queue, () => 0);
    series('prometheus_remote_storage_samples_pending', queue, p =>
      Math.round(p.pending),
    );
    series('prometheus_remote_storage_shards', queue, p => p.shards);
    series(
      'prometheus_remote_storage_shards_desired',
      queue,
      p => p.desiredShards,
    );
    series('prometheus_remote_storage_shards_max', queue, p => p.maxShards);
    series(
      'prometheus_remote_storage_queue_highest_sent_timestamp_seconds',
      queue,
      p => Math.round(p.sentTs),
    );
    series(
      'prometheus_remote_storage_highest_timestamp_in_seconds',
      agent,
      p => p.highestTs,
    );
  }
  const lines: string[] = [];
  for (const [name, samples] of families) {
    lines.push(`# TYPE ${name} unknown`, ...samples);
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

/**
 * A real Prometheus (Debian's) serving the timelines: the OpenMetrics text is backfilled with
 * promtool into the data dir before it starts. No scrape configs, so nothing else is written.
 */
export async function startTimelineStore(
  clusters: TimelineCluster[],
  opts: TimelineOptions,
): Promise<PrometheusProcess> {
  const store = new PrometheusProcess({
    name: 'timeline',
    mode: 'central',
    config: centralConfig(`${opts.scrapeSeconds}s`),
  });
  const file = path.join(store.dir, 'timeline.om');
  fs.writeFileSync(file, timelineOpenMetrics(clusters, opts));
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
  await store.start();
  return store;
}
