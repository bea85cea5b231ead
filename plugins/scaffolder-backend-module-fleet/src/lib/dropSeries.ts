/**
 * What the drop-series action may drop and the relabel rule it writes. Pure: no files, no network.
 */
import { InputError } from '@backstage/errors';
import {
  escapeRegex,
  UPSTREAM_METRICS,
  UpstreamComponent,
  UpstreamMetric,
} from '@fleet-monitoring/plugin-monitoring-common';

/** The Prometheus metric name grammar (data model: `[a-zA-Z_:][a-zA-Z0-9_:]*`). */
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
export const MAX_METRICS = 50;
export const MAX_PREFIXES = 10;
export const MAX_NAME_LENGTH = 200;
/** Shorter prefixes drop whole namespaces (`go_`, `kube_`), which is seldom what the list shows. */
export const MIN_PREFIX_LENGTH = 3;

/** Every queue metric of the agent, read or not by our rules: the rules' inputs move between versions. */
export const REMOTE_STORAGE_PREFIX = 'prometheus_remote_storage_';

/** Who produces what an edge agent sends: its own queue metrics and `up` of each of its scrapes. */
const AGENT_SIDE: readonly UpstreamComponent[] = [
  'prometheus-scrape',
  'prometheus-agent-v2',
  'prometheus-agent-v3',
];

/**
 * Series names our health rules read from an agent's data, from common's upstream metrics table:
 * every family emitted by the agent or its scrapes (a histogram with its `_bucket`/`_sum`/`_count`).
 */
export function protectedMetricNames(): string[] {
  const names: string[] = [];
  for (const [name, entry] of Object.entries(
    UPSTREAM_METRICS as Record<string, UpstreamMetric>,
  )) {
    if (!entry.emittedBy.some(c => AGENT_SIDE.includes(c))) continue;
    names.push(name);
    if (entry.type === 'histogram')
      names.push(`${name}_bucket`, `${name}_sum`, `${name}_count`);
  }
  return names.sort();
}

export type DropSelection = {
  /** Exact metric names. */
  metrics: string[];
  /** Metric name prefixes: every name starting with one is dropped. */
  prefixes: string[];
};

/** One alternative of the rule's regex per name (`name`) and per prefix (`prefix.*`). */
export function regexTerms(s: DropSelection): string[] {
  return [
    ...s.metrics.map(escapeRegex),
    ...s.prefixes.map(p => `${escapeRegex(p)}.*`),
  ];
}

/** Prometheus anchors relabel regexes itself (`^(?:regex)$`, model/relabel NewRegexp). */
export const joinTerms = (terms: string[]) => terms.join('|');

/** The JS equivalent of how Prometheus matches a relabel regex; undefined for RE2-only syntax. */
export function anchored(regex: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${regex})$`);
  } catch {
    return undefined;
  }
}

/**
 * Checks names, prefixes and counts, and refuses anything that drops what our health rules read:
 * a protected name itself, a prefix covering one (or the agent's queue metrics), and, checked once
 * more on the regex as written, any protected name it would match.
 */
export function checkSelection(s: DropSelection): void {
  const problems: string[] = [];
  if (s.metrics.length + s.prefixes.length === 0)
    problems.push('choose at least one metric or prefix to drop');
  if (s.metrics.length > MAX_METRICS)
    problems.push(`at most ${MAX_METRICS} metrics per change`);
  if (s.prefixes.length > MAX_PREFIXES)
    problems.push(`at most ${MAX_PREFIXES} prefixes per change`);
  for (const [what, list] of [
    ['metric', s.metrics],
    ['prefix', s.prefixes],
  ] as const) {
    for (const v of list) {
      if (
        typeof v !== 'string' ||
        !METRIC_NAME.test(v) ||
        v.length > MAX_NAME_LENGTH
      )
        problems.push(
          `${what} ${JSON.stringify(v)} is not a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*, at most ${MAX_NAME_LENGTH} characters)`,
        );
    }
  }
  for (const p of s.prefixes) {
    if (METRIC_NAME.test(p) && p.length < MIN_PREFIX_LENGTH)
      problems.push(
        `prefix ${JSON.stringify(p)} is shorter than ${MIN_PREFIX_LENGTH} characters`,
      );
  }
  if (problems.length) throw new InputError(problems.join('; '));

  const guarded = protectedMetricNames();
  const refused = new Set<string>();
  for (const m of s.metrics) {
    if (guarded.includes(m) || m.startsWith(REMOTE_STORAGE_PREFIX))
      refused.add(m);
  }
  for (const p of s.prefixes) {
    if (
      p.startsWith(REMOTE_STORAGE_PREFIX) ||
      REMOTE_STORAGE_PREFIX.startsWith(p) ||
      guarded.some(g => g.startsWith(p))
    )
      refused.add(`${p}*`);
  }
  // The regex as Prometheus will read it, against every protected name: a second, independent check.
  const re = anchored(joinTerms(regexTerms(s)));
  for (const g of guarded) if (re?.test(g)) refused.add(g);
  if (refused.size) {
    throw new InputError(
      `refusing to drop ${[...refused].join(', ')}: the fleet's health rules read ` +
        `\`up\` and the agent's ${REMOTE_STORAGE_PREFIX}* series (common's upstream metrics table); ` +
        'dropping them would turn a healthy cluster into "no data". Remove them from the selection.',
    );
  }
}

/** A write_relabel_configs entry as Prometheus reads it. */
export type RelabelRule = {
  source_labels: string[];
  regex: string;
  action: 'drop';
};

export const dropRule = (terms: string[]): RelabelRule => ({
  source_labels: ['__name__'],
  regex: joinTerms(terms),
  action: 'drop',
});

/**
 * The terms an existing write_relabel_configs list does not drop yet (what makes a second run add
 * nothing). A name counts as dropped when an existing `drop` on `__name__` alone matches it; a prefix
 * when such a rule lists the same `prefix.*` alternative.
 */
export function termsNotYetDropped(
  existing: unknown,
  selection: DropSelection,
): string[] {
  const rules = (Array.isArray(existing) ? existing : []).filter(
    (r): r is { regex?: unknown } =>
      !!r &&
      typeof r === 'object' &&
      String((r as any).action ?? 'replace').toLowerCase() === 'drop' &&
      Array.isArray((r as any).source_labels) &&
      (r as any).source_labels.length === 1 &&
      (r as any).source_labels[0] === '__name__',
  );
  // Prometheus' default regex is (.*): a drop rule without one drops everything.
  const regexes = rules.map(r =>
    typeof r.regex === 'string' ? r.regex : '(.*)',
  );
  const matchers = regexes.map(anchored);
  const alternatives = new Set(regexes.flatMap(r => r.split('|')));
  const names = selection.metrics.filter(
    m => !matchers.some(re => re?.test(m)),
  );
  const prefixes = selection.prefixes.filter(
    p => !alternatives.has(`${escapeRegex(p)}.*`),
  );
  return regexTerms({ metrics: names, prefixes });
}
