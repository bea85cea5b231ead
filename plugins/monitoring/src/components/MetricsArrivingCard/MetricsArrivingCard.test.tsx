import { renderInTestApp } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { bareEntity, serviceEntity } from '../../__fixtures__/entities';
import { arriving, nothingArriving } from '../../__fixtures__/responses';
import {
  backstageError,
  fakeFetch,
  json,
  Wrapper,
} from '../../__testUtils__/testApi';
import { MetricsArrivingCard } from './MetricsArrivingCard';

describe('MetricsArrivingCard', () => {
  it('shows targets up, last sample age and series per cluster, one request per refresh', async () => {
    const { fetchApi, calls } = fakeFetch(() => json(arriving));
    await renderInTestApp(
      <Wrapper entity={serviceEntity} fetchApi={fetchApi}>
        <MetricsArrivingCard />
      </Wrapper>,
    );
    const table = await screen.findByRole('region', {
      name: 'Metrics per cluster',
    });
    const row = within(table).getByText('cluster-03-edge').closest('tr')!;
    expect(row).toHaveTextContent('Degraded 1 of 2');
    expect(row).toHaveTextContent('9 s ago');
    expect(
      screen.getByRole('link', { name: 'How to fix: Scrape targets are down' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('missing-metrics-checklist'),
    ).not.toBeInTheDocument();
    expect(calls).toEqual(['/entity/component/shop/checkout/metrics-arriving']);
    fireEvent.click(
      screen.getByRole('button', { name: 'Refresh Metrics arriving' }),
    );
    await waitFor(() => expect(calls).toHaveLength(2));
  });

  it('walks through the checklist with the query to run when nothing arrives', async () => {
    const { fetchApi } = fakeFetch(() => json(nothingArriving));
    await renderInTestApp(
      <Wrapper entity={serviceEntity} fetchApi={fetchApi}>
        <MetricsArrivingCard />
      </Wrapper>,
    );
    const checklist = await screen.findByTestId('missing-metrics-checklist');
    expect(checklist).toHaveTextContent(
      'kubectl logs -n monitoring prometheus-agent-0 | grep "remote_write"',
    );
    expect(checklist).toHaveTextContent('external_labels');
    expect(checklist).toHaveTextContent(
      'count by (cluster) (up{job="checkout",namespace="shop"})',
    );
    expect(
      within(checklist).getByRole('link', { name: /Troubleshooting/ }),
    ).toHaveAttribute(
      'href',
      '/docs/default/system/fleet-monitoring/troubleshooting/metrics-missing/#metrics-not-arriving',
    );
    expect(screen.getByText('No data')).toBeInTheDocument();
  });

  it('shows an invalid selector annotation message from the backend', async () => {
    const { fetchApi } = fakeFetch(() =>
      backstageError(
        400,
        'InputError',
        'Annotation fleet-monitoring.io/metrics-selector is not a valid label selector: bad',
      ),
    );
    await renderInTestApp(
      <Wrapper entity={serviceEntity} fetchApi={fetchApi}>
        <MetricsArrivingCard />
      </Wrapper>,
    );
    expect(
      await screen.findByText(/is not a valid label selector/),
    ).toBeInTheDocument();
  });

  it('shows the annotation to add when the entity has no selector', async () => {
    const { fetchApi, calls } = fakeFetch(() => json(arriving));
    await renderInTestApp(
      <Wrapper entity={bareEntity} fetchApi={fetchApi}>
        <MetricsArrivingCard />
      </Wrapper>,
    );
    expect(
      (await screen.findAllByText(/fleet-monitoring.io\/metrics-selector/))
        .length,
    ).toBeGreaterThan(0);
    expect(calls).toHaveLength(0);
  });

  it('runs its query through the pass-through and shows the series it finds', async () => {
    const { fetchApi, calls } = fakeFetch(url =>
      url.pathname.endsWith('/thanos/demo/api/v1/query')
        ? json({
            status: 'success',
            data: {
              resultType: 'vector',
              result: [
                { metric: { cluster: 'cluster-02-edge' }, value: [1, '2'] },
                { metric: { cluster: 'cluster-03-edge' }, value: [1, '1'] },
              ],
            },
          })
        : json(arriving),
    );
    await renderInTestApp(
      <Wrapper entity={serviceEntity} fetchApi={fetchApi}>
        <MetricsArrivingCard />
      </Wrapper>,
    );
    const check = await screen.findByRole('region', { name: 'Check by hand' });
    fireEvent.click(within(check).getByRole('button', { name: 'Run query' }));
    const result = await within(check).findByTestId('manual-check-result');
    expect(result).toHaveTextContent('cluster="cluster-02-edge"');
    expect(result).toHaveTextContent('cluster="cluster-03-edge"');
    expect(calls).toContain(
      `/thanos/demo/api/v1/query?query=${encodeURIComponent(arriving.query)}`,
    );
  });

  it('says which permission running the query needs when it is denied', async () => {
    const { fetchApi } = fakeFetch(url =>
      url.pathname.includes('/thanos/')
        ? backstageError(403, 'NotAllowedError', 'Unauthorized')
        : json(nothingArriving),
    );
    await renderInTestApp(
      <Wrapper entity={serviceEntity} fetchApi={fetchApi}>
        <MetricsArrivingCard />
      </Wrapper>,
    );
    const check = await screen.findByRole('region', { name: 'Check by hand' });
    fireEvent.click(within(check).getByRole('button', { name: 'Run query' }));
    expect(
      await within(check).findByText(
        /needs the fleet-monitoring.query permission/,
      ),
    ).toBeInTheDocument();
  });
});
