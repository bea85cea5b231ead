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

/** Fleet Monitoring for the legacy frontend system (`@fleet-monitoring/plugin-monitoring/alpha` for the new one). */
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

/** Every cluster of a Thanos instance in one table. */
export const FleetMonitoringPage = fleetMonitoringPlugin.provide(
  createRoutableExtension({
    name: 'FleetMonitoringPage',
    component: () => import('./components/FleetPage').then(m => m.FleetPage),
    mountPoint: fleetPageRouteRef,
  }),
);

/** Remote-write health of the entity's cluster; use behind `isRemoteWriteAvailable`. */
export const EntityRemoteWriteCard = fleetMonitoringPlugin.provide(
  createComponentExtension({
    name: 'EntityRemoteWriteCard',
    component: {
      lazy: () =>
        import('./components/RemoteWriteCard').then(m => m.RemoteWriteCard),
    },
  }),
);

/** Thanos Receive / Query health; use behind `isThanosAvailable`. */
export const EntityThanosCard = fleetMonitoringPlugin.provide(
  createComponentExtension({
    name: 'EntityThanosCard',
    component: {
      lazy: () => import('./components/ThanosCard').then(m => m.ThanosCard),
    },
  }),
);

/** Whether a service's metrics arrive; use behind `isMetricsArrivingAvailable`. */
export const EntityMetricsArrivingCard = fleetMonitoringPlugin.provide(
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

/** The entity's ArgoCD applications; use behind `isArgocdAvailable`. */
export const EntityArgocdCard = fleetMonitoringPlugin.provide(
  createComponentExtension({
    name: 'EntityArgocdCard',
    component: {
      lazy: () => import('./components/ArgocdCard').then(m => m.ArgocdCard),
    },
  }),
);
