/**
 * A store of a fleet larger than this machine can simulate (#20): the fleet rule group's real output
 * on a stored fleet, and (with `allRaw`) every raw series it holds, exported, cloned under new
 * cluster names and shifted in time, then backfilled with promtool into a Prometheus of its own
 * (local-fleet's startBackfilledStore). A summary from recorded series reads only the group's
 * output, plus the raw series the inventory reads for the part of its lookback before the ruler
 * started; the raw summary reads the raw series.
 */
import {
  CapacitySeries,
  PrometheusProcess,
  startBackfilledStore,
} from '@fleet-monitoring/local-fleet';
import {
  RECORDED_INVENTORY_LOOKBACK,
  RECORDED_TENANT_LABEL,
  recordedFleetSeries,
  RecordingRule,
  TENANT_LABEL,
} from '@fleet-monitoring/plugin-monitoring-common';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { durationSeconds } from '../src/config/holdWindow';
import { INVENTORY_LOOKBACK } from '../src/thanos/queries';
import { benchRuleGroup, INTERVAL_SECONDS, SCOPE } from './recordedStore';

/** One exported series: its samples oldest first. */
export interface ExportedSeries {
  labels: Record<string, string>;
  /** Sample times, unix seconds (ms precision). */
  times: number[];
  values: number[];
  /** Its values are times: they move with the samples when the copy is shifted. */
  timeValued: boolean;
}

/** What the ruler wrote on a store, and the raw series the recorded inventory still reads. */
export interface RuleOutput {
  series: ExportedSeries[];
  /** Records of the group, and which of them hold times (found from their expressions). */
  records: string[];
  timeRecords: string[];
  /** Raw series read for the inventory's lookback before the ruler's first evaluation. */
  rawNames: string[];
  /** The store's other raw series, over their whole history (exported with `allRaw`). */
  otherRawNames: string[];
  /** Records whose values disagree with the expression-based finding (a time or not). */
  doubtful: string[];
  newest: number;
  samples: number;
}

const STRING = /"(?:[^"\\]|\\.)*"/g;
const NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/g;

/** Metric names an expression reads (a name followed by a matcher or a range). */
export function namesRead(expr: string): string[] {
  const text = expr.replace(STRING, '""');
  return [
    ...new Set(
      [...text.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*[{[]/g)].map(m => m[1]),
    ),
  ];
}

/**
 * The parts of an expression its values come from: without strings, matchers and ranges, and
 * without what only filters (the right side of a comparison, `and`, `unless`, up to the end of its
 * parenthesis).
 */
function valueParts(expr: string): string {
  const text = expr
    .replace(STRING, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '');
  const filter = /^(>=|<=|==|!=|>|<|and\b|unless\b)/;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const word = i === 0 || !/[a-zA-Z0-9_:]/.test(text[i - 1]);
    const m = filter.exec(text.slice(i));
    if (!m || (/^[a-z]/.test(m[1]) && !word)) {
      out += text[i];
      continue;
    }
    // Skip to the parenthesis closing the group the filter is in.
    for (let depth = 0; i < text.length; i++) {
      if (text[i] === '(') depth++;
      if (text[i] === ')' && --depth < 0) break;
    }
    i--;
  }
  return out;
}

/**
 * Whether an expression's value is a time: it takes `time()`, `timestamp()`, a `*timestamp*` series
 * or another time-valued series, and does no arithmetic (a difference of times is a duration) and
 * no counting (`group`, `count`: 1 or a count). Filters (`> time() - 86400`) do not count.
 */
function timeValuedExpr(expr: string, timeNames: Set<string>): boolean {
  const parts = valueParts(expr);
  const operators = parts.replace(NAME, '').replace(/\d+(\.\d+)?/g, '');
  if (/[-+*/%^]/.test(operators)) return false;
  if (
    /\b(group|count|count_over_time|count_values|changes|resets|bool)\b/.test(
      parts,
    )
  )
    return false;
  return [...parts.matchAll(NAME)].some(
    ([n]) => /^time$|timestamp/.test(n) || timeNames.has(n),
  );
}

/** The records of a group holding times (a record may read an earlier or later one: to a fixpoint). */
export function timeValuedRecords(rules: RecordingRule[]): Set<string> {
  const found = new Set<string>();
  for (let size = -1; size !== found.size;) {
    size = found.size;
    for (const r of rules)
      if (timeValuedExpr(r.expr, found)) found.add(r.record);
  }
  return found;
}

/** A sample value as Prometheus answers it (`+Inf`, `-Inf` and `NaN` included). */
function parseValue(v: string): number {
  if (v === '+Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  return Number(v);
}

/** The raw samples of `selector` (a range selector) at `time`. */
async function rangeSamples(
  storeUrl: string,
  selector: string,
  time: number,
): Promise<
  Array<{ metric: Record<string, string>; values: [number, string][] }>
> {
  const res = await fetch(`${storeUrl}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query: selector, time: String(time) }),
  });
  const body = (await res.json()) as any;
  if (body.status !== 'success')
    throw new Error(`${selector}: ${JSON.stringify(body).slice(0, 300)}`);
  return body.data.result;
}

/** Every metric name the store holds. */
async function metricNames(storeUrl: string): Promise<string[]> {
  const res = await fetch(`${storeUrl}/api/v1/label/__name__/values`);
  const body = (await res.json()) as any;
  if (body.status !== 'success')
    throw new Error(`metric names: ${JSON.stringify(body).slice(0, 300)}`);
  return body.data;
}

/**
 * Every series of every record of the fleet rule group over the whole time the store evaluated it
 * (range selectors: the ruler's own timestamps), and the raw series the recorded inventory reads
 * for the part of the lookback before `firstEvaluated`. With `allRaw`, every raw series of the
 * store over its whole history too (the raw summary reads the copy then): which of them hold times
 * is told by their values (within a day or so of now), as no expression says it.
 */
export async function exportRuleOutput(
  storeUrl: string,
  firstEvaluated: number,
  opts: { allRaw?: boolean } = {},
): Promise<RuleOutput> {
  const rules = benchRuleGroup().rules;
  const records = [...new Set(rules.map(r => r.record))];
  const timeRecords = timeValuedRecords(rules);
  const names = recordedFleetSeries(SCOPE.window);
  // The inventory's raw part reads what the last-seen record reads.
  const inventoryRules = rules.filter(r => r.record === names.lastSeen);
  const rawNames = [
    ...new Set(inventoryRules.flatMap(r => namesRead(r.expr))),
  ].filter(n => !records.includes(n));
  const rawTimeValued = new Set(
    inventoryRules
      .filter(r => timeRecords.has(r.record))
      .flatMap(r => namesRead(r.expr)),
  );
  const at = Date.now() / 1000;
  const span = Math.ceil(at - firstEvaluated) + 2 * INTERVAL_SECONDS;
  const lookback = durationSeconds(INVENTORY_LOOKBACK);
  const series: ExportedSeries[] = [];
  const doubtful: string[] = [];
  let samples = 0;
  let newest = 0;
  const otherRawNames = opts.allRaw
    ? (await metricNames(storeUrl)).filter(
        n => !records.includes(n) && !rawNames.includes(n),
      )
    : [];
  const asked: Array<{
    name: string;
    selector: string;
    time: number;
    /** Undefined: told by the values. */
    timeValued?: boolean;
  }> = [
    ...records.map(n => ({
      name: n,
      selector: `${n}[${span}s]`,
      time: at,
      timeValued: timeRecords.has(n),
    })),
    // With every raw series, the inventory's too over their whole history, not only before the chain.
    ...rawNames.map(n => ({
      name: n,
      selector: `${n}[${lookback}s]`,
      time: opts.allRaw ? at : firstEvaluated,
      timeValued: rawTimeValued.has(n),
    })),
    ...otherRawNames.map(n => ({
      name: n,
      selector: `${n}[${lookback}s]`,
      time: at,
    })),
  ];
  for (const a of asked) {
    const result = await rangeSamples(storeUrl, a.selector, a.time);
    let inTimeRange = 0;
    let count = 0;
    const these: ExportedSeries[] = [];
    for (const r of result) {
      const times = r.values.map(([t]) => Number(t));
      const values = r.values.map(([, v]) => parseValue(v));
      for (const v of values) {
        count++;
        if (v > at - 2 * 86400 && v < at + 3600) inTimeRange++;
      }
      newest = Math.max(newest, times[times.length - 1] ?? 0);
      samples += times.length;
      these.push({ labels: r.metric, times, values, timeValued: false });
    }
    const byValues = inTimeRange > count / 2;
    const timeValued = a.timeValued ?? byValues;
    for (const x of these) x.timeValued = timeValued;
    for (const x of these) series.push(x);
    // The values say it too: a time is within a day or so of now, nothing else the group records is.
    if (count > 0 && timeValued !== byValues) doubtful.push(a.name);
  }
  return {
    series,
    records,
    timeRecords: [...timeRecords],
    rawNames,
    otherRawNames,
    doubtful,
    newest,
    samples,
  };
}

/**
 * The rule output as a chain unbroken for the whole inventory lookback leaves it (a ruler that has
 * run for a day: the steady state), for a bench run minutes after its ruler started: `unbroken_since`
 * a lookback before each evaluation, and the sticky last-seen series holding, besides the clusters
 * the ruler saw report, every cluster only the raw part before the chain lists, with its newest
 * sample and tenant, at each evaluation while that sample is younger than the lookback (what the
 * rule wrote while they reported). The backend then reads the inventory from the sticky series
 * alone, as it does after a day.
 */
export function asDayOldChain(out: RuleOutput): RuleOutput {
  const names = recordedFleetSeries(SCOPE.window);
  const lookback = durationSeconds(RECORDED_INVENTORY_LOOKBACK);
  const c = SCOPE.clusterLabel;
  const since = out.series.find(s => s.labels.__name__ === names.unbrokenSince);
  if (!since) throw new Error('the rule output holds no unbroken_since series');
  const sticky = new Set(
    out.series
      .filter(s => s.labels.__name__ === names.lastSeen)
      .map(s => s.labels[c]),
  );
  const raw = new Set(out.rawNames);
  const newest = new Map<
    string,
    { cluster: string; tenant?: string; value: number }
  >();
  for (const s of out.series) {
    const cluster = s.labels[c];
    if (!raw.has(s.labels.__name__) || !cluster || sticky.has(cluster))
      continue;
    const tenant = s.labels[TENANT_LABEL];
    const key = `${cluster}\u0000${tenant ?? ''}`;
    const value = Math.max(...s.values.filter(Number.isFinite));
    const known = newest.get(key);
    if (!known || value > known.value)
      newest.set(key, { cluster, tenant, value });
  }
  const added: ExportedSeries[] = [];
  for (const n of newest.values()) {
    const times = since.times.filter(t => t - n.value < lookback);
    if (times.length === 0) continue;
    added.push({
      labels: {
        __name__: names.lastSeen,
        [c]: n.cluster,
        ...(n.tenant ? { [RECORDED_TENANT_LABEL]: n.tenant } : {}),
      },
      times,
      values: times.map(() => n.value),
      timeValued: true,
    });
  }
  const series = out.series.map(s =>
    s === since ? { ...s, values: s.times.map(t => t - lookback) } : s,
  );
  return { ...out, series: [...series, ...added] };
}

/**
 * The exported series cloned for a larger fleet: a series naming a stored cluster (in any label:
 * the cluster label, the tenant named after it) is cloned once per copy with every such value
 * renamed, copy k of stored cluster i becoming cluster k * stored + i of `names`; the others (the
 * group's heartbeat, a shared tenant) are kept once. Times, and values that are times, move by
 * `shift` seconds. The clones share their source's samples.
 */
export function cloneFleet(
  out: RuleOutput,
  stored: readonly string[],
  names: readonly string[],
  shift: number,
): CapacitySeries[] {
  const index = new Map(stored.map((n, i) => [n, i]));
  const copies = Math.ceil(names.length / stored.length);
  const result: CapacitySeries[] = [];
  for (const s of out.series) {
    const times = s.times.map(t => Math.round((t + shift) * 1000) / 1000);
    const byTime = new Map(
      times.map((t, i) => [t, s.values[i] + (s.timeValued ? shift : 0)]),
    );
    const value = (t: number) => byTime.get(t) ?? NaN;
    const cluster = Object.entries(s.labels).find(
      ([k, v]) => k !== '__name__' && index.has(v),
    )?.[1];
    if (cluster === undefined) {
      result.push({ labels: s.labels, times, value });
      continue;
    }
    const i = index.get(cluster)!;
    for (let k = 0; k < copies; k++) {
      const renamed = names[k * stored.length + i];
      if (renamed === undefined) continue;
      const labels: Record<string, string> = {};
      for (const [l, v] of Object.entries(s.labels))
        labels[l] = v === cluster ? renamed : v;
      result.push({ labels, times, value });
    }
  }
  return result;
}

/** A backfilled store of `series`, with promtool's own time and peak RSS when GNU time is here. */
export async function startCopyStore(
  series: CapacitySeries[],
  newest: number,
): Promise<{
  store: PrometheusProcess;
  promtool?: { seconds: number; peakBytes: number };
  /** Series summed over the blocks (a series spanning two blocks counts twice), and the blocks. */
  blockSeries: number;
  blocks: number;
}> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-promtool-'));
  const report = path.join(dir, 'time.txt');
  const previous = process.env.PROMTOOL_BIN;
  let timed = false;
  try {
    execFileSync('/usr/bin/time', ['-f', '%e', 'true'], { stdio: 'ignore' });
    const wrapper = path.join(dir, 'promtool');
    fs.writeFileSync(
      wrapper,
      `#!/bin/sh\nexec /usr/bin/time -f "%e %M" -o "${report}" "${previous ?? 'promtool'}" "$@"\n`,
      { mode: 0o755 },
    );
    process.env.PROMTOOL_BIN = wrapper;
    timed = true;
  } catch {
    // No GNU time: promtool runs unmeasured (the total still is).
  }
  try {
    // Every series brings its own times: the grid is one point, unused.
    const store = await startBackfilledStore('recorded-copy', series, {
      start: newest,
      end: newest,
      stepSeconds: INTERVAL_SECONDS,
      // Blocks stay as promtool wrote them: Prometheus would otherwise merge the day's 2h blocks
      // a minute after it starts, for minutes, on the cores the summaries are timed on (a store
      // read by Thanos leaves compaction to the compactor). Block ranges of one size mean no
      // merging (tsdb/db.go, v2.42.0: ranges over the maximum are dropped).
      storeArgs: [
        '--storage.tsdb.min-block-duration=2h',
        '--storage.tsdb.max-block-duration=2h',
      ],
    });
    let promtool: { seconds: number; peakBytes: number } | undefined;
    if (timed) {
      const last = fs.readFileSync(report, 'utf8').trim().split('\n').pop()!;
      const [seconds, kib] = last.split(' ').map(Number);
      promtool = { seconds, peakBytes: kib * 1024 };
    }
    const data = path.join(store.dir, 'data');
    let blockSeries = 0;
    let blocks = 0;
    for (const b of fs.readdirSync(data)) {
      const meta = path.join(data, b, 'meta.json');
      if (!fs.existsSync(meta)) continue;
      blocks++;
      blockSeries += JSON.parse(fs.readFileSync(meta, 'utf8')).stats.numSeries;
    }
    return { store, promtool, blockSeries, blocks };
  } finally {
    if (previous === undefined) delete process.env.PROMTOOL_BIN;
    else process.env.PROMTOOL_BIN = previous;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
