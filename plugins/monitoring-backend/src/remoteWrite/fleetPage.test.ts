import type {
  ClusterHealth,
  FleetSummary,
} from '@fleet-monitoring/plugin-monitoring-common';
import { countStates } from '@fleet-monitoring/plugin-monitoring-common';
import { fleetComparator, fleetPage } from './fleetPage';

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

  it('orders by every key in both directions as fleetComparator does, ties and gaps included', () => {
    const states: ClusterHealth['state'][] = [
      'healthy',
      'failing',
      'degraded',
      'no-data',
      'unknown',
    ];
    let seed = 11;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pick = () => (next(4) === 0 ? undefined : next(5) * 10);
    const clusters = Array.from({ length: 400 }, (_, i) => ({
      ...cluster(`c-${next(300)}-${i % 3}`, states[next(states.length)]),
      stats: {
        lagSeconds: pick(),
        samplesPerSecond: pick(),
        failureRatio: pick(),
        lastSeen: pick(),
      },
    }));
    // In store order, and by name as a summary lists them (names unique: ties break on the index).
    const named = [...new Map(clusters.map(c => [c.cluster, c])).values()].sort(
      fleetComparator('cluster', false),
    );
    for (const list of [clusters, named])
      for (const sort of [
        'state',
        'cluster',
        'lag',
        'throughput',
        'failureRatio',
        'lastSeen',
      ] as const) {
        for (const order of ['asc', 'desc'] as const) {
          const expected = [...list]
            .sort(fleetComparator(sort, order === 'desc'))
            .map(c => c.cluster);
          expect({
            sort,
            order,
            names: names(
              fleetPage(summaryOf(list), { sort, order, limit: 400 }),
            ),
          }).toEqual({
            sort,
            order,
            names: expected,
          });
        }
      }
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
