import {
  useCallback,
  useDeferredValue,
  useEffect,
  useMemo,
  useState,
} from 'react';
import { useAppSearchParams } from '@backstage/frontend-plugin-api';
import { viewFromSearch, viewToSearch, type FleetView } from './fleetView';

/** Applies a change to the fleet view in the URL. */
export type UpdateFleetView = (
  change: Partial<FleetView>,
  options?: { replace?: boolean },
) => void;

/**
 * The fleet view lives in the URL (shareable link); the name filter is also kept locally so typing
 * stays instant, and the table follows a deferred copy of it: React renders the keystroke first
 * and the (cheap, one-page) table after, so the tab never freezes at 10,000 clusters.
 */
export function useFleetView() {
  const [params, setParams] = useAppSearchParams();
  const view = useMemo(() => viewFromSearch(params), [params]);
  const [query, setQuery] = useState(view.query);
  const appliedQuery = useDeferredValue(query);
  const update: UpdateFleetView = useCallback(
    (change, options) =>
      setParams(
        prev => viewToSearch({ ...viewFromSearch(prev), ...change }, prev),
        options,
      ),
    [setParams],
  );
  useEffect(() => {
    if (appliedQuery !== view.query)
      update({ query: appliedQuery, page: 1 }, { replace: true });
  }, [appliedQuery, view.query, update]);
  return {
    view: { ...view, query: appliedQuery },
    query,
    setQuery,
    update,
    instance: params.get('instance') ?? undefined,
    setInstance: (instance: string) =>
      setParams(prev => {
        const next = new URLSearchParams(prev);
        next.set('instance', instance);
        next.delete('page');
        return next;
      }),
  };
}
