import type { ClusterHealth } from '@fleet-monitoring/plugin-monitoring-common';
import {
  DEFAULT_VIEW,
  filterClusters,
  pageOf,
  sortClusters,
  viewFromSearch,
  viewToSearch,
} from './fleetView';

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

const fleet = [
  cluster('edge-b', 'healthy', 1),
  cluster('edge-a', 'failing', 3),
  cluster('core', 'degraded', 90),
  cluster('edge-c', 'failing', 30),
  cluster('lost', 'no-data'),
];

describe('fleet view', () => {
  it('sorts worst first, the most lagging first within a state', () => {
    expect(sortClusters(fleet, 'state', false).map(c => c.cluster)).toEqual([
      'edge-c',
      'edge-a',
      'core',
      'lost',
      'edge-b',
    ]);
    expect(sortClusters(fleet, 'lag', true).map(c => c.cluster)).toEqual([
      'core',
      'edge-c',
      'edge-a',
      'edge-b',
      'lost',
    ]);
    expect(sortClusters(fleet, 'cluster', false)[0].cluster).toBe('core');
  });

  it('filters by name and state together', () => {
    const sorted = sortClusters(fleet, 'state', false);
    expect(
      filterClusters(sorted, ' EDGE', ['failing']).map(c => c.cluster),
    ).toEqual(['edge-c', 'edge-a']);
    expect(filterClusters(sorted, '', [])).toBe(sorted);
    expect(filterClusters(sorted, 'nothing', [])).toEqual([]);
  });

  it('pages and clamps the page to the last one', () => {
    const many = Array.from({ length: 120 }, (_, i) =>
      cluster(`c-${String(i).padStart(3, '0')}`, 'healthy'),
    );
    expect(pageOf(many, 3, 50)).toMatchObject({
      total: 120,
      page: 3,
      pageCount: 3,
    });
    expect(pageOf(many, 3, 50).rows.map(c => c.cluster)).toHaveLength(20);
    expect(pageOf(many, 9, 50).page).toBe(3);
    expect(pageOf([], 1, 50)).toMatchObject({ total: 0, pageCount: 1 });
  });

  it('round-trips through the URL and ignores junk', () => {
    const view = {
      query: 'edge',
      states: ['failing', 'degraded'] as const,
      sort: 'lag' as const,
      descending: true,
      page: 2,
      pageSize: 100,
    };
    const params = viewToSearch(
      { ...view, states: [...view.states] },
      new URLSearchParams('instance=eu'),
    );
    expect(params.toString()).toBe(
      'instance=eu&q=edge&state=failing%2Cdegraded&sort=-lag&page=2&size=100',
    );
    expect(viewFromSearch(params)).toEqual({
      ...view,
      states: ['failing', 'degraded'],
    });
    expect(viewToSearch(DEFAULT_VIEW, new URLSearchParams()).toString()).toBe(
      '',
    );
    expect(
      viewFromSearch(
        new URLSearchParams('state=bogus,healthy&sort=-nope&page=-3&size=7'),
      ),
    ).toEqual({ ...DEFAULT_VIEW, states: ['healthy'] });
    expect(
      viewFromSearch(new URLSearchParams('state=healthy,failing')).states,
    ).toEqual(['failing', 'healthy']);
  });

  it('filters and sorts 10,000 clusters', () => {
    const big = Array.from({ length: 10_000 }, (_, i) =>
      cluster(`sim-${i}`, i % 7 === 0 ? 'failing' : 'healthy', i % 100),
    );
    const sorted = sortClusters(big, 'state', false);
    expect(sorted[0].state).toBe('failing');
    expect(filterClusters(sorted, 'sim-99', [])).toHaveLength(111);
  });
});
