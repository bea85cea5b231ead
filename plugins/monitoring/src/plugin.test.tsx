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
  capacityCard,
  fleetMonitoringApi,
  fleetPage,
  gitopsLintCard,
  kubernetesCard,
  metricsArrivingCard,
  reconcileCard,
  remoteWriteCard,
  thanosCard,
} from './index';
import { fleetMonitoringApiRef, type FleetMonitoringApi } from './api';
import {
  bareEntity,
  clusterEntity,
  receiveEntity,
  serviceEntity,
} from './__fixtures__/entities';
import {
  degradedDetail,
  fleetSummary,
  healthyDetail,
} from './__fixtures__/responses';
import { brokenEdge, entityReconciled } from './__fixtures__/reconciled';

const fakeApi = (detail = healthyDetail) => ({
  getRemoteWrite: jest.fn(async (_ref: unknown) => detail),
  getInstances: jest.fn(async () => ({
    thanos: [{ name: 'demo' }],
    argocd: [],
    kubernetes: [],
  })),
  getFleetSummary: jest.fn(async (_instance: string) => fleetSummary),
});
const apis = (api: ReturnType<typeof fakeApi>) =>
  [[fleetMonitoringApiRef, api as unknown as FleetMonitoringApi]] as const;

describe('the default export: the new frontend system plugin', () => {
  it('is the fleet-monitoring plugin with an API, a page and its eight entity cards', () => {
    expect(plugin.pluginId).toBe('fleet-monitoring');
    const kinds = [
      fleetMonitoringApi,
      fleetPage,
      remoteWriteCard,
      thanosCard,
      metricsArrivingCard,
      argocdCard,
      kubernetesCard,
      gitopsLintCard,
      capacityCard,
      reconcileCard,
    ].map(e => String((e as any).kind ?? ''));
    expect(kinds).toEqual([
      'api',
      'page',
      'entity-card',
      'entity-card',
      'entity-card',
      'entity-card',
      'entity-card',
      'entity-card',
      'entity-card',
      'entity-card',
    ]);
    // Only the GitOps lint card is off until an app enables it (it needs fleetMonitoring.gitops).
    expect(
      [
        remoteWriteCard,
        thanosCard,
        metricsArrivingCard,
        argocdCard,
        kubernetesCard,
        gitopsLintCard,
        capacityCard,
        reconcileCard,
      ].map(e => Boolean((e as any).disabled)),
    ).toEqual([false, false, false, false, false, true, false, false]);
  });

  it.each([
    ['remote-write', remoteWriteCard, [clusterEntity, receiveEntity]],
    ['thanos', thanosCard, [receiveEntity]],
    ['metrics-arriving', metricsArrivingCard, [serviceEntity]],
    ['argocd', argocdCard, [clusterEntity, serviceEntity]],
    ['kubernetes', kubernetesCard, [receiveEntity]],
    ['gitops-lint', gitopsLintCard, [clusterEntity, receiveEntity]],
    ['capacity', capacityCard, [clusterEntity, receiveEntity]],
    ['reconcile', reconcileCard, [clusterEntity]],
  ] as const)(
    'the %s card shows only on entities with its annotations',
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
        expect({ entity: e.metadata.name, shown: filter(e) }).toEqual({
          entity: e.metadata.name,
          shown: (matching as readonly any[]).includes(e),
        });
      }
    },
  );

  it('the remote-write card renders the shared component lazily', async () => {
    const api = fakeApi();
    const tester = createExtensionTester(remoteWriteCard);
    const element = tester.get(coreExtensionData.reactElement);
    await renderInTestApp(
      <EntityProvider entity={clusterEntity}>{element}</EntityProvider>,
      { apis: apis(api) },
    );
    expect(await screen.findByText('Healthy')).toBeInTheDocument();
    expect(api.getRemoteWrite).toHaveBeenCalledTimes(1);
  });

  it('the reconcile card renders lazily, with every source the backend does not have marked as not configured', async () => {
    const api = {
      ...fakeApi(),
      getEntityReconciled: jest.fn(async (_ref: unknown) =>
        entityReconciled(brokenEdge, [
          { source: 'catalog', status: 'ok' },
          { source: 'remote-write', status: 'ok' },
          { source: 'receive', status: 'ok' },
          { source: 'gitops', status: 'not-configured' },
          { source: 'argocd', status: 'not-configured' },
          { source: 'kubernetes', status: 'not-configured' },
        ]),
      ),
    };
    const tester = createExtensionTester(reconcileCard);
    await renderInTestApp(
      <EntityProvider entity={clusterEntity}>
        {tester.get(coreExtensionData.reactElement)}
      </EntityProvider>,
      { apis: apis(api as ReturnType<typeof fakeApi>) },
    );
    expect(
      await screen.findByText(
        'Not configured in the backend: GitOps repository, ArgoCD, Kubernetes API.',
      ),
    ).toBeInTheDocument();
    expect(api.getEntityReconciled).toHaveBeenCalledTimes(1);
  });

  it('takes the docs base URL as extension config', async () => {
    const api = fakeApi(degradedDetail);
    const tester = createExtensionTester(remoteWriteCard, {
      config: { docsBaseUrl: 'https://handbook.example.com/fleet' },
    });
    await renderInTestApp(
      <EntityProvider entity={clusterEntity}>
        {tester.get(coreExtensionData.reactElement)}
      </EntityProvider>,
      { apis: apis(api) },
    );
    expect(
      await screen.findByRole('link', {
        name: 'How to fix: Remote write is retrying',
      }),
    ).toHaveAttribute(
      'href',
      'https://handbook.example.com/fleet/troubleshooting/remote-write/#remote-write-retrying',
    );
  });

  it('the fleet page is routable at /fleet-monitoring, with a title for the nav, and renders the table', async () => {
    const api = fakeApi();
    const tester = createExtensionTester(fleetPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/fleet-monitoring');
    expect(tester.get(coreExtensionData.title)).toBe('Fleet monitoring');
    await renderInTestApp(tester.reactElement(), { apis: apis(api) });
    await waitFor(() =>
      expect(api.getFleetSummary).toHaveBeenCalledWith(
        'demo',
        expect.objectContaining({ offset: 0, limit: 50 }),
      ),
    );
    // No catalog in this app: cluster links fall back to the catalog's default path.
    expect(
      await screen.findByRole('link', { name: 'cluster-02-edge' }),
    ).toHaveAttribute('href', '/catalog/default/resource/cluster-02-edge');
  });
});
