import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { fleetMonitoringPermissions } from '@fleet-monitoring/plugin-monitoring-common';
import { registerFleetMonitoringActions } from './actions';
import { ArgocdService } from './argocd/ArgocdService';
import { addArgocdRoutes } from './argocd/router';
import { readPluginConfig } from './config';
import { KubernetesService } from './kubernetes/KubernetesService';
import { addKubernetesRoutes } from './kubernetes/router';
import { createRouter } from './router';
import { EntityAccess } from './service/entityAccess';
import { catalogClusters } from './service/catalogClusters';
import { FleetHealthService } from './service/FleetHealthService';
import { startSummaryRefresh } from './service/SummaryRefresher';

/** The Fleet Monitoring backend plugin, served under /api/fleet-monitoring. */
export const fleetMonitoringPlugin = createBackendPlugin({
  pluginId: 'fleet-monitoring',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        cache: coreServices.cache,
        rootLifecycle: coreServices.rootLifecycle,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init({
        config,
        logger,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        cache,
        rootLifecycle,
        scheduler,
        catalog,
        auth,
        actionsRegistry,
      }) {
        const settings = readPluginConfig(config);
        permissionsRegistry.addPermissions(fleetMonitoringPermissions);
        const health = new FleetHealthService(settings.health, logger, cache, {
          catalog: catalogClusters(catalog, auth),
        });
        const access = new EntityAccess(httpAuth, permissions, catalog, {
          ttlSeconds: settings.accessTtlSeconds,
        });
        const argocd = new ArgocdService(
          settings.argocd,
          settings.cacheTtlSeconds,
          logger,
          cache,
        );
        const kubernetes = new KubernetesService(
          settings.kubernetes,
          settings.cacheTtlSeconds,
          logger,
          cache,
        );
        // Keep-alive pools to the upstreams would otherwise outlive the backend.
        rootLifecycle.addShutdownHook(async () => {
          await Promise.all([
            ...health.instanceNames().map(n => health.client(n).close()),
            argocd.close(),
          ]);
        });
        await startSummaryRefresh({
          config: settings.health,
          health,
          scheduler,
          rootLifecycle,
          logger,
        });
        registerFleetMonitoringActions({
          actionsRegistry,
          access,
          health,
          argocd,
        });
        httpRouter.use(
          await createRouter({
            logger,
            access,
            health,
            argocdInstances: argocd
              .instanceNames()
              .map(name => ({ name, title: argocd.instanceTitle(name) })),
            kubernetesClusters: kubernetes
              .clusterNames()
              .map(name => ({ name })),
            addRoutes: [
              router => addArgocdRoutes(router, { access, argocd }),
              router => addKubernetesRoutes(router, { access, kubernetes }),
            ],
            validateResponses: settings.validateResponses,
          }),
        );
        logger.info(
          `Fleet Monitoring: ${settings.health.thanos.length} Thanos instance(s), ${argocd.instanceNames().length} ArgoCD instance(s), ${kubernetes.clusterNames().length} Kubernetes cluster(s) configured`,
        );
      },
    });
  },
});
