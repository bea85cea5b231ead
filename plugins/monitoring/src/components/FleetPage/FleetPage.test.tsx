import { renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  STATE_ORDER,
  type ClusterHealth,
  type FleetSummary,
} from '@fleet-monitoring/plugin-monitoring-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useLocation } from 'react-router-dom';
import { fleetSummary } from '../../__fixtures__/responses';
import {
  backstageError,
  fakeFetch,
  json,
  Wrapper,
} from '../../__testUtils__/testApi';
import { LegacyFleetPage as FleetPage } from './FleetPage';

// Generous: the suite must pass on a busy machine; nothing here waits on a timer.
jest.setTimeout(30_000);

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };
const instances = { thanos: [{ name: 'demo' }], argocd: [], kubernetes: [] };

/**
 * The backend's paged summary, as its OpenAPI document says (offset, limit, name, state, sort,
 * order; `page.total` and the whole fleet's counts); without parameters the whole fleet. Sorts by
 * state (worst first, then lag) and name, which is what these tests look at.
 */
function paged(summary: FleetSummary, url: URL): FleetSummary {
  const p = url.searchParams;
  if ([...p.keys()].length === 0) return summary;
  const offset = Number(p.get('offset') ?? 0);
  const limit = Number(p.get('limit') ?? 50);
  const name = (p.get('name') ?? '').toLowerCase();
  const states = p.getAll('state');
  const rank = (c: ClusterHealth) => -STATE_ORDER.indexOf(c.state);
  const byName = (a: ClusterHealth, b: ClusterHealth) =>
    a.cluster < b.cluster ? -1 : 1;
  const dir = p.get('order') === 'desc' ? -1 : 1;
  const matching = summary.clusters
    .filter(c => !name || c.cluster.toLowerCase().includes(name))
    .filter(c => states.length === 0 || states.includes(c.state))
    .sort((a, b) =>
      p.get('sort') === 'cluster'
        ? dir * byName(a, b)
        : dir * (rank(a) - rank(b)) ||
          (b.stats.lagSeconds ?? -1) - (a.stats.lagSeconds ?? -1) ||
          byName(a, b),
    );
  return {
    ...summary,
    clusters: matching.slice(offset, offset + limit),
    page: {
      offset,
      limit,
      total: matching.length,
      sort: (p.get('sort') ?? 'state') as 'state',
      order: dir === 1 ? 'asc' : 'desc',
    },
  };
}

function answer(summary: FleetSummary = fleetSummary) {
  return (url: URL) =>
    url.pathname.endsWith('/instances')
      ? json(instances)
      : json(paged(summary, url));
}

const FIRST_PAGE = '/fleet/demo/summary?offset=0&limit=50&sort=state&order=asc';

/** Shows the URL's query, so a test can check what a shared link would carry. */
function Search() {
  return <output data-testid="search">{useLocation().search}</output>;
}

async function renderPage(
  handler = answer(),
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

const table = () => screen.getByRole('region', { name: 'Clusters' });

/**
 * Waits until the table shows what the filter asks for: its applied query and states (the table's
 * own data attributes, set when the rows are rendered for them) and not busy. No timers involved.
 */
async function tableShows(query: string, states = '') {
  await waitFor(
    () => {
      const t = table();
      expect(t).toHaveAttribute('data-applied-query', query);
      expect(t).toHaveAttribute('data-applied-states', states);
      expect(t).toHaveAttribute('aria-busy', 'false');
    },
    { timeout: 10_000 },
  );
}

const clusterNames = () =>
  within(table())
    .getAllByRole('row')
    .slice(1)
    .map(r => within(r).queryAllByRole('link')[0]?.textContent)
    .filter(Boolean);

const manyClusters = (n: number): FleetSummary => ({
  ...fleetSummary,
  clusters: Array.from({ length: n }, (_, i) => ({
    cluster: `c-${String(i).padStart(3, '0')}`,
    state: 'healthy',
    reasons: [],
    stats: { lagSeconds: 1 },
  })),
  counts: {
    healthy: n,
    recovering: 0,
    degraded: 0,
    failing: 0,
    'no-data': 0,
    unknown: 0,
  },
});

describe('FleetPage', () => {
  it('lists every cluster with state, lag and throughput, linking to its entity page', async () => {
    const calls = await renderPage();
    expect(
      await screen.findByText('Clusters of demo: 4 of 4 shown'),
    ).toBeInTheDocument();
    const link = screen.getByRole('link', { name: 'cluster-02-edge' });
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/resource/cluster-02-edge',
    );
    const row = link.closest('[role="row"]') as HTMLElement;
    expect(row).toHaveTextContent('Healthy');
    expect(row).toHaveTextContent('2 s');
    expect(row).toHaveTextContent('900/s');
    const failing = screen
      .getByRole('link', { name: 'sim-0002' })
      .closest('[role="row"]') as HTMLElement;
    expect(failing).toHaveTextContent('Failing');
    expect(
      within(failing).getByRole('link', { name: 'Remote write is failing' }),
    ).toHaveAttribute(
      'href',
      '/docs/default/system/fleet-monitoring/troubleshooting/remote-write/#remote-write-failing',
    );
    expect(calls).toEqual(['/instances', FIRST_PAGE]);
    fireEvent.click(screen.getByRole('button', { name: 'Refresh fleet' }));
    await waitFor(() =>
      expect(calls).toEqual(['/instances', FIRST_PAGE, FIRST_PAGE]),
    );
  });

  it('shows the worst clusters first and sorts by a column on request', async () => {
    await renderPage();
    await screen.findByText('Clusters of demo: 4 of 4 shown');
    expect(clusterNames()).toEqual([
      'sim-0002',
      'sim-0001',
      'cluster-02-edge',
      'cluster-01-central',
    ]);
    fireEvent.click(screen.getByRole('columnheader', { name: /Cluster/ }));
    await waitFor(() =>
      expect(clusterNames()).toEqual([
        'cluster-01-central',
        'cluster-02-edge',
        'sim-0001',
        'sim-0002',
      ]),
    );
    expect(screen.getByTestId('search')).toHaveTextContent('?sort=cluster');
  });

  it('filters with the search box and keeps the filter in the URL', async () => {
    await renderPage();
    await screen.findByText('Clusters of demo: 4 of 4 shown');
    fireEvent.change(
      screen.getByRole('searchbox', { name: 'Filter clusters by name' }),
      { target: { value: 'sim-' } },
    );
    await tableShows('sim-');
    expect(clusterNames()).toEqual(['sim-0002', 'sim-0001']);
    expect(
      screen.getByText('Clusters of demo: 2 of 4 shown'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByTestId('search')).toHaveTextContent('?q=sim-'),
    );
  });

  it('filters on a state count button', async () => {
    await renderPage();
    await screen.findByText('Clusters of demo: 4 of 4 shown');
    fireEvent.click(screen.getByRole('button', { name: 'Failing: 1' }));
    await tableShows('', 'failing');
    expect(clusterNames()).toEqual(['sim-0002']);
    expect(screen.getByTestId('search')).toHaveTextContent('?state=failing');
  });

  it('opens a shared link with its filter applied', async () => {
    await renderPage(answer(), {
      routeEntries: ['/?q=EDGE&state=healthy,degraded'],
    });
    await screen.findByText('Clusters of demo: 1 of 4 shown');
    await tableShows('EDGE', 'degraded,healthy');
    expect(clusterNames()).toEqual(['cluster-02-edge']);
    expect(
      screen.getByRole('searchbox', { name: 'Filter clusters by name' }),
    ).toHaveValue('EDGE');
  });

  it('asks the server for a filtered page instead of downloading the fleet', async () => {
    const fleet = manyClusters(120);
    const sent: number[] = [];
    const calls = await renderPage(url => {
      if (url.pathname.endsWith('/instances')) return json(instances);
      const body = paged(fleet, url);
      sent.push(body.clusters.length);
      return json(body);
    });
    await screen.findByText('Clusters of demo: 120 of 120 shown');
    fireEvent.change(
      screen.getByRole('searchbox', { name: 'Filter clusters by name' }),
      { target: { value: 'c-11' } },
    );
    await tableShows('c-11');
    expect(clusterNames()).toEqual(
      Array.from({ length: 10 }, (_, i) => `c-11${i}`),
    );
    const summaries = calls.filter(c => c.startsWith('/fleet/'));
    expect(summaries[summaries.length - 1]).toBe(
      '/fleet/demo/summary?offset=0&limit=50&name=c-11&sort=state&order=asc',
    );
    // Every request asked for one page; no answer carried more than a page of the 120 clusters.
    for (const call of summaries) expect(call).toContain('limit=50');
    expect(Math.max(...sent)).toBeLessThanOrEqual(50);

    fireEvent.click(screen.getByRole('button', { name: /Healthy:/ }));
    await tableShows('c-11', 'healthy');
    expect(calls[calls.length - 1]).toBe(
      '/fleet/demo/summary?offset=0&limit=50&name=c-11&state=healthy&sort=state&order=asc',
    );
  });

  it('pages through a large fleet', async () => {
    await renderPage(answer(manyClusters(120)));
    await screen.findByText('Clusters of demo: 120 of 120 shown');
    expect(clusterNames()).toHaveLength(50);
    expect(clusterNames()[0]).toBe('c-000');
    fireEvent.click(screen.getByRole('button', { name: /next/i }));
    await waitFor(() => expect(clusterNames()[0]).toBe('c-050'));
    expect(screen.getByTestId('search')).toHaveTextContent('?page=2');
  });

  it('offers an instance picker when several instances are configured', async () => {
    const calls = await renderPage(url =>
      url.pathname.endsWith('/instances')
        ? json({
            ...instances,
            thanos: [{ name: 'demo' }, { name: 'eu-1', title: 'Europe' }],
          })
        : json({ ...fleetSummary, instance: url.pathname.split('/')[4] }),
    );
    await screen.findByText('Clusters of demo: 4 of 4 shown');
    expect(screen.getAllByText('Thanos instance').length).toBeGreaterThan(0);
    expect(calls).toContain(FIRST_PAGE);
  });

  it('explains an unknown instance or a backend error', async () => {
    await renderPage(url =>
      url.pathname.endsWith('/instances')
        ? json(instances)
        : backstageError(
            404,
            'NotFoundError',
            'No Thanos instance named "demo"',
          ),
    );
    expect(await screen.findByText('Not found')).toBeInTheDocument();
    expect(
      screen.getByText('No Thanos instance named "demo"'),
    ).toBeInTheDocument();
  });

  it('names the upstream when Thanos is down, and says the fleet shown is the last known one', async () => {
    await renderPage(url =>
      url.pathname.endsWith('/instances')
        ? json(instances)
        : json({
            ...fleetSummary,
            clusters: fleetSummary.clusters.map(c => ({
              ...c,
              state: 'unknown',
              lastKnownState: c.state,
            })),
            stale: {
              generatedAt: new Date().toISOString(),
              ageSeconds: 120,
              upstream: 'thanos:demo',
            },
            error: {
              upstream: 'thanos:demo',
              kind: 'unreachable',
              message: 'connect ECONNREFUSED',
            },
          }),
    );
    expect(
      await screen.findByText('Thanos Query "demo" could not be reached'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Showing the last known fleet, 2 min old'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('last known: Failing')).toHaveLength(1);
  });

  it('says so when no Thanos instance is configured', async () => {
    await renderPage(() => json({ thanos: [], argocd: [], kubernetes: [] }));
    expect(
      await screen.findByText('No Thanos instance is configured'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/under fleetMonitoring.thanos/),
    ).toBeInTheDocument();
  });
});
