import {
  STATE_ORDER,
  type FleetSortKey,
  type HealthState,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { FleetSummaryQuery, ReconciledFleetQuery } from '../../api';
import { reasonIdsOf, reasonKeysFrom } from './reasonFilters';

/**
 * What the fleet page shows, as plain data: the name filter, the states, the sort and the page.
 * The server filters, sorts and pages (the browser downloads one page and the counts); this is the
 * view the URL carries and the query it becomes.
 */

/** Worst first (the common state order, reversed): the state filter buttons and the default sort. */
export const STATES_WORST_FIRST: HealthState[] = [...STATE_ORDER].reverse();

export const SORT_KEYS: readonly FleetSortKey[] = [
  'state',
  'cluster',
  'lag',
  'throughput',
  'failureRatio',
  'lastSeen',
];
export type SortKey = FleetSortKey;

export const PAGE_SIZES = [50, 100, 500] as const;

/**
 * Which table the page shows: the remote-write summary (Thanos alone, the fast one) or the
 * reconciled fleet (every source joined). Each asks its own route for one page.
 */
export type FleetMode = 'remote-write' | 'reconciled';

export interface FleetView {
  mode: FleetMode;
  /** Reconciled view only: reason filter keys (see reasonFilters); empty means all. */
  reasons: string[];
  /** Case-insensitive substring of the cluster name. */
  query: string;
  /** Only these states; empty means all. */
  states: HealthState[];
  sort: SortKey;
  descending: boolean;
  /** 1-based. */
  page: number;
  pageSize: number;
}

export const DEFAULT_VIEW: FleetView = {
  mode: 'remote-write',
  reasons: [],
  query: '',
  states: [],
  sort: 'state',
  descending: false,
  page: 1,
  pageSize: 50,
};

/** The server's query for a view's page (the server filters, sorts and pages). */
export function pageQuery(view: FleetView): FleetSummaryQuery {
  return {
    offset: (view.page - 1) * view.pageSize,
    limit: view.pageSize,
    ...(view.query.trim() ? { name: view.query.trim() } : {}),
    ...(view.states.length ? { state: view.states } : {}),
    sort: view.sort,
    order: view.descending ? 'desc' : 'asc',
  };
}

/** The reconciled route's query for a view's page (it keeps the fleet's order; no sort). */
export function reconciledQuery(view: FleetView): ReconciledFleetQuery {
  const reason = reasonIdsOf(view.reasons);
  return {
    offset: (view.page - 1) * view.pageSize,
    limit: view.pageSize,
    ...(view.query.trim() ? { name: view.query.trim() } : {}),
    ...(reason.length ? { reason } : {}),
    ...(view.states.length ? { state: view.states } : {}),
  };
}

/** Pages of `total` clusters (at least one, so an empty fleet still has page 1). */
export function pageCountOf(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

// ---------------------------------------------------------------------------------------------
// The view in the URL (`?q=edge&state=failing,degraded&sort=-lag&page=2&size=100`, and
// `view=reconciled&reason=ghosts,broke-after-sync`), so a filtered fleet can be shared as a link.
// Defaults are left out to keep links short.
// ---------------------------------------------------------------------------------------------

const isSortKey = (s: string): s is SortKey =>
  (SORT_KEYS as readonly string[]).includes(s);

export function viewFromSearch(params: URLSearchParams): FleetView {
  const sortParam = params.get('sort') ?? '';
  const descending = sortParam.startsWith('-');
  const sortKey = descending ? sortParam.slice(1) : sortParam;
  const size = Number(params.get('size'));
  const page = Number(params.get('page'));
  const mode: FleetMode =
    params.get('view') === 'reconciled' ? 'reconciled' : 'remote-write';
  return {
    mode,
    reasons: mode === 'reconciled' ? reasonKeysFrom(params.get('reason')) : [],
    query: params.get('q') ?? '',
    // Worst first whatever order the link gives, so one view has one URL.
    states: STATES_WORST_FIRST.filter(s =>
      (params.get('state') ?? '').split(',').includes(s),
    ),
    sort: isSortKey(sortKey) ? sortKey : DEFAULT_VIEW.sort,
    descending: isSortKey(sortKey) ? descending : DEFAULT_VIEW.descending,
    page: Number.isInteger(page) && page > 0 ? page : 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(size)
      ? size
      : DEFAULT_VIEW.pageSize,
  };
}

/** Writes the view into `params` (keeping unrelated ones, e.g. `instance`). */
export function viewToSearch(
  view: FleetView,
  params: URLSearchParams,
): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (key: string, value: string | undefined) =>
    value ? next.set(key, value) : next.delete(key);
  set('view', view.mode === 'reconciled' ? view.mode : undefined);
  set(
    'reason',
    view.mode === 'reconciled' && view.reasons.length
      ? view.reasons.join(',')
      : undefined,
  );
  set('q', view.query || undefined);
  set('state', view.states.length ? view.states.join(',') : undefined);
  const sort = `${view.descending ? '-' : ''}${view.sort}`;
  set('sort', sort === DEFAULT_VIEW.sort ? undefined : sort);
  set('page', view.page > 1 ? String(view.page) : undefined);
  set(
    'size',
    view.pageSize === DEFAULT_VIEW.pageSize ? undefined : String(view.pageSize),
  );
  return next;
}
