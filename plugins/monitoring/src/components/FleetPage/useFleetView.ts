import { useCallback, useMemo, useRef, useState } from 'react';
import { useAppSearchParams } from '@backstage/frontend-plugin-api';
import { viewFromSearch, viewToSearch, type FleetView } from './fleetView';

/** Applies a change to the fleet view in the URL. */
export type UpdateFleetView = (
  change: Partial<FleetView>,
  options?: { replace?: boolean },
) => void;

/**
 * The fleet view lives in the URL (shareable link). A keystroke in the name filter goes to the URL
 * at once (replacing the entry, so Back leaves the page, not the last letter), in the same render
 * as the field: the page's request starts after one render, not three. The field also keeps its
 * text locally, so it shows what was typed while the URL catches up. `update` keeps its identity
 * across URL changes, so the memoised tables re-render only when their own props change.
 */
export function useFleetView() {
  const [params, setParams] = useAppSearchParams();
  const view = useMemo(() => viewFromSearch(params), [params]);
  const [query, setLocalQuery] = useState(view.query);
  // The setter changes with every URL; a functional update reads the params of the current render.
  const setParamsRef = useRef(setParams);
  setParamsRef.current = setParams;
  const update: UpdateFleetView = useCallback(
    (change, options) =>
      setParamsRef.current(
        prev => viewToSearch({ ...viewFromSearch(prev), ...change }, prev),
        options,
      ),
    [],
  );
  const setQuery = useCallback(
    (next: string) => {
      setLocalQuery(next);
      update({ query: next, page: 1 }, { replace: true });
    },
    [update],
  );
  return {
    view,
    query,
    setQuery,
    update,
    instance: params.get('instance') ?? undefined,
    setInstance: (instance: string) =>
      setParamsRef.current(prev => {
        const next = new URLSearchParams(prev);
        next.set('instance', instance);
        next.delete('page');
        return next;
      }),
  };
}
