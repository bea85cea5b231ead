import { useCallback, useEffect, useRef, useState } from 'react';
import { REFRESH_SECONDS, useLivePaused } from './liveRefresh';

/** What a live request holds: the last answer, when it arrived, and the last failure. */
export interface LiveRequestState<T> {
  value?: T;
  /** Epoch ms of the last successful answer. */
  fetchedAt?: number;
  /** The last refresh's failure; `value` then still holds the previous answer, if any. */
  error?: Error;
  loading: boolean;
  retry: () => void;
}

/**
 * A request that repeats every {@link REFRESH_SECONDS} unless paused (or the tab is hidden). The
 * browser revalidates with the backend's ETag, so an unchanged answer costs a 304; an answer equal
 * to the one shown keeps its identity, so nothing re-renders. A failed refresh keeps the last
 * answer and reports the error beside it. New `deps` start over.
 */
export function useLiveRequest<T>(
  load: () => Promise<T>,
  deps: unknown[],
  enabled = true,
): LiveRequestState<T> {
  const [paused] = useLivePaused();
  const [state, setState] = useState<Omit<LiveRequestState<T>, 'retry'>>({
    loading: enabled,
  });
  const latest = useRef(0);
  const shown = useRef<string>();
  const run = useCallback(async () => {
    if (!enabled) return;
    const id = ++latest.current;
    setState(s => (s.loading ? s : { ...s, loading: true }));
    try {
      const value = await load();
      if (id !== latest.current) return;
      const json = JSON.stringify(value);
      const same = json === shown.current;
      shown.current = json;
      setState(s => ({
        value: same ? s.value : value,
        fetchedAt: Date.now(),
        loading: false,
      }));
    } catch (e) {
      if (id !== latest.current) return;
      setState(s => ({ ...s, error: e as Error, loading: false }));
    }
    // `load` is a new closure on every render; `deps` say when it asks for something else.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enabled, ...deps]);

  useEffect(() => {
    const requests = latest;
    shown.current = undefined;
    setState({ loading: enabled });
    run();
    return () => {
      requests.current++; // answers of the previous deps are dropped
    };
  }, [run, enabled]);

  useEffect(() => {
    if (paused || !enabled) return undefined;
    const timer = setInterval(() => {
      if (typeof document === 'undefined' || !document.hidden) run();
    }, REFRESH_SECONDS * 1000);
    return () => clearInterval(timer);
  }, [paused, enabled, run]);

  return { ...state, retry: run };
}
