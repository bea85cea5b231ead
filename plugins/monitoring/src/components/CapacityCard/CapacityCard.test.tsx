import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import type { EntityCapacity } from '@fleet-monitoring/plugin-monitoring-common';
import {
  bareEntity,
  clusterEntity,
  queryEntity,
  receiveEntity,
} from '../../__fixtures__/entities';
import { fakeFetch, json, Wrapper } from '../../__testUtils__/testApi';
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

describe('CapacityCard', () => {
  it("shows a cluster's tenant against its limit, the growth, the date, and the reason linking its fix", async () => {
    const { fetchApi, calls } = fakeFetch(() => json(cluster));
    await renderInTestApp(
      <Wrapper entity={clusterEntity} fetchApi={fetchApi}>
        <CapacityCard />
      </Wrapper>,
    );
    const reasons = await screen.findByRole('list', { name: 'Reasons' });
    expect(calls).toEqual([
      '/entity/resource/default/cluster-02-edge/capacity',
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
