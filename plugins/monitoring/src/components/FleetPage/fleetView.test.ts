import {
  DEFAULT_VIEW,
  pageCountOf,
  pageQuery,
  reconciledQuery,
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
        ...DEFAULT_VIEW,
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
      mode: 'remote-write' as const,
      reasons: [],
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

  it('carries the reconciled view and its reason filters, and asks for their reason ids', () => {
    const params = new URLSearchParams(
      'view=reconciled&reason=no-overlay,bogus,ghosts&q=edge&state=failing&page=2',
    );
    const view = viewFromSearch(params);
    expect(view.mode).toBe('reconciled');
    // In the filters' order, whatever the link's; unknown keys dropped.
    expect(view.reasons).toEqual(['ghosts', 'no-overlay']);
    expect(reconciledQuery(view)).toEqual({
      offset: 50,
      limit: 50,
      name: 'edge',
      reason: [
        'reconcile-never-seen',
        'reconcile-not-in-catalog',
        'reconcile-no-overlay',
      ],
      state: ['failing'],
    });
    expect(viewToSearch(view, new URLSearchParams()).toString()).toBe(
      'view=reconciled&reason=ghosts%2Cno-overlay&q=edge&state=failing&page=2',
    );
    // Reasons belong to the reconciled view: the remote-write view neither reads nor writes them.
    expect(
      viewFromSearch(new URLSearchParams('reason=ghosts')).reasons,
    ).toEqual([]);
    expect(
      viewToSearch(
        { ...view, mode: 'remote-write' },
        new URLSearchParams(),
      ).toString(),
    ).toBe('q=edge&state=failing&page=2');
  });
});
