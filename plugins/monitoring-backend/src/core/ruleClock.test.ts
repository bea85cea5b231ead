import { clockStep, heldForQuery, ruleState, ruleVerdict } from './ruleClock';

describe('ruleClock', () => {
  it('has the transitions the mixin implies', () => {
    expect(ruleState({ now: false, heldFor: true })).toBe('inactive');
    expect(ruleState({ now: true, heldFor: false })).toBe('pending');
    expect(ruleState({ now: true, heldFor: true })).toBe('firing');
    expect(ruleState({ now: true, heldFor: true, draining: true })).toBe(
      'draining',
    );
    expect(ruleState({ now: true, heldFor: false, draining: true })).toBe(
      'draining',
    );
    // The windows no longer contain the fault: inactive, whatever drained.
    expect(ruleState({ now: false, heldFor: false, draining: true })).toBe(
      'inactive',
    );
  });

  it('shows pending as info and healthy, draining as recovering, firing at its severity', () => {
    expect(
      ruleVerdict({ now: false, heldFor: false }, 'critical', '15 min'),
    ).toBe(undefined);
    expect(
      ruleVerdict({ now: true, heldFor: false }, 'critical', '15 min'),
    ).toMatchObject({ severity: 'info', health: 'healthy' });
    expect(
      ruleVerdict({ now: true, heldFor: false }, 'critical', '15 min')!.note,
    ).toContain('not yet for 15 min');
    expect(
      ruleVerdict({ now: true, heldFor: true }, 'critical', '15 min'),
    ).toMatchObject({ severity: 'critical', health: 'failing', note: '' });
    expect(
      ruleVerdict({ now: true, heldFor: true }, 'warning', '15 min'),
    ).toMatchObject({ severity: 'warning', health: 'degraded' });
    expect(
      ruleVerdict(
        { now: true, heldFor: true, draining: true },
        'critical',
        'x',
      ),
    ).toMatchObject({ severity: 'info', health: 'recovering' });
  });

  it('reads `for:` at a resolution of a scrape interval, never before it ran out', () => {
    expect(clockStep(900)).toBe(15);
    expect(clockStep(60)).toBe(1);
    expect(clockStep(3 * 3600)).toBe(180);
    // The range reaches one step before the window; every point must have a value.
    expect(heldForQuery('x', 900)).toBe(
      '(min_over_time((x)[915s:15s]) and count_over_time((x)[915s:15s]) >= 61)',
    );
  });
});
