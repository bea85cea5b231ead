import {
  bySignal,
  forEachSeen,
  joinSignals,
  SIGNAL_LABEL,
  signals,
} from './signals';

const sample = (
  signal: string | undefined,
  labels: Record<string, string>,
  value: string,
) => ({
  metric: signal ? { [SIGNAL_LABEL]: signal, ...labels } : labels,
  value: [0, value] as [number, string],
});

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

  it('keeps each signal in answer order when the signals come interleaved', () => {
    const split = signals<'a' | 'b'>([
      sample('a', { n: '1' }, '1'),
      sample('b', { n: '2' }, '2'),
      sample('a', { n: '3' }, '3'),
      sample('b', { n: '4' }, 'NaN'),
      sample('a', { n: '5' }, '5'),
      sample('b', { n: '6' }, '6'),
    ]);
    expect(split.get('a')!.map(s => s.value)).toEqual([1, 3, 5]);
    expect(split.get('b')!.map(s => s.labels.n)).toEqual(['2', '6']);
  });

  it('reads the inventory in answer order: last seen with either tenant label, finite values only', () => {
    const seen: unknown[] = [];
    forEachSeen(
      [
        sample('last_seen', { cluster: 'a', tenant_id: 'ta' }, '100'),
        sample('sent', { cluster: 'x' }, '5'),
        sample(undefined, { cluster: 'y' }, '5'),
        sample('last_seen', { cluster: 'b', fleet_tenant: 'tb' }, '200'),
        sample('last_seen', { cluster: 'c' }, 'NaN'),
        sample('last_seen', { tenant_id: 'no-cluster' }, '300'),
        sample('last_seen', { cluster: 'a' }, '50'),
      ],
      'cluster',
      (cluster, lastSeen, tenant) => seen.push([cluster, lastSeen, tenant]),
    );
    expect(seen).toEqual([
      ['a', 100, 'ta'],
      ['b', 200, 'tb'],
      ['a', 50, undefined],
    ]);
  });
});
