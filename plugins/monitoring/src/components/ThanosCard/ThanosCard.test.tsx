import { renderInTestApp } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  bareEntity,
  queryEntity,
  receiveEntity,
} from '../../__fixtures__/entities';
import {
  notThanosHealth,
  queryHealth,
  receiveHealth,
} from '../../__fixtures__/responses';
import { fakeFetch, json, Wrapper } from '../../__testUtils__/testApi';
import { ThanosCard } from './ThanosCard';

describe('ThanosCard', () => {
  it('shows Thanos Receive numbers and the failing reason with its link', async () => {
    const { fetchApi, calls } = fakeFetch(() => json(receiveHealth));
    await renderInTestApp(
      <Wrapper entity={receiveEntity} fetchApi={fetchApi}>
        <ThanosCard />
      </Wrapper>,
    );
    expect(
      await screen.findByText('Thanos Receive health'),
    ).toBeInTheDocument();
    expect(screen.getByText('Failing')).toBeInTheDocument();
    expect(screen.getByText('16.7 %')).toBeInTheDocument();
    expect(screen.getByText('95 ms')).toBeInTheDocument();
    expect(screen.getByText('Last reload succeeded')).toBeInTheDocument();
    expect(screen.getByText('File read OK')).toBeInTheDocument();
    expect(screen.getByText('Replication failures')).toBeInTheDocument();
    expect(screen.getByText('Forward failures')).toBeInTheDocument();
    expect(screen.getByText('Head-series limited')).toBeInTheDocument();
    expect(
      screen.getByRole('link', {
        name: 'How to fix: Receive answers with 5xx errors',
      }),
    ).toHaveAttribute(
      'href',
      '/docs/default/system/fleet-monitoring/troubleshooting/thanos-receive/#receive-http-errors',
    );
    expect(calls).toEqual(['/entity/component/default/thanos-receive/thanos']);
    fireEvent.click(screen.getByRole('button', { name: /^Refresh/ }));
    await waitFor(() => expect(calls).toHaveLength(2));
  });

  it("lists the querier's store endpoints with their last errors and partial-response warnings", async () => {
    const { fetchApi } = fakeFetch(() => json(queryHealth));
    await renderInTestApp(
      <Wrapper entity={queryEntity} fetchApi={fetchApi}>
        <ThanosCard />
      </Wrapper>,
    );
    expect(await screen.findByText('Thanos Query health')).toBeInTheDocument();
    const table = screen.getByRole('region', { name: 'Store endpoints' });
    expect(
      within(table).getByText('thanos-receive-0:10901'),
    ).toBeInTheDocument();
    expect(within(table).getByText(/connection refused/)).toBeInTheDocument();
    expect(within(table).getByText('Failing')).toBeInTheDocument();
    expect(screen.getByText(/Partial response: 1 warning/)).toBeInTheDocument();
    expect(
      screen.getByText('receive thanos-receive-1 did not answer in time'),
    ).toBeInTheDocument();
  });

  it('says when the upstream is not a Thanos querier', async () => {
    const { fetchApi } = fakeFetch(() => json(notThanosHealth));
    await renderInTestApp(
      <Wrapper entity={queryEntity} fetchApi={fetchApi}>
        <ThanosCard />
      </Wrapper>,
    );
    expect(await screen.findByText('Not a Thanos querier')).toBeInTheDocument();
    expect(
      screen.getByRole('link', {
        name: 'How to fix: The upstream is not a Thanos querier',
      }),
    ).toBeInTheDocument();
  });

  it('shows the annotation to add when the entity is not a Thanos component', async () => {
    const { fetchApi, calls } = fakeFetch(() => json(receiveHealth));
    await renderInTestApp(
      <Wrapper entity={bareEntity} fetchApi={fetchApi}>
        <ThanosCard />
      </Wrapper>,
    );
    expect(
      (await screen.findAllByText(/fleet-monitoring.io\/thanos-component/))
        .length,
    ).toBeGreaterThan(0);
    expect(calls).toHaveLength(0);
  });

  it('names the upstream on an upstream timeout', async () => {
    const { fetchApi } = fakeFetch(() =>
      json({
        ...receiveHealth,
        state: 'unknown',
        receive: undefined,
        reasons: [
          {
            id: 'upstream-timeout',
            severity: 'critical',
            message: 'timed out after 10000 ms',
          },
        ],
        error: {
          upstream: 'thanos:demo',
          kind: 'timeout',
          message: 'Thanos Query did not answer within 10000 ms',
        },
      }),
    );
    await renderInTestApp(
      <Wrapper entity={receiveEntity} fetchApi={fetchApi}>
        <ThanosCard />
      </Wrapper>,
    );
    expect(
      await screen.findByText('Thanos Query "demo" did not answer in time'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Thanos Query did not answer within 10000 ms'),
    ).toBeInTheDocument();
  });
});
