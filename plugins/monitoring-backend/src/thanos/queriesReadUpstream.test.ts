import {
  parseSelector,
  UPSTREAM_METRICS,
  UpstreamMetric,
  upstreamFamilyOf,
  upstreamLabelAllowed,
} from '@fleet-monitoring/plugin-monitoring-common';
import * as capacity from '../capacity/queries';
import * as queries from './queries';
import { SIGNAL_LABEL } from './signals';

/*
 * Issue #18 item 1: the queries read only what upstream emits. Every query the backend sends is
 * built here and taken apart; each metric it reads must be in the upstream metrics table, each
 * label it matches or groups by must be one the table (or the scrape, an external label, Receive)
 * puts on it, and each metric of the table must be read by some query.
 */

const scope = {
  clusterLabel: 'cluster',
  window: '5m',
  hold: '15m',
  lagWarningSeconds: 60,
};
const one = { ...scope, cluster: 'a' };
const component = parseSelector('job="thanos-receive"');

/** Every query builder with representative arguments (a new builder must be added here). */
const BUILT: Record<string, () => string[]> = {
  inventoryQuery: () => [
    queries.inventoryQuery(scope),
    queries.inventoryQuery(
      { ...scope, clusters: ['a', 'b'] },
      queries.RETENTION_LOOKBACK,
    ),
  ],
  ratesQuery: () => [queries.ratesQuery(scope), queries.ratesQuery(one)],
  gaugesQuery: () => [queries.gaugesQuery(scope), queries.gaugesQuery(one)],
  summaryNowQueries: () => queries.summaryNowQueries(scope),
  summaryHeldQuery: () => [
    queries.summaryHeldQuery(scope, {
      failure_ratio_held_q: ['a'],
      retried_held: ['a'],
      dropped_held: ['a'],
      pending_held: ['a'],
      lag_held_q: ['a', 'b'],
      shards_over_held_q: ['b'],
      lag_drain_q: ['a'],
      shards_max_q: ['b'],
    })!,
  ],
  summaryArrivingQuery: () => [
    queries.summaryArrivingQuery(scope, ['a', 'b'])!,
  ],
  summarySecondQuery: () => [
    queries.summarySecondQuery(scope, { lag_held_q: ['a'] }, ['b'])!,
  ],
  clusterTenantRatesQuery: () => [
    queries.clusterTenantRatesQuery(one, ['a', 'team-a']),
  ],
  lateClusterQuery: () => [queries.lateClusterQuery(one)],
  clusterSeriesQuery: () => [queries.clusterSeriesQuery(one)],
  duplicatesProbeQuery: () => [queries.duplicatesProbeQuery('cluster')],
  receiveQuery: () => [queries.receiveQuery(component, '5m')],
  queryComponentQuery: () => [
    queries.queryComponentQuery(parseSelector('job="thanos-query"'), '5m'),
  ],
  // The capacity slice's builders (capacity/queries.ts).
  tenantCapacityQuery: () => [capacity.tenantCapacityQuery(component, 'a')],
  receiversCapacityQuery: () => [capacity.receiversCapacityQuery(component)],
  receiversMemoryQuery: () => [
    capacity.receiversMemoryQuery([{ namespace: 'monitoring', pod: 'r-0' }]),
  ],
};
/**
 * Builders over the user's own selectors (any metric of theirs), and over the fleet recording
 * rules' own series (recordedQueries.test.ts checks those), not over upstream metrics.
 */
const USER_SELECTORS = [
  'metricsArrivingQuery',
  'manualCheckQuery',
  'recordingRulesProbeQuery',
];

/**
 * Table metrics no query reads on purpose, each with the reason (anything else unread fails).
 * Keep this short: an entry here is a rule of the mixin we judge another way.
 */
const NOT_READ: Record<string, string> = {
  thanos_receive_hashrings_file_refreshes_total:
    "receiveQuery judges file errors > 0, which is the mixin's errors / refreshes > 0 (a refresh-less error divides by 0: +Inf, still > 0)",
};

/** Labels our queries make themselves (label_replace targets). */
const OWN_LABELS = new Set([SIGNAL_LABEL, 'fleet_monitoring_metric']);
const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'inf',
  'nan',
]);

interface Read {
  /** Metric names read (bare or with matchers). */
  metrics: Map<string, Set<string>>;
  /** Labels in by/without/on/ignoring/group_* lists. */
  grouping: Set<string>;
}

/** Takes a PromQL expression apart into the metrics it reads, their matcher labels and grouping labels. */
function readsOf(query: string): Read {
  const metrics = new Map<string, Set<string>>();
  const grouping = new Set<string>();
  const note = (name: string, labels: string[] = []) => {
    const set = metrics.get(name) ?? new Set<string>();
    labels.forEach(l => set.add(l));
    metrics.set(name, set);
  };
  let q = query.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\[[^\]]*\]/g, ' ');
  q = q.replace(
    /([a-zA-Z_:][\w:]*)?\s*\{([^}]*)\}/g,
    (_all, name: string | undefined, body: string) => {
      const labels = body
        .split(',')
        .map(m => /^\s*([a-zA-Z_]\w*)\s*(=~|!~|!=|=)/.exec(m)?.[1])
        .filter((l): l is string => Boolean(l));
      const byName = labels.includes('__name__');
      if (name) note(name, labels);
      else if (!byName) throw new Error(`selector without a metric: {${body}}`);
      return ' ';
    },
  );
  q = q.replace(
    /\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g,
    (_all, _kw, list: string) => {
      list
        .split(',')
        .map(l => l.trim())
        .filter(Boolean)
        .forEach(l => grouping.add(l));
      return ' ';
    },
  );
  for (const m of q.matchAll(/(?<![\w.:])([a-zA-Z_:][\w:]*)(?![\w:]|\s*\()/g)) {
    const id = m[1];
    if (!KEYWORDS.has(id.toLowerCase())) note(id);
  }
  return { metrics, grouping };
}

function allQueries(): Array<[string, string]> {
  return Object.entries(BUILT).flatMap(([name, build]) =>
    build().map(q => [name, q] as [string, string]),
  );
}

describe('queries read only what upstream emits (issue #18 item 1)', () => {
  it('takes a query apart into metrics, matcher labels and grouping labels', () => {
    const r = readsOf(
      'sum by (cluster) (rate(a_total{x="1",y=~"b|c"}[5m])) / on (cluster) group_left () b_gauge > 0.5e1 and c',
    );
    expect([...r.metrics.keys()].sort()).toEqual(['a_total', 'b_gauge', 'c']);
    expect([...r.metrics.get('a_total')!].sort()).toEqual(['x', 'y']);
    expect([...r.grouping]).toEqual(['cluster']);
  });

  it('covers every query builder', () => {
    const builders = Object.entries(queries)
      .filter(([n, v]) => typeof v === 'function' && n.endsWith('Query'))
      .map(([n]) => n);
    expect(
      builders.filter(n => !(n in BUILT) && !USER_SELECTORS.includes(n)),
    ).toEqual([]);
  });

  it('reads no metric the upstream table does not have, and no label it does not put on it', () => {
    const unknown: string[] = [];
    for (const [builder, q] of allQueries()) {
      const { metrics, grouping } = readsOf(q);
      for (const [metric, labels] of metrics) {
        if (!upstreamFamilyOf(metric)) {
          unknown.push(`${builder}: metric ${metric}`);
          continue;
        }
        for (const l of labels)
          if (!upstreamLabelAllowed(metric, l))
            unknown.push(`${builder}: label ${l} on ${metric}`);
      }
      for (const l of grouping) {
        if (OWN_LABELS.has(l)) continue;
        if (![...metrics.keys()].some(m => upstreamLabelAllowed(m, l)))
          unknown.push(`${builder}: grouping label ${l}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it('fails on a metric or a label outside the table', () => {
    const r = readsOf(
      'sum by (cluster, bogus) (rate(thanos_receive_write_samples_sum{code="429"}[5m]) or made_up_total{tenant="x"})',
    );
    expect(upstreamFamilyOf('made_up_total')).toBeUndefined();
    expect(r.metrics.has('made_up_total')).toBe(true);
    expect(
      [...r.metrics.keys()].some(m => upstreamLabelAllowed(m, 'bogus')),
    ).toBe(false);
  });

  it('names no metric in the table that no query reads (except those marked planned)', () => {
    const read = new Set<string>();
    for (const [, q] of allQueries())
      for (const m of readsOf(q).metrics.keys()) {
        const family = upstreamFamilyOf(m);
        if (family) read.add(family);
      }
    const table = UPSTREAM_METRICS as Record<string, UpstreamMetric>;
    const planned = (e: UpstreamMetric) =>
      e.readBy.length > 0 && e.readBy.every(r => r.startsWith('planned:'));
    expect(
      Object.keys(table).filter(
        m => !read.has(m) && !planned(table[m]) && !(m in NOT_READ),
      ),
    ).toEqual([]);
    expect(
      Object.keys(NOT_READ).filter(m => !(m in table) || read.has(m)),
    ).toEqual([]);
    // A metric a query reads is not "planned" any more.
    expect(
      Object.keys(table).filter(m => read.has(m) && planned(table[m])),
    ).toEqual([]);
  });
});
