import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, waitFor } from '@testing-library/react';
import plugin, {
  argocdCard,
  fleetPage,
  metricsArrivingCard,
  remoteWriteCard,
  thanosCard,
  fleetMonitoringApi,
} from './alpha';
import { fleetMonitoringApiRef, type FleetMonitoringApi } from './api';
import {
  bareEntity,
  clusterEntity,
  receiveEntity,
  serviceEntity,
} from './__fixtures__/entities';
import { fleetSummary, healthyDetail } from './__fixtures__/responses';

const fakeApi = () => ({
  getRemoteWrite: jest.fn(async (_ref: unknown) => healthyDetail),
  getInstances: jest.fn(async () => ({
    thanos: [{ name: 'demo' }],
    argocd: [],
    kubernetes: [],
  })),
  getFleetSummary: jest.fn(async (_instance: string) => fleetSummary),
});

describe('new frontend system plugin', () => {
  it('is the fleet-monitoring plugin with an API, a page and four entity cards', () => {
    expect(plugin.id).toBe('fleet-monitoring');
    const ids = [
      fleetMonitoringApi,
      fleetPage,
      remoteWriteCard,
      thanosCard,
      metricsArrivingCard,
      argocdCard,
    ].map(e => String((e as any).kind ?? ''));
    expect(ids).toEqual([
      'api',
      'page',
      'entity-card',
      'entity-card',
      'entity-card',
      'entity-card',
    ]);
  });

  it.each([
    ['remote-write', remoteWriteCard, [clusterEntity]],
    ['thanos', thanosCard, [receiveEntity]],
    ['metrics-arriving', metricsArrivingCard, [serviceEntity]],
    ['argocd', argocdCard, [clusterEntity, serviceEntity]],
  ] as const)(
    'the %s card shows only on entities with its annotation',
    (_name, card, matching) => {
      const tester = createExtensionTester(card as any);
      const filter = tester.get(
        EntityCardBlueprint.dataRefs.filterFunction,
      ) as (e: any) => boolean;
      for (const e of [
        clusterEntity,
        receiveEntity,
        serviceEntity,
        bareEntity,
      ]) {
        expect(filter(e)).toBe((matching as readonly any[]).includes(e));
      }
    },
  );

  it('the remote-write card renders the shared component lazily', async () => {
    const api = fakeApi();
    const tester = createExtensionTester(remoteWriteCard);
    const element = tester.get(coreExtensionData.reactElement);
    await renderInTestApp(
      <EntityProvider entity={clusterEntity}>{element}</EntityProvider>,
      {
        apis: [[fleetMonitoringApiRef, api as unknown as FleetMonitoringApi]],
      },
    );
    expect(await screen.findByText('Healthy')).toBeInTheDocument();
    expect(api.getRemoteWrite).toHaveBeenCalledTimes(1);
  });

  it('the fleet page is routable at /fleet-monitoring and renders the table', async () => {
    const api = fakeApi();
    const tester = createExtensionTester(fleetPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/fleet-monitoring');
    await renderInTestApp(tester.reactElement(), {
      apis: [[fleetMonitoringApiRef, api as unknown as FleetMonitoringApi]],
    });
    await waitFor(() =>
      expect(api.getFleetSummary).toHaveBeenCalledWith('demo'),
    );
  });
});

describe('fleet page without the catalog', () => {
  it('falls back to the catalog default path for cluster links', async () => {
    const api = fakeApi();
    const tester = createExtensionTester(fleetPage);
    await renderInTestApp(tester.reactElement(), {
      apis: [[fleetMonitoringApiRef, api as unknown as FleetMonitoringApi]],
    });
    expect(
      await screen.findByRole('link', { name: 'cluster-02-edge' }),
    ).toHaveAttribute('href', '/catalog/default/resource/cluster-02-edge');
  });
});
