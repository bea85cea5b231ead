import {
  FLEET_QUEUE_SERIES,
  FLEET_TENANT_SERIES,
  fleetRecordingRuleGroup,
  recordedFleetSeries,
} from '@fleet-monitoring/plugin-monitoring-common';
import {
  gaugesQuery,
  inventoryQuery,
  QueryScope,
  ratesQuery,
  recordingRulesProbeQuery,
  summaryNowQueries,
} from './queries';

const raw: QueryScope = {
  clusterLabel: 'cluster',
  window: '5m',
  hold: '15m',
  lagWarningSeconds: 60,
};
const recorded = (coveredSeconds: number): QueryScope => ({
  ...raw,
  source: { kind: 'recorded', coveredSeconds },
});
const names = recordedFleetSeries('5m');
const RAW_METRIC =
  /\bprometheus_remote_storage_\w+\{|thanos_receive_\w+(_sum)?\{/;

describe('the fleet summary from recorded series', () => {
  it('records exactly the expressions the raw summary reads, under level:metric:operations names', () => {
    const group = fleetRecordingRuleGroup({
      clusterLabel: 'cluster',
      window: '5m',
    });
    expect(group.name).toBe('fleet-monitoring-remote-write-5m');
    const byName = new Map(group.rules.map(r => [r.record, r.expr]));
    // Problems only where they are above 0; the shard count, which only the card reads, not at all.
    const sparse = [
      'failed',
      'failureRatio',
      'retried',
      'dropped',
      'shardsOver',
      'refused',
    ];
    expect(Object.keys(names.queue).sort()).toEqual(
      Object.keys(FLEET_QUEUE_SERIES)
        .filter(k => k !== 'shards')
        .sort(),
    );
    for (const [k, name] of Object.entries(names.queue)) {
      const build = FLEET_QUEUE_SERIES[k as keyof typeof FLEET_QUEUE_SERIES];
      expect(name).toMatch(/^cluster_queue:prometheus_remote_storage_\w+:\w+$/);
      expect(byName.get(name)).toBe(
        `${build({ clusterLabel: 'cluster', window: '5m' })}${sparse.includes(k) ? ' > 0' : ''}`,
      );
      // The raw summary wraps the same expression.
      const text = `${ratesQuery(raw)}\n${gaugesQuery(raw)}`;
      expect(text).toContain(build({ clusterLabel: 'cluster', window: '5m' }));
    }
    expect(names.queue.failed).toBe(
      'cluster_queue:prometheus_remote_storage_samples_failed:rate5m',
    );
    for (const [k, name] of Object.entries(names.tenant)) {
      const build = FLEET_TENANT_SERIES[k as keyof typeof FLEET_TENANT_SERIES];
      expect(byName.get(name)).toBe(
        `${build('5m')}${sparse.includes(k) ? ' > 0' : ''}`,
      );
    }
    for (const r of group.rules)
      expect(r.record).toMatch(/^[a-z_]+:[a-z_]+:[a-z_0-9]+$/);
  });

  it('reads one recorded series per queue instead of raw rates, collapsed per queue', () => {
    for (const q of [
      ...summaryNowQueries(recorded(86400)).slice(1),
      ratesQuery(recorded(86400)),
    ]) {
      expect(q).not.toMatch(RAW_METRIC);
      expect(q).not.toContain('rate(');
    }
    const rates = ratesQuery(recorded(86400));
    expect(rates).toContain(
      `max by (cluster, instance, remote_name, url) (${names.queue.failureRatio}{})`,
    );
    expect(rates).toContain(`max by (tenant) (${names.tenant.accepted})`);
  });

  it("reads the sticky inventory with one short range whatever the chain's age, and the raw series only before the chain started", () => {
    const whole = inventoryQuery(recorded(86400));
    expect(whole).not.toMatch(RAW_METRIC);
    // One series per cluster holds both its last seen and its tenant.
    expect(whole).toContain(
      `max by (cluster, fleet_tenant) (last_over_time(${names.lastSeen}{}[10m])) > time() - 86400`,
    );
    expect(whole.match(/last_over_time\(/g)).toHaveLength(1);
    // A chain older than the lookback reads the same short range, never the day it covers.
    const old = inventoryQuery(recorded(30 * 86400));
    expect(old).toBe(whole);
    for (const q of [whole, old]) expect(q).not.toMatch(/\[\d+s\]|\[1d\]/);
    const young = inventoryQuery(recorded(600));
    expect(young).toContain(`last_over_time(${names.lastSeen}{}[10m])`);
    expect(young).toContain(
      'last_over_time(prometheus_remote_storage_highest_timestamp_in_seconds{}[85800s] offset 600s)',
    );
    // The raw part keeps Receive's tenant label, and reads each raw series once.
    expect(young).toContain('max by (cluster, tenant_id) (last_over_time(');
    expect(young.match(/offset 600s/g)).toHaveLength(2);
    expect(inventoryQuery(recorded(0))).toBe(inventoryQuery(raw));
    // Looked up over the retention, the sticky series cover their day and the raw series the rest.
    const retention = inventoryQuery(recorded(30 * 86400), '15d');
    expect(retention).toContain(`last_over_time(${names.lastSeen}{}[10m])`);
    expect(retention).toContain(
      'last_over_time(prometheus_remote_storage_highest_timestamp_in_seconds{}[1209600s] offset 86400s)',
    );
  });

  it("records the sticky inventory and the chain's start, named for what they hold", () => {
    const group = fleetRecordingRuleGroup({
      clusterLabel: 'cluster',
      window: '5m',
    });
    const byName = new Map(group.rules.map(r => [r.record, r]));
    expect(names.lastSeen).toBe(
      'cluster_tenant:prometheus_remote_storage_highest_timestamp_in_seconds:max_last_over_time1d',
    );
    const lastSeen = byName.get(names.lastSeen)!.expr;
    expect(lastSeen).toContain(
      `max by (cluster, fleet_tenant) (last_over_time(${names.lastSeen}[10m]))`,
    );
    // Each evaluation reads the raw newest-sample series once.
    expect(
      lastSeen.match(
        /last_over_time\(prometheus_remote_storage_highest_timestamp_in_seconds\{/g,
      ),
    ).toHaveLength(1);
    expect(byName.get(names.unbrokenSince)).toEqual({
      record: names.unbrokenSince,
      expr: `max(last_over_time(${names.unbrokenSince}{rate_window="5m"}[10m])) or vector(time())`,
      labels: { rate_window: '5m' },
    });
  });

  it("probes one heartbeat series and the chain's start for the configured window", () => {
    const probe = recordingRulesProbeQuery('30s');
    expect(probe).toContain(
      'min(min_over_time(fleet:fleet_monitoring_recording_rules:time{rate_window="30s"}[1d]))',
    );
    expect(probe).toContain(
      'max(last_over_time(fleet:fleet_monitoring_recording_rules:unbroken_since{rate_window="30s"}[10m]))',
    );
  });
});
