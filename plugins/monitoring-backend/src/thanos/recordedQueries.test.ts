import {
  FLEET_QUEUE_SERIES,
  fleetRecordingRuleGroup,
  recordedFleetSeries,
} from '@fleet-monitoring/plugin-monitoring-common';
import {
  gaugesQuery,
  inventoryQuery,
  QueryScope,
  ratesQuery,
  recordingRulesProbeQuery,
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
    for (const [k, build] of Object.entries(FLEET_QUEUE_SERIES)) {
      const name = names.queue[k as keyof typeof FLEET_QUEUE_SERIES];
      expect(name).toMatch(/^cluster_queue:prometheus_remote_storage_\w+:\w+$/);
      expect(byName.get(name)).toBe(
        build({ clusterLabel: 'cluster', window: '5m' }),
      );
      // The raw summary wraps the same expression.
      const text = `${ratesQuery(raw)}\n${gaugesQuery(raw)}`;
      expect(text).toContain(build({ clusterLabel: 'cluster', window: '5m' }));
    }
    expect(names.queue.failed).toBe(
      'cluster_queue:prometheus_remote_storage_samples_failed:rate5m',
    );
    for (const r of group.rules)
      expect(r.record).toMatch(/^[a-z_]+:[a-z_]+:[a-z_0-9]+$/);
  });

  it('reads one recorded series per queue instead of raw rates, collapsed per queue', () => {
    for (const q of [
      ratesQuery(recorded(86400)),
      gaugesQuery(recorded(86400)),
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

  it('reads the inventory raw only for the part of its lookback before the ruler started', () => {
    const whole = inventoryQuery(recorded(86400));
    expect(whole).not.toMatch(RAW_METRIC);
    expect(whole).toContain(`last_over_time(${names.lastSeen}{}[86400s])`);
    const young = inventoryQuery(recorded(600));
    expect(young).toContain(`last_over_time(${names.lastSeen}{}[600s])`);
    expect(young).toContain(
      'last_over_time(prometheus_remote_storage_highest_timestamp_in_seconds{}[85800s] offset 600s)',
    );
    // The agent's tenant comes back under Receive's tenant label.
    expect(young).toContain('"tenant_id", "$1", "fleet_tenant", "(.*)"');
    expect(inventoryQuery(recorded(0))).toBe(inventoryQuery(raw));
  });

  it('probes one heartbeat series for the configured window', () => {
    expect(recordingRulesProbeQuery('30s')).toContain(
      'min(min_over_time(fleet:fleet_monitoring_recording_rules:time{rate_window="30s"}[1d]))',
    );
  });
});
