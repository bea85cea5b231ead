/**
 * Fleet Monitoring for the legacy frontend system (`createPlugin`). New apps use the package's
 * default export instead. Options: `fleetMonitoring.docsBaseUrl` in app-config (the new system takes
 * it as extension config).
 *
 * @packageDocumentation
 */

import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { fleetMonitoringApiRef, FleetMonitoringClient } from './api';
import { fleetPageRouteRef } from './routes';
import type { RemoteWriteCardProps } from './components/RemoteWriteCard';

/**
 * Props of {@link FleetMonitoringPage}.
 *
 * @public
 */
export interface FleetMonitoringPageProps {
  /** Title of the page header; default "Fleet monitoring". */
  title?: string;
}

/**
 * An entity card of the legacy plugin; each reads the entity from the entity page's context.
 *
 * @public
 */
export type EntityCard = () => JSX.Element;

/**
 * The legacy plugin; its page and cards below are its extensions.
 *
 * @public
 */
export const fleetMonitoringPlugin = createPlugin({
  id: 'fleet-monitoring',
  apis: [
    createApiFactory({
      api: fleetMonitoringApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new FleetMonitoringClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { fleet: fleetPageRouteRef },
});

/**
 * Every cluster of a Thanos instance in one table.
 *
 * @public
 */
export const FleetMonitoringPage: (
  props: FleetMonitoringPageProps,
) => JSX.Element = fleetMonitoringPlugin.provide(
  createRoutableExtension({
    name: 'FleetMonitoringPage',
    component: () =>
      import('./components/FleetPage').then(m => m.LegacyFleetPage),
    mountPoint: fleetPageRouteRef,
  }),
);

/**
 * Remote-write health of the entity's cluster; use behind `isRemoteWriteAvailable`.
 *
 * @public
 */
export const EntityRemoteWriteCard: (
  props: RemoteWriteCardProps,
) => JSX.Element = fleetMonitoringPlugin.provide(
  createComponentExtension({
    name: 'EntityRemoteWriteCard',
    component: {
      lazy: () =>
        import('./components/RemoteWriteCard').then(m => m.RemoteWriteCard),
    },
  }),
);

/**
 * Thanos Receive / Query health; use behind `isThanosAvailable`.
 *
 * @public
 */
export const EntityThanosCard: EntityCard = fleetMonitoringPlugin.provide(
  createComponentExtension({
    name: 'EntityThanosCard',
    component: {
      lazy: () => import('./components/ThanosCard').then(m => m.ThanosCard),
    },
  }),
);

/**
 * Whether a service's metrics arrive; use behind `isMetricsArrivingAvailable`.
 *
 * @public
 */
export const EntityMetricsArrivingCard: EntityCard =
  fleetMonitoringPlugin.provide(
    createComponentExtension({
      name: 'EntityMetricsArrivingCard',
      component: {
        lazy: () =>
          import('./components/MetricsArrivingCard').then(
            m => m.MetricsArrivingCard,
          ),
      },
    }),
  );

/**
 * Receive/agent pods and the hashring of the entity's cluster; use behind `isKubernetesAvailable`.
 *
 * @public
 */
export const EntityKubernetesCard: EntityCard = fleetMonitoringPlugin.provide(
  createComponentExtension({
    name: 'EntityKubernetesCard',
    component: {
      lazy: () =>
        import('./components/KubernetesCard').then(m => m.KubernetesCard),
    },
  }),
);

/**
 * The entity's ArgoCD applications; use behind `isArgocdAvailable`.
 *
 * @public
 */
export const EntityArgocdCard: EntityCard = fleetMonitoringPlugin.provide(
  createComponentExtension({
    name: 'EntityArgocdCard',
    component: {
      lazy: () => import('./components/ArgocdCard').then(m => m.ArgocdCard),
    },
  }),
);

/**
 * The overlay lint findings of the entity's cluster in the GitOps repository; use behind
 * `isRemoteWriteAvailable` (the cluster annotation).
 *
 * @public
 */
export const EntityGitopsLintCard: EntityCard = fleetMonitoringPlugin.provide(
  createComponentExtension({
    name: 'EntityGitopsLintCard',
    component: {
      lazy: () =>
        import('./components/GitopsLintCard').then(m => m.GitopsLintCard),
    },
  }),
);

/**
 * Capacity before it breaks (a cluster's tenant against its head-series limit, or a Thanos Receive
 * component's receivers against their memory); use behind `isCapacityAvailable`.
 *
 * @public
 */
export const EntityCapacityCard: EntityCard = fleetMonitoringPlugin.provide(
  createComponentExtension({
    name: 'EntityCapacityCard',
    component: {
      lazy: () => import('./components/CapacityCard').then(m => m.CapacityCard),
    },
  }),
);

/**
 * One cluster reconciled: catalog owner, GitOps overlay, ArgoCD Applications, remote write, Receive
 * tenant and limit, agent pods, with ghosts, gaps and drift named; use behind `isReconcileAvailable`.
 *
 * @public
 */
export const EntityReconcileCard: EntityCard = fleetMonitoringPlugin.provide(
  createComponentExtension({
    name: 'EntityReconcileCard',
    component: {
      lazy: () =>
        import('./components/ReconcileCard').then(m => m.ReconcileCard),
    },
  }),
);

export { isCapacityAvailable } from './components/CapacityCard/available';
export { isReconcileAvailable } from './components/ReconcileCard/available';
export { fleetPageRouteRef } from './routes';
export type { RemoteWriteCardProps } from './components/RemoteWriteCard';
export { fleetMonitoringApiRef, FleetMonitoringClient } from './api';
export type {
  FleetMonitoringApi,
  FleetSummaryQuery,
  InstantSample,
  InstantVector,
  ReconciledFleetQuery,
} from './api';
// Availability checks for EntitySwitch, re-exported so one import is enough.
export {
  isRemoteWriteAvailable,
  isThanosAvailable,
  isMetricsArrivingAvailable,
  isArgocdAvailable,
  isKubernetesAvailable,
} from '@fleet-monitoring/plugin-monitoring-common';
