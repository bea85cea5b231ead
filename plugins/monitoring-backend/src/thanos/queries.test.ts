import { parseSelector } from '@fleet-monitoring/plugin-monitoring-common';
import { bySignal, gaugesQuery, inventoryQuery, metricsArrivingQuery, ratesQuery, receiveQuery, SIGNAL_LABEL } from './queries';

describe('PromQL builders', () => {
  it('build the fleet summary from queries that do not depend on the number of clusters', () => {
    const scope = { clusterLabel: 'cluster', window: '5m' };
    for (const q of [inventoryQuery(scope), ratesQuery(scope), gaugesQuery(scope)]) {
      expect(q).toContain('by (cluster)');
      expect(q).not.toContain('cluster="');
    }
  });

  it('escapes a hostile cluster name inside the selector', () => {
    const q = ratesQuery({ clusterLabel: 'cluster', window: '5m', cluster: 'x"} or vector(1) or up{a="' });
    expect(q).toContain('cluster="x\\"} or vector(1) or up{a=\\""');
    expect(q).not.toContain('cluster="x"}');
  });

  it('puts annotation selectors through the escaping formatter', () => {
    const q = receiveQuery(parseSelector('job="a\\"b"'), '5m');
    expect(q).toContain('job="a\\"b"');
    expect(metricsArrivingQuery(parseSelector('job="c"'), 'k8s_cluster')).toContain('by (k8s_cluster)');
  });

  it('splits joined results back by signal and group', () => {
    const m = bySignal(
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
