import {
  RECONCILE_REASON_IDS,
  REASONS,
  type ReconcileReasonId,
} from '@fleet-monitoring/plugin-monitoring-common';

/**
 * What the server filters on: a reconcile reason id, or `capacity` (any capacity-* reason, counted
 * by the server as one group so a row with two is one row).
 */
export type ReasonFilterId = ReconcileReasonId | 'capacity';

/** A filter of the reconciled fleet: a name in the URL, the words on its button, the reasons it keeps. */
export interface ReasonFilter {
  key: string;
  label: string;
  ids: ReasonFilterId[];
  /** Shown even when no row carries it (the questions people come with). */
  always?: boolean;
}

const PREFIX = 'reconcile-';

/**
 * Ghosts, "broke after a sync" and capacity (a tenant at its head-series limit or reaching it
 * within the capacity judge's horizon) first, then every other reconcile reason on its own. A ghost
 * is either in the catalog but never seen, or seen but not in the catalog: never both, so the sum
 * of their counts is the number of ghost rows.
 */
export const REASON_FILTERS: ReasonFilter[] = [
  {
    key: 'ghosts',
    label: 'Ghosts',
    ids: ['reconcile-never-seen', 'reconcile-not-in-catalog'],
    always: true,
  },
  {
    key: 'broke-after-sync',
    label: 'Broke after a sync',
    ids: ['reconcile-broke-after-sync'],
    always: true,
  },
  {
    key: 'capacity',
    label: 'Capacity',
    ids: ['capacity'],
    always: true,
  },
  ...RECONCILE_REASON_IDS.filter(
    id =>
      id !== 'reconcile-never-seen' &&
      id !== 'reconcile-not-in-catalog' &&
      id !== 'reconcile-broke-after-sync',
  ).map(id => ({
    key: id.slice(PREFIX.length),
    label: REASONS[id].title,
    ids: [id],
  })),
];

const BY_KEY = new Map(REASON_FILTERS.map(f => [f.key, f]));

/** The filter keys a URL names, in the filters' order (one view, one URL), unknown ones dropped. */
export function reasonKeysFrom(value: string | null): string[] {
  const asked = new Set((value ?? '').split(','));
  return REASON_FILTERS.filter(f => asked.has(f.key)).map(f => f.key);
}

/** The reason ids the server filters on for the chosen keys. */
export function reasonIdsOf(keys: string[]): ReasonFilterId[] {
  return keys.flatMap(k => BY_KEY.get(k)?.ids ?? []);
}

/** Rows of the whole fleet a filter keeps, from the answer's per-reason counts. */
export function filterCount(
  filter: ReasonFilter,
  counts: Record<string, number>,
): number {
  return filter.ids.reduce((n, id) => n + (counts[id] ?? 0), 0);
}
