import { bySignal, joinSignals, SIGNAL_LABEL } from './signals';

describe('signals', () => {
  it('tags each expression with its signal name and joins them with or', () => {
    expect(
      joinSignals<'a' | 'b'>([
        ['a', 'up'],
        ['b', 'down'],
      ]),
    ).toBe(
      `label_replace(up, "${SIGNAL_LABEL}", "a", "", "")\nor\nlabel_replace(down, "${SIGNAL_LABEL}", "b", "", "")`,
    );
  });

  it('splits joined results back by signal and group', () => {
    const m = bySignal<'sent' | 'lag'>(
      [
        { metric: { [SIGNAL_LABEL]: 'sent', cluster: 'a' }, value: [0, '5'] },
        { metric: { [SIGNAL_LABEL]: 'sent', cluster: 'b' }, value: [0, 'NaN'] },
        { metric: { [SIGNAL_LABEL]: 'lag', cluster: 'a' }, value: [0, '+Inf'] },
        { metric: { cluster: 'a' }, value: [0, '1'] },
      ],
      'cluster',
    );
    expect(m.get('sent')).toEqual(new Map([['a', 5]]));
    expect(m.has('lag')).toBe(false);
  });
});
