/**
 * Fleet Monitoring for Backstage's new frontend system: the package's default export.
 *
 * Extensions (ids as in `app.extensions` of app-config):
 * - `api:fleet-monitoring`: the backend client.
 * - `page:fleet-monitoring`: the fleet page at /fleet-monitoring, with its nav item.
 * - `entity-card:fleet-monitoring/{remote-write,thanos,metrics-arriving,argocd,kubernetes,capacity,reconcile}`:
 *   shown only on entities with the card's annotations.
 * - `entity-card:fleet-monitoring/gitops-lint`: off until enabled in `app.extensions` (it needs the
 *   backend's `fleetMonitoring.gitops`).
 * The page and every card take `config.docsBaseUrl`: where the "How to fix" links point.
 */
import type { ReactNode } from 'react';
import { z } from 'zod';
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import type { Entity } from '@backstage/catalog-model';
// MUI only for the icon: @backstage/ui ships no icon set of its own.
import MonitorIcon from '@material-ui/icons/Timeline';
import {
  isArgocdAvailable,
  isKubernetesAvailable,
  isMetricsArrivingAvailable,
  isRemoteWriteAvailable,
  isThanosAvailable,
} from '@fleet-monitoring/plugin-monitoring-common';
import { fleetMonitoringApiRef, FleetMonitoringClient } from './api';
import { isCapacityAvailable } from './components/CapacityCard/available';
import { isReconcileAvailable } from './components/ReconcileCard/available';
import { DocsBaseUrlContext } from './components/common/docs';
import { fleetPageRouteRef } from './routes';

/** The extension config every page and card of the plugin accepts. */
const docsConfigSchema = {
  /** Base URL of the handbook the "How to fix" links point into; default `/docs/default/system/fleet-monitoring/`. */
  docsBaseUrl: z.string().optional(),
};

const withDocs = (docsBaseUrl: string | undefined, element: ReactNode) => (
  <DocsBaseUrlContext.Provider value={docsBaseUrl}>
    {element}
  </DocsBaseUrlContext.Provider>
);

/** @public */
export const fleetMonitoringApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: fleetMonitoringApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new FleetMonitoringClient({ discoveryApi, fetchApi }),
    }),
});

/** @public */
export const fleetPage = PageBlueprint.makeWithOverrides({
  configSchema: docsConfigSchema,
  factory(originalFactory, { config }) {
    return originalFactory({
      path: '/fleet-monitoring',
      title: 'Fleet monitoring',
      icon: <MonitorIcon fontSize="inherit" />,
      routeRef: fleetPageRouteRef,
      loader: () =>
        import('./components/FleetPage').then(m =>
          withDocs(config.docsBaseUrl, <m.FleetPage />),
        ),
    });
  },
});

/**
 * An entity card shown on entities `filter` accepts, with the docs base URL from its config; a
 * `disabled` card is off until `app.extensions` enables it.
 */
function entityCard(
  name: string,
  filter: (entity: Entity) => boolean,
  load: () => Promise<JSX.Element>,
  options: { disabled?: boolean } = {},
) {
  return EntityCardBlueprint.makeWithOverrides({
    name,
    disabled: options.disabled,
    configSchema: docsConfigSchema,
    factory(originalFactory, { config }) {
      return originalFactory({
        filter,
        loader: () => load().then(card => withDocs(config.docsBaseUrl, card)),
      });
    },
  });
}

/** @public */
export const remoteWriteCard = entityCard(
  'remote-write',
  isRemoteWriteAvailable,
  () => import('./components/RemoteWriteCard').then(m => <m.RemoteWriteCard />),
);

/** @public */
export const thanosCard = entityCard('thanos', isThanosAvailable, () =>
  import('./components/ThanosCard').then(m => <m.ThanosCard />),
);

/** @public */
export const metricsArrivingCard = entityCard(
  'metrics-arriving',
  isMetricsArrivingAvailable,
  () =>
    import('./components/MetricsArrivingCard').then(m => (
      <m.MetricsArrivingCard />
    )),
);

/** @public */
export const argocdCard = entityCard('argocd', isArgocdAvailable, () =>
  import('./components/ArgocdCard').then(m => <m.ArgocdCard />),
);

/** @public */
export const kubernetesCard = entityCard(
  'kubernetes',
  isKubernetesAvailable,
  () => import('./components/KubernetesCard').then(m => <m.KubernetesCard />),
);

/** @public */
export const gitopsLintCard = entityCard(
  'gitops-lint',
  isRemoteWriteAvailable,
  () => import('./components/GitopsLintCard').then(m => <m.GitopsLintCard />),
  // Off by default: it needs the backend's `fleetMonitoring.gitops` (a GitOps repository), which
  // most installs do not configure; enable `entity-card:fleet-monitoring/gitops-lint` with it.
  { disabled: true },
);

/** @public */
export const capacityCard = entityCard('capacity', isCapacityAvailable, () =>
  import('./components/CapacityCard').then(m => <m.CapacityCard />),
);

/**
 * On by default: its route answers 200 with every source's status, so sources an install lacks
 * (GitOps repository, ArgoCD, Kubernetes) read "not configured" instead of failing the request.
 *
 * @public
 */
export const reconcileCard = entityCard('reconcile', isReconcileAvailable, () =>
  import('./components/ReconcileCard').then(m => <m.ReconcileCard />),
);

/** The Fleet Monitoring plugin for the new frontend system. */
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
    kubernetesCard,
    gitopsLintCard,
    capacityCard,
    reconcileCard,
  ],
});
