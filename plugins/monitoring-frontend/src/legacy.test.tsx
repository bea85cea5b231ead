import * as index from './index';

describe('legacy plugin', () => {
  it('exports the plugin, the page, the cards and the availability checks', () => {
    expect(index.fleetMonitoringPlugin.getId()).toBe('fleet-monitoring');
    for (const name of [
      'FleetMonitoringPage',
      'EntityRemoteWriteCard',
      'EntityThanosCard',
      'EntityMetricsArrivingCard',
      'EntityArgocdCard',
    ] as const) {
      expect(typeof index[name]).toBe('function');
    }
    expect(
      index.isRemoteWriteAvailable({
        metadata: { annotations: { 'fleet-monitoring.io/cluster': 'c' } },
      } as any),
    ).toBe(true);
    expect(index.isThanosAvailable({ metadata: {} } as any)).toBe(false);
    expect(
      [...index.fleetMonitoringPlugin.getApis()].map(a => a.api.id),
    ).toEqual(['plugin.fleet-monitoring.service']);
  });
});
