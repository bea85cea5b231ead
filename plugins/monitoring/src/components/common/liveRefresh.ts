import { useSyncExternalStore } from 'react';

/** How often cards and the fleet page ask again while live updates run. */
export const REFRESH_SECONDS = 30;

// One switch for the whole app: pausing on one card pauses every card and the fleet page, so a
// user reading a figure is not surprised by another part of the page moving.
let paused = false;
const listeners = new Set<() => void>();

function setPaused(next: boolean) {
  if (next === paused) return;
  paused = next;
  listeners.forEach(l => l());
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Whether live updates are paused, and the switch. */
export function useLivePaused(): [boolean, (paused: boolean) => void] {
  const value = useSyncExternalStore(
    subscribe,
    () => paused,
    () => paused,
  );
  return [value, setPaused];
}
