import type { HoldWindow } from './types';

/**
 * Hold-down = this many rate windows (the Prometheus mixin: `for: 15m` on `[5m]` windows): a
 * condition counts only when it held this long (the rule clock's `for:`, core/ruleClock.ts).
 */
export const HOLD_WINDOWS = 3;

/** Seconds of a Prometheus duration such as `5m` (the forms config validation accepts). */
export function durationSeconds(d: string): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(d);
  if (!m) throw new Error(`not a duration: ${d}`);
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[
    m[2] as 'ms' | 's' | 'm' | 'h' | 'd'
  ];
  return Number(m[1]) * unit;
}

/** The hold window of a rate window, computed once at config load. */
export function holdWindowOf(rateWindow: string): HoldWindow {
  const seconds = durationSeconds(rateWindow) * HOLD_WINDOWS;
  return {
    seconds,
    duration: `${seconds}s`,
    text: seconds >= 120 ? `${seconds / 60} min` : `${seconds} s`,
  };
}

/** The rate window the Thanos mixin's alerts use (`rate(...[5m])`). */
const MIXIN_RATE_WINDOW_SECONDS = 300;

/**
 * A mixin alert's `for:` as a hold window, scaled by our rate window against the mixin's 5m (so the
 * default 5m window holds exactly as the mixin; a 20s test window holds `for: 5m` for 20 s).
 * `fixed` keeps the duration as written: holds tied to wall-clock facts (a block is cut every 2 h,
 * ThanosReceiveNoUpload holds 3 h) must not shrink with the rate window.
 */
export function mixinHold(
  mixinFor: string,
  rateWindow: string,
  fixed = false,
): HoldWindow {
  const scale = fixed
    ? 1
    : durationSeconds(rateWindow) / MIXIN_RATE_WINDOW_SECONDS;
  const seconds = Math.max(1, Math.round(durationSeconds(mixinFor) * scale));
  let text = `${seconds} s`;
  if (seconds >= 7200) text = `${seconds / 3600} h`;
  else if (seconds >= 120) text = `${seconds / 60} min`;
  return { seconds, duration: `${seconds}s`, text };
}
