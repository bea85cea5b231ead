import { renderInTestApp } from '@backstage/test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { bareEntity, clusterEntity } from '../../__fixtures__/entities';
import {
  degradedDetail,
  healthyDetail,
  upstreamDownDetail,
} from '../../__fixtures__/responses';
import {
  backstageError,
  fakeFetch,
  json,
  Wrapper,
} from '../../__testUtils__/testApi';
import { RemoteWriteCard } from './RemoteWriteCard';

describe('RemoteWriteCard', () => {
  it('shows a healthy cluster with its numbers and graphs, from one request', async () => {
    const { fetchApi, calls } = fakeFetch(() => json(healthyDetail));
    await renderInTestApp(
      <Wrapper entity={clusterEntity} fetchApi={fetchApi}>
        <RemoteWriteCard />
      </Wrapper>,
    );
    expect(await screen.findByText('Healthy')).toBeInTheDocument();
    expect(screen.getByText('Lag')).toBeInTheDocument();
    expect(screen.getByText('1.2 s')).toBeInTheDocument();
    expect(screen.getByText('950/s')).toBeInTheDocument();
    expect(screen.getByText('4 shards, enough (max 50)')).toBeInTheDocument();
    expect(
      screen.getByRole('img', { name: /^Lag: latest/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', { name: /^Samples sent: latest 955\/s/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', { name: /^Failed: latest/ }),
    ).toBeInTheDocument();
    expect(calls).toEqual([
      '/entity/resource/default/cluster-02-edge/remote-write?range=3600',
    ]);
  });

  it('reads right at the edges: desired shards below 1, rates the backend leaves out at zero', async () => {
    const quiet = {
      ...healthyDetail,
      stats: {
        ...healthyDetail.stats,
        failedPerSecond: undefined,
        retriedPerSecond: undefined,
        droppedPerSecond: undefined,
        shards: 1,
        desiredShards: 0.02,
        maxShards: 200,
      },
      series: { ...healthyDetail.series, failedPerSecond: [] },
    };
    const { fetchApi } = fakeFetch(() => json(quiet));
    await renderInTestApp(
      <Wrapper entity={clusterEntity} fetchApi={fetchApi}>
        <RemoteWriteCard />
      </Wrapper>,
    );
    expect(
      await screen.findByText('1 shard, enough (max 200)'),
    ).toBeInTheDocument();
    // Failed, Retried and Dropped: zero on a cluster that reports, never "—".
    expect(screen.getAllByText('0/s', { selector: 'dd *' })).toHaveLength(3);
    expect(screen.queryByText('—')).not.toBeInTheDocument();
  });

  it('says "no data yet" before the first sample arrives, instead of a grid of dashes', async () => {
    const empty = {
      ...healthyDetail,
      state: 'unknown' as const,
      stats: {},
      series: {
        lagSeconds: [],
        samplesPerSecond: [],
        failedPerSecond: [],
        retriedPerSecond: [],
      },
    };
    const { fetchApi } = fakeFetch(() => json(empty));
    await renderInTestApp(
      <Wrapper entity={clusterEntity} fetchApi={fetchApi}>
        <RemoteWriteCard />
      </Wrapper>,
    );
    expect(await screen.findByText(/^No data yet/)).toBeInTheDocument();
    expect(screen.queryByText('Samples sent')).not.toBeInTheDocument();
  });

  it('shows the age of its answer, can pause live updates, and keeps the answer when a refresh fails', async () => {
    let down = false;
    const { fetchApi } = fakeFetch(() =>
      down
        ? backstageError(503, 'ServiceUnavailableError', 'backend restarting')
        : json(healthyDetail),
    );
    await renderInTestApp(
      <Wrapper entity={clusterEntity} fetchApi={fetchApi}>
        <RemoteWriteCard />
      </Wrapper>,
    );
    expect(await screen.findByText(/^Updated .* ago$/)).toBeInTheDocument();
    const pause = screen.getByRole('button', {
      name: 'Pause live updates of Remote write',
    });
    fireEvent.click(pause);
    expect(
      screen.getByRole('button', {
        name: 'Resume live updates of Remote write',
      }),
    ).toHaveAttribute('aria-pressed', 'true');
    fireEvent.click(
      screen.getByRole('button', {
        name: 'Resume live updates of Remote write',
      }),
    );

    down = true;
    fireEvent.click(
      screen.getByRole('button', { name: 'Refresh Remote write' }),
    );
    expect(
      await screen.findByText(/^Showing the answer from .* ago$/),
    ).toBeInTheDocument();
    // The last answer stays readable under the banner.
    expect(screen.getByText('Healthy')).toBeInTheDocument();
    expect(screen.getByText('950/s')).toBeInTheDocument();
  });

  it('makes exactly one request per refresh', async () => {
    const { fetchApi, calls } = fakeFetch(() => json(healthyDetail));
    await renderInTestApp(
      <Wrapper entity={clusterEntity} fetchApi={fetchApi}>
        <RemoteWriteCard />
      </Wrapper>,
    );
    await screen.findByText('Healthy');
    expect(calls).toHaveLength(1);
    fireEvent.click(
      screen.getByRole('button', { name: 'Refresh Remote write' }),
    );
    await waitFor(() => expect(calls).toHaveLength(2));
    await screen.findByText('Healthy');
    fireEvent.click(
      screen.getByRole('button', { name: 'Refresh Remote write' }),
    );
    await waitFor(() => expect(calls).toHaveLength(3));
    await new Promise(r => setTimeout(r, 50));
    expect(calls).toHaveLength(3);
  });

  it('shows the degraded state with each reason in words and its troubleshooting link', async () => {
    const { fetchApi } = fakeFetch(() => json(degradedDetail));
    await renderInTestApp(
      <Wrapper entity={clusterEntity} fetchApi={fetchApi}>
        <RemoteWriteCard />
      </Wrapper>,
    );
    expect(await screen.findByText('Degraded')).toBeInTheDocument();
    expect(screen.getByText('Remote write is retrying')).toBeInTheDocument();
    expect(screen.getByText(/retries 120 samples\/s/)).toBeInTheDocument();
    const link = screen.getByRole('link', {
      name: 'How to fix: Remote write is retrying',
    });
    expect(link).toHaveAttribute(
      'href',
      '/docs/default/system/fleet-monitoring/troubleshooting/remote-write/#remote-write-retrying',
    );
    expect(
      screen.getByRole('link', { name: 'How to fix: Samples are piling up' }),
    ).toBeInTheDocument();
  });

  it('takes the docs base URL from config', async () => {
    const { fetchApi } = fakeFetch(() => json(degradedDetail));
    await renderInTestApp(
      <Wrapper
        entity={clusterEntity}
        fetchApi={fetchApi}
        config={{
          fleetMonitoring: { docsBaseUrl: 'https://docs.example.com/fleet' },
        }}
      >
        <RemoteWriteCard />
      </Wrapper>,
    );
    const link = await screen.findByRole('link', {
      name: /^How to fix: Remote write is retrying/,
    });
    expect(link).toHaveAttribute(
      'href',
      'https://docs.example.com/fleet/troubleshooting/remote-write/#remote-write-retrying',
    );
  });

  it('names the upstream and the cause when Thanos cannot be reached', async () => {
    const { fetchApi } = fakeFetch(() => json(upstreamDownDetail));
    await renderInTestApp(
      <Wrapper entity={clusterEntity} fetchApi={fetchApi}>
        <RemoteWriteCard />
      </Wrapper>,
    );
    expect(await screen.findByText('Unknown')).toBeInTheDocument();
    expect(
      screen.getByText('Thanos Query "demo" could not be reached'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('upstream-error')).toHaveTextContent(
      'ECONNREFUSED 127.0.0.1:19091',
    );
    expect(
      screen.getByRole('link', {
        name: 'How to fix: The upstream cannot be reached',
      }),
    ).toHaveAttribute(
      'href',
      '/docs/default/system/fleet-monitoring/troubleshooting/upstreams/#upstream-unreachable',
    );
  });

  it('shows the backend error message (e.g. a bad annotation) on 400', async () => {
    const { fetchApi } = fakeFetch(() =>
      backstageError(
        400,
        'InputError',
        'Entity has no fleet-monitoring.io/cluster annotation; add e.g. "fleet-monitoring.io/cluster: cluster-02-edge"',
      ),
    );
    await renderInTestApp(
      <Wrapper entity={clusterEntity} fetchApi={fetchApi}>
        <RemoteWriteCard />
      </Wrapper>,
    );
    expect(
      await screen.findByText('Not configured for this entity'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('request-error')).toHaveTextContent(
      'add e.g. "fleet-monitoring.io/cluster: cluster-02-edge"',
    );
  });

  it("shows a 500 in Backstage's ResponseErrorPanel, with the status and the body", async () => {
    const { fetchApi } = fakeFetch(() => backstageError(500, 'Error', 'boom'));
    await renderInTestApp(
      <Wrapper entity={clusterEntity} fetchApi={fetchApi}>
        <RemoteWriteCard />
      </Wrapper>,
    );
    expect(
      (await screen.findAllByText(/Request failed with 500/)).length,
    ).toBeGreaterThan(0);
    expect(screen.getAllByText(/boom/).length).toBeGreaterThan(0);
  });

  it('shows a progress bar while loading', async () => {
    const { fetchApi } = fakeFetch(() => new Promise(() => {}));
    await renderInTestApp(
      <Wrapper entity={clusterEntity} fetchApi={fetchApi}>
        <RemoteWriteCard />
      </Wrapper>,
    );
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
  });

  it('shows the annotation to add, and makes no request, when the entity has none', async () => {
    const { fetchApi, calls } = fakeFetch(() => json(healthyDetail));
    await renderInTestApp(
      <Wrapper entity={bareEntity} fetchApi={fetchApi}>
        <RemoteWriteCard />
      </Wrapper>,
    );
    expect(await screen.findByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(
      screen.getAllByText(/fleet-monitoring.io\/cluster/).length,
    ).toBeGreaterThan(0);
    expect(calls).toHaveLength(0);
  });

  it('draws the threshold of a rule that fired on the graph it is about', async () => {
    const behind = {
      ...healthyDetail,
      state: 'degraded' as const,
      reasons: [
        {
          id: 'remote-write-behind' as const,
          severity: 'warning' as const,
          message: 'Remote write is 3 s behind the newest sample (limit 2 s).',
          value: 3,
          threshold: 2,
        },
      ],
    };
    const { fetchApi } = fakeFetch(() => json(behind));
    await renderInTestApp(
      <Wrapper entity={clusterEntity} fetchApi={fetchApi}>
        <RemoteWriteCard />
      </Wrapper>,
    );
    expect(
      await screen.findByRole('img', {
        name: 'Lag: latest 3 s, min 1 s, max 3 s, rule fires at 2 s',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', {
        name: /^Samples sent: latest 955\/s, min 900\/s, max 955\/s$/,
      }),
    ).toBeInTheDocument();
  });
});
