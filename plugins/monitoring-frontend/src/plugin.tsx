/**
 * Fleet Monitoring for Backstage's new frontend system.
 *
 * @packageDocumentation
 */

import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import MonitorIcon from '@material-ui/icons/Timeline';
import {
  isArgocdAvailable,
  isMetricsArrivingAvailable,
  isRemoteWriteAvailable,
  isThanosAvailable,
} from '@fleet-monitoring/plugin-monitoring-common';
import { fleetMonitoringApiRef, FleetMonitoringClient } from './api';

/** Route of the fleet page in the new frontend system. */
export const fleetPageRouteRef = createRouteRef();

export const fleetMonitoringApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: fleetMonitoringApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new FleetMonitoringClient({ discoveryApi, fetchApi }),
    }),
});

export const fleetPage = PageBlueprint.make({
  params: {
    path: '/fleet-monitoring',
    title: 'Fleet monitoring',
    icon: <MonitorIcon fontSize="inherit" />,
    routeRef: fleetPageRouteRef,
    // The page brings its own Backstage header.
    noHeader: true,
    loader: () => import('./components/FleetPage').then(m => <m.FleetPage />),
  },
});

export const remoteWriteCard = EntityCardBlueprint.make({
  name: 'remote-write',
  params: {
    filter: isRemoteWriteAvailable,
    loader: () =>
      import('./components/RemoteWriteCard').then(m => <m.RemoteWriteCard />),
  },
});

export const thanosCard = EntityCardBlueprint.make({
  name: 'thanos',
  params: {
    filter: isThanosAvailable,
    loader: () => import('./components/ThanosCard').then(m => <m.ThanosCard />),
  },
});

export const metricsArrivingCard = EntityCardBlueprint.make({
  name: 'metrics-arriving',
  params: {
    filter: isMetricsArrivingAvailable,
    loader: () =>
      import('./components/MetricsArrivingCard').then(m => (
        <m.MetricsArrivingCard />
      )),
  },
});

export const argocdCard = EntityCardBlueprint.make({
  name: 'argocd',
  params: {
    filter: isArgocdAvailable,
    loader: () => import('./components/ArgocdCard').then(m => <m.ArgocdCard />),
  },
});

export default createFrontendPlugin({
  pluginId: 'fleet-monitoring',
  info: { packageJson: () => import('../package.json') },
  routes: { fleet: fleetPageRouteRef },
  extensions: [
    fleetMonitoringApi,
    fleetPage,
    remoteWriteCard,
    thanosCard,
    metricsArrivingCard,
    argocdCard,
  ],
});
