import { renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import * as legacy from './legacy';
import { clusterEntity, receiveEntity } from './__fixtures__/entities';
import {
  fleetSummary,
  healthyDetail,
  oomKilledView,
} from './__fixtures__/responses';
import { fakeFetch, json, Wrapper } from './__testUtils__/testApi';

describe('legacy plugin (@fleet-monitoring/plugin-monitoring/legacy)', () => {
  it('exports the plugin, the page, the cards and the availability checks', () => {
    expect(legacy.fleetMonitoringPlugin.getId()).toBe('fleet-monitoring');
    for (const name of [
      'FleetMonitoringPage',
      'EntityRemoteWriteCard',
      'EntityThanosCard',
      'EntityMetricsArrivingCard',
      'EntityArgocdCard',
      'EntityKubernetesCard',
      'EntityGitopsLintCard',
      'EntityCapacityCard',
      'EntityReconcileCard',
    ] as const) {
      expect(typeof legacy[name]).toBe('function');
    }
    expect(
      legacy.isRemoteWriteAvailable({
        metadata: { annotations: { 'fleet-monitoring.io/cluster': 'c' } },
      } as any),
    ).toBe(true);
    expect(legacy.isThanosAvailable({ metadata: {} } as any)).toBe(false);
    expect(legacy.isCapacityAvailable(receiveEntity)).toBe(true);
    expect(legacy.isReconcileAvailable(receiveEntity)).toBe(false);
    expect(
      [...legacy.fleetMonitoringPlugin.getApis()].map(a => a.api.id),
    ).toEqual(['plugin.fleet-monitoring.service']);
  });

  // renderInTestApp is the legacy app (core-app-api) test wrapper: the cards as a legacy app mounts
  // them, lazily loaded through the plugin's component extensions.
  it('mounts the remote-write and Kubernetes cards in a legacy app', async () => {
    const { fetchApi, calls } = fakeFetch(url =>
      json(
        url.pathname.endsWith('/kubernetes') ? oomKilledView : healthyDetail,
      ),
    );
    await renderInTestApp(
      <Wrapper entity={clusterEntity} fetchApi={fetchApi}>
        <legacy.EntityRemoteWriteCard />
      </Wrapper>,
    );
    expect(await screen.findByText('Healthy')).toBeInTheDocument();
    expect(
      screen.getByRole('article', { name: 'Remote write' }),
    ).toHaveTextContent('cluster cluster-02-edge on Thanos instance demo');
    await renderInTestApp(
      <Wrapper entity={receiveEntity} fetchApi={fetchApi}>
        <legacy.EntityKubernetesCard />
      </Wrapper>,
    );
    expect(await screen.findByText('A pod was OOMKilled')).toBeInTheDocument();
    expect(calls).toEqual([
      '/entity/resource/default/cluster-02-edge/remote-write?range=3600',
      '/entity/component/default/thanos-receive/kubernetes',
    ]);
  });

  it('mounts the fleet page in a legacy app', async () => {
    const { fetchApi } = fakeFetch(url =>
      json(
        url.pathname.endsWith('/instances')
          ? { thanos: [{ name: 'demo' }], argocd: [], kubernetes: [] }
          : fleetSummary,
      ),
    );
    await renderInTestApp(
      <Wrapper fetchApi={fetchApi}>
        <Routes>
          <Route
            path="/fleet-monitoring"
            element={<legacy.FleetMonitoringPage />}
          />
        </Routes>
      </Wrapper>,
      {
        routeEntries: ['/fleet-monitoring'],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByRole('link', { name: 'cluster-02-edge' }),
    ).toHaveAttribute('href', '/catalog/default/resource/cluster-02-edge');
  });
});
