import {
  DEFAULT_VIEW,
  pageCountOf,
  pageQuery,
  viewFromSearch,
  viewToSearch,
} from './fleetView';

describe('fleet view', () => {
  it('asks the server for the page the view shows', () => {
    expect(pageQuery(DEFAULT_VIEW)).toEqual({
      offset: 0,
      limit: 50,
      sort: 'state',
      order: 'asc',
    });
    expect(
      pageQuery({
        query: ' edge ',
        states: ['failing', 'degraded'],
        sort: 'lag',
        descending: true,
        page: 3,
        pageSize: 100,
      }),
    ).toEqual({
      offset: 200,
      limit: 100,
      name: 'edge',
      state: ['failing', 'degraded'],
      sort: 'lag',
      order: 'desc',
    });
  });

  it('counts pages, at least one', () => {
    expect(pageCountOf(120, 50)).toBe(3);
    expect(pageCountOf(100, 50)).toBe(2);
    expect(pageCountOf(0, 50)).toBe(1);
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
});
