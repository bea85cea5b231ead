import { useRef } from 'react';
import { useLiveRequest, type LiveRequestState } from '../common';

/** A page of the fleet and the query it answers. */
export interface FleetAnswer<Q, T> {
  query: Q;
  value: T;
}

/**
 * One page of one instance's fleet, live. While the next page loads the last one stays (same
 * instance), so filters keep focus and nothing flashes; `shown` is what to draw.
 */
export function useFleetAnswer<Q, T>(
  instance: string | undefined,
  query: Q,
  load: (instance: string, query: Q) => Promise<T>,
  deps: unknown[],
): {
  request: LiveRequestState<FleetAnswer<Q, T>>;
  shown?: FleetAnswer<Q, T>;
} {
  const request = useLiveRequest<FleetAnswer<Q, T>>(
    async () => ({ query, value: await load(instance!, query) }),
    [instance, JSON.stringify(query), ...deps],
    instance !== undefined,
  );
  const last = useRef<{ instance?: string; answer: FleetAnswer<Q, T> }>();
  if (request.value) last.current = { instance, answer: request.value };
  const shown =
    request.value ??
    (last.current?.instance === instance ? last.current?.answer : undefined);
  return { request, shown };
}
