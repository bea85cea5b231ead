import type {
  ClusterHealth,
  FleetSummary,
} from '@fleet-monitoring/plugin-monitoring-common';
import { countStates } from '@fleet-monitoring/plugin-monitoring-common';
import { fleetPage } from './fleetPage';

const cluster = (
  name: string,
  state: ClusterHealth['state'],
  lag?: number,
): ClusterHealth => ({
  cluster: name,
  state,
  reasons: [],
  stats: { lagSeconds: lag },
});

const summaryOf = (clusters: ClusterHealth[]): FleetSummary => ({
  instance: 'central',
  generatedAt: '2026-12-04T10:00:00.000Z',
  clusters,
  counts: countStates(clusters.map(c => c.state)),
});

const fleet = summaryOf([
  cluster('edge-b', 'healthy', 1),
  cluster('edge-a', 'failing', 3),
  cluster('core', 'degraded', 90),
  cluster('edge-c', 'failing', 30),
  cluster('lost', 'no-data'),
]);
const names = (s: FleetSummary) => s.clusters.map(c => c.cluster);

describe('fleetPage', () => {
  it('returns the summary itself when no paging is asked for', () => {
    expect(fleetPage(fleet, {})).toBe(fleet);
  });

  it('sorts worst first, the most lagging first within a state; numbers either way', () => {
    expect(names(fleetPage(fleet, { sort: 'state' }))).toEqual([
      'edge-c',
      'edge-a',
      'core',
      'lost',
      'edge-b',
    ]);
    expect(names(fleetPage(fleet, { sort: 'lag', order: 'desc' }))).toEqual([
      'core',
      'edge-c',
      'edge-a',
      'edge-b',
      'lost',
    ]);
    expect(names(fleetPage(fleet, { sort: 'cluster' }))[0]).toBe('core');
  });

  it('filters by name and state together; counts stay the whole fleet', () => {
    const page = fleetPage(fleet, { name: ' EDGE', state: ['failing'] });
    expect(names(page)).toEqual(['edge-c', 'edge-a']);
    expect(page.page?.total).toBe(2);
    expect(page.counts).toEqual(fleet.counts);
    expect(fleetPage(fleet, { name: 'nothing' }).clusters).toEqual([]);
  });

  it('cuts a page of 100,000 clusters and sorts each summary once per order', () => {
    const big = summaryOf(
      Array.from({ length: 100_000 }, (_, i) =>
        cluster(`sim-${i}`, i % 7 === 0 ? 'failing' : 'healthy', i % 100),
      ),
    );
    const first = fleetPage(big, { offset: 0, limit: 50 });
    expect(first.clusters).toHaveLength(50);
    expect(first.clusters[0].state).toBe('failing');
    expect(first.page?.total).toBe(100_000);
    const filtered = fleetPage(big, { name: 'sim-999', limit: 1000 });
    expect(filtered.page?.total).toBe(111);
    // The same sorted list serves the next page: its first cluster follows the first page's last.
    const second = fleetPage(big, { offset: 50, limit: 50 });
    const both = fleetPage(big, { offset: 0, limit: 100 });
    expect([...names(first), ...names(second)]).toEqual(names(both));
  });
});
