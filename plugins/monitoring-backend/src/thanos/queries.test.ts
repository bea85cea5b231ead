import { parseSelector } from '@fleet-monitoring/plugin-monitoring-common';
import {
  gaugesQuery,
  inventoryQuery,
  lateClusterQuery,
  manualCheckQuery,
  metricsArrivingQuery,
  ratesQuery,
  receiveQuery,
  summarySecondQuery,
} from './queries';

describe('PromQL builders', () => {
  it('build the fleet summary from queries that do not depend on the number of clusters', () => {
    const scope = { clusterLabel: 'cluster', window: '5m' };
    // Nor on the recording rules' age: the recorded inventory reads one short range.
    const recorded = (coveredSeconds: number) =>
      inventoryQuery({
        ...scope,
        source: { kind: 'recorded', coveredSeconds },
      });
    expect(recorded(10 * 86400)).toBe(recorded(86400));
    for (const q of [
      inventoryQuery(scope),
      recorded(86400),
      ratesQuery(scope),
      gaugesQuery(scope),
    ]) {
      expect(q).toMatch(/by \(cluster[,)]/);
      expect(q).not.toContain('cluster="');
    }
  });

  it("asks a late cluster for its own series only, not every tenant's receiver rates", () => {
    const scope = { clusterLabel: 'cluster', window: '5m', cluster: 'late' };
    const tenants = /"tenant_(accepted|refused)"/;
    expect(ratesQuery(scope)).toMatch(tenants);
    for (const source of [
      undefined,
      { kind: 'recorded' as const, coveredSeconds: 86400 },
    ]) {
      const late = lateClusterQuery({ ...scope, source });
      expect(late).not.toMatch(tenants);
      expect(late).toContain('"sent_q"');
    }
  });

  it('asks the second round in one query, only for what needs it', () => {
    const scope = { clusterLabel: 'cluster', window: '5m' };
    expect(summarySecondQuery(scope, {}, [])).toBeUndefined();
    const held = summarySecondQuery(scope, { lag_held_q: ['a'] }, []);
    expect(held).toContain('"lag_held_q"');
    expect(held).not.toContain('tenant_accepted');
    const both = summarySecondQuery(scope, { lag_held_q: ['a'] }, [
      't"1',
      't2',
    ]);
    expect(both).toContain('"lag_held_q"');
    // The tenants named (escaped), not every tenant of the receivers.
    expect(both).toContain('"tenant_accepted"');
    expect(both).toContain('tenant=~"t\\"1|t2"');
  });

  it('escapes a hostile cluster name inside the selector', () => {
    const q = ratesQuery({
      clusterLabel: 'cluster',
      window: '5m',
      cluster: 'x"} or vector(1) or up{a="',
    });
    expect(q).toContain('cluster="x\\"} or vector(1) or up{a=\\""');
    expect(q).not.toContain('cluster="x"}');
  });

  it('puts annotation selectors through the escaping formatter', () => {
    const q = receiveQuery(parseSelector('job="a\\"b"'), '5m');
    expect(q).toContain('job="a\\"b"');
    expect(
      metricsArrivingQuery(parseSelector('job="c"'), 'k8s_cluster'),
    ).toContain('by (k8s_cluster)');
  });

  it('collapses replica copies per queue before summing, and judges shards per queue', () => {
    const scope = { clusterLabel: 'cluster', window: '5m' };
    expect(ratesQuery(scope)).toContain(
      'sum by (cluster) ((clamp_min(max by (cluster, instance, remote_name, url) (rate(prometheus_remote_storage_samples_total{}[5m]))',
    );
    expect(gaugesQuery(scope)).toContain(
      'max by (cluster, instance, remote_name, url) (max_over_time(prometheus_remote_storage_shards_desired{}[5m])) - max by (cluster, instance, remote_name, url) (max_over_time(prometheus_remote_storage_shards_max{}[5m]))',
    );
  });

  it('builds valid selectors for a metric-name selector (no up{__name__=...})', () => {
    const q = metricsArrivingQuery(
      parseSelector('__name__="http_requests_total", job="checkout"'),
      'cluster',
    );
    expect(q).not.toMatch(/up\{__name__/);
    expect(q).toContain(
      'timestamp({__name__="http_requests_total",job="checkout"})',
    );
    expect(manualCheckQuery(parseSelector('__name__="x"'), 'cluster')).toBe(
      'count by (cluster) ({__name__="x"})',
    );
  });
});
