import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  dropSeriesTemplatePath,
  type EntityCapacity,
  type TopSeries,
} from '@fleet-monitoring/plugin-monitoring-common';
import {
  bareEntity,
  clusterEntity,
  queryEntity,
  receiveEntity,
} from '../../__fixtures__/entities';
import {
  backstageError,
  fakeFetch,
  json,
  Wrapper,
} from '../../__testUtils__/testApi';
import { isCapacityAvailable } from './available';
import { CapacityCard, forecastText } from './CapacityCard';

const REACHES = Date.UTC(2026, 11, 14) / 1000;

const cluster: EntityCapacity = {
  subject: 'cluster',
  instance: 'central',
  state: 'degraded',
  reasons: [
    {
      id: 'capacity-tenant-limit-soon',
      severity: 'warning',
      message:
        'Tenant "cluster-02-edge" reaches its head-series limit of 113,328 in 5.2 days at its 7d growth.',
      hint: 'Find the metric that grows and drop it, or raise the limit before then.',
    },
  ],
  tenant: {
    cluster: 'cluster-02-edge',
    tenant: 'cluster-02-edge',
    receivers: 3,
    replicationFactor: 3,
    headSeries: 90_000,
    activeSeries: 30_000,
    limit: 113_328,
    limitSource: 'tenant',
    usedRatio: 0.79,
    growth1d: 2_592,
    growth7d: 18_144,
    forecast: {
      confidence: 'high',
      basis: 'straight line through the hourly values of the last week',
      window: '7d',
      daysLeft: 5.2,
      reachesAt: REACHES,
      slopePerDay: 2_592,
    },
  },
};

const receive: EntityCapacity = {
  subject: 'receive',
  instance: 'central',
  state: 'degraded',
  reasons: [
    {
      id: 'capacity-one-receiver-lost',
      severity: 'warning',
      message:
        'If thanos-receive-0 is lost, its head series move to the others and thanos-receive-1 would pass its memory limit: an OOM cascade.',
    },
  ],
  receive: {
    replicationFactor: 2,
    receivers: [
      {
        namespace: 'monitoring',
        pod: 'thanos-receive-0',
        container: 'thanos-receive',
        headSeries: 83_000,
        workingSetBytes: 698e6,
        memoryLimitBytes: 900e6,
        usedRatio: 0.776,
        oomForecast: {
          confidence: 'medium',
          basis: '',
          window: '1d',
          daysLeft: 1.8,
          reachesAt: REACHES,
        },
      },
      {
        namespace: 'monitoring',
        pod: 'thanos-receive-1',
        headSeries: 83_000,
      },
    ],
    oneLost: {
      lost: 'thanos-receive-0',
      fits: false,
      ringTooSmall: false,
      others: [
        {
          pod: 'thanos-receive-1',
          projectedBytes: 1.064e9,
          limitBytes: 900e6,
          fits: false,
        },
      ],
    },
  },
};

const top: TopSeries = {
  cluster: 'cluster-02-edge',
  tenant: 'cluster-02-edge',
  instance: 'central',
  state: 'degraded',
  reasons: [
    {
      id: 'capacity-series-explosion',
      severity: 'warning',
      message:
        'checkout_requests_by_user_total of tenant "cluster-02-edge" grew by 1,200 series in a day (0 to 1,200); its label user_id has 1,200 values.',
    },
  ],
  headSeries: 1_501,
  metrics: [
    {
      name: 'checkout_requests_by_user_total',
      headSeries: 1_200,
      share: 0.8,
      seriesNow: 1_200,
      series1dAgo: 0,
      change1d: 1_200,
      drivers: [{ label: 'user_id', values: 1_200 }],
    },
    {
      name: 'http_requests_total',
      headSeries: 300,
      share: 0.2,
      seriesNow: 300,
      series1dAgo: 300,
      change1d: 0,
    },
  ],
  jobs: [{ job: 'checkout', headSeries: 1_200 }],
  labels: [{ label: 'user_id', values: 1_200 }],
  costs: [
    {
      view: 'top names, jobs and labels',
      upstream: 'GET /api/v1/status/tsdb',
      cost: 'postings only',
    },
  ],
};

/** The capacity and top-series routes of the cluster. */
const clusterRoutes = (topAnswer: () => Response = () => json(top)) =>
  fakeFetch(url =>
    url.pathname.endsWith('/top-series') ? topAnswer() : json(cluster),
  );

describe('CapacityCard', () => {
  it("shows a cluster's tenant against its limit, the growth, the date, and the reason linking its fix", async () => {
    const { fetchApi, calls } = clusterRoutes();
    await renderInTestApp(
      <Wrapper entity={clusterEntity} fetchApi={fetchApi}>
        <CapacityCard />
      </Wrapper>,
    );
    // The capacity's reasons come first; the top series have their own below.
    const [reasons] = await screen.findAllByRole('list', { name: 'Reasons' });
    expect(calls).toEqual([
      '/entity/resource/default/cluster-02-edge/capacity',
      '/entity/resource/default/cluster-02-edge/top-series',
    ]);
    const soon = reasons.querySelector(
      'li[data-reason="capacity-tenant-limit-soon"]',
    ) as HTMLElement;
    expect(soon).toHaveTextContent(
      /Warning: The tenant will reach its head-series limit soon/,
    );
    expect(within(soon).getByRole('link')).toHaveAttribute(
      'href',
      '/docs/default/system/fleet-monitoring/troubleshooting/capacity/#capacity-tenant-limit-soon',
    );
    expect(screen.getByText('30,000')).toBeInTheDocument();
    expect(screen.getByText('113,328 (tenant)')).toBeInTheDocument();
    expect(screen.getByText('+2,592')).toBeInTheDocument();
    expect(
      screen.getByText('in 5.2 days (2026-12-14), high confidence'),
    ).toBeInTheDocument();
  });

  it("lists the receivers' memory and OOM date, and what losing one would do", async () => {
    const { fetchApi, calls } = fakeFetch(() => json(receive));
    await renderInTestApp(
      <Wrapper entity={receiveEntity} fetchApi={fetchApi}>
        <CapacityCard />
      </Wrapper>,
    );
    const table = await screen.findByRole('region', { name: 'Receivers' });
    expect(calls).toEqual([
      '/entity/component/default/thanos-receive/capacity',
    ]);
    expect(table).toHaveTextContent('698 MB / 900 MB');
    expect(table).toHaveTextContent(
      'in 1.8 days (2026-12-14), medium confidence',
    );
    // A receiver whose memory is unknown shows dashes, not zeros.
    expect(table).toHaveTextContent('— / —');
    expect(screen.getByLabelText('One receiver lost')).toHaveTextContent(
      'If thanos-receive-0 is lost, thanos-receive-1 would reach 1.06 GB of 900 MB.',
    );
    expect(
      document.querySelector('li[data-reason="capacity-one-receiver-lost"]'),
    ).not.toBeNull();
  });

  it('lists the top series; the chosen rows open the drop-series template', async () => {
    const { fetchApi } = clusterRoutes();
    await renderInTestApp(
      <Wrapper entity={clusterEntity} fetchApi={fetchApi}>
        <CapacityCard />
      </Wrapper>,
    );
    const region = await screen.findByRole('region', { name: 'Top series' });
    expect(region).toHaveTextContent('checkout_requests_by_user_total');
    expect(region).toHaveTextContent('driven by user_id (1,200 values)');
    expect(region).toHaveTextContent('+1,200');
    expect(
      region.querySelector('li[data-reason="capacity-series-explosion"]'),
    ).not.toBeNull();
    const drop = within(region).getByRole('link', { name: /Drop these/ });
    // Nothing chosen yet: the button does not lead anywhere useful.
    expect(drop).toHaveAttribute('aria-disabled', 'true');
    const row = within(region).getByRole('row', {
      name: /checkout_requests_by_user_total/,
    });
    await userEvent.click(within(row).getByRole('checkbox'));
    const chosen = within(region).getByRole('link', { name: 'Drop these (1)' });
    expect(chosen).toHaveAttribute(
      'href',
      dropSeriesTemplatePath('cluster-02-edge', [
        'checkout_requests_by_user_total',
      ]),
    );
  });

  it('still shows the capacity when the top series fail', async () => {
    const { fetchApi } = clusterRoutes(() =>
      backstageError(502, 'UpstreamError', 'thanos:central: unreachable'),
    );
    await renderInTestApp(
      <Wrapper entity={clusterEntity} fetchApi={fetchApi}>
        <CapacityCard />
      </Wrapper>,
    );
    expect(
      await screen.findByText(/Top series could not be read/),
    ).toBeInTheDocument();
    expect(screen.getByText('113,328 (tenant)')).toBeInTheDocument();
  });

  it('applies to clusters and Receive components, not to Query or bare entities', () => {
    expect(isCapacityAvailable(clusterEntity)).toBe(true);
    expect(isCapacityAvailable(receiveEntity)).toBe(true);
    expect(isCapacityAvailable(queryEntity)).toBe(false);
    expect(isCapacityAvailable(bareEntity)).toBe(false);
  });

  it('says why a forecast has no date', () => {
    const f = { confidence: 'low' as const, basis: '' };
    expect(forecastText({ ...f, confidence: 'none' })).toBe(
      'not enough history yet',
    );
    expect(forecastText({ ...f, slopePerDay: -3 })).toBe('not growing');
    expect(forecastText({ ...f, slopePerDay: 3 })).toBe('no limit to reach');
    expect(forecastText({ ...f, daysLeft: 0, reachesAt: REACHES })).toBe(
      'reached',
    );
  });
});
