import { renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { fleetSummary } from '../../__fixtures__/responses';
import {
  backstageError,
  fakeFetch,
  json,
  Wrapper,
} from '../../__testUtils__/testApi';
import { FleetPage } from './FleetPage';

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };
const instances = { thanos: [{ name: 'demo' }], argocd: [], kubernetes: [] };

function answer(url: URL) {
  if (url.pathname.endsWith('/instances')) return json(instances);
  return json(fleetSummary);
}

const clusterNames = () =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map(r => within(r).queryAllByRole('link')[0]?.textContent)
    .filter(Boolean);

describe('FleetPage', () => {
  it('lists every cluster with state, lag and throughput, linking to its entity page', async () => {
    const { fetchApi, calls } = fakeFetch(answer);
    await renderInTestApp(
      <Wrapper fetchApi={fetchApi}>
        <FleetPage />
      </Wrapper>,
      { mountedRoutes },
    );
    expect(await screen.findByText('Clusters of demo (4)')).toBeInTheDocument();
    const link = screen.getByRole('link', { name: 'cluster-02-edge' });
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/resource/cluster-02-edge',
    );
    const row = link.closest('tr')!;
    expect(row).toHaveTextContent('Healthy');
    expect(row).toHaveTextContent('2 s');
    expect(row).toHaveTextContent('900/s');
    const failing = screen
      .getByRole('link', { name: 'sim-0002' })
      .closest('tr')!;
    expect(failing).toHaveTextContent('Failing');
    expect(
      within(failing).getByRole('link', { name: 'Remote write is failing' }),
    ).toHaveAttribute(
      'href',
      '/docs/default/system/fleet-monitoring/troubleshooting/remote-write/#remote-write-failing',
    );
    expect(calls).toEqual(['/instances', '/fleet/demo/summary']);
    fireEvent.click(screen.getByRole('button', { name: 'Refresh fleet' }));
    await waitFor(() =>
      expect(calls).toEqual([
        '/instances',
        '/fleet/demo/summary',
        '/fleet/demo/summary',
      ]),
    );
  });

  it('sorts by state, worst first', async () => {
    const { fetchApi } = fakeFetch(answer);
    await renderInTestApp(
      <Wrapper fetchApi={fetchApi}>
        <FleetPage />
      </Wrapper>,
      { mountedRoutes },
    );
    await screen.findByText('Clusters of demo (4)');
    fireEvent.click(screen.getAllByRole('button', { name: 'State' })[0]);
    await waitFor(() => expect(clusterNames()[0]).toBe('sim-0002'));
    expect(clusterNames()[1]).toBe('sim-0001');
  });

  it('filters with the search box', async () => {
    const { fetchApi } = fakeFetch(answer);
    await renderInTestApp(
      <Wrapper fetchApi={fetchApi}>
        <FleetPage />
      </Wrapper>,
      { mountedRoutes },
    );
    await screen.findByText('Clusters of demo (4)');
    fireEvent.change(screen.getByPlaceholderText('Filter'), {
      target: { value: 'sim-' },
    });
    await waitFor(() =>
      expect(clusterNames()).toEqual(['sim-0001', 'sim-0002']),
    );
  });

  it('offers an instance picker when several instances are configured', async () => {
    const { fetchApi, calls } = fakeFetch(url =>
      url.pathname.endsWith('/instances')
        ? json({
            ...instances,
            thanos: [{ name: 'demo' }, { name: 'eu-1', title: 'Europe' }],
          })
        : json({ ...fleetSummary, instance: url.pathname.split('/')[4] }),
    );
    await renderInTestApp(
      <Wrapper fetchApi={fetchApi}>
        <FleetPage />
      </Wrapper>,
      { mountedRoutes },
    );
    await screen.findByText('Clusters of demo (4)');
    expect(screen.getByText('Thanos instance')).toBeInTheDocument();
    expect(calls).toContain('/fleet/demo/summary');
  });

  it('explains an unknown instance or a backend error', async () => {
    const { fetchApi } = fakeFetch(url =>
      url.pathname.endsWith('/instances')
        ? json(instances)
        : backstageError(
            404,
            'NotFoundError',
            'No Thanos instance named "demo"',
          ),
    );
    await renderInTestApp(
      <Wrapper fetchApi={fetchApi}>
        <FleetPage />
      </Wrapper>,
      { mountedRoutes },
    );
    expect(await screen.findByText('Warning: Not found')).toBeInTheDocument();
    expect(
      screen.getByText('No Thanos instance named "demo"'),
    ).toBeInTheDocument();
  });

  it('names the upstream when Thanos is down', async () => {
    const { fetchApi } = fakeFetch(url =>
      url.pathname.endsWith('/instances')
        ? json(instances)
        : json({
            ...fleetSummary,
            clusters: [],
            counts: {
              healthy: 0,
              degraded: 0,
              failing: 0,
              'no-data': 0,
              unknown: 0,
            },
            error: {
              upstream: 'thanos:demo',
              kind: 'unreachable',
              message: 'connect ECONNREFUSED',
            },
          }),
    );
    await renderInTestApp(
      <Wrapper fetchApi={fetchApi}>
        <FleetPage />
      </Wrapper>,
      { mountedRoutes },
    );
    expect(
      await screen.findByText(
        'Error: Thanos Query "demo" could not be reached',
      ),
    ).toBeInTheDocument();
  });

  it('says so when no Thanos instance is configured', async () => {
    const { fetchApi } = fakeFetch(() =>
      json({ thanos: [], argocd: [], kubernetes: [] }),
    );
    await renderInTestApp(
      <Wrapper fetchApi={fetchApi}>
        <FleetPage />
      </Wrapper>,
      { mountedRoutes },
    );
    expect(
      await screen.findByText('No Thanos instance is configured'),
    ).toBeInTheDocument();
  });
});
