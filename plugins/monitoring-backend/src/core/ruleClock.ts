import type {
  HealthState,
  ReasonSeverity,
} from '@fleet-monitoring/plugin-monitoring-common';

/**
 * One mixin rule over time: a small state machine whose clock is the rule's `for:`.
 *
 * ```
 *              condition true               held for `for:`
 *   inactive ─────────────────▶ pending ─────────────────▶ firing
 *      ▲   ◀───────────────────────┘                      │   ▲
 *      │        condition false (a blip)   backlog shrinks │   │ it grows again
 *      │                                  (repair observed)▼   │
 *      └────────────────────────────────────────────── draining
 *              the windows that judged the fault no longer contain it
 * ```
 *
 * - `inactive`: the rule's expression is false now (healthy).
 * - `pending`: true now, not yet for the whole `for:` (Prometheus' pending alert): shown as an
 *   info reason, never as a fault and never as recovering.
 * - `firing`: true at every point of the `for:` window: the rule's severity.
 * - `draining`: still true, but a repair is observed and the backlog it left shrinks (only rules
 *   with a backlog: lag, pending samples, retries). A condition that grows is never draining.
 *   A backlog that shrinks before `for:` ran out drains too (pending → draining).
 * - Any state goes back to `inactive` as soon as the expression is false, i.e. when the windows
 *   that judged the fault no longer contain it.
 *
 * The backend keeps no memory between answers: every answer reads where the rule stands from the
 * store at one evaluation time (`RuleWindows`), so the same time gives the same state in every view.
 */
export type RuleState = 'inactive' | 'pending' | 'firing' | 'draining';

/** What one evaluation time tells about a rule, read from the store. */
export interface RuleWindows {
  /** The rule's expression is true now (over its current rate window). */
  now: boolean;
  /** It was true at every point of the `for:` window ending now (see `heldForQuery`). */
  heldFor: boolean;
  /** A backlog of this rule's fault shrinks now (a repair is observed). */
  draining?: boolean;
}

/** Where the rule stands: the one place the transitions above are decided. */
export function ruleState(w: RuleWindows): RuleState {
  if (!w.now) return 'inactive';
  if (w.draining) return 'draining';
  return w.heldFor ? 'firing' : 'pending';
}

/** What a rule in a state shows: the reason's severity, the state it implies and a note. */
export interface RuleVerdict {
  state: RuleState;
  severity: ReasonSeverity;
  /** The health state this rule alone implies. */
  health: HealthState;
  /** Appended to the reason's message (empty when firing). */
  note: string;
}

const FIRING_HEALTH: Record<ReasonSeverity, HealthState> = {
  critical: 'failing',
  warning: 'degraded',
  info: 'healthy',
};

/**
 * The verdict of a rule with severity `severity` and hold text `hold` (e.g. `15 min`), or
 * undefined when it is inactive (no reason to show).
 */
export function ruleVerdict(
  w: RuleWindows,
  severity: ReasonSeverity,
  hold: string,
): RuleVerdict | undefined {
  const state = ruleState(w);
  switch (state) {
    case 'inactive':
      return undefined;
    case 'pending':
      return {
        state,
        severity: 'info',
        health: 'healthy',
        note: ` (not yet for ${hold}, the mixin's \`for:\`)`,
      };
    case 'draining':
      return {
        state,
        severity: 'info',
        health: 'recovering',
        note: ' (repaired: the backlog is draining)',
      };
    default:
      return { state, severity, health: FIRING_HEALTH[severity], note: '' };
  }
}

/** A condition present now, without a backlog: firing once held for `for:`, pending before. */
export function heldVerdict(
  heldFor: boolean,
  severity: ReasonSeverity,
  hold: string,
): RuleVerdict {
  return ruleVerdict({ now: true, heldFor }, severity, hold)!;
}

/**
 * The clock's resolution: points per `for:` window. Prometheus evaluates a rule once per
 * evaluation interval (typically the scrape interval, 15-30 s); a `for: 15m` read at 60 points is
 * read every 15 s, so "held" is never earlier and at most one such step later than the rule.
 */
export const CLOCK_POINTS = 60;

/** Subquery step of the clock for a `for:` of `holdSeconds`. */
export function clockStep(holdSeconds: number): number {
  return Math.max(1, Math.floor(holdSeconds / CLOCK_POINTS));
}

/**
 * PromQL: the lowest value of `expr` over the `for:` window ending now (compare it with the rule's
 * threshold for "held"), only where `expr` has a value at every point. The range reaches one step
 * before the window, so the first point is at or before `now - for:`: like Prometheus' `for:`, a
 * condition that became true at `a` holds from `a + for:` on, never before.
 */
export function heldForQuery(expr: string, holdSeconds: number): string {
  const step = clockStep(holdSeconds);
  const range = `[${holdSeconds + step}s:${step}s]`;
  // Every point of the range has a value: a series that appeared within the window has not held.
  const points = Math.floor(holdSeconds / step) + 1;
  return `(min_over_time((${expr})${range}) and count_over_time((${expr})${range}) >= ${points})`;
}
