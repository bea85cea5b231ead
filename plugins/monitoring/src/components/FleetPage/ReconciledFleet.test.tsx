import { renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type {
  ReconciledCluster,
  ReconciledFleet,
  ReconcileSourceStatus,
} from '@fleet-monitoring/plugin-monitoring-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useLocation } from 'react-router-dom';
import {
  allSourcesOk,
  reconciledClusters,
  reconciledCounts,
} from '../../__fixtures__/reconciled';
import { fleetSummary } from '../../__fixtures__/responses';
import { fakeFetch, json, Wrapper } from '../../__testUtils__/testApi';
import { LegacyFleetPage as FleetPage } from './FleetPage';

// Generous: the suite must pass on a busy machine; nothing here waits on a timer.
jest.setTimeout(30_000);

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };
const instances = { thanos: [{ name: 'demo' }], argocd: [], kubernetes: [] };
const DOCS = '/docs/default/system/fleet-monitoring/';

/**
 * The backend's reconciled route as its OpenAPI document says: offset, limit, name, reason and
 * state (repeated) filter and page the fleet; `counts` are the whole fleet's.
 */
function reconciledPage(
  clusters: ReconciledCluster[],
  url: URL,
  sources: ReconcileSourceStatus[] = allSourcesOk,
): ReconciledFleet {
  const p = url.searchParams;
  const offset = Number(p.get('offset') ?? 0);
  const limit = Number(p.get('limit') ?? 50);
  const name = (p.get('name') ?? '').toLowerCase();
  const reasons = p.getAll('reason');
  const states = p.getAll('state');
  const rows = clusters
    .filter(c => !name || c.cluster.toLowerCase().includes(name))
    .filter(c => states.length === 0 || states.includes(c.state))
    .filter(
      c =>
        reasons.length === 0 ||
        c.reasons.some(
          r =>
            reasons.includes(r.id) ||
            (reasons.includes('capacity') && r.id.startsWith('capacity-')),
        ),
    );
  return {
    instance: 'demo',
    generatedAt: '2026-12-04T17:10:00Z',
    clusters: rows.slice(offset, offset + limit),
    counts: reconciledCounts(clusters),
    sources,
    fleetReasons: [],
    page: { offset, limit, total: rows.length },
  };
}

function backend(
  clusters = reconciledClusters,
  sources: ReconcileSourceStatus[] = allSourcesOk,
) {
  return (url: URL) => {
    if (url.pathname.endsWith('/instances')) return json(instances);
    if (url.pathname.endsWith('/reconciled'))
      return json(reconciledPage(clusters, url, sources));
    return json(fleetSummary);
  };
}

function Search() {
  return <output data-testid="search">{useLocation().search}</output>;
}

async function renderPage(
  handler = backend(),
  options: { routeEntries?: string[] } = {},
) {
  const { fetchApi, calls } = fakeFetch(handler);
  await renderInTestApp(
    <Wrapper fetchApi={fetchApi}>
      <FleetPage />
      <Search />
    </Wrapper>,
    { mountedRoutes, ...options },
  );
  return calls;
}

const table = () => screen.getByRole('region', { name: 'Reconciled clusters' });

/** Waits until the table shows the rows for `reasons` (its own data attribute) and is not busy. */
async function tableShows(reasons: string) {
  await waitFor(
    () => {
      expect(table()).toHaveAttribute('data-applied-reasons', reasons);
      expect(table()).toHaveAttribute('aria-busy', 'false');
    },
    { timeout: 10_000 },
  );
}

const clusterNames = () =>
  within(table())
    .getAllByRole('rowheader')
    .map(h => h.textContent ?? '');

const rowOf = (cluster: string) =>
  within(table())
    .getAllByRole('row')
    .find(r =>
      within(r).queryByRole('rowheader')?.textContent?.startsWith(cluster),
    ) as HTMLElement;

const FIRST_PAGE = '/fleet/demo/reconciled?offset=0&limit=50';

describe('FleetPage, reconciled view', () => {
  it('switches to the joined table and asks the reconciled route for one page', async () => {
    const calls = await renderPage();
    await screen.findByText('Clusters of demo: 4 of 4 shown');
    fireEvent.click(screen.getByRole('radio', { name: 'Reconciled' }));
    await tableShows('');
    expect(screen.getByTestId('search')).toHaveTextContent('?view=reconciled');
    expect(calls.filter(c => c.includes('/reconciled'))).toEqual([FIRST_PAGE]);
    expect(
      screen.getByText('Clusters known to any source: 4 of 4 shown'),
    ).toBeInTheDocument();

    const edge = rowOf('cluster-02-edge');
    // The owner as people say it: group:default/platform-team is platform-team.
    expect(edge).toHaveTextContent('platform-team');
    expect(edge).not.toHaveTextContent('group:default/');
    expect(edge).toHaveTextContent('prometheus-agent');
    expect(edge).toHaveTextContent('chart 25.11.0 · v2.50.1');
    expect(edge).toHaveTextContent('OutOfSync · Degraded');
    expect(edge).toHaveTextContent('0/1 ready');
    expect(edge).toHaveTextContent('90,000 / 113,328');
    expect(edge).toHaveTextContent('79.4 % · tenant cluster-02-edge');
    expect(
      within(edge).getByRole('link', { name: 'cluster-02-edge' }),
    ).toHaveAttribute('href', '/catalog/default/resource/cluster-02-edge');
    expect(
      within(edge).getByRole('link', {
        name: 'Remote write broke after a sync',
      }),
    ).toHaveAttribute(
      'href',
      `${DOCS}troubleshooting/reconciliation/#reconcile-broke-after-sync`,
    );

    // A ghost sending without a catalog Resource: no entity page to link, and it says so.
    const ghost = rowOf('sim-0009');
    expect(within(ghost).queryByRole('link', { name: 'sim-0009' })).toBeNull();
    expect(ghost).toHaveTextContent('no catalog entity');
    // ... and the catalog-info.yaml that registers it, ready to copy.
    const snippet = within(ghost).getByLabelText(
      'catalog-info.yaml for sim-0009',
    );
    expect(snippet.textContent).toContain('kind: Resource');
    expect(snippet.textContent).toContain(
      'fleet-monitoring.io/cluster: "sim-0009"',
    );
    // A ghost in the catalog but never seen needs none.
    expect(
      within(rowOf('cluster-03-lab')).queryByLabelText(/catalog-info\.yaml/),
    ).toBeNull();
    expect(ghost).toHaveTextContent('not in catalog');
    expect(
      within(ghost).getByRole('link', {
        name: 'Sending but not in the catalog',
      }),
    ).toBeInTheDocument();
  });

  it('filters ghosts and "broke after a sync" on the server and keeps the filter in the URL', async () => {
    const calls = await renderPage(backend(), {
      routeEntries: ['/?view=reconciled'],
    });
    await tableShows('');
    expect(
      screen.getByRole('button', { name: 'Ghosts: 2' }),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Ghosts: 2' }));
    await tableShows('reconcile-never-seen,reconcile-not-in-catalog');
    expect(clusterNames().sort()).toEqual(
      ['cluster-03-lab', 'sim-0009'].map(expect.stringContaining),
    );
    expect(screen.getByTestId('search')).toHaveTextContent(
      '?view=reconciled&reason=ghosts',
    );
    expect(calls[calls.length - 1]).toBe(
      `${FIRST_PAGE}&reason=reconcile-never-seen&reason=reconcile-not-in-catalog`,
    );

    fireEvent.click(screen.getByRole('button', { name: 'Ghosts: 2' }));
    fireEvent.click(
      screen.getByRole('button', { name: 'Broke after a sync: 1' }),
    );
    await tableShows('reconcile-broke-after-sync');
    expect(clusterNames()).toEqual([
      expect.stringContaining('cluster-02-edge'),
    ]);
    expect(screen.getByTestId('search')).toHaveTextContent(
      '?view=reconciled&reason=broke-after-sync',
    );
  });

  it('opens a shared link with its reason filter applied, and offers only reasons some row carries', async () => {
    await renderPage(backend(), {
      routeEntries: ['/?view=reconciled&reason=broke-after-sync,bogus'],
    });
    await tableShows('reconcile-broke-after-sync');
    expect(clusterNames()).toEqual([
      expect.stringContaining('cluster-02-edge'),
    ]);
    const filters = screen.getByLabelText('Filter by reason');
    expect(
      within(filters)
        .getAllByRole('button')
        .map(b => b.getAttribute('aria-label')),
    ).toEqual([
      'Ghosts: 2',
      'Broke after a sync: 1',
      'Capacity: 1',
      'No overlay in the GitOps repository: 1',
      'The Application is out of sync or degraded: 1',
    ]);
  });

  it('marks a failed source unknown in every row and keeps the other columns', async () => {
    const sources = allSourcesOk.map(s =>
      s.source === 'argocd'
        ? {
            source: s.source,
            status: 'failed' as const,
            error: {
              upstream: 'argocd:demo',
              kind: 'unreachable' as const,
              message: 'connect ECONNREFUSED',
            },
          }
        : s,
    );
    await renderPage(
      backend(
        reconciledClusters.map(c => ({ ...c, argocd: [] })),
        sources,
      ),
      { routeEntries: ['/?view=reconciled'] },
    );
    await tableShows('');
    expect(
      screen.getByText('ArgoCD "demo" could not be reached'),
    ).toBeInTheDocument();
    const edge = rowOf('cluster-02-edge');
    expect(edge).toHaveTextContent('source could not be read');
    expect(edge).toHaveTextContent('platform-team');
    expect(edge).toHaveTextContent('0/1 ready');
  });

  it("shows each tenant's days to its limit with the forecast's confidence", async () => {
    await renderPage(backend(), { routeEntries: ['/?view=reconciled'] });
    await tableShows('');
    expect(
      within(table()).getByRole('columnheader', { name: 'Days to limit' }),
    ).toBeInTheDocument();
    const edge = rowOf('cluster-02-edge');
    expect(edge).toHaveTextContent('4.2 days');
    expect(edge).toHaveTextContent('medium confidence · reaches it 2026-12-10');
    // Beside its head series and limit, and named as a capacity reason.
    expect(edge).toHaveTextContent('90,000 / 113,328');
    expect(
      within(edge).getByRole('link', {
        name: 'The tenant will reach its head-series limit soon',
      }),
    ).toHaveAttribute(
      'href',
      `${DOCS}troubleshooting/capacity/#capacity-tenant-limit-soon`,
    );
    // No limit: nothing to reach; a row without a tenant has no forecast.
    expect(rowOf('cluster-01-central')).toHaveTextContent('no limit');
    expect(rowOf('cluster-01-central')).toHaveTextContent('high confidence');
    expect(rowOf('sim-0009')).not.toHaveTextContent('days');
  });

  it('says unknown, not "no forecast", in every row when the fleet capacity failed', async () => {
    const sources = allSourcesOk.map(s =>
      s.source === 'capacity'
        ? {
            source: s.source,
            status: 'failed' as const,
            error: {
              upstream: 'thanos:demo',
              kind: 'timeout' as const,
              message: 'capacity query timed out',
            },
          }
        : s,
    );
    await renderPage(
      backend(
        reconciledClusters.map(c =>
          c.receive
            ? { ...c, receive: { ...c.receive, forecast: undefined } }
            : c,
        ),
        sources,
      ),
      { routeEntries: ['/?view=reconciled'] },
    );
    await tableShows('');
    const edge = rowOf('cluster-02-edge');
    expect(edge).toHaveTextContent('fleet capacity could not be read');
    // The other columns stand.
    expect(edge).toHaveTextContent('90,000 / 113,328');
    expect(edge).toHaveTextContent('OutOfSync · Degraded');
  });

  it('filters capacity on the server (any capacity-* reason) and keeps it in the URL', async () => {
    const calls = await renderPage(backend(), {
      routeEntries: ['/?view=reconciled'],
    });
    await tableShows('');
    fireEvent.click(screen.getByRole('button', { name: 'Capacity: 1' }));
    await tableShows('capacity');
    expect(clusterNames()).toEqual([
      expect.stringContaining('cluster-02-edge'),
    ]);
    expect(screen.getByTestId('search')).toHaveTextContent(
      '?view=reconciled&reason=capacity',
    );
    expect(calls[calls.length - 1]).toBe(`${FIRST_PAGE}&reason=capacity`);
  });

  it('opens a shared capacity link with the filter applied, next to ghosts', async () => {
    const calls = await renderPage(backend(), {
      routeEntries: ['/?view=reconciled&reason=capacity,ghosts'],
    });
    // The filters' own order: ghosts first.
    await tableShows('reconcile-never-seen,reconcile-not-in-catalog,capacity');
    expect(clusterNames().sort()).toEqual(
      ['cluster-02-edge', 'cluster-03-lab', 'sim-0009'].map(
        expect.stringContaining,
      ),
    );
    expect(calls[calls.length - 1]).toBe(
      `${FIRST_PAGE}&reason=reconcile-never-seen&reason=reconcile-not-in-catalog&reason=capacity`,
    );
  });

  it('goes back to the remote-write table without the reason filter', async () => {
    const calls = await renderPage(backend(), {
      routeEntries: ['/?view=reconciled&reason=ghosts&q=sim'],
    });
    await tableShows('reconcile-never-seen,reconcile-not-in-catalog');
    fireEvent.click(screen.getByRole('radio', { name: 'Remote write' }));
    await screen.findByRole('region', { name: 'Clusters' });
    expect(screen.getByTestId('search')).toHaveTextContent('?q=sim');
    expect(calls[calls.length - 1]).toBe(
      '/fleet/demo/summary?offset=0&limit=50&name=sim&sort=state&order=asc',
    );
  });
});
