import { ConfigReader } from '@backstage/config';
import { readFleetMonitoringConfig } from '../config';
import { MAX_NAMED_CLUSTERS, summaryHeldQuery } from '../thanos/queries';
import { SIGNAL_LABEL } from '../thanos/signals';
import { heldQuestions } from './heldQuestions';

const t = readFleetMonitoringConfig(new ConfigReader({})).thresholds
  .remoteWrite;
const sample = (signal: string, cluster: string, value: number) => ({
  metric: { [SIGNAL_LABEL]: signal, cluster },
  value: [0, String(value)] as [number, string],
});

describe('heldQuestions', () => {
  it('asks each held signal only where its condition is true now, at the judge limits', () => {
    const asked = heldQuestions(
      [
        sample('sent', 'healthy', 900),
        sample('pending', 'healthy', t.pendingSamplesWarning),
        sample('pending', 'backlog', t.pendingSamplesWarning + 1),
        sample('failure_ratio_q', 'failing', 0.2),
        sample('failed_q', 'refused', 3),
        sample('retried', 'retrying', t.retriedPerSecondWarning + 1),
        sample('lag_q', 'behind', t.lagWarningSeconds + 1),
        sample('shards_over_q', 'maxed', 2),
      ],
      'cluster',
      t,
    );
    expect(asked).toEqual({
      failure_ratio_held_q: ['failing', 'refused'],
      retried_held: ['retrying'],
      pending_held: ['backlog'],
      lag_held_q: ['behind'],
      shards_over_held_q: ['maxed'],
      shards_max_q: ['maxed'],
      // A draining backlog turns lag, shards, retries and pending into "recovering".
      lag_drain_q: expect.arrayContaining([
        'behind',
        'maxed',
        'retrying',
        'backlog',
      ]),
    });
    expect(asked.lag_drain_q).toHaveLength(4);
  });

  it('asks nothing of a healthy fleet (no second round)', () => {
    const asked = heldQuestions([sample('sent', 'a', 1)], 'cluster', t);
    expect(asked).toEqual({});
    expect(
      summaryHeldQuery({ clusterLabel: 'cluster', window: '5m' }, asked),
    ).toBeUndefined();
  });
});

describe('summaryHeldQuery', () => {
  const scope = { clusterLabel: 'cluster', window: '5m', hold: '15m' };

  it('names the clusters of each signal in its own part', () => {
    const q = summaryHeldQuery(scope, {
      lag_held_q: ['b', 'a'],
      retried_held: ['c'],
    })!;
    const parts = q.split('\nor\n');
    expect(parts).toHaveLength(2);
    expect(parts.find(p => p.includes('"retried_held"'))).toContain(
      'cluster=~"c"',
    );
    expect(parts.find(p => p.includes('"lag_held_q"'))).toContain(
      'cluster=~"a|b"',
    );
  });

  it('asks the whole fleet when naming the clusters would cost more', () => {
    const many = Array.from(
      { length: MAX_NAMED_CLUSTERS + 1 },
      (_, i) => `c${i}`,
    );
    const q = summaryHeldQuery(scope, { pending_held: many })!;
    expect(q).not.toContain('cluster=~');
  });
});
